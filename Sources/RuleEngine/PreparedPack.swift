import Foundation
import LuaHost
import Portfolio
import Workers

/// A rule pack read, fingerprinted and loaded once: the one way into the rules for every
/// command (and the workbench).
///
/// It holds the pack's files and their SHA-256 (as provenance shows it), what the pack
/// defines once loaded as plain values (settings, plan policy, global names), and the Lua
/// states that evaluate contracts: one per worker thread, each loading the pack once. The
/// first state is made here and also yields the settings, so no state is ever made just to
/// read them; a run that asks for more workers makes the others, and they are kept for the
/// next run. Runs are streaming: see `evaluate(_:jobs:into:)`.
public final class PreparedPack: @unchecked Sendable {
    public let pack: RulePack
    public let asOf: ContractDate
    public let limits: RuleLimits
    /// SHA-256 (hex) over the rule files' names and contents, in load order.
    public let sha256: String
    /// Every leaf of the `settings` table as loaded, by path: `settings.tier.gold_value` →
    /// `10000000` (strings in double quotes). What a diff compares and a check probes.
    public let settings: [String: String]
    /// The globals defined once the pack is loaded, the host's included (`cmrg check`).
    public let globals: [String]
    /// The entry points every contract is evaluated with (loading fails without either).
    public let entryPoints: [EntryPoint] = [.tier, .score]
    /// The `settings` table as loaded (`cmrg check` holds the paths rules read against it).
    let settingsTable: LuaValue
    /// Register columns the pack declares it may read though a register lacks them.
    public let optionalColumns: [String]
    /// Whether the pack defines the optional `flags(c)`.
    public let definesFlags: Bool
    /// `settings.plan` as loaded (`.nil` when the pack defines none); read by `planPolicy()`.
    private let planSettings: LuaValue
    private let coverage: Bool
    private let alsoKnownColumns: [String]
    private let lock = NSLock()
    /// States not in use by a run (all of them between runs).
    private var idle: [RuleEvaluator]
    private var made: [RuleEvaluator]

    /// Loads `pack` into its first Lua state. With `coverage`, every state records the lines
    /// that run (`cmrg check` reads them from its one state).
    /// `alsoKnownColumns` may be read under `c.extra` though a register lacks them (as nil).
    public init(_ pack: RulePack, asOf: ContractDate, limits: RuleLimits = RuleLimits(),
                coverage: Bool = false, alsoKnownColumns: [String] = []) throws(RuleError) {
        let first = try RuleEvaluator(pack: pack, asOf: asOf, extraColumns: [], alsoKnownColumns: alsoKnownColumns,
                                      limits: limits, coverage: coverage, capture: true)
        self.alsoKnownColumns = alsoKnownColumns
        let loaded = first.loaded!
        self.pack = pack
        self.asOf = asOf
        self.limits = limits
        self.coverage = coverage
        sha256 = Fingerprint.rulePack(pack)
        var leaves: [String: String] = [:]
        SettingLeaves.flatten(loaded.settings, path: "settings", into: &leaves)
        settings = leaves
        globals = loaded.globals
        settingsTable = loaded.settings
        optionalColumns = loaded.optionalColumns
        definesFlags = first.definesFlags
        planSettings = loaded.settings.tableValue?["plan"] ?? .nil
        idle = [first]
        made = [first]
    }

    public var directory: String { pack.directory }

    /// `settings.plan` as loaded, for `cmrg check`.
    var planSettingsValue: LuaValue { planSettings }

    /// Whether the pack defines `settings.plan` (the forward plan's policy).
    public var definesPlan: Bool { !planSettings.isNil }

    /// The forward plan's policy from `settings.plan`; every problem is reported, each naming
    /// the setting and where it is written
    /// (`rules/settings.lua:60: settings.plan.capacity must be a positive whole number, got -1`).
    public func planPolicy() throws(PlanPolicyError) -> PlanPolicy {
        do throws(PlanPolicyError) {
            return try PlanPolicy(settings: planSettings)
        } catch {
            throw PlanSettingsLocation.located(error, in: pack)
        }
    }

    /// How many Lua states the pack has made so far (one per worker of the largest run).
    var madeStates: Int {
        lock.lock()
        defer { lock.unlock() }
        return made.count
    }

    /// `count` states of this pack for one run, `c.extra` holding `extraColumns`; hand them
    /// back with `giveBack`. Each is used by one thread at a time.
    func borrow(_ count: Int, extraColumns: [String]) throws(RuleError) -> [RuleEvaluator] {
        lock.lock()
        var evaluators = Array(idle.suffix(count))
        idle.removeLast(evaluators.count)
        lock.unlock()
        do {
            while evaluators.count < count {
                evaluators.append(try RuleEvaluator(pack: pack, asOf: asOf, extraColumns: extraColumns,
                                                    alsoKnownColumns: alsoKnownColumns, limits: limits,
                                                    coverage: coverage, capture: false))
                lock.lock()
                made.append(evaluators.last!)
                lock.unlock()
            }
        } catch {
            giveBack(evaluators)
            throw error
        }
        do {
            for evaluator in evaluators { try evaluator.use(extraColumns: extraColumns) }
        } catch {
            giveBack(evaluators)
            throw error
        }
        return evaluators
    }

    func giveBack(_ evaluators: [RuleEvaluator]) {
        lock.lock()
        idle += evaluators
        lock.unlock()
    }
}

/// What a pack defines once loaded, as its first state saw it before sealing.
struct LoadedPack {
    var settings: LuaValue
    var globals: [String]
    /// The pack's `optional_columns`.
    var optionalColumns: [String]
}

/// The `settings` table flattened to `settings.tier.gold_value = 10000000` leaves.
enum SettingLeaves {
    static func flatten(_ value: LuaValue, path: String, into out: inout [String: String]) {
        switch value {
        case .nil: return
        case .table(let t):
            for (i, item) in t.array.enumerated() { flatten(item, path: "\(path)[\(i + 1)]", into: &out) }
            for entry in t.entries {
                switch entry.key {
                case .string(let k): flatten(entry.value, path: path + "." + k, into: &out)
                default: flatten(entry.value, path: "\(path)[\(entry.key)]", into: &out)
                }
            }
        case .string(let s): out[path] = "\"" + s + "\""
        case .integer(let i): out[path] = String(i)
        case .number(let d): out[path] = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : LuaValue.format(d)
        default: out[path] = value.description
        }
    }
}
