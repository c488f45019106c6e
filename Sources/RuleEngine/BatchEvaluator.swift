import Dispatch
import LuaHost
import Portfolio

/// Evaluates a stream of contracts on several cores: one RuleEvaluator (one Lua state) per
/// worker, contracts taken in batches, results handed on in input order, so the output is
/// identical whatever the number of workers.
public final class BatchEvaluator {
    public let jobs: Int
    private let workers: [WorkerSlot]

    /// `jobs` 0 means one worker per core.
    public init(pack: RulePack, asOf: ContractDate, extraColumns: [String], jobs: Int = 0,
                limits: LuaLimits = LuaLimits()) throws(RuleError) {
        let count = jobs > 0 ? jobs : max(1, ProcessInfo.processInfo.activeProcessorCount)
        self.jobs = count
        var slots: [WorkerSlot] = []
        for _ in 0..<count {
            slots.append(WorkerSlot(try RuleEvaluator(pack: pack, asOf: asOf, extraColumns: extraColumns, limits: limits)))
        }
        workers = slots
    }

    /// Evaluates one batch; results are in the batch's order. The first rule error (in input
    /// order) is thrown.
    public func evaluate(_ batch: [Contract]) throws(RuleError) -> [Evaluation] {
        if workers.count == 1 || batch.count < 64 {
            var out: [Evaluation] = []
            out.reserveCapacity(batch.count)
            for c in batch { out.append(try workers[0].evaluator.evaluate(c)) }
            return out
        }
        let slices = workers.count
        let results = ResultSlots(count: batch.count)
        let per = (batch.count + slices - 1) / slices
        let workers = self.workers
        DispatchQueue.concurrentPerform(iterations: slices) { w in
            let evaluator = workers[w].evaluator
            let range = (w * per)..<min(batch.count, (w + 1) * per)
            for i in range {
                do {
                    results.set(i, .success(try evaluator.evaluate(batch[i])))
                } catch {
                    results.set(i, .failure(error as! RuleError))
                    return // later contracts of this slice are not needed: an earlier error wins
                }
            }
        }
        var out: [Evaluation] = []
        out.reserveCapacity(batch.count)
        for i in 0..<batch.count {
            switch results.get(i) {
            case .success(let e)?: out.append(e)
            case .failure(let error)?: throw error
            case nil: continue // after an error in the same slice; unreachable past the throw above
            }
        }
        return out
    }
}

/// A worker's evaluator. Each slot is used by exactly one concurrentPerform iteration at a
/// time (iteration w uses slot w), which is what makes sharing it across threads safe.
final class WorkerSlot: @unchecked Sendable {
    let evaluator: RuleEvaluator
    init(_ evaluator: RuleEvaluator) { self.evaluator = evaluator }
}

/// Result storage written by disjoint indices from several threads.
final class ResultSlots: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Result<Evaluation, RuleError>?>
    private let count: Int
    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }
    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }
    func set(_ i: Int, _ r: Result<Evaluation, RuleError>) { storage[i] = r }
    func get(_ i: Int) -> Result<Evaluation, RuleError>? { storage[i] }
}

import Foundation
