import History
import Planner
import Portfolio
import RuleEngine
import UseCases

/// The report's first sections: summary figures, reviews held, recurring findings, the
/// forward plan.
extension MeetingReport {
    static func summary(_ input: Input, _ w: HTMLWriter) {
        let rows = input.ranked.rows
        let u = input.update
        var count: [Tier: Int] = [:], value: [Tier: Double] = [:]
        var total = 0.0, unknownValue = 0
        for row in rows {
            let e = row.evaluation
            count[e.tier, default: 0] += 1
            if let v = input.contracts[e.contractID]?.valueTotal {
                value[e.tier, default: 0] += v
                total += v
            } else {
                unknownValue += 1
            }
        }
        let overdue = u.followUps.filter(\.followUp.overdue).count
        w.element("section", ["id": "summary"]) {
            w.element("h2", text: "The portfolio at a glance")
            w.element("div", ["class": "cards"]) {
                card(w, "\(rows.count)", "contracts")
                card(w, shortMoney(total), "whole-life value")
                for tier in Tier.allCases {
                    card(w, "\(count[tier, default: 0])", "\(tier.rawValue) (\(shortMoney(value[tier, default: 0])))", tier: tier)
                }
                card(w, "\(u.recentReviews.count)", "reviews in the last 6 months")
                if let plan = input.plan { card(w, "\(plan.placements.count)", "reviews planned") }
                card(w, "\(u.followUps.count)", "follow-ups owed (\(overdue) overdue)")
                card(w, "\(u.endingSoon.count)", "ending in 6 months")
                card(w, "\(u.flagged.count)", "contracts flagged")
            }
            if unknownValue > 0 {
                w.element("p", ["class": "note"], text: "\(unknownValue) contract\(unknownValue == 1 ? " has" : "s have") no recorded value and \(unknownValue == 1 ? "is" : "are") not in the value totals.")
            }
            let assumed = u.dataQuality.eitherNotAssessed.count
            if assumed > 0 {
                w.element("p", ["class": "note"], text: assumed == rows.count
                    ? "Every tier (\(assumed) of \(rows.count)) rests on a risk or complexity the rules assume, because the register gives none: see Data quality."
                    : "\(assumed) of \(rows.count) tiers rest on a risk or complexity the rules assume, because the register gives none: see Data quality.")
            }
            w.element("div", ["class": "charts"]) {
                w.element("figure") {
                    w.raw(SVGCharts.horizontalBars(Tier.allCases.map {
                        .init(label: $0.rawValue, value: Double(count[$0, default: 0]), valueText: plural(count[$0, default: 0], "contract"), colour: tierColour[$0]!)
                    }, id: "chart-tier-count", title: "Contracts by tier"))
                    w.element("figcaption", text: "Number of contracts in each tier")
                }
                w.element("figure") {
                    w.raw(SVGCharts.horizontalBars(Tier.allCases.map {
                        .init(label: $0.rawValue, value: value[$0, default: 0], valueText: shortMoney(value[$0, default: 0]), colour: tierColour[$0]!)
                    }, id: "chart-tier-value", title: "Whole-life value by tier"))
                    w.element("figcaption", text: "Whole-life value of the contracts in each tier")
                }
            }
        }
    }

    static func recentReviews(_ input: Input, _ w: HTMLWriter) {
        let u = input.update
        w.element("section", ["id": "recent-reviews"]) {
            w.element("h2", text: "Reviews held in the last six months")
            guard !u.recentReviews.isEmpty else {
                w.element("p", text: "No deep reviews were held between \(u.recentFrom.adding(days: 1).iso) and \(u.asOf.iso).")
                return
            }
            let outcomes = ReviewOutcome.allCases.map { o in (o, u.recentReviews.filter { $0.outcome == o }.count) }.filter { $0.1 > 0 }
            w.element("p", text: "\(plural(u.recentReviews.count, "deep review")) from \(u.recentFrom.adding(days: 1).iso) to \(u.asOf.iso): "
                      + outcomes.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", ") + ".")
            table(w, id: "recent-reviews-table", caption: "Deep reviews held", headers: ["Date", "Contract", "Lead officer", "Outcome", "NAO areas covered"]) {
                for r in u.recentReviews {
                    w.element("tr") {
                        w.element("td", ["class": "date"], text: r.meetingDate.iso)
                        w.element("td") { contractCell(w, r.contractID, input.contracts[r.contractID]?.title ?? "(not in the register)") }
                        w.element("td", text: r.leadOfficer)
                        outcomeCell(w, r.outcome)
                        w.element("td", text: r.areas.map(\.rawValue).joined(separator: ", "))
                    }
                }
            }
        }
    }

    static func themes(_ input: Input, _ w: HTMLWriter) {
        w.element("section", ["id": "themes"]) {
            w.element("h2", text: "Recurring findings")
            let reviews = input.reviews
            guard let first = reviews.map(\.meetingDate).min(), let last = reviews.map(\.meetingDate).max() else {
                w.element("p", ["class": "note"], text: "No past reviews are recorded.")
                return
            }
            let outcomes = ReviewOutcome.allCases.map { o in (o.rawValue, reviews.filter { $0.outcome == o }.count) }.filter { $0.1 > 0 }
            var sentence = "\(plural(reviews.count, "deep review")) recorded, from \(first.iso) to \(last.iso)"
            if !outcomes.isEmpty { sentence += "; outcomes " + outcomes.map { "\($0.0) \($0.1)" }.joined(separator: ", ") }
            w.element("p", text: sentence + ".")
            let recurring = input.update.themes.filter { $0.count > 1 }
            let once = input.update.themes.filter { $0.count == 1 }.map(\.theme)
            if recurring.isEmpty {
                w.element("p", text: "No findings theme has been raised by more than one review.")
            } else {
                w.element("figure") {
                    w.raw(SVGCharts.horizontalBars(recurring.map {
                        .init(label: $0.theme, value: Double($0.count), valueText: plural($0.count, "review"), colour: "#1f5f8b")
                    }, id: "chart-themes", title: "Findings themes raised by more than one review", width: 560, labelWidth: 170))
                    w.element("figcaption", text: "Findings themes raised by more than one past review")
                }
            }
            if !once.isEmpty { w.element("p", text: "Raised once: " + once.joined(separator: ", ") + ".") }
            if let source = input.historySource { w.element("p", ["class": "note"], text: "Source: \(source).") }
        }
    }

    static func forwardPlan(_ input: Input, _ w: HTMLWriter) {
        w.element("section", ["id": "plan"]) {
            w.element("h2", text: "Forward review plan")
            guard let plan = input.plan else {
                w.element("p", ["class": "note"], text: "No forward plan was produced for this report.")
                return
            }
            if plan.placements.isEmpty {
                w.element("p", text: "No reviews are planned in the horizon.")
            } else {
                w.element("p", text: "\(plan.placements.count) deep reviews at \(plan.meetings.count) meetings from \(plan.start.iso) to \(plan.horizonEnd.adding(days: -1).iso). Every review is placed at a meeting before its review-by date, while it can still influence the decision to re-procure or extend, unless it is marked late (its review-by date had already passed).")
                table(w, id: "plan-table", caption: "Deep reviews by meeting",
                      headers: ["Meeting", "Contracts", "Lead officer", "Tier", "Review by", "Reason"]) {
                    var previous: ContractDate?
                    for seat in PlanTable.seats(plan) {
                        w.element("tr", previous != seat.meeting && previous != nil ? ["class": "new-meeting"] : [:]) {
                            w.element("td", ["class": "date"], text: previous == seat.meeting ? "" : seat.meeting.iso)
                            w.element("td") {
                                for (i, m) in seat.members.enumerated() {
                                    if i > 0 { w.raw("<br>") }
                                    contractCell(w, m.contractID, m.title)
                                }
                            }
                            w.element("td", text: seat.officers)
                            tierCell(w, seat.tier)
                            w.element("td", ["class": "date"], text: seat.reviewBy)
                            w.element("td", text: seat.lead.mainReason + (seat.lead.jointWithAudit ? "; joint with internal audit" : ""))
                        }
                        previous = seat.meeting
                    }
                }
            }
            notPlanned(plan, w)
        }
    }

    static func notPlanned(_ plan: ForwardPlan, _ w: HTMLWriter) {
        w.element("h3", text: "Considered but not planned")
        if plan.notPlanned.isEmpty {
            w.element("p", text: "Every selected or high-scoring contract has a place in the plan.")
            return
        }
        let hidden = plan.notPlanned.count - notPlannedShown
        w.element("p", text: hidden > 0
            ? "The first \(notPlannedShown) of \(plan.notPlanned.count) contracts selected or scoring high but without a place in the plan (overdue follow-ups first, then highest score); cmrg plan lists them all."
            : "\(plural(plan.notPlanned.count, "contract")) selected or scoring high but without a place in the plan.")
        table(w, id: "not-planned-table", caption: "Contracts considered but not planned",
              headers: ["Contract", "Tier", "Score", "Why not planned"]) {
            for n in plan.notPlanned.prefix(notPlannedShown) {
                w.element("tr") {
                    w.element("td") { contractCell(w, n.contractID, n.title) }
                    tierCell(w, n.tier)
                    w.element("td", ["class": "num"], text: formatPoints(n.score))
                    w.element("td", text: n.reason)
                }
            }
        }
    }
}
