import History
import Planner
import UseCases

/// How `cmrg history list` shows the reviews.
public enum HistoryListFormat: String, CaseIterable, Sendable {
    case table
    /// The import format (`ReviewCSV`), so a listing can be imported elsewhere.
    case csv
}

/// Review history as text for `cmrg history list`.
public enum HistoryRenderer {
    public static func render(_ reviews: [Review], as format: HistoryListFormat) -> String {
        switch format {
        case .table: table(reviews)
        case .csv: ReviewCSV.render(reviews)
        }
    }

    /// One row per review, columns aligned; areas and themes in full (the CSV has the notes).
    public static func table(_ reviews: [Review]) -> String {
        guard !reviews.isEmpty else { return "No reviews recorded.\n" }
        var rows = [["Meeting", "Contract", "Outcome", "Lead officer", "Follow-up", "Themes", "NAO areas"]]
        for r in reviews {
            rows.append([r.meetingDate.iso, r.contractID, r.outcome.rawValue, r.leadOfficer, r.followUpDate?.iso ?? "-",
                         r.themes.joined(separator: "; "), r.areas.map(\.rawValue).joined(separator: "; ")])
        }
        let widths = (0..<rows[0].count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        var out = ""
        for (i, row) in rows.enumerated() {
            out += row.enumerated().map { col, text in text + String(repeating: " ", count: widths[col] - text.count) }
                .joined(separator: "  ").trailingSpacesTrimmed + "\n"
            if i == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        let contracts = Set(reviews.map(\.contractID)).count
        out += "\n\(reviews.count) review\(reviews.count == 1 ? "" : "s") of \(contracts) contract\(contracts == 1 ? "" : "s")\n"
        return out
    }
}

/// What `cmrg history record|amend|remove|import|log` say when they are done.
extension HistoryRenderer {
    /// "recorded review 17: C-073 at the 2026-11-17 meeting (Green) in samples/cmrg.sqlite".
    public static func recorded(_ r: ReviewRecording.Recorded) -> String {
        let review = r.review
        var line = "recorded review \(review.id!): \(review.contractID) at the \(review.meetingDate) meeting"
            + " (\(review.outcome.rawValue)) in \(r.database)"
        if let csv = r.importedFrom {
            line += " (after importing the \(r.imported) review\(r.imported == 1 ? "" : "s") of \(csv), the history in use until now)"
        }
        return line + "\n"
    }

    public static func amended(_ a: ReviewRecording.Amended) -> String {
        "amended review \(a.id) in \(a.database): \(a.changes)\n"
    }

    public static func removed(_ r: ReviewRecording.Removed) -> String {
        "removed review \(r.id) (\(r.review.contractID) at the \(r.review.meetingDate) meeting) from \(r.database)\n"
    }

    /// "samples/reviews.csv: 16 reviews imported into cmrg.sqlite (2 already recorded)".
    public static func imported(_ i: ReviewRecording.Imported) -> String {
        let added = i.summary.added, already = i.summary.alreadyRecorded
        return "\(i.file): \(added) review\(added == 1 ? "" : "s") imported into \(i.database)"
            + (already > 0 ? " (\(already) already recorded)" : "") + "\n"
    }

    /// The audit table, a line per change: when, by whom, what, and why when one was given.
    public static func log(_ changes: [HistoryChange], database: String) -> String {
        guard !changes.isEmpty else { return "no changes recorded in \(database)\n" }
        return changes.map { c in
            "\(c.at)  \(c.by)  \(c.action)" + (c.reviewID.map { " review \($0)" } ?? "") + ": \(c.what)"
                + (c.why.isEmpty ? "" : " (why: \(c.why))") + "\n"
        }.joined()
    }
}
