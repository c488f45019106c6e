import Foundation
import Testing

/// What a mistaken or hostile rule pack, settings value or pack layout can do through every
/// command, contained in-process (issue 19, causes 3, 6, 7, 8 and 9): each case ends as a
/// clean result or a clean message, never a trap, a hang, unbounded memory or raw terminal
/// control.
@Suite struct HostileInputTests {
    static let asOf = ["--as-of", "2026-11-25"]

    /// The default pack plus `files`, in a scratch directory `body` may use; removed after.
    static func withPack(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let pack = try CLI.rulePack(adding: files)
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        try body(pack)
    }

    // MARK: cause 3: Swift traps from finite values

    /// A legal strict rule: the score is the sum of its factors as Lua adds them (the pack's
    /// own points vanish into 1e300, which then cancels, leaving the boost).
    static let hugeNumbers = ["zz_huge.lua": """
        local scored = score
        function score(c)
          scored(c)
          factor("huge", 1e300, "big")
          factor("negative", -1e300, "small")
          factor("boost", 1e17, "the score")
          return 1e17
        end
        """]

    @Test func hugeScoresAndPointsArePrintedNotTrapped() throws {
        try Self.withPack(Self.hugeNumbers) { pack in
            let table = try CLI.run(["evaluate", "--rules", pack.path, "--width", "220"] + Self.asOf) // room for the Flags column
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("  1e+17  huge 1e+300, negative -1e+300, boost 1e+17\n"))
            let csv = try CLI.run(["evaluate", "--rules", pack.path, "--format", "csv"] + Self.asOf)
            #expect(csv.status == 0)
            #expect(csv.stdout.contains(",C-004,Waste PFI - Energy from Waste facility,Gold,1e+17,\"huge 1e+300, negative -1e+300, boost 1e+17\",\n"))
            let json = try CLI.run(["evaluate", "--rules", pack.path, "--format", "json"] + Self.asOf)
            #expect(json.status == 0)
            #expect(json.stdout.contains("\"score\": 1e+17,"))
            let explain = try CLI.run(["explain", "C-004", "--rules", pack.path] + Self.asOf)
            #expect(explain.status == 0, "\(explain.stderr)")
            #expect(explain.stdout.contains("Score 1e+17 = sum of factors:\n"))
            #expect(explain.stdout.contains("  huge        +1e+300  big  [\(pack.path)/zz_huge.lua:4]\n"))
            #expect(explain.stdout.contains("  negative    -1e+300  small  [\(pack.path)/zz_huge.lua:5]\n"))
            #expect(explain.stdout.contains("  boost       +1e+17  the score  [\(pack.path)/zz_huge.lua:6]\n"))
            let out = try CLI.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: out) }
            let report = try CLI.run(["report", "--rules", pack.path, "-o", out.appendingPathComponent("r.html").path] + Self.asOf)
            #expect(report.status == 0, "\(report.stderr)")
            let plan = try CLI.run(["plan", "--rules", pack.path] + Self.asOf)
            #expect(plan.status == 0, "\(plan.stderr)")
        }
    }

    @Test func ruleTestsShowHugeScores() throws {
        let pack = try CLI.rulePack(adding: Self.hugeNumbers)
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        try """
            case "huge" { as_of = "2026-11-24", contract = { value_total = 1000 }, score = 1 }
            """.write(to: pack.appendingPathComponent("tests/zz_test.lua"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["test", "--rules", pack.path] + Self.asOf)
        #expect(r.status == 2)
        #expect(r.stdout.contains("  score: expected 1, got 1e+17\n"))
        #expect(r.stdout.contains("    factor huge +1e+300  big  [\(pack.path)/zz_huge.lua:4]\n"))
    }

    @Test func planSettingsPastAHundredYearsAreRefused() throws {
        try Self.withPack(["zz_plan.lua": """
            settings.plan.horizon_months = 120000
            settings.plan.review_by_months.Gold = 30000
            settings.plan.meetings = { every_weeks = math.maxinteger // 2, first = "2026-12-01" }
            """]) { pack in
            for command in [["plan"], ["report"], ["diff", "--base", "rules"]] {
                let out = try CLI.temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: out) }
                let r = try CLI.run(command + ["--rules", pack.path, "--output", out.appendingPathComponent("x").path] + Self.asOf)
                #expect(r.status == 2, "\(command)")
                #expect(r.stderr == """
                    cmrg: the rule pack's plan settings cannot be used:
                      \(pack.path)/settings.lua:58: settings.plan.meetings.every_weeks: 4611686018427387903 is too large (at most 5200 weeks, 100 years)
                      \(pack.path)/settings.lua:60: settings.plan.horizon_months: 120000 is too large (at most 1200 months, 100 years)
                      \(pack.path)/settings.lua:64: settings.plan.review_by_months.Gold: 30000 is too large (at most 1200 months, 100 years)

                    """, "\(command)")
            }
        }
    }

    @Test func planSettingsAtTheirLimitsNearTheLastDateStillPlan() throws {
        try Self.withPack(["zz_plan.lua": """
            settings.plan.horizon_months = 1200
            settings.plan.review_by_months.Gold = 1200
            settings.plan.cooldown_months.Gold = 1200
            settings.plan.meetings = { every_weeks = 1, first = "2026-12-01" }
            """]) { pack in
            for date in ["2026-11-25", "9990-01-01"] {
                let plan = try CLI.run(["plan", "--rules", pack.path, "--as-of", date, "--format", "csv"])
                #expect(plan.status == 0, "\(date): \(plan.stderr)")
                let diff = try CLI.run(["diff", "--base", "rules", "--rules", pack.path, "--as-of", date])
                #expect(diff.status == 0 || diff.status == 10, "\(date): \(diff.stderr)")
            }
        }
    }

    // MARK: cause 6: host memory

    @Test func oneContractsReasonsAndFactorsAreBounded() throws {
        try Self.withPack(["zz_big.lua": """
            local scored = score
            local big = string.rep("x", 1 << 20)
            function score(c)
              for i = 1, 16 do because(big) end
              return scored(c)
            end
            """]) { pack in
            for format in ["json", "table"] {
                let r = try CLI.run(["evaluate", "--rules", pack.path, "--format", format] + Self.asOf)
                #expect(r.status == 2, "\(format)")
                #expect(r.stderr == "cmrg: \(pack.path)/zz_big.lua:4: the reasons and factors of one contract may hold at most "
                        + "64 KiB of text: this call goes past it (contract C-001 \"Schools PFI - Phase 1 (six secondary schools)\", in score)\n",
                        "\(format)")
                #expect(r.stdout.isEmpty)
            }
        }
    }

    @Test func ruleTestsWithManyDatesRunOneStateAtATime() throws {
        let pack = try CLI.rulePack()
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let cases = (1...40).map { day in
            "case \"day \(day)\" { as_of = \"2027-\(day <= 28 ? "02" : "03")-\(String(format: "%02d", day <= 28 ? day : day - 28))\", "
                + "contract = { value_total = 180000000, risk = 2, complexity = 2 }, tier = \"Gold\" }"
        }
        try cases.joined(separator: "\n").write(to: pack.appendingPathComponent("tests/dates_test.lua"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["test", "--rules", pack.path, "--coverage"] + Self.asOf)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("\n83 passed, 0 failed (4 files)\n"))
        #expect(r.stdout.hasSuffix("181/181    100.0%\n"))
    }

    // MARK: cause 7: bounded work

    @Test func checkProbingIsCutWithAWarning() throws {
        let numbers = (0..<20_000).map { String($0 * 7 + 3) }.joined(separator: ",")
        try Self.withPack(["zz_lookup.lua": "settings.lookup = {\(numbers)}\n"]) { pack in
            let started = Date()
            let r = try CLI.run(["check", "--rules", pack.path] + Self.asOf)
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("\(pack.path)/flags.lua:1: warning: the probing was cut: settings hold 20020 numbers, "
                    + "which would make 1441548 probe contracts; 19980 were run (at most 20000), so some thresholds were not probed\n"))
            #expect(Date().timeIntervalSince(started) < 120)
        }
    }

    // MARK: cause 8: the pack is a boundary

    @Test func aSymbolicLinkOutOfThePackIsRefused() throws {
        let outside = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outside) }
        let secret = outside.appendingPathComponent("secret.lua")
        try "secret = 'TOP SECRET'\n".write(to: secret, atomically: true, encoding: .utf8)
        let resolved = secret.resolvingSymlinksInPath().path
        try Self.withPack([:]) { pack in
            let link = pack.appendingPathComponent("zz_secret.lua")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: secret)
            for command in [["evaluate"], ["check"], ["test"], ["plan"]] {
                let r = try CLI.run(command + ["--rules", pack.path] + Self.asOf)
                #expect(r.status == 2, "\(command)")
                #expect(r.stderr == "cmrg: rule file '\(link.path)' is a symbolic link to '\(resolved)', outside the rule pack "
                        + "'\(pack.path)': refused (links must stay inside the pack)\n", "\(command)")
                #expect(!r.stdout.contains("TOP SECRET"))
            }
            // A link that stays inside the pack is an ordinary rule file.
            try FileManager.default.removeItem(at: link)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "settings.lua")
            #expect(try CLI.run(["evaluate", "--rules", pack.path] + Self.asOf).status == 0)
        }
    }

    @Test func aTestFileLinkedOutOfThePackIsRefused() throws {
        let outside = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outside) }
        let secret = outside.appendingPathComponent("secret_test.lua")
        try "case 'x' { contract = {}, tier = 'Gold' }\n".write(to: secret, atomically: true, encoding: .utf8)
        try Self.withPack([:]) { pack in
            let link = pack.appendingPathComponent("tests/zz_test.lua")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: secret)
            let r = try CLI.run(["test", "--rules", pack.path] + Self.asOf)
            #expect(r.status == 2)
            #expect(r.stdout.contains("ERROR \(link.path):1 test file '\(link.path)' is a symbolic link to "
                    + "'\(secret.resolvingSymlinksInPath().path)', outside the rule pack '\(pack.path)': refused "
                    + "(links must stay inside the pack)\n"))
        }
    }

    @Test func aFIFOInThePackIsRefusedNotReadForEver() throws {
        try Self.withPack([:]) { pack in
            let fifo = pack.appendingPathComponent("zz_pipe.lua")
            #expect(mkfifo(fifo.path, 0o644) == 0)
            let r = try CLI.run(["evaluate", "--rules", pack.path] + Self.asOf)
            #expect(r.status == 2)
            #expect(r.stderr == "cmrg: rule file '\(fifo.path)' is not a regular file\n")
        }
    }

    // MARK: cause 9: text from rules and registers reaches the terminal escaped

    @Test func controlCharactersAreShownEscaped() throws {
        let header = "id,title,supplier,directorate,lead_officer,category,value_total,value_annual,start_date,end_date,"
            + "max_end_date,risk,complexity,strategic_importance,member_suggested,audit_planned\n"
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let register = dir.appendingPathComponent("escapes.csv")
        try (header + "X-1,\"Evil \u{1B}[2J\u{9B}title\r\",Supplier,Dir,Off\u{1B}[1Aicer,Cat,1000000,,2024-01-01,2027-06-30,,5,5,5,,\n")
            .write(to: register, atomically: true, encoding: .utf8)
        try Self.withPack(["zz_escapes.lua": """
            local scored, tiered = score, tier
            function tier(c)
              because("\\27]0;pwned\\7title\\r over")
              return tiered(c)
            end
            function score(c)
              factor("evil\\27[31m", 1, "text\\27[1A")
              return scored(c) + 1
            end
            """]) { pack in
            let base = ["--rules", pack.path, "--portfolio", register.path] + Self.asOf
            let explain = try CLI.run(["explain", "X-1"] + base)
            #expect(explain.status == 0, "\(explain.stderr)")
            #expect(explain.stdout.hasPrefix("X-1 — Evil \\e[2J\\u{9B}title\\r\n"))
            #expect(explain.stdout.contains("  lead_officer          Off\\e[1Aicer\n"))
            #expect(explain.stdout.contains("  - \\e]0;pwned\\u{7}title\\r over  [\(pack.path)/zz_escapes.lua:3]\n"))
            #expect(explain.stdout.contains("  evil\\e[31m      +1  text\\e[1A  [\(pack.path)/zz_escapes.lua:7]\n"))
            let table = try CLI.run(["evaluate"] + base)
            #expect(table.stdout.contains("X-1  Evil \\e[2J\\u{9B}title\\r  Gold"))
            let markdown = try CLI.run(["evaluate", "--format", "markdown"] + base)
            #expect(markdown.stdout.contains("| X-1 | Evil \\e[2J\\u{9B}title\\r | Gold |"))
            let plan = try CLI.run(["plan"] + base)
            #expect(plan.stdout.contains("X-1  Evil \\e[2J\\u{9B}title\\r  Gold"))
            for output in [explain.stdout, table.stdout, markdown.stdout, plan.stdout] {
                #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x0D || $0.value == 0x9B })
            }
            // CSV keeps the characters (quoted, as RFC 4180 needs); JSON escapes them as JSON does.
            let csv = try CLI.run(["evaluate", "--format", "csv"] + base)
            #expect(csv.stdout.contains(",X-1,\"Evil \u{1B}[2J\u{9B}title\r\",Gold,"))
            let json = try CLI.run(["evaluate", "--format", "json"] + base)
            #expect(json.stdout.contains("\"title\": \"Evil \\u001b[2J\\u009btitle\\r\","))
            #expect(json.stdout.contains("\"name\": \"evil\\u001b[31m\","))
        }
    }

    @Test func aRuleErrorMessageIsShownEscaped() throws {
        try Self.withPack(["zz_error.lua": """
            function score(c) error("\\27[2Jgone\\r") end
            """]) { pack in
            let r = try CLI.run(["evaluate", "--rules", pack.path] + Self.asOf)
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("cmrg: \(pack.path)/zz_error.lua:1: \\e[2Jgone\\r (contract C-001"))
        }
    }
}
