import History
import Planner
import Portfolio
import RuleEngine

/// What the CMRG update to the committee says, worked out from the evaluated register, the
/// forward plan and the review history: the numbers behind each section of `cmrg report`.
/// Pure: the same inputs give the same update.
public struct CMRGUpdate: Sendable {
    public var asOf: ContractDate
    /// Reviews held in the six months up to the as-of date (after `recentFrom`), oldest first.
    public var recentFrom: ContractDate
    public var recentReviews: [Review]
    /// Findings themes across every recorded review, most often raised first (ties: name).
    public var themes: [(theme: String, count: Int)]
    public var coverage: NAOCoverage
    /// Every follow-up owed, earliest due first, with where the plan puts it.
    public var followUps: [FollowUpStanding]
    /// Live contracts whose end date falls in the next six months, soonest first.
    public var endingSoon: [Contract]
    /// Contracts whose end date and every extension have passed, latest first.
    public var ended: [Contract]
    public var dataQuality: DataQuality
    /// Flagged contracts, earliest due flag first (no due date last).
    public var flagged: [(contract: Contract, evaluation: Evaluation)]

    public struct FollowUpStanding: Sendable {
        public var contractID: String
        public var title: String
        public var followUp: FollowUp
        /// The meeting the plan gives it, or why it has none.
        public var meeting: ContractDate?
        public var notPlanned: String?
    }

    public init(evaluations: [Evaluation], contracts: [Contract], plan: ForwardPlan?, reviews: [Review], asOf: ContractDate) {
        self.asOf = asOf
        let byID = Dictionary(contracts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let from = asOf.adding(months: -6)
        recentFrom = from
        recentReviews = reviews.filter { $0.meetingDate > from && $0.meetingDate <= asOf }
            .sorted { $0.meetingDate != $1.meetingDate ? $0.meetingDate < $1.meetingDate : $0.contractID < $1.contractID }
        var counts: [String: Int] = [:]
        for review in reviews { for theme in Set(review.themes.map { $0.trimmingWhitespace() }) where !theme.isEmpty { counts[theme, default: 0] += 1 } }
        themes = counts.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        coverage = NAOCoverage(evaluations: evaluations, contracts: byID, reviews: reviews, asOf: asOf)

        followUps = (plan?.followUps ?? [:]).map { id, f in
            let seat = plan?.placements.first { $0.contractID == id }
            return FollowUpStanding(contractID: id, title: byID[id]?.title ?? id, followUp: f, meeting: seat?.meeting,
                                    notPlanned: seat == nil ? plan?.notPlanned.first { $0.contractID == id }?.reason ?? "not selected" : nil)
        }.sorted { $0.followUp.due != $1.followUp.due ? $0.followUp.due < $1.followUp.due : $0.contractID < $1.contractID }

        let soon = asOf.adding(months: 6)
        endingSoon = contracts.filter { c in
            guard let end = c.endDate, let final = c.finalEndDate else { return false }
            return end >= asOf && end <= soon && final >= asOf
        }.sorted { $0.endDate! != $1.endDate! ? $0.endDate! < $1.endDate! : $0.id < $1.id }
        ended = contracts.filter { c in c.finalEndDate.map { $0 < asOf } ?? false }
            .sorted { $0.finalEndDate! != $1.finalEndDate! ? $0.finalEndDate! > $1.finalEndDate! : $0.id < $1.id }
        dataQuality = DataQuality(contracts, tiers: Dictionary(evaluations.map { ($0.contractID, $0.tier) }, uniquingKeysWith: { a, _ in a }))
        flagged = evaluations.filter { !$0.flags.isEmpty }.compactMap { e in byID[e.contractID].map { ($0, e) } }
            .sorted { a, b in
                let x = a.evaluation.flags.compactMap(\.due).min(), y = b.evaluation.flags.compactMap(\.due).min()
                if x != y { return x.map { d in y.map { d < $0 } ?? true } ?? false }
                return a.contract.id < b.contract.id
            }
    }
}

/// NAO good-practice framework coverage of the Gold and Silver contracts: for each contract
/// and each of the 11 areas, the whole months since a review last covered the area, or
/// never. Gaps — areas never reviewed, or long ago — are what the group looks for.
public struct NAOCoverage: Sendable {
    public struct Row: Sendable {
        public var contractID: String
        public var title: String
        public var tier: Tier
        /// Months since the area was last reviewed, by area; absent = never.
        public var months: [NAOArea: Int]
        public var lastReviewed: ContractDate?
    }

    /// Gold first, then Silver, each in priority order; ended contracts left out.
    public var rows: [Row]

    /// How many rows have never had `area` reviewed.
    public func neverReviewed(_ area: NAOArea) -> Int { rows.filter { $0.months[area] == nil }.count }

    init(evaluations: [Evaluation], contracts: [String: Contract], reviews: [Review], asOf: ContractDate) {
        var latest: [String: [NAOArea: ContractDate]] = [:]
        var last: [String: ContractDate] = [:]
        for r in reviews where r.meetingDate <= asOf {
            last[r.contractID] = max(last[r.contractID] ?? r.meetingDate, r.meetingDate)
            for area in r.areas { latest[r.contractID, default: [:]][area] = max(latest[r.contractID]?[area] ?? r.meetingDate, r.meetingDate) }
        }
        let ranked = evaluations.filter { $0.tier != .bronze }.filter { e in
            !(contracts[e.contractID]?.finalEndDate.map { $0 < asOf } ?? false)
        }.sorted { PriorityOrder.precedes(score: $0.score, tier: $0.tier, id: $0.contractID, score: $1.score, tier: $1.tier, id: $1.contractID) }
        let ordered = ranked.filter { $0.tier == .gold } + ranked.filter { $0.tier == .silver }
        rows = ordered.map { e in
            Row(contractID: e.contractID, title: e.title, tier: e.tier,
                months: (latest[e.contractID] ?? [:]).mapValues { Self.wholeMonths(from: $0, to: asOf) },
                lastReviewed: last[e.contractID])
        }
    }

    /// Whole calendar months from `a` to `b` (2025-11-04 to 2026-12-03 is 12).
    static func wholeMonths(from a: ContractDate, to b: ContractDate) -> Int {
        let (ya, ma, _) = a.components, (yb, mb, _) = b.components
        var months = (yb - ya) * 12 + (mb - ma)
        if months > 0, a.adding(months: months) > b { months -= 1 }
        return max(0, months)
    }
}

/// What in the register weakens the decisions: tiers resting on a risk or complexity the
/// rules had to assume, missing end dates and lead officers, placeholder values.
public struct DataQuality: Sendable {
    /// Contracts with no risk score / no complexity score (their tier used what the rules
    /// assume for a missing one), and with either missing.
    public var riskNotAssessed: [String]
    public var complexityNotAssessed: [String]
    public var eitherNotAssessed: [String]
    /// Of `eitherNotAssessed`, how many in each tier.
    public var assumedByTier: [Tier: Int]
    public var noEndDate: [String]
    public var noLeadOfficer: [String]
    public var noValue: [String]
    /// Whole-life or annual values of 0 or 0.01: placeholders, not amounts.
    public var placeholderValues: [(id: String, value: Double)]
    public var total: Int

    public static let placeholders: Set<Double> = [0, 0.01]

    init(_ contracts: [Contract], tiers: [String: Tier]) {
        total = contracts.count
        riskNotAssessed = contracts.filter { $0.risk == nil }.map(\.id)
        complexityNotAssessed = contracts.filter { $0.complexity == nil }.map(\.id)
        eitherNotAssessed = contracts.filter { $0.risk == nil || $0.complexity == nil }.map(\.id)
        var byTier: [Tier: Int] = [:]
        for id in eitherNotAssessed { if let t = tiers[id] { byTier[t, default: 0] += 1 } }
        assumedByTier = byTier
        noEndDate = contracts.filter { $0.endDate == nil && $0.maxEndDate == nil && $0.noticeStage?.lowercased() != "tender" }.map(\.id)
        noLeadOfficer = contracts.filter { ($0.leadOfficer?.trimmingWhitespace() ?? "").isEmpty }.map(\.id)
        noValue = contracts.filter { $0.valueTotal == nil }.map(\.id)
        placeholderValues = contracts.flatMap { c in
            [c.valueTotal, c.valueAnnual].compactMap { $0 }.filter { Self.placeholders.contains($0) }.prefix(1).map { (c.id, $0) }
        }
    }
}
