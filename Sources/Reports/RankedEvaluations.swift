import RuleEngine

/// Where a result came from, recorded in every machine-readable output.
public struct Provenance: Sendable, Equatable {
    public var toolVersion: String
    /// SHA-256 (hex) over the rule pack's files (names and contents, in load order).
    public var rulesSHA256: String
    /// SHA-256 (hex) of the input portfolio file's bytes.
    public var inputSHA256: String
    public var rulesDirectory: String
    public var inputPath: String
    public var asOf: String

    public init(toolVersion: String, rulesSHA256: String, inputSHA256: String, rulesDirectory: String,
                inputPath: String, asOf: String) {
        self.toolVersion = toolVersion
        self.rulesSHA256 = rulesSHA256
        self.inputSHA256 = inputSHA256
        self.rulesDirectory = rulesDirectory
        self.inputPath = inputPath
        self.asOf = asOf
    }
}

/// Evaluations in priority order: score descending, then tier (Gold first), then id.
public struct RankedEvaluations: Sendable {
    public struct Row: Sendable {
        public var rank: Int
        public var evaluation: Evaluation
    }

    public var rows: [Row]
    public var provenance: Provenance

    public init(_ evaluations: [Evaluation], provenance: Provenance) {
        let sorted = evaluations.sorted(by: PriorityOrder.precedes)
        rows = sorted.enumerated().map { Row(rank: $0.offset + 1, evaluation: $0.element) }
        self.provenance = provenance
    }

    public var tierCounts: [Tier: Int] {
        rows.reduce(into: [:]) { $0[$1.evaluation.tier, default: 0] += 1 }
    }
}

/// Scores and points as people read them: at most one decimal, no trailing ".0".
func formatPoints(_ d: Double) -> String { String(points: d) }
