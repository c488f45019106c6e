import Foundation
import RuleEngine
import UseCases

/// "evaluated 120000 contracts" on stderr, redrawn in place every 50,000 contracts, only when
/// stderr is a terminal (a redirected stderr gets no progress, only the run's notes).
public final class ProgressLine {
    private let label: String, enabled = isatty(STDERR_FILENO) == 1
    private var last = 0, shown = false

    public init(label: String) { self.label = label }

    public func update(_ count: Int) {
        guard enabled, count - last >= 50_000 else { return }
        last = count
        shown = true
        FileHandle.standardError.write(Data("\r\(label) \(count) contracts".utf8))
    }

    /// Clears the line (once shown).
    public func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }

    /// Runs `body` with its progress on a line labelled `label`, each of its notes handed to
    /// `say` once the line is cleared, stopped when `interruption` is requested.
    public static func observing<R>(_ label: String, note say: @escaping (RunNote) -> Void, interruption: Interruption?,
                                    _ body: (RunObserver) throws -> R) rethrows -> R {
        let progress = ProgressLine(label: label)
        defer { progress.finish() }
        return try body(RunObserver(progress: progress.update, note: { note in
            progress.finish()
            say(note)
        }, interruption: interruption))
    }
}
