import Portfolio

/// One located problem with review input: `samples/reviews.csv:7:24: outcome "Purple" is not Red, Amber or Green`.
/// The same shape as a register's input issues.
public typealias HistoryIssue = InputIssue

/// A review-history failure, said in plain words.
public struct HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The database or a CSV file cannot be opened, read or written (exit 4).
        case unreadable
        /// Bad review data: a CSV row or a recorded review breaks a rule (exit 3).
        case invalid
    }

    public var kind: Kind
    public var message: String
    /// For `.invalid` from a file: the located problems, in file order.
    public var issues: [HistoryIssue]

    public init(_ kind: Kind, _ message: String, issues: [HistoryIssue] = []) {
        self.kind = kind
        self.message = message
        self.issues = issues
    }

    public var description: String {
        ([message] + issues.map(\.description)).joined(separator: "\n")
    }
}
