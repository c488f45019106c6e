// Private to the shim: what its files share with one another. Swift sees only include/.
//
// The shim by job (one file each):
//   cmrg_state.c    a state's life: creation with the capped allocator, per-state data, stack
//                   and registry helpers
//   cmrg_limits.c   the limits of a host call: the stop hook, the opt-in instruction budget,
//                   the memory cap (allocator), the C stack guard, interrupts
//   cmrg_watchdog.c the watchdog thread that stops calls overrunning their time limit
//   cmrg_errors.c   error text: where an error was raised, bounded readable messages
//   cmrg_sandbox.c  the sandbox library: which functions scripts see, and loading text chunks
//   cmrg_seal.c     sealing: everything the loaded definitions reach made read-only (or
//                   refused), the scratch layer
//   cmrg_views.c    read-only views (of sealed tables and of records)
//   cmrg_metatables.c  metatables scripts set: refused fields, kept refused once set
//   cmrg_values.c   plain values across the C/Swift boundary, and raw reads for copying out
//   cmrg_host.c     host functions: Swift functions callable from scripts
//   cmrg_records.c  record calls: the per-contract hot path
//   cmrg_pairs.c    pairs() in a fixed order
//   cmrg_calllog.c  call logs (recorders that do not cross into Swift)
//   cmrg_coverage.c line coverage
//   cmrg_strict.c   strictness after sealing (missing fields, settings keys, globals are
//                   errors), rawget/rawlen/ipairs through read-only views, and identities
//                   without addresses (tostring, %s, %p)
//   cmrg_dump.c     compiled functions read back from lua_dump (coverage, sealing)
//   cmrg_strlib.c, cmrg_tablib.c  hardened copies of Lua 5.4.4 library code (UPSTREAM.md)
//   cmrg_charged.c  stock library functions wrapped so that their work is charged
#ifndef CMRG_INTERNAL_H
#define CMRG_INTERNAL_H

#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

#include "cmrg_lua.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#define ENV_KEY "cmrg.env"          /* the sandbox environment (scripts' _ENV) */
#define BASE_KEY "cmrg.base"        /* sealed definitions behind the environment */
#define MAX_MESSAGE 2048            /* error messages are cut to this many bytes */

/* A state as the watchdog sees it (cmrg_watchdog.c): which call runs, on which thread, until
   when. Written by the thread running the state at cmrg_arm/cmrg_disarm, read by the watchdog. */
typedef struct cmrg_watch {
    struct cmrg_watch *prev, *next; /* the watched states (under the watchdog's lock) */
    _Atomic int64_t deadline_ns;    /* of the running call (CLOCK_MONOTONIC); 0 = none running */
    _Atomic int64_t limit_ns;       /* time limit of the last call armed (0 = none) */
    _Atomic unsigned call;          /* counts calls: tells one call from the next */
    _Atomic int signalling;         /* the watchdog is signalling this state's thread now */
    _Atomic int interrupt;          /* cmrg_interrupt asked the running call to stop */
    pthread_t thread;               /* the thread running the call */
    unsigned signalled_call;        /* the watchdog's own: the call it signalled last, and when */
    int64_t signalled_at;
} cmrg_watch;

/* Per-state data kept beside the budget: the last error location and message. */
typedef struct cmrg_extra {
    cmrg_budget budget;
    lua_State *L;               /* the main (only) thread, for the allocator */
    /* Why the running call must stop (enum cmrg_trip, 0 = go on): set on the state's own
       thread, by the watchdog's signal handler or a hook; read by every limit check. */
    volatile sig_atomic_t stop;
    cmrg_watch watch;
    char where_src[LUA_IDSIZE];  /* where the last error was raised (message handler) */
    int where_line;
    char refused_src[LUA_IDSIZE]; /* where the allocator last refused memory: memory errors */
    int refused_line;             /* run no message handler */
    int refused;                  /* the last allocation request was refused */
    char message[MAX_MESSAGE + 64];
    int phase;
    lua_Integer next_id;          /* identities handed out in this call (cmrg_strict.c) */
    char seal_src[LUA_IDSIZE];  /* while sealing: the global being sealed, and where it was */
    int seal_line;              /* defined (memory and time errors run no message handler) */
    char seal_global[64];
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
/// batches of this many steps, so the limits are checked without slowing the loops.
#define CMRG_STEP_BATCH 1024

/// Bulk byte work (copying, scanning, converting) is charged one step per this many bytes.
#define CMRG_BYTES_PER_STEP 64

/// Charges `steps` units of C work to the running call: checks the stop flag (time limit,
/// interrupt) and, when the call has an instruction budget, spends the steps from it. Raises
/// a Lua error (and keeps the stop hook firing on every instruction) once a limit is reached.
void cmrg_charge(lua_State *L, int64_t steps);

/// Installs the stop hook, firing on every instruction (async-signal-safe: lua_sethook is).
void cmrg_fire_stop_hook(lua_State *L);

/* --- watchdog (cmrg_watchdog.c) ---------------------------------------------------------- */

/* Adds a new state to the watched states, and removes it (before lua_close). */
void cmrg_watch_state(cmrg_extra *x);
void cmrg_unwatch_state(cmrg_extra *x);

/* A call starts (its deadline is already in x->watch) / ends on the calling thread. */
void cmrg_watch_call_starts(cmrg_extra *x);
void cmrg_watch_call_ends(cmrg_extra *x);

/* Asks the watchdog to signal the state's thread now (an interrupt). */
void cmrg_watch_wake(void);

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

/* --- sealing and views (cmrg_seal.c, cmrg_views.c) -------------------------------------- */

/* __newindex of every read-only view: raises "attempt to change 'key' of a read-only table".
   Its address also identifies read-only views. */
int cmrg_readonly_newindex(lua_State *L);

/* --- strictness (cmrg_strict.c) --------------------------------------------------------- */

/* A metatable for records whose __index raises for a name not among `names` (registry ref
   in *ref); see cmrg_layout_strict. */
int cmrg_strict_record_meta(lua_State *L, const char *const *names, const size_t *lens, int count,
                            const char *what, const char *listing, const char *otherwise, int *ref);

/* Installs rawget, rawlen and ipairs that read the table behind a read-only view (the stock
   ones see an empty table) into the environment at `env`. */
void cmrg_set_view_raw_access(lua_State *L, int env);

/* Forgets the numbers tostring gave tables and functions (at the start of each call). */
void cmrg_reset_identities(lua_State *L);

/* Installs tostring and string.format that show identities, not addresses, into the
   environment at `env` and the string library at `string_lib`. */
void cmrg_set_stable_identities(lua_State *L, int env, int string_lib);
/* Pushes the table behind the read-only view at `idx` and returns 1; returns 0 (pushing
   nothing) when the value is not a view. */
int cmrg_view_target(lua_State *L, int idx);

/* Makes the (empty) table at `view` a read-only view of the table at `t`, keeping the
   metamethods of t's metatable (each value passed through `seal`, which replaces the value
   on the stack top by its sealed counterpart) and detaching that metatable from t. */
void cmrg_make_view(lua_State *L, int t, int view, void (*seal)(lua_State *L, void *ud), void *ud);

/* Pushes what a script's table gets as its metatable when it asks for the view at `view`: a
   copy of the table behind it (cached for sealed views), whose __metatable is the view.
   Returns 0 (pushing nothing) when the value is not a view. */
int cmrg_push_metatable_form(lua_State *L, int view);

/* Notes which chunk defined each global (or, with NULL, what the environment holds before
   any chunk), to name the file of a global whose sealing fails. Protected; a status. */
int cmrg_note_definitions(lua_State *L, const char *chunkname);

/* --- metatables (cmrg_metatables.c) -------------------------------------------------------- */

/// setmetatable / getmetatable for scripts.
int cmrg_setmetatable(lua_State *L);
int cmrg_getmetatable(lua_State *L);

/// Raises when a raw write of key `k` (absolute index) into table `t` would add a refused
/// metamethod (__gc, __mode, __close) to a table in use as a metatable.
void cmrg_check_raw_write(lua_State *L, int t, int k);

/* --- hardened library copies (cmrg_strlib.c, cmrg_tablib.c) ------------------------------ */

/// Hardened replacements, installed into the library table at `lib` (absolute index):
/// string.find / match / gmatch / gsub / rep, and the whole table library.
void cmrg_set_string_functions(lua_State *L, int lib);
void cmrg_set_table_functions(lua_State *L, int lib);

/// Wraps the stock functions that do work in proportion to their input (utf8.len,
/// string.upper, tostring...) in the environment at `env` so that the work is charged
/// (cmrg_charged.c).
void cmrg_set_charged_functions(lua_State *L, int env);

/* --- ordered pairs (cmrg_pairs.c) ------------------------------------------------------- */

/// pairs() and next() for scripts: keys in a fixed order (numbers, strings, booleans); tables
/// with table or function keys are refused.
int cmrg_pairs(lua_State *L);
int cmrg_next_in_order(lua_State *L);

/// Pushes an array of the keys of table `t` in that order (with `refuse`, raising for table
/// and function keys; without, those come last in raw order).
void cmrg_push_sorted_keys(lua_State *L, int t, int refuse);

/// Whether `f` is the iterator of pairs / of string.gmatch (they keep a position).
int cmrg_is_pairs_iterator(lua_CFunction f);
int cmrg_is_gmatch_iterator(lua_CFunction f);

/// Pushes an iterator over table `t` in that order. With `cache` (a metatable's index, 0 for
/// none) the order is computed once and kept there: for tables that can no longer change.
void cmrg_push_ordered_iterator(lua_State *L, int t, int cache);

/* --- compiled functions (cmrg_dump.c) -------------------------------------------------- */

/* The bytes of a lua_dump (malloc'd: the host's memory, freed at once). */
typedef struct cmrg_dump { unsigned char *data; size_t len, cap; int failed; } cmrg_dump;

/* One function prototype of a dump. Pointers point into the dump's bytes. */
typedef struct cmrg_proto {
    int linedefined, is_vararg;
    const unsigned char *code;     /* ncode instructions of 4 bytes (cmrg_proto_instruction) */
    size_t ncode;
    const unsigned char *upvalues; /* nupvalues descriptions of 3 bytes: instack, idx, kind */
    size_t nupvalues;
    struct cmrg_proto *protos;     /* the functions defined inside this one */
    size_t nprotos;
    const signed char *lineinfo;   /* line deltas, one per instruction */
    size_t nlineinfo;
    int *abs_pc, *abs_line;        /* absolute line entries */
    size_t nabs;
} cmrg_proto;

/* Dumps the function on the stack top (with debug information); 0 on failure. */
int cmrg_dump_function(lua_State *L, cmrg_dump *out);
void cmrg_dump_free(cmrg_dump *d);

/* Reads a dump into a prototype tree (free it with cmrg_proto_free); 0 when the dump is not
   in the format of this Lua release. */
int cmrg_proto_read(const cmrg_dump *d, cmrg_proto *root);
void cmrg_proto_free(cmrg_proto *f);
uint32_t cmrg_proto_instruction(const cmrg_proto *f, size_t pc);
/* The source line of instruction `pc`. */
int cmrg_proto_line(const cmrg_proto *f, size_t pc);

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
