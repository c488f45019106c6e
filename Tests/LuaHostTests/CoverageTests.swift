import Testing
@testable import LuaHost

/// Line coverage: the lines a chunk can run (nested functions included) and the lines that
/// did run, with the instruction budget still enforced while the line hook is on.
@Suite struct CoverageTests {
    static let source = """
        -- a comment
        local function helper(x)
          if x > 1 then
            return "big"
          end
          return "small"
        end

        function f(x)
          local g = function(y)
            return y * 2
          end
          return helper(x)
        end
        """

    @Test func activeLinesIncludeFunctionsNeverCreated() throws {
        // Line 11 is inside a closure that only exists while f runs: lua_getinfo cannot see it
        // before, the compiled line table does. Lua puts a function's creation on its `end`
        // line (7, 12) and a `function` statement's assignment on its first line (9).
        let lines = try LuaChunkInfo.activeLines(source: Self.source, chunkName: "rules/a.lua")
        #expect(lines == [3, 4, 6, 7, 9, 11, 12, 13, 14])
    }

    @Test func activeLinesReportSyntaxErrorsWithTheirLine() throws {
        #expect {
            _ = try LuaChunkInfo.activeLines(source: "x = 1\nif then\n", chunkName: "rules/bad.lua")
        } throws: { error in
            let e = error as! LuaError
            return e.kind == .syntax && e.chunk == "rules/bad.lua" && e.line == 2
        }
    }

    @Test func coveredLinesAreTheLinesThatRan() throws {
        let lua = try LuaSandbox()
        try lua.startCoverage()
        try lua.run(Self.source, chunkName: "rules/a.lua")
        #expect(try call(lua, "f", "5") == [.string("big")])
        // Loading ran 7, 9 and 14 (defining helper and f); the call ran 12, 13, then 3 and 4.
        // The closure g was created (12) but never called (11).
        #expect(lua.coveredLines()["rules/a.lua"] == [3, 4, 7, 9, 12, 13, 14])
        _ = try call(lua, "f", "0")
        #expect(lua.coveredLines()["rules/a.lua"] == [3, 4, 6, 7, 9, 12, 13, 14])
    }

    @Test func instructionBudgetStillHoldsWithCoverageOn() throws {
        let lua = try LuaSandbox(limits: LuaLimits(instructions: 1_000_000))
        try lua.startCoverage()
        try lua.run("function loop()\n  while true do end\nend", chunkName: "loop.lua")
        #expect {
            _ = try call(lua, "loop")
        } throws: { error in
            (error as! LuaError).kind == .instructionLimit
        }
        #expect(lua.coveredLines()["loop.lua"] == [1, 2, 3])
    }
}
