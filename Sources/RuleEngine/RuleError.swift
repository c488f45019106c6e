import Foundation
import LuaHost

/// A rule pack failure, said the way a policy officer can act on it:
/// `rules/priority.lua:42: attempt to compare nil with number (contract C-017 "Waste", in score)`.
public struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The pack's directory or files cannot be read (an I/O problem, not a rule mistake).
        case unreadable
        /// The pack does not compile or fails while loading.
        case load
        /// `tier` or `score` is not defined.
        case missingFunction
        /// An error raised while evaluating a contract.
        case runtime
        /// A limit (instructions, time, memory) stopped the rule.
        case limit
        /// `tier` or `score` returned something unusable.
        case badReturn
    }

    public var kind: Kind
    public var location: RuleLocation?
    public var message: String
    public var contractID: String?
    public var contractTitle: String?
    public var entryPoint: EntryPoint?
    /// At most one more line saying how to fix it (printed indented under the message).
    public var hint: String?

    public init(kind: Kind, location: RuleLocation? = nil, message: String, contractID: String? = nil,
                contractTitle: String? = nil, entryPoint: EntryPoint? = nil, hint: String? = nil) {
        self.kind = kind
        self.location = location
        self.message = message
        self.contractID = contractID
        self.contractTitle = contractTitle
        self.entryPoint = entryPoint
        self.hint = hint
    }

    /// One line (under 2 KB whatever the rule threw or the register holds), then the hint
    /// on a second line when there is one.
    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += Self.oneLine(message, maxBytes: 1400)
        var context: [String] = []
        if let contractID {
            context.append("contract \(Self.oneLine(contractID, maxBytes: 100))"
                           + (contractTitle.map { " \"\(Self.oneLine($0, maxBytes: 100))\"" } ?? ""))
        }
        if let entryPoint { context.append("in \(entryPoint.rawValue)") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        if let hint { text += "\n  " + Self.oneLine(hint, maxBytes: 300) }
        return text
    }

    /// Line feeds shown as `\n` and carriage returns as `\r` (as `TerminalText` writes them,
    /// so the message says what the rule threw), and cut (at a character) after `maxBytes` of UTF-8.
    static func oneLine(_ text: String, maxBytes: Int) -> String {
        var out = text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) ? breaksShown(text) : text
        guard out.utf8.count > maxBytes else { return out }
        var kept = 0
        out = String(out.prefix { kept += $0.utf8.count; return kept <= maxBytes }) + "…"
        return out
    }

    private static func breaksShown(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    init(_ error: LuaError, kind: Kind? = nil) {
        let limited: Set<LuaError.Kind> = [.instructionLimit, .timeLimit, .memoryLimit, .interrupted]
        self.kind = kind ?? (error.kind == .syntax ? .load : limited.contains(error.kind) ? .limit : .runtime)
        message = error.message
        if let chunk = error.chunk, let line = error.line {
            location = RuleLocation(file: chunk, line: line)
        } else if let chunk = error.chunk {
            message = "\(chunk): " + message // a file but no line (compiling, sealing): still say which
        }
        entryPoint = error.function.flatMap(EntryPoint.init(rawValue:))
    }
}
