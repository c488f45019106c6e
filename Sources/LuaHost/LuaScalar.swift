import CLuaShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A single plain value passed between Swift and Lua host functions.
public enum LuaScalar: Sendable, Equatable, CustomStringConvertible {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    /// A table, function or other non-plain value; carries its Lua type name.
    case other(String)

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .other(let t): t
        }
    }

    public var description: String { printDescription }

    /// How `print`/`tostring` would show the value.
    var printDescription: String {
        switch self {
        case .nil: "nil"
        case .boolean(let b): String(b)
        case .integer(let i): String(i)
        case .number(let d): LuaValue.format(d)
        case .string(let s): s
        case .other(let t): t
        }
    }

    /// A copy of a C value; strings longer than `maxStringBytes` are cut (a script's string
    /// may be hundreds of megabytes, which must not be copied into Swift whole).
    init(_ v: cmrg_value, maxStringBytes: Int = .max) {
        switch Int(v.type) {
        case Int(CMRG_BOOL.rawValue): self = .boolean(v.i != 0)
        case Int(CMRG_INT.rawValue): self = .integer(v.i)
        case Int(CMRG_NUM.rawValue): self = .number(v.n)
        case Int(CMRG_STR.rawValue):
            self = .string(boundedString(v.s, count: v.len, maxBytes: maxStringBytes))
        case Int(CMRG_OTHER.rawValue): self = .other(v.s.map { String(cString: $0) } ?? "value")
        default: self = .nil
        }
    }
}

/// The bytes as UTF-8 text (invalid sequences repaired), cut after `maxBytes` with a note
/// of how much was left out.
func boundedString(_ bytes: UnsafePointer<CChar>?, count: Int, maxBytes: Int) -> String {
    let kept = min(count, max(maxBytes, 0))
    let text = String(decoding: UnsafeRawBufferPointer(start: bytes, count: kept), as: UTF8.self)
    return kept < count ? text + "… (\(count - kept) more bytes)" : text
}

/// Passes names to C as parallel arrays of bytes and lengths (alive for the call).
func withCNames<R>(_ names: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>?, UnsafeMutablePointer<Int>?, Int32) -> R) -> R {
    var owned: [UnsafeMutablePointer<CChar>] = []
    defer { owned.forEach { $0.deallocate() } }
    let values = names.map { cValue(.string($0), owned: &owned) }
    var pointers = values.map { $0.s }
    var lengths = values.map { $0.len }
    return pointers.withUnsafeMutableBufferPointer { p in
        lengths.withUnsafeMutableBufferPointer { l in body(p.baseAddress, l.baseAddress, Int32(names.count)) }
    }
}

/// A cmrg_value for a scalar; string bytes are copied into `owned` (caller frees).
func cValue(_ scalar: LuaScalar, owned: inout [UnsafeMutablePointer<CChar>]) -> cmrg_value {
    var v = cmrg_value()
    switch scalar {
    case .nil, .other: v.type = Int32(CMRG_NIL.rawValue)
    case .boolean(let b): v.type = Int32(CMRG_BOOL.rawValue); v.i = b ? 1 : 0
    case .integer(let i): v.type = Int32(CMRG_INT.rawValue); v.i = i
    case .number(let d): v.type = Int32(CMRG_NUM.rawValue); v.n = d
    case .string(let s):
        var copy = s
        let bytes = copy.withUTF8 { buffer -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(buffer.count, 1))
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { p.initialize(from: base, count: chars.count) }
            }
            v.len = buffer.count
            return p
        }
        owned.append(bytes)
        v.type = Int32(CMRG_STR.rawValue)
        v.s = UnsafePointer(bytes)
    }
    return v
}
