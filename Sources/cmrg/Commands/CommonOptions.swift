import ArgumentParser
import Foundation
import Portfolio
import Reports
import RuleEngine
import UseCases

/// Options every command that runs the rule pack shares.
struct RuleOptions: ParsableArguments {
    @Option(help: "Rule pack directory.") var rules: String = "rules"
    @Option(name: .customLong("as-of"), help: "Evaluation date, YYYY-MM-DD (default: today). Pin it for repeatable output.")
    var asOf: DateArgument?
    @Option(help: "Worker threads; 0 = one per core.") var jobs: Int = 0
    @Option(name: .customLong("max-instructions"),
            help: "Lua instructions one rule call may run: a deterministic limit, off by default (--time-limit stops endless loops).")
    var maxInstructions: Int?
    @Option(name: .customLong("time-limit"), help: "Seconds one rule call may take.") var timeLimit: Double = 2
    @Option(name: .customLong("memory-limit"), help: "MiB of memory per Lua state.")
    var memoryLimit: Int = RuleLimits().memoryBytes >> 20

    @OptionGroup var supervision: SupervisionOptions

    func validate() throws {
        try DateArgument.check("--as-of", asOf)
        if jobs < 0 { throw ValidationError("--jobs must be 0 (one per core) or more") }
        if (maxInstructions ?? 1) <= 0 || timeLimit <= 0 || memoryLimit <= 0 {
            throw ValidationError("--max-instructions, --time-limit and --memory-limit must be positive")
        }
        if timeLimit > 1_000_000 || memoryLimit > 1 << 30 {
            throw ValidationError("--time-limit may be at most 1000000 seconds and --memory-limit at most 1073741824 MiB")
        }
    }

    /// What the use cases run on: these rules over the register `input` names.
    func inputs(_ input: PortfolioOptions) -> RunInputs {
        RunInputs(rules: rules, portfolio: input.portfolio,
                  loadOptions: LoadOptions(format: input.inputFormat, skipInvalid: input.skipInvalid),
                  asOf: asOf?.date ?? .today, jobs: jobs,
                  limits: RuleLimits(instructions: maxInstructions, timeLimit: .milliseconds(Int64(timeLimit * 1000)),
                                     memoryBytes: memoryLimit << 20),
                  toolVersion: cmrgVersion)
    }
}

/// A date option (`--as-of`, `--from`), parsed once with the arguments. A value that is not a
/// date is kept for `check` to say so in cmrg's words (ArgumentParser's would differ).
struct DateArgument: ExpressibleByArgument {
    let text: String
    let date: ContractDate?

    init(argument: String) {
        text = argument
        date = ContractDate(iso: argument)
    }

    /// The one check of a date option: `--as-of "25/11/2026" is not a date (YYYY-MM-DD)`.
    static func check(_ option: String, _ value: DateArgument?) throws {
        if let value, value.date == nil { throw ValidationError("\(option) \"\(value.text)\" is not a date (YYYY-MM-DD)") }
    }
}

/// Options naming the portfolio (contract register) to read.
struct PortfolioOptions: ParsableArguments {
    @Option(help: "Contract register: canonical CSV, Transparency Code CSV or OCDS JSON/JSON Lines.")
    var portfolio: String = "samples/portfolio.csv"
    @Option(name: .customLong("input-format"), help: "Force the register format (csv, transparency, ocds) instead of detecting it.")
    var inputFormat: PortfolioFormat?
    @Flag(name: .customLong("skip-invalid"), help: "Skip invalid rows (reported on stderr) instead of stopping.")
    var skipInvalid = false
}

extension PortfolioFormat: ExpressibleByArgument {}

/// Output options of the report-like commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, csv, json or markdown.") var format: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?
    @Option(help: "Table width in columns (default: COLUMNS, else the terminal's width, else 160).") var width: Int?

    func validate() throws {
        if let width, width < TableWidth.minimum { throw ValidationError("--width must be at least \(TableWidth.minimum)") }
    }

    /// The table width: --width, else (writing to standard output) COLUMNS or the terminal's
    /// width, else 160.
    var tableWidth: Int {
        if let width { return width }
        guard output == nil else { return TableWidth.fallback }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
            return max(columns, TableWidth.minimum)
        }
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return max(Int(size.ws_col), TableWidth.minimum)
        }
        return TableWidth.fallback
    }
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
    let progress = ProgressLine(label: label)
    defer { progress.finish() }
    return try body(RunObserver(progress: progress.update, note: { note in
        progress.finish()
        complain(note.description)
    }, interruption: CtrlC.interruption))
}

/// Output to a file (whole or not at all) or standard output; nothing once Ctrl-C was pressed.
func emit(to path: String?, _ render: (OutputBuffer) -> Void) throws {
    try OutputFile.write(to: path, unless: CtrlC.interruption, render)
}

func emit(_ text: String, to path: String?) throws { try OutputFile.write(text, to: path, unless: CtrlC.interruption) }

/// "evaluated 120000 contracts" on stderr, redrawn in place, only when stderr is a terminal.
final class ProgressLine {
    private let label: String, enabled = isatty(STDERR_FILENO) == 1
    private var last = 0, shown = false

    init(label: String) { self.label = label }

    func update(_ count: Int) {
        guard enabled, count - last >= 50_000 else { return }
        last = count
        shown = true
        FileHandle.standardError.write(Data("\r\(label) \(count) contracts".utf8))
    }

    /// Clears the line (once shown).
    func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
