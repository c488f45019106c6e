import Planner
import Portfolio
import RuleEngine
import UseCases

/// `cmrg plan` output in each format. Pure functions: the same report gives the same bytes.
public enum PlanRenderer {
    /// `width`: the table's width (at most 160); `why`: every reason under each review
    /// (table) or in a column (Markdown). CSV and JSON always carry everything.
    public static func render(_ report: PlanReport, as format: OutputFormat, width: Int = TableWidth.fallback,
                              why: Bool = false) -> String {
        switch format {
        case .table: PlanTable.render(report, width: width, why: why)
        case .csv: csv(report)
        case .json: json(report)
        case .markdown: markdown(report, why: why)
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

    /// One table of every review, ready to paste into a committee paper, then the contracts
    /// left out. Full ids and titles: a Markdown table is laid out where it is pasted.
    public static func markdown(_ r: PlanReport, why: Bool = false) -> String {
        let lines = summary(r)
        var out = "# \(lines[0])\n\n\(lines[1]). \(lines[2]). \(lines[3]).\n\n"
        let p = r.plan
        out += "| Meeting | Contract | Title | Tier | Lead officer | Review by | Reason |" + (why ? " Why |" : "") + "\n"
        out += "|---|---|---|---|---|---|---|" + (why ? "---|" : "") + "\n"
        let seats = PlanTable.seats(p)
        for meeting in p.meetings {
            let here = seats.filter { $0.meeting == meeting.date }
            if here.isEmpty {
                out += "| \(meeting.date) |  | none planned |  |  |  |  |" + (why ? "  |" : "") + "\n"
            }
            for seat in here {
                out += "| \(seat.meeting) | \(md(seat.ids)) | \(md(seat.titles)) | \(seat.tier.rawValue) | \(md(seat.officers)) | "
                    + "\(seat.reviewBy) | \(md(seat.lead.mainReason)) |"
                if why {
                    out += " " + seat.members.flatMap { m in
                        m.reasons.map { (seat.members.count > 1 ? m.contractID + ": " : "") + $0 }
                    }.map(md).joined(separator: "; ") + " |"
                }
                out += "\n"
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
                                    w.field("main_reason", s.mainReason)
                                    w.key("flags")
                                    EvaluationRenderer.flags(s.flags, into: w)
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
                        w.key("flags")
                        EvaluationRenderer.flags(n.flags, into: w)
                    }
                }
            }
            w.field("not_selected", p.notSelectedCount)
            w.field("late", p.lateCount)
            w.field("follow_ups", p.followUpCount)
            w.field("overdue_follow_ups", p.overdueFollowUpCount)
            w.field("ended", p.endedCount)
            w.field("end_unknown", p.endUnknownCount)
            w.field("flagged_not_listed", p.flaggedNotSelectedCount)
            w.key("follow_ups_owed")
            w.array {
                for (id, f) in p.followUps.sorted(by: { $0.value.due != $1.value.due ? $0.value.due < $1.value.due : $0.key < $1.key }) {
                    w.object {
                        w.field("id", id)
                        w.field("review", f.of.date.iso)
                        w.field("outcome", f.of.outcome)
                        w.field("due", f.due.iso)
                        w.field("overdue", f.overdue)
                    }
                }
            }
        }
        return w.text + "\n"
    }
}
