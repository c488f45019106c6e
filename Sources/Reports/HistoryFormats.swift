import History
import Planner

/// Review history as text for `cmrg history list`.
public enum HistoryRenderer {
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
