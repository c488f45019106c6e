/// Streams contracts from one register file, any format. Not thread-safe (one consumer).
public final class PortfolioReader {
    public let path: String
    public let format: PortfolioFormat
    /// Extra (non-canonical) column names, in input order; `Contract.extras` aligns with it.
    public let extraColumns: [String]
    /// Issues of rows skipped so far (skipInvalid only).
    public private(set) var skipped: [InputIssue] = []
    /// Notices about fields that could not be mapped (e.g. OCDS release without a value); not errors.
    public private(set) var notices: [InputIssue] = []

    private let source: ContractSource
    private let options: LoadOptions
    /// Line of the first occurrence of every id accepted so far.
    private var idLines = IdIndex()
    private var failure: PortfolioError?

    private init(path: String, source: ContractSource, options: LoadOptions) {
        self.path = path
        self.source = source
        self.options = options
        format = source.format
        extraColumns = source.extraColumns
        notices = source.notices
    }

    public static func open(path: String, options: LoadOptions = LoadOptions()) throws(PortfolioError) -> PortfolioReader {
        PortfolioReader(path: path, source: try FormatDetection.openSource(path: path, format: options.format), options: options)
    }

    /// The next up-to-`max` valid contracts in input order; [] at the end.
    /// Without skipInvalid, the first bad row makes the reader keep scanning to collect up to
    /// maxErrors issues, then throw PortfolioError(kind: .invalid). Duplicate ids and
    /// end_date < start_date are issues too (the duplicate names the first occurrence's line).
    public func nextBatch(max: Int) throws(PortfolioError) -> [Contract] {
        if let failure { throw failure }
        var batch: [Contract] = []
        batch.reserveCapacity(Swift.min(max, 8192))
        defer { notices = source.notices }
        while batch.count < max, let row = try source.next() {
            switch accept(row) {
            case .success(let contract):
                batch.append(contract)
            case .failure(let issues):
                if options.skipInvalid {
                    skipped += issues
                } else {
                    let error = try collectErrors(startingWith: issues)
                    failure = error
                    throw error
                }
            }
        }
        return batch
    }

    private enum Accepted { case success(Contract), failure([InputIssue]) }

    private func accept(_ row: SourceRow) -> Accepted {
        switch row {
        case .invalid(let issues):
            return .failure(issues)
        case .contract(let contract):
            let line = contract.origin?.line ?? 0
            if let first = idLines.insert(contract.id, line: line) {
                return .failure([InputIssue(path, line, source.idColumn,
                                            "duplicate id \"\(contract.id)\" (first used on line \(first))")])
            }
            return .success(contract)
        }
    }

    /// Reads on after the first bad row to report up to maxErrors issues at once.
    private func collectErrors(startingWith first: [InputIssue]) throws(PortfolioError) -> PortfolioError {
        var issues = first
        var badRows = 1
        var complete = true
        while issues.count < options.maxErrors {
            guard let row = try source.next() else { break }
            if case .failure(let more) = accept(row) {
                issues += more
                badRows += 1
            }
        }
        if issues.count >= options.maxErrors {
            // Stopped early unless the file happens to end here.
            complete = try source.next() == nil
        }
        let shown = Array(issues.prefix(options.maxErrors))
        let rows = badRows == 1 ? "1 invalid row" : "\(badRows) invalid rows"
        let message = complete && shown.count == issues.count
            ? "\(path): \(rows)"
            : "\(path): \(rows) before stopping at \(options.maxErrors) problems (first \(shown.count) shown)"
        return PortfolioError(kind: .invalid, issues: shown, message: message)
    }
}

extension PortfolioReader {
    /// Convenience: every contract (small portfolios, tests).
    public func readAll() throws(PortfolioError) -> [Contract] {
        var all: [Contract] = []
        while true {
            let batch = try nextBatch(max: 4096)
            if batch.isEmpty { return all }
            all += batch
        }
    }
}
