import Foundation

/// Why a rule pack could not be read from git (`cmrg diff --base git:REV`).
public struct GitPackError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The argument does not name something that exists: no repository, no such revision,
        /// no rules there at that revision.
        case notFound
        /// git itself cannot be run.
        case unavailable
    }

    public var kind: Kind
    public var message: String
    public var description: String { message }
}

extension RulePack {
    /// The rule pack in `directory` as committed at `revision` (e.g. `HEAD`, a tag, a commit),
    /// read with git without touching the working copy. Files are named `REV:path/file.lua`,
    /// git's own name for a file at a revision, so errors in the old rules say where they are.
    public static func load(gitRevision revision: String, directory: String) throws(GitPackError) -> RulePack {
        let what = "--base git:\(revision)"
        guard !revision.isEmpty else {
            throw GitPackError(kind: .notFound, message: "\(what): name a git revision after 'git:', e.g. git:HEAD")
        }
        guard let top = try Git.run(["-C", directory, "rev-parse", "--show-toplevel"]).text else {
            throw GitPackError(kind: .notFound, message: "\(what): '\(directory)' is not inside a git repository")
        }
        let prefix = try Git.run(["-C", directory, "rev-parse", "--show-prefix"]).text ?? ""
        guard let commit = try Git.run(["-C", top, "rev-parse", "--verify", "--quiet", "\(revision)^{commit}"]).text else {
            throw GitPackError(kind: .notFound, message: "\(what): unknown git revision '\(revision)' in \(top)")
        }
        let shownDirectory = prefix.isEmpty ? "." : String(prefix.dropLast())
        guard let listing = try Git.run(["-C", top, "ls-tree", "-z", "\(commit):\(prefix)"]).data else {
            throw GitPackError(kind: .notFound, message: "\(what): '\(shownDirectory)' does not exist at revision \(revision)")
        }
        // Entries: "<mode> <type> <object>\t<name>\0"; symlinks (120000) and trees are not rules.
        var blobs: [String: String] = [:]
        for entry in listing.split(separator: 0) {
            guard let line = String(data: Data(entry), encoding: .utf8), let tab = line.firstIndex(of: "\t") else { continue }
            let fields = line[..<tab].split(separator: " ")
            guard fields.count == 3, fields[1] == "blob", fields[0] != "120000" else { continue }
            blobs[String(line[line.index(after: tab)...])] = String(fields[2])
        }
        let names = ruleFileNames(among: Array(blobs.keys))
        let directoryName = "\(revision):\(shownDirectory)"
        if names.isEmpty {
            throw GitPackError(kind: .notFound, message: "\(what): '\(shownDirectory)' has no .lua files at revision \(revision)")
        }
        var files: [File] = []
        for name in names {
            let path = "\(revision):\(prefix)\(name)"
            guard let data = try Git.run(["-C", top, "cat-file", "blob", blobs[name]!]).data else {
                throw GitPackError(kind: .unavailable, message: "\(what): cannot read \(path) from git")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw GitPackError(kind: .notFound, message: "\(what): \(path) is not UTF-8 text")
            }
            files.append(File(path: path, text: text))
        }
        return RulePack(directory: directoryName, files: files)
    }
}

/// Runs git and hands back its output, or nil output when git says no (non-zero status).
enum Git {
    struct Output {
        var data: Data?
        /// The output as one trimmed line.
        var text: String? {
            data.flatMap { String(data: $0, encoding: .utf8) }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    static func run(_ arguments: [String]) throws(GitPackError) -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw GitPackError(kind: .unavailable, message: "cannot run git: \(error.localizedDescription)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw GitPackError(kind: .unavailable, message: "git is not installed (needed for --base git:REV)")
        }
        return Output(data: process.terminationStatus == 0 ? data : nil)
    }
}
