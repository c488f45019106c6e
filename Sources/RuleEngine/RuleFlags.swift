import LuaHost
import Portfolio

/// Something the rules want a person to act on for one contract, from the pack's optional
/// `flags(c)`: a duty not met, a date coming up ("KPI assessment due by 2027-01-05").
/// Flags do not change tier or score; every output shows them.
public struct RuleFlag: Sendable, Equatable {
    /// A short stable name, e.g. "kpis" (for filters and rule tests).
    public var name: String
    /// What a person reads, e.g. "no KPIs recorded (at least 3 required)".
    public var text: String
    /// By when it needs doing, if the rule says.
    public var due: ContractDate?
    /// The `flags` function that returned it.
    public var location: RuleLocation?

    public init(name: String, text: String, due: ContractDate? = nil, location: RuleLocation? = nil) {
        self.name = name
        self.text = text
        self.due = due
        self.location = location
    }

    /// The text, with the due date when the text does not already say it:
    /// "no KPIs recorded (at least 3 required) (due 2026-04-01)".
    public var summary: String {
        guard let due, !text.contains(due.iso) else { return text }
        return text + " (due \(due.iso))"
    }
}

/// `flags(c)`'s result, checked as strictly as `tier` and `score`: a list (`{}` for none)
/// of at most `maxFlags` tables `{ name = "…", text = "…", due = "YYYY-MM-DD" }` (`due`
/// optional), nothing else in them; a mistake names the rule line and the contract.
enum FlagResults {
    static let maxFlags = 20
    static let maxNameBytes = 64
    static let maxTextBytes = 500
    static let fields = ["name", "text", "due"]
    static let shape = "{ name = \"…\", text = \"…\", due = \"YYYY-MM-DD\" }"

    static func flags(_ value: LuaValue, location: RuleLocation?, pack: RulePack, contract: Contract) throws(RuleError)
        -> [RuleFlag] {
        func problem(_ message: String, _ hint: String) -> RuleError {
            // A nil comes from a `return nil` when there is one, or from running off the end.
            let at = value.isNil ? EntryPointSource("flags", in: pack)?.location(ofReturning: .nil_) ?? location : location
            return RuleError(kind: .badReturn, location: at, message: message, contractID: contract.id,
                      contractTitle: contract.title, entryPoint: .flags, hint: hint)
        }
        guard case .table(let list) = value else {
            throw problem("flags(c) returned \(phrase(value)); expected a list of flags",
                          value.isNil ? "every path through flags(c) must end in return a list: return {} when there is nothing to flag"
                                      : "flags(c) must return a list such as { \(shape) }, or {} for none")
        }
        if let stray = list.entries.first {
            throw problem("flags(c) returned a table with the key \(key(stray.key)); expected a list of flags",
                          "put each flag in the list: return { \(shape), … }")
        }
        guard list.array.count <= maxFlags else {
            throw problem("flags(c) returned \(list.array.count) flags; at most \(maxFlags) per contract",
                          "say the same thing in fewer flags (a contract's flags are shown in every output)")
        }
        var out: [RuleFlag] = []
        for (i, item) in list.array.enumerated() {
            let which = "flag \(i + 1) of flags(c)"
            guard case .table(let t) = item, t.array.isEmpty else {
                throw problem("\(which) is \(phrase(item)); expected a table", "each flag is a table: \(shape)")
            }
            for entry in t.entries {
                guard let k = entry.key.stringValue, fields.contains(k) else {
                    let near = entry.key.stringValue.flatMap { NearestNames.closest(to: $0, among: fields, count: 1).first }
                    throw problem("\(which) has the key \(key(entry.key))" + (near.map { " (did you mean '\($0)'?)" } ?? ""),
                                  "a flag has only name, text and due: \(shape)")
                }
            }
            func text(_ field: String, max: Int) throws(RuleError) -> String {
                let v = t[field]
                guard case .string(let s) = v, !s.trimmingWhitespace().isEmpty else {
                    throw problem("\(which) has \(v.isNil ? "no \(field)" : "\(field) \(phrase(v))"); expected some text",
                                  "each flag needs a name and a text: \(shape)")
                }
                guard s.utf8.count <= max else {
                    throw problem("\(which) has a \(field) of \(s.utf8.count) bytes; at most \(max)",
                                  "keep flag \(field == "name" ? "names" : "texts") short: every output shows them")
                }
                return s
            }
            let name = try text("name", max: maxNameBytes)
            let shown = try text("text", max: maxTextBytes)
            var due: ContractDate?
            switch t["due"] {
            case .nil: due = nil
            case .string(let s):
                guard let date = ContractDate(iso: s) else {
                    throw problem("\(which) has due \(ValueQuote.quote(s)), which is not a date", "due is a date \"YYYY-MM-DD\" or left out")
                }
                due = date
            case let other:
                throw problem("\(which) has due \(phrase(other)); expected a date \"YYYY-MM-DD\"", "due is a date \"YYYY-MM-DD\" or left out")
            }
            out.append(RuleFlag(name: name, text: shown, due: due, location: location))
        }
        return out
    }

    /// Where the pack last assigns the global `flags` at the top level of a file (for a
    /// `flags` that is not a function).
    static func assignment(in pack: RulePack) -> RuleLocation? {
        for file in pack.files.reversed() {
            guard let facts = LuaSourceFacts.analyse(file.text) else { continue }
            if let use = facts.globals.last(where: { $0.name == "flags" && $0.isWrite && $0.function == nil }) {
                return RuleLocation(file: file.path, line: use.line)
            }
        }
        return nil
    }

    static func phrase(_ v: LuaValue) -> String {
        switch v {
        case .string(let s): "the string " + ValueQuote.quote(s)
        case .table: "a table"
        case .nil: "nil"
        case .boolean(let b): String(b)
        case .integer(let i): "the number \(i)"
        case .number(let d): "the number " + ValueQuote.number(d)
        case .function: "a function"
        case .unsupported(let what): what == "cycle" ? "a table that contains itself" : "a value with no plain form (\(what))"
        }
    }

    static func key(_ v: LuaValue) -> String {
        if case .string(let s) = v { return "'" + String(s.prefix(64)) + "'" }
        return phrase(v)
    }
}
