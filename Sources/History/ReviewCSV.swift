import Foundation
import Portfolio

/// A review read from a file, with the line it came from.
public struct LocatedReview: Sendable, Equatable {
    public var review: Review
    public var location: SourceLocation
}

/// Reads past reviews from CSV: a header row naming the columns (any order)
/// `contract_id, meeting_date, lead_officer, outcome, areas, themes, follow_up_date, notes`,
/// lists (areas, themes) separated by ';'. Every bad field is reported as file:line:column.
public enum ReviewCSV {
    /// The columns, in the order `history` writes them.
    public static let columns = ReviewInput.Field.allCases.map(\.rawValue)

    public static func read(path: String, maxErrors: Int = 20) throws(HistoryError) -> [LocatedReview] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw HistoryError(.unreadable, exists ? "cannot read '\(path)'" : "'\(path)' does not exist")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HistoryError(.invalid, "'\(path)' is not UTF-8 text")
        }
        return try parse(text, path: path, maxErrors: maxErrors)
    }

    public static func parse(_ text: String, path: String, maxErrors: Int = 20) throws(HistoryError) -> [LocatedReview] {
        let records: [CSVRecords.Record]
        do {
            records = try CSVRecords.parse(text)
        } catch {
            switch error {
            case .unterminatedQuote(let line, let column):
                throw invalid(path, [HistoryIssue(location: SourceLocation(file: path, line: line, column: column),
                                                  message: "quoted field is never closed")])
            case .textAfterQuote(let line, let column):
                throw invalid(path, [HistoryIssue(location: SourceLocation(file: path, line: line, column: column),
                                                  message: "text after a closing quote (write \"\" for a quote inside a quoted field)")])
            }
        }
        guard let header = records.first else {
            throw HistoryError(.invalid, "'\(path)' is empty: expected a header row (\(columns.joined(separator: ",")))")
        }

        var issues: [HistoryIssue] = []
        var columnOf: [ReviewInput.Field: Int] = [:]
        var unknown: [CSVRecords.Field] = []
        for (index, cell) in header.fields.enumerated() {
            let name = cell.text.trimmingWhitespace().lowercased()
            guard let field = ReviewInput.Field(rawValue: name) else {
                unknown.append(cell)
                continue
            }
            if columnOf[field] != nil {
                issues.append(HistoryIssue(location: SourceLocation(file: path, line: cell.line, column: cell.column),
                                           message: "column \"\(name)\" appears twice"))
            }
            columnOf[field] = index
        }
        if let first = unknown.first {
            let names = unknown.map { "\"\($0.text)\"" }.joined(separator: ", ")
            issues.append(HistoryIssue(location: SourceLocation(file: path, line: first.line, column: first.column),
                message: "unknown column\(unknown.count == 1 ? "" : "s") \(names) (expected: \(columns.joined(separator: ", ")))"))
        }
        let missing = ReviewInput.Field.required.filter { columnOf[$0] == nil }
        if !missing.isEmpty {
            issues.append(HistoryIssue(location: SourceLocation(file: path, line: header.line),
                message: "missing column\(missing.count == 1 ? "" : "s") " + missing.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")))
        }
        if !issues.isEmpty { throw invalid(path, issues) }

        var reviews: [LocatedReview] = []
        var firstLineOf: [String: Int] = [:]
        for record in records.dropFirst() {
            let rowAt = SourceLocation(file: path, line: record.line)
            if record.fields.count != header.fields.count {
                issues.append(HistoryIssue(location: rowAt,
                    message: "\(record.fields.count) fields, but the header has \(header.fields.count)"))
            } else {
                var values: [ReviewInput.Field: String] = [:]
                for (field, index) in columnOf { values[field] = record.fields[index].text }
                switch ReviewInput(values).validated() {
                case .review(let review):
                    let key = review.contractID + " " + review.meetingDate.iso
                    if let first = firstLineOf[key] {
                        let cell = record.fields[columnOf[.meetingDate]!]
                        issues.append(HistoryIssue(
                            location: SourceLocation(file: path, line: cell.line, column: cell.column),
                            message: "\(review.contractID) is already reviewed at the \(review.meetingDate) meeting on line \(first)"))
                    } else {
                        firstLineOf[key] = record.line
                        reviews.append(LocatedReview(review: review, location: rowAt))
                    }
                case .problems(let problems):
                    for problem in problems {
                        let cell = record.fields[columnOf[problem.field]!]
                        let location = SourceLocation(file: path, line: cell.line,
                                                      column: cell.column + problem.offset + (cell.quoted ? 1 : 0))
                        issues.append(HistoryIssue(location: location, message: problem.message))
                    }
                }
            }
            if issues.count >= maxErrors { break }
        }
        if !issues.isEmpty { throw invalid(path, Array(issues.prefix(maxErrors))) }
        return reviews
    }

    private static func invalid(_ path: String, _ issues: [HistoryIssue]) -> HistoryError {
        let rows = Set(issues.map(\.location.line)).count
        let noun = rows == 1 ? "line" : "lines"
        return HistoryError(.invalid, "\(path): \(issues.count) problem\(issues.count == 1 ? "" : "s") on \(rows) \(noun)", issues: issues)
    }

    /// Reviews as CSV in the import format (so a listing can be imported elsewhere).
    public static func render(_ reviews: [Review]) -> String {
        var out = columns.joined(separator: ",") + "\n"
        for r in reviews {
            let cells = [r.contractID, r.meetingDate.iso, r.leadOfficer, r.outcome.rawValue,
                         r.areas.map(\.rawValue).joined(separator: "; "), r.themes.joined(separator: "; "),
                         r.followUpDate?.iso ?? "", r.notes]
            out += cells.map(quoted).joined(separator: ",") + "\n"
        }
        return out
    }

    private static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
