// Host functions: Swift functions callable from scripts as globals. A C trampoline converts
// the arguments to plain values, calls the Swift function (which never touches the state) and
// raises its error or pushes its results, so no Lua error ever crosses a Swift frame.
#include "cmrg_internal.h"

typedef struct host_binding {
    cmrg_host_fn fn;
    void *context;
} host_binding;

int cmrg_caller(lua_State *L, lua_Debug *ar, const char **source) {
    if (!lua_getstack(L, 1, ar) || !lua_getinfo(L, "Sl", ar)) return 0;
    *source = ar->source[0] == '@' || ar->source[0] == '=' ? ar->source + 1 : ar->short_src;
    return 1;
}

/* Converts the `nargs` arguments on the stack, calls the Swift function, and either raises
   its error at the caller's line or pushes its results. */
static int call_host(lua_State *L, cmrg_host_fn fn, void *context, const cmrg_where *where, int nargs) {
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

int cmrg_call_host(lua_State *L, cmrg_host_fn fn, void *context, int wants_where) {
    int nargs = lua_gettop(L);
    if (nargs > MAX_HOST_ARGS) return luaL_error(L, "too many arguments (at most %d)", MAX_HOST_ARGS);
    cmrg_where where = {NULL, 0, cmrg_extra_of(L)->phase};
    lua_Debug ar;
    const char *source;
    if (wants_where && cmrg_caller(L, &ar, &source)) {
        where.source = source;
        where.line = ar.currentline;
    }
    return call_host(L, fn, context, &where, nargs);
}

static int host_trampoline(lua_State *L) {
    host_binding *b = (host_binding *)lua_touserdata(L, lua_upvalueindex(1));
    cmrg_check_cstack(L);
    return cmrg_call_host(L, b->fn, b->context, 0);
}

typedef struct register_args {
    const char *name;
    cmrg_host_fn fn;
    void *context;
} register_args;

static int register_body(lua_State *L) {
    register_args *a = (register_args *)lua_touserdata(L, 1);
    host_binding *b = (host_binding *)lua_newuserdatauv(L, sizeof(host_binding), 0);
    b->fn = a->fn;
    b->context = a->context;
    lua_pushcclosure(L, host_trampoline, 1);
    cmrg_push_env(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, a->name);
    return 0;
}

int cmrg_register(lua_State *L, const char *name, cmrg_host_fn fn, void *context) {
    register_args a = {name, fn, context};
    cmrg_clear_where(L);
    lua_pushcfunction(L, register_body);
    lua_pushlightuserdata(L, &a);
    return lua_pcall(L, 1, 0, 0);
}
