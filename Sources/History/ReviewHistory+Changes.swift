import Foundation
import GRDB
import Portfolio

/// One entry of the audit table: who changed what in the history, when and why.
public struct HistoryChange: Sendable, Equatable {
    public var at: String
    public var by: String
    public var reviewID: Int64?
    public var action: String
    public var what: String
    public var why: String
}

/// Amending and removing recorded reviews; every change, recording included, is kept in
/// the `review_change` audit table in the same transaction as the change itself.
extension ReviewHistory {
    /// Records `review` and its audit entry.
    @discardableResult
    public func record(_ review: Review, by: String) throws(HistoryError) -> Review {
        try write { db throws(HistoryError) in try Self.recordAudited(db, review, by: by) }
    }

    static func recordAudited(_ db: Database, _ review: Review, by: String) throws(HistoryError) -> Review {
        let recorded = try insertNew(db, review)
        try audit(db, by: by, review: recorded.id, action: "record",
                  what: "\(review.contractID) at the \(review.meetingDate) meeting (\(review.outcome.rawValue))", why: "")
        return recorded
    }

    /// Replaces review `id` with `amended` (same id), saying what changed.
    public func amend(id: Int64, to amended: Review, by: String, why: String) throws(HistoryError) -> String {
        try write { db throws(HistoryError) in
            guard let old = try Self.fetch(db, sql: "WHERE review.id = ?", [id]).first else {
                throw HistoryError(.invalid, "there is no review \(id) in the history")
            }
            if let clash = try Self.existingID(db, amended), clash != id { throw Self.alreadyRecorded(amended, clash) }
            let what = Self.differences(old, amended)
            guard !what.isEmpty else { throw HistoryError(.invalid, "review \(id) already says that: nothing to amend") }
            do {
                // The same row, with the new values; areas and themes written afresh.
                try db.execute(sql: """
                    UPDATE review SET meeting_date = ?, lead_officer = ?, outcome = ?, follow_up_date = ?, notes = ? WHERE id = ?
                    """, arguments: [amended.meetingDate.iso, amended.leadOfficer, amended.outcome.rawValue,
                                     amended.followUpDate?.iso, amended.notes, id])
                try db.execute(sql: "DELETE FROM review_area WHERE review_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM review_theme WHERE review_id = ?", arguments: [id])
                for area in amended.areas { try ReviewAreaRow(reviewID: id, area: area.rawValue).insert(db) }
                for (position, theme) in amended.themes.enumerated() {
                    try ReviewThemeRow(reviewID: id, position: position + 1, theme: theme).insert(db)
                }
            } catch {
                throw HistoryError(.unreadable, "cannot write review history: \(Self.reason(error))")
            }
            try Self.audit(db, by: by, review: id, action: "amend", what: "\(old.contractID) \(old.meetingDate): " + what, why: why)
            return what
        }
    }

    /// Removes review `id`; the audit table keeps what it said and why it went.
    public func remove(id: Int64, by: String, why: String) throws(HistoryError) -> Review {
        try write { db throws(HistoryError) in
            guard let old = try Self.fetch(db, sql: "WHERE review.id = ?", [id]).first else {
                throw HistoryError(.invalid, "there is no review \(id) in the history")
            }
            do {
                try db.execute(sql: "DELETE FROM review WHERE id = ?", arguments: [id])
            } catch {
                throw HistoryError(.unreadable, "cannot write review history: \(Self.reason(error))")
            }
            try Self.audit(db, by: by, review: id, action: "remove",
                           what: "\(old.contractID) at the \(old.meetingDate) meeting (\(old.outcome.rawValue)), led by \(old.leadOfficer)", why: why)
            return old
        }
    }

    public func review(id: Int64) throws(HistoryError) -> Review? {
        try reviews().first { $0.id == id }
    }

    /// The audit table, oldest first.
    public func changes() throws(HistoryError) -> [HistoryChange] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_change ORDER BY id").map { row in
                HistoryChange(at: row["changed_at"], by: row["changed_by"], reviewID: row["review_id"],
                              action: row["action"], what: row["what"], why: row["why"])
            }
        }
    }

    static func audit(_ db: Database, by: String, review: Int64?, action: String, what: String, why: String) throws(HistoryError) {
        do {
            let now = ISO8601DateFormatter().string(from: Date())
            try db.execute(sql: "INSERT INTO review_change (changed_at, changed_by, review_id, action, what, why) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [now, by, review, action, what, why])
        } catch {
            throw HistoryError(.unreadable, "cannot write review history: \(reason(error))")
        }
    }

    /// "outcome Amber → Red; follow_up_date (none) → 2027-02-01".
    static func differences(_ a: Review, _ b: Review) -> String {
        func shown(_ s: String) -> String { s.isEmpty ? "(none)" : s }
        let pairs: [(String, String, String)] = [
            ("contract_id", a.contractID, b.contractID),
            ("meeting_date", a.meetingDate.iso, b.meetingDate.iso),
            ("lead_officer", a.leadOfficer, b.leadOfficer),
            ("outcome", a.outcome.rawValue, b.outcome.rawValue),
            ("areas", a.areas.map(\.rawValue).joined(separator: "; "), b.areas.map(\.rawValue).joined(separator: "; ")),
            ("themes", a.themes.joined(separator: "; "), b.themes.joined(separator: "; ")),
            ("follow_up_date", a.followUpDate?.iso ?? "", b.followUpDate?.iso ?? ""),
            ("notes", a.notes, b.notes),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { "\($0.0) \(shown($0.1)) → \(shown($0.2))" }.joined(separator: "; ")
    }
}
