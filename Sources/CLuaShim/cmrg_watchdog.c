// The watchdog: one thread per process that stops host calls which overrun their time limit,
// so that no hook runs while calls stay within it. When the call running on a state passes its
// deadline (or cmrg_interrupt asks), the watchdog sends that state's thread a signal; the
// handler, on that thread, sets the state's stop flag and installs the stop hook with
// lua_sethook, which Lua documents as safe to call asynchronously (lua.c does the same from its
// SIGINT handler). Lua code meets the hook at its next instruction; the hardened C library
// loops see the flag at their next check (cmrg_charge). Because the handler runs on the state's
// own thread, no other thread ever touches a running state.
#define _GNU_SOURCE
#include "cmrg_internal.h"

#include <errno.h>
#include <time.h>

#if defined(SIGRTMIN)
#define STOP_SIGNAL (SIGRTMIN + 3)
#else
#define STOP_SIGNAL SIGUSR2
#endif

#define MIN_SLEEP_NS 1000000LL        /* never wake more often than every 1 ms */
#define RESIGNAL_NS 10000000LL        /* a stopped call still running is signalled again every 10 ms */
#define IDLE_SLEEP_NS 1000000000LL    /* nothing with a time limit to watch */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;           /* waits on CLOCK_MONOTONIC where the system allows */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static cmrg_watch *watched;           /* the watched states (under `lock`) */
static _Atomic int started;           /* the watchdog thread runs in this process */

/* The state whose call runs on this thread (set at cmrg_arm, cleared at cmrg_disarm). */
static _Thread_local cmrg_extra *running_here;
/* The stop signal is unblocked on this thread (thread pools such as libdispatch's start
   their threads with every signal blocked). */
static _Thread_local int unblocked_here;

/* ---------------------------------------------------------------- signal handler ----- */

/* Runs on the thread of the call to stop. Decides from that thread's own view (the call that
   runs now, its deadline): a signal meant for a call that has ended finds nothing to do. */
static void on_stop_signal(int sig) {
    (void)sig;
    int saved = errno;
    cmrg_extra *x = running_here;
    if (x && x->budget.armed) {
        if (!x->stop) {
            int64_t deadline = atomic_load_explicit(&x->watch.deadline_ns, memory_order_relaxed);
            if (atomic_load_explicit(&x->watch.interrupt, memory_order_relaxed)) x->stop = CMRG_TRIP_INTERRUPT;
            else if (deadline && cmrg_now_ns() >= deadline) x->stop = CMRG_TRIP_TIME;
        }
        if (x->stop) cmrg_fire_stop_hook(x->L);
    }
    errno = saved;
}

/* ---------------------------------------------------------------- the thread --------- */

static void wait_until(int64_t when_ns) {
#if defined(__APPLE__)
    int64_t left = when_ns - cmrg_now_ns();
    if (left < 0) left = 0;
    struct timespec rel = {(time_t)(left / 1000000000LL), (long)(left % 1000000000LL)};
    pthread_cond_timedwait_relative_np(&wake, &lock, &rel);
#else
    struct timespec at = {(time_t)(when_ns / 1000000000LL), (long)(when_ns % 1000000000LL)};
    pthread_cond_timedwait(&wake, &lock, &at);
#endif
}

/* Signals the thread of call `call` on `w` unless that call has ended meanwhile. The
   `signalling` flag pairs with cmrg_watch_call_ends: once a call has ended, no signal for it
   is sent to its thread any more (which may then run other code, or exit). */
static void signal_call(cmrg_watch *w, unsigned call) {
    atomic_store(&w->signalling, 1);
    if (atomic_load(&w->call) == call) pthread_kill(w->thread, STOP_SIGNAL);
    atomic_store(&w->signalling, 0);
}

static void *watchdog_main(void *unused) {
    (void)unused;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, STOP_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &mask, NULL);
    pthread_mutex_lock(&lock);
    for (;;) {
        int64_t now = cmrg_now_ns();
        int64_t next = now + IDLE_SLEEP_NS;
        for (cmrg_watch *w = watched; w; w = w->next) {
            unsigned call = atomic_load(&w->call);
            int64_t limit = atomic_load_explicit(&w->limit_ns, memory_order_relaxed);
            if (limit && now + limit < next) next = now + limit; /* a call may start any moment */
            if (!(call & 1)) continue; /* odd: a call is running */
            int64_t deadline = atomic_load_explicit(&w->deadline_ns, memory_order_relaxed);
            int due = atomic_load_explicit(&w->interrupt, memory_order_relaxed) || (deadline && now >= deadline);
            if (due) {
                if (w->signalled_call != call || now - w->signalled_at >= RESIGNAL_NS) {
                    signal_call(w, call);
                    w->signalled_call = call;
                    w->signalled_at = now;
                }
                if (now + RESIGNAL_NS < next) next = now + RESIGNAL_NS;
            } else if (deadline && deadline < next) {
                next = deadline;
            }
        }
        if (next < now + MIN_SLEEP_NS) next = now + MIN_SLEEP_NS;
        wait_until(next);
    }
    return NULL;
}

/* ---------------------------------------------------------------- fork ---------------- */
/* A child of fork has no watchdog thread: it starts its own at its first call. */

static void before_fork(void) { pthread_mutex_lock(&lock); }
static void after_fork_in_parent(void) { pthread_mutex_unlock(&lock); }

static void init_wake(void) {
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
#if !defined(__APPLE__)
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
#endif
    pthread_cond_init(&wake, &attr);
    pthread_condattr_destroy(&attr);
}

static void after_fork_in_child(void) {
    pthread_mutex_unlock(&lock);
    init_wake();
    atomic_store(&started, 0);
}

static void set_up(void) {
    init_wake();
    struct sigaction action = {0};
    action.sa_handler = on_stop_signal;
    action.sa_flags = SA_RESTART; /* interrupted system calls of the host carry on */
    sigemptyset(&action.sa_mask);
    sigaction(STOP_SIGNAL, &action, NULL);
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

/* Starts the thread once per process (under `lock`). Without a thread, time limits would not
   hold: the state then has none to rely on but its instruction budget, if any. */
static void start_locked(void) {
    if (atomic_load(&started)) return;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 << 10);
    pthread_t thread;
    if (pthread_create(&thread, &attr, watchdog_main, NULL) == 0) atomic_store(&started, 1);
    pthread_attr_destroy(&attr);
}

/* ---------------------------------------------------------------- states and calls ---- */

void cmrg_watch_state(cmrg_extra *x) {
    pthread_once(&once, set_up);
    pthread_mutex_lock(&lock);
    cmrg_watch *w = &x->watch;
    w->prev = NULL;
    w->next = watched;
    if (watched) watched->prev = w;
    watched = w;
    start_locked();
    pthread_mutex_unlock(&lock);
}

void cmrg_unwatch_state(cmrg_extra *x) {
    pthread_mutex_lock(&lock);
    cmrg_watch *w = &x->watch;
    if (w->prev) w->prev->next = w->next; else if (watched == w) watched = w->next;
    if (w->next) w->next->prev = w->prev;
    w->prev = w->next = NULL;
    pthread_mutex_unlock(&lock);
}

void cmrg_watch_call_starts(cmrg_extra *x) {
    if (!atomic_load_explicit(&started, memory_order_relaxed)) { /* a forked child's first call */
        pthread_mutex_lock(&lock);
        start_locked();
        pthread_mutex_unlock(&lock);
    }
    if (!unblocked_here) {
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, STOP_SIGNAL);
        pthread_sigmask(SIG_UNBLOCK, &mask, NULL);
        unblocked_here = 1;
    }
    x->watch.thread = pthread_self();
    atomic_store_explicit(&x->watch.interrupt, 0, memory_order_relaxed);
    running_here = x;
    atomic_fetch_add(&x->watch.call, 1); /* odd: running; publishes thread and deadline */
}

void cmrg_watch_call_ends(cmrg_extra *x) {
    atomic_fetch_add(&x->watch.call, 1); /* even: over */
    atomic_store_explicit(&x->watch.deadline_ns, 0, memory_order_relaxed);
    while (atomic_load(&x->watch.signalling)) { /* a signal for this call is being sent: wait */ }
    running_here = NULL;
}

void cmrg_watch_wake(void) {
    pthread_mutex_lock(&lock);
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}
