import Testing
import Portfolio
@testable import RuleEngine

@Suite struct DefaultPackTests {
    let evaluator: RuleEvaluator

    init() throws {
        evaluator = try RuleEvaluator(pack: try defaultPack(), asOf: asOf)
    }

    @Test func largePFIIsGoldOnValueAlone() throws {
        let e = try evaluator.evaluate(contract("PFI", value: 180_000_000, risk: 2, complexity: 2))
        #expect(e.tier == .gold)
        #expect(e.reasons.contains { $0.text.hasPrefix("Gold: value") && $0.location?.file.hasSuffix("rules/tiering.lua") == true })
    }

    @Test func highOnTwoIsGold() throws {
        #expect(try evaluator.evaluate(contract("A", value: 12_000_000, risk: 4, complexity: 2)).tier == .gold)
        #expect(try evaluator.evaluate(contract("B", value: 200_000, risk: 5, complexity: 4)).tier == .gold)
    }

    @Test func highOnOneIsSilverAndSmallLowIsBronze() throws {
        #expect(try evaluator.evaluate(contract("S", value: 2_000_000, risk: 4, complexity: 2)).tier == .silver)
        #expect(try evaluator.evaluate(contract("Z", value: 50_000, risk: 1, complexity: 1)).tier == .bronze)
    }

    @Test func missingRiskIsExplained() throws {
        let e = try evaluator.evaluate(contract("M", value: 500_000))
        #expect(e.reasons.contains { $0.text == "risk not assessed: treated as 3" })
        #expect(e.tier == .silver) // medium risk and medium complexity by default
    }

    @Test func expiryFactorPeaksBeforeTheDecisionNotAfterExpiry() throws {
        func expiry(_ end: String) throws -> Double {
            try evaluator.evaluate(contract("E", value: 1_000_000, risk: 3, complexity: 3, end: end))
                .factors.first { $0.name == "expiry" }?.points ?? 0
        }
        let ideal = try expiry("2027-12-01")    // ~12 months away
        let tooLate = try expiry("2026-12-20")  // under a month
        let expired = try expiry("2026-01-01")
        let far = try expiry("2034-01-01")
        #expect(ideal == 35)
        #expect(tooLate < ideal)
        #expect(expired == 0)
        #expect(far == 0)
    }

    @Test func memberSuggestionAndAuditMoveTheScore() throws {
        let base = try evaluator.evaluate(contract("X", value: 1_000_000, risk: 3, complexity: 3)).score
        let member = try evaluator.evaluate(contract("X", value: 1_000_000, risk: 3, complexity: 3, member: "Cllr A. Shah")).score
        let audit = try evaluator.evaluate(contract("X", value: 1_000_000, risk: 3, complexity: 3, audit: "2026/27")).score
        #expect(member == base + 25)
        #expect(audit == base - 20)
    }

    @Test func factorsCarryTheirRuleLine() throws {
        let e = try evaluator.evaluate(contract("F", value: 3_000_000, risk: 4, complexity: 2))
        let risk = try #require(e.factors.first { $0.name == "risk" })
        #expect(risk.points == 24)
        #expect(risk.location?.file.hasSuffix("rules/priority.lua") == true)
        #expect(risk.entryPoint == .score)
    }

    @Test func sameInputSameResultAnyOrder() throws {
        let contracts = (0..<50).map { i in
            contract("C-\(i)", value: Double(i * 997_331 % 40_000_000), risk: i % 5 + 1, complexity: (i * 7) % 5 + 1,
                     end: "20\(27 + i % 6)-0\(i % 9 + 1)-15")
        }
        let forward = try contracts.map { try evaluator.evaluate($0) }
        let other = try RuleEvaluator(pack: try defaultPack(), asOf: asOf)
        let backward = try contracts.reversed().map { try other.evaluate($0) }
        #expect(forward == backward.reversed())
    }
}
