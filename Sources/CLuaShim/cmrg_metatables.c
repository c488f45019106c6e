// Metatables scripts set. Three fields are never allowed in one: __gc (a finalizer runs
// outside any call's limits), __mode (a weak table shows when the garbage collector ran,
// which depends on the contracts evaluated before) and __close (involved in known Lua 5.4.4
// crash bugs). setmetatable refuses a metatable that has one; and since Lua reads __mode and
// __close whenever it needs them, a table keeps them refused for as long as it serves as a
// metatable: it gets a guard as its own metatable, whose __newindex refuses them (and passes
// every other new field on as before), and rawset checks the same. getmetatable never shows a
// guard. A read-only view asked for as a metatable is given as a copy of the table behind it
// (cmrg_push_metatable_form).
#include "cmrg_internal.h"

#include <string.h>

static const char guard_key = 'g';    /* registry: the shared guard, for metatables without one */
static const char guard_mark = 'm';   /* present in every guard */
static const char original_key = 'o'; /* in a guard of its own: the metatable the script set */
static const char newindex_key = 'i'; /* ... and that metatable's __newindex */

static const char *const refused[] = {"__gc", "__close", "__mode", NULL};

static const char *refused_name(lua_State *L, int k) {
    if (lua_type(L, k) != LUA_TSTRING) return NULL;
    const char *name = lua_tostring(L, k);
    for (int i = 0; refused[i]; i++)
        if (strcmp(name, refused[i]) == 0) return refused[i];
    return NULL;
}

/* Whether the table at `mt` is a guard. */
static int is_guard(lua_State *L, int mt) {
    int guard = lua_rawgetp(L, mt, &guard_mark) != LUA_TNIL;
    lua_pop(L, 1);
    return guard;
}

/* A new field of a table in use as a metatable. */
static int guard_newindex(lua_State *L) {
    const char *name = refused_name(L, 2);
    if (name) return luaL_error(L, "'%s' metamethods are not allowed in rules", name);
    cmrg_check_cstack(L); /* a __newindex chain through guarded metatables recurses in C */
    lua_settop(L, 3);
    lua_getmetatable(L, 1);
    switch (lua_rawgetp(L, 4, &newindex_key)) { /* the __newindex the script had set */
    case LUA_TNIL:
        lua_settop(L, 3);
        lua_rawset(L, 1);
        return 0;
    case LUA_TFUNCTION:
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, 3);
        lua_call(L, 3, 0);
        return 0;
    default:
        lua_pushvalue(L, 2);
        lua_pushvalue(L, 3);
        lua_settable(L, 5);
        return 0;
    }
}

static void push_shared_guard(lua_State *L) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &guard_key) == LUA_TTABLE) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, guard_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &guard_mark);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &guard_key);
}

/* Pushes the guard for a table in use as a metatable whose own metatable is `own` (nil or a
   table): the shared guard, or a copy of `own` with the guard's __newindex. */
static void push_guard_for(lua_State *L, int own) {
    own = lua_absindex(L, own);
    if (lua_isnil(L, own)) { push_shared_guard(L); return; }
    lua_newtable(L);
    int guard = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, own)) {
        cmrg_charge(L, 4);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, guard);
    }
    lua_pushliteral(L, "__newindex");
    lua_rawget(L, own);
    lua_rawsetp(L, guard, &newindex_key);
    lua_pushcfunction(L, guard_newindex);
    lua_setfield(L, guard, "__newindex");
    lua_pushvalue(L, own);
    lua_rawsetp(L, guard, &original_key);
    lua_pushboolean(L, 1);
    lua_rawsetp(L, guard, &guard_mark);
}

/* From now on the table at `mt` serves as a metatable: make sure a guard is its metatable. */
static void guard(lua_State *L, int mt) {
    if (lua_getmetatable(L, mt)) {
        int guarded = is_guard(L, lua_gettop(L));
        if (guarded) { lua_pop(L, 1); return; }
    } else {
        lua_pushnil(L);
    }
    push_guard_for(L, -1);
    lua_setmetatable(L, mt);
    lua_pop(L, 1);
}

static void refuse_fields(lua_State *L, int mt) {
    for (int i = 0; refused[i]; i++) {
        lua_pushstring(L, refused[i]);
        if (lua_rawget(L, mt) != LUA_TNIL)
            luaL_error(L, "setmetatable: '%s' metamethods are not allowed in rules", refused[i]);
        lua_pop(L, 1);
    }
}

int cmrg_setmetatable(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    lua_settop(L, 2);
    int form = 0;
    if (t == LUA_TTABLE) {
        if ((form = cmrg_push_metatable_form(L, 2))) { /* a read-only view: a copy of its table */
            refuse_fields(L, 3);
            lua_replace(L, 2);
        } else {
            refuse_fields(L, 2);
            cmrg_push_env(L);
            if (lua_rawequal(L, 2, -1)) return luaL_error(L, "setmetatable: the environment cannot be a metatable");
            lua_pop(L, 1);
        }
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    if (t == LUA_TTABLE && !form) guard(L, 2); /* a form is the host's: no script can write it */
    /* a table in use as a metatable keeps a guard as its own metatable */
    if (lua_getmetatable(L, 1)) {
        int guarded = is_guard(L, 3);
        lua_pop(L, 1);
        if (guarded) {
            push_guard_for(L, 2);
            lua_replace(L, 2);
        }
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

int cmrg_getmetatable(lua_State *L) {
    luaL_checkany(L, 1);
    if (!lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return 1; /* as Lua's getmetatable */
    if (is_guard(L, 2)) lua_rawgetp(L, 2, &original_key); /* nil for the shared guard */
    return 1;
}

void cmrg_check_raw_write(lua_State *L, int t, int k) {
    const char *name = refused_name(L, k);
    if (!name || !lua_getmetatable(L, t)) return;
    int guarded = is_guard(L, lua_gettop(L));
    lua_pop(L, 1);
    if (guarded) luaL_error(L, "'%s' metamethods are not allowed in rules", name);
}
