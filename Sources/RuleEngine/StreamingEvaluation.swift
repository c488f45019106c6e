import Portfolio
import Workers

/// Where a streaming evaluation reads contracts from, batch by batch: a register file
/// (`PortfolioReader`), or contracts already in memory.
public protocol ContractBatches: AnyObject {
    /// The extra (non-canonical) columns `Contract.extras` holds, in order.
    var extraColumns: [String] { get }
    /// The next up-to-`max` contracts in input order; [] at the end.
    func nextBatch(max: Int) throws(PortfolioError) -> [Contract]
}

extension PortfolioReader: ContractBatches {}

/// Contracts in memory as a source (tests).
final class ContractList: ContractBatches {
    let extraColumns: [String]
    private let contracts: [Contract]
    private var position = 0

    init(_ contracts: [Contract], extraColumns: [String] = []) {
        self.contracts = contracts
        self.extraColumns = extraColumns
    }

    func nextBatch(max: Int) -> [Contract] {
        let end = min(position + max, contracts.count)
        defer { position = end }
        return Array(contracts[position..<end])
    }
}

extension PreparedPack {
    /// Evaluates every contract of `source` on `jobs` workers (0 = one per core) and hands the
    /// results to `sink` in input order, whatever `jobs` is. Throws `PortfolioError` for bad
    /// input, `RuleError` for rule failures (the first in input order wins, so a run fails the
    /// same way whatever `jobs` is) and `Interrupted` once `interruption` is requested.
    /// `progress` hears how many contracts are done so far.
    public func evaluate<Sink: EvaluationSink>(
        _ source: ContractBatches, jobs: Int = 0, batchSize: Int = 8192, into sink: inout Sink,
        interruption: Interruption? = nil, progress: ((Int) -> Void)? = nil
    ) throws {
        let evaluators = try borrow(OrderedWorkers.threads(for: jobs), extraColumns: source.extraColumns)
        defer { giveBack(evaluators) }
        let workers = sink // see EvaluationSink: workers use the sink as it is now
        try Streaming.run(source, workers: evaluators, evaluators: evaluators, batchSize: batchSize,
                          interruption: interruption, progress: progress,
                          work: { evaluator, piece throws(RuleError) in try workers.evaluate(piece, with: evaluator) },
                          consume: { piece, contracts throws(RuleError) in try sink.add(piece, of: contracts) })
    }

    /// Evaluates every contract of `source` under two packs in one pass (the input is read and
    /// parsed once): each of the `jobs` workers holds a state of each pack. The new pack runs
    /// first on each contract, so its errors win when both packs fail on the same one.
    public static func evaluate<Sink: PairEvaluationSink>(
        _ source: ContractBatches, base: PreparedPack, new: PreparedPack, jobs: Int = 0, batchSize: Int = 8192,
        into sink: inout Sink, interruption: Interruption? = nil, progress: ((Int) -> Void)? = nil
    ) throws {
        let count = OrderedWorkers.threads(for: jobs)
        let after = try new.borrow(count, extraColumns: source.extraColumns)
        defer { new.giveBack(after) }
        let before = try base.borrow(count, extraColumns: source.extraColumns)
        defer { base.giveBack(before) }
        let workers = sink
        try Streaming.run(source, workers: Array(zip(before, after)), evaluators: before + after, batchSize: batchSize,
                          interruption: interruption, progress: progress,
                          work: { pair, piece throws(RuleError) in try workers.evaluate(piece, base: pair.0, new: pair.1) },
                          consume: { piece, contracts throws(RuleError) in try sink.add(piece, of: contracts) })
    }

    /// Every evaluation with its trail (and with `keepContracts` the contracts), plus what the
    /// reader had to say about the input.
    public func evaluateAll(_ reader: PortfolioReader, jobs: Int = 0, keepContracts: Bool = false, batchSize: Int = 8192,
                            interruption: Interruption? = nil, progress: ((Int) -> Void)? = nil) throws -> EvaluatedPortfolio {
        var collector = EvaluationCollector(keepContracts: keepContracts)
        try evaluate(reader, jobs: jobs, batchSize: batchSize, into: &collector, interruption: interruption, progress: progress)
        return EvaluatedPortfolio(evaluations: collector.evaluations, contracts: collector.contracts,
                                  extraColumns: reader.extraColumns, skipped: reader.skipped, notices: reader.notices)
    }

    /// The compact summaries ranking needs, plus what the reader had to say about the input.
    public func summarize(_ reader: PortfolioReader, jobs: Int = 0, batchSize: Int = 8192,
                          interruption: Interruption? = nil, progress: ((Int) -> Void)? = nil) throws -> PortfolioSummary {
        var collector = SummaryCollector()
        try evaluate(reader, jobs: jobs, batchSize: batchSize, into: &collector, interruption: interruption, progress: progress)
        return PortfolioSummary(chunks: collector.chunks, count: collector.count, extraColumns: reader.extraColumns,
                                skipped: reader.skipped, notices: reader.notices)
    }
}

/// The one streaming loop behind both kinds of run: the pipeline, progress, interruption.
enum Streaming {
    static func run<Worker, Piece>(
        _ source: ContractBatches, workers: [Worker], evaluators: [RuleEvaluator], batchSize: Int,
        interruption: Interruption?, progress: ((Int) -> Void)?,
        work: @escaping (Worker, ArraySlice<Contract>) throws(RuleError) -> Piece,
        consume: (Piece, ArraySlice<Contract>) throws(RuleError) -> Void
    ) throws {
        let pipeline = EvaluationPipeline<Worker, Piece>(workers: workers) { worker, piece in
            if interruption?.isRequested == true { return .failure(stopped) }
            do throws(RuleError) { return .success(try work(worker, piece)) } catch { return .failure(error) }
        }
        var done = 0
        func stream() throws {
            try pipeline.run(read: {
                try interruption?.check()
                return try source.nextBatch(max: batchSize)
            }) { piece, contracts in
                try consume(piece, contracts)
                done += contracts.count
                progress?(done)
            }
        }
        do {
            if let interruption { try interruption.watching(evaluators, stream) } else { try stream() }
        } catch {
            // An interrupted rule call fails like a limit: say what really happened.
            try interruption?.check()
            throw error
        }
        try interruption?.check()
    }

    /// What a worker reports for a piece it did not start because a stop was requested.
    static let stopped = RuleError(kind: .limit, message: "interrupted")
}
