import CLuaShim

/// A safe Lua 5.4 state for untrusted scripts. It knows nothing about what the scripts are
/// for: it loads text chunks into one sandboxed environment, calls functions under limits,
/// and copies values out. Not thread-safe: use one sandbox per thread.
///
/// Scripts see only: base functions without dofile/loadfile/require/collectgarbage/print
/// (print is captured), a text-only `load` whose default environment is the sandbox's (and
/// which refuses the host's chunk names), `setmetatable`/`rawset`/assignment that keep
/// `__gc`/`__close`/`__mode` out of metatables, a `rawset` that refuses read-only tables,
/// `pairs` and `next` with a fixed key order, `pcall`/`xpcall` that cannot outlive a limit,
/// and copies of the string (without dump; pattern matching and rep hardened),
/// table (hardened), math (without random) and utf8 libraries. No io, os, package, debug or
/// coroutine. See README.md, "The rule sandbox".
public final class LuaSandbox {
    let state: OpaquePointer
    let limits: LuaLimits
    private var hostFunctions: [HostFunctionBox] = []
    private var chunkNames: Set<String> = []
    /// Lines written by scripts with `print`, in order (bounded to the last 1,000, each cut
    /// after 16 KiB).
    public private(set) var printed: [String] = []

    public init(limits: LuaLimits = LuaLimits()) throws(LuaError) {
        guard let L = cmrg_newstate(limits.memoryBytes, Int32(clamping: limits.hookStep)) else {
            throw LuaError(kind: .memoryLimit, message: "cannot create a Lua state")
        }
        state = L
        self.limits = limits
        let status = cmrg_open_sandbox(L)
        if status != CMRG_OK { throw takeError(status: status) }
        cmrg_settop(L, 0)
        try register("print") { [unowned self] _, args in
            var line = args.map(\.printDescription).joined(separator: "\t")
            if line.utf8.count > Self.maxPrintedLine {
                var whole = line
                line = whole.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) {
                        boundedString($0.baseAddress, count: $0.count, maxBytes: Self.maxPrintedLine)
                    }
                }
            }
            if printed.count >= 1000 { printed.removeFirst(printed.count - 999) }
            printed.append(line)
            return []
        }
    }

    deinit {
        cmrg_close(state)
    }

    static let maxPrintedLine = 16 << 10

    /// The most bytes the state has held (for tests of the memory cap).
    var memoryPeak: Int { Int(cmrg_budget_of(state).pointee.mem_peak) }

    // MARK: loading

    /// Compiles and runs a text chunk in the sandbox environment. `chunkName` is what error
    /// messages show (e.g. a file path). Binary chunks are refused.
    public func run(_ source: String, chunkName: String) throws(LuaError) {
        chunkNames.insert(chunkName)
        if source.utf8.first == 0x1B {
            throw LuaError(kind: .refused, chunk: chunkName,
                           message: "precompiled (binary) chunks are not allowed; load Lua source text")
        }
        var text = source
        let status = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                arm()
                defer { cmrg_disarm(state) }
                return cmrg_run_chunk(state, chars.baseAddress, chars.count, "@" + chunkName)
            }
        }
        if status != CMRG_OK {
            var error = takeError(status: status)
            if error.chunk == nil { error.chunk = chunkName } // e.g. "C stack overflow" while parsing
            throw error
        }
    }

    /// Makes a Swift function callable from scripts as a global. Register before `seal()`.
    /// Its call site tells which entry point runs (`phase`), not the caller's chunk and line.
    public func register(_ name: String, _ body: @escaping LuaHostFunction) throws(LuaError) {
        let box = HostFunctionBox(body: body, limits: limits)
        hostFunctions.append(box)
        let status = cmrg_register(state, name, hostThunk, Unmanaged.passUnretained(box).toOpaque())
        if status != CMRG_OK { throw takeError(status: status) }
    }

    /// Freezes everything defined so far: every table the globals reach (through values, keys,
    /// metatables and functions' upvalues) becomes read-only, and globals assigned from now on
    /// land in a scratch layer that `resetScratch()` empties, so one call cannot leave
    /// anything behind for the next. What cannot be frozen is refused, naming its file and
    /// line: a function that assigns a local it keeps from loading, an iterator made while
    /// loading. Sealing runs under the limits of a call; a limit it reaches names the global
    /// it was sealing and the file that defined it.
    public func seal() throws(LuaError) {
        arm()
        let status = cmrg_seal(state)
        cmrg_disarm(state)
        guard status != CMRG_OK else { return }
        var error = takeError(status: status)
        if [.memoryLimit, .timeLimit, .instructionLimit, .interrupted].contains(error.kind) {
            var line: Int32 = 0
            var global: UnsafePointer<CChar>?
            let chunk = cmrg_seal_where(state, &line, &global)
            if let global { error.message += " while sealing '\(String(cString: global))'" }
            if let chunk {
                error.chunk = fullChunkName(String(cString: chunk))
                error.line = line > 0 ? Int(line) : nil
            }
        }
        throw error
    }

    /// After `seal()`: a name that does not exist is an error at the line that uses it, not
    /// a nil. Reading an undefined global, or assigning a global the loaded chunks did not
    /// define, raises `'totl' is not defined — a typo of the local 'total'?`; reading a key
    /// the tables under each of `tables` lack raises `settings.tier.x does not exist (did you
    /// mean y?)`. `declared` globals count as defined even when they hold nil.
    public func makeStrict(tables: [String], declared: [String] = []) throws(LuaError) {
        arm() // a walk over settings as large as sealing's: under the same limits
        defer { cmrg_disarm(state) }
        var status = withCNames(declared) { cmrg_strict_globals(state, $0, $1, $2) }
        if status != CMRG_OK { throw takeError(status: status) }
        for name in tables {
            status = cmrg_strict_settings(state, name)
            if status != CMRG_OK { throw takeError(status: status) }
        }
    }

    /// Forgets globals assigned since `seal()` (cheap when there are none).
    public func resetScratch() throws(LuaError) {
        let status = cmrg_reset_scratch(state)
        if status != CMRG_OK { throw takeError(status: status) }
    }

    // MARK: reading

    /// A copy of a global's value (raw lookup: no metamethod runs).
    public func global(_ name: String) -> LuaValue {
        _ = cmrg_push_global(state, name)
        defer { cmrg_settop(state, 0) }
        return copyValue(at: -1)
    }

    /// The type name of a global, without copying it.
    public func globalType(_ name: String) -> String {
        let t = cmrg_push_global(state, name)
        cmrg_settop(state, 0)
        return String(cString: cmrg_typename(state, t))
    }

    /// A handle on a global function (to call with a `LuaRecordCall`), or nil when the global
    /// is not a function.
    public func function(_ name: String) -> LuaFunctionRef? {
        let t = cmrg_push_global(state, name)
        guard t == CMRG_TFUNCTION else {
            cmrg_settop(state, 0)
            return nil
        }
        return LuaFunctionRef(ref: cmrg_ref(state), name: name)
    }

    func arm() {
        cmrg_arm(state, limits.instructionBudget, limits.timeLimitNanoseconds)
        cmrg_coverage_rearm(state) // coverage (LuaCoverage.swift) chains its line hook; no-op when off
    }

    // MARK: errors

    /// Turns the error object on the stack top into a LuaError and pops it.
    func takeError(status: Int32) -> LuaError {
        let budget = cmrg_budget_of(state).pointee
        var whereLine: Int32 = 0
        var whereChunk = cmrg_error_where(state, &whereLine).map { String(cString: $0) }
        var refusedLine: Int32 = 0
        let refusedChunk = cmrg_refused_where(state, &refusedLine).map { String(cString: $0) }
        var length = 0
        let raw = cmrg_error_message(state, &length)!
        let text = String(decoding: UnsafeRawBufferPointer(start: raw, count: length), as: UTF8.self)
        cmrg_settop(state, 0)

        var kind: LuaError.Kind = status == CMRG_ERRSYNTAX ? .syntax : .runtime
        switch Int32(budget.tripped) {
        case Int32(CMRG_TRIP_INSTRUCTIONS.rawValue): kind = .instructionLimit
        case Int32(CMRG_TRIP_TIME.rawValue): kind = .timeLimit
        case Int32(CMRG_TRIP_MEMORY.rawValue): kind = .memoryLimit
        case Int32(CMRG_TRIP_INTERRUPT.rawValue): kind = .interrupted
        default: if status == CMRG_ERRMEM { kind = .memoryLimit }
        }
        var error = LuaError(kind: kind, message: text)
        if status == CMRG_ERRMEM || kind == .memoryLimit, let refusedChunk {
            // Memory errors run no message handler: the allocator noted where it said no
            // (for a caught memory error, that line rather than where the script went on).
            whereChunk = refusedChunk
            whereLine = refusedLine
            error.chunk = refusedChunk
            error.line = Int(refusedLine)
        } else if let located = LuaError.splitLocation(Substring(text)) {
            error.chunk = located.chunk
            error.line = located.line
            error.message = located.message
        } else if let whereChunk {
            error.chunk = whereChunk
            error.line = Int(whereLine)
        }
        switch kind {
        case .memoryLimit: error.message = "memory limit of \(limits.memoryBytes >> 20) MiB exceeded"
        case .timeLimit: error.message = "time limit of \(limits.timeLimit) exceeded"
        case .instructionLimit:
            error.message = "instruction limit of \(limits.instructions ?? 0) exceeded (an endless loop?)"
        default: break
        }
        if error.chunk == nil, let whereChunk {
            error.chunk = whereChunk
            error.line = Int(whereLine)
        }
        error.chunk = error.chunk.map(fullChunkName)
        return error
    }

    /// Lua shortens long chunk names in messages to "...tail"; give back the full name.
    func fullChunkName(_ shown: String) -> String {
        guard shown.hasPrefix("...") else { return shown }
        let tail = shown.dropFirst(3)
        return chunkNames.filter { $0.hasSuffix(tail) }.min() ?? shown
    }

    // MARK: copying values out

    /// Copies the value at a stack index using raw, non-raising accesses only.
    func copyValue(at index: Int32, throughViews: Bool = false) -> LuaValue {
        var copier = ValueCopier(state: state, limits: limits, throughViews: throughViews)
        return copier.copy(at: cmrg_absindex(state, index), depth: 0)
    }
}

/// A registry handle on a Lua function held by one sandbox.
public struct LuaFunctionRef: Sendable, Hashable {
    let ref: Int32
    let name: String
}
