/// Loads the canonical portfolio CSV (DESIGN.md): `id` and `title` columns required, the other
/// canonical columns optional and in any order, every other column kept as an extra.
/// Columns in messages are 1-based CSV column numbers.
final class CanonicalCSVSource: ContractSource {
    enum Role {
        case field(CanonicalField)
        case extra(Int)
    }

    let format = PortfolioFormat.csv
    let path: String
    let extraColumns: [String]
    let idColumn: Int
    var notices: [InputIssue] { [] }
    private let tokenizer: CSVTokenizer
    private let roles: [Role]
    private let names: [String]
    private let endColumn: Int
    private let maxEndColumn: Int

    /// `header` is the row `tokenizer` has just read (see `readHeader`).
    init(path: String, tokenizer: CSVTokenizer, header: [String]) throws(PortfolioError) {
        self.path = path
        self.tokenizer = tokenizer
        var roles: [Role] = []
        var extras: [String] = []
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let column = index + 1
            if name.isEmpty {
                throw .fatal(InputIssue(path, tokenizer.recordLine, column, "column \(column) of the header has no name"), "invalid header")
            }
            if let first = seen[name] {
                throw .fatal(InputIssue(path, tokenizer.recordLine, column, "column \"\(name)\" appears twice in the header (also column \(first))"), "invalid header")
            }
            seen[name] = column
            if let field = CanonicalField(rawValue: name) {
                roles.append(.field(field))
            } else {
                roles.append(.extra(extras.count))
                extras.append(name)
            }
        }
        for required in ["id", "title"] where seen[required] == nil {
            throw .fatal(InputIssue(path, tokenizer.recordLine, 0,
                "the header has no \"\(required)\" column (a canonical portfolio needs id and title)"), "invalid header")
        }
        self.roles = roles
        self.names = header
        self.extraColumns = extras
        self.idColumn = seen["id"]!
        self.endColumn = seen[CanonicalField.endDate.column] ?? 0
        self.maxEndColumn = seen[CanonicalField.maxEndDate.column] ?? 0
    }

    /// The header row's names, trimmed of surrounding spaces.
    static func readHeader(path: String, tokenizer: CSVTokenizer) throws(PortfolioError) -> [String] {
        guard try tokenizer.nextRecord() else {
            throw .fatal(InputIssue(path, 1, 0, "the file is empty; expected a header row"), "no header")
        }
        if let problem = tokenizer.problem {
            throw .fatal(InputIssue(path, tokenizer.recordLine, problem.column, problem.message), "invalid header")
        }
        var names: [String] = []
        for i in 0..<tokenizer.fieldCount {
            // Registers saved by Excel may be Windows-1252; their values are handled per format.
            let name = tokenizer.string(i) ?? Windows1252.decode(tokenizer.unescapedBytes(i))
            names.append(name.trimmingSpaces)
        }
        return names
    }

    func next() throws(PortfolioError) -> SourceRow? {
        let t = tokenizer
        guard try t.nextRecord() else { return nil }
        let line = t.recordLine
        if let problem = t.problem {
            return .invalid([InputIssue(path, line, problem.column, problem.message)])
        }
        guard t.fieldCount == roles.count else {
            return .invalid([InputIssue(path, line, 0, "the row has \(t.fieldCount) fields but the header has \(roles.count)")])
        }
        var c = Contract(id: "", title: "", extras: [String?](repeating: nil, count: extraColumns.count),
                         origin: SourceLocation(file: path, line: line))
        var issues: [InputIssue] = []
        for index in 0..<roles.count {
            let column = index + 1
            switch roles[index] {
            case .extra(let k):
                c.extras[k] = text(index, line, &issues)
            case .field(let field):
                switch field {
                case .id, .title:
                    guard let value = text(index, line, &issues) else {
                        if t.string(index) != nil {
                            issues.append(InputIssue(path, line, column, "\(field.column) is blank (every contract needs one)"))
                        }
                        continue
                    }
                    if field == .id { c.id = value } else { c.title = value }
                case .supplier: c.supplier = text(index, line, &issues)
                case .directorate: c.directorate = text(index, line, &issues)
                case .leadOfficer: c.leadOfficer = text(index, line, &issues)
                case .category: c.category = text(index, line, &issues)
                case .memberSuggested: c.memberSuggested = text(index, line, &issues)
                case .auditPlanned: c.auditPlanned = text(index, line, &issues)
                case .valueTotal: c.valueTotal = typed(index, line, field, &issues, FieldParsing.plainDecimal)
                case .valueAnnual: c.valueAnnual = typed(index, line, field, &issues, FieldParsing.plainDecimal)
                case .startDate: c.startDate = typed(index, line, field, &issues, FieldParsing.isoDate)
                case .endDate: c.endDate = typed(index, line, field, &issues, FieldParsing.isoDate)
                case .maxEndDate: c.maxEndDate = typed(index, line, field, &issues, FieldParsing.isoDate)
                case .risk: c.risk = typed(index, line, field, &issues, FieldParsing.score)
                case .complexity: c.complexity = typed(index, line, field, &issues, FieldParsing.score)
                case .strategicImportance: c.strategicImportance = typed(index, line, field, &issues, FieldParsing.score)
                }
            }
        }
        issues += ContractChecks.dateOrder(c, file: path, line: line, endColumn: endColumn, maxEndColumn: maxEndColumn)
        return issues.isEmpty ? .contract(c) : .invalid(issues)
    }

    /// A text field: nil when blank (only spaces); an issue when not UTF-8.
    @inline(__always)
    private func text(_ index: Int, _ line: Int, _ issues: inout [InputIssue]) -> String? {
        let raw = tokenizer.bytes(index)
        if FieldParsing.trimmed(raw).isEmpty { return nil }
        guard let value = tokenizer.string(index) else {
            issues.append(InputIssue(path, line, index + 1, "\(names[index]) is not valid UTF-8 text"))
            return nil
        }
        return value
    }

    @inline(__always)
    private func typed<T>(_ index: Int, _ line: Int, _ field: CanonicalField, _ issues: inout [InputIssue],
                          _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        func check(_ value: UnsafeBufferPointer<UInt8>) -> T? {
            let trimmed = FieldParsing.trimmed(value)
            if trimmed.isEmpty { return nil }
            if let parsed = parse(trimmed) { return parsed }
            issues.append(InputIssue(path, line, index + 1,
                "\(field.column) \(FieldParsing.quoted(trimmed)) \(CanonicalCSVSource.expected(field))"))
            return nil
        }
        if tokenizer.isEscaped(index) {
            return tokenizer.unescapedBytes(index).withUnsafeBufferPointer { check($0) }
        }
        return check(tokenizer.bytes(index))
    }

    static func expected(_ field: CanonicalField) -> String {
        switch field {
        case .valueTotal, .valueAnnual: "is not an amount (plain decimal pounds, e.g. 1250000.50)"
        case .startDate, .endDate, .maxEndDate: "is not a date (YYYY-MM-DD)"
        case .risk, .complexity, .strategicImportance: "is not a score (a whole number 1 to 5, or blank)"
        default: "is not valid"
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let u = utf8
        guard let first = u.firstIndex(where: { !FieldParsing.isSpace($0) }) else { return "" }
        let last = u.lastIndex(where: { !FieldParsing.isSpace($0) })!
        return String(self[first...last])
    }
}
