import ArgumentParser
import Foundation
import Portfolio

/// Exit statuses promised in the README: 0 ok, 1 usage, 2 rule error, 3 input data error,
/// 4 I/O error.
enum CMRGExit {
    static let ruleError = ExitCode(2)
    static let inputError = ExitCode(3)
    static let ioError = ExitCode(4)
}

/// Prints a message to standard error, prefixed with "cmrg: ". Rule errors quote what a rule
/// raised: control characters are escaped so that it cannot drive the terminal.
func complain(_ message: String) {
    var stderr = StandardError()
    print("cmrg: " + TerminalText.escaped(message, keepingLineBreaks: true), to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

import RuleEngine

extension RuleError {
    /// Unreadable packs are I/O errors (4); every other rule problem is a rule error (2).
    var exitCode: ExitCode { kind == .unreadable ? CMRGExit.ioError : CMRGExit.ruleError }
}
