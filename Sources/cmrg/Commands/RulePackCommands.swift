import ArgumentParser
import Reports
import RuleEngine
import UseCases

/// The gate before a rule change is adopted (PackCheck says what is checked and how).
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
    @Option(help: "Evaluation date for the probe contracts (default: today).") var asOf: DateArgument?
    @Option(help: "Contract register to check the pack against (default: samples/portfolio.csv, when there).")
    var portfolio: String?
    @OptionGroup var supervision: SupervisionOptions

    func validate() throws { try DateArgument.check("--as-of", asOf) }

    func run() throws {
        let (pack, report) = try PackCheckRun(rules: rules, portfolio: portfolio, asOf: asOf?.date ?? .today).run()
        print(CheckRenderer.render(report, pack: pack), terminator: "")
        if report.errors > 0 { throw Failure.ruleError }
    }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the rule pack's tests (rules/tests/*.lua), optionally with line coverage.",
        discussion: """
            Each test file declares cases such as
              case "large PFI is Gold" { contract = { value_total = 180000000, risk = 2 }, tier = "Gold" }
            and every case's contract is evaluated by the rules exactly as cmrg evaluate would.
            See rules/README.md, "Testing the rules".

            Exit status: 0 when every case passes (and coverage meets --threshold), 2 when a \
            case fails, a test file is wrong, the pack does not load or coverage is under the \
            threshold, 4 when the rules cannot be read.
            """)

    @Option(help: "Rule pack directory; its tests are in <rules>/tests.") var rules: String = "rules"
    @Option(help: "Evaluation date for cases without as_of (default: today).") var asOf: DateArgument?
    @Flag(help: "Report which lines of the rule files the tests ran.") var coverage = false
    @Option(help: "Fail when line coverage is under this percentage (implies --coverage).") var threshold: Double?
    @OptionGroup var supervision: SupervisionOptions

    func validate() throws {
        try DateArgument.check("--as-of", asOf)
        if let threshold, !(0...100).contains(threshold) { throw ValidationError("--threshold must be a percentage from 0 to 100") }
    }

    func run() throws {
        let run = try RuleTestRunner.run(pack: try RulePack.load(directory: rules), asOf: asOf?.date ?? .today,
                                         coverage: coverage || threshold != nil)
        let shortfall = RuleTestRenderer.shortfall(run, threshold: threshold)
        print(RuleTestRenderer.render(run) + (shortfall.map { $0 + "\n" } ?? ""), terminator: "")
        if !run.succeeded || shortfall != nil { throw Failure.ruleError }
    }
}
