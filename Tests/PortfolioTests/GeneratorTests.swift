import Foundation
import Portfolio
import Testing

@Suite struct GeneratorTests {
    static let asOf = ContractDate(year: 2026, month: 11, day: 25)!

    static func generate(count: Int, seed: UInt64, asOf: ContractDate = GeneratorTests.asOf) throws -> String {
        let path = try Files.temporaryDirectory().appendingPathComponent("generated.csv").path
        let writer = try CanonicalCSVWriter(path: path, extraColumns: SyntheticPortfolio.extraColumns)
        try SyntheticPortfolio(seed: seed, asOf: asOf).write(count: count, to: writer)
        try writer.commit()
        return path
    }

    @Test func sameSeedGivesTheSameBytes() throws {
        let a = try Data(contentsOf: URL(fileURLWithPath: Self.generate(count: 2000, seed: 42)))
        let b = try Data(contentsOf: URL(fileURLWithPath: Self.generate(count: 2000, seed: 42)))
        let c = try Data(contentsOf: URL(fileURLWithPath: Self.generate(count: 2000, seed: 43)))
        #expect(a == b)
        #expect(a != c)
        // The first rows do not depend on how many follow.
        let short = try Data(contentsOf: URL(fileURLWithPath: Self.generate(count: 10, seed: 42)))
        let firstLines = String(decoding: a, as: UTF8.self).split(separator: "\n").prefix(11).joined(separator: "\n")
        #expect(String(decoding: short, as: UTF8.self) == firstLines.replacingOccurrences(of: "G-0000", with: "G-0000") + "\n")
    }

    @Test func generatedFileRoundTripsThroughTheReaderAndWriter() throws {
        let path = try Self.generate(count: 3000, seed: 7)
        let reader = try PortfolioReader.open(path: path)
        #expect(reader.format == .csv)
        #expect(reader.extraColumns == SyntheticPortfolio.extraColumns)
        let contracts = try reader.readAll()
        #expect(contracts.count == 3000)

        let copy = try Files.temporaryDirectory().appendingPathComponent("copy.csv").path
        let writer = try CanonicalCSVWriter(path: copy, extraColumns: reader.extraColumns)
        try writer.write(contracts)
        try writer.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: path)))
        func withoutOrigin(_ c: Contract) -> Contract { var c = c; c.origin = nil; return c }
        #expect(try load(copy).map(withoutOrigin) == contracts.map(withoutOrigin))
    }

    @Test func distributionsLookLikeACouncilRegister() throws {
        let contracts = try load(try Self.generate(count: 5000, seed: 11))
        let n = Double(contracts.count)
        func share(_ predicate: (Contract) -> Bool) -> Double { Double(contracts.filter(predicate).count) / n }

        #expect(Set(contracts.compactMap(\.category)).count == 15)
        #expect((0.17...0.27).contains(share { $0.category == "Social Care" }))
        #expect((0.04...0.10).contains(share { $0.risk == nil }))
        #expect((0.01...0.035).contains(share { $0.memberSuggested != nil }))
        #expect((0.025...0.055).contains(share { $0.auditPlanned == "2026/27" }))
        #expect((0.01...0.035).contains(share { $0.valueTotal == nil }))
        #expect(contracts.allSatisfy { c in c.startDate! <= c.endDate! && (c.maxEndDate.map { $0 >= c.endDate! } ?? true) })
        #expect(contracts.allSatisfy { c in [c.risk, c.complexity, c.strategicImportance].allSatisfy { $0 == nil || (1...5).contains($0!) } })

        // Log-normal values: the median sits near the category's typical size, the mean well above it.
        let care = contracts.filter { $0.category == "Social Care" }.compactMap(\.valueTotal).sorted()
        let median = care[care.count / 2]
        let mean = care.reduce(0, +) / Double(care.count)
        #expect((1_400_000...2_300_000).contains(median))
        #expect(mean > median * 1.5)

        // End dates spread around the as-of date.
        let days = contracts.map { Self.asOf.days(until: $0.endDate!) }
        #expect((0.1...0.35).contains(Double(days.filter { $0 < 0 }.count) / n))
        #expect((0.15...0.45).contains(Double(days.filter { (0..<365).contains($0) }.count) / n))
        #expect(days.contains { $0 > 5 * 365 })
    }

    @Test func asOfMovesTheDates() throws {
        let later = try load(try Self.generate(count: 50, seed: 3, asOf: Self.asOf.adding(days: 365)))
        let now = try load(try Self.generate(count: 50, seed: 3))
        #expect(zip(now, later).allSatisfy { $0.startDate!.adding(days: 365) == $1.startDate! && $0.valueTotal == $1.valueTotal })
    }
}
