import CSupervision
import Foundation
import Portfolio

/// What the supervisor says when it stops a run, from the breadcrumbs the child left:
/// `rule evaluation of contract C-004 "Waste collection" in score crashed (SIGSEGV): stopped;
/// nothing was written`.
enum StopReport {
    /// One worker's breadcrumbs, copied out of the page.
    struct Slot {
        var activity: UInt32
        var id: String
        var title: String
        var entry: String?
        var deadline: Int64
        var callLimit: Int64
        /// In a call into the rules (its deadline armed).
        var inCall: Bool { deadline != 0 }
        var busy: Bool { activity != UInt32(CMRG_CRUMB_IDLE.rawValue) }
    }

    /// The page as the child left it.
    struct Snapshot {
        var slots: [Slot] = []
        var crashSlot: Int?
        var addressSpaceLimit: Int64
        var addressSpaceAtCrash: Int64

        init(page: UnsafeMutablePointer<cmrg_crumb_page>) {
            let used = min(Int(page.pointee.slots_used), Int(CMRG_CRUMB_SLOTS))
            for i in 0..<used {
                var copy = cmrg_crumb_slot()
                guard cmrg_sv_read_slot(page, Int32(i), &copy) == 1 else { continue }
                slots.append(Slot(copy))
            }
            let crashed = page.pointee.crash_signal != 0 ? Int(page.pointee.crash_slot) : nil
            crashSlot = crashed.flatMap { $0 >= 0 && $0 < used ? $0 : nil }
            addressSpaceLimit = page.pointee.address_space_bytes
            addressSpaceAtCrash = page.pointee.crash_vm_bytes
            crashHandled = page.pointee.crash_signal != 0
        }

        var crashHandled: Bool

        /// Workers evaluating something, in slot order.
        var busy: [Slot] { slots.filter(\.busy) }
    }

    static let nothingWritten = "nothing was written"
    static let interrupted = "interrupted; \(nothingWritten)"
    static let interruptedAndKilled = "interrupted; the run did not stop within 2 seconds and was killed; \(nothingWritten)"

    static func crashed(signal: Int32, snapshot: Snapshot) -> String {
        let outOfMemory = snapshot.addressSpaceLimit > 0
            && snapshot.addressSpaceAtCrash >= snapshot.addressSpaceLimit - max(256 << 20, snapshot.addressSpaceLimit / 16)
        let cause = outOfMemory
            ? "ran out of memory (process memory limit of \(snapshot.addressSpaceLimit >> 20) MiB, --process-memory-limit)"
            : signal == SIGKILL ? "was killed (SIGKILL) by the system, perhaps for lack of memory"
            : "crashed (\(name(of: signal)))"
        let what: String
        if let index = snapshot.crashSlot, snapshot.slots.indices.contains(index), snapshot.slots[index].busy {
            what = describe(snapshot.slots[index])
        } else if !snapshot.crashHandled, let first = snapshot.busy.first {
            // The crash handler did not run (SIGKILL, or a thread without its own signal
            // stack): the workers that were busy are the suspects.
            what = describe(first) + others(snapshot.busy.count - 1)
        } else {
            what = "the run"
            return "\(what) \(cause) outside rule evaluation: stopped; \(nothingWritten)"
        }
        return "\(what) \(cause): stopped; \(nothingWritten)"
    }

    static func stuck(_ slot: Slot, grace: Int64) -> String {
        "\(describe(slot)) did not stop at its time limit of \(seconds(slot.callLimit)) "
            + "(still running \(seconds(grace)) later, in something the limits cannot interrupt): "
            + "killed; \(nothingWritten)"
    }

    static func runTooLong(limit: Int64, during busy: [Slot]) -> String {
        let during = busy.first.map { ", during " + describe($0) + others(busy.count - 1) } ?? ""
        return "the run took longer than its time limit of \(seconds(limit)) (--run-time-limit)\(during): "
            + "killed; \(nothingWritten)"
    }

    /// `rule evaluation of contract C-004 "Waste" in score`, `loading rules/a.lua`.
    static func describe(_ slot: Slot) -> String {
        if slot.activity == UInt32(CMRG_CRUMB_LOADING.rawValue) {
            return slot.id == "(sealing)" ? "sealing the loaded rule pack" : "loading \(TerminalText.escaped(slot.id))"
        }
        var text = "rule evaluation of contract \(TerminalText.escaped(slot.id))"
        if !slot.title.isEmpty { text += " \"\(TerminalText.escaped(slot.title))\"" }
        if slot.inCall, let entry = slot.entry { text += " in \(entry)" }
        return text
    }

    static func others(_ count: Int) -> String {
        count <= 0 ? "" : " (or one of \(count) other\(count == 1 ? "" : "s") evaluated at the same time)"
    }

    /// `2 seconds`, `0.5 seconds`, `10 minutes`.
    static func seconds(_ nanoseconds: Int64) -> String {
        let s = Double(nanoseconds) / 1e9
        if s >= 120, s.truncatingRemainder(dividingBy: 60) == 0 { return "\(String(points: s / 60)) minutes" }
        return "\(String(points: s)) second\(s == 1 ? "" : "s")"
    }

    static func name(of signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGABRT: "SIGABRT",
            SIGTRAP: "SIGTRAP", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT",
            SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}

extension StopReport.Slot {
    init(_ c: cmrg_crumb_slot) {
        var copy = c
        activity = c.activity
        id = withUnsafeBytes(of: &copy.id) { String(decoding: $0.prefix(Int(c.id_len)), as: UTF8.self) }
        title = withUnsafeBytes(of: &copy.title) { String(decoding: $0.prefix(Int(c.title_len)), as: UTF8.self) }
        let phase = Int(c.phase)
        if phase >= 0 && phase < Int(CMRG_CRUMB_ENTRIES) {
            let name = withUnsafeBytes(of: &copy.entry) { raw -> String in
                let bytes = raw[(phase * Int(CMRG_CRUMB_ENTRY_BYTES))...].prefix(Int(CMRG_CRUMB_ENTRY_BYTES))
                return String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            entry = name.isEmpty ? nil : name
        } else {
            entry = nil
        }
        deadline = c.deadline_ns
        callLimit = c.call_limit_ns
    }
}
