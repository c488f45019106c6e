import ArgumentParser
import Portfolio

/// `cmrg generate`: a deterministic synthetic portfolio in canonical CSV, for benchmarks.
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
        let writer = try CanonicalCSVWriter(path: output, extraColumns: SyntheticPortfolio.extraColumns)
        try SyntheticPortfolio(seed: seed, asOf: date).write(count: count, to: writer)
        try writer.commit()
        complain("\(writer.count) contract\(writer.count == 1 ? "" : "s") written to \(output) (seed \(seed), as of \(date))")
    }
}
