import History
import Portfolio

/// A change to the review history that `ReviewRecording` refuses, with what is wrong. It is
/// said in the caller's words for what the user typed (`Subject`): the CLI names its options
/// (`--meeting 2027-05-15 is after 2026-12-03: …`), a form would name its fields.
public struct ReviewRefusal: Error, Sendable, Equatable {
    /// What the user typed that a refusal is about.
    public enum Subject: Hashable, Sendable {
        case field(ReviewInput.Field)
        /// The history to write to.
        case history
        /// Why a review is removed.
        case reason
    }

    public enum Reason: Sendable, Equatable {
        /// As typed, the review breaks `ReviewInput`'s rules: every problem, in field order.
        case invalid([ReviewInput.Problem])
        /// The contract is not in the register: the plan could never use the review.
        case unknownContract(String, register: String, nearest: [String])
        /// The meeting has not happened yet: future reviews are planned, not recorded.
        case futureMeeting(ContractDate, today: ContractDate)
        /// Reviews are recorded in an SQLite history, never into a reviews CSV.
        case csvHistory(String)
        /// A removal must say why (the audit table keeps it).
        case noReason
    }

    public var reason: Reason
    /// The review being amended; nil for a new one.
    public var reviewID: Int64?

    public init(_ reason: Reason, reviewID: Int64? = nil) {
        self.reason = reason
        self.reviewID = reviewID
    }

    /// What is wrong, one line per problem, naming what was typed by `name`.
    public func description(naming name: (Subject) -> String) -> String {
        switch reason {
        case .invalid(let problems):
            return problems.map { "\(name(.field($0.field))): \($0.message)" }.joined(separator: "\n")
        case .unknownContract(let id, let register, let nearest):
            let near = nearest.isEmpty ? "" : " (nearest: \(nearest.joined(separator: ", ")))"
            // An amendment keeps the contract, so it is not something the user typed.
            if let reviewID { return "review \(reviewID) is of \(id), which is not in the register \(register)" + near }
            return "\(name(.field(.contractID))) \(id) is not in the register \(register)" + near
        case .futureMeeting(let meeting, let today):
            return "\(name(.field(.meetingDate))) \(meeting) is after \(today): future reviews are planned (cmrg plan), not recorded"
        case .csvHistory(let path):
            return "\(name(.history)): reviews are recorded in an SQLite file, not a CSV (\(path)); import the CSV into one first"
        case .noReason:
            return "\(name(.reason)): say why the review is removed"
        }
    }
}
