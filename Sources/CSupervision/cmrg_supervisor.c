// The supervisor's side: the page in a memory file, starting the child, passing on signals
// and waiting with a timeout. In C because the signal handler must be async-signal-safe.
#define _GNU_SOURCE
#include "cmrg_supervision.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int64_t cmrg_sv_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int cmrg_sv_page_create(cmrg_crumb_page **page) {
    int fd = memfd_create("cmrg-breadcrumbs", 0);
    if (fd < 0) {
        /* no memfd: an unlinked temporary file does the same */
        char path[] = "/tmp/cmrg-breadcrumbs-XXXXXX";
        fd = mkstemp(path);
        if (fd < 0) return -1;
        unlink(path);
    }
    if (ftruncate(fd, sizeof(cmrg_crumb_page)) != 0) {
        close(fd);
        return -1;
    }
    void *p = mmap(NULL, sizeof(cmrg_crumb_page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        close(fd);
        return -1;
    }
    cmrg_crumb_page *created = p;
    created->started_ns = cmrg_sv_now_ns();
    created->crash_slot = -1;
    for (int i = 0; i < CMRG_CRUMB_SLOTS; i++) created->slots[i].phase = -1;
    created->version = CMRG_CRUMB_VERSION;
    __atomic_store_n(&created->magic, CMRG_CRUMB_MAGIC, __ATOMIC_RELEASE);
    *page = created;
    return fd;
}

int cmrg_sv_read_slot(const cmrg_crumb_page *page, int index, cmrg_crumb_slot *out) {
    const cmrg_crumb_slot *slot = &page->slots[index];
    for (int attempt = 0; attempt < 1000; attempt++) {
        uint32_t before = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
        if (before & 1) continue;
        memcpy(out, (const void *)slot, sizeof *out);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&slot->seq, __ATOMIC_RELAXED) == before) return 1;
    }
    return 0;
}

pid_t cmrg_sv_spawn(const char *path, char *const argv[], char *const envp[]) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none); /* inherited: a crashing child leaves no core file */
    pid_t pid;
    int error = posix_spawn(&pid, path, NULL, NULL, argv, envp);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return pid;
}

static volatile pid_t forward_to;
static volatile sig_atomic_t received;
static volatile sig_atomic_t pending; /* caught before the child existed: passed on by cmrg_sv_forward_to */
static int interrupt_ignored;          /* started with SIGINT ignored (a background job): the child ignores it too */

static int stop_signal(void) { return interrupt_ignored ? SIGTERM : SIGINT; }

static void on_signal(int sig, siginfo_t *info, void *context) {
    (void)context;
    if (!received) received = sig;
    /* Ctrl-C from the terminal reaches the whole foreground process group, the child too:
       passing it on would be a second Ctrl-C, which ends the child at once. */
    if (sig == SIGINT && info && info->si_code == SI_KERNEL) return;
    if (forward_to > 0) kill(forward_to, stop_signal());
    else pending = 1;
}

void cmrg_sv_catch_signals(void) {
    struct sigaction action, old;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    /* Started from a thread that blocks them (a dispatch worker does), they would never
       arrive, here or in the child, which inherits the mask. */
    sigset_t stops;
    sigemptyset(&stops);
    for (int i = 0; i < 3; i++) sigaddset(&stops, signals[i]);
    sigprocmask(SIG_UNBLOCK, &stops, NULL);
    for (int i = 0; i < 3; i++) {
        sigaction(signals[i], &action, &old);
        if (old.sa_handler == SIG_IGN) {
            sigaction(signals[i], &old, NULL); /* started with it ignored (nohup, a background job) */
            if (signals[i] == SIGINT) interrupt_ignored = 1;
        }
    }
}

void cmrg_sv_forward_to(pid_t child) {
    forward_to = child;
    if (pending) kill(child, stop_signal());
}

int cmrg_sv_signal_received(void) { return received; }

int cmrg_sv_wait(pid_t child, int timeout_ms, int *status) {
    static int pidfd = -2;
    static pid_t pidfd_of;
    if (pidfd == -2 || pidfd_of != child) {
#ifdef SYS_pidfd_open
        pidfd = (int)syscall(SYS_pidfd_open, child, 0);
#else
        pidfd = -1;
#endif
        pidfd_of = child;
    }
    pid_t done = waitpid(child, status, WNOHANG);
    if (done == child) return 1;
    if (done < 0 && errno != EINTR) return -1;
    if (pidfd >= 0) {
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        int ready = poll(&p, 1, timeout_ms);
        if (ready < 0 && errno != EINTR) return -1;
    } else {
        /* no pidfd (old kernel): look again every 10 ms */
        for (int waited = 0; waited < timeout_ms; waited += 10) {
            struct timespec step = {0, 10 * 1000000};
            nanosleep(&step, NULL);
            done = waitpid(child, status, WNOHANG);
            if (done == child) return 1;
            if (cmrg_sv_signal_received()) break;
        }
    }
    done = waitpid(child, status, WNOHANG);
    if (done == child) return 1;
    return done < 0 && errno != EINTR ? -1 : 0;
}
