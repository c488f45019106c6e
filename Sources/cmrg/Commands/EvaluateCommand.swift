import ArgumentParser
import Reports

/// `cmrg evaluate`: tier, score, rank and top factors of every contract.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Tier and score every contract of the portfolio with the rule pack.")

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Table width in columns (table format).")
    var width: Int = 120

    func run() throws {
        try exitOnFailure {
            let run = try EvaluationRun.run(rules, input)
            try emit(EvaluationRenderer.render(run.ranked, as: output.format, width: width), to: output.output)
        }
    }
}
