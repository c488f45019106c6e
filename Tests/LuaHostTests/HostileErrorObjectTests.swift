import Testing
@testable import LuaHost

/// Whatever a script throws, the host gets a bounded, readable message naming the chunk and
/// line, and runs none of the error object's code.
@Suite struct HostileErrorObjectTests {
    @Test(arguments: [
        ("error({})", "error object is a table value"),
        ("error({message = 'custom message'})", "custom message"),
        ("error({message = {}})", "error object is a table value"),
        ("error(setmetatable({}, {__tostring = function() error('boom') end}))", "error object is a table value"),
        ("error(setmetatable({}, {__tostring = function() while true do end end}))", "error object is a table value"),
        ("error(setmetatable({}, {__index = function() while true do end end}))", "error object is a table value"),
        ("error(nil)", "error with no message (nil)"),
        ("error()", "error with no message (nil)"),
        ("error(true)", "error object is a boolean value"),
        ("error(42)", "42"),
        ("error(0.5)", "0.5"),
        ("error(print)", "error object is a function value"),
        ("error('plain', 0)", "plain"),
        ("error('from the caller', 2)", "from the caller"),
        ("error('with \\0 byte')", "with \u{0} byte"),
    ])
    func readableMessage(source: String, message: String) throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, "local x = 1\n" + source))
        #expect(error.kind == .runtime)
        #expect(error.chunk == "hostile.lua")
        #expect(error.line == 2)
        #expect(error.message == message)
        expectUsable(lua)
    }

    @Test func hugeMessagesAreCut() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, "error(string.rep('x', 1e7))"))
        #expect(error.description == "hostile.lua:1: " + String(repeating: "x", count: 2048 - 15) + "... (message cut)")
        expectUsable(lua)
    }

    @Test func errorsFromFunctionsNameTheFunctionsChunk() throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        try lua.run("function tier(c)\n  local t = {}\n  return t.missing.field\nend", chunkName: "rules/tiering.lua")
        try lua.run("function thrower() error({}) end", chunkName: "rules/other.lua")
        let error = try #require(callError(lua, "tier"))
        #expect(error.description == "rules/tiering.lua:3: attempt to index a nil value (field 'missing')")
        let tableError = try #require(callError(lua, "thrower"))
        #expect(tableError.description == "rules/other.lua:1: error object is a table value")
        expectUsable(lua)
    }
}
