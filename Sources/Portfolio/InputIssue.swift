/// One problem with the input, located:
/// `samples/bad.csv:14:9: end_date "31/02/2024" is not a date (YYYY-MM-DD)`.
public struct InputIssue: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// For a notice, what kind of thing it says in a few words, the same for every notice of
    /// that kind ("supplier left blank: no award yet"), so a summary can count them.
    public var kind: String?

    public init(location: SourceLocation, message: String, kind: String? = nil) {
        self.location = location
        self.message = message
        self.kind = kind
    }

    public var description: String { "\(location): \(message)" }
}

extension InputIssue {
    init(_ file: String, _ line: Int, _ column: Int = 0, _ message: String, kind: String? = nil) {
        self.init(location: SourceLocation(file: file, line: line, column: column), message: message, kind: kind)
    }
}
