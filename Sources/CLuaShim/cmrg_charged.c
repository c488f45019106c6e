// Stock library functions that do work in proportion to their input inside one C call
// (utf8.len of a 100 MB string, string.upper, string.format("%s", big)...), wrapped so that the
// work is charged to the running call (cmrg_charge). Without an instruction budget a charge is
// one check of the stop flag, so a call that starts after the time limit has passed does not
// start; with a budget, a loop over such calls spends it at the rate of the bytes (or values)
// the calls process, not one instruction per call. The stock function runs unchanged, on the
// wrapper's own stack frame, so its results and error messages are Lua's.
#include "cmrg_internal.h"

#define VALUES_PER_STEP 8 /* values pushed or read (string.byte, string.char...) per step */

/* Work about to be done (before), or done (after: `base` is the stack top before the call,
   `n` the number of results it left above it). */
typedef int64_t (*work_before)(lua_State *L);
typedef int64_t (*work_after)(lua_State *L, int base, int n);

typedef struct charged_fn {
    const char *lib;   /* field of the environment holding the function's library, NULL: a base function */
    const char *name;
    work_before before;
    work_after after;
} charged_fn;

static int64_t bytes(size_t n) { return (int64_t)(n / CMRG_BYTES_PER_STEP); }

static size_t string_length(lua_State *L, int i) { return lua_type(L, i) == LUA_TSTRING ? lua_rawlen(L, i) : 0; }

/* Bytes i..j of string argument 1 as lstrlib/lutf8lib read them (j defaults to `j_default`, or
   to i when `j_is_i`); 0 when an argument is not an integer (the function then raises). */
static size_t span(lua_State *L, int i_arg, lua_Integer j_default, int j_is_i) {
    size_t len = string_length(L, 1);
    int ok = 1;
    lua_Integer i = lua_isnoneornil(L, i_arg) ? 1 : lua_tointegerx(L, i_arg, &ok);
    if (!ok) return 0;
    lua_Integer j = j_is_i ? i : j_default;
    if (!lua_isnoneornil(L, i_arg + 1)) j = lua_tointegerx(L, i_arg + 1, &ok);
    if (!ok) return 0;
    if (i < 0) i = i < -(lua_Integer)len ? 1 : (lua_Integer)len + i + 1;
    if (j < 0) j = j < -(lua_Integer)len ? 0 : (lua_Integer)len + j + 1;
    if (i < 1) i = 1;
    if (j > (lua_Integer)len) j = (lua_Integer)len;
    return j >= i ? (size_t)(j - i + 1) : 0;
}

static int64_t whole_string(lua_State *L) { return bytes(string_length(L, 1)); }

static int64_t all_strings(lua_State *L) {
    size_t total = 0;
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) total += string_length(L, i);
    return bytes(total) + n / VALUES_PER_STEP;
}

static int64_t each_argument(lua_State *L) { return lua_gettop(L) / VALUES_PER_STEP; }
static int64_t bytes_i_to_j(lua_State *L) { return bytes(span(L, 2, -1, 0)); }
static int64_t values_i_to_j(lua_State *L) { return (int64_t)span(L, 2, 0, 1) / VALUES_PER_STEP; }

/* tostring of anything but a string builds a new string: charge its length */
static int64_t new_string(lua_State *L, int base, int n) {
    if (n < 1 || lua_type(L, 1) == LUA_TSTRING) return 0;
    return bytes(string_length(L, base + 1));
}

/* utf8.offset moves from position i to the result (over any run of continuation bytes) */
static int64_t bytes_moved(lua_State *L, int base, int n) {
    size_t len = string_length(L, 1);
    if (n < 1 || !lua_isinteger(L, base + 1)) return bytes(len);
    lua_Integer to = lua_tointeger(L, base + 1);
    lua_Integer from = lua_isinteger(L, 3) ? lua_tointeger(L, 3) : 1;
    if (from < 0) from = (lua_Integer)len + from + 1;
    return bytes((size_t)(to > from ? to - from : from - to));
}

/* string.unpack reads from its start position to the position it returns last */
static int64_t bytes_read(lua_State *L, int base, int n) {
    (void)base;
    if (n < 1 || !lua_isinteger(L, -1)) return 0;
    lua_Integer from = lua_isinteger(L, 3) ? lua_tointeger(L, 3) : 1;
    lua_Integer to = lua_tointeger(L, -1);
    return bytes((size_t)(to > from ? to - from : 0)) + n / VALUES_PER_STEP;
}

static const charged_fn charged[] = {
    {"string", "byte", values_i_to_j, NULL},
    {"string", "char", each_argument, NULL},
    {"string", "format", all_strings, NULL},
    {"string", "lower", whole_string, NULL},
    {"string", "upper", whole_string, NULL},
    {"string", "reverse", whole_string, NULL},
    {"string", "sub", bytes_i_to_j, NULL},
    {"string", "pack", all_strings, NULL},
    {"string", "unpack", whole_string, bytes_read},  /* the format, then the data read */
    {"utf8", "char", each_argument, NULL},
    {"utf8", "len", bytes_i_to_j, NULL},
    {"utf8", "codepoint", values_i_to_j, NULL},
    {"utf8", "offset", NULL, bytes_moved},
    {NULL, "tostring", NULL, new_string},
    {NULL, "tonumber", whole_string, NULL},
};

static int charged_call(lua_State *L) {
    lua_CFunction stock = lua_tocfunction(L, lua_upvalueindex(1));
    const charged_fn *fn = (const charged_fn *)lua_touserdata(L, lua_upvalueindex(2));
    if (fn->before) cmrg_charge(L, fn->before(L));
    int n = stock(L);
    if (fn->after) cmrg_charge(L, fn->after(L, lua_gettop(L) - n, n));
    return n;
}

void cmrg_set_charged_functions(lua_State *L, int env) {
    env = lua_absindex(L, env);
    for (size_t i = 0; i < sizeof charged / sizeof charged[0]; i++) {
        const charged_fn *fn = &charged[i];
        int lib = env;
        if (fn->lib) {
            lua_getfield(L, env, fn->lib);
            lib = lua_gettop(L);
        }
        if (lua_getfield(L, lib, fn->name) == LUA_TFUNCTION && lua_iscfunction(L, -1)) {
            lua_pushlightuserdata(L, (void *)fn);
            lua_pushcclosure(L, charged_call, 2);
            lua_setfield(L, lib, fn->name);
        } else {
            lua_pop(L, 1);
        }
        if (fn->lib) lua_pop(L, 1);
    }
}
