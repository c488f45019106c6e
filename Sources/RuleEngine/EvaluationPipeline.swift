import Foundation
import Portfolio

/// Streams batches of contracts through one RuleEvaluator per worker. The calling thread reads
/// batches and hands results on in input order while the workers evaluate, so reading overlaps
/// evaluation and only a few batches are ever in memory. With one job everything runs on the
/// calling thread. A run fails the same way whatever the number of jobs: the first failure in
/// input order wins (a rule error in batch 3 before a data error found reading batch 5).
struct EvaluationPipeline<Output> {
    /// Evaluates contracts with one worker's evaluator; a failure stops at the first error.
    typealias Work = (RuleEvaluator, ArraySlice<Contract>) -> Result<Output, RuleError>

    let evaluators: [RuleEvaluator]
    let work: Work
    /// Contracts per piece of work handed to a worker: small enough that the workers finish
    /// together (the last piece is what a core may wait for), large enough to be cheap to hand on.
    var workSize = 1024

    /// Reads with `read` until it returns an empty batch, and passes each piece's output (with
    /// its contracts) to `consume` in input order.
    func run(read: () throws -> [Contract], consume: (Output, ArraySlice<Contract>) throws -> Void) throws {
        if evaluators.count == 1 {
            while true {
                let batch = try read()
                if batch.isEmpty { return }
                try consume(try work(evaluators[0], batch[...]).get(), batch[...])
            }
        }
        let queue = WorkQueue<Output>()
        let threads = evaluators.map { evaluator in
            WorkerThread(queue: queue, evaluator: UncheckedBox(evaluator), work: UncheckedBox(work))
        }
        threads.forEach { $0.start() }
        defer { queue.finish(cancelled: true) } // stops and waits for the workers, also on errors
        let readAhead = 4 * evaluators.count    // pieces queued before reading more
        var readFailure: Error?
        var reading = true
        while true {
            if let (output, piece) = queue.nextResult(waiting: !reading || queue.inFlight > readAhead) {
                try consume(try output.get(), piece)
                continue
            }
            if !reading {
                if queue.inFlight == 0 { break }
                continue
            }
            do {
                let batch = try read()
                if batch.isEmpty {
                    reading = false
                } else {
                    for start in stride(from: 0, to: batch.count, by: workSize) {
                        queue.submit(batch[start..<min(start + workSize, batch.count)])
                    }
                }
            } catch {
                readFailure = error // thrown once every batch read before it is handed on
                reading = false
            }
        }
        if let readFailure { throw readFailure }
    }
}

/// Batches waiting for a worker and results waiting to be handed on in order.
final class WorkQueue<Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [(sequence: Int, batch: ArraySlice<Contract>)] = []
    private var pendingHead = 0
    private var results: [Int: (Result<Output, RuleError>, ArraySlice<Contract>)] = [:]
    private var submitted = 0
    private var handedOn = 0
    private var closed = false
    private var running = 0

    /// Batches submitted and not yet handed on.
    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return submitted - handedOn
    }

    func submit(_ batch: ArraySlice<Contract>) {
        condition.lock()
        pending.append((submitted, batch))
        submitted += 1
        condition.broadcast()
        condition.unlock()
    }

    /// The next result in input order; nil when it is not ready (and `waiting` is false) or
    /// nothing is in flight.
    func nextResult(waiting: Bool) -> (Result<Output, RuleError>, ArraySlice<Contract>)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = results.removeValue(forKey: handedOn) {
                handedOn += 1
                return result
            }
            if !waiting || handedOn == submitted { return nil }
            condition.wait()
        }
    }

    /// A worker's next batch; nil when the queue is closed.
    func take() -> (sequence: Int, batch: ArraySlice<Contract>)? {
        condition.lock()
        defer { condition.unlock() }
        while pendingHead == pending.count {
            if closed { return nil }
            condition.wait()
        }
        let next = pending[pendingHead]
        pending[pendingHead].batch = []
        pendingHead += 1
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
        return next
    }

    func complete(_ sequence: Int, _ result: Result<Output, RuleError>, _ batch: ArraySlice<Contract>) {
        condition.lock()
        results[sequence] = (result, batch)
        condition.broadcast()
        condition.unlock()
    }

    func workerStarted() {
        condition.lock()
        running += 1
        condition.unlock()
    }

    func workerStopped() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Closes the queue (dropping batches not started when `cancelled`) and waits for every
    /// worker to stop.
    func finish(cancelled: Bool) {
        condition.lock()
        closed = true
        if cancelled {
            pending.removeAll()
            pendingHead = 0
        }
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}

/// One worker thread: takes batches until the queue closes. Each thread owns one evaluator
/// (one Lua state), which is what makes handing it to the thread safe.
final class WorkerThread<Output>: @unchecked Sendable {
    private let queue: WorkQueue<Output>
    private let evaluator: UncheckedBox<RuleEvaluator>
    private let work: UncheckedBox<EvaluationPipeline<Output>.Work>

    init(queue: WorkQueue<Output>, evaluator: UncheckedBox<RuleEvaluator>,
         work: UncheckedBox<EvaluationPipeline<Output>.Work>) {
        self.queue = queue
        self.evaluator = evaluator
        self.work = work
    }

    func start() {
        queue.workerStarted()
        let thread = Thread { [self] in
            while let (sequence, batch) = queue.take() {
                queue.complete(sequence, work.value(evaluator.value, batch), batch)
            }
            queue.workerStopped()
        }
        thread.stackSize = 8 << 20 // Lua recursion through C functions runs on this stack
        thread.start()
    }
}

/// Hands a value that is used by one thread at a time to another thread.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
