import CLuaShim

/// Copies Lua values to Swift with raw accesses only (no metamethod runs, nothing raises),
/// bounded in depth, entries and string length, and safe on cycles.
struct ValueCopier {
    let state: OpaquePointer
    let limits: LuaLimits
    private var onPath: Set<UnsafeRawPointer> = []
    private var entriesLeft: Int

    init(state: OpaquePointer, limits: LuaLimits) {
        self.state = state
        self.limits = limits
        self.entriesLeft = limits.maxEntries
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

    private func copyString(at index: Int32) -> String {
        var length = 0
        // A string value: lua_tolstring does not convert or allocate here.
        guard let p = lua_tolstring(state, index, &length) else { return "" }
        let cut = min(length, limits.maxStringBytes)
        let text = String(decoding: UnsafeRawBufferPointer(start: p, count: cut), as: UTF8.self)
        return cut < length ? text + "… (\(length - cut) more bytes)" : text
    }

    private mutating func copyTable(at index: Int32, depth: Int) -> LuaValue {
        guard let identity = lua_topointer(state, index) else { return .unsupported("table") }
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
        lua_pushnil(state)
        while lua_next(state, index) != 0 {
            defer { lua_settop(state, -2) } // pop the value, keep the key for lua_next
            if entriesLeft <= 0 { continue }
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
        table.entries.sort { keyOrder($0.key, $1.key) }
        return .table(table)
    }
}

/// Numbers (by value) before strings (bytewise) before everything else (by description).
func keyOrder(_ a: LuaValue, _ b: LuaValue) -> Bool {
    func rank(_ v: LuaValue) -> Int {
        switch v {
        case .integer, .number: 0
        case .string: 1
        case .boolean: 2
        default: 3
        }
    }
    let (ra, rb) = (rank(a), rank(b))
    if ra != rb { return ra < rb }
    switch (a, b) {
    case let (x, y) where ra == 0: return (x.doubleValue ?? 0) < (y.doubleValue ?? 0)
    case let (.string(x), .string(y)): return Array(x.utf8).lexicographicallyPrecedes(y.utf8)
    default: return a.description < b.description
    }
}
