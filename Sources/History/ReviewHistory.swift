import Foundation
import GRDB
import Portfolio

/// The record of past CMRG deep reviews, kept in SQLite.
///
/// A file database is opened in WAL mode with a busy timeout, and every write is one
/// IMMEDIATE transaction, so several cmrg processes can record at once: a writer waits for
/// the other instead of failing, and no record is lost.
public final class ReviewHistory: Sendable {
    /// Where the reviews live: a file path, or ":memory:".
    public let path: String
    private let writer: any DatabaseWriter

    /// How long a writer waits for another process's write to finish before giving up.
    public static let busyTimeoutSeconds: Double = 30

    private init(path: String, writer: any DatabaseWriter) {
        self.path = path
        self.writer = writer
    }

    /// Opens (and with `create`, creates) the history database at `path`, migrating its
    /// schema to the current version.
    public static func open(path: String, create: Bool = true) throws(HistoryError) -> ReviewHistory {
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw HistoryError(.unreadable, "no review history at '\(path)' (record or import reviews first, or pass --history)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.label = "cmrg review history"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw HistoryError(.unreadable, "cannot open review history '\(path)': \(reason(error))")
        }
        let history = ReviewHistory(path: path, writer: pool)
        try history.migrate()
        return history
    }

    /// An empty history in memory (e.g. to plan from a CSV of past reviews without a database file).
    public static func inMemory() throws(HistoryError) -> ReviewHistory {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue()
        } catch {
            throw HistoryError(.unreadable, "cannot create an in-memory review history: \(reason(error))")
        }
        let history = ReviewHistory(path: ":memory:", writer: queue)
        try history.migrate()
        return history
    }

    private func migrate() throws(HistoryError) {
        let migrator = HistorySchema.migrator
        // Two processes opening a new file at once may both try the first migration; the
        // loser fails on "table already exists" after waiting for the winner. A retry then
        // sees the schema in place.
        var attempt = 0
        while true {
            do {
                try migrator.migrate(writer)
                if try writer.read(migrator.hasBeenSuperseded) {
                    throw HistoryError(.unreadable, "review history '\(path)' was written by a newer version of cmrg")
                }
                return
            } catch let error as HistoryError {
                throw error
            } catch {
                attempt += 1
                if attempt >= 5 {
                    throw HistoryError(.unreadable, "cannot prepare review history '\(path)': \(Self.reason(error))")
                }
            }
        }
    }

    // MARK: writing

    /// Records one review; returns it with its id. A second review of the same contract at
    /// the same meeting is refused.
    @discardableResult
    public func record(_ review: Review) throws(HistoryError) -> Review {
        try write { db throws(HistoryError) in try Self.insertNew(db, review) }
    }

    /// Inserts `review`, refused when its contract already has a review at that meeting.
    static func insertNew(_ db: Database, _ review: Review) throws(HistoryError) -> Review {
        if let existing = try existingID(db, review) { throw alreadyRecorded(review, existing) }
        return try insert(db, review)
    }

    static func alreadyRecorded(_ review: Review, _ existing: Int64) -> HistoryError {
        HistoryError(.invalid, "\(review.contractID) already has a review at the \(review.meetingDate) meeting (review \(existing))")
    }

    /// What an import did.
    /// Records `review` after importing `first` (the CSV history in use until now), in one
    /// transaction: a new database never shadows the reviews it replaces. Returns the
    /// recorded review and how many of `first` were added.
    public func record(_ review: Review, importingFirst first: [LocatedReview], by: String) throws(HistoryError) -> (Review, Int) {
        try write { db throws(HistoryError) in
            var added = 0
            for item in first where try Self.existingID(db, item.review) == nil {
                _ = try Self.insert(db, item.review)
                added += 1
            }
            if let file = first.first?.location.file {
                try Self.audit(db, by: by, review: nil, action: "import", what: "\(added) review\(added == 1 ? "" : "s") from \(file), the history in use until now", why: "first record into a new database")
            }
            return (try Self.recordAudited(db, review, by: by), added)
        }
    }

    public struct ImportSummary: Sendable, Equatable {
        public var added: Int
        /// Rows identical to a review already recorded (importing a file twice adds nothing).
        public var alreadyRecorded: Int
        public init(added: Int, alreadyRecorded: Int) {
            self.added = added
            self.alreadyRecorded = alreadyRecorded
        }
    }

    /// Records reviews read from a file in one transaction: all or nothing. A row identical
    /// to a recorded review is skipped; a different review of the same contract at the same
    /// meeting is an error naming the row.
    public func importReviews(_ reviews: [LocatedReview], by: String = "cmrg") throws(HistoryError) -> ImportSummary {
        try write { db throws(HistoryError) in
            var summary = ImportSummary(added: 0, alreadyRecorded: 0)
            var conflicts: [HistoryIssue] = []
            for item in reviews {
                if let existingID = try Self.existingID(db, item.review) {
                    let existing = try Self.fetch(db, sql: "WHERE review.id = ?", [existingID]).first
                    if let existing, existing.sameContent(as: item.review) {
                        summary.alreadyRecorded += 1
                    } else {
                        conflicts.append(HistoryIssue(location: item.location,
                            message: "\(item.review.contractID) already has a different review at the \(item.review.meetingDate) meeting (review \(existingID))"))
                    }
                    continue
                }
                _ = try Self.insert(db, item.review)
                summary.added += 1
            }
            if !conflicts.isEmpty {
                let file = conflicts[0].location.file
                throw HistoryError(.invalid, "\(file): \(conflicts.count == 1 ? "1 review conflicts" : "\(conflicts.count) reviews conflict") with the history; nothing was imported",
                                   issues: Array(conflicts.prefix(20)))
            }
            if summary.added > 0, let file = reviews.first?.location.file {
                try Self.audit(db, by: by, review: nil, action: "import", what: "\(summary.added) review\(summary.added == 1 ? "" : "s") from \(file)", why: "")
            }
            return summary
        }
    }

    // MARK: reading

    /// Reviews in meeting order (then recording order), optionally of one contract.
    public func reviews(contractID: String? = nil) throws(HistoryError) -> [Review] {
        try read { db in
            if let contractID {
                return try Self.fetch(db, sql: "WHERE contract_id = ?", [contractID])
            }
            return try Self.fetch(db, sql: "", [])
        }
    }

    /// The most recent review of each contract, by contract id.
    public func lastReviews() throws(HistoryError) -> [String: Review] {
        var last: [String: Review] = [:]
        for review in try reviews() {
            last[review.contractID] = review // meeting order: the later one wins
        }
        return last
    }

    public func count() throws(HistoryError) -> Int {
        try read { db in try ReviewRow.fetchCount(db) }
    }

    // MARK: plumbing

    func write<T>(_ body: (Database) throws(HistoryError) -> T) throws(HistoryError) -> T {
        do {
            return try writer.write { db in try body(db) }
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError(.unreadable, "cannot write review history '\(path)': \(Self.reason(error))")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do {
            return try writer.read { db in try body(db) }
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError(.unreadable, "cannot read review history '\(path)': \(Self.reason(error))")
        }
    }

    static func existingID(_ db: Database, _ review: Review) throws(HistoryError) -> Int64? {
        do {
            return try Int64.fetchOne(db, sql: "SELECT id FROM review WHERE contract_id = ? AND meeting_date = ?",
                                      arguments: [review.contractID, review.meetingDate.iso])
        } catch {
            throw HistoryError(.unreadable, "cannot read review history: \(reason(error))")
        }
    }

    static func insert(_ db: Database, _ review: Review) throws(HistoryError) -> Review {
        do {
            var row = ReviewRow(id: nil, contractID: review.contractID, meetingDate: review.meetingDate.iso,
                                leadOfficer: review.leadOfficer, outcome: review.outcome.rawValue,
                                followUpDate: review.followUpDate?.iso, notes: review.notes)
            try row.insert(db)
            let id = row.id!
            for area in review.areas {
                try ReviewAreaRow(reviewID: id, area: area.rawValue).insert(db)
            }
            for (position, theme) in review.themes.enumerated() {
                try ReviewThemeRow(reviewID: id, position: position + 1, theme: theme).insert(db)
            }
            var recorded = review
            recorded.id = id
            return recorded
        } catch {
            throw HistoryError(.unreadable, "cannot write review history: \(reason(error))")
        }
    }

    /// Reviews matching a WHERE clause on `review`, with their areas and themes.
    static func fetch(_ db: Database, sql whereClause: String, _ arguments: StatementArguments) throws(HistoryError) -> [Review] {
        do {
            let rows = try ReviewRow.fetchAll(db, sql: "SELECT * FROM review \(whereClause) ORDER BY meeting_date, id", arguments: arguments)
            let ids = rows.compactMap(\.id)
            var areas: [Int64: [NAOArea]] = [:]
            var themes: [Int64: [String]] = [:]
            if !ids.isEmpty {
                let idFilter = whereClause.isEmpty ? "" : "WHERE review_id IN (SELECT id FROM review \(whereClause))"
                for row in try ReviewAreaRow.fetchAll(db, sql: "SELECT * FROM review_area \(idFilter)", arguments: arguments) {
                    // The schema's CHECK admits only framework areas.
                    if let area = NAOArea(rawValue: row.area) { areas[row.reviewID, default: []].append(area) }
                }
                for row in try ReviewThemeRow.fetchAll(db, sql: "SELECT * FROM review_theme \(idFilter) ORDER BY review_id, position", arguments: arguments) {
                    themes[row.reviewID, default: []].append(row.theme)
                }
            }
            return rows.map { row in
                Review(id: row.id, contractID: row.contractID, meetingDate: ContractDate(iso: row.meetingDate)!,
                       leadOfficer: row.leadOfficer, outcome: ReviewOutcome(rawValue: row.outcome) ?? .amber,
                       areas: areas[row.id!] ?? [], themes: themes[row.id!] ?? [],
                       followUpDate: row.followUpDate.flatMap { ContractDate(iso: $0) }, notes: row.notes)
            }
        } catch {
            throw HistoryError(.unreadable, "cannot read review history: \(reason(error))")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? error.description }
        return String(describing: error)
    }
}
