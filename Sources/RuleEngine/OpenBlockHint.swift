import LuaHost

/// Which block a "'end' expected … near <eof>" syntax error is really about.
///
/// Lua matches every `end` with the innermost open block, so a missing `end` inside `score`
/// is reported at the end of the file, "to close" the function: the `end` meant for the
/// function closed the `if` instead. People indent the `end` like the line that opened the
/// block, so the first closer (or statement) less indented than the block it would close
/// shows the block whose `end` is missing.
enum OpenBlockHint {
    /// For a Lua message like `'end' expected (to close 'function' at line 35) near <eof>`:
    /// the line and keyword of the block most likely left open, when it is not the one Lua
    /// names. Nil for other messages, or when the indentation does not tell.
    static func unclosedBlock(in source: String, message: String) -> (line: Int, keyword: String, closer: String)? {
        guard message.hasPrefix("'end' expected") || message.hasPrefix("'until' expected") else { return nil }
        let named = luaNamedLine(message)
        guard let block = firstUnclosed(LuaLexer.tokens(source)), block.line != named else { return nil }
        return (block.line, block.keyword, block.keyword == "repeat" ? "until" : "end")
    }

    /// The text of the hint line: `rules/priority.lua:52: this 'if' has no 'end'`.
    static func hint(file: String, source: String, message: String) -> String? {
        unclosedBlock(in: source, message: message).map { "\(file):\($0.line): this '\($0.keyword)' has no '\($0.closer)'" }
    }

    /// "(to close 'function' at line 35)" → 35.
    private static func luaNamedLine(_ message: String) -> Int? {
        guard let at = message.range(of: " at line ") else { return nil }
        return Int(message[at.upperBound...].prefix { $0.isNumber })
    }

    private struct Block {
        var keyword: String
        var line: Int
        /// Indentation of the line that opened it.
        var indent: Int
        /// Indentation of the first line inside it; a block whose body is not indented more
        /// than its opener tells nothing.
        var bodyIndent: Int?
        /// `while`/`for` until their `do`.
        var awaitingDo: Bool
        var isIndented: Bool { bodyIndent.map { $0 > indent } ?? false }
    }

    private static func firstUnclosed(_ tokens: [LuaToken]) -> Block? {
        var indentOfLine: [Int: Int] = [:]
        for token in tokens where token.kind != .eof && indentOfLine[token.line] == nil { indentOfLine[token.line] = token.column }
        var stack: [Block] = []
        var previousLine = 0
        for token in tokens where token.kind != .eof {
            let startsLine = token.line != previousLine
            previousLine = token.line
            let indent = indentOfLine[token.line]!
            let isCloser = token.kind == .keyword && ["end", "else", "elseif", "until"].contains(token.text)
            if startsLine, let top = stack.last, top.line != token.line {
                if stack[stack.count - 1].bodyIndent == nil, !isCloser { stack[stack.count - 1].bodyIndent = indent }
                let block = stack[stack.count - 1]
                // A line inside a block is indented more than its opener; a closer as much.
                if block.isIndented, isCloser ? indent < block.indent : indent <= block.indent { return block }
            }
            guard token.kind == .keyword else { continue }
            switch token.text {
            case "function", "if", "repeat":
                stack.append(Block(keyword: token.text, line: token.line, indent: indent, awaitingDo: false))
            case "while", "for":
                stack.append(Block(keyword: token.text, line: token.line, indent: indent, awaitingDo: true))
            case "do":
                if stack.last?.awaitingDo == true { stack[stack.count - 1].awaitingDo = false } else {
                    stack.append(Block(keyword: "do", line: token.line, indent: indent, awaitingDo: false))
                }
            case "end", "until":
                if !stack.isEmpty { stack.removeLast() }
            default:
                break
            }
        }
        return nil
    }
}

extension RuleError {
    /// A load failure of `pack`; a missing `end` also names the block it is most likely
    /// missing from.
    init(loading error: LuaError, in pack: RulePack) {
        self.init(error, kind: .load)
        if let chunk = error.chunk, let file = pack.files.first(where: { $0.path == chunk }) {
            hint = OpenBlockHint.hint(file: file.path, source: file.text, message: error.message)
        }
    }
}
