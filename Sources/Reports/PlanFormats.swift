import Planner
import Portfolio
import RuleEngine
import UseCases

/// `cmrg plan` output in each format. Pure functions: the same report gives the same bytes.
public enum PlanRenderer {
    public static func render(_ report: PlanReport, as format: OutputFormat) -> String {
        switch format {
        case .table: table(report)
        case .csv: csv(report)
        case .json: json(report)
        case .markdown: markdown(report)
        }
    }

    static func summary(_ r: PlanReport) -> [String] {
        let p = r.plan
        let seats = p.meetings.reduce(0) { $0 + $1.capacity }
        return [
            "Forward review plan, \(p.start) to \(p.horizonEnd.adding(days: -1)) (as of \(r.provenance.asOf))",
            "\(p.meetings.count) meeting\(p.meetings.count == 1 ? "" : "s"), \(seats) seats: \(p.placements.count) review\(p.placements.count == 1 ? "" : "s") planned, "
                + "\(p.notPlanned.count) selected or high-scoring contract\(p.notPlanned.count == 1 ? "" : "s") not planned, "
                + "\(p.notSelectedCount) not due and below the score threshold",
            "Review history: \(shown(r.history))",
            flags(p),
        ]
    }

    /// What the group must notice before the table: late reviews, follow-ups, ended contracts, data gaps.
    static func flags(_ p: ForwardPlan) -> String {
        func n(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
        return "Late: \(n(p.lateCount, "review", "reviews")) past the review-by date; "
            + "follow-ups: \(p.followUpCount) (\(p.overdueFollowUpCount) overdue); "
            + "ended: \(n(p.endedCount, "contract", "contracts")) listed, not planned; "
            + "data gaps: \(n(p.endUnknownCount, "contract", "contracts")) with no end date"
    }

    /// The review-by cell: the date, or that it has passed.
    static func reviewByCell(_ s: ForwardPlan.Placement) -> String {
        if let late = s.lateReviewBy { return "late: review-by was \(late)" }
        return s.reviewBy.map { "review by \($0)" } ?? "no end date"
    }

    public static func table(_ r: PlanReport) -> String {
        var out = summary(r).joined(separator: "\n") + "\n"
        let p = r.plan
        for meeting in p.meetings {
            let seated = p.placements(at: meeting.date)
            out += "\n\(meeting.date)  \(p.seatsUsed(at: meeting.date)) of \(meeting.capacity) seat\(meeting.capacity == 1 ? "" : "s")\n"
            let rows = seated.map { s in
                [shown(s.contractID), clip(shown(s.title), 44), s.tier.rawValue, formatPoints(s.score),
                 s.leadOfficer.map(shown) ?? "(no lead officer)", reviewByCell(s)]
            }
            for (row, s) in zip(aligned(rows, rightAligned: [3]), seated) {
                out += "  " + row + "\n"
                out += "      why: " + (s.jointWithAudit ? "JOINT WITH AUDIT; " : "") + s.reasons.map(shown).joined(separator: "; ") + "\n"
            }
        }
        if !p.notPlanned.isEmpty {
            out += "\nNot planned (\(p.notPlanned.count)), overdue follow-ups first, then highest score:\n"
            let rows = p.notPlanned.map { n in
                [shown(n.contractID), clip(shown(n.title), 44), n.tier.rawValue, formatPoints(n.score), shown(n.reason)]
            }
            for row in aligned(rows, rightAligned: [3]) { out += "  " + row + "\n" }
        }
        return out
    }

    public static func csv(_ r: PlanReport) -> String {
        var out = "status,meeting,id,title,tier,score,lead_officer,review_by,reasons\n"
        for s in r.plan.placements {
            out += ["planned", s.meeting.iso, s.contractID, s.title, s.tier.rawValue, formatPoints(s.score),
                    s.leadOfficer ?? "", s.reviewBy?.iso ?? "",
                    ((s.jointWithAudit ? ["joint with audit"] : []) + s.reasons).joined(separator: "; ")]
                .map(CSVQuoting.field).joined(separator: ",") + "\n"
        }
        for n in r.plan.notPlanned {
            out += ["not planned", "", n.contractID, n.title, n.tier.rawValue, formatPoints(n.score),
                    n.leadOfficer ?? "", n.reviewBy?.iso ?? "", n.reason]
                .map(CSVQuoting.field).joined(separator: ",") + "\n"
        }
        return out
    }

    public static func markdown(_ r: PlanReport) -> String {
        let lines = summary(r)
        var out = "# \(lines[0])\n\n\(lines[1]). \(lines[2]). \(lines[3]).\n"
        let p = r.plan
        for meeting in p.meetings {
            let seated = p.placements(at: meeting.date)
            out += "\n## \(meeting.date) — \(p.seatsUsed(at: meeting.date)) of \(meeting.capacity)\n\n"
            if seated.isEmpty {
                out += "No deep reviews planned.\n"
                continue
            }
            out += "| Contract | Title | Tier | Score | Lead officer | Review by | Why |\n|---|---|---|---:|---|---|---|\n"
            for s in seated {
                let why = ((s.jointWithAudit ? ["**joint with audit**"] : []) + s.reasons.map(md)).joined(separator: "; ")
                out += "| \(md(s.contractID)) | \(md(s.title)) | \(s.tier.rawValue) | \(formatPoints(s.score)) | \(md(s.leadOfficer ?? "")) | \(s.lateReviewBy.map { "late (was \($0))" } ?? s.reviewBy?.iso ?? "") | \(why) |\n"
            }
        }
        out += "\n## Not planned\n\n"
        if p.notPlanned.isEmpty {
            out += "Every selected or high-scoring contract has a place in the plan.\n"
        } else {
            out += "| Contract | Title | Tier | Score | Why not |\n|---|---|---|---:|---|\n"
            for n in p.notPlanned {
                out += "| \(md(n.contractID)) | \(md(n.title)) | \(n.tier.rawValue) | \(formatPoints(n.score)) | \(md(n.reason)) |\n"
            }
        }
        let v = r.provenance
        out += "\nRules `\(v.rulesDirectory)` sha256 `\(v.rulesSHA256)`; input `\(v.inputPath)` sha256 `\(v.inputSHA256)`.\n"
        return out
    }

    public static func json(_ r: PlanReport) -> String {
        let w = JSONWriter()
        let p = r.plan
        w.object {
            w.key("provenance")
            EvaluationRenderer.provenance(r.provenance, into: w) { w.field("history", r.history) }
            w.field("from", p.start.iso)
            w.field("horizon_end", p.horizonEnd.iso)
            w.key("meetings")
            w.array {
                for meeting in p.meetings {
                    w.object {
                        w.field("date", meeting.date.iso)
                        w.field("capacity", meeting.capacity)
                        w.key("reviews")
                        w.array {
                            for s in p.placements(at: meeting.date) {
                                w.object {
                                    w.field("id", s.contractID)
                                    w.field("title", s.title)
                                    w.field("tier", s.tier.rawValue)
                                    w.field("score", s.score)
                                    w.field("lead_officer", s.leadOfficer)
                                    w.field("review_by", s.reviewBy?.iso)
                                    w.field("joint_with_audit", s.jointWithAudit)
                                    w.field("late", s.lateReviewBy != nil)
                                    w.field("follow_up_of", s.followUp?.of.date.iso)
                                    w.field("follow_up_due", s.followUp?.due.iso)
                                    w.field("follow_up_overdue", s.followUp?.overdue ?? false)
                                    w.field("end_unknown", s.endUnknown)
                                    w.field("lifecycle", s.lifecycle.rawValue)
                                    w.field("review_group", s.group)
                                    w.field("shares_seat", s.sharesSeat)
                                    w.key("reasons")
                                    w.array { for reason in s.reasons { w.value(reason) } }
                                }
                            }
                        }
                    }
                }
            }
            w.key("not_planned")
            w.array {
                for n in p.notPlanned {
                    w.object {
                        w.field("id", n.contractID)
                        w.field("title", n.title)
                        w.field("tier", n.tier.rawValue)
                        w.field("score", n.score)
                        w.field("lead_officer", n.leadOfficer)
                        w.field("review_by", n.reviewBy?.iso)
                        w.field("why", n.why.code)
                        w.field("lifecycle", n.lifecycle.rawValue)
                        w.field("reason", n.reason)
                    }
                }
            }
            w.field("not_selected", p.notSelectedCount)
            w.field("late", p.lateCount)
            w.field("follow_ups", p.followUpCount)
            w.field("overdue_follow_ups", p.overdueFollowUpCount)
            w.field("ended", p.endedCount)
            w.field("end_unknown", p.endUnknownCount)
        }
        return w.text + "\n"
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func aligned(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = (0..<first.count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { col, text in
                let pad = String(repeating: " ", count: widths[col] - text.count)
                return rightAligned.contains(col) ? pad + text : text + pad
            }.joined(separator: "  ").trailingSpacesTrimmed
        }
    }
}
