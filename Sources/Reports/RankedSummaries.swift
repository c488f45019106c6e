import RuleEngine

/// Summaries (see `EvaluationSummaries`) in priority order, as `RankedEvaluations` orders
/// evaluations: score descending, then tier (Gold first), then id (bytewise).
public struct RankedSummaries: Sendable {
    struct Position: Sendable {
        var score: Double
        var idPrefix: UInt64
        var tier: UInt8
        var chunk: UInt32
        var index: UInt32
    }

    public let summary: PortfolioSummary
    public let provenance: Provenance
    /// Rank order: position 0 is rank 1.
    let order: [Position]

    public init(_ summary: PortfolioSummary, provenance: Provenance) {
        self.summary = summary
        self.provenance = provenance
        var order: [Position] = []
        order.reserveCapacity(summary.count)
        for (c, chunk) in summary.chunks.enumerated() {
            for i in 0..<chunk.count {
                order.append(Position(score: chunk.score(i), idPrefix: chunk.idPrefix(i),
                                      tier: RankedSummaries.tierOrder(chunk.tier(i)), chunk: UInt32(c), index: UInt32(i)))
            }
        }
        summary.chunks.withUnsafeBufferPointer { chunks in
            order.sort { a, b in
                if a.score != b.score { return a.score > b.score }
                if a.tier != b.tier { return a.tier < b.tier }
                if a.idPrefix != b.idPrefix { return a.idPrefix < b.idPrefix }
                return chunks[Int(a.chunk)].withID(Int(a.index)) { x in
                    chunks[Int(b.chunk)].withID(Int(b.index)) { y in x.lexicographicallyPrecedes(y) }
                }
            }
        }
        self.order = order
    }

    public var count: Int { order.count }

    public var tierCounts: [Tier: Int] {
        var counts: [Tier: Int] = [:]
        for chunk in summary.chunks {
            for i in 0..<chunk.count { counts[chunk.tier(i), default: 0] += 1 }
        }
        return counts
    }

    static func tierOrder(_ tier: Tier) -> UInt8 {
        switch tier {
        case .gold: 0
        case .silver: 1
        case .bronze: 2
        }
    }
}

extension RankedSummaries: RankedRows {
    func withRow<R>(_ position: Int, _ body: (RankedRow) -> R) -> R {
        let p = order[position]
        return summary.chunks.withUnsafeBufferPointer { chunks in
            let chunk = chunks[Int(p.chunk)]
            let i = Int(p.index)
            return chunk.withFields(i) { id, title, top in
                body(RankedRow(rank: position + 1, id: id, title: title, tier: chunk.tier(i),
                               score: chunk.score(i), topFactors: top))
            }
        }
    }
}
