import CSupervision

/// One worker's breadcrumbs: what it is doing (loading a rule file, evaluating a subject),
/// which entry point of its call runs and the call's deadline. Used by one thread at a time.
/// Entering costs a few stores and two short copies, no system call.
public final class BreadcrumbSlot: @unchecked Sendable {
    private let owner: Breadcrumbs
    let slot: UnsafeMutablePointer<cmrg_crumb_slot>
    let index: Int

    init(owner: Breadcrumbs, slot: UnsafeMutablePointer<cmrg_crumb_slot>, index: Int) {
        self.owner = owner
        self.slot = slot
        self.index = index
        cmrg_crumb_leave(slot)
        slot.pointee.phase = -1
        slot.pointee.deadline_ns = 0
    }

    deinit {
        cmrg_crumb_leave(slot)
        owner.release(index)
    }

    /// Where the call machinery writes the deadline of the call running (CLOCK_MONOTONIC
    /// nanoseconds; 0 = no call) and the index of the entry point running (-1 = none).
    public var deadlinePointer: UnsafeMutablePointer<Int64> {
        UnsafeMutableRawPointer(slot).advanced(by: MemoryLayout<cmrg_crumb_slot>.offset(of: \.deadline_ns)!)
            .assumingMemoryBound(to: Int64.self)
    }

    public var phasePointer: UnsafeMutablePointer<Int32> {
        UnsafeMutableRawPointer(slot).advanced(by: MemoryLayout<cmrg_crumb_slot>.offset(of: \.phase)!)
            .assumingMemoryBound(to: Int32.self)
    }

    /// The time limit of each call (shown when a call is stuck past it).
    public func setCallTimeLimit(nanoseconds: Int64) { slot.pointee.call_limit_ns = nanoseconds }

    /// The names of the entry points the phase counts (`["tier", "score"]`).
    public func nameEntryPoints(_ names: [String]) {
        for (i, name) in names.enumerated() {
            var name = name
            name.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { cmrg_crumb_name_entry(slot, Int32(i), $0.baseAddress, $0.count) }
            }
        }
    }

    /// Loading rule file `file` (or sealing the loaded pack).
    public func loading(_ file: String) {
        var file = file
        file.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                cmrg_crumb_enter(slot, UInt32(CMRG_CRUMB_LOADING.rawValue), $0.baseAddress, $0.count, nil, 0)
            }
        }
    }

    /// Evaluating the subject (contract) `id` titled `title`.
    @inline(__always)
    public func evaluating(id: String, title: String) {
        var id = id, title = title
        id.withUTF8 { idBytes in
            title.withUTF8 { titleBytes in
                idBytes.withMemoryRebound(to: CChar.self) { i in
                    titleBytes.withMemoryRebound(to: CChar.self) { t in
                        cmrg_crumb_enter(slot, UInt32(CMRG_CRUMB_SUBJECT.rawValue), i.baseAddress, i.count,
                                         t.baseAddress, t.count)
                    }
                }
            }
        }
    }

    /// Done with the subject or file.
    @inline(__always)
    public func idle() { cmrg_crumb_leave(slot) }
}
