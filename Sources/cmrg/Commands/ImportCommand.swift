import ArgumentParser
import Portfolio

/// `cmrg import`: converts a register (canonical CSV, Transparency Code CSV or OCDS JSON) to
/// canonical CSV, streaming, and says what it could not map.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a contract register to canonical portfolio CSV.",
        discussion: """
            Reads canonical CSV, a Local Government Transparency Code 2015 contracts register (CSV) \
            or OCDS 1.1 JSON (release or record package, or JSON Lines). The format is detected from \
            the file name and the CSV header unless --from says it. Invalid rows stop the import \
            (exit 3) and are listed as file:line:column; with --skip-invalid they are left out and listed.
            """)

    @Argument(help: "The register file to read.")
    var file: String

    @Option(name: .long, help: "Input format: csv, transparency or ocds (default: detect).")
    var from: PortfolioFormat?

    @Option(name: .long, help: "The canonical CSV file to write ('-' for standard output).")
    var output: String

    @Flag(name: .long, help: "Leave out invalid rows and list them, instead of stopping.")
    var skipInvalid = false

    @Option(name: .long, help: "How many problems to list before stopping.")
    var maxErrors = 20

    /// How many notices or skipped rows are listed before "... and N more".
    static let listLimit = 50

    func validate() throws {
        guard maxErrors >= 1 else { throw ValidationError("--max-errors must be at least 1") }
    }

    func run() throws {
        do throws(PortfolioError) {
            let options = LoadOptions(format: from, skipInvalid: skipInvalid, maxErrors: maxErrors)
            let reader = try PortfolioReader.open(path: file, options: options)
            let writer = try CanonicalCSVWriter(path: output, extraColumns: reader.extraColumns)
            while true {
                let batch = try reader.nextBatch(max: 4096)
                if batch.isEmpty { break }
                try writer.write(batch)
            }
            try writer.commit()
            var stderr = StandardError()
            print("cmrg: \(file) (\(reader.format.rawValue)): \(plural(writer.count, "contract")) written to \(output), "
                  + "\(plural(reader.skipped.count, "invalid row")) skipped, \(plural(reader.notices.count, "notice"))",
                  to: &stderr)
            list(reader.skipped.map { "skipped: \($0)" }, to: &stderr)
            list(reader.notices.map { "notice: \($0)" }, to: &stderr)
        } catch {
            complain(error.description)
            throw error.exitCode
        }
    }

    private func list(_ lines: [String], to stream: inout StandardError) {
        for line in lines.prefix(Self.listLimit) { print(line, to: &stream) }
        if lines.count > Self.listLimit { print("... and \(lines.count - Self.listLimit) more", to: &stream) }
    }
}

func plural(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }


extension PortfolioError {
    /// Unreadable input or unwritable output is an I/O error (4); bad data is an input error (3).
    var exitCode: ExitCode { kind == .unreadable ? CMRGExit.ioError : CMRGExit.inputError }
}
