import CLuaShim

/// Stops a sandbox's running call from another thread (Ctrl-C): the call ends with an
/// `.interrupted` error at its next instruction (the watchdog installs the stop hook) or at
/// the next check inside a long C function. Interrupting while nothing runs has no effect on
/// later calls.
public struct LuaInterrupter: @unchecked Sendable {
    // Only the state's atomic interrupt request is touched from other threads.
    let sandbox: LuaSandbox

    public func interrupt() { cmrg_interrupt(sandbox.state) }
}

extension LuaSandbox {
    public var interrupter: LuaInterrupter { LuaInterrupter(sandbox: self) }
}
