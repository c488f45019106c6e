// Read-only views: what scripts hold in place of a sealed table (cmrg_seal.c) or a record
// (cmrg_records.c). A view is an empty table whose metatable reads through to the table behind
// it and refuses writes. The table behind never reaches a script: not through getmetatable
// (protected), nor as `self` of an __index function (index_through), nor as a metatable of
// the script's own tables (cmrg_push_metatable_form gives a copy).
#include "cmrg_internal.h"

#include <string.h>

static const char view_target_key = 't'; /* its address keys the table behind a sealed view */
static const char form_key = 'f';        /* ... and the view's cached metatable form */

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

int cmrg_view_target(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return 0;
    lua_getfield(L, -1, "__newindex");
    int view = lua_tocfunction(L, -1) == cmrg_readonly_newindex;
    lua_pop(L, 1);
    if (view && lua_rawgetp(L, -1, &view_target_key) != LUA_TTABLE) { /* a record view */
        lua_pop(L, 1);
        lua_getfield(L, -1, "__index");
    }
    if (!view || lua_type(L, -1) != LUA_TTABLE) {
        lua_pop(L, view ? 2 : 1);
        return 0;
    }
    lua_remove(L, -2);
    return 1;
}

static int readonly_len(lua_State *L) {
    if (!cmrg_view_target(L, 1)) return 0;
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* pairs over the table behind the view, in the fixed order (computed once: the table behind
   a sealed view cannot change any more). */
static int readonly_pairs(lua_State *L) {
    lua_getmetatable(L, 1);
    int mt = lua_gettop(L);
    cmrg_view_target(L, 1);
    cmrg_push_ordered_iterator(L, -1, mt);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* __index of a view whose table had an __index function of its own: the key is looked up in
   the table, then given to that function as Lua would, but with the view as `self`, never the
   table behind it. Upvalues: the table, the (sealed) function. */
static int index_through(lua_State *L) {
    cmrg_check_cstack(L);
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

/* Metamethods a view takes over from its table's own metatable (the rest are the view's:
   reads go through to the table, writes are refused; __gc/__mode/__close are never allowed). */
static int view_keeps(const char *name) {
    static const char *const own[] = {"__index", "__newindex", "__metatable", "__gc", "__mode",
                                      "__close", NULL};
    for (int i = 0; own[i]; i++)
        if (strcmp(name, own[i]) == 0) return 0;
    return 1;
}

void cmrg_make_view(lua_State *L, int t, int view, void (*seal)(lua_State *L, void *ud), void *ud) {
    t = lua_absindex(L, t);
    view = lua_absindex(L, view);
    lua_createtable(L, 0, 6);
    int mt = lua_gettop(L);
    int own_index = LUA_TNIL;
    if (lua_getmetatable(L, t)) { /* keep the table's behaviour: __call, __tostring, __eq... */
        int old = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, old)) {
            if (lua_type(L, -2) == LUA_TSTRING && view_keeps(lua_tostring(L, -2))) {
                seal(L, ud);
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, mt);
            } else {
                lua_pop(L, 1);
            }
        }
        lua_pushliteral(L, "__index");
        own_index = lua_rawget(L, old);
        if (own_index == LUA_TNIL) {
            lua_pop(L, 2);
            lua_pushnil(L);
            lua_setmetatable(L, t); /* nothing reads the table's own metatable any more */
        } else if (own_index == LUA_TFUNCTION) {
            seal(L, ud);
            lua_pushvalue(L, t);
            lua_insert(L, -2);
            lua_pushcclosure(L, index_through, 2);
            lua_setfield(L, mt, "__index");
            lua_pop(L, 1);
            lua_pushnil(L);
            lua_setmetatable(L, t);
        } else {
            /* a table (or another indexable value): Lua's own lookup follows it from the
               table, through a metatable that holds nothing else */
            seal(L, ud);
            lua_createtable(L, 0, 1);
            lua_insert(L, -2);
            lua_setfield(L, -2, "__index");
            lua_setmetatable(L, t);
            lua_pop(L, 1);
        }
    }
    if (own_index != LUA_TFUNCTION) {
        lua_pushvalue(L, t);
        lua_setfield(L, mt, "__index");
    }
    lua_pushvalue(L, t);
    lua_rawsetp(L, mt, &view_target_key);
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
    lua_setmetatable(L, view);
}

int cmrg_push_metatable_form(lua_State *L, int view) {
    view = lua_absindex(L, view);
    if (!cmrg_view_target(L, view)) return 0;
    int t = lua_gettop(L);
    lua_getmetatable(L, view);
    int mt = t + 1;
    int sealed = lua_rawgetp(L, mt, &view_target_key) == LUA_TTABLE; /* cacheable: cannot change */
    lua_pop(L, 1);
    if (sealed && lua_rawgetp(L, mt, &form_key) == LUA_TTABLE) {
        lua_replace(L, t);
        lua_settop(L, t);
        return 1;
    }
    if (sealed) lua_pop(L, 1);
    lua_newtable(L);
    int form = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        cmrg_charge(L, 4);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, form);
    }
    lua_pushvalue(L, view);
    lua_setfield(L, form, "__metatable"); /* getmetatable(object) is the view itself */
    if (sealed) {
        lua_pushvalue(L, form);
        lua_rawsetp(L, mt, &form_key);
    }
    lua_replace(L, t);
    lua_settop(L, t);
    return 1;
}
