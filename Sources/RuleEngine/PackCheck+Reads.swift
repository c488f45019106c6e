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
                let nearest = NearestNames.typo(of: key, among: names)
                return "\((walked + [key]).joined(separator: ".")) does not exist" + (nearest.map { " (did you mean \($0)?)" } ?? "")
            }
            value = next
            walked.append(key)
        }
        return nil
    }

    /// What the sandbox says when a rule reads (or, inside a function, assigns) a global
    /// nobody defines: the nearest local is the likelier typo, then the nearest global.
    static func undefinedGlobal(_ name: String, locals: [String], globals: [String], assigning: Bool) -> String {
        if withheld.contains(name) {
            return "'\(name)' is not available to rules (no files, operating system, modules or debug library)"
        }
        let local = NearestNames.typo(of: name, among: locals)
        let global = NearestNames.typo(of: name, among: globals)
        func distance(_ other: String) -> Int {
            NearestNames.typoDistance(Array(name.lowercased().utf8), Array(other.lowercased().utf8))
        }
        if let local, global.map({ distance(local) <= distance($0) }) ?? true {
            return "'\(name)' is not defined \u{2014} a typo of the local '\(local)'?"
        }
        if let global { return "'\(name)' is not defined (did you mean '\(global)'?)" }
        return "'\(name)' is not defined"
            + (assigning ? ": rules may only assign globals the pack defines when it loads (make it a local)" : "")
    }

    /// What the sandbox leaves out on purpose (README, "The rule sandbox").
    static let withheld: Set<String> = ["io", "os", "require", "package", "debug", "coroutine", "dofile", "loadfile",
                                        "collectgarbage"]

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
