import LuaHost
import Portfolio

/// One thing `cmrg check` found, at a rule file line.
public struct CheckFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    public var location: RuleLocation
    public var message: String
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

public struct PackCheckReport: Sendable {
    public var findings: [CheckFinding]
    /// How many synthetic contracts the probe run evaluated.
    public var probeCount: Int
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
/// - Settings: keys of `settings = { … }` that no rule file mentions are reported.
/// - Probes: `tier` and `score` run on synthetic contracts (value, risk and complexity on both
///   sides of every number in `settings`, with and without missing fields); a failure, or a
///   `return "Silver"` in `tier` that no probe reaches, is a warning.
public enum PackCheck {
    /// Syntax errors of every file, each compiled on its own without running it (so all of
    /// them are reported, not just the first).
    public static func syntaxErrors(_ pack: RulePack) -> [RuleError] {
        pack.files.compactMap { file -> RuleError? in
            do throws(LuaError) {
                _ = try LuaChunkInfo.activeLines(source: file.text, chunkName: file.path)
                return nil
            } catch {
                return RuleError(error, kind: .load)
            }
        }
    }

    /// Settings subtrees the host reads itself (the planner reads `settings.plan`), so they
    /// are in use even when no rule file mentions them.
    static let hostReadSettings: Set<String> = ["plan"]

    /// Loads the pack (throwing load errors and a missing tier/score as evaluate would), then
    /// reports findings in file and line order.
    public static func run(pack: RulePack, asOf: ContractDate, limits: RuleLimits = RuleLimits()) throws(RuleError) -> PackCheckReport {
        // One state, with coverage: it yields the settings and globals, and runs the probes.
        let prepared = try PreparedPack(pack, asOf: asOf, limits: limits, coverage: true)
        let evaluator = try prepared.borrow(1, extraColumns: [])[0]
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
                    let nearest = NearestNames.closest(to: use.name, among: knownGlobals + use.visibleLocals + assigned, count: 1)
                    findings.append(CheckFinding(severity: .error, location: at, message: "'\(use.name)' is not defined"
                        + (nearest.first.map { " (did you mean '\($0)'?)" } ?? "")))
                } else if use.isWrite, let function = use.function, !evaluator.definesGlobal(use.name) {
                    let local = NearestNames.closest(to: use.name, among: use.visibleLocals, count: 1).first
                    findings.append(CheckFinding(severity: .error, location: at,
                        message: "'\(use.name)' is assigned inside \(function) but is not a local or a global defined when the pack loads; "
                            + (local.map { "did you mean the local '\($0)'?" } ?? "declare it with local")))
                }
            }
            for field in facts.contractFields {
                let at = RuleLocation(file: file.path, line: field.line)
                if field.isWrite {
                    findings.append(CheckFinding(severity: .error, location: at,
                        message: "the contract is read-only: assigning c.\(field.field) stops the run"))
                } else if !contractFields.contains(field.field) {
                    let nearest = NearestNames.closest(to: field.field, among: contractFields, count: 1)
                    findings.append(CheckFinding(severity: .error, location: at, message: "the contract has no field '\(field.field)'"
                        + (nearest.first.map { " (did you mean '\($0)'?)" } ?? "; extra register columns are under c.extra")))
                }
            }
        }
        findings += unusedSettings(factsByFile)

        let (probeFindings, probeCount) = probe(evaluator, pack: pack, settings: prepared.settings, asOf: asOf,
                                                facts: factsByFile)
        // A probe failing on a line that already has an error is that error's consequence.
        let errorLines = Set(findings.filter { $0.severity == .error }.map(\.location))
        findings += probeFindings.filter { !errorLines.contains($0.location) }

        let fileOrder = Dictionary(uniqueKeysWithValues: pack.files.enumerated().map { ($1.path, $0) })
        findings.sort { a, b in
            let (fa, fb) = (fileOrder[a.location.file] ?? .max, fileOrder[b.location.file] ?? .max)
            if fa != fb { return fa < fb }
            if a.location.line != b.location.line { return a.location.line < b.location.line }
            return a.message < b.message
        }
        return PackCheckReport(findings: findings, probeCount: probeCount)
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
                      facts: [(RulePack.File, LuaSourceFacts)]) -> ([CheckFinding], Int) {
        let contracts = probeContracts(settings: settings, asOf: asOf)
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
                findings.append(CheckFinding(severity: .warning, location: at,
                    message: "\(function) fails for a contract with \(describe(contract)): \(error.message)"))
            }
        }
        // Only when every probe ran to the end: a failure would leave branches unvisited.
        if failedAt.isEmpty {
            let ran = evaluator.coveredLines
            for (file, fileFacts) in facts {
                for tierReturn in fileFacts.tierReturns where !(ran[file.path]?.contains(tierReturn.line) ?? false) {
                    findings.append(CheckFinding(severity: .warning, location: RuleLocation(file: file.path, line: tierReturn.line),
                        message: "tier(c) never returns \"\(tierReturn.tier)\" here for any of \(contracts.count) probe contracts "
                            + "(value, risk and complexity on both sides of every threshold): is an earlier condition always true?"))
                }
            }
        }
        return (findings, contracts.count)
    }

    /// Value, risk and complexity crossed on both sides of every number in settings; the
    /// other fields cycle through blank and typical values.
    static func probeContracts(settings: [String: String], asOf: ContractDate) -> [Contract] {
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
                    out.append(Contract(
                        id: "PROBE-\(i + 1)", title: "Probe contract \(i + 1)", valueTotal: value,
                        valueAnnual: value.map { $0 / 5 }, startDate: asOf.adding(days: -700),
                        endDate: ends[i % ends.count].map { asOf.adding(days: $0) },
                        risk: risk, complexity: complexity, strategicImportance: levels[(i / 7) % levels.count],
                        memberSuggested: i % 3 == 0 ? "Cllr Probe" : nil, auditPlanned: audits[(i / 3) % audits.count]))
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
