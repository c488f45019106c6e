import Foundation
import Testing

/// `cmrg plan` through the built binary on the sample register and past reviews.
@Suite struct PlanCommandTests {
    let asOf = ["--as-of", "2026-11-25"]
    static let golden = CLI.repoRoot.appendingPathComponent("Tests/Golden/plan-2026-11-25.txt")

    /// The sample plan, read by a person before it was saved: set CMRG_UPDATE_GOLDEN=1 to
    /// rewrite it after a deliberate change, and read the diff.
    @Test func theSamplePlanMatchesTheReviewedGoldenFile() throws {
        let r = try CLI.run(["plan"] + asOf)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        if ProcessInfo.processInfo.environment["CMRG_UPDATE_GOLDEN"] == "1" {
            try r.stdout.write(to: Self.golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(r.stdout == expected)
        #expect(r.stdout.hasPrefix("""
            Forward review plan, 2026-11-25 to 2027-11-24 (as of 2026-11-25)
            9 meetings, 27 seats: 27 reviews planned,
            """))
    }

    @Test func jsonIsByteIdenticalAndConsistent() throws {
        let args = ["plan", "--format", "json"] + asOf
        let first = try CLI.run(args), second = try CLI.run(args + ["--jobs", "1"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any]
        let provenance = json["provenance"] as! [String: String]
        #expect(provenance["history"] == "samples/reviews.csv (16 reviews, read into memory)")
        #expect(provenance["rules_sha256"]?.count == 64)
        let meetings = json["meetings"] as! [[String: Any]]
        #expect(meetings.map { $0["date"] as! String }.first == "2026-12-15")
        #expect(meetings.count == 9)
        var planned: Set<String> = []
        for meeting in meetings {
            let reviews = meeting["reviews"] as! [[String: Any]]
            #expect(reviews.filter { $0["shares_seat"] as? Bool != true }.count <= meeting["capacity"] as! Int)
            for review in reviews {
                planned.insert(review["id"] as! String)
                if let by = review["review_by"] as? String, review["late"] as? Bool != true {
                    let date = meeting["date"] as! String
                    #expect(date <= by)
                }
            }
        }
        let notPlanned = json["not_planned"] as! [[String: Any]]
        #expect(planned.isDisjoint(with: notPlanned.map { $0["id"] as! String }))
        #expect(Set(notPlanned.map { $0["why"] as! String }).isSubset(of: [
            "capacity", "cooldown", "deadline_missed", "deadline_too_close", "audit_deferred", "below_threshold", "officer_overloaded",
            "ended"]))
        #expect(notPlanned.first { $0["id"] as! String == "C-033" }?["why"] as? String == "audit_deferred")
    }

    @Test func csvAndMarkdownCarryTheSamePlan() throws {
        let csv = try CLI.run(["plan", "--format", "csv"] + asOf).stdout.split(separator: "\n")
        #expect(csv[0] == "status,meeting,id,title,tier,score,lead_officer,review_by,reasons")
        #expect(csv.filter { $0.hasPrefix("planned,") }.count == 27)
        #expect(csv[1].hasPrefix("planned,2026-12-15,C-004,Waste PFI - Energy from Waste facility,Gold,127,Head of Waste Services,2041-03-31,\"suggested by Cllr A. Shah on 2026-10-06; OVERDUE follow-up of the 2025-11-04 review (Amber), due 2026-05-04; "))
        let markdown = try CLI.run(["plan", "--format", "markdown"] + asOf).stdout
        #expect(markdown.hasPrefix("# Forward review plan, 2026-11-25 to 2027-11-24 (as of 2026-11-25)\n"))
        #expect(markdown.contains("\n| Meeting | Contract | Title | Tier | Lead officer | Review by | Reason |\n|---|---|---|---|---|---|---|\n| 2026-12-15 | C-004 | Waste PFI - Energy from Waste facility | Gold | Head of Waste Services | 2041-03-31 | overdue follow-up (Amber) |\n"))
        #expect(markdown.components(separatedBy: "| Meeting |").count == 2) // one table of reviews
        #expect(markdown.contains("\n## Not planned\n"))
    }

    @Test func aRecordedReviewStartsTheCooldown() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("history.sqlite").path
        #expect(try CLI.run(["history", "import", "samples/reviews.csv", "--history", db]).status == 0)
        let fromCSV = try CLI.run(["plan", "--format", "csv"] + asOf).stdout
        let fromDB = try CLI.run(["plan", "--format", "csv", "--history", db] + asOf).stdout
        #expect(fromDB == fromCSV)

        #expect(try CLI.run(["history", "record", "--contract", "C-073", "--meeting", "2026-11-03", "--lead", "Capital Programme Manager",
                             "--outcome", "Green", "--areas", "planning & governance", "--history", db]).status == 0)
        let after = try CLI.run(["plan", "--format", "csv", "--history", db] + asOf).stdout
        #expect(!after.contains("planned,2026-12-15,C-073"))
        #expect(after.contains("not planned,,C-073,Special school expansion - Greenfields Academy,Gold,110.7,Capital Programme Manager,2026-12-17,\"cooldown: last reviewed 2026-11-03, next eligible 2027-05-03\"\n"))
    }

    @Test func badPlanSettingsAreRuleErrorsNamingTheSetting() throws {
        let pack = try CLI.rulePack(editing: ["settings.lua": {
            $0.replacingOccurrences(of: "capacity = 3,", with: "capacity = -1,")
              .replacingOccurrences(of: "audit = \"defer\",", with: "audit = \"skip\",")
        }])
        let r = try CLI.run(["plan", "--rules", pack.path] + asOf)
        #expect(r.status == 2)
        #expect(r.stderr == """
            cmrg: the rule pack's plan settings cannot be used:
              \(pack.path)/settings.lua:59: settings.plan.capacity must be a positive whole number, got -1
              \(pack.path)/settings.lua:90: settings.plan.audit must be "defer" or "joint", got "skip"

            """)
    }

    @Test func historyOptionsAndNotes() throws {
        let badFrom = try CLI.run(["plan", "--from", "2026-02-30"] + asOf)
        #expect(badFrom.status == 1)
        #expect(badFrom.stderr.hasPrefix("Error: --from \"2026-02-30\" is not a date (YYYY-MM-DD)"))

        let missing = try CLI.run(["plan", "--history", "/nonexistent/h.sqlite"] + asOf)
        #expect(missing.status == 4)
        #expect(missing.stderr == "cmrg: no review history at '/nonexistent/h.sqlite' (record or import reviews first, or pass --history)\n")

        // A register in a directory without history: planned as if nothing was ever reviewed.
        let dir = try CLI.temporaryDirectory()
        let register = dir.appendingPathComponent("portfolio.csv")
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("samples/portfolio.csv"), to: register)
        let bare = try CLI.run(["plan", "--portfolio", register.path] + asOf)
        #expect(bare.status == 0)
        #expect(bare.stderr == "cmrg: note: no review history (\(dir.path)/cmrg.sqlite or \(dir.path)/reviews.csv): planning as if no contract was ever reviewed\n")

        // Reviews of contracts the register does not have are pointed out.
        let reviews = dir.appendingPathComponent("reviews.csv")
        try "contract_id,meeting_date,lead_officer,outcome,areas\nC-999,2026-01-13,Head of ICT,Green,risk\n"
            .write(to: reviews, atomically: true, encoding: .utf8)
        let stranger = try CLI.run(["plan", "--portfolio", register.path] + asOf)
        #expect(stranger.stderr == "cmrg: note: the review history has reviews of 1 contract not in \(register.path): C-999\n")
    }
}
