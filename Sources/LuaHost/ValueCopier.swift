import CLuaShim

/// Copies Lua values to Swift with raw accesses only (no metamethod runs, nothing raises),
/// bounded in depth, entries and string bytes, and safe on cycles. A table reached twice is
/// copied once (the copies share storage), so shared sub-tables cannot multiply the work.
struct ValueCopier {
    let state: OpaquePointer
    let limits: LuaLimits
    private var onPath: Set<UnsafeRawPointer> = []
    private var copied: [UnsafeRawPointer: LuaValue] = [:]
    private var entriesLeft: Int
    private var bytesLeft: Int
    /// Read-only views (sealed tables, records) are copied as the table behind them, as a
    /// script reading them sees it; otherwise a view copies as the empty table it is.
    let throughViews: Bool

    init(state: OpaquePointer, limits: LuaLimits, throughViews: Bool = false) {
        self.state = state
        self.limits = limits
        self.throughViews = throughViews
        self.entriesLeft = limits.maxEntries
        self.bytesLeft = limits.maxTotalBytes
    }

    mutating func copy(at index: Int32, depth: Int) -> LuaValue {
        switch cmrg_type(state, index) {
        case CMRG_TFUNCTION: return .function
        case CMRG_TTABLE: return copyTable(at: index, depth: depth)
        default: break
        }
        var v = cmrg_value()
        cmrg_to_value(state, index, &v)
        switch Int(v.type) {
        case Int(CMRG_BOOL.rawValue): return .boolean(v.i != 0)
        case Int(CMRG_INT.rawValue): return .integer(v.i)
        case Int(CMRG_NUM.rawValue): return .number(v.n)
        case Int(CMRG_STR.rawValue): return .string(copyString(v))
        case Int(CMRG_OTHER.rawValue): return .unsupported(String(cString: v.s))
        default: return .nil
        }
    }

    /// A string value's bytes (read in place: nothing is converted or allocated in Lua).
    private mutating func copyString(_ v: cmrg_value) -> String {
        let text = boundedString(v.s, count: v.len, maxBytes: min(limits.maxStringBytes, bytesLeft))
        bytesLeft -= min(v.len, limits.maxStringBytes, bytesLeft)
        return text
    }

    private mutating func copyTable(at index: Int32, depth: Int) -> LuaValue {
        if throughViews, cmrg_checkstack(state, 2) != 0, cmrg_view_target(state, index) != 0 {
            defer { cmrg_pop(state, 1) }
            return copyTable(at: cmrg_gettop(state), depth: depth)
        }
        guard let identity = cmrg_topointer(state, index) else { return .unsupported("table") }
        if let done = copied[identity] { return done }
        if onPath.contains(identity) { return .unsupported("cycle") }
        if depth >= limits.maxDepth { return .unsupported("nested too deep") }
        guard cmrg_checkstack(state, 4) != 0 else { return .unsupported("stack full") }
        onPath.insert(identity)
        defer { onPath.remove(identity) }

        var table = LuaTable()
        // Array part 1...n in order (raw reads).
        let n = Int(cmrg_rawlen(state, index))
        var arrayCount = 0
        while arrayCount < n, entriesLeft > 0 {
            let t = cmrg_rawgeti(state, index, Int64(arrayCount + 1))
            defer { cmrg_pop(state, 1) }
            if t == CMRG_TNIL { break }
            table.array.append(copy(at: cmrg_gettop(state), depth: depth + 1))
            arrayCount += 1
            entriesLeft -= 1
        }
        // Everything else, sorted for a stable order.
        let top = cmrg_gettop(state)
        cmrg_pushnil(state)
        while entriesLeft > 0, cmrg_next(state, index) != 0 {
            defer { cmrg_pop(state, 1) } // pop the value, keep the key for cmrg_next
            let keyIndex = cmrg_gettop(state) - 1
            var key = cmrg_value()
            cmrg_to_value(state, keyIndex, &key)
            if key.type == Int32(CMRG_INT.rawValue), key.i >= 1, key.i <= arrayCount { continue }
            let keyCopy = copy(at: keyIndex, depth: depth + 1)
            let value = copy(at: cmrg_gettop(state), depth: depth + 1)
            table.entries.append(.init(key: keyCopy, value: value))
            entriesLeft -= 1
        }
        cmrg_settop(state, top) // drops the last key when the entry budget ran out
        table.entries = sortedByKey(table.entries)
        let value = LuaValue.table(table)
        copied[identity] = value
        return value
    }
}

/// Entries in key order: numbers (by value) before strings (bytewise) before booleans before
/// everything else (by description, computed once per entry and cut short).
func sortedByKey(_ entries: [LuaTable.Entry]) -> [LuaTable.Entry] {
    guard entries.count > 1 else { return entries }
    let keyed = entries.map { entry -> (rank: Int, text: String, entry: LuaTable.Entry) in
        switch entry.key {
        case .integer, .number: (0, "", entry)
        case .string(let s): (1, s, entry)
        case .boolean(let b): (2, b ? "true" : "false", entry)
        default: (3, String(entry.key.description.prefix(256)), entry)
        }
    }
    return keyed.sorted { a, b in
        if a.rank != b.rank { return a.rank < b.rank }
        if a.rank == 0 { return numberPrecedes(a.entry.key, b.entry.key) }
        return a.text.utf8.lexicographicallyPrecedes(b.text.utf8)
    }.map(\.entry)
}

/// Exact numeric order of two number keys (integers beyond 2^53 stay distinct).
func numberPrecedes(_ a: LuaValue, _ b: LuaValue) -> Bool {
    switch (a, b) {
    case let (.integer(x), .integer(y)): return x < y
    default: return (a.doubleValue ?? 0) < (b.doubleValue ?? 0)
    }
}
