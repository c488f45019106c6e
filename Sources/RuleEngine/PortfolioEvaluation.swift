import Portfolio

/// A whole portfolio run through one rule pack: evaluations in input order, plus what the
/// loader had to say about the input (`PreparedPack.evaluateAll`).
public struct EvaluatedPortfolio: Sendable {
    public var evaluations: [Evaluation]
    /// The contracts themselves, aligned with `evaluations` (kept only when asked for:
    /// explain and plan need the fields; a plain evaluate of a national register does not).
    public var contracts: [Contract]
    public var extraColumns: [String]
    /// Rows skipped as invalid (`--skip-invalid`) and notices about unmapped fields.
    public var skipped: [InputIssue]
    public var notices: [InputIssue]

    public init(evaluations: [Evaluation], contracts: [Contract], extraColumns: [String], skipped: [InputIssue],
                notices: [InputIssue]) {
        self.evaluations = evaluations
        self.contracts = contracts
        self.extraColumns = extraColumns
        self.skipped = skipped
        self.notices = notices
    }
}

/// A whole portfolio run through one rule pack, kept only as what ranking and the table, CSV
/// and Markdown outputs need (see `EvaluationSummaries`): how a national register is evaluated
/// in bounded memory (`PreparedPack.summarize`).
public struct PortfolioSummary: Sendable {
    /// Summaries in input order, one chunk per piece evaluated.
    public var chunks: [EvaluationSummaries]
    public var count: Int
    public var extraColumns: [String]
    public var skipped: [InputIssue]
    public var notices: [InputIssue]

    public init(chunks: [EvaluationSummaries], count: Int, extraColumns: [String], skipped: [InputIssue],
                notices: [InputIssue]) {
        self.chunks = chunks
        self.count = count
        self.extraColumns = extraColumns
        self.skipped = skipped
        self.notices = notices
    }
}
