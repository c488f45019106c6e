import ArgumentParser
import Reports
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

    @Option(help: "Rule pack directory.") var rules: String = "rules"
    @Option(name: .customLong("as-of"), help: "Evaluation date for the probe contracts (default: today).")
    var asOf: DateArgument?

    @OptionGroup var supervision: SupervisionOptions

    func validate() throws { try DateArgument.check("--as-of", asOf) }

    func run() throws {
        let pack = try RulePack.load(directory: rules)
        let syntax = PackCheck.syntaxErrors(pack)
        if let last = syntax.last {
            for error in syntax.dropLast() { complain(error.description) }
            throw last // reported like any failure, after the others (file order)
        }
        let report = try PackCheck.run(pack: pack, asOf: asOf?.date ?? .today)
        print(CheckRenderer.render(report, pack: pack), terminator: "")
        if report.errors > 0 { throw Failure.ruleError }
    }
}
