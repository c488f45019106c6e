import ArgumentParser
import Foundation
import RuleEngine
import Supervisor

/// `cmrg`: thin command-line front end. Each subcommand parses options, calls one use case
/// (UseCases, or a RuleEngine / History / Portfolio entry point), renders, and lets failures
/// go to the one table in Failures.swift.
@main
struct CMRG: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cmrg",
        abstract: "Select contracts for Contract Management Review Group deep reviews with Lua rules.",
        version: "0.1.0",
        subcommands: [PlanCommand.self, EvaluateCommand.self, ExplainCommand.self, ReportCommand.self, HistoryCommand.self,
                      CheckCommand.self, DiffCommand.self, TestCommand.self, ImportCommand.self, GenerateCommand.self]
    )

    /// Like ParsableCommand.main, but usage errors exit 1 (not 64) as the README promises,
    /// and every known failure is reported through `Failure.report`.
    static func main() {
        Supervisor.superviseUnlessChild() // the second line of defence: see Supervisor
        ControlC.install()
        do {
            var command = try parseAsRoot()
            try (command as? SupervisedCommand)?.runLimits.apply()
            try command.run()
        } catch {
            if let (message, status) = Failure.report(error) {
                complain(message)
                Foundation.exit(status)
            }
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(1)
        }
    }
}
