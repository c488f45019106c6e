import Foundation
import Testing

/// `cmrg test` through the built binary.
@Suite struct TestCommandTests {
    @Test func theDefaultPackTestsPassWithFullCoverage() throws {
        let r = try CLI.run(["test", "--coverage", "--threshold", "90"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("PASS rules/tests/flags_test.lua:10 over £5m under the Act with no KPIs recorded\n"))
        #expect(r.stdout.contains("\n43 passed, 0 failed (3 files)\n"))
        #expect(r.stdout.hasSuffix("""
            Coverage of the rule files by the tests:
              Rule file           Lines run  Coverage  Not run (lines)
              ------------------  ---------  --------  ---------------
              rules/flags.lua         46/46    100.0%
              rules/priority.lua      43/43    100.0%
              rules/settings.lua      58/58    100.0%
              rules/tiering.lua       34/34    100.0%
              total                 181/181    100.0%

            """))
    }

    /// A pack whose tests miss lines, and a failing case.
    static func packWithTests(_ tests: String) throws -> URL {
        let rules = try CLI.rulePack()
        let dir = rules.appendingPathComponent("tests")
        try FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try tests.write(to: dir.appendingPathComponent("few_test.lua"), atomically: true, encoding: .utf8)
        return rules
    }

    static let fewTests = """
        defaults { as_of = "2026-11-24" }
        case "large PFI is Gold" { contract = { value_total = 180000000, risk = 2, complexity = 2 }, tier = "Gold" }
        case "small high-risk is Gold (wrong)" {
          contract = { value_total = 200000, risk = 5, complexity = 1 },
          tier = "Gold",
        }
        """

    @Test func failuresShowExpectedActualAndTheExplanation() throws {
        let rules = try Self.packWithTests(Self.fewTests)
        let r = try CLI.run(["test", "--rules", rules.path])
        #expect(r.status == 2)
        let d = rules.path
        #expect(r.stdout == """
            PASS \(d)/tests/few_test.lua:2 large PFI is Gold
            FAIL \(d)/tests/few_test.lua:3 small high-risk is Gold (wrong)
              tier: expected Gold, got Silver
              the rules decided: tier Silver, score 35
                because Silver: high risk  [\(d)/tiering.lua:41]
                factor value +3  whole-life value £200,000  [\(d)/priority.lua:42]
                factor risk +32  risk 5  [\(d)/priority.lua:43]
                factor complexity +0  complexity 1  [\(d)/priority.lua:45]
                factor expiry +0  end date unknown  [\(d)/priority.lua:51]

            1 passed, 1 failed (1 file)

            """)
    }

    @Test func coverageNamesTheLinesNotRunAndTheThresholdFails() throws {
        let rules = try Self.packWithTests(Self.fewTests)
        let r = try CLI.run(["test", "--rules", rules.path, "--threshold", "90"])
        #expect(r.status == 2)
        let d = rules.path
        // No end dates (expiry 20-32), no strategic importance (48-49), member (53) or audit
        // (56); no case high on two (37-38), medium on two or Bronze (44-49); no contract under
        // the Procurement Act (flags 38-39, 46-75).
        let table = r.stdout.split(separator: "\n").suffix(9).map { $0.split(separator: " ").joined(separator: " ") }
        #expect(table == [
            "Coverage of the rule files by the tests:",
            "Rule file Lines run Coverage Not run (lines)",
            "\(String(repeating: "-", count: d.count + 13)) --------- -------- --------------------",
            "\(d)/flags.lua 20/46 43.4% 38-39, 46-75",
            "\(d)/priority.lua 28/43 65.1% 20-32, 48-49, 53, 56",
            "\(d)/settings.lua 58/58 100.0%",
            "\(d)/tiering.lua 27/34 79.4% 37-38, 44-49",
            "total 133/181 73.4%",
            "coverage 73.4% is under the threshold of 90.0%",
        ])
    }

    @Test func noTestsIsAnError() throws {
        let rules = try CLI.rulePack()
        try FileManager.default.removeItem(at: rules.appendingPathComponent("tests"))
        let r = try CLI.run(["test", "--rules", rules.path])
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: no test files in \(rules.path)/tests (write *.lua files with case \"…\" { … } there)\n")
    }
}
