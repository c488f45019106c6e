// Private to the shim: what the hardened library copies need from the sandbox core.
#ifndef CMRG_INTERNAL_H
#define CMRG_INTERNAL_H

#include "cmrg_lua.h"

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

/// Hardened replacements, installed into the library table at `lib` (absolute index):
/// string.find / match / gmatch / gsub / rep, and the whole table library.
void cmrg_set_string_functions(lua_State *L, int lib);
void cmrg_set_table_functions(lua_State *L, int lib);

/// pairs() for scripts: keys in a fixed order (numbers, strings, booleans, then the rest).
int cmrg_pairs(lua_State *L);

/// Pushes an iterator over table `t` in that order. With `cache` (a metatable's index, 0 for
/// none) the order is computed once and kept there: for tables that can no longer change.
void cmrg_push_ordered_iterator(lua_State *L, int t, int cache);

/* Plain values across the C/Swift boundary (cmrg_lua.c): read the value at `idx` without
   raising, and push one back. */
void cmrg_to_value(lua_State *L, int idx, cmrg_value *v);
void cmrg_push_value(lua_State *L, const cmrg_value *v);
/* Most arguments a host function takes, and most results it gives back. */
#define MAX_HOST_ARGS 16
#define MAX_HOST_RESULTS 8

/* Calls a Swift host function with the `nargs` values on the stack (at most MAX_HOST_ARGS):
   raises its error at the caller's line, or pushes its results and returns their count. */
int cmrg_call_host(lua_State *L, cmrg_host_fn fn, void *context, const cmrg_where *where, int nargs);

#endif
