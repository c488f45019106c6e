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
        let evaluator = try BatchEvaluator(pack: pack, asOf: asOf, extraColumns: reader.extraColumns,
                                           jobs: jobs, limits: limits)
        var evaluations: [Evaluation] = []
        var contracts: [Contract] = []
        while true {
            let batch = try reader.nextBatch(max: batchSize)
            if batch.isEmpty { break }
            evaluations += try evaluator.evaluate(batch)
            if keepContracts { contracts += batch }
            progress?(evaluations.count)
        }
        return EvaluatedPortfolio(evaluations: evaluations, contracts: contracts, extraColumns: reader.extraColumns,
                                  skipped: reader.skipped, notices: reader.notices)
    }
}

/// Limits on every rule call (instructions, wall-clock time, memory), as the CLI sets them.
public typealias RuleLimits = LuaLimits
