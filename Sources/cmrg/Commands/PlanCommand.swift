import ArgumentParser
import Foundation
import Planner
import Portfolio
import Reports
import RuleEngine

/// `cmrg plan`: the forward review plan from the evaluated portfolio, the review history
/// and the rule pack's `settings.plan`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Build the forward plan: which contract is reviewed at which meeting, by whom, why and by when.",
        discussion: """
            Policy (meetings, capacity, horizon, review-by lead times, cooldowns, cycles, \
            officer load, audit handling, thresholds) comes from settings.plan in the rule pack. \
            Contracts are admitted highest score first while every admitted review still fits \
            its window (after its cooldown, before its review-by date); reviews are seated \
            earliest deadline first, then reordered by score wherever both stay in their windows. \
            Every selected or high-scoring contract left out is listed with the reason.

            History: --history names an SQLite history or a reviews CSV. Without it, \
            cmrg.sqlite beside the portfolio is used when it exists, else reviews.csv beside \
            it is read into memory (nothing is written), else the plan assumes no past reviews.
            """)

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Review history: SQLite file, or a reviews CSV read into memory.")
    var history: String?

    @Option(name: .long, help: "First day of the plan, YYYY-MM-DD (default: the --as-of date).")
    var from: String?

    func validate() throws {
        if let from, ContractDate(iso: from) == nil {
            throw ValidationError("--from \"\(from)\" is not a date (YYYY-MM-DD)")
        }
    }

    func run() throws {
        try exitOnHistoryFailure {
            let run = try EvaluationRun.run(rules, input, keepContracts: true)
            let asOf = rules.evaluationDate
            let settings = try RuleEvaluator(pack: run.pack, asOf: asOf, limits: rules.limits).planSettings
            let policy = try PlanPolicy(settings: settings)
            let (history, source) = try loadHistory()
            let last = try history?.lastReviews() ?? [:]

            let known = Set(run.portfolio.contracts.map(\.id))
            let strangers = last.keys.filter { !known.contains($0) }.sorted()
            if !strangers.isEmpty {
                complain("note: the review history has reviews of \(strangers.count) contract\(strangers.count == 1 ? "" : "s") not in \(input.portfolio): "
                         + strangers.prefix(10).joined(separator: ", ") + (strangers.count > 10 ? ", …" : ""))
            }
            let candidates = zip(run.portfolio.contracts, run.portfolio.evaluations).map { PlanCandidate(contract: $0, evaluation: $1) }
            let plan = Planner.plan(candidates: candidates, lastReviewed: last.mapValues(\.meetingDate), policy: policy,
                                    start: from.flatMap { ContractDate(iso: $0) } ?? asOf)
            let report = PlanReport(plan: plan, provenance: run.provenance, history: source)
            try emit(PlanRenderer.render(report, as: output.format), to: output.output)
        }
    }

    /// The history to plan with, and how to describe where it came from.
    func loadHistory() throws -> (ReviewHistory?, String) {
        let directory = (input.portfolio as NSString).deletingLastPathComponent
        func beside(_ name: String) -> String { directory.isEmpty ? name : directory + "/" + name }
        let path: String
        if let history {
            path = history
        } else if FileManager.default.fileExists(atPath: beside("cmrg.sqlite")) {
            path = beside("cmrg.sqlite")
        } else if FileManager.default.fileExists(atPath: beside("reviews.csv")) {
            path = beside("reviews.csv")
        } else {
            complain("note: no review history (\(beside("cmrg.sqlite")) or \(beside("reviews.csv"))): planning as if no contract was ever reviewed")
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
