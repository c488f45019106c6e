// Cost of the sandbox's limits: the same chunk in a plain lua_State (no hook), in the sandbox
// as it runs by default (a time limit kept by the watchdog thread: no hook at all), and in the
// sandbox with the opt-in instruction budget, whose count hook fires every N instructions.
// Build and run with bench/hook-overhead.sh. Prints the best of several runs.
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

#include "cmrg_lua.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const workloads[][2] = {
    {"simple loop", "local s = 0 for i = 1, 1e8 do s = s + i end return s"},
    {"rule-like loop",
     "local c = {value = 250000, risk = 4, id = 'C-1'} "
     "local function score(c) local s = 0 if c.value > 100000 then s = s + 3 end "
     "if (c.risk or 0) >= 4 then s = s + 2 end return s + #c.id end "
     "local s = 0 for i = 1, 1e7 do s = s + score(c) end return s"},
};

static const char *chunk;

static double run_plain(int unused) {
    (void)unused;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    int64_t t0 = cmrg_now_ns();
    if (luaL_dostring(L, chunk) != LUA_OK) { fprintf(stderr, "%s\n", lua_tostring(L, -1)); exit(1); }
    int64_t t1 = cmrg_now_ns();
    lua_close(L);
    return (t1 - t0) / 1e9;
}

/* hook_step 0: the default limits (a time limit, no instruction budget: no hook); otherwise an
   instruction budget too large to run out, counted every hook_step instructions */
static double run_sandbox(int hook_step) {
    lua_State *L = cmrg_newstate(256u << 20, hook_step ? hook_step : 1000);
    if (!L || cmrg_open_sandbox(L) != LUA_OK) { fprintf(stderr, "cannot open the sandbox\n"); exit(1); }
    lua_settop(L, 0);
    int64_t t0 = cmrg_now_ns();
    cmrg_arm(L, hook_step ? INT64_MAX / 2 : 0, 600000000000LL); /* 10 minutes: never reached */
    int status = cmrg_run_chunk(L, chunk, strlen(chunk), "=bench");
    cmrg_disarm(L);
    int64_t t1 = cmrg_now_ns();
    if (status != LUA_OK) { size_t n; fprintf(stderr, "%s\n", cmrg_error_message(L, &n)); exit(1); }
    cmrg_close(L);
    return (t1 - t0) / 1e9;
}

static double best(double (*f)(int), int arg, int runs) {
    double b = 1e30;
    for (int i = 0; i < runs; i++) {
        double t = f(arg);
        if (t < b) b = t;
    }
    return b;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    static const int steps[] = {0, 10000, 1000, 100, 10};
    for (size_t w = 0; w < sizeof workloads / sizeof workloads[0]; w++) {
        chunk = workloads[w][1];
        printf("%s: %s (best of %d runs)\n", workloads[w][0], chunk, runs);
        double base = best(run_plain, 0, runs);
        printf("  %-30s %7.3f s  1.00x\n", "plain lua_State, no hook", base);
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            double t = best(run_sandbox, steps[i], runs);
            char label[64];
            if (steps[i]) snprintf(label, sizeof label, "budget, hook every %d", steps[i]);
            else snprintf(label, sizeof label, "sandbox default (watchdog)");
            printf("  %-30s %7.3f s  %.2fx\n", label, t, t / base);
        }
    }
    return 0;
}
