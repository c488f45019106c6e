import Foundation
import Testing

/// `explain ID` says where the contract stands in the plan, its review history, and what
/// single change would give it another tier (issue 15), found by running the rules again.
@Suite struct ExplainStandingTests {
    let asOf = ["--as-of", "2026-12-03"]

    /// Contracts sitting next to each threshold of the default tiering policy.
    static let nearThresholds = [
        "N-1,Just under Gold value,,,Head of ICT,,9999999,,2024-04-01,2029-03-31,,4,1,,,",
        "N-2,Gold on value alone,,,Head of ICT,,50000000,,2024-04-01,2029-03-31,,1,1,,,",
        "N-3,Just under Silver value,,,Head of ICT,,999999,,2024-04-01,2029-03-31,,3,2,,,",
        "N-4,High on everything,,,Head of ICT,,148000000,,2024-04-01,2029-03-31,,5,5,,,",
        "N-5,Risk not assessed,,,Head of ICT,,12000000,,2024-04-01,2029-03-31,,,1,,,",
        "N-6,No value recorded,,,Head of ICT,,,,2024-04-01,2029-03-31,,4,2,,,",
    ]

    func changes(_ id: String, in register: URL) throws -> [String] {
        let r = try CLI.run(["explain", id, "--portfolio", register.path] + asOf)
        #expect(r.status == 0, "\(r.stderr)")
        let text = r.stdout.components(separatedBy: "\nWhat would change its tier (the rules run again with one field changed):\n")
        #expect(text.count == 2)
        return text.last!.split(separator: "\n").map(String.init)
    }

    @Test func theNearestChangeOfEachFieldWithTheRuleLine() throws {
        let register = try EvaluateCommandTests.register(Self.nearThresholds)
        defer { try? FileManager.default.removeItem(at: register.deletingLastPathComponent()) }
        #expect(try changes("N-1", in: register) == [
            "  - Bronze if risk were 2  [rules/tiering.lua:48]",
            "  - Gold if complexity were 4  [rules/tiering.lua:37]",
            "  - Gold if whole-life value were at least £10,000,000  [rules/tiering.lua:37]",
        ])
        #expect(try changes("N-2", in: register) == ["  - Silver if whole-life value were under £50,000,000  [rules/tiering.lua:41]"])
        #expect(try changes("N-3", in: register) == [
            "  - Silver if risk were 4  [rules/tiering.lua:41]",
            "  - Silver if complexity were 3  [rules/tiering.lua:45]",
            "  - Silver if whole-life value were at least £1,000,000  [rules/tiering.lua:45]",
        ])
        #expect(try changes("N-5", in: register) == [
            "  - Gold if risk were 4 (not assessed now)  [rules/tiering.lua:37]",
            "  - Gold if complexity were 4  [rules/tiering.lua:37]",
            "  - Gold if whole-life value were at least £50,000,000  [rules/tiering.lua:33]",
            "  - Bronze if whole-life value were under £1,000,000  [rules/tiering.lua:48]",
        ])
        #expect(try changes("N-6", in: register) == [
            "  - Bronze if risk were 3  [rules/tiering.lua:48]",
            "  - Gold if complexity were 4  [rules/tiering.lua:37]",
            "  - Gold if a whole-life value of at least £10,000,000 were recorded  [rules/tiering.lua:37]",
        ])
    }

    @Test func saysSoWhenNoSingleChangeMovesIt() throws {
        let register = try EvaluateCommandTests.register(Self.nearThresholds)
        defer { try? FileManager.default.removeItem(at: register.deletingLastPathComponent()) }
        #expect(try changes("N-4", in: register) == ["  no change of whole-life value, risk or complexity on its own moves it from Gold"])
        // On the sample: C-072 is high on value, risk and complexity.
        #expect(try changes("C-072", in: CLI.repoRoot.appendingPathComponent("samples/portfolio.csv"))
                == ["  no change of whole-life value, risk or complexity on its own moves it from Gold"])
    }

    /// The search reads nothing out of the rules: a changed threshold moves the answer.
    @Test func aChangedThresholdMovesTheAnswer() throws {
        let register = try EvaluateCommandTests.register(Self.nearThresholds)
        let pack = try CLI.rulePack(editing: ["settings.lua": {
            $0.replacingOccurrences(of: "gold_value   = 10000000", with: "gold_value   =  7500000")
        }])
        defer {
            try? FileManager.default.removeItem(at: register.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: pack.deletingLastPathComponent())
        }
        let r = try CLI.run(["explain", "N-6", "--portfolio", register.path, "--rules", pack.path] + asOf)
        #expect(r.stdout.contains("  - Gold if a whole-life value of at least £7,500,000 were recorded  [\(pack.path)/tiering.lua:37]\n"))
    }

    @Test func whereItStandsInThePlanAndItsReviews() throws {
        func explain(_ id: String) throws -> String {
            let r = try CLI.run(["explain", id] + asOf)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        #expect(try explain("C-072").contains("""

            Forward plan:
              planned at the 2027-03-09 meeting (3 of 3 seats): late: review-by date passed; review-by was 2026-06-30
              - suggested by Cllr J. Whitfield on 2026-05-12
              - Gold: reviewed every 12 months; never reviewed
              - score 137.1 (planned from 60)
              - late: review-by was 2026-06-30, 12 months before the end date 2027-06-30
              - risk 5
              - ends in 7 months

            Review history (samples/reviews.csv (16 reviews, read into memory)):
              never reviewed

            """))
        #expect(try explain("C-073").contains("\nForward plan:\n  not planned: capacity: the 2026-12-15 meeting, the only one it could go to, is full\n"))
        #expect(try explain("C-027").contains("\nForward plan:\n  not selected: Bronze contracts have no review cycle; its score 52.6 is under the threshold of 75\n"))
        #expect(try explain("C-050").contains("""
            Review history (samples/reviews.csv (16 reviews, read into memory)):
              2026-06-30  Red    led by Head of Culture and Leisure; follow-up by 2026-09-30
                  NAO areas: managing relationships, payment & incentives, risk
                  findings: utility costs, open book, governance
                  notes: Operator seeking a utilities subsidy; open-book accounts not provided as the contract requires.

            """))
        // --history is honoured as plan honours it: with no reviews, C-050 is never reviewed.
        let empty = try CLI.temporaryDirectory().appendingPathComponent("reviews.csv")
        try "contract_id,meeting_date,lead_officer,outcome,areas\n".write(to: empty, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: empty.deletingLastPathComponent()) }
        let bare = try CLI.run(["explain", "C-050", "--history", empty.path] + asOf)
        #expect(bare.stdout.contains("Review history (\(empty.path) (0 reviews, read into memory)):\n  never reviewed\n"))
    }

    @Test func aGroupIsExplainedAsOneSeat() throws {
        let register = try EvaluateCommandTests.register([
            "L-1,Enterprise licences,,,Head of ICT,,30000000,,2024-04-01,2029-03-31,,4,3,,,",
            "L-2,Finance system licences,,,Head of Finance Systems,,3000000,,2024-04-01,2029-03-31,,4,3,,,",
        ], groupColumn: ["Licences", "Licences"])
        defer { try? FileManager.default.removeItem(at: register.deletingLastPathComponent()) }
        let r = try CLI.run(["explain", "L-2", "--portfolio", register.path] + asOf)
        #expect(r.stdout.contains("""
            Forward plan:
              planned at the 2026-12-15 meeting (1 of 3 seats): Silver cycle: never reviewed; review by 2028-06-30
              reviewed together with L-1 (group "Licences", one seat)
              - reviewed with L-1 (group "Licences", one seat)
            """))
    }
}
