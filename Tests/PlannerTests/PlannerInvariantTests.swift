import Testing
import Planner
import Portfolio
import RuleEngine

/// Properties every plan must have, checked on many generated portfolios (fixed seeds, so
/// every run checks the same cases).
@Suite struct PlannerInvariantTests {
    /// A small deterministic generator (64-bit LCG), so cases are the same on every machine.
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    struct Case {
        var candidates: [PlanCandidate]
        var last: [String: ContractDate]
        var policy: PlanPolicy
    }

    /// Up to 7 meetings, 1-3 seats, 6-24 contracts all scoring above min_score (so each one's
    /// earliest date is simply the later of the start and the end of its cooldown), random
    /// end dates, officers and past reviews.
    func generate(seed: UInt64, officers: Bool) -> Case {
        var g = Generator(state: seed)
        let meetingCount = 1 + g.next(7)
        let meetings = (0..<meetingCount).map { start.adding(days: 7 + 42 * $0).iso }
        var p = policy(meetings: meetings, capacity: 1 + g.next(3), perOfficer: 1 + g.next(2))
        p.reviewByMonths = [.gold: 12, .silver: 9, .bronze: 6]
        let names = ["Priya Shah", "Tom Evans", "Aisha Okafor"]
        var candidates: [PlanCandidate] = []
        var last: [String: ContractDate] = [:]
        for i in 0..<(6 + g.next(19)) {
            let id = "C-\(100 + i)"
            let tier = [Tier.gold, .silver, .bronze][g.next(3)]
            let end = g.next(3) == 0 ? nil : start.adding(days: 200 + g.next(500))
            candidates.append(PlanCandidate(contractID: id, title: id, tier: tier, score: Double(75 + g.next(60)),
                                            leadOfficer: officers ? names[g.next(3)] : nil, endDate: end))
            if g.next(3) == 0 { last[id] = start.adding(days: -g.next(400)) }
        }
        return Case(candidates: candidates, last: last, policy: p)
    }

    /// The last date a review may be placed: its review-by date, or, when that had passed
    /// before the first meeting (a late review), the contract's end date.
    func deadline(_ c: PlanCandidate, reviewBy: ContractDate?, _ plan: ForwardPlan) -> ContractDate? {
        guard let reviewBy, let first = plan.meetings.first(where: { $0.capacity > 0 })?.date, reviewBy < first else { return reviewBy }
        return [c.endDate, c.maxEndDate].compactMap { $0 }.max()
    }

    func earliest(_ c: PlanCandidate, _ k: Case) -> ContractDate {
        guard let last = k.last[c.contractID] else { return start }
        return max(start, last.adding(months: k.policy.cooldownMonths[c.tier]!))
    }

    @Test(arguments: 1...150)
    func noReviewIsLaterThanItsDeadlineOrLaterThanAFreeEarlierSeat(seed: Int) {
        let k = generate(seed: UInt64(seed), officers: true)
        let plan = Planner.plan(candidates: k.candidates, lastReviewed: k.last, policy: k.policy, start: start)
        let byID = Dictionary(uniqueKeysWithValues: k.candidates.map { ($0.contractID, $0) })
        let meetings = plan.meetings
        func seated(_ m: PlanPolicy.Meeting) -> [ForwardPlan.Placement] { plan.placements(at: m.date) }
        func officer(_ p: ForwardPlan.Placement) -> String? { p.leadOfficer?.lowercased() }

        for p in plan.placements {
            let c = byID[p.contractID]!
            if p.lateReviewBy == nil, let reviewBy = p.reviewBy {
                #expect(p.meeting <= reviewBy, "\(p.contractID) placed after its review-by date without being marked late")
            }
            if let late = p.lateReviewBy {
                #expect(late < meetings.first!.date, "\(p.contractID) marked late though its review-by date was still ahead")
                #expect(p.meeting <= deadline(c, reviewBy: p.reviewBy, plan)!, "\(p.contractID) placed after its end date")
            }
            #expect(p.meeting >= earliest(c, k), "\(p.contractID) placed inside its cooldown")
            // Every earlier meeting it could have gone to was full, or full for its officer.
            for m in meetings where m.date < p.meeting && m.date >= earliest(c, k) {
                let there = seated(m)
                let officerFull = there.filter { officer($0) == officer(p) }.count >= k.policy.maxReviewsPerOfficer
                #expect(there.count >= m.capacity || officerFull,
                        "seed \(seed): \(p.contractID) at \(p.meeting) although \(m.date) had a free seat")
            }
        }
        // "Officer overloaded" is true of the final plan: at every meeting of its window with
        // a free seat, that officer already leads the most reviews allowed.
        for n in plan.notPlanned {
            guard case .officerOverloaded(let name, let limit) = n.why else { continue }
            let c = byID[n.contractID]!
            for m in meetings where m.date >= earliest(c, k) && (deadline(c, reviewBy: n.reviewBy, plan).map { m.date <= $0 } ?? true)
                && seated(m).count < m.capacity {
                #expect(seated(m).filter { officer($0) == name.lowercased() }.count >= limit)
            }
        }
        for m in meetings {
            let there = seated(m)
            #expect(there.count <= m.capacity)
            for name in Set(there.compactMap(officer)) {
                #expect(there.filter { officer($0) == name }.count <= k.policy.maxReviewsPerOfficer)
            }
        }
    }

    @Test(arguments: 1...150)
    func aContractLeftOutForCapacityHadEveryMeetingInItsWindowFull(seed: Int) {
        // Without officers the placement is an exact interval matching: a contract is turned
        // away for capacity only when every meeting it could go to is full.
        let k = generate(seed: UInt64(1000 + seed), officers: false)
        let plan = Planner.plan(candidates: k.candidates, lastReviewed: k.last, policy: k.policy, start: start)
        let byID = Dictionary(uniqueKeysWithValues: k.candidates.map { ($0.contractID, $0) })
        for n in plan.notPlanned {
            guard case .capacity = n.why else { continue }
            let c = byID[n.contractID]!
            let from = earliest(c, k)
            for m in plan.meetings where m.date >= from && (deadline(c, reviewBy: n.reviewBy, plan).map { m.date <= $0 } ?? true) {
                #expect(plan.placements(at: m.date).count == m.capacity,
                        "seed \(seed): \(n.contractID) left out though \(m.date) had a free seat")
            }
        }
    }

    @Test(arguments: 1...150)
    func aHigherScoreIsNeverLaterWhenTheTwoCouldSwap(seed: Int) {
        let k = generate(seed: UInt64(2000 + seed), officers: false)
        let plan = Planner.plan(candidates: k.candidates, lastReviewed: k.last, policy: k.policy, start: start)
        let byID = Dictionary(uniqueKeysWithValues: k.candidates.map { ($0.contractID, $0) })
        func fits(_ p: ForwardPlan.Placement, at date: ContractDate) -> Bool {
            let c = byID[p.contractID]!
            return date >= earliest(c, k) && (deadline(c, reviewBy: p.reviewBy, plan).map { date <= $0 } ?? true)
        }
        for early in plan.placements {
            for late in plan.placements where late.meeting > early.meeting && late.score > early.score {
                #expect(!(fits(late, at: early.meeting) && fits(early, at: late.meeting)),
                        "seed \(seed): \(late.contractID) (\(late.score)) could swap with \(early.contractID) (\(early.score))")
            }
        }
    }

    /// Generated cases with contracts that have ended, whose review-by date has passed, and
    /// whose last review (Red, Amber or Green) asks for a follow-up, some of them overdue.
    func generateCycle(seed: UInt64) -> (Case, [String: PastReview]) {
        var g = Generator(state: seed)
        let meetings = (0..<(2 + g.next(6))).map { start.adding(days: 7 + 42 * $0).iso }
        var p = policy(meetings: meetings, capacity: 1 + g.next(3), perOfficer: 2)
        p.followUpMonths = ["Red": 3, "Amber": 6]
        var candidates: [PlanCandidate] = []
        var history: [String: PastReview] = [:]
        for i in 0..<(6 + g.next(19)) {
            let id = "C-\(100 + i)"
            let tier = [Tier.gold, .silver, .bronze][g.next(3)]
            let end = start.adding(days: -300 + g.next(900)) // some ended, some late, some in time
            candidates.append(PlanCandidate(contractID: id, title: id, tier: tier, score: Double(75 + g.next(60)), endDate: end))
            if g.next(2) == 0 {
                history[id] = PastReview(date: start.adding(days: -g.next(400)), outcome: ["Red", "Amber", "Green"][g.next(3)],
                                         followUp: g.next(3) == 0 ? start.adding(days: -60 + g.next(200)) : nil)
            }
        }
        return (Case(candidates: candidates, last: history.mapValues(\.date), policy: p), history)
    }

    @Test(arguments: 1...150)
    func noEndedContractIsPlannedAndLateOrFollowUpReviewsStayInTheirWindows(seed: Int) {
        let (k, history) = generateCycle(seed: UInt64(3000 + seed))
        let plan = Planner.plan(candidates: k.candidates, history: history, policy: k.policy, start: start)
        let byID = Dictionary(uniqueKeysWithValues: k.candidates.map { ($0.contractID, $0) })
        let first = plan.meetings.first!.date
        for p in plan.placements {
            let c = byID[p.contractID]!
            #expect(c.endDate! >= start, "seed \(seed): \(p.contractID) ended \(c.endDate!) but is planned")
            #expect(p.meeting <= c.endDate!, "seed \(seed): \(p.contractID) planned after its end date")
            if p.lateReviewBy == nil, let reviewBy = p.reviewBy { #expect(p.meeting <= reviewBy) }
            if let f = p.followUp {
                #expect(f.of == history[p.contractID])
                #expect(f.overdue == (f.due < first))
                if !f.overdue { #expect(p.meeting <= f.due, "seed \(seed): follow-up of \(p.contractID) after its due date") }
            }
        }
        for n in plan.notPlanned where n.why == .ended(on: byID[n.contractID]!.endDate!) {
            #expect(byID[n.contractID]!.endDate! < start)
        }
        let ended = k.candidates.filter { $0.endDate! < start }.map(\.contractID).sorted()
        #expect(plan.notPlanned.filter { if case .ended = $0.why { true } else { false } }.map(\.contractID).sorted() == ended)
    }
}
