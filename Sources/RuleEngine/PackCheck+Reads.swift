import LuaHost

/// The checks `cmrg check` makes on what each rule file reads or writes by name (see
/// `LuaSourceFacts`), and luacheck's warnings (see `LuaLint`).
extension PackCheck {
    /// Errors for settings paths read that the loaded `settings` table does not have, and
    /// for values written without a name inside a settings table (`10,000,000`).
    static func settingsFindings(_ factsByFile: [(RulePack.File, LuaSourceFacts)], settings: LuaValue) -> [CheckFinding] {
        var out: [CheckFinding] = []
        for (packFile, fileReads) in factsByFile {
            let file = packFile.path
            for read in fileReads.settingsReads {
                guard let problem = PackSource.missing(read.path, in: settings) else { continue }
                out.append(CheckFinding(severity: .error, location: RuleLocation(file: file, line: read.line), message: problem))
            }
            for unnamed in fileReads.unnamedSettings where !out.contains(where: { $0.location.line == unnamed.line && $0.location.file == file }) {
                out.append(CheckFinding(severity: .error, location: RuleLocation(file: file, line: unnamed.line),
                                        message: PackSource.unnamedMessage(unnamed.path)))
            }
        }
        return out
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
