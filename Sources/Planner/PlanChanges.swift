import Portfolio
import RuleEngine

/// How the forward plan changes between two rule packs (`cmrg diff`): reviews added,
/// removed, or moved to another meeting. Both plans are made from the same history and dates.
public struct PlanChanges: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var contractID: String
        public var title: String
        /// The meeting under each pack (nil: not planned under it).
        public var meetingBefore: ContractDate?
        public var meetingAfter: ContractDate?
        /// Why it is not planned, on the side where it is not (when the planner listed it).
        public var whyNotBefore: String?
        public var whyNotAfter: String?
    }

    /// Planned only under the new rules, in the new plan's order.
    public var added: [Change]
    /// Planned only under the old rules, in the old plan's order.
    public var removed: [Change]
    /// Planned under both, at different meetings, in the new plan's order.
    public var moved: [Change]
    public var reviewsBefore: Int
    public var reviewsAfter: Int

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && moved.isEmpty }

    public init(before: ForwardPlan, after: ForwardPlan) {
        let placedBefore = Dictionary(before.placements.map { ($0.contractID, $0) }, uniquingKeysWith: { a, _ in a })
        let placedAfter = Dictionary(after.placements.map { ($0.contractID, $0) }, uniquingKeysWith: { a, _ in a })
        let whyBefore = Dictionary(before.notPlanned.map { ($0.contractID, $0.reason) }, uniquingKeysWith: { a, _ in a })
        let whyAfter = Dictionary(after.notPlanned.map { ($0.contractID, $0.reason) }, uniquingKeysWith: { a, _ in a })
        added = after.placements.filter { placedBefore[$0.contractID] == nil }.map {
            Change(contractID: $0.contractID, title: $0.title, meetingBefore: nil, meetingAfter: $0.meeting,
                   whyNotBefore: whyBefore[$0.contractID], whyNotAfter: nil)
        }
        removed = before.placements.filter { placedAfter[$0.contractID] == nil }.map {
            Change(contractID: $0.contractID, title: $0.title, meetingBefore: $0.meeting, meetingAfter: nil,
                   whyNotBefore: nil, whyNotAfter: whyAfter[$0.contractID])
        }
        moved = after.placements.compactMap { p in
            guard let old = placedBefore[p.contractID], old.meeting != p.meeting else { return nil }
            return Change(contractID: p.contractID, title: p.title, meetingBefore: old.meeting, meetingAfter: p.meeting,
                          whyNotBefore: nil, whyNotAfter: nil)
        }
        reviewsBefore = before.placements.count
        reviewsAfter = after.placements.count
    }
}
