// The limits of a host call: the instruction and wall-clock budget (checked by a count hook
// and by cmrg_charge for work done inside C functions), the memory cap (the allocator), the
// C stack guard and asynchronous interrupts. A limit that trips stays tripped until the next
// cmrg_arm, and the hook then fires on every instruction, so a script cannot catch its way out.
#define _GNU_SOURCE /* pthread_getattr_np */
#include "cmrg_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define BIG_ALLOCATION (64 << 10)   /* allocations this large check the deadline */
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

/* Spends `used` instructions and checks every limit; returns the trip (0 = go on). */
static int spend(cmrg_budget *b, int64_t used) {
    if (b->tripped) return b->tripped;
    b->instr_left -= used;
    if (b->interrupt) b->tripped = CMRG_TRIP_INTERRUPT;
    else if (b->instr_left <= 0) b->tripped = CMRG_TRIP_INSTRUCTIONS;
    else if (b->deadline_ns && cmrg_now_ns() > b->deadline_ns) b->tripped = CMRG_TRIP_TIME;
    return b->tripped;
}

static void budget_hook(lua_State *L, lua_Debug *ar);

/* From a trip on, the hook fires on every instruction: a script that catches the error
   with pcall runs at most one instruction before it is raised again. */
static void fire_every_instruction(lua_State *L) { lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1); }

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
    if (b->tripped && x->L) fire_every_instruction(x->L);
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
           big allocation per call and may never reach the hook's next check: check the
           clock here, where it costs nothing next to the work that follows. */
        if (nsize - old >= BIG_ALLOCATION && spend(b, 0)) return refuse(x, b->tripped, nsize);
    } else if (nsize > old && b->mem_used - old + nsize > b->mem_limit) {
        return NULL; /* unarmed (host work): the cap still holds */
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    x->refused = 0;
    b->mem_used = b->mem_used - old + nsize;
    if (b->mem_used > b->mem_peak) b->mem_peak = b->mem_used;
    return p;
}

/* ---------------------------------------------------------------- budget hook ------- */

/* Raises only for a tripped limit: Lua code that runs while this error is being raised
   (message handlers) runs with hooks disabled, see guarded_handler. */
static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    cmrg_budget *b = cmrg_budget_of(L);
    if (!b->armed) return;
    if (!b->tripped) {
        if (!spend(b, b->hook_step)) return;
        fire_every_instruction(L);
    }
    luaL_error(L, "%s", trip_message(b->tripped));
}

void cmrg_charge(lua_State *L, int64_t steps) {
    cmrg_budget *b = cmrg_budget_of(L);
    if (!b->armed) return;
    b->pending += steps;
    if (b->pending < CMRG_STEP_BATCH && !b->tripped) return;
    int64_t used = b->pending;
    b->pending = 0;
    if (!b->tripped) {
        if (!spend(b, used)) return;
        fire_every_instruction(L);
    }
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
    cmrg_budget *b = cmrg_budget_of(L);
    b->instr_left = instructions > 0 ? instructions : INT64_MAX;
    b->deadline_ns = time_limit_ns > 0 ? cmrg_now_ns() + time_limit_ns : 0;
    b->pending = 0;
    b->tripped = CMRG_TRIP_NONE;
    b->interrupt = 0;
    b->armed = 1;
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, b->hook_step);
    volatile int64_t *mirror = cmrg_extra_of(L)->deadline_mirror;
    if (mirror) *mirror = b->deadline_ns ? b->deadline_ns : INT64_MAX;
}

void cmrg_disarm(lua_State *L) {
    cmrg_budget_of(L)->armed = 0;
    volatile int64_t *mirror = cmrg_extra_of(L)->deadline_mirror;
    if (mirror) *mirror = 0;
}

void cmrg_interrupt(lua_State *L) { cmrg_budget_of(L)->interrupt = 1; }
