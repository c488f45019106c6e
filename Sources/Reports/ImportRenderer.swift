import UseCases
import Portfolio

/// What `cmrg import` says on stderr: one summary line, the notices counted by kind (every
/// kind, so none hides behind a cut-off list), then the rows skipped and the notices, at
/// most `limit` of each — or, when every notice goes to a file (`--notices`), where.
public enum ImportRenderer {
    public static func render(_ done: RegisterImport.Outcome, file: String, output: String, limit: Int = 50,
                              noticesFile: String? = nil) -> String {
        var out = "\(file) (\(done.format.rawValue)): \(count(done.written, "contract")) written to \(output), "
            + "\(count(done.skipped.count, "invalid row")) skipped, \(count(done.notices.count, "notice"))\n"
        out += byKind(done.notices)
        for issue in done.skipped.prefix(limit) { out += "skipped: \(issue)\n" }
        if done.skipped.count > limit { out += "... and \(done.skipped.count - limit) more skipped rows\n" }
        if let noticesFile {
            if !done.notices.isEmpty { out += "every notice (\(done.notices.count)) written to \(noticesFile)\n" }
            return out
        }
        for issue in done.notices.prefix(limit) { out += "notice: \(issue)\n" }
        if done.notices.count > limit {
            out += "... and \(done.notices.count - limit) more notices (--notices FILE writes every one)\n"
        }
        return out
    }

    /// "notices by kind:" and one line per kind, most frequent first (ties: name).
    static func byKind(_ notices: [InputIssue]) -> String {
        guard !notices.isEmpty else { return "" }
        var counts: [String: Int] = [:]
        for n in notices { counts[n.kind ?? "other", default: 0] += 1 }
        let width = String(counts.values.max() ?? 0).count
        return "notices by kind:\n" + counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { String(repeating: " ", count: width - String($0.value).count + 2) + "\($0.value)  \($0.key)\n" }.joined()
    }

    /// Every notice, one a line (`file:line: message`), for `--notices FILE`.
    public static func notices(_ done: RegisterImport.Outcome) -> String {
        done.notices.map { "\($0)\n" }.joined()
    }

    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
