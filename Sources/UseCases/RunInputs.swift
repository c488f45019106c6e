import Portfolio
import RuleEngine
import Workers

/// What every use case runs on: the rule pack, the register, the evaluation date and how to
/// evaluate (workers, limits). Commands fill it from their options; the workbench from a form.
public struct RunInputs: Sendable {
    /// The rule pack directory.
    public var rules: String
    /// The contract register file.
    public var portfolio: String
    public var loadOptions: LoadOptions
    public var asOf: ContractDate
    /// Worker threads; 0 = one per core.
    public var jobs: Int
    public var limits: RuleLimits
    /// Recorded in provenance, e.g. "0.1.0".
    public var toolVersion: String

    public init(rules: String, portfolio: String, loadOptions: LoadOptions = LoadOptions(), asOf: ContractDate,
                jobs: Int = 0, limits: RuleLimits = RuleLimits(), toolVersion: String) {
        self.rules = rules
        self.portfolio = portfolio
        self.loadOptions = loadOptions
        self.asOf = asOf
        self.jobs = jobs
        self.limits = limits
        self.toolVersion = toolVersion
    }

    /// The worker threads `jobs` asks for.
    public var workers: Int { OrderedWorkers.threads(for: jobs) }

    /// Reads the rule pack (its files; loading them into Lua comes after the register opens).
    func readRules() throws(RuleError) -> RulePack { try RulePack.load(directory: rules) }

    func openPortfolio() throws(PortfolioError) -> PortfolioReader {
        try PortfolioReader.open(path: portfolio, options: loadOptions)
    }
}

/// What a long run tells its caller as it goes, and how the caller stops it.
public struct RunObserver {
    /// Contracts evaluated so far.
    public var progress: ((Int) -> Void)?
    /// Things worth saying that are not failures (skipped rows, unmapped fields, no history).
    public var note: (RunNote) -> Void
    /// Requested (e.g. on Ctrl-C): the run stops and throws `Interrupted`.
    public var interruption: Interruption?

    public init(progress: ((Int) -> Void)? = nil, note: @escaping (RunNote) -> Void = { _ in },
                interruption: Interruption? = nil) {
        self.progress = progress
        self.note = note
        self.interruption = interruption
    }

    /// The reader's skipped rows and notices, once the register has been read.
    func noteInputIssues(skipped: [InputIssue], notices: [InputIssue]) {
        for issue in skipped { note(.skipped(issue)) }
        for issue in notices { note(.notice(issue)) }
    }
}

/// Something a run says on the way that is not a failure, in the words the CLI prints after
/// "cmrg: ".
public enum RunNote: Sendable, Equatable, CustomStringConvertible {
    /// A row left out (`--skip-invalid`).
    case skipped(InputIssue)
    /// A field the loader could not map.
    case notice(InputIssue)
    /// No review history beside the register: the plan assumes no past reviews.
    case noHistory(looked: [String])
    /// The history has reviews of contracts the register does not hold.
    case unknownReviewedContracts([String], portfolio: String)

    public var description: String {
        switch self {
        case .skipped(let issue): return "skipped \(issue)"
        case .notice(let issue): return "note: \(issue)"
        case .noHistory(let looked):
            return "note: no review history (\(looked.joined(separator: " or "))): planning as if no contract was ever reviewed"
        case .unknownReviewedContracts(let ids, let portfolio):
            return "note: the review history has reviews of \(ids.count) contract\(ids.count == 1 ? "" : "s") not in \(portfolio): "
                + ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : "")
        }
    }
}
