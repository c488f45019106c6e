/// A small JSON writer with a fixed key order, so output is byte-identical across runs
/// (JSONEncoder's ordering and number formatting are not something to promise on).
public final class JSONWriter {
    public private(set) var text = ""
    private var needsComma = [false]
    private var indent = 0

    public init() {}

    private func separator() {
        if needsComma[needsComma.count - 1] { text += "," }
        if indent > 0 { text += "\n" + String(repeating: "  ", count: indent) }
        needsComma[needsComma.count - 1] = true
    }

    private func open(_ bracket: String, _ close: String, _ body: () -> Void) {
        text += bracket
        indent += 1
        needsComma.append(false)
        body()
        let hadItems = needsComma.removeLast()
        indent -= 1
        if hadItems { text += "\n" + String(repeating: "  ", count: indent) }
        text += close
    }

    public func object(_ body: () -> Void) {
        if !pendingKey { separator() }
        pendingKey = false
        open("{", "}", body)
    }

    public func array(_ body: () -> Void) {
        if !pendingKey { separator() }
        pendingKey = false
        open("[", "]", body)
    }

    private var pendingKey = false

    public func key(_ k: String) {
        separator()
        text += JSONWriter.quote(k) + ": "
        pendingKey = true
    }

    public func value(_ v: String?) {
        if !pendingKey { separator() }
        pendingKey = false
        text += v.map(JSONWriter.quote) ?? "null"
    }

    public func field(_ k: String, _ v: String?) { key(k); value(v) }
    public func field(_ k: String, _ v: Int) { key(k); pendingKey = false; text += String(v) }
    public func field(_ k: String, _ v: Double) { key(k); pendingKey = false; text += JSONWriter.number(v) }
    public func field(_ k: String, _ v: Bool) { key(k); pendingKey = false; text += v ? "true" : "false" }

    /// Shortest text that reads back as the same double; integers without a fraction.
    public static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // C0 as JSON requires; DEL and C1 too, so that no terminal showing the file acts on them
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
