import Foundation
import Testing

/// The review cycle as a CMRG runs it (issue 14), each numbered problem through the built
/// binary on the sample register as of 2026-12-03, with the exact lines the group reads.
@Suite struct ReviewCycleTests {
    let asOf = ["--as-of", "2026-12-03"]

    func plan(_ extra: [String] = [], format: String = "csv") throws -> String {
        let r = try CLI.run(["plan", "--format", format] + asOf + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    /// 1. A contract whose review-by date has passed is planned, marked late, and counted.
    @Test func aMissedReviewByDateIsPlannedLateNotDropped() throws {
        let table = try plan(format: "table")
        #expect(table.split(separator: "\n")[3]
                == "Late: 1 review past the review-by date; follow-ups: 10 (8 overdue); ended: 3 contracts listed, not planned; data gaps: 1 contract with no end date")
        let row = try #require(table.split(separator: "\n").first { $0.contains("  C-072  ") })
        #expect(row == "2027-03-09  C-072  County Hall refurbishment - main contractor   Gold    Head of Property                               2026-06-30  late: review-by date passed")
        #expect(try plan().contains("""
            planned,2027-03-09,C-072,County Hall refurbishment - main contractor,Gold,137.1,Head of Property,2026-06-30,"suggested by Cllr J. Whitfield on 2026-05-12; Gold: reviewed every 12 months; never reviewed; score 137.1 (planned from 60); late: review-by was 2026-06-30, 12 months before the end date 2027-06-30; risk 5; ends in 7 months"

            """))
    }

    /// 1. The policy may switch late reviews off per tier: then the contract is listed as missed.
    @Test func lateReviewsCanBeSwitchedOffPerTier() throws {
        let pack = try CLI.rulePack(editing: ["settings.lua": {
            $0.replacingOccurrences(of: "late_reviews = { Gold = true,", with: "late_reviews = { Gold = false,")
        }])
        let csv = try plan(["--rules", pack.path])
        #expect(csv.contains("""
            not planned,,C-072,County Hall refurbishment - main contractor,Gold,137.1,Head of Property,2026-06-30,deadline already missed: it had to be reviewed by 2026-06-30 to inform the decision due 2027-06-30

            """))
        let wrong = try CLI.rulePack(editing: ["settings.lua": {
            $0.replacingOccurrences(of: "late_reviews = { Gold = true,", with: "late_reviews = { Gold = \"yes\",")
              .replacingOccurrences(of: "follow_up_months = { Red = 3,", with: "follow_up_months = { Rde = 3,")
        }])
        let r = try CLI.run(["plan", "--rules", wrong.path] + asOf)
        #expect(r.status == 2)
        #expect(r.stderr == """
            cmrg: the rule pack's plan settings cannot be used:
              \(wrong.path)/settings.lua:82: settings.plan.late_reviews.Gold must be true or false, got "yes"
              \(wrong.path)/settings.lua:86: settings.plan.follow_up_months.Rde is not a review outcome (Red, Amber or Green)

            """)
        // cmrg check finds the same problems, at the same lines.
        let check = try CLI.run(["check", "--rules", wrong.path])
        #expect(check.status == 2)
        #expect(check.stdout.contains("""
            \(wrong.path)/settings.lua:82: error: settings.plan.late_reviews.Gold must be true or false, got "yes"
            \(wrong.path)/settings.lua:86: error: settings.plan.follow_up_months.Rde is not a review outcome (Red, Amber or Green)

            """))
    }

    /// 3. An overdue Red follow-up is planned at the first meeting and flagged; a Red review
    /// gives a different plan from a Green one.
    @Test func outcomesDriveTheNextPlan() throws {
        #expect(try plan().contains("""
            planned,2026-12-15,C-050,Leisure centres management (five centres),Gold,113.2,Head of Culture and Leisure,2031-03-31,"suggested by Cllr P. Gregory on 2026-09-15; OVERDUE follow-up of the 2026-06-30 review (Red), due 2026-09-30; Gold: reviewed every 12 months; last reviewed 2026-06-30, due 2027-06-30; score 113.2 (planned from 60); review by 2031-03-31, 12 months before the final end date 2032-03-31 (with extensions); risk 4; whole-life value £14,500,000"

            """))
        func recorded(_ outcome: String, followUp: [String]) throws -> String {
            let db = try CLI.temporaryDirectory().appendingPathComponent("history.sqlite").path
            defer { try? FileManager.default.removeItem(atPath: db) }
            #expect(try CLI.run(["history", "import", "samples/reviews.csv", "--history", db]).status == 0)
            #expect(try CLI.run(["history", "record", "--contract", "C-054", "--meeting", "2026-11-17", "--lead", "Head of Property",
                                 "--outcome", outcome, "--areas", "risk", "--history", db] + followUp).status == 0)
            return try plan(["--history", db])
        }
        let red = try recorded("Red", followUp: ["--follow-up", "2027-02-01"])
        let green = try recorded("Green", followUp: [])
        #expect(red != green)
        #expect(red.contains("planned,2027-01-26,C-054,Strategic property and estates partnership,Gold,113.4,Head of Property,2027-12-31,\"follow-up of the 2026-11-17 review (Red), due 2027-02-01; "))
        // Green: reviewed again once the 6-month cooldown is over, on score alone.
        #expect(green.contains("planned,2027-07-13,C-054,Strategic property and estates partnership,Gold,113.4,Head of Property,2027-12-31,\"score 113.4 (planned from 60); "))
    }

    /// 5. An undated member suggestion is answered by a later review, and the plan says so.
    @Test func memberSuggestionsLapse() throws {
        #expect(try plan().contains("""
            not planned,,C-014,Household waste recycling centres management,Silver,125.4,Head of Waste Services,2026-12-30,"cooldown: last reviewed 2026-08-11, next eligible 2027-08-11; suggestion has no date: taken as answered by the 2026-08-11 review"

            """))
    }

    /// 6. Ended contracts are listed, not planned; a contract with no end date is flagged.
    @Test func endedContractsAreListedAndMissingEndDatesAreDataGaps() throws {
        let csv = try plan()
        #expect(csv.contains("""
            not planned,,C-016,Green waste composting,Bronze,32.9,Waste Contracts Manager,,ended 2026-03-31; no successor in the register: check how the service is being provided

            """))
        #expect(csv.contains("""
            not planned,,C-077,Occupational health service,Silver,44.8,Head of HR,,capacity: all 9 meetings it could go to (2026-12-15 to 2027-11-16) are full

            """))
        for line in csv.split(separator: "\n") where line.hasPrefix("planned,") {
            #expect(!line.contains(",C-016,") && !line.contains(",C-052,") && !line.contains(",C-066,"))
        }
    }

    /// A copy of the sample register and its reviews.csv in a scratch directory (a fresh clone).
    func freshClone() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        for name in ["portfolio.csv", "reviews.csv"] {
            try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("samples/\(name)"),
                                             to: dir.appendingPathComponent(name))
        }
        return dir
    }

    /// 2. One history: list works on the CSV before any record, and the first record imports
    /// the CSV into the new database in the same transaction, so plan still sees every review.
    @Test func theFirstRecordKeepsTheBundledHistory() throws {
        let dir = try freshClone()
        defer { try? FileManager.default.removeItem(at: dir) }
        let register = dir.appendingPathComponent("portfolio.csv").path
        let before = try CLI.run(["history", "list", "--portfolio", register])
        #expect(before.status == 0)
        #expect(before.stderr == "cmrg: review history: \(dir.path)/reviews.csv (16 reviews, read into memory)\n")
        #expect(before.stdout.hasSuffix("\n16 reviews of 14 contracts\n"))

        let r = try CLI.run(["history", "record", "--contract", "C-073", "--meeting", "2026-11-17", "--lead", "Capital Programme Manager",
                             "--outcome", "green", "--areas", "planning and governance", "--portfolio", register, "--as-of", "2026-12-03"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "recorded review 17: C-073 at the 2026-11-17 meeting (Green) in \(dir.path)/cmrg.sqlite (after importing the 16 reviews of \(dir.path)/reviews.csv, the history in use until now)\n")

        let plan = try CLI.run(["plan", "--why", "--portfolio", register] + asOf)
        #expect(plan.stdout.split(separator: "\n")[2] == "Review history: \(dir.path)/cmrg.sqlite (17 reviews)")
        #expect(plan.stdout.contains("            - suggested by Cllr A. Shah on 2026-10-20\n            - follow-up of the 2026-09-22 review (Amber)"))
        #expect(!plan.stdout.contains("            - suggested by Cllr A. Shah on 2026-10-20\n            - Gold: reviewed every 12 months; never reviewed"))
        let after = try CLI.run(["history", "list", "--portfolio", register])
        #expect(after.stderr == "cmrg: review history: \(dir.path)/cmrg.sqlite (17 reviews)\n")
        #expect(after.stdout.hasSuffix("\n17 reviews of 15 contracts\n"))
    }

    /// 4. Records that can be trusted: the contract must be in the register (nearest ids
    /// suggested), the meeting must have happened; nothing is written otherwise.
    @Test func historyRecordRefusesUnknownContractsAndFutureMeetings() throws {
        let dir = try freshClone()
        defer { try? FileManager.default.removeItem(at: dir) }
        let register = dir.appendingPathComponent("portfolio.csv").path
        func record(_ contract: String, _ meeting: String) throws -> CLI.Result {
            try CLI.run(["history", "record", "--contract", contract, "--meeting", meeting, "--lead", "Head of ICT",
                         "--outcome", "Red", "--areas", "risk", "--portfolio", register, "--as-of", "2026-12-03"])
        }
        let unknown = try record("C-999", "2026-11-03")
        #expect(unknown.status == 3)
        #expect(unknown.stderr == "cmrg: --contract C-999 is not in the register \(register) (nearest: C-009, C-019, C-029)\n")
        let future = try record("C-073", "2027-05-15")
        #expect(future.status == 3)
        #expect(future.stderr == "cmrg: --meeting 2027-05-15 is after 2026-12-03: future reviews are planned (cmrg plan), not recorded\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("cmrg.sqlite").path))
        let area = try CLI.run(["history", "record", "--contract", "C-073", "--meeting", "2026-11-03", "--lead", "Head of ICT",
                                "--outcome", "Red", "--areas", "performance management", "--portfolio", register])
        #expect(area.status == 1)
        #expect(area.stderr.hasPrefix("Error: --areas: \"performance management\" is not an NAO framework area (did you mean \"managing performance\"? one of: planning & governance,"))
        let csv = try CLI.run(["history", "record", "--contract", "C-073", "--meeting", "2026-11-03", "--lead", "Head of ICT",
                               "--outcome", "Red", "--areas", "risk", "--history", "samples/reviews.csv"])
        #expect(csv.status == 1)
        #expect(csv.stderr.hasPrefix("Error: --history: reviews are recorded in an SQLite file, not a CSV (samples/reviews.csv)"))
    }

    /// 4. An amendment passes the checks a new record does (the same words, exit 3), and a
    /// refused one changes nothing.
    @Test func historyAmendIsCheckedAsRecordIs() throws {
        let dir = try freshClone()
        defer { try? FileManager.default.removeItem(at: dir) }
        let register = dir.appendingPathComponent("portfolio.csv").path
        let today = ["--portfolio", register, "--as-of", "2026-12-03"]
        #expect(try CLI.run(["history", "record", "--contract", "C-073", "--meeting", "2026-11-17", "--lead", "Capital Programme Manager",
                             "--outcome", "Amber", "--areas", "risk"] + today).status == 0)
        let future = try CLI.run(["history", "amend", "17", "--meeting", "2027-05-15"] + today)
        #expect(future.status == 3)
        #expect(future.stderr == "cmrg: --meeting 2027-05-15 is after 2026-12-03: future reviews are planned (cmrg plan), not recorded\n")
        let invalid = try CLI.run(["history", "amend", "17", "--outcome", "Purple", "--areas", "performance management"] + today)
        #expect(invalid.status == 3)
        #expect(invalid.stderr.hasPrefix("""
            cmrg: --outcome: outcome "Purple" is not Red, Amber or Green
            --areas: "performance management" is not an NAO framework area (did you mean "managing performance"?
            """))
        let other = dir.appendingPathComponent("other.csv")
        try "id,title\nC-070,Another contract\n".write(to: other, atomically: true, encoding: .utf8)
        let gone = try CLI.run(["history", "amend", "17", "--notes", "typo", "--portfolio", other.path,
                                "--history", dir.appendingPathComponent("cmrg.sqlite").path])
        #expect(gone.status == 3)
        #expect(gone.stderr == "cmrg: review 17 is of C-073, which is not in the register \(other.path) (nearest: C-070)\n")
        let badDate = try CLI.run(["history", "amend", "17", "--outcome", "Red", "--as-of", "03/12/2026", "--portfolio", register])
        #expect(badDate.status == 1)
        #expect(badDate.stderr.hasPrefix("Error: --as-of \"03/12/2026\" is not a date (YYYY-MM-DD)\n"))

        let listing = try CLI.run(["history", "list", "--contract", "C-073", "--format", "csv", "--portfolio", register]).stdout
        #expect(listing.hasSuffix("C-073,2026-11-17,Capital Programme Manager,Amber,risk,,,\n"))
        let fixed = try CLI.run(["history", "amend", "17", "--outcome", "Red", "--reason", "minutes corrected"] + today)
        #expect(fixed.stdout == "amended review 17 in \(dir.path)/cmrg.sqlite: outcome Amber → Red\n")
    }

    /// 4. A record can be corrected or removed, and the audit table says who did what and why.
    @Test func amendRemoveAndTheAuditLog() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("history.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: db) }
        let by = ["--history", db, "--by", "CMRG secretary"]
        #expect(try CLI.run(["history", "import", "samples/reviews.csv"] + by).status == 0)
        #expect(try CLI.run(["history", "record", "--contract", "C-073", "--meeting", "2026-11-17", "--lead", "Capital Programme Manager",
                             "--outcome", "AMBER", "--areas", "risk", "--as-of", "2026-12-03"] + by).stdout
                == "recorded review 17: C-073 at the 2026-11-17 meeting (Amber) in \(db)\n")
        let amend = try CLI.run(["history", "amend", "17", "--outcome", "Red", "--follow-up", "2027-02-01", "--reason", "minutes corrected"] + by)
        #expect(amend.stdout == "amended review 17 in \(db): outcome Amber → Red; follow_up_date (none) → 2027-02-01\n")
        let remove = try CLI.run(["history", "remove", "16", "--reason", "recorded against the wrong contract"] + by)
        #expect(remove.stdout == "removed review 16 (C-046 at the 2026-11-03 meeting) from \(db)\n")
        #expect(try CLI.run(["history", "remove", "16", "--reason", "again"] + by).status == 3)
        #expect(try CLI.run(["history", "remove", "15"] + by).status == 1)

        // Each line: ISO timestamp, who, what, why.
        let log = try CLI.run(["history", "log", "--history", db]).stdout.split(separator: "\n").map { $0.drop { $0 != " " } }
        #expect(log == [
            "  CMRG secretary  import: 16 reviews from samples/reviews.csv",
            "  CMRG secretary  record review 17: C-073 at the 2026-11-17 meeting (Amber)",
            "  CMRG secretary  amend review 17: C-073 2026-11-17: outcome Amber → Red; follow_up_date (none) → 2027-02-01 (why: minutes corrected)",
            "  CMRG secretary  remove review 16: C-046 at the 2026-11-03 meeting (Amber), led by Consultant in Public Health (why: recorded against the wrong contract)",
        ])
        let csv = try CLI.run(["history", "list", "--contract", "C-073", "--format", "csv", "--history", db]).stdout
        #expect(csv.hasSuffix("C-073,2026-11-17,Capital Programme Manager,Red,risk,,2027-02-01,\n"))
    }
}
