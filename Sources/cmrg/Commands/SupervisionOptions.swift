import ArgumentParser
import RuleEngine
import Supervisor

/// Options of the second line of defence (module Supervisor): the limits the supervisor
/// holds the whole run to, and the switch that turns it off.
struct SupervisionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Seconds the whole run may take before it is stopped; 0 = no limit.",
        discussion: "Default: 10 minutes, plus 1 minute per 20 MB of register."))
    var runTimeLimit: Double?
    @Option(help: ArgumentHelp(
        "MiB of address space the run may use (every Lua state and the host together); 0 = no limit.",
        discussion: "Default: 8192, or more with many --jobs (4096 + 2 x jobs x (--memory-limit + 128))."))
    var processMemoryLimit: Int?
    @Flag(help: ArgumentHelp(
        "Run without the supervising process (for debugging and benchmarks; also CMRG_IN_PROCESS=1).",
        discussion: "Crashes, calls stuck in C code, --run-time-limit and --process-memory-limit are then not contained."))
    var inProcess = false

    func validate() throws {
        if let problem = RunLimits.problem(seconds: runTimeLimit, addressSpaceMiB: processMemoryLimit) { throw ValidationError(problem) }
    }

    /// The limits of a run over `register` with `luaStates` Lua states.
    func limits(register: String? = nil, luaStates: Int = 1, luaStateMiB: Int = RuleLimits().memoryMiB) -> RunLimits {
        RunLimits(seconds: runTimeLimit, addressSpaceMiB: processMemoryLimit, register: register, luaStates: luaStates, luaStateMiB: luaStateMiB)
    }
}

/// A command that runs rules, and so runs under the supervisor's limits (set before it runs).
protocol SupervisedCommand { var runLimits: RunLimits { get } }

extension EvaluateCommand: SupervisedCommand { var runLimits: RunLimits { common.runLimits() } }
extension ExplainCommand: SupervisedCommand { var runLimits: RunLimits { common.runLimits() } }
extension PlanCommand: SupervisedCommand { var runLimits: RunLimits { common.runLimits() } }
extension ReportCommand: SupervisedCommand { var runLimits: RunLimits { common.runLimits() } }
extension DiffCommand: SupervisedCommand { var runLimits: RunLimits { common.runLimits(packs: 2) } } // both packs
extension CheckCommand: SupervisedCommand { var runLimits: RunLimits { supervision.limits() } }
extension TestCommand: SupervisedCommand { var runLimits: RunLimits { supervision.limits() } }
