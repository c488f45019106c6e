import Foundation

/// A rule pack directory: every `*.lua` file at its top level, in file-name order, except
/// `*.d.lua` editor definition files.
/// Files are read once; evaluators on every thread load the same texts. No file outside the
/// directory is read (see PackBoundary).
public struct RulePack: Sendable {
    public struct File: Sendable, Equatable {
        /// Path as shown in messages, e.g. `rules/priority.lua`.
        public var path: String
        public var text: String
    }

    public var directory: String
    public var files: [File]

    public init(directory: String, files: [File]) {
        self.directory = directory
        self.files = files
    }

    /// Reads the pack. Errors name the directory or file in plain words.
    public static func load(directory: String) throws(RuleError) -> RulePack {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuleError(kind: .unreadable, message: "rule pack directory '\(directory)' does not exist")
        }
        let names: [String]
        do {
            names = ruleFileNames(among: try FileManager.default.contentsOfDirectory(atPath: directory))
        } catch {
            throw RuleError(kind: .unreadable, message: "cannot list rule pack directory '\(directory)': \(error.localizedDescription)")
        }
        if names.isEmpty {
            throw RuleError(kind: .load, message: "rule pack directory '\(directory)' has no .lua files")
        }
        var files: [File] = []
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            switch PackBoundary.read(path, inPack: directory) {
            case .success(let text): files.append(File(path: path, text: text))
            case .failure(let refusal): throw RuleError(kind: refusal.kind, message: "rule file " + refusal.message)
            }
        }
        return RulePack(directory: directory, files: files)
    }

    /// The rule files among a directory's entries, in load order (shared with packs read
    /// from git).
    static func ruleFileNames(among names: [String]) -> [String] {
        // *.d.lua files are editor definitions (lua-language-server), never rules.
        names.filter { $0.hasSuffix(".lua") && !$0.hasSuffix(".d.lua") }
            .sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }
}
