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
        let required = CanonicalField.all.filter(\.isRequired).map(\.column)
        for column in required where seen[column] == nil {
            throw .fatal(InputIssue(path, tokenizer.recordLine, 0,
                "the header has no \"\(column)\" column (a canonical portfolio needs \(required.joined(separator: " and ")))"),
                "invalid header")
        }
        self.roles = roles
        self.names = header
        self.extraColumns = extras
        self.idColumn = seen[CanonicalField.id.column]!
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
                if FieldParsing.trimmed(t.bytes(index)).isEmpty {
                    if field.isRequired {
                        issues.append(InputIssue(path, line, column, "\(field.column) is blank (every contract needs one)"))
                    }
                } else if let value = value(index, line, field, &issues) {
                    field.set(value, in: &c)
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

    /// A cell that is not blank, read as canonical CSV spells its field's kind.
    @inline(__always)
    private func value(_ index: Int, _ line: Int, _ field: CanonicalField, _ issues: inout [InputIssue]) -> FieldValue? {
        switch field.kind {
        case .text:
            text(index, line, &issues).map { .text($0) }
        case .money:
            typed(index, line, field, "is not an amount (plain decimal pounds, e.g. 1250000.50)", &issues) {
                FieldParsing.plainDecimal($0).map { .money($0) }
            }
        case .date:
            typed(index, line, field, "is not a date (YYYY-MM-DD)", &issues) { FieldParsing.isoDate($0).map { .date($0) } }
        case .level:
            typed(index, line, field, "is not a score (a whole number 1 to 5, or blank)", &issues) {
                FieldParsing.score($0).map { .level($0) }
            }
        }
    }

    /// A typed cell parsed without its surrounding spaces; an issue saying what was `expected`
    /// when it does not parse.
    @inline(__always)
    private func typed(_ index: Int, _ line: Int, _ field: CanonicalField, _ expected: String, _ issues: inout [InputIssue],
                       _ parse: (UnsafeBufferPointer<UInt8>) -> FieldValue?) -> FieldValue? {
        func check(_ cell: UnsafeBufferPointer<UInt8>) -> FieldValue? {
            let trimmed = FieldParsing.trimmed(cell)
            if let parsed = parse(trimmed) { return parsed }
            issues.append(InputIssue(path, line, index + 1, "\(field.column) \(FieldParsing.quoted(trimmed)) \(expected)"))
            return nil
        }
        if tokenizer.isEscaped(index) {
            return tokenizer.unescapedBytes(index).withUnsafeBufferPointer { check($0) }
        }
        return check(tokenizer.bytes(index))
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
