import Foundation
import Testing
import History
import Portfolio

/// Review history through the public API: record, list, import, and file:line:column errors.
@Suite struct ReviewHistoryTests {
    let samplePath = repoRoot.appendingPathComponent("samples/reviews.csv").path

    func review(_ id: String, _ meeting: String, outcome: ReviewOutcome = .amber) -> Review {
        Review(contractID: id, meetingDate: day(meeting), leadOfficer: "Priya Shah", outcome: outcome,
               areas: [.risk, .planningAndGovernance], themes: ["KPIs", "social value"],
               followUpDate: day(meeting).adding(days: 90), notes: "Weak KPIs, social value not tracked.")
    }

    @Test func recordThenListGivesTheSameReviewBack() throws {
        let path = try temporaryDirectory().appendingPathComponent("history.sqlite").path
        let history = try ReviewHistory.open(path: path)
        let recorded = try history.record(review("C-001", "2026-03-04"))
        try history.record(review("C-002", "2026-01-13", outcome: .red))
        try history.record(review("C-001", "2025-03-04", outcome: .green))
        #expect(recorded.id != nil)

        let reopened = try ReviewHistory.open(path: path, create: false)
        let all = try reopened.reviews()
        #expect(all.map { "\($0.contractID) \($0.meetingDate) \($0.outcome.rawValue)" }
                == ["C-001 2025-03-04 Green", "C-002 2026-01-13 Red", "C-001 2026-03-04 Amber"])
        #expect(all[2] == recorded)
        #expect(all[2].areas == [.planningAndGovernance, .risk]) // framework order
        #expect(all[2].themes == ["KPIs", "social value"])
        #expect(try reopened.reviews(contractID: "C-001").count == 2)
        #expect(try reopened.lastReviews()["C-001"]?.meetingDate == day("2026-03-04"))
    }

    @Test func aSecondReviewAtTheSameMeetingIsRefused() throws {
        let history = try ReviewHistory.inMemory()
        let first = try history.record(review("C-001", "2026-03-04"))
        #expect(throws: HistoryError(.invalid, "C-001 already has a review at the 2026-03-04 meeting (review \(first.id!))")) {
            try history.record(review("C-001", "2026-03-04", outcome: .red))
        }
        #expect(try history.count() == 1)
    }

    @Test func listingAMissingDatabaseSaysSo() {
        #expect(throws: HistoryError(.unreadable, "no review history at '/nonexistent/h.sqlite' (record or import reviews first, or pass --history)")) {
            try ReviewHistory.open(path: "/nonexistent/h.sqlite", create: false)
        }
    }

    @Test func theSampleImportsAndAReimportAddsNothing() throws {
        let path = try temporaryDirectory().appendingPathComponent("history.sqlite").path
        let history = try ReviewHistory.open(path: path)
        let rows = try ReviewCSV.read(path: samplePath)
        #expect(rows.count == 16)
        #expect(try history.importReviews(rows) == .init(added: 16, alreadyRecorded: 0))
        #expect(try history.importReviews(rows) == .init(added: 0, alreadyRecorded: 16))
        #expect(try history.count() == 16)
        let c004 = try history.reviews(contractID: "C-004")
        #expect(c004.map(\.outcome) == [.red, .amber])
        #expect(c004[0].areas == [.managingPerformance, .paymentAndIncentives, .risk, .supplierRelationshipManagement])
        #expect(c004[0].themes == ["service credits", "payment mechanism", "governance"])
        #expect(c004[0].followUpDate == day("2025-02-12"))
        #expect(c004[0].notes == "Availability deductions not applied for two years; gate fee dispute not escalated to the partnership board.")
    }

    @Test func everySampleReviewIsOfAContractInTheSampleRegister() throws {
        let register = try PortfolioReader.open(path: repoRoot.appendingPathComponent("samples/portfolio.csv").path).readAll()
        let ids = Set(register.map(\.id))
        let reviewed = try ReviewCSV.read(path: samplePath).map(\.review.contractID)
        #expect(reviewed.filter { !ids.contains($0) } == [])
    }

    @Test func csvRoundTripKeepsEveryField() throws {
        let history = try ReviewHistory.inMemory()
        _ = try history.importReviews(try ReviewCSV.read(path: samplePath))
        let text = ReviewCSV.render(try history.reviews())
        let again = try ReviewHistory.inMemory()
        _ = try again.importReviews(try ReviewCSV.parse(text, path: "listing.csv"))
        let a = try history.reviews(), b = try again.reviews()
        #expect(a.count == 16)
        #expect(zip(a, b).allSatisfy { $0.sameContent(as: $1) })
        #expect(text.hasPrefix("contract_id,meeting_date,lead_officer,outcome,areas,themes,follow_up_date,notes\n"))
        #expect(text.split(separator: "\n").count == 17)
    }

    /// Listings are quoted by the shared CSV quoter, which looks at bytes: notes with a CRLF
    /// line break or a comma before a combining mark are quoted too, so they read back whole.
    @Test func awkwardNotesReadBackWhole() throws {
        var r = review("C-001", "2025-02-04")
        for notes in ["first line\r\nsecond line", "a,\u{301}b", "say \"\u{301}hi\"", "plain"] {
            r.notes = notes
            let text = ReviewCSV.render([r])
            let back = try ReviewCSV.parse(text, path: "listing.csv")
            #expect(back.map(\.review.notes) == [notes])
        }
        r.notes = "first line\r\nsecond line"
        #expect(ReviewCSV.render([r]).hasSuffix(",\"first line\r\nsecond line\"\n"))
    }

    @Test func aConflictingImportNamesTheRowAndWritesNothing() throws {
        let history = try ReviewHistory.inMemory()
        try history.record(review("C-023", "2025-01-21"))
        #expect(throws: HistoryError(.invalid, "\(samplePath): 1 review conflicts with the history; nothing was imported",
                                     issues: [HistoryIssue(location: SourceLocation(file: samplePath, line: 3),
                                                           message: "C-023 already has a different review at the 2025-01-21 meeting (review 1)")])) {
            try history.importReviews(try ReviewCSV.read(path: samplePath))
        }
        #expect(try history.count() == 1)
    }

    @Test func badRowsAreReportedWithLineAndColumn() {
        let text = """
            contract_id,meeting_date,lead_officer,outcome,areas,themes,follow_up_date,notes
            C-001,2025-02-30,Priya Shah,Amber,risk,KPIs,,
            C-002,2025-03-04,,Purple,"people; procurement",,2025-01-01,
            C-003,2025-03-04,Tom Evans,Green,risk
            C-003,2025-03-04,Tom Evans,Green,risk,,,
            C-003,2025-03-04,Tom Evans,Red,people,,,
            """
        #expect(throws: HistoryError(.invalid, "bad.csv: 7 problems on 4 lines", issues: [
            HistoryIssue(location: SourceLocation(file: "bad.csv", line: 2, column: 7),
                         message: "meeting date \"2025-02-30\" is not a date (YYYY-MM-DD)"),
            HistoryIssue(location: SourceLocation(file: "bad.csv", line: 3, column: 18), message: "lead officer is empty"),
            HistoryIssue(location: SourceLocation(file: "bad.csv", line: 3, column: 19),
                         message: "outcome \"Purple\" is not Red, Amber or Green"),
            HistoryIssue(location: SourceLocation(file: "bad.csv", line: 3, column: 35),
                         message: "\"procurement\" is not an NAO framework area (one of: planning & governance, people, administration, managing relationships, managing performance, payment & incentives, risk, contract development, supplier development, supplier relationship management, market management)"),
            HistoryIssue(location: SourceLocation(file: "bad.csv", line: 3, column: 49),
                         message: "follow-up date 2025-01-01 is before the meeting date 2025-03-04"),
            HistoryIssue(location: SourceLocation(file: "bad.csv", line: 4), message: "5 fields, but the header has 8"),
            HistoryIssue(location: SourceLocation(file: "bad.csv", line: 6, column: 7),
                         message: "C-003 is already reviewed at the 2025-03-04 meeting on line 5"),
        ])) {
            try ReviewCSV.parse(text, path: "bad.csv")
        }
    }

    @Test func duplicateRowsAndHeaderMistakes() {
        let duplicate = """
            contract_id,meeting_date,lead_officer,outcome,areas
            C-003,2025-03-04,Tom Evans,Green,risk
            C-003,2025-03-04,Tom Evans,Red,people
            """
        #expect(throws: HistoryError(.invalid, "d.csv: 1 problem on 1 line", issues: [
            HistoryIssue(location: SourceLocation(file: "d.csv", line: 3, column: 7),
                         message: "C-003 is already reviewed at the 2025-03-04 meeting on line 2"),
        ])) {
            try ReviewCSV.parse(duplicate, path: "d.csv")
        }
        #expect(throws: HistoryError(.invalid, "h.csv: 2 problems on 1 line", issues: [
            HistoryIssue(location: SourceLocation(file: "h.csv", line: 1, column: 13),
                         message: "unknown column \"meeting\" (expected: contract_id, meeting_date, lead_officer, outcome, areas, themes, follow_up_date, notes)"),
            HistoryIssue(location: SourceLocation(file: "h.csv", line: 1), message: "missing column \"meeting_date\""),
        ])) {
            try ReviewCSV.parse("contract_id,meeting,lead_officer,outcome,areas\n", path: "h.csv")
        }
    }

    /// The review CSV is read by Portfolio's tokenizer: syntax errors, characters (not bytes)
    /// as columns, line breaks inside quotes, a BOM and CRLF line ends give the locations the
    /// history's own reader gave.
    @Test func syntaxErrorsAndLocationsFollowTheText() {
        let header = "contract_id,meeting_date,lead_officer,outcome,areas,themes,follow_up_date,notes\n"
        func issues(_ text: String) -> [String] {
            do {
                _ = try ReviewCSV.parse(text, path: "r.csv")
                return []
            } catch {
                return error.issues.map(\.description)
            }
        }
        #expect(issues(header + "C-001,2025-02-04,Priya Shah,Amber,risk,KPIs,,\"two\nlines\" x\n")
            == ["r.csv:3:7: text after a closing quote (write \"\" for a quote inside a quoted field)"])
        #expect(issues(header + "C-001,2025-02-04,Priya Shah,Amber,risk,KPIs,,\"never closed\nC-002,2025-03-04\n")
            == ["r.csv:2:46: quoted field is never closed"])
        #expect(issues("\u{FEFF}" + header + "C-001,2025-02-04,Zoë,Amber,risk,KPIs,,\r\nC-002,2025-02-04,Zoë,Amber,\"risk\",KPIs,,\"a \"x\r\n")
            == ["r.csv:3:45: text after a closing quote (write \"\" for a quote inside a quoted field)"])
        #expect(issues(header + "C-001,2025-02-04,\"Zoë \"\"Z\"\" Brontë\",Purple,risk,KPIs,,\n")
            == ["r.csv:2:37: outcome \"Purple\" is not Red, Amber or Green"])
        #expect(issues(header + "C-001,2025-02-04,\"Zoë\nBrontë\",Purple,risk,KPIs,,\n")
            == ["r.csv:3:9: outcome \"Purple\" is not Red, Amber or Green"])
        // An empty last field is located where it is, with or without a final line break.
        for end in ["", "\n"] {
            #expect(issues("contract_id,meeting_date,lead_officer,areas,outcome\nC-001,2025-02-04,Tom,risk," + end)
                == ["r.csv:2:27: outcome is empty (Red, Amber or Green)"])
        }
    }
}
