import ArgumentParser
import Foundation
import LuaHost

/// `cmrg check`: loads the rule pack without evaluating and reports load errors.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load the rule pack and report errors with file:line.")

    @Option(name: .long, help: "Rule pack directory.")
    var rules: String = "rules"

    func run() throws {
        let directory = URL(fileURLWithPath: rules)
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: rules)
                .filter { $0.hasSuffix(".lua") }.sorted()
        } catch {
            complain("cannot read rule pack directory '\(rules)': \(error.localizedDescription)")
            throw CMRGExit.ioError
        }
        if files.isEmpty {
            complain("no .lua files in rule pack directory '\(rules)'")
            throw CMRGExit.ruleError
        }
        let sandbox = try LuaSandbox()
        for file in files {
            let path = (rules as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else {
                complain("cannot read \(path) (is it UTF-8 text?)")
                throw CMRGExit.ioError
            }
            do {
                try sandbox.run(text, chunkName: path)
            } catch {
                complain(error.description)
                throw CMRGExit.ruleError
            }
        }
        print("\(rules): \(files.count) rule files loaded, no errors")
    }
}
