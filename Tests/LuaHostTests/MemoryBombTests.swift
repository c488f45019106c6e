import Testing
@testable import LuaHost

/// The allocator refuses memory past the cap; the error names the line that asked for it.
@Suite struct MemoryBombTests {
    static let limits = LuaLimits(instructions: 200_000_000, timeLimit: .seconds(120), memoryBytes: 32 << 20)

    @Test(arguments: [
        (#"local s = string.rep("x", 1e9)"#, 2),
        (#"local s = string.rep("x", 1e7, string.rep(",", 100))"#, 2),
        ("local s = 'x'\nwhile true do s = s .. s end", 3),
        ("local t = {}\nfor i = 1, 1e9 do t[i] = i end", 3),
        ("local t = {}\nfor i = 1, 1e9 do t[i] = {} end", 3),
        ("local t = {}\nfor i = 1, 1e9 do t['k' .. i] = true end", 3),
        ("local t = {}\nfor i = 1, 20 do t[i] = string.rep('x', 1e6) end\nlocal s = table.concat(t)", 4),
        (#"local s = string.rep("x", 1e5):gsub(".", string.rep("y", 1000))"#, 2),
        (#"local s = string.format("%s%s", string.rep("x", 2e7), string.rep("y", 2e7))"#, 2),
        (#"local s = string.pack("c200000000", "")"#, 2),
        ("local s = load(string.rep('x = 1 ', 1e7))", 2),
    ])
    func cappedAllocation(source: String, line: Int) throws {
        let lua = try LuaSandbox(limits: Self.limits)
        let error = try #require(runError(lua, "local x = 1\n" + source))
        #expect(error.kind == .memoryLimit)
        #expect(error.description == "hostile.lua:\(line): memory limit of 32 MiB exceeded")
        #expect(lua.memoryPeak <= 32 << 20)
        expectUsable(lua)
    }

    @Test func garbageNearTheCapIsCollectedNotCountedAgainstTheScript() throws {
        // 8 MB strings (16 MB while being built) and their garbage, 32 MB cap: only what is
        // still held must fit.
        let lua = try LuaSandbox(limits: Self.limits)
        try lua.run("""
            for round = 1, 20 do
              local s = string.rep("x", 8e6)
              assert(#s == 8e6)
            end
            """, chunkName: "churn.lua")
        expectUsable(lua)
    }
}
