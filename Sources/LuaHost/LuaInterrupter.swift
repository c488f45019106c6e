import CLuaShim

/// Stops a sandbox's running call from another thread (a watchdog, Ctrl-C): the call ends
/// with a `.interrupted` error at its next budget check, inside the VM or inside a long C
/// function. Interrupting while nothing runs has no effect on later calls.
public struct LuaInterrupter: @unchecked Sendable {
    // Only the budget's interrupt flag is touched from other threads.
    let sandbox: LuaSandbox

    public func interrupt() { cmrg_interrupt(sandbox.state) }
}

extension LuaSandbox {
    public var interrupter: LuaInterrupter { LuaInterrupter(sandbox: self) }
}
