import Foundation
import Testing

@Suite struct ImportCommandTests {
    static let fixtures = "Tests/PortfolioTests/Fixtures"
    static let ocds = CLI.repoRoot.appendingPathComponent("samples/ocds").path

    @Test func invalidRegisterExits3AndListsEveryProblem() throws {
        let out = try CLI.temporaryDirectory().appendingPathComponent("out.csv")
        try "previous\n".write(to: out, atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "samples/bad.csv", "--output", out.path])
        #expect(r.status == 3)
        #expect(r.stderr == """
            cmrg: samples/bad.csv: 6 invalid rows
            samples/bad.csv:5:7: value_total "£14,500,000" is not an amount (plain decimal pounds, e.g. 1250000.50)
            samples/bad.csv:7:11: risk "High" is not a score (a whole number 1 to 5, or blank)
            samples/bad.csv:11:1: duplicate id "B-003" (first used on line 4)
            samples/bad.csv:14:9: end_date "31/02/2024" is not a date (YYYY-MM-DD)
            samples/bad.csv:15:9: end_date 2023-03-31 is before start_date 2027-04-01
            samples/bad.csv:16:1: id is blank (every contract needs one)

            """)
        // Nothing partial is written: the previous file is untouched.
        #expect(try String(contentsOf: out, encoding: .utf8) == "previous\n")
    }

    @Test func skipInvalidWritesTheGoodRowsAndListsTheRest() throws {
        let out = try CLI.temporaryDirectory().appendingPathComponent("out.csv")
        let r = try CLI.run(["import", "samples/bad.csv", "--skip-invalid", "--output", out.path])
        #expect(r.status == 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.first == "cmrg: samples/bad.csv (csv): 9 contracts written to \(out.path), 6 invalid rows skipped, 0 notices")
        #expect(lines.dropFirst().first == "skipped: samples/bad.csv:5:7: value_total \"£14,500,000\" is not an amount (plain decimal pounds, e.g. 1250000.50)")
        #expect(lines.count == 7)
        let written = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(written.count == 10)
        #expect(written[0] == "id,title,supplier,directorate,lead_officer,category,value_total,value_annual,start_date,end_date,max_end_date,risk,complexity,strategic_importance,member_suggested,audit_planned,member_suggested_on,notice_stage,review_group")
        #expect(written[1] == "B-001,Highways term maintenance contract,Ringroad Infrastructure Services Ltd,Environment and Transport,Head of Highways,Highways,245000000,,2019-04-01,2029-03-31,2031-03-31,4,5,5,,,,,")
    }

    @Test func ocdsPackageAndJSONLinesGiveTheSameCanonicalFile() throws {
        let dir = try CLI.temporaryDirectory()
        let fromPackage = dir.appendingPathComponent("package.csv"), fromLines = dir.appendingPathComponent("lines.csv")
        let a = try CLI.run(["import", "\(Self.ocds)/contracts-finder-sample.json", "--output", fromPackage.path])
        let b = try CLI.run(["import", "\(Self.ocds)/contracts-finder-sample.jsonl", "--from", "ocds", "--output", fromLines.path])
        #expect(a.status == 0 && b.status == 0)
        let summary = try #require(a.stderr.split(separator: "\n").first)
        #expect(summary == "cmrg: \(Self.ocds)/contracts-finder-sample.json (ocds): 29 contracts written to \(fromPackage.path), 0 invalid rows skipped, 15 notices")
        #expect(a.stderr.contains("notice: \(Self.ocds)/contracts-finder-sample.json:3916: ocds-r6ebe6-0000577171: no award yet; supplier left blank\n"))
        let package = try Data(contentsOf: fromPackage)
        #expect(package == (try Data(contentsOf: fromLines)))
        let text = String(decoding: package, as: UTF8.self)
        #expect(text.contains("\nocds-b5fd17-09a309a3-8541-48b9-91c4-411c52e5bd34,Business Case for LGR,PwC (PricewaterhouseCoopers),,,66000000 Financial and insurance services,109320,,2025-02-11,2025-03-21,"))
        // The canonical file imports again as canonical CSV with the same 29 contracts.
        let again = try CLI.run(["import", fromPackage.path, "--output", dir.appendingPathComponent("again.csv").path])
        #expect(again.status == 0)
        #expect(again.stderr.hasPrefix("cmrg: \(fromPackage.path) (csv): 29 contracts written"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("again.csv")) == package)
    }

    @Test func transparencyRegisterIsDetectedAndConverted() throws {
        let out = try CLI.temporaryDirectory().appendingPathComponent("out.csv")
        let r = try CLI.run(["import", "\(Self.fixtures)/transparency-fixture-district.csv", "--output", out.path])
        #expect(r.status == 0)
        #expect(r.stderr == "cmrg: \(Self.fixtures)/transparency-fixture-district.csv (transparency): 5 contracts written to \(out.path), 0 invalid rows skipped, 0 notices\n")
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines[0].hasSuffix(",audit_planned,member_suggested_on,notice_stage,review_group,description,company_number,irrecoverable_vat,review_date,procurement_route,sme,vcse"))
        #expect(lines[1] == "DC/2021/004,Grounds maintenance,Greenacre Grounds Ltd,Environmental Services,,,1245000,,2021-04-01,2026-03-31,,,,,,,,,,\"Grass cutting, hedges and shrub beds\",04512876,0,2025-10-01,ITT,yes,no")
    }

    @Test func ioAndUsageErrors() throws {
        let missing = try CLI.run(["import", "/nonexistent/register.csv", "--output", "/tmp/never.csv"])
        #expect(missing.status == 4)
        #expect(missing.stderr == "cmrg: cannot read '/nonexistent/register.csv': no such file\n")
        let unwritable = try CLI.run(["import", "samples/portfolio.csv", "--output", "/nonexistent/dir/out.csv"])
        #expect(unwritable.status == 4)
        #expect(unwritable.stderr == "cmrg: cannot write '/nonexistent/dir/out.csv': no such file\n")
        let badFormat = try CLI.run(["import", "samples/portfolio.csv", "--from", "xml", "--output", "/tmp/never.csv"])
        #expect(badFormat.status == 1)
        #expect(badFormat.stderr.contains("'xml'"))
        let noOutput = try CLI.run(["import", "samples/portfolio.csv"])
        #expect(noOutput.status == 1)
        #expect(noOutput.stderr.contains("Missing expected argument '--output <output>'"))
        let header = try CLI.run(["import", "\(Self.fixtures)/transparency-fixture-unknown-header.csv", "--output", "/tmp/never.csv"])
        #expect(header.status == 3)
        #expect(header.stderr == """
            cmrg: \(Self.fixtures)/transparency-fixture-unknown-header.csv: unknown format
            \(Self.fixtures)/transparency-fixture-unknown-header.csv:1: the header is neither a canonical portfolio (id and title columns) nor a Transparency Code register (no reference and title columns recognised)

            """)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.csv"))
    }
}
