import ArgumentParser
import Reports
import UseCases

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Tier and score every contract of the portfolio with the rule pack.")

    @OptionGroup var common: RunOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let render = try observed("evaluated") {
            try EvaluationReport.run(PortfolioEvaluation(common.inputs), as: output.format, width: output.tableWidth, $0)
        }
        try emit(to: output.output, render)
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why a contract got its tier and score, where it stands in the plan, its reviews, and what would change its tier.",
        discussion: "What would change the tier: the rules run again with one field changed (risk, complexity 1-5; value by bisection).")

    @Argument(help: "The contract id, e.g. C-017.") var id: String
    @OptionGroup var common: RunOptions
    @OptionGroup var planning: PlanOptions

    func run() throws {
        let explanation = ContractExplanation(common.inputs, history: planning.history, from: planning.from?.date)
        let outcome = try observed("evaluated") { try explanation.run(id, $0) }
        print(ExplainRenderer.render(outcome), terminator: "")
    }
}
