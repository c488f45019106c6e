import Foundation
import LuaHost
import Portfolio

/// A whole portfolio run through one rule pack: evaluations in input order, plus what the
/// loader had to say about the input.
public struct EvaluatedPortfolio: Sendable {
    public var evaluations: [Evaluation]
    /// The contracts themselves, aligned with `evaluations` (kept only when asked for:
    /// explain and plan need the fields; a plain evaluate of a national register does not).
    public var contracts: [Contract]
    public var extraColumns: [String]
    /// Rows skipped as invalid (`--skip-invalid`) and notices about unmapped fields.
    public var skipped: [InputIssue]
    public var notices: [InputIssue]
}

extension EvaluatedPortfolio {
    /// Streams `reader` through `pack` in batches on `jobs` workers (0 = one per core).
    /// Throws `PortfolioError` for bad input and `RuleError` for rule failures; the first
    /// failure in input order wins, so a run fails the same way whatever `jobs` is.
    public static func evaluate(
        _ reader: PortfolioReader, pack: RulePack, asOf: ContractDate, jobs: Int = 0,
        limits: LuaLimits = LuaLimits(), keepContracts: Bool = false, batchSize: Int = 8192,
        progress: ((Int) -> Void)? = nil
    ) throws -> EvaluatedPortfolio {
        let pipeline = EvaluationPipeline<RuleEvaluator, [Evaluation]>(
            workers: try makeEvaluators(reader, pack: pack, asOf: asOf, jobs: jobs, limits: limits)
        ) { evaluator, batch in
            var out: [Evaluation] = []
            out.reserveCapacity(batch.count)
            for i in batch.indices {
                do throws(RuleError) { out.append(try evaluator.evaluate(batch[i])) } catch { return .failure(error) }
            }
            return .success(out)
        }
        var evaluations: [Evaluation] = []
        var contracts: [Contract] = []
        try pipeline.run(read: { try reader.nextBatch(max: batchSize) }) { batch, read in
            evaluations += batch
            if keepContracts { contracts += read }
            progress?(evaluations.count)
        }
        return EvaluatedPortfolio(evaluations: evaluations, contracts: contracts, extraColumns: reader.extraColumns,
                                  skipped: reader.skipped, notices: reader.notices)
    }
}

/// A whole portfolio run through one rule pack, kept only as what ranking and the table, CSV
/// and Markdown outputs need (see `EvaluationSummaries`): how a national register is evaluated
/// in bounded memory.
public struct PortfolioSummary: Sendable {
    /// Summaries in input order, one chunk per batch read.
    public var chunks: [EvaluationSummaries]
    public var count: Int
    public var extraColumns: [String]
    public var skipped: [InputIssue]
    public var notices: [InputIssue]

    /// Streams `reader` through `pack` on `jobs` workers (0 = one per core), as
    /// `EvaluatedPortfolio.evaluate` does, keeping summaries only.
    public static func evaluate(
        _ reader: PortfolioReader, pack: RulePack, asOf: ContractDate, jobs: Int = 0,
        limits: LuaLimits = LuaLimits(), batchSize: Int = 8192, progress: ((Int) -> Void)? = nil
    ) throws -> PortfolioSummary {
        let pipeline = EvaluationPipeline<RuleEvaluator, EvaluationSummaries>(
            workers: try makeEvaluators(reader, pack: pack, asOf: asOf, jobs: jobs, limits: limits)
        ) { evaluator, batch in
            var summaries = EvaluationSummaries(reserving: batch.count, bytesEach: 96)
            for i in batch.indices {
                do throws(RuleError) { try evaluator.summarize(batch[i], into: &summaries) } catch { return .failure(error) }
            }
            summaries.trim()
            return .success(summaries)
        }
        var chunks: [EvaluationSummaries] = []
        var count = 0
        try pipeline.run(read: { try reader.nextBatch(max: batchSize) }) { summaries, _ in
            chunks.append(summaries)
            count += summaries.count
            progress?(count)
        }
        return PortfolioSummary(chunks: chunks, count: count, extraColumns: reader.extraColumns,
                                skipped: reader.skipped, notices: reader.notices)
    }
}

/// One evaluator per worker, made before anything is read so a broken pack fails first.
private func makeEvaluators(_ reader: PortfolioReader, pack: RulePack, asOf: ContractDate, jobs: Int,
                            limits: LuaLimits) throws(RuleError) -> [RuleEvaluator] {
    let count = jobs > 0 ? jobs : max(1, ProcessInfo.processInfo.activeProcessorCount)
    var evaluators: [RuleEvaluator] = []
    for _ in 0..<count {
        evaluators.append(try RuleEvaluator(pack: pack, asOf: asOf, extraColumns: reader.extraColumns, limits: limits))
    }
    return evaluators
}

/// Limits on every rule call (instructions, wall-clock time, memory), as the CLI sets them.
public typealias RuleLimits = LuaLimits
