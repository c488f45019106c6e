import RuleEngine

/// Plain-text output of `cmrg test`: one PASS / FAIL / ERROR line per case with its test
/// file:line, what did not match and the rules' explanation, a summary, and the coverage.
public enum RuleTestRenderer {
    public static func render(_ run: RuleTestRun) -> String {
        var out = ""
        for entry in run.entries {
            switch entry {
            case .result(let r) where r.passed:
                out += "PASS \(r.testCase.location) \(r.testCase.name)\n"
            case .result(let r):
                out += "FAIL \(r.testCase.location) \(r.testCase.name)\n"
                if let error = r.error { out += "  rule error: \(error.description)\n" }
                for failure in r.failures { out += "  \(failure)\n" }
                if let e = r.evaluation { out += explanation(e) }
            case .problem(let p):
                out += "ERROR \(p.location) " + (p.caseName.map { "\($0): " } ?? "") + p.message + "\n"
            }
        }
        out += "\n" + summary(run) + "\n"
        if let coverage = run.coverage { out += "\n" + self.coverage(coverage) }
        return terminalSafe(out)
    }

    /// "coverage 80% is under the threshold of 90%", or nil when coverage meets `threshold`.
    public static func shortfall(_ run: RuleTestRun, threshold: Double?) -> String? {
        guard let threshold, let report = run.coverage, report.percent + 1e-9 < threshold else { return nil }
        return "coverage \(percent(report.percent)) is under the threshold of \(percent(threshold))"
    }

    static func summary(_ run: RuleTestRun) -> String {
        var parts = ["\(run.passed) passed", "\(run.failed) failed"]
        if run.problems > 0 { parts.append("\(run.problems) \(run.problems == 1 ? "error" : "errors") in test files") }
        let files = run.files.count == 1 ? "1 file" : "\(run.files.count) files"
        return parts.joined(separator: ", ") + " (\(files))"
    }

    /// The decision as the rules explained it, so a failing case shows why.
    static func explanation(_ e: Evaluation) -> String {
        var out = "  the rules decided: tier \(e.tier.rawValue), score \(formatPoints(e.score))\n"
        for r in e.reasons {
            out += "    because \(r.text)" + (r.location.map { "  [\($0)]" } ?? "") + "\n"
        }
        for f in e.factors {
            let points = (f.points >= 0 ? "+" : "") + formatPoints(f.points)
            out += "    factor \(f.name) \(points)" + (f.text.isEmpty ? "" : "  \(f.text)") + (f.location.map { "  [\($0)]" } ?? "") + "\n"
        }
        return out
    }

    public static func coverage(_ report: CoverageReport) -> String {
        var rows = [["Rule file", "Lines run", "Coverage", "Not run (lines)"]]
        for f in report.files {
            rows.append([f.path, "\(f.covered)/\(f.runnable.count)", percent(f.percent), f.uncoveredRanges])
        }
        rows.append(["total", "\(report.covered)/\(report.runnable)", percent(report.percent), ""])
        let widths = (0..<4).map { col in rows.map { $0[col].count }.max() ?? 0 }
        var out = "Coverage of the rule files by the tests:\n"
        for (i, row) in rows.enumerated() {
            let cells = row.enumerated().map { col, text -> String in
                let pad = String(repeating: " ", count: widths[col] - text.count)
                return col == 1 || col == 2 ? pad + text : text + pad
            }
            out += "  " + cells.joined(separator: "  ").trailingSpacesTrimmed + "\n"
            if i == 0 { out += "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    /// One decimal, rounded down, so 99.96 % never shows as a passing "100.0%".
    public static func percent(_ p: Double) -> String {
        let tenths = Int((p * 10 + 1e-9).rounded(.down))
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
