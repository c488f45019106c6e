#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 4180 records from a file (streamed through a byte buffer) or from bytes in memory: quoted
/// fields with embedded commas, doubled quotes and line breaks; LF or CRLF line ends; a leading
/// UTF-8 BOM is skipped; lines with nothing on them are skipped. The one CSV reader of cmrg
/// (portfolios, review history). Field bytes stay valid until the next call to `nextRecord()`.
public final class CSVTokenizer {
    static let chunkSize = 1 << 20
    /// A record this long almost always means a quote that is never closed.
    static let maxRecordBytes = 64 << 20

    private let file: ChunkedFile?   // nil: every byte is in the buffer from the start
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0          // first byte not yet consumed
    private var end = 0            // bytes [0, end) hold data
    private var atEOF = false
    private var nextLine = 1       // line number of `start`
    private var checkedBOM = false

    /// Line on which the current record starts.
    public private(set) var recordLine = 0
    public private(set) var fieldCount = 0
    private var recordStart = 0    // buffer offset of the current record
    private var fieldStarts: [Int] = []
    private var fieldEnds: [Int] = []
    private var fieldEscaped: [Bool] = []   // quoted and containing "" pairs
    private var firstFieldQuoted = false
    /// A syntax problem in the current record (the first one), if any.
    public private(set) var problem: Problem?

    public struct Problem: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A quoted field still open at the end of the input.
            case unclosedQuote
            /// Text straight after a closing quote, e.g. `"a"b`.
            case textAfterQuote
        }

        public var kind: Kind
        /// 1-based number of the field it is in.
        public var column: Int
        /// Buffer offset of the character it is at: the opening quote, or the text after the
        /// closing one.
        var offset: Int

        public var message: String {
            switch kind {
            case .unclosedQuote: "a quoted field is not closed (missing \")"
            case .textAfterQuote: "text after the closing quote of a quoted field"
            }
        }
    }

    init(file: ChunkedFile) {
        self.file = file
        capacity = 2 * CSVTokenizer.chunkSize
        buffer = .allocate(capacity: capacity)
    }

    /// Records of CSV text held in memory.
    public init(bytes: [UInt8]) {
        file = nil
        capacity = max(bytes.count, 1)
        buffer = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { buffer.initialize(from: base, count: b.count) }
        }
        end = bytes.count
        atEOF = true
        skipBOM()
    }

    deinit { buffer.deallocate() }

    /// Moves to the next non-blank record; false at the end of the file.
    public func nextRecord() throws(PortfolioError) -> Bool {
        while true {
            if start == end {
                if atEOF { return false }
                try fill()
                continue
            }
            guard let (next, lines) = parseRecord() else {
                try fill()
                continue
            }
            let line = nextLine
            let first = start
            start = next
            nextLine += lines
            // A line with nothing on it separates nothing: skip it.
            if fieldCount == 1, fieldStarts[0] == fieldEnds[0], problem == nil, !firstFieldQuoted {
                continue
            }
            recordLine = line
            recordStart = first
            return true
        }
    }

    /// The raw bytes of field `index` (quotes removed, doubled quotes still doubled when
    /// `isEscaped(index)`).
    @inline(__always)
    func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer + fieldStarts[index], count: fieldEnds[index] - fieldStarts[index])
    }

    @inline(__always)
    func isEscaped(_ index: Int) -> Bool { fieldEscaped[index] }

    /// Whether field `index` was written in double quotes.
    public func isQuoted(_ index: Int) -> Bool {
        fieldStarts[index] > recordStart && buffer[fieldStarts[index] - 1] == UInt8(ascii: "\"")
    }

    /// Line and column of field `index`'s first character (its opening quote when quoted):
    /// columns count characters from 1, lines go on counting inside quoted line breaks.
    public func location(ofField index: Int) -> (line: Int, column: Int) {
        location(at: fieldStarts[index] - (isQuoted(index) ? 1 : 0))
    }

    /// Line and column of the current record's problem (see `location(ofField:)`).
    public var problemLocation: (line: Int, column: Int)? { problem.map { location(at: $0.offset) } }

    private func location(at offset: Int) -> (line: Int, column: Int) {
        var line = recordLine
        var lineStart = recordStart
        for k in recordStart..<offset where buffer[k] == UInt8(ascii: "\n") {
            line += 1
            lineStart = k + 1
        }
        let before = String(decoding: UnsafeBufferPointer(start: buffer + lineStart, count: offset - lineStart), as: UTF8.self)
        return (line, before.count + 1)
    }

    /// Field `index` as text; nil when it is not valid UTF-8.
    public func string(_ index: Int) -> String? {
        let raw = bytes(index)
        if !fieldEscaped[index] { return decodeUTF8(raw) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            unescaped.append(raw[i])
            i += raw[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return unescaped.withUnsafeBufferPointer { decodeUTF8($0) }
    }

    /// Field `index` with doubled quotes undone, as bytes (for fields that are not text).
    func unescapedBytes(_ index: Int) -> [UInt8] {
        let raw = bytes(index)
        guard fieldEscaped[index] else { return Array(raw) }
        var out: [UInt8] = []
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            i += raw[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return out
    }

    // MARK: - Buffer

    /// Keeps the unconsumed bytes, then reads the next chunk after them.
    private func fill() throws(PortfolioError) {
        guard let file else {
            atEOF = true
            return
        }
        let pending = end - start
        if start > 0 {
            if pending > 0 { memmove(buffer, buffer + start, pending) }   // regions may overlap
            start = 0
            end = pending
        }
        if capacity - end < CSVTokenizer.chunkSize {
            if pending >= CSVTokenizer.maxRecordBytes {
                throw .fatal(InputIssue(file.path, nextLine, 0,
                    "a record is longer than \(CSVTokenizer.maxRecordBytes >> 20) MiB; a quoted field is probably not closed"),
                    "stopped reading")
            }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        let n = try file.read(into: buffer + end, count: capacity - end)
        if n == 0 { atEOF = true }
        end += n
        if !checkedBOM, end >= 3 || atEOF { skipBOM() }
    }

    private func skipBOM() {
        checkedBOM = true
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
    }

    // MARK: - Parsing

    /// Parses one record starting at `start`. Returns the offset after it and the number of
    /// line breaks it spans, or nil if more data is needed.
    private func parseRecord() -> (next: Int, lines: Int)? {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let b = buffer
        let end = self.end
        var i = start
        var lines = 0
        fieldCount = 0
        firstFieldQuoted = false
        problem = nil
        while true {
            let fieldStart: Int
            let fieldEnd: Int
            var escaped = false
            if i < end, b[i] == quote {
                if fieldCount == 0 { firstFieldQuoted = true }
                i += 1
                fieldStart = i
                while true {
                    if i >= end {
                        guard atEOF else { return nil }
                        noteProblem(.unclosedQuote, at: fieldStart - 1)
                        append(fieldStart, end, false)
                        return (end, lines)
                    }
                    let c = b[i]
                    if c == quote {
                        if i + 1 >= end, !atEOF { return nil }
                        if i + 1 < end, b[i + 1] == quote {
                            escaped = true
                            i += 2
                            continue
                        }
                        break
                    }
                    if c == lf { lines += 1 }
                    i += 1
                }
                fieldEnd = i
                i += 1
                // Only a separator or a line end may follow the closing quote.
                if i < end, b[i] != comma, b[i] != lf, !(b[i] == cr && (i + 1 >= end || b[i + 1] == lf)) {
                    noteProblem(.textAfterQuote, at: i)
                    while i < end, b[i] != comma, b[i] != lf { i += 1 }
                    if i >= end, !atEOF { return nil }
                }
                if i < end, b[i] == cr {
                    if i + 1 >= end, !atEOF { return nil }
                    i += 1
                }
            } else {
                fieldStart = i
                while i < end {
                    let c = b[i]
                    if c == comma || c == lf { break }
                    i += 1
                }
                if i >= end, !atEOF { return nil }
                var last = i
                if last > fieldStart, b[last - 1] == cr, i >= end || b[i] == lf { last -= 1 }
                fieldEnd = last
            }
            append(fieldStart, fieldEnd, escaped)
            if i >= end { return (end, lines) }
            if b[i] == comma {
                i += 1
                continue
            }
            // Line feed.
            return (i + 1, lines + 1)
        }
    }

    @inline(__always)
    private func append(_ s: Int, _ e: Int, _ escaped: Bool) {
        if fieldCount < fieldStarts.count {
            fieldStarts[fieldCount] = s
            fieldEnds[fieldCount] = e
            fieldEscaped[fieldCount] = escaped
        } else {
            fieldStarts.append(s)
            fieldEnds.append(e)
            fieldEscaped.append(escaped)
        }
        fieldCount += 1
    }

    private func noteProblem(_ kind: Problem.Kind, at offset: Int) {
        if problem == nil { problem = Problem(kind: kind, column: fieldCount + 1, offset: offset) }
    }
}

/// Text from UTF-8 bytes; nil when they are not valid UTF-8 (never silently repaired).
@inline(__always)
func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    var ascii = true
    for byte in bytes where byte >= 0x80 {
        ascii = false
        break
    }
    if ascii { return String(decoding: bytes, as: UTF8.self) }
    return String(validating: bytes, as: UTF8.self)
}
