import Foundation
import Portfolio
import Testing

@Suite struct CanonicalCSVTests {
    static let header = "id,title,supplier,directorate,lead_officer,category,value_total,value_annual,start_date,end_date,max_end_date,risk,complexity,strategic_importance,member_suggested,audit_planned"

    @Test func samplePortfolioLoadsEveryContract() throws {
        let reader = try PortfolioReader.open(path: Files.sample("portfolio.csv"))
        #expect(reader.format == .csv)
        #expect(reader.extraColumns == ["procurement_route", "notes", "kpi_count", "last_kpi_assessment"])
        let contracts = try reader.readAll()
        #expect(contracts.count == 77)
        #expect(Set(contracts.map(\.id)).count == 77)
        let first = contracts[0]
        #expect(first.id == "C-001")
        #expect(first.title == "Schools PFI - Phase 1 (six secondary schools)")
        #expect(first.directorate == "Children, Families and Learning")
        #expect(first.leadOfficer == "Head of School Organisation")
        #expect(first.valueTotal == 186_400_000)
        #expect(first.startDate == ContractDate(year: 2004, month: 9, day: 1))
        #expect(first.maxEndDate == nil)
        #expect(first.risk == 4)
        #expect(first.auditPlanned == "2026/27")
        #expect(first.extras == ["PFI (OJEU negotiated)", "Unitary charge indexed to RPIX; hand-back survey due 2027", nil, nil])
        #expect(first.origin == SourceLocation(file: Files.sample("portfolio.csv"), line: 2))
        #expect(contracts.contains { $0.risk == nil && $0.complexity == nil })
        #expect(contracts.filter { $0.memberSuggested != nil }.count == 15)
        #expect(reader.skipped.isEmpty && reader.notices.isEmpty)
    }

    @Test func badSampleNamesFileLineAndColumn() throws {
        let path = Files.sample("bad.csv")
        let error = try #require(loadError(path))
        #expect(error.kind == .invalid)
        #expect(error.description == """
            \(path): 6 invalid rows
            \(path):5:7: value_total "£14,500,000" is not an amount (plain decimal pounds, e.g. 1250000.50)
            \(path):7:11: risk "High" is not a score (a whole number 1 to 5, or blank)
            \(path):11:1: duplicate id "B-003" (first used on line 4)
            \(path):14:9: end_date "31/02/2024" is not a date (YYYY-MM-DD)
            \(path):15:9: end_date 2023-03-31 is before start_date 2027-04-01
            \(path):16:1: id is blank (every contract needs one)
            """)
    }

    @Test func skipInvalidKeepsGoodRowsAndRecordsTheRest() throws {
        let reader = try PortfolioReader.open(path: Files.sample("bad.csv"), options: LoadOptions(skipInvalid: true))
        let contracts = try reader.readAll()
        #expect(contracts.map(\.id) == ["B-001", "B-002", "B-003", "B-005", "B-007", "B-008", "B-009", "B-011", "B-012"])
        #expect(reader.skipped.map(\.location.line) == [5, 7, 11, 14, 15, 16])
    }

    @Test func maxErrorsStopsEarly() throws {
        let path = Files.sample("bad.csv")
        let error = try #require(loadError(path, LoadOptions(maxErrors: 2)))
        #expect(error.message == "\(path): 2 invalid rows before stopping at 2 problems (first 2 shown)")
        #expect(error.issues.map(\.location.line) == [5, 7])
    }

    @Test func rfc4180QuotingCRLFAndBOM() throws {
        let text = "\u{FEFF}id,title,supplier,notes\r\n"
            + "Q-1,\"Cleaning, security and reception\",\"The \"\"Best\"\" FM Ltd\",\"line one\r\nline two\"\r\n"
            + "Q-2,Plain,,\"\"\r\n"
            + "\r\n"
            + "\"Q-3\",\"multi\nline\ntitle\",x,y"
        let path = try Files.write(text)
        let reader = try PortfolioReader.open(path: path)
        #expect(reader.extraColumns == ["notes"])
        let contracts = try reader.readAll()
        #expect(contracts.map(\.id) == ["Q-1", "Q-2", "Q-3"])
        #expect(contracts[0].title == "Cleaning, security and reception")
        #expect(contracts[0].supplier == "The \"Best\" FM Ltd")
        #expect(contracts[0].extras == ["line one\r\nline two"])
        #expect(contracts[1].supplier == nil)
        #expect(contracts[1].extras == [nil])
        #expect(contracts[2].title == "multi\nline\ntitle")
        #expect(contracts.map { $0.origin!.line } == [2, 4, 6])
    }

    @Test func recordsSplitAcrossReadChunksParseTheSame() throws {
        // ~4 MB with CRLF line ends and quoted fields holding CRLFs and doubled quotes, so
        // records straddle the 1 MiB read chunks at every kind of position.
        var text = "id,title,notes\r\n"
        for i in 0..<40_000 {
            text += "R-\(i),\"Title \(i), \"\"quoted\"\"\",\"line a\r\nline b \(String(repeating: "x", count: i % 97))\"\r\n"
        }
        let reader = try PortfolioReader.open(path: try Files.write(text))
        var index = 0
        while true {
            let batch = try reader.nextBatch(max: 3000)
            if batch.isEmpty { break }
            for c in batch {
                #expect(c.id == "R-\(index)")
                #expect(c.title == "Title \(index), \"quoted\"")
                #expect(c.extras == ["line a\r\nline b \(String(repeating: "x", count: index % 97))"])
                #expect(c.origin?.line == 2 + 2 * index)
                index += 1
            }
        }
        #expect(index == 40_000)
    }

    @Test func duplicatesAreFoundAmongManyIds() throws {
        // 60k distinct ids (some prefixes of others), then repeats of the first, a middle and the last.
        var text = "id,title\n"
        for i in 0..<60_000 { text += "ID-\(i),t\n" }
        text += "ID-0,again\nID-3000,again\nID-59999,again\nID-6,new? no: ID-6 exists\nID-600000,new\n"
        let path = try Files.write(text)
        let error = try #require(loadError(path))
        #expect(error.issues.map(\.description) == [
            "\(path):60002:1: duplicate id \"ID-0\" (first used on line 2)",
            "\(path):60003:1: duplicate id \"ID-3000\" (first used on line 3002)",
            "\(path):60004:1: duplicate id \"ID-59999\" (first used on line 60001)",
            "\(path):60005:1: duplicate id \"ID-6\" (first used on line 8)",
        ])
        #expect(error.message == "\(path): 4 invalid rows")
    }

    @Test func errorLinesCountEmbeddedLineBreaks() throws {
        let path = try Files.write("id,title,risk\nA,\"two\nlines\",3\nB,x,9\n")
        let error = try #require(loadError(path))
        #expect(error.issues.map(\.description) == ["\(path):4:3: risk \"9\" is not a score (a whole number 1 to 5, or blank)"])
    }

    @Test func headerErrors() throws {
        let noId = try Files.write("reference,title\nA,B\n")
        #expect(loadError(noId, LoadOptions(format: .csv))?.description == """
            \(noId): invalid header
            \(noId):1: the header has no "id" column (a canonical portfolio needs id and title)
            """)
        let noTitle = try Files.write("id,name\nA,B\n")
        #expect(loadError(noTitle, LoadOptions(format: .csv))?.issues.map(\.description)
            == ["\(noTitle):1: the header has no \"title\" column (a canonical portfolio needs id and title)"])
        let duplicate = try Files.write("id,title,supplier,title\nA,B,C,D\n")
        #expect(loadError(duplicate)?.issues.map(\.description)
            == ["\(duplicate):1:4: column \"title\" appears twice in the header (also column 2)"])
        let unnamed = try Files.write("id,title,,notes\nA,B,C,D\n")
        #expect(loadError(unnamed)?.issues.map(\.description) == ["\(unnamed):1:3: column 3 of the header has no name"])
        let empty = try Files.write("")
        #expect(loadError(empty)?.issues.map(\.description) == ["\(empty):1: the file is empty; expected a header row"])
    }

    @Test func rowErrors() throws {
        let path = try Files.write("""
            \(Self.header)
            A,,,,,,1e6,,,,,,,,,
            B,t,,,,,-5,12.,2024-2-01,2024-02-30,,0,5,,,
            C,t,,,,,,,2025-01-01,2026-01-01,2025-06-30,,,,,
            D,t
            E,"unclosed,x
            """)
        let error = try #require(loadError(path))
        #expect(error.issues.map(\.description) == [
            "\(path):2:2: title is blank (every contract needs one)",
            "\(path):2:7: value_total \"1e6\" is not an amount (plain decimal pounds, e.g. 1250000.50)",
            "\(path):3:7: value_total \"-5\" is not an amount (plain decimal pounds, e.g. 1250000.50)",
            "\(path):3:8: value_annual \"12.\" is not an amount (plain decimal pounds, e.g. 1250000.50)",
            "\(path):3:9: start_date \"2024-2-01\" is not a date (YYYY-MM-DD)",
            "\(path):3:10: end_date \"2024-02-30\" is not a date (YYYY-MM-DD)",
            "\(path):3:12: risk \"0\" is not a score (a whole number 1 to 5, or blank)",
            "\(path):4:11: max_end_date 2025-06-30 is before end_date 2026-01-01",
            "\(path):5: the row has 2 fields but the header has 16",
            "\(path):6:2: a quoted field is not closed (missing \")",
        ])
        #expect(error.message == "\(path): 5 invalid rows")
    }

    @Test func textAfterClosingQuoteAndInvalidUTF8() throws {
        var bytes = Array("id,title,supplier\nA,\"x\"y,s\nB,t,".utf8)
        bytes += [0x53, 0xE9, 0x6E]   // "Sén" in Latin-1: not UTF-8
        bytes += Array("\n".utf8)
        let path = try Files.write(bytes)
        #expect(loadError(path)?.issues.map(\.description) == [
            "\(path):2:2: text after the closing quote of a quoted field",
            "\(path):3:3: supplier is not valid UTF-8 text",
        ])
    }

    @Test func valuesAreTrimmedButTextIsKeptAsWritten() throws {
        let path = try Files.write("id,title,value_total,risk,supplier\nA, Title ,  1250000.50 , 3 ,   \n")
        let c = try #require(try load(path).first)
        #expect(c.title == " Title ")
        #expect(c.valueTotal == 1_250_000.5)
        #expect(c.risk == 3)
        #expect(c.supplier == nil)
    }

    @Test func batchesNeverExceedTheirSize() throws {
        let reader = try PortfolioReader.open(path: Files.sample("portfolio.csv"))
        var sizes: [Int] = []
        while true {
            let batch = try reader.nextBatch(max: 10)
            if batch.isEmpty { break }
            sizes.append(batch.count)
        }
        #expect(sizes == [10, 10, 10, 10, 10, 10, 10, 7])
        #expect(try reader.nextBatch(max: 10).isEmpty)
    }

    @Test func missingFileIsUnreadable() throws {
        let error = try #require(loadError("/nonexistent/portfolio.csv"))
        #expect(error.kind == .unreadable)
        #expect(error.description == "cannot read '/nonexistent/portfolio.csv': no such file")
        let directory = try #require(loadError(Files.repoRoot.appendingPathComponent("samples").path + "/", LoadOptions(format: .csv)))
        #expect(directory.kind == .unreadable)
        #expect(directory.message.hasSuffix("it is a directory"))
    }
}
