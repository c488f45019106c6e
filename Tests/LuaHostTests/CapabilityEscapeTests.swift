import Testing
@testable import LuaHost

/// Scripts reach nothing outside the sandbox: no files, processes, modules, debug access,
/// bytecode, or the real global table.
@Suite struct CapabilityEscapeTests {
    @Test(arguments: [
        ("os.execute('true')", "attempt to index a nil value (global 'os')"),
        ("io.open('/etc/passwd')", "attempt to index a nil value (global 'io')"),
        ("require('os')", "attempt to call a nil value (global 'require')"),
        ("package.loadlib('libc.so.6', 'system')", "attempt to index a nil value (global 'package')"),
        ("debug.getregistry()", "attempt to index a nil value (global 'debug')"),
        ("dofile('/etc/passwd')", "attempt to call a nil value (global 'dofile')"),
        ("loadfile('/etc/passwd')", "attempt to call a nil value (global 'loadfile')"),
        ("collectgarbage('stop')", "attempt to call a nil value (global 'collectgarbage')"),
        ("string.dump(print)", "attempt to call a nil value (field 'dump')"),
        ("('').dump(print)", "attempt to call a nil value (field 'dump')"),
        ("math.random()", "attempt to call a nil value (field 'random')"),
        ("coroutine.wrap(print)", "attempt to index a nil value (global 'coroutine')"),
        ("getmetatable('').__index.dump(print)", "attempt to index a boolean value"),
    ])
    func missingCapability(source: String, message: String) throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, "local x = 1\n" + source))
        #expect(error.kind == .runtime)
        #expect(error.description == "hostile.lua:2: " + message)
        expectUsable(lua)
    }

    @Test func hostRefusesBytecode() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, "\u{1B}LuaT\0\u{19}\u{93}\r\n\u{1A}\n", chunk: "rules/compiled.lua"))
        #expect(error.kind == .refused)
        #expect(error.description
            == "rules/compiled.lua: precompiled (binary) chunks are not allowed; load Lua source text")
        expectUsable(lua)
    }

    @Test(arguments: [
        #"assert(load("\27LuaT\0\25\147\13\10\26\10"))"#,
        #"assert(load("return 1", "x", "b"))"#,
        #"assert(load("return 1", "x", "bt"))"#,
    ])
    func scriptsCannotLoadBytecode(source: String) throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, source))
        #expect(error.description == "hostile.lua:1: load: binary chunks are not allowed")
        expectUsable(lua)
    }

    @Test func loadOnlyTakesStrings() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, "local parts = {'return 1'}\nload(function() return table.remove(parts) end)"))
        #expect(error.description == "hostile.lua:2: load: only a string of Lua text can be loaded here")
    }

    @Test func loadedChunksSeeTheSandboxNotTheRealGlobals() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        try lua.run("""
            found = {}
            local f = load("return os, io, require, dofile, collectgarbage, string.dump, debug")
            found.default = select('#', f()) == 7 and f() == nil and select(2, f()) == nil
            found.env_is_sandbox = load("return _G")() == _G
            local private = {tostring = tostring}
            found.given_env = load("x = 1 return tostring(print)", "given", "t", private)()
            found.private_x = private.x
            found.leaked_x = x
            found.no_env = select(2, pcall(load("return print", "none", "t", nil)))
            """, chunkName: "escape.lua")
        let found = try #require(lua.global("found").tableValue)
        #expect(found["default"] == .boolean(true))
        #expect(found["env_is_sandbox"] == .boolean(true))
        #expect(found["given_env"] == .string("nil"))
        #expect(found["private_x"] == .integer(1))
        #expect(found["leaked_x"] == .nil)
        // a script's chunk name is shown as Lua shows strings' (names with '@' or '=' are the host's)
        #expect(found["no_env"] == .string("[string \"none\"]:1: attempt to index a nil value (upvalue '_ENV')"))
    }

    @Test func theSandboxHoldsOnlyTheListedGlobals() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        try lua.run("""
            local names = {}
            for name, value in pairs(_G) do
              if type(value) == "table" and name ~= "_G" then
                for field in pairs(value) do names[#names + 1] = name .. "." .. field end
              else
                names[#names + 1] = name
              end
            end
            listed = table.concat(names, " ")
            """, chunkName: "list.lua")
        #expect(lua.global("listed") == .string("""
            _G _VERSION assert error getmetatable ipairs load math.abs math.acos math.asin \
            math.atan math.ceil math.cos math.deg math.exp math.floor math.fmod math.huge math.log \
            math.max math.maxinteger math.min math.mininteger math.modf math.pi math.rad math.sin \
            math.sqrt math.tan math.tointeger math.type math.ult next pairs pcall print rawequal \
            rawget rawlen rawset select setmetatable string.byte string.char string.find \
            string.format string.gmatch string.gsub string.len string.lower string.match \
            string.pack string.packsize string.rep string.reverse string.sub string.unpack \
            string.upper table.concat table.insert table.move table.pack table.remove table.sort \
            table.unpack tonumber tostring type utf8.char utf8.charpattern utf8.codepoint \
            utf8.codes utf8.len utf8.offset xpcall
            """))
    }
}
