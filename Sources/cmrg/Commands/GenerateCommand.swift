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

    @Option(name: .long, help: "Number of contracts.")
    var count: Int

    @Option(name: .long, help: "Seed of the pseudo-random generator.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "The date the portfolio is generated around (YYYY-MM-DD; default: today).")
    var asOf: String?

    @Option(name: .long, help: "The canonical CSV file to write ('-' for standard output).")
    var output: String

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        if let asOf, ContractDate(iso: asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)")
        }
    }

    func run() throws {
        do throws(PortfolioError) {
            let date = asOf.flatMap { ContractDate(iso: $0) } ?? ContractDate.today
            let writer = try CanonicalCSVWriter(path: output, extraColumns: SyntheticPortfolio.extraColumns)
            try SyntheticPortfolio(seed: seed, asOf: date).write(count: count, to: writer)
            try writer.commit()
            var stderr = StandardError()
            print("cmrg: \(plural(writer.count, "contract")) written to \(output) (seed \(seed), as of \(date))", to: &stderr)
        } catch {
            complain(error.description)
            throw error.exitCode
        }
    }
}
