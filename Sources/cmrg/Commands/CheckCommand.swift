import ArgumentParser
import Reports
import RuleEngine
import UseCases

/// `cmrg check`: the gate before a rule change is adopted; reports mistakes with file:line
/// (see PackCheck for what is checked and how).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load the rule pack and report mistakes with file:line.",
        discussion: """
            Errors (exit 2): whatever would make evaluate or plan fail or read a value that does \
            not exist, held against the register (--portfolio; the sample by default). Warnings \
            (exit 0): legal but suspicious code, as luacheck reports it. rules/README.md, \
            "Strict rules", lists both. Exit 3 or 4: the register has bad rows or cannot be read.
            """)

    @Option(help: "Rule pack directory.") var rules: String = "rules"
    @Option(name: .customLong("as-of"), help: "Evaluation date for the probe contracts (default: today).")
    var asOf: DateArgument?
    @Option(help: "Contract register to check the pack against (default: samples/portfolio.csv, when there).")
    var portfolio: String?

    @OptionGroup var supervision: SupervisionOptions

    func validate() throws { try DateArgument.check("--as-of", asOf) }

    func run() throws {
        let pack = try RulePack.load(directory: rules)
        let syntax = PackCheck.syntaxErrors(pack)
        if let last = syntax.last {
            for error in syntax.dropLast() { complain(error.description) }
            throw last // reported like any failure, after the others (file order)
        }
        let report = try PackCheckRun(pack: pack, portfolio: portfolio, asOf: asOf?.date ?? .today).run()
        print(CheckRenderer.render(report, pack: pack), terminator: "")
        if report.errors > 0 { throw Failure.ruleError }
    }
}
