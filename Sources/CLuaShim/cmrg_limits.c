// The limits of a host call. Nothing runs on the fast path: the time limit is the watchdog's
// (cmrg_watchdog.c), which, once a call overruns, sets the state's stop flag and installs the
// stop hook. The hardened C library loops check the same flag through cmrg_charge. An
// instruction budget (a count hook) is opt-in, for deterministic tests. The memory cap is the
// allocator's. A limit that trips stays tripped until the next cmrg_arm, and the stop hook then
// fires on every instruction, so a script cannot catch its way out.
#define _GNU_SOURCE /* pthread_getattr_np */
#include "cmrg_internal.h"

#include <stdlib.h>
#include <time.h>

#define BIG_ALLOCATION (64 << 10)   /* allocations this large check the stop flag */
#define CSTACK_RESERVE (256 << 10)  /* C stack kept free below the deepest Lua call */

int64_t cmrg_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---------------------------------------------------------------- budget ------------ */

static const char *trip_message(int trip) {
    switch (trip) {
    case CMRG_TRIP_INSTRUCTIONS: return "instruction limit exceeded (endless loop?)";
    case CMRG_TRIP_TIME: return "time limit exceeded";
    case CMRG_TRIP_MEMORY: return "memory limit exceeded";
    case CMRG_TRIP_INTERRUPT: return "interrupted";
    default: return "stopped";
    }
}

/* Spends `used` instructions (when counting) and checks the stop flag; returns the trip
   (0 = go on). */
static int spend(cmrg_extra *x, int64_t used) {
    cmrg_budget *b = &x->budget;
    if (b->tripped) return b->tripped;
    if (!x->stop && atomic_load_explicit(&x->watch.interrupt, memory_order_relaxed))
        x->stop = CMRG_TRIP_INTERRUPT;
    if (x->stop) b->tripped = x->stop;
    else if (b->counting && (b->instr_left -= used) <= 0) b->tripped = CMRG_TRIP_INSTRUCTIONS;
    return b->tripped;
}

/* The one hook of the limits: every hook_step instructions while counting, and on every
   instruction once the call must stop. Raises only for a tripped limit: Lua code that runs
   while this error is being raised (message handlers) runs with hooks disabled, see
   guarded_handler. */
static void limit_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    cmrg_extra *x = cmrg_extra_of(L);
    cmrg_budget *b = &x->budget;
    if (!b->armed) return; /* a stop hook left over from a call that is over */
    if (!b->tripped) {
        /* a count event spends the instructions since the last one */
        if (!spend(x, b->counting ? lua_gethookcount(L) : 0)) return;
        cmrg_fire_stop_hook(L);
    }
    luaL_error(L, "%s", trip_message(b->tripped));
}

/* From a trip on, the hook fires on every instruction: a script that catches the error
   with pcall runs at most one instruction before it is raised again. */
void cmrg_fire_stop_hook(lua_State *L) { lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1); }

/* ---------------------------------------------------------------- allocator --------- */

/* Refuses an allocation of a running call; Lua raises "not enough memory". Memory errors
   run no message handler, so the place is noted here. A request larger than the whole cap,
   or two refusals in a row, trip the memory limit: Lua answers a refusal with a full
   collection and one retry of the same request, so only a refused retry means the script
   really holds too much (lauxlib's buffers do not retry; their single refusal is still a
   memory error, just one a script may catch). */
static void *refuse(cmrg_extra *x, int trip, size_t request) {
    cmrg_budget *b = &x->budget;
    if (trip == CMRG_TRIP_MEMORY && !x->refused && request <= b->mem_limit) {
        x->refused = 1;
        trip = CMRG_TRIP_NONE;
    }
    if (x->L) cmrg_note_where(x->L, x->refused_src, &x->refused_line);
    if (trip && !b->tripped) b->tripped = trip;
    if (b->tripped && x->L) cmrg_fire_stop_hook(x->L);
    return NULL;
}

void *cmrg_capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    cmrg_budget *b = (cmrg_budget *)ud;
    size_t old = ptr ? osize : 0; /* when ptr is NULL, osize encodes a type, not a size */
    if (nsize == 0) {
        if (ptr) { free(ptr); b->mem_used -= old; }
        return NULL;
    }
    cmrg_extra *x = (cmrg_extra *)b; /* the budget is the first member */
    if (nsize > old && b->armed) {
        if (b->mem_used - old + nsize > b->mem_limit) return refuse(x, CMRG_TRIP_MEMORY, nsize);
        /* A C function that works on big strings (upper, rep, format, concat...) does one
           big allocation per call: once the call must stop, refuse it rather than do the
           work (the check costs nothing next to the work that follows). */
        if (nsize - old >= BIG_ALLOCATION && spend(x, 0)) return refuse(x, b->tripped, nsize);
    } else if (nsize > old && b->mem_used - old + nsize > b->mem_limit + b->mem_limit / 16) {
        /* unarmed (host work): the cap holds, with a reserve scripts cannot use, so that the
           host's own small allocations between calls (layouts, references, outside any
           protected call) still succeed when a script left the state just under its cap */
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    x->refused = 0;
    b->mem_used = b->mem_used - old + nsize;
    if (b->mem_used > b->mem_peak) b->mem_peak = b->mem_used;
    return p;
}

/* ---------------------------------------------------------------- charging --------- */

void cmrg_charge(lua_State *L, int64_t steps) {
    cmrg_extra *x = cmrg_extra_of(L);
    cmrg_budget *b = &x->budget;
    if (!b->armed) return;
    if (!b->tripped && !x->stop) {
        if (!b->counting) return;          /* the fast path: one flag read */
        b->pending += steps;
        if (b->pending < CMRG_STEP_BATCH) return;
        int64_t used = b->pending;
        b->pending = 0;
        if (!spend(x, used)) return;
    } else if (!b->tripped) {
        b->tripped = x->stop;
    }
    cmrg_fire_stop_hook(L);
    luaL_error(L, "%s", trip_message(b->tripped));
}

/* The lowest usable address of this thread's C stack (plus the reserve), found once. */
static _Thread_local char *cstack_floor;

static char *find_cstack_floor(void) {
    char *low = NULL;
#if defined(__APPLE__)
    pthread_t self = pthread_self();
    low = (char *)pthread_get_stackaddr_np(self) - pthread_get_stacksize_np(self);
#elif defined(__linux__)
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) != 0) addr = NULL;
        pthread_attr_destroy(&attr);
    }
    low = addr;
#endif
    return low ? low + CSTACK_RESERVE : (char *)1;
}

void cmrg_check_cstack(lua_State *L) {
    char here;
    if (!cstack_floor) cstack_floor = find_cstack_floor();
    if (&here < cstack_floor) luaL_error(L, "C stack overflow");
}

void cmrg_arm(lua_State *L, int64_t instructions, int64_t time_limit_ns) {
    cmrg_extra *x = cmrg_extra_of(L);
    cmrg_budget *b = &x->budget;
    /* The previous call is over (cmrg_disarm): nothing can set the stop flag until the new
       deadline is published below, so resetting it here loses nothing. */
    x->stop = CMRG_TRIP_NONE;
    b->tripped = CMRG_TRIP_NONE;
    b->pending = 0;
    b->counting = instructions > 0;
    b->instr_left = b->counting ? instructions : INT64_MAX;
    if (b->counting) lua_sethook(L, limit_hook, LUA_MASKCOUNT, b->hook_step);
    else if (lua_gethook(L)) lua_sethook(L, NULL, 0, 0); /* a stop hook left by the last call */
    b->armed = 1;
    int64_t deadline = time_limit_ns > 0 ? cmrg_now_ns() + time_limit_ns : 0;
    atomic_store_explicit(&x->watch.limit_ns, time_limit_ns > 0 ? time_limit_ns : 0, memory_order_relaxed);
    atomic_store_explicit(&x->watch.deadline_ns, deadline, memory_order_relaxed);
    if (x->deadline_mirror) *x->deadline_mirror = deadline ? deadline : INT64_MAX;
    cmrg_watch_call_starts(x);
}

void cmrg_disarm(lua_State *L) {
    cmrg_extra *x = cmrg_extra_of(L);
    cmrg_watch_call_ends(x);
    x->budget.armed = 0;
    if (x->deadline_mirror) *x->deadline_mirror = 0;
}

void cmrg_interrupt(lua_State *L) {
    cmrg_extra *x = cmrg_extra_of(L);
    atomic_store(&x->watch.interrupt, 1);
    cmrg_watch_wake();
}
