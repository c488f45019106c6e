import Foundation
import Testing

/// `cmrg history record|list|import` through the built binary, including two processes
/// writing to one history at the same time.
@Suite struct HistoryCommandTests {
    func freshHistory() throws -> String {
        try CLI.temporaryDirectory().appendingPathComponent("history.sqlite").path
    }

    func record(_ contract: String, _ meeting: String, into db: String, extra: [String] = []) throws -> CLI.Result {
        try CLI.run(["history", "record", "--contract", contract, "--meeting", meeting, "--lead", "Head of ICT",
                     "--outcome", "Amber", "--areas", "risk; managing performance", "--history", db] + extra)
    }

    @Test func recordThenListShowsTheReview() throws {
        let db = try freshHistory()
        let r = try record("C-009", "2026-11-03", into: db,
                           extra: ["--themes", "KPIs; benchmarking", "--follow-up", "2027-02-03", "--notes", "WAN costs, not benchmarked"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "recorded review 1: C-009 at the 2026-11-03 meeting (Amber) in \(db)\n")
        let csv = try CLI.run(["history", "list", "--format", "csv", "--history", db])
        #expect(csv.stdout == """
            contract_id,meeting_date,lead_officer,outcome,areas,themes,follow_up_date,notes
            C-009,2026-11-03,Head of ICT,Amber,managing performance; risk,KPIs; benchmarking,2027-02-03,"WAN costs, not benchmarked"

            """)
        let table = try CLI.run(["history", "list", "--history", db])
        #expect(table.stdout.hasPrefix("Meeting     Contract  Outcome  Lead officer  Follow-up   Themes              NAO areas\n"))
        #expect(table.stdout.hasSuffix("\n1 review of 1 contract\n"))
    }

    @Test func importListImportIsAFixedPoint() throws {
        let db = try freshHistory(), copy = try freshHistory()
        let first = try CLI.run(["history", "import", "samples/reviews.csv", "--history", db])
        #expect(first.stdout == "samples/reviews.csv: 16 reviews imported into \(db)\n")
        let again = try CLI.run(["history", "import", "samples/reviews.csv", "--history", db])
        #expect(again.stdout == "samples/reviews.csv: 0 reviews imported into \(db) (16 already recorded)\n")

        let listing = try CLI.run(["history", "list", "--format", "csv", "--history", db]).stdout
        let file = try CLI.temporaryDirectory().appendingPathComponent("listing.csv")
        try listing.write(to: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["history", "import", file.path, "--history", copy]).status == 0)
        #expect(try CLI.run(["history", "list", "--format", "csv", "--history", copy]).stdout == listing)
        let c004 = try CLI.run(["history", "list", "--contract", "C-004", "--format", "csv", "--history", db]).stdout
        #expect(c004.split(separator: "\n").map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
                == ["contract_id,meeting_date", "C-004,2024-11-12", "C-004,2025-11-04"])
    }

    @Test func badOptionsAreUsageErrorsNamingEachOption() throws {
        let r = try CLI.run(["history", "record", "--contract", "C-009", "--meeting", "2026-02-30", "--lead", "Head of ICT",
                             "--outcome", "Purple", "--areas", "risk; procurement", "--history", try freshHistory()])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("""
            Error: --meeting: meeting date "2026-02-30" is not a date (YYYY-MM-DD)
            --outcome: outcome "Purple" is not Red, Amber or Green
            --areas: "procurement" is not an NAO framework area (one of: planning & governance, people,
            """))
    }

    @Test func aSecondReviewAtTheSameMeetingIsAnInputError() throws {
        let db = try freshHistory()
        #expect(try record("C-009", "2026-11-03", into: db).status == 0)
        let r = try record("C-009", "2026-11-03", into: db)
        #expect(r.status == 3)
        #expect(r.stderr == "cmrg: C-009 already has a review at the 2026-11-03 meeting (review 1)\n")
    }

    @Test func importErrorsNameFileLineAndColumnAndWriteNothing() throws {
        let db = try freshHistory()
        let bad = try CLI.temporaryDirectory().appendingPathComponent("reviews.csv")
        try """
            contract_id,meeting_date,lead_officer,outcome,areas
            C-001,2026-01-13,Head of School Organisation,Amber,people
            C-002,2026-01-13,Head of School Organisation,Blue,people
            """.write(to: bad, atomically: true, encoding: .utf8)
        let r = try CLI.run(["history", "import", bad.path, "--history", db])
        #expect(r.status == 3)
        #expect(r.stderr == "cmrg: \(bad.path): 1 problem on 1 line\n\(bad.path):3:46: outcome \"Blue\" is not Red, Amber or Green\n")
        #expect(!FileManager.default.fileExists(atPath: db)) // checked before the database is opened

        let portfolio = try CLI.run(["history", "import", "samples/portfolio.csv", "--history", db])
        #expect(portfolio.status == 3)
        #expect(portfolio.stderr.hasPrefix("cmrg: samples/portfolio.csv: 2 problems on 1 line\nsamples/portfolio.csv:1:1: unknown columns \"id\", \"title\""))
        #expect(portfolio.stderr.hasSuffix("samples/portfolio.csv:1: missing columns \"contract_id\", \"meeting_date\", \"outcome\", \"areas\"\n"))

        let missing = try CLI.run(["history", "import", "nowhere.csv", "--history", db])
        #expect(missing.status == 4)
        #expect(missing.stderr == "cmrg: 'nowhere.csv' does not exist\n")
        let noDB = try CLI.run(["history", "list", "--history", "/nonexistent/h.sqlite"])
        #expect(noDB.status == 4)
    }

    /// Two writers at once, from a database neither has created yet: each runs `history
    /// record` many times in a row, and both import a file at the same moment. Nothing may
    /// be lost or fail.
    @Test func twoProcessesWritingAtOnceLoseNothing() async throws {
        let db = try freshHistory()
        let perWriter = 12
        let dir = try CLI.temporaryDirectory()
        for writer in 1...2 {
            let rows = (1...30).map { "W\(writer)-\($0),2026-06-30,Head of ICT,Green,risk,KPIs,," }
            try ("contract_id,meeting_date,lead_officer,outcome,areas,themes,follow_up_date,notes\n" + rows.joined(separator: "\n") + "\n")
                .write(to: dir.appendingPathComponent("w\(writer).csv"), atomically: true, encoding: .utf8)
        }
        // The register the recorded ids are checked against.
        let register = dir.appendingPathComponent("register.csv")
        try ("id,title\n" + (1...2).flatMap { w in (1...perWriter).map { "P\(w)-\($0),Contract P\(w)-\($0)" } }.joined(separator: "\n") + "\n")
            .write(to: register, atomically: true, encoding: .utf8)
        let failures = await withTaskGroup(of: [String].self) { group in
            for writer in 1...2 {
                group.addTask {
                    var failed: [String] = []
                    do {
                        for i in 1...perWriter {
                            let r = try record("P\(writer)-\(i)", "2026-11-03", into: db, extra: ["--portfolio", register.path])
                            if r.status != 0 { failed.append("record P\(writer)-\(i): \(r.status) \(r.stderr)") }
                        }
                        let r = try CLI.run(["history", "import", dir.appendingPathComponent("w\(writer).csv").path, "--history", db])
                        if r.status != 0 { failed.append("import w\(writer): \(r.status) \(r.stderr)") }
                    } catch {
                        failed.append("\(error)")
                    }
                    return failed
                }
            }
            var all: [String] = []
            for await f in group { all += f }
            return all
        }
        #expect(failures.isEmpty)
        let listing = try CLI.run(["history", "list", "--format", "csv", "--history", db]).stdout
        let ids = listing.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(ids.count == 2 * perWriter + 60)
        #expect(Set(ids).count == 2 * perWriter + 60)
    }
}
