import Testing
@testable import RuleEngine

/// `cmrg check`'s luacheck-style warnings on small snippets, each paired with what Debian's
/// luacheck 1.1.0 (`--std lua54`) reports for the same text (its code in the comment).
@Suite struct LuaLintTests {
    static func findings(_ source: String) throws -> [String] {
        let tree = try #require(LuaTreeParser.parse(source), "does not parse")
        return LuaLint.findings(tree).map { "\($0.line): \($0.message)" }
    }

    @Test func unusedLocalsArgumentsLoopVariablesAndFunctions() throws {
        #expect(try Self.findings("""
            local function f(a, b, ...)
              local z
              for i = 1, 3 do print(a) end
              for k, v in pairs(a) do print(v) end
            end
            local helper = function() end
            return f
            """) == [
            "1: unused argument 'b'",                   // W212
            "1: unused variable arguments '...'",        // W212
            "2: unused local 'z'",                       // W211
            "3: unused loop variable 'i'",               // W213
            "4: unused loop variable 'k'",               // W213
            "6: unused function 'helper'",               // W211
        ])
    }

    @Test func placeholdersAreNotReported() throws {
        #expect(try Self.findings("""
            local function f(_unused, list)
              local _ = 1
              for _, v in ipairs(list) do print(v) end
            end
            return f
            """) == [])
    }

    @Test func valuesAssignedAndNeverUsed() throws {
        #expect(try Self.findings("""
            local function f(b, p)
              local x = 1
              x = 2
              print(x)
              local y = 1
              if b then y = 2 else y = 3 end
              print(y)
              local m = 1
              print(m)
              m = 2
              p = 3
              return p
            end
            return f
            """) == [
            "1: the argument 'p' is replaced on line 11 before its value is used",   // W312
            "2: the value assigned to 'x' here is replaced on line 3 before it is used", // W311
            "5: the value assigned to 'y' here is replaced on line 6 before it is used", // W311
            "10: the value assigned to 'm' here is never used",                     // W311
        ])
    }

    @Test func aValueReadOnTheNextTripRoundALoopIsUsed() throws {
        #expect(try Self.findings("""
            local function sum(list)
              local s = 0
              for _, v in ipairs(list) do s = s + v end
              return s
            end
            local function count(n)
              local i = 0
              while true do
                i = i + 1
                if i >= n then break end
              end
              return i
            end
            return sum, count
            """) == [])
    }

    @Test func assignedFilledAndNeverSet() throws {
        #expect(try Self.findings("""
            local function f()
              local y = 3
              y = 4
              local t = {}
              t.a = 1
              local q
              print(q)
            end
            return f
            """) == [
            "2: 'y' is assigned but never read",          // W231
            "4: 't' is filled in but never read",          // W241
            "6: 'q' is read but never set (it is always nil)", // W221
        ])
    }

    @Test func hiddenAndRedeclaredLocals() throws {
        #expect(try Self.findings("""
            local function f(a)
              local x = a
              do local x = 3 print(x) end
              local a = 2
              return x + a
            end
            return f
            """) == [
            "3: 'x' hides the local 'x' of line 2",                                  // W421
            "4: 'a' is declared again in the same block (the argument 'a' of line 1)", // W412
        ])
    }

    @Test func unreachableCode() throws {
        #expect(try Self.findings("""
            local function f(a)
              if a then return 1 else return 2 end
              print("after")
            end
            local function g(q)
              while true do q = q + 1 end
              print(q)
            end
            local function h(list)
              for _, v in ipairs(list) do
                do return v end
                print(v)
              end
            end
            return f, g, h
            """) == [
            "3: unreachable code: no path reaches this line", // W511
            "7: unreachable code: no path reaches this line", // W511
            "12: unreachable code: no path reaches this line", // W511
        ])
    }

    @Test func aCapturedLocalMayBeReadAtAnyTime() throws {
        #expect(try Self.findings("""
            local count = 0
            local function bump() count = count + 1 end
            count = 5
            return bump
            """) == [])
    }
}
