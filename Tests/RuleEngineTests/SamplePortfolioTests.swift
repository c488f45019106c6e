import Testing
import Portfolio
@testable import RuleEngine

/// The default pack on the bundled sample register gives the tiers and order a policy
/// officer would expect.
@Suite struct SamplePortfolioTests {
    let results: [String: Evaluation]
    let ranks: [String: Int]

    init() throws {
        let reader = try PortfolioReader.open(path: repoRoot.appendingPathComponent("samples/portfolio.csv").path)
        let run = try PreparedPack(try defaultPack(), asOf: asOf).evaluateAll(reader, jobs: 2)
        results = Dictionary(uniqueKeysWithValues: run.evaluations.map { ($0.contractID, $0) })
        let ordered = run.evaluations.sorted { $0.score != $1.score ? $0.score > $1.score : $0.contractID < $1.contractID }
        ranks = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.contractID, $0 + 1) })
    }

    @Test func bigPFIAndCareContractsAreGold() {
        // £612m energy-from-waste PFI, £186m schools PFI, £245m highways term contract,
        // £540m residential and nursing care placements.
        for id in ["C-004", "C-001", "C-023", "C-038"] { #expect(results[id]?.tier == .gold, "\(id)") }
        #expect(results["C-004"]!.reasons.contains { $0.text == "Gold: value £612,000,000 is at least £50,000,000" })
    }

    @Test func smallLowRiskContractsAreBronze() {
        // Registration booking system (£96k), print room (£640k), library system (£420k).
        for id in ["C-070", "C-011", "C-052"] { #expect(results[id]?.tier == .bronze, "\(id)") }
    }

    @Test func midValueLicensingIsSilver() {
        #expect(results["C-005"]?.tier == .silver) // Microsoft EA, £4.35m, not high risk
    }

    @Test func urgentHighRiskCareOutranksRoutineServices() {
        // Domiciliary care (risk 5, ends within the ideal window) comes before a booking system.
        #expect(ranks["C-037"]! < ranks["C-070"]!)
        #expect(ranks["C-037"]! <= 3)
        // A member-suggested PFI outranks the same kind of contract without a suggestion.
        #expect(ranks["C-004"]! < ranks["C-003"]!)
    }

    @Test func expiredAndAuditedContractsAreExplained() {
        let expired = results["C-016"]! // green waste composting ended 2026-03-31
        #expect(expired.factors.first { $0.name == "expiry" }?.points == 0)
        #expect(expired.factors.first { $0.name == "expiry" }?.text.hasPrefix("ended ") == true)
        let audited = results["C-001"]! // on the 2026/27 internal audit plan
        #expect(audited.factors.contains { $0.name == "audit" && $0.points == -20 })
    }
}
