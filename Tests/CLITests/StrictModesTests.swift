import Foundation
import Testing

/// Strictness (issue 16) on the sealed read-only views (issue 19) holds however a run is made:
/// one worker or two, supervised (the default) or `--in-process`. The mistake is made for one
/// contract in the middle of the register, so two workers must still stop at the same one.
@Suite struct StrictModesTests {
    static let asOf = ["--as-of", "2026-11-25"]
    static let modes = [["--jobs", "1"], ["--jobs", "2"], ["--jobs", "1", "--in-process"], ["--jobs", "2", "--in-process"]]
    static let contract = #"(contract C-004 "Waste PFI - Energy from Waste facility", in score)"#

    /// The default pack with `score` doing `body` for C-004 (line 3 of zz_strict.lua).
    static func pack(_ body: String) throws -> URL {
        try CLI.rulePack(adding: ["zz_strict.lua": """
            local scored = score
            function score(c)
              if c.id == "C-004" then \(body) end
              return scored(c)
            end
            """])
    }

    @Test(arguments: [
        ("return c.valu_total", "the contract has no field 'valu_total' (did you mean 'value_total'?)"),
        ("return c.extra.procurment_route", "the register has no column 'procurment_route' (its extra columns: procurement_route, award_date, kpi_count, notes, last_kpi_assessment)"),
        ("return settings.tier.gold_valeu", "settings.tier.gold_valeu does not exist (did you mean gold_value?)"),
        ("return setings.weights", "'setings' is not defined (did you mean 'settings'?)"),
        ("last_total = 1", "'last_total' is not defined: rules may only assign globals the pack defines when it loads (make it a local)"),
        ("settings.tier.gold_value = 1", "attempt to change 'gold_value' of a read-only table"),
        ("c.risk = 1", "attempt to change 'risk' of a read-only table"),
    ])
    func aStrictErrorIsTheSameInEveryMode(body: String, message: String) throws {
        let pack = try Self.pack(body)
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        for mode in Self.modes {
            let r = try CLI.run(["evaluate", "--rules", pack.path] + mode + Self.asOf)
            #expect(r.status == 2, "\(mode)")
            #expect(r.stderr == "cmrg: \(pack.path)/zz_strict.lua:3: \(message) \(Self.contract)\n", "\(mode)")
            #expect(r.stdout.isEmpty, "\(mode)")
        }
    }

    /// tostring and %p give numbers counted per call, the same in every mode and every run.
    @Test func identitiesAreTheSameInEveryMode() throws {
        let pack = try CLI.rulePack(adding: ["zz_ids.lua": """
            local shared = {}
            local tiered = tier
            function tier(c)
              local t = {}
              because(tostring(t) .. " " .. tostring(shared) .. " " .. tostring(tier) .. " " .. string.format("%s %p", t, shared))
              return tiered(c)
            end
            """])
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        var outputs: Set<String> = []
        for mode in Self.modes {
            let r = try CLI.run(["evaluate", "--rules", pack.path, "--format", "json"] + mode + Self.asOf)
            #expect(r.status == 0, "\(mode): \(r.stderr)")
            #expect(r.stdout.components(separatedBy: "\"text\": \"table: 1 table: 2 function: 3 table: 1 2\"").count == 78, "\(mode)")
            outputs.insert(r.stdout)
        }
        #expect(outputs.count == 1)
    }
}
