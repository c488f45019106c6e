import Portfolio
import RuleEngine

/// Builds the forward plan. Pure and deterministic: the same candidates (in any order),
/// history, policy and start date give the same plan.
///
/// The algorithm:
/// 1. **Meetings**: the policy's calendar from `start` up to the horizon end.
/// 2. **Selection**: a contract wants a review when a member suggested it, or its tier's
///    cycle makes it due (never reviewed, or last review + `recur_every_months` on or before
///    the last meeting), or it scores at least `min_score` (Bronze: `bronze_min_score`).
///    Other contracts scoring `min_score` or more are listed as below threshold; the rest
///    are only counted.
/// 3. **Window** of each selected contract, from its release date to its review-by date:
///    - release = the latest of: the start; last review + tier cooldown (waived for a member
///      suggestion when the policy says so); the cycle's due date when the cycle alone
///      selected it; the end of the audit year when the audit policy defers;
///    - review-by = decision date − tier lead months, where the decision date is the end
///      date, or the max end date when the end date's review-by has already passed; none
///      when the register has neither date.
///    A contract with no meeting inside its window is not planned (cooldown, audit deferred,
///    deadline missed or too close: whichever closed the window).
/// 4. **Admission by priority** (score, then tier, then id): each contract takes the
///    earliest free seat in its window that its lead officer has room at; failing that, all
///    admitted reviews are re-seated earliest deadline first (step 5) with it included, and
///    it is admitted if every one still fits its window; otherwise it waits.
/// 5. **Earliest deadline first**: reviews in review-by order (none last; ties by priority)
///    each take the earliest meeting in their window with a free seat and room for their
///    lead officer. Without the officer limit this greedy interval-to-seat matching seats
///    every set of reviews that can be seated at all, so a review is turned away only when
///    it truly does not fit.
/// 6. **Priority order**: while a higher-priority review sits at a later meeting than a
///    lower-priority one and both stay inside their windows (and officer limits) when
///    exchanged, they are exchanged; a review moves to an earlier meeting in its window
///    whenever one has a free seat. Waiting contracts then take any seat this freed, and
///    step 6 repeats until nothing changes. So no review is ever placed after its review-by
///    date, and none sits later than a meeting in its window that had room for it.
/// 7. **Reasons** for the contracts still waiting are read off the final plan: every
///    meeting in the window full (capacity), or the lead officer already at the limit at
///    every one with a free seat (officer overloaded).
public enum Planner {
    public static func plan(candidates: [PlanCandidate], lastReviewed: [String: ContractDate],
                            policy: PlanPolicy, start: ContractDate) -> ForwardPlan {
        let meetings = policy.meetings(from: start)
        let horizonEnd = policy.horizonEnd(from: start)
        let ordered = candidates.sorted {
            PriorityOrder.precedes(score: $0.score, tier: $0.tier, id: $0.contractID, score: $1.score, tier: $1.tier, id: $1.contractID)
        }
        let limit = policy.maxReviewsPerOfficer
        var notPlanned: [(rank: Int, entry: ForwardPlan.NotPlanned)] = []
        var notSelected = 0
        var admitted: [Job] = [], slots: [Int] = []
        var waiting: [Job] = []
        var seats = Seats(meetings: meetings, officerLimit: limit)

        for (rank, candidate) in ordered.enumerated() {
            switch assess(candidate, rank: rank, last: lastReviewed[candidate.contractID], policy: policy,
                          start: start, meetings: meetings) {
            case .notSelected:
                notSelected += 1
            case .rejected(let why, let reviewBy):
                notPlanned.append((rank, .init(candidate, reviewBy: reviewBy, why: why)))
            case .job(let job):
                if let m = seats.firstSeat(for: job) {
                    admitted.append(job)
                    slots.append(m)
                    seats.add(job, at: m)
                } else if let reseated = Schedule.place(admitted + [job], meetings: meetings, officerLimit: limit) {
                    admitted.append(job)
                    slots = reseated
                    seats = Seats(meetings: meetings, officerLimit: limit, jobs: admitted, slots: slots)
                } else {
                    waiting.append(job)
                }
            }
        }

        while true {
            Schedule.improve(&slots, admitted, meetings: meetings, officerLimit: limit)
            seats = Seats(meetings: meetings, officerLimit: limit, jobs: admitted, slots: slots)
            var stillWaiting: [Job] = []
            for job in waiting {
                if let m = seats.firstSeat(for: job) {
                    admitted.append(job)
                    slots.append(m)
                    seats.add(job, at: m)
                } else {
                    stillWaiting.append(job)
                }
            }
            if stillWaiting.count == waiting.count { break }
            waiting = stillWaiting
        }
        for job in waiting {
            let window = job.window(meetings)
            let open = window.filter { seats.used[$0] < meetings[$0].capacity }
            let why: ForwardPlan.Why = open.isEmpty
                ? .capacity(meetings: window.count, first: window.first.map { meetings[$0].date },
                            last: window.last.map { meetings[$0].date })
                : .officerOverloaded(officer: job.officerName ?? "(no lead officer)", limit: limit)
            notPlanned.append((job.rank, .init(job.candidate, reviewBy: job.reviewBy, why: why)))
        }

        let placements = zip(admitted, slots)
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.rank < $1.0.rank }
            .map { job, slot in
                ForwardPlan.Placement(meeting: meetings[slot].date, contractID: job.candidate.contractID,
                                      title: job.candidate.title, tier: job.candidate.tier, score: job.candidate.score,
                                      leadOfficer: job.candidate.leadOfficer, reviewBy: job.reviewBy,
                                      reasons: job.reasons, jointWithAudit: job.joint)
            }
        return ForwardPlan(start: start, horizonEnd: horizonEnd, meetings: meetings, placements: placements,
                           notPlanned: notPlanned.sorted { $0.rank < $1.rank }.map(\.entry),
                           notSelectedCount: notSelected)
    }

    enum Assessment {
        case notSelected
        case rejected(ForwardPlan.Why, reviewBy: ContractDate?)
        case job(Job)
    }

    /// Selection and window of one contract (steps 2 and 3).
    static func assess(_ c: PlanCandidate, rank: Int, last: ContractDate?, policy: PlanPolicy,
                       start: ContractDate, meetings: [PlanPolicy.Meeting]) -> Assessment {
        let lastMeeting = meetings.last?.date
        var reasons: [String] = []

        let member = c.memberSuggested.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        if let member { reasons.append("suggested by \(member)") }

        var cycleDue: ContractDate?
        var dueOnCycle = false
        if let every = policy.recurEveryMonths[c.tier] {
            if let last {
                let due = last.adding(months: every)
                if let lastMeeting, due <= lastMeeting {
                    dueOnCycle = true
                    cycleDue = due
                    reasons.append("\(c.tier.rawValue): reviewed every \(every) months; last reviewed \(last), due \(due)")
                }
            } else {
                dueOnCycle = true
                reasons.append("\(c.tier.rawValue): reviewed every \(every) months; never reviewed")
            }
        }

        let threshold = c.tier == .bronze ? policy.bronzeMinScore : policy.minScore
        let byScore = c.score >= threshold
        if byScore {
            reasons.append("score \(String(points: c.score)) (planned from \(String(points: threshold)))")
        }

        guard member != nil || dueOnCycle || byScore else {
            return c.score >= policy.minScore ? .rejected(.belowThreshold(threshold: threshold), reviewBy: nil) : .notSelected
        }

        // Review-by: before the end date's decision, or the final end date's once that has passed.
        let lead = policy.reviewByMonths[c.tier] ?? 0
        var reviewBy: ContractDate?
        var decisions: [(date: ContractDate, final: Bool)] = []
        if let end = c.endDate { decisions.append((end, false)) }
        if let maxEnd = c.maxEndDate, c.endDate.map({ maxEnd > $0 }) ?? true { decisions.append((maxEnd, true)) }
        if !decisions.isEmpty {
            // The end date's decision, unless no meeting comes before its review-by date.
            let firstMeeting = meetings.first { $0.capacity > 0 }?.date ?? start
            guard let decision = decisions.first(where: { $0.date.adding(months: -lead) >= firstMeeting }) else {
                let final = decisions.last!
                let by = final.date.adding(months: -lead)
                if by < start {
                    return .rejected(.deadlineMissed(reviewBy: by, decisionDate: final.date), reviewBy: by)
                }
                return .rejected(.deadlineTooClose(reviewBy: by, nextMeeting: meetings.first { $0.capacity > 0 }?.date),
                                 reviewBy: by)
            }
            let by = decision.date.adding(months: -lead)
            reviewBy = by
            let what = decision.final && c.endDate != nil ? "the final end date \(decision.date) (with extensions)"
                : "the end date \(decision.date)"
            reasons.append("review by \(by), \(lead) months before \(what)")
        }

        // Release date: the latest of the constraints below; remember which one binds.
        var release = Release(date: start)
        var cooldownEnd: ContractDate?
        if let last, let months = policy.cooldownMonths[c.tier], months > 0 {
            let end = last.adding(months: months)
            if member != nil && policy.memberOverridesCooldown {
                if end > start { reasons.append("member suggestion overrides the cooldown (last reviewed \(last))") }
            } else {
                cooldownEnd = end
                release.raise(to: end, .cooldown)
            }
        }
        // Selected by its cycle alone: reviewed when due, but never later than its review-by date.
        if member == nil, !byScore, let cycleDue { release.raise(to: min(cycleDue, reviewBy ?? cycleDue), .cycle) }

        var joint = false
        var auditEnd: ContractDate?
        if let year = policy.auditYear, let planned = c.auditPlanned?.trimmingWhitespace(), planned == year {
            switch policy.audit {
            case .joint:
                joint = true
                reasons.append("joint review with internal audit (on the \(year) audit plan)")
            case .deferReview:
                let end = PlanPolicy.auditYearEnd(year)!
                auditEnd = end
                release.raise(to: end.adding(days: 1), .audit)
                reasons.append("after the \(year) internal audit (deferred to avoid duplicating it)")
            }
        }

        let job = Job(candidate: c, rank: rank, release: release.date, reviewBy: reviewBy, reasons: reasons + c.highlights.filter { h in !reasons.contains { $0.lowercased() == h.lowercased() } },
                      joint: joint)
        if job.window(meetings).isEmpty {
            switch release.cause {
            case .cooldown:
                return .rejected(.cooldown(lastReviewed: last!, nextEligible: cooldownEnd!), reviewBy: reviewBy)
            case .audit:
                return .rejected(.auditDeferred(year: policy.auditYear!, until: auditEnd!.adding(days: 1)), reviewBy: reviewBy)
            case .start, .cycle:
                if let reviewBy {
                    let next = meetings.first { $0.date >= release.date && $0.capacity > 0 }?.date
                    return .rejected(.deadlineTooClose(reviewBy: reviewBy, nextMeeting: next), reviewBy: reviewBy)
                }
                return .rejected(.capacity(meetings: 0, first: nil, last: nil), reviewBy: nil)
            }
        }
        return .job(job)
    }
}

/// The earliest date a review may happen, and which constraint set it.
struct Release {
    enum Cause { case start, cooldown, cycle, audit }
    var date: ContractDate
    var cause = Cause.start

    mutating func raise(to later: ContractDate, _ why: Cause) {
        if later > date {
            date = later
            cause = why
        }
    }
}

/// A selected contract and the meetings it may go to.
struct Job {
    var candidate: PlanCandidate
    /// Position in priority order (0 = highest).
    var rank: Int
    var release: ContractDate
    var reviewBy: ContractDate?
    var reasons: [String]
    var joint: Bool

    /// The lead officer as written, or nil when the register names none (no load limit then).
    var officerName: String? {
        candidate.leadOfficer.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
    }
    /// Officers compared without regard to case or surrounding spaces.
    var officerKey: String? { officerName?.lowercased() }

    /// Indices of the meetings inside the window that can take reviews at all.
    func window(_ meetings: [PlanPolicy.Meeting]) -> [Int] {
        meetings.indices.filter { fits(meetings[$0].date) && meetings[$0].capacity > 0 }
    }

    func fits(_ date: ContractDate) -> Bool {
        date >= release && (reviewBy.map { date <= $0 } ?? true)
    }
}

extension ForwardPlan.NotPlanned {
    init(_ c: PlanCandidate, reviewBy: ContractDate?, why: ForwardPlan.Why) {
        self.init(contractID: c.contractID, title: c.title, tier: c.tier, score: c.score,
                  leadOfficer: c.leadOfficer, reviewBy: reviewBy, why: why)
    }
}
