import ArgumentParser
import Foundation
import History
import Portfolio

/// `cmrg history amend ID …`: correct a recorded review; the audit table keeps what changed.
struct HistoryAmendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend", abstract: "Correct a recorded review (only the options given change).")

    @Argument(help: "The review's id (see history list --format csv, or history log).") var id: Int64
    @Option(name: .long, help: "Meeting date, YYYY-MM-DD.") var meeting: String?
    @Option(name: .long, help: "Officer who led the review.") var lead: String?
    @Option(name: .long, help: "RAG outcome: Red, Amber or Green.") var outcome: String?
    @Option(name: .long, help: "NAO framework areas covered, separated by ';'.") var areas: String?
    @Option(name: .long, help: "Findings themes, separated by ';'.") var themes: String?
    @Option(name: .customLong("follow-up"), help: "Follow-up due date, YYYY-MM-DD ('' clears it).") var followUp: String?
    @Option(name: .long, help: "Notes.") var notes: String?
    @Option(name: .long, help: "Why the record is corrected (kept in the audit table).") var reason: String = ""
    @OptionGroup var store: HistoryOptions

    func run() throws {
        let history = try ReviewHistory.open(path: store.database, create: false)
        guard let old = try history.review(id: id) else {
            throw HistoryError(.invalid, "there is no review \(id) in \(store.database)")
        }
        let input = ReviewInput([
            .contractID: old.contractID, .meetingDate: meeting ?? old.meetingDate.iso, .leadOfficer: lead ?? old.leadOfficer,
            .outcome: outcome ?? old.outcome.rawValue, .areas: areas ?? old.areas.map(\.rawValue).joined(separator: "; "),
            .themes: themes ?? old.themes.joined(separator: "; "), .followUpDate: followUp ?? old.followUpDate?.iso ?? "",
            .notes: notes ?? old.notes,
        ])
        switch input.validated() {
        case .problems(let problems):
            throw HistoryError(.invalid, problems.map { "\(HistoryRecordCommand.optionNames[$0.field]!): \($0.message)" }.joined(separator: "\n"))
        case .review(let amended):
            let what = try history.amend(id: id, to: amended, by: store.changedBy, why: reason)
            print("amended review \(id) in \(store.database): \(what)")
        }
    }
}

/// `cmrg history remove ID --reason …`: take a review out; the audit table keeps it.
struct HistoryRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a recorded review (the audit table keeps what it said and why).")

    @Argument(help: "The review's id.") var id: Int64
    @Option(name: .long, help: "Why it is removed (required).") var reason: String
    @OptionGroup var store: HistoryOptions

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason: say why the review is removed") }
    }

    func run() throws {
        let history = try ReviewHistory.open(path: store.database, create: false)
        let old = try history.remove(id: id, by: store.changedBy, why: reason)
        print("removed review \(id) (\(old.contractID) at the \(old.meetingDate) meeting) from \(store.database)")
    }
}

/// `cmrg history log`: every change to the history, oldest first.
struct HistoryLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show every change to the review history: when, by whom, what and why.")

    @OptionGroup var store: HistoryOptions

    func run() throws {
        let history = try ReviewHistory.open(path: store.database, create: false)
        let changes = try history.changes()
        for c in changes {
            print("\(c.at)  \(c.by)  \(c.action)" + (c.reviewID.map { " review \($0)" } ?? "") + ": \(c.what)"
                  + (c.why.isEmpty ? "" : " (why: \(c.why))"))
        }
        if changes.isEmpty { print("no changes recorded in \(store.database)") }
    }
}
