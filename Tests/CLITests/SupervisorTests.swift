import Foundation
import Testing

/// The second line of defence, through the binary: what gets past the in-process sandbox (a
/// crash, a C call that never returns, runaway memory, a run past its time limit) ends as one
/// clean message naming the contract, the entry point and the limit, exit status 2, the main
/// process alive and no output or temporary file left. The faults are injected with the
/// hidden test hook CMRG_TEST_FAULT (honoured only with CMRG_TEST_FAULTS=enabled): a pack
/// whose score calls `test_fault(c.id)` misbehaves in C at the contract named.
@Suite struct SupervisorTests {
    static let asOf = ["--as-of", "2026-11-25"]
    static let waste = "contract C-004 \"Waste PFI - Energy from Waste facility\""

    /// The default pack with a score that calls the fault hook first, and a scratch directory
    /// for the output (both removed by `body`'s caller).
    static func faultyPack() throws -> URL {
        try CLI.rulePack(adding: ["zz_fault.lua": """
            local scored = score
            function score(c)
              test_fault(c.id)
              return scored(c)
            end
            """])
    }

    static func fault(_ spec: String) -> [String: String] { ["CMRG_TEST_FAULTS": "enabled", "CMRG_TEST_FAULT": spec] }

    /// Runs `evaluate` writing to a file in a fresh directory; returns the result and what the
    /// directory holds afterwards.
    static func evaluate(_ spec: String, _ more: [String] = [], command: String = "evaluate")
        throws -> (CLI.Result, [String]) {
        let pack = try faultyPack()
        let out = try CLI.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: pack.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: out)
        }
        let r = try CLI.run([command, "--rules", pack.path, "--output", out.appendingPathComponent("out.txt").path]
                            + asOf + more, environment: fault(spec))
        return (r, try FileManager.default.contentsOfDirectory(atPath: out.path))
    }

    @Test func aCrashInARuleCallIsOneCleanRuleError() throws {
        let (r, left) = try Self.evaluate("segv@C-004")
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: rule evaluation of \(Self.waste) in score crashed (SIGSEGV): stopped; nothing was written\n")
        #expect(r.stdout.isEmpty)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func aCrashOnAnyWorkerNamesItsContract() throws {
        let (r, left) = try Self.evaluate("segv@C-050", ["--jobs", "3"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("cmrg: rule evaluation of contract C-050 \""))
        #expect(r.stderr.hasSuffix("\" in score crashed (SIGSEGV): stopped; nothing was written\n"))
        #expect(left.isEmpty)
    }

    @Test func aCallStuckInCIsKilledPastItsTimeLimit() throws {
        let started = Date()
        let (r, left) = try Self.evaluate("hang@C-004", ["--time-limit", "0.5"])
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: rule evaluation of \(Self.waste) in score did not stop at its time limit of 0.5 seconds "
                + "(still running 3 seconds later, in something the limits cannot interrupt): killed; nothing was written\n")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(left.isEmpty)
    }

    @Test func runawayMemoryEndsAtTheProcessMemoryLimit() throws {
        let (r, left) = try Self.evaluate("oom@C-004", ["--process-memory-limit", "1024"])
        #expect(r.status == 2)
        // Swift's runtime may say "failed to allocate" first; the supervisor's line is last.
        #expect(r.stderr.hasSuffix("cmrg: rule evaluation of \(Self.waste) in score ran out of memory "
                + "(process memory limit of 1024 MiB, --process-memory-limit): stopped; nothing was written\n"))
        #expect(left.isEmpty)
    }

    @Test func aRunPastItsRunTimeLimitIsStopped() throws {
        let (r, left) = try Self.evaluate("hang@C-004", ["--time-limit", "100", "--run-time-limit", "1"])
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: the run took longer than its time limit of 1 second (--run-time-limit), during "
                + "rule evaluation of \(Self.waste) in score: killed; nothing was written\n")
        #expect(left.isEmpty)
    }

    @Test func everyCommandThatRunsRulesIsSupervised() throws {
        for command in ["plan", "report"] {
            let (r, left) = try Self.evaluate("segv@C-004", command: command)
            #expect(r.status == 2, "\(command)")
            #expect(r.stderr == "cmrg: rule evaluation of \(Self.waste) in score crashed (SIGSEGV): stopped; nothing was written\n",
                    "\(command)")
            #expect(left.isEmpty, "\(command)")
        }
    }

    @Test func aTemporaryFileLeftByACrashIsRemoved() throws {
        let (r, left) = try Self.evaluate("segv@(output)")
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: the run crashed (SIGSEGV) outside rule evaluation: stopped; nothing was written\n")
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func theFaultHookNeedsItsMarker() throws {
        let pack = try Self.faultyPack()
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let r = try CLI.run(["evaluate", "--rules", pack.path] + Self.asOf, environment: ["CMRG_TEST_FAULT": "segv@C-004"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("'test_fault'") || r.stderr.contains("test_fault"), "\(r.stderr)")
    }

    @Test func inProcessRunsWithoutTheSupervisor() throws {
        let pack = try Self.faultyPack()
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let crash = Self.fault("segv@C-004").merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        for (arguments, environment) in [(["--in-process"], crash), ([], crash.merging(["CMRG_IN_PROCESS": "1"]) { $1 })] {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["evaluate", "--rules", pack.path] + Self.asOf + arguments
            process.currentDirectoryURL = CLI.repoRoot
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal) // nothing contained it
            #expect(process.terminationStatus == SIGSEGV)
        }
    }

    /// Starts `evaluate` with `pack`, sends SIGTERM to the supervisor after `delay` seconds and
    /// returns the exit status and standard error.
    static func stopped(_ pack: URL, after delay: Double, _ more: [String], environment: [String: String])
        throws -> (Int32, String) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["evaluate", "--rules", pack.path] + Self.asOf + more
        process.currentDirectoryURL = CLI.repoRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        process.terminate() // SIGTERM to the supervisor
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    @Test func aStopSignalIsPassedOnAndTheChildStopsCleanly() throws {
        // Every contract takes a while, so the run is still going when the signal comes.
        let pack = try CLI.rulePack(adding: ["zz_slow.lua": """
            local scored = score
            function score(c)
              local n = 0
              for i = 1, 30000000 do n = n + i end
              return scored(c)
            end
            """])
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let (status, stderr) = try Self.stopped(pack, after: 2, ["--jobs", "1"], environment: [:])
        #expect(status == 130)
        #expect(stderr == "cmrg: interrupted\n")
    }

    @Test func aChildThatDoesNotStopIsKilledTwoSecondsAfterTheSignal() throws {
        let pack = try Self.faultyPack()
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let (status, stderr) = try Self.stopped(pack, after: 1.5, ["--time-limit", "100"], environment: Self.fault("hang@C-004"))
        #expect(status == 130)
        // The call stuck in C cannot stop on its own: after 2 seconds the child is killed.
        #expect(stderr == "cmrg: interrupted; the run did not stop within 2 seconds and was killed; nothing was written\n")
    }
}
