/// How a portfolio is read.
public struct LoadOptions: Sendable {
    /// nil: detect from the file name (.json/.jsonl are OCDS) and, for CSV, from the header.
    public var format: PortfolioFormat?
    /// true: bad rows are skipped and recorded in `PortfolioReader.skipped`.
    public var skipInvalid: Bool
    /// How many issues to collect before giving up.
    public var maxErrors: Int

    public init(format: PortfolioFormat? = nil, skipInvalid: Bool = false, maxErrors: Int = 20) {
        self.format = format
        self.skipInvalid = skipInvalid
        self.maxErrors = max(1, maxErrors)
    }
}
