// The C side of the Lua sandbox: capped allocator, instruction/time budget hook, safe
// library set, protected record calls. Everything that can raise a Lua error (longjmp)
// happens here, inside lua_pcall, never across Swift frames.
#define _GNU_SOURCE /* pthread_getattr_np */
#include "cmrg_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENV_KEY "cmrg.env"          /* the sandbox environment (scripts' _ENV) */
#define BASE_KEY "cmrg.base"        /* sealed definitions behind the environment */
#define RO_MT_KEY "cmrg.ro_mt"      /* metatable of read-only proxies */
#define MAX_MESSAGE 2048            /* error messages are cut to this many bytes */
#define BIG_ALLOCATION (64 << 10)   /* allocations this large check the deadline */
#define CSTACK_RESERVE (256 << 10)  /* C stack kept free below the deepest Lua call */
#define READ_PIECE (16 << 10)       /* chunk text is parsed this many bytes at a time */

/* Per-state data kept beside the budget: the last error location and message. */
typedef struct cmrg_extra {
    cmrg_budget budget;
    lua_State *L;               /* the main (only) thread, for the allocator */
    char where_src[LUA_IDSIZE];  /* where the last error was raised (message handler) */
    int where_line;
    char refused_src[LUA_IDSIZE]; /* where the allocator last refused memory: memory errors */
    int refused_line;             /* run no message handler */
    int refused;                  /* the last allocation request was refused */
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

/* ---------------------------------------------------------------- budget ------------ */

static const char *trip_message(int trip) {
    switch (trip) {
    case CMRG_TRIP_INSTRUCTIONS: return "instruction limit exceeded (endless loop?)";
    case CMRG_TRIP_TIME: return "time limit exceeded";
    case CMRG_TRIP_MEMORY: return "memory limit exceeded";
    case CMRG_TRIP_INTERRUPT: return "interrupted";
    default: return "stopped";
    }
}

/* Spends `used` instructions and checks every limit; returns the trip (0 = go on). */
static int spend(cmrg_budget *b, int64_t used) {
    if (b->tripped) return b->tripped;
    b->instr_left -= used;
    if (b->interrupt) b->tripped = CMRG_TRIP_INTERRUPT;
    else if (b->instr_left <= 0) b->tripped = CMRG_TRIP_INSTRUCTIONS;
    else if (b->deadline_ns && cmrg_now_ns() > b->deadline_ns) b->tripped = CMRG_TRIP_TIME;
    return b->tripped;
}

static void budget_hook(lua_State *L, lua_Debug *ar);

/* From a trip on, the hook fires on every instruction: a script that catches the error
   with pcall runs at most one instruction before it is raised again. */
static void fire_every_instruction(lua_State *L) { lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1); }

/* Notes the innermost Lua frame's chunk and line (runs no Lua code, allocates nothing). */
static void note_where(lua_State *L, char src[LUA_IDSIZE], int *line) {
    lua_Debug ar;
    src[0] = 0;
    *line = 0;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(src, LUA_IDSIZE, "%s", ar.short_src);
            *line = ar.currentline;
            break;
        }
    }
}

/* ---------------------------------------------------------------- allocator --------- */

/* Refuses an allocation of a running call; Lua raises "not enough memory". Memory errors
   run no message handler, so the place is noted here. A request larger than the whole cap,
   or two refusals in a row, trip the memory limit: Lua answers a refusal with a full
   collection and one retry of the same request, so only a refused retry means the script
   really holds too much (lauxlib's buffers do not retry; their single refusal is still a
   memory error, just one a script may catch). */
static void *refuse(cmrg_extra *x, int trip, size_t request) {
    cmrg_budget *b = &x->budget;
    if (trip == CMRG_TRIP_MEMORY && !x->refused && request <= b->mem_limit) {
        x->refused = 1;
        trip = CMRG_TRIP_NONE;
    }
    if (x->L) note_where(x->L, x->refused_src, &x->refused_line);
    if (trip && !b->tripped) b->tripped = trip;
    if (b->tripped && x->L) fire_every_instruction(x->L);
    return NULL;
}

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    cmrg_budget *b = (cmrg_budget *)ud;
    size_t old = ptr ? osize : 0; /* when ptr is NULL, osize encodes a type, not a size */
    if (nsize == 0) {
        if (ptr) { free(ptr); b->mem_used -= old; }
        return NULL;
    }
    cmrg_extra *x = (cmrg_extra *)b; /* the budget is the first member */
    if (nsize > old && b->armed) {
        if (b->mem_used - old + nsize > b->mem_limit) return refuse(x, CMRG_TRIP_MEMORY, nsize);
        /* A C function that works on big strings (upper, rep, format, concat...) does one
           big allocation per call and may never reach the hook's next check: check the
           clock here, where it costs nothing next to the work that follows. */
        if (nsize - old >= BIG_ALLOCATION && spend(b, 0)) return refuse(x, b->tripped, nsize);
    } else if (nsize > old && b->mem_used - old + nsize > b->mem_limit) {
        return NULL; /* unarmed (host work): the cap still holds */
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    x->refused = 0;
    b->mem_used = b->mem_used - old + nsize;
    if (b->mem_used > b->mem_peak) b->mem_peak = b->mem_used;
    return p;
}

/* ---------------------------------------------------------------- budget hook ------- */

/* Raises only for a tripped limit: Lua code that runs while this error is being raised
   (message handlers) runs with hooks disabled, see guarded_handler. */
static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    cmrg_budget *b = cmrg_budget_of(L);
    if (!b->armed) return;
    if (!b->tripped) {
        if (!spend(b, b->hook_step)) return;
        fire_every_instruction(L);
    }
    luaL_error(L, "%s", trip_message(b->tripped));
}

void cmrg_charge(lua_State *L, int64_t steps) {
    cmrg_budget *b = cmrg_budget_of(L);
    if (!b->armed) return;
    b->pending += steps;
    if (b->pending < CMRG_STEP_BATCH && !b->tripped) return;
    int64_t used = b->pending;
    b->pending = 0;
    if (!b->tripped) {
        if (!spend(b, used)) return;
        fire_every_instruction(L);
    }
    luaL_error(L, "%s", trip_message(b->tripped));
}

/* The lowest usable address of this thread's C stack (plus the reserve), found once. */
static _Thread_local char *cstack_floor;

static char *find_cstack_floor(void) {
    char *low = NULL;
#if defined(__APPLE__)
    pthread_t self = pthread_self();
    low = (char *)pthread_get_stackaddr_np(self) - pthread_get_stacksize_np(self);
#elif defined(__linux__)
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) != 0) addr = NULL;
        pthread_attr_destroy(&attr);
    }
    low = addr;
#endif
    return low ? low + CSTACK_RESERVE : (char *)1;
}

void cmrg_check_cstack(lua_State *L) {
    char here;
    if (!cstack_floor) cstack_floor = find_cstack_floor();
    if (&here < cstack_floor) luaL_error(L, "C stack overflow");
}

void cmrg_arm(lua_State *L, int64_t instructions, int64_t time_limit_ns) {
    cmrg_budget *b = cmrg_budget_of(L);
    b->instr_left = instructions > 0 ? instructions : INT64_MAX;
    b->deadline_ns = time_limit_ns > 0 ? cmrg_now_ns() + time_limit_ns : 0;
    b->pending = 0;
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
    x->L = L;
    lua_atpanic(L, panic_handler);
    lua_gc(L, LUA_GCGEN, 0, 0); /* generational GC suits many short-lived record tables */
    return L;
}

void cmrg_close(lua_State *L) {
    if (!L) return;
    cmrg_extra *x = extra_of(L);
    x->budget.armed = 0;
    x->L = NULL;
    lua_close(L);
    free(x);
}

/* ---------------------------------------------------------------- errors ------------ */

/* Message handler: remembers where the innermost Lua frame was, for error objects that
   carry no position (tables, errors raised with level 0). Runs no Lua code. */
static int remember_where(lua_State *L) {
    cmrg_extra *x = extra_of(L);
    note_where(L, x->where_src, &x->where_line);
    return 1; /* the error object unchanged */
}

const char *cmrg_error_where(lua_State *L, int *line) {
    cmrg_extra *x = extra_of(L);
    *line = x->where_line;
    return x->where_src[0] ? x->where_src : NULL;
}

const char *cmrg_refused_where(lua_State *L, int *line) {
    cmrg_extra *x = extra_of(L);
    *line = x->refused_line;
    return x->refused_src[0] ? x->refused_src : NULL;
}

static void clear_where(lua_State *L) {
    cmrg_extra *x = extra_of(L);
    x->where_src[0] = 0;
    x->where_line = 0;
    x->refused_src[0] = 0;
    x->refused_line = 0;
    x->refused = 0;
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

/* Feeds chunk text to the parser a piece at a time, charging each piece to the budget:
   parsing a huge chunk is one C call that never reaches the hook. */
typedef struct text_reader {
    const char *text;
    size_t left;
} text_reader;

static const char *read_piece(lua_State *L, void *ud, size_t *size) {
    text_reader *r = (text_reader *)ud;
    size_t n = r->left < READ_PIECE ? r->left : READ_PIECE;
    if (n) cmrg_charge(L, (int64_t)n / 4);
    *size = n;
    const char *piece = r->text;
    r->text += n;
    r->left -= n;
    return n ? piece : NULL;
}

/* Loads Lua text only ("t": binary chunks are refused by Lua itself). */
static int load_text(lua_State *L, const char *text, size_t len, const char *chunkname) {
    text_reader r = {text, len};
    return lua_load(L, read_piece, &r, chunkname, "t");
}

/* load(chunk [, chunkname [, mode [, env]]]) for scripts: text only, strings only, and the
   default environment is the sandbox's, never the real globals. */
static int safe_load(lua_State *L) {
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (!s) return luaL_error(L, "load: only a string of Lua text can be loaded here");
    const char *name = luaL_optstring(L, 2, "=(load)");
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 'b') || (len > 0 && s[0] == LUA_SIGNATURE[0])) {
        luaL_pushfail(L);
        lua_pushliteral(L, "load: binary chunks are not allowed");
        return 2;
    }
    int has_env = !lua_isnone(L, 4);
    cmrg_check_cstack(L);
    if (load_text(L, s, len, name) != LUA_OK) {
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

/* pcall and xpcall as in lbaselib.c (without continuations: scripts cannot yield), but
   refusing to nest deeper when the C stack is nearly used up: each level of a pcall chain
   runs only a few instructions, so the hook alone would not see the stack fill. */
static int finish_pcall(lua_State *L, int status, int extra) {
    if (status != LUA_OK) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - extra;
}

static int safe_pcall(lua_State *L) {
    luaL_checkany(L, 1);
    cmrg_check_cstack(L);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    return finish_pcall(L, lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0), 0);
}

/* A script's message handler, called only for ordinary errors. A limit error raised by the
   hook reaches the handler while hooks are still disabled (Lua is inside the hook call), so
   a handler that loops would never be stopped: once a limit has tripped, the error object
   goes up unchanged. */
static int guarded_handler(lua_State *L) {
    if (cmrg_budget_of(L)->tripped) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int safe_xpcall(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    cmrg_check_cstack(L);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    return finish_pcall(L, lua_pcall(L, n - 2, LUA_MULTRET, 2), 2);
}

static int readonly_newindex(lua_State *L);

/* rawset that refuses read-only tables: a raw write into a (empty) proxy would shadow the
   frozen value for every later call. */
static int safe_rawset(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (lua_getmetatable(L, 1)) {
        lua_getfield(L, -1, "__newindex");
        int frozen = lua_tocfunction(L, -1) == readonly_newindex;
        lua_pop(L, 2);
        if (frozen) return readonly_newindex(L);
    }
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

/* Copies the listed fields of library `name` into a new table set as env[name]; leaves
   the copy on the stack. */
static int copy_library(lua_State *L, int env, const char *name, const char *const *keep) {
    lua_getglobal(L, name);
    int lib = lua_gettop(L);
    lua_newtable(L);
    for (int i = 0; keep[i]; i++) {
        lua_getfield(L, lib, keep[i]);
        lua_setfield(L, -2, keep[i]);
    }
    lua_remove(L, lib);
    lua_pushvalue(L, -1);
    lua_setfield(L, env, name);
    return lua_gettop(L);
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
        "assert", "error", "getmetatable", "ipairs", "next", "rawequal",
        "rawget", "rawlen", "select", "tonumber", "tostring", "type",
        "_VERSION", NULL};
    for (int i = 0; base_keep[i]; i++) {
        lua_getglobal(L, base_keep[i]);
        lua_setfield(L, env, base_keep[i]);
    }
    lua_pushcfunction(L, safe_load);
    lua_setfield(L, env, "load");
    lua_pushcfunction(L, safe_setmetatable);
    lua_setfield(L, env, "setmetatable");
    lua_pushcfunction(L, safe_rawset);
    lua_setfield(L, env, "rawset");
    lua_pushcfunction(L, cmrg_pairs);
    lua_setfield(L, env, "pairs");
    lua_pushcfunction(L, safe_pcall);
    lua_setfield(L, env, "pcall");
    lua_pushcfunction(L, safe_xpcall);
    lua_setfield(L, env, "xpcall");
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
    /* setmetatable(_G, ...) must fail before sealing too: the metatable is the host's. */
    lua_createtable(L, 0, 1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);

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
    int string_lib = copy_library(L, env, LUA_STRLIBNAME, string_keep);
    cmrg_set_string_functions(L, string_lib);
    /* Methods on strings ("x"):rep(...) must find the same hardened copy (without dump),
       not the stock library behind the shared string metatable. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, string_lib);
    lua_setfield(L, -2, "__index");
    lua_settop(L, env);
    int table_lib = copy_library(L, env, LUA_TABLIBNAME, table_keep);
    cmrg_set_table_functions(L, table_lib);
    lua_settop(L, env);
    copy_library(L, env, LUA_MATHLIBNAME, math_keep);
    copy_library(L, env, LUA_UTF8LIBNAME, utf8_keep);
    lua_settop(L, env);

    /* The environment is found through the registry from now on. */
    lua_pushvalue(L, env);
    lua_setfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    return 1;
}

int cmrg_open_sandbox(lua_State *L) {
    clear_where(L);
    lua_pushcfunction(L, open_sandbox_body);
    return lua_pcall(L, 0, 1, 0);
}

int cmrg_run_chunk(lua_State *L, const char *text, size_t len, const char *chunkname) {
    clear_where(L);
    lua_pushcfunction(L, remember_where);
    int handler = lua_gettop(L);
    /* Text only: the host never loads bytecode. */
    int status = load_text(L, text, len, chunkname);
    /* a chunk nested too deeply for the parser is a compile error too */
    if (status == LUA_ERRRUN && !cmrg_budget_of(L)->tripped) status = LUA_ERRSYNTAX;
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


/* Shared with cmrg_calllog.c (declared in cmrg_internal.h). */
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

static int host_trampoline(lua_State *L) {
    host_binding *b = (host_binding *)lua_touserdata(L, lua_upvalueindex(1));
    int nargs = lua_gettop(L);
    cmrg_check_cstack(L);
    if (nargs > MAX_HOST_ARGS) return luaL_error(L, "too many arguments (at most %d)", MAX_HOST_ARGS);
    cmrg_where where = {NULL, 0, extra_of(L)->phase};
    lua_Debug ar;
    if (b->wants_where && lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
        where.source = ar.source[0] == '@' || ar.source[0] == '=' ? ar.source + 1 : ar.short_src;
        where.line = ar.currentline;
    }
    return cmrg_call_host(L, b->fn, b->context, &where, nargs);
}

/* Shared with cmrg_calllog.c: converts the `nargs` arguments on the stack, calls the Swift
   function, and either raises its error at the caller's line or pushes its results. */
int cmrg_call_host(lua_State *L, cmrg_host_fn fn, void *context, const cmrg_where *where, int nargs) {
    cmrg_value args[MAX_HOST_ARGS];
    for (int i = 0; i < nargs; i++) cmrg_to_value(L, i + 1, &args[i]);
    cmrg_value results[MAX_HOST_RESULTS];
    const char *err = NULL;
    size_t err_len = 0;
    int n = fn(context, where, args, nargs, results, MAX_HOST_RESULTS, &err, &err_len);
    if (n < 0) {
        luaL_where(L, 1);
        lua_pushlstring(L, err ? err : "host function failed", err ? err_len : 20);
        lua_concat(L, 2);
        return lua_error(L);
    }
    if (n > MAX_HOST_RESULTS) n = MAX_HOST_RESULTS;
    luaL_checkstack(L, n, "host function results");
    for (int i = 0; i < n; i++) cmrg_push_value(L, &results[i]);
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
    clear_where(L);
    lua_pushcfunction(L, register_body);
    lua_pushlightuserdata(L, &a);
    return lua_pcall(L, 1, 0, 0);
}

/* ---------------------------------------------------------------- sealing ----------- */

static int readonly_newindex(lua_State *L) {
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

static int readonly_len(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* pairs over the hidden table behind the proxy, in the fixed order (computed once: the
   hidden table cannot change any more). */
static int readonly_pairs(lua_State *L) {
    lua_getmetatable(L, 1);
    int mt = lua_gettop(L);
    lua_getfield(L, mt, "__index");
    cmrg_push_ordered_iterator(L, -1, mt);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static void freeze_upvalues(lua_State *L, int fn, int seen);

/* Metamethods a proxy takes over from the frozen table's own metatable (the rest are the
   proxy's: reads go through to the table, writes are refused; __gc/__mode/__close are
   refused by setmetatable anyway). */
static int proxy_keeps(const char *name) {
    static const char *const own[] = {"__index", "__newindex", "__metatable", "__gc", "__mode",
                                      "__close", NULL};
    for (int i = 0; own[i]; i++)
        if (strcmp(name, own[i]) == 0) return 0;
    return 1;
}

/* Replaces the table at `idx` by a read-only proxy (pushed), freezing nested tables and the
   tables that functions inside it capture as upvalues. `seen` (at index `seen`) maps tables
   to their proxies (and functions to true) so cycles and shared values work. */
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
        if (lua_type(L, -1) == LUA_TTABLE) {
            freeze(L, -1, seen);
            lua_pushvalue(L, -3); /* key */
            lua_insert(L, -2);
            lua_rawset(L, idx);   /* replacing a value of an existing key during next is allowed */
        } else if (lua_type(L, -1) == LUA_TFUNCTION) {
            freeze_upvalues(L, lua_gettop(L), seen);
        }
        lua_pop(L, 1);
    }
    lua_createtable(L, 0, 5);
    int mt = lua_gettop(L);
    if (lua_getmetatable(L, idx)) { /* keep the table's behaviour: __call, __tostring, __eq... */
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) == LUA_TSTRING && proxy_keeps(lua_tostring(L, -2))) {
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, mt);
            } else {
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    lua_pushvalue(L, idx);
    lua_setfield(L, mt, "__index");
    lua_pushcfunction(L, readonly_newindex);
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
    lua_setmetatable(L, proxy);
}

/* A file-level `local cache = {}` captured by a rule function is shared by every call just
   like a global: freeze the tables Lua functions capture as upvalues too. (Captured numbers
   and strings cannot be frozen; see the README.) */
static void freeze_upvalues(lua_State *L, int fn, int seen) {
    fn = lua_absindex(L, fn);
    if (lua_iscfunction(L, fn)) return; /* host closures: their upvalues are not scripts' */
    lua_pushvalue(L, fn);
    if (lua_rawget(L, seen) != LUA_TNIL) { lua_pop(L, 1); return; }
    lua_pop(L, 1);
    lua_pushvalue(L, fn);
    lua_pushboolean(L, 1);
    lua_rawset(L, seen);
    for (int n = 1; lua_getupvalue(L, fn, n); n++) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            freeze(L, -1, seen);
            lua_setupvalue(L, fn, n); /* pops the proxy (the environment maps to itself) */
        } else if (lua_type(L, -1) == LUA_TFUNCTION) {
            freeze_upvalues(L, -1, seen);
        }
        lua_pop(L, 1);
    }
}

static int seal_body(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, BASE_KEY) != LUA_TNIL)
        return luaL_error(L, "the environment is already sealed");
    lua_pop(L, 1);
    push_env(L);
    int env = lua_gettop(L);
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
        if (lua_type(L, -2) == LUA_TTABLE) {
            freeze(L, -2, seen);
        } else {
            if (lua_type(L, -2) == LUA_TFUNCTION) freeze_upvalues(L, -2, seen);
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
    clear_where(L);
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
    clear_where(L);
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
        cmrg_push_value(L, v);
        lua_rawset(L, -3);
    }
    lua_remove(L, keys);
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
        lua_pushcfunction(L, readonly_newindex);
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
    for (int i = 0; i < fn_count; i++) cmrg_to_value(L, 2 + i, &results[i]);
    return LUA_OK;
}

int cmrg_call_ref(lua_State *L, int fn_ref, const cmrg_value *args, int nargs,
                  cmrg_value *results, int max_results, int *nresults) {
    lua_settop(L, 0);
    clear_where(L);
    if (!lua_checkstack(L, nargs + 4)) { lua_pushliteral(L, "too many arguments"); return LUA_ERRRUN; }
    lua_pushcfunction(L, remember_where);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
    for (int i = 0; i < nargs; i++) cmrg_push_value(L, &args[i]);
    int status = lua_pcall(L, nargs, LUA_MULTRET, 1);
    if (status != LUA_OK) { lua_remove(L, 1); return status; }
    int n = lua_gettop(L) - 1;
    if (n > max_results) n = max_results;
    for (int i = 0; i < n; i++) cmrg_to_value(L, 2 + i, &results[i]);
    *nresults = n;
    return LUA_OK;
}

void cmrg_pop(lua_State *L, int n) { lua_pop(L, n); }
int cmrg_gettop(lua_State *L) { return lua_gettop(L); }
void cmrg_settop(lua_State *L, int idx) { lua_settop(L, idx); }

/* ---------------------------------------------------------------- for cmrg_calllog.c  */

void cmrg_push_env(lua_State *L) { push_env(L); }
int cmrg_current_phase(lua_State *L) { return extra_of(L)->phase; }
