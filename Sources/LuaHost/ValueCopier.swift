#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    init(state: OpaquePointer, limits: LuaLimits) {
        self.state = state
        self.limits = limits
        self.entriesLeft = limits.maxEntries
        self.bytesLeft = limits.maxTotalBytes
    }

    mutating func copy(at index: Int32, depth: Int) -> LuaValue {
        switch lua_type(state, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(state, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(state, index) != 0 { return .integer(lua_tointegerx(state, index, nil)) }
            return .number(lua_tonumberx(state, index, nil))
        case LUA_TSTRING: return .string(copyString(at: index))
        case LUA_TFUNCTION: return .function
        case LUA_TTABLE: return copyTable(at: index, depth: depth)
        default: return .unsupported(String(cString: lua_typename(state, lua_type(state, index))))
        }
    }

    private mutating func copyString(at index: Int32) -> String {
        var length = 0
        // A string value: lua_tolstring does not convert or allocate here.
        guard let p = lua_tolstring(state, index, &length) else { return "" }
        let text = boundedString(p, count: length, maxBytes: min(limits.maxStringBytes, bytesLeft))
        bytesLeft -= min(length, limits.maxStringBytes, bytesLeft)
        return text
    }

    private mutating func copyTable(at index: Int32, depth: Int) -> LuaValue {
        guard let identity = lua_topointer(state, index) else { return .unsupported("table") }
        if let done = copied[identity] { return done }
        if onPath.contains(identity) { return .unsupported("cycle") }
        if depth >= limits.maxDepth { return .unsupported("nested too deep") }
        guard lua_checkstack(state, 4) != 0 else { return .unsupported("stack full") }
        onPath.insert(identity)
        defer { onPath.remove(identity) }

        var table = LuaTable()
        // Array part 1...n in order (raw reads).
        let n = Int(lua_rawlen(state, index))
        var arrayCount = 0
        while arrayCount < n, entriesLeft > 0 {
            let t = lua_rawgeti(state, index, lua_Integer(arrayCount + 1))
            defer { lua_settop(state, -2) }
            if t == LUA_TNIL { break }
            table.array.append(copy(at: lua_gettop(state), depth: depth + 1))
            arrayCount += 1
            entriesLeft -= 1
        }
        // Everything else, sorted for a stable order.
        let top = lua_gettop(state)
        lua_pushnil(state)
        while entriesLeft > 0, lua_next(state, index) != 0 {
            defer { lua_settop(state, -2) } // pop the value, keep the key for lua_next
            let keyIndex = lua_gettop(state) - 1
            if lua_type(state, keyIndex) == LUA_TNUMBER, lua_isinteger(state, keyIndex) != 0 {
                let k = lua_tointegerx(state, keyIndex, nil)
                if k >= 1, k <= arrayCount { continue }
            }
            let key = copy(at: keyIndex, depth: depth + 1)
            let value = copy(at: lua_gettop(state), depth: depth + 1)
            table.entries.append(.init(key: key, value: value))
            entriesLeft -= 1
        }
        lua_settop(state, top) // drops the last key when the entry budget ran out
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
