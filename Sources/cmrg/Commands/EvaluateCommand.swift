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
            if output.format == .json {
                let run = try EvaluationRun.run(rules, input)
                try emit(EvaluationRenderer.render(run.ranked, as: output.format, width: width), to: output.output)
            } else {
                // Outputs without the trail keep only summaries (bounded memory for big registers).
                let run = try SummaryRun.run(rules, input, fingerprintInput: output.format == .markdown)
                let ranked = run.ranked
                try emit(to: output.output) {
                    EvaluationRenderer.render(ranked, as: output.format, width: width, jobs: rules.workerCount, to: $0)
                }
            }
        }
    }
}
