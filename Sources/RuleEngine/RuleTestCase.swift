import LuaHost
import Portfolio

/// One case of a rule test file (`rules/tests/*.lua`):
///
///     case "large PFI is Gold" {
///       contract = { value_total = 180000000, risk = 2 },
///       tier = "Gold",
///       reason = "Gold: value",
///     }
public struct RuleTestCase: Sendable {
    public var name: String
    /// The test file and the line of `case "…"`.
    public var location: RuleLocation
    public var contract: Contract
    /// `contract.extra` columns, by name.
    public var extras: [String: String]
    /// The evaluation date of the case (`as_of`), nil = the run's date.
    public var asOf: ContractDate?
    public var expectations: [Expectation]

    public enum Expectation: Sendable, Equatable {
        case tier(Tier)
        case score(Expected)
        case factor(String, Expected)
        /// Some reason contains this text.
        case reason(String)
        /// Exactly these flags (by name, `[:]` = none), each text containing the given one
        /// (nil = any text).
        case flags([String: String?])
    }

    /// An expected number: equal as cmrg shows it (to one decimal), or within a range.
    public enum Expected: Sendable, Equatable, CustomStringConvertible {
        case equal(Double)
        case range(min: Double?, max: Double?)

        public func matches(_ actual: Double) -> Bool {
            switch self {
            case .equal(let x): abs(actual - x) < 0.05 + 1e-9
            case .range(let lo, let hi): (lo.map { actual >= $0 - 1e-9 } ?? true) && (hi.map { actual <= $0 + 1e-9 } ?? true)
            }
        }

        public var description: String {
            switch self {
            case .equal(let x): RuleTestCase.number(x)
            case .range(let lo?, let hi?): "\(RuleTestCase.number(lo)) to \(RuleTestCase.number(hi))"
            case .range(let lo?, nil): "at least \(RuleTestCase.number(lo))"
            case .range(nil, let hi?): "at most \(RuleTestCase.number(hi))"
            case .range(nil, nil): "any number"
            }
        }
    }

    /// Numbers as people read them: at most two decimals, no trailing zeros.
    static func number(_ d: Double) -> String {
        let rounded = (d * 100).rounded() / 100
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        guard abs(rounded) < 1e13 else { return String(points: d) } // too large for cents: "1e+300"
        var s = String(Int64((abs(rounded) * 100).rounded()))
        while s.count < 3 { s = "0" + s }
        s.insert(".", at: s.index(s.endIndex, offsetBy: -2))
        while s.hasSuffix("0") { s.removeLast() }
        return (rounded < 0 ? "-" : "") + s
    }
}

/// Something wrong with a test file or case itself (not with the rules), located.
public struct RuleTestProblem: Sendable, Equatable, CustomStringConvertible {
    public var location: RuleLocation
    /// The case's name, when the problem is in one case.
    public var caseName: String?
    public var message: String
    public var description: String { "\(location): " + (caseName.map { "case \"\($0)\": " } ?? "") + message }
}

/// Turns the tables a test file built into validated cases.
enum RuleTestCaseReader {
    static let specKeys = ["as_of", "contract", "factors", "flags", "reason", "score", "tier"]

    struct Invalid: Error { var message: String }

    /// The value of `blank` in test files.
    static let blankMarker = "\u{1}cmrg blank"


    /// A case from `spec` merged over the file's `defaults` (the contract field by field).
    static func read(name: String, location: RuleLocation, spec: LuaTable, defaults: LuaTable?) throws(Invalid) -> RuleTestCase {
        var entries: [String: LuaValue] = [:]
        for table in [defaults, spec].compactMap({ $0 }) {
            if !table.array.isEmpty { throw Invalid(message: "write every part as key = value (e.g. tier = \"Gold\")") }
            for entry in table.entries {
                guard case .string(let key) = entry.key else {
                    throw Invalid(message: "write every part as key = value (e.g. tier = \"Gold\")")
                }
                guard specKeys.contains(key) else { throw Invalid(message: unknown("key", key, among: specKeys)) }
                if key == "contract", case .table(let earlier)? = entries[key], case .table(let later) = entry.value {
                    entries[key] = .table(merge(earlier, later))
                } else {
                    entries[key] = entry.value
                }
            }
        }
        guard case .table(let fields)? = entries["contract"] else {
            throw Invalid(message: entries["contract"] == nil ? "contract = { ... } is missing" : "contract must be a table { field = value, ... }")
        }
        var (contract, extras) = try readContract(fields)
        if contract.id.isEmpty { contract.id = "\(RuleChanges.fileName(location.file)):\(location.line)" }
        if contract.title.isEmpty { contract.title = name }

        var asOf: ContractDate?
        if let value = entries["as_of"] {
            guard case .string(let text) = value, let date = ContractDate(iso: text) else {
                throw Invalid(message: "as_of must be a date \"YYYY-MM-DD\", got \(shown(value))")
            }
            asOf = date
        }

        var expectations: [RuleTestCase.Expectation] = []
        if let value = entries["tier"] {
            guard case .string(let text) = value, let tier = Tier(rawValue: text) else {
                throw Invalid(message: "tier must be \"Gold\", \"Silver\" or \"Bronze\", got \(shown(value))")
            }
            expectations.append(.tier(tier))
        }
        if let value = entries["score"] { expectations.append(.score(try expected(value, what: "score"))) }
        if let value = entries["factors"] {
            guard case .table(let t) = value, t.array.isEmpty else {
                throw Invalid(message: "factors must be a table { name = points, ... }, e.g. factors = { expiry = 35 }")
            }
            for entry in t.entries {
                guard case .string(let factor) = entry.key else {
                    throw Invalid(message: "factors must be a table { name = points, ... }, e.g. factors = { expiry = 35 }")
                }
                expectations.append(.factor(factor, try expected(entry.value, what: "factors.\(factor)")))
            }
        }
        if let value = entries["reason"] {
            switch value {
            case .string(let text): expectations.append(.reason(text))
            case .table(let t) where t.entries.isEmpty && t.array.allSatisfy({ $0.stringValue != nil }):
                expectations += t.array.map { .reason($0.stringValue!) }
            default: throw Invalid(message: "reason must be a text, or a list of texts, that the reasons contain")
            }
        }
        if let value = entries["flags"] {
            let form = "flags must be {} (none) or { name = \"text it contains\" (or true), ... }, e.g. flags = { kpis = \"no KPIs\" }"
            guard case .table(let t) = value, t.array.isEmpty else { throw Invalid(message: form) }
            var wanted: [String: String?] = [:]
            for entry in t.entries {
                guard case .string(let name) = entry.key else { throw Invalid(message: form) }
                switch entry.value {
                case .string(let text): wanted[name] = .some(text)
                case .boolean(true): wanted[name] = .some(nil)
                default: throw Invalid(message: form)
                }
            }
            expectations.append(.flags(wanted))
        }
        if expectations.isEmpty { throw Invalid(message: "nothing to check: give tier, score, factors, reason or flags") }
        return RuleTestCase(name: name, location: location, contract: contract, extras: extras, asOf: asOf,
                            expectations: expectations)
    }

    static func merge(_ a: LuaTable, _ b: LuaTable) -> LuaTable {
        var out = a
        for entry in b.entries {
            out.entries.removeAll { $0.key == entry.key }
            out.entries.append(entry)
        }
        return out
    }

    static func readContract(_ t: LuaTable) throws(Invalid) -> (Contract, [String: String]) {
        if !t.array.isEmpty { throw Invalid(message: "contract fields must be written as name = value") }
        var c = Contract(id: "", title: "")
        var extras: [String: String] = [:]
        for entry in t.entries {
            guard case .string(let field) = entry.key else { throw Invalid(message: "contract fields must be written as name = value") }
            let value = entry.value
            if value == .string(blankMarker) { continue } // `blank`: empty even when defaults set it
            if field == "extra" {
                guard case .table(let columns) = value, columns.array.isEmpty else {
                    throw Invalid(message: "contract field 'extra' must be a table of columns, e.g. extra = { contract_type = \"PFI\" }")
                }
                for column in columns.entries {
                    guard case .string(let name) = column.key, case .string(let text) = column.value else {
                        throw Invalid(message: "extra columns are text: write extra = { name = \"value\" }")
                    }
                    extras[name] = text
                }
                continue
            }
            guard let canonical = CanonicalField(rawValue: field) else {
                throw Invalid(message: unknown("contract field", field, among: RuleEvaluator.fieldNames + ["extra"]))
            }
            canonical.set(try fieldValue(value, of: canonical), in: &c)
        }
        return (c, extras)
    }

    /// A test's value for a contract field, as the rules would see it for the field's kind.
    static func fieldValue(_ value: LuaValue, of canonical: CanonicalField) throws(Invalid) -> FieldValue {
        let field = canonical.column
        switch canonical.kind {
        case .text:
            guard case .string(let text) = value else { throw Invalid(message: "contract field '\(field)' must be a text, got \(shown(value))") }
            return .text(text)
        case .money:
            guard let amount = value.doubleValue, amount.isFinite else {
                throw Invalid(message: "contract field '\(field)' must be an amount in pounds (a number), got \(shown(value))")
            }
            return .money(amount)
        case .date:
            guard case .string(let text) = value, let date = ContractDate(iso: text) else {
                throw Invalid(message: "contract field '\(field)' must be a date \"YYYY-MM-DD\", got \(shown(value))")
            }
            return .date(date)
        case .level:
            guard let level = value.intValue, (1...5).contains(level) else {
                throw Invalid(message: "contract field '\(field)' must be a whole number from 1 to 5, got \(shown(value))")
            }
            return .level(level)
        }
    }

    static func expected(_ value: LuaValue, what: String) throws(Invalid) -> RuleTestCase.Expected {
        if let x = value.doubleValue { return .equal(x) }
        if case .table(let t) = value, t.array.isEmpty, !t.entries.isEmpty,
           t.entries.allSatisfy({ ($0.key == .string("min") || $0.key == .string("max")) && $0.value.doubleValue != nil }) {
            return .range(min: t["min"].doubleValue, max: t["max"].doubleValue)
        }
        throw Invalid(message: "\(what) must be a number or a range { min = …, max = … }, got \(shown(value))")
    }

    static func unknown(_ what: String, _ name: String, among names: [String]) -> String {
        let nearest = NearestNames.closest(to: name, among: names, count: 1)
        return "unknown \(what) '\(name)'" + (nearest.first.map { " (did you mean '\($0)'?)" } ?? "")
    }

    static func shown(_ value: LuaValue) -> String {
        switch value {
        case .string(let s): "\"\(s)\""
        case .table: "a table"
        case .function: "a function"
        default: value.description
        }
    }
}
