import Portfolio
import Workers

/// Streams batches of contracts through one worker per thread (`OrderedWorkers`): the calling
/// thread reads batches, cuts them into pieces and hands each piece's output on in input
/// order while the workers evaluate, so reading overlaps evaluation and only a few pieces
/// are ever in memory. A run fails the same way whatever the number of workers: the first
/// failure in input order wins (a rule error in batch 3 before a data error found reading
/// batch 5).
struct EvaluationPipeline<Worker, Output> {
    /// Evaluates a piece of contracts with one worker; a failure stops at the first error.
    typealias Work = (Worker, ArraySlice<Contract>) -> Result<Output, RuleError>

    let workers: [Worker]
    let work: Work
    /// Contracts per piece of work handed to a worker: small enough that the workers finish
    /// together (the last piece is what a core may wait for), large enough to be cheap to hand on.
    var workSize = 1024

    /// Reads with `read` until it returns an empty batch, and passes each piece's output (with
    /// its contracts) to `consume` in input order.
    func run(read: () throws -> [Contract], consume: (Output, ArraySlice<Contract>) throws -> Void) throws {
        var batch: [Contract] = []
        var start = 0
        let size = workers.count == 1 ? Int.max : workSize // one worker: no need to cut batches
        func next() throws -> ArraySlice<Contract>? {
            if start == batch.count {
                batch = try read()
                start = 0
                if batch.isEmpty { return nil }
            }
            let end = batch.count - start > size ? start + size : batch.count
            defer { start = end }
            return batch[start..<end]
        }
        let work = self.work
        try OrderedWorkers.run(
            workers: workers, next: next,
            work: { worker, piece in (work(worker, piece), piece) },
            consume: { (output: (Result<Output, RuleError>, ArraySlice<Contract>)) throws in
                try consume(try output.0.get(), output.1)
            })
    }
}
