import CLuaShim

/// The field names of a record, interned once in one sandbox. Building a record from a
/// layout never re-hashes its keys: this is the per-row hot path.
public final class LuaRecordLayout {
    let pointer: OpaquePointer
    let sandbox: LuaSandbox  // strong: the state must outlive its layouts
    let names: [String]

    init(sandbox: LuaSandbox, names: [String]) {
        self.sandbox = sandbox
        self.names = names
        pointer = withCNames(names) { cmrg_layout_new(sandbox.state, $0, $1, $2) }
    }

    deinit { cmrg_layout_free(sandbox.state, pointer) }

    /// Makes reading a name its records do not have an error at the reading line:
    /// `<missing> 'valu_total' (did you mean 'value_total'?)`, or with `listing`,
    /// `<missing> 'x' (<listing>: a, b)` naming the known names nearest first; with no name
    /// near (and no listing), `<missing> 'x'<otherwise>`. The layout's names and `alsoKnown`
    /// (names that may be absent, e.g. a nested record's key) read as nil when a record
    /// leaves them out.
    public func refuseUnknownNames(alsoKnown: [String] = [], missing: String, listing: String? = nil,
                                   otherwise: String = "") throws(LuaError) {
        let known = names + alsoKnown.filter { !names.contains($0) }
        let status = withCNames(known) { cmrg_layout_strict(sandbox.state, pointer, $0, $1, $2, missing, listing, otherwise) }
        if status != CMRG_OK { throw sandbox.takeError(status: status) }
    }
}

/// The values of one record in layout order, reusable from row to row without allocating:
/// strings are copied into one growing byte arena.
public struct LuaRecordBuffer {
    var values: [cmrg_value]
    var arena: [UInt8] = []

    public init(count: Int) {
        values = [cmrg_value](repeating: cmrg_value(), count: count)
        arena.reserveCapacity(1024)
    }

    public var count: Int { values.count }

    /// Clears every field to nil and drops the string bytes (keeps the capacity).
    public mutating func reset() {
        for i in values.indices { values[i].type = Int32(CMRG_NIL.rawValue) }
        arena.removeAll(keepingCapacity: true)
    }

    public mutating func set(_ i: Int, integer: Int64) {
        values[i].type = Int32(CMRG_INT.rawValue)
        values[i].i = integer
    }

    public mutating func set(_ i: Int, number: Double) {
        values[i].type = Int32(CMRG_NUM.rawValue)
        values[i].n = number
    }

    public mutating func set(_ i: Int, string: String) {
        var s = string
        s.withUTF8 { set(i, utf8: $0) }
    }

    public mutating func set(_ i: Int, utf8 bytes: UnsafeBufferPointer<UInt8>) {
        // The pointer is fixed up at call time (the arena may move while growing); keep the
        // offset in `i` meanwhile.
        values[i].type = Int32(CMRG_STR.rawValue)
        values[i].i = Int64(arena.count)
        values[i].len = bytes.count
        arena.append(contentsOf: bytes)
    }

    /// Runs `body` with the C values, string pointers resolved into the arena.
    mutating func withResolved<R>(_ body: (UnsafePointer<cmrg_value>) -> R) -> R {
        arena.withUnsafeBufferPointer { bytes in
            let base = bytes.baseAddress.map { UnsafeRawPointer($0) }
            for i in values.indices where values[i].type == Int32(CMRG_STR.rawValue) {
                values[i].s = base.map { ($0 + Int(values[i].i)).assumingMemoryBound(to: CChar.self) }
                    ?? UnsafePointer(bitPattern: 1)
            }
            return values.withUnsafeBufferPointer { body($0.baseAddress!) }
        }
    }
}

extension LuaSandbox {
    public func makeLayout(_ names: [String]) -> LuaRecordLayout {
        LuaRecordLayout(sandbox: self, names: names)
    }
}
