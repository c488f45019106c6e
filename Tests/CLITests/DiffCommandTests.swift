import Foundation
import Testing

/// `cmrg diff` through the built binary: the dry run of a rule change.
@Suite struct DiffCommandTests {
    /// Eight contracts around the default Gold value threshold (£10m).
    static let register = """
        id,title,supplier,directorate,lead_officer,category,value_total,value_annual,start_date,end_date,max_end_date,risk,complexity,strategic_importance,member_suggested,audit_planned
        A,Schools PFI,,,,,180000000,,,,,2,3,,,
        B,Waste Transfer Stations,,,,,12000000,,,,,4,3,,,
        C,Highways Term Maintenance,,,,,8000000,,,,,4,2,,,
        D,IT Managed Service,,,,,6000000,,,,,2,5,,,
        E,Leisure Centres,,,,,7000000,,,,,2,2,,,
        F,Youth Services,,,,,400000,,,,,,,,,
        G,Grounds Maintenance,,,,,90000,,,,,1,1,,,
        H,Libraries Stock,,,,,3000000,,,,,1,1,,,

        """

    static func portfolio(in dir: URL? = nil) throws -> URL {
        let file = (try dir ?? CLI.temporaryDirectory()).appendingPathComponent("portfolio.csv")
        try register.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func settingsEdit(_ old: String, _ new: String) -> [String: (String) -> String] {
        ["settings.lua": { text in
            let edited = text.replacingOccurrences(of: old, with: new)
            precondition(edited != text, "edit did not apply: \(old)")
            return edited
        }]
    }

    let options = ["--as-of", "2026-11-25", "--top", "3"]

    @Test func loweringTheGoldThresholdShowsEachTierChangeAndExits10() throws {
        let p = try Self.portfolio()
        let proposed = try CLI.rulePack(editing: Self.settingsEdit("gold_value   = 10000000", "gold_value   =  5000000"))
        let r = try CLI.run(["diff", "--base", "rules", "--rules", proposed.path, "--portfolio", p.path] + options)
        #expect(r.status == 10, "\(r.stderr)")
        let dir = p.deletingLastPathComponent().path
        #expect(r.stderr == "cmrg: note: no review history (\(dir)/cmrg.sqlite or \(dir)/reviews.csv): planning as if no contract was ever reviewed\n")
        #expect(r.stdout.hasPrefix("Rule change: rules (before) → \(proposed.path) (after)\n8 contracts from \(p.path), as of 2026-11-25\n"))
        #expect(r.stdout.contains("""
            What changed in the rules:
              settings.lua changed
              settings.tier.gold_value: 10000000 → 5000000

            Tiers (rows: before, columns: after):
              before \\ after  Gold  Silver  Bronze  total
              Gold               2       0       0      2
              Silver             2       1       0      3
              Bronze             0       1       2      3
              total              4       2       2      8

            3 contracts change tier:
              C  Highways Term Maintenance  Silver → Gold
                before: Silver: high risk  [rules/tiering.lua:41]
                after:  Gold: high value and risk  [\(proposed.path)/tiering.lua:37]
              D  IT Managed Service  Silver → Gold
            """))
        #expect(r.stdout.contains("  E  Leisure Centres  Bronze → Silver\n    before: Bronze: not high on value, risk or complexity  [rules/tiering.lua:48]\n"))
        // E becomes Silver, and Silver contracts are reviewed every two years: one more review.
        #expect(r.stdout.hasSuffix("""
            Top 3: same contracts.

            Forward plan: 1 added, 0 removed, 0 moved (5 → 6 reviews).
              added    E  Leisure Centres  2027-01-26

            Decisions change: 3 tier changes, the forward plan changes (exit status 10).

            """))
    }

    @Test func aWeightChangeListsRankMovementsAndTopChanges() throws {
        let p = try Self.portfolio()
        let proposed = try CLI.rulePack(editing: Self.settingsEdit("complexity = 5,   --", "complexity = 15,  --"))
        let r = try CLI.run(["diff", "--base", "rules", "--rules", proposed.path, "--portfolio", p.path] + options)
        #expect(r.status == 10, "\(r.stderr)")
        #expect(r.stdout.contains("""
            No contract changes tier.

            Priority: 6 scores change, 3 contracts change rank; largest movements:
              ID  Title                      Score              Rank            Main changes
              D   IT Managed Service         45.8 → 85.8 (+40)  4 → 1 (up 3)    complexity +40
              C   Highways Term Maintenance  48 → 58 (+10)      2 → 4 (down 2)  complexity +10
              B   Waste Transfer Stations    54.8 → 74.8 (+20)  1 → 2 (down 1)  complexity +20

            Top 3: 1 enters, 1 leaves.
              enters  D  IT Managed Service  rank 4 → 1  (complexity +40)
              leaves  C  Highways Term Maintenance  rank 2 → 4  (complexity +10)

            Forward plan: 0 added, 0 removed, 2 moved (5 → 5 reviews).
              moved    D  IT Managed Service  2027-01-26 → 2026-12-15
              moved    C  Highways Term Maintenance  2026-12-15 → 2027-01-26

            Decisions change: top 3 changes, the forward plan changes (exit status 10).

            """))
    }

    @Test func scoreMovesWithoutDecisionChangesExitZero() throws {
        let p = try Self.portfolio()
        let proposed = try CLI.rulePack(editing: Self.settingsEdit("value      = 30,  --", "value      = 31,  --"))
        let r = try CLI.run(["diff", "--base", "rules", "--rules", proposed.path, "--portfolio", p.path] + options)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Priority: 7 scores change, 2 contracts change rank; largest movements:\n"))
        #expect(r.stdout.hasSuffix("Top 3: same contracts.\n\nForward plan: same reviews at the same meetings (5 reviews).\n\nDecisions unchanged (exit status 0).\n"))
        let same = try CLI.run(["diff", "--base", "rules", "--portfolio", p.path] + options)
        #expect(same.status == 0)
        #expect(same.stdout.contains("What changed in the rules:\n  nothing: the two rule packs are identical\n"))
        #expect(same.stdout.contains("Priority: 0 scores change, 0 contracts change rank.\n"))
    }

    @Test func plansAreNotComparedWhenAPackHasNoPlanSettings() throws {
        let p = try Self.portfolio()
        let noPlan = try CLI.rulePack(editing: ["settings.lua": { text in
            let start = text.range(of: "settings.plan = {")!
            let end = text.range(of: "\n}\n", range: start.upperBound..<text.endIndex)!
            return String(text[..<start.lowerBound] + text[end.upperBound...])
        }])
        let r = try CLI.run(["diff", "--base", "rules", "--rules", noPlan.path, "--portfolio", p.path] + options)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\nForward plan: not compared (\(noPlan.path) defines no settings.plan).\n"))
        #expect(r.stdout.contains("  settings.plan.capacity: removed (was 3)\n"))

        let proposed = try CLI.rulePack(editing: Self.settingsEdit("gold_value   = 10000000", "gold_value   =  5000000"))
        let skipped = try CLI.run(["diff", "--base", "rules", "--rules", proposed.path, "--portfolio", p.path, "--no-plan"] + options)
        #expect(skipped.status == 10)
        #expect(skipped.stderr.isEmpty) // no history is looked for
        #expect(skipped.stdout.hasSuffix("Forward plan: not compared (--no-plan).\n\nDecisions change: 3 tier changes (exit status 10).\n"))
    }

    @Test func aBrokenNewPackExits2WithItsFileAndLine() throws {
        let p = try Self.portfolio()
        let broken = try CLI.rulePack(editing: ["tiering.lua": { $0.replacingOccurrences(of: "return \"Silver\"\n", with: "return \"Silver\" +\n") }])
        let r = try CLI.run(["diff", "--base", "rules", "--rules", broken.path, "--portfolio", p.path] + options)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("cmrg: \(broken.path)/tiering.lua:43: "))
        #expect(r.stdout.isEmpty)
        let failing = try CLI.rulePack(editing: ["tiering.lua": { $0.replacingOccurrences(of: "  local t = settings.tier\n", with: "  local t = settings.teir\n") }])
        let r2 = try CLI.run(["diff", "--base", "rules", "--rules", failing.path, "--portfolio", p.path] + options)
        #expect(r2.status == 2)
        #expect(r2.stderr == "cmrg: \(failing.path)/tiering.lua:14: settings.teir does not exist (did you mean tier?) (contract A \"Schools PFI\", in tier)\n")
    }

    @Test func jsonAndMarkdownAreDeterministic() throws {
        let p = try Self.portfolio()
        let proposed = try CLI.rulePack(editing: Self.settingsEdit("gold_value   = 10000000", "gold_value   =  5000000"))
        let args = ["diff", "--base", "rules", "--rules", proposed.path, "--portfolio", p.path, "--format", "json"] + options
        let first = try CLI.run(args), second = try CLI.run(args + ["--jobs", "2"])
        #expect(first.status == 10 && first.stdout == second.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any]
        #expect(json["decisions_changed"] as? Bool == true)
        let provenance = json["provenance"] as! [String: String]
        #expect(provenance["base_rules"] == "rules" && provenance["rules"] == proposed.path)
        #expect(provenance["rules_sha256"]?.count == 64 && provenance["rules_sha256"] != provenance["base_rules_sha256"])
        let changes = json["tier_changes"] as! [[String: Any]]
        #expect(changes.map { $0["id"] as! String } == ["C", "D", "E"])
        let transitions = json["tier_transitions"] as! [[String: Any]]
        #expect(transitions.contains { $0["before"] as? String == "Silver" && $0["after"] as? String == "Gold" && $0["count"] as? Int == 2 })
        let plan = json["plan"] as! [String: Any]
        #expect(plan["compared"] as? Bool == true)
        #expect((plan["added"] as! [[String: Any]]).map { $0["id"] as! String } == ["E"])
        #expect((plan["added"] as! [[String: Any]]).first?["meeting_after"] as? String == "2027-01-26")

        let md = try CLI.run(["diff", "--base", "rules", "--rules", proposed.path, "--portfolio", p.path, "--format", "markdown"] + options)
        #expect(md.status == 10)
        #expect(md.stdout.contains("| Silver | 2 | 1 | 0 | 3 |\n"))
        #expect(md.stdout.contains("| C | Highways Term Maintenance | Silver → Gold | Silver: high risk  [rules/tiering.lua:41] |"))
    }

    @Test func gitBaseComparesTheWorkingCopyWithTheCommittedRules() throws {
        let repo = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("rules"), to: repo.appendingPathComponent("rules"))
        _ = try Self.portfolio(in: repo)
        for args in [["init", "-q"], ["add", "rules"], ["-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qm", "adopted"]] {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            git.arguments = ["git", "-C", repo.path] + args
            try git.run()
            git.waitUntilExit()
            try #require(git.terminationStatus == 0)
        }
        let settings = repo.appendingPathComponent("rules/settings.lua")
        try (try String(contentsOf: settings, encoding: .utf8)).replacingOccurrences(of: "gold_value   = 10000000", with: "gold_value   =  5000000")
            .write(to: settings, atomically: true, encoding: .utf8)

        let r = try CLI.run(["diff", "--base", "git:HEAD", "--portfolio", "portfolio.csv"] + options, in: repo)
        #expect(r.status == 10, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Rule change: HEAD:rules (before) → rules (after)\n"))
        #expect(r.stdout.contains("  settings.tier.gold_value: 10000000 → 5000000\n"))
        #expect(r.stdout.contains("    before: Silver: high risk  [HEAD:rules/tiering.lua:41]\n"))

        let unknown = try CLI.run(["diff", "--base", "git:no-such-tag", "--portfolio", "portfolio.csv"] + options, in: repo)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("cmrg: --base git:no-such-tag: unknown git revision 'no-such-tag' in "))

        let outside = try CLI.temporaryDirectory()
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("rules"), to: outside.appendingPathComponent("rules"))
        let noRepo = try CLI.run(["diff", "--base", "git:HEAD", "--rules", "rules", "--portfolio", repo.appendingPathComponent("portfolio.csv").path] + options, in: outside)
        #expect(noRepo.status == 1)
        #expect(noRepo.stderr == "cmrg: --base git:HEAD: 'rules' is not inside a git repository\n")
    }

    @Test func helpDocumentsTheExitStatuses() throws {
        let r = try CLI.run(["diff", "--help"])
        #expect(r.status == 0)
        let text = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Exit status: 0 when no decision changes (scores may move), 10 when a tier, the top-N list or the forward plan changes,"))
    }
}
