import Foundation
import LuaHost

/// A request to stop a long run early (Ctrl-C), made from any thread. A streaming evaluation
/// that sees it stops reading, stops the rule calls running on its workers at once (their
/// next instruction or library-loop check), and throws `Interrupted`; so does one that
/// finishes after the request.
public final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var running: [Int: [LuaInterrupter]] = [:]
    private var nextRun = 0

    public init() {}

    public var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }

    /// Asks every run watching this interruption to stop.
    public func request() {
        lock.lock()
        defer { lock.unlock() }
        requested = true
        for interrupters in running.values { interrupters.forEach { $0.interrupt() } }
    }

    /// Throws `Interrupted` once a stop was requested.
    public func check() throws(Interrupted) {
        if isRequested { throw Interrupted() }
    }

    /// Lets a request stop these evaluators' calls while `body` runs.
    func watching<R>(_ evaluators: [RuleEvaluator], _ body: () throws -> R) throws -> R {
        lock.lock()
        let run = nextRun
        nextRun += 1
        running[run] = evaluators.map(\.interrupter)
        lock.unlock()
        defer {
            lock.lock()
            running[run] = nil
            lock.unlock()
        }
        return try body()
    }
}

/// A run stopped by an `Interruption`; nothing it would have written was written.
public struct Interrupted: Error, Sendable, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
