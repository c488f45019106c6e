import Portfolio

/// Contract tiers of the Cabinet Office style tiering tool, most demanding first.
public enum Tier: String, Sendable, CaseIterable, Comparable, Codable {
    case gold = "Gold"
    case silver = "Silver"
    case bronze = "Bronze"

    public static func < (a: Tier, b: Tier) -> Bool { a.position < b.position }

    /// Place in `allCases`: 0 for Gold (compared a million times when ranking).
    @inlinable public var position: Int {
        switch self {
        case .gold: 0
        case .silver: 1
        case .bronze: 2
        }
    }
}

/// A place in a rule file.
public struct RuleLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}

/// Which entry point of the pack was running when a reason or factor was recorded.
public enum EntryPoint: String, Sendable, Codable {
    case tier, score
    /// Optional: `flags(c)`, things for a person to act on (see `RuleFlag`).
    case flags
}

/// A scored factor added by `factor(name, points, text)`.
public struct Factor: Sendable, Equatable {
    public var name: String
    public var points: Double
    public var text: String
    public var location: RuleLocation?
    public var entryPoint: EntryPoint
}

/// A reason added by `because(text)`.
public struct Reason: Sendable, Equatable {
    public var text: String
    public var location: RuleLocation?
    public var entryPoint: EntryPoint
}

/// What the rule pack decided for one contract, with the trail that explains it.
public struct Evaluation: Sendable, Equatable {
    public var contractID: String
    public var title: String
    public var tier: Tier
    public var score: Double
    public var factors: [Factor]
    public var reasons: [Reason]
    /// What the pack's `flags(c)` returned (empty when it defines none).
    public var flags: [RuleFlag] = []

    /// Factors that moved the score, largest first (ties: name), for "top factors" columns.
    public var topFactors: [Factor] {
        factors.filter { $0.points != 0 }.sorted { abs($0.points) != abs($1.points) ? abs($0.points) > abs($1.points) : $0.name < $1.name }
    }
}

extension Evaluation {
    /// The text its trail holds, counted as the call log counts it: each reason's and factor's
    /// text and name, plus 64 bytes an entry.
    public var trailBytes: Int {
        factors.reduce(0) { $0 + $1.name.utf8.count + $1.text.utf8.count + 64 }
            + reasons.reduce(0) { $0 + $1.text.utf8.count + 64 }
    }
}
