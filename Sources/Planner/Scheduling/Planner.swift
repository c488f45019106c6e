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
    /// The plan when only the dates of the last reviews are known (no outcomes, so no follow-ups).
    public static func plan(candidates: [PlanCandidate], lastReviewed: [String: ContractDate],
                            policy: PlanPolicy, start: ContractDate) -> ForwardPlan {
        plan(candidates: candidates, history: lastReviewed.mapValues { PastReview(date: $0) }, policy: policy, start: start)
    }

    /// `history`: each contract's latest review, by contract id.
    public static func plan(candidates: [PlanCandidate], history: [String: PastReview],
                            policy: PlanPolicy, start: ContractDate) -> ForwardPlan {
        let meetings = policy.meetings(from: start)
        let horizonEnd = policy.horizonEnd(from: start)
        let firstMeeting = meetings.first { $0.capacity > 0 }?.date
        let known = Set(candidates.map(\.contractID))
        let followUps = history.compactMapValues { FollowUp.owed(after: $0, policy: policy, firstMeeting: firstMeeting) }
        // Overdue follow-ups come first, then priority.
        let ordered = candidates.sorted { a, b in
            let x = followUps[a.contractID]?.overdue ?? false, y = followUps[b.contractID]?.overdue ?? false
            return x != y ? x : PriorityOrder.precedes(score: a.score, tier: a.tier, id: a.contractID,
                                                      score: b.score, tier: b.tier, id: b.contractID)
        }
        let limit = policy.maxReviewsPerOfficer
        var notPlanned: [(rank: Int, entry: ForwardPlan.NotPlanned)] = []
        var notSelected = 0, flaggedNotSelected = 0
        var admitted: [Job] = [], slots: [Int] = []
        var waiting: [Job] = []
        var seats = Seats(meetings: meetings, officerLimit: limit)

        var jobs: [Job] = []
        for (rank, candidate) in ordered.enumerated() {
            switch assess(candidate, rank: rank, last: history[candidate.contractID],
                          followUp: followUps[candidate.contractID], policy: policy, start: start, meetings: meetings) {
            case .notSelected:
                notSelected += 1
                if !candidate.flags.isEmpty { flaggedNotSelected += 1 }
            case .rejected(let why, let reviewBy, let notes):
                notPlanned.append((rank, ForwardPlan.NotPlanned(candidate, reviewBy: reviewBy, why: why, notes: notes)
                    .with(lifecycleOf: candidate, on: start, lookAheadMonths: policy.horizonMonths)))
            case .job(let job):
                jobs.append(job)
            }
        }
        for job in ReviewGroups.combine(jobs, meetings: meetings) {
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
            for member in job.everyone {
                notPlanned.append((member.rank, ForwardPlan.NotPlanned(member.candidate, reviewBy: member.reviewBy, why: why,
                                                                       notes: member.notes)
                    .with(lifecycleOf: member.candidate, on: start, lookAheadMonths: policy.horizonMonths)))
            }
        }

        let placements = zip(admitted, slots)
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.rank < $1.0.rank }
            .flatMap { job, slot in
                job.everyone.enumerated().map { i, member in
                    ForwardPlan.Placement(meeting: meetings[slot].date, contractID: member.candidate.contractID,
                                          title: member.candidate.title, tier: member.candidate.tier, score: member.candidate.score,
                                          leadOfficer: member.candidate.leadOfficer, reviewBy: member.reviewBy,
                                          reasons: member.reasons, jointWithAudit: member.joint, lateReviewBy: member.late,
                                          followUp: member.followUp, endUnknown: member.endUnknown,
                                          lifecycle: member.candidate.lifecycle(on: start, lookAheadMonths: policy.horizonMonths),
                                          group: job.group, sharesSeat: i > 0, selection: member.selection,
                                          flags: member.candidate.flags)
                }
            }
        return ForwardPlan(start: start, horizonEnd: horizonEnd, meetings: meetings, placements: placements,
                           notPlanned: notPlanned.sorted { $0.rank < $1.rank }.map(\.entry),
                           notSelectedCount: notSelected,
                           endUnknownCount: candidates.filter { $0.endDate == nil && $0.maxEndDate == nil }.count,
                           followUps: followUps.filter { known.contains($0.key) },
                           flaggedNotSelectedCount: flaggedNotSelected)
    }

    enum Assessment {
        case notSelected
        case rejected(ForwardPlan.Why, reviewBy: ContractDate?, notes: [String])
        case job(Job)
    }

    /// Selection and window of one contract (steps 2 and 3).
    static func assess(_ c: PlanCandidate, rank: Int, last review: PastReview?, followUp: FollowUp?,
                       policy: PlanPolicy, start: ContractDate, meetings: [PlanPolicy.Meeting]) -> Assessment {
        let last = review?.date
        let lastMeeting = meetings.last?.date
        var reasons: [String] = []
        var notes: [String] = []

        // Ended: the end date and any extension have passed; listed so someone checks the
        // service. Not yet awarded: nothing to review until a contract is let.
        switch c.lifecycle(on: start, lookAheadMonths: policy.horizonMonths) {
        case .ended: return .rejected(.ended(on: [c.endDate, c.maxEndDate].compactMap { $0 }.max()!), reviewBy: nil, notes: [])
        case .notYetAwarded: return .rejected(.notYetAwarded, reviewBy: nil, notes: [])
        case .live, .ending, .endUnknown: break
        }

        // A member suggestion stands until a review answers it.
        var member = c.memberSuggested.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        if member != nil, let last {
            if let asked = c.memberSuggestedOn {
                if last >= asked {
                    notes.append("suggestion of \(asked) answered by the \(last) review")
                    member = nil
                }
            } else {
                notes.append("suggestion has no date: taken as answered by the \(last) review")
                member = nil
            }
        }
        if let member { reasons.append("suggested by \(member)" + (c.memberSuggestedOn.map { " on \($0)" } ?? "")) }
        if let followUp { reasons.append(followUp.label) }

        var cycleDue: ContractDate?
        var dueOnCycle = false
        var selection = Selection(memberSuggested: member)
        if let every = policy.recurEveryMonths[c.tier] {
            if let last {
                let due = last.adding(months: every)
                if let lastMeeting, due <= lastMeeting {
                    dueOnCycle = true
                    cycleDue = due
                    selection.cycle = .due(due)
                    reasons.append("\(c.tier.rawValue): reviewed every \(every) months; last reviewed \(last), due \(due)")
                }
            } else {
                dueOnCycle = true
                selection.cycle = .neverReviewed
                reasons.append("\(c.tier.rawValue): reviewed every \(every) months; never reviewed")
            }
        }

        let threshold = c.tier == .bronze ? policy.bronzeMinScore : policy.minScore
        let byScore = c.score >= threshold
        if byScore {
            selection.scoreThreshold = threshold
            reasons.append("score \(String(points: c.score)) (planned from \(String(points: threshold)))")
        }

        guard member != nil || dueOnCycle || byScore || followUp != nil else {
            return c.score >= policy.minScore
                ? .rejected(.belowThreshold(threshold: threshold), reviewBy: nil, notes: notes) : .notSelected
        }

        // Review-by: before the end date's decision, or the final end date's once that has passed.
        let lead = policy.reviewByMonths[c.tier] ?? 0
        var reviewBy: ContractDate?
        var deadline: ContractDate?
        var late: ContractDate?
        var decisions: [(date: ContractDate, final: Bool)] = []
        if let end = c.endDate { decisions.append((end, false)) }
        if let maxEnd = c.maxEndDate, c.endDate.map({ maxEnd > $0 }) ?? true { decisions.append((maxEnd, true)) }
        func what(_ decision: (date: ContractDate, final: Bool)) -> String {
            decision.final && c.endDate != nil ? "the final end date \(decision.date) (with extensions)"
                : "the end date \(decision.date)"
        }
        if !decisions.isEmpty {
            // The end date's decision, unless no meeting comes before its review-by date.
            let firstMeeting = meetings.first { $0.capacity > 0 }?.date ?? start
            if let decision = decisions.first(where: { $0.date.adding(months: -lead) >= firstMeeting }) {
                let by = decision.date.adding(months: -lead)
                reviewBy = by
                deadline = by
                reasons.append("review by \(by), \(lead) months before \(what(decision))")
            } else {
                let final = decisions.last!
                let by = final.date.adding(months: -lead)
                guard policy.lateReviewTiers.contains(c.tier) else {
                    if by < start {
                        return .rejected(.deadlineMissed(reviewBy: by, decisionDate: final.date), reviewBy: by, notes: notes)
                    }
                    return .rejected(.deadlineTooClose(reviewBy: by, nextMeeting: meetings.first { $0.capacity > 0 }?.date),
                                     reviewBy: by, notes: notes)
                }
                // Late: still reviewed, while the contract runs, and the plan says so.
                reviewBy = by
                late = by
                deadline = final.date
                reasons.append("late: review-by was \(by), \(lead) months before \(what(final))")
            }
        }
        let endUnknown = decisions.isEmpty
        // A follow-up is due by its date (an overdue one only by the contract's own deadline).
        if let followUp, !followUp.overdue { deadline = min(deadline ?? followUp.due, followUp.due) }

        // Release date: the latest of the constraints below; remember which one binds.
        var release = Release(date: start)
        var cooldownEnd: ContractDate?
        if let last, let months = policy.cooldownMonths[c.tier], months > 0 {
            let end = last.adding(months: months)
            if followUp != nil {
                // The outcome asked for this review: no cooldown.
            } else if member != nil && policy.memberOverridesCooldown {
                if end > start { reasons.append("member suggestion overrides the cooldown (last reviewed \(last))") }
            } else {
                cooldownEnd = end
                release.raise(to: end, .cooldown)
            }
        }
        // Selected by its cycle alone: reviewed when due, but never later than its deadline.
        if member == nil, !byScore, followUp == nil, let cycleDue { release.raise(to: min(cycleDue, deadline ?? cycleDue), .cycle) }

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

        let job = Job(candidate: c, rank: rank, release: release.date, reviewBy: reviewBy, deadline: deadline,
                      reasons: reasons + notes + c.highlights.filter { h in !reasons.contains { $0.lowercased().hasPrefix(h.lowercased()) } },
                      joint: joint, late: late, followUp: followUp, endUnknown: endUnknown, notes: notes,
                      selection: selection)
        if job.window(meetings).isEmpty {
            switch release.cause {
            case .cooldown:
                return .rejected(.cooldown(lastReviewed: last!, nextEligible: cooldownEnd!), reviewBy: reviewBy, notes: notes)
            case .audit:
                return .rejected(.auditDeferred(year: policy.auditYear!, until: auditEnd!.adding(days: 1)),
                                 reviewBy: reviewBy, notes: notes)
            case .start, .cycle:
                if let deadline {
                    let next = meetings.first { $0.date >= release.date && $0.capacity > 0 }?.date
                    return .rejected(.deadlineTooClose(reviewBy: deadline, nextMeeting: next), reviewBy: reviewBy, notes: notes)
                }
                return .rejected(.capacity(meetings: 0, first: nil, last: nil), reviewBy: nil, notes: notes)
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
    /// The review-by date shown (for a late review, the one that has passed).
    var reviewBy: ContractDate?
    /// The last date the review may take place: the review-by date, a follow-up's due date,
    /// or for a late review the contract's final end date; nil = no limit.
    var deadline: ContractDate?
    var reasons: [String]
    var joint: Bool
    /// The review-by date that had passed when the plan began: planned late.
    var late: ContractDate?
    var followUp: FollowUp?
    var endUnknown: Bool
    /// Planner notes that also explain a contract left out (e.g. a suggestion taken as answered).
    var notes: [String]
    /// Why it was selected (member, cycle, score), as facts.
    var selection: Selection
    /// The review group's name and its other contracts, reviewed in the same seat.
    var group: String? = nil
    var members: [Job] = []

    /// This contract and the rest of its group, highest priority first.
    var everyone: [Job] { [self] + members }

    /// The lead officer as written, or nil when the register names none (no load limit then).
    var officerName: String? {
        candidate.leadOfficer.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
    }
    /// Officers compared without regard to case or surrounding spaces.
    var officerKey: String? { officerName?.lowercased() }
    /// Every lead officer of the group (co-leads), each counted once.
    var officerKeys: Set<String> { Set(everyone.compactMap(\.officerKey)) }

    /// Indices of the meetings inside the window that can take reviews at all.
    func window(_ meetings: [PlanPolicy.Meeting]) -> [Int] {
        meetings.indices.filter { fits(meetings[$0].date) && meetings[$0].capacity > 0 }
    }

    func fits(_ date: ContractDate) -> Bool {
        date >= release && (deadline.map { date <= $0 } ?? true)
    }
}

extension ForwardPlan.NotPlanned {
    init(_ c: PlanCandidate, reviewBy: ContractDate?, why: ForwardPlan.Why, notes: [String] = []) {
        self.init(contractID: c.contractID, title: c.title, tier: c.tier, score: c.score,
                  leadOfficer: c.leadOfficer, reviewBy: reviewBy, why: why, notes: notes, flags: c.flags)
    }

    /// With the contract's lifecycle on `date`.
    func with(lifecycleOf c: PlanCandidate, on date: ContractDate, lookAheadMonths: Int) -> Self {
        var copy = self
        copy.lifecycle = c.lifecycle(on: date, lookAheadMonths: lookAheadMonths)
        return copy
    }
}
