import LuaHost
import Portfolio

/// The rule pack's plan settings are unusable; each problem names the setting.
public struct PlanPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String { problems.joined(separator: "\n") }
    /// What a user reads: a heading, then a problem a line (each at settings.lua:LINE when found).
    public var report: String { "the rule pack's plan settings cannot be used:\n" + problems.map { "  " + $0 }.joined(separator: "\n") }
}

extension PlanPolicy {
    /// The longest span a setting in months or weeks may give: 100 years, so that every date
    /// the planner works out stays a real date (and no arithmetic on it can overflow).
    static let mostMonths = (1200, "months, 100 years")
    static let mostWeeks = (5200, "weeks, 100 years")

    /// The setting names `settings.plan` may hold.
    public static let settingNames = [
        "audit", "audit_year", "bronze_min_score", "capacity", "cooldown_months", "follow_up_months",
        "horizon_months", "late_reviews", "max_reviews_per_officer", "meetings", "member_overrides_cooldown", "min_score",
        "recur_every_months", "review_by_months",
    ]

    /// Reads the policy from the rule pack's `settings.plan` table (see rules/settings.lua).
    /// Every problem is reported, each naming the setting, e.g.
    /// `settings.plan.capacity must be a positive whole number, got -1`.
    init(settings value: LuaValue) throws(PlanPolicyError) {
        guard case .table(let plan) = value else {
            throw PlanPolicyError(problems: [value.isNil
                ? "the rule pack defines no settings.plan (the forward plan's meetings, capacity and cycles)"
                : "settings.plan must be a table, got \(Self.shown(value))"])
        }
        var reader = SettingsReader(prefix: "settings.plan")
        for entry in plan.entries {
            guard case .string(let key) = entry.key, Self.settingNames.contains(key) else {
                let nearest = entry.key.stringValue.flatMap { NearestNames.typo(of: $0, among: Self.settingNames) }
                reader.problems.append("settings.plan.\(entry.key) is not a plan setting "
                    + (nearest.map { "(did you mean \($0)?)" } ?? "(known: \(Self.settingNames.joined(separator: ", ")))"))
                continue
            }
        }
        if !plan.array.isEmpty {
            reader.problems.append("settings.plan must name its settings (key = value), not list values")
        }

        let capacity = reader.whole(plan["capacity"], "capacity", minimum: 1)
        let calendar = reader.calendar(plan["meetings"])
        let horizon = reader.whole(plan["horizon_months"], "horizon_months", minimum: 1, maximum: Self.mostMonths)
        let reviewBy = reader.perTier(plan["review_by_months"], "review_by_months", allTiers: true)
        let cooldown = reader.perTier(plan["cooldown_months"], "cooldown_months", allTiers: true)
        let recur = reader.perTier(plan["recur_every_months"], "recur_every_months", allTiers: false, minimum: 1)
        let memberOverrides = reader.boolean(plan["member_overrides_cooldown"], "member_overrides_cooldown")
        // Optional: two reviews per officer per meeting unless the pack says otherwise.
        let perOfficer = plan["max_reviews_per_officer"].isNil ? 2
            : reader.whole(plan["max_reviews_per_officer"], "max_reviews_per_officer", minimum: 1)
        let late = reader.tierSwitches(plan["late_reviews"], "late_reviews")
        let followUp = reader.perOutcome(plan["follow_up_months"], "follow_up_months")
        let audit = reader.audit(plan["audit"])
        let auditYear = reader.auditYear(plan["audit_year"])
        let minScore = reader.number(plan["min_score"], "min_score")
        let bronzeMinScore = reader.number(plan["bronze_min_score"], "bronze_min_score")

        guard reader.problems.isEmpty, let capacity, let calendar, let horizon, let reviewBy, let cooldown,
              let recur, let memberOverrides, let perOfficer, let audit, let minScore, let bronzeMinScore,
              let late, let followUp
        else { throw PlanPolicyError(problems: reader.problems) }
        var resolved = calendar
        if case .dates(let meetings) = calendar {
            // A dated meeting without its own capacity takes the plan's.
            resolved = .dates(meetings.map { PlanPolicy.Meeting(date: $0.date, capacity: $0.capacity < 0 ? capacity : $0.capacity) })
        }
        self.init(calendar: resolved, capacity: capacity, horizonMonths: horizon, reviewByMonths: reviewBy,
                  cooldownMonths: cooldown, memberOverridesCooldown: memberOverrides,
                  maxReviewsPerOfficer: perOfficer, audit: audit, auditYear: auditYear,
                  recurEveryMonths: recur, minScore: minScore, bronzeMinScore: bronzeMinScore)
        lateReviewTiers = late
        followUpMonths = followUp
    }

    static func shown(_ value: LuaValue) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .table: "a table"
        case .nil: "nothing"
        default: value.description
        }
    }
}

/// Collects problems while reading settings; each reader returns nil on a problem.
private struct SettingsReader {
    let prefix: String
    var problems: [String] = []

    /// A whole number from `minimum`; with `maximum` (a span of time), larger ones are refused
    /// as too large: `settings.plan.horizon_months: 120000 is too large (at most 1200 months, 100 years)`.
    mutating func whole(_ value: LuaValue, _ name: String, minimum: Int, maximum: (Int, String)? = nil) -> Int? {
        let what = minimum >= 1 ? "a positive whole number" : "a whole number, 0 or more"
        guard !value.isNil else {
            problems.append("\(prefix).\(name) is missing (\(what))")
            return nil
        }
        guard let n = value.intValue, n >= minimum else {
            problems.append("\(prefix).\(name) must be \(what), got \(PlanPolicy.shown(value))")
            return nil
        }
        if let (most, unit) = maximum, n > most {
            problems.append("\(prefix).\(name): \(n) is too large (at most \(most) \(unit))")
            return nil
        }
        return n
    }

    mutating func number(_ value: LuaValue, _ name: String) -> Double? {
        guard let d = value.doubleValue, d.isFinite else {
            problems.append(value.isNil ? "\(prefix).\(name) is missing (a number)"
                            : "\(prefix).\(name) must be a number, got \(PlanPolicy.shown(value))")
            return nil
        }
        return d
    }

    mutating func boolean(_ value: LuaValue, _ name: String) -> Bool? {
        guard let b = value.boolValue else {
            problems.append(value.isNil ? "\(prefix).\(name) is missing (true or false)"
                            : "\(prefix).\(name) must be true or false, got \(PlanPolicy.shown(value))")
            return nil
        }
        return b
    }

    /// `{ Gold = 12, Silver = 9, Bronze = 6 }`; with `allTiers`, each tier must be there.
    mutating func perTier(_ value: LuaValue, _ name: String, allTiers: Bool, minimum: Int = 0) -> [Tier: Int]? {
        guard case .table(let table) = value else {
            problems.append(value.isNil ? "\(prefix).\(name) is missing (months per tier, e.g. { Gold = 12, Silver = 9, Bronze = 6 })"
                            : "\(prefix).\(name) must be a table of months per tier, got \(PlanPolicy.shown(value))")
            return nil
        }
        var out: [Tier: Int] = [:]
        let before = problems.count
        for entry in table.entries {
            guard case .string(let key) = entry.key, let tier = Tier(rawValue: key) else {
                let nearest = entry.key.stringValue.flatMap { NearestNames.typo(of: $0, among: Tier.allCases.map(\.rawValue)) }
                problems.append("\(prefix).\(name).\(entry.key) is not a tier (" + (nearest.map { "did you mean \($0)?" } ?? "Gold, Silver or Bronze") + ")")
                continue
            }
            if let n = whole(entry.value, "\(name).\(key)", minimum: minimum, maximum: PlanPolicy.mostMonths) { out[tier] = n }
        }
        if !table.array.isEmpty {
            problems.append("\(prefix).\(name) must name its tiers (Gold = ..., Silver = ..., Bronze = ...)")
        }
        if allTiers {
            for tier in Tier.allCases where out[tier] == nil && !table.entries.contains(where: { $0.key == .string(tier.rawValue) }) {
                problems.append("\(prefix).\(name).\(tier.rawValue) is missing (months)")
            }
        }
        return problems.count == before ? out : nil
    }

    /// `{ Gold = true, Silver = true, Bronze = false }`: the tiers switched on (every tier
    /// when absent; a tier left out is off).
    mutating func tierSwitches(_ value: LuaValue, _ name: String) -> Set<Tier>? {
        if value.isNil { return Set(Tier.allCases) }
        guard case .table(let table) = value, table.array.isEmpty else {
            problems.append("\(prefix).\(name) must be a table of true or false per tier, e.g. { Gold = true, Silver = true, Bronze = false }, got \(PlanPolicy.shown(value))")
            return nil
        }
        var on: Set<Tier> = []
        let before = problems.count
        for entry in table.entries {
            guard case .string(let key) = entry.key, let tier = Tier(rawValue: key) else {
                let nearest = entry.key.stringValue.flatMap { NearestNames.typo(of: $0, among: Tier.allCases.map(\.rawValue)) }
                problems.append("\(prefix).\(name).\(entry.key) is not a tier (" + (nearest.map { "did you mean \($0)?" } ?? "Gold, Silver or Bronze") + ")")
                continue
            }
            if let b = boolean(entry.value, "\(name).\(key)"), b { on.insert(tier) }
        }
        return problems.count == before ? on : nil
    }

    /// `{ Red = 3, Amber = 6 }`: months per review outcome (none when absent).
    mutating func perOutcome(_ value: LuaValue, _ name: String) -> [String: Int]? {
        if value.isNil { return [:] }
        guard case .table(let table) = value, table.array.isEmpty else {
            problems.append("\(prefix).\(name) must be a table of months per outcome, e.g. { Red = 3, Amber = 6 }, got \(PlanPolicy.shown(value))")
            return nil
        }
        var out: [String: Int] = [:]
        let before = problems.count
        for entry in table.entries {
            guard case .string(let key) = entry.key, ["Red", "Amber", "Green"].contains(key) else {
                problems.append("\(prefix).\(name).\(entry.key) is not a review outcome (Red, Amber or Green)")
                continue
            }
            if let n = whole(entry.value, "\(name).\(key)", minimum: 1) { out[key] = n }
        }
        return problems.count == before ? out : nil
    }

    /// `{ every_weeks = 6, first = "2026-01-13" }` or a list of dates / `{ date = ..., capacity = ... }`.
    mutating func calendar(_ value: LuaValue) -> PlanPolicy.Calendar? {
        let name = "\(prefix).meetings"
        guard case .table(let table) = value else {
            problems.append(value.isNil ? "\(name) is missing (e.g. { every_weeks = 6, first = \"2026-01-13\" } or a list of dates)"
                            : "\(name) must be a table, got \(PlanPolicy.shown(value))")
            return nil
        }
        let before = problems.count
        if table.array.isEmpty {
            for entry in table.entries where entry.key != .string("every_weeks") && entry.key != .string("first") {
                problems.append("\(name).\(entry.key) is not a meetings setting (every_weeks, first, or list the dates)")
            }
            let weeks = whole(table["every_weeks"], "meetings.every_weeks", minimum: 1, maximum: PlanPolicy.mostWeeks)
            var first: ContractDate?
            if !table["first"].isNil {
                first = date(table["first"], "\(name).first")
            }
            guard problems.count == before, let weeks else { return nil }
            return .every(weeks: weeks, first: first)
        }
        if !table.entries.isEmpty {
            problems.append("\(name) must be either a list of dates or { every_weeks = ..., first = ... }, not both")
        }
        var meetings: [PlanPolicy.Meeting] = []
        for (i, item) in table.array.enumerated() {
            let itemName = "\(name)[\(i + 1)]"
            if case .table(let t) = item {
                for entry in t.entries where entry.key != .string("date") && entry.key != .string("capacity") {
                    problems.append("\(itemName).\(entry.key) is not a meeting setting (date, capacity)")
                }
                let d = date(t["date"], "\(itemName).date")
                var capacity: Int? = -1 // the plan's capacity
                if !t["capacity"].isNil {
                    capacity = whole(t["capacity"], "meetings[\(i + 1)].capacity", minimum: 0)
                }
                if let d, let capacity { meetings.append(PlanPolicy.Meeting(date: d, capacity: capacity)) }
            } else if let d = date(item, itemName) {
                meetings.append(PlanPolicy.Meeting(date: d, capacity: -1))
            }
        }
        var seen: Set<ContractDate> = []
        for m in meetings where !seen.insert(m.date).inserted {
            problems.append("\(name) lists \(m.date) twice")
        }
        return problems.count == before ? .dates(meetings) : nil
    }

    mutating func date(_ value: LuaValue, _ name: String) -> ContractDate? {
        guard case .string(let s) = value, let d = ContractDate(iso: s) else {
            problems.append(value.isNil ? "\(name) is missing (a date, YYYY-MM-DD)"
                            : "\(name) must be a date (YYYY-MM-DD), got \(PlanPolicy.shown(value))")
            return nil
        }
        return d
    }

    mutating func audit(_ value: LuaValue) -> PlanPolicy.AuditHandling? {
        let choices = PlanPolicy.AuditHandling.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
        guard case .string(let s) = value, let handling = PlanPolicy.AuditHandling(rawValue: s) else {
            problems.append(value.isNil ? "\(prefix).audit is missing (\(choices))"
                            : "\(prefix).audit must be \(choices), got \(PlanPolicy.shown(value))")
            return nil
        }
        return handling
    }

    mutating func auditYear(_ value: LuaValue) -> String? {
        if value.isNil { return nil } // no audit coordination
        guard case .string(let s) = value, PlanPolicy.auditYearEnd(s) != nil else {
            problems.append("\(prefix).audit_year must be a financial year like \"2026/27\", got \(PlanPolicy.shown(value))")
            return nil
        }
        return s
    }
}
