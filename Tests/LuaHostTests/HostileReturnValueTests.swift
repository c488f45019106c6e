import Testing
@testable import LuaHost

/// Copying a script's results into Swift survives whatever the script returns, uses raw
/// access only (no metamethod runs) and stays bounded.
@Suite struct HostileReturnValueTests {
    static let limits = LuaLimits(instructions: 20_000_000, memoryBytes: 64 << 20, maxStringBytes: 1000,
                                  maxDepth: 8, maxEntries: 1000, maxTotalBytes: 10_000)

    func results(_ body: String, limits: LuaLimits = limits) throws -> [LuaValue] {
        let lua = try LuaSandbox(limits: limits)
        try lua.run("function f()\n" + body + "\nend", chunkName: "values.lua")
        return try call(lua, "f")
    }

    @Test func cycles() throws {
        let value = try results("local t = {1} t.self = t t[2] = t return t")
        #expect(value == [.table(LuaTable(array: [.integer(1), .unsupported("cycle")],
                                          entries: [.init(key: .string("self"), value: .unsupported("cycle"))]))])
    }

    @Test func depthBomb() throws {
        let value = try results("local t = {} for i = 1, 100000 do t = {t} end return t")
        var expected = LuaValue.unsupported("nested too deep")
        for _ in 0..<8 { expected = .table(LuaTable(array: [expected])) }
        #expect(value == [expected])
    }

    @Test func sharedTablesAreCopiedOnce() throws {
        // 2^60 paths through 60 levels of shared tables: copied once per table.
        let value = try results("local t = {} for i = 1, 60 do t = {a = t, b = t} end return t",
                                limits: LuaLimits(maxDepth: 100))
        var node = try #require(value.first)
        var depth = 0
        while case .table(let table) = node, table.entries.count == 2 {
            #expect(table["a"] == table["b"])
            node = table["a"]
            depth += 1
        }
        #expect(depth == 60)
    }

    @Test func metamethodTrapsAreNotRun() throws {
        let value = try results("""
            local trap = function() while true do end end
            return setmetatable({1, 2, x = 3}, {__index = trap, __pairs = trap, __len = trap,
              __eq = trap, __tostring = trap, __lt = trap, __name = "Trap", __metatable = "locked"})
            """)
        #expect(value == [.table(LuaTable(array: [.integer(1), .integer(2)],
                                          entries: [.init(key: .string("x"), value: .integer(3))]))])
    }

    @Test func specialNumbers() throws {
        let value = try results("return 0/0, 1/0, -1/0, math.maxinteger, math.mininteger, math.maxinteger + 1, 2^63, -0.0, 3.0")
        #expect(value.count == 9)
        #expect(value[0].doubleValue?.isNaN == true)
        #expect(Array(value[1...]) == [.number(.infinity), .number(-.infinity), .integer(.max), .integer(.min),
                                       .integer(.min), .number(9.223372036854775808e18), .number(-0.0), .number(3)])
        #expect(value.dropFirst().map(\.description) == ["inf", "-inf", "9223372036854775807", "-9223372036854775808",
                                                         "-9223372036854775808", "9.2233720368548e+18", "-0.0", "3.0"])
    }

    @Test func nulBytesAndInvalidUTF8() throws {
        let value = try results(#"return "a\0b", "\255\254ok""#)
        #expect(value == [.string("a\u{0}b"), .string("\u{FFFD}\u{FFFD}ok")])
    }

    @Test func longStringsAreCut() throws {
        let value = try results(#"return string.rep("x", 5000000)"#)
        #expect(value == [.string(String(repeating: "x", count: 1000) + "… (4999000 more bytes)")])
    }

    @Test func manyCopiesOfALongStringStayWithinTheByteBudget() throws {
        let value = try results(#"local s = string.rep("y", 1000000) local t = {} for i = 1, 1000 do t[i] = s end return t"#)
        let array = try #require(value.first?.tableValue?.array)
        #expect(array.count == 1000)
        #expect(array[9] == .string(String(repeating: "y", count: 1000) + "… (999000 more bytes)"))
        #expect(array[10] == .string("… (1000000 more bytes)"))
    }

    @Test func hugeTablesAreCut() throws {
        let value = try results("local t = {} for i = 1, 100000 do t[i] = i t['k' .. i] = i end return t")
        let table = try #require(value.first?.tableValue)
        #expect(table.array.count == 1000)
        #expect(table.entries.isEmpty)
    }

    @Test func keysComeInAFixedOrder() throws {
        let value = try results("""
            return {[true] = "t", [false] = "f", b = 2, a = 1, [2.5] = "x", [-3] = "y", [10] = "z",
                    [1] = "one", [{}] = "table key"}
            """)
        let table = try #require(value.first?.tableValue)
        #expect(table.array == [.string("one")])
        #expect(table.entries.map(\.key.description) == ["-3", "2.5", "10", "a", "b", "false", "true", "{}"])
    }

    @Test func functionsAndOtherValues() throws {
        let value = try results("return print, function() end, string.gmatch('a', 'a')")
        #expect(value == [.function, .function, .function])
    }

    @Test func recordCallResultsAreBounded() throws {
        let lua = try LuaSandbox(limits: Self.limits)
        try lua.run(#"function tier(c) return string.rep("G", 1e6) end function score(c) return {} end"#, chunkName: "r.lua")
        try lua.seal()
        let layout = lua.makeLayout(["id"])
        var record = LuaRecordBuffer(count: 1)
        record.set(0, string: "C-1")
        let out = try recordCall(lua, layout: layout, &record, functions: [
            try #require(lua.function("tier")), try #require(lua.function("score")),
        ])
        #expect(out == [.string(String(repeating: "G", count: 1000) + "… (999000 more bytes)"), .other("table")])
    }

    @Test func hostFunctionArgumentsAndPrintAreBounded() throws {
        let lua = try LuaSandbox(limits: Self.limits)
        var received: [LuaScalar] = []
        try lua.register("take") { _, args in received = args; return [] }
        try lua.run(#"take(string.rep("a", 1e6), 1) print(string.rep("p", 1e5))"#, chunkName: "host.lua")
        #expect(received == [.string(String(repeating: "a", count: 1000) + "… (999000 more bytes)"), .integer(1)])
        #expect(lua.printed == [String(repeating: "p", count: 1000) + "… (99000 more bytes)"])
    }
}
