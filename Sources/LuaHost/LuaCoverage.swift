import CLuaShim

/// Line coverage, for rule tests: which lines of which chunks ran in a sandbox, and which
/// lines of a chunk can run at all.
extension LuaSandbox {
    /// Starts recording the lines that run from now on (chunks loaded later included).
    public func startCoverage() throws(LuaError) {
        let status = cmrg_coverage_start(state)
        if status != CMRG_OK { throw takeError(status: status) }
    }

    /// Lines that ran since `startCoverage()`, by chunk name (as given to `run`).
    public func coveredLines() -> [String: Set<Int>] {
        var out: [String: Set<Int>] = [:]
        for i in 0..<cmrg_coverage_count(state) {
            var lines: UnsafePointer<UInt8>?
            var count: Int32 = 0
            guard let name = cmrg_coverage_chunk(state, i, &lines, &count) else { continue }
            var ran = out[String(cString: name), default: []]
            if let lines {
                for line in 0..<Int(count) where lines[line] != 0 { ran.insert(line) }
            }
            out[String(cString: name)] = ran
        }
        return out
    }
}

/// What a text chunk contains, found by compiling it without running it.
public enum LuaChunkInfo {
    /// The lines of `source` that hold code, over the chunk and every function nested in it:
    /// exactly the lines a line hook can report. Throws the syntax error, located, when the
    /// text does not compile.
    public static func activeLines(source: String, chunkName: String) throws(LuaError) -> [Int] {
        var text = source
        var lines: UnsafeMutablePointer<Int32>?
        var count: Int32 = 0
        var message = [CChar](repeating: 0, count: 1024)
        let status = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmrg_active_lines(chars.baseAddress, chars.count, "@" + chunkName, &lines, &count, &message, message.count)
            }
        }
        defer { cmrg_free(lines) }
        guard status == CMRG_OK else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var error = LuaError(kind: status == CMRG_ERRSYNTAX ? .syntax : .refused, message: text)
            if let located = LuaError.splitLocation(Substring(text)) {
                error.chunk = located.chunk.hasPrefix("...") ? chunkName : located.chunk
                error.line = located.line
                error.message = located.message
            }
            throw error
        }
        return (0..<Int(count)).map { Int(lines![$0]) }
    }
}
