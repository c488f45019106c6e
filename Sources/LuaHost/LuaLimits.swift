/// Limits that bound every host call into Lua. A script cannot lift them: once one is reached
/// a hook raises the error again at every instruction, the allocator refuses memory past the
/// cap, and the time limit is kept by a watchdog thread, so that no hook slows calls that stay
/// within it.
public struct LuaLimits: Sendable, Equatable {
    /// VM instructions (plus charged library work) one host call may run; nil for no budget,
    /// the default. A budget is deterministic (the same script stops at the same place on
    /// every machine), which tests want, but it needs a count hook, which slows every call.
    public var instructions: Int?
    /// Wall-clock time one host call may take.
    public var timeLimit: Duration
    /// Bytes the whole Lua state may hold.
    public var memoryBytes: Int
    /// With an instruction budget: instructions between two checks of it (smaller: finer, slower).
    public var hookStep: Int
    /// Longest string converted back to Swift; longer ones are cut.
    public var maxStringBytes: Int
    /// Deepest table nesting converted back to Swift.
    public var maxDepth: Int
    /// Most table entries converted back to Swift in one value.
    public var maxEntries: Int
    /// Most string bytes converted back to Swift in one value, all its strings together
    /// (a table may hold the same long string a hundred thousand times).
    public var maxTotalBytes: Int

    public init(
        instructions: Int? = nil,
        timeLimit: Duration = .seconds(2),
        memoryBytes: Int = 256 << 20,
        hookStep: Int = 1000,
        maxStringBytes: Int = 1 << 20,
        maxDepth: Int = 64,
        maxEntries: Int = 100_000,
        maxTotalBytes: Int = 16 << 20
    ) {
        self.instructions = instructions == .max ? nil : instructions
        self.timeLimit = timeLimit
        self.memoryBytes = memoryBytes
        self.hookStep = hookStep
        self.maxStringBytes = maxStringBytes
        self.maxDepth = maxDepth
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
    }

    /// The budget as the shim takes it: 0 for none.
    var instructionBudget: Int64 { instructions.map { Int64(max(1, $0)) } ?? 0 }

    var timeLimitNanoseconds: Int64 {
        let (s, a) = timeLimit.components
        // At most ~73 years, so that now + limit cannot overflow in the shim.
        let longest: Int64 = 1 << 61
        if s >= longest / 1_000_000_000 { return longest }
        return max(0, s * 1_000_000_000 + a / 1_000_000_000)
    }
}
