import Portfolio
import RuleEngine

/// Evaluating a register with a rule pack: every contract with its full trail (JSON output),
/// only what ranking needs (table, CSV, Markdown; bounded memory on a national register), or
/// one contract explained.
public struct PortfolioEvaluation {
    public var inputs: RunInputs

    public init(_ inputs: RunInputs) { self.inputs = inputs }

    /// Every evaluation with its trail, in input order.
    public struct Evaluated: Sendable {
        public var pack: PreparedPack
        public var portfolio: EvaluatedPortfolio
        public var provenance: Provenance
    }

    /// Compact summaries for ranking.
    public struct Summarized: Sendable {
        public var summary: PortfolioSummary
        public var provenance: Provenance
    }

    /// One contract and why it got its tier and score.
    public struct Explanation: Sendable {
        public var contract: Contract
        public var evaluation: Evaluation
        /// Its place in the priority list, of `count` contracts.
        public var rank: Int
        public var count: Int
        public var extraColumns: [String]
        public var asOf: ContractDate
        /// Whether the pack defines `flags(c)` (explain then says when a contract has none).
        public var definesFlags: Bool
    }

    public func evaluations(keepContracts: Bool = false, _ observer: RunObserver = RunObserver()) throws -> Evaluated {
        let (pack, reader) = try prepare()
        let portfolio = try pack.evaluateAll(reader, jobs: inputs.jobs, keepContracts: keepContracts,
                                             interruption: observer.interruption, progress: observer.progress)
        observer.noteInputIssues(skipped: portfolio.skipped, notices: portfolio.notices)
        return Evaluated(pack: pack, portfolio: portfolio, provenance: try Provenance(pack: pack, inputs))
    }

    /// `fingerprintInput`: hash the register for provenance (only outputs that show it need it).
    public func summaries(fingerprintInput: Bool, _ observer: RunObserver = RunObserver()) throws -> Summarized {
        let (pack, reader) = try prepare()
        let summary = try pack.summarize(reader, jobs: inputs.jobs, interruption: observer.interruption,
                                         progress: observer.progress)
        observer.noteInputIssues(skipped: summary.skipped, notices: summary.notices)
        return Summarized(summary: summary,
                          provenance: try Provenance(pack: pack, inputs, inputSHA256: fingerprintInput ? nil : ""))
    }

    /// Contract `id` explained; its rank comes from every contract's summary, so only that
    /// one contract's trail is kept. Throws `UnknownContract` (with the nearest ids) when
    /// the register has no such contract.
    public func explain(_ id: String, _ observer: RunObserver = RunObserver()) throws -> Explanation {
        var collector = ExplainCollector(id: id)
        let (pack, reader) = try run(into: &collector, observer)
        let all = collector.summaries.chunks.map(\.fields)
        guard let (contract, evaluation) = collector.found else {
            let ids = collector.summaries.chunks.lazy.flatMap { chunk in (0..<chunk.count).lazy.map { chunk.id($0) } }
            throw UnknownContract(id: id, portfolio: inputs.portfolio,
                                  nearest: NearestNames.closest(to: id, among: ids, count: 3))
        }
        var rank = 1
        withExtendedLifetime(collector.summaries) {
            for chunk in all {
                for i in 0..<chunk.count where PriorityOrder.precedes(
                    score: chunk.score(i), tier: chunk.tier(i), score: evaluation.score, tier: evaluation.tier,
                    idPrecedes: { chunk.id(i).lexicographicallyPrecedes(id.utf8) }) {
                    rank += 1
                }
            }
        }
        return Explanation(contract: contract, evaluation: evaluation, rank: rank, count: collector.summaries.count,
                           extraColumns: reader.extraColumns, asOf: pack.asOf, definesFlags: pack.definesFlags)
    }

    /// Reads the rules, opens the register and loads the rules, in that order (so the errors
    /// come in that order too).
    func prepare() throws -> (PreparedPack, PortfolioReader) {
        let files = try inputs.readRules()
        let reader = try inputs.openPortfolio()
        return (try PreparedPack(files, asOf: inputs.asOf, limits: inputs.limits), reader)
    }

    /// Streams the register into `sink`.
    func run<Sink: EvaluationSink>(into sink: inout Sink, _ observer: RunObserver) throws -> (PreparedPack, PortfolioReader) {
        let (pack, reader) = try prepare()
        try pack.evaluate(reader, jobs: inputs.jobs, into: &sink, interruption: observer.interruption,
                          progress: observer.progress)
        observer.noteInputIssues(skipped: reader.skipped, notices: reader.notices)
        return (pack, reader)
    }
}

/// `explain ID` for an id the register does not hold.
public struct UnknownContract: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String
    public var portfolio: String
    public var nearest: [String]

    public var description: String {
        "no contract with id '\(id)' in \(portfolio)" + (nearest.isEmpty ? "" : "; nearest ids: " + nearest.joined(separator: ", "))
    }
}

/// Every contract's summary (for its rank and id), and the full trail of the one explained.
struct ExplainCollector: EvaluationSink {
    let id: String
    var summaries = SummaryCollector()
    var found: (Contract, Evaluation)?

    func evaluate(_ contracts: ArraySlice<Contract>, with evaluator: RuleEvaluator) throws(RuleError)
        -> (EvaluationSummaries, (Contract, Evaluation)?) {
        let summaries = try self.summaries.evaluate(contracts, with: evaluator)
        guard let contract = contracts.first(where: { $0.id == id }) else { return (summaries, nil) }
        return (summaries, (contract, try evaluator.evaluate(contract)))
    }

    mutating func add(_ piece: (EvaluationSummaries, (Contract, Evaluation)?), of contracts: ArraySlice<Contract>) {
        summaries.add(piece.0, of: contracts)
        if let hit = piece.1 { found = hit }
    }
}
