import ArgumentParser
import Portfolio
import Reports
import RuleEngine
import UseCases

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a contract register to canonical portfolio CSV.",
        discussion: """
            Reads canonical CSV, a Local Government Transparency Code 2015 contracts register (CSV) \
            or OCDS 1.1 JSON (release or record package, or JSON Lines). The format is detected from \
            the file name and the CSV header unless --from says it. Invalid rows stop the import \
            (exit 3) and are listed as file:line:column; with --skip-invalid they are left out and listed. \
            What could not be mapped (a value in another currency, no supplier yet) is a notice: \
            they are counted by kind, and --notices FILE writes every one.
            """)

    @Argument(help: "The register file to read.") var file: String
    @Option(help: "Input format: csv, transparency or ocds (default: detect).") var from: PortfolioFormat?
    @Option(help: "The canonical CSV file to write ('-' for standard output).") var output: String
    @Flag(help: "Leave out invalid rows and list them, instead of stopping.") var skipInvalid = false
    @Option(help: "How many problems to list before stopping.") var maxErrors = 20
    @Option(help: "Write every notice (one a line, file:line: message) to this file, atomically; stderr then counts them by kind.")
    var notices: String?

    func validate() throws { guard maxErrors >= 1 else { throw ValidationError("--max-errors must be at least 1") } }

    func run() throws {
        let conversion = RegisterImport(file: file, options: LoadOptions(format: from, skipInvalid: skipInvalid, maxErrors: maxErrors),
                                        output: output)
        let done = try conversion.run(interruption: ControlC.interruption)
        if let notices { try emit(ImportRenderer.notices(done), to: notices) }
        complain(ImportRenderer.render(done, file: file, output: output, noticesFile: notices).dropLast(1)) // complain ends the line
    }
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic portfolio (canonical CSV) for benchmarks.",
        discussion: """
            The same --count, --seed and --as-of always give a byte-identical file. Dates are spread \
            around --as-of (default: today), so pin it for reproducible benchmarks.
            """)

    @Option(help: "Number of contracts.") var count: Int
    @Option(help: "Seed of the pseudo-random generator.") var seed: UInt64 = 1
    @Option(help: "The date the portfolio is generated around (YYYY-MM-DD; default: today).") var asOf: DateArgument?
    @Option(help: "The canonical CSV file to write ('-' for standard output).") var output: String

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        try DateArgument.check("--as-of", asOf)
    }

    func run() throws {
        let date = asOf?.date ?? .today
        let written = try SyntheticPortfolio(seed: seed, asOf: date).write(count: count, toFile: output)
        complain("\(written) contract\(written == 1 ? "" : "s") written to \(output) (seed \(seed), as of \(date))")
    }
}
