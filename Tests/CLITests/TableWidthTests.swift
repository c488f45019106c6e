import Foundation
import Testing

/// Tables follow the output width (issue 15): `--width`, else COLUMNS, else the terminal's
/// width, else 160; the plan never over 160. Titles get the room ids do not need; long ids
/// (OCDS, 48 characters) are shortened with `…` in tables only.
@Suite struct TableWidthTests {
    let asOf = ["--as-of", "2026-12-03"]
    let ocds = ["--portfolio", "samples/ocds/contracts-finder-sample.json"]

    func lines(_ arguments: [String], environment: [String: String] = [:]) throws -> [String] {
        let r = try CLI.run(arguments + asOf, environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    func widest(_ lines: [String]) -> Int { lines.map(\.count).max() ?? 0 }

    @Test func columnsSetsTheWidthOfEveryTable() throws {
        for width in [80, 100, 132] {
            for command in [["plan"], ["plan", "--why"], ["evaluate"], ["evaluate"] + ocds, ["plan"] + ocds] {
                let out = try lines(command, environment: ["COLUMNS": "\(width)"])
                #expect(widest(out.filter { !$0.hasPrefix("            - ") }) <= width, "\(command) at \(width)")
            }
        }
        // --width wins over COLUMNS.
        let narrow = try lines(["evaluate", "--width", "90"], environment: ["COLUMNS": "150"])
        #expect(widest(narrow) <= 90)
        #expect(narrow[0] == "Rank  ID     Title                       Tier    Score  Top factors       Flags")
    }

    @Test func withoutColumnsOrATerminalTablesAre160Wide() throws {
        let evaluate = try lines(["evaluate"] + ocds)
        #expect(widest(evaluate) == 160)
        // The 48-character ids give up room (to 24) before titles do; three OCDS contracts are
        // flagged (Procurement Act KPIs), so the Flags column takes its share.
        #expect(evaluate[2] == "   1  ocds-b5fd17…443a0af1ba82  215_24 Specialist Vehicles (outright pu…  Gold       91  expiry 35, value 30, risk 16")
        let plan = try lines(["plan"] + ocds)
        #expect(plan.contains("2026-12-15  ocds-b5fd17…443a0af1ba82  215_24 Specialist Vehicles (outright purchase)         Gold    (no lead officer)  2027-11-30  Gold cycle: never reviewed"))
        // The plan never goes over 160, whatever it is asked.
        let wide = try lines(["plan", "--width", "300"])
        #expect(widest(wide) == 160)
        #expect(try lines(["plan"], environment: ["COLUMNS": "250"]) == wide)
    }

    @Test func csvAndJSONKeepWholeIds() throws {
        let csv = try lines(["evaluate", "--format", "csv"] + ocds, environment: ["COLUMNS": "60"])
        #expect(csv[1] == "1,ocds-b5fd17-8d84c691-fc64-4f64-b240-443a0af1ba82,215_24 Specialist Vehicles (outright purchase),Gold,91,\"expiry 35, value 30, risk 16\",")
        let json = try CLI.run(["plan", "--format", "json"] + ocds + asOf, environment: ["COLUMNS": "60"]).stdout
        #expect(json.contains("\"id\": \"ocds-b5fd17-8d84c691-fc64-4f64-b240-443a0af1ba82\""))
    }

    /// On a terminal the table takes the terminal's width (`script` gives the command one).
    @Test func aTerminalsWidthIsUsed() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "stty cols 96 rows 50; '\(CLI.binary.path)' plan --as-of 2026-12-03", "/dev/null"]
        process.currentDirectoryURL = CLI.repoRoot
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = nil
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r", with: "")
        let table = text.split(separator: "\n").map(String.init)
        #expect(process.terminationStatus == 0)
        #expect(table.contains { $0.hasPrefix("Meeting     ID     Contract") })
        #expect(widest(table) <= 96)
        #expect(widest(table) >= 90)
    }
}
