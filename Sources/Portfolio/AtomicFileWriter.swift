#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Breadcrumbs

extension AtomicFile {
    /// Streams a file and publishes it whole or not at all, like `AtomicFile.write` (which takes
    /// one finished String): bytes go to a temporary file beside the target, renamed over it by
    /// `commit()`. "-" and /dev/stdout go to standard output; other /dev/ paths are written
    /// straight through. Dropped without `commit()`, the temporary file is removed.
    public final class Writer {
        public let path: String
        private let fd: Int32
        private let temporary: String?
        /// The temporary file's entry in the supervisor's breadcrumbs (removed by the
        /// supervisor if this process dies before `commit` or `discard`).
        private let recorded: Int?
        private var finished = false

        public init(path: String) throws(WriteError) {
            self.path = path
            if path == "-" || path == "/dev/stdout" {
                fd = STDOUT_FILENO
                temporary = nil
                recorded = nil
            } else if path.hasPrefix("/dev/") {
                fd = open(path, O_WRONLY)
                temporary = nil
                recorded = nil
            } else {
                let slash = path.lastIndex(of: "/")
                let directory = slash.map { String(path[...$0]) } ?? ""
                let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                let temp = "\(directory).\(name).tmp-\(getpid())-\(now.tv_nsec)"
                // Recorded before it exists, so there is no moment when a crash would leave it.
                recorded = Breadcrumbs.current?.addTemporary(temp)
                fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
                temporary = temp
            }
            guard fd >= 0 else {
                let error = WriteError(path: path, reason: Writer.errnoText())
                if let recorded { Breadcrumbs.current?.removeTemporary(recorded) }
                throw error
            }
        }

        deinit { if !finished { discard() } }

        public func write(_ bytes: [UInt8]) throws(WriteError) {
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, $0.count - done) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, reason: Writer.errnoText())
                }
                done += n
            }
        }

        /// Puts the file in place.
        public func commit() throws(WriteError) {
            TestFault.configured?.fire(for: TestFault.outputTarget) // tests: a crash while the temporary file exists
            finished = true
            if fd != STDOUT_FILENO, close(fd) != 0 {
                let error = WriteError(path: path, reason: Writer.errnoText())
                if let temporary { unlink(temporary) }
                forget()
                throw error
            }
            if let temporary, rename(temporary, path) != 0 {
                let error = WriteError(path: path, reason: Writer.errnoText())
                unlink(temporary)
                forget()
                throw error
            }
            forget()
        }

        /// The temporary file is renamed or removed: the supervisor need not remove it.
        private func forget() {
            if let recorded { Breadcrumbs.current?.removeTemporary(recorded) }
        }

        /// Abandons the output: the target is left as it was.
        public func discard() {
            guard !finished else { return }
            finished = true
            if fd != STDOUT_FILENO { close(fd) }
            if let temporary { unlink(temporary) }
            forget()
        }

        /// The last system error in the plain words the loaders use ("no such file").
        static func errnoText() -> String { ChunkedFile.errnoText() }
    }
}

private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Darwin)
    Darwin.write(fd, p, n)
    #elseif canImport(Musl)
    Musl.write(fd, p, n)
    #else
    Glibc.write(fd, p, n)
    #endif
}
