// The sandbox library: the only libraries ever opened (base, string, table, math, utf8),
// copied into the scripts' environment without what could escape or break determinism, with
// safe versions of load, setmetatable/getmetatable (cmrg_metatables.c), rawset, pairs and next
// (cmrg_pairs.c), pcall and xpcall, and the loading of text chunks (never bytecode) with that
// environment as _ENV.
#include "cmrg_internal.h"

#include <string.h>

#define READ_PIECE (16 << 10)       /* chunk text is parsed this many bytes at a time */

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
    /* "@file" and "=name" are how the host names rule files: a chunk of the script's own
       must not pass for one (explain prints where factors come from) */
    if (!lua_isnoneornil(L, 2) && (name[0] == '@' || name[0] == '='))
        return luaL_argerror(L, 2, "chunk names that start with '@' or '=' are reserved for rule files");
    int has_env = !lua_isnone(L, 4);
    cmrg_check_cstack(L);
    if (load_text(L, s, len, name) != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env) lua_pushvalue(L, 4); else cmrg_push_env(L);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
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

/* rawset that refuses read-only tables (a raw write into an (empty) view would shadow the
   sealed value for every later call) and refused metamethods in metatables. */
static int safe_rawset(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (lua_getmetatable(L, 1)) {
        lua_getfield(L, -1, "__newindex");
        int frozen = lua_tocfunction(L, -1) == cmrg_readonly_newindex;
        lua_pop(L, 2);
        if (frozen) return cmrg_readonly_newindex(L);
    }
    cmrg_check_raw_write(L, 1, 2);
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
        "assert", "error", "rawequal", "select", "tonumber", "tostring", "type",
        "_VERSION", NULL}; /* rawget, rawlen, ipairs: cmrg_set_view_raw_access */
    for (int i = 0; base_keep[i]; i++) {
        lua_getglobal(L, base_keep[i]);
        lua_setfield(L, env, base_keep[i]);
    }
    cmrg_set_view_raw_access(L, env);
    lua_pushcfunction(L, safe_load);
    lua_setfield(L, env, "load");
    lua_pushcfunction(L, cmrg_setmetatable);
    lua_setfield(L, env, "setmetatable");
    lua_pushcfunction(L, cmrg_getmetatable);
    lua_setfield(L, env, "getmetatable");
    lua_pushcfunction(L, cmrg_next_in_order);
    lua_setfield(L, env, "next");
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
    cmrg_set_charged_functions(L, env);
    /* no memory addresses in text: they change from run to run (over the charged versions) */
    lua_getfield(L, env, LUA_STRLIBNAME);
    cmrg_set_stable_identities(L, env, lua_gettop(L));
    lua_settop(L, env);

    /* The environment is found through the registry from now on. */
    lua_pushvalue(L, env);
    lua_setfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    if (cmrg_note_definitions(L, NULL) != LUA_OK) return lua_error(L); /* what no chunk defined */
    return 1;
}

int cmrg_open_sandbox(lua_State *L) {
    cmrg_clear_where(L);
    lua_pushcfunction(L, open_sandbox_body);
    return lua_pcall(L, 0, 1, 0);
}

int cmrg_run_chunk(lua_State *L, const char *text, size_t len, const char *chunkname) {
    cmrg_clear_where(L);
    lua_pushcfunction(L, cmrg_remember_where);
    int handler = lua_gettop(L);
    /* Text only: the host never loads bytecode. */
    int status = load_text(L, text, len, chunkname);
    /* a chunk nested too deeply for the parser is a compile error too */
    if (status == LUA_ERRRUN && !cmrg_budget_of(L)->tripped) status = LUA_ERRSYNTAX;
    if (status == LUA_OK) {
        cmrg_push_env(L);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
        status = lua_pcall(L, 0, 0, handler);
        /* which globals this chunk defined: names the file if sealing one of them fails */
        if (status == LUA_OK) status = cmrg_note_definitions(L, chunkname);
    }
    if (status != LUA_OK) {
        lua_remove(L, handler); /* leave just the error object */
    } else {
        lua_pop(L, 1);
    }
    return status;
}
