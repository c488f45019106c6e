import Portfolio

/// What a streaming evaluation keeps of its results. The contracts are cut into pieces; each
/// worker turns a piece into a `Piece` with its own evaluator (`evaluate`, on the worker's
/// thread), and the pieces are handed to the sink in input order (`add`, on the calling
/// thread). So a sink keeps only what its use needs: full trails (explain, JSON), compact
/// summaries (ranking), plan candidates, or one row per contract of a diff.
///
/// Workers use a copy of the sink made when the run starts: `evaluate` must depend only on
/// what the sink held then (its settings), never on what `add` collects. `add` may stop the
/// run (a sink that would hold too much), in input order like any rule error.
public protocol EvaluationSink {
    associatedtype Piece
    func evaluate(_ contracts: ArraySlice<Contract>, with evaluator: RuleEvaluator) throws(RuleError) -> Piece
    mutating func add(_ piece: Piece, of contracts: ArraySlice<Contract>) throws(RuleError)
}

/// A sink for two packs over the same contracts in one pass (the dry run of a rule change):
/// each worker holds a state of each pack. See `EvaluationSink`.
public protocol PairEvaluationSink {
    associatedtype Piece
    func evaluate(_ contracts: ArraySlice<Contract>, base: RuleEvaluator, new: RuleEvaluator) throws(RuleError) -> Piece
    mutating func add(_ piece: Piece, of contracts: ArraySlice<Contract>) throws(RuleError)
}

/// Every evaluation with its full trail, in input order, and with `keepContracts` the
/// contracts too (explain and the meeting report need their fields). The trails it holds are
/// bounded in total (`maxTrailBytes`, counted as the call log counts one contract's).
public struct EvaluationCollector: EvaluationSink {
    public let keepContracts: Bool
    public private(set) var evaluations: [Evaluation] = []
    public private(set) var contracts: [Contract] = []
    public private(set) var trailBytes = 0
    /// The most text all kept trails may hold together (a JSON output of a national register
    /// holds every reason of every contract): 2 GiB unless told.
    public let maxTrailBytes: Int

    public init(keepContracts: Bool = false, maxTrailBytes: Int = 2 << 30) {
        self.keepContracts = keepContracts
        self.maxTrailBytes = maxTrailBytes
    }

    public func evaluate(_ contracts: ArraySlice<Contract>, with evaluator: RuleEvaluator) throws(RuleError) -> [Evaluation] {
        var out: [Evaluation] = []
        out.reserveCapacity(contracts.count)
        for contract in contracts { out.append(try evaluator.evaluate(contract)) }
        return out
    }

    public mutating func add(_ piece: [Evaluation], of contracts: ArraySlice<Contract>) throws(RuleError) {
        for (e, contract) in zip(piece, contracts) {
            trailBytes += e.trailBytes
            if trailBytes > maxTrailBytes {
                throw RuleError(kind: .limit, message: "the reasons and factors of the contracts up to this one hold more than "
                                + "\(ByteCount.shown(maxTrailBytes)) of text, more than one run may keep (the table, CSV and "
                                + "Markdown outputs keep no trail)", contractID: contract.id, contractTitle: contract.title)
            }
        }
        evaluations += piece
        if keepContracts { self.contracts += contracts }
    }
}

/// Only what ranking and the table, CSV and Markdown outputs need (`EvaluationSummaries`),
/// one chunk per piece: how a national register is evaluated in bounded memory.
public struct SummaryCollector: EvaluationSink {
    public private(set) var chunks: [EvaluationSummaries] = []
    public private(set) var count = 0

    public init() {}

    public func evaluate(_ contracts: ArraySlice<Contract>, with evaluator: RuleEvaluator) throws(RuleError)
        -> EvaluationSummaries {
        var summaries = EvaluationSummaries(reserving: contracts.count, bytesEach: 96)
        for contract in contracts { try evaluator.summarize(contract, into: &summaries) }
        summaries.trim()
        return summaries
    }

    public mutating func add(_ piece: EvaluationSummaries, of contracts: ArraySlice<Contract>) {
        chunks.append(piece)
        count += piece.count
    }
}

extension RuleEvaluator {
    /// One contract under two packs. The new pack runs first, so when both fail on the same
    /// contract its error is the one reported.
    public static func evaluate(_ contract: Contract, base: RuleEvaluator, new: RuleEvaluator) throws(RuleError)
        -> (before: Evaluation, after: Evaluation) {
        let after = try new.evaluate(contract)
        return (try base.evaluate(contract), after)
    }
}

/// `2 GiB`, `64 KiB`, `100 bytes`.
enum ByteCount {
    static func shown(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
