// Private to the shim: what its files share with one another. Swift sees only include/.
//
// The shim by job (one file each):
//   cmrg_state.c    a state's life: creation with the capped allocator, per-state data, stack
//                   and registry helpers
//   cmrg_limits.c   the limits of a host call: instruction/time budget and its hook, the
//                   memory cap (allocator), the C stack guard, interrupts
//   cmrg_errors.c   error text: where an error was raised, bounded readable messages
//   cmrg_sandbox.c  the sandbox library: which functions scripts see, and loading text chunks
//   cmrg_seal.c     sealing: read-only views of the loaded definitions, the scratch layer
//   cmrg_values.c   plain values across the C/Swift boundary, and raw reads for copying out
//   cmrg_host.c     host functions: Swift functions callable from scripts
//   cmrg_records.c  record calls: the per-contract hot path
//   cmrg_pairs.c    pairs() in a fixed order
//   cmrg_calllog.c  call logs (recorders that do not cross into Swift)
//   cmrg_coverage.c line coverage
//   cmrg_strlib.c, cmrg_tablib.c  hardened copies of Lua 5.4.4 library code (UPSTREAM.md)
#ifndef CMRG_INTERNAL_H
#define CMRG_INTERNAL_H

#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

#include "cmrg_lua.h"

#define ENV_KEY "cmrg.env"          /* the sandbox environment (scripts' _ENV) */
#define BASE_KEY "cmrg.base"        /* sealed definitions behind the environment */
#define MAX_MESSAGE 2048            /* error messages are cut to this many bytes */

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
    /* Where the call running is also told, for a supervisor in another process (see
       cmrg_mirror_call); NULL when nobody watches. */
    volatile int64_t *deadline_mirror;
    volatile int32_t *phase_mirror;
} cmrg_extra;

static inline cmrg_extra *cmrg_extra_of(lua_State *L) { return *(cmrg_extra **)lua_getextraspace(L); }

/* Sets the entry point running (and its mirror). */
static inline void cmrg_set_phase(cmrg_extra *x, int phase) {
    x->phase = phase;
    if (x->phase_mirror) *x->phase_mirror = phase;
}

/* --- state (cmrg_state.c) --------------------------------------------------------------- */

/* Pushes the sandbox environment (scripts' _ENV). */
void cmrg_push_env(lua_State *L);

/* The entry point running on this state (index into the functions of cmrg_call_with_record), -1 outside. */
int cmrg_current_phase(lua_State *L);

/* --- limits (cmrg_limits.c) ------------------------------------------------------------- */

/* The allocator of every state: `ud` is the state's budget, whose memory cap it enforces. */
void *cmrg_capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/// Work done inside a C function (pattern-matching steps, elements moved) is charged in
/// batches of this many steps, so the budget is checked without slowing the loops.
#define CMRG_STEP_BATCH 1024

/// Charges `steps` units of C work to the running call's instruction budget and checks the
/// budget, the wall-clock deadline and the interrupt flag. Raises a Lua error (and keeps
/// the hook firing on every instruction) once any of them is exhausted.
void cmrg_charge(lua_State *L, int64_t steps);

/// Raises "C stack overflow" when the running thread's C stack is nearly used up, so deep
/// recursion through C functions ends in an error rather than a crash on small stacks.
void cmrg_check_cstack(lua_State *L);

/* --- errors (cmrg_errors.c) ------------------------------------------------------------- */

/* Notes the innermost Lua frame's chunk and line (runs no Lua code, allocates nothing). */
void cmrg_note_where(lua_State *L, char src[LUA_IDSIZE], int *line);

/* Message handler for protected calls: remembers where the error was raised. */
int cmrg_remember_where(lua_State *L);

/* Forgets the last error's location (before each protected call). */
void cmrg_clear_where(lua_State *L);

/* --- sealing (cmrg_seal.c) -------------------------------------------------------------- */

/* __newindex of every read-only view: raises "attempt to change 'key' of a read-only table".
   Its address also identifies read-only tables (safe_rawset). */
int cmrg_readonly_newindex(lua_State *L);

/* --- hardened library copies (cmrg_strlib.c, cmrg_tablib.c) ------------------------------ */

/// Hardened replacements, installed into the library table at `lib` (absolute index):
/// string.find / match / gmatch / gsub / rep, and the whole table library.
void cmrg_set_string_functions(lua_State *L, int lib);
void cmrg_set_table_functions(lua_State *L, int lib);

/* --- ordered pairs (cmrg_pairs.c) ------------------------------------------------------- */

/// pairs() for scripts: keys in a fixed order (numbers, strings, booleans, then the rest).
int cmrg_pairs(lua_State *L);

/// Pushes an iterator over table `t` in that order. With `cache` (a metatable's index, 0 for
/// none) the order is computed once and kept there: for tables that can no longer change.
void cmrg_push_ordered_iterator(lua_State *L, int t, int cache);

/* --- values and host functions (cmrg_values.c, cmrg_host.c) ------------------------------ */

/* Pushes a plain value (CMRG_NIL and CMRG_OTHER push nil); cmrg_to_value reads one. */
void cmrg_push_value(lua_State *L, const cmrg_value *v);

/* Most arguments a host function takes, and most results it gives back. */
#define MAX_HOST_ARGS 16
#define MAX_HOST_RESULTS 8

/* Calls a Swift host function with the arguments on the stack (at most MAX_HOST_ARGS), as
   a script's call of it: with `wants_where`, it learns the caller's chunk and line. Raises its
   error at the caller's line, or pushes its results and returns their count. */
int cmrg_call_host(lua_State *L, cmrg_host_fn fn, void *context, int wants_where);

/* The calling Lua function's chunk name (without '@'/'=', pointing into `ar` or Lua's source
   string) and, in ar->currentline, its line; 0 when there is no calling Lua function. */
int cmrg_caller(lua_State *L, lua_Debug *ar, const char **source);

#endif
