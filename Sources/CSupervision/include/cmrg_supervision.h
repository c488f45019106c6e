// The second line of defence, C side: the breadcrumb page a supervised cmrg process shares
// with the supervisor that started it, and the few things about processes and signals that
// must be async-signal-safe. Knows nothing of Lua or contracts: a slot holds an activity, a
// short id and title, the entry point names a worker calls, and the deadline of the call
// running (written by whoever runs calls with limits, through plain pointers).
//
// The page is written by the supervised process and read by the supervisor, which keeps it
// after the process died: it is how a crash, a stuck call or a run past its time limit is
// told as "rule evaluation of contract C-004 ... in score crashed (SIGSEGV)".
#ifndef CMRG_SUPERVISION_H
#define CMRG_SUPERVISION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CMRG_CRUMB_MAGIC 0x47524d43u /* "CMRG" */
#define CMRG_CRUMB_VERSION 1
#define CMRG_CRUMB_SLOTS 256         /* worker slots; more workers share slots (modulo) */
#define CMRG_CRUMB_ID_BYTES 64
#define CMRG_CRUMB_TITLE_BYTES 96
#define CMRG_CRUMB_ENTRIES 4
#define CMRG_CRUMB_ENTRY_BYTES 16
#define CMRG_CRUMB_TEMPS 32          /* temporary files open at once */
#define CMRG_CRUMB_PATH_BYTES 1024

/// What a slot's worker is doing.
enum cmrg_crumb_activity {
    CMRG_CRUMB_IDLE = 0,
    CMRG_CRUMB_LOADING = 1,  // loading the rule pack: `id` is the file (or "(sealing)")
    CMRG_CRUMB_SUBJECT = 2,  // evaluating one subject (a contract): `id`, `title`
};

/// A call that is armed but has no deadline (no time limit).
#define CMRG_CRUMB_NO_DEADLINE INT64_MAX

/// One worker's breadcrumbs. `seq` is odd while `activity`, `ordinal`, `id` and `title` are
/// being rewritten (a seqlock: the reader retries). `deadline_ns` and `phase` are written on
/// their own by the call machinery: the CLOCK_MONOTONIC deadline of the call running
/// (0 = no call, CMRG_CRUMB_NO_DEADLINE = a call without a time limit) and the index of the
/// entry point running (-1 = none).
typedef struct cmrg_crumb_slot {
    uint32_t seq;
    uint32_t activity;
    int64_t ordinal;
    volatile int64_t deadline_ns;
    int64_t call_limit_ns;        // the time limit the deadline was armed with
    volatile int32_t phase;
    uint16_t id_len;
    uint16_t title_len;
    char id[CMRG_CRUMB_ID_BYTES];
    char title[CMRG_CRUMB_TITLE_BYTES];
    char entry[CMRG_CRUMB_ENTRIES][CMRG_CRUMB_ENTRY_BYTES];
} cmrg_crumb_slot;

/// A temporary file the supervised process has open: removed by the supervisor when the
/// process dies before renaming or removing it.
typedef struct cmrg_crumb_temp {
    uint32_t used;
    char path[CMRG_CRUMB_PATH_BYTES];
} cmrg_crumb_temp;

typedef struct cmrg_crumb_page {
    uint32_t magic;
    uint32_t version;
    int64_t started_ns;           // CLOCK_MONOTONIC when the supervisor started
    volatile int64_t run_limit_ns;          // whole-run time limit (set by the child), 0 = none
    volatile int64_t address_space_bytes;   // the child's RLIMIT_AS, 0 = none
    volatile int32_t crash_signal;          // set by the child's crash handler
    volatile int32_t crash_slot;            // slot of the crashing thread, -1 = not a worker
    volatile int64_t crash_vm_bytes;        // the child's address space when it crashed
    volatile uint32_t slots_used;           // high-water mark of claimed slots
    uint32_t padding;
    cmrg_crumb_slot slots[CMRG_CRUMB_SLOTS];
    cmrg_crumb_temp temps[CMRG_CRUMB_TEMPS];
} cmrg_crumb_page;

// --- supervised process (writer) ------------------------------------------------------------

/// Maps the page passed by the supervisor as descriptor `fd`; NULL when it is not one.
/// Installs the crash handler (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP), which
/// records the signal, the crashing thread's slot and the address space in the page before
/// the process dies of the signal as it would have.
cmrg_crumb_page *cmrg_crumb_attach(int fd);

/// Starts a new activity in `slot` (a few stores and two short copies; no system call). The
/// title is cut on a UTF-8 boundary. Binds the calling thread to the slot, for the crash
/// handler (the first time on a thread, with an alternate signal stack, so that a stack
/// overflow still reaches the handler).
void cmrg_crumb_enter(cmrg_crumb_slot *slot, uint32_t activity, const char *id, size_t id_len,
                      const char *title, size_t title_len);
/// Ends the slot's activity (one store).
void cmrg_crumb_leave(cmrg_crumb_slot *slot);
/// Names entry point `index` (what `phase` counts), cut to fit.
void cmrg_crumb_name_entry(cmrg_crumb_slot *slot, int index, const char *name, size_t len);

/// Records a temporary file path; returns its index or -1 when all entries are in use.
int cmrg_crumb_add_temp(cmrg_crumb_page *page, const char *path, size_t len);
void cmrg_crumb_remove_temp(cmrg_crumb_page *page, int index);

/// Lowers the process's address-space limit (RLIMIT_AS) to `bytes` and records it; 0 when
/// done, else errno.
int cmrg_crumb_limit_address_space(cmrg_crumb_page *page, int64_t bytes);

// --- supervisor (reader) --------------------------------------------------------------------

/// A new page in a memory file the child inherits: its descriptor (not close-on-exec), or -1.
int cmrg_sv_page_create(cmrg_crumb_page **page);
/// A consistent copy of slot `index` (retries while it is being rewritten); 0 if none in time.
int cmrg_sv_read_slot(const cmrg_crumb_page *page, int index, cmrg_crumb_slot *out);
int64_t cmrg_sv_now_ns(void);

/// Starts `argv` (path `path`) with `envp`, stdin/stdout/stderr inherited and core dumps off;
/// the child's pid or -1 (errno set).
pid_t cmrg_sv_spawn(const char *path, char *const argv[], char *const envp[]);
/// Catches SIGINT, SIGTERM and SIGHUP (before the child starts, so none is lost; one that
/// was ignored stays ignored). Each is passed on to the child as SIGINT, its clean stop (as
/// SIGTERM when SIGINT is ignored, as in a background job), except a Ctrl-C from the
/// terminal, which the child received itself.
void cmrg_sv_catch_signals(void);
/// The child to pass caught signals on to (and one caught before it started).
void cmrg_sv_forward_to(pid_t child);
/// The first signal caught by the forwarding handler, 0 if none.
int cmrg_sv_signal_received(void);
/// Waits up to `timeout_ms` for `child` to end: 1 when it did (`*status` as from waitpid),
/// 0 when it still runs, -1 on error.
int cmrg_sv_wait(pid_t child, int timeout_ms, int *status);

#endif
