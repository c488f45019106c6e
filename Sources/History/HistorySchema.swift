import GRDB

/// The review history's schema, as migrations: a database written by any earlier version of
/// cmrg is brought up to date when opened; never edit a registered migration, add one.
enum HistorySchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: reviews, framework areas, findings themes") { db in
            try db.create(table: "review") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("contract_id", .text).notNull().check(sql: "contract_id <> ''")
                t.column("meeting_date", .text).notNull().check(sql: dateCheck("meeting_date"))
                t.column("lead_officer", .text).notNull().check(sql: "lead_officer <> ''")
                t.column("outcome", .text).notNull()
                    .check(sql: "outcome IN (" + sqlList(ReviewOutcome.allCases.map(\.rawValue)) + ")")
                t.column("follow_up_date", .text).check(sql: "follow_up_date IS NULL OR " + dateCheck("follow_up_date"))
                t.column("notes", .text).notNull().defaults(to: "")
                // A contract is reviewed at most once per meeting.
                t.uniqueKey(["contract_id", "meeting_date"])
            }
            try db.create(table: "review_area") { t in
                t.column("review_id", .integer).notNull().references("review", onDelete: .cascade)
                t.column("area", .text).notNull()
                    .check(sql: "area IN (" + sqlList(NAOArea.allCases.map(\.rawValue)) + ")")
                t.primaryKey(["review_id", "area"])
            }
            try db.create(table: "review_theme") { t in
                t.column("review_id", .integer).notNull().references("review", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("theme", .text).notNull().check(sql: "theme <> ''")
                t.primaryKey(["review_id", "position"])
            }
            try db.create(index: "review_theme_by_theme", on: "review_theme", columns: ["theme"])
        }
        migrator.registerMigration("v2: audit of every change") { db in
            try db.create(table: "review_change") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("changed_at", .text).notNull()
                t.column("changed_by", .text).notNull()
                t.column("review_id", .integer) // kept after the review is removed
                t.column("action", .text).notNull().check(sql: "action IN ('record', 'import', 'amend', 'remove')")
                t.column("what", .text).notNull()
                t.column("why", .text).notNull().defaults(to: "")
            }
        }
        return migrator
    }()

    private static func dateCheck(_ column: String) -> String {
        "\(column) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
    }

    private static func sqlList(_ values: [String]) -> String {
        values.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ", ")
    }
}

/// Rows of the `review` table.
struct ReviewRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "review"
    var id: Int64?
    var contractID: String
    var meetingDate: String
    var leadOfficer: String
    var outcome: String
    var followUpDate: String?
    var notes: String

    enum CodingKeys: String, CodingKey {
        case id
        case contractID = "contract_id"
        case meetingDate = "meeting_date"
        case leadOfficer = "lead_officer"
        case outcome
        case followUpDate = "follow_up_date"
        case notes
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Rows of `review_area`: one framework area a review covered.
struct ReviewAreaRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "review_area"
    var reviewID: Int64
    var area: String
    enum CodingKeys: String, CodingKey {
        case reviewID = "review_id"
        case area
    }
}

/// Rows of `review_theme`: one findings theme, in the order written.
struct ReviewThemeRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "review_theme"
    var reviewID: Int64
    var position: Int
    var theme: String
    enum CodingKeys: String, CodingKey {
        case reviewID = "review_id"
        case position
        case theme
    }
}
