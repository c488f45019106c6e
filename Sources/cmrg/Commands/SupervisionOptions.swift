import ArgumentParser
import Breadcrumbs
import Foundation
import RuleEngine
import Supervisor

/// Options of the second line of defence (module Supervisor): the limits the supervisor
/// holds the whole run to, and the switch that turns it off.
struct SupervisionOptions: ParsableArguments {
    @Option(name: .customLong("run-time-limit"), help: ArgumentHelp(
        "Seconds the whole run may take before it is stopped; 0 = no limit.",
        discussion: "Default: 10 minutes, plus 1 minute per 20 MB of register."))
    var runTimeLimit: Double?

    @Option(name: .customLong("process-memory-limit"), help: ArgumentHelp(
        "MiB of address space the run may use (every Lua state and the host together); 0 = no limit.",
        discussion: "Default: 8192, or more with many --jobs (4096 + 2 x jobs x (--memory-limit + 128))."))
    var processMemoryLimit: Int?

    @Flag(name: .customLong("in-process"), help: ArgumentHelp(
        "Run without the supervising process (for debugging and benchmarks; also CMRG_IN_PROCESS=1).",
        discussion: "Crashes, calls stuck in C code, --run-time-limit and --process-memory-limit are then not contained."))
    var inProcess = false

    func validate() throws {
        if let runTimeLimit, !(runTimeLimit >= 0 && runTimeLimit <= 1e9) {
            throw ValidationError("--run-time-limit must be a number of seconds from 0 (no limit) to 1000000000")
        }
        if let processMemoryLimit, processMemoryLimit != 0, !(256...(1 << 30)).contains(processMemoryLimit) {
            throw ValidationError("--process-memory-limit must be 0 (no limit) or from 256 to 1073741824 MiB")
        }
    }

    /// Hands the limits to the supervisor (only a supervised process has one).
    func apply(registerPath: String?, jobs: Int, luaMemoryMiB: Int) throws {
        guard let crumbs = Breadcrumbs.current else { return }
        let seconds = runTimeLimit ?? Self.defaultRunTimeLimit(registerPath: registerPath)
        crumbs.limitRunTime(seconds: seconds > 0 ? seconds : nil)
        let mebibytes = processMemoryLimit ?? max(8192, 4096 + 2 * jobs * (luaMemoryMiB + 128))
        if mebibytes > 0 { try crumbs.limitAddressSpace(bytes: mebibytes << 20) }
    }

    /// 10 minutes for a council's register, one more per 20 MB (about 100,000 contracts).
    static func defaultRunTimeLimit(registerPath: String?) -> Double {
        let bytes = registerPath.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int } ?? 0
        return 600 + 60 * Double((bytes + 19_999_999) / 20_000_000)
    }
}

/// A command that runs rules, and so runs under the supervisor's limits.
protocol SupervisedCommand {
    var supervision: SupervisionOptions { get }
    /// The register the run reads (its size scales the default run time limit).
    var registerPath: String? { get }
    var jobs: Int { get }
    var luaMemoryMiB: Int { get }
}

extension SupervisedCommand {
    var registerPath: String? { nil }
    var jobs: Int { 1 }
    var luaMemoryMiB: Int { RuleLimits().memoryBytes >> 20 }

    func applySupervision() throws {
        try supervision.apply(registerPath: registerPath, jobs: jobs, luaMemoryMiB: luaMemoryMiB)
    }
}

/// Commands whose rule options include the supervision options.
protocol RegisterCommand: SupervisedCommand {
    var rules: RuleOptions { get }
    var input: PortfolioOptions { get }
}

extension RegisterCommand {
    var supervision: SupervisionOptions { rules.supervision }
    var registerPath: String? { input.portfolio }
    var jobs: Int { rules.jobs > 0 ? rules.jobs : ProcessInfo.processInfo.activeProcessorCount }
    var luaMemoryMiB: Int { rules.memoryLimit }
}

extension EvaluateCommand: RegisterCommand {}
extension ExplainCommand: RegisterCommand {}
extension PlanCommand: RegisterCommand {}
extension ReportCommand: RegisterCommand {}
extension DiffCommand: RegisterCommand {
    var jobs: Int { 2 * (rules.jobs > 0 ? rules.jobs : ProcessInfo.processInfo.activeProcessorCount) } // both packs' states
}
extension CheckCommand: SupervisedCommand {}
extension TestCommand: SupervisedCommand {}
