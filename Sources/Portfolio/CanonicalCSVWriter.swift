#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams contracts to a canonical CSV file and publishes it whole or not at all, like
/// Reports' AtomicFile (which takes one finished String): rows go to a temporary file in the
/// target's directory, renamed over the target by `commit()`. "-" and /dev/stdout write to
/// standard output; other /dev/ paths are written straight through.
public final class CanonicalCSVWriter {
    public let path: String
    /// Rows written so far.
    public private(set) var count = 0
    private let fd: Int32
    private let temporary: String?
    private var buffer: [UInt8] = []
    private var finished = false
    private static let flushSize = 1 << 20

    public init(path: String, extraColumns: [String]) throws(PortfolioError) {
        self.path = path
        if path == "-" || path == "/dev/stdout" {
            fd = STDOUT_FILENO
            temporary = nil
        } else if path.hasPrefix("/dev/") {
            fd = open(path, O_WRONLY)
            temporary = nil
        } else {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { String(path[...$0]) } ?? ""
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            let temp = "\(directory).\(name).tmp-\(getpid())-\(now.tv_nsec)"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            temporary = temp
        }
        guard fd >= 0 else { throw CanonicalCSVWriter.failure(path) }
        buffer.reserveCapacity(CanonicalCSVWriter.flushSize + 4096)
        CanonicalCSVFormat.appendHeader(extraColumns: extraColumns, to: &buffer)
    }

    deinit {
        if !finished { discard() }
    }

    public func write(_ contract: Contract) throws(PortfolioError) {
        CanonicalCSVFormat.appendRow(contract, to: &buffer)
        count += 1
        if buffer.count >= CanonicalCSVWriter.flushSize { try flush() }
    }

    public func write(_ contracts: [Contract]) throws(PortfolioError) {
        for contract in contracts { try write(contract) }
    }

    /// Appends bytes that are already canonical CSV rows (the generator writes its own).
    public func writeRows(_ bytes: [UInt8], count rows: Int) throws(PortfolioError) {
        buffer += bytes
        count += rows
        if buffer.count >= CanonicalCSVWriter.flushSize { try flush() }
    }

    /// Writes what is buffered and puts the file in place.
    public func commit() throws(PortfolioError) {
        try flush()
        finished = true
        if fd != STDOUT_FILENO { close(fd) }
        if let temporary, rename(temporary, path) != 0 {
            let error = CanonicalCSVWriter.failure(path)
            unlink(temporary)
            throw error
        }
    }

    /// Abandons the output: the target is left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        if fd != STDOUT_FILENO { close(fd) }
        if let temporary { unlink(temporary) }
    }

    private func flush() throws(PortfolioError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in
                #if canImport(Darwin)
                Darwin.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #elseif canImport(Musl)
                Musl.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #else
                Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #endif
            }
            if n < 0 {
                if errno == EINTR { continue }
                let error = CanonicalCSVWriter.failure(path)
                discard()
                throw error
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private static func failure(_ path: String) -> PortfolioError {
        PortfolioError(kind: .unreadable, message: "cannot write '\(path)': \(ChunkedFile.errnoText())")
    }
}
