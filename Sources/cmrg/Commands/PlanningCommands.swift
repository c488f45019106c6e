import ArgumentParser
import Reports
import UseCases

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Build the forward plan: which contract is reviewed at which meeting, by whom, why and by when.",
        discussion: """
            Policy (meetings, capacity, horizon, review-by lead times, cooldowns, cycles, \
            officer load, audit handling, thresholds) comes from settings.plan in the rule pack. \
            Contracts are admitted overdue follow-ups first, then highest score first, while every \
            admitted review still fits its window (after its cooldown, before its review-by date \
            or follow-up date); reviews are seated earliest deadline first, then reordered by \
            score wherever both stay in their windows. A contract whose review-by date has \
            passed is still planned, marked late (late_reviews); ended contracts and tender \
            notices are listed, not planned; a review group takes one seat. Every selected or \
            high-scoring contract left out is listed with the reason.

            One line per review (a group on one line); --why adds every reason. --format \
            markdown is the same table to paste into a committee paper; CSV and JSON keep all.

            History: --history names an SQLite history or a reviews CSV. Without it, \
            cmrg.sqlite beside the portfolio is used when it exists, else reviews.csv beside \
            it is read into memory (nothing is written), else the plan assumes no past reviews.
            """)

    @OptionGroup var common: RunOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var planning: PlanOptions

    @Flag(help: "Under each review of the table (or in a column of the Markdown table), every reason it was selected.")
    var why = false

    func run() throws {
        let session = PlanningSession(common.inputs, history: planning.history, from: planning.from?.date)
        let outcome = try observed("evaluated") { try session.run($0) }
        try emit(PlanRenderer.render(outcome.report, as: output.format, width: output.tableWidth, why: why), to: output.output)
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the CMRG update: a self-contained, printable HTML page (reviews held, themes, forward plan, NAO coverage, follow-ups, ending contracts, data quality, flags).")

    @OptionGroup var common: RunOptions
    @OptionGroup var planning: PlanOptions

    @Option(name: .shortAndLong, help: "Where to write the HTML page (atomically).") var output: String = "report.html"
    @Option(help: "How many contracts the priority table shows.") var top: Int = 15

    func run() throws {
        let session = PlanningSession(common.inputs, history: planning.history, from: planning.from?.date)
        let (outcome, portfolio) = try observed("evaluated") { try session.runKeepingEvaluations($0) }
        try emit(MeetingReport.render(outcome, portfolio, top: top), to: output)
        complain("wrote \(output)")
    }
}
