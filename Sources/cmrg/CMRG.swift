import ArgumentParser

/// `cmrg`: thin command-line front end. Each subcommand parses options, calls the modules
/// and maps failures to exit codes (see ExitCodes.swift).
@main
struct CMRG: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cmrg",
        abstract: "Select contracts for Contract Management Review Group deep reviews with Lua rules.",
        version: cmrgVersion,
        subcommands: [
            CheckCommand.self,
        ]
    )
}

let cmrgVersion = "0.1.0"
