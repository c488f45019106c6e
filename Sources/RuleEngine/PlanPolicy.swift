import Portfolio

/// Every number and choice the planner uses. None has a default in Swift: they all come
/// from the rule pack (`settings.plan`, read by `PreparedPack.planPolicy()`).
public struct PlanPolicy: Sendable, Equatable {
    /// One CMRG meeting and how many deep reviews it can take.
    public struct Meeting: Sendable, Equatable, Hashable {
        public var date: ContractDate
        public var capacity: Int
        public init(date: ContractDate, capacity: Int) {
            self.date = date
            self.capacity = capacity
        }
    }

    /// When the group meets.
    public enum Calendar: Sendable, Equatable {
        /// Meetings on these dates (each may carry its own capacity).
        case dates([Meeting])
        /// A meeting every `weeks` weeks from `first` (or from the plan's start date when nil).
        case every(weeks: Int, first: ContractDate?)
    }

    /// What to do with a contract on this year's internal audit plan.
    public enum AuditHandling: String, Sendable, Equatable, CaseIterable {
        /// Not reviewed until the audit year is over (no duplicated effort).
        case deferReview = "defer"
        /// Reviewed as usual, flagged for a joint review with internal audit.
        case joint
    }

    public var calendar: Calendar
    /// Deep reviews per meeting (a dated meeting may set its own).
    public var capacity: Int
    /// How far ahead the plan looks, in months from its start date.
    public var horizonMonths: Int
    /// Review at least this many months before the decision date (end date), per tier.
    public var reviewByMonths: [Tier: Int]
    /// No new review within this many months of the last one, per tier.
    public var cooldownMonths: [Tier: Int]
    /// A member's suggestion lets a contract be reviewed inside its cooldown.
    public var memberOverridesCooldown: Bool
    /// Reviews any one lead officer can lead at one meeting.
    public var maxReviewsPerOfficer: Int
    public var audit: AuditHandling
    /// The audit year that counts as "this year", e.g. "2026/27" (financial year April–March).
    public var auditYear: String?
    /// Tiers reviewed on a cycle: due again this many months after the last review.
    public var recurEveryMonths: [Tier: Int]
    /// Contracts scoring at least this are selected whatever their cycle.
    public var minScore: Double
    /// Bronze contracts are selected only when scoring at least this.
    public var bronzeMinScore: Double
    /// Tiers whose contracts are still planned, marked late, once their review-by date has
    /// passed (`late_reviews`; every tier when the pack does not say).
    public var lateReviewTiers: Set<Tier> = Set(Tier.allCases)
    /// A review rated Red or Amber is followed up this many months later when it recorded
    /// no follow-up date (`follow_up_months`, keyed by outcome name; none when not set).
    public var followUpMonths: [String: Int] = [:]

    public init(calendar: Calendar, capacity: Int, horizonMonths: Int, reviewByMonths: [Tier: Int],
                cooldownMonths: [Tier: Int], memberOverridesCooldown: Bool, maxReviewsPerOfficer: Int,
                audit: AuditHandling, auditYear: String?, recurEveryMonths: [Tier: Int],
                minScore: Double, bronzeMinScore: Double) {
        self.calendar = calendar
        self.capacity = capacity
        self.horizonMonths = horizonMonths
        self.reviewByMonths = reviewByMonths
        self.cooldownMonths = cooldownMonths
        self.memberOverridesCooldown = memberOverridesCooldown
        self.maxReviewsPerOfficer = maxReviewsPerOfficer
        self.audit = audit
        self.auditYear = auditYear
        self.recurEveryMonths = recurEveryMonths
        self.minScore = minScore
        self.bronzeMinScore = bronzeMinScore
    }

    /// The meetings from `start` (inclusive) to the horizon end (exclusive), in date order.
    public func meetings(from start: ContractDate) -> [Meeting] {
        let end = horizonEnd(from: start)
        switch calendar {
        case .dates(let list):
            return list.filter { $0.date >= start && $0.date < end }.sorted { $0.date < $1.date }
        case .every(let weeks, let first):
            var date = first ?? start
            // Settings allow at most 100 years between meetings; beyond 10,000 years no
            // second date exists, so the step is capped there and cannot overflow.
            let step = min(max(weeks, 1), 600_000) * 7
            if date < start {
                date = date.adding(days: (date.days(until: start) + step - 1) / step * step)
            }
            var out: [Meeting] = []
            while date < end {
                out.append(Meeting(date: date, capacity: capacity))
                let next = date.adding(days: step)
                if next == date { break } // the last date there is
                date = next
            }
            return out
        }
    }

    public func horizonEnd(from start: ContractDate) -> ContractDate { start.adding(months: horizonMonths) }

    /// The last day of a financial year written "2026/27" (31 March 2027); nil if not in that form.
    public static func auditYearEnd(_ year: String) -> ContractDate? {
        let parts = year.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let first = Int(parts[0]), let second = Int(parts[1]), (first + 1) % 100 == second
        else { return nil }
        return ContractDate(year: first + 1, month: 3, day: 31)
    }
}
