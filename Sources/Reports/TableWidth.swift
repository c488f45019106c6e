import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output width in columns: what the caller asked for, else (writing to standard output)
/// COLUMNS or the terminal's width, else 160; tables never use fewer than `minimum`.
public enum TableWidth {
    public static let fallback = 160
    public static let minimum = 40

    public static func resolve(explicit: Int?, toStandardOutput: Bool,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let explicit { return explicit }
        guard toStandardOutput else { return fallback }
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return max(columns, minimum) }
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return max(Int(size.ws_col), minimum)
        }
        return fallback
    }
}
