// Strictness: once a pack is sealed, reading a name that does not exist is an error at the
// line that read it, never a silent nil that changes a result.
//   - record views: a field (or nested record's key) the layout does not have
//   - settings: a key the sealed settings tree does not have
//   - globals: reading an undefined global, assigning one the pack did not define when loaded
// Raw access (rawget, rawlen, ipairs) reads the table behind a read-only view.
// And identities as stable text: tostring, %s and %p of tables, functions and userdata give
// a number counted from 1 in each call, never a memory address (which changes from run to run).
#include "cmrg_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define IDS_KEY "cmrg.ids"      /* value → its number in the current call */
#define LONGEST_NAME 64         /* longer names are never suggested (or compared) */
#define MOST_LISTED 12          /* names listed in one message */
#define LONGEST_PATH 200        /* a longer settings path is shown by its start and its end */

/* ---------------------------------------------------------------- nearest names ------ */

/* Edit distance ignoring ASCII case, two neighbouring letters swapped counting as one edit
   (optimal string alignment, as NearestNames.typoDistance); SIZE_MAX for names too long. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb) {
    if (la > LONGEST_NAME || lb > LONGEST_NAME) return (size_t)-1;
    size_t rows[3][LONGEST_NAME + 1]; /* rows i-2, i-1 and i, in turn */
    for (size_t j = 0; j <= lb; j++) rows[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t *cur = rows[i % 3], *prev = rows[(i - 1) % 3], *before = rows[(i + 1) % 3];
        cur[0] = i;
        int ai = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            int bj = tolower((unsigned char)b[j - 1]);
            size_t best = prev[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            if (prev[j - 1] + (ai != bj) < best) best = prev[j - 1] + (ai != bj);
            if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == bj &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            cur[j] = best;
        }
    }
    return rows[la % 3][lb];
}

/* How far a name may be from another to be offered as "did you mean" (NearestNames.typo). */
static size_t typo_limit(size_t len) { return len / 3 > 1 ? len / 3 : 1; }

typedef struct nearest {
    size_t distance;
    char name[LONGEST_NAME + 1];
} nearest;

static void offer(nearest *best, const char *name, size_t len, const char *target, size_t tlen) {
    size_t d = distance(name, len, target, tlen);
    if (d > typo_limit(tlen) || d == 0) return;
    if (d < best->distance || (d == best->distance && strcmp(name, best->name) < 0)) {
        best->distance = d;
        memcpy(best->name, name, len);
        best->name[len] = 0;
    }
}

/* The string key of table `t` nearest to `target` (best->distance is SIZE_MAX when none). */
static void nearest_key(lua_State *L, int t, const char *target, size_t tlen, nearest *best) {
    t = lua_absindex(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            size_t len;
            const char *name = lua_tolstring(L, -2, &len);
            offer(best, name, len, target, tlen);
        }
        lua_pop(L, 1);
    }
}

/* A key as text, without running any of its metamethods (pushed). */
static const char *push_key_text(lua_State *L, int key) {
    switch (lua_type(L, key)) {
    case LUA_TSTRING: lua_pushvalue(L, key); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, key)) lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, key));
        else lua_pushfstring(L, "%f", (LUAI_UACNUMBER)lua_tonumber(L, key));
        break;
    default: lua_pushfstring(L, "(a %s)", luaL_typename(L, key));
    }
    return lua_tostring(L, -1);
}

typedef struct ranked {
    size_t distance;
    const char *name;
} ranked;

static int by_distance(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->distance != y->distance) return x->distance < y->distance ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Pushes the string keys of `t`, nearest to `target` first, joined by ", " (at most
   MOST_LISTED of them), or "none". */
static void push_listing(lua_State *L, int t, const char *target, size_t tlen) {
    t = lua_absindex(L, t);
    ranked names[256];
    int count = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING && count < 256) {
            size_t len;
            const char *name = lua_tolstring(L, -2, &len);
            names[count].distance = distance(name, len, target, tlen);
            names[count].name = name; /* the key stays in the table, so the text lives on */
            count++;
        }
        lua_pop(L, 1);
    }
    if (count == 0) { lua_pushliteral(L, "none"); return; }
    qsort(names, (size_t)count, sizeof(ranked), by_distance);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 0; i < count && i < MOST_LISTED; i++) {
        if (i) luaL_addstring(&b, ", ");
        luaL_addstring(&b, names[i].name);
    }
    if (count > MOST_LISTED) luaL_addstring(&b, ", …");
    luaL_pushresult(&b);
}

/* Pushes the set of names (name → true). */
static void push_name_set(lua_State *L, const char *const *names, const size_t *lens, int count) {
    lua_createtable(L, 0, count);
    for (int i = 0; i < count; i++) {
        lua_pushlstring(L, names[i], lens[i]);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
    }
}

/* Gives the table at `t` a metatable whose __index is `f` with the `nup` values on the stack
   top as its upvalues (popped). */
static void set_strict_index(lua_State *L, int t, lua_CFunction f, int nup) {
    t = lua_absindex(L, t);
    lua_pushcclosure(L, f, nup);
    lua_createtable(L, 0, 1);
    lua_insert(L, -2);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, t);
}

/* ---------------------------------------------------------------- record views ------- */

/* __index of a record for a key it does not hold. Upvalues: 1 the layout's names (name →
   true), 2 what to say ("the contract has no field"), 3 nil to suggest the nearest name, or
   how to introduce the list of names ("its extra columns"), 4 what to add when no name is
   near. A name the layout has but this record leaves blank reads as nil; so do non-string
   keys (ipairs over a record). */
static int strict_record_index(lua_State *L) {
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 0;
    lua_pop(L, 1);
    size_t len;
    const char *key = lua_tolstring(L, 2, &len);
    const char *what = lua_tostring(L, lua_upvalueindex(2));
    if (lua_isnil(L, lua_upvalueindex(3))) {
        nearest best = {(size_t)-1, ""};
        nearest_key(L, lua_upvalueindex(1), key, len, &best);
        if (best.distance != (size_t)-1) return luaL_error(L, "%s '%s' (did you mean '%s'?)", what, key, best.name);
        return luaL_error(L, "%s '%s'%s", what, key, lua_tostring(L, lua_upvalueindex(4)));
    }
    push_listing(L, lua_upvalueindex(1), key, len);
    return luaL_error(L, "%s '%s' (%s: %s)", what, key, lua_tostring(L, lua_upvalueindex(3)), lua_tostring(L, -1));
}

typedef struct strict_args {
    const char *const *names;
    const size_t *lens;
    int count;
    const char *what;
    const char *listing;
    const char *otherwise;
} strict_args;

static int strict_meta_body(lua_State *L) {
    strict_args *a = (strict_args *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_createtable(L, 0, 1);
    push_name_set(L, a->names, a->lens, a->count);
    lua_pushstring(L, a->what);
    if (a->listing) lua_pushstring(L, a->listing); else lua_pushnil(L);
    lua_pushstring(L, a->otherwise ? a->otherwise : "");
    lua_pushcclosure(L, strict_record_index, 4);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    return 1;
}

int cmrg_strict_record_meta(lua_State *L, const char *const *names, const size_t *lens, int count,
                            const char *what, const char *listing, const char *otherwise, int *ref) {
    strict_args a = {names, lens, count, what, listing, otherwise};
    cmrg_clear_where(L);
    lua_pushcfunction(L, strict_meta_body);
    lua_pushlightuserdata(L, &a);
    int status = lua_pcall(L, 1, 1, 0);
    if (status == LUA_OK) *ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return status;
}

/* ---------------------------------------------------------------- settings ----------- */

/* Pushes the path of the strict settings table whose __index is running ("settings.tier"):
   its upvalues name the table it sits in and its key there, and so on up to the root, whose
   first upvalue is the root's name. Worked out only when a message needs it, so that tables
   nested 10,000 deep keep one key each, not 10,000 paths; cut in the middle when long. */
static void push_settings_path(lua_State *L) {
    int top = lua_gettop(L);
    lua_newtable(L);
    int keys = top + 1, n = 0;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, lua_upvalueindex(2));
    while (lua_type(L, -2) == LUA_TTABLE) { /* the table it sits in, its key there */
        lua_rawseti(L, keys, ++n);
        int parent = lua_gettop(L);
        if (!lua_getmetatable(L, parent) || lua_getfield(L, -1, "__index") != LUA_TFUNCTION ||
            !lua_getupvalue(L, -1, 1) || !lua_getupvalue(L, -2, 2)) {
            lua_settop(L, parent - 1);
            lua_pushliteral(L, "?");
            lua_pushnil(L);
            break;
        }
        lua_copy(L, parent + 3, parent);
        lua_copy(L, parent + 4, parent + 1);
        lua_settop(L, parent + 1);
    }
    lua_pop(L, 1);
    int root = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushvalue(L, root);
    luaL_addvalue(&b);
    for (int i = n; i >= 1; i--) {
        luaL_addchar(&b, '.');
        lua_rawgeti(L, keys, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *path = lua_tolstring(L, -1, &len);
    if (len > LONGEST_PATH) { /* its start and its end, where the missing key is */
        size_t half = LONGEST_PATH / 2, head = half, tail = len - half;
        while (head > half / 2 && path[head] != '.') head--; /* cut at dots, between keys */
        while (tail < len - half / 2 && path[tail] != '.') tail++;
        if (path[head] != '.') /* a very long key: cut between characters */
            for (head = half; head > 0 && ((unsigned char)path[head] & 0xC0) == 0x80;) head--;
        if (path[tail] != '.')
            for (tail = len - half; tail < len && ((unsigned char)path[tail] & 0xC0) == 0x80;) tail++;
        lua_pushlstring(L, path, head);
        lua_pushliteral(L, "\xe2\x80\xa6");
        lua_pushlstring(L, path + tail, len - tail);
        lua_concat(L, 3);
    }
    lua_replace(L, keys);
    lua_settop(L, keys);
}

/* __index of a sealed settings table (the table behind the read-only view) for a key it
   lacks. Upvalues: 1 the table it sits in (behind its view), or at the root the root's
   name; 2 its key there (nil at the root). */
static int strict_settings_index(lua_State *L) {
    lua_settop(L, 2);
    push_settings_path(L);
    const char *path = lua_tostring(L, 3);
    if (lua_type(L, 2) != LUA_TSTRING) {
        const char *key = push_key_text(L, 2);
        return luaL_error(L, "%s[%s] does not exist", path, key);
    }
    size_t len;
    const char *key = lua_tolstring(L, 2, &len);
    nearest best = {(size_t)-1, ""};
    nearest_key(L, 1, key, len, &best);
    if (best.distance != (size_t)-1) return luaL_error(L, "%s.%s does not exist (did you mean %s?)", path, key, best.name);
    return luaL_error(L, "%s.%s does not exist", path, key);
}

/* Stack slots of strict_settings_body, and of one item taken off the work list. */
enum { SEEN = 1, WORK, BASE, ITEM_VIEW, ITEM_PARENT, ITEM_KEY, HIDDEN, KEYS };

/* Makes the sealed tree under the view settings[name] strict: a work list, not recursion,
   so settings nested 10,000 deep take no more C or Lua stack than flat ones. Keys are taken
   in their fixed order, so a table reached along two paths is always named by the same one.
   A table with a metatable of its own keeps its own __index. */
static int strict_settings_body(lua_State *L) {
    const char *name = (const char *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_newtable(L); /* SEEN */
    lua_newtable(L); /* WORK: view, parent table (or the root's name), key; three slots an item */
    if (lua_getfield(L, LUA_REGISTRYINDEX, BASE_KEY) != LUA_TTABLE) return luaL_error(L, "the environment is not sealed");
    int work = 0;
    lua_pushstring(L, name);
    lua_rawget(L, BASE); /* raw: the sealed definitions may be strict already */
    lua_rawseti(L, WORK, ++work);
    lua_pushstring(L, name);
    lua_rawseti(L, WORK, ++work);
    ++work; /* the root has no key */
    while (work > 0) {
        lua_settop(L, BASE);
        lua_rawgeti(L, WORK, work - 2);
        lua_rawgeti(L, WORK, work - 1);
        lua_rawgeti(L, WORK, work);
        for (int i = 0; i < 3; i++) {
            lua_pushnil(L);
            lua_rawseti(L, WORK, work--);
        }
        if (!cmrg_view_target(L, ITEM_VIEW)) continue; /* HIDDEN */
        lua_pushvalue(L, HIDDEN);
        if (lua_rawget(L, SEEN) != LUA_TNIL || lua_getmetatable(L, HIDDEN)) continue;
        lua_pushvalue(L, HIDDEN);
        lua_pushboolean(L, 1);
        lua_rawset(L, SEEN);
        lua_settop(L, HIDDEN);
        lua_pushvalue(L, ITEM_PARENT);
        lua_pushvalue(L, ITEM_KEY);
        set_strict_index(L, HIDDEN, strict_settings_index, 2);
        cmrg_push_sorted_keys(L, HIDDEN, 0); /* KEYS */
        for (lua_Integer i = (lua_Integer)lua_rawlen(L, KEYS); i >= 1; i--) { /* last first: taken first */
            if (lua_rawgeti(L, KEYS, i) == LUA_TSTRING) {
                lua_pushvalue(L, -1);
                if (lua_rawget(L, HIDDEN) == LUA_TTABLE) {
                    lua_rawseti(L, WORK, ++work);
                    lua_pushvalue(L, HIDDEN);
                    lua_rawseti(L, WORK, ++work);
                    lua_rawseti(L, WORK, ++work);
                    continue;
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
    }
    return 0;
}

int cmrg_strict_settings(lua_State *L, const char *name) {
    cmrg_clear_where(L);
    lua_pushcfunction(L, strict_settings_body);
    lua_pushlightuserdata(L, (void *)name);
    return lua_pcall(L, 1, 0, 0);
}

/* ---------------------------------------------------------------- globals ------------ */

/* What the sandbox leaves out on purpose (README, "The rule sandbox"). */
static int is_withheld(const char *name) {
    static const char *const withheld[] = {"io", "os", "require", "package", "debug", "coroutine", "dofile",
                                           "loadfile", "collectgarbage", NULL};
    for (int i = 0; withheld[i]; i++)
        if (strcmp(name, withheld[i]) == 0) return 1;
    return 0;
}

/* "'totl' is not defined", with the caller's nearest local (preferred) or global. */
static int undefined(lua_State *L, const char *name, size_t len, int base, const char *otherwise) {
    if (is_withheld(name))
        return luaL_error(L, "'%s' is not available to rules (no files, operating system, modules or debug library)", name);
    nearest local = {(size_t)-1, ""}, global = {(size_t)-1, ""};
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar)) {
        const char *n;
        for (int i = 1; (n = lua_getlocal(L, &ar, i)) != NULL; i++) {
            lua_pop(L, 1);
            if (n[0] != '(') offer(&local, n, strlen(n), name, len);
        }
    }
    nearest_key(L, base, name, len, &global);
    if (local.distance != (size_t)-1 && local.distance <= global.distance)
        return luaL_error(L, "'%s' is not defined \xe2\x80\x94 a typo of the local '%s'?", name, local.name);
    if (global.distance != (size_t)-1) return luaL_error(L, "'%s' is not defined (did you mean '%s'?)", name, global.name);
    return luaL_error(L, "'%s' is not defined%s", name, otherwise);
}

/* __index of the sealed definitions: a global nobody defined. Upvalue 1: the names the pack
   declares without a value (`seen = nil` at the top of a file), which read as nil. */
static int read_undefined(lua_State *L) {
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 0;
    lua_pop(L, 1);
    size_t len;
    const char *name = lua_tolstring(L, 2, &len);
    return undefined(L, name, len, 1, "");
}

/* __newindex of the environment: a call may reassign what the pack defined or declared (in
   its scratch layer), not make up a new global (a mistyped local, or a result kept for the
   next contract). Upvalues: 1 the sealed definitions, 2 the declared names. */
static int assign_global(lua_State *L) {
    if (lua_type(L, 2) == LUA_TSTRING) {
        lua_pushvalue(L, 2);
        int defined = lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL;
        lua_pushvalue(L, 2);
        defined = defined || lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL;
        lua_pop(L, 2);
        if (defined) {
            lua_rawset(L, 1);
            return 0;
        }
        size_t len;
        const char *name = lua_tolstring(L, 2, &len);
        return undefined(L, name, len, lua_upvalueindex(1),
                         ": rules may only assign globals the pack defines when it loads (make it a local)");
    }
    const char *key = push_key_text(L, 2);
    return luaL_error(L, "global %s is not defined", key);
}

typedef struct names_args {
    const char *const *names;
    const size_t *lens;
    int count;
} names_args;

static int strict_globals_body(lua_State *L) {
    names_args *a = (names_args *)lua_touserdata(L, 1);
    if (lua_getfield(L, LUA_REGISTRYINDEX, BASE_KEY) != LUA_TTABLE) return luaL_error(L, "the environment is not sealed");
    int base = lua_gettop(L);
    push_name_set(L, a->names, a->lens, a->count);
    int declared = lua_gettop(L);
    lua_pushvalue(L, declared);
    set_strict_index(L, base, read_undefined, 1);
    cmrg_push_env(L);
    lua_getmetatable(L, -1);
    lua_pushvalue(L, base);
    lua_pushvalue(L, declared);
    lua_pushcclosure(L, assign_global, 2);
    lua_setfield(L, -2, "__newindex");
    return 0;
}

int cmrg_strict_globals(lua_State *L, const char *const *declared, const size_t *lens, int count) {
    names_args a = {declared, lens, count};
    cmrg_clear_where(L);
    lua_pushcfunction(L, strict_globals_body);
    lua_pushlightuserdata(L, &a);
    return lua_pcall(L, 1, 0, 0);
}

/* ---------------------------------------------------------------- raw access --------- */
/* A read-only view is an empty table, so the stock rawget, rawlen and ipairs would find
   nothing in it (a silent nil, a length of 0) or, reading past a strict list's end, raise.
   These read the table behind a view instead; other values as Lua does. */

/* Whether the table at `t` answers missing names with a strictness error. */
static int is_strict(lua_State *L, int t) {
    if (!lua_getmetatable(L, t)) return 0;
    lua_getfield(L, -1, "__index");
    lua_CFunction f = lua_tocfunction(L, -1);
    lua_pop(L, 2);
    return f == strict_settings_index || f == strict_record_index;
}

/* rawget(view, key): the value in the table behind it; a name it does not have is the same
   error as reading it (a typo must not read as "absent" through rawget either). */
static int view_rawget(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    if (!cmrg_view_target(L, 1)) {
        lua_rawget(L, 1);
        return 1;
    }
    lua_pushvalue(L, 2);
    if (lua_rawget(L, 3) != LUA_TNIL || !is_strict(L, 3)) return 1;
    lua_getmetatable(L, 3);
    lua_getfield(L, -1, "__index");
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

static int view_rawlen(lua_State *L) {
    int t = lua_type(L, 1);
    luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
    if (!cmrg_view_target(L, 1)) lua_pushvalue(L, 1);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* ipairs' step: up to the first nil, read raw from a strict table behind a view (the end of
   a settings list is not a missing key), else as Lua reads (an __index of the pack's own). */
static int ipairs_step(lua_State *L) {
    lua_Integer i = luaL_checkinteger(L, 2);
    i = (lua_Integer)((lua_Unsigned)i + 1u);
    lua_pushinteger(L, i);
    int found;
    if (cmrg_view_target(L, 1) && is_strict(L, -1)) {
        found = lua_rawgeti(L, -1, i) != LUA_TNIL;
        lua_remove(L, -2);
    } else {
        lua_settop(L, 3);
        found = lua_geti(L, 1, i) != LUA_TNIL;
    }
    return found ? 2 : 1;
}

static int view_ipairs(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushcfunction(L, ipairs_step);
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 0);
    return 3;
}

void cmrg_set_view_raw_access(lua_State *L, int env) {
    lua_pushcfunction(L, view_rawget);
    lua_setfield(L, env, "rawget");
    lua_pushcfunction(L, view_rawlen);
    lua_setfield(L, env, "rawlen");
    lua_pushcfunction(L, view_ipairs);
    lua_setfield(L, env, "ipairs");
}

/* ---------------------------------------------------------------- stable identities -- */

/* The number of the collectable value at `idx` in the current call, counted from 1. A table
   or function is its own key (which keeps it alive, so no other can take its place); a
   string is told apart by where it lives (two equal strings may be different objects, as %p
   shows) and kept alive under its number. */
static lua_Integer identity(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    cmrg_extra *x = cmrg_extra_of(L);
    if (lua_getfield(L, LUA_REGISTRYINDEX, IDS_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, IDS_KEY);
    }
    int ids = lua_gettop(L);
    int is_string = lua_type(L, idx) == LUA_TSTRING;
    if (is_string) lua_pushlightuserdata(L, (void *)lua_topointer(L, idx));
    else lua_pushvalue(L, idx);
    int key = lua_gettop(L);
    lua_Integer n;
    lua_pushvalue(L, key);
    if (lua_rawget(L, ids) == LUA_TNUMBER) {
        n = lua_tointeger(L, -1);
    } else {
        n = ++x->next_id;
        lua_pushvalue(L, key);
        lua_pushinteger(L, n);
        lua_rawset(L, ids);
        if (is_string) {
            lua_pushvalue(L, idx);
            lua_rawseti(L, ids, n);
        }
    }
    lua_settop(L, ids - 1);
    return n;
}

void cmrg_reset_identities(lua_State *L) {
    cmrg_extra *x = cmrg_extra_of(L);
    if (x->next_id == 0) return;
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, IDS_KEY);
    x->next_id = 0;
}

static int has_address(int type) {
    return type == LUA_TTABLE || type == LUA_TFUNCTION || type == LUA_TUSERDATA ||
           type == LUA_TLIGHTUSERDATA || type == LUA_TTHREAD;
}

/* Pushes tostring(value at idx): "table: 1" where Lua would show an address (a __tostring
   metamethod still decides; a __name still names the kind). */
static const char *stable_tolstring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    int type = lua_type(L, idx);
    if (!has_address(type)) return luaL_tolstring(L, idx, NULL);
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        return luaL_tolstring(L, idx, NULL);
    }
    const char *kind = luaL_typename(L, idx);
    int named = luaL_getmetafield(L, idx, "__name");
    if (named == LUA_TSTRING) kind = lua_tostring(L, -1);
    lua_Integer n = identity(L, idx);
    const char *s = lua_pushfstring(L, "%s: %I", kind, (LUAI_UACINT)n);
    if (named != LUA_TNIL) {
        lua_remove(L, -2);
        s = lua_tostring(L, -1);
    }
    return s;
}

static int stable_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    size_t len;
    stable_tolstring(L, 1);
    lua_tolstring(L, -1, &len);
    if (lua_type(L, 1) != LUA_TSTRING) cmrg_charge(L, (int64_t)(len / CMRG_BYTES_PER_STEP)); /* a new string */
    return 1;
}

/* string.format with %s and %p of tables, functions and userdata as stable text: the
   arguments are rewritten, then the library's own format (upvalue 1) does the work. */
static int stable_format(lua_State *L) {
    size_t len;
    const char *format = luaL_checklstring(L, 1, &len);
    int top = lua_gettop(L);
    int arg = 1;
    luaL_Buffer b;
    int rewritten = 0;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < len; i++) {
        luaL_addchar(&b, format[i]);
        if (format[i] != '%') continue;
        if (i + 1 < len && format[i + 1] == '%') { luaL_addchar(&b, '%'); i++; continue; }
        size_t j = i + 1;
        while (j < len && strchr("-+ #0123456789.", format[j])) luaL_addchar(&b, format[j++]);
        if (j >= len) break;
        arg++;
        char c = format[j];
        i = j;
        if (arg <= top && (c == 's' || c == 'p') && (has_address(lua_type(L, arg)) || (c == 'p' && lua_type(L, arg) == LUA_TSTRING))) {
            if (c == 's') {
                stable_tolstring(L, arg);
            } else {
                lua_pushfstring(L, "%I", (LUAI_UACINT)identity(L, arg));
            }
            lua_replace(L, arg);
            c = 's';
            rewritten = 1;
        }
        luaL_addchar(&b, c);
    }
    luaL_pushresult(&b);
    if (rewritten) lua_replace(L, 1); else lua_pop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, 1);
    return 1;
}

void cmrg_set_stable_identities(lua_State *L, int env, int string_lib) {
    lua_pushcfunction(L, stable_tostring);
    lua_setfield(L, env, "tostring");
    lua_getfield(L, string_lib, "format");
    lua_pushcclosure(L, stable_format, 1);
    lua_setfield(L, string_lib, "format");
}
