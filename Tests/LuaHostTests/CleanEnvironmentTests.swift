import Testing
@testable import LuaHost

/// After `seal()`, nothing a call writes is seen by the next one: new globals land in a
/// scratch layer that `resetScratch()` empties, and everything defined before is read-only.
@Suite struct CleanEnvironmentTests {
    static let pack = """
        settings = {threshold = 10, nested = {a = 1}, list = {1, 2, 3}}
        local cache = {}
        local Class = setmetatable({}, {__index = function(t, k) return "default " .. k end})
        classy = Class
        function remember(k) cache[k] = true end
        function read(name) return _G[name] end
        function threshold() return settings.threshold, settings.nested.a, #settings.list end
        function write_global() leaked = "yes" end
        function write_through_G() _G.leaked_G = "yes" end
        function write_through_ENV() _ENV.leaked_ENV = "yes" end
        function write_rawset() rawset(_G, "leaked_raw", "yes") end
        function shadow_base() tostring = function() return "hijacked" end; string = {rep = function() return "!" end} end
        function uses_base() return tostring(1) .. string.rep("a", 2) end
        function both() counter = (counter or 0) + 1 counter = counter + 1 return counter end
        function classy_write() classy.x = 1 end
        function classy_read() return classy.anything end
        """

    func sealedSandbox() throws -> LuaSandbox {
        let lua = try LuaSandbox(limits: hostileLimits)
        try lua.run(Self.pack, chunkName: "pack.lua")
        try lua.seal()
        return lua
    }

    /// Calls `name` (see Support.swift), then forgets the globals it wrote, as the host does.
    func call(_ lua: LuaSandbox, _ name: String, _ arguments: String = "") throws -> [LuaValue] {
        defer { try? lua.resetScratch() }
        return try LuaHostTests.call(lua, name, arguments)
    }

    @Test(arguments: [
        ("write_global", "leaked"), ("write_through_G", "leaked_G"),
        ("write_through_ENV", "leaked_ENV"), ("write_rawset", "leaked_raw"),
    ])
    func globalsWrittenInOneCallAreGoneInTheNext(writer: String, name: String) throws {
        let lua = try sealedSandbox()
        _ = try call(lua, writer)
        #expect(try call(lua, "read", "'\(name)'") == [.nil])
    }

    @Test func aCallSeesItsOwnWrites() throws {
        let lua = try sealedSandbox()
        #expect(try call(lua, "both") == [.integer(2)])
        #expect(try call(lua, "both") == [.integer(2)])
    }

    @Test func shadowedBaseFunctionsComeBack() throws {
        let lua = try sealedSandbox()
        _ = try LuaHostTests.call(lua, "shadow_base")
        #expect(try call(lua, "uses_base") == [.string("hijacked!")]) // not reset yet: the shadow holds
        #expect(try call(lua, "uses_base") == [.string("1aa")])
    }

    @Test(arguments: [
        ("settings.threshold = 99", "hostile.lua:2: attempt to change 'threshold' of a read-only table"),
        ("settings.nested.a = 2", "hostile.lua:2: attempt to change 'a' of a read-only table"),
        ("settings.new = 1", "hostile.lua:2: attempt to change 'new' of a read-only table"),
        ("table.insert(settings.list, 4)", "hostile.lua:2: attempt to change '4' of a read-only table"),
        ("table.sort(settings.list, function(a, b) return a > b end)", "hostile.lua:2: attempt to change '1' of a read-only table"),
        ("rawset(settings, 'threshold', 99)", "hostile.lua:2: attempt to change 'threshold' of a read-only table"),
        ("string.len = nil", "hostile.lua:2: attempt to change 'len' of a read-only table"),
        ("rawset(string, 'len', function() return 0 end)", "hostile.lua:2: attempt to change 'len' of a read-only table"),
        ("setmetatable(settings, {})", "hostile.lua:2: cannot change a protected metatable"),
        ("setmetatable(_G, {})", "hostile.lua:2: cannot change a protected metatable"),
        ("getmetatable('').__index.len = nil", "hostile.lua:2: attempt to index a boolean value"),
        ("remember('k')", "pack.lua:5: attempt to change 'k' of a read-only table"),
        ("classy_write()", "pack.lua:15: attempt to change 'x' of a read-only table"),
    ])
    func sealedTablesAreReadOnly(source: String, message: String) throws {
        let lua = try sealedSandbox()
        let error = try #require(runError(lua, "local x = 1\n" + source))
        #expect(error.kind == .runtime)
        #expect(error.description == message)
        try lua.resetScratch()
        #expect(try call(lua, "threshold") == [.integer(10), .integer(1), .integer(3)])
        #expect(try call(lua, "uses_base") == [.string("1aa")])
        #expect(try call(lua, "classy_read") == [.string("default anything")])
    }

    /// `next` sees through a read-only table as `pairs` does (its first key in pairs order).
    @Test func readOnlyTablesStillReadLikeTables() throws {
        let lua = try sealedSandbox()
        try lua.run("""
            function inspect()
              local keys = {}
              for k, v in pairs(settings) do keys[#keys + 1] = k end
              local sum = 0
              for _, v in ipairs(settings.list) do sum = sum + v end
              return table.concat(keys, ","), sum, #settings.list, settings.list[2],
                table.concat(settings.list, "+"), getmetatable(settings), (next(settings))
            end
            """, chunkName: "inspect.lua")
        #expect(try call(lua, "inspect") == [.string("list,nested,threshold"), .integer(6), .integer(3), .integer(2),
                                            .string("1+2+3"), .boolean(false), .string("list")])
    }

    @Test func theEnvironmentIsProtectedBeforeSealingToo() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, "setmetatable(_G, {__newindex = function() end})"))
        #expect(error.description == "hostile.lua:1: cannot change a protected metatable")
        #expect(try evaluate(lua, "getmetatable(_G)") == .boolean(false))
        try lua.seal()
        #expect(throws: LuaError(kind: .runtime, message: "the environment is already sealed")) { try lua.seal() }
    }

    @Test func recordsAreReadOnly() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        try lua.run("function tier(c) c.value = 1 return 'Gold' end\nfunction raw(c) rawset(c, 'value', 1) end",
                    chunkName: "rules/tier.lua")
        try lua.seal()
        let layout = lua.makeLayout(["id", "value"])
        var record = LuaRecordBuffer(count: 2)
        record.set(0, string: "C-1")
        for (name, line) in [("tier", 1), ("raw", 2)] {
            let function = try #require(lua.function(name))
            do {
                _ = try recordCall(lua, layout: layout, &record, functions: [function])
                Issue.record("\(name) changed a read-only record")
            } catch {
                #expect(error.description == "rules/tier.lua:\(line): attempt to change 'value' of a read-only table")
                #expect(error.function == name)
            }
        }
    }
}
