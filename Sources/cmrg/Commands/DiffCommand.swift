import ArgumentParser
import Foundation
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
            and rank movements, and contracts entering or leaving the top of the priority list.

            Typical use: cp -r rules rules-proposed; edit rules-proposed/settings.lua; \
            cmrg diff --base rules --rules rules-proposed. Or compare the working copy with the \
            committed rules: cmrg diff --base git:HEAD.

            Exit status: 0 when no decision changes (scores may move), 10 when a tier or the \
            top-N list changes, 1 usage (e.g. unknown git revision), 2 rule error in either \
            pack, 3 input data error, 4 I/O error.
            """)

    @Option(name: .long, help: ArgumentHelp(
        "The adopted rules: a directory, or git:REV for the rules directory as committed at a git revision (git:HEAD).",
        valueName: "dir|git:rev"))
    var base: String

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions

    @Option(name: .long, help: "Size of the priority list compared, and how many of the largest movements are listed.")
    var top: Int = 10

    @Option(name: .long, help: "Output format: table, markdown or json.")
    var format: DiffFormat = .table

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be 1 or more") }
    }

    func run() throws {
        try exitOnFailure {
            let new = try rules.loadPack()
            let old = try loadBase()
            let reader = try input.open()
            let asOf = rules.evaluationDate
            let progress = ProgressLine(label: "compared")
            let diff = try PackDiff.compare(reader, base: old, new: new, asOf: asOf, jobs: rules.jobs,
                                            limits: rules.limits, top: top, movementLimit: top,
                                            progress: progress.update)
            progress.finish()
            for issue in diff.skipped { complain("skipped \(issue)") }
            for notice in diff.notices { complain("note: \(notice)") }
            let inputSHA256 = try Fingerprint.file(atPath: input.portfolio)
            func provenance(_ pack: RulePack) -> Provenance {
                Provenance(toolVersion: cmrgVersion, rulesSHA256: Fingerprint.rulePack(pack), inputSHA256: inputSHA256,
                           rulesDirectory: pack.directory, inputPath: input.portfolio, asOf: asOf.iso)
            }
            let report = DiffReport(diff: diff, base: provenance(old), new: provenance(new))
            try emit(DiffRenderer.render(report, as: format), to: output)

            // Plan changes (added / removed / moved meetings) belong here once `cmrg plan`
            // (Planner) lands: plan both evaluated portfolios and diff the two plans.

            if diff.decisionsChanged { throw ExitCode(10) }
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
