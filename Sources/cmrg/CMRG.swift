import ArgumentParser
import Foundation
import Supervisor

/// `cmrg`: thin command-line front end. Each subcommand parses options, calls one use case
/// (UseCases, or a RuleEngine / History / Portfolio entry point), renders, and lets failures
/// go to the one table in Failures.swift.
@main
struct CMRG: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cmrg",
        abstract: "Select contracts for Contract Management Review Group deep reviews with Lua rules.",
        version: cmrgVersion,
        subcommands: [
            PlanCommand.self,
            EvaluateCommand.self,
            ExplainCommand.self,
            ReportCommand.self,
            HistoryCommand.self,
            CheckCommand.self,
            DiffCommand.self,
            TestCommand.self,
            ImportCommand.self,
            GenerateCommand.self,
        ]
    )

    /// Like ParsableCommand.main, but usage errors exit 1 (not 64) as the README promises,
    /// and every known failure is reported through `Failure.report`.
    static func main() {
        Supervisor.superviseUnlessChild() // the second line of defence: see Supervisor
        CtrlC.install()
        do {
            var command = try parseAsRoot()
            try (command as? SupervisedCommand)?.applySupervision()
            try command.run()
        } catch {
            if let (message, status) = Failure.report(error) {
                complain(message)
                Foundation.exit(status)
            }
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 1 : code.rawValue)
        }
    }
}

let cmrgVersion = "0.1.0"
