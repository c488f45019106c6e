import LuaHost
import Portfolio

/// A value a rule returned or passed, shown in a message: short whatever it is (a 1 MiB
/// string is cut, control bytes are escaped), and in words a policy officer reads (`NaN`,
/// `inf`, `a table`) rather than Lua's type names alone.
enum ValueQuote {
    /// Characters of a quoted string kept before it is cut.
    static let maxCharacters = 80

    /// `"gold"`, `"Gold\0"`, `"xxxx…" (1048576 bytes)`, `NaN`, `inf`, `12.5`, `nil`, `a table`.
    static func describe(_ value: LuaValueView) -> String {
        if let bytes = value.stringBytes { return quote(bytes) }
        if let d = value.doubleValue { return number(d) }
        return describe(value.scalar)
    }

    static func describe(_ value: LuaScalar) -> String {
        switch value {
        case .nil: "nil"
        case .boolean(let b): String(b)
        case .integer(let i): String(i)
        case .number(let d): number(d)
        case .string(let s): quote(s)
        case .other(let type): article(type)
        }
    }

    /// The value's kind in words: `the string "12"`, `NaN`, `a table`.
    static func phrase(_ value: LuaValueView) -> String {
        value.stringBytes != nil ? "the string " + describe(value) : describe(value)
    }

    static func phrase(_ value: LuaScalar) -> String {
        value.stringValue != nil ? "the string " + describe(value) : describe(value)
    }

    static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return String(points: d)
    }

    static func quote(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { quote(UnsafeRawBufferPointer($0)) }
    }

    static func quote(_ bytes: UnsafeRawBufferPointer) -> String {
        var out = "\""
        var characters = 0
        let text = String(decoding: bytes.prefix(maxCharacters * 4), as: UTF8.self)
        for scalar in text.unicodeScalars {
            if characters == maxCharacters { break }
            characters += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\" + String(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        let shown = characters == maxCharacters && text.unicodeScalars.count > maxCharacters || bytes.count > maxCharacters * 4
        return shown ? out + "…\" (\(bytes.count) bytes)" : out + "\""
    }

    private static func article(_ type: String) -> String {
        type.first.map { "aeiou".contains($0) } == true ? "an \(type)" : "a \(type)"
    }
}
