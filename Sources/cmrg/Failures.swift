import ArgumentParser
import Foundation
import History
import Portfolio
import RuleEngine
import UseCases

/// The one table from a failure to what the user reads and the exit status. README: 0 ok,
/// 1 usage, 2 rule error, 3 input data error, 4 I/O error, 10 decisions change (`diff`),
/// 130 interrupted (Ctrl-C).
enum Failure {
    /// "cmrg: " + message on stderr, then the status; nil for errors ArgumentParser reports.
    static func report(_ error: Error) -> (message: String, status: Int32)? {
        switch error {
        case let e as RuleError: (e.description, e.kind == .unreadable ? 4 : 2)
        case let e as PackSyntaxErrors: (e.errors.map(\.description).joined(separator: "\ncmrg: "), 2) // a line each
        case let e as PlanPolicyError: (e.report, 2)
        case let e as PortfolioError: (e.description, e.kind == .unreadable ? 4 : 3)
        case let e as HistoryError: (e.description, e.kind == .unreadable ? 4 : 3)
        case let e as ReviewRefusal: (e.description(naming: HistoryOptions.option), 3)
        case let e as GitPackError: (e.description, e.kind == .unavailable ? 4 : 1)
        case let e as UnknownContract: (e.description, 1) // a wrong argument is a usage error
        case let e as AtomicFile.WriteError: (e.description, 4)
        case let e as CocoaError: (e.localizedDescription, 4)
        case let e as Interrupted: (e.description, 130)
        default: nil
        }
    }

    /// Statuses a command ends with after saying why itself.
    static let ruleError = ExitCode(2)
    static let decisionsChange = ExitCode(10)
}

/// Prints a message to standard error, prefixed with "cmrg: ". Rule errors quote what a rule
/// raised: control characters are escaped so that it cannot drive the terminal.
func complain(_ message: some StringProtocol) {
    FileHandle.standardError.write(Data(("cmrg: " + TerminalText.escaped(String(message), keepingLineBreaks: true) + "\n").utf8))
}
