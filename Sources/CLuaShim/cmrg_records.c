// Record calls, the per-contract hot path: a record table built from interned field names
// (a layout), optionally a nested record, shown to the functions as a read-only view that is
// reused from record to record, then each entry point called with it in one protected call.
#include "cmrg_internal.h"

#include <stdlib.h>

struct cmrg_layout {
    int count;
    int keys_ref;  /* registry ref of an array table of interned key strings */
    int proxy_ref; /* read-only proxy reused from record to record (LUA_NOREF until needed) */
    int meta_ref;  /* its metatable, whose __index is pointed at each new record */
    int strict_ref; /* metatable of each record: reading a name it does not have raises */
};

cmrg_layout *cmrg_layout_new(lua_State *L, const char *const *names, const size_t *lens, int count) {
    cmrg_layout *layout = calloc(1, sizeof(cmrg_layout));
    if (!layout) return NULL;
    layout->count = count;
    layout->proxy_ref = LUA_NOREF;
    layout->meta_ref = LUA_NOREF;
    layout->strict_ref = LUA_NOREF;
    lua_createtable(L, count, 0);
    for (int i = 0; i < count; i++) {
        lua_pushlstring(L, names[i], lens[i]);
        lua_rawseti(L, -2, i + 1);
    }
    layout->keys_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return layout;
}

void cmrg_layout_free(lua_State *L, cmrg_layout *layout) {
    if (!layout) return;
    luaL_unref(L, LUA_REGISTRYINDEX, layout->keys_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, layout->proxy_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, layout->meta_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, layout->strict_ref);
    free(layout);
}

int cmrg_layout_strict(lua_State *L, cmrg_layout *layout, const char *const *names, const size_t *lens,
                       int count, const char *what, const char *listing, const char *otherwise) {
    int ref = LUA_NOREF;
    int status = cmrg_strict_record_meta(L, names, lens, count, what, listing, otherwise, &ref);
    if (status == LUA_OK) {
        luaL_unref(L, LUA_REGISTRYINDEX, layout->strict_ref);
        layout->strict_ref = ref;
    }
    return status;
}

typedef struct record_call {
    const cmrg_layout *layout;
    const cmrg_value *values;
    const char *nested_key;
    const cmrg_layout *nested_layout;
    const cmrg_value *nested_values;
    const int *fn_refs;
    int fn_count;
    int read_only;
} record_call;

static void build_record(lua_State *L, const cmrg_layout *layout, const cmrg_value *values, int extra_slots) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, layout->keys_ref);
    int keys = lua_gettop(L);
    lua_createtable(L, 0, layout->count + extra_slots);
    for (int i = 0; i < layout->count; i++) {
        const cmrg_value *v = &values[i];
        if (v->type == CMRG_NIL || v->type == CMRG_OTHER) continue; /* unknown: absent */
        lua_rawgeti(L, keys, i + 1);
        cmrg_push_value(L, v);
        lua_rawset(L, -3);
    }
    lua_remove(L, keys);
    if (layout->strict_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, layout->strict_ref);
        lua_setmetatable(L, -2);
    }
}

/* pairs(c) for a record view: the fixed order of cmrg_pairs, never cached in the metatable,
   which make_read_only reuses from record to record. */
static int record_pairs(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    cmrg_push_ordered_iterator(L, -1, 0);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static void make_read_only(lua_State *L, cmrg_layout *layout) {
    /* record on top -> proxy on top; the proxy's metatable reads through to the record.
       Proxy and metatable are made once per layout and pointed at each new record, so a
       read-only view costs no allocation per contract. A proxy a rule wrote into with rawset
       is replaced, so nothing written survives to the next record. */
    int record = lua_gettop(L);
    if (layout->meta_ref == LUA_NOREF) {
        lua_createtable(L, 0, 4);
        lua_pushvalue(L, record);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, cmrg_readonly_newindex);
        lua_setfield(L, -2, "__newindex");
        lua_pushcfunction(L, record_pairs);
        lua_setfield(L, -2, "__pairs");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        layout->meta_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, layout->meta_ref);
    lua_pushvalue(L, record);
    lua_setfield(L, -2, "__index");
    int fresh = lua_rawgeti(L, LUA_REGISTRYINDEX, layout->proxy_ref) != LUA_TTABLE;
    if (!fresh) {
        lua_pushnil(L);
        if (lua_next(L, -2)) { /* written into: never reuse it */
            lua_pop(L, 2);
            fresh = 1;
        }
    }
    if (fresh) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 0);
        lua_pushvalue(L, -2);
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        if (layout->proxy_ref == LUA_NOREF) layout->proxy_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        else lua_rawseti(L, LUA_REGISTRYINDEX, layout->proxy_ref);
    }
    lua_replace(L, record);
    lua_settop(L, record);
}

static int record_call_body(lua_State *L) {
    record_call *rc = (record_call *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    cmrg_reset_identities(L); /* tostring numbers count from 1 in each call */
    build_record(L, rc->layout, rc->values, rc->nested_key ? 1 : 0);
    if (rc->nested_key) {
        lua_pushstring(L, rc->nested_key);
        build_record(L, rc->nested_layout, rc->nested_values, 0);
        if (rc->read_only) make_read_only(L, (cmrg_layout *)rc->nested_layout);
        lua_rawset(L, -3);
    }
    if (rc->read_only) make_read_only(L, (cmrg_layout *)rc->layout);
    /* stack: [record]; results accumulate above it */
    cmrg_extra *x = cmrg_extra_of(L);
    for (int i = 0; i < rc->fn_count; i++) {
        cmrg_set_phase(x, i);
        lua_rawgeti(L, LUA_REGISTRYINDEX, rc->fn_refs[i]);
        lua_pushvalue(L, 1);
        lua_call(L, 1, 1);
    }
    cmrg_set_phase(x, -1);
    return rc->fn_count;
}

int cmrg_call_with_record(lua_State *L, const cmrg_layout *layout, const cmrg_value *values,
                          const char *nested_key, const cmrg_layout *nested_layout,
                          const cmrg_value *nested_values,
                          const int *fn_refs, int fn_count, int read_only,
                          cmrg_value *results, int *failed_fn) {
    lua_settop(L, 0); /* drops the previous call's results */
    record_call rc = {layout, values, nested_key, nested_layout, nested_values, fn_refs, fn_count, read_only};
    cmrg_extra *x = cmrg_extra_of(L);
    cmrg_set_phase(x, -1);
    cmrg_clear_where(L);
    lua_pushcfunction(L, cmrg_remember_where);
    lua_pushcfunction(L, record_call_body);
    lua_pushlightuserdata(L, &rc);
    int status = lua_pcall(L, 1, fn_count, 1);
    if (status != LUA_OK) {
        *failed_fn = x->phase;
        cmrg_set_phase(x, -1);
        lua_remove(L, 1); /* leave only the error object */
        return status;
    }
    *failed_fn = -1;
    for (int i = 0; i < fn_count; i++) cmrg_to_value(L, 2 + i, &results[i]);
    return LUA_OK;
}
