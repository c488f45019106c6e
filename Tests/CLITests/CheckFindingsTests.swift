import Foundation
import Testing

/// `cmrg check` on packs seeded with each kind of mistake, through the built binary.
@Suite struct CheckFindingsTests {
    @Test func eachMistakeIsReportedWithFileAndLine() throws {
        let rules = try CLI.rulePack(editing: [
            "priority.lua": {
                $0.replacingOccurrences(of: "math.log(settings.value_floor)", with: "math.log(setings.value_floor)")
                    .replacingOccurrences(of: "  local total = 0\n", with: "  local total = 0\n  if c.valu_total then totl = 1 end\n")
            },
            "settings.lua": {
                $0.replacingOccurrences(of: "    gold_value_alone = 50000000,\n", with: "    gold_value_alone = 50000000,\n    platinum_value = 90000000,\n")
            },
        ])
        let r = try CLI.run(["check", "--rules", rules.path, "--as-of", "2026-11-25"])
        #expect(r.status == 2)
        #expect(r.stdout == """
            \(rules.path): 4 rule files loaded; tier(c), score(c) and flags(c) defined
            \(rules.path)/priority.lua:9: error: 'setings' is not defined (did you mean 'settings'?)
            \(rules.path)/priority.lua:40: error: 'totl' is not defined \u{2014} a typo of the local 'total'?
            \(rules.path)/priority.lua:40: error: the contract has no field 'valu_total' (did you mean 'value_total'?)
            \(rules.path)/settings.lua:18: warning: settings.tier.platinum_value is set but no rule reads it
            \(rules.path): 3 errors, 1 warning

            """)
    }

    @Test func warningsAloneExitZero() throws {
        let rules = try CLI.rulePack(editing: ["settings.lua": { $0.replacingOccurrences(of: "gold_when_high_on = 2,", with: "gold_when_high_on = 1,") }])
        let r = try CLI.run(["check", "--rules", rules.path, "--as-of", "2026-11-25"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\(rules.path)/tiering.lua:42: warning: tier(c) never returns \"Silver\" here for any of "))
        #expect(r.stdout.hasSuffix("\(rules.path): 0 errors, 1 warning\n"))
    }

    @Test func syntaxErrorsInEveryFileAreReported() throws {
        let rules = try CLI.rulePack(editing: [
            "tiering.lua": { $0.replacingOccurrences(of: "return \"Silver\"\n", with: "return \"Silver\" +\n") },
            "priority.lua": { $0.replacingOccurrences(of: "  local total = 0\n", with: "  local total = = 0\n") },
        ])
        let r = try CLI.run(["check", "--rules", rules.path])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("cmrg: \(rules.path)/priority.lua:39: unexpected symbol near '='"))
        #expect(lines[1].hasPrefix("cmrg: \(rules.path)/tiering.lua:43: "))
    }
}
