import Foundation
import Testing

/// Import notices (issue 15): counted by kind, so a kind seen once (a value in euros) is not
/// hidden behind a cut-off list, and `--notices FILE` writes every notice, atomically.
@Suite struct ImportNoticesTests {
    /// 60 tenders with no award yet, then one award valued in euros: 62 notices.
    static func register(in dir: URL) throws -> URL {
        var lines = (1...60).map { i in
            #"{"ocid":"ocds-test-\#(i)","date":"2026-01-01T00:00:00Z","tender":{"title":"Tender \#(i)","classification":{"id":"1"},"contractPeriod":{"startDate":"2026-01-01","endDate":"2027-01-01"},"value":{"amount":1000,"currency":"GBP"}}}"#
        }
        lines.append(#"{"ocid":"ocds-test-eur","date":"2026-01-01T00:00:00Z","tender":{"title":"Euro works","classification":{"id":"1"},"contractPeriod":{"startDate":"2026-01-01","endDate":"2027-01-01"}},"awards":[{"id":"a","status":"active","suppliers":[{"name":"S"}],"value":{"amount":900000,"currency":"EUR"}}]}"#)
        let file = dir.appendingPathComponent("releases.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func noticesAreCountedByKindAndNoneHides() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.register(in: dir)
        let r = try CLI.run(["import", file.path, "--output", dir.appendingPathComponent("out.csv").path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(5)) == [
            "cmrg: \(file.path) (ocds): 61 contracts written to \(dir.path)/out.csv, 0 invalid rows skipped, 62 notices",
            "notices by kind:",
            "  60  supplier left blank: no award yet",
            "   1  value in EUR, not GBP: not used",
            "   1  value left blank: none published",
        ])
        #expect(lines.filter { $0.hasPrefix("notice: ") }.count == 50)
        #expect(lines.last == "... and 12 more notices (--notices FILE writes every one)")
        #expect(!r.stderr.contains("EUR, not GBP; not used")) // the euro notice itself is past the 50 listed ...
    }

    @Test func noticesFileHoldsEveryNotice() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try Self.register(in: dir)
        let notices = dir.appendingPathComponent("notices.txt")
        let r = try CLI.run(["import", file.path, "--output", dir.appendingPathComponent("out.csv").path, "--notices", notices.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.hasSuffix("   1  value left blank: none published\nevery notice (62) written to \(notices.path)\n"))
        #expect(!r.stderr.contains("notice: "))
        let written = try String(contentsOf: notices, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written.count == 62)
        #expect(written.first == "\(file.path):1: ocds-test-1: no award yet; supplier left blank")
        // ... but the file has it.
        #expect(written.contains("\(file.path):61: ocds-test-eur: awards value is in EUR, not GBP; not used"))
        // Written whole: no temporary file left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["notices.txt", "out.csv", "releases.jsonl"])
        // A notices file that cannot be written is an I/O error (exit 4), nothing half written.
        let bad = try CLI.run(["import", file.path, "--output", dir.appendingPathComponent("again.csv").path,
                               "--notices", dir.appendingPathComponent("missing/notices.txt").path])
        #expect(bad.status == 4)
        #expect(bad.stderr.hasPrefix("cmrg: cannot write '\(dir.path)/missing/notices.txt': "))
    }
}
