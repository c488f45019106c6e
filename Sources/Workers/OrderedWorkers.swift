import Foundation

/// The program's one way of using several cores. Items made on the calling thread are handed
/// to worker threads, each owning one `Worker` value (a Lua state must stay on one thread at
/// a time, so every evaluator is owned by exactly one thread), and the outputs come back to
/// the calling thread in the order the items were made. Only a few items per worker are in
/// flight at once, so a stream of any length runs in bounded memory. With one worker
/// everything runs on the calling thread.
public enum OrderedWorkers {
    /// Runs `work` on every item `next` makes (nil: no more) and hands the outputs to
    /// `consume`, in item order, on the calling thread.
    ///
    /// Failures: a throw from `consume` stops the run at once (items not started are
    /// dropped, running ones finish first). A throw from `next` is rethrown only after every
    /// item made before it has been consumed, so an earlier failure found by a worker wins
    /// over a later one found while making items: a run fails the same way whatever the
    /// number of workers.
    ///
    /// `readAhead`: items in flight before `next` is called again (default 4 per worker).
    /// `stackSize`: bytes of stack per worker thread (Lua recursion through C functions runs
    /// on it).
    public static func run<Worker, Item, Output, Failure: Error>(
        workers: [Worker], readAhead: Int? = nil, stackSize: Int = 8 << 20,
        next: () throws(Failure) -> Item?,
        work: @escaping (Worker, Item) -> Output,
        consume: (Output) throws(Failure) -> Void
    ) throws(Failure) {
        precondition(!workers.isEmpty, "at least one worker")
        if workers.count == 1 {
            while let item = try next() { try consume(work(workers[0], item)) }
            return
        }
        let queue = WorkQueue<Item, Output>()
        let box = UncheckedBox(work)
        for worker in workers {
            WorkerThread(queue: queue, worker: UncheckedBox(worker), work: box).start(stackSize: stackSize)
        }
        defer { queue.finish() } // stops and waits for the workers, also on errors
        let limit = readAhead ?? 4 * workers.count
        var failure: Failure?
        var making = true
        while true {
            if let output = queue.nextOutput(waiting: !making || queue.inFlight > limit) {
                try consume(output)
                continue
            }
            if !making {
                if queue.inFlight == 0 { break }
                continue
            }
            do throws(Failure) {
                if let item = try next() { queue.submit(item) } else { making = false }
            } catch {
                failure = error // thrown once every item made before it is consumed
                making = false
            }
        }
        if let failure { throw failure }
    }

    /// `transform` applied to every item on up to `threads` threads; the outputs in item order.
    public static func map<Item, Output>(_ items: [Item], threads: Int, _ transform: @escaping (Item) -> Output) -> [Output] {
        var outputs: [Output] = []
        outputs.reserveCapacity(items.count)
        var index = 0
        run(workers: Array(repeating: (), count: max(1, min(threads, items.count))), readAhead: items.count,
            next: { () throws(Never) -> Item? in
                defer { index += 1 }
                return index < items.count ? items[index] : nil
            },
            work: { _, item in transform(item) },
            consume: { (output: Output) throws(Never) in outputs.append(output) })
        return outputs
    }
}

/// Items waiting for a worker and outputs waiting to be handed on in order.
final class WorkQueue<Item, Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [(sequence: Int, item: Item?)] = []
    private var pendingHead = 0
    private var outputs: [Int: Output] = [:]
    private var submitted = 0
    private var handedOn = 0
    private var closed = false
    private var running = 0

    /// Items submitted and not yet handed on.
    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return submitted - handedOn
    }

    func submit(_ item: Item) {
        condition.lock()
        pending.append((submitted, item))
        submitted += 1
        condition.broadcast()
        condition.unlock()
    }

    /// The next output in item order; nil when it is not ready (and `waiting` is false) or
    /// nothing is in flight.
    func nextOutput(waiting: Bool) -> Output? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let output = outputs.removeValue(forKey: handedOn) {
                handedOn += 1
                return output
            }
            if !waiting || handedOn == submitted { return nil }
            condition.wait()
        }
    }

    /// A worker's next item; nil when the queue is closed.
    func take() -> (sequence: Int, item: Item)? {
        condition.lock()
        defer { condition.unlock() }
        while pendingHead == pending.count {
            if closed { return nil }
            condition.wait()
        }
        let next = pending[pendingHead]
        pending[pendingHead].item = nil // the worker holds it now
        pendingHead += 1
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
        return (next.sequence, next.item!)
    }

    func complete(_ sequence: Int, _ output: Output) {
        condition.lock()
        outputs[sequence] = output
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

    /// Closes the queue, dropping items not started, and waits for every worker to stop.
    func finish() {
        condition.lock()
        closed = true
        pending.removeAll()
        pendingHead = 0
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}

/// One worker thread: takes items until the queue closes. Each thread owns one worker value,
/// which is what makes handing it to the thread safe.
final class WorkerThread<Worker, Item, Output>: @unchecked Sendable {
    private let queue: WorkQueue<Item, Output>
    private let worker: UncheckedBox<Worker>
    private let work: UncheckedBox<(Worker, Item) -> Output>

    init(queue: WorkQueue<Item, Output>, worker: UncheckedBox<Worker>, work: UncheckedBox<(Worker, Item) -> Output>) {
        self.queue = queue
        self.worker = worker
        self.work = work
    }

    func start(stackSize: Int) {
        queue.workerStarted()
        let thread = Thread { [self] in
            while let (sequence, item) = queue.take() {
                queue.complete(sequence, work.value(worker.value, item))
            }
            queue.workerStopped()
        }
        thread.stackSize = stackSize
        thread.start()
    }
}

/// Hands a value that is used by one thread at a time to another thread.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension OrderedWorkers {
    /// The threads a `--jobs` value asks for: 0 means one per core.
    public static func threads(for jobs: Int) -> Int {
        jobs > 0 ? jobs : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
