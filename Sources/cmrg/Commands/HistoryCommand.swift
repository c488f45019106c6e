import ArgumentParser
import History
import Reports

/// `cmrg history record|list|import`: the record of past deep reviews (SQLite).
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Record, list and import past CMRG deep reviews (kept in an SQLite file).",
        discussion: """
            The history lives in one SQLite file, samples/cmrg.sqlite unless --history names \
            another; record and import create it. Several cmrg processes may record at once.
            `cmrg plan` reads this file when it exists, and otherwise reads samples/reviews.csv \
            into memory, so a fresh clone plans without writing anything.
            """,
        subcommands: [HistoryRecordCommand.self, HistoryListCommand.self, HistoryImportCommand.self])
}

/// Where the review history is.
struct HistoryOptions: ParsableArguments {
    @Option(help: "Review history database (SQLite).") var history: String = "samples/cmrg.sqlite"
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
    @Option(name: .customLong("follow-up"), help: "Follow-up due date, YYYY-MM-DD.") var followUp: String?
    @Option(help: "Notes.") var notes: String = ""
    @OptionGroup var store: HistoryOptions

    static let optionNames: [ReviewInput.Field: String] = [
        .contractID: "--contract", .meetingDate: "--meeting", .leadOfficer: "--lead", .outcome: "--outcome",
        .areas: "--areas", .themes: "--themes", .followUpDate: "--follow-up", .notes: "--notes",
    ]

    func checked() throws -> Review {
        let input = ReviewInput([.contractID: contract, .meetingDate: meeting, .leadOfficer: lead, .outcome: outcome,
                                 .areas: areas, .themes: themes, .followUpDate: followUp ?? "", .notes: notes])
        switch input.validated() {
        case .review(let review): return review
        case .problems(let problems):
            throw ValidationError(problems.map { "\(Self.optionNames[$0.field]!): \($0.message)" }.joined(separator: "\n"))
        }
    }

    func validate() throws { _ = try checked() }

    func run() throws {
        let review = try checked()
        let history = try ReviewHistory.open(path: store.history)
        let recorded = try history.record(review)
        print("recorded review \(recorded.id!): \(review.contractID) at the \(review.meetingDate) meeting (\(review.outcome.rawValue)) in \(store.history)")
    }
}

struct HistoryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded reviews in meeting order.")

    @Option(help: "Only this contract's reviews.") var contract: String?
    @Option(help: "table, or csv (the import format).") var format: HistoryListFormat = .table
    @OptionGroup var store: HistoryOptions

    func run() throws {
        let history = try ReviewHistory.open(path: store.history, create: false)
        let reviews = try history.reviews(contractID: contract)
        switch format {
        case .csv: print(ReviewCSV.render(reviews), terminator: "")
        case .table: print(HistoryRenderer.table(reviews), terminator: "")
        }
    }
}

enum HistoryListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv
}

struct HistoryImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import past reviews from CSV (all or nothing; rows already recorded are skipped).",
        discussion: "Columns: " + ReviewCSV.columns.joined(separator: ",")
            + " (any order; follow_up_date and notes optional); lists separated by ';'.")

    @Argument(help: "CSV file of reviews, e.g. samples/reviews.csv.") var file: String
    @OptionGroup var store: HistoryOptions

    func run() throws {
        let rows = try ReviewCSV.read(path: file)
        let history = try ReviewHistory.open(path: store.history)
        let summary = try history.importReviews(rows)
        print("\(file): \(summary.added) review\(summary.added == 1 ? "" : "s") imported into \(store.history)"
              + (summary.alreadyRecorded > 0 ? " (\(summary.alreadyRecorded) already recorded)" : ""))
    }
}
