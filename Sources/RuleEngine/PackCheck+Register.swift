import Portfolio

/// The register `cmrg check` holds a pack against (`--portfolio`, the sample by default):
/// its extra columns, and its contracts, read in batches.
public struct CheckRegister {
    public var path: String
    public var extraColumns: [String]
    /// The next contracts in register order; [] at the end.
    public var nextBatch: () -> [Contract]

    public init(path: String, extraColumns: [String], nextBatch: @escaping () -> [Contract]) {
        self.path = path
        self.extraColumns = extraColumns
        self.nextBatch = nextBatch
    }
}

/// Values seen in the register, for probe contracts that reach what a rule tests
/// (`c.category == "PFI"`): a few distinct values of each text field and extra column.
struct RegisterSample {
    static let kept = 40
    var categories: [String] = []
    var titles: [String] = []
    var directorates: [String] = []
    var suppliers: [String] = []
    /// Per extra column (in register order), its distinct values.
    var extras: [[String]] = []

    mutating func add(_ c: Contract) {
        func keep(_ value: String?, _ list: inout [String]) {
            if let value, list.count < Self.kept, !list.contains(value) { list.append(value) }
        }
        keep(c.category, &categories)
        keep(c.title, &titles)
        keep(c.directorate, &directorates)
        keep(c.supplier, &suppliers)
        if extras.count < c.extras.count { extras += Array(repeating: [], count: c.extras.count - extras.count) }
        for (i, value) in c.extras.enumerated() { keep(value, &extras[i]) }
    }

    /// The `i`th value of a list, cycling, with blank every so often; nil for an empty list.
    static func pick(_ list: [String], _ i: Int) -> String? {
        list.isEmpty || i % (list.count + 1) == list.count ? nil : list[i % (list.count + 1)]
    }
}

extension PackCheck {
    /// Errors for `c.extra.NAME` reads of columns the register does not have (nor the pack
    /// declares optional), worded as the sandbox words them.
    static func columnFindings(_ factsByFile: [(RulePack.File, LuaSourceFacts)], register: CheckRegister,
                               optional: [String]) -> [CheckFinding] {
        let known = Set(register.extraColumns + optional)
        var out: [CheckFinding] = []
        for (file, facts) in factsByFile {
            for read in facts.columns where !known.contains(read.path[0]) {
                out.append(CheckFinding(severity: .error, location: RuleLocation(file: file.path, line: read.line),
                    message: "the register has no column '\(read.path[0])' (its extra columns: "
                        + listing(register.extraColumns + optional, nearest: read.path[0]) + ")"))
            }
        }
        return out
    }

    /// Names nearest to `name` first (ties in byte order), at most 12: "a, b, …", or "none".
    static func listing(_ names: [String], nearest name: String) -> String {
        guard !names.isEmpty else { return "none" }
        let target = Array(name.lowercased().utf8)
        let ranked = Set(names).map { (NearestNames.typoDistance(target, Array($0.lowercased().utf8)), $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : Array($0.1.utf8).lexicographicallyPrecedes($1.1.utf8) }
        return ranked.prefix(12).map(\.1).joined(separator: ", ") + (ranked.count > 12 ? ", …" : "")
    }

    /// Evaluates every contract of the register, as `evaluate` would: each place where that
    /// stops is an error (once, with the first contract it stops on). Also samples the values
    /// probes should use.
    static func registerFindings(_ evaluator: RuleEvaluator, _ register: CheckRegister,
                                 pack: RulePack) -> ([CheckFinding], RegisterSample, Int) {
        var findings: [CheckFinding] = []
        var sample = RegisterSample()
        var failedAt = Set<String>()
        var count = 0
        while true {
            let batch = register.nextBatch()
            if batch.isEmpty { break }
            for contract in batch {
                count += 1
                sample.add(contract)
                do {
                    _ = try evaluator.evaluate(contract)
                } catch {
                    guard failedAt.insert(error.location?.description ?? error.message).inserted else { continue }
                    let context = RuleError(kind: error.kind, message: error.message, contractID: error.contractID,
                                            contractTitle: error.contractTitle, entryPoint: error.entryPoint)
                    findings.append(CheckFinding(severity: .error,
                        location: error.location ?? RuleLocation(file: pack.files.first?.path ?? pack.directory, line: 1),
                        message: "evaluate stops here: " + context.description, hint: error.hint))
                }
            }
        }
        return (findings, sample, count)
    }
}
