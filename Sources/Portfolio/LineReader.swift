/// Lines of a file, read in chunks (for JSON Lines): each line's bytes without its line end.
final class LineReader {
    private let file: ChunkedFile
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEOF = false
    /// Number of the line last returned.
    private(set) var lineNumber = 0

    init(file: ChunkedFile) { self.file = file }

    func nextLine() throws(PortfolioError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = buffer[start..<end]
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    private func fill() throws(PortfolioError) {
        buffer.removeFirst(start)
        start = 0
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: CSVTokenizer.chunkSize))
        let n = try buffer.withUnsafeMutableBufferPointer { (b) throws(PortfolioError) -> Int in
            try file.read(into: b.baseAddress! + old, count: CSVTokenizer.chunkSize)
        }
        buffer.removeLast(CSVTokenizer.chunkSize - n)
        if n == 0 { atEOF = true }
    }
}
