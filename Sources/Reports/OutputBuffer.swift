/// Rendered output as bytes. Renderers append row by row; when the output goes to a file the
/// buffer is handed to `drain` every megabyte, so a million-row report is never held whole.
/// A drain failure is kept (`failure`) and further output dropped; the caller checks it.
public final class OutputBuffer {
    public private(set) var bytes: [UInt8] = []
    public private(set) var failure: Error?
    private let drain: (([UInt8]) throws -> Void)?
    private static let drainSize = 1 << 20

    /// Collects everything (read `bytes` or `text` at the end).
    public init() { drain = nil }

    /// Hands the bytes to `drain` in pieces of about a megabyte; call `finish()` at the end.
    public init(drain: @escaping ([UInt8]) throws -> Void) {
        self.drain = drain
        bytes.reserveCapacity(OutputBuffer.drainSize + 64 * 1024)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    public func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    public func append(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }

    @inline(__always)
    public func append(byte: UInt8) { bytes.append(byte) }

    /// Called by renderers between rows.
    @inline(__always)
    public func rowDone() {
        if drain != nil, bytes.count >= OutputBuffer.drainSize { flush() }
    }

    /// Drains what is left; throws the first drain failure.
    public func finish() throws {
        flush()
        if let failure { throw failure }
    }

    private func flush() {
        guard let drain, !bytes.isEmpty else { return }
        if failure == nil {
            do { try drain(bytes) } catch { failure = error }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
