/// A small HTML/SVG writer: escapes every text and attribute it is given, so report content
/// (contract titles, supplier names from a register) can never inject markup.
public final class HTMLWriter {
    public private(set) var text = ""

    public init() {}

    /// `<tag attrs>…</tag>`; attributes keep their given order (deterministic output).
    public func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], _ body: () -> Void = {}) {
        open(tag, attributes)
        body()
        text += "</\(tag)>"
    }

    /// `<tag attrs>escaped text</tag>`.
    public func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], text content: String) {
        open(tag, attributes)
        text += HTMLWriter.escape(content)
        text += "</\(tag)>"
    }

    /// A void element such as `<meta>` or an SVG `<rect/>`.
    public func empty(_ tag: String, _ attributes: KeyValuePairs<String, String>, selfClosing: Bool = false) {
        open(tag, attributes, close: selfClosing ? "/>" : ">")
    }

    public func raw(_ markup: String) { text += markup }
    public func write(_ content: String) { text += HTMLWriter.escape(content) }
    public func newline() { text += "\n" }

    private func open(_ tag: String, _ attributes: KeyValuePairs<String, String>, close: String = ">") {
        text += "<" + tag
        for (name, value) in attributes { text += " \(name)=\"\(HTMLWriter.escape(value))\"" }
        text += close
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// Coordinates for SVG, printed with at most one decimal so output is stable and small.
func coordinate(_ d: Double) -> String {
    guard abs(d) < 1e9 else { return d.isNaN ? "0" : d < 0 ? "-1000000000" : "1000000000" } // off any page
    let tenths = (d * 10).rounded()
    if tenths == (tenths / 10).rounded() * 10 { return String(Int64(tenths / 10)) }
    return String(oneDecimal: tenths / 10)
}
