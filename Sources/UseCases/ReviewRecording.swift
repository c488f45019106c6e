import Foundation
import History
import Portfolio
import RuleEngine

/// The review history as the CMRG secretary keeps it (`cmrg history …`, later the
/// workbench's forms): record a deep review, correct or remove one, import past reviews, and
/// read the record and its audit log. Every review written, recorded or amended, is one the
/// plan can trust: valid as typed (`ReviewInput`), of a contract in the register, at a
/// meeting that has happened. Anything else is a `ReviewRefusal`, and nothing is written.
public struct ReviewRecording: Sendable {
    /// The history named by the user; nil: the one beside the register (`HistoryLocation`).
    public var history: String?
    /// The register the history belongs to: every review written must be of one of its contracts.
    public var portfolio: String
    /// Who makes the change, for the audit table.
    public var by: String
    /// A meeting after this day is refused.
    public var today: ContractDate

    /// `by` nil: the login name.
    public init(history: String? = nil, portfolio: String, by: String? = nil, today: ContractDate = .today) {
        self.history = history
        self.portfolio = portfolio
        self.by = by ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
        self.today = today
    }

    /// Where the history is read from, by the rule plan and report share.
    public var location: HistoryLocation { .resolve(explicit: history, portfolio: portfolio) }

    /// The SQLite file changes go to: the history named, else cmrg.sqlite beside the register.
    public var database: String { history ?? HistoryLocation.databaseBeside(portfolio) }

    // MARK: checks (also callable on their own, e.g. while a command's options are parsed)

    /// `input` as a review, or every problem with it.
    public static func review(_ input: ReviewInput, amending id: Int64? = nil) throws(ReviewRefusal) -> Review {
        switch input.validated() {
        case .review(let review): return review
        case .problems(let problems): throw ReviewRefusal(.invalid(problems), reviewID: id)
        }
    }

    /// Refuses a reviews CSV as the history to record into.
    public func checkRecordable() throws(ReviewRefusal) {
        if let history, case .csv = location { throw ReviewRefusal(.csvHistory(history)) }
    }

    /// Refuses a removal that does not say why.
    public static func checkReason(_ why: String) throws(ReviewRefusal) {
        if why.trimmingWhitespace().isEmpty { throw ReviewRefusal(.noReason) }
    }

    /// Refuses a review the plan cannot trust: a meeting after `today`, or a contract the
    /// register does not hold (with the nearest ids it does).
    func checkTrusted(_ review: Review, amending id: Int64? = nil) throws {
        if review.meetingDate > today { throw ReviewRefusal(.futureMeeting(review.meetingDate, today: today), reviewID: id) }
        let reader = try PortfolioReader.open(path: portfolio)
        var ids: [String] = []
        while true {
            let batch = try reader.nextBatch(max: 4096)
            if batch.isEmpty { break }
            ids += batch.map(\.id)
        }
        guard ids.contains(review.contractID) else {
            let nearest = NearestNames.closest(to: review.contractID, among: ids, count: 3)
            throw ReviewRefusal(.unknownContract(review.contractID, register: portfolio, nearest: nearest), reviewID: id)
        }
    }

    // MARK: changes

    public struct Recorded: Sendable, Equatable {
        /// As recorded, with its id.
        public var review: Review
        public var database: String
        /// The reviews CSV that was the history until now, imported into the new database
        /// first (in the same transaction), and how many of its reviews that added.
        public var importedFrom: String?
        public var imported: Int
    }

    /// Records one review. While a reviews CSV is the history in use, the new database gets
    /// that CSV's reviews first, so it never hides them from the plan.
    public func record(_ input: ReviewInput) throws -> Recorded {
        let review = try Self.review(input)
        try checkRecordable()
        try checkTrusted(review)
        let location = self.location // before opening creates the database
        let store = try ReviewHistory.open(path: database)
        guard case .csv(let csv) = location else {
            return Recorded(review: try store.record(review, by: by), database: database, importedFrom: nil, imported: 0)
        }
        let (recorded, imported) = try store.record(review, importingFirst: try ReviewCSV.read(path: csv), by: by)
        return Recorded(review: recorded, database: database, importedFrom: csv, imported: imported)
    }

    public struct Amended: Sendable, Equatable {
        public var id: Int64
        public var database: String
        /// What changed, e.g. "outcome Amber → Red; follow_up_date (none) → 2027-02-01".
        public var changes: String
    }

    /// Corrects review `id`: only the fields in `changes` change, and the result is checked
    /// as a new record would be. Its contract stays (remove the review and record it again
    /// against the right one).
    public func amend(id: Int64, changes: [ReviewInput.Field: String], why: String) throws -> Amended {
        let store = try ReviewHistory.open(path: database, create: false)
        guard let old = try store.review(id: id) else { throw HistoryError(.invalid, "there is no review \(id) in \(database)") }
        if let contract = changes[.contractID], contract.trimmingWhitespace() != old.contractID {
            throw HistoryError(.invalid, "review \(id) is of \(old.contractID): a review's contract is not amended; remove it and record it against the right contract")
        }
        var input = ReviewInput(old)
        input.values.merge(changes) { $1 }
        let amended = try Self.review(input, amending: id)
        try checkTrusted(amended, amending: id)
        return Amended(id: id, database: database, changes: try store.amend(id: id, to: amended, by: by, why: why))
    }

    public struct Removed: Sendable, Equatable {
        public var id: Int64
        /// The review as it was.
        public var review: Review
        public var database: String
    }

    /// Removes review `id`; the audit table keeps what it said and `why`.
    public func remove(id: Int64, why: String) throws -> Removed {
        try Self.checkReason(why)
        let store = try ReviewHistory.open(path: database, create: false)
        return Removed(id: id, review: try store.remove(id: id, by: by, why: why), database: database)
    }

    public struct Imported: Sendable, Equatable {
        public var file: String
        public var database: String
        public var summary: ReviewHistory.ImportSummary
    }

    /// Imports a reviews CSV, all or nothing; the file is checked before the database is opened.
    public func importReviews(from file: String) throws -> Imported {
        let rows = try ReviewCSV.read(path: file)
        let summary = try ReviewHistory.open(path: database).importReviews(rows, by: by)
        return Imported(file: file, database: database, summary: summary)
    }

    // MARK: reading

    public struct Listing: Sendable, Equatable {
        /// In meeting order.
        public var reviews: [Review]
        /// Where they came from, e.g. "samples/reviews.csv (16 reviews, read into memory)".
        public var source: String
    }

    /// The reviews recorded (of `contract`, or all), from whichever history is in use, an
    /// SQLite file or a reviews CSV.
    public func list(contract: String? = nil) throws -> Listing {
        if case .none(let looked) = location {
            throw HistoryError(.unreadable, "no review history (\(looked.joined(separator: " or "))): record or import reviews first, or pass --history")
        }
        let (found, source) = try PlanningSession.history(history, beside: portfolio, RunObserver())
        return Listing(reviews: try found?.reviews(contractID: contract) ?? [], source: source)
    }

    /// Every change to the history (the audit table), oldest first.
    public func changes() throws -> [HistoryChange] {
        try ReviewHistory.open(path: database, create: false).changes()
    }
}
