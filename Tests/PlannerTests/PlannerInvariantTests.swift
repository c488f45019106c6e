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
            if let reviewBy = p.reviewBy { #expect(p.meeting <= reviewBy, "\(p.contractID) placed after its review-by date") }
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
            for m in meetings where m.date >= earliest(c, k) && (n.reviewBy.map { m.date <= $0 } ?? true)
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
            let from = earliest(byID[n.contractID]!, k)
            for m in plan.meetings where m.date >= from && (n.reviewBy.map { m.date <= $0 } ?? true) {
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
            date >= earliest(byID[p.contractID]!, k) && (p.reviewBy.map { date <= $0 } ?? true)
        }
        for early in plan.placements {
            for late in plan.placements where late.meeting > early.meeting && late.score > early.score {
                #expect(!(fits(late, at: early.meeting) && fits(early, at: late.meeting)),
                        "seed \(seed): \(late.contractID) (\(late.score)) could swap with \(early.contractID) (\(early.score))")
            }
        }
    }
}
