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
    /// The pack's optional `flags(c)`, and where it is written (for its flags and errors).
    private let flagsFunction: LuaFunctionRef?
    private let flagsLocation: RuleLocation?
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
    /// Columns `c.extra` may read as nil though the register lacks them (`optional_columns`).
    private let knownColumns: [String]

    /// Field names of `c`: the canonical fields, in schema order (record slot i is
    /// `CanonicalField.all[i]`).
    public static let fieldNames = CanonicalField.columns

    /// With `coverage`, the lines that run (loading included) are recorded: see `coveredLines`.
    /// Reading `c.extra.NAME` is an error unless NAME is one of `extraColumns`, one of the
    /// pack's `optional_columns`, or one of `alsoKnownColumns` (which read as nil).
    public convenience init(pack: RulePack, asOf: ContractDate, extraColumns: [String] = [],
                            alsoKnownColumns: [String] = [], limits: RuleLimits = RuleLimits(),
                            coverage: Bool = false) throws(RuleError) {
        try self.init(pack: pack, asOf: asOf, extraColumns: extraColumns, alsoKnownColumns: alsoKnownColumns,
                      limits: limits, coverage: coverage, capture: false)
    }

    /// With `capture`, the pack's `settings` table and global names are kept (`loaded`).
    init(pack: RulePack, asOf: ContractDate, extraColumns: [String], alsoKnownColumns: [String] = [],
         limits: RuleLimits, coverage: Bool, capture: Bool) throws(RuleError) {
        self.pack = pack
        self.asOf = asOf
        do {
            sandbox = try LuaSandbox(limits: limits.sandbox)
            if coverage { try sandbox.startCoverage() }
            crumbs?.watch(sandbox, entryPoints: [.tier, .score, .flags])
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
                    guard let first = args.first, case .string(let name) = first else {
                        throw LuaHostError("factor(name, points, text): name must be a string, got "
                                           + ValueQuote.phrase(args.first ?? .nil))
                    }
                    guard args.count >= 2, let points = args[1].doubleValue, points.isFinite else {
                        throw LuaHostError(Self.badPoints(name: name, args.count >= 2 ? args[1] : .nil))
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
            throw RuleError(loading: error, in: pack)
        }
        guard let tier = sandbox.function("tier") else {
            throw RuleError(kind: .missingFunction, message: "the rule pack in '\(pack.directory)' does not define a function tier(c)")
        }
        guard let score = sandbox.function("score") else {
            throw RuleError(kind: .missingFunction, message: "the rule pack in '\(pack.directory)' does not define a function score(c)")
        }
        tierFunction = tier
        scoreFunction = score
        flagsFunction = sandbox.function("flags")
        if flagsFunction == nil, sandbox.globalType("flags") != "nil" {
            throw RuleError(kind: .load, location: FlagResults.assignment(in: pack),
                            message: "flags is defined as \(sandbox.globalType("flags")), not a function flags(c)")
        }
        flagsLocation = flagsFunction == nil ? nil : EntryPointSource("flags", in: pack)?.location(ofReturning: nil)
        // Read before sealing: sealed tables are read-only proxies that copy as empty.
        let settings = sandbox.global("settings")
        let optional = try OptionalColumns.declared(by: sandbox.global(OptionalColumns.global), in: pack)
        let source = PackSource(pack)
        if let failure = source.loadFailure(settings: settings) { throw failure }
        loaded = capture ? LoadedPack(settings: settings,
                                      globals: sandbox.global("_G").tableValue?.entries.compactMap(\.key.stringValue) ?? [],
                                      optionalColumns: optional)
                         : nil
        knownColumns = optional + alsoKnownColumns
        do {
            crumbs?.loading("(sealing)")
            try sandbox.seal()
            try sandbox.makeStrict(tables: ["settings"], declared: source.declaredGlobals)
            layout = sandbox.makeLayout(Self.fieldNames)
            try layout.refuseUnknownNames(alsoKnown: ["extra"], missing: "the contract has no field",
                                          otherwise: "; extra register columns are under c.extra")
            extraLayout = try Self.extraLayout(sandbox, columns: extraColumns, alsoKnown: knownColumns)
            crumbs?.idle()
        } catch {
            throw RuleError(error, kind: .load)
        }
        record = LuaRecordBuffer(count: Self.fieldNames.count)
        self.extraColumns = extraColumns
        extraRecord = LuaRecordBuffer(count: extraColumns.count)
        call = LuaRecordCall(layout: layout, nestedKey: "extra", nestedLayout: extraLayout,
                             functions: [tier, score] + (flagsFunction.map { [$0] } ?? []))
    }

    /// The functions each record call makes, in phase order: tier, score, then flags if defined.
    private var entryFunctions: [LuaFunctionRef] { [tierFunction, scoreFunction] + (flagsFunction.map { [$0] } ?? []) }

    /// Whether the pack defines the optional `flags(c)`.
    public var definesFlags: Bool { flagsFunction != nil }

    /// Makes `c.extra` hold these columns from now on (an evaluator outlives one register).
    func use(extraColumns columns: [String]) throws(RuleError) {
        guard columns != extraColumns else { return }
        do {
            extraLayout = try Self.extraLayout(sandbox, columns: columns, alsoKnown: knownColumns)
        } catch {
            throw RuleError(error, kind: .load)
        }
        extraColumns = columns
        extraRecord = LuaRecordBuffer(count: columns.count)
        call = LuaRecordCall(layout: layout, nestedKey: "extra", nestedLayout: extraLayout, functions: entryFunctions)
    }

    /// The layout of `c.extra`: reading a column it does not have (nor `alsoKnown`, which
    /// read as nil) is an error naming the columns it has.
    private static func extraLayout(_ sandbox: LuaSandbox, columns: [String], alsoKnown: [String]) throws(LuaError)
        -> LuaRecordLayout {
        let layout = sandbox.makeLayout(columns)
        try layout.refuseUnknownNames(alsoKnown: alsoKnown, missing: "the register has no column", listing: "its extra columns")
        return layout
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
        let (tier, score, flags) = try run(contract, detail: .full)
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
                let entryPoint: EntryPoint = call.phase == 0 ? .tier : call.phase == 1 ? .score : .flags
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
        let scored = factors.filter { $0.entryPoint == .score }.map { (name: $0.name, points: $0.points) }
        if let problem = ResultProblems.disagreement(score: score, factors: scored, pack: pack, contract: contract) {
            throw problem
        }
        return Evaluation(contractID: contract.id, title: contract.title, tier: tier, score: score,
                          factors: factors, reasons: reasons, flags: flags)
    }

    /// Tier, score and top factors of one contract, appended to `summaries` (no trail kept).
    public func summarize(_ contract: Contract, into summaries: inout EvaluationSummaries) throws(RuleError) {
        defer { crumbs?.idle() }
        let (tier, score, flags) = try run(contract, detail: .lean)
        topFactors.reset()
        var problem: RuleError?
        log.withCalls { calls in
            var sum = 0.0, scored = 0
            for i in 0..<calls.count {
                let call = calls[i]
                let nameArgument = call.argument(0)
                guard call.recorder == Self.factorRecorder, let bytes = nameArgument.stringBytes,
                      let points = call.argument(1).doubleValue else { continue }
                if call.phase == 1 { sum += points; scored += 1 }
                let name = topFactors.name(bytes, cutTo: nameArgument.scalar.stringValue, maxBytes: nameArgument.maxStringBytes)
                topFactors.offer(name: name, points: points)
            }
            if scored > 0 && abs(score - sum) > 1e-9 * max(1, abs(score)) {
                let factors = (0..<calls.count).map { calls[$0] }.filter { $0.recorder == Self.factorRecorder && $0.phase == 1 }
                    .map { (name: $0.argument(0).scalar.description, points: $0.argument(1).doubleValue ?? 0) }
                problem = ResultProblems.disagreement(score: score, factors: factors, pack: pack, contract: contract)
            }
            if problem == nil {
                summaries.append(id: contract.id, title: contract.title, tier: tier, score: score, topFactors: topFactors,
                                 flags: flags.map(\.summary).joined(separator: "; "))
            }
        }
        if let problem { throw problem }
    }

    /// `factor("expiry", 0/0)`: the factor, and the points in words (never just "number").
    static func badPoints(name: String, _ points: LuaScalar) -> String {
        let what: String
        switch points {
        case .number(let d) where d.isNaN: what = "NaN (not a number: 0/0, or arithmetic on NaN?)"
        case .number(let d) where d.isInfinite: what = "\(ValueQuote.number(d)) (infinite: a division by zero?)"
        case .nil: what = "missing (nil)"
        default: what = ValueQuote.phrase(points)
        }
        return "factor(\(ValueQuote.quote(name)), points, text): the points are \(what); they must be a finite number"
    }

    /// Calls tier(c), score(c) and flags(c) (when defined) with the contract, recording
    /// because/factor with `detail`.
    private func run(_ contract: Contract, detail: LuaCallLog.Detail) throws(RuleError) -> (Tier, Double, [RuleFlag]) {
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
        let tier = try checkTier(call.result(0), contract), score = try checkScore(call.result(1), contract)
        guard flagsFunction != nil else { return (tier, score, []) }
        return (tier, score, try FlagResults.flags(call.copyResult(2), location: flagsLocation, pack: pack, contract: contract))
    }

    private func checkTier(_ value: LuaValueView, _ contract: Contract) throws(RuleError) -> Tier {
        if let bytes = value.stringBytes {
            for tier in Tier.allCases where tier.rawValue.utf8.elementsEqual(bytes) { return tier }
        }
        throw ResultProblems.badTier(value, pack: pack, contract: contract)
    }

    private func checkScore(_ value: LuaValueView, _ contract: Contract) throws(RuleError) -> Double {
        if let d = value.doubleValue, d.isFinite { return d }
        throw ResultProblems.badScore(value, pack: pack, contract: contract)
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
