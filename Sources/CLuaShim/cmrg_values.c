// Plain values across the C/Swift boundary (cmrg_value): host function arguments and results,
// record fields, call-log entries. Reading never raises: strings are not converted, and other
// values come back as their type name.
#include "cmrg_internal.h"

#include <string.h>

void cmrg_to_value(lua_State *L, int idx, cmrg_value *v) {
    memset(v, 0, sizeof *v);
    switch (lua_type(L, idx)) {
    case LUA_TNIL: case LUA_TNONE: v->type = CMRG_NIL; break;
    case LUA_TBOOLEAN: v->type = CMRG_BOOL; v->i = lua_toboolean(L, idx); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) { v->type = CMRG_INT; v->i = lua_tointeger(L, idx); }
        else { v->type = CMRG_NUM; v->n = lua_tonumber(L, idx); }
        break;
    case LUA_TSTRING: v->type = CMRG_STR; v->s = lua_tolstring(L, idx, &v->len); break;
    default:
        v->type = CMRG_OTHER;
        v->s = lua_typename(L, lua_type(L, idx));
        v->len = strlen(v->s);
    }
}

void cmrg_push_value(lua_State *L, const cmrg_value *v) {
    switch (v->type) {
    case CMRG_BOOL: lua_pushboolean(L, (int)v->i); break;
    case CMRG_INT: lua_pushinteger(L, (lua_Integer)v->i); break;
    case CMRG_NUM: lua_pushnumber(L, (lua_Number)v->n); break;
    case CMRG_STR: lua_pushlstring(L, v->s ? v->s : "", v->len); break;
    default: lua_pushnil(L);
    }
}


/* ---------------------------------------------------------------- raw reads ---------- */
/* For copying values out into Swift (ValueCopier): none of these runs a metamethod or
   raises. lua_next raises only for a key its traversal did not give, which the copier never
   passes. */

int cmrg_type(lua_State *L, int idx) { return lua_type(L, idx); }

const char *cmrg_typename(lua_State *L, int type) { return lua_typename(L, type); }

const void *cmrg_topointer(lua_State *L, int idx) { return lua_topointer(L, idx); }

size_t cmrg_rawlen(lua_State *L, int idx) { return (size_t)lua_rawlen(L, idx); }

int cmrg_rawgeti(lua_State *L, int idx, int64_t i) { return lua_rawgeti(L, idx, (lua_Integer)i); }

int cmrg_next(lua_State *L, int idx) { return lua_next(L, idx); }

void cmrg_pushnil(lua_State *L) { lua_pushnil(L); }
