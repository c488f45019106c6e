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
        let policy = try pack.planPolicy()
        let (history, source) = try Self.history(history, beside: inputs.portfolio, observer)
        let reviews = try history?.reviews() ?? []
        let last = try history?.lastReviews() ?? [:]

        let known = Set(candidates.map(\.contractID))
        let strangers = last.keys.filter { !known.contains($0) }.sorted()
        if !strangers.isEmpty { observer.note(.unknownReviewedContracts(strangers, portfolio: inputs.portfolio)) }
        let plan = Planner.plan(candidates: candidates, lastReviewed: last.mapValues(\.meetingDate), policy: policy,
                                start: from ?? inputs.asOf)
        return (Outcome(report: PlanReport(plan: plan, provenance: provenance, history: source), reviews: reviews),
                portfolio)
    }

    /// The history to plan with, and where it came from in words: `explicit`, else
    /// cmrg.sqlite beside the register, else reviews.csv beside it read into memory (a fresh
    /// clone writes nothing), else none.
    static func history(_ explicit: String?, beside portfolio: String, _ observer: RunObserver) throws
        -> (ReviewHistory?, String) {
        let directory = (portfolio as NSString).deletingLastPathComponent
        func beside(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
        let path: String
        if let explicit {
            path = explicit
        } else if FileManager.default.fileExists(atPath: beside("cmrg.sqlite")) {
            path = beside("cmrg.sqlite")
        } else if FileManager.default.fileExists(atPath: beside("reviews.csv")) {
            path = beside("reviews.csv")
        } else {
            observer.note(.noHistory(looked: [beside("cmrg.sqlite"), beside("reviews.csv")]))
            return (nil, "none")
        }
        if path.lowercased().hasSuffix(".csv") {
            let memory = try ReviewHistory.inMemory()
            let added = try memory.importReviews(try ReviewCSV.read(path: path)).added
            return (memory, "\(path) (\(added) review\(added == 1 ? "" : "s"), read into memory)")
        }
        let database = try ReviewHistory.open(path: path, create: false)
        let count = try database.count()
        return (database, "\(path) (\(count) review\(count == 1 ? "" : "s"))")
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
