import Breadcrumbs
import Foundation

/// The limits the supervisor holds a whole run to (README, "The rule sandbox"): the time the
/// run may take, and the address space of the process (every Lua state and the host
/// together); each as asked, or by default from the run's size.
public struct RunLimits: Sendable, Equatable {
    /// Seconds the whole run may take; nil: no limit.
    public var seconds: Double?
    /// MiB of address space; nil: no limit.
    public var addressSpaceMiB: Int?

    /// The longest run time limit that can be asked for, in seconds.
    public static let mostSeconds: Double = 1_000_000_000
    /// The address space limits that can be asked for, in MiB (less would not start a run).
    public static let addressSpaceMiBRange = 256...(1 << 30)

    /// What is wrong with limits given as options (`--run-time-limit` …), or nil.
    public static func problem(seconds: Double?, addressSpaceMiB: Int?) -> String? {
        if let seconds, !(seconds >= 0 && seconds <= mostSeconds) {
            return "--run-time-limit must be a number of seconds from 0 (no limit) to \(Int(mostSeconds))"
        }
        let range = addressSpaceMiBRange
        if let addressSpaceMiB, addressSpaceMiB != 0, !range.contains(addressSpaceMiB) {
            return "--process-memory-limit must be 0 (no limit) or from \(range.lowerBound) to \(range.upperBound) MiB"
        }
        return nil
    }

    /// `seconds` and `addressSpaceMiB` as asked (0: no limit), or when nil the defaults for a
    /// run over `register` with `luaStates` Lua states of at most `luaStateMiB` each: 10
    /// minutes plus one per 20 MB of register; 8192 MiB, or 4096 + 2 x states x (MiB per
    /// state + 128) when that is more.
    public init(seconds: Double?, addressSpaceMiB: Int?, register: String?, luaStates: Int, luaStateMiB: Int) {
        let seconds = seconds ?? Self.defaultSeconds(register: register)
        self.seconds = seconds > 0 ? seconds : nil
        let mebibytes = addressSpaceMiB ?? max(8192, 4096 + 2 * luaStates * (luaStateMiB + 128))
        self.addressSpaceMiB = mebibytes > 0 ? mebibytes : nil
    }

    /// 10 minutes for a council's register, one more per 20 MB (about 100,000 contracts).
    public static func defaultSeconds(register: String?) -> Double {
        let bytes = register.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int } ?? 0
        return 600 + 60 * Double((bytes + 19_999_999) / 20_000_000)
    }

    /// Hands the limits to the supervisor; a process without one (in-process) has none to keep.
    public func apply() throws(AddressSpaceLimitError) {
        guard let crumbs = Breadcrumbs.current else { return }
        crumbs.limitRunTime(seconds: seconds)
        if let addressSpaceMiB { try crumbs.limitAddressSpace(bytes: addressSpaceMiB << 20) }
    }
}
