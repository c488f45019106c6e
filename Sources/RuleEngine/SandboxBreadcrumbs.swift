import Breadcrumbs
import LuaHost

extension BreadcrumbSlot {
    /// Lets the supervisor watch `sandbox`'s calls: their deadlines and entry points go to
    /// this slot (see LuaSandbox.mirrorCalls), named `entryPoints`.
    func watch(_ sandbox: LuaSandbox, entryPoints: [EntryPoint] = []) {
        sandbox.mirrorCalls(deadline: deadlinePointer, phase: phasePointer)
        setCallTimeLimit(nanoseconds: sandbox.callTimeLimitNanoseconds)
        nameEntryPoints(entryPoints.map(\.rawValue))
    }
}
