import ArgumentParser
import Foundation
import Portfolio
import Reports
import RuleEngine

/// The shared path of evaluate / explain / plan: load the pack, stream the portfolio through
/// it, fingerprint both. Everything that can go wrong comes back as a thrown error that
/// `exitOnFailure` turns into a message and an exit status.
struct EvaluationRun {
    var pack: PreparedPack
    var portfolio: EvaluatedPortfolio
    var provenance: Provenance
    var inputPath: String

    static func run(_ rules: RuleOptions, _ input: PortfolioOptions, keepContracts: Bool = false) throws -> EvaluationRun {
        let files = try rules.loadPack()
        let reader = try input.open()
        let asOf = rules.evaluationDate
        let pack = try PreparedPack(files, asOf: asOf, limits: rules.limits)
        let progress = ProgressLine(label: "evaluated")
        let portfolio = try pack.evaluateAll(reader, jobs: rules.jobs, keepContracts: keepContracts, progress: progress.update)
        progress.finish()
        reportInputIssues(skipped: portfolio.skipped, notices: portfolio.notices)
        let provenance = try Provenance(pack: pack, rules, input, asOf: asOf, fingerprintInput: true)
        return EvaluationRun(pack: pack, portfolio: portfolio, provenance: provenance, inputPath: input.portfolio)
    }

    var ranked: RankedEvaluations { RankedEvaluations(portfolio.evaluations, provenance: provenance) }
}

/// The lean path of evaluate, for the outputs that show no trail (table, CSV, Markdown): only
/// what ranking needs is kept per contract, so a national register runs in bounded memory.
struct SummaryRun {
    var summary: PortfolioSummary
    var provenance: Provenance

    /// `fingerprintInput`: hash the input for provenance (only outputs that show it need it,
    /// and a national register takes a while to hash).
    static func run(_ rules: RuleOptions, _ input: PortfolioOptions, fingerprintInput: Bool) throws -> SummaryRun {
        let files = try rules.loadPack()
        let reader = try input.open()
        let asOf = rules.evaluationDate
        let pack = try PreparedPack(files, asOf: asOf, limits: rules.limits)
        let progress = ProgressLine(label: "evaluated")
        let summary = try pack.summarize(reader, jobs: rules.jobs, progress: progress.update)
        progress.finish()
        reportInputIssues(skipped: summary.skipped, notices: summary.notices)
        let provenance = try Provenance(pack: pack, rules, input, asOf: asOf, fingerprintInput: fingerprintInput)
        return SummaryRun(summary: summary, provenance: provenance)
    }

    var ranked: RankedSummaries { RankedSummaries(summary, provenance: provenance) }
}

func reportInputIssues(skipped: [InputIssue], notices: [InputIssue]) {
    for issue in skipped { complain("skipped \(issue)") }
    for notice in notices { complain("note: \(notice)") }
}

extension Provenance {
    init(pack: PreparedPack, _ rules: RuleOptions, _ input: PortfolioOptions, asOf: ContractDate, fingerprintInput: Bool) throws {
        self.init(
            toolVersion: cmrgVersion, rulesSHA256: pack.sha256,
            inputSHA256: fingerprintInput ? try Fingerprint.file(atPath: input.portfolio) : "", rulesDirectory: rules.rules,
            inputPath: input.portfolio, asOf: asOf.iso)
    }
}

/// Streams rendered output to a file atomically, or to standard output.
func emit(to path: String?, _ render: (OutputBuffer) -> Void) throws {
    let writer = try AtomicFile.Writer(path: path ?? "-")
    let out = OutputBuffer { bytes throws(AtomicFile.WriteError) in try writer.write(bytes) }
    render(out)
    try out.finish()
    try writer.commit()
}

/// Writes command output to a file atomically, or to standard output.
func emit(_ text: String, to path: String?) throws {
    if let path {
        try AtomicFile.write(text, to: path)
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Runs a command body, turning every known failure into "cmrg: message" on stderr and the
/// README's exit status (2 rule, 3 input data, 4 I/O).
func exitOnFailure(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as RuleError {
        complain(error.description)
        throw error.exitCode
    } catch let error as PortfolioError {
        complain(error.description)
        throw error.kind == .unreadable ? CMRGExit.ioError : CMRGExit.inputError
    } catch let error as AtomicFile.WriteError {
        complain(error.description)
        throw CMRGExit.ioError
    } catch let error as CocoaError {
        complain(error.localizedDescription)
        throw CMRGExit.ioError
    }
}

/// "evaluated 120000 contracts" on stderr, redrawn in place, only when stderr is a terminal.
final class ProgressLine {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private var last = 0
    private var shown = false

    init(label: String) { self.label = label }

    func update(_ count: Int) {
        guard enabled, count - last >= 50_000 else { return }
        last = count
        shown = true
        FileHandle.standardError.write(Data("\r\(label) \(count) contracts".utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
