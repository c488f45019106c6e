import CLuaShim

/// What an argument of a recorder must be for the call to be recorded without Swift.
public enum LuaArgumentCheck: Sendable {
    case any, notNil, string, finiteNumber

    var cValue: Int32 {
        switch self {
        case .any: Int32(CMRG_CHECK_ANY.rawValue)
        case .notNil: Int32(CMRG_CHECK_NOT_NIL.rawValue)
        case .string: Int32(CMRG_CHECK_STRING.rawValue)
        case .finiteNumber: Int32(CMRG_CHECK_FINITE_NUMBER.rawValue)
        }
    }
}

/// A host function that only records its calls: scripts call it many times per host call
/// (e.g. once per scored factor), so it runs in C, checks its arguments and copies them into
/// a `LuaCallLog` the host reads afterwards. Calls that fail the checks go to `fallback`, a
/// normal host function, which raises the error the script should see.
public struct LuaRecorder {
    public var name: String
    /// Reported as `LuaLoggedCall.recorder`.
    public var id: Int
    /// Checks of the leading arguments (at most 4).
    public var checks: [LuaArgumentCheck]
    /// Arguments kept when the log's detail is `.lean`; nil: lean calls are not recorded.
    public var leanArguments: Int?
    /// Arguments kept when the log's detail is `.full` (with the caller's chunk and line).
    public var fullArguments: Int
    /// 1-based argument returned to the script unchanged; nil: returns nothing.
    public var returnsArgument: Int?
    public var fallback: LuaHostFunction

    public init(name: String, id: Int, checks: [LuaArgumentCheck], leanArguments: Int?, fullArguments: Int,
                returnsArgument: Int?, fallback: @escaping LuaHostFunction) {
        precondition(checks.count <= Int(CMRG_RECORDER_MAX_CHECKS), "at most 4 argument checks")
        self.name = name
        self.id = id
        self.checks = checks
        self.leanArguments = leanArguments
        self.fullArguments = fullArguments
        self.returnsArgument = returnsArgument
        self.fallback = fallback
    }
}

/// The calls recorders made during one host call. Read it after the call and before the next
/// `reset`; everything it hands out points into memory of the Lua state and is valid until then.
public final class LuaCallLog {
    public enum Detail: Sendable { case lean, full }

    let pointer: OpaquePointer
    let sandbox: LuaSandbox  // strong: the state owns the log's memory
    private var fallbacks: [HostFunctionBox] = []

    init(sandbox: LuaSandbox, pointer: OpaquePointer) {
        self.sandbox = sandbox
        self.pointer = pointer
    }

    /// At most `bytes` of text recorded between two resets (the string arguments kept, plus 64
    /// bytes a call, whatever the detail); the call that goes past it raises an error. nil: no limit.
    public func limitText(to bytes: Int?) { cmrg_log_limit_text(pointer, bytes.map { max(1, $0) } ?? 0) }

    /// Empties the log; calls from now on are recorded with `detail`.
    public func reset(_ detail: Detail) {
        cmrg_log_reset(pointer, detail == .full ? 1 : 0)
    }

    var count: Int { Int(cmrg_log_count(pointer)) }

    /// Runs `body` with the recorded calls, in call order.
    public func withCalls<R>(_ body: (LuaLoggedCalls) throws -> R) rethrows -> R {
        let n = count
        let entries = cmrg_log_entries(pointer)
        let values = cmrg_log_values(pointer)
        return try body(LuaLoggedCalls(log: pointer, entries: entries, values: values, count: n,
                                       maxStringBytes: sandbox.limits.maxStringBytes))
    }

    func register(_ recorder: LuaRecorder) throws(LuaError) {
        let box = HostFunctionBox(body: recorder.fallback, limits: sandbox.limits)
        fallbacks.append(box)
        var spec = cmrg_recorder_spec()
        spec.id = Int32(recorder.id)
        withUnsafeMutableBytes(of: &spec.checks) { raw in
            let checks = raw.bindMemory(to: Int32.self)
            for (i, check) in recorder.checks.enumerated() { checks[i] = check.cValue }
        }
        spec.lean_args = recorder.leanArguments.map(Int32.init) ?? -1
        spec.full_args = Int32(recorder.fullArguments)
        spec.returns_arg = recorder.returnsArgument.map(Int32.init) ?? 0
        let status = cmrg_register_recorder(sandbox.state, recorder.name, pointer, &spec, hostThunk,
                                            Unmanaged.passUnretained(box).toOpaque())
        if status != CMRG_OK { throw sandbox.takeError(status: status) }
    }
}

/// The calls of a log, by index.
public struct LuaLoggedCalls {
    let log: OpaquePointer
    let entries: UnsafePointer<cmrg_log_entry>?
    let values: UnsafePointer<cmrg_value>?
    public let count: Int
    let maxStringBytes: Int

    public subscript(_ i: Int) -> LuaLoggedCall {
        let e = entries![i]
        return LuaLoggedCall(entry: e, log: log, values: values, maxStringBytes: maxStringBytes)
    }
}

/// One recorded call.
public struct LuaLoggedCall {
    let entry: cmrg_log_entry
    let log: OpaquePointer
    let values: UnsafePointer<cmrg_value>?
    let maxStringBytes: Int

    public var recorder: Int { Int(entry.recorder) }
    /// Which function of a record call was running (`callWithRecord`'s order), -1 outside.
    public var phase: Int { Int(entry.phase) }
    /// The calling script's line (full detail; 0 when unknown).
    public var line: Int { Int(entry.line) }
    /// The calling script's chunk name bytes (full detail; nil when unknown).
    public var chunk: UnsafeRawBufferPointer? {
        guard entry.source_len >= 0 else { return nil }
        return UnsafeRawBufferPointer(start: cmrg_log_bytes(log, entry.source), count: Int(entry.source_len))
    }
    public var argumentCount: Int { Int(entry.nargs) }
    public func argument(_ k: Int) -> LuaValueView {
        LuaValueView(value: values![Int(entry.first) + k], maxStringBytes: maxStringBytes)
    }
}

/// A plain value read in place, without copying (strings stay in Lua or log memory and are
/// valid only as long as the call or log they came from).
public struct LuaValueView {
    let value: cmrg_value
    /// Longest string `scalar` copies (the sandbox's `maxStringBytes`); longer ones are cut.
    public let maxStringBytes: Int

    public var isNil: Bool { value.type == Int32(CMRG_NIL.rawValue) }
    /// The bytes of a string argument.
    public var stringBytes: UnsafeRawBufferPointer? {
        guard value.type == Int32(CMRG_STR.rawValue) else { return nil }
        return UnsafeRawBufferPointer(start: value.s, count: value.len)
    }
    /// An integer or float argument as a Double.
    public var doubleValue: Double? {
        switch value.type {
        case Int32(CMRG_INT.rawValue): Double(value.i)
        case Int32(CMRG_NUM.rawValue): value.n
        default: nil
        }
    }
    /// A copy as a scalar (strings decoded as a host function would see them).
    public var scalar: LuaScalar { LuaScalar(value, maxStringBytes: maxStringBytes) }
}

extension LuaSandbox {
    /// A call log with its recorders registered as globals. Register before `seal()`.
    public func makeCallLog(_ recorders: [LuaRecorder]) throws(LuaError) -> LuaCallLog {
        guard let pointer = cmrg_log_new(state) else {
            throw LuaError(kind: .memoryLimit, message: "cannot create a call log")
        }
        let log = LuaCallLog(sandbox: self, pointer: pointer)
        for recorder in recorders { try log.register(recorder) }
        return log
    }
}
