import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Temporary files of one test run. Every scratch directory is made inside one folder per
/// test process (`cmrg-tests-<pid>` in the temporary directory), which is removed when the
/// process exits, so a `swift test` run leaves nothing behind; tests that write large files
/// remove them as soon as they are done (`remove`).
public enum Scratch {
    /// A fresh, empty directory named `<prefix>-<uuid>`.
    public static func directory(_ prefix: String = "test") throws -> URL {
        let dir = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Removes a scratch directory (or file) before the run ends.
    public static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// The run's folder, made (and its removal at exit registered) on first use.
    static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cmrg-tests-\(getpid())")
        try? FileManager.default.removeItem(at: url) // left by an earlier process with the same pid
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        rootPath = url.path
        atexit { if let rootPath { try? FileManager.default.removeItem(atPath: rootPath) } }
        return url
    }()
}

/// Read at exit by the C callback (written once, before any test uses `Scratch`).
nonisolated(unsafe) private var rootPath: String?
