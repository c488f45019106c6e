import Foundation
import Testing

/// Rule-defined flags (issue 15): the pack's optional `flags(c)`, checked like every result,
/// shown in evaluate (table column, CSV column, JSON field), explain and plan; the default
/// pack flags the Procurement Act 2023 KPI duties on the sample register.
@Suite struct RuleFlagsTests {
    let asOf = ["--as-of", "2026-12-03"]

    func run(_ arguments: [String]) throws -> CLI.Result {
        let r = try CLI.run(arguments + asOf)
        #expect(r.status == 0, "\(r.stderr)")
        return r
    }

    @Test func evaluateShowsTheSampleFlagsInEveryFormat() throws {
        let table = try run(["evaluate"]).stdout.split(separator: "\n").map(String.init)
        #expect(table[0].hasSuffix("Top factors                   Flags"))
        #expect(table.contains("   5  C-024  Carriageway resurfacing programme 2025-2028           Silver  126.6  expiry 35, value 25.6, memb…  KPI assessment overdue (due by 2026-10-15)"))
        #expect(table.contains("  15  C-073  Special school expansion - Greenfields Academy        Gold    110.7  expiry 35, risk 24, value 2…  only 2 KPIs recorded (3 required by 2026-03-02);"))
        #expect(table.contains(String(repeating: " ", count: 112) + "KPI assessment due by 2027-03-02"))
        #expect(table.last == "4 contracts flagged by the rules")

        let csv = try run(["evaluate", "--format", "csv"]).stdout.split(separator: "\n").map(String.init)
        #expect(csv[0] == "rank,id,title,tier,score,top_factors,flags")
        #expect(csv.filter { $0.hasSuffix(",") }.count == 73) // 77 contracts, 4 flagged
        #expect(csv.contains("63,C-017,Food waste anaerobic digestion,Silver,53.3,\"value 17.3, risk 16, complexity 10\",no KPIs recorded (3 required by 2026-04-01)"))

        let json = try JSONSerialization.jsonObject(with: Data(try run(["evaluate", "--format", "json"]).stdout.utf8)) as! [String: Any]
        let contracts = json["contracts"] as! [[String: Any]]
        let flagged = contracts.filter { !($0["flags"] as! [Any]).isEmpty }.map { $0["id"] as! String }
        #expect(flagged == ["C-024", "C-073", "C-007", "C-017"])
        let c073 = contracts.first { $0["id"] as? String == "C-073" }!["flags"] as! [[String: String]]
        #expect(c073 == [
            ["name": "kpis", "text": "only 2 KPIs recorded (3 required by 2026-03-02)", "due": "2026-03-02", "rule": "rules/flags.lua:42"],
            ["name": "kpi_assessment", "text": "KPI assessment due by 2027-03-02", "due": "2027-03-02", "rule": "rules/flags.lua:42"],
        ])

        let markdown = try run(["evaluate", "--format", "markdown"]).stdout
        #expect(markdown.hasPrefix("| Rank | ID | Title | Tier | Score | Top factors | Flags |\n|---:|---|---|---|---:|---|---|\n"))
        #expect(markdown.contains("| 17 | C-007 | ERP replacement - implementation partner | Gold | 104.6 | expiry 33.6, risk 32, audit -20 | KPI assessment due by 2027-01-05 |\n"))
    }

    @Test func explainAndPlanShowThem() throws {
        let explain = try run(["explain", "C-073"]).stdout
        #expect(explain.contains("""

            Flags (flags(c)):
              - only 2 KPIs recorded (3 required by 2026-03-02)  (kpis, due 2026-03-02)  [rules/flags.lua:42]
              - KPI assessment due by 2027-03-02  (kpi_assessment, due 2027-03-02)  [rules/flags.lua:42]

            """))
        #expect(try run(["explain", "C-001"]).stdout.contains("\nFlags (flags(c)):\n  none\n"))

        let plan = try run(["plan"]).stdout
        #expect(plan.contains("""
            Flags from the rules (4 contracts in this plan):
            ID     Contract                                        In the plan         Flag
            -----  ----------------------------------------------  ------------------  ---------------------------------------------------------------------------------
            C-024  Carriageway resurfacing programme 2025-2028     planned 2027-03-09  KPI assessment overdue (due by 2026-10-15)
            C-007  ERP replacement - implementation partner        planned 2027-08-24  KPI assessment due by 2027-01-05
            C-073  Special school expansion - Greenfields Academy  not planned         only 2 KPIs recorded (3 required by 2026-03-02); KPI assessment due by 2027-03-02
            C-017  Food waste anaerobic digestion                  not planned         no KPIs recorded (3 required by 2026-04-01)

            """))
        let json = try JSONSerialization.jsonObject(with: Data(try run(["plan", "--format", "json"]).stdout.utf8)) as! [String: Any]
        let reviews = (json["meetings"] as! [[String: Any]]).flatMap { $0["reviews"] as! [[String: Any]] }
        #expect((reviews.first { $0["id"] as? String == "C-007" }!["flags"] as! [[String: String]]).map { $0["due"] } == ["2027-01-05"])
        #expect(json["flagged_not_listed"] as? Int == 0)
    }

    @Test func aPackWithoutFlagsShowsNone() throws {
        let pack = try CLI.rulePack()
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        try FileManager.default.removeItem(at: pack.appendingPathComponent("flags.lua"))
        try FileManager.default.removeItem(at: pack.appendingPathComponent("tests/flags_test.lua"))
        let table = try run(["evaluate", "--rules", pack.path]).stdout
        #expect(!table.contains("Flags") && !table.contains("flagged"))
        #expect(try run(["evaluate", "--rules", pack.path, "--format", "csv"]).stdout.hasPrefix("rank,id,title,tier,score,top_factors,flags\n"))
        #expect(!(try run(["explain", "C-073", "--rules", pack.path]).stdout.contains("Flags")))
        #expect(!(try run(["plan", "--rules", pack.path]).stdout.contains("Flags from the rules")))
        // (settings.procurement_act is then read by no rule: check warns, exit 0.)
        #expect(try run(["check", "--rules", pack.path]).stdout.hasPrefix("\(pack.path): 3 rule files loaded; tier(c) and score(c) defined\n"))
    }

    /// Every wrong result stops the run at the rule line, naming the contract and what to do.
    @Test func wrongResultsAreRuleErrorsAtTheRuleLine() throws {
        let cases: [(String, String)] = [
            ("function flags(c)\n  return nil\nend", "zz_flags.lua:2: flags(c) returned nil; expected a list of flags (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in flags)\n  every path through flags(c) must end in return a list: return {} when there is nothing to flag"),
            ("function flags(c) return \"late\" end", "zz_flags.lua:1: flags(c) returned the string \"late\"; expected a list of flags (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in flags)\n  flags(c) must return a list such as { { name = \"…\", text = \"…\", due = \"YYYY-MM-DD\" } }, or {} for none"),
            ("function flags(c) return { { name = \"x\", text = \"y\", dew = \"2027-01-01\" } } end", "zz_flags.lua:1: flag 1 of flags(c) has the key 'dew' (did you mean 'due'?) (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in flags)\n  a flag has only name, text and due: { name = \"…\", text = \"…\", due = \"YYYY-MM-DD\" }"),
            ("function flags(c) return { { name = \"x\", text = \"y\", due = \"31/03/2027\" } } end", "zz_flags.lua:1: flag 1 of flags(c) has due \"31/03/2027\", which is not a date (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in flags)\n  due is a date \"YYYY-MM-DD\" or left out"),
            ("function flags(c) return { { name = \"x\" } } end", "zz_flags.lua:1: flag 1 of flags(c) has no text; expected some text (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in flags)\n  each flag needs a name and a text: { name = \"…\", text = \"…\", due = \"YYYY-MM-DD\" }"),
            ("function flags(c)\n  local out = {}\n  for i = 1, 21 do out[i] = { name = \"n\" .. i, text = \"t\" } end\n  return out\nend", "zz_flags.lua:4: flags(c) returned 21 flags; at most 20 per contract (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in flags)\n  say the same thing in fewer flags (a contract's flags are shown in every output)"),
            ("function flags(c) return { { name = string.rep(\"n\", 65), text = \"t\" } } end", "zz_flags.lua:1: flag 1 of flags(c) has a name of 65 bytes; at most 64 (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in flags)\n  keep flag names short: every output shows them"),
            ("flags = 3", "zz_flags.lua:1: flags is defined as number, not a function flags(c)"),
        ]
        for (source, message) in cases {
            let pack = try CLI.rulePack(adding: ["zz_flags.lua": source])
            defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
            for command in [["evaluate"], ["evaluate", "--format", "json"], ["plan"]] {
                let r = try CLI.run(command + ["--rules", pack.path] + asOf)
                #expect(r.status == 2, "\(command) \(source)")
                #expect(r.stdout == "")
                #expect(r.stderr == "cmrg: \(pack.path)/\(message)\n", "\(command)")
            }
            // cmrg check finds it before any run does.
            let check = try CLI.run(["check", "--rules", pack.path])
            #expect(check.status == 2, "check \(source)")
        }
    }

    /// A flag list kept in settings (a sealed, read-only table) reads as its contents.
    @Test func flagsFromSettingsReadThroughTheSeal() throws {
        let pack = try CLI.rulePack(adding: ["zz_flags.lua": """
            standing_flags = { { name = "pfi", text = "PFI hand-back survey due", due = "2027-09-01" } }
            function flags(c)
              if c.category == "PFI" then return standing_flags end
              return {}
            end
            """])
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let csv = try run(["evaluate", "--rules", pack.path, "--format", "csv"]).stdout
        #expect(csv.contains(",C-001,Schools PFI - Phase 1 (six secondary schools),Gold,") && csv.contains("PFI hand-back survey due (due 2027-09-01)\n"))
        #expect(csv.split(separator: "\n").filter { $0.hasSuffix("PFI hand-back survey due (due 2027-09-01)") }.count == 4)
    }
}
