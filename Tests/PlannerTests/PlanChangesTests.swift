import Testing
import Planner
import Portfolio
import RuleEngine

/// `cmrg diff`'s plan comparison: reviews added, removed and moved between two plans.
@Suite struct PlanChangesTests {
    @Test func addedRemovedAndMovedReviewsWithTheReasonOnTheOtherSide() throws {
        // Capacity 1 at five meetings: raising B's score lets it take A's seat.
        let p = policy(capacity: 1, perOfficer: 1)
        let before = Planner.plan(candidates: [candidate("A", score: 80), candidate("B", score: 70), candidate("C", score: 65)],
                                  lastReviewed: ["C": day("2026-10-01")], policy: p, start: start)
        let after = Planner.plan(candidates: [candidate("A", score: 80), candidate("B", score: 90), candidate("D", score: 85)],
                                 lastReviewed: ["C": day("2026-10-01")], policy: p, start: start)
        let changes = PlanChanges(before: before, after: after)
        #expect(changes.added.map(\.contractID) == ["D"])
        #expect(changes.removed.isEmpty)
        #expect(changes.moved.map(\.contractID) == ["B", "A"])
        let b = try #require(changes.moved.first)
        #expect(b.meetingBefore == day("2027-02-23") && b.meetingAfter == day("2027-01-12"))
        #expect(changes.reviewsBefore == 2 && changes.reviewsAfter == 3)
        #expect(!changes.isEmpty)

        let back = PlanChanges(before: after, after: before)
        #expect(back.removed.map(\.contractID) == ["D"])
        #expect(back.removed.first?.whyNotAfter == nil) // D is not a candidate under the old rules at all
        #expect(PlanChanges(before: before, after: before).isEmpty)
    }
}
