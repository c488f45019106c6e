import RuleEngine
import UseCases

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
