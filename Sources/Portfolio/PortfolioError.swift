/// Why a portfolio could not be loaded: the file could not be read (exit 4) or its data is
/// invalid (exit 3, with the located issues).
public struct PortfolioError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// I/O: missing file, permission, directory.
        case unreadable
        /// Bad data: see `issues`.
        case invalid
    }

    public var kind: Kind
    /// For `.invalid`: up to `LoadOptions.maxErrors` issues, in file order.
    public var issues: [InputIssue]
    /// One plain sentence, e.g. "samples/bad.csv: 3 invalid rows".
    public var message: String

    public init(kind: Kind, issues: [InputIssue] = [], message: String) {
        self.kind = kind
        self.issues = issues
        self.message = message
    }

    public var description: String {
        ([message] + issues.map(\.description)).joined(separator: "\n")
    }

    static func unreadable(_ path: String, _ reason: String) -> PortfolioError {
        PortfolioError(kind: .unreadable, message: "cannot read '\(path)': \(reason)")
    }

    /// A problem that stops reading at once (a bad header, a broken JSON document).
    static func fatal(_ issue: InputIssue, _ what: String) -> PortfolioError {
        PortfolioError(kind: .invalid, issues: [issue], message: "\(issue.location.file): \(what)")
    }
}
