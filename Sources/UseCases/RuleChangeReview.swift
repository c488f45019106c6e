import Planner
import Portfolio
import RuleEngine
import Workers

/// The dry run of a rule change: the adopted rules (`base`) and the proposed ones over the
/// same register in one pass, what changes in tiers and priorities, and how the forward plan
/// changes when both packs define `settings.plan` (both plans use the same review history).
public struct RuleChangeReview {
    /// The proposed rules are `inputs.rules`.
    public var inputs: RunInputs
    public var base: BaseRules
    /// `--history` and the plan's first day, as for a planning session.
    public var history: String?
    public var from: ContractDate?
    /// Size of the priority list compared, and how many of the largest movements are kept.
    public var top: Int
    /// Compare the forward plans (when both packs define them).
    public var comparePlans: Bool

    public init(_ inputs: RunInputs, base: BaseRules, history: String? = nil, from: ContractDate? = nil, top: Int = 10,
                comparePlans: Bool = true) {
        self.inputs = inputs
        self.base = base
        self.history = history
        self.from = from
        self.top = top
        self.comparePlans = comparePlans
    }

    /// The adopted rules: a directory, or the proposed rules' directory as committed at a git
    /// revision.
    public enum BaseRules: Sendable, Equatable {
        case directory(String)
        case gitRevision(String)

        /// `git:REV` or a directory, as `--base` takes it.
        public init(argument: String) {
            self = argument.hasPrefix("git:") ? .gitRevision(String(argument.dropFirst(4))) : .directory(argument)
        }
    }

    public func run(_ observer: RunObserver = RunObserver()) throws -> DiffReport {
        let newFiles = try inputs.readRules()
        let baseFiles: RulePack
        switch base {
        case .directory(let directory): baseFiles = try RulePack.load(directory: directory)
        case .gitRevision(let revision): baseFiles = try RulePack.load(gitRevision: revision, directory: inputs.rules)
        }
        let reader = try inputs.openPortfolio()
        // The new pack first: when both are broken, its error is the one reported.
        let new = try PreparedPack(newFiles, asOf: inputs.asOf, limits: inputs.limits)
        let old = try PreparedPack(baseFiles, asOf: inputs.asOf, limits: inputs.limits)

        // Each side's policy is read before the long pass, so a broken settings.plan fails fast.
        var policies: (old: PlanPolicy, new: PlanPolicy)?
        var planNote: String?
        switch (old.definesPlan, new.definesPlan) {
        case _ where !comparePlans: planNote = "--no-plan"
        case (true, true): policies = (try old.planPolicy(), try new.planPolicy())
        case (false, false): planNote = "neither rule pack defines settings.plan"
        case (false, true): planNote = "\(old.directory) defines no settings.plan"
        case (true, false): planNote = "\(new.directory) defines no settings.plan"
        }

        var sink = RuleChangeCollector(plans: policies != nil)
        try PreparedPack.evaluate(reader, base: old, new: new, jobs: inputs.jobs, into: &sink,
                                  interruption: observer.interruption, progress: observer.progress)
        observer.noteInputIssues(skipped: reader.skipped, notices: reader.notices)
        let diff = sink.differ.finish(top: top, movementLimit: top, ruleChanges: RuleChanges(base: old, new: new),
                                      skipped: reader.skipped, notices: reader.notices)

        var planChanges: PlanChanges?
        if let policies {
            let (history, _) = try PlanningSession.history(history, beside: inputs.portfolio, observer)
            let last = PlanningSession.pastReviews(try history?.lastReviews() ?? [:])
            let start = from ?? inputs.asOf
            // The two plans are independent: make them on two cores.
            let sides = [(sink.before, policies.old), (sink.after, policies.new)]
            let plans = OrderedWorkers.map(sides, threads: 2) { candidates, policy in
                Planner.plan(candidates: candidates, history: last, policy: policy, start: start)
            }
            planChanges = PlanChanges(before: plans[0], after: plans[1])
        }

        let inputSHA256 = try Fingerprint.file(atPath: inputs.portfolio)
        return DiffReport(diff: diff, base: try Provenance(pack: old, inputs, inputSHA256: inputSHA256),
                          new: try Provenance(pack: new, inputs, inputSHA256: inputSHA256), plan: planChanges,
                          planNote: planNote)
    }
}

/// The diff and, when the plans are compared, both sides' plan candidates, from one pass.
struct RuleChangeCollector: PairEvaluationSink {
    var differ = PackDiffer()
    let plans: Bool
    var before: [PlanCandidate] = [], after: [PlanCandidate] = []

    func evaluate(_ contracts: ArraySlice<Contract>, base: RuleEvaluator, new: RuleEvaluator) throws(RuleError)
        -> (PackDiffer.Piece, [PlanCandidate], [PlanCandidate]) {
        var old: [Evaluation] = [], proposed: [Evaluation] = []
        old.reserveCapacity(contracts.count)
        proposed.reserveCapacity(contracts.count)
        for contract in contracts {
            let pair = try RuleEvaluator.evaluate(contract, base: base, new: new)
            old.append(pair.before)
            proposed.append(pair.after)
        }
        let piece = differ.compare(before: old, after: proposed)
        guard plans else { return (piece, [], []) }
        return (piece, zip(contracts, old).map { PlanCandidate(contract: $0, evaluation: $1) },
                zip(contracts, proposed).map { PlanCandidate(contract: $0, evaluation: $1) })
    }

    mutating func add(_ piece: (PackDiffer.Piece, [PlanCandidate], [PlanCandidate]), of contracts: ArraySlice<Contract>) {
        differ.add(piece.0, of: contracts)
        before += piece.1
        after += piece.2
    }
}

/// A pack diff with where it came from: the old and new rules and the portfolio.
public struct DiffReport: Sendable {
    public var diff: PackDiff
    /// `rulesDirectory` / `rulesSHA256` of the old rules (the base).
    public var base: Provenance
    /// The new rules, the input and the evaluation date.
    public var new: Provenance
    /// How the forward plan changes; nil when the plans were not compared (`planNote` says why).
    public var plan: PlanChanges?
    public var planNote: String?

    public init(diff: PackDiff, base: Provenance, new: Provenance, plan: PlanChanges? = nil, planNote: String? = nil) {
        self.diff = diff
        self.base = base
        self.new = new
        self.plan = plan
        self.planNote = planNote
    }

    /// A tier, the top-N list or the forward plan changes (`cmrg diff` exits 10).
    public var decisionsChanged: Bool { diff.decisionsChanged || !(plan?.isEmpty ?? true) }
}
