import Testing
import Planner
import Portfolio
import RuleEngine

/// Small hand-built portfolios with the exact plan a CMRG secretary would expect.
@Suite struct PlannerCaseTests {
    @Test func capacityTakesTheHighestScoresAndExplainsTheRest() {
        let plan = Planner.plan(
            candidates: [candidate("C", score: 70), candidate("A", score: 90), candidate("D", score: 50), candidate("B", score: 80)],
            lastReviewed: [:], policy: policy(meetings: ["2027-01-12"]), start: start)
        #expect(seats(plan) == ["2027-01-12 A", "2027-01-12 B"])
        #expect(leftOut(plan) == ["C: capacity: the 2027-01-12 meeting, the only one it could go to, is full"])
        #expect(plan.notSelectedCount == 1) // D scores below min_score and is not on a cycle
        #expect(plan.placements[0].reasons == ["score 90 (planned from 60)"])
    }

    @Test func earliestDeadlineGoesFirstAndNeverPastItsReviewByDate() {
        // One seat per meeting. B must be reviewed by 2027-02-01 (end 2027-11-01 less 9
        // months), so it takes the first meeting although A scores higher; C's review-by
        // date (2027-01-20) leaves only that same meeting, which B, ahead on score, holds.
        let plan = Planner.plan(
            candidates: [candidate("A", score: 90), candidate("B", score: 70, end: "2027-11-01"),
                         candidate("C", score: 65, end: "2027-10-20")],
            lastReviewed: [:], policy: policy(meetings: ["2027-01-12", "2027-02-23"], capacity: 1), start: start)
        #expect(seats(plan) == ["2027-01-12 B", "2027-02-23 A"])
        #expect(plan.placements[0].reviewBy == day("2027-02-01"))
        #expect(plan.placements[0].reasons == ["score 70 (planned from 60)", "review by 2027-02-01, 9 months before the end date 2027-11-01"])
        #expect(leftOut(plan) == ["C: capacity: the 2027-01-12 meeting, the only one it could go to, is full"])
    }

    @Test func priorityOrderWhereDeadlinesAllowIt() {
        // Both have deadlines late enough for either meeting: the higher score goes first
        // even though its review-by date is the later one.
        let plan = Planner.plan(
            candidates: [candidate("LOW", score: 65, end: "2027-12-01"), candidate("HIGH", score: 95, end: "2028-06-01")],
            lastReviewed: [:], policy: policy(meetings: ["2027-01-12", "2027-02-23"], capacity: 1), start: start)
        #expect(seats(plan) == ["2027-01-12 HIGH", "2027-02-23 LOW"])
    }

    /// With late reviews switched off for every tier (the default pack keeps them on).
    var noLateReviews: PlanPolicy {
        var p = policy()
        p.lateReviewTiers = []
        return p
    }

    @Test func endedAndNotYetAwardedContractsAreListedNotPlanned() {
        var tender = candidate("TENDER", score: 95, end: "2029-03-31")
        tender.noticeStage = "tender"
        let plan = Planner.plan(candidates: [candidate("ENDED", score: 99, end: "2026-06-30"), tender,
                                             candidate("NOEND", score: 90)],
                                lastReviewed: [:], policy: policy(), start: start)
        #expect(seats(plan) == ["2027-01-12 NOEND"])
        #expect(plan.placements[0].endUnknown && plan.placements[0].lifecycle == .endUnknown)
        #expect(plan.endUnknownCount == 1)
        #expect(leftOut(plan) == [
            "ENDED: ended 2026-06-30; no successor in the register: check how the service is being provided",
            "TENDER: not yet awarded: a tender notice with no award or supplier; review once the contract is let",
        ])
    }

    /// 7. Grouped reviews take one seat at one meeting; each contract keeps its lead officer
    /// (co-leads), and each co-lead's load counts.
    @Test func aReviewGroupTakesOneSeatWithCoLeads() {
        var ms = candidate("MS", score: 90, officer: "Head of ICT", end: "2029-06-30")
        var oracle = candidate("ORA", score: 70, officer: "ICT Contracts Manager", end: "2029-03-31")
        ms.reviewGroup = "Microsoft and Oracle licences"
        oracle.reviewGroup = " microsoft and oracle licences "
        let other = candidate("OTHER", score: 80, officer: "Head of Waste", end: "2029-03-31")
        let plan = Planner.plan(candidates: [ms, oracle, other], lastReviewed: [:],
                                policy: policy(meetings: ["2027-01-12"], capacity: 2), start: start)
        #expect(seats(plan) == ["2027-01-12 MS", "2027-01-12 ORA", "2027-01-12 OTHER"])
        #expect(plan.seatsUsed(at: day("2027-01-12")) == 2)
        #expect(plan.placements.map(\.leadOfficer) == ["Head of ICT", "ICT Contracts Manager", "Head of Waste"])
        #expect(plan.placements[0].reasons.last == "reviewed with ORA (group \"Microsoft and Oracle licences\", one seat)")
        #expect(plan.placements[1].reasons.first == "reviewed with MS (group \"Microsoft and Oracle licences\", one seat)")
        #expect(plan.placements[1].sharesSeat && !plan.placements[0].sharesSeat)

        // The co-lead already leads as many reviews as allowed: the whole group waits.
        let busy = candidate("BUSY", score: 95, officer: "ICT Contracts Manager", end: "2029-03-31")
        let full = Planner.plan(candidates: [ms, oracle, busy], lastReviewed: [:],
                                policy: policy(meetings: ["2027-01-12"], capacity: 3, perOfficer: 1), start: start)
        #expect(seats(full) == ["2027-01-12 BUSY"])
        #expect(full.notPlanned.map(\.contractID) == ["MS", "ORA"])
    }

    @Test func aMissedDeadlineIsPlannedLateByDefault() {
        let plan = Planner.plan(candidates: [candidate("MISSED", score: 90, end: "2027-06-30")],
                                lastReviewed: [:], policy: policy(), start: start)
        #expect(seats(plan) == ["2027-01-12 MISSED"])
        #expect(plan.placements[0].lateReviewBy == day("2026-09-30"))
        #expect(plan.placements[0].reasons.last == "late: review-by was 2026-09-30, 9 months before the end date 2027-06-30")
        #expect(plan.lateCount == 1)
    }

    @Test func deadlineMissedOrTooCloseIsNotPlanned() {
        let plan = Planner.plan(
            candidates: [candidate("MISSED", score: 90, end: "2027-06-30"), candidate("CLOSE", score: 85, end: "2027-10-05"),
                         candidate("EXTENDABLE", score: 80, end: "2027-06-30", maxEnd: "2029-06-30")],
            lastReviewed: [:], policy: noLateReviews, start: start)
        #expect(seats(plan) == ["2027-01-12 EXTENDABLE"])
        #expect(plan.placements[0].reviewBy == day("2028-09-30"))
        #expect(plan.placements[0].reasons.last == "review by 2028-09-30, 9 months before the final end date 2029-06-30 (with extensions)")
        #expect(leftOut(plan) == [
            "MISSED: deadline already missed: it had to be reviewed by 2026-09-30 to inform the decision due 2027-06-30",
            "CLOSE: deadline too close: review-by date 2027-01-05 comes before the next meeting it could go to (2027-01-12)",
        ])
    }

    /// A member asked on 2026-09-01, after the 2026-06-01 review: the suggestion is open.
    var asked: PlanCandidate {
        var c = candidate("ASKED", score: 70, member: "Cllr Jo Bloggs")
        c.memberSuggestedOn = day("2026-09-01")
        return c
    }

    @Test func cooldownHoldsBackARecentReviewUnlessAMemberAsks() {
        let plan = Planner.plan(
            candidates: [candidate("RECENT", score: 90), candidate("LASTYEAR", score: 80),
                         asked],
            lastReviewed: ["RECENT": day("2026-06-01"), "LASTYEAR": day("2026-02-10"), "ASKED": day("2026-06-01")],
            policy: policy(meetings: ["2027-01-12", "2027-02-23", "2027-04-06"]), start: start)
        // LASTYEAR's 12-month cooldown ends 2027-02-10: its first meeting is 23 February.
        #expect(seats(plan) == ["2027-01-12 ASKED", "2027-02-23 LASTYEAR"])
        #expect(plan.placements[0].reasons == ["suggested by Cllr Jo Bloggs on 2026-09-01", "score 70 (planned from 60)",
                                               "member suggestion overrides the cooldown (last reviewed 2026-06-01)"])
        #expect(leftOut(plan) == ["RECENT: cooldown: last reviewed 2026-06-01, next eligible 2027-06-01"])
    }

    @Test func memberSuggestionWaitsOutTheCooldownWhenThePolicySaysSo() {
        let plan = Planner.plan(
            candidates: [asked],
            lastReviewed: ["ASKED": day("2026-06-01")],
            policy: policy(meetings: ["2027-01-12"], memberOverrides: false), start: start)
        #expect(seats(plan) == [])
        #expect(leftOut(plan) == ["ASKED: cooldown: last reviewed 2026-06-01, next eligible 2027-06-01"])
    }

    @Test func noOfficerLeadsMoreThanTheLimitAtOneMeeting() {
        let people = [candidate("A", score: 90, officer: "Priya Shah"), candidate("B", score: 80, officer: " priya shah "),
                      candidate("C", score: 70, officer: "Tom Evans")]
        let one = Planner.plan(candidates: people, lastReviewed: [:],
                               policy: policy(meetings: ["2027-01-12"], capacity: 3, perOfficer: 1), start: start)
        #expect(seats(one) == ["2027-01-12 A", "2027-01-12 C"])
        #expect(leftOut(one) == ["B: lead officer overloaded: priya shah already leads 1 review at every meeting with space"])

        let two = Planner.plan(candidates: people, lastReviewed: [:],
                               policy: policy(meetings: ["2027-01-12", "2027-02-23"], capacity: 3, perOfficer: 1), start: start)
        #expect(seats(two) == ["2027-01-12 A", "2027-01-12 C", "2027-02-23 B"])
        #expect(two.notPlanned.isEmpty)
    }

    @Test func auditDeferMovesTheReviewPastTheAuditYear() {
        let audited = [candidate("AUD", score: 90, audit: "2026/27"), candidate("OTHER", score: 80, audit: "2027/28")]
        let plan = Planner.plan(candidates: audited, lastReviewed: [:], policy: policy(audit: .deferReview), start: start)
        #expect(seats(plan) == ["2027-01-12 OTHER", "2027-04-06 AUD"])
        #expect(plan.placements[1].reasons == ["score 90 (planned from 60)",
                                               "after the 2026/27 internal audit (deferred to avoid duplicating it)"])

        let short = Planner.plan(candidates: audited, lastReviewed: [:],
                                 policy: policy(meetings: ["2027-01-12", "2027-02-23"], audit: .deferReview), start: start)
        #expect(leftOut(short) == ["AUD: audit deferred: on the 2026/27 internal audit plan, so not reviewed before 2027-04-01"])
    }

    @Test func auditJointKeepsTheReviewAndFlagsIt() {
        let plan = Planner.plan(candidates: [candidate("AUD", score: 90, audit: "2026/27")], lastReviewed: [:],
                                policy: policy(audit: .joint), start: start)
        #expect(seats(plan) == ["2027-01-12 AUD"])
        #expect(plan.placements[0].jointWithAudit)
        #expect(plan.placements[0].reasons.contains("joint review with internal audit (on the 2026/27 audit plan)"))
    }

    @Test func goldRecursYearlyWhateverItsScore() {
        let plan = Planner.plan(
            candidates: [candidate("NEVER", .gold, score: 20), candidate("DUE", .gold, score: 25),
                         candidate("FRESH", .gold, score: 30), candidate("SILVER", .silver, score: 35)],
            lastReviewed: ["DUE": day("2026-03-01"), "FRESH": day("2026-10-01"), "SILVER": day("2025-09-01")],
            policy: policy(recur: [.gold: 12, .silver: 24]), start: start)
        // DUE is reviewed at the first meeting after its anniversary (2027-03-01); FRESH is
        // not due again before the last meeting; SILVER is due 2027-09-01, after the plan.
        #expect(seats(plan) == ["2027-01-12 NEVER", "2027-04-06 DUE"])
        #expect(plan.placements[0].reasons == ["Gold: reviewed every 12 months; never reviewed"])
        #expect(plan.placements[1].reasons == ["Gold: reviewed every 12 months; last reviewed 2026-03-01, due 2027-03-01"])
        #expect(plan.notPlanned.isEmpty)
        #expect(plan.notSelectedCount == 2)
    }

    @Test func bronzeOnlyFromItsOwnThreshold() {
        let plan = Planner.plan(
            candidates: [candidate("B70", .bronze, score: 70), candidate("B80", .bronze, score: 80)],
            lastReviewed: [:], policy: policy(), start: start)
        #expect(seats(plan) == ["2027-01-12 B80"])
        #expect(leftOut(plan) == ["B70: below threshold: its tier is planned from score 75"])
    }

    @Test func thePlanDoesNotDependOnInputOrder() {
        let many = (1...20).map { i in
            candidate("X\(i)", i % 3 == 0 ? .gold : .silver, score: Double(50 + (i * 7) % 40),
                      officer: ["Priya Shah", "Tom Evans", "Aisha Okafor"][i % 3],
                      end: i % 2 == 0 ? "2028-0\(1 + i % 9)-15" : nil)
        }
        let p = policy(recur: [.gold: 12])
        let forward = Planner.plan(candidates: many, lastReviewed: [:], policy: p, start: start)
        let backward = Planner.plan(candidates: many.reversed(), lastReviewed: [:], policy: p, start: start)
        #expect(forward == backward)
        #expect(forward.placements.count == 10)
    }

    @Test func everyWeeksCalendarStartsAtTheFirstMeetingOnOrAfterTheStart() {
        var p = policy()
        p.calendar = .every(weeks: 6, first: day("2026-01-13"))
        p.capacity = 3
        let meetings = p.meetings(from: day("2026-11-25")).map(\.date.iso)
        #expect(meetings == ["2026-12-15", "2027-01-26", "2027-03-09", "2027-04-20", "2027-06-01", "2027-07-13",
                             "2027-08-24", "2027-10-05", "2027-11-16"])
        #expect(p.meetings(from: day("2026-12-15")).first?.date == day("2026-12-15"))
    }
}
