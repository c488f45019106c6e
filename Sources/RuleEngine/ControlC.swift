import Foundation

/// Ctrl-C (SIGINT) as an `Interruption`, for a program run from a terminal: the first asks
/// every run watching `interruption` to stop cleanly (it throws `Interrupted` and writes
/// nothing); a second one ends the process at once, as SIGINT does by default.
public enum ControlC {
    public static let interruption = Interruption()

    nonisolated(unsafe) private static let source: DispatchSourceSignal = {
        signal(SIGINT, SIG_IGN) // delivered to the source below instead of ending the process
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            interruption.request()
            signal(SIGINT, SIG_DFL)
        }
        source.resume()
        return source
    }()

    /// Call once, early (a supervised program: in the supervised child, which does the work).
    public static func install() { _ = source }
}
