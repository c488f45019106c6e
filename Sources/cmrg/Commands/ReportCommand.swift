import ArgumentParser
import Reports
import UseCases

/// `cmrg report`: the CMRG meeting report as one self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the CMRG update: a self-contained, printable HTML page (reviews held, themes, forward plan, NAO coverage, follow-ups, ending contracts, data quality, flags).")

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions
    @OptionGroup var planning: PlanOptions

    @Option(name: .shortAndLong, help: "Where to write the HTML page (atomically).") var output: String = "report.html"
    @Option(help: "How many contracts the priority table shows.") var top: Int = 15

    func run() throws {
        let session = PlanningSession(rules.inputs(input), history: planning.history, from: planning.from?.date)
        let (outcome, portfolio) = try observed("evaluated") { try session.runKeepingEvaluations($0) }
        let page = MeetingReport.render(.init(
            ranked: RankedEvaluations(portfolio.evaluations, provenance: outcome.report.provenance),
            contracts: portfolio.contracts, plan: outcome.report.plan, reviews: outcome.reviews,
            historySource: outcome.report.history, top: top))
        try emit(page, to: output)
        complain("wrote \(output)")
    }
}
