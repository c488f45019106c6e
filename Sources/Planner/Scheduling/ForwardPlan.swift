import Portfolio
import RuleEngine

/// The forward plan: which contract is deep-reviewed at which meeting, by whom, why, and by
/// when it must be done; then every selected or high-scoring contract left out, and why.
public struct ForwardPlan: Sendable, Equatable {
    public struct Placement: Sendable, Equatable {
        public var meeting: ContractDate
        public var contractID: String
        public var title: String
        public var tier: Tier
        public var score: Double
        public var leadOfficer: String?
        /// The review should happen by this date to influence the re-procure / extend decision.
        public var reviewBy: ContractDate?
        /// Why it was selected, planner reasons first, then the score's largest factors.
        public var reasons: [String]
        public var jointWithAudit: Bool
        /// Set when the review-by date had already passed: the review is late.
        public var lateReviewBy: ContractDate? = nil
        /// Set when the review follows up an earlier one's outcome.
        public var followUp: FollowUp? = nil
        /// The register gives no end date: planned on cycle and score only (a data gap).
        public var endUnknown = false
        /// Where the contract is in its life at the plan's start ("ending" within the horizon).
        public var lifecycle = ContractLifecycle.live
        /// The review group it is reviewed with, if any.
        public var group: String? = nil
        /// True for every member of a group but the first: they share its seat.
        public var sharesSeat = false
        /// Why it was selected, as facts (`reasons` says it in words; `mainReason` in a few).
        public var selection = Selection()
        /// The rules' flags on the contract (`flags(c)`).
        public var flags: [RuleFlag] = []
    }

    /// Why a contract is not in the plan.
    public enum Why: Sendable, Equatable {
        /// Every meeting it could go to is full.
        case capacity(meetings: Int, first: ContractDate?, last: ContractDate?)
        /// Reviewed too recently: the next review is allowed from `nextEligible`, after the plan's meetings.
        case cooldown(lastReviewed: ContractDate, nextEligible: ContractDate)
        /// The review-by date before its decision date has passed.
        case deadlineMissed(reviewBy: ContractDate, decisionDate: ContractDate)
        /// No meeting falls between the earliest allowed date and the review-by date.
        case deadlineTooClose(reviewBy: ContractDate, nextMeeting: ContractDate?)
        /// On this year's internal audit plan, and the policy defers such reviews past the plan.
        case auditDeferred(year: String, until: ContractDate)
        /// Scores at least the general threshold but below its tier's threshold.
        case belowThreshold(threshold: Double)
        /// Meetings had space, but its lead officer already leads the most reviews allowed at each.
        case officerOverloaded(officer: String, limit: Int)
        /// The end date and every extension have passed before the plan's start.
        case ended(on: ContractDate)
        /// A tender notice: no award or contract yet, so nothing to review.
        case notYetAwarded
    }

    public struct NotPlanned: Sendable, Equatable {
        public var contractID: String
        public var title: String
        public var tier: Tier
        public var score: Double
        public var leadOfficer: String?
        public var reviewBy: ContractDate?
        public var why: Why
        /// What else the planner noticed (e.g. a member suggestion taken as answered).
        public var notes: [String] = []
        public var lifecycle = ContractLifecycle.live
        /// The rules' flags on the contract (`flags(c)`).
        public var flags: [RuleFlag] = []
        /// `why` in plain words, then the notes.
        public var reason: String { ([why.description] + notes).joined(separator: "; ") }
    }

    /// The plan's first day (meetings on or after it) and the horizon end (meetings before it).
    public var start: ContractDate
    public var horizonEnd: ContractDate
    public var meetings: [PlanPolicy.Meeting]
    /// In meeting order; within a meeting, highest priority first.
    public var placements: [Placement]
    /// Highest priority first.
    public var notPlanned: [NotPlanned]
    /// Contracts neither due on their tier's cycle nor scoring the general threshold: not listed.
    public var notSelectedCount: Int
    /// Contracts (not ended) whose register gives no end date at all: a data gap.
    public var endUnknownCount: Int = 0
    /// Every follow-up the review history owes (latest review Red or Amber, or with a follow-up
    /// date), by contract id, planned or not.
    public var followUps: [String: FollowUp] = [:]
    /// Contracts neither planned nor listed that the rules flagged (`cmrg evaluate` shows them).
    public var flaggedNotSelectedCount: Int = 0

    /// Reviews planned although their review-by date had passed.
    public var lateCount: Int { placements.filter { $0.lateReviewBy != nil }.count }
    /// Follow-up reviews planned, and how many of them were already overdue.
    public var followUpCount: Int { placements.filter { $0.followUp != nil }.count }
    public var overdueFollowUpCount: Int { placements.filter { $0.followUp?.overdue == true }.count }
    /// Contracts listed because they have ended.
    public var endedCount: Int { notPlanned.filter { if case .ended = $0.why { true } else { false } }.count }

    /// Placements at one meeting.
    public func placements(at meeting: ContractDate) -> [Placement] {
        placements.filter { $0.meeting == meeting }
    }

    /// Seats taken at one meeting (a review group takes one).
    public func seatsUsed(at meeting: ContractDate) -> Int {
        placements.filter { $0.meeting == meeting && !$0.sharesSeat }.count
    }
}

extension ForwardPlan.Why: CustomStringConvertible {
    public var description: String {
        switch self {
        case .capacity(let meetings, let first, let last):
            guard meetings > 0, let first, let last else {
                return "capacity: no meeting in the plan could take it"
            }
            return meetings == 1
                ? "capacity: the \(first) meeting, the only one it could go to, is full"
                : "capacity: all \(meetings) meetings it could go to (\(first) to \(last)) are full"
        case .cooldown(let last, let next):
            return "cooldown: last reviewed \(last), next eligible \(next)"
        case .deadlineMissed(let reviewBy, let decision):
            return "deadline already missed: it had to be reviewed by \(reviewBy) to inform the decision due \(decision)"
        case .deadlineTooClose(let reviewBy, let next):
            if let next {
                return "deadline too close: review-by date \(reviewBy) comes before the next meeting it could go to (\(next))"
            }
            return "deadline too close: no meeting before the review-by date \(reviewBy)"
        case .auditDeferred(let year, let until):
            return "audit deferred: on the \(year) internal audit plan, so not reviewed before \(until)"
        case .belowThreshold(let threshold):
            return "below threshold: its tier is planned from score \(String(points: threshold))"
        case .officerOverloaded(let officer, let limit):
            return "lead officer overloaded: \(officer) already leads \(limit) review\(limit == 1 ? "" : "s") at every meeting with space"
        case .ended(let date):
            return "ended \(date); no successor in the register: check how the service is being provided"
        case .notYetAwarded:
            return "not yet awarded: a tender notice with no award or supplier; review once the contract is let"
        }
    }

    /// A stable name for machine-readable output, e.g. "cooldown".
    public var code: String {
        switch self {
        case .capacity: "capacity"
        case .cooldown: "cooldown"
        case .deadlineMissed: "deadline_missed"
        case .deadlineTooClose: "deadline_too_close"
        case .auditDeferred: "audit_deferred"
        case .belowThreshold: "below_threshold"
        case .officerOverloaded: "officer_overloaded"
        case .ended: "ended"
        case .notYetAwarded: "not_yet_awarded"
        }
    }
}
