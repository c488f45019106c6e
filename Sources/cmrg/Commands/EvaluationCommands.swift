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
        discussion: """
            After the fields, the tier path and every factor with its rule line: the contract's \
            flags, where it stands in the forward plan (as cmrg plan makes it, with the same \
            --history and --from), its review history, and what would change its tier: the rules \
            run again with one field changed at a time (risk and complexity over 1 to 5, the \
            whole-life value by bisection), each change with the rule line that decided the new tier.
            """)

    @Argument(help: "The contract id, e.g. C-017.") var id: String
    @OptionGroup var common: RunOptions
    @OptionGroup var planning: PlanOptions

    func run() throws {
        let explanation = ContractExplanation(common.inputs, history: planning.history, from: planning.from?.date)
        let outcome = try observed("evaluated") { try explanation.run(id, $0) }
        print(ExplainRenderer.render(outcome), terminator: "")
    }
}
