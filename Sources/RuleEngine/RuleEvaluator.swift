import LuaHost
import Portfolio

/// Evaluates contracts with one rule pack in one Lua sandbox. Not thread-safe: make one per
/// worker thread. Each contract sees a fresh read-only view `c`, and nothing one contract's
/// evaluation writes to globals survives to the next (the environment is sealed).
public final class RuleEvaluator {
    public let pack: RulePack
    public let asOf: ContractDate
    private let sandbox: LuaSandbox
    private let tierFunction: LuaFunctionRef
    private let scoreFunction: LuaFunctionRef
    private let layout: LuaRecordLayout
    private let extraLayout: LuaRecordLayout
    private var record: LuaRecordBuffer
    private var extraRecord: LuaRecordBuffer
    private let trail = Trail()
    /// The pack's `settings.plan` table (the forward plan's policy), copied before the
    /// environment is sealed; `.nil` when the pack defines none.
    public let planSettings: LuaValue

    /// Field names of `c`, in the order the record is built.
    public static let fieldNames = CanonicalField.allCases.map(\.column)

    /// With `coverage`, the lines that run (loading included) are recorded: see `coveredLines`.
    public init(pack: RulePack, asOf: ContractDate, extraColumns: [String] = [], limits: LuaLimits = LuaLimits(),
                coverage: Bool = false) throws(RuleError) {
        self.pack = pack
        self.asOf = asOf
        do {
            sandbox = try LuaSandbox(limits: limits)
            if coverage { try sandbox.startCoverage() }
        } catch {
            throw RuleError(error, kind: .load)
        }
        let trail = self.trail
        do {
            try sandbox.register("because", wantsCallSite: true) { site, args in
                guard let text = args.first, text != .nil else {
                    throw LuaHostError("because(text): text is missing")
                }
                trail.reasons.append(Reason(text: text.description, location: site.ruleLocation, entryPoint: site.entryPoint))
                return []
            }
            try sandbox.register("factor", wantsCallSite: true) { site, args in
                guard args.count >= 2, case .string(let name) = args[0] else {
                    throw LuaHostError("factor(name, points, text): name must be a string")
                }
                guard let points = args[1].doubleValue, points.isFinite else {
                    throw LuaHostError("factor('\(name)', points, text): points must be a finite number, got \(args[1].typeName)")
                }
                let text = args.count > 2 && args[2] != .nil ? args[2].description : ""
                trail.factors.append(Factor(name: name, points: points, text: text, location: site.ruleLocation, entryPoint: site.entryPoint))
                // Returning the points lets a rule write `total = total + factor(...)` on one
                // line, so the recorded line is the rule's own.
                return [args[1]]
            }
            try sandbox.run(Prelude.source(asOf: asOf.iso, asOfDay: asOf.dayNumber), chunkName: "=(cmrg prelude)")
            for file in pack.files {
                try sandbox.run(file.text, chunkName: file.path)
            }
        } catch {
            throw RuleError(error, kind: .load)
        }
        guard let tier = sandbox.function("tier") else {
            throw RuleError(kind: .missingFunction, message: "the rule pack in '\(pack.directory)' does not define a function tier(c)")
        }
        guard let score = sandbox.function("score") else {
            throw RuleError(kind: .missingFunction, message: "the rule pack in '\(pack.directory)' does not define a function score(c)")
        }
        tierFunction = tier
        scoreFunction = score
        // Read before sealing: sealed tables are read-only proxies that copy as empty.
        planSettings = sandbox.global("settings").tableValue?["plan"] ?? .nil
        do {
            try sandbox.seal()
        } catch {
            throw RuleError(error, kind: .load)
        }
        layout = sandbox.makeLayout(Self.fieldNames)
        extraLayout = sandbox.makeLayout(extraColumns)
        record = LuaRecordBuffer(count: Self.fieldNames.count)
        extraRecord = LuaRecordBuffer(count: extraColumns.count)
    }

    /// Lines the pack printed with `print` (for debugging rules).
    public var printed: [String] { sandbox.printed }

    /// Lines that ran, by rule file path (only when made with `coverage: true`).
    public var coveredLines: [String: Set<Int>] { sandbox.coveredLines() }

    /// Whether the pack (or the host) defines the global `name` once loaded (`cmrg check`).
    public func definesGlobal(_ name: String) -> Bool { sandbox.globalType(name) != "nil" }

    /// Tier, score and explanation trail for one contract.
    public func evaluate(_ contract: Contract) throws(RuleError) -> Evaluation {
        fill(contract)
        trail.reset()
        let results: [LuaScalar]
        do {
            defer { try? sandbox.resetScratch() }
            results = try sandbox.callWithRecord(
                layout: layout, &record, nested: ("extra", extraLayout), &extraRecord,
                functions: [tierFunction, scoreFunction])
        } catch {
            var failure = RuleError(error)
            failure.contractID = contract.id
            failure.contractTitle = contract.title
            throw failure
        }
        let tier = try checkTier(results[0], contract)
        let score = try checkScore(results[1], contract)
        return Evaluation(contractID: contract.id, title: contract.title, tier: tier, score: score,
                          factors: trail.factors, reasons: trail.reasons)
    }

    private func checkTier(_ value: LuaScalar, _ contract: Contract) throws(RuleError) -> Tier {
        if case .string(let s) = value, let tier = Tier(rawValue: s) { return tier }
        let got = value.stringValue.map { "\"\($0)\"" } ?? value.typeName
        throw RuleError(kind: .badReturn, message: "tier(c) returned \(got); expected \"Gold\", \"Silver\" or \"Bronze\"",
                        contractID: contract.id, contractTitle: contract.title, entryPoint: .tier)
    }

    private func checkScore(_ value: LuaScalar, _ contract: Contract) throws(RuleError) -> Double {
        if let d = value.doubleValue, d.isFinite { return d }
        let got = value.doubleValue.map { LuaValue.format($0) } ?? value.typeName
        throw RuleError(kind: .badReturn, message: "score(c) returned \(got); expected a finite number",
                        contractID: contract.id, contractTitle: contract.title, entryPoint: .score)
    }

    private func fill(_ c: Contract) {
        record.reset()
        // Order must match CanonicalField.allCases.
        record.set(0, string: c.id)
        record.set(1, string: c.title)
        set(2, c.supplier)
        set(3, c.directorate)
        set(4, c.leadOfficer)
        set(5, c.category)
        set(6, c.valueTotal)
        set(7, c.valueAnnual)
        set(8, c.startDate?.iso)
        set(9, c.endDate?.iso)
        set(10, c.maxEndDate?.iso)
        set(11, c.risk)
        set(12, c.complexity)
        set(13, c.strategicImportance)
        set(14, c.memberSuggested)
        set(15, c.auditPlanned)
        extraRecord.reset()
        for (i, value) in c.extras.prefix(extraRecord.count).enumerated() {
            if let value { extraRecord.set(i, string: value) }
        }
    }

    private func set(_ i: Int, _ s: String?) { if let s { record.set(i, string: s) } }
    private func set(_ i: Int, _ d: Double?) { if let d { record.set(i, number: d) } }
    private func set(_ i: Int, _ n: Int?) { if let n { record.set(i, integer: Int64(n)) } }
}

/// Reasons and factors recorded during one contract's evaluation.
final class Trail {
    var reasons: [Reason] = []
    var factors: [Factor] = []
    func reset() {
        reasons.removeAll(keepingCapacity: true)
        factors.removeAll(keepingCapacity: true)
    }
}

extension LuaCallSite {
    var ruleLocation: RuleLocation? { chunk.map { RuleLocation(file: $0, line: line) } }
    var entryPoint: EntryPoint { phase == 0 ? .tier : .score }
}
