import Testing
@testable import LuaHost

/// What `seal()` reaches and how sealed values still behave (the CLI tests in SandboxSealTests
/// show each hole closed whatever the contract order and --jobs).
@Suite struct SealTests {
    func sealed(_ pack: String) throws -> LuaSandbox {
        let lua = try LuaSandbox(limits: hostileLimits)
        try lua.run(pack, chunkName: "pack.lua")
        try lua.seal()
        return lua
    }

    func callError(_ lua: LuaSandbox, _ source: String) -> String? {
        defer { try? lua.resetScratch() }
        return runError(lua, source, chunk: "call.lua")?.description
    }

    @Test func deepTablesAndLongClosureChainsSeal() throws {
        let lua = try sealed("""
            deep = {}
            local cur = deep
            for i = 1, 10000 do cur.x = {} cur = cur.x end
            local f = function() return 0 end
            for i = 1, 10000 do local g = f f = function() return g() + 1 end end
            chain = f
            """)
        #expect(try evaluate(lua, "(function() local n, c = 0, deep while c do n = n + 1 c = c.x end return n end)()")
            == .integer(10001))
        #expect(try evaluate(lua, "chain()") == .integer(10000))
        #expect(callError(lua, "local c = deep for i = 1, 5000 do c = c.x end c.y = 1")
            == "call.lua:1: attempt to change 'y' of a read-only table")
    }

    @Test func tablesUsedAsKeysAreSealedAndStillFindTheirValues() throws {
        let lua = try sealed("local k = {n = 1}\nlookup = {[k] = 'found'}\nfunction key() return k end")
        #expect(try evaluate(lua, "lookup[key()]") == .string("found"))
        #expect(callError(lua, "key().n = 2") == "call.lua:1: attempt to change 'n' of a read-only table")
    }

    @Test func metamethodsSeeTheViewNeverTheTableBehindIt() throws {
        let lua = try sealed("""
            local defaults = {colour = 'blue'}
            obj = setmetatable({size = 3}, {__index = function(t, k) return defaults[k] or rawequal(t, obj) and rawget(t, 'size') end,
                                             __call = function(self) defaults.colour = 'red' end,
                                             __len = function(self) return 99 end})
            """)
        #expect(try evaluate(lua, "obj.colour .. obj.size .. #obj") == .string("blue399"))
        // the __index function was given the view (rawequal), and rawget reads through it
        #expect(try evaluate(lua, "tostring(obj.other)") == .string("3"))
        #expect(callError(lua, "obj()") == "pack.lua:3: attempt to change 'colour' of a read-only table")
    }

    @Test func sealedClassesStillMakeObjects() throws {
        let lua = try sealed("""
            Money = {}
            Money.__index = Money
            function Money.new(v) return setmetatable({v = v}, Money) end
            function Money:twice() return self.v * 2 end
            """)
        #expect(try evaluate(lua, "Money.new(4):twice()") == .integer(8))
        #expect(try evaluate(lua, "getmetatable(Money.new(1)) == Money") == .boolean(true))
        // the object is the script's own; its metatable is protected like the class
        #expect(try evaluate(lua, "(function() local m = Money.new(1) m.v = 5 return m:twice() end)()") == .integer(10))
        #expect(callError(lua, "setmetatable(Money.new(1), {})") == "call.lua:1: cannot change a protected metatable")
    }

    @Test func nextFollowsPairs() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        #expect(try evaluate(lua, """
            (function()
              local t = {b = 1, a = 2, [3] = 'x', [1.5] = 'y', [true] = 0, c = 3}
              local order, k = {}, nil
              repeat k = next(t, k) order[#order + 1] = tostring(k) until k == nil
              local viaPairs = {}
              for key in pairs(t) do viaPairs[#viaPairs + 1] = tostring(key) end
              return table.concat(order, ' ') .. ' | ' .. table.concat(viaPairs, ' ')
            end)()
            """) == .string("1.5 3 a b c true nil | 1.5 3 a b c true"))
        #expect(try evaluate(lua, "next({})") == .nil)
        #expect(throws: LuaError.self) { try evaluate(lua, "next({a = 1}, 'zz')") }
    }

    @Test(arguments: [
        ("return next({[{}] = 1})", "hostile.lua:1: a table with table keys has no fixed order to visit (keep such values in a list and use ipairs)"),
        ("for k in pairs({[print] = 1}) do end", "hostile.lua:1: a table with function keys has no fixed order to visit (keep such values in a list and use ipairs)"),
        ("setmetatable({}, _G)", "hostile.lua:1: setmetatable: the environment cannot be a metatable"),
    ])
    func orderThatWouldDependOnAddressesIsRefused(source: String, message: String) throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        #expect(runError(lua, source)?.description == message)
        expectUsable(lua)
    }

    @Test func metatablesKeepTheirGuardOutOfSight() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        #expect(try evaluate(lua, """
            (function()
              local mt, base = {}, {__index = {a = 1}}
              local t = setmetatable({}, mt)
              local plain = getmetatable(mt) == nil
              setmetatable(mt, base)        -- a metatable may still get a metatable of its own
              mt.__index = mt               -- and new fields, passed on as before
              return tostring(plain) .. tostring(getmetatable(mt) == base) .. t.a .. tostring(rawget(mt, '__index') == mt)
            end)()
            """) == .string("truetrue1true"))
    }

    @Test func aFailedSealNamesTheGlobalAndItsFile() throws {
        let lua = try LuaSandbox(limits: LuaLimits(instructions: 200_000_000, timeLimit: .seconds(120), memoryBytes: 16 << 20))
        try lua.run("local t = {}\nfor i = 1, 150000 do t[i] = {} end\nbig = t", chunkName: "rules/big.lua")
        var failure: LuaError?
        do throws(LuaError) { try lua.seal() } catch { failure = error }
        let error = try #require(failure)
        #expect(error.kind == .memoryLimit)
        #expect(error.description == "rules/big.lua: memory limit of 16 MiB exceeded while sealing 'big'")
    }
}
