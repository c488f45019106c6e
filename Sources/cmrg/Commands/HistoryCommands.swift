import ArgumentParser
import History
import Reports
import UseCases

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Record, list and import past CMRG deep reviews (kept in an SQLite file).",
        discussion: """
            plan, report and every history command find the history by one rule: --history; else \
            cmrg.sqlite beside the register (--portfolio) when it exists; else reviews.csv beside it. \
            Recording while the CSV is in use creates cmrg.sqlite and imports the CSV into it \
            first, in the same transaction, so nothing is hidden. Every change is kept in an \
            audit table (history log). Several cmrg processes may record at once.
            """,
        subcommands: [HistoryRecordCommand.self, HistoryListCommand.self, HistoryImportCommand.self,
                      HistoryAmendCommand.self, HistoryRemoveCommand.self, HistoryLogCommand.self])
}

/// Where the review history is (the rule plan and report use too: `HistoryLocation`).
struct HistoryOptions: ParsableArguments {
    @Option(help: "Review history: SQLite file (list also reads a reviews CSV). Default: cmrg.sqlite beside the register, else its reviews.csv.")
    var history: String?

    @Option(help: "The contract register the history belongs to; recorded ids are checked against it.")
    var portfolio: String = "samples/portfolio.csv"

    @Option(help: "Who makes the change, for the audit table (default: your login name).") var by: String?

    func recording(today: DateArgument? = nil) -> ReviewRecording {
        ReviewRecording(history: history, portfolio: portfolio, by: by, today: today?.date ?? .today)
    }

    /// How a refusal names what was typed: by the options of `history record` and `amend`.
    static let options: [ReviewRefusal.Subject: String] = [
        .field(.contractID): "--contract", .field(.meetingDate): "--meeting", .field(.leadOfficer): "--lead",
        .field(.outcome): "--outcome", .field(.areas): "--areas", .field(.themes): "--themes",
        .field(.followUpDate): "--follow-up", .field(.notes): "--notes", .history: "--history", .reason: "--reason",
    ]
    static func option(_ subject: ReviewRefusal.Subject) -> String { options[subject]! }

    /// A refusal found while the options are checked is a usage error (exit 1, usage shown).
    static func usage(_ check: () throws -> Void) throws {
        do { try check() } catch let refusal as ReviewRefusal { throw ValidationError(refusal.description(naming: option)) }
    }
}

struct HistoryRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record one deep review.",
        discussion: "Areas are NAO framework areas, separated by ';': "
            + NAOArea.allCases.map(\.rawValue).joined(separator: "; ") + ".")

    @Option(help: "Contract id, e.g. C-004.") var contract: String
    @Option(help: "Meeting date, YYYY-MM-DD.") var meeting: String
    @Option(help: "Officer who led the review.") var lead: String
    @Option(help: "RAG outcome: Red, Amber or Green.") var outcome: String
    @Option(help: "NAO framework areas covered, separated by ';'.") var areas: String
    @Option(help: "Findings themes, separated by ';' (e.g. \"KPIs; social value\").") var themes: String = ""
    @Option(help: "Follow-up due date, YYYY-MM-DD.") var followUp: String?
    @Option(help: "Notes.") var notes: String = ""
    @Option(help: "Today, YYYY-MM-DD (default: today): a meeting after it is refused.") var asOf: DateArgument?
    @OptionGroup var store: HistoryOptions

    var input: ReviewInput { ReviewInput([.contractID: contract, .meetingDate: meeting, .leadOfficer: lead, .outcome: outcome,
                                          .areas: areas, .themes: themes, .followUpDate: followUp ?? "", .notes: notes]) }

    func validate() throws {
        try HistoryOptions.usage { _ = try ReviewRecording.review(input) }
        try DateArgument.check("--as-of", asOf)
        try HistoryOptions.usage { try store.recording().checkRecordable() }
    }

    func run() throws { print(HistoryRenderer.recorded(try store.recording(today: asOf).record(input)), terminator: "") }
}

struct HistoryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded reviews in meeting order.")

    @Option(help: "Only this contract's reviews.") var contract: String?
    @Option(help: "table, or csv (the import format).") var format: HistoryListFormat = .table
    @OptionGroup var store: HistoryOptions

    func run() throws {
        let listing = try store.recording().list(contract: contract)
        complain("review history: \(listing.source)")
        print(HistoryRenderer.render(listing.reviews, as: format), terminator: "")
    }
}

extension HistoryListFormat: ExpressibleByArgument {}

struct HistoryImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import past reviews from CSV (all or nothing; rows already recorded are skipped).",
        discussion: "Columns: " + ReviewCSV.columns.joined(separator: ",")
            + " (any order; follow_up_date and notes optional); lists separated by ';'.")

    @Argument(help: "CSV file of reviews, e.g. samples/reviews.csv.") var file: String
    @OptionGroup var store: HistoryOptions

    func run() throws { print(HistoryRenderer.imported(try store.recording().importReviews(from: file)), terminator: "") }
}

struct HistoryAmendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend", abstract: "Correct a recorded review (only the options given change).",
        discussion: "The corrected review must pass the checks of history record: valid fields, a contract in the "
            + "register (--portfolio), a meeting on or before --as-of.")

    @Argument(help: "The review's id (see history list --format csv, or history log).") var id: Int64
    @Option(help: "Meeting date, YYYY-MM-DD.") var meeting: String?
    @Option(help: "Officer who led the review.") var lead: String?
    @Option(help: "RAG outcome: Red, Amber or Green.") var outcome: String?
    @Option(help: "NAO framework areas covered, separated by ';'.") var areas: String?
    @Option(help: "Findings themes, separated by ';'.") var themes: String?
    @Option(help: "Follow-up due date, YYYY-MM-DD ('' clears it).") var followUp: String?
    @Option(help: "Notes.") var notes: String?
    @Option(help: "Why the record is corrected (kept in the audit table).") var reason: String = ""
    @Option(help: "Today, YYYY-MM-DD (default: today): a meeting after it is refused.") var asOf: DateArgument?
    @OptionGroup var store: HistoryOptions

    func validate() throws { try DateArgument.check("--as-of", asOf) }

    func run() throws {
        let given: [ReviewInput.Field: String?] = [.meetingDate: meeting, .leadOfficer: lead, .outcome: outcome, .areas: areas,
                                                   .themes: themes, .followUpDate: followUp, .notes: notes]
        let amended = try store.recording(today: asOf).amend(id: id, changes: given.compactMapValues { $0 }, why: reason)
        print(HistoryRenderer.amended(amended), terminator: "")
    }
}

struct HistoryRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a recorded review (the audit table keeps what it said and why).")

    @Argument(help: "The review's id.") var id: Int64
    @Option(help: "Why it is removed (required).") var reason: String
    @OptionGroup var store: HistoryOptions

    func validate() throws { try HistoryOptions.usage { try ReviewRecording.checkReason(reason) } }

    func run() throws { print(HistoryRenderer.removed(try store.recording().remove(id: id, why: reason)), terminator: "") }
}

struct HistoryLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show every change to the review history: when, by whom, what and why.")

    @OptionGroup var store: HistoryOptions

    func run() throws {
        let recording = store.recording()
        print(HistoryRenderer.log(try recording.changes(), database: recording.database), terminator: "")
    }
}
