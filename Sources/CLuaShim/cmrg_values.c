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

