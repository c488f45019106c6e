import Portfolio
import RuleEngine
import UseCases
import Workers

/// Output formats of `cmrg evaluate`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown

    /// The same format for summaries; nil for JSON, which shows every factor and reason and
    /// is rendered from the evaluations.
    public var summaryFormat: SummaryFormat? {
        switch self {
        case .table: .table
        case .csv: .csv
        case .markdown: .markdown
        case .json: nil
        }
    }
}

/// The formats that show no trail, in which summaries can be rendered.
public enum SummaryFormat: Sendable {
    case table, csv, markdown
}

/// Renders ranked evaluations in each format. Pure functions of their input: the same
/// evaluations and provenance give byte-identical text.
public enum EvaluationRenderer {
    public static func render(_ ranked: RankedEvaluations, as format: OutputFormat, width: Int = TableWidth.fallback) -> String {
        switch format {
        case .table: table(ranked, width: width)
        case .csv: csv(ranked)
        case .json: json(ranked)
        case .markdown: markdown(ranked)
        }
    }

    /// Renders summaries in a format that needs no trail (table, CSV, Markdown), row by row
    /// into `out`. Same bytes as rendering the evaluations they summarise.
    /// `jobs` threads render CSV side by side (other formats are rendered by one).
    public static func render(_ ranked: RankedSummaries, as format: SummaryFormat, width: Int = TableWidth.fallback, jobs: Int = 1,
                              to out: OutputBuffer) {
        switch format {
        case .table: table(ranked, tierCounts: ranked.tierCounts, asOf: ranked.provenance.asOf, width: width, to: out)
        case .csv: csv(ranked, jobs: jobs, to: out)
        case .markdown: markdown(ranked, provenance: ranked.provenance, to: out)
        }
    }

    static func topFactors(_ e: Evaluation, count: Int = 3) -> String {
        e.topFactors.prefix(count).map { "\($0.name) \(formatPoints($0.points))" }.joined(separator: ", ")
    }

    public static func table(_ ranked: RankedEvaluations, width: Int = TableWidth.fallback) -> String {
        let out = OutputBuffer()
        table(ranked, tierCounts: ranked.tierCounts, asOf: ranked.provenance.asOf, width: width, to: out)
        return out.text
    }

    /// The evaluate table: ids and titles as wide as they need, within `width`; top factors
    /// and flags give up room first, then long ids (shortened in the middle,
    /// "ocds-b5fd17…bcc569de6670"), then titles. The Flags column is there when a contract has one.
    static func tableLayout(flags: Bool) -> TextTable {
        TextTable(
            columns: [.init(header: "Rank", rightAligned: true), .init(header: "ID", cut: .middle), .init(header: "Title"),
                      .init(header: "Tier"), .init(header: "Score", rightAligned: true), .init(header: "Top factors")]
                + (flags ? [.init(header: "Flags", wraps: true, itemSeparator: "; ")] : []),
            shrinking: [.init(column: 6, floor: 48), .init(column: 5, floor: 28), .init(column: 1, floor: 24),
                        .init(column: 2, floor: 40), .init(column: 6, floor: 32), .init(column: 2, floor: 30),
                        .init(column: 6, floor: 16), .init(column: 5, floor: 16),
                        .init(column: 1, floor: 12), .init(column: 2, floor: 12), .init(column: 5, floor: 8),
                        .init(column: 6, floor: 8)])
    }

    static func table(_ rows: some RankedRows, tierCounts counts: [Tier: Int], asOf: String, width: Int, to out: OutputBuffer) {
        let flagged = rows.anyFlagged
        let layout = tableLayout(flags: flagged)
        func cells(_ row: RankedRow) -> [String] {
            [String(row.rank), row.string(row.id), row.string(row.title), row.tier.rawValue,
             formatPoints(row.score), row.string(row.topFactors)] + (flagged ? [row.string(row.flags)] : [])
        }
        // Measure every row, then format them: a million rows are never held as text.
        var natural = layout.columns.map(\.header.count)
        var flaggedCount = 0
        for position in 0..<rows.count {
            rows.withRow(position) { row in
                for (col, text) in cells(row).enumerated() { natural[col] = max(natural[col], text.count) }
                if !row.flags.isEmpty { flaggedCount += 1 }
            }
        }
        let widths = layout.fit(natural, width: width)
        for line in layout.headerLines(widths) { out.append(line + "\n") }
        for position in 0..<rows.count {
            rows.withRow(position) { row in
                for line in layout.rowLines(cells(row), widths) { out.append(line + "\n") }
            }
            out.rowDone()
        }
        out.append("\n\(rows.count) contracts: " + Tier.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", "))
        out.append(" (as of \(asOf))\n")
        if flagged { out.append("\(flaggedCount) contract\(flaggedCount == 1 ? "" : "s") flagged by the rules\n") }
    }

    public static func csv(_ ranked: RankedEvaluations) -> String {
        let out = OutputBuffer()
        csv(ranked, to: out)
        return out.text
    }

    static let csvHeader = "rank,id,title,tier,score,top_factors,flags\n"

    static func csv(_ rows: some RankedRows, to out: OutputBuffer) {
        out.append(csvHeader)
        var block: [UInt8] = []
        block.reserveCapacity(1 << 16)
        for start in stride(from: 0, to: rows.count, by: 256) {
            block.removeAll(keepingCapacity: true)
            appendCSVRows(rows, start..<min(start + 256, rows.count), to: &block)
            block.withUnsafeBufferPointer { out.append($0) }
            out.rowDone()
        }
    }

    /// The CSV of many summaries, blocks of rows rendered side by side on `jobs` threads (the
    /// rows are read in rank order from all over memory, so rendering waits on memory more
    /// than it computes), written in order. Same bytes as `csv(_:to:)`.
    static func csv(_ ranked: RankedSummaries, jobs: Int, block csvBlock: Int = csvBlock, to out: OutputBuffer) {
        guard jobs > 1, ranked.count > 2 * csvBlock else { return csv(ranked, to: out) }
        out.append(csvHeader)
        var start = 0
        OrderedWorkers.run(
            workers: Array(repeating: (), count: jobs),
            next: { () throws(Never) -> Range<Int>? in
                guard start < ranked.count else { return nil }
                defer { start += csvBlock }
                return start..<min(start + csvBlock, ranked.count)
            },
            work: { _, rows in
                var block: [UInt8] = []
                block.reserveCapacity(rows.count * 96)
                appendCSVRows(ranked, rows, to: &block)
                return block
            },
            consume: { (block: [UInt8]) throws(Never) in
                block.withUnsafeBufferPointer { out.append($0) }
                out.rowDone()
            })
    }

    static let csvBlock = 16_384

    static func appendCSVRows(_ rows: some RankedRows, _ positions: Range<Int>, to line: inout [UInt8]) {
        let comma = UInt8(ascii: ",")
        for position in positions {
            rows.withRow(position) { row in
                PointsFormat.appendInteger(Int64(row.rank), to: &line)
                line.append(comma)
                CSVQuoting.append(row.id, to: &line)
                line.append(comma)
                CSVQuoting.append(row.title, to: &line)
                line.append(comma)
                line.append(contentsOf: row.tier.rawValue.utf8)
                line.append(comma)
                PointsFormat.append(row.score, to: &line)
                line.append(comma)
                CSVQuoting.append(row.topFactors, to: &line)
                line.append(comma)
                CSVQuoting.append(row.flags, to: &line)
                line.append(UInt8(ascii: "\n"))
            }
        }
    }

    public static func markdown(_ ranked: RankedEvaluations) -> String {
        let out = OutputBuffer()
        markdown(ranked, provenance: ranked.provenance, to: out)
        return out.text
    }

    static func markdown(_ rows: some RankedRows, provenance p: Provenance, to out: OutputBuffer) {
        let flagged = rows.anyFlagged
        out.append("| Rank | ID | Title | Tier | Score | Top factors |" + (flagged ? " Flags |" : "")
                   + "\n|---:|---|---|---|---:|---|" + (flagged ? "---|" : "") + "\n")
        for position in 0..<rows.count {
            rows.withRow(position) { row in
                out.append("| \(row.rank) | \(md(row.string(row.id))) | \(md(row.string(row.title))) | \(row.tier.rawValue) | \(formatPoints(row.score)) | \(md(row.string(row.topFactors))) |"
                           + (flagged ? " \(md(row.string(row.flags))) |" : "") + "\n")
            }
            out.rowDone()
        }
        out.append("\nAs of \(p.asOf). Rules `\(p.rulesDirectory)` sha256 `\(p.rulesSHA256)`; input `\(p.inputPath)` sha256 `\(p.inputSHA256)`.\n")
    }

    public static func json(_ ranked: RankedEvaluations) -> String {
        let w = JSONWriter()
        w.object {
            w.key("provenance")
            provenance(ranked.provenance, into: w)
            w.key("contracts")
            w.array {
                for row in ranked.rows {
                    let e = row.evaluation
                    w.object {
                        w.field("rank", row.rank)
                        w.field("id", e.contractID)
                        w.field("title", e.title)
                        w.field("tier", e.tier.rawValue)
                        w.field("score", e.score)
                        w.key("factors")
                        w.array {
                            for f in e.factors {
                                w.object {
                                    w.field("name", f.name)
                                    w.field("points", f.points)
                                    w.field("text", f.text)
                                    w.field("rule", f.location?.description)
                                }
                            }
                        }
                        w.key("flags")
                        flags(e.flags, into: w)
                        w.key("reasons")
                        w.array {
                            for r in e.reasons {
                                w.object {
                                    w.field("text", r.text)
                                    w.field("rule", r.location?.description)
                                    w.field("in", r.entryPoint.rawValue)
                                }
                            }
                        }
                    }
                }
            }
        }
        return w.text + "\n"
    }

    /// A list of flags as JSON: name, text, due (null when none) and the rule.
    public static func flags(_ flags: [RuleFlag], into w: JSONWriter) {
        w.array {
            for f in flags {
                w.object {
                    w.field("name", f.name)
                    w.field("text", f.text)
                    w.field("due", f.due?.iso)
                    w.field("rule", f.location?.description)
                }
            }
        }
    }

    /// The `provenance` object; `more` adds a command's own fields after the common ones.
    public static func provenance(_ p: Provenance, into w: JSONWriter, more: () -> Void = {}) {
        w.object {
            w.field("tool", "cmrg \(p.toolVersion)")
            w.field("as_of", p.asOf)
            w.field("rules", p.rulesDirectory)
            w.field("rules_sha256", p.rulesSHA256)
            w.field("input", p.inputPath)
            w.field("input_sha256", p.inputSHA256)
            more()
        }
    }
}

func clip(_ s: String, _ width: Int) -> String {
    s.count <= width ? s : String(s.prefix(max(0, width - 1))) + "…"
}

/// A Markdown table cell: bars escaped, line breaks as spaces, control characters escaped.
func md(_ s: String) -> String { shown(s.replacingAll("\n", with: " ")).replacingAll("|", with: "\\|") }

/// Text from rules or a register as a terminal, table or Markdown output shows it: control
/// characters escaped (TerminalText).
func shown(_ s: String) -> String { TerminalText.escaped(s) }

/// A whole text output of several lines made safe for a terminal: every control character
/// but line feeds and tabs escaped (the renderers that quote rule text in many places).
func terminalSafe(_ text: String) -> String { TerminalText.escaped(text, keepingLineBreaks: true) }

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }

    var trailingSpacesTrimmed: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// One row of a ranked output, whatever it was ranked from (bytes valid during the call).
struct RankedRow {
    var rank: Int
    var id: UnsafeBufferPointer<UInt8>
    var title: UnsafeBufferPointer<UInt8>
    var tier: Tier
    var score: Double
    var topFactors: UnsafeBufferPointer<UInt8>
    /// The flags' summaries joined with "; " (empty when none).
    var flags: UnsafeBufferPointer<UInt8>

    /// The text of a field as the table and Markdown show it: control characters escaped
    /// (TerminalText), so a title cannot drive the terminal.
    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String { TerminalText.escaped(String(decoding: bytes, as: UTF8.self)) }
}

/// What the table, CSV and Markdown renderers read: rows in rank order.
protocol RankedRows {
    var count: Int { get }
    func withRow<R>(_ position: Int, _ body: (RankedRow) -> R) -> R
}

extension RankedRows {
    /// Whether any row has a flag (the table and Markdown then show a Flags column).
    var anyFlagged: Bool {
        for position in 0..<count where withRow(position, { !$0.flags.isEmpty }) { return true }
        return false
    }
}

extension RankedEvaluations: RankedRows {
    var count: Int { rows.count }

    func withRow<R>(_ position: Int, _ body: (RankedRow) -> R) -> R {
        let row = rows[position]
        let e = row.evaluation
        var id = e.contractID, title = e.title, top = EvaluationRenderer.topFactors(e)
        var flags = e.flags.map(\.summary).joined(separator: "; ")
        return id.withUTF8 { id in
            title.withUTF8 { title in
                top.withUTF8 { top in
                    flags.withUTF8 { flags in
                        body(RankedRow(rank: row.rank, id: id, title: title, tier: e.tier, score: e.score, topFactors: top,
                                       flags: flags))
                    }
                }
            }
        }
    }
}
