import LuaHost
import Portfolio

/// One thing `cmrg check` found, at a rule file line.
public struct CheckFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    public var location: RuleLocation
    public var message: String
    /// How to fix it, shown on a second line.
    public var hint: String?

    public init(severity: Severity, location: RuleLocation, message: String, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// One line under 2 KB (then the hint), whatever the rule threw.
    public var description: String {
        "\(location): \(severity.rawValue): \(RuleError.oneLine(message, maxBytes: 1700))"
            + (hint.map { "\n  " + RuleError.oneLine($0, maxBytes: 300) } ?? "")
    }
}

public struct PackCheckReport: Sendable {
    public var findings: [CheckFinding]
    /// How many synthetic contracts the probe run evaluated.
    public var probeCount: Int
    /// How many contracts of the register were evaluated (0 without one).
    public var registerCount: Int = 0
    /// Whether the pack defines the optional `flags(c)`.
    public var definesFlags = false
    public var errors: Int { findings.filter { $0.severity == .error }.count }
    public var warnings: Int { findings.filter { $0.severity == .warning }.count }
}

/// `cmrg check`: finds mistakes in a rule pack before it is used.
///
/// - Names: every rule file is parsed with Lua's scoping rules, so each global a rule reads or
///   assigns is found in every branch without running it. A global read that neither the
///   loaded pack nor the host defines (`setings.tier`) is an error, as is assigning inside a
///   function a global the pack never declares (a mistyped local: it is gone after each
///   contract). `c.field` reads are compared with the contract's fields.
/// - Settings: a settings path read that the loaded settings lack is an error; keys of
///   `settings = { … }` that no rule file mentions are reported.
/// - The register (`--portfolio`): `c.extra.NAME` for a column it lacks is an error, and every
///   contract is evaluated: wherever `evaluate` would stop is an error.
/// - Probes: `tier` and `score` run on synthetic contracts (value, risk and complexity on both
///   sides of every number in `settings`, with and without missing fields, categories, titles
///   and extra values from the register); a tier name that is not one is an error at its
///   `return`; another failure, or a `return "Silver"` in `tier` that neither the register nor
///   any probe reaches, is a warning.
/// - Warnings for legal but suspicious code, as luacheck gives them (`LuaLint`).
public enum PackCheck {
    /// Syntax errors of every file, each compiled on its own without running it (so all of
    /// them are reported, not just the first).
    public static func syntaxErrors(_ pack: RulePack) -> [RuleError] {
        pack.files.compactMap { file -> RuleError? in
            do throws(LuaError) {
                _ = try LuaChunkInfo.activeLines(source: file.text, chunkName: file.path)
                return nil
            } catch {
                return RuleError(loading: error, in: pack)
            }
        }
    }

    /// Settings subtrees the host reads itself (the planner reads `settings.plan`), so they
    /// are in use even when no rule file mentions them.
    static let hostReadSettings: Set<String> = ["plan"]

    /// Loads the pack (throwing load errors and a missing tier/score as evaluate would), then
    /// reports findings in file and line order.
    public static func run(pack: RulePack, asOf: ContractDate, limits: RuleLimits = RuleLimits(),
                           register: CheckRegister? = nil) throws(RuleError) -> PackCheckReport {
        // One state, with coverage: it yields the settings and globals, and runs the register
        // and the probes. Without a register, any column the rules read may exist: only names
        // are checked.
        let prepared = try PreparedPack(pack, asOf: asOf, limits: limits, coverage: true,
                                        alsoKnownColumns: register == nil ? PackSource(pack).readColumns : [])
        let evaluator = try prepared.borrow(1, extraColumns: register?.extraColumns ?? [])[0]
        var findings: [CheckFinding] = []
        // The forward plan's settings, checked as `cmrg plan` reads them.
        if prepared.definesPlan {
            do throws(PlanPolicyError) {
                _ = try PlanPolicy(settings: prepared.planSettingsValue)
            } catch {
                for problem in error.problems {
                    findings.append(CheckFinding(severity: .error,
                                                 location: PlanSettingsLocation.locate(problem, in: pack) ?? RuleLocation(file: pack.directory, line: 1),
                                                 message: problem))
                }
            }
        }
        var factsByFile: [(RulePack.File, LuaSourceFacts)] = []
        for file in pack.files {
            if let facts = LuaSourceFacts.analyse(file.text) {
                factsByFile.append((file, facts))
            } else {
                findings.append(CheckFinding(severity: .warning, location: RuleLocation(file: file.path, line: 1),
                                             message: "this file could not be analysed (names and settings in it are not checked)"))
            }
        }
        let knownGlobals = prepared.globals
        let assigned = Set(factsByFile.flatMap { $0.1.globals.filter(\.isWrite).map(\.name) })

        for (file, facts) in factsByFile {
            var reported = Set<String>()
            for use in facts.globals where reported.insert("\(use.line) \(use.name) \(use.isWrite)").inserted {
                let at = RuleLocation(file: file.path, line: use.line)
                if !use.isWrite, !evaluator.definesGlobal(use.name), !assigned.contains(use.name) {
                    findings.append(CheckFinding(severity: .error, location: at, message: undefinedGlobal(
                        use.name, locals: use.visibleLocals, globals: knownGlobals + assigned, assigning: false)))
                } else if use.isWrite, use.function != nil, !evaluator.definesGlobal(use.name) {
                    findings.append(CheckFinding(severity: .error, location: at, message: undefinedGlobal(
                        use.name, locals: use.visibleLocals, globals: knownGlobals, assigning: true)))
                }
            }
            for write in facts.contractWrites {
                findings.append(CheckFinding(severity: .error, location: RuleLocation(file: file.path, line: write.line),
                    message: "the contract is read-only: assigning c.\(write.path.joined(separator: ".")) stops the run"))
            }
            for read in facts.contractFields where !contractFields.contains(read.path[0]) {
                let field = read.path[0]
                let nearest = NearestNames.typo(of: field, among: contractFields)
                findings.append(CheckFinding(severity: .error, location: RuleLocation(file: file.path, line: read.line),
                    message: "the contract has no field '\(field)'"
                        + (nearest.map { " (did you mean '\($0)'?)" } ?? "; extra register columns are under c.extra")))
            }
        }
        findings += unusedSettings(factsByFile)
        findings += settingsFindings(factsByFile, settings: prepared.settingsTable)
        findings += lintFindings(factsByFile)
        var sample = RegisterSample()
        var registerCount = 0
        if let register {
            findings += columnFindings(factsByFile, register: register, optional: prepared.optionalColumns)
            let registerFindings: [CheckFinding]
            (registerFindings, sample, registerCount) = Self.registerFindings(evaluator, register, pack: pack)
            findings += consequencesLeftOut(registerFindings, findings)
        }
        let (probeFindings, probeCount) = probe(evaluator, pack: pack, settings: prepared.settings, asOf: asOf,
                                                facts: factsByFile, sample: sample,
                                                extraCount: register?.extraColumns.count ?? 0, registerCount: registerCount,
                                                reportUnreached: !findings.contains { $0.severity == .error })
        findings += consequencesLeftOut(probeFindings, findings)

        let fileOrder = Dictionary(uniqueKeysWithValues: pack.files.enumerated().map { ($1.path, $0) })
        findings.sort { a, b in
            let (fa, fb) = (fileOrder[a.location.file] ?? .max, fileOrder[b.location.file] ?? .max)
            if fa != fb { return fa < fb }
            if a.location.line != b.location.line { return a.location.line < b.location.line }
            return a.message < b.message
        }
        return PackCheckReport(findings: findings, probeCount: probeCount, registerCount: registerCount,
                               definesFlags: evaluator.definesFlags)
    }

    /// `new` without what fails on a line that already has an error: that error's consequence.
    static func consequencesLeftOut(_ new: [CheckFinding], _ found: [CheckFinding]) -> [CheckFinding] {
        let errorLines = Set(found.filter { $0.severity == .error }.map(\.location))
        return new.filter { !errorLines.contains($0.location) }
    }

    static let contractFields = RuleEvaluator.fieldNames + ["extra"]

    /// Settings keys whose name no rule file reads as a field or writes as a string; a table
    /// nobody reads is reported once, not once per key inside it.
    static func unusedSettings(_ factsByFile: [(RulePack.File, LuaSourceFacts)]) -> [CheckFinding] {
        var reads: [String: Int] = [:]
        var strings = Set<String>()
        for (_, facts) in factsByFile {
            reads.merge(facts.fieldReads, uniquingKeysWith: +)
            strings.formUnion(facts.stringLiterals)
        }
        let dynamic = factsByFile.flatMap { $0.1.dynamicSettings }
        var findings: [CheckFinding] = []
        var unusedPrefixes: [[String]] = []
        let keys = factsByFile.flatMap { file, facts in facts.settingsKeys.map { (file.path, $0) } }
            .sorted { $0.1.path.count < $1.1.path.count }
        for (path, key) in keys {
            guard key.path.count > 1, !hostReadSettings.contains(key.path[1]) else { continue }
            if unusedPrefixes.contains(where: { key.path.starts(with: $0) }) { continue }
            if dynamic.contains(where: { key.path.starts(with: $0) && key.path.count > $0.count }) { continue }
            let name = key.path.last!
            if reads[name, default: 0] <= 0 && !strings.contains(name) {
                unusedPrefixes.append(key.path)
                findings.append(CheckFinding(severity: .warning, location: RuleLocation(file: path, line: key.line),
                                             message: "\(key.path.joined(separator: ".")) is set but no rule reads it"))
            }
        }
        return findings
    }

    // MARK: probes

    /// Runs the pack on synthetic contracts around every number in `settings`.
    static func probe(_ evaluator: RuleEvaluator, pack: RulePack, settings: [String: String], asOf: ContractDate,
                      facts: [(RulePack.File, LuaSourceFacts)], sample: RegisterSample, extraCount: Int,
                      registerCount: Int, reportUnreached: Bool) -> ([CheckFinding], Int) {
        let contracts = probeContracts(settings: settings, asOf: asOf, sample: sample, extraCount: extraCount)
        var findings: [CheckFinding] = []
        if let cut = probingCut(settings: settings, ran: contracts.count, pack: pack) { findings.append(cut) }
        var failedAt = Set<String>()
        for contract in contracts {
            do {
                _ = try evaluator.evaluate(contract)
            } catch {
                let key = error.location?.description ?? error.message
                guard failedAt.insert(key).inserted else { continue }
                let at = error.location ?? RuleLocation(file: pack.files.first?.path ?? pack.directory, line: 1)
                let function = error.entryPoint.map { "\($0.rawValue)(c)" } ?? "the rules"
                // A tier name that is not one stops evaluate on the first contract to get it.
                let wrongTier = error.kind == .badReturn && error.entryPoint == .tier
                findings.append(CheckFinding(severity: wrongTier ? .error : .warning, location: at,
                    message: wrongTier ? "\(error.message) for a contract with \(describe(contract))"
                        : "\(function) fails for a contract with \(describe(contract)): \(error.message)",
                    hint: wrongTier ? error.hint : nil))
            }
        }
        // Only when every probe ran to the end: a failure would leave branches unvisited.
        if failedAt.isEmpty && reportUnreached {
            let ran = evaluator.coveredLines
            let register = registerCount > 0 ? "the \(registerCount) register contracts or " : ""
            for (file, fileFacts) in facts {
                for tierReturn in fileFacts.tierReturns where !(ran[file.path]?.contains(tierReturn.line) ?? false) {
                    findings.append(CheckFinding(severity: .warning, location: RuleLocation(file: file.path, line: tierReturn.line),
                        message: "tier(c) never returns \"\(tierReturn.tier)\" here for any of \(register)\(contracts.count) probe contracts "
                            + "(value, risk and complexity on both sides of every threshold): is an earlier condition always true?"))
                }
            }
        }
        return (findings, contracts.count)
    }

    /// Value, risk and complexity crossed on both sides of every number in settings; the
    /// other fields cycle through blank and typical values, and through the register's
    /// categories, titles, directorates, suppliers and extra values.
    static func probeContracts(settings: [String: String], asOf: ContractDate, sample: RegisterSample = RegisterSample(),
                               extraCount: Int = 0) -> [Contract] {
        let numbers = settings.values.compactMap(Double.init).filter { $0 > 0 && $0.isFinite }
        var values: [Double?] = [nil, 0, 1e12]
        for n in Set(numbers).sorted() { values += [n - 1, n] }
        values = budgeted(values)
        let levels: [Int?] = [nil, 1, 2, 3, 4, 5]
        let ends: [Int?] = [nil, -400, -30, 30, 120, 300, 500, 900, 1500, 3000]
        let texts = settings.values.filter { $0.hasPrefix("\"") }.map { String($0.dropFirst().dropLast()) }.sorted()
        let audits: [String?] = [nil] + texts
        var out: [Contract] = []
        for value in values {
            for risk in levels {
                for complexity in levels {
                    let i = out.count
                    var probe = Contract(
                        id: "PROBE-\(i + 1)", title: RegisterSample.pick(sample.titles, i) ?? "Probe contract \(i + 1)",
                        supplier: RegisterSample.pick(sample.suppliers, i), directorate: RegisterSample.pick(sample.directorates, i),
                        category: RegisterSample.pick(sample.categories, i), valueTotal: value,
                        valueAnnual: value.map { $0 / 5 }, startDate: asOf.adding(days: -700),
                        endDate: ends[i % ends.count].map { asOf.adding(days: $0) },
                        risk: risk, complexity: complexity, strategicImportance: levels[(i / 7) % levels.count],
                        memberSuggested: i % 3 == 0 ? "Cllr Probe" : nil, auditPlanned: audits[(i / 3) % audits.count])
                    probe.extras = (0..<extraCount).map { k in k < sample.extras.count ? RegisterSample.pick(sample.extras[k], i + k) : nil }
                    out.append(probe)
                }
            }
        }
        return out
    }

    static func describe(_ c: Contract) -> String {
        func level(_ name: String, _ v: Int?) -> String { v.map { "\(name) \($0)" } ?? "\(name) not assessed" }
        let value = c.valueTotal.map { v in
            "value_total " + (v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : LuaValue.format(v))
        } ?? "no value_total"
        return [value, level("risk", c.risk), level("complexity", c.complexity),
                c.endDate.map { "end_date \($0.iso)" } ?? "no end_date"].joined(separator: ", ")
    }
}
