import ArgumentParser
import Reports
import UseCases

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Tier and score every contract of the portfolio with the rule pack.")

    @OptionGroup var common: RunOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Table width in columns (table format).") var width: Int = 120

    func run() throws {
        let render = try observed("evaluated") {
            try EvaluationReport.run(PortfolioEvaluation(common.inputs), as: output.format, width: width, $0)
        }
        try emit(to: output.output, render)
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why a contract got its tier and score: fields, tier path, every factor with its rule line.")

    @Argument(help: "The contract id, e.g. C-017.") var id: String
    @OptionGroup var common: RunOptions

    func run() throws {
        let explanation = try observed("evaluated") { try PortfolioEvaluation(common.inputs).explain(id, $0) }
        print(ExplainRenderer.render(explanation), terminator: "")
    }
}
