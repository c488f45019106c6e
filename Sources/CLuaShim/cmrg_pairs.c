// pairs() in a fixed order. Lua seeds its string hash from the clock and addresses, so the
// raw order of next() differs from one state to the next: a rule that sums weights or joins
// reasons in pairs() order would give different results from run to run. Scripts' pairs
// visits numbers (ascending), then strings (byte order), then booleans (false, true), then
// any other keys (tables, functions) in raw order.
#include "cmrg_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct key_slot {
    int rank;        /* 0 number, 1 string, 2 boolean, 3 other */
    int is_int;
    lua_Integer i;   /* integer keys, booleans (0/1) */
    lua_Number n;    /* float keys */
    const char *s;   /* string keys (kept alive by the keys table) */
    size_t len;
    int pos;         /* raw order: index in the keys table, breaks ties */
} key_slot;

static int compare_numbers(const key_slot *a, const key_slot *b) {
    if (a->is_int && b->is_int) return (a->i > b->i) - (a->i < b->i);
    lua_Number x = a->is_int ? (lua_Number)a->i : a->n;
    lua_Number y = b->is_int ? (lua_Number)b->i : b->n;
    if (x != y) return x < y ? -1 : 1;
    return b->is_int - a->is_int; /* 2^53 as an integer before 2^53 + 0.5 rounded equal */
}

static int compare_slots(const void *pa, const void *pb) {
    const key_slot *a = pa, *b = pb;
    if (a->rank != b->rank) return a->rank - b->rank;
    int c = 0;
    switch (a->rank) {
    case 0: c = compare_numbers(a, b); break;
    case 1: {
        size_t n = a->len < b->len ? a->len : b->len;
        c = memcmp(a->s, b->s, n);
        if (c == 0) c = (a->len > b->len) - (a->len < b->len);
        break;
    }
    case 2: c = (int)(a->i - b->i); break;
    default: break;
    }
    return c ? c : a->pos - b->pos;
}

/* Pushes an array of the keys of table `t` in the fixed order. */
static void push_sorted_keys(lua_State *L, int t) {
    int count = 0;
    lua_newtable(L);
    int keys = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        cmrg_charge(L, 4);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++count);
    }
    key_slot *slots = (key_slot *)lua_newuserdatauv(L, (size_t)(count ? count : 1) * sizeof(key_slot), 0);
    for (int k = 1; k <= count; k++) {
        key_slot *s = &slots[k - 1];
        memset(s, 0, sizeof *s);
        s->pos = k;
        switch (lua_rawgeti(L, keys, k)) {
        case LUA_TNUMBER:
            s->rank = 0;
            s->is_int = lua_isinteger(L, -1);
            if (s->is_int) s->i = lua_tointeger(L, -1); else s->n = lua_tonumber(L, -1);
            break;
        case LUA_TSTRING: s->rank = 1; s->s = lua_tolstring(L, -1, &s->len); break;
        case LUA_TBOOLEAN: s->rank = 2; s->i = lua_toboolean(L, -1); break;
        default: s->rank = 3;
        }
        lua_pop(L, 1);
    }
    /* n log n comparisons, charged like the elements table.sort compares */
    for (int m = count; m > 1; m >>= 1) cmrg_charge(L, count);
    qsort(slots, (size_t)count, sizeof(key_slot), compare_slots);
    lua_createtable(L, count, 0);
    for (int k = 1; k <= count; k++) {
        lua_rawgeti(L, keys, slots[k - 1].pos);
        lua_rawseti(L, -2, k);
    }
    lua_replace(L, keys); /* sorted keys where the raw keys were */
    lua_pop(L, 1);        /* the slots */
}

/* The iterator: upvalues are the table, its sorted keys and the position reached. Keys
   removed during the loop are skipped; keys added during the loop are not visited. */
static int ordered_next(lua_State *L) {
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(3));
    for (;;) {
        pos++;
        if (lua_rawgeti(L, lua_upvalueindex(2), pos) == LUA_TNIL) return 0; /* done */
        lua_pushvalue(L, -1);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) break;
        lua_pop(L, 2);
    }
    lua_pushinteger(L, pos);
    lua_replace(L, lua_upvalueindex(3));
    return 2;
}

static const char sorted_keys_key = 'k'; /* its address keys the cached order in a metatable */

void cmrg_push_ordered_iterator(lua_State *L, int t, int cache) {
    t = lua_absindex(L, t);
    if (cache) cache = lua_absindex(L, cache);
    lua_pushvalue(L, t);
    if (!cache || lua_rawgetp(L, cache, &sorted_keys_key) != LUA_TTABLE) {
        if (cache) lua_pop(L, 1);
        push_sorted_keys(L, t);
        if (cache) {
            lua_pushvalue(L, -1);
            lua_rawsetp(L, cache, &sorted_keys_key);
        }
    }
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, ordered_next, 3);
}

int cmrg_pairs(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) { /* as Lua's pairs: the metamethod */
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    cmrg_push_ordered_iterator(L, 1, 0);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}
