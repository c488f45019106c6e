/// Limits that bound every host call into Lua. A script cannot lift them: the instruction
/// hook keeps firing after the first error, the allocator refuses memory past the cap, and
/// the wall-clock deadline is checked by the hook.
public struct LuaLimits: Sendable, Equatable {
    /// VM instructions one host call may run.
    public var instructions: Int
    /// Wall-clock time one host call may take.
    public var timeLimit: Duration
    /// Bytes the whole Lua state may hold.
    public var memoryBytes: Int
    /// Instructions between two checks of the budget (smaller: finer, slower).
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
        instructions: Int = 50_000_000,
        timeLimit: Duration = .seconds(2),
        memoryBytes: Int = 256 << 20,
        hookStep: Int = 1000,
        maxStringBytes: Int = 1 << 20,
        maxDepth: Int = 64,
        maxEntries: Int = 100_000,
        maxTotalBytes: Int = 16 << 20
    ) {
        self.instructions = instructions
        self.timeLimit = timeLimit
        self.memoryBytes = memoryBytes
        self.hookStep = hookStep
        self.maxStringBytes = maxStringBytes
        self.maxDepth = maxDepth
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
    }

    var timeLimitNanoseconds: Int64 {
        let (s, a) = timeLimit.components
        // At most ~73 years, so that now + limit cannot overflow in the shim.
        let longest: Int64 = 1 << 61
        if s >= longest / 1_000_000_000 { return longest }
        return max(0, s * 1_000_000_000 + a / 1_000_000_000)
    }
}
