/// The order of the priority list: score descending, then tier (Gold first), then id
/// (bytewise). The one definition, used by the ranks of evaluate and the report, the
/// planner's admission order and diff's rank movements.
public enum PriorityOrder {
    /// Whether `a` goes before `b`; `idPrecedes` says whether a's id goes before b's (bytewise),
    /// asked only when score and tier are equal (a caller holding ids as bytes or prefixes
    /// compares them its own way).
    @inlinable
    public static func precedes(score a: Double, tier ta: Tier, score b: Double, tier tb: Tier,
                                idPrecedes: () -> Bool) -> Bool {
        if a != b { return a > b }
        if ta != tb { return ta < tb }
        return idPrecedes()
    }

    public static func precedes(score a: Double, tier ta: Tier, id ia: String,
                                score b: Double, tier tb: Tier, id ib: String) -> Bool {
        precedes(score: a, tier: ta, score: b, tier: tb) { ia.utf8.lexicographicallyPrecedes(ib.utf8) }
    }

    public static func precedes(_ a: Evaluation, _ b: Evaluation) -> Bool {
        precedes(score: a.score, tier: a.tier, id: a.contractID, score: b.score, tier: b.tier, id: b.contractID)
    }
}
