import Testing
@testable import LuaHost

/// Small limits so hostile scripts are stopped after little work (and the suite stays fast);
/// the instruction budget, not the clock, stops them (the time limit is far away), so no
/// test depends on machine speed.
let hostileLimits = LuaLimits(instructions: 2_000_000, timeLimit: .seconds(120), memoryBytes: 32 << 20)

/// The error a chunk raises when run as `chunk` (nil when it runs to the end).
func runError(_ lua: LuaSandbox, _ source: String, chunk: String = "hostile.lua") -> LuaError? {
    do {
        try lua.run(source, chunkName: chunk)
        return nil
    } catch {
        return error
    }
}

/// The error calling global function `name` raises (nil when it returns).
func callError(_ lua: LuaSandbox, _ name: String, _ arguments: [LuaScalar] = []) throws -> LuaError? {
    let function = try #require(lua.function(name))
    do {
        _ = try lua.call(function, arguments)
        return nil
    } catch {
        return error
    }
}

/// Checks the sandbox still works after a hostile script: a good function defined now runs,
/// and so does one defined before the hostile call when `defined` names it.
func expectUsable(_ lua: LuaSandbox, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try lua.run(
            "function still_fine(x) return string.rep(x, 2) .. #table.concat({1, 2}) .. (('a'):find('a')) end",
            chunkName: "good.lua")
        let function = try #require(lua.function("still_fine"), sourceLocation: sourceLocation)
        #expect(try lua.call(function, [.string("ok")]) == [.string("okok21")], sourceLocation: sourceLocation)
    } catch {
        Issue.record("the sandbox is no longer usable: \(error)", sourceLocation: sourceLocation)
    }
}
