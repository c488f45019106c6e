import Foundation
import Testing

/// `cmrg evaluate` and `cmrg explain` through the built binary, as a user runs them.
@Suite struct EvaluateCommandTests {
    static let header = "id,title,supplier,directorate,lead_officer,category,value_total,value_annual,start_date,end_date,max_end_date,risk,complexity,strategic_importance,member_suggested,audit_planned\n"

    /// A small canonical register in a temporary directory.
    static func register(_ rows: [String], name: String = "portfolio.csv") throws -> URL {
        let file = try CLI.temporaryDirectory().appendingPathComponent(name)
        try (header + rows.map { $0 + "\n" }.joined()).write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static let rows = [
        "C-001,Schools PFI,,,Head of Education,,180000000,,2005-04-01,2031-03-31,,2,3,,,",
        "C-017,Waste Transfer Stations,,,Head of Waste Services,,12000000,,2019-10-01,2027-09-30,,4,3,,,",
        "C-030,Youth Services,,,Head of Youth Services,,400000,,2024-02-01,2027-01-31,,,,,Cllr A. Shah,",
        "C-041,Grounds Maintenance,,,Head of Street Scene,,90000,,2025-04-01,2029-03-31,,1,1,,,2026/27",
    ]

    let asOf = ["--as-of", "2026-11-25"]

    @Test func tableIsRankedAndSummarised() throws {
        let p = try Self.register(Self.rows)
        let r = try CLI.run(["evaluate", "--portfolio", p.path] + asOf)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("Rank  ID     Title"))
        #expect(lines[2].contains("C-017") && lines[2].contains("Gold"))
        #expect(lines.contains("4 contracts: 2 Gold, 1 Silver, 1 Bronze (as of 2026-11-25)"))
        #expect(lines.allSatisfy { $0.count <= 120 })
        let narrow = try CLI.run(["evaluate", "--portfolio", p.path, "--width", "80"] + asOf)
        #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func csvHasOneRowPerContractInRankOrder() throws {
        let p = try Self.register(Self.rows)
        let r = try CLI.run(["evaluate", "--portfolio", p.path, "--format", "csv"] + asOf)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "rank,id,title,tier,score,top_factors,flags")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("1,C-017,Waste Transfer Stations,Gold,89.8,"))
        #expect(lines.last!.hasPrefix("4,C-041,Grounds Maintenance,Bronze,"))
    }

    @Test func jsonCarriesProvenanceAndIsByteIdentical() throws {
        let p = try Self.register(Self.rows)
        let args = ["evaluate", "--portfolio", p.path, "--format", "json"] + asOf
        let first = try CLI.run(args), second = try CLI.run(args + ["--jobs", "2"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any]
        let provenance = json["provenance"] as! [String: String]
        #expect(provenance["as_of"] == "2026-11-25")
        #expect(provenance["input"] == p.path)
        #expect(provenance["input_sha256"]?.count == 64)
        #expect(provenance["rules_sha256"]?.count == 64)
        let contracts = json["contracts"] as! [[String: Any]]
        #expect(contracts.map { $0["id"] as! String } == ["C-017", "C-030", "C-001", "C-041"])
        let factors = contracts[0]["factors"] as! [[String: Any]]
        #expect(factors.contains { ($0["name"] as? String) == "risk" && ($0["rule"] as? String) == "rules/priority.lua:43" })
    }

    @Test func markdownIsATable() throws {
        let p = try Self.register(Self.rows)
        let r = try CLI.run(["evaluate", "--portfolio", p.path, "--format", "markdown"] + asOf)
        #expect(r.stdout.hasPrefix("| Rank | ID | Title | Tier | Score | Top factors |\n|---:|---|---|---|---:|---|\n| 1 | C-017 | Waste Transfer Stations | Gold | 89.8 |"))
        #expect(r.stdout.contains("As of 2026-11-25. Rules `rules` sha256 `"))
    }

    @Test func resultsDoNotDependOnRowOrder() throws {
        let forward = try Self.register(Self.rows)
        let backward = try Self.register(Self.rows.reversed(), name: "portfolio.csv")
        let a = try CLI.run(["evaluate", "--portfolio", forward.path, "--format", "csv"] + asOf)
        let b = try CLI.run(["evaluate", "--portfolio", backward.path, "--format", "csv"] + asOf)
        #expect(a.status == 0 && a.stdout == b.stdout)
    }

    @Test func outputFileIsWrittenWholeAndNothingOnFailure() throws {
        let p = try Self.register(Self.rows)
        let dir = try CLI.temporaryDirectory()
        let out = dir.appendingPathComponent("ranked.csv")
        let ok = try CLI.run(["evaluate", "--portfolio", p.path, "--format", "csv", "--output", out.path] + asOf)
        #expect(ok.status == 0 && ok.stdout.isEmpty)
        #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("rank,id,title"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["ranked.csv"])

        let broken = try CLI.rulePack(adding: ["zz.lua": "function score(c) return c.nothing + 1 end\n"])
        let failed = dir.appendingPathComponent("failed.csv")
        let r = try CLI.run(["evaluate", "--rules", broken.path, "--portfolio", p.path, "--output", failed.path] + asOf)
        #expect(r.status == 2)
        #expect(!FileManager.default.fileExists(atPath: failed.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["ranked.csv"])

        let nowhere = try CLI.run(["evaluate", "--portfolio", p.path, "--output", "/nonexistent/dir/out.txt"] + asOf)
        #expect(nowhere.status == 4)
        #expect(nowhere.stderr.hasPrefix("cmrg: cannot write '/nonexistent/dir/out.txt': "))
    }

    // MARK: rule errors: exit 2, file:line, contract and entry point

    @Test func runtimeErrorNamesRuleLineAndContract() throws {
        let p = try Self.register(Self.rows)
        let rules = try CLI.rulePack(editing: ["priority.lua": {
            $0.replacingOccurrences(of: "  local total = 0\n", with: "  local total = 0\n  if c.id == 'C-017' then total = total + c.extra_risk end\n")
        }])
        let r = try CLI.run(["evaluate", "--rules", rules.path, "--portfolio", p.path] + asOf)
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: \(rules.path)/priority.lua:40: the contract has no field 'extra_risk'; extra register columns are under c.extra (contract C-017 \"Waste Transfer Stations\", in score)\n")
        #expect(r.stdout.isEmpty)
    }

    @Test func wrongReturnValuesAreRuleErrors() throws {
        let p = try Self.register(Self.rows)
        let badTier = try CLI.rulePack(adding: ["zz.lua": "function tier(c) return 'gold' end\n"])
        let r1 = try CLI.run(["evaluate", "--rules", badTier.path, "--portfolio", p.path] + asOf)
        #expect(r1.status == 2)
        #expect(r1.stderr == """
            cmrg: \(badTier.path)/zz.lua:1: tier(c) returned "gold" (contract C-001 "Schools PFI", in tier)
              tier names are case-sensitive: "Gold", "Silver" or "Bronze"

            """)
        let badScore = try CLI.rulePack(adding: ["zz.lua": "function score(c) return 1/0 end\n"])
        let r2 = try CLI.run(["evaluate", "--rules", badScore.path, "--portfolio", p.path] + asOf)
        #expect(r2.status == 2)
        #expect(r2.stderr == """
            cmrg: \(badScore.path)/zz.lua:1: score(c) returned inf; expected a finite number (contract C-001 "Schools PFI", in score)
              an infinite score comes from a division by zero or a huge power: check the divisions

            """)
        let noScore = try CLI.rulePack()
        try FileManager.default.removeItem(at: noScore.appendingPathComponent("priority.lua"))
        let r3 = try CLI.run(["evaluate", "--rules", noScore.path, "--portfolio", p.path] + asOf)
        #expect(r3.status == 2)
        #expect(r3.stderr == "cmrg: the rule pack in '\(noScore.path)' does not define a function score(c)\n")
    }

    @Test func hostileRulesAreStoppedWithoutTouchingFiles() throws {
        let p = try Self.register(Self.rows)
        let marker = try CLI.temporaryDirectory().appendingPathComponent("pwned")
        let loop = try CLI.rulePack(adding: ["zz.lua": "function score(c)\n  while true do pcall(error) end\nend\n"])
        let r1 = try CLI.run(["evaluate", "--rules", loop.path, "--portfolio", p.path, "--max-instructions", "2000000"] + asOf)
        #expect(r1.status == 2)
        #expect(r1.stderr.hasPrefix("cmrg: \(loop.path)/zz.lua:2: instruction limit of 2000000 exceeded (an endless loop?) (contract C-001 \"Schools PFI\", in score)"))
        let escape = try CLI.rulePack(adding: ["zz.lua": "function score(c) os.execute('touch \(marker.path)') return 1 end\n"])
        let r2 = try CLI.run(["evaluate", "--rules", escape.path, "--portfolio", p.path] + asOf)
        #expect(r2.status == 2)
        #expect(r2.stderr == "cmrg: \(escape.path)/zz.lua:1: 'os' is not available to rules (no files, operating system, modules or debug library) (contract C-001 \"Schools PFI\", in score)\n")
        let file = try CLI.rulePack(adding: ["zz.lua": "function score(c) return #io.open('\(marker.path)', 'w') end\n"])
        let r3 = try CLI.run(["evaluate", "--rules", file.path, "--portfolio", p.path] + asOf)
        #expect(r3.status == 2)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    // MARK: input and usage errors

    @Test func missingPortfolioIsAnIOError() throws {
        let r = try CLI.run(["evaluate", "--portfolio", "/nonexistent/register.csv"] + asOf)
        #expect(r.status == 4)
        #expect(r.stderr.hasPrefix("cmrg: "))
        #expect(r.stderr.contains("/nonexistent/register.csv"))
    }

    @Test func badAsOfIsAUsageError() throws {
        let r = try CLI.run(["evaluate", "--as-of", "25/11/2026"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("--as-of \"25/11/2026\" is not a date (YYYY-MM-DD)"))
    }

    // MARK: explain

    @Test func explainShowsFieldsTierPathAndFactorLines() throws {
        let p = try Self.register(Self.rows)
        let r = try CLI.run(["explain", "C-017", "--portfolio", p.path] + asOf)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("C-017 — Waste Transfer Stations\nTier Gold, score 89.8, rank 1 of 4 (as of 2026-11-25)\n"))
        #expect(r.stdout.contains("  value_total           £12,000,000\n"))
        #expect(r.stdout.contains("  strategic_importance  nil (not given)\n"))
        #expect(r.stdout.contains("  - Gold: high value and risk  [rules/tiering.lua:"))
        #expect(r.stdout.contains("  risk           +24  risk 4  [rules/priority.lua:43]\n"))
        #expect(r.stdout.contains("  expiry         +35  ends in 10 months: right time to inform re-procurement  [rules/priority.lua:51]\n"))
    }

    @Test func explainUnknownIdSuggestsNearest() throws {
        let p = try Self.register(Self.rows)
        let r = try CLI.run(["explain", "C-17", "--portfolio", p.path] + asOf)
        #expect(r.status == 1)
        #expect(r.stderr == "cmrg: no contract with id 'C-17' in \(p.path); nearest ids: C-017\n")
    }
}
