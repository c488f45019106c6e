/// Streams contracts to a canonical CSV file and publishes it whole or not at all, through
/// `AtomicFile.Writer` (temporary file beside the target, renamed over it by `commit()`).
/// "-" and /dev/stdout write to standard output; other /dev/ paths are written straight through.
public final class CanonicalCSVWriter {
    public let path: String
    /// Rows written so far.
    public private(set) var count = 0
    private let file: AtomicFile.Writer
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20

    public init(path: String, extraColumns: [String]) throws(PortfolioError) {
        self.path = path
        do {
            file = try AtomicFile.Writer(path: path)
        } catch {
            throw CanonicalCSVWriter.failure(error)
        }
        buffer.reserveCapacity(CanonicalCSVWriter.flushSize + 4096)
        CanonicalCSVFormat.appendHeader(extraColumns: extraColumns, to: &buffer)
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
        do {
            try file.commit()
        } catch {
            throw CanonicalCSVWriter.failure(error)
        }
    }

    /// Abandons the output: the target is left as it was.
    public func discard() { file.discard() }

    private func flush() throws(PortfolioError) {
        do {
            try file.write(buffer)
        } catch {
            file.discard()
            throw CanonicalCSVWriter.failure(error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writing is an I/O failure (exit 4), reported as "cannot write 'path': reason".
    private static func failure(_ error: AtomicFile.WriteError) -> PortfolioError {
        PortfolioError(kind: .unreadable, message: error.description)
    }
}
