import ArgumentParser
import Reports
import RuleEngine

/// `cmrg explain ID`: why one contract got its tier and score.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why a contract got its tier and score: fields, tier path, every factor with its rule line.")

    @Argument(help: "The contract id, e.g. C-017.")
    var id: String

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions

    func run() throws {
        try exitOnFailure {
            let run = try EvaluationRun.run(rules, input, keepContracts: true)
            let contracts = run.portfolio.contracts
            guard let index = contracts.firstIndex(where: { $0.id == id }) else {
                let nearest = NearestNames.closest(to: id, among: contracts.lazy.map(\.id), count: 3)
                var message = "no contract with id '\(id)' in \(input.portfolio)"
                if !nearest.isEmpty { message += "; nearest ids: " + nearest.joined(separator: ", ") }
                complain(message)
                throw ExitCode(1)  // a wrong argument is a usage error
            }
            let ranked = run.ranked
            let rank = ranked.rows.first { $0.evaluation.contractID == id }?.rank
            print(ExplainRenderer.render(
                contract: contracts[index], evaluation: run.portfolio.evaluations[index], rank: rank,
                of: ranked.rows.count, extraColumns: run.portfolio.extraColumns, asOf: run.provenance.asOf),
                terminator: "")
        }
    }
}
