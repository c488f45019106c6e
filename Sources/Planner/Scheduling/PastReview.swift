import Portfolio
import RuleEngine

/// What the planner needs to know of a contract's review history: its latest review (the
/// one whose outcome and follow-up still stand). Built from the review history, or by hand
/// in tests; the planner itself reads no database.
public struct PastReview: Sendable, Equatable {
    public var date: ContractDate
    /// "Red", "Amber" or "Green"; nil when not known (then no follow-up is due by policy).
    public var outcome: String?
    /// The follow-up date the review recorded, if any.
    public var followUp: ContractDate?

    public init(date: ContractDate, outcome: String? = nil, followUp: ContractDate? = nil) {
        self.date = date
        self.outcome = outcome
        self.followUp = followUp
    }
}

/// A follow-up review owed because of an earlier one's outcome.
public struct FollowUp: Sendable, Equatable {
    /// The review being followed up.
    public var of: PastReview
    /// When the follow-up is due: the recorded date, or the policy's months after the review.
    public var due: ContractDate
    /// True when `due` is before the plan's first meeting: planned first and flagged.
    public var overdue: Bool

    /// "follow-up of the 2026-11-17 review (Red), due 2027-02-17" (OVERDUE when past).
    public var label: String {
        let outcome = of.outcome.map { " (\($0))" } ?? ""
        return (overdue ? "OVERDUE " : "") + "follow-up of the \(of.date) review\(outcome), due \(due)"
    }

    /// The follow-up a contract owes, if any: its last review was Red or Amber (or recorded
    /// a follow-up date), and no later review has taken place (the last review is the latest).
    static func owed(after review: PastReview?, policy: PlanPolicy, firstMeeting: ContractDate?) -> FollowUp? {
        guard let review else { return nil }
        let due: ContractDate
        if let recorded = review.followUp {
            due = recorded
        } else if let outcome = review.outcome, let months = policy.followUpMonths[outcome] {
            due = review.date.adding(months: months)
        } else {
            return nil
        }
        return FollowUp(of: review, due: due, overdue: firstMeeting.map { due < $0 } ?? false)
    }
}
