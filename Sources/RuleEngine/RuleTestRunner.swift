import Breadcrumbs
import Foundation
import LuaHost
import Portfolio

/// The outcome of one test case.
public struct RuleTestResult: Sendable {
    public var testCase: RuleTestCase
    /// What did not match, one plain sentence each; empty when the case passed.
    public var failures: [String]
    /// The rules' decision (nil when the rules failed on the contract).
    public var evaluation: Evaluation?
    /// The rule error, when evaluating the case's contract failed.
    public var error: RuleError?
    public var passed: Bool { failures.isEmpty && error == nil }
}

/// Everything `cmrg test` found, in file and line order.
public struct RuleTestRun: Sendable {
    public enum Entry: Sendable {
        case result(RuleTestResult)
        case problem(RuleTestProblem)
    }

    public var entries: [Entry]
    public var files: [String]
    public var coverage: CoverageReport?

    public var passed: Int { entries.filter { if case .result(let r) = $0 { r.passed } else { false } }.count }
    public var failed: Int { entries.filter { if case .result(let r) = $0 { !r.passed } else { false } }.count }
    public var problems: Int { entries.filter { if case .problem = $0 { true } else { false } }.count }
    public var succeeded: Bool { failed == 0 && problems == 0 && passed > 0 }
}

/// Runs the test files of a rule pack: each file builds its cases in its own sandbox; every
/// case's contract is evaluated by the real RuleEvaluator, so a test sees exactly what
/// `cmrg evaluate` would decide.
public enum RuleTestRunner {
    /// `<pack>/tests/*.lua`, in file-name order.
    public static func testFiles(of pack: RulePack) -> [String] {
        let directory = pack.directory.hasSuffix("/") ? pack.directory + "tests" : pack.directory + "/tests"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return RulePack.ruleFileNames(among: names).map { directory + "/" + $0 }
    }

    /// Runs every case of the pack's test files; throws when it has none (a pack without
    /// tests never passes) or when the pack itself does not load.
    public static func run(pack: RulePack, asOf defaultAsOf: ContractDate, coverage: Bool = false,
                           limits: RuleLimits = RuleLimits()) throws(RuleError) -> RuleTestRun {
        let files = testFiles(of: pack)
        if files.isEmpty {
            throw RuleError(kind: .load, message: "no test files in \(pack.directory)/tests (write *.lua files with case \"…\" { … } there)")
        }
        return try run(pack: pack, files: files, asOf: defaultAsOf, coverage: coverage, limits: limits)
    }

    /// Runs every case. Throws only when the pack itself does not load.
    public static func run(pack: RulePack, files: [String], asOf defaultAsOf: ContractDate, coverage: Bool = false,
                           limits: RuleLimits = RuleLimits()) throws(RuleError) -> RuleTestRun {
        var entries: [RuleTestRun.Entry] = []
        var cases: [RuleTestCase] = []
        for file in files {
            let (found, problems) = loadCases(file: file, pack: pack)
            cases += found
            entries += problems.map { .problem($0) }
            entries += found.map { .result(RuleTestResult(testCase: $0, failures: [], evaluation: nil, error: nil)) }
        }
        let extraColumns = Set(cases.flatMap(\.extras.keys)).sorted()
        // A case is a contract of some register: a column the rules read that no case gives
        // is blank, not missing (`cmrg check` holds the names against a real register).
        let readColumns = PackSource(pack).readColumns
        // One Lua state at a time: cases are run date by date (a state per distinct as_of
        // would let a test file with thousands of dates hold thousands of states), the
        // lines each state ran collected before it goes.
        var ran: [String: Set<Int>] = [:]
        func collect(_ evaluator: RuleEvaluator) {
            guard coverage else { return }
            for (chunk, lines) in evaluator.coveredLines { ran[chunk, default: []].formUnion(lines) }
        }
        // The pack must load even when no case can run, so a broken pack is never "passing".
        var current = (date: defaultAsOf, evaluator: try RuleEvaluator(pack: pack, asOf: defaultAsOf, extraColumns: extraColumns,
                                                                      alsoKnownColumns: readColumns, limits: limits,
                                                                      coverage: coverage))
        let pending = entries.indices.filter { if case .result = entries[$0] { true } else { false } }
        let byDate = pending.map { index -> (Int, ContractDate) in
            guard case .result(let r) = entries[index] else { return (index, defaultAsOf) }
            return (index, r.testCase.asOf ?? defaultAsOf)
        }.sorted { $0.1 != $1.1 ? ($0.1 == defaultAsOf || ($1.1 != defaultAsOf && $0.1 < $1.1)) : $0.0 < $1.0 }
        for (index, date) in byDate {
            guard case .result(var result) = entries[index] else { continue }
            if date != current.date {
                collect(current.evaluator)
                current = (date, try RuleEvaluator(pack: pack, asOf: date, extraColumns: extraColumns,
                                                   alsoKnownColumns: readColumns, limits: limits, coverage: coverage))
            }
            var contract = result.testCase.contract
            contract.extras = extraColumns.map { result.testCase.extras[$0] }
            do {
                let evaluation = try current.evaluator.evaluate(contract)
                result.evaluation = evaluation
                result.failures = check(result.testCase.expectations, against: evaluation)
            } catch {
                result.error = error
            }
            entries[index] = .result(result)
        }
        collect(current.evaluator)
        entries = entries.enumerated().sorted { a, b in
            let (x, y) = (order(a.element), order(b.element))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)

        var report: CoverageReport?
        if coverage { report = try CoverageReport(pack: pack, ran: ran) }
        return RuleTestRun(entries: entries, files: files, coverage: report)
    }

    static func order(_ entry: RuleTestRun.Entry) -> (String, Int) {
        switch entry {
        case .result(let r): (r.testCase.location.file, r.testCase.location.line)
        case .problem(let p): (p.location.file, p.location.line)
        }
    }

    /// Sentences for each expectation the evaluation does not meet.
    static func check(_ expectations: [RuleTestCase.Expectation], against e: Evaluation) -> [String] {
        var failures: [String] = []
        for expectation in expectations {
            switch expectation {
            case .tier(let tier) where tier != e.tier:
                failures.append("tier: expected \(tier.rawValue), got \(e.tier.rawValue)")
            case .score(let expected) where !expected.matches(e.score):
                failures.append("score: expected \(expected), got \(RuleTestCase.number(e.score))")
            case .factor(let name, let expected):
                let matching = e.factors.filter { $0.name == name }
                let points = matching.reduce(0) { $0 + $1.points }
                if !expected.matches(points) {
                    let got = matching.isEmpty ? "no '\(name)' factor (0)" : RuleTestCase.number(points)
                    failures.append("factor \(name): expected \(expected), got \(got)")
                }
            case .reason(let text) where !e.reasons.contains(where: { $0.text.contains(text) }):
                failures.append("reason: expected one containing \"\(text)\", got none")
            case .flags(let wanted):
                let got = e.flags.map { "\($0.name) \"\($0.text)\"" }.joined(separator: ", ")
                let names = Set(e.flags.map(\.name))
                if names != Set(wanted.keys) {
                    failures.append("flags: expected " + (wanted.isEmpty ? "none" : wanted.keys.sorted().joined(separator: ", "))
                                    + ", got " + (got.isEmpty ? "none" : got))
                }
                for (name, text) in wanted.sorted(by: { $0.key < $1.key }) {
                    guard let text, names.contains(name), !e.flags.contains(where: { $0.name == name && $0.text.contains(text) }) else { continue }
                    failures.append("flag \(name): expected a text containing \"\(text)\", got \(got)")
                }
            default: break
            }
        }
        return failures
    }

    /// Runs one test file in its own sandbox and reads the cases it declared.
    static func loadCases(file: String, pack: RulePack) -> ([RuleTestCase], [RuleTestProblem]) {
        let fileLocation = RuleLocation(file: file, line: 1)
        let text: String
        switch PackBoundary.read(file, inPack: pack.directory) {
        case .success(let read): text = read
        case .failure(let refusal):
            return ([], [RuleTestProblem(location: fileLocation, message: "test file " + refusal.message)])
        }
        let raw: LuaValue
        let crumbs = Breadcrumbs.current?.claimSlot()
        defer { crumbs?.idle() }
        do {
            let sandbox = try LuaSandbox()
            crumbs?.watch(sandbox)
            crumbs?.loading(file)
            try sandbox.run(testPrelude, chunkName: "=(cmrg test prelude)")
            try sandbox.run(text, chunkName: file)
            raw = sandbox.global("__cmrg_cases")
        } catch {
            let location = RuleLocation(file: error.chunk ?? file, line: error.line ?? 1)
            return ([], [RuleTestProblem(location: location, message: error.message)])
        }
        var cases: [RuleTestCase] = []
        var problems: [RuleTestProblem] = []
        for item in raw.tableValue?.array ?? [] {
            guard let entry = item.tableValue, case .string(let name) = entry["name"] else { continue }
            let location = RuleLocation(file: file, line: entry["line"].intValue ?? 1)
            guard case .table(let spec) = entry["spec"] else { continue }
            do {
                cases.append(try RuleTestCaseReader.read(name: name, location: location, spec: spec,
                                                         defaults: entry["defaults"].tableValue))
            } catch {
                problems.append(RuleTestProblem(location: location, caseName: name, message: error.message))
            }
        }
        if cases.isEmpty && problems.isEmpty {
            problems.append(RuleTestProblem(location: fileLocation, message: "no cases: write case \"what it checks\" { contract = { ... }, tier = \"Gold\" }"))
        }
        return (cases, problems)
    }

    /// `case`, `defaults` and `blank` for test files. `case` notes the line it was called from: an
    /// error raised at level 4 from inside it carries the test file's position (the sandbox
    /// has no debug library).
    static let testPrelude = """
        local cases, current = {}, nil
        __cmrg_cases = cases
        blank = "\u{1}cmrg blank" -- a contract field left empty even when defaults set it
        local function caller_line()
          local _, where = pcall(error, "", 4)
          return tonumber(string.match(tostring(where), ":(%d+): $"))
        end
        function defaults(spec)
          if type(spec) ~= "table" then error('write defaults { as_of = "2026-11-24", contract = { ... } }', 2) end
          current = spec
        end
        function case(name)
          if type(name) ~= "string" then
            error('write a case as: case "what it checks" { contract = { ... }, tier = "Gold" }', 2)
          end
          local line = caller_line()
          return function(spec)
            if type(spec) ~= "table" then error('case "' .. name .. '": put { ... } after the name', 2) end
            cases[#cases + 1] = { name = name, line = line, spec = spec, defaults = current }
          end
        end
        """
}
