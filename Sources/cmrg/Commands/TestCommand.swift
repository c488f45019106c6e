import ArgumentParser
import Foundation
import Portfolio
import Reports
import RuleEngine

/// `cmrg test`: runs the rule pack's tests (`<rules>/tests/*.lua`), optionally with coverage.
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

    @Option(name: .long, help: "Rule pack directory; its tests are in <rules>/tests.")
    var rules: String = "rules"

    @Option(name: .customLong("as-of"), help: "Evaluation date for cases without as_of (default: today).")
    var asOf: String?

    @OptionGroup var supervision: SupervisionOptions

    @Flag(name: .long, help: "Report which lines of the rule files the tests ran.")
    var coverage = false

    @Option(name: .long, help: "Fail when line coverage is under this percentage (implies --coverage).")
    var threshold: Double?

    func validate() throws {
        if let asOf, ContractDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)")
        }
        if let threshold, !(0...100).contains(threshold) {
            throw ValidationError("--threshold must be a percentage from 0 to 100")
        }
    }

    func run() throws {
        try exitOnFailure {
            let pack = try RulePack.load(directory: rules)
            let files = RuleTestRunner.testFiles(of: pack)
            if files.isEmpty {
                complain("no test files in \(pack.directory)/tests (write *.lua files with case \"…\" { … } there)")
                throw CMRGExit.ruleError
            }
            let asOfDate = asOf.flatMap { ContractDate(iso: $0) } ?? .today
            let run = try RuleTestRunner.run(pack: pack, files: files, asOf: asOfDate,
                                             coverage: coverage || threshold != nil)
            print(RuleTestRenderer.render(run), terminator: "")
            var failed = !run.succeeded
            if let threshold, let report = run.coverage, report.percent + 1e-9 < threshold {
                print("coverage \(RuleTestRenderer.percent(report.percent)) is under the threshold of \(RuleTestRenderer.percent(threshold))")
                failed = true
            }
            if failed { throw CMRGExit.ruleError }
        }
    }
}
