import ArgumentParser
import Reports
import UseCases

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

    @Option(help: ArgumentHelp(
        "The adopted rules: a directory, or git:REV for the rules directory as committed at a git revision (git:HEAD).",
        valueName: "dir|git:rev"))
    var base: String

    @OptionGroup var common: RunOptions
    @OptionGroup var planning: PlanOptions
    @Option(help: "Size of the priority list compared, and how many of the largest movements are listed.") var top: Int = 10
    @Option(help: "Output format: table, markdown or json.") var format: DiffFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?
    @Flag(help: "Do not compare the forward plans (faster on national registers).") var noPlan = false

    func validate() throws { if top < 1 { throw ValidationError("--top must be 1 or more") } }

    func run() throws {
        let review = RuleChangeReview(common.inputs, base: .init(argument: base), history: planning.history,
                                      from: planning.from?.date, top: top, comparePlans: !noPlan)
        let report = try observed("compared") { try review.run($0) }
        try emit(DiffRenderer.render(report, as: format), to: output)
        if report.decisionsChanged { throw Failure.decisionsChange }
    }
}

extension DiffFormat: ExpressibleByArgument {}
