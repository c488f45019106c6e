import History
import Planner
import Portfolio
import RuleEngine
import UseCases

/// The assurance sections: NAO framework coverage of Gold and Silver contracts, and the
/// follow-ups reviews asked for.
extension MeetingReport {
    /// The framework's four blocks and their areas, in the framework's order.
    static let naoBlocks: [(String, [NAOArea])] = [
        ("Structure", [.planningAndGovernance, .people, .administration]),
        ("Delivery", [.managingRelationships, .managingPerformance, .paymentAndIncentives, .risk]),
        ("Development", [.contractDevelopment, .supplierDevelopment]),
        ("Strategy", [.supplierRelationshipManagement, .marketManagement]),
    ]

    /// A cell's class: reviewed within 12 months, 13-24, over 24, never.
    static func coverageClass(_ months: Int?) -> String {
        guard let months else { return "m-never" }
        return months <= 12 ? "m-recent" : months <= 24 ? "m-due" : "m-old"
    }

    static func coverage(_ input: Input, _ w: HTMLWriter) {
        let c = input.update.coverage
        w.element("section", ["id": "coverage"]) {
            w.element("h2", text: "NAO framework coverage")
            guard !c.rows.isEmpty else {
                w.element("p", text: "There are no live Gold or Silver contracts.")
                return
            }
            let reviewed = c.rows.filter { $0.lastReviewed != nil }.count
            let gaps = NAOArea.allCases.map { ($0, c.neverReviewed($0)) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            w.element("p", text: "How long ago each area of the National Audit Office's good-practice contract management framework was last covered by a deep review, for the \(c.rows.count) live Gold and Silver contracts (\(c.rows.filter { $0.tier == .gold }.count) Gold, \(c.rows.filter { $0.tier == .silver }.count) Silver), in whole months as of \(input.update.asOf.iso). \(reviewed) of them have had a deep review; the area least covered is \(gaps[0].0.rawValue), never reviewed for \(gaps[0].1).")
            w.element("ul", ["class": "legend"]) {
                for (cls, label) in [("m-recent", "reviewed within 12 months"), ("m-due", "13 to 24 months ago"),
                                     ("m-old", "over 24 months ago"), ("m-never", "never reviewed (shown as \u{201C}never\u{201D})")] {
                    w.element("li") {
                        w.element("span", ["class": "swatch \(cls)"], text: "")
                        w.write(label)
                    }
                }
            }
            w.element("table", ["id": "coverage-table", "class": "heatmap"]) {
                w.element("caption", text: "Months since each NAO framework area was last reviewed")
                w.element("thead") {
                    w.element("tr") {
                        w.element("th", ["scope": "col", "rowspan": "2", "class": "contract"], text: "Contract")
                        w.element("th", ["scope": "col", "rowspan": "2", "class": "tiercol"], text: "Tier")
                        for (block, areas) in naoBlocks { w.element("th", ["scope": "colgroup", "colspan": "\(areas.count)"], text: block) }
                    }
                    w.element("tr") {
                        for (_, areas) in naoBlocks { for area in areas { w.element("th", ["scope": "col", "class": "area"], text: area.rawValue) } }
                    }
                }
                w.element("tbody") {
                    for row in c.rows {
                        w.element("tr") {
                            w.element("td", ["class": "contract"]) { contractCell(w, row.contractID, row.title) }
                            tierCell(w, row.tier)
                            for (_, areas) in naoBlocks {
                                for area in areas {
                                    let months = row.months[area]
                                    w.element("td", ["class": coverageClass(months), "data-area": area.rawValue],
                                              text: months.map(String.init) ?? "never")
                                }
                            }
                        }
                    }
                }
                w.element("tfoot") {
                    w.element("tr") {
                        w.element("td", ["colspan": "2"], text: "Never reviewed")
                        for (_, areas) in naoBlocks {
                            for area in areas { w.element("td", ["class": "num"], text: "\(c.neverReviewed(area))") }
                        }
                    }
                }
            }
        }
    }

    static func followUps(_ input: Input, _ w: HTMLWriter) {
        let f = input.update.followUps
        w.element("section", ["id": "follow-ups"]) {
            w.element("h2", text: "Follow-ups outstanding and overdue")
            guard !f.isEmpty else {
                w.element("p", text: "No review has a follow-up outstanding.")
                return
            }
            let overdue = f.filter(\.followUp.overdue)
            let firstMeeting = input.plan?.meetings.first { $0.capacity > 0 }?.date
            let unplanned = overdue.filter { $0.meeting == nil }.count
            w.element("p", text: "\(plural(f.count, "follow-up")) owed by past reviews (rated Red or Amber, or with a follow-up date), \(overdue.count) overdue"
                      + (firstMeeting.map { " (due before the next meeting, \($0.iso))" } ?? "")
                      + (unplanned > 0 ? "; \(unplanned) overdue \(unplanned == 1 ? "one has" : "ones have") no place in the plan." : "; the plan takes every overdue one first."))
            table(w, id: "follow-ups-table", caption: "Follow-ups by due date",
                  headers: ["Due", "Contract", "Review", "Outcome", "Status", "In the plan"]) {
                for s in f {
                    w.element("tr") {
                        w.element("td", ["class": "date"], text: s.followUp.due.iso)
                        w.element("td") { contractCell(w, s.contractID, s.title) }
                        w.element("td", ["class": "date"], text: s.followUp.of.date.iso)
                        if let outcome = s.followUp.of.outcome.flatMap(ReviewOutcome.init(text:)) {
                            outcomeCell(w, outcome)
                        } else {
                            w.element("td", text: "")
                        }
                        if s.followUp.overdue {
                            w.element("td") { w.element("span", ["class": "overdue"], text: "OVERDUE") }
                        } else {
                            w.element("td", text: "outstanding")
                        }
                        w.element("td", text: s.meeting.map { "planned \($0.iso)" } ?? ("not planned: " + (s.notPlanned ?? "")))
                    }
                }
            }
        }
    }
}
