import Portfolio
import RuleEngine

extension Planner {
    /// Why a contract the plan only counts (neither due nor high-scoring) was not selected,
    /// in words: its tier's cycle, its score against the threshold, an answered suggestion.
    /// The same tests as `assess`, for `explain`.
    public static func whyNotSelected(_ c: PlanCandidate, last: PastReview?, policy: PlanPolicy,
                                      start: ContractDate) -> String {
        var parts: [String] = []
        if let member = c.memberSuggested?.trimmingWhitespace(), !member.isEmpty, let last {
            parts.append("the suggestion by \(member) was answered by the \(last.date) review")
        }
        let lastMeeting = policy.meetings(from: start).last?.date
        if let every = policy.recurEveryMonths[c.tier] {
            if let last {
                let due = last.date.adding(months: every)
                parts.append("its \(c.tier.rawValue) cycle (every \(every) months) is next due \(due), after the plan's last meeting"
                             + (lastMeeting.map { " (\($0))" } ?? ""))
            }
        } else {
            parts.append("\(c.tier.rawValue) contracts have no review cycle")
        }
        let threshold = c.tier == .bronze ? policy.bronzeMinScore : policy.minScore
        parts.append("its score \(String(points: c.score)) is under the threshold of \(String(points: threshold))")
        return "not selected: " + parts.joined(separator: "; ")
    }
}
