import Breadcrumbs
import CSupervision
import Foundation

/// One supervised child: started with the breadcrumb page, watched until it ends.
final class SupervisedRun {
    let pid: pid_t
    let page: UnsafeMutablePointer<cmrg_crumb_page>
    /// How often the watch looks at the breadcrumbs (a child that ends is seen at once).
    static let pollMilliseconds: Int32 = 100
    /// A child asked to stop (Ctrl-C, SIGTERM) is killed after this long.
    static let stopGraceNanoseconds: Int64 = 2_000_000_000
    /// A call still running this long past its deadline (or half its time limit, if longer)
    /// is stuck in something the in-process limits cannot interrupt.
    static let stuckGraceNanoseconds: Int64 = 3_000_000_000

    private init(pid: pid_t, page: UnsafeMutablePointer<cmrg_crumb_page>) {
        self.pid = pid
        self.page = page
    }

    /// Starts the child; nil when no page or no child could be made (the caller then runs
    /// the command in-process, as without a supervisor).
    static func start() -> SupervisedRun? {
        var page: UnsafeMutablePointer<cmrg_crumb_page>?
        let fd = cmrg_sv_page_create(&page)
        guard fd >= 0, let page else { return nil }
        var executable = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &executable, executable.count - 1)
        guard length > 0 else { return nil }
        var environment = ProcessInfo.processInfo.environment
        environment[Breadcrumbs.pageVariable] = String(fd)
        // Swift's crash reporter would print a long backtrace before the clean message.
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        cmrg_sv_catch_signals()
        let pid = cmrg_sv_spawn(executable, arguments, variables)
        guard pid > 0 else { return nil }
        close(fd)
        cmrg_sv_forward_to(pid)
        return SupervisedRun(pid: pid, page: page)
    }

    /// Watches the child until it ends (or is stopped) and returns the exit status to end with.
    func wait() -> Int32 {
        var stopAsked: Int64?
        while true {
            var status: Int32 = 0
            let waited = cmrg_sv_wait(pid, Self.pollMilliseconds, &status)
            if waited == 1 { return ended(status: status, stopAsked: stopAsked != nil) }
            if waited < 0 { return lost() }
            let now = cmrg_sv_now_ns()
            if cmrg_sv_signal_received() != 0 {
                let asked = stopAsked ?? now
                stopAsked = asked
                if now - asked > Self.stopGraceNanoseconds {
                    kill()
                    return report(StopReport.interruptedAndKilled, status: 130)
                }
                continue
            }
            if let reason = overrun(now: now) {
                kill()
                return report(reason, status: 2)
            }
        }
    }

    /// A stuck call or a run past its limit, said as the message to end with.
    private func overrun(now: Int64) -> String? {
        let snapshot = StopReport.Snapshot(page: page)
        for slot in snapshot.slots where slot.inCall && slot.deadline != Int64.max {
            let grace = max(Self.stuckGraceNanoseconds, slot.callLimit / 2)
            if now > slot.deadline &+ grace { return StopReport.stuck(slot, grace: grace) }
        }
        let limit = page.pointee.run_limit_ns
        if limit > 0, now - page.pointee.started_ns > limit {
            return StopReport.runTooLong(limit: limit, during: snapshot.busy)
        }
        return nil
    }

    private func ended(status: Int32, stopAsked: Bool) -> Int32 {
        let signal = status & 0x7f
        if signal == 0 { // exited
            removeTemporaryFiles()
            return (status >> 8) & 0xff
        }
        removeTemporaryFiles()
        if signal == SIGINT || (stopAsked && (signal == SIGTERM || signal == SIGHUP)) {
            return report(StopReport.interrupted, status: 130)
        }
        if signal == SIGPIPE { // the reader went away (`cmrg evaluate | head`): end the same way
            Foundation.signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        return report(StopReport.crashed(signal: signal, snapshot: StopReport.Snapshot(page: page)), status: 2)
    }

    private func lost() -> Int32 {
        removeTemporaryFiles()
        return report("cannot watch the run (\(String(cString: strerror(errno)))): stopped", status: 2)
    }

    private func kill() {
        Foundation.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        removeTemporaryFiles()
    }

    private func report(_ message: String, status: Int32) -> Int32 {
        FileHandle.standardError.write(Data(("cmrg: " + message + "\n").utf8))
        return status
    }

    /// Temporary files the child recorded and did not rename or remove.
    private func removeTemporaryFiles() {
        withUnsafeMutablePointer(to: &page.pointee.temps) { tuple in
            let temps = UnsafeMutableRawPointer(tuple).assumingMemoryBound(to: cmrg_crumb_temp.self)
            for i in 0..<Int(CMRG_CRUMB_TEMPS) where temps[i].used == 1 {
                withUnsafeBytes(of: &temps[i].path) { raw in
                    _ = unlink(raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                temps[i].used = 0
            }
        }
    }
}
