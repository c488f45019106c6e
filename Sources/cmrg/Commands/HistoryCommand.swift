import ArgumentParser
import Foundation
import History
import Portfolio
import Reports
import RuleEngine
import UseCases

/// `cmrg history record|list|import`: the record of past deep reviews (SQLite).
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Record, list and import past CMRG deep reviews (kept in an SQLite file).",
        discussion: """
            plan, report and every history command find the history by one rule: --history \
            when given; else cmrg.sqlite beside the register (--portfolio, default \
            samples/portfolio.csv) when it exists; else reviews.csv beside it, read into memory. \
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

    @Option(help: "Who makes the change, for the audit table (default: your login name).")
    var by: String?

    var location: HistoryLocation { .resolve(explicit: history, portfolio: portfolio) }
    /// The database record and import write: --history, else cmrg.sqlite beside the register.
    var database: String { history ?? HistoryLocation.databaseBeside(portfolio) }
    var changedBy: String { by ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName }
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
    @Option(name: .customLong("as-of"), help: "Today, YYYY-MM-DD (default: today): a meeting after it is refused.") var asOf: String?
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

    func validate() throws {
        _ = try checked()
        if let asOf, ContractDate(iso: asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)") }
        if let history = store.history, history.lowercased().hasSuffix(".csv") {
            throw ValidationError("--history: reviews are recorded in an SQLite file, not a CSV (\(history)); import the CSV into one first")
        }
    }

    func run() throws {
        let review = try checked()
        try trusted(review)
        let target = store.database, location = store.location // before opening creates the file
        let history = try ReviewHistory.open(path: target)
        if case .csv(let csv) = location {
            // The CSV history in use until now goes into the new database first, with this review.
            let (recorded, imported) = try history.record(review, importingFirst: try ReviewCSV.read(path: csv), by: store.changedBy)
            print("recorded review \(recorded.id!): \(review.contractID) at the \(review.meetingDate) meeting (\(review.outcome.rawValue)) in \(target)"
                  + " (after importing the \(imported) review\(imported == 1 ? "" : "s") of \(csv), the history in use until now)")
        } else {
            let recorded = try history.record(review, by: store.changedBy)
            print("recorded review \(recorded.id!): \(review.contractID) at the \(review.meetingDate) meeting (\(review.outcome.rawValue)) in \(target)")
        }
    }

    /// A review the plan can trust: of a contract in the register, at a meeting that has happened.
    func trusted(_ review: Review) throws {
        let today = asOf.flatMap { ContractDate(iso: $0) } ?? .today
        if review.meetingDate > today {
            throw HistoryError(.invalid, "--meeting \(review.meetingDate) is after \(today): future reviews are planned (cmrg plan), not recorded")
        }
        let ids = try PortfolioReader.open(path: store.portfolio).readAll().map(\.id)
        guard ids.contains(review.contractID) else {
            let nearest = NearestNames.closest(to: review.contractID, among: ids, count: 3)
            throw HistoryError(.invalid, "--contract \(review.contractID) is not in the register \(store.portfolio)"
                               + (nearest.isEmpty ? "" : " (nearest: \(nearest.joined(separator: ", ")))"))
        }
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
        if case .none(let looked) = store.location {
            throw HistoryError(.unreadable, "no review history (\(looked.joined(separator: " or "))): record or import reviews first, or pass --history")
        }
        let (found, source) = try PlanningSession.history(store.history, beside: store.portfolio, RunObserver())
        guard let history = found else { return }
        complain("review history: \(source)")
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
        let history = try ReviewHistory.open(path: store.database)
        let summary = try history.importReviews(rows, by: store.changedBy)
        print("\(file): \(summary.added) review\(summary.added == 1 ? "" : "s") imported into \(store.database)"
              + (summary.alreadyRecorded > 0 ? " (\(summary.alreadyRecorded) already recorded)" : ""))
    }
}
