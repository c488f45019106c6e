/// The order of the priority list: score descending, then tier (Gold first), then id
/// (bytewise). One definition shared by `evaluate`'s ranks and `diff`'s rank movements.
public enum PriorityOrder {
    public static func precedes(score a: Double, tier ta: Tier, id ia: String,
                                score b: Double, tier tb: Tier, id ib: String) -> Bool {
        if a != b { return a > b }
        if ta != tb { return ta < tb }
        return ia.utf8.lexicographicallyPrecedes(ib.utf8)
    }

    public static func precedes(_ a: Evaluation, _ b: Evaluation) -> Bool {
        precedes(score: a.score, tier: a.tier, id: a.contractID, score: b.score, tier: b.tier, id: b.contractID)
    }
}
