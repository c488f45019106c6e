import Foundation
import Testing
import Portfolio
@testable import RuleEngine

/// A prepared pack loads the rules once per worker (the first state also yields the settings)
/// and streams contracts into sinks; an interruption stops a run.
@Suite struct PreparedPackTests {
    static let contracts = (1...3000).map { contract("P-\($0)", value: Double($0) * 10_000, risk: $0 % 5 + 1) }

    @Test func oneStatePerWorkerAndNoneJustForTheSettings() throws {
        let pack = try PreparedPack(try defaultPack(), asOf: asOf)
        #expect(pack.madeStates == 1)
        #expect(pack.settings["settings.tier.gold_value"] == "10000000")
        #expect(pack.definesPlan)
        _ = try pack.planPolicy()
        var three = EvaluationCollector()
        try pack.evaluate(ContractList(Self.contracts), jobs: 3, into: &three)
        #expect(pack.madeStates == 3)
        var two = EvaluationCollector()
        try pack.evaluate(ContractList(Self.contracts), jobs: 2, batchSize: 700, into: &two)
        #expect(pack.madeStates == 3) // kept from the run before
        #expect(three.evaluations == two.evaluations && two.evaluations.count == Self.contracts.count)
        #expect(try RuleEvaluator(pack: pack.pack, asOf: asOf).evaluate(Self.contracts[41]) == two.evaluations[41])
    }

    @Test func pairsComeInInputOrderWhateverTheJobs() throws {
        let base = try PreparedPack(try defaultPack(), asOf: asOf)
        let new = try PreparedPack(try defaultPack(), asOf: asOf)
        func diff(_ jobs: Int) throws -> PackDiff {
            var differ = PackDiffer()
            try PreparedPack.evaluate(ContractList(Self.contracts), base: base, new: new, jobs: jobs, batchSize: 1000,
                                      into: &differ)
            return differ.finish(top: 10, movementLimit: 10, ruleChanges: RuleChanges(base: base, new: new))
        }
        let one = try diff(1), four = try diff(4)
        #expect(one.contractCount == 3000 && four.contractCount == 3000)
        #expect(!one.decisionsChanged && one.transitions == four.transitions)
        #expect(base.madeStates == 4 && new.madeStates == 4)
    }

    @Test func aRequestedInterruptionStopsTheRun() throws {
        let pack = try PreparedPack(try pack(["a.lua": """
            function tier(c) return "Bronze" end
            function score(c) local n = 0; for i = 1, 200000 do n = n + i end; return n end
            """]), asOf: asOf)
        let interruption = Interruption()
        var sink = SummaryCollector()
        var seen = 0
        #expect(throws: Interrupted.self) {
            try pack.evaluate(ContractList(Self.contracts), jobs: 2, batchSize: 100, into: &sink,
                              interruption: interruption) { done in
                seen = done
                if done >= 200 { interruption.request() }
            }
        }
        #expect(seen >= 200 && seen < Self.contracts.count)
        // A stop requested before a run stops it before any contract is read.
        #expect(throws: Interrupted.self) {
            try pack.evaluate(ContractList(Self.contracts), jobs: 1, into: &sink, interruption: interruption)
        }
    }
}

/// The trails a run keeps are bounded in total (issue 19, cause 6): past the collector's
/// budget the run stops at the contract that crossed it, the same whatever the jobs.
@Suite struct TrailBudgetTests {
    @Test func keptTrailsStopAtTheirBudgetInInputOrder() throws {
        let pack = try PreparedPack(try defaultPack(), asOf: asOf)
        var all = EvaluationCollector()
        try pack.evaluate(ContractList(PreparedPackTests.contracts), jobs: 1, into: &all)
        // A budget that the first 1,000 contracts fill.
        let budget = all.evaluations.prefix(1000).reduce(0) { $0 + $1.trailBytes }
        for jobs in [1, 3] {
            var bounded = EvaluationCollector(maxTrailBytes: budget)
            #expect(throws: RuleError(kind: .limit, message: "the reasons and factors of the contracts up to this one hold more "
                                      + "than \(budget) bytes of text, more than one run may keep (the table, CSV and Markdown "
                                      + "outputs keep no trail)", contractID: "P-1001", contractTitle: "Contract P-1001")) {
                try pack.evaluate(ContractList(PreparedPackTests.contracts), jobs: jobs, batchSize: 500, into: &bounded)
            }
        }
    }
}
