import CLuaShim

/// A record call prepared once and made for many records (one per contract) without
/// allocating: the function references and result slots are kept from call to call, and the
/// results are read in place.
public final class LuaRecordCall {
    let sandbox: LuaSandbox
    let layout: LuaRecordLayout
    let nestedLayout: LuaRecordLayout
    let nestedKey: UnsafeMutablePointer<CChar>
    let functions: [LuaFunctionRef]
    let refs: UnsafeMutablePointer<Int32>
    let results: UnsafeMutablePointer<cmrg_value>
    let readOnly: Bool

    /// Each call builds a record from `layout` with a nested record under `nestedKey`, then
    /// calls `functions` with it (read-only when `readOnly`).
    public init(layout: LuaRecordLayout, nestedKey: String, nestedLayout: LuaRecordLayout,
                functions: [LuaFunctionRef], readOnly: Bool = true) {
        sandbox = layout.sandbox
        self.layout = layout
        self.nestedLayout = nestedLayout
        var key = nestedKey
        self.nestedKey = key.withUTF8 { bytes in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withMemoryRebound(to: CChar.self) { if let b = $0.baseAddress { p.initialize(from: b, count: $0.count) } }
            p[bytes.count] = 0
            return p
        }
        self.functions = functions
        refs = .allocate(capacity: max(1, functions.count))
        for (i, f) in functions.enumerated() { refs[i] = f.ref }
        results = .allocate(capacity: max(1, functions.count))
        results.initialize(repeating: cmrg_value(), count: max(1, functions.count))
        self.readOnly = readOnly
    }

    deinit {
        nestedKey.deallocate()
        refs.deallocate()
        results.deallocate()
    }

    /// Makes the call. Results are readable with `result(_:)` until the next call into the sandbox.
    public func call(_ record: inout LuaRecordBuffer, _ nested: inout LuaRecordBuffer) throws(LuaError) {
        precondition(record.count == layout.names.count && nested.count == nestedLayout.names.count,
                     "record does not match its layout")
        let sandbox = self.sandbox
        var failed: Int32 = -1
        let status: Int32 = record.withResolved { values in
            nested.withResolved { nestedValues in
                sandbox.arm()
                defer { cmrg_disarm(sandbox.state) }
                return cmrg_call_with_record(
                    sandbox.state, layout.pointer, values, nestedKey, nestedLayout.pointer, nestedValues,
                    refs, Int32(functions.count), readOnly ? 1 : 0, results, &failed)
            }
        }
        if status != CMRG_OK {
            var error = sandbox.takeError(status: status)
            if failed >= 0, Int(failed) < functions.count { error.function = functions[Int(failed)].name }
            throw error
        }
    }

    /// What function `i` returned in the last call, copied out (bounded like every copy, and
    /// through read-only views, so a sealed table returned reads as its contents).
    public func copyResult(_ i: Int) -> LuaValue {
        precondition(i >= 0 && i < functions.count, "no such result")
        // After the call the stack holds the message handler, then one result per function.
        return sandbox.copyValue(at: Int32(2 + i), throughViews: true)
    }

    /// What function `i` returned in the last call.
    public func result(_ i: Int) -> LuaValueView {
        LuaValueView(value: results[i], maxStringBytes: sandbox.limits.maxStringBytes)
    }
}
