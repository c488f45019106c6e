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

    /// The files and the loaded `settings` of two packs compared.
    public init(base: PreparedPack, new: PreparedPack) {
        func byName(_ pack: RulePack) -> [String: String] {
            Dictionary(pack.files.map { (Self.fileName($0.path), $0.text) }, uniquingKeysWith: { a, _ in a })
        }
        let before = byName(base.pack), after = byName(new.pack)
        let names = Set(before.keys).union(after.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        files = names.compactMap { name in
            switch (before[name], after[name]) {
            case (nil, _?): FileChange(name: name, status: .added)
            case (_?, nil): FileChange(name: name, status: .removed)
            case let (b?, a?) where b != a: FileChange(name: name, status: .changed)
            default: nil
            }
        }
        let settingsBefore = base.settings, settingsAfter = new.settings
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
