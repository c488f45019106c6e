import Foundation
import Testing

/// `cmrg plan`'s table as a committee paper needs it (issue 15): one line per review, a review
/// group on one line, a short reason, `--why` for the rest, one Markdown table to paste.
@Suite struct PlanTableTests {
    let asOf = ["--as-of", "2026-12-03"]
    static let golden = CLI.repoRoot.appendingPathComponent("Tests/Golden/plan-2026-12-03.txt")

    func plan(_ extra: [String] = [], environment: [String: String] = [:]) throws -> String {
        let r = try CLI.run(["plan"] + asOf + extra, environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    /// Whether `lines` holds `line` (a failure shows only the line looked for).
    func has(_ lines: [String], _ line: String) -> Bool { lines.contains(line) }

    /// The whole table, read by a person before it was saved (CMRG_UPDATE_GOLDEN=1 rewrites it).
    @Test func theSampleTableMatchesTheReviewedGoldenFile() throws {
        let out = try plan()
        if ProcessInfo.processInfo.environment["CMRG_UPDATE_GOLDEN"] == "1" {
            try out.write(to: Self.golden, atomically: true, encoding: .utf8)
        }
        #expect(out == (try String(contentsOf: Self.golden, encoding: .utf8)))
    }

    @Test func oneLinePerReviewWithAShortReason() throws {
        let lines = try plan().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines[5...9]) == [
            "Meeting     ID     Contract                                      Tier    Lead officer                                   Review by   Reason",
            "----------  -----  --------------------------------------------  ------  ---------------------------------------------  ----------  ----------------------------",
            "2026-12-15  C-004  Waste PFI - Energy from Waste facility        Gold    Head of Waste Services                         2041-03-31  overdue follow-up (Amber)",
            "2026-12-15  C-023  Highways term maintenance contract            Gold    Head of Highways                               2028-03-31  overdue follow-up (Amber)",
            "2026-12-15  C-050  Leisure centres management (five centres)     Gold    Head of Culture and Leisure                    2031-03-31  overdue follow-up (Red)",
        ])
        #expect(has(lines, "2027-03-09  C-024  Carriageway resurfacing programme 2025-2028   Silver  Highways Asset Manager                         2027-06-30  member suggestion"))
        #expect(has(lines, "2027-07-13  C-054  Strategic property and estates partnership    Gold    Head of Property                               2027-12-31  Gold cycle: never reviewed"))
        #expect(has(lines, "2027-10-05  C-012  Waste transfer stations operation (north an…  Gold    Head of Waste Services                         2029-03-31  Gold cycle due"))
        // 27 reviews, 27 lines between the dashes and the blank line; no line over 160.
        let body = lines[7...].prefix { !$0.isEmpty }
        #expect(body.count == 27)
        #expect(lines.allSatisfy { $0.count <= 160 })
        #expect(!lines.contains { $0.contains("why:") })
        // The left-out table wraps its reason instead of cutting it.
        #expect(has(lines, "C-014  Household waste recycling centres management            Silver  125.4  cooldown: last reviewed 2026-08-11, next eligible 2027-08-11; suggestion has no"))
        #expect(has(lines, String(repeating: " ", count: 78) + "date: taken as answered by the 2026-08-11 review"))
    }

    @Test func whyAddsEveryReasonUnderItsLine() throws {
        let out = try plan(["--why"])
        #expect(out.contains("""
            2027-03-09  C-072  County Hall refurbishment - main contractor   Gold    Head of Property                               2026-06-30  late: review-by date passed
                        - suggested by Cllr J. Whitfield on 2026-05-12
                        - Gold: reviewed every 12 months; never reviewed
                        - score 137.1 (planned from 60)
                        - late: review-by was 2026-06-30, 12 months before the end date 2027-06-30
                        - risk 5
                        - ends in 7 months
            2027-03-09  C-024
            """))
    }

    @Test func markdownIsOneTableToPaste() throws {
        let md = try plan(["--format", "markdown"])
        #expect(md.components(separatedBy: "| Meeting |").count == 2)
        #expect(md.contains("""
            | Meeting | Contract | Title | Tier | Lead officer | Review by | Reason |
            |---|---|---|---|---|---|---|
            | 2026-12-15 | C-004 | Waste PFI - Energy from Waste facility | Gold | Head of Waste Services | 2041-03-31 | overdue follow-up (Amber) |
            """))
        #expect(md.contains("| 2027-03-09 | C-072 | County Hall refurbishment - main contractor | Gold | Head of Property | 2026-06-30 | late: review-by date passed |\n"))
        let why = try plan(["--format", "markdown", "--why"])
        #expect(why.contains("| Meeting | Contract | Title | Tier | Lead officer | Review by | Reason | Why |\n|---|---|---|---|---|---|---|---|\n"))
        #expect(why.contains("| late: review-by date passed | suggested by Cllr J. Whitfield on 2026-05-12; Gold: reviewed every 12 months; never reviewed; "))
    }

    @Test func jsonKeepsTheShortReasonBesideEveryReason() throws {
        let json = try JSONSerialization.jsonObject(with: Data(try plan(["--format", "json"]).utf8)) as! [String: Any]
        let reviews = (json["meetings"] as! [[String: Any]]).flatMap { $0["reviews"] as! [[String: Any]] }
        let c072 = try #require(reviews.first { $0["id"] as? String == "C-072" })
        #expect(c072["main_reason"] as? String == "late: review-by date passed")
        #expect((c072["reasons"] as? [String])?.count == 6)
        #expect(reviews.allSatisfy { ($0["main_reason"] as? String).map { !$0.isEmpty && $0.count <= 40 } ?? false })
    }

    /// A review group is one line: both ids, both titles, the most demanding tier, co-leads.
    @Test func aReviewGroupIsOneLine() throws {
        let register = try EvaluateCommandTests.register([
            "L-1,Enterprise licences,,,Head of ICT,,30000000,,2024-04-01,2029-03-31,,4,3,,,",
            "L-2,Finance system licences,,,Head of Finance Systems,,3000000,,2024-04-01,2029-03-31,,4,3,,,",
        ].map { $0 }, groupColumn: ["Licences", "Licences"])
        let r = try CLI.run(["plan", "--portfolio", register.path] + asOf)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(has(lines, "2026-12-15  L-1 + L-2  Enterprise licences / Finance system licences  Gold  Head of ICT; Head of Finance Systems  2028-03-31  Gold cycle: never reviewed"))
        #expect(lines.filter { $0.contains("L-2") }.count == 1)
    }
}

extension EvaluateCommandTests {
    /// A register with a `review_group` column: `groups[i]` for row i.
    static func register(_ rows: [String], groupColumn groups: [String]) throws -> URL {
        let file = try CLI.temporaryDirectory().appendingPathComponent("portfolio.csv")
        let lines = zip(rows, groups).map { "\($0),,\($1)\n" }.joined()
        try (header.dropLast() + ",member_suggested_on,review_group\n" + lines).write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
