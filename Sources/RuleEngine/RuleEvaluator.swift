import Breadcrumbs
import LuaHost
import Portfolio

/// Evaluates contracts with one rule pack in one Lua sandbox. Not thread-safe: make one per
/// worker thread (`PreparedPack` does). Each contract sees a fresh read-only view `c`, and
/// nothing one contract's evaluation writes to globals survives to the next (the environment
/// is sealed).
public final class RuleEvaluator {
    public let pack: RulePack
    public let asOf: ContractDate
    private let sandbox: LuaSandbox
    private let tierFunction: LuaFunctionRef
    private let scoreFunction: LuaFunctionRef
    private let layout: LuaRecordLayout
    private var extraLayout: LuaRecordLayout
    private var record: LuaRecordBuffer
    private var extraRecord: LuaRecordBuffer
    private let log: LuaCallLog
    private var call: LuaRecordCall
    private var topFactors = EvaluationSummaries.Factors()
    /// This worker's breadcrumbs for the supervisor (nil when not supervised).
    private let crumbs = Breadcrumbs.current?.claimSlot()
    /// The extra register columns `c.extra` holds, in `Contract.extras` order.
    public private(set) var extraColumns: [String]
    /// What the pack defined once loaded, read before the environment is sealed (sealed
    /// tables are read-only proxies that copy as empty); only when made with `capture`.
    let loaded: LoadedPack?

    /// Field names of `c`: the canonical fields, in schema order (record slot i is
    /// `CanonicalField.all[i]`).
    public static let fieldNames = CanonicalField.columns

    /// With `coverage`, the lines that run (loading included) are recorded: see `coveredLines`.
    public convenience init(pack: RulePack, asOf: ContractDate, extraColumns: [String] = [],
                            limits: RuleLimits = RuleLimits(), coverage: Bool = false) throws(RuleError) {
        try self.init(pack: pack, asOf: asOf, extraColumns: extraColumns, limits: limits, coverage: coverage,
                      capture: false)
    }

    /// With `capture`, the pack's `settings` table and global names are kept (`loaded`).
    init(pack: RulePack, asOf: ContractDate, extraColumns: [String], limits: RuleLimits, coverage: Bool,
         capture: Bool) throws(RuleError) {
        self.pack = pack
        self.asOf = asOf
        do {
            sandbox = try LuaSandbox(limits: limits.sandbox)
            if coverage { try sandbox.startCoverage() }
            crumbs?.watch(sandbox, entryPoints: [.tier, .score])
            if let fault = TestFault.configured {
                try sandbox.register(TestFault.functionName) { _, args in
                    fault.fire(for: args.first?.stringValue ?? "")
                    return []
                }
            }
        } catch {
            throw RuleError(error, kind: .load)
        }
        do {
            // because/factor record into a log in C (they run several times per contract);
            // the Swift closures only raise the errors for arguments the C checks refuse.
            log = try sandbox.makeCallLog([
                LuaRecorder(name: "because", id: Self.becauseRecorder, checks: [.notNil],
                            leanArguments: nil, fullArguments: 1, returnsArgument: nil) { _, args in
                    guard let text = args.first, text != .nil else {
                        throw LuaHostError("because(text): text is missing")
                    }
                    return []
                },
                LuaRecorder(name: "factor", id: Self.factorRecorder, checks: [.string, .finiteNumber],
                            leanArguments: 2, fullArguments: 3, returnsArgument: 2) { _, args in
                    guard args.count >= 2, case .string(let name) = args[0] else {
                        throw LuaHostError("factor(name, points, text): name must be a string")
                    }
                    guard let points = args[1].doubleValue, points.isFinite else {
                        throw LuaHostError("factor('\(name)', points, text): points must be a finite number, got \(args[1].typeName)")
                    }
                    // Returning the points lets a rule write `total = total + factor(...)` on one
                    // line, so the recorded line is the rule's own.
                    return [args[1]]
                },
            ])
            log.limitText(to: Self.maxTrailBytes)
            try sandbox.run(Prelude.source(asOf: asOf.iso, asOfDay: asOf.dayNumber), chunkName: "=(cmrg prelude)")
            for file in pack.files {
                crumbs?.loading(file.path)
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
        loaded = capture ? LoadedPack(settings: sandbox.global("settings"),
                                      globals: sandbox.global("_G").tableValue?.entries.compactMap(\.key.stringValue) ?? [])
                         : nil
        do {
            crumbs?.loading("(sealing)")
            try sandbox.seal()
            crumbs?.idle()
        } catch {
            throw RuleError(error, kind: .load)
        }
        layout = sandbox.makeLayout(Self.fieldNames)
        record = LuaRecordBuffer(count: Self.fieldNames.count)
        self.extraColumns = extraColumns
        extraLayout = sandbox.makeLayout(extraColumns)
        extraRecord = LuaRecordBuffer(count: extraColumns.count)
        call = LuaRecordCall(layout: layout, nestedKey: "extra", nestedLayout: extraLayout, functions: [tier, score])
    }

    /// Makes `c.extra` hold these columns from now on (an evaluator outlives one register).
    func use(extraColumns columns: [String]) {
        guard columns != extraColumns else { return }
        extraColumns = columns
        extraLayout = sandbox.makeLayout(columns)
        extraRecord = LuaRecordBuffer(count: columns.count)
        call = LuaRecordCall(layout: layout, nestedKey: "extra", nestedLayout: extraLayout,
                             functions: [tierFunction, scoreFunction])
    }

    /// Stops the call running now from another thread (Ctrl-C).
    var interrupter: LuaInterrupter { sandbox.interrupter }

    deinit { topFactors.reset() }

    /// The most text one contract's reasons and factors may hold (the host keeps a copy of
    /// each contract's trail; JSON and diff keep many): past it the rule stops with an error.
    public static let maxTrailBytes = 64 << 10

    static let becauseRecorder = 0
    static let factorRecorder = 1

    /// Lines the pack printed with `print` (for debugging rules).
    public var printed: [String] { sandbox.printed }

    /// Lines that ran, by rule file path (only when made with `coverage: true`).
    public var coveredLines: [String: Set<Int>] { sandbox.coveredLines() }

    /// Whether the pack (or the host) defines the global `name` once loaded (`cmrg check`).
    public func definesGlobal(_ name: String) -> Bool { sandbox.globalType(name) != "nil" }

    /// Tier, score and explanation trail for one contract.
    public func evaluate(_ contract: Contract) throws(RuleError) -> Evaluation {
        defer { crumbs?.idle() }
        let (tier, score) = try run(contract, detail: .full)
        var factors: [Factor] = []
        var reasons: [Reason] = []
        var chunk: (bytes: [UInt8], name: String)?
        log.withCalls { calls in
            for i in 0..<calls.count {
                let call = calls[i]
                var location: RuleLocation?
                if let bytes = call.chunk {
                    if chunk == nil || !chunk!.bytes.elementsEqual(bytes) {
                        chunk = (Array(bytes), String(decoding: bytes, as: UTF8.self))
                    }
                    location = RuleLocation(file: chunk!.name, line: call.line)
                }
                let entryPoint: EntryPoint = call.phase == 0 ? .tier : .score
                switch call.recorder {
                case Self.becauseRecorder:
                    reasons.append(Reason(text: call.argument(0).scalar.description, location: location, entryPoint: entryPoint))
                default:
                    let text = call.argumentCount > 2 && !call.argument(2).isNil ? call.argument(2).scalar.description : ""
                    factors.append(Factor(name: call.argument(0).scalar.description, points: call.argument(1).doubleValue ?? 0,
                                          text: text, location: location, entryPoint: entryPoint))
                }
            }
        }
        return Evaluation(contractID: contract.id, title: contract.title, tier: tier, score: score,
                          factors: factors, reasons: reasons)
    }

    /// Tier, score and top factors of one contract, appended to `summaries` (no trail kept).
    public func summarize(_ contract: Contract, into summaries: inout EvaluationSummaries) throws(RuleError) {
        defer { crumbs?.idle() }
        let (tier, score) = try run(contract, detail: .lean)
        topFactors.reset()
        log.withCalls { calls in
            for i in 0..<calls.count {
                let call = calls[i]
                let nameArgument = call.argument(0)
                guard call.recorder == Self.factorRecorder, let bytes = nameArgument.stringBytes,
                      let points = call.argument(1).doubleValue else { continue }
                let name = topFactors.name(bytes, cutTo: nameArgument.scalar.stringValue, maxBytes: nameArgument.maxStringBytes)
                topFactors.offer(name: name, points: points)
            }
            summaries.append(id: contract.id, title: contract.title, tier: tier, score: score, topFactors: topFactors)
        }
    }

    /// Calls tier(c) and score(c) with the contract, recording because/factor with `detail`.
    private func run(_ contract: Contract, detail: LuaCallLog.Detail) throws(RuleError) -> (Tier, Double) {
        crumbs?.evaluating(id: contract.id, title: contract.title)
        Self.fill(contract, &record, &extraRecord)
        log.reset(detail)
        do {
            defer { try? sandbox.resetScratch() }
            try call.call(&record, &extraRecord)
        } catch {
            var failure = RuleError(error)
            failure.contractID = contract.id
            failure.contractTitle = contract.title
            throw failure
        }
        return (try checkTier(call.result(0), contract), try checkScore(call.result(1), contract))
    }

    private func checkTier(_ value: LuaValueView, _ contract: Contract) throws(RuleError) -> Tier {
        if let bytes = value.stringBytes {
            for tier in Tier.allCases where tier.rawValue.utf8.elementsEqual(bytes) { return tier }
        }
        let scalar = value.scalar
        let got = scalar.stringValue.map { "\"\($0)\"" } ?? scalar.typeName
        throw RuleError(kind: .badReturn, message: "tier(c) returned \(got); expected \"Gold\", \"Silver\" or \"Bronze\"",
                        contractID: contract.id, contractTitle: contract.title, entryPoint: .tier)
    }

    private func checkScore(_ value: LuaValueView, _ contract: Contract) throws(RuleError) -> Double {
        if let d = value.doubleValue, d.isFinite { return d }
        let got = value.doubleValue.map { LuaValue.format($0) } ?? value.scalar.typeName
        throw RuleError(kind: .badReturn, message: "score(c) returned \(got); expected a finite number",
                        contractID: contract.id, contractTitle: contract.title, entryPoint: .score)
    }

    /// Puts the contract into the record `c`: slot i is `CanonicalField.all[i]` (the layout
    /// was made from `fieldNames`), each kind as its Lua type: text as a string, money as a
    /// number (float), a level as an integer, a date as a "YYYY-MM-DD" string; unknown = nil.
    private static func fill(_ c: Contract, _ record: inout LuaRecordBuffer, _ extraRecord: inout LuaRecordBuffer) {
        record.reset()
        let fields = CanonicalField.all
        for slot in 0..<fields.count {
            switch fields[slot].value(in: c) {
            case .text(let text): if let text { record.set(slot, string: text) }
            case .money(let amount): if let amount { record.set(slot, number: amount) }
            case .level(let level): if let level { record.set(slot, integer: Int64(level)) }
            case .date(let date): date?.withISOBytes { record.set(slot, utf8: $0) }
            }
        }
        extraRecord.reset()
        for i in 0..<min(c.extras.count, extraRecord.count) {
            if let value = c.extras[i] { extraRecord.set(i, string: value) }
        }
    }
}
