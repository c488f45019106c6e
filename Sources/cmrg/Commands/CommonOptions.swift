import ArgumentParser
import Foundation
import Portfolio
import Reports
import RuleEngine

/// Options every command that runs the rule pack shares.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: "Rule pack directory.")
    var rules: String = "rules"

    @Option(name: .customLong("as-of"), help: "Evaluation date, YYYY-MM-DD (default: today). Pin it for repeatable output.")
    var asOf: String?

    @Option(name: .long, help: "Worker threads; 0 = one per core.")
    var jobs: Int = 0

    @Option(name: .customLong("max-instructions"), help: "Lua instructions one rule call may run.")
    var maxInstructions: Int = RuleLimits().instructions

    @Option(name: .customLong("time-limit"), help: "Seconds one rule call may take.")
    var timeLimit: Double = 2

    @Option(name: .customLong("memory-limit"), help: "MiB of memory per Lua state.")
    var memoryLimit: Int = RuleLimits().memoryBytes >> 20

    @OptionGroup var supervision: SupervisionOptions

    func validate() throws {
        if let asOf, ContractDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)")
        }
        if jobs < 0 { throw ValidationError("--jobs must be 0 (one per core) or more") }
        if maxInstructions <= 0 || timeLimit <= 0 || memoryLimit <= 0 {
            throw ValidationError("--max-instructions, --time-limit and --memory-limit must be positive")
        }
    }

    /// Threads `--jobs` asks for (0 = one per core).
    var workerCount: Int { jobs > 0 ? jobs : max(1, ProcessInfo.processInfo.activeProcessorCount) }

    var evaluationDate: ContractDate { asOf.flatMap { ContractDate(iso: $0) } ?? .today }

    var limits: RuleLimits {
        RuleLimits(instructions: maxInstructions, timeLimit: .milliseconds(Int64(timeLimit * 1000)),
                  memoryBytes: memoryLimit << 20)
    }

    func loadPack() throws -> RulePack { try RulePack.load(directory: rules) }
}

/// Options naming the portfolio (contract register) to read.
struct PortfolioOptions: ParsableArguments {
    @Option(name: .long, help: "Contract register: canonical CSV, Transparency Code CSV or OCDS JSON/JSON Lines.")
    var portfolio: String = "samples/portfolio.csv"

    @Option(name: .customLong("input-format"), help: "Force the register format (csv, transparency, ocds) instead of detecting it.")
    var inputFormat: PortfolioFormat?

    @Flag(name: .customLong("skip-invalid"), help: "Skip invalid rows (reported on stderr) instead of stopping.")
    var skipInvalid = false

    func open() throws -> PortfolioReader {
        try PortfolioReader.open(path: portfolio, options: LoadOptions(format: inputFormat, skipInvalid: skipInvalid))
    }
}

extension PortfolioFormat: ExpressibleByArgument {}

/// Output options of the report-like commands.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv, json or markdown.")
    var format: OutputFormat = .table

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?
}

extension OutputFormat: ExpressibleByArgument {}
