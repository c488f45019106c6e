import Planner
import Portfolio
import RuleEngine
import UseCases

/// `cmrg plan` as a committee paper's table: one line per review (a review group on one
/// line) with the meeting, contract, tier, lead officer(s), review-by date and a short main
/// reason, fitted to the output width; `why` adds every reason under its line. The contracts
/// left out follow in a second table, with the reason.
enum PlanTable {
    /// One seat at a meeting: a contract, or a review group's contracts together.
    struct Seat {
        var meeting: ContractDate
        var members: [ForwardPlan.Placement]

        var lead: ForwardPlan.Placement { members[0] }
        var ids: String { members.map(\.contractID).joined(separator: " + ") }
        var titles: String { members.map(\.title).joined(separator: " / ") }
        /// The group's most demanding tier.
        var tier: Tier { members.map(\.tier).min()! }
        /// Each lead officer once, in member order ("co-leads").
        var officers: String {
            var names: [String] = []
            for m in members {
                let name = m.leadOfficer.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 } ?? "(no lead officer)"
                if !names.contains(name) { names.append(name) }
            }
            return names.joined(separator: "; ")
        }
        /// The earliest review-by date of the members (the one that has passed, when late).
        var reviewBy: String {
            let dates = members.compactMap { $0.lateReviewBy ?? $0.reviewBy }
            return dates.min()?.iso ?? "no end date"
        }
    }

    static func seats(_ plan: ForwardPlan) -> [Seat] {
        var seats: [Seat] = []
        for p in plan.placements {
            if p.sharesSeat, let last = seats.last, last.meeting == p.meeting, last.lead.group == p.group {
                seats[seats.count - 1].members.append(p)
            } else {
                seats.append(Seat(meeting: p.meeting, members: [p]))
            }
        }
        return seats
    }

    static let plannedColumns: [TextTable.Column] = [
        .init(header: "Meeting"), .init(header: "ID", cut: .middle), .init(header: "Contract"), .init(header: "Tier"),
        .init(header: "Lead officer"), .init(header: "Review by"), .init(header: "Reason"),
    ]
    /// Long ids give up room first (titles get what ids do not need), then titles, officers,
    /// the reason last; never the dates or tiers.
    static let plannedShrinking: [TextTable.Shrink] = [
        .init(column: 1, floor: 24), .init(column: 2, floor: 36), .init(column: 4, floor: 28), .init(column: 2, floor: 24),
        .init(column: 4, floor: 20), .init(column: 6, floor: 25), .init(column: 1, floor: 12), .init(column: 2, floor: 12),
        .init(column: 4, floor: 12), .init(column: 6, floor: 12), .init(column: 1, floor: 8), .init(column: 2, floor: 10),
        .init(column: 4, floor: 10), // 80 columns still fit
    ]

    static let leftOutColumns: [TextTable.Column] = [
        .init(header: "ID", cut: .middle), .init(header: "Contract"), .init(header: "Tier"),
        .init(header: "Score", rightAligned: true), .init(header: "Why not planned", wraps: true),
    ]
    /// The reason wraps, so it never loses words; titles and long ids make room for it.
    static let leftOutShrinking: [TextTable.Shrink] = [
        .init(column: 0, floor: 24), .init(column: 4, floor: 60), .init(column: 1, floor: 36), .init(column: 1, floor: 24),
        .init(column: 4, floor: 30), .init(column: 0, floor: 12), .init(column: 1, floor: 12), .init(column: 4, floor: 12),
    ]

    /// Where `--why`'s reasons start: under the ID column.
    static let whyIndent = String(repeating: " ", count: 12)

    static func render(_ r: PlanReport, width requested: Int, why: Bool) -> String {
        let width = max(TableWidth.minimum, min(requested, TableWidth.fallback))
        let p = r.plan
        var out = PlanRenderer.summary(r).flatMap { wrapped($0, width: width) }.joined(separator: "\n") + "\n\n"

        let seats = seats(p)
        var rows: [[String]] = []
        var after: [[String]] = [] // --why lines under each row
        for meeting in p.meetings {
            let here = seats.filter { $0.meeting == meeting.date }
            if here.isEmpty {
                rows.append([meeting.date.iso, "", "(none planned)", "", "", "", ""])
                after.append([])
                continue
            }
            for seat in here {
                rows.append([seat.meeting.iso, shown(seat.ids), shown(seat.titles), seat.tier.rawValue,
                             shown(seat.officers), seat.reviewBy, seat.lead.mainReason])
                after.append(why ? whyLines(seat) : [])
            }
        }
        let table = TextTable(columns: plannedColumns, rows: rows, shrinking: plannedShrinking)
        let lines = table.lines(fitting: width)
        out += lines[0] + "\n" + lines[1] + "\n"
        for (line, extra) in zip(lines.dropFirst(2), after) {
            out += line + "\n"
            for e in extra { out += e + "\n" }
        }

        out += flagLines(p, width: width)

        if !p.notPlanned.isEmpty {
            out += "\nNot planned (\(p.notPlanned.count)), overdue follow-ups first, then highest score:\n"
            let rows = p.notPlanned.map { n in
                [shown(n.contractID), shown(n.title), n.tier.rawValue, formatPoints(n.score), shown(n.reason)]
            }
            for line in TextTable(columns: leftOutColumns, rows: rows, shrinking: leftOutShrinking).lines(fitting: width) {
                out += line + "\n"
            }
        }
        return out
    }

    static let flagColumns: [TextTable.Column] = [
        .init(header: "ID", cut: .middle), .init(header: "Contract"), .init(header: "In the plan"),
        .init(header: "Flag", wraps: true, itemSeparator: "; "),
    ]
    static let flagShrinking: [TextTable.Shrink] = [
        .init(column: 0, floor: 24), .init(column: 1, floor: 30), .init(column: 3, floor: 40), .init(column: 1, floor: 12),
        .init(column: 0, floor: 12), .init(column: 3, floor: 20),
    ]

    /// The rules' flags on the contracts the plan shows (planned, then left out), so whoever
    /// prepares a review sees them; contracts the plan does not show are counted.
    static func flagLines(_ p: ForwardPlan, width: Int) -> String {
        var rows: [[String]] = []
        for s in p.placements where !s.flags.isEmpty {
            rows.append([shown(s.contractID), shown(s.title), "planned \(s.meeting)", shown(summary(s.flags))])
        }
        for n in p.notPlanned where !n.flags.isEmpty {
            rows.append([shown(n.contractID), shown(n.title), "not planned", shown(summary(n.flags))])
        }
        guard !rows.isEmpty || p.flaggedNotSelectedCount > 0 else { return "" }
        var out = "\nFlags from the rules (\(rows.count) contract\(rows.count == 1 ? "" : "s") in this plan):\n"
        if !rows.isEmpty {
            for line in TextTable(columns: flagColumns, rows: rows, shrinking: flagShrinking).lines(fitting: width) {
                out += line + "\n"
            }
        }
        if p.flaggedNotSelectedCount > 0 {
            out += "\(p.flaggedNotSelectedCount) more flagged contract\(p.flaggedNotSelectedCount == 1 ? " is" : "s are") "
                + "neither due nor high-scoring: cmrg evaluate lists every flag\n"
        }
        return out
    }

    static func summary(_ flags: [RuleFlag]) -> String { flags.map(\.summary).joined(separator: "; ") }

    /// Every reason of a seat, one a line; a group's say whose they are.
    static func whyLines(_ seat: Seat) -> [String] {
        seat.members.flatMap { m in
            m.reasons.map { whyIndent + "- " + (seat.members.count > 1 ? shown(m.contractID) + ": " : "") + shown($0) }
        }
    }

    /// A summary line broken at spaces to fit `width` (continuations indented two spaces).
    static func wrapped(_ line: String, width: Int) -> [String] {
        guard line.count > width else { return [line] }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count > width, !current.isEmpty {
                lines.append(current)
                current = "  " + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines
    }
}
