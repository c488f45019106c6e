import Portfolio

/// What changing the rule pack does to the decisions over one portfolio: the dry run of a
/// rule change (`cmrg diff`). Built in one pass over the input by `PackDiffer`.
public struct PackDiff: Sendable {
    /// One side's decision for a contract: tier, score and place in the priority list.
    public struct Outcome: Sendable, Equatable {
        public var tier: Tier
        public var score: Double
        public var rank: Int
    }

    /// A factor whose points differ between the packs (summed by name; absent counts as 0).
    public struct FactorChange: Sendable, Equatable {
        public var name: String
        public var before: Double
        public var after: Double
        public var delta: Double { after - before }
    }

    /// A contract whose decision moved.
    public struct Change: Sendable {
        public var id: String
        public var title: String
        public var before: Outcome
        public var after: Outcome
        /// Largest change first.
        public var factorChanges: [FactorChange]
        /// For a tier change: the tier reasons that differ (each side's reasons that the other
        /// side does not give; all of them when the texts are the same).
        public var reasonsBefore: [Reason]
        public var reasonsAfter: [Reason]
        public var rankDelta: Int { before.rank - after.rank } // positive: moved up the list
        public var scoreDelta: Double { after.score - before.score }
    }

    public var contractCount: Int
    /// transitions[before][after]: how many contracts went from one tier to another, indexed
    /// in `Tier.allCases` order (Gold, Silver, Bronze).
    public var transitions: [[Int]]
    /// Every contract whose tier changed, in the new pack's priority order.
    public var tierChanges: [Change]
    /// The largest rank (then score) movements, biggest first, at most `movementLimit`.
    public var movements: [Change]
    public var scoreChangeCount: Int
    public var rankChangeCount: Int
    /// The size of the priority list compared, and the contracts entering (in the new order)
    /// and leaving it (in the old order).
    public var top: Int
    public var entering: [Change]
    public var leaving: [Change]
    /// What differs between the packs' files and settings.
    public var ruleChanges: RuleChanges
    /// Rows skipped as invalid and loader notices, as for evaluate.
    public var skipped: [InputIssue]
    public var notices: [InputIssue]

    /// Decisions change when a tier changes or the top-N list gains or loses a contract.
    public var decisionsChanged: Bool { !tierChanges.isEmpty || !entering.isEmpty || !leaving.isEmpty }

    public func count(from before: Tier, to after: Tier) -> Int {
        transitions[Tier.allCases.firstIndex(of: before)!][Tier.allCases.firstIndex(of: after)!]
    }
}

/// Keeps what the diff needs of two packs' evaluations (a `PairEvaluationSink`): a compact
/// row per contract, and the explanations only where a decision differs, so a national
/// register streams through without holding two full sets of evaluations.
public struct PackDiffer: PairEvaluationSink {
    private var rows: [Row] = []
    private var details: [Detail] = []

    public init() {}

    struct Row: Sendable {
        var id: String
        var title: String
        var tierBefore: Tier
        var tierAfter: Tier
        var scoreBefore: Double
        var scoreAfter: Double
        var detail: Int32 // index into details, -1 when nothing changed
    }

    struct Detail: Sendable {
        var factorChanges: [PackDiff.FactorChange]
        var reasonsBefore: [Reason]
        var reasonsAfter: [Reason]
    }

    /// A piece's rows, their detail indices counted within the piece.
    public struct Piece: Sendable {
        var rows: [Row] = []
        var details: [Detail] = []
    }

    public func evaluate(_ contracts: ArraySlice<Contract>, base: RuleEvaluator, new: RuleEvaluator) throws(RuleError) -> Piece {
        var before: [Evaluation] = [], after: [Evaluation] = []
        before.reserveCapacity(contracts.count)
        after.reserveCapacity(contracts.count)
        for contract in contracts {
            let (b, a) = try RuleEvaluator.evaluate(contract, base: base, new: new)
            before.append(b)
            after.append(a)
        }
        return compare(before: before, after: after)
    }

    /// What the diff keeps of the same contracts' evaluations under both packs (on a worker:
    /// sinks that also need the evaluations themselves call it from their own `evaluate`).
    public func compare(before: [Evaluation], after: [Evaluation]) -> Piece {
        var piece = Piece()
        piece.rows.reserveCapacity(after.count)
        for (b, a) in zip(before, after) {
            var row = Row(id: a.contractID, title: a.title, tierBefore: b.tier, tierAfter: a.tier,
                          scoreBefore: b.score, scoreAfter: a.score, detail: -1)
            let tierChanged = a.tier != b.tier
            if tierChanged || !Self.same(a.score, b.score) {
                let (reasonsBefore, reasonsAfter) = tierChanged ? Self.differingTierReasons(b, a) : ([], [])
                row.detail = Int32(piece.details.count)
                piece.details.append(Detail(factorChanges: Self.factorChanges(b, a), reasonsBefore: reasonsBefore,
                                            reasonsAfter: reasonsAfter))
            }
            piece.rows.append(row)
        }
        return piece
    }

    public mutating func add(_ piece: Piece, of contracts: ArraySlice<Contract>) {
        let offset = Int32(details.count)
        rows.reserveCapacity(rows.count + piece.rows.count)
        for var row in piece.rows {
            if row.detail >= 0 { row.detail += offset }
            rows.append(row)
        }
        details += piece.details
    }

    /// Ranks both sides and summarises. `top` is the priority list size compared.
    public func finish(top: Int, movementLimit: Int, ruleChanges: RuleChanges,
                       skipped: [InputIssue] = [], notices: [InputIssue] = []) -> PackDiff {
        let rankBefore = Self.ranks(rows.count) { i, j in
            PriorityOrder.precedes(score: rows[i].scoreBefore, tier: rows[i].tierBefore, id: rows[i].id,
                                   score: rows[j].scoreBefore, tier: rows[j].tierBefore, id: rows[j].id)
        }
        let rankAfter = Self.ranks(rows.count) { i, j in
            PriorityOrder.precedes(score: rows[i].scoreAfter, tier: rows[i].tierAfter, id: rows[i].id,
                                   score: rows[j].scoreAfter, tier: rows[j].tierAfter, id: rows[j].id)
        }
        func change(_ i: Int) -> PackDiff.Change {
            let r = rows[i]
            let d = r.detail >= 0 ? details[Int(r.detail)] : Detail(factorChanges: [], reasonsBefore: [], reasonsAfter: [])
            return PackDiff.Change(
                id: r.id, title: r.title,
                before: .init(tier: r.tierBefore, score: r.scoreBefore, rank: rankBefore[i]),
                after: .init(tier: r.tierAfter, score: r.scoreAfter, rank: rankAfter[i]),
                factorChanges: d.factorChanges, reasonsBefore: d.reasonsBefore, reasonsAfter: d.reasonsAfter)
        }

        var transitions = [[Int]](repeating: [Int](repeating: 0, count: Tier.allCases.count), count: Tier.allCases.count)
        var tierChanged: [Int] = []
        var moved: [Int] = []
        var scoreChanges = 0
        var entering: [Int] = [], leaving: [Int] = []
        for (i, r) in rows.enumerated() {
            transitions[Tier.allCases.firstIndex(of: r.tierBefore)!][Tier.allCases.firstIndex(of: r.tierAfter)!] += 1
            if r.tierBefore != r.tierAfter { tierChanged.append(i) }
            if !Self.same(r.scoreBefore, r.scoreAfter) { scoreChanges += 1 }
            if rankBefore[i] != rankAfter[i] || !Self.same(r.scoreBefore, r.scoreAfter) { moved.append(i) }
            let wasTop = rankBefore[i] <= top, isTop = rankAfter[i] <= top
            if isTop && !wasTop { entering.append(i) }
            if wasTop && !isTop { leaving.append(i) }
        }
        tierChanged.sort { rankAfter[$0] < rankAfter[$1] }
        entering.sort { rankAfter[$0] < rankAfter[$1] }
        leaving.sort { rankBefore[$0] < rankBefore[$1] }
        moved.sort { i, j in
            let ri = abs(rankBefore[i] - rankAfter[i]), rj = abs(rankBefore[j] - rankAfter[j])
            if ri != rj { return ri > rj }
            let si = abs(rows[i].scoreAfter - rows[i].scoreBefore), sj = abs(rows[j].scoreAfter - rows[j].scoreBefore)
            if si != sj { return si > sj }
            return rankAfter[i] < rankAfter[j]
        }
        return PackDiff(
            contractCount: rows.count, transitions: transitions, tierChanges: tierChanged.map(change),
            movements: moved.prefix(max(0, movementLimit)).map(change), scoreChangeCount: scoreChanges,
            rankChangeCount: rows.indices.filter { rankBefore[$0] != rankAfter[$0] }.count,
            top: top, entering: entering.map(change), leaving: leaving.map(change),
            ruleChanges: ruleChanges, skipped: skipped, notices: notices)
    }

    /// 1-based ranks of items 0..<count under `precedes`.
    static func ranks(_ count: Int, _ precedes: (Int, Int) -> Bool) -> [Int] {
        let order = (0..<count).sorted(by: precedes)
        var rank = [Int](repeating: 0, count: count)
        for (position, index) in order.enumerated() { rank[index] = position + 1 }
        return rank
    }

    /// Scores equal up to floating-point noise (a rewritten formula with the same meaning).
    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

    static func factorChanges(_ before: Evaluation, _ after: Evaluation) -> [PackDiff.FactorChange] {
        var names: [String] = []
        var pointsBefore: [String: Double] = [:], pointsAfter: [String: Double] = [:]
        for f in before.factors {
            if pointsBefore[f.name] == nil && pointsAfter[f.name] == nil { names.append(f.name) }
            pointsBefore[f.name, default: 0] += f.points
        }
        for f in after.factors {
            if pointsBefore[f.name] == nil && pointsAfter[f.name] == nil { names.append(f.name) }
            pointsAfter[f.name, default: 0] += f.points
        }
        return names.compactMap { name -> PackDiff.FactorChange? in
            let b = pointsBefore[name] ?? 0, a = pointsAfter[name] ?? 0
            return same(a, b) ? nil : PackDiff.FactorChange(name: name, before: b, after: a)
        }.sorted { abs($0.delta) != abs($1.delta) ? abs($0.delta) > abs($1.delta) : $0.name < $1.name }
    }

    static func differingTierReasons(_ before: Evaluation, _ after: Evaluation) -> ([Reason], [Reason]) {
        let b = before.reasons.filter { $0.entryPoint == .tier }
        let a = after.reasons.filter { $0.entryPoint == .tier }
        let textsBefore = Set(b.map(\.text)), textsAfter = Set(a.map(\.text))
        let onlyBefore = b.filter { !textsAfter.contains($0.text) }
        let onlyAfter = a.filter { !textsBefore.contains($0.text) }
        if onlyBefore.isEmpty && onlyAfter.isEmpty { return (b, a) }
        return (onlyBefore, onlyAfter)
    }
}
