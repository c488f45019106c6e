import Foundation
import Portfolio
import TestSupport
import Testing

/// A large file is read one batch at a time: the reader never holds more than a batch of
/// contracts, so memory stays flat however long the file is.
@Suite struct StreamingTests {
    @Test func twoHundredThousandRowsStreamInBoundedBatches() throws {
        let path = try GeneratorTests.generate(count: 200_000, seed: 99)
        defer { Scratch.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) } // 37 MB
        let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(fileSize > 30_000_000)

        let reader = try PortfolioReader.open(path: path)
        var rows = 0
        var largestBatch = 0
        var lastId = ""
        while true {
            let batch = try reader.nextBatch(max: 1000)
            if batch.isEmpty { break }
            largestBatch = max(largestBatch, batch.count)
            rows += batch.count
            lastId = batch.last!.id
        }
        #expect(rows == 200_000)
        #expect(largestBatch == 1000)
        #expect(lastId == "G-200000")
        // Memory itself is checked on a child process (GenerateCommandTests: `cmrg import` of
        // 200k rows stays under 80 MB): this process runs other tests in parallel, so its own
        // resident size says nothing about the reader.
    }
}
