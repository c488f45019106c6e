import ArgumentParser
import Reports
import UseCases

/// `cmrg explain ID`: why one contract got its tier and score.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why a contract got its tier and score: fields, tier path, every factor with its rule line.")

    @Argument(help: "The contract id, e.g. C-017.") var id: String
    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions

    func run() throws {
        let e = try observed("evaluated") { try PortfolioEvaluation(rules.inputs(input)).explain(id, $0) }
        print(ExplainRenderer.render(contract: e.contract, evaluation: e.evaluation, rank: e.rank, of: e.count,
                                     extraColumns: e.extraColumns, asOf: e.asOf.iso, definesFlags: e.definesFlags),
              terminator: "")
    }
}
