import RuleEngine

/// Plain-text output of `cmrg check`: what loaded, then every finding as `file:line:
/// severity: message` and the counts.
public enum CheckRenderer {
    public static func render(_ report: PackCheckReport, pack: RulePack) -> String {
        let entryPoints = report.definesFlags ? "tier(c), score(c) and flags(c)" : "tier(c) and score(c)"
        let loaded = "\(pack.directory): \(pack.files.count) rule files loaded; \(entryPoints) defined"
        if report.findings.isEmpty { return loaded + "; no problems found\n" }
        var out = loaded + "\n"
        for finding in report.findings { out += terminalSafe(finding.description) + "\n" }
        return out + "\(pack.directory): \(count(report.errors, "error")), \(count(report.warnings, "warning"))\n"
    }

    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
