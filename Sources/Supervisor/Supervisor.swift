import Breadcrumbs
import CSupervision
import Foundation

/// The second line of defence: `cmrg` runs the command in a child process (itself again,
/// same arguments) that it watches, so that what gets past the in-process sandbox — a
/// crash, a C call that never returns, runaway memory, a run far too long — still ends as
/// one clean message naming the contract, the entry point and the limit, with exit status 2,
/// and no temporary file left behind. It knows nothing of Lua: the child leaves breadcrumbs
/// (module Breadcrumbs) that say what each worker is doing.
///
/// A child that ends normally ends the supervisor with the same status; its standard input,
/// output and error are the supervisor's own. `CMRG_IN_PROCESS=1` or `--in-process` runs the
/// command in this process instead (debugging, benchmarks): no second line then.
public enum Supervisor {
    public static let inProcessVariable = "CMRG_IN_PROCESS"
    public static let inProcessFlag = "--in-process"

    /// Call first thing in `main`. In the supervised child (and in-process) it returns at once
    /// (the child attaches its breadcrumbs); otherwise it runs the child and exits as it did.
    public static func superviseUnlessChild() {
        let environment = ProcessInfo.processInfo.environment
        if environment[Breadcrumbs.pageVariable] != nil {
            _ = Breadcrumbs.current // attaches the page, installs the crash handler
            return
        }
        if environment[inProcessVariable] == "1" { return }
        if CommandLine.arguments.dropFirst().prefix(while: { $0 != "--" }).contains(inProcessFlag) { return }
        guard let run = SupervisedRun.start() else { return } // cannot supervise: run in-process
        exit(run.wait())
    }
}
