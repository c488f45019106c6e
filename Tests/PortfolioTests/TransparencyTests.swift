import Foundation
import Portfolio
import Testing

/// Transparency Code 2015 registers. The fixtures are invented test fixtures in the layouts
/// councils publish (see Fixtures/): no real register CSV was available.
@Suite struct TransparencyTests {
    @Test func districtRegisterWithPoundsAndUKDates() throws {
        let path = Files.fixture("transparency-fixture-district.csv")
        let reader = try PortfolioReader.open(path: path)
        #expect(reader.format == .transparency)
        #expect(reader.extraColumns == ["description", "company_number", "irrecoverable_vat", "review_date",
                                        "procurement_route", "sme", "vcse"])
        let contracts = try reader.readAll()
        #expect(contracts.map(\.id) == ["DC/2021/004", "DC/2023/017", "DC/2024/002", "DC/2024/009", "DC/2025/001"])
        let first = contracts[0]
        #expect(first.title == "Grounds maintenance")
        #expect(first.directorate == "Environmental Services")
        #expect(first.supplier == "Greenacre Grounds Ltd")
        #expect(first.valueTotal == 1_245_000)
        #expect(first.startDate == ContractDate(year: 2021, month: 4, day: 1))
        #expect(first.endDate == ContractDate(year: 2026, month: 3, day: 31))
        #expect(first.extras == ["Grass cutting, hedges and shrub beds", "04512876", "0", "2025-10-01", "ITT", "yes", "no"])
        #expect(first.origin == SourceLocation(file: path, line: 2))
        #expect(first.risk == nil && first.complexity == nil && first.memberSuggested == nil)
        #expect(contracts[1].title == "Leisure centre management, Riverside")
        #expect(contracts[1].valueTotal == 3_600_000)
        #expect(contracts[1].startDate == ContractDate(year: 2023, month: 9, day: 1))
        #expect(contracts[1].extras[2] == nil)   // "N/A" irrecoverable VAT
        #expect(contracts[2].valueTotal == 48_500)
        #expect(contracts[2].endDate == ContractDate(year: 2027, month: 4, day: 14))
        #expect(contracts[2].extras[5...] == ["yes", "no"])
        #expect(contracts[3].extras[0] == "Floating support, \"Housing First\" pilot")
        #expect(contracts[3].startDate == ContractDate(year: 2024, month: 7, day: 1))
        #expect(contracts[4].valueTotal == nil)   // "TBC"
        #expect(contracts[4].startDate == ContractDate(year: 2025, month: 5, day: 1))
        #expect(reader.notices.isEmpty)
    }

    @Test func lgaSchemaHeadingsAndMonthNames() throws {
        let reader = try PortfolioReader.open(path: Files.fixture("transparency-fixture-county-lga.csv"))
        #expect(reader.format == .transparency)
        #expect(reader.extraColumns == ["organisation_label", "description", "contract_type", "review_date",
                                        "irrecoverable_vat", "company_number", "sme", "vcse"])
        let contracts = try reader.readAll()
        #expect(contracts.map(\.id) == ["SCC-0101", "SCC-0102", "SCC-0103"])
        #expect(contracts[0].category == "Highways")
        #expect(contracts[0].startDate == ContractDate(year: 2019, month: 4, day: 1))
        #expect(contracts[0].maxEndDate == ContractDate(year: 2031, month: 3, day: 31))
        #expect(contracts[0].extras.last == "no")
        #expect(contracts[1].startDate == ContractDate(year: 2024, month: 9, day: 1))
        #expect(contracts[1].endDate == ContractDate(year: 2028, month: 8, day: 31))
        #expect(contracts[1].extras[3] == "2028-03-01")
        #expect(contracts[2].valueTotal == 2_700_000)
        #expect(contracts[2].directorate == nil)
    }

    @Test func windows1252ExportWithCapitalisedHeadings() throws {
        let path = Files.fixture("transparency-fixture-windows-1252.csv")
        let reader = try PortfolioReader.open(path: path)
        #expect(reader.format == .transparency)
        #expect(reader.extraColumns.isEmpty)
        let contracts = try reader.readAll()
        #expect(contracts.map(\.title) == ["Café concession at County Hall", "Translation services"])
        #expect(contracts.map(\.valueTotal) == [12_000, 520_000])
        #expect(contracts[0].maxEndDate == ContractDate(year: 2028, month: 5, day: 31))
        #expect(contracts[1].maxEndDate == nil)
        #expect(reader.notices.map(\.description) == ["\(path):2:2: text is not UTF-8; read as Windows-1252 (first such cell)"])
    }

    @Test func badValuesNameTheHeadingAndTheExpectedForm() throws {
        let path = Files.fixture("transparency-fixture-bad.csv")
        let error = try #require(loadError(path))
        #expect(error.kind == .invalid)
        #expect(error.description == """
            \(path): 4 invalid rows
            \(path):3:4: Contract Value "about £5k" is not an amount in pounds (e.g. £1,250,000.50 or 1250000.50)
            \(path):3:6: End Date "31/02/2025" is not a date (DD/MM/YYYY or YYYY-MM-DD)
            \(path):4:1: Reference is blank (every contract needs one)
            \(path):5:4: Contract Value "£1,25" is not an amount in pounds (e.g. £1,250,000.50 or 1250000.50)
            \(path):5:7: Review Date "32/13/2024" is not a date (DD/MM/YYYY or YYYY-MM-DD)
            \(path):5:6: end_date 2024-03-31 is before start_date 2025-04-01
            \(path):6:1: duplicate id "B-1" (first used on line 2)
            """)
    }

    @Test func unrecognisedHeaderIsNeitherFormat() throws {
        let path = Files.fixture("transparency-fixture-unknown-header.csv")
        #expect(loadError(path)?.description == """
            \(path): unknown format
            \(path):1: the header is neither a canonical portfolio (id and title columns) nor a Transparency Code register (no reference and title columns recognised)
            """)
        #expect(loadError(path, LoadOptions(format: .transparency))?.issues.map(\.message)
            == ["no column holds a reference (expected a heading such as \"Reference Number\")"])
    }

    @Test func explicitFormatOverridesDetection() throws {
        // The canonical sample read by the register rules: same contracts, money read as pounds.
        let asRegister = try PortfolioReader.open(path: Files.sample("portfolio.csv"), options: LoadOptions(format: .transparency))
        #expect(asRegister.format == .transparency)
        let contracts = try asRegister.readAll()
        #expect(contracts.count == 77)
        #expect(contracts[0].valueTotal == 186_400_000 && contracts[0].leadOfficer == "Head of School Organisation")
        // A register read as canonical CSV must have the canonical id column.
        let path = Files.fixture("transparency-fixture-district.csv")
        #expect(loadError(path, LoadOptions(format: .csv))?.issues.map(\.description)
            == ["\(path):1: the header has no \"id\" column (a canonical portfolio needs id and title)"])
        // Detection looks at the header, so a canonical-looking file with pounds is rejected as canonical.
        let pounds = try Files.write("id,title,value_total\nX-1,Cleaning,\"£1,000\"\n")
        #expect(loadError(pounds)?.issues.map(\.message) == ["value_total \"£1,000\" is not an amount (plain decimal pounds, e.g. 1250000.50)"])
        #expect(try load(pounds, LoadOptions(format: .transparency)).map(\.valueTotal) == [1000])
    }
}
