import CLuaShim

extension LuaSandbox {
    /// Tells another process which call runs: while a call into the sandbox is armed,
    /// `deadline` holds its CLOCK_MONOTONIC deadline in nanoseconds (`Int64.max` without a
    /// time limit, 0 between calls) and `phase` the index of the record call's function
    /// running (-1 none). A supervisor that shares this memory can then tell a call stuck in
    /// C code the limits cannot interrupt, and name its entry point after a crash. The memory
    /// must outlive the sandbox or the next `mirrorCalls(deadline: nil, phase: nil)`.
    public func mirrorCalls(deadline: UnsafeMutablePointer<Int64>?, phase: UnsafeMutablePointer<Int32>?) {
        cmrg_mirror_call(state, deadline, phase)
    }

    /// The time limit of each call, in nanoseconds (0 = none).
    public var callTimeLimitNanoseconds: Int64 { limits.timeLimitNanoseconds }
}
