import RuleEngine
import UseCases

/// Summaries (see `EvaluationSummaries`) in priority order (`PriorityOrder`), as
/// `RankedEvaluations` orders evaluations.
public struct RankedSummaries: Sendable {
    struct Position: Sendable {
        var score: Double
        var idPrefix: UInt64
        var tier: Tier
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
                                      tier: chunk.tier(i), chunk: UInt32(c), index: UInt32(i)))
            }
        }
        chunks.withUnsafeBufferPointer { chunks in
            order.sort { a, b in
                PriorityOrder.precedes(score: a.score, tier: a.tier, score: b.score, tier: b.tier) {
                    // The ids' first 8 bytes settle most ties without reading the ids.
                    if a.idPrefix != b.idPrefix { return a.idPrefix < b.idPrefix }
                    return chunks[Int(a.chunk)].id(Int(a.index)).lexicographicallyPrecedes(chunks[Int(b.chunk)].id(Int(b.index)))
                }
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
}

extension RankedSummaries: RankedRows {
    @inline(__always)
    func withRow<R>(_ position: Int, _ body: (RankedRow) -> R) -> R {
        let p = order[position]
        let chunk = chunks[Int(p.chunk)]
        let i = Int(p.index)
        return withExtendedLifetime(summary) {
            body(RankedRow(rank: position + 1, id: chunk.id(i), title: chunk.title(i), tier: chunk.tier(i),
                           score: chunk.score(i), topFactors: chunk.topFactors(i), flags: chunk.flags(i)))
        }
    }
}
