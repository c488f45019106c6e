import Foundation
import Portfolio
import Testing

/// A large file is read one batch at a time: the reader never holds more than a batch of
/// contracts, so memory stays flat however long the file is.
@Suite struct StreamingTests {
    /// Resident memory of this process, in bytes (Linux /proc).
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func twoHundredThousandRowsStreamInBoundedBatches() throws {
        let path = try GeneratorTests.generate(count: 200_000, seed: 99)
        let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(fileSize > 30_000_000)

        let reader = try PortfolioReader.open(path: path)
        let before = Self.residentBytes()
        var rows = 0
        var largestBatch = 0
        var lastId = ""
        var peak = before
        while true {
            let batch = try reader.nextBatch(max: 1000)
            if batch.isEmpty { break }
            largestBatch = max(largestBatch, batch.count)
            rows += batch.count
            lastId = batch.last!.id
            if rows % 20_000 == 0 { peak = max(peak, Self.residentBytes()) }
        }
        #expect(rows == 200_000)
        #expect(largestBatch == 1000)
        #expect(lastId == "G-200000")
        // Holding 200k contracts would take well over 80 MB; streaming keeps only a batch, the
        // read buffer and the set of ids seen (for duplicates).
        #expect(peak - before < 40_000_000, "resident memory grew by \(peak - before) bytes")
    }
}
