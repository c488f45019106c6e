import Foundation
import Testing
import Portfolio
@testable import RuleEngine

/// What strictness means at run time, through RuleEvaluator: no silent nil for a name that
/// does not exist, bad results said at their line, nothing that varies from run to run.
@Suite struct StrictRulesTests {
    static func failure(_ rules: String, _ contract: Contract = contract("C-1", value: 1), extraColumns: [String] = [],
                        extras: [String?] = []) throws -> RuleError? {
        let p = try pack(["a.lua": rules])
        var c = contract
        c.extras = extras
        do {
            _ = try RuleEvaluator(pack: p, asOf: asOf, extraColumns: extraColumns).evaluate(c)
            return nil
        } catch {
            return error
        }
    }

    @Test func aBlankFieldIsNilAndAnUnknownFieldIsAnError() throws {
        let rules = "function tier(c) return c.risk == nil and 'Bronze' or 'Gold' end\nfunction score(c) return c.%@ and 1 or 0 end\n"
        #expect(try Self.failure(rules.replacingOccurrences(of: "%@", with: "risk")) == nil)
        let error = try #require(try Self.failure(rules.replacingOccurrences(of: "%@", with: "rsik")))
        #expect(error.description == "\(error.location!.file):2: the contract has no field 'rsik' (did you mean 'risk'?) (contract C-1 \"Contract C-1\", in score)")
    }

    @Test func extraColumnsTheRegisterLacksAreErrorsUnlessDeclaredOptional() throws {
        let reads = "function tier(c) return 'Bronze' end\nfunction score(c) return (c.extra.social_value or c.extra.notes) and 1 or 0 end\n"
        let missing = try #require(try Self.failure(reads, extraColumns: ["notes", "procurement_route"], extras: [nil, "x"]))
        #expect(missing.message == "the register has no column 'social_value' (its extra columns: notes, procurement_route)")
        #expect(missing.location?.line == 2)
        // declared optional: absent reads as nil, blank reads as nil, a typo is still an error
        let optional = "optional_columns = { \"social_value\" }\n" + reads
        #expect(try Self.failure(optional, extraColumns: ["notes"], extras: [nil]) == nil)
        let typo = try #require(try Self.failure(optional.replacingOccurrences(of: "c.extra.notes", with: "c.extra.ntoes"),
                                                 extraColumns: ["notes"], extras: [nil]))
        #expect(typo.message == "the register has no column 'ntoes' (its extra columns: notes, social_value)")
        let bad = try #require(try Self.failure("optional_columns = \"social_value\"\n" + reads))
        #expect(bad.kind == .load && bad.location?.line == 1)
        #expect(bad.message == "optional_columns must be a list of column names, e.g. optional_columns = { \"social_value\" }")
    }

    @Test func settingsKeysThatDoNotExistAreErrorsAtTheReadingLine() throws {
        let error = try #require(try Self.failure("""
            settings = { tier = { gold_value = 10 } }
            function tier(c)
              local t = settings.tier
              return (c.value_total or 0) >= t.gold_valeu and "Gold" or "Bronze"
            end
            function score(c) return 0 end
            """))
        #expect(error.message == "settings.tier.gold_valeu does not exist (did you mean gold_value?)")
        #expect(error.location?.line == 4 && error.entryPoint == .tier)
    }

    /// Settings nested 10,000 deep are strict to the bottom (made strict without recursion),
    /// and a table reached along two paths is always named by the first in key order.
    @Test func deepAndSharedSettingsAreStrictAndNamedByOnePath() throws {
        let deep = try #require(try Self.failure("""
            local t = {}
            local cur = t
            for i = 1, 10000 do cur.x = {} cur = cur.x end
            cur.leaf = 1
            settings = { deep = t }
            function tier(c) return "Bronze" end
            function score(c)
              local cur = settings.deep
              for i = 1, 10000 do cur = cur.x end
              return cur.leaf + cur.leef
            end
            """))
        // the path's start and end (where the missing key is), not 20,000 bytes of it
        let (start, end) = (String(repeating: ".x", count: 43), String(repeating: ".x", count: 50))
        #expect(deep.message == "settings.deep\(start)\u{2026}\(end).leef does not exist (did you mean leaf?)")
        #expect(deep.location?.line == 10 && deep.description.utf8.count <= 2048)
        let shared = try #require(try Self.failure("""
            local months = { Gold = 12 }
            settings = { plan = { review_by = months }, cooldown = months }
            function tier(c) return "Bronze" end
            function score(c) return settings.plan.review_by.Silver end
            """))
        #expect(shared.message == "settings.cooldown.Silver does not exist")
    }

    /// rawget, rawlen and ipairs read the table behind a read-only view: the stock ones saw an
    /// empty table (a silent nil, a length of 0), and ipairs raised at a strict list's end.
    @Test func rawAccessAndIpairsReadThroughReadOnlyTables() throws {
        let rules = """
            settings = { list = { 4, 5, 6 }, tier = { gold = 10 } }
            function tier(c)
              local sum = 0
              for _, v in ipairs(settings.list) do sum = sum + v end
              because(sum .. " " .. rawlen(settings.list) .. " " .. rawget(settings.list, 3) .. " " .. rawget(settings.tier, "gold")
                      .. " " .. rawget(c, "id") .. " " .. tostring(rawget(c, "risk")))
              return "Bronze"
            end
            function score(c) return %@ end
            """
        let evaluation = try RuleEvaluator(pack: try pack(["a.lua": rules.replacingOccurrences(of: "%@", with: "0")]), asOf: asOf)
            .evaluate(contract("C-1", value: 1))
        #expect(evaluation.reasons.map(\.text) == ["15 3 6 10 C-1 nil"])
        // a name that does not exist is the same error through rawget as through an index
        let settingsTypo = try #require(try Self.failure(rules.replacingOccurrences(of: "%@", with: "rawget(settings.tier, 'glod')")))
        #expect(settingsTypo.message == "settings.tier.glod does not exist (did you mean gold?)" && settingsTypo.location?.line == 9)
        let fieldTypo = try #require(try Self.failure(rules.replacingOccurrences(of: "%@", with: "rawget(c, 'rsik')")))
        #expect(fieldTypo.message == "the contract has no field 'rsik' (did you mean 'risk'?)" && fieldTypo.location?.line == 9)
    }

    @Test func globalsAreDeclaredWhenThePackLoads() throws {
        let declared = """
            seen = nil -- declared: may be assigned (for this call only) and read
            function tier(c) seen = c.id return seen and "Bronze" or "Gold" end
            function score(c) return 0 end
            """
        #expect(try Self.failure(declared) == nil)
        let madeUp = try #require(try Self.failure(declared.replacingOccurrences(of: "seen = nil -- declared: may be assigned (for this call only) and read\n", with: "")))
        #expect(madeUp.message == "'seen' is not defined: rules may only assign globals the pack defines when it loads (make it a local)")
        let typo = try #require(try Self.failure("""
            function tier(c) return "Bronze" end
            function score(c)
              local total = 1
              totl = total + 1
              return total
            end
            """))
        #expect(typo.message == "'totl' is not defined \u{2014} a typo of the local 'total'?" && typo.location?.line == 4)
        let sandboxed = try #require(try Self.failure("function tier(c) return io.open('x') end\nfunction score(c) return 0 end\n"))
        #expect(sandboxed.message == "'io' is not available to rules (no files, operating system, modules or debug library)")
    }

    @Test func identitiesAreNumberedPerCallNotAddresses() throws {
        let p = try pack(["a.lua": """
            local shared = {}
            function tier(c)
              local t = {}
              because(tostring(t) .. " " .. tostring(shared) .. " " .. tostring(t) .. " " .. tostring(tier)
                      .. " " .. string.format("%s %p %p", t, shared, 1))
              return "Bronze"
            end
            function score(c) return 0 end
            """])
        let first = try RuleEvaluator(pack: p, asOf: asOf)
        let second = try RuleEvaluator(pack: p, asOf: asOf)
        let reasons = try [first.evaluate(contract("A", value: 1)), first.evaluate(contract("B", value: 2)),
                           second.evaluate(contract("A", value: 1))].map { $0.reasons[0].text }
        #expect(reasons == Array(repeating: "table: 1 table: 2 table: 1 function: 3 table: 1 2 (null)", count: 3))
    }

    @Test func messagesAreOneBoundedLineWhateverTheRuleThrows() throws {
        let huge = try #require(try Self.failure("function tier(c) error(string.rep('x\\n', 500000)) end\nfunction score(c) return 0 end\n",
                                                 Contract(id: "C-1", title: String(repeating: "t", count: 10_000))))
        let text = huge.description
        #expect(text.utf8.count <= 2048 && !text.contains("\n"))
        let nul = try #require(try Self.failure("function tier(c) return 'Gold\\0' end\nfunction score(c) return 0 end\n"))
        #expect(nul.message == #"tier(c) returned "Gold\0""#)
        let table = try #require(try Self.failure("function tier(c) return {} end\nfunction score(c) return 0 end\n"))
        #expect(table.message == "tier(c) returned a table" && table.location?.line == 1)
    }

    @Test func aScoreMustBeTheSumOfItsFactors() throws {
        let rules = """
            function tier(c) return "Bronze" end
            function score(c)
              local total = factor("base", 10, "every contract")
              factor("extra", 5, "recorded, never added")
              return total
            end
            """
        let error = try #require(try Self.failure(rules))
        #expect(error.message == "score(c) returned 10 but its factors add up to 15: a factor was recorded but not added?")
        #expect(error.location?.line == 5 && error.hint == "the factors recorded: base 10 + extra 5 = 15")
        // summaries check it too
        let e = try RuleEvaluator(pack: try pack(["a.lua": rules]), asOf: asOf)
        var summaries = EvaluationSummaries()
        #expect(throws: RuleError.self) { try e.summarize(contract("C-1", value: 1), into: &summaries) }
        // no factors: nothing to agree with
        #expect(try Self.failure("function tier(c) return 'Bronze' end\nfunction score(c) return 3 end\n") == nil)
    }

    @Test func aMissingEndNamesTheBlockLeftOpen() throws {
        let source = """
            function score(c)
              local total = 0
              if c.risk then
                total = total + 1
              if c.member_suggested then
                total = total + 2
              end
              return total
            end
            """
        #expect(OpenBlockHint.hint(file: "p.lua", source: source,
                                   message: "'end' expected (to close 'function' at line 1) near <eof>") == "p.lua:3: this 'if' has no 'end'")
        let twoFunctions = """
            local function a(x)
              return x + 1

            local function b(y)
              return y
            end
            """
        // Lua already names the block left open: no second line
        #expect(OpenBlockHint.hint(file: "p.lua", source: twoFunctions,
                                   message: "'end' expected (to close 'function' at line 1) near <eof>") == nil)
        #expect(OpenBlockHint.hint(file: "p.lua", source: source, message: "unexpected symbol near '='") == nil)
    }
}
