// C shim between Swift and liblua5.4. Swift never calls a Lua API function that can raise
// (longjmp) outside a protected call: everything that may raise lives here, in C. The host
// reaches Lua only through these headers, which include no Lua header: lua_State stays opaque.
#ifndef CMRG_LUA_H
#define CMRG_LUA_H

#include <stddef.h>
#include <stdint.h>

typedef struct lua_State lua_State;

/// Status codes of the calls below: Lua's own (lua.h's LUA_OK...) under names that need no
/// Lua header (cmrg_state.c checks that they match).
#define CMRG_OK 0
#define CMRG_ERRRUN 2
#define CMRG_ERRSYNTAX 3
#define CMRG_ERRMEM 4
#define CMRG_ERRERR 5

/// Lua's value types (lua.h's LUA_TNIL...), as cmrg_type and cmrg_push_global return them.
#define CMRG_TNONE (-1)
#define CMRG_TNIL 0
#define CMRG_TBOOLEAN 1
#define CMRG_TLIGHTUSERDATA 2
#define CMRG_TNUMBER 3
#define CMRG_TSTRING 4
#define CMRG_TTABLE 5
#define CMRG_TFUNCTION 6
#define CMRG_TUSERDATA 7
#define CMRG_TTHREAD 8

/// Why the running call was stopped by the host (0 = not stopped).
enum cmrg_trip {
    CMRG_TRIP_NONE = 0,
    CMRG_TRIP_INSTRUCTIONS = 1,
    CMRG_TRIP_TIME = 2,
    CMRG_TRIP_MEMORY = 3,
    CMRG_TRIP_INTERRUPT = 4,
};

/// Per-state accounting, kept in the state's extra space. Owned by the shim.
typedef struct cmrg_budget {
    size_t mem_used;
    size_t mem_limit;
    size_t mem_peak;
    int64_t instr_left;        // instructions left in the current call (when counting)
    int64_t pending;           // C work (matcher steps, elements moved) not yet charged
    int counting;              // the current call has an instruction budget (count hook on)
    int armed;                 // limits apply only while armed (inside a host call)
    int tripped;               // enum cmrg_trip; sticky until the next cmrg_arm
    int hook_step;             // instructions between count-hook calls (when counting)
} cmrg_budget;

/// A plain value crossing the C/Swift boundary. Strings point into Lua-owned or
/// Swift-owned memory that outlives the call that receives them.
enum cmrg_vtype { CMRG_NIL = 0, CMRG_BOOL = 1, CMRG_INT = 2, CMRG_NUM = 3, CMRG_STR = 4, CMRG_OTHER = 5 };
typedef struct cmrg_value {
    int type;        // enum cmrg_vtype
    int64_t i;       // CMRG_BOOL (0/1) and CMRG_INT
    double n;        // CMRG_NUM
    const char *s;   // CMRG_STR (not NUL-terminated necessarily) / CMRG_OTHER: type name
    size_t len;
} cmrg_value;

/// Where a host function was called from (the calling Lua function's chunk and line).
typedef struct cmrg_where {
    const char *source;   // chunk name without the leading '@' / '='
    int line;
    int phase;            // index of the entry point running (cmrg_call_with_record), else -1
} cmrg_where;

/// A host function implemented in Swift. It must not touch the lua_State. It receives its
/// arguments as plain values and writes up to `max_results` results; returns the number of
/// results, or -1 with `*error` / `*error_len` set to raise a Lua error with that message
/// (the message memory must stay valid until the next call of the same function).
typedef int (*cmrg_host_fn)(void *context, const cmrg_where *where,
                            const cmrg_value *args, int nargs,
                            cmrg_value *results, int max_results,
                            const char **error, size_t *error_len);

// --- state lifecycle -----------------------------------------------------------------------
lua_State *cmrg_newstate(size_t memory_limit, int hook_step);
void cmrg_close(lua_State *L);
cmrg_budget *cmrg_budget_of(lua_State *L);

/// Mirrors the call running into memory another process reads (the supervisor's breadcrumbs):
/// `*deadline_ns` is the CLOCK_MONOTONIC deadline while a call is armed (INT64_MAX without a
/// time limit, 0 between calls), `*phase` the entry point of the record call running (-1 none).
/// NULL stops mirroring.
void cmrg_mirror_call(lua_State *L, volatile int64_t *deadline_ns, volatile int32_t *phase);

/// Arms the limits for one host call. The time limit (0 = none) is enforced by the watchdog
/// thread, with no hook on the fast path; `instructions` > 0 adds an instruction budget
/// counted by a count hook (deterministic, slower: for tests), 0 = none.
void cmrg_arm(lua_State *L, int64_t instructions, int64_t time_limit_ns);
void cmrg_disarm(lua_State *L);
/// Asks the running call to stop at its next instruction or library-loop check (thread-safe).
void cmrg_interrupt(lua_State *L);
int64_t cmrg_now_ns(void);

// --- sandbox -----------------------------------------------------------------------------
/// Opens the safe libraries and builds the sandbox environment table, which is left on
/// the stack top and also stored in the registry under "cmrg.env". Returns CMRG_OK or an
/// error code with the message on the stack.
int cmrg_open_sandbox(lua_State *L);

/// Loads a text chunk (binary chunks are refused) with the sandbox environment as _ENV and
/// runs it under the armed limits. Returns CMRG_OK or an error code with the message on top.
int cmrg_run_chunk(lua_State *L, const char *text, size_t len, const char *chunkname);

/// Registers a Swift host function as a global of the sandbox environment. It learns which
/// entry point runs (`where->phase`), not its caller's chunk and line (NULL and 0).
int cmrg_register(lua_State *L, const char *name, cmrg_host_fn fn, void *context);

/// Seals the environment: its current contents become read-only base definitions; globals
/// written afterwards land in a per-call scratch layer that cmrg_reset_scratch clears.
int cmrg_seal(lua_State *L);

/// After sealing: reading a global that is not defined, or assigning one the loaded chunks
/// did not define, raises an error at the line that did it (naming the nearest local or
/// global). `declared` names count as defined (they may hold nil). Returns LUA_OK or an
/// error code with the message on the stack.
int cmrg_strict_globals(lua_State *L, const char *const *declared, const size_t *lens, int count);

/// After sealing: reading a key that the sealed table tree under global `name` lacks raises
/// "name.a.b does not exist (did you mean …?)" at the reading line.
int cmrg_strict_settings(lua_State *L, const char *name);
int cmrg_reset_scratch(lua_State *L);

/// After cmrg_seal failed on a limit (memory, time): the chunk (and line, 0 when unknown) that
/// defined the global it was sealing, and that global's name; NULL when unknown.
const char *cmrg_seal_where(lua_State *L, int *line, const char **global);

/// Looks up global `name` in the sandbox environment; pushes it and returns its Lua type
/// (raw lookup, no metamethods; CMRG_TNIL when absent).
int cmrg_push_global(lua_State *L, const char *name);

/// Creates a registry reference to the value on top (popping it); for nil, a reference to
/// nothing (Lua's LUA_NOREF).
int cmrg_ref(lua_State *L);
void cmrg_unref(lua_State *L, int ref);

// --- records: the hot path ---------------------------------------------------------------
/// A record layout: field names interned once (the key strings are kept referenced in the
/// registry, so building a record never re-hashes a key).
typedef struct cmrg_layout cmrg_layout;
cmrg_layout *cmrg_layout_new(lua_State *L, const char *const *names, const size_t *lens, int count);
void cmrg_layout_free(lua_State *L, cmrg_layout *layout);

/// Makes reading a name from the layout's records that is not among `names` (the layout's
/// own and any others that may be absent) an error: "<what> 'name' (did you mean 'x'?)", or
/// with `listing`, "<what> 'name' (<listing>: a, b)" naming `names`, nearest first; with no
/// name near and no listing, "<what> 'name'<otherwise>". A name among them that a record
/// leaves out reads as nil.
int cmrg_layout_strict(lua_State *L, cmrg_layout *layout, const char *const *names, const size_t *lens,
                       int count, const char *what, const char *listing, const char *otherwise);

/// Builds one record table from `values` (CMRG_NIL fields are left absent) plus, when
/// `nested_key` is not NULL, a nested record built from `nested_layout`/`nested_values`
/// under that key, then calls each
/// function in `fn_refs` with the record as its only argument, collecting exactly one result
/// per function into `results` (strings point into Lua memory valid until the next call).
/// Everything runs in protected mode under the armed limits. Returns CMRG_OK, or an error code
/// with `*failed_fn` set to the index of the failing function and the message readable with
/// cmrg_error_message.
int cmrg_call_with_record(lua_State *L, const cmrg_layout *layout, const cmrg_value *values,
                          const char *nested_key, const cmrg_layout *nested_layout,
                          const cmrg_value *nested_values,
                          const int *fn_refs, int fn_count, int read_only,
                          cmrg_value *results, int *failed_fn);

/// After an error: where the innermost Lua frame was when it was raised (chunk name and
/// line; NULL and 0 when unknown, e.g. memory errors).
const char *cmrg_error_where(lua_State *L, int *line);

/// After a memory error (or a limit noticed by the allocator): where the allocator last
/// refused memory in the current call (NULL and 0 when it did not).
const char *cmrg_refused_where(lua_State *L, int *line);

/// After an error: a bounded, readable message (never raises; table or failing __tostring
/// error objects are described, not called). Pops the error object. The returned pointer is
/// valid until the next shim call on this state.
const char *cmrg_error_message(lua_State *L, size_t *len);

/// Pops n values.
void cmrg_pop(lua_State *L, int n);
int cmrg_gettop(lua_State *L);
void cmrg_settop(lua_State *L, int idx);
int cmrg_absindex(lua_State *L, int idx);
/// Makes room for `n` more values on the stack; 0 when it cannot grow (never raises).
int cmrg_checkstack(lua_State *L, int n);

// --- reading values out: raw accesses only (no metamethod runs), nothing raises -----------
/// The Lua type (CMRG_T...) of the value at `idx`, and a type's name as type() gives it.
int cmrg_type(lua_State *L, int idx);
const char *cmrg_typename(lua_State *L, int type);

/// The value at `idx` as a plain value: nil, booleans, numbers and strings (pointing into Lua
/// memory, valid while the value stays on the stack; never converted); anything else is
/// CMRG_OTHER with its type name in `s`.
void cmrg_to_value(lua_State *L, int idx, cmrg_value *v);

/// The identity of the table (or other object) at `idx`, to notice cycles and shared tables.
const void *cmrg_topointer(lua_State *L, int idx);

/// When the value at `idx` is a read-only view (a sealed table or a record), pushes the
/// table behind it and returns 1; otherwise pushes nothing and returns 0.
int cmrg_view_target(lua_State *L, int idx);

/// The raw length (border) of the table at `idx`, and its raw element `i`, pushed (returns
/// its type).
size_t cmrg_rawlen(lua_State *L, int idx);
int cmrg_rawgeti(lua_State *L, int idx, int64_t i);

/// Raw traversal of the table at `idx`: pops a key (nil to start), pushes the next key and
/// its value and returns 1, or returns 0 at the end. The key popped must be the last one this
/// traversal pushed, unchanged.
int cmrg_next(lua_State *L, int idx);
void cmrg_pushnil(lua_State *L);

#endif
