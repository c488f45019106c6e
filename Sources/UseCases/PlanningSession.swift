import Foundation
import History
import Planner
import Portfolio
import RuleEngine

/// Making the forward plan: evaluate the register, read the pack's plan policy and the review
/// history (found beside the register unless named), and schedule.
public struct PlanningSession {
    public var inputs: RunInputs
    /// `--history`: an SQLite history or a reviews CSV; nil: look beside the register.
    public var history: String?
    /// The plan's first day (nil: the evaluation date).
    public var from: ContractDate?

    public init(_ inputs: RunInputs, history: String? = nil, from: ContractDate? = nil) {
        self.inputs = inputs
        self.history = history
        self.from = from
    }

    public struct Outcome: Sendable {
        /// The plan, its provenance and where the history came from.
        public var report: PlanReport
        /// Every recorded review (empty without a history).
        public var reviews: [Review]
    }

    /// The plan; each worker keeps only plan candidates of the contracts it evaluates.
    public func run(_ observer: RunObserver = RunObserver()) throws -> Outcome {
        try run(keepingEvaluations: false, observer).outcome
    }

    /// The plan, and every evaluation and contract (the meeting report shows them).
    public func runKeepingEvaluations(_ observer: RunObserver = RunObserver()) throws -> (Outcome, EvaluatedPortfolio) {
        let (outcome, portfolio) = try run(keepingEvaluations: true, observer)
        return (outcome, portfolio!)
    }

    func run(keepingEvaluations keepEvaluations: Bool, _ observer: RunObserver) throws
        -> (outcome: Outcome, portfolio: EvaluatedPortfolio?) {
        let candidates: [PlanCandidate]
        var portfolio: EvaluatedPortfolio?
        let evaluation = PortfolioEvaluation(inputs)
        let pack: PreparedPack, provenance: Provenance
        if keepEvaluations {
            let run = try evaluation.evaluations(keepContracts: true, observer)
            portfolio = run.portfolio
            candidates = zip(run.portfolio.contracts, run.portfolio.evaluations).map { PlanCandidate(contract: $0, evaluation: $1) }
            (pack, provenance) = (run.pack, run.provenance)
        } else {
            var collector = PlanCandidateCollector()
            (pack, _) = try evaluation.run(into: &collector, observer)
            candidates = collector.candidates
            provenance = try Provenance(pack: pack, inputs)
        }
        return (try schedule(candidates, pack: pack, provenance: provenance, observer).outcome, portfolio)
    }

    /// The plan of evaluated `candidates` with the pack's policy and the review history (found
    /// as `history(_:beside:_:)` finds it); also the policy and each contract's latest review.
    func schedule(_ candidates: [PlanCandidate], pack: PreparedPack, provenance: Provenance, _ observer: RunObserver) throws
        -> (outcome: Outcome, policy: PlanPolicy, last: [String: PastReview]) {
        let policy = try pack.planPolicy()
        let (history, source) = try Self.history(history, beside: inputs.portfolio, observer)
        let reviews = try history?.reviews() ?? []
        let last = try history?.lastReviews() ?? [:]

        let known = Set(candidates.map(\.contractID))
        let strangers = last.keys.filter { !known.contains($0) }.sorted()
        if !strangers.isEmpty { observer.note(.unknownReviewedContracts(strangers, portfolio: inputs.portfolio)) }
        let past = Self.pastReviews(last)
        let plan = Planner.plan(candidates: candidates, history: past, policy: policy, start: from ?? inputs.asOf)
        return (Outcome(report: PlanReport(plan: plan, provenance: provenance, history: source), reviews: reviews), policy, past)
    }

    /// The history to plan with, and where it came from in words, found by the one rule
    /// every history command shares (`HistoryLocation`): `explicit`, else cmrg.sqlite beside
    /// the register, else reviews.csv beside it read into memory (a fresh clone writes
    /// nothing), else none.
    public static func history(_ explicit: String?, beside portfolio: String, _ observer: RunObserver) throws
        -> (ReviewHistory?, String) {
        switch HistoryLocation.resolve(explicit: explicit, portfolio: portfolio) {
        case .none(let looked):
            observer.note(.noHistory(looked: looked))
            return (nil, "none")
        case .csv(let path):
            let memory = try ReviewHistory.inMemory()
            let added = try memory.importReviews(try ReviewCSV.read(path: path)).added
            return (memory, "\(path) (\(added) review\(added == 1 ? "" : "s"), read into memory)")
        case .database(let path):
            let database = try ReviewHistory.open(path: path, create: false)
            let count = try database.count()
            return (database, "\(path) (\(count) review\(count == 1 ? "" : "s"))")
        }
    }

    /// What the planner needs of each contract's latest review (date, outcome, follow-up).
    public static func pastReviews(_ last: [String: Review]) -> [String: PastReview] {
        last.mapValues { PastReview(date: $0.meetingDate, outcome: $0.outcome.rawValue, followUp: $0.followUpDate) }
    }
}

/// A forward plan with what it was made from, ready to render.
public struct PlanReport: Sendable {
    public var plan: ForwardPlan
    public var provenance: Provenance
    /// Where the review history came from, e.g. "samples/reviews.csv (16 reviews, read into memory)".
    public var history: String

    public init(plan: ForwardPlan, provenance: Provenance, history: String) {
        self.plan = plan
        self.provenance = provenance
        self.history = history
    }
}
