import RuleEngine

/// Output formats of `cmrg evaluate`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown
}

/// Renders ranked evaluations in each format. Pure functions of their input: the same
/// evaluations and provenance give byte-identical text.
public enum EvaluationRenderer {
    public static func render(_ ranked: RankedEvaluations, as format: OutputFormat, width: Int = 120) -> String {
        switch format {
        case .table: table(ranked, width: width)
        case .csv: csv(ranked)
        case .json: json(ranked)
        case .markdown: markdown(ranked)
        }
    }

    static func topFactors(_ e: Evaluation, count: Int = 3) -> String {
        e.topFactors.prefix(count).map { "\($0.name) \(formatPoints($0.points))" }.joined(separator: ", ")
    }

    public static func table(_ ranked: RankedEvaluations, width: Int = 120) -> String {
        let header = ["Rank", "ID", "Title", "Tier", "Score", "Top factors"]
        var rows = ranked.rows.map { row in
            [String(row.rank), row.evaluation.contractID, row.evaluation.title, row.evaluation.tier.rawValue,
             formatPoints(row.evaluation.score), topFactors(row.evaluation)]
        }
        rows.insert(header, at: 0)
        // Fixed columns take what they need; title and factors share the rest of the width.
        var widths = (0..<header.count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        let fixed = widths[0] + widths[1] + widths[3] + widths[4] + 2 * 5
        let flexible = max(20, width - fixed)
        let titleWidth = min(widths[2], max(12, flexible * 2 / 5))
        widths[2] = titleWidth
        widths[5] = min(widths[5], max(8, flexible - titleWidth))
        var out = ""
        for (i, row) in rows.enumerated() {
            let cells = row.enumerated().map { col, text -> String in
                let cut = clip(text, widths[col])
                let pad = String(repeating: " ", count: widths[col] - cut.count)
                return col == 0 || col == 4 ? pad + cut : cut + pad
            }
            out += cells.joined(separator: "  ").trailingSpacesTrimmed + "\n"
            if i == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        let counts = ranked.tierCounts
        out += "\n\(ranked.rows.count) contracts: " + Tier.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", ")
        out += " (as of \(ranked.provenance.asOf))\n"
        return out
    }

    public static func csv(_ ranked: RankedEvaluations) -> String {
        var out = "rank,id,title,tier,score,top_factors\n"
        for row in ranked.rows {
            let e = row.evaluation
            out += [String(row.rank), e.contractID, e.title, e.tier.rawValue, formatPoints(e.score), topFactors(e)]
                .map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    public static func markdown(_ ranked: RankedEvaluations) -> String {
        var out = "| Rank | ID | Title | Tier | Score | Top factors |\n|---:|---|---|---|---:|---|\n"
        for row in ranked.rows {
            let e = row.evaluation
            out += "| \(row.rank) | \(md(e.contractID)) | \(md(e.title)) | \(e.tier.rawValue) | \(formatPoints(e.score)) | \(md(topFactors(e))) |\n"
        }
        let p = ranked.provenance
        out += "\nAs of \(p.asOf). Rules `\(p.rulesDirectory)` sha256 `\(p.rulesSHA256)`; input `\(p.inputPath)` sha256 `\(p.inputSHA256)`.\n"
        return out
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

    public static func provenance(_ p: Provenance, into w: JSONWriter) {
        w.object {
            w.field("tool", "cmrg \(p.toolVersion)")
            w.field("as_of", p.asOf)
            w.field("rules", p.rulesDirectory)
            w.field("rules_sha256", p.rulesSHA256)
            w.field("input", p.inputPath)
            w.field("input_sha256", p.inputSHA256)
        }
    }
}

func clip(_ s: String, _ width: Int) -> String {
    s.count <= width ? s : String(s.prefix(max(0, width - 1))) + "…"
}

/// RFC 4180: quote fields with commas, quotes or line breaks; double inner quotes.
public func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
}

func md(_ s: String) -> String { s.replacingAll("|", with: "\\|").replacingAll("\n", with: " ") }

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
