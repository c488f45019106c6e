import LuaHost

/// A pack's rule files read as text, without running them (each parsed once): what they
/// declare and read by name, and the mistakes that are certain as soon as the pack loads.
struct PackSource {
    /// The facts of each file that parses (`LuaSourceFacts`), in load order.
    let files: [(file: RulePack.File, facts: LuaSourceFacts)]
    /// Files the parser does not follow (their names are not checked).
    let unparsed: [RulePack.File]

    init(_ pack: RulePack) {
        var files: [(file: RulePack.File, facts: LuaSourceFacts)] = []
        var unparsed: [RulePack.File] = []
        for file in pack.files {
            if let facts = LuaSourceFacts.analyse(file.text) { files.append((file, facts)) } else { unparsed.append(file) }
        }
        self.files = files
        self.unparsed = unparsed
    }

    /// Globals assigned at the top level of a file: they count as defined once the pack has
    /// loaded even if they hold nil (`seen = nil` declares `seen`).
    var declaredGlobals: [String] {
        Set(files.flatMap { $0.facts.globals.filter { $0.isWrite && $0.function == nil }.map(\.name) }).sorted()
    }

    /// Register columns the rules read as `c.extra.NAME`.
    var readColumns: [String] { Set(files.flatMap { $0.facts.columns.map { $0.path[0] } }).sorted() }

    /// What is wrong for certain once the files have run: a settings key read at the top of
    /// a file that the loaded settings lack (`audit_year = settings.audit_yaer` leaves nil
    /// behind without an error), or a value without a name in a settings table
    /// (`10,000,000`). Reads inside functions are checked when they run.
    func loadFailure(settings: LuaValue) -> RuleError? {
        for (file, facts) in files {
            for unnamed in facts.unnamedSettings {
                return RuleError(kind: .load, location: RuleLocation(file: file.path, line: unnamed.line),
                                 message: Self.unnamedMessage(unnamed.path))
            }
            for read in facts.settingsReads where read.atLoad {
                if let problem = Self.missing(read.path, in: settings) {
                    return RuleError(kind: .load, location: RuleLocation(file: file.path, line: read.line), message: problem)
                }
            }
        }
        return nil
    }

    static func unnamedMessage(_ path: [String]) -> String {
        (["settings"] + path).joined(separator: ".") + " has a value without a name on this line: a number written "
            + "with commas (10,000,000 is three values)? write 10000000"
    }

    /// Why `settings.<path>` does not exist, or nil when it does: the first key that is not
    /// there, with the nearest key that is (as the sandbox says it when a rule reads it).
    static func missing(_ path: [String], in settings: LuaValue) -> String? {
        var value = settings
        var walked = ["settings"]
        for key in path {
            guard case .table(let table) = value else {
                let here = walked.joined(separator: ".")
                return value.isNil ? "\(here) does not exist"
                    : "\(here) is \(ValueQuote.describe(scalarOf: value)), not a table: \(here).\(key) does not exist"
            }
            let next = table[key]
            if next.isNil {
                let nearest = NearestNames.typo(of: key, among: table.entries.compactMap(\.key.stringValue))
                return "\((walked + [key]).joined(separator: ".")) does not exist" + (nearest.map { " (did you mean \($0)?)" } ?? "")
            }
            value = next
            walked.append(key)
        }
        return nil
    }
}

extension PackSource {
    /// Where the setting a problem names is defined: for `settings.plan.meetings[2].date must
    /// be a date …`, the line of the deepest key of that path the files define (`meetings`),
    /// so a missing key points at the table it is missing from.
    func location(ofSettingIn problem: String) -> RuleLocation? {
        let path = problem.prefix { $0 != " " && $0 != "[" && $0 != ":" }.split(separator: ".").map(String.init)
        guard path.first == "settings" else { return nil }
        var best: (length: Int, location: RuleLocation)?
        for (file, facts) in files {
            for key in facts.settingsKeys where path.starts(with: key.path) && key.path.count > (best?.length ?? 0) {
                best = (key.path.count, RuleLocation(file: file.path, line: key.line))
            }
        }
        return best?.location
    }
}
