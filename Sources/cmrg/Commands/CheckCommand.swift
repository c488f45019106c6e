import ArgumentParser
import Portfolio
import RuleEngine

/// `cmrg check`: loads the rule pack without evaluating any real contract and reports
/// mistakes with file:line (see PackCheck for what is checked and how).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load the rule pack and report mistakes with file:line.",
        discussion: """
            Reports syntax errors in every file, a missing tier(c) or score(c), globals that \
            are read but never defined (a typo like setings.tier), globals assigned inside a \
            function but never declared (a mistyped local), contract fields that do not exist \
            (c.valu_total), settings no rule reads, and tier branches no synthetic probe \
            contract reaches.

            Exit status: 0 when there are no errors (warnings only), 2 on any error, 4 when the \
            rules cannot be read.
            """)

    @Option(name: .long, help: "Rule pack directory.")
    var rules: String = "rules"

    @Option(name: .customLong("as-of"), help: "Evaluation date for the probe contracts (default: today).")
    var asOf: String?

    @OptionGroup var supervision: SupervisionOptions

    func validate() throws {
        if let asOf, ContractDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)")
        }
    }

    func run() throws {
        let pack: RulePack
        let report: PackCheckReport
        do throws(RuleError) {
            pack = try RulePack.load(directory: rules)
            let syntax = PackCheck.syntaxErrors(pack)
            if let last = syntax.last {
                for error in syntax.dropLast() { complain(error.description) }
                throw last // reported by the catch below, after the others (file order)
            }
            report = try PackCheck.run(pack: pack, asOf: asOf.flatMap { ContractDate(iso: $0) } ?? .today)
        } catch {
            complain(error.description)
            throw error.exitCode
        }
        let loaded = "\(rules): \(pack.files.count) rule files loaded; tier(c) and score(c) defined"
        if report.findings.isEmpty {
            print(loaded + "; no problems found")
            return
        }
        print(loaded)
        for finding in report.findings { print(TerminalText.escaped(finding.description, keepingLineBreaks: true)) }
        print("\(rules): \(count(report.errors, "error")), \(count(report.warnings, "warning"))")
        if report.errors > 0 { throw CMRGExit.ruleError }
    }

    func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
