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

    public init(kind: Kind, location: RuleLocation? = nil, message: String, contractID: String? = nil,
                contractTitle: String? = nil, entryPoint: EntryPoint? = nil) {
        self.kind = kind
        self.location = location
        self.message = message
        self.contractID = contractID
        self.contractTitle = contractTitle
        self.entryPoint = entryPoint
    }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += message
        var context: [String] = []
        if let contractID {
            context.append("contract \(contractID)" + (contractTitle.map { " \"\($0)\"" } ?? ""))
        }
        if let entryPoint { context.append("in \(entryPoint.rawValue)") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        return text
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
