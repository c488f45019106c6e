import Portfolio
import RuleEngine

/// What the planner needs to know of one evaluated contract. Built from a `Contract` and
/// its `Evaluation`, or by hand in tests.
public struct PlanCandidate: Sendable, Equatable {
    public var contractID: String
    public var title: String
    public var tier: Tier
    /// The rule pack's priority score: higher = review sooner.
    public var score: Double
    public var leadOfficer: String?
    public var endDate: ContractDate?
    /// The latest end date if every extension option is taken.
    public var maxEndDate: ContractDate?
    /// The councillor who asked for a review, if any.
    public var memberSuggested: String?
    /// When the member asked; a review on or after it answers the suggestion. An undated
    /// suggestion is answered by any recorded review.
    public var memberSuggestedOn: ContractDate?
    /// "tender" when the notice has no award yet (never planned); see `ContractLifecycle`.
    public var noticeStage: String?
    /// Contracts sharing a review group are reviewed together at one meeting, in one seat.
    public var reviewGroup: String?
    /// The internal audit year covering the contract, e.g. "2026/27".
    public var auditPlanned: String?
    /// Short reasons behind the score (largest factors first), shown with a placement.
    public var highlights: [String]
    /// What the pack's `flags(c)` flagged, carried to the plan's rows.
    public var flags: [RuleFlag] = []

    public init(contractID: String, title: String, tier: Tier, score: Double, leadOfficer: String? = nil,
                endDate: ContractDate? = nil, maxEndDate: ContractDate? = nil, memberSuggested: String? = nil,
                memberSuggestedOn: ContractDate? = nil, auditPlanned: String? = nil, highlights: [String] = [],
                noticeStage: String? = nil, reviewGroup: String? = nil) {
        self.contractID = contractID
        self.title = title
        self.tier = tier
        self.score = score
        self.leadOfficer = leadOfficer
        self.endDate = endDate
        self.maxEndDate = maxEndDate
        self.memberSuggested = memberSuggested
        self.memberSuggestedOn = memberSuggestedOn
        self.noticeStage = noticeStage
        self.reviewGroup = reviewGroup
        self.auditPlanned = auditPlanned
        self.highlights = highlights
    }

    /// The contract's lifecycle on `date`, "ending" within `lookAheadMonths`.
    public func lifecycle(on date: ContractDate, lookAheadMonths: Int) -> ContractLifecycle {
        ContractLifecycle(stage: noticeStage, finalEnd: [endDate, maxEndDate].compactMap { $0 }.max(), on: date,
                          lookAheadMonths: lookAheadMonths)
    }

    /// A candidate from a contract and the rule pack's evaluation of it; the highlights are
    /// the texts of the `highlightCount` largest positive factors.
    public init(contract: Contract, evaluation: Evaluation, highlightCount: Int = 3) {
        let highlights = evaluation.topFactors.filter { $0.points > 0 && !$0.text.isEmpty }
            .prefix(highlightCount).map(\.text)
        self.init(contractID: contract.id, title: contract.title, tier: evaluation.tier, score: evaluation.score,
                  leadOfficer: contract.leadOfficer, endDate: contract.endDate, maxEndDate: contract.maxEndDate,
                  memberSuggested: contract.memberSuggested, memberSuggestedOn: contract.memberSuggestedOn, auditPlanned: contract.auditPlanned,
                  highlights: Array(highlights), noticeStage: contract.noticeStage,
                  reviewGroup: contract.reviewGroup)
        flags = evaluation.flags
    }
}

/// The plan candidates of a streamed register (an `EvaluationSink`): each worker turns its
/// contracts' evaluations into candidates, so no full trail is kept.
public struct PlanCandidateCollector: EvaluationSink {
    public private(set) var candidates: [PlanCandidate] = []

    public init() {}

    public func evaluate(_ contracts: ArraySlice<Contract>, with evaluator: RuleEvaluator) throws(RuleError) -> [PlanCandidate] {
        var out: [PlanCandidate] = []
        out.reserveCapacity(contracts.count)
        for contract in contracts { out.append(PlanCandidate(contract: contract, evaluation: try evaluator.evaluate(contract))) }
        return out
    }

    public mutating func add(_ piece: [PlanCandidate], of contracts: ArraySlice<Contract>) { candidates += piece }
}
