import Planner
import Portfolio
import RuleEngine
import UseCases

/// The register sections: contracts ending and ended, data quality, the rules' flags, and
/// the priority table.
extension MeetingReport {
    static func endingAndEnded(_ input: Input, _ w: HTMLWriter) {
        let u = input.update
        let start = u.asOf, end = start.adding(months: 24)
        var listed: [(ContractDate, Evaluation)] = []
        for row in input.ranked.rows {
            let e = row.evaluation
            guard let date = input.contracts[e.contractID]?.endDate, date >= start, date <= end else { continue }
            listed.append((date, e))
        }
        listed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.contractID < $1.1.contractID }
        let points = listed.map { date, e in
            SVGCharts.TimelinePoint(day: start.days(until: date), lane: Tier.allCases.firstIndex(of: e.tier)!,
                                    label: "\(e.contractID) \(e.title): \(e.tier.rawValue), ends \(date.iso)", colour: tierColour[e.tier]!)
        }
        var ticks: [(day: Int, label: String)] = []
        var month = ContractDate(year: start.components.year, month: start.components.month, day: 1)!.adding(months: 1)
        while month <= end {
            let (y, m, _) = month.components
            ticks.append((start.days(until: month), m == 1 || ticks.isEmpty ? "\(monthNames[m - 1]) \(y)" : monthNames[m - 1]))
            month = month.adding(months: 3)
        }
        let tiers = Dictionary(input.ranked.rows.map { ($0.evaluation.contractID, $0.evaluation.tier) }, uniquingKeysWith: { a, _ in a })
        w.element("section", ["id": "ending"]) {
            w.element("h2", text: "Contracts ending and ended")
            w.element("p", text: "\(plural(u.endingSoon.count, "contract")) end in the next six months and \(u.ended.count) \(u.ended.count == 1 ? "has" : "have") ended (end date and every extension passed). \(listed.count) end in the next 24 months: a review is most useful while there is still time to shape the decision to re-procure or extend.")
            w.element("figure") {
                w.raw(SVGCharts.timeline(points, lanes: Tier.allCases.map(\.rawValue), days: start.days(until: end), monthTicks: ticks,
                                         id: "chart-expiry", title: "Contract end dates over the next 24 months, by tier",
                                         description: listed.isEmpty ? "No contract ends in the next 24 months."
                                             : listed.map { "\($0.1.contractID) \($0.1.tier.rawValue) ends \($0.0.iso)" }.joined(separator: "; ")))
                w.element("figcaption", text: "Each dot is a contract at its end date; the list below gives the next six months.")
            }
            table(w, id: "ending-table", caption: "Ending in the next 6 months",
                  headers: ["Ends", "Contract", "Tier", "Lead officer", "Extension available to"]) {
                for c in u.endingSoon {
                    w.element("tr") {
                        w.element("td", ["class": "date"], text: c.endDate!.iso)
                        w.element("td") { contractCell(w, c.id, c.title) }
                        tiers[c.id].map { tierCell(w, $0) } ?? w.element("td", text: "")
                        w.element("td", text: c.leadOfficer ?? "not named")
                        w.element("td", ["class": "date"], text: c.maxEndDate.flatMap { $0 > c.endDate! ? $0.iso : nil } ?? "none")
                    }
                }
            }
            if u.endingSoon.isEmpty { w.element("p", text: "No contract ends in the next six months.") }
            table(w, id: "ended-table", caption: "Ended: check how the service is now provided",
                  headers: ["Ended", "Contract", "Tier", "Lead officer", "In the register"]) {
                for c in u.ended {
                    w.element("tr") {
                        w.element("td", ["class": "date"], text: c.finalEndDate!.iso)
                        w.element("td") { contractCell(w, c.id, c.title) }
                        tiers[c.id].map { tierCell(w, $0) } ?? w.element("td", text: "")
                        w.element("td", text: c.leadOfficer ?? "not named")
                        w.element("td", text: "no successor recorded")
                    }
                }
            }
            if u.ended.isEmpty { w.element("p", text: "No contract in the register has ended.") }
        }
    }

    static func dataQuality(_ input: Input, _ w: HTMLWriter) {
        let q = input.update.dataQuality
        let byTier = Tier.allCases.compactMap { t in q.assumedByTier[t].map { "\($0) \(t.rawValue)" } }.joined(separator: ", ")
        w.element("section", ["id": "data-quality"]) {
            w.element("h2", text: "Data quality")
            w.element("p", text: "What in the register weakens the decisions above, to put right at source.")
            table(w, id: "data-quality-table", caption: "Gaps in the register", headers: ["Check", "Contracts", "Which"]) {
                func row(_ check: String, _ count: Int, _ which: String) {
                    w.element("tr") {
                        w.element("td", text: check)
                        w.element("td", ["class": "num"], text: "\(count)")
                        w.element("td", text: which)
                    }
                }
                let assumed = q.eitherNotAssessed.count
                row(assumed == q.total && assumed > 0
                        ? "Every tier rests on an assumed risk or complexity (none recorded)"
                        : "Tiers resting on an assumed risk or complexity",
                    assumed, assumed == 0 ? "none" : "\(byTier); risk not assessed \(q.riskNotAssessed.count), complexity not assessed \(q.complexityNotAssessed.count): " + ids(q.eitherNotAssessed))
                row("No end date", q.noEndDate.count, ids(q.noEndDate))
                row("No lead officer", q.noLeadOfficer.count, ids(q.noLeadOfficer))
                row("No whole-life value", q.noValue.count, ids(q.noValue))
                row("Placeholder values (0 or 0.01)", q.placeholderValues.count,
                    q.placeholderValues.isEmpty ? "none" : ids(q.placeholderValues.map { "\($0.id) (£\($0.value == 0 ? "0" : "0.01"))" }))
            }
            w.element("p", ["class": "note"], text: "A missing risk or complexity is not a low one: the rules decide what it counts as, and cmrg explain shows what each contract's tier would be with a recorded score.")
        }
    }

    static func flags(_ input: Input, _ w: HTMLWriter) {
        let flagged = input.update.flagged
        w.element("section", ["id": "flags"]) {
            w.element("h2", text: "Flags from the rules")
            guard !flagged.isEmpty else {
                w.element("p", text: "The rules flag no contract.")
                return
            }
            var names: [String: Int] = [:]
            for f in flagged.flatMap(\.evaluation.flags) { names[f.name, default: 0] += 1 }
            w.element("p", text: "\(plural(flagged.count, "contract")) flagged by the rule pack's flags(c) (duties and dates to act on; they do not change tiers or scores): "
                      + names.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".")
            table(w, id: "flags-table", caption: "Flags, earliest due first", headers: ["Due", "Contract", "Tier", "Flag", "Rule"]) {
                for (c, e) in flagged {
                    for f in e.flags {
                        w.element("tr") {
                            w.element("td", ["class": "date"], text: f.due?.iso ?? "")
                            w.element("td") { contractCell(w, c.id, c.title) }
                            tierCell(w, e.tier)
                            w.element("td", text: f.text)
                            w.element("td") { w.element("code", text: f.location?.description ?? "") }
                        }
                    }
                }
            }
        }
    }

    static func priorities(_ input: Input, _ w: HTMLWriter) {
        let rows = Array(input.ranked.rows.prefix(input.top))
        var names: [String] = []
        for row in rows { for f in row.evaluation.topFactors where !names.contains(f.name) { names.append(f.name) } }
        names.sort()
        let colour = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, factorPalette[$0 % factorPalette.count]) })
        let negative = Set(rows.flatMap { $0.evaluation.topFactors.filter { $0.points < 0 }.map(\.name) })
        let scale = rows.map { $0.evaluation.factors.filter { $0.points > 0 }.reduce(0) { $0 + $1.points } }.max() ?? 1
        w.element("section", ["id": "priorities"]) {
            w.element("h2", text: "Highest priority contracts")
            w.element("p", text: "The \(rows.count) highest-scoring of \(input.ranked.rows.count) contracts. The score is the sum of the factors set in the rule pack; the bar shows where the points come from, points taken off drawn hatched to the left of the line at zero.")
            w.element("ul", ["class": "legend"]) {
                for name in names {
                    w.element("li") {
                        w.element("span", ["class": "swatch", "style": "background:\(colour[name]!)"], text: "")
                        w.write(name)
                    }
                }
                if !negative.isEmpty {
                    w.element("li") {
                        w.element("span", ["class": "swatch negative"], text: "")
                        w.write("takes points off (" + negative.sorted().joined(separator: ", ") + ")")
                    }
                }
            }
            table(w, id: "priority-table", caption: "Contracts by priority score",
                  headers: ["Rank", "Contract", "Tier", "Score", "Factors", "Top factors"]) {
                for row in rows {
                    let e = row.evaluation
                    w.element("tr") {
                        w.element("td", ["class": "num"], text: "\(row.rank)")
                        w.element("td") { contractCell(w, e.contractID, e.title) }
                        tierCell(w, e.tier)
                        w.element("td", ["class": "num"], text: formatPoints(e.score))
                        w.element("td") {
                            w.raw(SVGCharts.stackedBar(e.topFactors.map { .init(name: $0.name, points: $0.points, colour: colour[$0.name]!) },
                                                       scale: scale, id: "factors-\(row.rank)",
                                                       title: "Factors of \(e.contractID): " + e.topFactors.map {
                                                           "\($0.name) \(formatPoints($0.points))" + ($0.points < 0 ? " (takes points off)" : "")
                                                       }.joined(separator: ", ")))
                        }
                        w.element("td", text: e.topFactors.prefix(3).map { "\($0.name) \(formatPoints($0.points))" }.joined(separator: ", "))
                    }
                }
            }
        }
    }
}
