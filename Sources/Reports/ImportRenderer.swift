import UseCases

/// What `cmrg import` says on stderr: one summary line, then the rows skipped and the fields
/// not mapped, at most `limit` of each.
public enum ImportRenderer {
    public static func render(_ done: RegisterImport.Outcome, file: String, output: String, limit: Int = 50) -> String {
        var out = "\(file) (\(done.format.rawValue)): \(count(done.written, "contract")) written to \(output), "
            + "\(count(done.skipped.count, "invalid row")) skipped, \(count(done.notices.count, "notice"))\n"
        for (label, issues) in [("skipped", done.skipped), ("notice", done.notices)] {
            for issue in issues.prefix(limit) { out += "\(label): \(issue)\n" }
            if issues.count > limit { out += "... and \(issues.count - limit) more\n" }
        }
        return out
    }

    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
