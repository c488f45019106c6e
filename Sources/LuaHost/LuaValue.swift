/// A Lua value copied out of a state into plain Swift data. Copies are bounded: long strings
/// are cut, deep or cyclic tables end in `.unsupported`, so any script result converts.
public indirect enum LuaValue: Sendable, Equatable, CustomStringConvertible {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case table(LuaTable)
    case function
    /// Something that has no plain form: a cycle, a table past the depth limit, userdata.
    case unsupported(String)

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var tableValue: LuaTable? { if case .table(let t) = self { t } else { nil } }
    public var boolValue: Bool? { if case .boolean(let b) = self { b } else { nil } }
    /// Integers and floats as a Double.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
    /// Integers, and floats with an exact integer value.
    public var intValue: Int? {
        switch self {
        case .integer(let i): Int(exactly: i)
        case .number(let d): Int(exactly: d)
        default: nil
        }
    }
    public var isNil: Bool { self == .nil }

    /// The Lua type name, as `type()` would say.
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .unsupported(let what): what
        }
    }

    public var description: String {
        switch self {
        case .nil: "nil"
        case .boolean(let b): String(b)
        case .integer(let i): String(i)
        case .number(let d): LuaValue.format(d)
        case .string(let s): s
        case .table(let t): t.description
        case .function: "function"
        case .unsupported(let what): "<\(what)>"
        }
    }

    /// Numbers as Lua's `%.14g` would print them, so output matches the interpreter.
    public static func format(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        var s = String(format14g: d)
        if s == "-0" { s = "-0.0" }
        return s
    }
}

/// A table's entries: the array part `1...n` in order, then the other keys sorted
/// (numbers before strings before booleans), so a table always prints the same way.
public struct LuaTable: Sendable, Equatable, CustomStringConvertible {
    public struct Entry: Sendable, Equatable {
        public var key: LuaValue
        public var value: LuaValue
    }

    public var array: [LuaValue]
    public var entries: [Entry]

    init(array: [LuaValue] = [], entries: [Entry] = []) {
        self.array = array
        self.entries = entries
    }

    public subscript(key: String) -> LuaValue {
        entries.first { $0.key == .string(key) }?.value ?? .nil
    }

    public var description: String {
        let items = array.map(\.description) + entries.map { "\($0.key)=\($0.value)" }
        return "{" + items.joined(separator: ", ") + "}"
    }
}

extension String {
    init(format14g d: Double) {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([d]) { vsnprintf(&buffer, 64, "%.14g", $0) }
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
