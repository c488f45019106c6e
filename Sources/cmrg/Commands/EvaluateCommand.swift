import ArgumentParser
import Reports
import UseCases

/// `cmrg evaluate`: tier, score, rank and top factors of every contract.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Tier and score every contract of the portfolio with the rule pack.")

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let inputs = rules.inputs(input)
        let evaluation = PortfolioEvaluation(inputs)
        guard let format = output.format.summaryFormat else {
            let run = try observed("evaluated") { try evaluation.evaluations($0) }
            let ranked = RankedEvaluations(run.portfolio.evaluations, provenance: run.provenance)
            return try emit(EvaluationRenderer.render(ranked, as: output.format, width: output.tableWidth), to: output.output)
        }
        // Outputs without the trail keep only summaries (bounded memory for big registers).
        let run = try observed("evaluated") { try evaluation.summaries(fingerprintInput: format == .markdown, $0) }
        let ranked = RankedSummaries(run.summary, provenance: run.provenance)
        try emit(to: output.output) {
            EvaluationRenderer.render(ranked, as: format, width: output.tableWidth, jobs: inputs.workers, to: $0)
        }
    }
}
