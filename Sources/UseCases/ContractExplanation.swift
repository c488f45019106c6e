import History
import Planner
import Portfolio
import RuleEngine

/// `explain ID` in full: why the contract has its tier and score (`PortfolioEvaluation`'s
/// explanation), where it stands in the forward plan, its review history, and what single
/// change of value, risk or complexity would give it another tier. One pass over the
/// register: every contract's plan candidate, and the one contract's full trail.
public struct ContractExplanation {
    public var inputs: RunInputs
    /// `--history` and `--from`, as `cmrg plan` takes them.
    public var history: String?
    public var from: ContractDate?

    public init(_ inputs: RunInputs, history: String? = nil, from: ContractDate? = nil) {
        self.inputs = inputs
        self.history = history
        self.from = from
    }

    /// Where the contract stands in the forward plan.
    public enum Standing: Sendable {
        /// The contract's placement first, then the rest of its review group.
        case planned([ForwardPlan.Placement], meetingSeats: (used: Int, capacity: Int))
        case notPlanned(ForwardPlan.NotPlanned)
        /// Neither due nor high-scoring: why, in words.
        case notSelected(String)
        /// The pack defines no `settings.plan`.
        case noPlan
    }

    public struct Outcome: Sendable {
        public var explanation: PortfolioEvaluation.Explanation
        public var standing: Standing
        /// Where the review history came from, in words ("none" without one).
        public var historySource: String
        /// The contract's past reviews, oldest first.
        public var reviews: [Review]
        public var sensitivity: TierSensitivity
    }

    public func run(_ id: String, _ observer: RunObserver = RunObserver()) throws -> Outcome {
        let evaluation = PortfolioEvaluation(inputs)
        var collector = ExplainedPlanCollector(id: id)
        let (pack, reader) = try evaluation.run(into: &collector, observer)
        guard let (contract, explained) = collector.found else {
            throw UnknownContract(id: id, portfolio: inputs.portfolio,
                                  nearest: NearestNames.closest(to: id, among: collector.candidates.map(\.contractID), count: 3))
        }
        let rank = 1 + collector.candidates.filter {
            PriorityOrder.precedes(score: $0.score, tier: $0.tier, id: $0.contractID,
                                   score: explained.score, tier: explained.tier, id: id)
        }.count
        let explanation = PortfolioEvaluation.Explanation(
            contract: contract, evaluation: explained, rank: rank, count: collector.candidates.count,
            extraColumns: reader.extraColumns, asOf: pack.asOf, definesFlags: pack.definesFlags)
        let sensitivity = try pack.tierSensitivity(of: contract, tier: explained.tier, extraColumns: reader.extraColumns)

        guard pack.definesPlan else {
            let (store, source) = try PlanningSession.history(history, beside: inputs.portfolio, observer)
            return Outcome(explanation: explanation, standing: .noPlan, historySource: source,
                           reviews: try store?.reviews(contractID: id) ?? [], sensitivity: sensitivity)
        }
        let session = PlanningSession(inputs, history: history, from: from)
        let provenance = try Provenance(pack: pack, inputs, inputSHA256: "")
        let (outcome, policy, last) = try session.schedule(collector.candidates, pack: pack, provenance: provenance, observer)
        let plan = outcome.report.plan
        let standing: Standing
        if let seat = plan.placements.first(where: { $0.contractID == id }) {
            let together = plan.placements.filter { $0.meeting == seat.meeting && seat.group != nil && $0.group == seat.group }
            standing = .planned([seat] + together.filter { $0.contractID != id },
                                meetingSeats: (plan.seatsUsed(at: seat.meeting),
                                               plan.meetings.first { $0.date == seat.meeting }?.capacity ?? 0))
        } else if let left = plan.notPlanned.first(where: { $0.contractID == id }) {
            standing = .notPlanned(left)
        } else {
            let candidate = collector.candidates.first { $0.contractID == id }!
            standing = .notSelected(Planner.whyNotSelected(candidate, last: last[id], policy: policy,
                                                           start: from ?? inputs.asOf))
        }
        let reviews = outcome.reviews.filter { $0.contractID == id }.sorted { $0.meetingDate < $1.meetingDate }
        return Outcome(explanation: explanation, standing: standing, historySource: outcome.report.history,
                       reviews: reviews, sensitivity: sensitivity)
    }
}

/// Every contract's plan candidate, and the full trail of the one explained.
struct ExplainedPlanCollector: EvaluationSink {
    let id: String
    var candidates: [PlanCandidate] = []
    var found: (Contract, Evaluation)?

    func evaluate(_ contracts: ArraySlice<Contract>, with evaluator: RuleEvaluator) throws(RuleError)
        -> ([PlanCandidate], (Contract, Evaluation)?) {
        var out: [PlanCandidate] = []
        var hit: (Contract, Evaluation)?
        out.reserveCapacity(contracts.count)
        for contract in contracts {
            let e = try evaluator.evaluate(contract)
            out.append(PlanCandidate(contract: contract, evaluation: e))
            if contract.id == id { hit = (contract, e) }
        }
        return (out, hit)
    }

    mutating func add(_ piece: ([PlanCandidate], (Contract, Evaluation)?), of contracts: ArraySlice<Contract>) {
        candidates += piece.0
        if let hit = piece.1 { found = hit }
    }
}
