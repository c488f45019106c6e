// pairs() and next() in a fixed order. Lua seeds its string hash from the clock and addresses,
// so the raw order of next() differs from one state to the next: a rule that sums weights or
// joins reasons in pairs() order would give different results from run to run. Scripts' pairs
// and next visit numbers (ascending), then strings (byte order), then booleans (false, true).
// Tables and functions have no order but their addresses: a table with such keys is refused.
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

/* Equal keys compare equal; different keys of one rank by value. */
static int compare_keys(const key_slot *a, const key_slot *b) {
    if (a->rank != b->rank) return a->rank - b->rank;
    switch (a->rank) {
    case 0: return compare_numbers(a, b);
    case 1: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        return c ? c : (a->len > b->len) - (a->len < b->len);
    }
    case 2: return (int)(a->i - b->i);
    default: return 0;
    }
}

static int compare_slots(const void *pa, const void *pb) {
    const key_slot *a = pa, *b = pb;
    int c = compare_keys(a, b);
    return c ? c : a->pos - b->pos;
}

/* The slot of the key at `idx` (strings point into the key, which must stay on the stack). */
static void slot_of(lua_State *L, int idx, key_slot *s) {
    memset(s, 0, sizeof *s);
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        s->rank = 0;
        s->is_int = lua_isinteger(L, idx);
        if (s->is_int) s->i = lua_tointeger(L, idx); else s->n = lua_tonumber(L, idx);
        break;
    case LUA_TSTRING: s->rank = 1; s->s = lua_tolstring(L, idx, &s->len); break;
    case LUA_TBOOLEAN: s->rank = 2; s->i = lua_toboolean(L, idx); break;
    default: s->rank = 3;
    }
}

static int refuse_unordered(lua_State *L, int idx) {
    return luaL_error(L, "a table with %s keys has no fixed order to visit (keep such values in a list "
                      "and use ipairs)", luaL_typename(L, idx));
}

void cmrg_push_sorted_keys(lua_State *L, int t, int refuse) {
    t = lua_absindex(L, t);
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
        lua_rawgeti(L, keys, k);
        slot_of(L, -1, s);
        s->pos = k;
        if (s->rank == 3 && refuse) refuse_unordered(L, -1);
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
        cmrg_push_sorted_keys(L, t, 1);
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

int cmrg_is_pairs_iterator(lua_CFunction f) { return f == ordered_next; }

/* ---------------------------------------------------------------- next --------------- */
/* next(t [, k]) in the order of pairs. The first key is found by one scan, so `next(t) == nil`
   stays cheap; the key after k comes from the table's sorted keys, kept from the start of
   the traversal (in a weak table of the host: a dropped entry is only made again). A
   read-only view is traversed as the table behind it, as pairs does. */

static const char next_cache_key = 'n';

static void push_next_cache(lua_State *L) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &next_cache_key) == LUA_TTABLE) return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &next_cache_key);
}

/* Position of key `k` in the sorted keys at `keys` (binary search), 0 when absent. */
static lua_Integer find_key(lua_State *L, int keys, int k) {
    key_slot want, mid;
    slot_of(L, k, &want);
    lua_Integer lo = 1, hi = (lua_Integer)lua_rawlen(L, keys);
    while (lo <= hi) {
        lua_Integer m = lo + (hi - lo) / 2;
        cmrg_charge(L, 1);
        lua_rawgeti(L, keys, m);
        slot_of(L, -1, &mid);
        int c = compare_keys(&want, &mid);
        lua_pop(L, 1);
        if (c == 0) return m;
        if (c < 0) hi = m - 1; else lo = m + 1;
    }
    return 0;
}

static int first_key(lua_State *L, int t) {
    int best = 0;
    key_slot best_slot, slot;
    lua_pushnil(L); /* the best key so far */
    best = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        cmrg_charge(L, 2);
        slot_of(L, -1, &slot);
        if (slot.rank == 3) refuse_unordered(L, -1);
        if (lua_isnil(L, best) || compare_keys(&slot, &best_slot) < 0) {
            lua_pushvalue(L, -1);
            lua_replace(L, best);
            slot_of(L, best, &best_slot);
        }
    }
    if (lua_isnil(L, best)) return 1; /* empty: nil */
    lua_pushvalue(L, best);
    lua_rawget(L, t);
    return 2;
}

int cmrg_next_in_order(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    int t = 1;
    if (cmrg_view_target(L, 1)) t = 3;
    push_next_cache(L);
    int cache = lua_gettop(L);
    if (lua_isnil(L, 2)) { /* a new traversal: forget the order of the last one */
        lua_pushvalue(L, t);
        lua_pushnil(L);
        lua_rawset(L, cache);
        return first_key(L, t);
    }
    lua_Integer pos = 0;
    for (int attempt = 0; attempt < 2 && pos == 0; attempt++) {
        lua_settop(L, cache);
        lua_pushvalue(L, t);
        if (attempt > 0 || lua_rawget(L, cache) != LUA_TTABLE) {
            lua_settop(L, cache);
            cmrg_push_sorted_keys(L, t, 1);
            lua_pushvalue(L, t);
            lua_pushvalue(L, -2);
            lua_rawset(L, cache);
        }
        pos = find_key(L, lua_gettop(L), 2);
        if (pos == 0) {
            lua_pushvalue(L, 2);
            if (lua_rawget(L, t) == LUA_TNIL) attempt = 2; /* not a key of the table at all */
            lua_pop(L, 1);
        }
    }
    if (pos == 0) return luaL_error(L, "invalid key to 'next'");
    int keys = lua_gettop(L);
    for (;;) {
        if (lua_rawgeti(L, keys, ++pos) == LUA_TNIL) return 1; /* done: nil */
        lua_pushvalue(L, -1);
        if (lua_rawget(L, t) != LUA_TNIL) return 2; /* keys removed meanwhile are skipped */
        lua_pop(L, 2);
    }
}
