import Portfolio
import RuleEngine

/// Converting a register (canonical CSV, Transparency Code CSV or OCDS JSON) to canonical
/// CSV, streaming, written whole or not at all.
public struct RegisterImport {
    public var file: String
    public var options: LoadOptions
    /// The canonical CSV to write ("-" for standard output).
    public var output: String

    public init(file: String, options: LoadOptions, output: String) {
        self.file = file
        self.options = options
        self.output = output
    }

    public struct Outcome: Sendable {
        public var format: PortfolioFormat
        public var written: Int
        /// Rows left out (`skipInvalid`) and fields that could not be mapped.
        public var skipped: [InputIssue]
        public var notices: [InputIssue]
    }

    /// Stops with `Interrupted` (and no output file) once `interruption` is requested.
    public func run(interruption: Interruption? = nil) throws -> Outcome {
        let reader = try PortfolioReader.open(path: file, options: options)
        let writer = try CanonicalCSVWriter(path: output, extraColumns: reader.extraColumns)
        while true {
            try interruption?.check() // the writer's temporary file goes with it
            let batch = try reader.nextBatch(max: 4096)
            if batch.isEmpty { break }
            try writer.write(batch)
        }
        try writer.commit()
        return Outcome(format: reader.format, written: writer.count, skipped: reader.skipped, notices: reader.notices)
    }
}
