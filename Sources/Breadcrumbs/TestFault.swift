import Foundation

/// A fault the CLI tests inject to show that the supervisor contains what the in-process
/// sandbox cannot: `CMRG_TEST_FAULT=segv|hang|oom@CONTRACT_ID`, honoured only when
/// `CMRG_TEST_FAULTS=enabled` is set too (a hidden test hook, in no help text). The rule
/// engine then offers a host function `test_fault(id)` that misbehaves when `id` is the
/// contract named: a crash, a call that never returns, or allocations until memory runs out
/// — what a bug in C library code would do. `@(output)` fires in the atomic file writer instead.
public struct TestFault: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case segv, hang, oom
    }

    public var kind: Kind
    public var contractID: String

    public static let configured: TestFault? = {
        let environment = ProcessInfo.processInfo.environment
        guard environment["CMRG_TEST_FAULTS"] == "enabled", let spec = environment["CMRG_TEST_FAULT"],
              let at = spec.firstIndex(of: "@"), let kind = Kind(rawValue: String(spec[..<at]))
        else { return nil }
        return TestFault(kind: kind, contractID: String(spec[spec.index(after: at)...]))
    }()

    /// The target that fires in the atomic file writer just before it renames its temporary
    /// file (`segv@(output)`), to show the supervisor removes what the child left.
    public static let outputTarget = "(output)"

    /// The name of the host function the rule engine registers.
    public static let functionName = "test_fault"

    /// Misbehaves when `id` is the contract named; returns otherwise.
    public func fire(for id: String) {
        guard id == contractID else { return }
        switch kind {
        case .segv:
            UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1
        case .hang:
            while true { sleep(60) }
        case .oom:
            var kept: [UnsafeMutableRawPointer] = []
            while true { kept.append(UnsafeMutableRawPointer.allocate(byteCount: 64 << 20, alignment: 16)) }
        }
    }
}
