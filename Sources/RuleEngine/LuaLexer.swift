/// Tokens of Lua 5.4 source text, for `cmrg check`'s static analysis. The text has already
/// compiled (Lua reports syntax errors itself), so the lexer only needs to be right on valid
/// programs; on anything odd it stops with an `.eof` token.
struct LuaToken: Equatable {
    enum Kind: Equatable { case name, keyword, string, number, symbol, eof }
    var kind: Kind
    /// The name, keyword or symbol; a string literal's value.
    var text: String
    var line: Int
    var column: Int
}

enum LuaLexer {
    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]
    /// Longest first, so "..." wins over ".." over ".".
    static let symbols = ["...", "..", "==", "~=", "<=", ">=", "//", "::", "<<", ">>",
                          "+", "-", "*", "/", "%", "^", "#", "&", "~", "|", "<", ">", "=",
                          "(", ")", "{", "}", "[", "]", ";", ":", ",", "."].map { Array($0.utf8) }

    static func tokens(_ source: String) -> [LuaToken] {
        let s = Array(source.utf8)
        var out: [LuaToken] = []
        var i = 0, line = 1, lineStart = 0
        // A "#!" first line is skipped by Lua too.
        if s.starts(with: Array("#".utf8)) { while i < s.count && s[i] != 10 { i += 1 } }

        func at(_ k: Int) -> UInt8 { k < s.count ? s[k] : 0 }
        func isNameStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func newline() { line += 1; lineStart = i + 1 }

        /// At "[" of "[==[": the level, or nil when it is not a long bracket.
        func longBracketLevel(_ k: Int) -> Int? {
            var j = k + 1, level = 0
            while at(j) == UInt8(ascii: "=") { level += 1; j += 1 }
            return at(j) == UInt8(ascii: "[") ? level : nil
        }
        /// Skips a long bracket starting at i; returns its content.
        func longBracket(level: Int) -> String {
            i += level + 2
            if at(i) == 13 || at(i) == 10 { // a first newline is not part of the text
                let c = at(i); i += 1
                if (at(i) == 13 || at(i) == 10) && at(i) != c { i += 1 }
                line += 1; lineStart = i
            }
            let start = i
            while i < s.count {
                if s[i] == UInt8(ascii: "]") {
                    var j = i + 1, l = 0
                    while at(j) == UInt8(ascii: "=") { l += 1; j += 1 }
                    if l == level && at(j) == UInt8(ascii: "]") {
                        let text = String(decoding: s[start..<i], as: UTF8.self)
                        i = j + 1
                        return text
                    }
                }
                if s[i] == 10 { newline() }
                i += 1
            }
            return String(decoding: s[start..<min(i, s.count)], as: UTF8.self)
        }

        while i < s.count {
            let c = s[i]
            if c == 10 { newline(); i += 1; continue }
            if c == 32 || c == 9 || c == 13 || c == 11 || c == 12 { i += 1; continue }
            let column = i - lineStart + 1
            if c == UInt8(ascii: "-") && at(i + 1) == UInt8(ascii: "-") {
                i += 2
                if at(i) == UInt8(ascii: "["), let level = longBracketLevel(i) {
                    _ = longBracket(level: level)
                } else {
                    while i < s.count && s[i] != 10 { i += 1 }
                }
                continue
            }
            if isNameStart(c) {
                let start = i
                while i < s.count && (isNameStart(s[i]) || isDigit(s[i])) { i += 1 }
                let word = String(decoding: s[start..<i], as: UTF8.self)
                out.append(LuaToken(kind: keywords.contains(word) ? .keyword : .name, text: word, line: line, column: column))
                continue
            }
            if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(at(i + 1))) {
                let start = i
                let hex = c == UInt8(ascii: "0") && (at(i + 1) | 0x20) == UInt8(ascii: "x")
                if hex { i += 2 }
                while i < s.count {
                    let d = s[i] | 0x20
                    let exponent = hex ? d == UInt8(ascii: "p") : d == UInt8(ascii: "e")
                    if exponent && (at(i + 1) == UInt8(ascii: "+") || at(i + 1) == UInt8(ascii: "-")) { i += 2; continue }
                    if isDigit(s[i]) || isNameStart(s[i]) || s[i] == UInt8(ascii: ".") { i += 1; continue }
                    break
                }
                out.append(LuaToken(kind: .number, text: String(decoding: s[start..<i], as: UTF8.self), line: line, column: column))
                continue
            }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                let startLine = line
                i += 1
                var bytes: [UInt8] = []
                while i < s.count && s[i] != c {
                    if s[i] == UInt8(ascii: "\\") {
                        i += 1
                        let e = at(i)
                        switch e {
                        case UInt8(ascii: "n"): bytes.append(10); i += 1
                        case UInt8(ascii: "t"): bytes.append(9); i += 1
                        case UInt8(ascii: "r"): bytes.append(13); i += 1
                        case UInt8(ascii: "a"): bytes.append(7); i += 1
                        case UInt8(ascii: "b"): bytes.append(8); i += 1
                        case UInt8(ascii: "f"): bytes.append(12); i += 1
                        case UInt8(ascii: "v"): bytes.append(11); i += 1
                        case 10, 13:
                            bytes.append(10)
                            let first = e
                            i += 1
                            if (at(i) == 10 || at(i) == 13) && at(i) != first { i += 1 }
                            line += 1; lineStart = i
                        case UInt8(ascii: "z"):
                            i += 1
                            while i < s.count && (s[i] == 32 || s[i] == 9 || s[i] == 10 || s[i] == 13) {
                                if s[i] == 10 { newline() }
                                i += 1
                            }
                        case UInt8(ascii: "x"):
                            let hexText = String(decoding: s[min(i + 1, s.count)..<min(i + 3, s.count)], as: UTF8.self)
                            bytes.append(UInt8(hexText, radix: 16) ?? 0); i += 3
                        case UInt8(ascii: "u"):
                            var j = i + 2
                            while j < s.count && s[j] != UInt8(ascii: "}") { j += 1 }
                            let code = UInt32(String(decoding: s[min(i + 2, s.count)..<min(j, s.count)], as: UTF8.self), radix: 16) ?? 0
                            if let scalar = Unicode.Scalar(code) { bytes += Array(String(Character(scalar)).utf8) }
                            i = j + 1
                        default:
                            if isDigit(e) {
                                var j = i, n = 0
                                while j < i + 3 && isDigit(at(j)) { n = n * 10 + Int(at(j) - 48); j += 1 }
                                bytes.append(UInt8(truncatingIfNeeded: n)); i = j
                            } else {
                                bytes.append(e); i += 1 // \\ \" \' and anything else literal
                            }
                        }
                        continue
                    }
                    if s[i] == 10 { break } // unfinished string: Lua would have refused the file
                    bytes.append(s[i])
                    i += 1
                }
                i += 1
                out.append(LuaToken(kind: .string, text: String(decoding: bytes, as: UTF8.self), line: startLine, column: column))
                continue
            }
            if c == UInt8(ascii: "["), let level = longBracketLevel(i) {
                let startLine = line
                let text = longBracket(level: level)
                out.append(LuaToken(kind: .string, text: text, line: startLine, column: column))
                continue
            }
            guard let symbol = symbols.first(where: { s[i...].starts(with: $0) }) else { break }
            out.append(LuaToken(kind: .symbol, text: String(decoding: symbol, as: UTF8.self), line: line, column: column))
            i += symbol.count
        }
        out.append(LuaToken(kind: .eof, text: "", line: line, column: i - lineStart + 1))
        return out
    }
}
