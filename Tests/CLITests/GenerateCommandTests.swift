import Foundation
import TestSupport
import Testing

@Suite struct GenerateCommandTests {
    @Test func sameArgumentsGiveTheSameFile() throws {
        let dir = try CLI.temporaryDirectory()
        let a = dir.appendingPathComponent("a.csv"), b = dir.appendingPathComponent("b.csv")
        let first = try CLI.run(["generate", "--count", "1000", "--seed", "5", "--as-of", "2026-11-25", "--output", a.path])
        let second = try CLI.run(["generate", "--count", "1000", "--seed", "5", "--as-of", "2026-11-25", "--output", b.path])
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stderr == "cmrg: 1000 contracts written to \(a.path) (seed 5, as of 2026-11-25)\n")
        let bytes = try Data(contentsOf: a)
        #expect(bytes == (try Data(contentsOf: b)))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1001)
        #expect(lines[0] == "id,title,supplier,directorate,lead_officer,category,value_total,value_annual,start_date,end_date,max_end_date,risk,complexity,strategic_importance,member_suggested,audit_planned,member_suggested_on,notice_stage,review_group,procurement_route")
        #expect(lines[1].hasPrefix("G-000001,"))
        #expect(lines[1000].hasPrefix("G-001000,"))

        // What generate writes, import reads back unchanged.
        let copy = dir.appendingPathComponent("copy.csv")
        let imported = try CLI.run(["import", a.path, "--output", copy.path])
        #expect(imported.status == 0)
        #expect(try Data(contentsOf: copy) == bytes)
    }

    @Test func largeFileImportsInBoundedMemory() throws {
        let dir = try CLI.temporaryDirectory()
        defer { Scratch.remove(dir) } // 37 MB
        let big = dir.appendingPathComponent("big.csv")
        let generated = try CLI.run(["generate", "--count", "200000", "--seed", "8", "--as-of", "2026-11-25", "--output", big.path])
        #expect(generated.status == 0)
        let size = try FileManager.default.attributesOfItem(atPath: big.path)[.size] as! Int
        #expect(size > 30_000_000)
        let log = dir.appendingPathComponent("import.log")
        let imported = try Self.runMeasuringMemory(["import", big.path, "--output", "/dev/null"], stderr: log)
        #expect(imported.status == 0)
        #expect(try String(contentsOf: log, encoding: .utf8).hasPrefix("cmrg: \(big.path) (csv): 200000 contracts written to /dev/null"))
        // Streaming keeps only a batch, the read buffer and the ids seen; holding the 200k
        // contracts as Swift values alone would take well over 80 MB.
        #expect(imported.peakKB > 10_000, "the measurement saw the process (\(imported.peakKB) KB)")
        #expect(imported.peakKB < 80_000, "peak resident memory \(imported.peakKB) KB")
    }

    /// Runs the binary and returns its exit status and its own peak resident memory, polled
    /// from /proc/PID/status (VmHWM). rusage is no use here: Linux carries the spawning
    /// process's peak into the child's ru_maxrss, and this test process runs memory-bomb tests.
    static func runMeasuringMemory(_ arguments: [String], stderr: URL) throws -> (status: Int32, peakKB: Int) {
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.repoRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        var peak = 0
        let status = "/proc/\(process.processIdentifier)/status"
        while process.isRunning {
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
                peak = max(peak, kb)
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        return (process.terminationStatus, peak)
    }

    @Test func badArguments() throws {
        let date = try CLI.run(["generate", "--count", "5", "--as-of", "25/11/2026", "--output", "/tmp/never.csv"])
        #expect(date.status == 1)
        #expect(date.stderr.contains("--as-of \"25/11/2026\" is not a date (YYYY-MM-DD)"))
        let count = try CLI.run(["generate", "--count", "-1", "--output", "/tmp/never.csv"])
        #expect(count.status == 1)
        let unwritable = try CLI.run(["generate", "--count", "5", "--output", "/nonexistent/dir/g.csv"])
        #expect(unwritable.status == 4)
        #expect(unwritable.stderr == "cmrg: cannot write '/nonexistent/dir/g.csv': no such file\n")
    }
}
