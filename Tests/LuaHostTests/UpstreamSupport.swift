import Testing
@testable import LuaHost

/// One piece of a file of Lua's own test suite (testes/*.lua of the release the shim's copies
/// come from), run alone in a fresh sandbox: a failing `assert` in it is a thrown error here.
struct UpstreamChunk: Sendable, CustomTestStringConvertible {
    /// The upstream file, e.g. "testes/pm.lua"; also the chunk name errors show.
    let file: String
    /// The chunk's first line in that file: errors name the upstream file's lines.
    let line: Int
    let title: String
    let source: String

    init(_ file: String, line: Int, _ title: String, _ source: String) {
        self.file = file
        self.line = line
        self.title = title
        self.source = source
    }

    var testDescription: String { "\(file):\(line) \(title)" }

    /// Runs the file's `helpers`, then the chunk; returns how many asserts the chunk ran, so a
    /// chunk that stops asserting anything shows.
    func run(helpers: String) throws -> Int {
        let lua = try LuaSandbox(limits: upstreamLimits)
        try lua.run(countedAssert + helpers, chunkName: "=(upstream helpers)")
        try lua.run(String(repeating: "\n", count: line - 1) + source, chunkName: file)
        return try #require(lua.global("__upstream_asserts").intValue)
    }
}

/// Far from the cases' needs (the big sorts run a few million instructions): these tests check
/// results, not limits.
let upstreamLimits = LuaLimits(instructions: 2_000_000_000, timeLimit: .seconds(300))

/// assert as the base library's, counting its calls. The failure is raised at the caller's line
/// (level 2), as the stock assert raises it.
let countedAssert = """
    __upstream_asserts = 0
    function assert(v, message, ...)
      __upstream_asserts = __upstream_asserts + 1
      if not v then error(message == nil and "assertion failed!" or message, 2) end
      return v, message, ...
    end

    """
