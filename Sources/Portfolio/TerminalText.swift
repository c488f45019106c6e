/// Text from rules and registers made safe to show on a terminal: control characters are
/// written as visible escapes, so a title or a rule's reason cannot clear the screen, move
/// the cursor, overwrite a line with a carriage return, retitle the window or write to the
/// clipboard. ESC is `\e`, CR `\r`, LF `\n`, tab `\t`, any other C0 or C1 control and DEL
/// `\u{…}` (e.g. `\u{9B}`, the one-character CSI). Text without any comes back unchanged,
/// without a copy: the table, Markdown, explain, plan, diff and test outputs pass every cell
/// through here. CSV and JSON keep the characters, escaped as their formats require.
public enum TerminalText {
    /// `text` with its control characters escaped; with `keepingLineBreaks`, line feeds (and
    /// tabs) stay as they are, for messages of several lines.
    @inline(__always)
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        needsEscaping(text, keepingLineBreaks: keepingLineBreaks) ? escape(text, keepingLineBreaks: keepingLineBreaks) : text
    }

    @inline(__always)
    static func needsEscaping(_ text: String, keepingLineBreaks: Bool) -> Bool {
        for b in text.utf8 {
            // C0 and DEL are single bytes; C1 (U+0080…U+009F) is 0xC2 followed by 0x80…0x9F.
            if b < 0x20 {
                if keepingLineBreaks && (b == 0x0A || b == 0x09) { continue }
                return true
            }
            if b == 0x7F || b == 0xC2 { return true }
        }
        return false
    }

    static func escape(_ text: String, keepingLineBreaks: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1B: out += "\\e"
            case 0x0D: out += "\\r"
            case 0x0A: out += keepingLineBreaks ? "\n" : "\\n"
            case 0x09: out += keepingLineBreaks ? "\t" : "\\t"
            case 0..<0x20, 0x7F, 0x80..<0xA0: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
