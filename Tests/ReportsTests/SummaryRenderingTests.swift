import Foundation
import TestSupport
import Testing
import Portfolio
@testable import Reports
import RuleEngine
import UseCases

/// evaluate's table, CSV and Markdown come from summaries (bounded memory); they must be the
/// bytes the same outputs rendered from full evaluations would be.
@Suite struct SummaryRenderingTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let asOf = ContractDate(iso: "2026-11-25")!

    /// Generated contracts plus rows whose text needs quoting or escaping in some format.
    static func portfolio() throws -> String {
        let dir = try Scratch.directory("render")
        let path = dir.appendingPathComponent("portfolio.csv").path
        let writer = try CanonicalCSVWriter(path: path, extraColumns: SyntheticPortfolio.extraColumns)
        try SyntheticPortfolio(seed: 11, asOf: asOf).write(count: 1500, to: writer)
        let titles = ["Cleaning, security and reception", "The \"Big\" contract", "Two\nlines", "Windows\r\nline end",
                      "Café | Bar", "Ünïcödé – “quotes”", "  spaced  "]
        for (i, title) in titles.enumerated() {
            try writer.write(Contract(id: "T-\(i)", title: title, valueTotal: Double(100_000 * (i + 1)), risk: i % 5 + 1,
                                      memberSuggested: i == 2 ? "Cllr \"Q\", Esq." : nil, extras: [nil]))
        }
        try writer.commit()
        return path
    }

    @Test func summariesRenderAsEvaluationsDo() throws {
        let path = try Self.portfolio()
        let pack = try RulePack.load(directory: Self.repoRoot.appendingPathComponent("rules").path)
        let provenance = Provenance(toolVersion: "test", rulesSHA256: "r", inputSHA256: "i", rulesDirectory: "rules",
                                    inputPath: path, asOf: Self.asOf.iso)
        let prepared = try PreparedPack(pack, asOf: Self.asOf)
        let full = try prepared.evaluateAll(try PortfolioReader.open(path: path), jobs: 2)
        let lean = try prepared.summarize(try PortfolioReader.open(path: path), jobs: 2)
        let rankedFull = RankedEvaluations(full.evaluations, provenance: provenance)
        let rankedLean = RankedSummaries(lean, provenance: provenance)
        #expect(rankedLean.count == 1507)
        #expect(OutputFormat.json.summaryFormat == nil) // JSON shows every trail: evaluations only
        for format in [OutputFormat.csv, .table, .markdown] {
            for width in format == .table ? [80, 120] : [120] {
                let expected = EvaluationRenderer.render(rankedFull, as: format, width: width)
                let out = OutputBuffer()
                EvaluationRenderer.render(rankedLean, as: try #require(format.summaryFormat), width: width, to: out)
                try out.finish()
                #expect(out.text == expected, "\(format) \(width)")
            }
        }
        // Rendered by several threads a block of rows each, the CSV is the same bytes.
        for (jobs, block) in [(2, 100), (3, 64), (4, 1000)] {
            let out = OutputBuffer()
            EvaluationRenderer.csv(rankedLean, jobs: jobs, block: block, to: out)
            #expect(out.text == EvaluationRenderer.render(rankedFull, as: .csv), "\(jobs) jobs, blocks of \(block)")
        }
        // Streamed in pieces to a file, the CSV is the same bytes again.
        let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("ranked.csv").path
        let writer = try AtomicFile.Writer(path: file)
        let streamed = OutputBuffer { try writer.write($0) }
        EvaluationRenderer.render(rankedLean, as: .csv, to: streamed)
        try streamed.finish()
        try writer.commit()
        #expect(try String(contentsOfFile: file, encoding: .utf8) == EvaluationRenderer.render(rankedFull, as: .csv))
    }

    @Test func unwrittenOutputLeavesNoFile() throws {
        let dir = try Scratch.directory("writer")
        do {
            let writer = try AtomicFile.Writer(path: dir.appendingPathComponent("out.csv").path)
            try writer.write(Array("half a report".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect {
            _ = try AtomicFile.Writer(path: dir.appendingPathComponent("missing/out.csv").path)
        } throws: { error in
            "\(error)".hasPrefix("cannot write '\(dir.path)/missing/out.csv': ")
        }
    }
}
