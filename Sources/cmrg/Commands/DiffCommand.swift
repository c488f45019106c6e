import ArgumentParser
import Foundation
import Planner
import Portfolio
import Reports
import RuleEngine

/// `cmrg diff`: the dry run of a rule change. Evaluates the portfolio under the adopted rules
/// (`--base`) and the proposed ones (`--rules`) in one pass and says what changes.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Dry run of a rule change: what the new rules do to tiers and priorities.",
        discussion: """
            Compares the decisions of two rule packs over the same portfolio: tier transitions, \
            every contract whose tier changes with the reasons on both sides, the largest score \
            and rank movements, contracts entering or leaving the top of the priority list, and \
            the forward plan (reviews added, removed or moved to another meeting) when both packs \
            define settings.plan; both plans use the same review history (see cmrg plan).

            Typical use: cp -r rules rules-proposed; edit rules-proposed/settings.lua; \
            cmrg diff --base rules --rules rules-proposed. Or compare the working copy with the \
            committed rules: cmrg diff --base git:HEAD.

            Exit status: 0 when no decision changes (scores may move), 10 when a tier, the \
            top-N list or the forward plan changes, 1 usage (e.g. unknown git revision), 2 rule error in either \
            pack, 3 input data error, 4 I/O error.
            """)

    @Option(name: .long, help: ArgumentHelp(
        "The adopted rules: a directory, or git:REV for the rules directory as committed at a git revision (git:HEAD).",
        valueName: "dir|git:rev"))
    var base: String

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions
    @OptionGroup var planning: PlanOptions

    @Option(name: .long, help: "Size of the priority list compared, and how many of the largest movements are listed.")
    var top: Int = 10

    @Option(name: .long, help: "Output format: table, markdown or json.")
    var format: DiffFormat = .table

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Flag(name: .customLong("no-plan"), help: "Do not compare the forward plans (faster on national registers).")
    var noPlan = false

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be 1 or more") }
    }

    func run() throws {
        try exitOnHistoryFailure {
            let new = try rules.loadPack()
            let old = try loadBase()
            let reader = try input.open()
            let asOf = rules.evaluationDate

            // The plans are compared when both packs have plan settings; each side's policy
            // is read before the long pass so a broken settings.plan fails fast.
            let planNew = try RuleEvaluator(pack: new, asOf: asOf, limits: rules.limits).planSettings
            let planOld = try RuleEvaluator(pack: old, asOf: asOf, limits: rules.limits).planSettings
            var policies: (old: PlanPolicy, new: PlanPolicy)?
            var planNote: String?
            switch (planOld.isNil, planNew.isNil) {
            case _ where noPlan: planNote = "--no-plan"
            case (false, false): policies = (try PlanPolicy(settings: planOld), try PlanPolicy(settings: planNew))
            case (true, true): planNote = "neither rule pack defines settings.plan"
            case (true, false): planNote = "\(old.directory) defines no settings.plan"
            case (false, true): planNote = "\(new.directory) defines no settings.plan"
            }
            var candidatesBefore: [PlanCandidate] = [], candidatesAfter: [PlanCandidate] = []

            let progress = ProgressLine(label: "compared")
            let diff = try PackDiff.compare(
                reader, base: old, new: new, asOf: asOf, jobs: rules.jobs, limits: rules.limits, top: top,
                movementLimit: top, progress: progress.update,
                observe: policies == nil ? nil : { batch, before, after in
                    for i in batch.indices {
                        candidatesBefore.append(PlanCandidate(contract: batch[i], evaluation: before[i]))
                        candidatesAfter.append(PlanCandidate(contract: batch[i], evaluation: after[i]))
                    }
                })
            progress.finish()
            for issue in diff.skipped { complain("skipped \(issue)") }
            for notice in diff.notices { complain("note: \(notice)") }

            var planChanges: PlanChanges?
            if let policies {
                let (history, _) = try PlanningRun.loadHistory(planning.history, beside: input.portfolio)
                let last = PlanningRun.pastReviews(try history?.lastReviews() ?? [:])
                let start = planning.from.flatMap { ContractDate(iso: $0) } ?? asOf
                // The two plans are independent: make them on two cores.
                let plans = TwoPlans()
                let inputs = [(candidatesBefore, policies.old), (candidatesAfter, policies.new)]
                DispatchQueue.concurrentPerform(iterations: 2) { side in
                    plans.set(side, Planner.plan(candidates: inputs[side].0, history: last, policy: inputs[side].1, start: start))
                }
                planChanges = PlanChanges(before: plans.get(0), after: plans.get(1))
            }

            let inputSHA256 = try Fingerprint.file(atPath: input.portfolio)
            func provenance(_ pack: RulePack) -> Provenance {
                Provenance(toolVersion: cmrgVersion, rulesSHA256: Fingerprint.rulePack(pack), inputSHA256: inputSHA256,
                           rulesDirectory: pack.directory, inputPath: input.portfolio, asOf: asOf.iso)
            }
            let report = DiffReport(diff: diff, base: provenance(old), new: provenance(new), plan: planChanges,
                                    planNote: planNote)
            try emit(DiffRenderer.render(report, as: format), to: output)
            if report.decisionsChanged { throw ExitCode(10) }
        }
    }

    /// The base pack: a directory, or `git:REV` for `--rules` as committed at REV.
    func loadBase() throws -> RulePack {
        guard base.hasPrefix("git:") else { return try RulePack.load(directory: base) }
        do {
            return try RulePack.load(gitRevision: String(base.dropFirst(4)), directory: rules.rules)
        } catch {
            complain(error.description)
            throw error.kind == .unavailable ? CMRGExit.ioError : ExitCode(1)
        }
    }
}

extension DiffFormat: ExpressibleByArgument {}

/// The before and after plans, each written by one concurrentPerform iteration (disjoint
/// slots of raw storage: no exclusive access to a shared array across threads).
final class TwoPlans: @unchecked Sendable {
    private let slots = UnsafeMutablePointer<ForwardPlan?>.allocate(capacity: 2)
    init() { slots.initialize(repeating: nil, count: 2) }
    deinit {
        slots.deinitialize(count: 2)
        slots.deallocate()
    }
    func set(_ side: Int, _ plan: ForwardPlan) { slots[side] = plan }
    func get(_ side: Int) -> ForwardPlan { slots[side]! }
}
