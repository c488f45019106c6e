import ArgumentParser
import Foundation
import Portfolio
import RuleEngine

/// `cmrg check`: loads the rule pack without evaluating any real contract and reports
/// mistakes with file:line (see PackCheck for what is checked and how).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load the rule pack and report mistakes with file:line.",
        discussion: """
            Errors are what would make evaluate or plan fail, or read a value that does not \
            exist: syntax errors in every file, a missing tier(c) or score(c), globals read but \
            never defined (setings.tier) or made up inside a function (a mistyped local), \
            contract fields that do not exist (c.valu_total), settings keys read that do not \
            exist (t.gold_valeu), register columns the register lacks (c.extra.x, against \
            --portfolio), anything that stops evaluate on a contract of the register, and tier \
            names that are not Gold, Silver or Bronze. Warnings are legal but suspicious: \
            settings no rule reads, tier branches neither the register nor any synthetic probe \
            contract reaches, and luacheck's unused locals and arguments, hidden locals, values \
            assigned and never used, unreachable code.

            Exit status: 0 when there are no errors (warnings only), 2 on any error, 3 when the \
            register has bad rows, 4 when the rules or the register cannot be read.
            """)

    @Option(name: .long, help: "Rule pack directory.")
    var rules: String = "rules"

    @Option(name: .customLong("as-of"), help: "Evaluation date for the probe contracts (default: today).")
    var asOf: String?

    @Option(name: .long, help: "Contract register to check the pack against (default: samples/portfolio.csv, when there).")
    var portfolio: String?

    static let defaultPortfolio = "samples/portfolio.csv"

    func validate() throws {
        if let asOf, ContractDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)")
        }
    }

    func run() throws {
        let pack: RulePack
        let report: PackCheckReport
        let failure = RegisterFailure()
        let register = register(failure)
        if let problem = failure.error { // the register cannot be opened: say so first
            complain(problem.description)
            throw problem.exitCode
        }
        do throws(RuleError) {
            pack = try RulePack.load(directory: rules)
            let syntax = PackCheck.syntaxErrors(pack)
            if let last = syntax.last {
                for error in syntax.dropLast() { complain(error.description) }
                throw last // reported by the catch below, after the others (file order)
            }
            report = try PackCheck.run(pack: pack, asOf: asOf.flatMap { ContractDate(iso: $0) } ?? .today,
                                       register: register)
        } catch {
            complain(error.description)
            throw error.exitCode
        }
        if let problem = failure.error {
            complain(problem.description)
            throw problem.exitCode
        }
        let loaded = "\(rules): \(pack.files.count) rule files loaded; tier(c) and score(c) defined"
        if report.findings.isEmpty {
            print(loaded + "; no problems found")
            return
        }
        print(loaded)
        for finding in report.findings { print(finding.description) }
        print("\(rules): \(count(report.errors, "error")), \(count(report.warnings, "warning"))")
        if report.errors > 0 { throw CMRGExit.ruleError }
    }

    func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    /// A register problem met while the pack is checked against it (reported after).
    final class RegisterFailure { var error: PortfolioError? }

    /// The register to hold the pack against: `--portfolio`, else the sample when it exists.
    func register(_ failure: RegisterFailure) -> CheckRegister? {
        let path = portfolio ?? Self.defaultPortfolio
        guard portfolio != nil || FileManager.default.fileExists(atPath: path) else { return nil }
        let reader: PortfolioReader
        do throws(PortfolioError) {
            reader = try PortfolioReader.open(path: path)
        } catch {
            failure.error = error
            return nil
        }
        return CheckRegister(path: path, extraColumns: reader.extraColumns) {
            guard failure.error == nil else { return [] }
            do throws(PortfolioError) { return try reader.nextBatch(max: 4096) } catch {
                failure.error = error
                return []
            }
        }
    }
}
