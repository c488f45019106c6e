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
    /// Each chunk's fields, read without retaining (`summary` keeps them alive).
    let chunks: [EvaluationSummaries.Fields]

    public init(_ summary: PortfolioSummary, provenance: Provenance) {
        self.summary = summary
        self.provenance = provenance
        let chunks = summary.chunks.map(\.fields)
        var order: [Position] = []
        order.reserveCapacity(summary.count)
        for (c, chunk) in chunks.enumerated() {
            for i in 0..<chunk.count {
                order.append(Position(score: chunk.score(i), idPrefix: chunk.idPrefix(i),
                                      tier: RankedSummaries.tierOrder(chunk.tier(i)), chunk: UInt32(c), index: UInt32(i)))
            }
        }
        chunks.withUnsafeBufferPointer { chunks in
            order.sort { a, b in
                if a.score != b.score { return a.score > b.score }
                if a.tier != b.tier { return a.tier < b.tier }
                if a.idPrefix != b.idPrefix { return a.idPrefix < b.idPrefix }
                return chunks[Int(a.chunk)].id(Int(a.index)).lexicographicallyPrecedes(chunks[Int(b.chunk)].id(Int(b.index)))
            }
        }
        self.order = order
        self.chunks = chunks
    }

    public var count: Int { order.count }

    public var tierCounts: [Tier: Int] {
        var counts: [Tier: Int] = [:]
        for chunk in chunks {
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
    @inline(__always)
    func withRow<R>(_ position: Int, _ body: (RankedRow) -> R) -> R {
        let p = order[position]
        let chunk = chunks[Int(p.chunk)]
        let i = Int(p.index)
        return withExtendedLifetime(summary) {
            body(RankedRow(rank: position + 1, id: chunk.id(i), title: chunk.title(i), tier: chunk.tier(i),
                           score: chunk.score(i), topFactors: chunk.topFactors(i)))
        }
    }
}
