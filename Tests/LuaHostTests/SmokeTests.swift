import Testing
@testable import LuaHost

@Suite struct SmokeTests {
    @Test func runsAndCalls() throws {
        let lua = try LuaSandbox()
        try lua.run("function add(a, b) return a + b end\nx = {1, 2, k = 'v'}", chunkName: "rules/a.lua")
        #expect(try call(lua, "add", "2, 3") == [.integer(5)])
        #expect(lua.global("x") == .table(LuaTable(array: [.integer(1), .integer(2)], entries: [.init(key: .string("k"), value: .string("v"))])))
    }

    @Test func syntaxErrorNamesChunkAndLine() throws {
        let lua = try LuaSandbox()
        #expect {
            try lua.run("x = 1\ny = = 2", chunkName: "rules/bad.lua")
        } throws: { error in
            let e = error as! LuaError
            return e.kind == .syntax && e.chunk == "rules/bad.lua" && e.line == 2
        }
    }

    @Test func endlessLoopStopsEvenUnderPcall() throws {
        let lua = try LuaSandbox(limits: LuaLimits(instructions: 1_000_000))
        try lua.run("function f() while true do pcall(function() while true do end end) end end", chunkName: "loop.lua")
        #expect {
            _ = try call(lua, "f")
        } throws: { error in
            (error as! LuaError).kind == .instructionLimit
        }
    }

    @Test func recordCall() throws {
        let lua = try LuaSandbox()
        try lua.run("function tier(c) return c.value > 10 and 'Gold' or 'Bronze' end\nfunction score(c) return c.value * 2 + #c.extra.note end", chunkName: "r.lua")
        try lua.seal()
        let layout = lua.makeLayout(["id", "value"])
        let extra = lua.makeLayout(["note"])
        var rec = LuaRecordBuffer(count: 2)
        var ex = LuaRecordBuffer(count: 1)
        rec.set(0, string: "C-1")
        rec.set(1, integer: 20)
        ex.set(0, string: "abc")
        let fns = [try #require(lua.function("tier")), try #require(lua.function("score"))]
        let out = try LuaHostTests.recordCall(lua, layout: layout, &rec, extra: (extra, ex), functions: fns)
        #expect(out == [.string("Gold"), .integer(43)])
    }
}
