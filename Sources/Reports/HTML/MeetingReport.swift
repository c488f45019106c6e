import History
import Planner
import Portfolio
import RuleEngine
import UseCases

/// `cmrg report`: the CMRG update to the committee as one self-contained HTML page (no
/// scripts, no network, inline CSS and SVG), printable on A4 — each section on a new page,
/// table headers repeated. Sections in the order a committee paper has them: summary
/// figures, reviews held in the last six months, recurring findings, the forward plan, NAO
/// framework coverage, follow-ups, contracts ending and ended, data quality, the rules'
/// flags, then the priority table and provenance. A pure function of its input.
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
        /// The numbers behind the sections.
        public var update: CMRGUpdate
        public init(ranked: RankedEvaluations, contracts: [Contract], plan: ForwardPlan?, reviews: [Review],
                    historySource: String?, top: Int = 15) {
            self.ranked = ranked
            self.contracts = Dictionary(contracts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            self.plan = plan
            self.reviews = reviews
            self.historySource = historySource
            self.top = top
            let asOf = ContractDate(iso: ranked.provenance.asOf) ?? .today
            update = CMRGUpdate(evaluations: ranked.rows.map(\.evaluation), contracts: contracts, plan: plan,
                                reviews: reviews, asOf: asOf)
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
    /// Contract ids listed in one data-quality line before "and N more".
    static let idsShown = 40

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
                w.element("title", text: "CMRG update: contract reviews and forward plan, as of \(p.asOf)")
                w.element("style") { w.raw(ReportStyle.stylesheet) }
            }
            w.newline()
            w.element("body") {
                w.element("header") {
                    w.element("h1", text: "Contract Management Review Group: update")
                    w.element("p", ["class": "subtitle"], text: "Reviews held, forward plan and contract management assurance, as of \(p.asOf)")
                }
                w.element("main") {
                    for section in [summary, recentReviews, themes, forwardPlan, coverage, followUps, endingAndEnded,
                                    dataQuality, flags, priorities] {
                        section(input, w)
                        w.newline()
                    }
                }
                provenance(input, w)
            }
        }
        w.newline()
        return w.text
    }

    static func provenance(_ input: Input, _ w: HTMLWriter) {
        let p = input.ranked.provenance
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
            if let source = input.historySource { w.element("p", text: "Review history: \(source).") }
            w.element("p", text: "Every figure comes from these files: the same rule pack, register, history and date give the same page.")
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

    static func outcomeCell(_ w: HTMLWriter, _ outcome: ReviewOutcome) {
        w.element("td") { w.element("span", ["class": "rag rag-\(outcome.rawValue.lowercased())"], text: outcome.rawValue) }
    }

    /// "C-001, C-002 and 3 more" for long lists.
    static func ids(_ ids: [String]) -> String {
        guard !ids.isEmpty else { return "none" }
        let shown = ids.prefix(idsShown).joined(separator: ", ")
        return ids.count > idsShown ? shown + " and \(ids.count - idsShown) more (cmrg evaluate --format csv lists every contract)" : shown
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
}
