// Compiled functions as data: lua_dump of a function read back (Lua 5.4 format, ldump.c)
// into a tree of prototypes with their code, upvalue descriptions and line tables. Coverage
// reads the lines that can run; sealing reads which upvalues the code assigns. The format is
// checked as it is read; anything unexpected (another Lua release) makes the read fail.
#include "cmrg_internal.h"

#include <stdlib.h>
#include <string.h>

#define ABSLINEINFO (-0x80)
#define MAX_NESTING 250 /* deeper than the parser allows (LUAI_MAXCCALLS = 200) */

static int dump_writer(lua_State *L, const void *p, size_t size, void *ud) {
    (void)L;
    cmrg_dump *b = (cmrg_dump *)ud;
    if (b->len + size > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + size) cap *= 2;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown) { b->failed = 1; return 1; }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, size);
    b->len += size;
    return 0;
}

int cmrg_dump_function(lua_State *L, cmrg_dump *out) {
    memset(out, 0, sizeof *out);
    return lua_dump(L, dump_writer, out, 0) == 0 && !out->failed;
}

void cmrg_dump_free(cmrg_dump *d) {
    free(d->data);
    memset(d, 0, sizeof *d);
}

/* ---------------------------------------------------------------- reading ------------ */

typedef struct reader { const unsigned char *p, *end; int ok; int int_size, num_size, instr_size; } reader;

static int rd_byte(reader *r) {
    if (r->p >= r->end) { r->ok = 0; return 0; }
    return *r->p++;
}

static size_t rd_size(reader *r) {
    size_t x = 0;
    int b;
    do {
        b = rd_byte(r);
        x = (x << 7) | (size_t)(b & 0x7f);
    } while (r->ok && !(b & 0x80));
    return x;
}

static const unsigned char *rd_skip(reader *r, size_t n) {
    const unsigned char *at = r->p;
    if ((size_t)(r->end - r->p) < n) { r->ok = 0; r->p = r->end; }
    else r->p += n;
    return at;
}

static void rd_string(reader *r) {
    size_t n = rd_size(r);
    if (n) rd_skip(r, n - 1);
}

static void read_function(reader *r, int depth, cmrg_proto *f) {
    memset(f, 0, sizeof *f);
    if (depth > MAX_NESTING) { r->ok = 0; return; }
    rd_string(r); /* source */
    f->linedefined = (int)rd_size(r);
    (void)rd_size(r); /* lastlinedefined */
    (void)rd_byte(r); /* numparams */
    f->is_vararg = rd_byte(r);
    (void)rd_byte(r); /* maxstacksize */
    f->ncode = rd_size(r);
    if (f->ncode > (size_t)(r->end - r->p) / 4) { r->ok = 0; return; }
    f->code = rd_skip(r, f->ncode * (size_t)r->instr_size);
    size_t constants = rd_size(r);
    for (size_t i = 0; i < constants && r->ok; i++) {
        switch (rd_byte(r)) {
        case 0x03: rd_skip(r, (size_t)r->int_size); break; /* LUA_VNUMINT */
        case 0x13: rd_skip(r, (size_t)r->num_size); break; /* LUA_VNUMFLT */
        case 0x04: case 0x14: rd_string(r); break;          /* short / long string */
        default: break;                                     /* nil, false, true */
        }
    }
    f->nupvalues = rd_size(r);
    if (f->nupvalues > (size_t)(r->end - r->p) / 3) { r->ok = 0; return; }
    f->upvalues = rd_skip(r, f->nupvalues * 3); /* instack, idx, kind */
    size_t protos = rd_size(r);
    if (!r->ok || protos > (size_t)(r->end - r->p)) { r->ok = 0; return; }
    if (protos) {
        f->protos = calloc(protos, sizeof *f->protos);
        if (!f->protos) { r->ok = 0; return; }
        f->nprotos = protos;
        for (size_t i = 0; i < protos && r->ok; i++) read_function(r, depth + 1, &f->protos[i]);
    }
    f->nlineinfo = rd_size(r);
    f->lineinfo = (const signed char *)rd_skip(r, f->nlineinfo);
    size_t sizeabs = rd_size(r);
    if (sizeabs && r->ok) {
        if (sizeabs > (size_t)(r->end - r->p)) { r->ok = 0; return; }
        f->abs_pc = malloc(sizeabs * sizeof(int));
        f->abs_line = malloc(sizeabs * sizeof(int));
        if (!f->abs_pc || !f->abs_line) { r->ok = 0; return; }
        f->nabs = sizeabs;
    }
    for (size_t i = 0; i < sizeabs && r->ok; i++) {
        f->abs_pc[i] = (int)rd_size(r);
        f->abs_line[i] = (int)rd_size(r);
    }
    size_t locvars = rd_size(r);
    for (size_t i = 0; i < locvars && r->ok; i++) { rd_string(r); (void)rd_size(r); (void)rd_size(r); }
    size_t upnames = rd_size(r);
    for (size_t i = 0; i < upnames && r->ok; i++) rd_string(r);
}

int cmrg_proto_read(const cmrg_dump *d, cmrg_proto *root) {
    memset(root, 0, sizeof *root);
    reader r = {d->data, d->data + d->len, 1, 0, 0, 0};
    static const unsigned char signature[] = {0x1b, 'L', 'u', 'a', 0x54, 0, 0x19, 0x93, '\r', '\n', 0x1a, '\n'};
    if (d->len < sizeof signature + 3 || memcmp(d->data, signature, sizeof signature) != 0) return 0;
    r.p += sizeof signature;
    r.instr_size = rd_byte(&r);
    r.int_size = rd_byte(&r);
    r.num_size = rd_byte(&r);
    if (r.instr_size != 4) return 0;
    rd_skip(&r, (size_t)(r.int_size + r.num_size)); /* LUAC_INT, LUAC_NUM */
    (void)rd_byte(&r);                              /* upvalues of the main function */
    read_function(&r, 0, root);
    if (r.ok && r.p == r.end) return 1;
    cmrg_proto_free(root);
    return 0;
}

void cmrg_proto_free(cmrg_proto *f) {
    for (size_t i = 0; i < f->nprotos; i++) cmrg_proto_free(&f->protos[i]);
    free(f->protos);
    free(f->abs_pc);
    free(f->abs_line);
    memset(f, 0, sizeof *f);
}

uint32_t cmrg_proto_instruction(const cmrg_proto *f, size_t pc) {
    uint32_t i;
    memcpy(&i, f->code + pc * 4, 4);
    return i;
}

/* luaG_getfuncline: the last absolute entry at or before pc, then the deltas after it. */
int cmrg_proto_line(const cmrg_proto *f, size_t pc) {
    if (pc >= f->nlineinfo) return f->linedefined;
    int base = f->linedefined;
    long basepc = -1;
    for (size_t i = 0; i < f->nabs && (size_t)f->abs_pc[i] <= pc; i++) { basepc = f->abs_pc[i]; base = f->abs_line[i]; }
    while (++basepc <= (long)pc) if (f->lineinfo[basepc] != ABSLINEINFO) base += f->lineinfo[basepc];
    return base;
}
