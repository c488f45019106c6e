import Portfolio
import RuleEngine
import UseCases

/// `cmrg explain`: why one contract got its tier and score, in plain text for a policy
/// officer: the fields as the rules saw them, the tier decision path, every factor with its
/// points and the rule line that added it.
public enum ExplainRenderer {
    public static func render(_ e: PortfolioEvaluation.Explanation) -> String {
        render(contract: e.contract, evaluation: e.evaluation, rank: e.rank, of: e.count, extraColumns: e.extraColumns,
               asOf: e.asOf.iso)
    }

    public static func render(contract c: Contract, evaluation e: Evaluation, rank: Int?, of total: Int,
                              extraColumns: [String], asOf: String, definesFlags: Bool = false) -> String {
        // Every text from the register or the rules is shown escaped (TerminalText).
        var out = "\(shown(c.id)) — \(shown(c.title))\n"
        out += "Tier \(e.tier.rawValue), score \(formatPoints(e.score))"
        if let rank { out += ", rank \(rank) of \(total)" }
        out += " (as of \(asOf))\n\n"

        out += "What the rules saw (c):\n"
        let fields: [(String, String?)] = CanonicalField.all.map { field in
            switch field.value(in: c) {
            case .text(let text): (field.column, text.map(shown))
            case .money(let amount): (field.column, amount.map(money))
            case .date(let date): (field.column, date?.iso)
            case .level(let level): (field.column, level.map(String.init))
            }
        }
        let extras = zip(extraColumns, c.extras).map { ("extra." + shown($0.0), $0.1.map(shown)) }
        let all = fields + extras
        let width = all.map(\.0.count).max() ?? 0
        for (name, value) in all {
            out += "  " + name + String(repeating: " ", count: width - name.count) + "  " + (value ?? "nil (not given)") + "\n"
        }

        out += "\nTier decision:\n"
        let tierReasons = e.reasons.filter { $0.entryPoint == .tier }
        if tierReasons.isEmpty { out += "  (the tier rule gave no reasons)\n" }
        for r in tierReasons { out += "  - \(shown(r.text))" + place(r.location) + "\n" }

        out += "\nScore \(formatPoints(e.score)) = sum of factors:\n"
        if e.factors.isEmpty { out += "  (no factors recorded)\n" }
        let names = e.factors.map { shown($0.name) }
        let nameWidth = names.map(\.count).max() ?? 0
        for (f, name) in zip(e.factors, names) {
            let points = (f.points >= 0 ? "+" : "") + formatPoints(f.points)
            out += "  " + name + String(repeating: " ", count: nameWidth - name.count)
                + "  " + String(repeating: " ", count: max(0, 6 - points.count)) + points
                + "  " + shown(f.text) + place(f.location) + "\n"
        }
        let scoreReasons = e.reasons.filter { $0.entryPoint != .tier }
        if !scoreReasons.isEmpty {
            out += "\nOther reasons:\n"
            for r in scoreReasons { out += "  - \(shown(r.text))" + place(r.location) + "\n" }
        }
        if definesFlags || !e.flags.isEmpty { out += flags(e.flags) }
        return out
    }

    /// The rules' flags, each with its name, due date and rule.
    static func flags(_ flags: [RuleFlag]) -> String {
        var out = "\nFlags (flags(c)):\n"
        if flags.isEmpty { return out + "  none\n" }
        for f in flags {
            out += "  - \(shown(f.text))  (\(shown(f.name))" + (f.due.map { ", due \($0)" } ?? "") + ")" + place(f.location) + "\n"
        }
        return out
    }

    /// `  [rules/priority.lua:42]`, the rule line beside a reason or factor.
    static func place(_ location: RuleLocation?) -> String { location.map { "  [\(shown($0.description))]" } ?? "" }

    static func money(_ d: Double) -> String {
        guard abs(d) < 1e13 else { return (d < 0 ? "-" : "") + "£" + String(abs(d)) } // beyond pence: as written
        let pence = Int64((d * 100).rounded())
        var pounds = String(abs(pence) / 100)
        var grouped = ""
        while pounds.count > 3 {
            grouped = "," + pounds.suffix(3) + grouped
            pounds.removeLast(3)
        }
        let p = abs(pence) % 100
        return (pence < 0 ? "-" : "") + "£" + pounds + grouped + (p == 0 ? "" : "." + (p < 10 ? "0" : "") + String(p))
    }
}
