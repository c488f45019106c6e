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
            Errors are what would make evaluate or plan fail, or read a value that does not \
            exist: syntax errors in every file, a missing tier(c) or score(c), globals read but \
            never defined (setings.tier) or made up inside a function (a mistyped local), \
            contract fields that do not exist (c.valu_total), settings keys read that do not \
            exist (t.gold_valeu), register columns the register lacks (c.extra.x, against \
            --portfolio), anything that stops evaluate on a contract of the register, tier names \
            that are not Gold, Silver or Bronze, and settings.plan values plan cannot use. \
            Warnings are legal but suspicious: settings no rule reads, tier branches neither the \
            register nor any synthetic probe contract reaches, and luacheck's unused locals and \
            arguments, hidden locals, values assigned and never used, unreachable code.

            Exit status: 0 when there are no errors (warnings only), 2 on any error, 3 when the \
            register has bad rows, 4 when the rules or the register cannot be read.
            """)

    @Option(help: "Rule pack directory.") var rules: String = "rules"
    @Option(name: .customLong("as-of"), help: "Evaluation date for the probe contracts (default: today).")
    var asOf: DateArgument?
    @Option(help: "Contract register to check the pack against (default: samples/portfolio.csv, when there).")
    var portfolio: String?

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
