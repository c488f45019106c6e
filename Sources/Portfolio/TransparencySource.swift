/// Loads a Local Government Transparency Code 2015 contracts register (CSV). Headings are
/// mapped by `TransparencyHeader`; values are read the way councils write them (see
/// `TransparencyValues`). Text that is not UTF-8 is read as Windows-1252 (Excel's export
/// encoding), with a notice.
final class TransparencySource: ContractSource {
    let format = PortfolioFormat.transparency
    let path: String
    let idColumn: Int
    var extraColumns: [String] { header.extraColumns }
    private(set) var notices: [InputIssue] = []
    private let tokenizer: CSVTokenizer
    private let header: TransparencyHeader
    private let endColumn: Int
    private let maxEndColumn: Int

    init(path: String, tokenizer: CSVTokenizer, header names: [String]) throws(PortfolioError) {
        self.path = path
        self.tokenizer = tokenizer
        header = TransparencyHeader(names)
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            if let first = seen[name] {
                throw .fatal(InputIssue(path, tokenizer.recordLine, index + 1,
                    "column \"\(name)\" appears twice in the header (also column \(first))"), "invalid header")
            }
            seen[name] = index + 1
        }
        for field in CanonicalField.all where field.isRequired && header.column(of: field) == nil {
            let what = field == .id ? "a reference" : "a " + field.column.replacingOccurrences(of: "_", with: " ")
            let heading = TransparencyHeader.aliases.first { $0.0 == field }?.1[0] ?? field.column
            throw .fatal(InputIssue(path, tokenizer.recordLine, 0,
                "no column holds \(what) (expected a heading such as \"\(heading.capitalizedWords)\")"), "invalid header")
        }
        idColumn = header.column(of: .id)!
        endColumn = header.column(of: .endDate) ?? 0
        maxEndColumn = header.column(of: .maxEndDate) ?? 0
    }

    func next() throws(PortfolioError) -> SourceRow? {
        let t = tokenizer
        guard try t.nextRecord() else { return nil }
        let line = t.recordLine
        if let problem = t.problem {
            return .invalid([InputIssue(path, line, problem.column, problem.message)])
        }
        // Spreadsheets drop trailing empty cells or add empty ones: only real surplus is an error.
        if t.fieldCount > header.roles.count,
           (header.roles.count..<t.fieldCount).contains(where: { !FieldParsing.trimmed(t.bytes($0)).isEmpty }) {
            return .invalid([InputIssue(path, line, header.roles.count + 1,
                "the row has \(t.fieldCount) fields but the header has \(header.roles.count)")])
        }
        var c = Contract(id: "", title: "", extras: [String?](repeating: nil, count: header.extraColumns.count),
                         origin: SourceLocation(file: path, line: line))
        var issues: [InputIssue] = []
        for index in 0..<min(t.fieldCount, header.roles.count) {
            let column = index + 1
            let text = self.text(index, line)
            func bad(_ expected: String) {
                issues.append(InputIssue(path, line, column, "\(header.headings[index]) \(FieldParsing.quotedText(text)) \(expected)"))
            }
            switch header.roles[index] {
            case .field(let field):
                if field.isRequired, text.isEmpty {
                    issues.append(InputIssue(path, line, column, "\(header.headings[index]) is blank (every contract needs one)"))
                    continue
                }
                switch field.kind {
                case .text:
                    field.set(.text(text.nonEmpty), in: &c)
                case .money:
                    guard !TransparencyValues.isBlank(text) else { continue }
                    guard let amount = TransparencyValues.money(text) else { bad(Self.moneyForm); continue }
                    field.set(.money(amount), in: &c)
                case .date:
                    guard !TransparencyValues.isBlank(text) else { continue }
                    guard let date = TransparencyValues.date(text) else { bad(Self.dateForm); continue }
                    field.set(.date(date), in: &c)
                case .level:
                    guard !TransparencyValues.isBlank(text) else { continue }
                    guard let level = TransparencyValues.level(text) else { bad(Self.levelForm); continue }
                    field.set(.level(level), in: &c)
                }
            case .ignored:
                if !text.isEmpty, !notices.contains(where: { $0.message.hasPrefix("a value under a column without a heading") }) {
                    notices.append(InputIssue(path, line, column, "a value under a column without a heading is ignored (first such cell)",
                                              kind: "value under a column without a heading ignored"))
                }
            case .extra(let k, let kind):
                guard !text.isEmpty else { continue }
                switch kind {
                case .text:
                    c.extras[k] = text
                case .flag:
                    c.extras[k] = TransparencyValues.flag(text)
                case .date:
                    guard !TransparencyValues.isBlank(text) else { continue }
                    guard let date = TransparencyValues.date(text) else { bad(Self.dateForm); continue }
                    c.extras[k] = date.iso
                case .money:
                    guard !TransparencyValues.isBlank(text) else { continue }
                    guard let amount = TransparencyValues.money(text) else { bad(Self.moneyForm); continue }
                    c.extras[k] = CanonicalCSVFormat.amount(amount)
                }
            }
        }
        issues += ContractChecks.dateOrder(c, file: path, line: line, endColumn: endColumn, maxEndColumn: maxEndColumn)
        return issues.isEmpty ? .contract(c) : .invalid(issues)
    }

    static let moneyForm = "is not an amount in pounds (e.g. £1,250,000.50 or 1250000.50)"
    static let dateForm = "is not a date (DD/MM/YYYY or YYYY-MM-DD)"
    static let levelForm = "is not a score (a whole number 1 to 5)"

    /// The cell as trimmed text; Windows-1252 when it is not UTF-8 (noticed once per file).
    private func text(_ index: Int, _ line: Int) -> String {
        if let text = tokenizer.string(index) { return text.trimmingSpaces }
        if !notices.contains(where: { $0.message.hasPrefix("text is not UTF-8") }) {
            notices.append(InputIssue(path, line, index + 1, "text is not UTF-8; read as Windows-1252 (first such cell)",
                                      kind: "text read as Windows-1252"))
        }
        return Windows1252.decode(tokenizer.unescapedBytes(index)).trimmingSpaces
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }

    /// "reference number" -> "Reference Number".
    var capitalizedWords: String {
        split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}

extension FieldParsing {
    static func quotedText(_ text: String) -> String {
        "\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
    }
}

/// Windows-1252, the encoding Excel uses for "CSV" on UK Windows machines.
enum Windows1252 {
    /// 0x80...0x9F differ from Latin-1; the rest of the upper half is Latin-1.
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func decode(_ bytes: [UInt8]) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
            text.append(Unicode.Scalar(value)!)
        }
        return String(text)
    }
}
