import Foundation
import Portfolio
import Testing

/// The real OCDS data in samples/ocds (30 releases, 29 ocids; see its README).
@Suite struct OCDSTests {
    static let package = Files.ocds("contracts-finder-sample.json")
    static let lines = Files.ocds("contracts-finder-sample.jsonl")
    static let corrected = "ocds-b5fd17-09a309a3-8541-48b9-91c4-411c52e5bd34"

    @Test func releasePackageGivesOneContractPerOcid() throws {
        let reader = try PortfolioReader.open(path: Self.package)
        #expect(reader.format == .ocds)
        #expect(reader.extraColumns == ["buyer", "release_id", "release_date", "release_tag", "procurement_method",
                                        "main_procurement_category", "tender_status", "sme_suitable", "vcse_suitable",
                                        "value_source", "period_source", "description"])
        let contracts = try reader.readAll()
        #expect(contracts.count == 29)
        #expect(Set(contracts.map(\.id)).count == 29)
        #expect(contracts.allSatisfy { $0.risk == nil && $0.complexity == nil && $0.strategicImportance == nil
            && $0.leadOfficer == nil && $0.maxEndDate == nil && $0.memberSuggested == nil && $0.auditPlanned == nil })
        #expect(contracts.allSatisfy { $0.startDate != nil && $0.endDate != nil })

        // Two awardUpdate releases six minutes apart: the later one's corrected value wins.
        let pwc = try #require(contracts.first { $0.id == Self.corrected })
        #expect(pwc.valueTotal == 109_320)
        #expect(pwc.supplier == "PwC (PricewaterhouseCoopers)")
        #expect(pwc.origin == SourceLocation(file: Self.package, line: 482))
        #expect(pwc.extras[2] == "2025-03-11T10:07:26Z")
        #expect(reader.notices.filter { $0.message.contains("superseded") }.map(\.description) == [
            "\(Self.package):350: \(Self.corrected): release of 2025-03-11T10:01:01Z superseded by the release of 2025-03-11T10:07:26Z on line 482",
        ])
    }

    @Test func contractsFinderAwardUsesAwardValueAndPeriod() throws {
        let contracts = try load(Self.package)
        let lift = try #require(contracts.first { $0.id == "ocds-b5fd17-462e06c3-6333-47ef-bd66-27c8d534f65a" })
        #expect(lift.title == "Installation of new lift at Withernsea Road Depot" || lift.title.hasPrefix("Installation of new lift"))
        #expect(lift.supplier == "Axel-Elex Ltd T/A Curti Lifts")
        #expect(lift.category == "42416100 Lifts")
        #expect(lift.valueTotal == 77_180)
        // "2027-03-31T23:59:59+01:00" is 31 March as published.
        #expect(lift.startDate == ContractDate(year: 2025, month: 4, day: 1))
        #expect(lift.endDate == ContractDate(year: 2027, month: 3, day: 31))
        #expect(lift.extras[0] == "City of Bradford Metropolitan District Council")
        #expect(lift.extras[9...10] == ["awards", "awards"])
        // Award value differs from the tender estimate: the award is the contract let.
        let dogs = try #require(contracts.first { $0.id == "ocds-b5fd17-7c5dbae2-15e1-4c23-a9c8-26cb43a5a861" })
        #expect(dogs.valueTotal == 507_840)
        // Several suppliers on one award.
        let flooring = try #require(contracts.first { $0.id == "ocds-b5fd17-76485a2b-4074-427a-8782-2a6c3f9a2cb4" })
        #expect(flooring.supplier == "Hennessy Flooring Ltd; LGM Limited; McManus Flooring")
        #expect(flooring.valueTotal == 3_380.86)
    }

    @Test func zeroAwardValuesAreNotPublishedValues() throws {
        let reader = try PortfolioReader.open(path: Self.package)
        let contracts = try reader.readAll()
        let jersey = try #require(contracts.first { $0.id == "ocds-b5fd17-0680da09-fd30-4187-9f12-1bf4a7636747" })
        #expect(jersey.valueTotal == nil)
        let insurance = try #require(contracts.first { $0.id == "ocds-b5fd17-afdd98b7-3f47-4299-9674-29edc2388b46" })
        #expect(insurance.valueTotal == 2_000_000)
        #expect(insurance.extras[9] == "tender")
        #expect(reader.notices.filter { $0.message.contains("award value is 0") }.map(\.description) == [
            "\(Self.package):216: ocds-b5fd17-0680da09-fd30-4187-9f12-1bf4a7636747: award value is 0 (not published) and there is no tender value; value_total left blank",
            "\(Self.package):2983: ocds-b5fd17-afdd98b7-3f47-4299-9674-29edc2388b46: award value is 0 (not published); value_total taken from tender.value",
        ])
    }

    @Test func scottishAndWelshTendersTakeThePeriodFromLots() throws {
        let reader = try PortfolioReader.open(path: Self.package)
        let contracts = try reader.readAll()
        let angus = try #require(contracts.first { $0.id == "ocds-r6ebe6-0000577171" })
        #expect(angus.supplier == nil)
        #expect(angus.category == "60100000")
        #expect(angus.valueTotal == 12_500_000)
        #expect(angus.startDate == ContractDate(year: 2019, month: 8, day: 14))
        #expect(angus.endDate == ContractDate(year: 2022, month: 7, day: 1))
        #expect(angus.extras[0] == "Angus Council")
        #expect(angus.extras[1] == nil)   // Scottish releases have no release id
        #expect(angus.extras[9...10] == ["tender", "lots"])
        let swansea = try #require(contracts.first { $0.id == "ocds-kuma6s-148372" })
        #expect(swansea.startDate == ContractDate(year: 2025, month: 7, day: 5))
        #expect(swansea.endDate == ContractDate(year: 2025, month: 7, day: 6))
        // Tender notices have no supplier yet: said once per notice, not an error.
        let noSupplier = reader.notices.filter { $0.message.hasSuffix("no award yet; supplier left blank") }
        #expect(noSupplier.count == 12)
        #expect(noSupplier.contains { $0.description == "\(Self.package):3916: ocds-r6ebe6-0000577171: no award yet; supplier left blank" })
        #expect(reader.notices.count == 15)
    }

    @Test func publishedTextIsKeptAsFound() throws {
        let contracts = try load(Self.package)
        let skills = try #require(contracts.first { $0.id == "ocds-b5fd17-a19ca91d-0873-4826-84d3-f45ba55f0ed4" })
        // Mojibake from the publisher ("Â£" for "£") is not repaired.
        #expect(skills.extras[11]?.contains("Â£") == true)
    }

    @Test func jsonLinesGiveTheSameContractsAsThePackage() throws {
        let reader = try PortfolioReader.open(path: Self.lines)
        #expect(reader.format == .ocds)
        let fromLines = try reader.readAll()
        let fromPackage = try load(Self.package)
        #expect(fromLines.count == 29)
        func withoutOrigin(_ c: Contract) -> Contract { var c = c; c.origin = nil; return c }
        #expect(fromLines.map(withoutOrigin) == fromPackage.map(withoutOrigin))
        #expect(fromLines.first { $0.id == Self.corrected }?.origin == SourceLocation(file: Self.lines, line: 5))
        #expect(reader.notices.first { $0.message.contains("superseded") }?.description
            == "\(Self.lines):4: \(Self.corrected): release of 2025-03-11T10:01:01Z superseded by the release of 2025-03-11T10:07:26Z on line 5")
        #expect(reader.notices.count == 15)
    }

    @Test func laterDateWinsEvenWhenItComesFirst() throws {
        let path = try Files.write("""
            {"ocid":"ocds-x-1","date":"2025-03-11T10:07:26+01:00","tender":{"title":"Corrected","value":{"amount":5,"currency":"GBP"}}}
            {"ocid":"ocds-x-1","date":"2025-03-11T09:07:25Z","tender":{"title":"Original","value":{"amount":50,"currency":"GBP"}}}

            """, named: "releases.jsonl")
        let reader = try PortfolioReader.open(path: path)
        let contracts = try reader.readAll()
        #expect(contracts.map(\.title) == ["Corrected"])
        #expect(reader.notices.first { $0.message.contains("superseded") }?.description
            == "\(path):2: ocds-x-1: release of 2025-03-11T09:07:25Z superseded by the release of 2025-03-11T10:07:26+01:00 on line 1")
    }

    @Test func recordPackageUsesCompiledReleaseOrLatestRelease() throws {
        let path = try Files.write("""
            {"uri": "urn:test", "records": [
              {"ocid": "ocds-r-1",
               "releases": [{"url": "https://example.org/r1", "date": "2024-01-01T00:00:00Z"}],
               "compiledRelease": {"ocid": "ocds-r-1", "date": "2024-02-01T00:00:00Z",
                 "tender": {"title": "Compiled title"},
                 "awards": [{"value": {"amount": 1200.5, "currency": "GBP"}, "suppliers": [{"name": "Acme Ltd"}],
                             "contractPeriod": {"startDate": "2024-04-01T00:00:00Z", "durationInDays": 365}}]}},
              {"ocid": "ocds-r-2",
               "releases": [
                 {"ocid": "ocds-r-2", "date": "2024-03-01T00:00:00Z", "tender": {"title": "Later"}},
                 {"ocid": "ocds-r-2", "date": "2024-01-01T00:00:00Z", "tender": {"title": "Earlier"}}]}
            ]}
            """, named: "records.json")
        let reader = try PortfolioReader.open(path: path)
        let contracts = try reader.readAll()
        #expect(contracts.map(\.id) == ["ocds-r-1", "ocds-r-2"])
        #expect(contracts[0].title == "Compiled title")
        #expect(contracts[0].supplier == "Acme Ltd")
        #expect(contracts[0].valueTotal == 1200.5)
        #expect(contracts[0].startDate == ContractDate(year: 2024, month: 4, day: 1))
        #expect(contracts[0].endDate == ContractDate(year: 2025, month: 3, day: 31))
        #expect(contracts.map { $0.origin!.line } == [2, 8])
        #expect(contracts[1].title == "Later")
        #expect(reader.notices.map(\.description) == [
            "\(path):2: ocds-r-1: no tender.classification; category left blank",
            "\(path):2: ocds-r-1: end_date from awards durationInDays, counted from the start date 2024-04-01",
            "\(path):8: ocds-r-2: no award yet; supplier left blank",
            "\(path):8: ocds-r-2: no tender.classification; category left blank",
            "\(path):8: ocds-r-2: no value in awards, tender or lots; value_total left blank",
            "\(path):8: ocds-r-2: no contract period; start_date and end_date left blank",
        ])
    }

    /// 6. A period given only as `durationInDays` counts from the award date when there is no
    /// start; the notice stage says whether the notice is a tender, an award or a contract,
    /// and the lifecycle follows from it.
    @Test func durationFromTheAwardDateAndTheNoticeStage() throws {
        let path = try Files.write("""
            {"releases": [
              {"ocid": "ocds-d-1", "date": "2024-02-01T00:00:00Z", "tag": ["award"], "tender": {"title": "Only a duration"},
               "awards": [{"date": "2024-03-01T00:00:00Z", "suppliers": [{"name": "Acme Ltd"}],
                           "contractPeriod": {"durationInDays": 730}}]},
              {"ocid": "ocds-d-2", "date": "2024-02-01T00:00:00Z", "tag": ["tender"],
               "tender": {"title": "Still out to tender", "contractPeriod": {"startDate": "2025-01-01", "endDate": "2027-12-31"}}}
            ]}
            """, named: "durations.json")
        let reader = try PortfolioReader.open(path: path)
        let contracts = try reader.readAll()
        #expect(contracts[0].startDate == nil)
        #expect(contracts[0].endDate == ContractDate(year: 2026, month: 2, day: 28))
        #expect(contracts[0].noticeStage == "award")
        #expect(contracts[1].noticeStage == "tender")
        #expect(reader.notices.map(\.description).contains(
            "\(path):2: ocds-d-1: end_date from awards durationInDays, counted from the award date 2024-03-01"))
        let asOf = ContractDate(year: 2026, month: 12, day: 3)!
        #expect(contracts[0].lifecycle(on: asOf, lookAheadMonths: 12) == .ended)
        #expect(contracts[1].lifecycle(on: asOf, lookAheadMonths: 12) == .notYetAwarded)
        #expect(Contract(id: "X", title: "X", endDate: asOf.adding(months: 6)).lifecycle(on: asOf, lookAheadMonths: 12) == .ending)
        #expect(Contract(id: "X", title: "X", endDate: asOf.adding(months: 6), maxEndDate: asOf.adding(months: 30))
            .lifecycle(on: asOf, lookAheadMonths: 12) == .live)
        #expect(Contract(id: "X", title: "X").lifecycle(on: asOf, lookAheadMonths: 12) == .endUnknown)
    }

    @Test func brokenInputNamesTheLine() throws {
        let lines = try Files.write("""
            {"ocid":"ocds-b-1","date":"2025-01-01T00:00:00Z","tender":{"title":"Fine"}}
            {"ocid":"ocds-b-2","tender":{"title":"Broken"
            {"date":"2025-01-01T00:00:00Z","tender":{"title":"No ocid"}}
            {"ocid":"ocds-b-3","tender":{"contractPeriod":{"startDate":"2025-01-01T00:00:00Z"}}}
            {"ocid":"ocds-b-4","tender":{"title":"Backwards","contractPeriod":{"startDate":"2025-06-01T00:00:00Z","endDate":"2025-01-01T00:00:00Z"}}}
            """, named: "broken.jsonl")
        let error = try #require(loadError(lines))
        #expect(error.kind == .invalid)
        #expect(error.issues.count == 4)
        #expect(error.issues[0].location == SourceLocation(file: lines, line: 2))
        #expect(error.issues[0].message.hasPrefix("not valid JSON ("))
        #expect(error.issues[1...].map(\.description) == [
            "\(lines):3: not an OCDS release (no ocid) nor a package",
            "\(lines):4: ocds-b-3: no tender, award or contract title (every contract needs one)",
            "\(lines):5: ocds-b-4: end_date 2025-01-01 is before start_date 2025-06-01",
        ])
        let skipping = try PortfolioReader.open(path: lines, options: LoadOptions(skipInvalid: true))
        #expect(try skipping.readAll().map(\.id) == ["ocds-b-1"])
        #expect(skipping.skipped.map(\.location.line) == [2, 3, 4, 5])

        let document = try Files.write("{\"releases\": [ {\"ocid\": 1,", named: "broken.json")
        let fatal = try #require(loadError(document))
        #expect(fatal.message == "\(document): unreadable OCDS document")
        #expect(fatal.issues.first?.description.hasPrefix("\(document):1: not valid JSON (") == true)

        let empty = try Files.write("{\"uri\": \"urn:x\", \"releases\": []}", named: "empty.json")
        #expect(loadError(empty)?.issues.map(\.description)
            == ["\(empty):1: no releases or records found (expected an OCDS release or record package)"])
    }

    @Test func jsonContentIsDetectedWithoutTheExtension() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.lines))
        let path = try Files.write(Array(data), named: "download.txt")
        let reader = try PortfolioReader.open(path: path)
        #expect(reader.format == .ocds)
        #expect(try reader.readAll().count == 29)
    }
}
