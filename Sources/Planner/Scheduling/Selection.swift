import Portfolio
import RuleEngine

/// Why the planner selected a contract, as facts; the placement's reasons say the same in
/// words. The one-line plan table reads its short reason from these.
public struct Selection: Sendable, Equatable {
    /// The tier's review cycle made the contract due.
    public enum Cycle: Sendable, Equatable {
        case neverReviewed
        case due(ContractDate)
    }

    /// The councillor whose suggestion still stands (not yet answered by a review).
    public var memberSuggested: String?
    public var cycle: Cycle?
    /// The threshold its score reached, when the score selected it.
    public var scoreThreshold: Double?

    public init(memberSuggested: String? = nil, cycle: Cycle? = nil, scoreThreshold: Double? = nil) {
        self.memberSuggested = memberSuggested
        self.cycle = cycle
        self.scoreThreshold = scoreThreshold
    }
}

extension ForwardPlan.Placement {
    /// The most characters `mainReason` takes.
    public static let mainReasonLimit = 40

    /// The main reason for this review in a few words (at most 40 characters), for a table a
    /// committee reads: a late review first, then a follow-up the last outcome asked for, a
    /// member's suggestion, the tier's cycle, the score. `reasons` has them all.
    public var mainReason: String {
        let text: String
        if lateReviewBy != nil {
            text = "late: review-by date passed"
        } else if let followUp {
            text = (followUp.overdue ? "overdue follow-up" : "follow-up") + (followUp.of.outcome.map { " (\($0))" } ?? "")
        } else if selection.memberSuggested != nil {
            text = "member suggestion"
        } else if let cycle = selection.cycle {
            switch cycle {
            case .neverReviewed: text = "\(tier.rawValue) cycle: never reviewed"
            case .due: text = "\(tier.rawValue) cycle due"
            }
        } else if let threshold = selection.scoreThreshold {
            text = "score \(String(points: score)) (from \(String(points: threshold)))"
        } else {
            text = "selected"
        }
        return text.count <= Self.mainReasonLimit ? text : String(text.prefix(Self.mainReasonLimit - 1)) + "…"
    }
}
