import Foundation
import TestSupport

/// Runs the built `cmrg` binary the way a user would, from the repository root.
enum CLI {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("cmrg")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return repoRoot.appendingPathComponent(".build/debug/cmrg")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `environment` adds to (or overrides) the test process's own. COLUMNS is never inherited
    /// (tables follow it): a test that wants a width says so.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repoRoot
        var inherited = ProcessInfo.processInfo.environment
        inherited["COLUMNS"] = nil
        process.environment = inherited.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let dir = try Scratch.directory("cli")
        return dir
    }

    /// Copies the default rule pack to a temporary directory, applying `edits` to its files.
    static func rulePack(editing edits: [String: (String) -> String] = [:], adding: [String: String] = [:]) throws -> URL {
        let dir = try temporaryDirectory().appendingPathComponent("rules")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("rules"), to: dir)
        for (name, edit) in edits {
            let file = dir.appendingPathComponent(name)
            try edit(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
        }
        for (name, text) in adding {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }
}
