import LuaHost

/// The checks `cmrg check` makes on what each rule file reads or writes by name (see
/// `RuleReads`), and luacheck's warnings (see `LuaLint`).
extension PackCheck {
    /// Errors for settings paths read that the loaded `settings` table does not have, and
    /// for values written without a name inside a settings table (`10,000,000`).
    static func settingsFindings(_ factsByFile: [(RulePack.File, LuaSourceFacts)], settings: LuaValue) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for (packFile, fileReads) in factsByFile {
            let file = packFile.path
            for read in fileReads.settingsReads {
                guard let problem = missing(read.path, in: settings) else { continue }
                out.append(CheckFinding(severity: .error, location: RuleLocation(file: file, line: read.line), message: problem))
            }
            for unnamed in fileReads.unnamedSettings where !out.contains(where: { $0.location.line == unnamed.line && $0.location.file == file }) {
                let table = (["settings"] + unnamed.path).joined(separator: ".")
                out.append(CheckFinding(severity: .error, location: RuleLocation(file: file, line: unnamed.line),
                    message: "\(table) has a value without a name on this line: a number written with commas "
                        + "(10,000,000 is three values)? write 10000000"))
            }
        }
        return out
    }

    /// Why `settings.<path>` does not exist, or nil when it does: the first key that is not
    /// there, with the nearest key that is.
    static func missing(_ path: [String], in settings: LuaValue) -> String? {
        var value = settings
        var walked = ["settings"]
        for key in path {
            guard case .table(let table) = value else {
                let here = walked.joined(separator: ".")
                return value.isNil ? "\(here) does not exist" : "\(here) is \(ValueQuote.describe(scalarOf: value)), not a table: \(here).\(key) does not exist"
            }
            let next = table[key]
            if next.isNil {
                let names = table.entries.compactMap(\.key.stringValue)
                let nearest = NearestNames.closest(to: key, among: names, count: 1).first
                return "\((walked + [key]).joined(separator: ".")) does not exist" + (nearest.map { " (did you mean \($0)?)" } ?? "")
            }
            value = next
            walked.append(key)
        }
        return nil
    }

    /// Warnings for legal but suspicious code in each file (unused locals, …).
    static func lintFindings(_ factsByFile: [(RulePack.File, LuaSourceFacts)]) -> [CheckFinding] {
        factsByFile.flatMap { file, facts in
            LuaLint.findings(facts.tree).map {
                CheckFinding(severity: .warning, location: RuleLocation(file: file.path, line: $0.line), message: $0.message)
            }
        }
    }
}

extension ValueQuote {
    /// A setting's value in a message: `10000000`, `"2026/27"`, `true`.
    static func describe(scalarOf value: LuaValue) -> String {
        switch value {
        case .string(let s): quote(s)
        case .integer(let i): "the number \(i)"
        case .number(let d): "the number \(number(d))"
        case .boolean(let b): String(b)
        default: value.typeName
        }
    }
}
