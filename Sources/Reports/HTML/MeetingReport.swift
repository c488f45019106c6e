import History
import Planner
import Portfolio
import RuleEngine
import UseCases

/// `cmrg report`: one self-contained HTML page for the CMRG and councillors: no scripts, no
/// network, inline CSS and SVG, readable when printed. A pure function of its input.
public enum MeetingReport {
    public struct Input: Sendable {
        public var ranked: RankedEvaluations
        /// The contracts, by id, for values and end dates.
        public var contracts: [String: Contract]
        public var plan: ForwardPlan?
        /// Past deep reviews, for the history summary.
        public var reviews: [Review]
        /// Where the review history came from, in words.
        public var historySource: String?
        /// How many contracts the priority table shows.
        public var top: Int
        public init(ranked: RankedEvaluations, contracts: [Contract], plan: ForwardPlan?, reviews: [Review],
                    historySource: String?, top: Int = 15) {
            self.ranked = ranked
            self.contracts = Dictionary(contracts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            self.plan = plan
            self.reviews = reviews
            self.historySource = historySource
            self.top = top
        }
    }

    /// A planning session's plan with the evaluations it was made from.
    public static func render(_ outcome: PlanningSession.Outcome, _ portfolio: EvaluatedPortfolio, top: Int) -> String {
        render(Input(ranked: RankedEvaluations(portfolio.evaluations, provenance: outcome.report.provenance),
                     contracts: portfolio.contracts, plan: outcome.report.plan, reviews: outcome.reviews,
                     historySource: outcome.report.history, top: top))
    }

    /// Not-planned rows shown; a national register can leave thousands out.
    static let notPlannedShown = 20

    static let tierColour: [Tier: String] = [.gold: "#b58500", .silver: "#6b7b8c", .bronze: "#9c5a2e"]
    static let factorPalette = ["#1f5f8b", "#c0392b", "#8e44ad", "#16a085", "#d35400", "#2c3e50", "#7f8c8d", "#27ae60", "#e67e22", "#34495e"]

    public static func render(_ input: Input) -> String {
        let w = HTMLWriter()
        let p = input.ranked.provenance
        w.raw("<!DOCTYPE html>\n")
        w.element("html", ["lang": "en-GB"]) {
            w.element("head") {
                w.empty("meta", ["charset": "utf-8"])
                w.empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                w.element("title", text: "CMRG contract selection and forward plan, as of \(p.asOf)")
                w.element("style") { w.raw(stylesheet) }
            }
            w.newline()
            w.element("body") {
                w.element("header") {
                    w.element("h1", text: "Contract Management Review Group")
                    w.element("p", ["class": "subtitle"], text: "Contract selection and forward review plan, as of \(p.asOf)")
                }
                w.element("main") {
                    summary(input, w)
                    w.newline()
                    expiry(input, w)
                    w.newline()
                    forwardPlan(input, w)
                    w.newline()
                    priorities(input, w)
                    w.newline()
                    notPlanned(input, w)
                    w.newline()
                    history(input, w)
                    w.newline()
                }
                w.element("footer", ["id": "provenance"]) {
                    w.element("h2", text: "Provenance")
                    w.element("p") {
                        w.write("Produced by cmrg \(p.toolVersion) as of \(p.asOf). Rule pack ")
                        w.element("code", text: p.rulesDirectory)
                        w.write(" SHA-256 ")
                        w.element("code", ["class": "hash"], text: p.rulesSHA256)
                        w.write("; register ")
                        w.element("code", text: p.inputPath)
                        w.write(" SHA-256 ")
                        w.element("code", ["class": "hash"], text: p.inputSHA256)
                        w.write(".")
                    }
                }
            }
        }
        w.newline()
        return w.text
    }

    // MARK: sections

    static func summary(_ input: Input, _ w: HTMLWriter) {
        let rows = input.ranked.rows
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
        w.element("section", ["id": "summary"]) {
            w.element("h2", text: "The portfolio at a glance")
            w.element("div", ["class": "cards"]) {
                card(w, "\(rows.count)", "contracts")
                card(w, shortMoney(total), "whole-life value")
                for tier in Tier.allCases {
                    card(w, "\(count[tier, default: 0])", "\(tier.rawValue) (\(shortMoney(value[tier, default: 0])))", tier: tier)
                }
                if let plan = input.plan { card(w, "\(plan.placements.count)", "reviews planned") }
            }
            if unknownValue > 0 {
                w.element("p", ["class": "note"], text: "\(unknownValue) contract\(unknownValue == 1 ? " has" : "s have") no recorded value and \(unknownValue == 1 ? "is" : "are") not in the value totals.")
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

    static func expiry(_ input: Input, _ w: HTMLWriter) {
        guard let start = ContractDate(iso: input.ranked.provenance.asOf) else { return }
        let end = start.adding(months: 24)
        let days = start.days(until: end)
        var points: [SVGCharts.TimelinePoint] = []
        var listed: [(ContractDate, Evaluation)] = []
        for row in input.ranked.rows {
            let e = row.evaluation
            guard let date = input.contracts[e.contractID]?.endDate, date >= start, date <= end else { continue }
            listed.append((date, e))
        }
        listed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.contractID < $1.1.contractID }
        for (date, e) in listed {
            points.append(.init(day: start.days(until: date), lane: Tier.allCases.firstIndex(of: e.tier)!,
                                label: "\(e.contractID) \(e.title): \(e.tier.rawValue), ends \(date.iso)", colour: tierColour[e.tier]!))
        }
        var ticks: [(day: Int, label: String)] = []
        var month = ContractDate(year: start.components.year, month: start.components.month, day: 1)!.adding(months: 1)
        while month <= end {
            let (y, m, _) = month.components
            ticks.append((start.days(until: month), m == 1 || ticks.isEmpty ? "\(monthNames[m - 1]) \(y)" : monthNames[m - 1]))
            month = month.adding(months: 3)
        }
        w.element("section", ["id": "expiry"]) {
            w.element("h2", text: "Contracts ending in the next 24 months")
            w.element("p", text: "\(listed.count) contracts end between \(start.iso) and \(end.iso). A review is most useful while there is still time to shape the decision to re-procure or extend.")
            w.element("figure") {
                w.raw(SVGCharts.timeline(points, lanes: Tier.allCases.map(\.rawValue), days: days, monthTicks: ticks,
                                         id: "chart-expiry", title: "Contract end dates over the next 24 months, by tier",
                                         description: listed.map { "\($0.1.contractID) \($0.1.tier.rawValue) ends \($0.0.iso)" }.joined(separator: "; ")))
                w.element("figcaption", text: "Each dot is a contract at its end date; hover or tap a dot for its name.")
            }
            let soon = listed.filter { $0.0 <= start.adding(months: 6) }
            if !soon.isEmpty {
                table(w, id: "expiry-table", caption: "Ending in the next 6 months",
                      headers: ["Ends", "Contract", "Tier", "Months left", "Lead officer"]) {
                    for (date, e) in soon {
                        w.element("tr") {
                            w.element("td", ["class": "date"], text: date.iso)
                            w.element("td") { contractCell(w, e.contractID, e.title) }
                            tierCell(w, e.tier)
                            w.element("td", ["class": "num"], text: "\(start.days(until: date) * 12 / 365)")
                            w.element("td", text: input.contracts[e.contractID]?.leadOfficer ?? "not named")
                        }
                    }
                }
            }
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
                return
            }
            w.element("p", text: "\(plan.placements.count) deep reviews at \(plan.meetings.count) meetings from \(plan.start.iso) to \(plan.horizonEnd.adding(days: -1).iso). Every review is placed at a meeting before its review-by date, while it can still influence the decision to re-procure or extend, unless the plan marks it late (its review-by date had already passed).")
            table(w, id: "plan-table", caption: "Deep reviews by meeting",
                  headers: ["Meeting", "Contract", "Tier", "Lead officer", "Why selected", "Review by"]) {
                var previous: ContractDate?
                for r in plan.placements {
                    w.element("tr", previous != r.meeting && previous != nil ? ["class": "new-meeting"] : [:]) {
                        w.element("td", ["class": "date"], text: previous == r.meeting ? "" : r.meeting.iso)
                        w.element("td") { contractCell(w, r.contractID, r.title) }
                        tierCell(w, r.tier)
                        w.element("td", text: r.leadOfficer ?? "not named")
                        w.element("td", text: ((r.jointWithAudit ? ["joint review with internal audit"] : []) + r.reasons.prefix(3)).joined(separator: "; "))
                        w.element("td", ["class": "date"], text: r.reviewBy?.iso ?? "")
                    }
                    previous = r.meeting
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
        let scale = rows.map { $0.evaluation.factors.filter { $0.points > 0 }.reduce(0) { $0 + $1.points } }.max() ?? 1
        w.element("section", ["id": "priorities"]) {
            w.element("h2", text: "Highest priority contracts")
            w.element("p", text: "The \(rows.count) highest-scoring of \(input.ranked.rows.count) contracts. The score is the sum of the factors set in the rule pack; the bar shows where the points come from.")
            w.element("ul", ["class": "legend"]) {
                for name in names {
                    w.element("li") {
                        w.element("span", ["class": "swatch", "style": "background:\(colour[name]!)"], text: "")
                        w.write(name)
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
                                                       title: "Factors of \(e.contractID): " + e.topFactors.map { "\($0.name) \(formatPoints($0.points))" }.joined(separator: ", ")))
                        }
                        w.element("td", text: e.topFactors.prefix(3).map { "\($0.name) \(formatPoints($0.points))" }.joined(separator: ", "))
                    }
                }
            }
        }
    }

    static func notPlanned(_ input: Input, _ w: HTMLWriter) {
        guard let plan = input.plan else { return }
        w.element("section", ["id": "not-planned"]) {
            w.element("h2", text: "High-priority contracts not planned, and why")
            if plan.notPlanned.isEmpty {
                w.element("p", text: "Every high-priority contract has a place in the plan.")
                return
            }
            let hidden = plan.notPlanned.count - notPlannedShown
            w.element("p", text: hidden > 0
                ? "The \(notPlannedShown) highest-scoring of \(plan.notPlanned.count) contracts that were selected or scored high but have no place in the plan; cmrg plan lists them all."
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

    static func history(_ input: Input, _ w: HTMLWriter) {
        w.element("section", ["id": "history"]) {
            w.element("h2", text: "Review history")
            let reviews = input.reviews
            guard let first = reviews.map(\.meetingDate).min(), let last = reviews.map(\.meetingDate).max() else {
                w.element("p", ["class": "note"], text: "No past reviews are recorded.")
                return
            }
            let outcomes = ReviewOutcome.allCases.map { o in (o.rawValue, reviews.filter { $0.outcome == o }.count) }.filter { $0.1 > 0 }
            var sentence = "\(plural(reviews.count, "deep review")) recorded, from \(first.iso) to \(last.iso)"
            if !outcomes.isEmpty { sentence += "; outcomes " + outcomes.map { "\($0.0) \($0.1)" }.joined(separator: ", ") }
            w.element("p", text: sentence + ".")
            var themes: [String: Int] = [:]
            for review in reviews { for theme in Set(review.themes) { themes[theme, default: 0] += 1 } }
            let ranked = themes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let recurring = ranked.filter { $0.value > 1 }
            let once = ranked.filter { $0.value == 1 }.map(\.key)
            if !recurring.isEmpty {
                w.element("figure") {
                    w.raw(SVGCharts.horizontalBars(recurring.map {
                        .init(label: $0.key, value: Double($0.value), valueText: plural($0.value, "review"), colour: "#1f5f8b")
                    }, id: "chart-themes", title: "Findings themes across past reviews", width: 560, labelWidth: 170))
                    w.element("figcaption", text: "Findings themes raised by more than one past review")
                }
            }
            if !once.isEmpty { w.element("p", text: "Raised once: " + once.joined(separator: ", ") + ".") }
            if let source = input.historySource { w.element("p", ["class": "note"], text: "Source: \(source).") }
        }
    }

    // MARK: pieces

    static func card(_ w: HTMLWriter, _ number: String, _ label: String, tier: Tier? = nil) {
        w.element("div", tier.map { ["class": "card card-\($0.rawValue.lowercased())"] } ?? ["class": "card"]) {
            w.element("span", ["class": "number"], text: number)
            w.element("span", ["class": "what"], text: label)
        }
    }

    static func table(_ w: HTMLWriter, id: String, caption: String, headers: [String], rows: () -> Void) {
        w.element("table", ["id": id]) {
            w.element("caption", text: caption)
            w.element("thead") {
                w.element("tr") { for h in headers { w.element("th", ["scope": "col"], text: h) } }
            }
            w.element("tbody", [:], rows)
        }
    }

    static func contractCell(_ w: HTMLWriter, _ id: String, _ title: String) {
        w.element("span", ["class": "id"], text: id)
        w.write(" " + title)
    }

    static func tierCell(_ w: HTMLWriter, _ tier: Tier) {
        w.element("td") { w.element("span", ["class": "tier tier-\(tier.rawValue.lowercased())"], text: tier.rawValue) }
    }

    static func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// £1.2bn, £12.5m, £450k, £900.
    static func shortMoney(_ d: Double) -> String {
        let a = abs(d), sign = d < 0 ? "-" : ""
        if a >= 1e9 { return sign + "£" + String(oneDecimal: a / 1e9) + "bn" }
        if a >= 1e6 { return sign + "£" + String(oneDecimal: a / 1e6) + "m" }
        if a >= 1e3 { return sign + "£\(Int64((a / 1e3).rounded()))k" }
        return sign + "£\(Int64(a.rounded()))"
    }

    static let stylesheet = """
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;margin:0;line-height:1.45;background:#fff}
    header{background:#1f3a5f;color:#fff;padding:1.2rem 2rem}
    header h1{margin:0;font-size:1.6rem}
    .subtitle{margin:.2rem 0 0;opacity:.9}
    main{padding:0 2rem;max-width:1100px}
    section{margin:1.6rem 0;page-break-inside:avoid}
    h2{font-size:1.25rem;border-bottom:2px solid #1f3a5f;padding-bottom:.2rem}
    .cards{display:flex;flex-wrap:wrap;gap:.8rem}
    .card{border:1px solid #ccd;border-radius:6px;padding:.6rem .9rem;min-width:8rem}
    .card .number{display:block;font-size:1.5rem;font-weight:700}
    .card .what{font-size:.9rem;color:#444}
    .card-gold{border-left:6px solid #b58500}.card-silver{border-left:6px solid #6b7b8c}.card-bronze{border-left:6px solid #9c5a2e}
    .charts{display:flex;flex-wrap:wrap;gap:2rem}
    figure{margin:1rem 0}
    figcaption{font-size:.85rem;color:#555}
    svg text{font-size:12px;fill:#1b1b1b}
    svg .lane{stroke:#ddd}svg .tick{stroke:#eee}svg .zero{stroke:#000}
    table{border-collapse:collapse;width:100%;font-size:.92rem;margin:.5rem 0}
    caption{text-align:left;font-weight:600;padding:.3rem 0}
    th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
    th{background:#f0f3f7}
    tr.new-meeting td{border-top:2px solid #1f3a5f}
    td.date{white-space:nowrap}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    .id{font-family:ui-monospace,Menlo,Consolas,monospace;color:#1f3a5f;font-weight:600}
    .tier{display:inline-block;padding:0 .45rem;border-radius:3px;color:#fff;font-size:.85rem}
    .tier-gold{background:#b58500}.tier-silver{background:#6b7b8c}.tier-bronze{background:#9c5a2e}
    .legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem;font-size:.85rem}
    .swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle}
    .note{color:#555;font-style:italic}
    footer{padding:1rem 2rem;border-top:1px solid #ccc;font-size:.8rem;color:#444}
    footer h2{font-size:1rem;border:none}
    .hash{word-break:break-all}
    @media print{header{background:none;color:#000;border-bottom:2px solid #000}.tier{color:#000;border:1px solid #000;background:none!important}section{page-break-inside:avoid}}
    """
}
