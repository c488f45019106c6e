/// RFC 4180 quoting, shared by every CSV cmrg writes (canonical portfolios, evaluations, plans,
/// review listings): a field holding a comma, a double quote or a line break (CR or LF) is put
/// in double quotes with its quotes doubled; any other field is written as it is. Bytes are
/// checked, not Characters, so a comma next to a combining mark or inside a "\r\n" pair is
/// caught too.
public enum CSVQuoting {
    /// Appends `bytes` as one field.
    @inline(__always)
    public static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard needsQuotes(bytes) else {
            out.append(contentsOf: bytes)
            return
        }
        let quote = UInt8(ascii: "\"")
        out.append(quote)
        for b in bytes {
            if b == quote { out.append(quote) }
            out.append(b)
        }
        out.append(quote)
    }

    /// Appends `text` as one field.
    @inline(__always)
    public static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, to: &out) }
    }

    /// `text` as one field.
    public static func field(_ text: String) -> String {
        var out: [UInt8] = []
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return false }
        for i in 0..<bytes.count {
            let b = p[i]
            // ',' '"' '\n' '\r' are all below '-': one compare rules out most bytes
            if b < UInt8(ascii: "-"), b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                return true
            }
        }
        return false
    }
}
