import ArgumentParser
import Portfolio
import Reports
import UseCases

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
        let done = try conversion.run(interruption: CtrlC.interruption)
        if let notices { try emit(ImportRenderer.notices(done), to: notices) }
        complain(ImportRenderer.render(done, file: file, output: output, noticesFile: notices).dropLast(1)) // complain ends the line
    }
}
