// Sealing: once a rule pack is loaded, nothing its definitions can reach may change any more,
// so that no call can leave anything behind for the next. Every table reachable from the
// globals (through values, keys, metatables and the upvalues of functions, metamethods
// included) is replaced everywhere by a read-only view (cmrg_views.c); what cannot be made
// read-only is refused, naming the file and line: a local captured by a function that assigns
// it, an iterator (gmatch, pairs) made while loading. Globals written afterwards land in a
// scratch layer that is emptied between calls.
//
// The walk is iterative (a work list in a Lua table, constant C and Lua stack), so tables
// nested 10,000 deep or chains of 10,000 closures seal like any other; every object is visited
// once.
#include "cmrg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OP_SETUPVAL 10 /* lopcodes.h of Lua 5.4: UpValue[B] := R[A] */

/* Stack slots of seal_body. */
enum { ENV = 1, BASE, SEEN, TABLES, FUNCTIONS, ROOT_OF, WORK, NAMES, PENDING, TOP = PENDING };

typedef struct sealing {
    lua_State *L;
    cmrg_extra *x;
    int tables, functions, work; /* lengths of the arrays at TABLES, FUNCTIONS, WORK */
    int root;                    /* the global (index in NAMES) whose values are being walked */
    /* the first refusal in (chunk, line, name) order, so that the message does not depend
       on the order of the walk */
    int refused;
    char chunk[LUA_IDSIZE];
    int line;
    char name[64];
    char what[192];
} sealing;

/* ---------------------------------------------------------------- where ------------- */

static const char definers_key = 'd'; /* registry: global name -> chunk that last set it */
static const char snapshot_key = 's'; /* registry: global name -> its value after that chunk */

/* A chunk name as Lua shows a long one: "..." and its tail (LuaSandbox gives back the whole). */
static void copy_chunk_name(char out[LUA_IDSIZE], const char *name) {
    size_t n = strlen(name);
    if (n < LUA_IDSIZE) memcpy(out, name, n + 1);
    else snprintf(out, LUA_IDSIZE, "...%s", name + n - (LUA_IDSIZE - 4));
}

static void chunk_of(lua_State *L, int fn, char out[LUA_IDSIZE], int *line) {
    lua_Debug ar;
    lua_pushvalue(L, fn);
    lua_getinfo(L, ">S", &ar);
    copy_chunk_name(out, ar.source[0] == '@' || ar.source[0] == '=' ? ar.source + 1 : ar.short_src);
    *line = ar.linedefined > 0 ? ar.linedefined : 0;
}

/* Notes which global is being sealed and where it was defined, for a memory or time error
   raised while sealing it (they run no message handler). */
static void enter_root(sealing *s, int r) {
    lua_State *L = s->L;
    cmrg_extra *x = s->x;
    s->root = r;
    lua_rawgeti(L, NAMES, r);
    const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    snprintf(x->seal_global, sizeof x->seal_global, "%s", name);
    x->seal_src[0] = 0;
    x->seal_line = 0;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, ENV) == LUA_TFUNCTION && !lua_iscfunction(L, -1)) {
        chunk_of(L, lua_gettop(L), x->seal_src, &x->seal_line);
    } else if (lua_rawgetp(L, LUA_REGISTRYINDEX, &definers_key) == LUA_TTABLE) {
        lua_pushvalue(L, -3);
        if (lua_rawget(L, -2) == LUA_TSTRING) copy_chunk_name(x->seal_src, lua_tostring(L, -1));
        lua_pop(L, 2);
    } else {
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}

const char *cmrg_seal_where(lua_State *L, int *line, const char **global) {
    cmrg_extra *x = cmrg_extra_of(L);
    *line = x->seal_line;
    *global = x->seal_global[0] ? x->seal_global : NULL;
    return x->seal_src[0] ? x->seal_src : NULL;
}

static void clear_seal_where(cmrg_extra *x) {
    x->seal_src[0] = 0;
    x->seal_line = 0;
    x->seal_global[0] = 0;
}

/* Keeps a refusal if it comes first in (chunk, line, name) order. */
static void refuse(sealing *s, const char *chunk, int line, const char *name, const char *what) {
    if (s->refused) {
        int c = strcmp(chunk, s->chunk);
        if (c > 0 || (c == 0 && (line > s->line || (line == s->line && strcmp(name, s->name) >= 0)))) return;
    }
    s->refused = 1;
    copy_chunk_name(s->chunk, chunk);
    s->line = line;
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->what, sizeof s->what, "%s", what);
}

static void refuse_in_root(sealing *s, const char *what) {
    refuse(s, s->x->seal_src[0] ? s->x->seal_src : "?", s->x->seal_line, s->x->seal_global, what);
}

/* ---------------------------------------------------------------- upvalue writes ----- */
/* A function made while loading keeps its upvalues from call to call: one that assigns an
   upvalue (a file-level `local count = 0` it counts in) would carry a value from one
   contract to the next. Its compiled code tells: SETUPVAL instructions, in the function or
   in the functions it makes, on upvalues that lead back to the function's own. */

static void note_assignment(sealing *s, int fn, const cmrg_proto *p, size_t pc, int up) {
    char chunk[LUA_IDSIZE];
    int defined;
    chunk_of(s->L, fn, chunk, &defined);
    const char *name = lua_getupvalue(s->L, fn, up + 1);
    char label[64];
    snprintf(label, sizeof label, "%s", name && *name ? name : "?");
    if (name) lua_pop(s->L, 1);
    refuse(s, chunk, cmrg_proto_line(p, pc), label, "assign");
}

/* `up[i]`: which upvalue of the sealed function upvalue i of `p` is (-1: a local of some
   call, which dies with it). */
static void scan_prototype(sealing *s, int fn, const cmrg_proto *p, const int *up) {
    for (size_t pc = 0; pc < p->ncode; pc++) {
        uint32_t i = cmrg_proto_instruction(p, pc);
        if ((i & 0x7F) != OP_SETUPVAL) continue;
        size_t b = (i >> 16) & 0xFF;
        if (b < p->nupvalues && up[b] >= 0) note_assignment(s, fn, p, pc, up[b]);
    }
    for (size_t k = 0; k < p->nprotos; k++) {
        const cmrg_proto *child = &p->protos[k];
        int *inner = malloc((child->nupvalues ? child->nupvalues : 1) * sizeof(int));
        if (!inner) { s->x->budget.tripped = CMRG_TRIP_MEMORY; return; }
        for (size_t j = 0; j < child->nupvalues; j++) {
            int instack = child->upvalues[3 * j], idx = child->upvalues[3 * j + 1];
            inner[j] = instack || (size_t)idx >= p->nupvalues ? -1 : up[idx];
        }
        scan_prototype(s, fn, child, inner);
        free(inner);
    }
}

static int scan_assignments(sealing *s, int fn) {
    lua_State *L = s->L;
    cmrg_dump d;
    lua_pushvalue(L, fn);
    int dumped = cmrg_dump_function(L, &d);
    lua_pop(L, 1);
    cmrg_proto root;
    if (!dumped || !cmrg_proto_read(&d, &root)) {
        cmrg_dump_free(&d);
        return 0;
    }
    int *up = malloc((root.nupvalues ? root.nupvalues : 1) * sizeof(int));
    if (up) {
        for (size_t j = 0; j < root.nupvalues; j++) up[j] = (int)j;
        scan_prototype(s, fn, &root, up);
        free(up);
    }
    cmrg_proto_free(&root);
    cmrg_dump_free(&d);
    return up != NULL;
}

/* ---------------------------------------------------------------- the walk ----------- */

static void push_work(sealing *s, int idx) {
    int t = lua_type(s->L, idx);
    if (t != LUA_TTABLE && t != LUA_TFUNCTION) return;
    lua_pushvalue(s->L, idx);
    lua_rawseti(s->L, WORK, ++s->work);
}

static const char *iterator_kind(lua_State *L, int idx) {
    lua_CFunction f = lua_tocfunction(L, idx);
    return cmrg_is_pairs_iterator(f) ? "pairs" : cmrg_is_gmatch_iterator(f) ? "gmatch" : NULL;
}

/* Visits the value on the stack top (popping it): notes it, and queues what it reaches. */
static void discover(sealing *s) {
    lua_State *L = s->L;
    int v = lua_gettop(L);
    lua_pushvalue(L, v);
    int known = lua_rawget(L, SEEN) != LUA_TNIL;
    lua_pop(L, 1);
    if (known) { lua_pop(L, 1); return; }
    lua_pushvalue(L, v);
    lua_pushboolean(L, 1);
    lua_rawset(L, SEEN);
    if (lua_type(L, v) == LUA_TTABLE) {
        lua_pushvalue(L, v);
        lua_rawseti(L, TABLES, ++s->tables);
        lua_pushinteger(L, s->root);
        lua_rawseti(L, ROOT_OF, s->tables);
        if (lua_getmetatable(L, v)) {
            push_work(s, -1);
            lua_pop(L, 1);
        }
        lua_pushnil(L);
        while (lua_next(L, v)) {
            cmrg_charge(L, 2);
            if (lua_iscfunction(L, -1) && iterator_kind(L, -1)) refuse_in_root(s, iterator_kind(L, -1));
            push_work(s, -2);
            push_work(s, -1);
            lua_pop(L, 1);
        }
    } else if (lua_iscfunction(L, v)) {
        /* host and library functions keep no script state, except the iterators */
        if (iterator_kind(L, v)) refuse_in_root(s, iterator_kind(L, v));
    } else {
        lua_pushvalue(L, v);
        lua_rawseti(L, FUNCTIONS, ++s->functions);
        if (!scan_assignments(s, v)) luaL_error(L, "cannot read a compiled function (unexpected Lua version)");
        const char *name;
        for (int n = 1; (name = lua_getupvalue(L, v, n)) != NULL; n++) {
            const char *kind = lua_iscfunction(L, -1) ? iterator_kind(L, -1) : NULL;
            if (kind) {
                char chunk[LUA_IDSIZE];
                int line;
                chunk_of(L, v, chunk, &line);
                refuse(s, chunk, line, *name ? name : "?", kind);
            } else {
                push_work(s, -1);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

/* Replaces the value on the stack top by its sealed counterpart (a view for a table). */
static void seal_top(lua_State *L, void *ud) {
    (void)ud;
    int t = lua_type(L, -1);
    if (t != LUA_TTABLE && t != LUA_TFUNCTION) return;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, SEEN) == LUA_TTABLE) lua_replace(L, -2);
    else lua_pop(L, 1);
}

/* Points every key and value of table `t` that is a table at its view. New keys cannot be
   added during lua_next: keys that change are moved once the traversal is over. */
static void rewrite(sealing *s, int t) {
    lua_State *L = s->L;
    int moved = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        cmrg_charge(L, 2);
        seal_top(L, NULL);
        lua_pushvalue(L, -2);
        seal_top(L, NULL);
        if (!lua_rawequal(L, -1, -3)) { /* the key changes: key, value, new key */
            lua_rawseti(L, PENDING, ++moved);
            lua_pushvalue(L, -2);
            lua_rawseti(L, PENDING, ++moved);
            lua_rawseti(L, PENDING, ++moved);
        } else {
            lua_pop(L, 1);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, t); /* an existing key may be given a new value during lua_next */
        }
    }
    for (int i = 1; i <= moved; i += 3) {
        lua_rawgeti(L, PENDING, i + 1); /* old key */
        lua_pushnil(L);
        lua_rawset(L, t);
    }
    for (int i = 1; i <= moved; i += 3) {
        lua_rawgeti(L, PENDING, i);     /* new key */
        lua_rawgeti(L, PENDING, i + 2); /* value */
        lua_rawset(L, t);
    }
    for (int i = moved; i >= 1; i--) {
        lua_pushnil(L);
        lua_rawseti(L, PENDING, i);
    }
}

static void raise_refusal(sealing *s) {
    const char *what = s->what;
    char where[LUA_IDSIZE + 16];
    if (s->line > 0) snprintf(where, sizeof where, "%s:%d: ", s->chunk, s->line);
    else snprintf(where, sizeof where, "%s: ", s->chunk);
    if (strcmp(what, "assign") == 0)
        luaL_error(s->L, "%sthis function assigns '%s', a local it keeps from loading: the value would carry "
                   "over from one contract to the next (make it local to the function, or a global, which "
                   "every call starts without)", where, s->name);
    luaL_error(s->L, "%s'%s' holds a %s iterator made while loading: it would carry its position from one "
               "contract to the next (make the iterator inside the function that uses it)", where, s->name, what);
}

static int seal_body(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, BASE_KEY) != LUA_TNIL)
        return luaL_error(L, "the environment is already sealed");
    lua_settop(L, 0);
    luaL_checkstack(L, TOP + 20, "sealing");
    sealing s = {L, cmrg_extra_of(L), 0, 0, 0, 0, 0, "", 0, "", ""};
    cmrg_push_env(L);
    for (int i = BASE; i <= PENDING; i++) lua_newtable(L);
    lua_pushvalue(L, ENV);
    lua_pushvalue(L, ENV);
    lua_rawset(L, SEEN); /* _G stays the environment itself */
    cmrg_push_sorted_keys(L, ENV, 0);
    lua_replace(L, NAMES);

    /* 1: find everything the globals reach, global by global in name order */
    lua_Integer roots = (lua_Integer)lua_rawlen(L, NAMES);
    for (lua_Integer r = 1; r <= roots; r++) {
        enter_root(&s, (int)r);
        lua_rawgeti(L, NAMES, r);
        lua_rawget(L, ENV);
        push_work(&s, -1);
        lua_pop(L, 1);
        while (s.work > 0) {
            lua_rawgeti(L, WORK, s.work);
            lua_pushnil(L);
            lua_rawseti(L, WORK, s.work--);
            discover(&s);
        }
    }
    if (s.x->budget.tripped) return luaL_error(L, "not enough memory");
    if (s.refused) raise_refusal(&s);

    /* 2: a view for every table, so that every reference can be pointed at it */
    for (int i = 1, root = 0; i <= s.tables; i++) {
        lua_rawgeti(L, ROOT_OF, i);
        int r = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (r != root) enter_root(&s, root = r);
        lua_rawgeti(L, TABLES, i);
        lua_newtable(L);
        lua_rawset(L, SEEN);
    }
    /* 3: tables hold views only, views read through to their tables, functions see views */
    for (int i = 1, root = 0; i <= s.tables; i++) {
        lua_rawgeti(L, ROOT_OF, i);
        int r = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (r != root) enter_root(&s, root = r);
        lua_rawgeti(L, TABLES, i);
        int t = lua_gettop(L);
        rewrite(&s, t);
        lua_pushvalue(L, t);
        lua_rawget(L, SEEN);
        cmrg_make_view(L, t, -1, seal_top, NULL);
        lua_settop(L, t - 1);
    }
    for (int i = 1; i <= s.functions; i++) {
        lua_rawgeti(L, FUNCTIONS, i);
        for (int n = 1; lua_getupvalue(L, -1, n); n++) {
            if (lua_type(L, -1) == LUA_TTABLE) {
                seal_top(L, NULL);
                lua_setupvalue(L, -2, n); /* shared upvalues: every closure sees the view */
            } else {
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    /* 4: the sealed globals become the base behind an empty environment */
    lua_pushnil(L);
    while (lua_next(L, ENV)) {
        seal_top(L, NULL);
        lua_pushvalue(L, -2);
        seal_top(L, NULL);
        lua_insert(L, -2);
        lua_rawset(L, BASE);
    }
    for (;;) {
        lua_pushnil(L);
        if (!lua_next(L, ENV)) break;
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, ENV);
    }
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, BASE);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, ENV);
    lua_pushvalue(L, BASE);
    lua_setfield(L, LUA_REGISTRYINDEX, BASE_KEY);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &definers_key);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &snapshot_key);
    return 0;
}

int cmrg_seal(lua_State *L) {
    cmrg_clear_where(L);
    clear_seal_where(cmrg_extra_of(L));
    lua_pushcfunction(L, seal_body);
    int status = lua_pcall(L, 0, 0, 0);
    if (status == LUA_OK) clear_seal_where(cmrg_extra_of(L));
    return status;
}

/* ---------------------------------------------------------------- definitions -------- */
/* Which chunk defined each global, to name the file when sealing a table fails. */

static int note_body(lua_State *L) {
    const char *chunk = (const char *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    cmrg_push_env(L);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &snapshot_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &snapshot_key);
    }
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &definers_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &definers_key);
    }
    /* 1 env, 2 snapshot, 3 definers */
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        cmrg_charge(L, 2);
        lua_pushvalue(L, -2);
        lua_rawget(L, 2);
        int same = lua_rawequal(L, -1, -2);
        lua_pop(L, 1);
        if (!same) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, 2);
            if (chunk) {
                lua_pushvalue(L, -1);
                lua_pushstring(L, chunk[0] == '@' || chunk[0] == '=' ? chunk + 1 : chunk);
                lua_rawset(L, 3);
            }
        } else {
            lua_pop(L, 1);
        }
    }
    return 0;
}

int cmrg_note_definitions(lua_State *L, const char *chunkname) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, BASE_KEY) != LUA_TNIL) { /* sealed: nothing to note */
        lua_pop(L, 1);
        return LUA_OK;
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, note_body);
    lua_pushlightuserdata(L, (void *)chunkname);
    return lua_pcall(L, 1, 0, 0);
}

/* ---------------------------------------------------------------- scratch layer ------ */

static int reset_body(lua_State *L) {
    cmrg_push_env(L);
    for (;;) {
        lua_pushnil(L);
        if (!lua_next(L, 1)) break;
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, 1);
    }
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
