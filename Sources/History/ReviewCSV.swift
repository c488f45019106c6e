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
        let records = try cells(text, path: path)
        guard let header = records.first else {
            throw HistoryError(.invalid, "'\(path)' is empty: expected a header row (\(columns.joined(separator: ",")))")
        }

        var issues: [HistoryIssue] = []
        var columnOf: [ReviewInput.Field: Int] = [:]
        var unknown: [Cell] = []
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

    /// A CSV field with where it starts, for messages.
    struct Cell {
        var text: String
        var line: Int
        /// 1-based column (in characters) of the field's first character, its opening quote
        /// when `quoted`.
        var column: Int
        var quoted: Bool
    }

    struct Record {
        var line: Int
        var fields: [Cell]
    }

    /// Every record of `text`, read by Portfolio's CSV tokenizer; a syntax error anywhere
    /// stops the read before any field is checked.
    static func cells(_ text: String, path: String) throws(HistoryError) -> [Record] {
        let tokenizer = CSVTokenizer(bytes: Array(text.utf8))
        var records: [Record] = []
        func nextRecord() throws(HistoryError) -> Bool {
            do {
                return try tokenizer.nextRecord()
            } catch {
                // Only reading a file can fail; these bytes are all in memory.
                throw HistoryError(.invalid, error.message, issues: error.issues)
            }
        }
        while try nextRecord() {
            if let problem = tokenizer.problem, let at = tokenizer.problemLocation {
                let message = switch problem.kind {
                case .unclosedQuote: "quoted field is never closed"
                case .textAfterQuote: "text after a closing quote (write \"\" for a quote inside a quoted field)"
                }
                throw invalid(path, [HistoryIssue(location: SourceLocation(file: path, line: at.line, column: at.column),
                                                  message: message)])
            }
            records.append(Record(line: tokenizer.recordLine, fields: (0..<tokenizer.fieldCount).map { i in
                let at = tokenizer.location(ofField: i)
                // `text` is a String, so every field is valid UTF-8.
                return Cell(text: tokenizer.string(i) ?? "", line: at.line, column: at.column, quoted: tokenizer.isQuoted(i))
            }))
        }
        return records
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
            let values = ReviewInput(r).values
            out += ReviewInput.Field.allCases.map { CSVQuoting.field(values[$0]!) }.joined(separator: ",") + "\n"
        }
        return out
    }
}
