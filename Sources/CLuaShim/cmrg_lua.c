// The C side of the Lua sandbox: capped allocator, instruction/time budget hook, safe
// library set, protected record calls. Everything that can raise a Lua error (longjmp)
// happens here, inside lua_pcall, never across Swift frames.
#define _POSIX_C_SOURCE 200809L
#include "cmrg_lua.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENV_KEY "cmrg.env"          /* the sandbox environment (scripts' _ENV) */
#define BASE_KEY "cmrg.base"        /* sealed definitions behind the environment */
#define RO_MT_KEY "cmrg.ro_mt"      /* metatable of read-only proxies */
#define MAX_MESSAGE 2048            /* error messages are cut to this many bytes */

/* Per-state data kept beside the budget: the last error location and message. */
typedef struct cmrg_extra {
    cmrg_budget budget;
    char where_src[LUA_IDSIZE];
    int where_line;
    char message[MAX_MESSAGE + 64];
    int phase;
} cmrg_extra;

static cmrg_extra *extra_of(lua_State *L) { return *(cmrg_extra **)lua_getextraspace(L); }
cmrg_budget *cmrg_budget_of(lua_State *L) { return &extra_of(L)->budget; }

int64_t cmrg_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---------------------------------------------------------------- allocator --------- */

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    cmrg_budget *b = (cmrg_budget *)ud;
    size_t old = ptr ? osize : 0; /* when ptr is NULL, osize encodes a type, not a size */
    if (nsize == 0) {
        if (ptr) { free(ptr); b->mem_used -= old; }
        return NULL;
    }
    if (nsize > old && b->mem_used - old + nsize > b->mem_limit) {
        if (b->armed) b->tripped = b->tripped ? b->tripped : CMRG_TRIP_MEMORY;
        return NULL; /* Lua turns this into a "not enough memory" error (after a full GC) */
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    b->mem_used = b->mem_used - old + nsize;
    if (b->mem_used > b->mem_peak) b->mem_peak = b->mem_used;
    return p;
}

/* ---------------------------------------------------------------- budget hook ------- */

static const char *trip_message(int trip) {
    switch (trip) {
    case CMRG_TRIP_INSTRUCTIONS: return "instruction limit exceeded (endless loop?)";
    case CMRG_TRIP_TIME: return "time limit exceeded";
    case CMRG_TRIP_MEMORY: return "memory limit exceeded";
    case CMRG_TRIP_INTERRUPT: return "interrupted";
    default: return "stopped";
    }
}

static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    cmrg_budget *b = cmrg_budget_of(L);
    if (!b->armed) return;
    if (!b->tripped) {
        b->instr_left -= b->hook_step;
        if (b->interrupt) b->tripped = CMRG_TRIP_INTERRUPT;
        else if (b->instr_left <= 0) b->tripped = CMRG_TRIP_INSTRUCTIONS;
        else if (b->deadline_ns && cmrg_now_ns() > b->deadline_ns) b->tripped = CMRG_TRIP_TIME;
        if (!b->tripped) return;
        /* From now on fire on every instruction: a script that catches the error with
           pcall runs at most one instruction before it is raised again. */
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    }
    luaL_error(L, "%s", trip_message(b->tripped));
}

void cmrg_arm(lua_State *L, int64_t instructions, int64_t time_limit_ns) {
    cmrg_budget *b = cmrg_budget_of(L);
    b->instr_left = instructions > 0 ? instructions : INT64_MAX;
    b->deadline_ns = time_limit_ns > 0 ? cmrg_now_ns() + time_limit_ns : 0;
    b->tripped = CMRG_TRIP_NONE;
    b->interrupt = 0;
    b->armed = 1;
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, b->hook_step);
}

void cmrg_disarm(lua_State *L) { cmrg_budget_of(L)->armed = 0; }

void cmrg_interrupt(lua_State *L) { cmrg_budget_of(L)->interrupt = 1; }

/* ---------------------------------------------------------------- lifecycle --------- */

static int panic_handler(lua_State *L) {
    /* Only reachable if an error escapes every protected call: a host bug. */
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(non-string error)";
    fprintf(stderr, "cmrg: unprotected Lua error (host bug): %s\n", msg);
    abort();
}

lua_State *cmrg_newstate(size_t memory_limit, int hook_step) {
    cmrg_extra *x = calloc(1, sizeof(cmrg_extra));
    if (!x) return NULL;
    x->budget.mem_limit = memory_limit ? memory_limit : (size_t)-1;
    x->budget.hook_step = hook_step > 0 ? hook_step : 1000;
    x->phase = -1;
    lua_State *L = lua_newstate(capped_alloc, &x->budget);
    if (!L) { free(x); return NULL; }
    *(cmrg_extra **)lua_getextraspace(L) = x;
    lua_atpanic(L, panic_handler);
    lua_gc(L, LUA_GCGEN, 0, 0); /* generational GC suits many short-lived record tables */
    return L;
}

void cmrg_close(lua_State *L) {
    if (!L) return;
    cmrg_extra *x = extra_of(L);
    x->budget.armed = 0;
    lua_close(L);
    free(x);
}

/* ---------------------------------------------------------------- errors ------------ */

/* Message handler: remembers where the innermost Lua frame was, for error objects that
   carry no position (tables, errors raised with level 0). Runs no Lua code. */
static int remember_where(lua_State *L) {
    cmrg_extra *x = extra_of(L);
    lua_Debug ar;
    x->where_src[0] = 0;
    x->where_line = 0;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(x->where_src, sizeof x->where_src, "%s", ar.short_src);
            x->where_line = ar.currentline;
            break;
        }
    }
    return 1; /* the error object unchanged */
}

const char *cmrg_error_where(lua_State *L, int *line) {
    cmrg_extra *x = extra_of(L);
    *line = x->where_line;
    return x->where_src[0] ? x->where_src : NULL;
}

static void clear_where(lua_State *L) {
    cmrg_extra *x = extra_of(L);
    x->where_src[0] = 0;
    x->where_line = 0;
}

const char *cmrg_error_message(lua_State *L, size_t *len) {
    cmrg_extra *x = extra_of(L);
    int t = lua_type(L, -1);
    const char *s = NULL;
    size_t n = 0;
    if (t == LUA_TSTRING) {
        s = lua_tolstring(L, -1, &n);
    } else if (t == LUA_TNUMBER) {
        /* format without lua_tostring (which could allocate and raise) */
        if (lua_isinteger(L, -1)) snprintf(x->message, MAX_MESSAGE, "%lld", (long long)lua_tointeger(L, -1));
        else snprintf(x->message, MAX_MESSAGE, "%.14g", (double)lua_tonumber(L, -1));
        n = strlen(x->message);
    } else if (t == LUA_TNONE || t == LUA_TNIL) {
        snprintf(x->message, MAX_MESSAGE, "error with no message (nil)");
        n = strlen(x->message);
    } else {
        /* A table or other object: never call its __tostring (it may fail or loop). */
        const char *name = lua_typename(L, t);
        const char *msg = NULL;
        if (t == LUA_TTABLE) {
            /* error{message="..."}: use a plain string field if there is one (raw access) */
            lua_pushliteral(L, "message");
            if (lua_rawget(L, -2) == LUA_TSTRING) msg = lua_tostring(L, -1);
            if (msg) snprintf(x->message, MAX_MESSAGE, "%s", msg);
            lua_pop(L, 1);
        }
        if (!msg) snprintf(x->message, MAX_MESSAGE, "error object is a %s value", name);
        n = strlen(x->message);
    }
    if (s) {
        if (n > MAX_MESSAGE) {
            memcpy(x->message, s, MAX_MESSAGE);
            memcpy(x->message + MAX_MESSAGE, "... (message cut)", 18);
            n = MAX_MESSAGE + 17;
        } else {
            memcpy(x->message, s, n);
            x->message[n] = 0;
        }
    }
    if (lua_gettop(L) > 0) lua_pop(L, 1);
    *len = n;
    return x->message;
}

/* ---------------------------------------------------------------- sandbox ----------- */

static void push_env(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY); }

static int has_metatable(lua_State *L, int idx) {
    if (!lua_getmetatable(L, idx)) return 0;
    lua_pop(L, 1);
    return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]) for scripts: text only, strings only, and the
   default environment is the sandbox's, never the real globals. */
static int safe_load(lua_State *L) {
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (!s) return luaL_error(L, "load: only a string of Lua text can be loaded here");
    const char *name = luaL_optstring(L, 2, "=(load)");
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 'b') || len > 0 && s[0] == LUA_SIGNATURE[0]) {
        luaL_pushfail(L);
        lua_pushliteral(L, "load: binary chunks are not allowed");
        return 2;
    }
    int has_env = !lua_isnone(L, 4);
    if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env) lua_pushvalue(L, 4); else push_env(L);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    return 1;
}

/* setmetatable that refuses finalizers and to-be-closed metamethods: __gc would run
   outside any host call's limits, and __close is involved in known 5.4.4 crash bugs. */
static int safe_setmetatable(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        static const char *const refused[] = {"__gc", "__close", "__mode", NULL};
        for (int i = 0; refused[i]; i++) {
            lua_pushstring(L, refused[i]);
            if (lua_rawget(L, 2) != LUA_TNIL)
                return luaL_error(L, "setmetatable: '%s' metamethods are not allowed in rules", refused[i]);
            lua_pop(L, 1);
        }
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* Copies the listed fields of the table at `from` into a new table set as env[name]. */
static void copy_library(lua_State *L, int env, const char *name, const char *const *keep) {
    lua_getglobal(L, name);
    int lib = lua_gettop(L);
    lua_newtable(L);
    for (int i = 0; keep[i]; i++) {
        lua_getfield(L, lib, keep[i]);
        lua_setfield(L, -2, keep[i]);
    }
    lua_setfield(L, env, name);
    lua_pop(L, 1);
}

static int open_sandbox_body(lua_State *L) {
    /* Only these libraries are ever opened: no io, os, package, debug, coroutine. */
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(L, 0);

    /* The string metatable is shared by every string: hide it from getmetatable. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_newtable(L);
    int env = lua_gettop(L);
    static const char *const base_keep[] = {
        "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
        "rawget", "rawlen", "rawset", "select", "tonumber", "tostring", "type", "xpcall",
        "_VERSION", NULL};
    for (int i = 0; base_keep[i]; i++) {
        lua_getglobal(L, base_keep[i]);
        lua_setfield(L, env, base_keep[i]);
    }
    lua_pushcfunction(L, safe_load);
    lua_setfield(L, env, "load");
    lua_pushcfunction(L, safe_setmetatable);
    lua_setfield(L, env, "setmetatable");
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");

    static const char *const string_keep[] = {
        "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack",
        "packsize", "rep", "reverse", "sub", "unpack", "upper", NULL}; /* no dump */
    static const char *const table_keep[] = {
        "concat", "insert", "move", "pack", "remove", "sort", "unpack", NULL};
    static const char *const math_keep[] = {
        "abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
        "maxinteger", "min", "mininteger", "modf", "pi", "rad", "sin", "sqrt", "tan",
        "tointeger", "type", "ult", "atan", "asin", "acos", NULL}; /* no random: determinism */
    static const char *const utf8_keep[] = {
        "char", "charpattern", "codepoint", "codes", "len", "offset", NULL};
    copy_library(L, env, LUA_STRLIBNAME, string_keep);
    copy_library(L, env, LUA_TABLIBNAME, table_keep);
    copy_library(L, env, LUA_MATHLIBNAME, math_keep);
    copy_library(L, env, LUA_UTF8LIBNAME, utf8_keep);

    /* Read-only proxy metatable template lives in the registry. */
    lua_pushvalue(L, env);
    lua_setfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    return 1;
}

int cmrg_open_sandbox(lua_State *L) {
    lua_pushcfunction(L, open_sandbox_body);
    return lua_pcall(L, 0, 1, 0);
}

int cmrg_run_chunk(lua_State *L, const char *text, size_t len, const char *chunkname) {
    clear_where(L);
    lua_pushcfunction(L, remember_where);
    int handler = lua_gettop(L);
    /* "t": text only. The host never loads bytecode. */
    int status = luaL_loadbufferx(L, text, len, chunkname, "t");
    if (status == LUA_OK) {
        push_env(L);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
        status = lua_pcall(L, 0, 0, handler);
    }
    if (status != LUA_OK) {
        lua_remove(L, handler); /* leave just the error object */
    } else {
        lua_pop(L, 1);
    }
    return status;
}

/* ---------------------------------------------------------------- host functions ---- */

typedef struct host_binding {
    cmrg_host_fn fn;
    void *context;
    int wants_where;
} host_binding;

#define MAX_HOST_ARGS 16
#define MAX_HOST_RESULTS 8

static void to_value(lua_State *L, int idx, cmrg_value *v) {
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

static void push_value(lua_State *L, const cmrg_value *v) {
    switch (v->type) {
    case CMRG_BOOL: lua_pushboolean(L, (int)v->i); break;
    case CMRG_INT: lua_pushinteger(L, (lua_Integer)v->i); break;
    case CMRG_NUM: lua_pushnumber(L, (lua_Number)v->n); break;
    case CMRG_STR: lua_pushlstring(L, v->s ? v->s : "", v->len); break;
    default: lua_pushnil(L);
    }
}

static int host_trampoline(lua_State *L) {
    host_binding *b = (host_binding *)lua_touserdata(L, lua_upvalueindex(1));
    int nargs = lua_gettop(L);
    if (nargs > MAX_HOST_ARGS) return luaL_error(L, "too many arguments (at most %d)", MAX_HOST_ARGS);
    cmrg_value args[MAX_HOST_ARGS];
    for (int i = 0; i < nargs; i++) to_value(L, i + 1, &args[i]);
    cmrg_where where = {NULL, 0, extra_of(L)->phase};
    lua_Debug ar;
    if (b->wants_where && lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
        where.source = ar.source[0] == '@' || ar.source[0] == '=' ? ar.source + 1 : ar.short_src;
        where.line = ar.currentline;
    }
    cmrg_value results[MAX_HOST_RESULTS];
    const char *err = NULL;
    size_t err_len = 0;
    int n = b->fn(b->context, &where, args, nargs, results, MAX_HOST_RESULTS, &err, &err_len);
    if (n < 0) {
        luaL_where(L, 1);
        lua_pushlstring(L, err ? err : "host function failed", err ? err_len : 20);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (n > MAX_HOST_RESULTS) n = MAX_HOST_RESULTS;
    luaL_checkstack(L, n, "host function results");
    for (int i = 0; i < n; i++) push_value(L, &results[i]);
    return n;
}

typedef struct register_args {
    const char *name;
    cmrg_host_fn fn;
    void *context;
    int wants_where;
} register_args;

static int register_body(lua_State *L) {
    register_args *a = (register_args *)lua_touserdata(L, 1);
    host_binding *b = (host_binding *)lua_newuserdatauv(L, sizeof(host_binding), 0);
    b->fn = a->fn;
    b->context = a->context;
    b->wants_where = a->wants_where;
    lua_pushcclosure(L, host_trampoline, 1);
    push_env(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, a->name);
    return 0;
}

int cmrg_register(lua_State *L, const char *name, cmrg_host_fn fn, void *context, int wants_where) {
    register_args a = {name, fn, context, wants_where};
    lua_pushcfunction(L, register_body);
    lua_pushlightuserdata(L, &a);
    return lua_pcall(L, 1, 0, 0);
}

/* ---------------------------------------------------------------- sealing ----------- */

static int readonly_newindex(lua_State *L) {
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
    return luaL_error(L, "attempt to change '%s' of a read-only table", k);
}

static int readonly_len(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

static int readonly_next(lua_State *L) {
    /* iterate the hidden table behind the proxy */
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int readonly_pairs(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushcfunction(L, readonly_next);
    lua_insert(L, -2);
    lua_pushnil(L);
    return 3;
}

/* Replaces the table at `idx` by a read-only proxy (pushed), freezing nested tables too.
   `seen` (at index `seen`) maps tables to their proxies so cycles and shared tables work. */
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
        if (lua_type(L, -1) == LUA_TTABLE && !has_metatable(L, -1)) {
            freeze(L, -1, seen);
            lua_pushvalue(L, -3); /* key */
            lua_insert(L, -2);
            lua_rawset(L, idx);   /* replacing a value of an existing key during next is allowed */
        }
        lua_pop(L, 1);
    }
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, idx);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, readonly_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, readonly_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, proxy);
}

static int seal_body(lua_State *L) {
    push_env(L);
    int env = lua_gettop(L);
    if (has_metatable(L, env)) return luaL_error(L, "the environment is already sealed");
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
        if (lua_type(L, -2) == LUA_TTABLE && !has_metatable(L, -2)) {
            freeze(L, -2, seen);
        } else {
            lua_pushvalue(L, -2);
        }
        lua_rawset(L, base); /* base[key] = frozen value */
        lua_pop(L, 1);
    }
    /* empty the environment; its reads now fall through to base */
    for (;;) {
        lua_pushnil(L);
        if (!lua_next(L, env)) break;
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, env);
    }
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
    lua_pushcfunction(L, seal_body);
    return lua_pcall(L, 0, 0, 0);
}

static int reset_body(lua_State *L) {
    push_env(L);
    int env = lua_gettop(L);
    for (;;) {
        lua_pushnil(L);
        if (!lua_next(L, env)) break;
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, env);
    }
    return 0;
}

int cmrg_reset_scratch(lua_State *L) {
    push_env(L);
    lua_pushnil(L);
    int dirty = lua_next(L, -2);
    lua_settop(L, lua_gettop(L) - (dirty ? 3 : 1));
    if (!dirty) return LUA_OK; /* the common case costs one lua_next */
    lua_pushcfunction(L, reset_body);
    return lua_pcall(L, 0, 0, 0);
}

int cmrg_push_global(lua_State *L, const char *name) {
    /* raw lookups only (no metamethods can run): scratch layer first, then sealed base */
    push_env(L);
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

int cmrg_ref(lua_State *L) {
    if (lua_isnil(L, -1)) { lua_pop(L, 1); return LUA_NOREF; }
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

void cmrg_unref(lua_State *L, int ref) { luaL_unref(L, LUA_REGISTRYINDEX, ref); }

/* ---------------------------------------------------------------- records ----------- */

struct cmrg_layout {
    int count;
    int keys_ref;  /* registry ref of an array table of interned key strings */
    int proxy_ref; /* read-only proxy reused from record to record (LUA_NOREF until needed) */
    int meta_ref;  /* its metatable, whose __index is pointed at each new record */
};

cmrg_layout *cmrg_layout_new(lua_State *L, const char *const *names, const size_t *lens, int count) {
    cmrg_layout *layout = calloc(1, sizeof(cmrg_layout));
    if (!layout) return NULL;
    layout->count = count;
    layout->proxy_ref = LUA_NOREF;
    layout->meta_ref = LUA_NOREF;
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
    free(layout);
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
        push_value(L, v);
        lua_rawset(L, -3);
    }
    lua_remove(L, keys);
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
        lua_pushcfunction(L, readonly_newindex);
        lua_setfield(L, -2, "__newindex");
        lua_pushcfunction(L, readonly_pairs);
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
    build_record(L, rc->layout, rc->values, rc->nested_key ? 1 : 0);
    if (rc->nested_key) {
        lua_pushstring(L, rc->nested_key);
        build_record(L, rc->nested_layout, rc->nested_values, 0);
        if (rc->read_only) make_read_only(L, (cmrg_layout *)rc->nested_layout);
        lua_rawset(L, -3);
    }
    if (rc->read_only) make_read_only(L, (cmrg_layout *)rc->layout);
    /* stack: [record]; results accumulate above it */
    cmrg_extra *x = extra_of(L);
    for (int i = 0; i < rc->fn_count; i++) {
        x->phase = i;
        lua_rawgeti(L, LUA_REGISTRYINDEX, rc->fn_refs[i]);
        lua_pushvalue(L, 1);
        lua_call(L, 1, 1);
    }
    x->phase = -1;
    return rc->fn_count;
}

int cmrg_call_with_record(lua_State *L, const cmrg_layout *layout, const cmrg_value *values,
                          const char *nested_key, const cmrg_layout *nested_layout,
                          const cmrg_value *nested_values,
                          const int *fn_refs, int fn_count, int read_only,
                          cmrg_value *results, int *failed_fn) {
    lua_settop(L, 0); /* drops the previous call's results */
    record_call rc = {layout, values, nested_key, nested_layout, nested_values, fn_refs, fn_count, read_only};
    cmrg_extra *x = extra_of(L);
    x->phase = -1;
    clear_where(L);
    lua_pushcfunction(L, remember_where);
    lua_pushcfunction(L, record_call_body);
    lua_pushlightuserdata(L, &rc);
    int status = lua_pcall(L, 1, fn_count, 1);
    if (status != LUA_OK) {
        *failed_fn = x->phase;
        x->phase = -1;
        lua_remove(L, 1); /* leave only the error object */
        return status;
    }
    *failed_fn = -1;
    for (int i = 0; i < fn_count; i++) to_value(L, 2 + i, &results[i]);
    return LUA_OK;
}

int cmrg_call_ref(lua_State *L, int fn_ref, const cmrg_value *args, int nargs,
                  cmrg_value *results, int max_results, int *nresults) {
    lua_settop(L, 0);
    clear_where(L);
    if (!lua_checkstack(L, nargs + 4)) { lua_pushliteral(L, "too many arguments"); return LUA_ERRRUN; }
    lua_pushcfunction(L, remember_where);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
    for (int i = 0; i < nargs; i++) push_value(L, &args[i]);
    int status = lua_pcall(L, nargs, LUA_MULTRET, 1);
    if (status != LUA_OK) { lua_remove(L, 1); return status; }
    int n = lua_gettop(L) - 1;
    if (n > max_results) n = max_results;
    for (int i = 0; i < n; i++) to_value(L, 2 + i, &results[i]);
    *nresults = n;
    return LUA_OK;
}

void cmrg_pop(lua_State *L, int n) { lua_pop(L, n); }
int cmrg_gettop(lua_State *L) { return lua_gettop(L); }
void cmrg_settop(lua_State *L, int idx) { lua_settop(L, idx); }

/* ---------------------------------------------------------------- for cmrg_calllog.c  */

void cmrg_push_env(lua_State *L) { push_env(L); }
int cmrg_current_phase(lua_State *L) { return extra_of(L)->phase; }
