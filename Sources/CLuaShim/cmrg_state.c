// A state's life: a Lua state created with the capped allocator and the shim's per-state data
// (budget, last error location, message buffer), and the small stack and registry helpers
// the host needs between protected calls.
#include "cmrg_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* The host sees Lua's status codes and types under the shim's names (cmrg_lua.h). */
_Static_assert(CMRG_OK == LUA_OK && CMRG_ERRRUN == LUA_ERRRUN && CMRG_ERRSYNTAX == LUA_ERRSYNTAX &&
               CMRG_ERRMEM == LUA_ERRMEM && CMRG_ERRERR == LUA_ERRERR, "status codes differ from lua.h");
_Static_assert(CMRG_TNONE == LUA_TNONE && CMRG_TNIL == LUA_TNIL && CMRG_TBOOLEAN == LUA_TBOOLEAN &&
               CMRG_TLIGHTUSERDATA == LUA_TLIGHTUSERDATA && CMRG_TNUMBER == LUA_TNUMBER &&
               CMRG_TSTRING == LUA_TSTRING && CMRG_TTABLE == LUA_TTABLE && CMRG_TFUNCTION == LUA_TFUNCTION &&
               CMRG_TUSERDATA == LUA_TUSERDATA && CMRG_TTHREAD == LUA_TTHREAD, "type tags differ from lua.h");

cmrg_budget *cmrg_budget_of(lua_State *L) { return &cmrg_extra_of(L)->budget; }

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
    lua_State *L = lua_newstate(cmrg_capped_alloc, &x->budget);
    if (!L) { free(x); return NULL; }
    *(cmrg_extra **)lua_getextraspace(L) = x;
    x->L = L;
    cmrg_watch_state(x);
    lua_atpanic(L, panic_handler);
    lua_gc(L, LUA_GCGEN, 0, 0); /* generational GC suits many short-lived record tables */
    return L;
}

void cmrg_close(lua_State *L) {
    if (!L) return;
    cmrg_extra *x = cmrg_extra_of(L);
    x->budget.armed = 0;
    cmrg_unwatch_state(x);
    x->L = NULL;
    lua_close(L);
    free(x);
}

/* ---------------------------------------------------------------- stack and registry  */

void cmrg_push_env(lua_State *L) { lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY); }

int cmrg_current_phase(lua_State *L) { return cmrg_extra_of(L)->phase; }

void cmrg_mirror_call(lua_State *L, volatile int64_t *deadline_ns, volatile int32_t *phase) {
    cmrg_extra *x = cmrg_extra_of(L);
    x->deadline_mirror = deadline_ns;
    x->phase_mirror = phase;
}

int cmrg_ref(lua_State *L) {
    if (lua_isnil(L, -1)) { lua_pop(L, 1); return LUA_NOREF; }
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

void cmrg_unref(lua_State *L, int ref) { luaL_unref(L, LUA_REGISTRYINDEX, ref); }

void cmrg_pop(lua_State *L, int n) { lua_pop(L, n); }
int cmrg_gettop(lua_State *L) { return lua_gettop(L); }
void cmrg_settop(lua_State *L, int idx) { lua_settop(L, idx); }
int cmrg_absindex(lua_State *L, int idx) { return lua_absindex(L, idx); }
int cmrg_checkstack(lua_State *L, int n) { return lua_checkstack(L, n); }
