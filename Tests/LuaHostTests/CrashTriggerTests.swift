import Testing
@testable import LuaHost

/// Scripts that crash or corrupt a naive host on Lua 5.4.4 end in a clean error naming the
/// chunk, and the process and the sandbox carry on.
@Suite struct CrashTriggerTests {
    @Test(arguments: [
        // C-stack overflow through metamethods and C callbacks
        ("return setmetatable({}, {__index = function(t, k) return t[k] end}).x", "C stack overflow"),
        ("local t = setmetatable({}, {__newindex = function(t, k, v) t[k] = v end})\nt.x = 1", "C stack overflow"),
        ("local mt = {}\nmt.__concat = function(a, b) return a .. b end\nreturn setmetatable({}, mt) .. 'x'", "C stack overflow"),
        ("local mt = {}\nmt.__lt = function(a, b) return a < b end\nlocal t = setmetatable({}, mt)\nreturn t < t", "C stack overflow"),
        ("local function f(s) return (string.gsub(s, '.', f)) end\nreturn f('ab')", "C stack overflow"),
        ("local function f() return tostring(setmetatable({}, {__tostring = f})) end\nreturn f()", "C stack overflow"),
        ("local function f() table.sort({1, 2, 3}, function(a, b) f() return a < b end) end\nf()", "C stack overflow"),
        ("local function f(n) local ok, e = pcall(f, n + 1) error(e, 0) end\nf(1)", "C stack overflow"),
        // library misuse
        ("table.sort({5, 1, 4, 2, 3, 9, 8, 7, 6, 10, 11, 12}, function(a, b) return true end)", "invalid order function for sorting"),
        ("return select('#', table.unpack({}, 1, 1e8))", "too many results to unpack"),
        ("return string.format('%99999999d', 1)", "invalid conversion specification: '%99999999d'"),
        ("return string.pack('i17', 1)", "integral size (17) out of limits [1,16]"),
        ("return string.packsize('c9000000000000000000')", "invalid format option '0'"),
        ("return string.packsize(string.rep('c2000000000', 2))", "bad argument #1 to 'packsize' (format result too large)"),
        ("return utf8.char(0x80000000)", "bad argument #1 to 'char' (value out of range)"),
        ("return utf8.char(-1)", "bad argument #1 to 'char' (value out of range)"),
        ("return utf8.len('\\xff\\x80', 1, -1, true) .. utf8.codepoint('\\xff')", "invalid UTF-8 code"),
        ("return string.rep('x', 1 << 40, ',')", "resulting string too large"),
        // features refused because they run outside any call's limits or crash 5.4.4
        ("setmetatable({}, {__gc = function() while true do end end})", "setmetatable: '__gc' metamethods are not allowed in rules"),
        ("local x <close> = setmetatable({}, {__close = function() end})", "setmetatable: '__close' metamethods are not allowed in rules"),
        ("setmetatable({}, {__mode = 'k'})", "setmetatable: '__mode' metamethods are not allowed in rules"),
        ("local x <close> = {}", "variable 'x' got a non-closable value"),
    ])
    func cleanError(source: String, message: String) throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, source))
        #expect(error.kind == .runtime)
        #expect(error.chunk == "hostile.lua")
        #expect(error.message == message)
        expectUsable(lua)
    }

    @Test func errorLoopsInHandlersEndCleanly() throws {
        // CVE-2022-33099 territory: errors while handling a C-stack overflow.
        let lua = try LuaSandbox(limits: hostileLimits)
        try lua.run("""
            local function loop() assert(pcall(loop)) end
            ok, message = xpcall(loop, loop)
            local function nest() pcall(nest) end
            nest()
            """, chunkName: "handlers.lua")
        #expect(lua.global("ok") == .boolean(false))
        #expect(lua.global("message") == .string("error in error handling"))
        expectUsable(lua)
    }

    @Test(arguments: [
        ("local function f() return 1 + f() end\nreturn f()", 1),
        ("local mt = {}\nmt.__call = function(self) return (self()) end\nreturn setmetatable({}, mt)()", 2),
    ])
    func luaStackOverflow(source: String, line: Int) throws {
        let lua = try LuaSandbox()  // the default 256 MiB: room for Lua's whole stack
        let error = try #require(runError(lua, source))
        #expect(error.kind == .runtime)
        #expect(error.description == "hostile.lua:\(line): stack overflow")
        expectUsable(lua)
    }

    @Test func deeplyNestedChunksAreCompileErrors() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let deep = "return " + String(repeating: "(", count: 1_000_000) + "1" + String(repeating: ")", count: 1_000_000)
        let error = try #require(runError(lua, deep, chunk: "deep.lua"))
        #expect(error.kind == .syntax)
        #expect(error.description == "deep.lua: C stack overflow")
        // and the same from a script
        let fromScript = try #require(runError(lua, """
            local f, message = load("return " .. string.rep("{", 1e6))
            error(message)
            """))
        #expect(fromScript.description == "hostile.lua:2: C stack overflow")
        expectUsable(lua)
    }

    @Test func typeNamesFromMetatablesStayBounded() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        #expect(try evaluate(lua, "tostring(setmetatable({}, {__name = 'Contract'})):match('^Contract: ') ~= nil") == .boolean(true))
        #expect(try evaluate(lua, "tostring(setmetatable({}, {__name = 42})):match('^table: ') ~= nil") == .boolean(true))
        let error = try #require(runError(lua, "return setmetatable({}, {__name = string.rep('N', 1e6)}) + 1"))
        #expect(error.message.hasPrefix("attempt to perform arithmetic on a NNNN"))
        #expect(error.message.hasSuffix("... (message cut)"))
        #expect(error.message.utf8.count < 2100)
    }
}
