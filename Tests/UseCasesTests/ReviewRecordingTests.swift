import Foundation
import History
import Portfolio
import TestSupport
import Testing
import UseCases

/// `ReviewRecording` through its public API, on the sample register and its reviews.csv in
/// a scratch copy (a fresh clone): what is recorded, what is refused, and that a refusal
/// writes nothing.
@Suite struct ReviewRecordingTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let today = ContractDate(iso: "2026-12-03")!

    /// A scratch directory holding a copy of the sample register and its reviews.csv.
    func freshClone(withReviews: Bool = true) throws -> URL {
        let dir = try Scratch.directory("recording")
        for name in ["portfolio.csv"] + (withReviews ? ["reviews.csv"] : []) {
            try FileManager.default.copyItem(at: Self.repoRoot.appendingPathComponent("samples/\(name)"),
                                             to: dir.appendingPathComponent(name))
        }
        return dir
    }

    func recording(_ dir: URL, history: String? = nil) -> ReviewRecording {
        ReviewRecording(history: history, portfolio: dir.appendingPathComponent("portfolio.csv").path,
                        by: "CMRG secretary", today: Self.today)
    }

    func input(_ contract: String, _ meeting: String, outcome: String = "Amber", areas: String = "risk") -> ReviewInput {
        ReviewInput([.contractID: contract, .meetingDate: meeting, .leadOfficer: "Capital Programme Manager",
                     .outcome: outcome, .areas: areas])
    }

    /// The names a caller gives what was typed; here the CSV column names.
    static func name(_ subject: ReviewRefusal.Subject) -> String {
        switch subject {
        case .field(let field): field.rawValue
        case .history: "history"
        case .reason: "reason"
        }
    }

    @Test func theFirstRecordImportsTheReviewsCSVInUseUntilThen() throws {
        let dir = try freshClone()
        defer { Scratch.remove(dir) }
        let recording = recording(dir)
        #expect(recording.location == .csv(dir.appendingPathComponent("reviews.csv").path))
        #expect(recording.database == dir.appendingPathComponent("cmrg.sqlite").path)

        let recorded = try recording.record(input("C-073", "2026-11-17", outcome: "green"))
        #expect(recorded.review.id == 17)
        #expect(recorded.review.outcome == .green)
        #expect(recorded.database == recording.database)
        #expect(recorded.importedFrom == dir.appendingPathComponent("reviews.csv").path)
        #expect(recorded.imported == 16)

        let listing = try recording.list()
        #expect(listing.source == "\(recording.database) (17 reviews)")
        #expect(listing.reviews.count == 17)
        #expect(try recording.list(contract: "C-073").reviews.map(\.meetingDate.iso) == ["2026-11-17"])
        #expect(try recording.changes().map(\.action) == ["import", "record"])
        #expect(try recording.changes().allSatisfy { $0.by == "CMRG secretary" })

        let second = try recording.record(input("C-009", "2026-11-17"))
        #expect(second.review.id == 18)
        #expect(second.importedFrom == nil)
        #expect(second.imported == 0)
    }

    @Test func reviewsThePlanCannotTrustAreRefusedAndNothingIsWritten() throws {
        let dir = try freshClone()
        defer { Scratch.remove(dir) }
        let recording = recording(dir)
        let register = dir.appendingPathComponent("portfolio.csv").path

        let unknown = ReviewRefusal(.unknownContract("C-999", register: register, nearest: ["C-009", "C-019", "C-029"]))
        #expect(throws: unknown) { try recording.record(input("C-999", "2026-11-03")) }
        #expect(unknown.description(naming: Self.name)
                == "contract_id C-999 is not in the register \(register) (nearest: C-009, C-019, C-029)")

        let future = ReviewRefusal(.futureMeeting(ContractDate(iso: "2027-05-15")!, today: Self.today))
        #expect(throws: future) { try recording.record(input("C-073", "2027-05-15")) }
        #expect(future.description(naming: Self.name)
                == "meeting_date 2027-05-15 is after 2026-12-03: future reviews are planned (cmrg plan), not recorded")

        do {
            _ = try recording.record(input("C-073", "2026-11-03", outcome: "Purple", areas: "risk; procurement"))
            Issue.record("an invalid review was recorded")
        } catch let refusal as ReviewRefusal {
            guard case .invalid(let problems) = refusal.reason else { throw refusal }
            #expect(problems.map(\.field) == [.outcome, .areas])
            #expect(refusal.description(naming: Self.name).hasPrefix("""
                outcome: outcome "Purple" is not Red, Amber or Green
                areas: "procurement" is not an NAO framework area (one of: planning & governance,
                """))
        }
        #expect(!FileManager.default.fileExists(atPath: recording.database))
    }

    @Test func reviewsAreRecordedInSQLiteNeverIntoACSV() throws {
        let dir = try freshClone()
        defer { Scratch.remove(dir) }
        let csv = dir.appendingPathComponent("reviews.csv").path
        let recording = recording(dir, history: csv)
        #expect(throws: ReviewRefusal(.csvHistory(csv))) { try recording.checkRecordable() }
        #expect(throws: ReviewRefusal(.csvHistory(csv))) { try recording.record(input("C-073", "2026-11-17")) }
        #expect(ReviewRefusal(.csvHistory(csv)).description(naming: Self.name)
                == "history: reviews are recorded in an SQLite file, not a CSV (\(csv)); import the CSV into one first")
        #expect(try recording.list().source == "\(csv) (16 reviews, read into memory)") // read, never written
    }

    /// An amended review passes the same checks as a new one; a refused amendment changes nothing.
    @Test func anAmendmentIsCheckedAsARecordIs() throws {
        let dir = try freshClone()
        defer { Scratch.remove(dir) }
        let recording = recording(dir)
        _ = try recording.record(input("C-073", "2026-11-17"))

        let amended = try recording.amend(id: 17, changes: [.outcome: "red", .followUpDate: "2027-02-01"], why: "minutes corrected")
        #expect(amended.id == 17 && amended.database == recording.database)
        #expect(amended.changes == "outcome Amber → Red; follow_up_date (none) → 2027-02-01")

        #expect(throws: ReviewRefusal(.futureMeeting(ContractDate(iso: "2027-05-15")!, today: Self.today), reviewID: 17)) {
            try recording.amend(id: 17, changes: [.meetingDate: "2027-05-15", .followUpDate: "2027-08-01"], why: "")
        }
        do {
            _ = try recording.amend(id: 17, changes: [.outcome: "Purple", .areas: "nope"], why: "")
            Issue.record("an invalid amendment was written")
        } catch let refusal as ReviewRefusal {
            guard case .invalid(let problems) = refusal.reason else { throw refusal }
            #expect(refusal.reviewID == 17)
            #expect(problems.map(\.field) == [.outcome, .areas])
        }
        // A register that no longer holds the contract: the amendment is refused, naming the review.
        let other = dir.appendingPathComponent("other.csv")
        try "id,title\nC-070,Another contract\nZ-999,A far one\n".write(to: other, atomically: true, encoding: .utf8)
        let elsewhere = ReviewRecording(history: recording.database, portfolio: other.path, by: "CMRG secretary", today: Self.today)
        let gone = ReviewRefusal(.unknownContract("C-073", register: other.path, nearest: ["C-070"]), reviewID: 17)
        #expect(throws: gone) { try elsewhere.amend(id: 17, changes: [.notes: "typo"], why: "") }
        #expect(gone.description(naming: Self.name) == "review 17 is of C-073, which is not in the register \(other.path) (nearest: C-070)")
        #expect(throws: HistoryError.self) { try recording.amend(id: 17, changes: [.contractID: "C-009"], why: "") }
        #expect(throws: HistoryError(.invalid, "there is no review 99 in \(recording.database)")) {
            try recording.amend(id: 99, changes: [.outcome: "Red"], why: "")
        }

        let review = try #require(try recording.list(contract: "C-073").reviews.first)
        #expect(review.outcome == .red && review.followUpDate?.iso == "2027-02-01" && review.notes.isEmpty)
        #expect(try recording.changes().map(\.action) == ["import", "record", "amend"])
    }

    @Test func aRemovalSaysWhyAndTheAuditTableKeepsIt() throws {
        let dir = try freshClone()
        defer { Scratch.remove(dir) }
        let recording = recording(dir, history: dir.appendingPathComponent("history.sqlite").path)
        let imported = try recording.importReviews(from: dir.appendingPathComponent("reviews.csv").path)
        #expect(imported.summary == ReviewHistory.ImportSummary(added: 16, alreadyRecorded: 0))

        #expect(throws: ReviewRefusal(.noReason)) { try recording.remove(id: 16, why: " \n") }
        let removed = try recording.remove(id: 16, why: "recorded against the wrong contract")
        #expect(removed.id == 16 && removed.review.contractID == "C-046")
        #expect(try recording.list().reviews.count == 15)
        let last = try #require(try recording.changes().last)
        #expect(last.action == "remove" && last.reviewID == 16 && last.why == "recorded against the wrong contract")
        #expect(try recording.importReviews(from: dir.appendingPathComponent("reviews.csv").path).summary.added == 1)
    }

    @Test func listingWithoutAnyHistorySaysWhereItLooked() throws {
        let dir = try freshClone(withReviews: false)
        defer { Scratch.remove(dir) }
        let recording = recording(dir)
        let looked = "\(dir.path)/cmrg.sqlite or \(dir.path)/reviews.csv"
        #expect(throws: HistoryError(.unreadable, "no review history (\(looked)): record or import reviews first, or pass --history")) {
            try recording.list()
        }
    }
}
