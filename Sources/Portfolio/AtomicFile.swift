import Foundation

/// Writes a whole file or nothing: the text goes to a temporary file in the same directory,
/// which is then renamed over the target, so an interrupted run never leaves half a report.
/// It lives in Portfolio, the lowest module that writes files, so the canonical CSV writer
/// (import, generate) and the reports share one implementation.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write '\(path)': \(reason)" }
    }

    /// The whole text at once (see `Writer` for streaming).
    public static func write(_ text: String, to path: String) throws(WriteError) {
        let writer = try Writer(path: path)
        try writer.write(Array(text.utf8))
        try writer.commit()
    }
}
