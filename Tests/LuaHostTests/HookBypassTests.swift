import Testing
@testable import LuaHost

/// Catching the limit error does not buy more time: once a limit trips, the hook fires on
/// every instruction and message handlers are skipped.
@Suite struct HookBypassTests {
    static let loops = [
        ("while true do pcall(function() while true do end end) end", 1),
        ("local function spin() while true do end end\nwhile true do pcall(spin) pcall(spin) end", 2),
        // a message handler that loops would run with hooks off (Lua is inside the hook call)
        ("xpcall(function() while true do end end, function(e) while true do end end)", 1),
        ("local n = 0\nwhile true do xpcall(function() while true do end end, function(e) n = n + 1 while true do end end) end", 2),
        ("local function rethrow(e) error(e, 0) end\nwhile true do xpcall(function() while true do end end, rethrow) end", 2),
        // the error of a limit reached inside a C function, caught
        (#"while true do pcall(string.find, string.rep("a", 30000), ".-.-.-.-.-.-b") end"#, 1),
        ("while true do pcall(table.move, {}, 1, 1e15, 1) end", 1),
        // a callback from C (gsub, sort) that loops
        (#"string.gsub("abc", ".", function() while true do end end)"#, 1),
        ("table.sort({3, 2, 1}, function(a, b) while true do end end)", 1),
        ("pcall(table.sort, {3, 2, 1}, function(a, b) while true do end end) while true do end", 1),
        // a limit error turned into a value and returned from the loop
        ("for i = 1, 10 do local ok, e = pcall(function() while true do end end) end", 1),
    ]

    @Test(arguments: loops)
    func limitErrorsCannotBeSwallowed(source: String, line: Int) throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, source))
        #expect(error.kind == .instructionLimit)
        #expect(error.description == "hostile.lua:\(line): instruction limit of 2000000 exceeded (an endless loop?)")
        expectUsable(lua)
    }

    /// The same loops without an instruction budget (the default): the watchdog's stop hook
    /// ends them at the time limit, and catching its error buys no more time either.
    @Test(arguments: loops)
    func timeLimitErrorsCannotBeSwallowed(source: String, line: Int) throws {
        let lua = try LuaSandbox(limits: LuaLimits(timeLimit: .milliseconds(200), memoryBytes: 32 << 20))
        let error = try #require(runError(lua, source))
        #expect(error.kind == .timeLimit)
        #expect(error.description == "hostile.lua:\(line): time limit of 0.2 seconds exceeded")
        expectUsable(lua)
    }

    @Test func memoryErrorsCannotBeSwallowed() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, """
            local ok, e = pcall(string.rep, "x", 1e9)
            while true do end
            """))
        #expect(error.kind == .memoryLimit)
        #expect(error.description == "hostile.lua:1: memory limit of 32 MiB exceeded")
        expectUsable(lua)
    }

    @Test func ordinaryErrorsStillReachHandlers() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        #expect(try evaluate(lua, #"select(2, xpcall(error, function(e) return "handled: " .. e end, "oops", 0))"#)
            == .string("handled: oops"))
        #expect(try evaluate(lua, "select('#', pcall(function(...) return ... end, 1, nil, 3))") == .integer(4))
        #expect(try evaluate(lua, "select(2, pcall(error, {code = 7})).code") == .integer(7))
    }
}
