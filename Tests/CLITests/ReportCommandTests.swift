import Foundation
import Testing

/// `cmrg report` on the bundled sample: a self-contained page whose numbers agree with
/// `cmrg evaluate`, identical across runs, and one a real browser renders.
@Suite struct ReportCommandTests {
    let asOf = ["--as-of", "2026-12-03"]

    func report(_ extra: [String] = []) throws -> (html: String, path: URL) {
        let out = try CLI.temporaryDirectory().appendingPathComponent("report.html")
        let r = try CLI.run(["report", "--output", out.path] + asOf + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return (try String(contentsOf: out, encoding: .utf8), out)
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try CLI.run(arguments + ["--format", "json"] + asOf)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    /// The text of the element with `id`, up to its closing tag.
    func section(_ html: String, id: String, tag: String) -> Substring? {
        guard let start = html.range(of: "<\(tag) id=\"\(id)\"") else { return nil }
        guard let end = html.range(of: "</\(tag)>", range: start.upperBound..<html.endIndex) else { return nil }
        return html[start.lowerBound..<end.upperBound]
    }

    /// Contract ids in the order `html` shows them.
    func ids(_ html: some StringProtocol) -> [String] {
        html.components(separatedBy: "<span class=\"id\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The cells' texts of the table row showing `id`.
    func row(_ html: some StringProtocol, _ id: String) -> [String] {
        let text = String(html)
        guard let at = text.range(of: "<span class=\"id\">\(id)</span>") else { return [] }
        let start = text.range(of: "<tr", options: .backwards, range: text.startIndex..<at.lowerBound)!.lowerBound
        let end = text.range(of: "</tr>", range: at.upperBound..<text.endIndex)!.lowerBound
        return text[start..<end].components(separatedBy: "<td").dropFirst().map { cell in
            let inner = cell[cell.index(after: cell.firstIndex(of: ">")!)...]
            return String(inner.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression).prefix { $0 != "\n" })
        }
    }

    static let sections = [("summary", "The portfolio at a glance"), ("recent-reviews", "Reviews held in the last six months"),
                           ("themes", "Recurring findings"), ("plan", "Forward review plan"), ("coverage", "NAO framework coverage"),
                           ("follow-ups", "Follow-ups outstanding and overdue"), ("ending", "Contracts ending and ended"),
                           ("data-quality", "Data quality"), ("flags", "Flags from the rules"), ("priorities", "Highest priority contracts")]

    @Test func pageIsSelfContainedWithEverySectionInOrder() throws {
        let (html, _) = try report()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
        var last = html.startIndex
        for (id, heading) in Self.sections {
            let at = try #require(html.range(of: "<section id=\"\(id)\"><h2>\(heading)</h2>"), "section \(id)")
            #expect(at.lowerBound > last, "\(id) in order")
            last = at.lowerBound
        }
        #expect(html.range(of: "<footer id=\"provenance\"><h2>Provenance</h2>")!.lowerBound > last)
        // No scripts, no external resources: the only URL is the SVG namespace name.
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("@import"))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "https?://", options: .regularExpression) == nil)
        // Every chart is an accessible image with a title and a text alternative.
        for chart in ["chart-tier-count", "chart-tier-value", "chart-expiry", "chart-themes"] {
            #expect(html.contains("id=\"\(chart)\" role=\"img\" aria-labelledby=\"\(chart)-title \(chart)-desc\""))
        }
        // Printable on A4: a page per section, headers repeated, rows never split.
        for rule in ["@page{size:A4;", "section,footer#provenance{break-before:page;", "thead{display:table-header-group}",
                     "tr,figure,.card,li{break-inside:avoid}"] {
            #expect(html.contains(rule), "\(rule)")
        }
    }

    @Test func numbersMatchEvaluate() throws {
        let (html, _) = try report()
        let evaluate = try json(["evaluate"])
        let contracts = evaluate["contracts"] as! [[String: Any]]
        let tiers = contracts.map { $0["tier"] as! String }
        let summary = try #require(section(html, id: "summary", tag: "section"))
        #expect(summary.contains("<span class=\"number\">\(contracts.count)</span><span class=\"what\">contracts</span>"))
        for tier in ["Gold", "Silver", "Bronze"] {
            let n = tiers.filter { $0 == tier }.count
            #expect(summary.contains("<span class=\"number\">\(n)</span><span class=\"what\">\(tier) ("), "\(tier) count \(n)")
        }
        // The priority table lists the top 15 in evaluate's rank order.
        #expect(ids(try #require(section(html, id: "priority-table", tag: "table"))) == contracts.prefix(15).map { $0["id"] as! String })
        // The flags: every flag evaluate gives, one row each.
        let flagged = contracts.filter { !($0["flags"] as! [Any]).isEmpty }
        #expect(summary.contains("<span class=\"number\">\(flagged.count)</span><span class=\"what\">contracts flagged</span>"))
        let flags = try #require(section(html, id: "flags-table", tag: "table"))
        #expect(Set(ids(flags)) == Set(flagged.map { $0["id"] as! String }))
        #expect(ids(flags).count == flagged.map { ($0["flags"] as! [Any]).count }.reduce(0, +))
        #expect(row(flags, "C-007") == ["2027-01-05", "C-007 ERP replacement - implementation partner", "Gold", "KPI assessment due by 2027-01-05", "rules/flags.lua:42"])
        // Provenance: the same hashes as the JSON output.
        let provenance = evaluate["provenance"] as! [String: String]
        let footer = try #require(section(html, id: "provenance", tag: "footer"))
        #expect(footer.contains(provenance["rules_sha256"]!))
        #expect(footer.contains(provenance["input_sha256"]!))
        #expect(footer.contains("as of 2026-12-03"))
    }

    @Test func planFollowUpsAndEndedMatchPlanOutput() throws {
        let (html, _) = try report()
        let plan = try json(["plan"])
        let meetings = plan["meetings"] as! [[String: Any]]
        let planned = meetings.flatMap { m in (m["reviews"] as! [[String: Any]]).map { (m["date"] as! String, $0) } }
        #expect(planned.count == 27)
        let table = try #require(section(html, id: "plan-table", tag: "table"))
        #expect(ids(table) == planned.map { $0.1["id"] as! String })
        #expect(row(table, "C-072") == ["2027-03-09", "C-072 County Hall refurbishment - main contractor", "Head of Property", "Gold", "2026-06-30", "late: review-by date passed"])
        for (date, review) in planned {
            #expect(row(table, review["id"] as! String).last == review["main_reason"] as? String)
            #expect(table.contains(">\(date)</td>"), "meeting \(date)")
        }
        let left = try #require(section(html, id: "not-planned-table", tag: "table"))
        #expect(ids(left) == (plan["not_planned"] as! [[String: Any]]).prefix(20).map { $0["id"] as! String })

        let owed = plan["follow_ups_owed"] as! [[String: Any]]
        let followUps = try #require(section(html, id: "follow-ups-table", tag: "table"))
        #expect(ids(followUps) == owed.map { $0["id"] as! String })
        let overdue = owed.filter { $0["overdue"] as! Bool }.count
        #expect(html.contains("<p>\(owed.count) follow-ups owed by past reviews (rated Red or Amber, or with a follow-up date), \(overdue) overdue (due before the next meeting, 2026-12-15); 1 overdue one has no place in the plan.</p>"))
        #expect(row(followUps, "C-033") == ["2026-10-07", "C-033 Children&#39;s residential placements framework", "2026-04-07", "Amber", "OVERDUE",
                                            "not planned: audit deferred: on the 2026/27 internal audit plan, so not reviewed before 2027-04-01"])
        #expect(row(followUps, "C-050").suffix(2) == ["OVERDUE", "planned 2026-12-15"])

        let ended = (plan["not_planned"] as! [[String: Any]]).filter { $0["why"] as? String == "ended" }.map { $0["id"] as! String }
        #expect(Set(ids(try #require(section(html, id: "ended-table", tag: "table")))) == Set(ended))
        let ending = try #require(section(html, id: "ending-table", tag: "table"))
        #expect(ids(ending).count == 20)
        #expect(row(ending, "C-072") == ["2027-06-30", "C-072 County Hall refurbishment - main contractor", "Gold", "Head of Property", "none"] || !ids(ending).contains("C-072"))

        let recent = try #require(section(html, id: "recent-reviews-table", tag: "table"))
        #expect(ids(recent) == ["C-050", "C-014", "C-037", "C-046"])
        #expect(row(recent, "C-050") == ["2026-06-30", "C-050 Leisure centres management (five centres)", "Head of Culture and Leisure", "Red", "managing relationships, payment &amp; incentives, risk"])
        let themes = try #require(section(html, id: "themes", tag: "section"))
        #expect(themes.contains("16 deep reviews recorded, from 2024-11-12 to 2026-11-03; outcomes Red 4, Amber 9, Green 3."))
        #expect(themes.contains("id=\"chart-themes\""))
    }

    @Test func dataQualityCountsTheGaps() throws {
        let (html, _) = try report()
        let table = try #require(section(html, id: "data-quality-table", tag: "table"))
        #expect(table.contains("<td>Tiers resting on an assumed risk or complexity</td><td class=\"num\">3</td><td>2 Silver, 1 Bronze; risk not assessed 3, complexity not assessed 2: C-036, C-044, C-067</td>"))
        #expect(table.contains("<td>No end date</td><td class=\"num\">1</td><td>C-077</td>"))
        #expect(table.contains("<td>No lead officer</td><td class=\"num\">0</td><td>none</td>"))
        #expect(table.contains("<td>No whole-life value</td><td class=\"num\">1</td><td>C-066</td>"))
        #expect(table.contains("<td>Placeholder values (0 or 0.01)</td><td class=\"num\">1</td><td>C-061 (£0)</td>"))
        #expect(html.contains("3 of 77 tiers rest on a risk or complexity the rules assume, because the register gives none: see Data quality."))
        // An OCDS register gives no risk at all: every tier rests on an assumption, and the report says so.
        let ocds = try report(["--portfolio", "samples/ocds/contracts-finder-sample.json"]).html
        #expect(ocds.contains("Every tier (29 of 29) rests on a risk or complexity the rules assume"))
        #expect(ocds.contains("<td>Every tier rests on an assumed risk or complexity (none recorded)</td><td class=\"num\">29</td>"))
    }

    /// The heat map against a history fixture: months since each area was last reviewed.
    @Test func naoCoverageHeatMapFromAHistoryFixture() throws {
        let fixture = CLI.repoRoot.appendingPathComponent("Tests/Fixtures/coverage-reviews.csv").path
        let (html, _) = try report(["--history", fixture])
        let map = try #require(section(html, id: "coverage-table", tag: "table"))
        let never = Array(repeating: "never", count: 11)
        func cells(_ id: String) -> [String] { Array(row(map, id).dropFirst(2)) }
        // Areas in framework order: planning & governance, people, administration; managing
        // relationships, managing performance, payment & incentives, risk; contract development,
        // supplier development; supplier relationship management, market management.
        #expect(cells("C-004") == ["never", "never", "never", "never", "12", "24", "12", "never", "never", "never", "never"])
        #expect(cells("C-023") == Array(repeating: "2", count: 11))
        #expect(cells("C-040") == Array(never.dropLast()) + ["41"])
        #expect(cells("C-037") == never)
        #expect(map.contains("<td class=\"m-due\" data-area=\"payment &amp; incentives\">24</td>"))
        #expect(map.contains("<td class=\"m-old\" data-area=\"market management\">41</td>"))
        // Gold rows first, then Silver; Bronze and ended contracts are not in it.
        let evaluate = try json(["evaluate"])["contracts"] as! [[String: Any]]
        let gold = evaluate.filter { $0["tier"] as? String == "Gold" }.map { $0["id"] as! String }
        let silver = evaluate.filter { $0["tier"] as? String == "Silver" }.map { $0["id"] as! String }
        #expect(ids(map) == gold + silver)
        let rows = ids(map).count
        #expect(map.contains("<tfoot><tr><td colspan=\"2\">Never reviewed</td><td class=\"num\">\(rows - 1)</td><td class=\"num\">\(rows - 1)</td><td class=\"num\">\(rows - 1)</td><td class=\"num\">\(rows - 1)</td><td class=\"num\">\(rows - 2)</td><td class=\"num\">\(rows - 2)</td><td class=\"num\">\(rows - 2)</td><td class=\"num\">\(rows - 1)</td><td class=\"num\">\(rows - 1)</td><td class=\"num\">\(rows - 1)</td><td class=\"num\">\(rows - 2)</td></tr></tfoot>"))
        let recent = try #require(section(html, id: "recent-reviews-table", tag: "table"))
        #expect(ids(recent) == ["C-023"])
    }

    /// Negative factors are drawn differently from positive ones: hatched, left of zero, named.
    @Test func negativeFactorsAreDrawnDifferently() throws {
        let (html, _) = try report()
        let start = try #require(html.range(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar\" role=\"img\" id=\"factors-3\""))
        let bar = html[start.lowerBound..<html.range(of: "</svg>", range: start.upperBound..<html.endIndex)!.upperBound]
        #expect(bar.contains("aria-label=\"Factors of C-021: expiry 35, risk 32, value 27.6, member 25, audit -20 (takes points off), strategic 20, complexity 15\""))
        #expect(bar.contains("<pattern id=\"factors-3-neg4\""))
        // Positive segments are solid; the negative one is hatched, outlined, and left of zero (x 0).
        #expect(bar.contains("<rect x=\"29.6\" y=\"0\" width=\"51.9\" height=\"14\" fill=\"#8e44ad\"><title>expiry 35</title></rect>"))
        #expect(bar.contains("<rect x=\"0\" y=\"0.5\" width=\"29.6\" height=\"13\" fill=\"url(#factors-3-neg4)\" stroke=\"#1f5f8b\" class=\"negative\"><title>audit -20 (takes points off)</title></rect>"))
        #expect(html.contains("<li><span class=\"swatch negative\"></span>takes points off (audit)</li>"))
    }

    @Test func byteIdenticalAcrossRuns() throws {
        let first = try report().html
        let second = try report(["--jobs", "1"]).html
        #expect(first == second)
    }

    @Test func registerTextIsEscaped() throws {
        let dir = try CLI.temporaryDirectory()
        let register = dir.appendingPathComponent("portfolio.csv")
        try (EvaluateCommandTests.header
            + "C-1,<script>alert(1)</script> & \"quotes\",,,,,1000000,,,2027-06-30,,3,3,,,\n")
            .write(to: register, atomically: true, encoding: .utf8)
        let (html, _) = try report(["--portfolio", register.path])
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
    }

    /// Skipped (not passed) without chromium and poppler-utils (pdfinfo, pdftotext); CI installs
    /// them and sets CMRG_REQUIRE_BROWSER, so there the test runs and fails if either is missing.
    @Test(.enabled(if: (Browser.path != nil && Browser.pdfTools != nil) || Browser.required,
                   "needs chromium and poppler-utils (or CMRG_REQUIRE_BROWSER=1)"))
    func rendersInARealBrowser() throws {
        let chromium = try #require(Browser.path, "chromium is required but not installed")
        let (_, path) = try report()
        let dom = try Browser.run(chromium, ["--dump-dom", path.absoluteString])
        #expect(dom.status == 0, "\(dom.stderr)")
        for chart in ["chart-tier-count", "chart-tier-value", "chart-expiry", "chart-themes"] {
            #expect(dom.stdout.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"\(chart)\""), "\(chart) in the DOM")
        }
        let table = try #require(section(dom.stdout, id: "priority-table", tag: "table"))
        #expect(table.components(separatedBy: "<tr>").count - 1 == 16) // header + 15 rows
        let png = path.deletingLastPathComponent().appendingPathComponent("report.png")
        let shot = try Browser.run(chromium, ["--window-size=1200,2000", "--screenshot=\(png.path)", path.absoluteString])
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.count > 10_000)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))

        // Printed to PDF as a committee member would: A4, every section starting a page.
        let tools = try #require(Browser.pdfTools, "pdfinfo and pdftotext (poppler-utils) are required but not installed")
        let pdf = path.deletingLastPathComponent().appendingPathComponent("report.pdf")
        let printed = try Browser.run(chromium, ["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", path.absoluteString])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(try Data(contentsOf: pdf).prefix(5) == Data("%PDF-".utf8))
        let info = try Browser.run(tools.info, [pdf.path], plain: true).stdout
        #expect(info.contains("(A4)"), "\(info)")
        let pages = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.split(separator: " ").last!) })
        // A page for each of the 10 sections and the provenance, at least; the sample's plan,
        // heat map and tables take some more, and nothing runs away.
        #expect(pages >= Self.sections.count + 1 && pages <= 30, "\(pages) pages")
        let text = try (1...pages).map { page in
            try Browser.run(tools.text, ["-f", "\(page)", "-l", "\(page)", "-layout", pdf.path, "-"], plain: true).stdout
        }
        func firstLine(_ page: String) -> String {
            page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        }
        // Each section heading opens its own page, in order (the summary under the title).
        var previous = 0
        for (i, heading) in (Self.sections.map(\.1) + ["Provenance"]).enumerated() {
            let page = try #require(i == 0 ? text.firstIndex { $0.contains(heading) } : text.firstIndex { firstLine($0) == heading },
                                    "\(heading) opens a page") + 1
            #expect(page > previous, "\(heading) on page \(page), after page \(previous)")
            if i == 0 { #expect(page == 1 && firstLine(text[0]) == "Contract Management Review Group: update") }
            previous = page
        }
        // A table that runs over pages repeats its header: every page of the heat map starts with it.
        let coverage = text.firstIndex { firstLine($0) == "NAO framework coverage" }!
        let followUps = text.firstIndex { firstLine($0) == "Follow-ups outstanding and overdue" }!
        #expect(followUps - coverage >= 2, "the sample's heat map takes more than one page")
        for page in (coverage + 1)..<followUps {
            #expect(firstLine(text[page]).hasPrefix("Structure") || firstLine(text[page]).hasPrefix("Contract"), "page \(page + 1)")
            #expect(text[page].contains("Delivery") && text[page].contains("Strategy"))
        }
    }
}

/// Headless Chromium from Debian's `chromium` package.
enum Browser {
    static var required: Bool { ProcessInfo.processInfo.environment["CMRG_REQUIRE_BROWSER"] != nil }

    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// poppler-utils' pdfinfo and pdftotext (Debian package `poppler-utils`), if installed.
    static var pdfTools: (info: String, text: String)? {
        let info = "/usr/bin/pdfinfo", text = "/usr/bin/pdftotext"
        guard FileManager.default.isExecutableFile(atPath: info), FileManager.default.isExecutableFile(atPath: text) else { return nil }
        return (info, text)
    }

    /// Runs chromium headless, or with `plain` any other tool as it is.
    static func run(_ binary: String, _ arguments: [String], plain: Bool = false) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        process.arguments = plain ? arguments : ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                 "--user-data-dir=\(try CLI.temporaryDirectory().path)"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                          stderr: String(decoding: errData, as: UTF8.self))
    }
}
