import LuaHost

/// Limits on every call into the rule pack (one contract's tier and score), as the CLI sets
/// them: instructions, wall-clock time, memory per Lua state, and the longest text a rule
/// hands back. The sandbox's other bounds keep their defaults.
public struct RuleLimits: Sendable, Equatable {
    /// An instruction budget per call (deterministic, for tests; it costs a count hook); nil,
    /// the default, for none: the time limit stops endless loops.
    public var instructions: Int?
    public var timeLimit: Duration
    public var memoryBytes: Int
    /// Longest string copied back from a rule (factor names, reasons); longer ones are cut.
    public var maxStringBytes: Int

    /// Limits left out are the sandbox's own defaults (README, "The rule sandbox").
    public init(instructions: Int? = nil, timeLimit: Duration? = nil, memoryBytes: Int? = nil,
                maxStringBytes: Int? = nil) {
        let defaults = Self.sandboxDefaults
        self.instructions = instructions ?? defaults.instructions
        self.timeLimit = timeLimit ?? defaults.timeLimit
        self.memoryBytes = memoryBytes ?? defaults.memoryBytes
        self.maxStringBytes = maxStringBytes ?? defaults.maxStringBytes
    }

    /// Limits in the units people give them: seconds and MiB (at most `mostSeconds` and
    /// `mostMemoryMiB`, past which the conversion would overflow).
    public init(instructions: Int?, seconds: Double, memoryMiB: Int) {
        self.init(instructions: instructions, timeLimit: .milliseconds(Int64(seconds * 1000)), memoryBytes: memoryMiB << 20)
    }

    public static let mostSeconds: Double = 1_000_000
    public static let mostMemoryMiB = 1 << 30

    public var memoryMiB: Int { memoryBytes >> 20 }

    /// What is wrong with limits given as options (`--max-instructions` …), or nil.
    public static func problem(instructions: Int?, seconds: Double, memoryMiB: Int) -> String? {
        if (instructions ?? 1) <= 0 || seconds <= 0 || memoryMiB <= 0 {
            return "--max-instructions, --time-limit and --memory-limit must be positive"
        }
        if seconds > mostSeconds || memoryMiB > mostMemoryMiB {
            return "--time-limit may be at most \(Int(mostSeconds)) seconds and --memory-limit at most \(mostMemoryMiB) MiB"
        }
        return nil
    }

    /// Defined once, in LuaHost.
    static let sandboxDefaults = LuaLimits()

    var sandbox: LuaLimits {
        var limits = LuaLimits()
        limits.instructions = instructions
        limits.timeLimit = timeLimit
        limits.memoryBytes = memoryBytes
        limits.maxStringBytes = maxStringBytes
        return limits
    }
}
