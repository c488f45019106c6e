import Foundation
import Portfolio
import Testing

@Suite struct CanonicalWriterTests {
    @Test func awkwardTextAndAmountsReadBackEqual() throws {
        let path = try Files.temporaryDirectory().appendingPathComponent("out.csv").path
        let contracts = [
            Contract(id: "W-1", title: "Cleaning, \"deep\" and routine", supplier: "Line one\nline two\r\nthree",
                     valueTotal: 109_320, valueAnnual: 32_283.5, startDate: ContractDate(year: 2025, month: 2, day: 11),
                     endDate: ContractDate(year: 2025, month: 3, day: 21), risk: 5, memberSuggested: "Cllr A. Shah",
                     extras: ["a,b", nil]),
            Contract(id: "W-2", title: "Très grand projet – £ and ✓", valueTotal: 1e20, valueAnnual: 0.07, extras: [nil, "x"]),
        ]
        let writer = try CanonicalCSVWriter(path: path, extraColumns: ["notes", "route"])
        try writer.write(contracts)
        try writer.commit()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(CanonicalCSVFormat.header(extraColumns: ["notes", "route"]).joined(separator: ",") + "\n"))
        #expect(text.contains("W-1,\"Cleaning, \"\"deep\"\" and routine\",\"Line one\nline two\r\nthree\",,,,109320,32283.5,2025-02-11,2025-03-21,,5,,,Cllr A. Shah,,,,,\"a,b\",\n"))
        #expect(text.contains(",100000000000000000000.00,0.07,"))
        let reader = try PortfolioReader.open(path: path)
        let back = try reader.readAll()
        #expect(reader.extraColumns == ["notes", "route"])
        func withoutOrigin(_ c: Contract) -> Contract { var c = c; c.origin = nil; return c }
        #expect(back.map(withoutOrigin) == contracts)
        #expect(back.map { $0.origin!.line } == [2, 5])
    }

    @Test func nothingIsWrittenUntilCommit() throws {
        let dir = try Files.temporaryDirectory()
        let path = dir.appendingPathComponent("kept.csv").path
        try "previous contents\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            let writer = try CanonicalCSVWriter(path: path, extraColumns: [])
            try writer.write(Contract(id: "A", title: "B"))
            writer.discard()
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous contents\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["kept.csv"])
    }

    @Test func unwritableTargetIsAnIOError() throws {
        do {
            _ = try CanonicalCSVWriter(path: "/nonexistent/dir/out.csv", extraColumns: [])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description == "cannot write '/nonexistent/dir/out.csv': no such file")
        }
    }

    @Test func importedRegistersRoundTripThroughCanonicalCSV() throws {
        for source in [Files.ocds("contracts-finder-sample.json"), Files.fixture("transparency-fixture-district.csv"),
                       Files.sample("portfolio.csv")] {
            let reader = try PortfolioReader.open(path: source)
            let contracts = try reader.readAll()
            let path = try Files.temporaryDirectory().appendingPathComponent("canonical.csv").path
            let writer = try CanonicalCSVWriter(path: path, extraColumns: reader.extraColumns)
            try writer.write(contracts)
            try writer.commit()
            let again = try PortfolioReader.open(path: path)
            #expect(again.format == .csv)
            #expect(again.extraColumns == reader.extraColumns)
            func withoutOrigin(_ c: Contract) -> Contract { var c = c; c.origin = nil; return c }
            #expect(try again.readAll().map(withoutOrigin) == contracts.map(withoutOrigin), "\(source)")
        }
    }
}
