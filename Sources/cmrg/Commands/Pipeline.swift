import ArgumentParser
import Foundation
import Portfolio
import Reports
import RuleEngine

/// The shared path of evaluate / explain / plan: load the pack, stream the portfolio through
/// it, fingerprint both. Everything that can go wrong comes back as a thrown error that
/// `exitOnFailure` turns into a message and an exit status.
struct EvaluationRun {
    var pack: RulePack
    var portfolio: EvaluatedPortfolio
    var provenance: Provenance
    var inputPath: String

    static func run(_ rules: RuleOptions, _ input: PortfolioOptions, keepContracts: Bool = false) throws -> EvaluationRun {
        let pack = try rules.loadPack()
        let reader = try input.open()
        let asOf = rules.evaluationDate
        let progress = ProgressLine(label: "evaluated")
        let portfolio = try EvaluatedPortfolio.evaluate(
            reader, pack: pack, asOf: asOf, jobs: rules.jobs, limits: rules.limits,
            keepContracts: keepContracts, progress: progress.update)
        progress.finish()
        for issue in portfolio.skipped { complain("skipped \(issue)") }
        for notice in portfolio.notices { complain("note: \(notice)") }
        let provenance = Provenance(
            toolVersion: cmrgVersion, rulesSHA256: Fingerprint.rulePack(pack),
            inputSHA256: try Fingerprint.file(atPath: input.portfolio), rulesDirectory: rules.rules,
            inputPath: input.portfolio, asOf: asOf.iso)
        return EvaluationRun(pack: pack, portfolio: portfolio, provenance: provenance, inputPath: input.portfolio)
    }

    var ranked: RankedEvaluations { RankedEvaluations(portfolio.evaluations, provenance: provenance) }
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
