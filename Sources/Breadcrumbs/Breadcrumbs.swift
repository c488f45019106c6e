import CSupervision
import Foundation

/// The supervised side of the second line of defence: the breadcrumb page the supervisor
/// (module Supervisor) shares with this process. Workers say which subject (contract) they
/// are evaluating, the call machinery mirrors the deadline and entry point of the call
/// running, and the atomic file writer records its temporary files; when this process
/// crashes, is stuck in a call or overruns the run, the supervisor reads the page to say
/// where, and removes the temporary files.
///
/// `current` is nil when the process is not supervised (run in-process, or a library user):
/// every caller then skips its breadcrumbs at the cost of one nil check.
public final class Breadcrumbs: @unchecked Sendable {
    /// The environment variable that hands the page's descriptor to the supervised process.
    public static let pageVariable = "CMRG_SUPERVISOR_PAGE"

    /// This process's page, attached (and its crash handler installed) on first use.
    public static let current: Breadcrumbs? = attach()

    let page: UnsafeMutablePointer<cmrg_crumb_page>
    private let lock = NSLock()
    private var freeSlots: [Int] = []
    private var nextSlot = 0

    private init(page: UnsafeMutablePointer<cmrg_crumb_page>) { self.page = page }

    private static func attach() -> Breadcrumbs? {
        guard let text = ProcessInfo.processInfo.environment[pageVariable], let fd = Int32(text) else { return nil }
        unsetenv(pageVariable) // programs cmrg starts (git) are not supervised by it
        guard let page = cmrg_crumb_attach(fd) else { return nil }
        return Breadcrumbs(page: page)
    }

    /// A slot for one worker (one Lua state), given back when the slot is released.
    public func claimSlot() -> BreadcrumbSlot {
        lock.lock()
        defer { lock.unlock() }
        let index: Int
        if let reused = freeSlots.popLast() {
            index = reused
        } else {
            index = nextSlot % Int(CMRG_CRUMB_SLOTS) // past 256 workers, slots are shared
            nextSlot += 1
            page.pointee.slots_used = UInt32(min(nextSlot, Int(CMRG_CRUMB_SLOTS)))
        }
        return BreadcrumbSlot(owner: self, slot: slotPointer(index), index: index)
    }

    func release(_ index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if nextSlot <= Int(CMRG_CRUMB_SLOTS) { freeSlots.append(index) }
    }

    func slotPointer(_ index: Int) -> UnsafeMutablePointer<cmrg_crumb_slot> {
        withUnsafeMutablePointer(to: &page.pointee.slots) { tuple in
            UnsafeMutableRawPointer(tuple).assumingMemoryBound(to: cmrg_crumb_slot.self) + index
        }
    }

    // MARK: run limits

    /// The whole run may take `seconds` (nil: no limit), counted from when the supervisor
    /// started; the supervisor stops it past that.
    public func limitRunTime(seconds: Double?) {
        let nanoseconds = seconds.map { $0 * 1e9 } ?? 0
        page.pointee.run_limit_ns = nanoseconds >= 9e18 ? .max : Int64(max(0, nanoseconds))
    }

    /// Caps this process's address space (RLIMIT_AS) at `bytes`; an allocation past it fails,
    /// and the crash that follows is reported as running out of memory.
    public func limitAddressSpace(bytes: Int) throws(AddressSpaceLimitError) {
        let error = cmrg_crumb_limit_address_space(page, Int64(bytes))
        if error != 0 { throw AddressSpaceLimitError(bytes: bytes, reason: String(cString: strerror(error))) }
    }

    // MARK: temporary files

    /// Records a temporary file (the path made absolute), so that it is removed if this process
    /// dies before it renames or removes it; nil when it cannot be recorded (too many open or
    /// too long a path: the file is then only removed by this process, as without a supervisor).
    public func addTemporary(_ path: String) -> Int? {
        var absolute = path
        if !path.hasPrefix("/") {
            absolute = FileManager.default.currentDirectoryPath + "/" + path
        }
        let index = absolute.withCString { cmrg_crumb_add_temp(page, $0, strlen($0)) }
        return index >= 0 ? Int(index) : nil
    }

    public func removeTemporary(_ index: Int) { cmrg_crumb_remove_temp(page, Int32(index)) }
}

public struct AddressSpaceLimitError: Error, CustomStringConvertible {
    public var bytes: Int
    public var reason: String
    public var description: String { "cannot limit the process's memory to \(bytes >> 20) MiB: \(reason)" }
}
