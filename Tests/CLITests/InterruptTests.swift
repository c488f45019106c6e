import Foundation
import TestSupport
import Testing

/// Ctrl-C during a long run stops it cleanly: one line on stderr, exit 130, and no output
/// file, not even a temporary one.
@Suite struct InterruptTests {
    @Test func ctrlCStopsALongEvaluateAndWritesNothing() throws {
        let dir = try CLI.temporaryDirectory()
        defer { Scratch.remove(dir) } // 55 MB
        let register = dir.appendingPathComponent("big.csv")
        let generated = try CLI.run(["generate", "--count", "300000", "--seed", "4", "--as-of", "2026-11-25",
                                     "--output", register.path])
        try #require(generated.status == 0, "\(generated.stderr)")
        let output = dir.appendingPathComponent("ranked.csv")

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["evaluate", "--portfolio", register.path, "--as-of", "2026-11-25", "--format", "csv",
                             "--output", output.path]
        process.currentDirectoryURL = CLI.repoRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        usleep(500_000)
        #expect(process.isRunning, "the run should still be going after half a second")
        let interrupted = Date()
        process.interrupt() // SIGINT, as Ctrl-C sends
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(String(decoding: stderr, as: UTF8.self) == "cmrg: interrupted\n")
        #expect(stdout.isEmpty)
        #expect(Date().timeIntervalSince(interrupted) < 10, "it stops promptly")
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["big.csv"], "no temporary file is left")
    }
}
