import Foundation
import Testing
import Portfolio
@testable import RuleEngine

/// `cmrg test` through the RuleEngine API: cases, failures, test-file mistakes, coverage.
@Suite struct RuleTestRunnerTests {
    static let rules = """
        function tier(c)
          if (c.risk or 0) >= 4 then
            because("high risk")
            return "Gold"
          end
          return "Bronze"
        end

        function score(c)
          if c.member_suggested then
            return 10
          end
          return factor("base", 1, "every contract")
        end
        """

    static func packWithTests(_ tests: [String: String]) throws -> (RulePack, [String]) {
        let p = try pack(["a.lua": rules])
        let dir = URL(fileURLWithPath: p.directory).appendingPathComponent("tests")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in tests { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return (p, RuleTestRunner.testFiles(of: p))
    }

    @Test func passingFailingAndBrokenCasesWithCoverage() throws {
        let (p, files) = try Self.packWithTests(["a_test.lua": """
            defaults { as_of = "2026-11-24" }
            case "high risk is Gold" { contract = { risk = 5 }, tier = "Gold", score = 1, reason = "high risk" }
            case "wrong on purpose" {
              contract = { risk = 5 },
              tier = "Bronze",
              factors = { base = 1, risk = 3 },
            }
            case "typo" { contract = { rsik = 5 }, tier = "Gold" }
            """])
        let run = try RuleTestRunner.run(pack: p, files: files, asOf: asOf, coverage: true)
        #expect(run.passed == 1 && run.failed == 1 && run.problems == 1)
        #expect(!run.succeeded)
        guard case .result(let pass) = run.entries[0], case .result(let fail) = run.entries[1],
              case .problem(let problem) = run.entries[2] else {
            Issue.record("entries out of order: \(run.entries)")
            return
        }
        #expect(pass.testCase.location == RuleLocation(file: "\(p.directory)/tests/a_test.lua", line: 2))
        #expect(pass.passed)
        #expect(fail.testCase.location.line == 3)
        #expect(fail.failures == ["tier: expected Bronze, got Gold", "factor risk: expected 3, got no 'risk' factor (0)"])
        #expect(fail.evaluation?.reasons.map(\.text) == ["high risk"])
        #expect(problem.description == "\(p.directory)/tests/a_test.lua:8: case \"typo\": unknown contract field 'rsik' (did you mean 'risk'?)")

        // No case has a member's suggestion or a low risk: lines 6 and 11 never run.
        let coverage = try #require(run.coverage)
        #expect(coverage.files.count == 1)
        let file = coverage.files[0]
        #expect(file.path == "\(p.directory)/a.lua")
        #expect(file.runnable == [1, 2, 3, 4, 6, 7, 9, 10, 11, 13, 14])
        #expect(file.uncovered == [6, 11])
        #expect(file.uncoveredRanges == "6, 11")
        #expect(abs(coverage.percent - 900.0 / 11) < 1e-9)
    }

    @Test func coveringEveryBranchReachesAllLines() throws {
        let (p, files) = try Self.packWithTests(["a_test.lua": """
            defaults { as_of = "2026-11-24" }
            case "high risk" { contract = { risk = 5 }, tier = "Gold" }
            case "low risk, suggested" { contract = { risk = 1, member_suggested = "Cllr B" }, tier = "Bronze", score = 10 }
            """])
        let run = try RuleTestRunner.run(pack: p, files: files, asOf: asOf, coverage: true)
        #expect(run.succeeded && run.passed == 2)
        #expect(run.coverage?.percent == 100)
    }

    @Test func casesUseTheirOwnEvaluationDate() throws {
        let (p, files) = try Self.packWithTests(["dates_test.lua": """
            case "expiry on 24 Nov" {
              as_of = "2026-11-24",
              contract = { value_total = 1000000, risk = 1, complexity = 1, end_date = "2027-12-01" },
              factors = { expiry = 35 },
            }
            case "a year later it has expired" {
              as_of = "2027-12-24",
              contract = { value_total = 1000000, risk = 1, complexity = 1, end_date = "2027-12-01" },
              factors = { expiry = 0 },
            }
            """])
        // The default pack's rules, with this file as its tests.
        let defaults = try defaultPack()
        let combined = RulePack(directory: p.directory, files: defaults.files)
        let run = try RuleTestRunner.run(pack: combined, files: files, asOf: asOf)
        #expect(run.passed == 2 && run.failed == 0)
    }

    @Test func testFileMistakesAreLocated() throws {
        let (p, files) = try Self.packWithTests([
            "b_test.lua": """
                case "bad values" {
                  contract = { risk = 7, end_date = "31/03/2027" },
                  tier = "Gold",
                }
                case "bad tier" { contract = {}, tier = "gold" }
                case "nothing to check" { contract = { risk = 2 } }
                case "unknown key" { contract = { risk = 2 }, teir = "Gold" }
                case "score range" { contract = { risk = 2 }, score = { least = 3 } }
                """,
            "c_test.lua": "case \"x\" {\n  contract = { risk = 2 ,\n}\n",
        ])
        let run = try RuleTestRunner.run(pack: p, files: files, asOf: asOf)
        let problems = run.entries.compactMap { if case .problem(let p) = $0 { p.description } else { nil } }
        let b = "\(p.directory)/tests/b_test.lua", c = "\(p.directory)/tests/c_test.lua"
        #expect(problems == [
            "\(b):1: case \"bad values\": contract field 'end_date' must be a date \"YYYY-MM-DD\", got \"31/03/2027\"",
            "\(b):5: case \"bad tier\": tier must be \"Gold\", \"Silver\" or \"Bronze\", got \"gold\"",
            "\(b):6: case \"nothing to check\": nothing to check: give tier, score, factors, reason or flags",
            "\(b):7: case \"unknown key\": unknown key 'teir' (did you mean 'tier'?)",
            "\(b):8: case \"score range\": score must be a number or a range { min = …, max = … }, got a table",
            "\(c):4: '}' expected (to close '{' at line 1) near <eof>",
        ])
        #expect(run.passed == 0 && !run.succeeded)
    }

    @Test func theDefaultPackTestsPassAndCoverAtLeastNinetyPercent() throws {
        let pack = try defaultPack()
        let run = try RuleTestRunner.run(pack: pack, files: RuleTestRunner.testFiles(of: pack), asOf: asOf, coverage: true)
        #expect(run.succeeded, "\(run.entries)")
        #expect(run.passed == 43)
        #expect((run.coverage?.percent ?? 0) >= 90)
    }
}
