import Foundation
import Testing

/// Every mistake in `SeededMistake.all`, made in a copy of the default pack, through the
/// built binary: what `cmrg check` says, and what `cmrg evaluate` (or `plan`) does on the
/// sample register. No mistake may leave evaluate at exit 0 with different results unless
/// check warned about it.
///
/// With `CMRG_MISTAKES_TABLE=FILE` the outputs are also written to FILE as a Markdown table,
/// and with `CMRG_MISTAKES_DIR=DIR` the seeded packs are kept in DIR (to run other tools on).
@Suite struct SeededMistakesTests {
    static let asOf = ["--as-of", "2026-11-25"]

    @Test func eachMistakeIsCaughtWithItsFileAndLine() throws {
        #expect(SeededMistake.all.count >= 25)
        let reference = try Self.results(of: CLI.run(["evaluate", "--format", "csv"] + Self.asOf).stdout)
        let referencePlan = try CLI.run(["plan"] + Self.asOf).stdout
        let environment = ProcessInfo.processInfo.environment
        var table = "| # | mistake | `cmrg check` | `cmrg evaluate` (or `plan`) |\n|---:|---|---|---|\n"
        for (number, mistake) in SeededMistake.all.enumerated() {
            let root = try CLI.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            let rules = try Self.seed(mistake, in: root)
            let check = try CLI.run(["check", "--rules", rules.path] + Self.asOf)
            let checkOutput = Self.shown(check.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                .joined(separator: "\n") + check.stderr, rules).trimmingCharacters(in: .newlines)
            #expect(checkOutput == mistake.check, "check, \(mistake.name)")
            #expect(check.status == mistake.checkStatus, "check status, \(mistake.name)")

            let format = mistake.command == "evaluate" ? ["--format", "csv"] : []
            let run = try CLI.run([mistake.command, "--rules", rules.path] + format + Self.asOf)
            var outcome = Self.shown(run.stderr, rules).trimmingCharacters(in: .newlines)
            if run.status == 0 && mistake.command == "evaluate" {
                let results = try Self.results(of: run.stdout)
                let tiers = results.filter { reference[$0.key]?.tier != $0.value.tier }.count
                let scores = results.filter { reference[$0.key]?.score != $0.value.score }.count
                outcome += "exit 0: \(tiers) tiers and \(scores) scores differ from the default pack's"
            } else if run.status == 0 {
                outcome += run.stdout == referencePlan ? "exit 0: the same plan" : "exit 0: a different plan"
            }
            #expect(outcome == mistake.outcome, "\(mistake.command), \(mistake.name)")
            // The worst a decision tool can do: exit 0 with other results, and nobody told.
            let unchanged = outcome.hasSuffix(" 0 tiers and 0 scores differ from the default pack's") || outcome == "exit 0: the same plan"
            if run.status == 0 && !unchanged {
                #expect(check.status != 0 || checkOutput.contains(": warning: "), "a silent wrong answer: \(mistake.name)")
            }
            #expect(run.status == mistake.outcomeStatus, "\(mistake.command) status, \(mistake.name)")

            func cell(_ text: String) -> String {
                text.trimmingCharacters(in: .newlines).replacingOccurrences(of: "|", with: "\\|")
                    .replacingOccurrences(of: "\n", with: "<br>")
            }
            table += "| \(number + 1) | \(cell(mistake.name)) | \(cell(checkOutput)) (exit \(check.status)) "
                + "| \(mistake.command == "plan" ? "plan: " : "")\(cell(outcome))\(run.status == 0 ? "" : " (exit \(run.status))") |\n"
            if let keep = environment["CMRG_MISTAKES_DIR"] {
                let kept = URL(fileURLWithPath: keep).appendingPathComponent(String(format: "%02d", number + 1))
                try? FileManager.default.removeItem(at: kept)
                try FileManager.default.createDirectory(at: kept.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: rules, to: kept)
            }
        }
        if let path = environment["CMRG_MISTAKES_TABLE"] {
            try table.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// A copy of the default pack with the mistake's edits made (each must apply).
    static func seed(_ mistake: SeededMistake, in root: URL) throws -> URL {
        let rules = root.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: CLI.repoRoot.appendingPathComponent("rules"), to: rules)
        for edit in mistake.edits {
            let file = rules.appendingPathComponent(edit.file)
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = try #require(text.range(of: edit.old), "seeding \(mistake.name): '\(edit.old)' not in \(edit.file)")
            try text.replacingCharacters(in: range, with: edit.new).write(to: file, atomically: true, encoding: .utf8)
        }
        return rules
    }

    /// The pack's temporary directory shown as `rules`.
    static func shown(_ text: String, _ rules: URL) -> String {
        text.replacingOccurrences(of: rules.path, with: "rules")
    }

    /// id → (tier, score) from `evaluate --format csv`.
    static func results(of csv: String) throws -> [String: (tier: String, score: String)] {
        var out: [String: (tier: String, score: String)] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            // rank,id,title,tier,score,top_factors; the title may be quoted with commas in it
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5 else { continue }
            let tierIndex = fields.firstIndex { ["Gold", "Silver", "Bronze"].contains($0) } ?? 3
            out[fields[1]] = (fields[tierIndex], fields[tierIndex + 1])
        }
        return out
    }
}
