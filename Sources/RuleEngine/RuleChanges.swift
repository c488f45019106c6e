import LuaHost
import Portfolio

/// What differs between two rule packs as text and as settings, so a diff can say what was
/// changed before it says what that does.
public struct RuleChanges: Sendable, Equatable {
    public enum FileStatus: String, Sendable { case added, removed, changed }

    public struct FileChange: Sendable, Equatable {
        public var name: String
        public var status: FileStatus
    }

    /// One leaf of the `settings` table whose value differs; nil = absent on that side.
    public struct SettingChange: Sendable, Equatable {
        public var path: String
        public var before: String?
        public var after: String?
    }

    public var files: [FileChange]
    public var settings: [SettingChange]

    public init(files: [FileChange], settings: [SettingChange]) {
        self.files = files
        self.settings = settings
    }

    public init(base: RulePack, new: RulePack, asOf: ContractDate) {
        func byName(_ pack: RulePack) -> [String: String] {
            Dictionary(pack.files.map { (Self.fileName($0.path), $0.text) }, uniquingKeysWith: { a, _ in a })
        }
        let before = byName(base), after = byName(new)
        let names = Set(before.keys).union(after.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        files = names.compactMap { name in
            switch (before[name], after[name]) {
            case (nil, _?): FileChange(name: name, status: .added)
            case (_?, nil): FileChange(name: name, status: .removed)
            case let (b?, a?) where b != a: FileChange(name: name, status: .changed)
            default: nil
            }
        }
        let settingsBefore = SettingsSnapshot.leaves(of: base, asOf: asOf)
        let settingsAfter = SettingsSnapshot.leaves(of: new, asOf: asOf)
        let paths = Set(settingsBefore.keys).union(settingsAfter.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        settings = paths.compactMap { path in
            let b = settingsBefore[path], a = settingsAfter[path]
            return b == a ? nil : SettingChange(path: path, before: b, after: a)
        }
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }
}

/// The pack's `settings` table as loaded (before any contract is evaluated), flattened to
/// `settings.tier.gold_value = 10000000` leaves.
enum SettingsSnapshot {
    /// Empty when the pack does not load or defines no `settings` table: the evaluators
    /// report load errors; this is only a summary.
    static func leaves(of pack: RulePack, asOf: ContractDate) -> [String: String] {
        guard let sandbox = try? loadedSandbox(pack, asOf: asOf) else { return [:] }
        var out: [String: String] = [:]
        flatten(sandbox.global("settings"), path: "settings", into: &out)
        return out
    }

    /// A sandbox with the prelude, inert `because`/`factor` and the pack's files run, not
    /// sealed, so its tables can be read as defined.
    static func loadedSandbox(_ pack: RulePack, asOf: ContractDate) throws -> LuaSandbox {
        let sandbox = try LuaSandbox()
        try sandbox.register("because") { _, _ in [] }
        try sandbox.register("factor") { _, args in args.count > 1 ? [args[1]] : [] }
        try sandbox.run(Prelude.source(asOf: asOf.iso, asOfDay: asOf.dayNumber), chunkName: "=(cmrg prelude)")
        for file in pack.files { try sandbox.run(file.text, chunkName: file.path) }
        return sandbox
    }

    static func flatten(_ value: LuaValue, path: String, into out: inout [String: String]) {
        switch value {
        case .nil: return
        case .table(let t):
            for (i, item) in t.array.enumerated() { flatten(item, path: "\(path)[\(i + 1)]", into: &out) }
            for entry in t.entries {
                switch entry.key {
                case .string(let k): flatten(entry.value, path: path + "." + k, into: &out)
                default: flatten(entry.value, path: "\(path)[\(entry.key)]", into: &out)
                }
            }
        case .string(let s): out[path] = "\"" + s + "\""
        case .integer(let i): out[path] = String(i)
        case .number(let d): out[path] = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : LuaValue.format(d)
        default: out[path] = value.description
        }
    }
}
