import Foundation
import Testing
import Planner
import Portfolio
import RuleEngine

/// The plan policy comes from the rule pack's `settings.plan`; mistakes name the setting.
@Suite struct PlanPolicyTests {
    /// The default pack, with `edit` applied to rules/settings.lua.
    func planSettings(editing edit: (String) -> String = { $0 }) throws -> PreparedPack {
        let source = repoRoot.appendingPathComponent("rules")
        let dir = try temporaryDirectory().appendingPathComponent("rules")
        try FileManager.default.copyItem(at: source, to: dir)
        let settings = dir.appendingPathComponent("settings.lua")
        try edit(try String(contentsOf: settings, encoding: .utf8)).write(to: settings, atomically: true, encoding: .utf8)
        let pack = try RulePack.load(directory: dir.path)
        return try PreparedPack(pack, asOf: day("2026-11-25"))
    }

    func problems(_ edit: @escaping (String) -> String) throws -> [String] {
        let pack = try planSettings(editing: edit)
        do {
            _ = try pack.planPolicy()
            return []
        } catch {
            // Each problem says where the setting is written ("…/settings.lua:59: "); the
            // assertions here are about the wording after it.
            return error.problems.map { p in
                guard let range = p.range(of: #"^.*settings\.lua:\d+: "#, options: .regularExpression) else { return p }
                return String(p[range.upperBound...])
            }
        }
    }

    func replacing(_ old: String, _ new: String) -> (String) -> String {
        { text in
            precondition(text.contains(old), "settings.lua no longer contains \(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    @Test func theDefaultPackDefinesTheWholePolicy() throws {
        let p = try planSettings().planPolicy()
        #expect(p.calendar == .every(weeks: 6, first: day("2026-01-13")))
        #expect(p.capacity == 3)
        #expect(p.horizonMonths == 12)
        #expect(p.reviewByMonths == [.gold: 12, .silver: 9, .bronze: 6])
        #expect(p.cooldownMonths == [.gold: 6, .silver: 12, .bronze: 24])
        #expect(p.recurEveryMonths == [.gold: 12, .silver: 24])
        #expect(p.memberOverridesCooldown)
        #expect(p.maxReviewsPerOfficer == 2)
        #expect(p.lateReviewTiers == Set(Tier.allCases))
        #expect(p.followUpMonths == ["Red": 3, "Amber": 6])
        #expect(p.audit == .deferReview)
        #expect(p.auditYear == "2026/27")
        #expect(p.minScore == 60)
        #expect(p.bronzeMinScore == 75)
    }

    @Test func badNumbersAreNamed() throws {
        #expect(try problems(replacing("capacity = 3,", "capacity = -1,"))
                == ["settings.plan.capacity must be a positive whole number, got -1"])
        #expect(try problems(replacing("horizon_months = 12,", "horizon_months = 1.5,"))
                == ["settings.plan.horizon_months must be a positive whole number, got 1.5"])
        #expect(try problems(replacing("min_score = 60,", "min_score = \"sixty\","))
                == ["settings.plan.min_score must be a number, got \"sixty\""])
        #expect(try problems(replacing("Silver = 9, Bronze = 6 }", "Silver = 9 }"))
                == ["settings.plan.review_by_months.Bronze is missing (months)"])
        #expect(try problems(replacing("cooldown_months = { Gold = 6,", "cooldown_months = { gold = 6,"))
                == ["settings.plan.cooldown_months.gold is not a tier (did you mean Gold?)",
                    "settings.plan.cooldown_months.Gold is missing (months)"])
    }

    @Test func unknownOrMissingSettingsAreNamed() throws {
        #expect(try problems(replacing("capacity = 3,", "capcity = 3,"))
                == ["settings.plan.capcity is not a plan setting (did you mean capacity?)",
                    "settings.plan.capacity is missing (a positive whole number)"])
        #expect(try problems(replacing("capacity = 3,", "capacity = 3, reviewers = 2,"))
                == ["settings.plan.reviewers is not a plan setting (known: audit, audit_year, bronze_min_score, capacity, cooldown_months, follow_up_months, horizon_months, late_reviews, max_reviews_per_officer, meetings, member_overrides_cooldown, min_score, recur_every_months, review_by_months)"])
        #expect(try problems(replacing("audit = \"defer\",", "audit = \"skip\","))
                == ["settings.plan.audit must be \"defer\" or \"joint\", got \"skip\""])
        #expect(try problems(replacing("audit_year = settings.audit_year,", "audit_year = \"2026\","))
                == ["settings.plan.audit_year must be a financial year like \"2026/27\", got \"2026\""])
        #expect(try problems(replacing("settings.plan = {", "settings.unused = {"))
                == ["the rule pack defines no settings.plan (the forward plan's meetings, capacity and cycles)"])
    }

    @Test func meetingsAsEveryWeeksOrAListOfDates() throws {
        let every = "meetings = { every_weeks = 6, first = \"2026-01-13\" },"
        #expect(try problems(replacing(every, "meetings = { every_weeks = 0 },"))
                == ["settings.plan.meetings.every_weeks must be a positive whole number, got 0"])
        #expect(try problems(replacing(every, "meetings = { every_weeks = 6, first = \"13/01/2026\" },"))
                == ["settings.plan.meetings.first must be a date (YYYY-MM-DD), got \"13/01/2026\""])
        #expect(try problems(replacing(every, "meetings = { \"2027-01-12\", \"2027-01-12\" },"))
                == ["settings.plan.meetings lists 2027-01-12 twice"])
        #expect(try problems(replacing(every, "meetings = { \"2027-01-12\", { date = \"2027-02-30\" } },"))
                == ["settings.plan.meetings[2].date must be a date (YYYY-MM-DD), got \"2027-02-30\""])

        let listed = try planSettings(editing: replacing(every,
            "meetings = { \"2027-02-23\", { date = \"2027-01-12\", capacity = 1 } },")).planPolicy()
        #expect(listed.calendar == .dates([PlanPolicy.Meeting(date: day("2027-02-23"), capacity: 3),
                                           PlanPolicy.Meeting(date: day("2027-01-12"), capacity: 1)]))
        #expect(listed.meetings(from: day("2027-01-01")).map(\.date.iso) == ["2027-01-12", "2027-02-23"])
    }
}
