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

/// Calls global function `name` with `arguments` (Lua source) through the host's own paths: a
/// chunk given to `run` makes the call and keeps each result in a global, read back with `global`.
func call(_ lua: LuaSandbox, _ name: String, _ arguments: String = "") throws(LuaError) -> [LuaValue] {
    try lua.run("""
        local function keep(...)
          __test_results = select('#', ...)
          for i = 1, __test_results do rawset(_G, "__test_result" .. i, (select(i, ...))) end
        end
        keep(\(name)(\(arguments)))
        """, chunkName: "=(test call)")
    let count = lua.global("__test_results").intValue ?? 0
    return (0..<count).map { lua.global("__test_result\($0 + 1)") }
}

/// The error calling global function `name` raises (nil when it returns).
func callError(_ lua: LuaSandbox, _ name: String, _ arguments: String = "") -> LuaError? {
    do {
        _ = try call(lua, name, arguments)
        return nil
    } catch {
        return error
    }
}

/// The value of a Lua expression, through `run` and `global`.
func evaluate(_ lua: LuaSandbox, _ expression: String) throws(LuaError) -> LuaValue {
    try lua.run("__test_value = (" + expression + ")", chunkName: "=(expression)")
    return lua.global("__test_value")
}

/// Calls `functions` with one record built from `layout` and `record` (and a nested record
/// under "extra", empty unless given) the way the host does, with a `LuaRecordCall`.
func recordCall(_ lua: LuaSandbox, layout: LuaRecordLayout, _ record: inout LuaRecordBuffer,
                extra: (layout: LuaRecordLayout, record: LuaRecordBuffer)? = nil,
                functions: [LuaFunctionRef]) throws(LuaError) -> [LuaScalar] {
    let extraLayout = extra?.layout ?? lua.makeLayout([])
    var extraRecord = extra?.record ?? LuaRecordBuffer(count: 0)
    let call = LuaRecordCall(layout: layout, nestedKey: "extra", nestedLayout: extraLayout, functions: functions)
    try call.call(&record, &extraRecord)
    return functions.indices.map { call.result($0).scalar }
}

/// Checks the sandbox still works after a hostile script: a good function defined now runs,
/// and so does one defined before the hostile call when `defined` names it.
func expectUsable(_ lua: LuaSandbox, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try lua.run(
            "function still_fine(x) return string.rep(x, 2) .. #table.concat({1, 2}) .. (('a'):find('a')) end",
            chunkName: "good.lua")
        #expect(try call(lua, "still_fine", "'ok'") == [.string("okok21")], sourceLocation: sourceLocation)
    } catch {
        Issue.record("the sandbox is no longer usable: \(error)", sourceLocation: sourceLocation)
    }
}
