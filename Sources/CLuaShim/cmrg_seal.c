// Sealing: once a rule pack is loaded, its definitions become read-only base definitions
// behind the environment. Tables are replaced by read-only proxies (nested tables, and tables
// captured as upvalues, too); globals written afterwards land in a scratch layer that is
// emptied between calls, so one call cannot leave anything behind for the next.
#include "cmrg_internal.h"

#include <string.h>

int cmrg_readonly_newindex(lua_State *L) {
    switch (lua_type(L, 2)) { /* name the key without running any of its metamethods */
    case LUA_TSTRING: lua_pushvalue(L, 2); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, 2)) lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, 2));
        else lua_pushfstring(L, "%f", (LUAI_UACNUMBER)lua_tonumber(L, 2));
        break;
    default: lua_pushfstring(L, "(a %s)", luaL_typename(L, 2));
    }
    return luaL_error(L, "attempt to change '%s' of a read-only table", lua_tostring(L, -1));
}

static int readonly_len(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* pairs over the hidden table behind the proxy, in the fixed order (computed once: the
   hidden table cannot change any more). */
static int readonly_pairs(lua_State *L) {
    lua_getmetatable(L, 1);
    int mt = lua_gettop(L);
    lua_getfield(L, mt, "__index");
    cmrg_push_ordered_iterator(L, -1, mt);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static void freeze_upvalues(lua_State *L, int fn, int seen);

/* Metamethods a proxy takes over from the frozen table's own metatable (the rest are the
   proxy's: reads go through to the table, writes are refused; __gc/__mode/__close are
   refused by setmetatable anyway). */
static int proxy_keeps(const char *name) {
    static const char *const own[] = {"__index", "__newindex", "__metatable", "__gc", "__mode",
                                      "__close", NULL};
    for (int i = 0; own[i]; i++)
        if (strcmp(name, own[i]) == 0) return 0;
    return 1;
}

/* Replaces the table at `idx` by a read-only proxy (pushed), freezing nested tables and the
   tables that functions inside it capture as upvalues. `seen` (at index `seen`) maps tables
   to their proxies (and functions to true) so cycles and shared values work. */
static void freeze(lua_State *L, int idx, int seen) {
    idx = lua_absindex(L, idx);
    lua_pushvalue(L, idx);
    if (lua_rawget(L, seen) != LUA_TNIL) return; /* already frozen: its proxy is pushed */
    lua_pop(L, 1);
    lua_newtable(L); /* proxy */
    int proxy = lua_gettop(L);
    lua_pushvalue(L, idx);
    lua_pushvalue(L, proxy);
    lua_rawset(L, seen);
    /* nested tables first, so the hidden table holds proxies only */
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            freeze(L, -1, seen);
            lua_pushvalue(L, -3); /* key */
            lua_insert(L, -2);
            lua_rawset(L, idx);   /* replacing a value of an existing key during next is allowed */
        } else if (lua_type(L, -1) == LUA_TFUNCTION) {
            freeze_upvalues(L, lua_gettop(L), seen);
        }
        lua_pop(L, 1);
    }
    lua_createtable(L, 0, 5);
    int mt = lua_gettop(L);
    if (lua_getmetatable(L, idx)) { /* keep the table's behaviour: __call, __tostring, __eq... */
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) == LUA_TSTRING && proxy_keeps(lua_tostring(L, -2))) {
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, mt);
            } else {
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    lua_pushvalue(L, idx);
    lua_setfield(L, mt, "__index");
    lua_pushcfunction(L, cmrg_readonly_newindex);
    lua_setfield(L, mt, "__newindex");
    if (lua_getfield(L, mt, "__len") == LUA_TNIL) {
        lua_pushcfunction(L, readonly_len);
        lua_setfield(L, mt, "__len");
    }
    if (lua_getfield(L, mt, "__pairs") == LUA_TNIL) {
        lua_pushcfunction(L, readonly_pairs);
        lua_setfield(L, mt, "__pairs");
    }
    lua_pop(L, 2);
    lua_pushboolean(L, 0);
    lua_setfield(L, mt, "__metatable");
    lua_setmetatable(L, proxy);
}

/* A file-level `local cache = {}` captured by a rule function is shared by every call just
   like a global: freeze the tables Lua functions capture as upvalues too. (Captured numbers
   and strings cannot be frozen; see the README.) */
static void freeze_upvalues(lua_State *L, int fn, int seen) {
    fn = lua_absindex(L, fn);
    if (lua_iscfunction(L, fn)) return; /* host closures: their upvalues are not scripts' */
    lua_pushvalue(L, fn);
    if (lua_rawget(L, seen) != LUA_TNIL) { lua_pop(L, 1); return; }
    lua_pop(L, 1);
    lua_pushvalue(L, fn);
    lua_pushboolean(L, 1);
    lua_rawset(L, seen);
    for (int n = 1; lua_getupvalue(L, fn, n); n++) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            freeze(L, -1, seen);
            lua_setupvalue(L, fn, n); /* pops the proxy (the environment maps to itself) */
        } else if (lua_type(L, -1) == LUA_TFUNCTION) {
            freeze_upvalues(L, -1, seen);
        }
        lua_pop(L, 1);
    }
}

/* Removes every key of the table at absolute index `t` (raw: no metamethod runs). */
static void clear_table(lua_State *L, int t) {
    for (;;) {
        lua_pushnil(L);
        if (!lua_next(L, t)) break;
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, t);
    }
}

static int seal_body(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, BASE_KEY) != LUA_TNIL)
        return luaL_error(L, "the environment is already sealed");
    lua_pop(L, 1);
    cmrg_push_env(L);
    int env = lua_gettop(L);
    lua_newtable(L);
    int base = lua_gettop(L);
    lua_newtable(L);
    int seen = lua_gettop(L);
    lua_pushvalue(L, env);
    lua_pushvalue(L, env);
    lua_rawset(L, seen); /* _G stays the environment itself */
    lua_pushnil(L);
    while (lua_next(L, env)) {
        lua_pushvalue(L, -2);
        if (lua_type(L, -2) == LUA_TTABLE) {
            freeze(L, -2, seen);
        } else {
            if (lua_type(L, -2) == LUA_TFUNCTION) freeze_upvalues(L, -2, seen);
            lua_pushvalue(L, -2);
        }
        lua_rawset(L, base); /* base[key] = frozen value */
        lua_pop(L, 1);
    }
    clear_table(L, env); /* empty: its reads now fall through to base */
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, base);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);
    lua_pushvalue(L, base);
    lua_setfield(L, LUA_REGISTRYINDEX, BASE_KEY);
    return 0;
}

int cmrg_seal(lua_State *L) {
    cmrg_clear_where(L);
    lua_pushcfunction(L, seal_body);
    return lua_pcall(L, 0, 0, 0);
}

static int reset_body(lua_State *L) {
    cmrg_push_env(L);
    clear_table(L, lua_gettop(L));
    return 0;
}

int cmrg_reset_scratch(lua_State *L) {
    cmrg_push_env(L);
    lua_pushnil(L);
    int dirty = lua_next(L, -2);
    lua_settop(L, lua_gettop(L) - (dirty ? 3 : 1));
    if (!dirty) return LUA_OK; /* the common case costs one lua_next */
    cmrg_clear_where(L);
    lua_pushcfunction(L, reset_body);
    return lua_pcall(L, 0, 0, 0);
}

int cmrg_push_global(lua_State *L, const char *name) {
    /* raw lookups only (no metamethods can run): scratch layer first, then sealed base */
    cmrg_push_env(L);
    lua_pushstring(L, name);
    int t = lua_rawget(L, -2);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        lua_getfield(L, LUA_REGISTRYINDEX, BASE_KEY);
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushstring(L, name);
            t = lua_rawget(L, -2);
            lua_remove(L, -2);
        } else {
            t = LUA_TNIL;
        }
    }
    lua_remove(L, -2);
    return t;
}
