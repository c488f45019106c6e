import Foundation
import Testing
import Portfolio
@testable import RuleEngine

/// `flags(c)` through the library: the full and the lean (summary) paths agree, and the
/// prelude's `add_months` that the default flags use counts months as a person does.
@Suite struct RuleFlagTests {
    @Test func summariesCarryTheSameFlagsAsFullEvaluations() throws {
        let p = try pack(["rules.lua": """
            function tier(c) return "Bronze" end
            function score(c) return 0 end
            function flags(c)
              if (c.value_total or 0) > 500 then
                return { { name = "big", text = "over 500", due = "2027-01-31" }, { name = "check", text = "check it" } }
              end
              return {}
            end
            """])
        let evaluator = try RuleEvaluator(pack: p, asOf: asOf)
        #expect(evaluator.definesFlags)
        let big = contract("B-1", value: 900), small = contract("S-1", value: 10)
        #expect(try evaluator.evaluate(big).flags == [
            RuleFlag(name: "big", text: "over 500", due: ContractDate(iso: "2027-01-31"), location: RuleLocation(file: p.files[0].path, line: 3)),
            RuleFlag(name: "check", text: "check it", location: RuleLocation(file: p.files[0].path, line: 3)),
        ])
        #expect(try evaluator.evaluate(small).flags.isEmpty)
        var summaries = EvaluationSummaries()
        try evaluator.summarize(big, into: &summaries)
        try evaluator.summarize(small, into: &summaries)
        #expect(summaries.flags(0) == "over 500 (due 2027-01-31); check it")
        #expect(summaries.flags(1) == "")
        #expect(summaries.topFactors(0) == "" && summaries.title(0) == "Contract B-1")
    }

    @Test func addMonthsKeepsTheDayOrTheMonthsLast() throws {
        let cases: [(String, Int, String)] = [
            ("2026-01-31", 1, "2026-02-28"), ("2028-01-31", 1, "2028-02-29"), ("2026-03-31", -1, "2026-02-28"),
            ("2025-04-01", 12, "2026-04-01"), ("2026-11-15", 2, "2027-01-15"), ("2026-05-31", 0, "2026-05-31"),
        ]
        for (date, months, expected) in cases {
            let p = try pack(["rules.lua": """
                function tier(c) because(add_months("\(date)", \(months))) return "Bronze" end
                function score(c) return 0 end
                """])
            let e = try RuleEvaluator(pack: p, asOf: asOf).evaluate(contract("X", value: 1))
            #expect(e.reasons.map(\.text) == [expected], "\(date) + \(months)")
        }
        let bad = try pack(["rules.lua": """
            function tier(c) local d = add_months("2026-01-31", 1.5) return d and "Bronze" end
            function score(c) return 0 end
            """])
        #expect(throws: RuleError.self) { try RuleEvaluator(pack: bad, asOf: asOf).evaluate(contract("X", value: 1)) }
        do {
            _ = try RuleEvaluator(pack: bad, asOf: asOf).evaluate(contract("X", value: 1))
        } catch {
            #expect(error.description.hasPrefix("\(bad.files[0].path):1: add_months: the months must be a whole number, got 1.5"))
        }
    }
}
