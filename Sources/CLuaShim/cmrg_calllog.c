// Call logs (see cmrg_calllog.h). A recorder is called once per factor/reason a rule adds,
// several times per contract, so it must not cross into Swift: it checks its arguments, copies
// what the host will need into the log and returns. Memory comes from the state's allocator,
// so a log counts against the state's memory limit like any table would.
#include "cmrg_calllog.h"
#include "cmrg_internal.h"

#include <math.h>
#include <string.h>

#include <lauxlib.h>

#define LOG_MT_KEY "cmrg.calllog_mt"

struct cmrg_log {
    lua_State *L;
    int full;
    cmrg_log_entry *entries;
    size_t count, entries_cap;
    cmrg_value *values;
    size_t vcount, values_cap;
    char *arena;
    size_t used, arena_cap;
    int resolved;
    size_t text;         /* bytes the recorded calls hold since the last reset (lean or full) */
    size_t text_limit;   /* 0: no limit */
};

/* What each recorded call counts against the text limit besides its strings. */
#define ENTRY_COST 64
/* Chunk names are cut to this many bytes in the log (load() may name a chunk with megabytes). */
#define MAX_SOURCE 256

typedef struct recorder {
    cmrg_recorder_spec spec;
    cmrg_host_fn fallback;
    void *context;
    cmrg_log *log;
} recorder;

/* Grows *buf (of *cap elements of `size` bytes) to hold `need`; 0 when the allocator refuses. */
static int grow(lua_State *L, void **buf, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 1;
    size_t cap2 = *cap ? *cap : 16;
    while (cap2 < need) cap2 *= 2;
    if (cap2 > UINT32_MAX / size) return 0; /* offsets are 32-bit */
    void *ud;
    lua_Alloc alloc = lua_getallocf(L, &ud);
    void *p = alloc(ud, *buf, *buf ? *cap * size : 0, cap2 * size);
    if (!p) return 0;
    *buf = p;
    *cap = cap2;
    return 1;
}

static uint32_t copy_bytes(lua_State *L, cmrg_log *log, const char *s, size_t len) {
    if (!grow(L, (void **)&log->arena, &log->arena_cap, log->used + len + 1, 1))
        luaL_error(L, "not enough memory");
    uint32_t at = (uint32_t)log->used;
    if (len) memcpy(log->arena + at, s, len);
    log->arena[at + len] = 0;
    log->used += len + 1;
    return at;
}

static int passes(lua_State *L, const cmrg_recorder_spec *spec) {
    for (int i = 0; i < CMRG_RECORDER_MAX_CHECKS; i++) {
        int t = lua_type(L, i + 1);
        switch (spec->checks[i]) {
        case CMRG_CHECK_NOT_NIL: if (t == LUA_TNIL || t == LUA_TNONE) return 0; break;
        case CMRG_CHECK_STRING: if (t != LUA_TSTRING) return 0; break;
        case CMRG_CHECK_FINITE_NUMBER:
            if (t != LUA_TNUMBER) return 0;
            if (!lua_isinteger(L, i + 1) && !isfinite((double)lua_tonumber(L, i + 1))) return 0;
            break;
        default: break;
        }
    }
    return 1;
}

static void record(lua_State *L, recorder *r, int keep) {
    cmrg_log *log = r->log;
    if (!grow(L, (void **)&log->entries, &log->entries_cap, log->count + 1, sizeof(cmrg_log_entry)) ||
        !grow(L, (void **)&log->values, &log->values_cap, log->vcount + (size_t)keep, sizeof(cmrg_value)))
        luaL_error(L, "not enough memory");
    cmrg_log_entry *e = &log->entries[log->count];
    e->recorder = r->spec.id;
    e->phase = cmrg_current_phase(L);
    e->line = 0;
    e->nargs = keep;
    e->first = (uint32_t)log->vcount;
    e->source_len = -1;
    e->source = 0;
    if (log->full) {
        lua_Debug ar;
        const char *source;
        if (cmrg_caller(L, &ar, &source)) {
            size_t len = strlen(source);
            if (len > MAX_SOURCE) {
                len = MAX_SOURCE;
                while (len > 0 && ((unsigned char)source[len] & 0xC0) == 0x80) len--; /* on a UTF-8 boundary */
            }
            e->source = copy_bytes(L, log, source, len);
            e->source_len = (int32_t)len;
            e->line = ar.currentline;
        }
    }
    for (int i = 0; i < keep; i++) {
        cmrg_value *v = &log->values[log->vcount + (size_t)i];
        cmrg_to_value(L, i + 1, v);
        if (v->type == CMRG_STR) {
            v->i = copy_bytes(L, log, v->s, v->len);
            v->s = NULL; /* resolved by cmrg_log_values: the arena may still move */
        }
    }
    log->vcount += (size_t)keep;
    log->count++;
    log->resolved = 0;
}

/* Arguments that fail the checks: the Swift function decides (and raises the error), called
   as a host function registered with cmrg_register is, but told its caller's chunk and line
   (the C stack is checked by recorder_call). */
static int call_fallback(lua_State *L, recorder *r) { return cmrg_call_host(L, r->fallback, r->context, 1); }

/* Counts the call's text against the log's limit, the same whatever the detail (so lean and
   full evaluations of a contract fail alike): its strings among the arguments full detail
   keeps, plus a fixed cost per call. */
static void charge_text(lua_State *L, recorder *r, int nargs) {
    cmrg_log *log = r->log;
    size_t bytes = ENTRY_COST;
    int counted = r->spec.full_args < nargs ? r->spec.full_args : nargs;
    for (int i = 1; i <= counted; i++)
        if (lua_type(L, i) == LUA_TSTRING) bytes += lua_rawlen(L, i);
    log->text += bytes;
    if (log->text > log->text_limit)
        luaL_error(L, "the reasons and factors of one contract may hold at most %d KiB of text: this call goes past it",
                   (int)(log->text_limit >> 10));
}

static int recorder_call(lua_State *L) {
    recorder *r = (recorder *)lua_touserdata(L, lua_upvalueindex(1));
    int nargs = lua_gettop(L);
    cmrg_check_cstack(L);
    if (nargs > MAX_HOST_ARGS || !passes(L, &r->spec)) return call_fallback(L, r);
    int keep = r->log->full ? r->spec.full_args : r->spec.lean_args;
    if (r->log->text_limit) charge_text(L, r, nargs);
    if (keep >= 0) record(L, r, keep < nargs ? keep : nargs);
    if (r->spec.returns_arg > 0) {
        lua_pushvalue(L, r->spec.returns_arg);
        return 1;
    }
    return 0;
}

static int log_gc(lua_State *L) {
    cmrg_log *log = (cmrg_log *)lua_touserdata(L, 1);
    void *ud;
    lua_Alloc alloc = lua_getallocf(L, &ud);
    if (log->entries) alloc(ud, log->entries, log->entries_cap * sizeof(cmrg_log_entry), 0);
    if (log->values) alloc(ud, log->values, log->values_cap * sizeof(cmrg_value), 0);
    if (log->arena) alloc(ud, log->arena, log->arena_cap, 0);
    memset(log, 0, sizeof *log);
    return 0;
}

static int log_new_body(lua_State *L) {
    cmrg_log *log = (cmrg_log *)lua_newuserdatauv(L, sizeof(cmrg_log), 0);
    memset(log, 0, sizeof *log);
    log->L = L;
    if (luaL_newmetatable(L, LOG_MT_KEY)) {
        lua_pushcfunction(L, log_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    /* anchored for the state's life: recorders and the host keep raw pointers to it */
    lua_pushlightuserdata(L, log);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    return 1;
}

cmrg_log *cmrg_log_new(lua_State *L) {
    lua_pushcfunction(L, log_new_body);
    if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        return NULL;
    }
    cmrg_log *log = (cmrg_log *)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return log;
}

typedef struct register_args {
    const char *name;
    cmrg_log *log;
    const cmrg_recorder_spec *spec;
    cmrg_host_fn fallback;
    void *context;
} register_args;

static int register_body(lua_State *L) {
    register_args *a = (register_args *)lua_touserdata(L, 1);
    recorder *r = (recorder *)lua_newuserdatauv(L, sizeof(recorder), 1);
    r->spec = *a->spec;
    r->fallback = a->fallback;
    r->context = a->context;
    r->log = a->log;
    lua_pushlightuserdata(L, a->log); /* keep the log alive as long as the recorder */
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_setiuservalue(L, -2, 1);
    lua_pushcclosure(L, recorder_call, 1);
    cmrg_push_env(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, a->name);
    return 0;
}

int cmrg_register_recorder(lua_State *L, const char *name, cmrg_log *log, const cmrg_recorder_spec *spec,
                           cmrg_host_fn fallback, void *context) {
    register_args a = {name, log, spec, fallback, context};
    lua_pushcfunction(L, register_body);
    lua_pushlightuserdata(L, &a);
    return lua_pcall(L, 1, 0, 0);
}

void cmrg_log_reset(cmrg_log *log, int full_detail) {
    log->full = full_detail;
    log->count = 0;
    log->vcount = 0;
    log->used = 0;
    log->resolved = 1;
    log->text = 0;
}

void cmrg_log_limit_text(cmrg_log *log, size_t bytes) { log->text_limit = bytes; }

int cmrg_log_count(const cmrg_log *log) { return (int)log->count; }

const cmrg_log_entry *cmrg_log_entries(const cmrg_log *log) { return log->entries; }

const cmrg_value *cmrg_log_values(cmrg_log *log) {
    if (!log->resolved) {
        for (size_t i = 0; i < log->vcount; i++) {
            cmrg_value *v = &log->values[i];
            if (v->type == CMRG_STR) v->s = log->arena + v->i;
        }
        log->resolved = 1;
    }
    return log->values;
}

const char *cmrg_log_bytes(const cmrg_log *log, uint32_t offset) { return log->arena + offset; }
