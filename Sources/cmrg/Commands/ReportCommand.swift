import ArgumentParser
import Reports

/// `cmrg report`: the CMRG meeting report as one self-contained HTML page.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the CMRG meeting report: a self-contained HTML page with charts, the forward plan and priorities.")

    @OptionGroup var rules: RuleOptions
    @OptionGroup var input: PortfolioOptions
    @OptionGroup var planning: PlanOptions

    @Option(name: .shortAndLong, help: "Where to write the HTML page (atomically).")
    var output: String = "report.html"

    @Option(name: .long, help: "How many contracts the priority table shows.")
    var top: Int = 15

    func run() throws {
        try exitOnHistoryFailure {
            let run = try PlanningRun.run(rules, input, planning)
            let page = MeetingReport.render(.init(
                ranked: run.evaluation.ranked, contracts: run.evaluation.portfolio.contracts, plan: run.plan,
                reviews: run.reviews, historySource: run.historySource, top: top))
            try emit(page, to: output)
            complain("wrote \(output)")
        }
    }
}
