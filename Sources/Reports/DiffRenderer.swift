import Planner
import RuleEngine
import UseCases

/// Output formats of `cmrg diff`.
public enum DiffFormat: String, Sendable, CaseIterable {
    case table, markdown, json
}

/// Renders what a rule change does to the decisions. Pure: the same report gives the same
/// bytes.
public enum DiffRenderer {
    public static func render(_ report: DiffReport, as format: DiffFormat) -> String {
        switch format {
        case .table: table(report)
        case .markdown: markdown(report)
        case .json: json(report)
        }
    }

    // MARK: plain text

    public static func table(_ r: DiffReport) -> String {
        let d = r.diff
        var out = "Rule change: \(r.base.rulesDirectory) (before) → \(r.new.rulesDirectory) (after)\n"
        out += "\(d.contractCount) contracts from \(r.new.inputPath), as of \(r.new.asOf)\n"

        out += "\nWhat changed in the rules:\n"
        out += ruleChangeLines(d.ruleChanges).map { "  " + $0 + "\n" }.joined()

        out += "\nTiers (rows: before, columns: after):\n"
        out += indent(grid(transitionRows(d)), by: 2)

        out += "\n" + tierChangeHeadline(d) + "\n"
        for c in d.tierChanges {
            out += "  \(c.id)  \(clip(c.title, 40))  \(c.before.tier.rawValue) → \(c.after.tier.rawValue)\n"
            for reason in c.reasonsBefore { out += "    before: \(reason.text)\(at(reason.location))\n" }
            for reason in c.reasonsAfter { out += "    after:  \(reason.text)\(at(reason.location))\n" }
            if !c.factorChanges.isEmpty { out += "    score \(scoreMove(c)): \(factorText(c.factorChanges))\n" }
        }

        out += "\n" + movementHeadline(d) + "\n"
        if !d.movements.isEmpty {
            let header = ["ID", "Title", "Score", "Rank", "Main changes"]
            let rows = d.movements.map { c in
                [c.id, clip(c.title, 32), scoreMove(c), rankMove(c), factorText(Array(c.factorChanges.prefix(3)))]
            }
            out += indent(grid([header] + rows, rightAligned: []), by: 2)
        }

        out += "\n" + topHeadline(d) + "\n"
        for c in d.entering {
            out += "  enters  \(c.id)  \(clip(c.title, 40))  rank \(c.before.rank) → \(c.after.rank)\(why(c))\n"
        }
        for c in d.leaving {
            out += "  leaves  \(c.id)  \(clip(c.title, 40))  rank \(c.before.rank) → \(c.after.rank)\(why(c))\n"
        }

        out += "\n" + planHeadline(r) + "\n"
        for line in planLines(r) { out += "  " + line + "\n" }

        out += "\n" + verdict(r) + "\n"
        return terminalSafe(out)
    }

    // MARK: Markdown

    public static func markdown(_ r: DiffReport) -> String {
        let d = r.diff
        var out = "## Rule change: `\(md(r.base.rulesDirectory))` → `\(md(r.new.rulesDirectory))`\n\n"
        out += "\(d.contractCount) contracts from `\(md(r.new.inputPath))`, as of \(r.new.asOf).\n\n"
        out += "### What changed in the rules\n\n"
        out += ruleChangeLines(d.ruleChanges).map { "- " + md($0) + "\n" }.joined()

        out += "\n### Tiers (rows: before, columns: after)\n\n"
        let rows = transitionRows(d)
        out += "| " + rows[0].map(md).joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: rows[0].count - 1) + "\n"
        for row in rows.dropFirst() { out += "| " + row.map(md).joined(separator: " | ") + " |\n" }

        out += "\n### " + tierChangeHeadline(d) + "\n"
        if !d.tierChanges.isEmpty {
            out += "\n| ID | Title | Tier | Why before | Why after |\n|---|---|---|---|---|\n"
            for c in d.tierChanges {
                let before = c.reasonsBefore.map { $0.text + at($0.location) }.joined(separator: "; ")
                let after = c.reasonsAfter.map { $0.text + at($0.location) }.joined(separator: "; ")
                out += "| \(md(c.id)) | \(md(c.title)) | \(c.before.tier.rawValue) → \(c.after.tier.rawValue) | \(md(before)) | \(md(after)) |\n"
            }
        }

        out += "\n### " + movementHeadline(d) + "\n"
        if !d.movements.isEmpty {
            out += "\n| ID | Title | Score | Rank | Main changes |\n|---|---|---|---|---|\n"
            for c in d.movements {
                out += "| \(md(c.id)) | \(md(c.title)) | \(scoreMove(c)) | \(rankMove(c)) | \(md(factorText(Array(c.factorChanges.prefix(3))))) |\n"
            }
        }

        out += "\n### " + topHeadline(d) + "\n"
        if !d.entering.isEmpty || !d.leaving.isEmpty {
            out += "\n| | ID | Title | Rank |\n|---|---|---|---|\n"
            for c in d.entering { out += "| enters | \(md(c.id)) | \(md(c.title)) | \(c.before.rank) → \(c.after.rank) |\n" }
            for c in d.leaving { out += "| leaves | \(md(c.id)) | \(md(c.title)) | \(c.before.rank) → \(c.after.rank) |\n" }
        }
        out += "\n### " + planHeadline(r) + "\n"
        if let plan = r.plan, !plan.isEmpty {
            out += "\n| | ID | Title | Meeting |\n|---|---|---|---|\n"
            for c in plan.added { out += "| added | \(md(c.contractID)) | \(md(c.title)) | \(c.meetingAfter.map(\.iso) ?? "") |\n" }
            for c in plan.removed {
                out += "| removed | \(md(c.contractID)) | \(md(c.title)) | was \(c.meetingBefore.map(\.iso) ?? "")" + (c.whyNotAfter.map { "; now \(md($0))" } ?? "") + " |\n"
            }
            for c in plan.moved {
                out += "| moved | \(md(c.contractID)) | \(md(c.title)) | \(c.meetingBefore.map(\.iso) ?? "") → \(c.meetingAfter.map(\.iso) ?? "") |\n"
            }
        }
        out += "\n**\(verdict(r))**\n\n"
        out += "Before: rules `\(md(r.base.rulesDirectory))` sha256 `\(r.base.rulesSHA256)`. "
        out += "After: rules `\(md(r.new.rulesDirectory))` sha256 `\(r.new.rulesSHA256)`; "
        out += "input `\(md(r.new.inputPath))` sha256 `\(r.new.inputSHA256)`.\n"
        return terminalSafe(out)
    }

    // MARK: JSON

    public static func json(_ r: DiffReport) -> String {
        let d = r.diff
        let w = JSONWriter()
        w.object {
            w.key("provenance")
            w.object {
                w.field("tool", "cmrg \(r.new.toolVersion)")
                w.field("as_of", r.new.asOf)
                w.field("input", r.new.inputPath)
                w.field("input_sha256", r.new.inputSHA256)
                w.field("base_rules", r.base.rulesDirectory)
                w.field("base_rules_sha256", r.base.rulesSHA256)
                w.field("rules", r.new.rulesDirectory)
                w.field("rules_sha256", r.new.rulesSHA256)
            }
            w.field("contracts", d.contractCount)
            w.field("decisions_changed", r.decisionsChanged)
            w.key("rule_changes")
            w.object {
                w.key("files")
                w.array {
                    for f in d.ruleChanges.files {
                        w.object {
                            w.field("file", f.name)
                            w.field("status", f.status.rawValue)
                        }
                    }
                }
                w.key("settings")
                w.array {
                    for s in d.ruleChanges.settings {
                        w.object {
                            w.field("path", s.path)
                            w.field("before", s.before)
                            w.field("after", s.after)
                        }
                    }
                }
            }
            w.key("tier_transitions")
            w.array {
                for before in Tier.allCases {
                    for after in Tier.allCases where d.count(from: before, to: after) > 0 {
                        w.object {
                            w.field("before", before.rawValue)
                            w.field("after", after.rawValue)
                            w.field("count", d.count(from: before, to: after))
                        }
                    }
                }
            }
            w.key("tier_changes")
            w.array { for c in d.tierChanges { change(c, into: w, reasons: true) } }
            w.field("score_changes", d.scoreChangeCount)
            w.field("rank_changes", d.rankChangeCount)
            w.key("largest_movements")
            w.array { for c in d.movements { change(c, into: w, reasons: false) } }
            w.key("top")
            w.object {
                w.field("size", d.top)
                w.key("entering")
                w.array { for c in d.entering { change(c, into: w, reasons: false) } }
                w.key("leaving")
                w.array { for c in d.leaving { change(c, into: w, reasons: false) } }
            }
            w.key("plan")
            w.object {
                w.field("compared", r.plan != nil)
                w.field("note", r.planNote)
                if let plan = r.plan {
                    w.field("reviews_before", plan.reviewsBefore)
                    w.field("reviews_after", plan.reviewsAfter)
                    for (key, list) in [("added", plan.added), ("removed", plan.removed), ("moved", plan.moved)] {
                        w.key(key)
                        w.array {
                            for c in list {
                                w.object {
                                    w.field("id", c.contractID)
                                    w.field("title", c.title)
                                    w.field("meeting_before", c.meetingBefore?.iso)
                                    w.field("meeting_after", c.meetingAfter?.iso)
                                    w.field("why_not_before", c.whyNotBefore)
                                    w.field("why_not_after", c.whyNotAfter)
                                }
                            }
                        }
                    }
                }
            }
        }
        return w.text + "\n"
    }

    static func change(_ c: PackDiff.Change, into w: JSONWriter, reasons: Bool) {
        w.object {
            w.field("id", c.id)
            w.field("title", c.title)
            for (side, o) in [("before", c.before), ("after", c.after)] {
                w.key(side)
                w.object {
                    w.field("tier", o.tier.rawValue)
                    w.field("score", o.score)
                    w.field("rank", o.rank)
                }
            }
            w.key("factor_changes")
            w.array {
                for f in c.factorChanges {
                    w.object {
                        w.field("name", f.name)
                        w.field("before", f.before)
                        w.field("after", f.after)
                    }
                }
            }
            if reasons {
                for (key, list) in [("reasons_before", c.reasonsBefore), ("reasons_after", c.reasonsAfter)] {
                    w.key(key)
                    w.array {
                        for reason in list {
                            w.object {
                                w.field("text", reason.text)
                                w.field("rule", reason.location?.description)
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: shared wording

    static func ruleChangeLines(_ changes: RuleChanges) -> [String] {
        var lines = changes.files.map { "\($0.name) \($0.status.rawValue)" }
        for s in changes.settings {
            switch (s.before, s.after) {
            case let (b?, a?): lines.append("\(s.path): \(b) → \(a)")
            case let (nil, a?): lines.append("\(s.path): added (\(a))")
            case let (b?, nil): lines.append("\(s.path): removed (was \(b))")
            default: break
            }
        }
        return lines.isEmpty ? ["nothing: the two rule packs are identical"] : lines
    }

    static func transitionRows(_ d: PackDiff) -> [[String]] {
        var rows = [["before \\ after"] + Tier.allCases.map(\.rawValue) + ["total"]]
        for before in Tier.allCases {
            let counts = Tier.allCases.map { d.count(from: before, to: $0) }
            rows.append([before.rawValue] + counts.map(String.init) + [String(counts.reduce(0, +))])
        }
        let columns = Tier.allCases.map { after in Tier.allCases.map { d.count(from: $0, to: after) }.reduce(0, +) }
        rows.append(["total"] + columns.map(String.init) + [String(d.contractCount)])
        return rows
    }

    static func tierChangeHeadline(_ d: PackDiff) -> String {
        switch d.tierChanges.count {
        case 0: "No contract changes tier."
        case 1: "1 contract changes tier:"
        case let n: "\(n) contracts change tier:"
        }
    }

    static func movementHeadline(_ d: PackDiff) -> String {
        let scores = d.scoreChangeCount == 1 ? "1 score changes" : "\(d.scoreChangeCount) scores change"
        let ranks = d.rankChangeCount == 1 ? "1 contract changes rank" : "\(d.rankChangeCount) contracts change rank"
        let shown = d.movements.isEmpty ? "." : "; largest movements:"
        return "Priority: \(scores), \(ranks)\(shown)"
    }

    static func topHeadline(_ d: PackDiff) -> String {
        if d.entering.isEmpty && d.leaving.isEmpty { return "Top \(d.top): same contracts." }
        return "Top \(d.top): \(d.entering.count) \(d.entering.count == 1 ? "enters" : "enter"), \(d.leaving.count) \(d.leaving.count == 1 ? "leaves" : "leave")."
    }

    /// The line a script can act on: does the change alter decisions, and the exit status.
    static func verdict(_ r: DiffReport) -> String {
        let d = r.diff
        guard r.decisionsChanged else { return "Decisions unchanged (exit status 0)." }
        var parts: [String] = []
        if !d.tierChanges.isEmpty { parts.append("\(d.tierChanges.count) tier \(d.tierChanges.count == 1 ? "change" : "changes")") }
        if !d.entering.isEmpty || !d.leaving.isEmpty { parts.append("top \(d.top) changes") }
        if let plan = r.plan, !plan.isEmpty { parts.append("the forward plan changes") }
        return "Decisions change: " + parts.joined(separator: ", ") + " (exit status 10)."
    }

    static func planHeadline(_ r: DiffReport) -> String {
        guard let plan = r.plan else { return "Forward plan: not compared (\(r.planNote ?? "no plan settings"))." }
        if plan.isEmpty { return "Forward plan: same reviews at the same meetings (\(plan.reviewsAfter) reviews)." }
        return "Forward plan: \(plan.added.count) added, \(plan.removed.count) removed, \(plan.moved.count) moved "
            + "(\(plan.reviewsBefore) → \(plan.reviewsAfter) reviews)."
    }

    static func planLines(_ r: DiffReport) -> [String] {
        guard let plan = r.plan else { return [] }
        var lines: [String] = []
        for c in plan.added {
            lines.append("added    \(c.contractID)  \(clip(c.title, 40))  \(c.meetingAfter.map(\.iso) ?? "")")
        }
        for c in plan.removed {
            lines.append("removed  \(c.contractID)  \(clip(c.title, 40))  was \(c.meetingBefore.map(\.iso) ?? "")"
                + (c.whyNotAfter.map { "; now \($0)" } ?? ""))
        }
        for c in plan.moved {
            lines.append("moved    \(c.contractID)  \(clip(c.title, 40))  \(c.meetingBefore.map(\.iso) ?? "") → \(c.meetingAfter.map(\.iso) ?? "")")
        }
        return lines
    }

    static func scoreMove(_ c: PackDiff.Change) -> String {
        let delta = c.scoreDelta
        let sign = delta > 0 ? "+" : ""
        return formatPoints(c.before.score) + " → " + formatPoints(c.after.score)
            + (abs(delta) >= 0.05 ? " (\(sign)\(formatPoints(delta)))" : "")
    }

    static func rankMove(_ c: PackDiff.Change) -> String {
        let delta = c.rankDelta
        return "\(c.before.rank) → \(c.after.rank)" + (delta == 0 ? "" : " (\(delta > 0 ? "up" : "down") \(abs(delta)))")
    }

    static func factorText(_ changes: [PackDiff.FactorChange]) -> String {
        changes.map { "\($0.name) \($0.delta > 0 ? "+" : "")\(formatPoints($0.delta))" }.joined(separator: ", ")
    }

    static func why(_ c: PackDiff.Change) -> String {
        c.factorChanges.isEmpty ? "" : "  (" + factorText(Array(c.factorChanges.prefix(3))) + ")"
    }

    static func at(_ location: RuleLocation?) -> String { location.map { "  [\($0)]" } ?? "" }

    /// Left-aligned columns (numeric columns right-aligned unless listed otherwise).
    static func grid(_ rows: [[String]], rightAligned: Set<Int>? = nil) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { col in rows.map { col < $0.count ? $0[col].count : 0 }.max() ?? 0 }
        let right = rightAligned ?? Set(1..<max(1, columns))
        var out = ""
        for row in rows {
            let cells = row.enumerated().map { col, text -> String in
                let pad = String(repeating: " ", count: widths[col] - text.count)
                return right.contains(col) ? pad + text : text + pad
            }
            out += cells.joined(separator: "  ").trailingSpacesTrimmed + "\n"
        }
        return out
    }

    static func indent(_ text: String, by n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
    }
}
