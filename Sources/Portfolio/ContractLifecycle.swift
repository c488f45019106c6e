/// Where a contract is in its life on a given date, computed once from the register's
/// dates and notice stage, so the plan and every output agree.
public enum ContractLifecycle: String, Sendable, Equatable, CaseIterable {
    /// Running, with its end beyond the look-ahead.
    case live
    /// Running, and its final end date falls within the look-ahead.
    case ending
    /// The end date and any extension date have passed.
    case ended
    /// A tender notice: no award, no contract yet.
    case notYetAwarded = "not yet awarded"
    /// Neither an end date nor a final end date is known.
    case endUnknown = "end unknown"
}

extension Contract {
    /// The final end date: the later of the end date and the end with every extension.
    public var finalEndDate: ContractDate? { [endDate, maxEndDate].compactMap { $0 }.max() }

    /// The lifecycle on `date`; "ending" when the final end date is before `date` plus
    /// `lookAheadMonths` (the caller's horizon, e.g. the plan's).
    public func lifecycle(on date: ContractDate, lookAheadMonths: Int) -> ContractLifecycle {
        ContractLifecycle(stage: noticeStage, finalEnd: finalEndDate, on: date, lookAheadMonths: lookAheadMonths)
    }
}

extension ContractLifecycle {
    public init(stage: String?, finalEnd: ContractDate?, on date: ContractDate, lookAheadMonths: Int) {
        if stage?.lowercased() == "tender" {
            self = .notYetAwarded
        } else if let finalEnd {
            self = finalEnd < date ? .ended : finalEnd < date.adding(months: lookAheadMonths) ? .ending : .live
        } else {
            self = .endUnknown
        }
    }
}
