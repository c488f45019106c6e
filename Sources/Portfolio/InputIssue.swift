/// One problem with the input, located:
/// `samples/bad.csv:14:9: end_date "31/02/2024" is not a date (YYYY-MM-DD)`.
public struct InputIssue: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

extension InputIssue {
    init(_ file: String, _ line: Int, _ column: Int = 0, _ message: String) {
        self.init(location: SourceLocation(file: file, line: line, column: column), message: message)
    }
}
