import ArgumentParser
import Foundation
import Planner
import Portfolio
import RuleEngine

/// Options naming the review history and the plan's first day (plan and report share them).
struct PlanOptions: ParsableArguments {
    @Option(name: .long, help: "Review history: SQLite file, or a reviews CSV read into memory.")
    var history: String?

    @Option(name: .long, help: "First day of the plan, YYYY-MM-DD (default: the --as-of date).")
    var from: String?

    func validate() throws {
        if let from, ContractDate(iso: from) == nil {
            throw ValidationError("--from \"\(from)\" is not a date (YYYY-MM-DD)")
        }
    }
}

/// The shared path of plan / report: evaluate, read the pack's plan policy and the review
/// history, and schedule.
struct PlanningRun {
    var evaluation: EvaluationRun
    var plan: ForwardPlan
    /// Every recorded review (empty without a history).
    var reviews: [Review]
    /// Where the review history came from, in words.
    var historySource: String

    static func run(_ rules: RuleOptions, _ input: PortfolioOptions, _ options: PlanOptions) throws -> PlanningRun {
        let run = try EvaluationRun.run(rules, input, keepContracts: true)
        let asOf = rules.evaluationDate
        let settings = try RuleEvaluator(pack: run.pack, asOf: asOf, limits: rules.limits).planSettings
        let policy = try PlanPolicy(settings: settings)
        let (history, source) = try loadHistory(options.history, beside: input.portfolio)
        let reviews = try history?.reviews() ?? []
        let last = try history?.lastReviews() ?? [:]

        let known = Set(run.portfolio.contracts.map(\.id))
        let strangers = last.keys.filter { !known.contains($0) }.sorted()
        if !strangers.isEmpty {
            complain("note: the review history has reviews of \(strangers.count) contract\(strangers.count == 1 ? "" : "s") not in \(input.portfolio): "
                     + strangers.prefix(10).joined(separator: ", ") + (strangers.count > 10 ? ", …" : ""))
        }
        let candidates = zip(run.portfolio.contracts, run.portfolio.evaluations).map { PlanCandidate(contract: $0, evaluation: $1) }
        let plan = Planner.plan(candidates: candidates, history: pastReviews(last), policy: policy,
                                start: options.from.flatMap { ContractDate(iso: $0) } ?? asOf)
        return PlanningRun(evaluation: run, plan: plan, reviews: reviews, historySource: source)
    }

    /// What the planner needs of each contract's latest review (date, outcome, follow-up).
    static func pastReviews(_ last: [String: Review]) -> [String: PastReview] {
        last.mapValues { PastReview(date: $0.meetingDate, outcome: $0.outcome.rawValue, followUp: $0.followUpDate) }
    }

    /// The history to plan with, and how to describe where it came from: `--history`, else
    /// cmrg.sqlite beside the portfolio, else reviews.csv beside it read into memory (a fresh
    /// clone writes nothing), else none.
    static func loadHistory(_ explicit: String?, beside portfolio: String) throws -> (ReviewHistory?, String) {
        switch HistoryLocation.resolve(explicit: explicit, portfolio: portfolio) {
        case .none(let looked):
            complain("note: no review history (\(looked.joined(separator: " or "))): planning as if no contract was ever reviewed")
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
}
