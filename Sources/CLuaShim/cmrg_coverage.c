// Line coverage for rule tests: a line hook that records which lines ran, chained in front
// of the instruction-budget hook (one hook per state), and the list of lines that can run,
// read from the debug line table of a compiled chunk (every nested function included, which
// lua_getinfo "L" cannot reach for functions that were never created; cmrg_dump.c).
#define _POSIX_C_SOURCE 200809L
#include "cmrg_coverage.h"
#include "cmrg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- recording ---------- */

typedef struct cov_chunk {
    const char *source;      /* Lua's source string for the chunk (identity), "@name" */
    char *name;              /* copy without the '@' / '=' */
    unsigned char *lines;    /* lines[n] = 1 when line n ran */
    int size;
} cov_chunk;

typedef struct cov_state {
    lua_Hook chained;        /* the budget hook installed by cmrg_arm */
    cov_chunk *chunks;
    int count, cap;
    int last;                /* index of the chunk seen last (most events repeat it) */
} cov_state;

/* Bounds on what coverage records (its memory is outside the state's cap): chunks made by
   load() in a loop, or a chunk with a line number in the millions, are not recorded. */
#define MAX_CHUNKS 1024
#define MAX_LINE (1 << 20)
#define MAX_NAME 256   /* chunk names are kept and compared up to this many bytes */

static const char coverage_key = 'c'; /* its address keys the state's cov_state in the registry */

static cov_state *coverage_of(lua_State *L) {
    cov_state *c = NULL;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &coverage_key) == LUA_TUSERDATA) c = (cov_state *)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return c;
}

static const char *plain_name(const char *source) {
    return source[0] == '@' || source[0] == '=' ? source + 1 : source;
}

static cov_chunk *chunk_for(cov_state *c, const char *source) {
    const char *name = plain_name(source);
    /* same string object and same text: a freed chunk's address may be reused by another */
    if (c->last < c->count && c->chunks[c->last].source == source && strncmp(c->chunks[c->last].name, name, MAX_NAME) == 0)
        return &c->chunks[c->last];
    for (int i = 0; i < c->count; i++) {
        if (c->chunks[i].source == source && strncmp(c->chunks[i].name, name, MAX_NAME) == 0) {
            c->last = i;
            return &c->chunks[i];
        }
    }
    if (c->count >= MAX_CHUNKS) return NULL;
    if (c->count == c->cap) {
        int cap = c->cap ? c->cap * 2 : 8;
        cov_chunk *grown = realloc(c->chunks, (size_t)cap * sizeof *grown);
        if (!grown) return NULL;
        c->chunks = grown;
        c->cap = cap;
    }
    char *copy = strndup(name, MAX_NAME);
    if (!copy) return NULL;
    c->chunks[c->count] = (cov_chunk){source, copy, NULL, 0};
    c->last = c->count;
    return &c->chunks[c->count++];
}

static void record_line(cov_state *c, const char *source, int line) {
    if (line <= 0 || line > MAX_LINE || !source) return;
    cov_chunk *k = chunk_for(c, source);
    if (!k) return; /* out of memory: coverage is best effort, never a rule failure */
    if (line >= k->size) {
        int size = k->size ? k->size : 64;
        while (size <= line) size *= 2;
        unsigned char *grown = realloc(k->lines, (size_t)size);
        if (!grown) return;
        memset(grown + k->size, 0, (size_t)(size - k->size));
        k->lines = grown;
        k->size = size;
    }
    k->lines[line] = 1;
}

static void coverage_hook(lua_State *L, lua_Debug *ar) {
    cov_state *c = coverage_of(L);
    if (ar->event != LUA_HOOKLINE) {
        if (c && c->chained) c->chained(L, ar); /* count events: the instruction budget */
        return;
    }
    if (c && lua_getinfo(L, "S", ar)) record_line(c, ar->source, ar->currentline);
}

static int coverage_gc(lua_State *L) {
    cov_state *c = (cov_state *)lua_touserdata(L, 1);
    for (int i = 0; i < c->count; i++) {
        free(c->chunks[i].name);
        free(c->chunks[i].lines);
    }
    free(c->chunks);
    c->chunks = NULL;
    c->count = c->cap = 0;
    return 0;
}

static int start_body(lua_State *L) {
    if (coverage_of(L)) return 0;
    cov_state *c = (cov_state *)lua_newuserdatauv(L, sizeof(cov_state), 0);
    memset(c, 0, sizeof *c);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, coverage_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &coverage_key);
    return 0;
}

int cmrg_coverage_start(lua_State *L) {
    lua_pushcfunction(L, start_body);
    int status = lua_pcall(L, 0, 0, 0);
    if (status == LUA_OK) cmrg_coverage_rearm(L);
    return status;
}

void cmrg_coverage_rearm(lua_State *L) {
    cov_state *c = coverage_of(L);
    if (!c) return;
    lua_Hook current = lua_gethook(L);
    if (current != coverage_hook) c->chained = current;
    lua_sethook(L, coverage_hook, lua_gethookmask(L) | LUA_MASKLINE, lua_gethookcount(L));
}

int cmrg_coverage_count(lua_State *L) {
    cov_state *c = coverage_of(L);
    return c ? c->count : 0;
}

const char *cmrg_coverage_chunk(lua_State *L, int index, const unsigned char **lines, int *line_count) {
    cov_state *c = coverage_of(L);
    if (!c || index < 0 || index >= c->count) { *lines = NULL; *line_count = 0; return NULL; }
    *lines = c->chunks[index].lines;
    *line_count = c->chunks[index].size;
    return c->chunks[index].name;
}

/* ---------------------------------------------------------------- lines that can run --- */
/* The line table of every function of a freshly compiled chunk (cmrg_dump.c), expanded the
   way ldebug.c's collectvalidlines does (a vararg function's first instruction, VARARGPREP,
   is skipped). */

typedef struct int_list { int *items; size_t len, cap; int failed; } int_list;

static void add_line(int_list *out, int line) {
    if (out->len == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        int *grown = realloc(out->items, cap * sizeof *grown);
        if (!grown) { out->failed = 1; return; }
        out->items = grown;
        out->cap = cap;
    }
    out->items[out->len++] = line;
}

#define ABSLINEINFO (-0x80)

static void collect_lines(const cmrg_proto *f, int_list *out) {
    for (size_t i = 0; i < f->nprotos; i++) collect_lines(&f->protos[i], out);
    int current = f->linedefined;
    for (size_t pc = 0; pc < f->nlineinfo; pc++) {
        if (f->lineinfo[pc] != ABSLINEINFO) current += f->lineinfo[pc];
        else current = cmrg_proto_line(f, pc);
        if (!(f->is_vararg && pc == 0)) add_line(out, current);
    }
}

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int read_lines(const cmrg_dump *b, int_list *out) {
    cmrg_proto root;
    if (!cmrg_proto_read(b, &root)) return 0;
    collect_lines(&root, out);
    cmrg_proto_free(&root);
    return !out->failed;
}

int cmrg_active_lines(const char *text, size_t len, const char *chunkname,
                      int **lines, int *count, char *error, size_t error_size) {
    *lines = NULL;
    *count = 0;
    if (error_size) error[0] = 0;
    lua_State *L = cmrg_newstate((size_t)256 << 20, 1000);
    if (!L) { snprintf(error, error_size, "cannot create a Lua state"); return LUA_ERRMEM; }
    int status = luaL_loadbufferx(L, text, len, chunkname, "t");
    if (status != LUA_OK) {
        size_t n = 0;
        const char *message = cmrg_error_message(L, &n);
        snprintf(error, error_size, "%.*s", (int)n, message);
        cmrg_close(L);
        return status;
    }
    cmrg_dump b;
    int dumped = cmrg_dump_function(L, &b);
    cmrg_close(L);
    int_list out = {NULL, 0, 0, 0};
    if (!dumped || !read_lines(&b, &out)) {
        cmrg_dump_free(&b);
        free(out.items);
        snprintf(error, error_size, "cannot read the line table of the compiled chunk (unexpected Lua version)");
        return LUA_ERRERR;
    }
    cmrg_dump_free(&b);
    qsort(out.items, out.len, sizeof(int), compare_ints);
    size_t unique = 0;
    for (size_t i = 0; i < out.len; i++)
        if (unique == 0 || out.items[unique - 1] != out.items[i]) out.items[unique++] = out.items[i];
    *lines = out.items;
    *count = (int)unique;
    return LUA_OK;
}

void cmrg_free(void *p) { free(p); }
