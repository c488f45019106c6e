import Foundation
import Testing
@testable import LuaHost

/// Single C calls that never return to the Lua VM (so the instruction hook never fires)
/// are stopped by the work they do: the hardened matcher and table functions charge their
/// steps to the same budget, and the parser is fed piece by piece.
@Suite struct CPUBurnTests {
    static let stopped = "instruction limit of 2000000 exceeded (an endless loop?)"

    @Test(arguments: [
        // catastrophic backtracking: hours in the stock matcher
        #"string.find(string.rep("a", 30000), ".-.-.-.-.-.-b")"#,
        #"local s = string.rep("a", 30000) return s:match(".-.-.-.-.-.-b")"#,
        #"for m in string.rep("a", 30000):gmatch(".-.-.-.-.-b") do end"#,
        #"string.gsub(string.rep("a", 5000), "a*a*a*a*a*b", "")"#,
        #"string.find(string.rep("(", 30000), "%b()%b()%b()%b()%b()x")"#,
        // a plain find with a quadratic worst case
        #"string.find(string.rep("a", 1000000), string.rep("a", 500000) .. "b", 1, true)"#,
        // table functions looping over ranges that hold nothing
        #"table.move({}, 1, 1e15, 1)"#,
        #"table.insert(setmetatable({}, {__len = function() return 1e15 end}), 1, 'x')"#,
        #"table.remove(setmetatable({}, {__len = function() return 1e15 end}), 1)"#,
        #"table.concat(setmetatable({}, {__len = function() return 1e9 end, __index = type}))"#,
        #"table.sort(setmetatable({}, {__len = function() return 1e8 end, __index = type}))"#,
        #"table.unpack(setmetatable({}, {__len = function() return 900000 end, __index = type}))"#,
        // a long replacement applied at every position: work that makes no output
        #"string.gsub(string.rep("a", 1e5), "", string.rep("%0", 1e4))"#,
        // a huge [...] class scanned for every character
        #"string.find(string.rep("a", 1e5), "[" .. string.rep("b", 1e5) .. "]")"#,
        // stock functions whose work grows with their input, in a loop: charged by the byte
        #"local s = string.rep("a", 1e7) while true do utf8.len(s) end"#,
        #"local s = string.rep("a", 1e7) while true do local u = s:upper() end"#,
        #"local s = string.rep("a", 1e6) while true do local f = string.format("%s", s) end"#,
    ])
    func stoppedInsideOneCCall(source: String) throws {
        let lua = try LuaSandbox(limits: hostileLimits)
        let error = try #require(runError(lua, "local x = 1\n" + source))
        #expect(error.kind == .instructionLimit)
        #expect(error.description == "hostile.lua:2: " + Self.stopped)
        expectUsable(lua)
    }

    @Test func emptyRepetitionCostsNothing() throws {
        // The stock string.rep loops 1e18 times copying nothing.
        let lua = try LuaSandbox(limits: hostileLimits)
        #expect(try evaluate(lua, #"#string.rep("", 1e18) + #string.rep("", 1e18, "")"#) == .integer(0))
        #expect(try evaluate(lua, #"string.rep("ab", 3, ", ") .. string.rep("x", 1) .. string.rep("y", 0)"#)
            == .string("ab, ab, abx"))
    }

    @Test func parsingAHugeChunkIsCharged() throws {
        let lua = try LuaSandbox(limits: LuaLimits(instructions: 1_000_000, timeLimit: .seconds(120), memoryBytes: 64 << 20))
        let error = try #require(runError(lua, """
            local text = string.rep("x = 1 ", 1000000)
            local f, message = load(text)
            return message
            """))
        // load reports the stop to the script, which is stopped again at its next instruction
        #expect(error.kind == .instructionLimit)
        #expect(error.description == "hostile.lua:3: instruction limit of 1000000 exceeded (an endless loop?)")
        expectUsable(lua)
    }

    @Test func wallClockStopsACCallWhenTheBudgetIsUnlimited() throws {
        // The one test that relies on the clock: the pattern needs hours, the limit is short.
        let lua = try LuaSandbox(limits: LuaLimits(instructions: .max, timeLimit: .milliseconds(200)))
        let error = try #require(runError(lua, #"string.find(string.rep("a", 30000), ".-.-.-.-.-.-b")"#))
        #expect(error.kind == .timeLimit)
        #expect(error.description == "hostile.lua:1: time limit of 0.2 seconds exceeded")
        expectUsable(lua)
    }

    @Test func wallClockStopsBigCCallsInALoop() throws {
        // Each upper() is one short C call on 8 MB: the allocator checks the clock.
        let lua = try LuaSandbox(limits: LuaLimits(instructions: .max, timeLimit: .milliseconds(200), memoryBytes: 64 << 20))
        let error = try #require(runError(lua, """
            local s = string.rep("x", 8000000)
            while true do local u = s:upper() end
            """))
        #expect(error.kind == .timeLimit)
        #expect(error.description == "hostile.lua:2: time limit of 0.2 seconds exceeded")
        expectUsable(lua)
    }

    @Test func interruptFromAnotherThreadStopsTheMatcher() throws {
        let lua = try LuaSandbox(limits: LuaLimits(instructions: .max, timeLimit: .seconds(3600)))
        try lua.run("""
            function burn()
              local s = string.rep("a", 30000)
              return string.find(s, ".-.-.-.-.-.-b")
            end
            """, chunkName: "burn.lua")
        let interrupter = lua.interrupter
        let done = Flag()
        // A watchdog: it keeps interrupting until the call is over (an interrupt sent before
        // the call starts is forgotten when the call arms its limits).
        let watchdog = DispatchGroup()
        DispatchQueue.global().async(group: watchdog) {
            while !done.isSet {
                interrupter.interrupt()
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        let error = callError(lua, "burn")
        done.set()
        watchdog.wait()
        #expect(error?.kind == .interrupted)
        #expect(error?.description == "burn.lua:3: interrupted")
        expectUsable(lua)
    }
}

/// A flag one thread sets and another polls.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
