import ArgumentParser
import Foundation
import Portfolio
import Reports
import RuleEngine
import Supervisor
import UseCases

/// Options every command that runs the rule pack over a register shares: the rules, the
/// register, the date, workers and limits.
struct RunOptions: ParsableArguments {
    @Option(help: "Rule pack directory.") var rules: String = "rules"
    @Option(help: "Evaluation date, YYYY-MM-DD (default: today). Pin it for repeatable output.") var asOf: DateArgument?
    @Option(help: "Worker threads; 0 = one per core.") var jobs: Int = 0
    @Option(help: "Lua instructions one rule call may run: a deterministic limit, off by default (--time-limit stops endless loops).")
    var maxInstructions: Int?
    @Option(help: "Seconds one rule call may take.") var timeLimit: Double = 2
    @Option(help: "MiB of memory per Lua state.") var memoryLimit: Int = RuleLimits().memoryMiB

    @OptionGroup var supervision: SupervisionOptions
    @OptionGroup var input: PortfolioOptions

    func validate() throws {
        try DateArgument.check("--as-of", asOf)
        if jobs < 0 { throw ValidationError("--jobs must be 0 (one per core) or more") }
        if let problem = RuleLimits.problem(instructions: maxInstructions, seconds: timeLimit, memoryMiB: memoryLimit) {
            throw ValidationError(problem)
        }
    }

    /// What the use cases run on.
    var inputs: RunInputs {
        RunInputs(rules: rules, portfolio: input.portfolio,
                  loadOptions: LoadOptions(format: input.inputFormat, skipInvalid: input.skipInvalid),
                  asOf: asOf?.date ?? .today, jobs: jobs,
                  limits: RuleLimits(instructions: maxInstructions, seconds: timeLimit, memoryMiB: memoryLimit),
                  toolVersion: CMRG.configuration.version)
    }

    /// The supervisor's limits for a run over the register, each worker holding `packs` Lua states.
    func runLimits(packs: Int = 1) -> RunLimits {
        supervision.limits(register: input.portfolio, luaStates: packs * inputs.workers, luaStateMiB: memoryLimit)
    }
}

/// A date option (`--as-of`, `--from`), parsed once with the arguments. A value that is not a
/// date is kept for `check` to say so in cmrg's words (ArgumentParser's would differ).
struct DateArgument: ExpressibleByArgument {
    let text: String, date: ContractDate?

    init(argument: String) { (text, date) = (argument, ContractDate(iso: argument)) }

    /// The one check of a date option: `--as-of "25/11/2026" is not a date (YYYY-MM-DD)`.
    static func check(_ option: String, _ value: DateArgument?) throws {
        if let value, value.date == nil { throw ValidationError("\(option) \"\(value.text)\" is not a date (YYYY-MM-DD)") }
    }
}

/// Options naming the portfolio (contract register) to read.
struct PortfolioOptions: ParsableArguments {
    @Option(help: "Contract register: canonical CSV, Transparency Code CSV or OCDS JSON/JSON Lines.")
    var portfolio: String = "samples/portfolio.csv"
    @Option(help: "Force the register format (csv, transparency, ocds) instead of detecting it.") var inputFormat: PortfolioFormat?
    @Flag(help: "Skip invalid rows (reported on stderr) instead of stopping.") var skipInvalid = false
}

extension PortfolioFormat: ExpressibleByArgument {}

/// Output options of the report-like commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, csv, json or markdown.") var format: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.") var output: String?
    @Option(help: "Table width in columns (default: COLUMNS, else the terminal's width, else 160).") var width: Int?

    func validate() throws { if let width, width < TableWidth.minimum { throw ValidationError("--width must be at least \(TableWidth.minimum)") } }

    var tableWidth: Int { TableWidth.resolve(explicit: width, toStandardOutput: output == nil) }
}

extension OutputFormat: ExpressibleByArgument {}

/// Options naming the review history and the plan's first day (plan, report and diff share them).
struct PlanOptions: ParsableArguments {
    @Option(help: "Review history: SQLite file, or a reviews CSV read into memory.") var history: String?
    @Option(help: "First day of the plan, YYYY-MM-DD (default: the --as-of date).") var from: DateArgument?

    func validate() throws { try DateArgument.check("--from", from) }
}

/// Runs a use case with progress on a terminal, its notes on stderr and Ctrl-C wired up.
func observed<R>(_ label: String, _ body: (RunObserver) throws -> R) throws -> R {
    try ProgressLine.observing(label, note: { complain($0.description) }, interruption: ControlC.interruption, body)
}

/// Output to a file (whole or not at all) or standard output; nothing once Ctrl-C was pressed.
func emit(to path: String?, _ render: (OutputBuffer) -> Void) throws {
    try OutputFile.write(to: path, unless: ControlC.interruption, render)
}

func emit(_ text: String, to path: String?) throws { try OutputFile.write(text, to: path, unless: ControlC.interruption) }
