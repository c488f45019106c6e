import Foundation

/// Writes a whole file or nothing: the text goes to a temporary file in the same directory,
/// which is then renamed over the target, so an interrupted run never leaves half a report.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write '\(path)': \(reason)" }
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        if path == "/dev/stdout" || path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        if path.hasPrefix("/dev/") {
            // Devices cannot be renamed over; write straight through.
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw WriteError(path: path, reason: "cannot open device")
            }
            handle.write(Data(text.utf8))
            try? handle.close()
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try Data(text.utf8).write(to: temporary, options: [.withoutOverwriting])
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: (error as NSError).localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: reason)
        }
    }
}
