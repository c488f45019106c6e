import ArgumentParser
import Portfolio
import RuleEngine

/// `cmrg check`: loads the rule pack without evaluating any contract and reports errors.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load the rule pack and report errors with file:line.")

    @Option(name: .long, help: "Rule pack directory.")
    var rules: String = "rules"

    func run() throws {
        do throws(RuleError) {
            let pack = try RulePack.load(directory: rules)
            _ = try RuleEvaluator(pack: pack, asOf: ContractDate(dayNumber: 0))
            print("\(rules): \(pack.files.count) rule files loaded; tier(c) and score(c) defined")
        } catch {
            complain(error.description)
            throw error.exitCode
        }
    }
}
