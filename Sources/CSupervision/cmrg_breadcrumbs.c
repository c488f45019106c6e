// The supervised process's side of the breadcrumb page: mapping it, writing a worker's
// activity, recording temporary files, and the crash handler that leaves the last word.
#define _GNU_SOURCE
#include "cmrg_supervision.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static cmrg_crumb_page *crash_page;
/* The slot the calling thread last entered: tells the crash handler which worker crashed. */
static __thread cmrg_crumb_slot *thread_slot;
static __thread int thread_has_altstack;

#define ALTSTACK_BYTES (64 << 10)

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};

/* The address space in bytes, from /proc/self/statm (open/read/close are async-signal-safe). */
static int64_t address_space_bytes(void) {
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char text[64];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    int64_t pages = 0;
    for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9'; i++) pages = pages * 10 + (text[i] - '0');
    return pages * (int64_t)sysconf(_SC_PAGESIZE);
}

static void on_crash(int sig, siginfo_t *info, void *context) {
    (void)info;
    (void)context;
    cmrg_crumb_page *page = crash_page;
    if (page && page->crash_signal == 0) {
        cmrg_crumb_slot *slot = thread_slot;
        page->crash_slot = slot ? (int32_t)(slot - page->slots) : -1;
        page->crash_vm_bytes = address_space_bytes();
        page->crash_signal = sig;
    }
    /* Die of the signal as the process would have without this handler. */
    signal(sig, SIG_DFL);
    raise(sig);
}

cmrg_crumb_page *cmrg_crumb_attach(int fd) {
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(cmrg_crumb_page)) return NULL;
    void *p = mmap(NULL, sizeof(cmrg_crumb_page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return NULL;
    cmrg_crumb_page *page = p;
    if (page->magic != CMRG_CRUMB_MAGIC || page->version != CMRG_CRUMB_VERSION) {
        munmap(p, sizeof(cmrg_crumb_page));
        return NULL;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC); /* programs cmrg starts (git) do not inherit it */
    crash_page = page;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_crash;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++) sigaction(crash_signals[i], &action, NULL);
    return page;
}

/* The first activity on a thread: remember its slot and give it an alternate signal stack,
   so the handler runs even when the thread's own stack overflowed. */
static void bind_thread(cmrg_crumb_slot *slot) {
    thread_slot = slot;
    if (thread_has_altstack) return;
    thread_has_altstack = 1;
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return; /* has one */
    void *memory = mmap(NULL, ALTSTACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return;
    stack_t alt = {.ss_sp = memory, .ss_flags = 0, .ss_size = ALTSTACK_BYTES};
    sigaltstack(&alt, NULL);
}

static size_t utf8_cut(const char *s, size_t len, size_t max) {
    if (len <= max) return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* s[n] starts the first byte left out */
    return n;
}

void cmrg_crumb_enter(cmrg_crumb_slot *slot, uint32_t activity, const char *id, size_t id_len,
                      const char *title, size_t title_len) {
    uint32_t seq = slot->seq;
    __atomic_store_n(&slot->seq, seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    slot->activity = activity;
    slot->ordinal++;
    size_t n = utf8_cut(id, id_len, CMRG_CRUMB_ID_BYTES);
    memcpy(slot->id, id, n);
    slot->id_len = (uint16_t)n;
    n = title ? utf8_cut(title, title_len, CMRG_CRUMB_TITLE_BYTES) : 0;
    if (n) memcpy(slot->title, title, n);
    slot->title_len = (uint16_t)n;
    __atomic_store_n(&slot->seq, seq + 2, __ATOMIC_RELEASE);
    if (thread_slot != slot) bind_thread(slot);
}

void cmrg_crumb_leave(cmrg_crumb_slot *slot) { __atomic_store_n(&slot->activity, CMRG_CRUMB_IDLE, __ATOMIC_RELEASE); }

void cmrg_crumb_name_entry(cmrg_crumb_slot *slot, int index, const char *name, size_t len) {
    if (index < 0 || index >= CMRG_CRUMB_ENTRIES) return;
    size_t n = utf8_cut(name, len, CMRG_CRUMB_ENTRY_BYTES - 1);
    memcpy(slot->entry[index], name, n);
    slot->entry[index][n] = 0;
}

int cmrg_crumb_add_temp(cmrg_crumb_page *page, const char *path, size_t len) {
    if (len >= CMRG_CRUMB_PATH_BYTES) return -1;
    for (int i = 0; i < CMRG_CRUMB_TEMPS; i++) {
        uint32_t expected = 0;
        /* 2 = being written, 1 = in use: the supervisor only reads entries that are 1 */
        if (__atomic_compare_exchange_n(&page->temps[i].used, &expected, 2, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            memcpy(page->temps[i].path, path, len);
            page->temps[i].path[len] = 0;
            __atomic_store_n(&page->temps[i].used, 1, __ATOMIC_RELEASE);
            return i;
        }
    }
    return -1;
}

void cmrg_crumb_remove_temp(cmrg_crumb_page *page, int index) {
    if (index >= 0 && index < CMRG_CRUMB_TEMPS) __atomic_store_n(&page->temps[index].used, 0, __ATOMIC_RELEASE);
}

int cmrg_crumb_limit_address_space(cmrg_crumb_page *page, int64_t bytes) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_AS, &limit) != 0) return errno;
    rlim_t wanted = bytes > 0 ? (rlim_t)bytes : RLIM_INFINITY;
    if (limit.rlim_max != RLIM_INFINITY && (wanted == RLIM_INFINITY || wanted > limit.rlim_max)) wanted = limit.rlim_max;
    limit.rlim_cur = wanted;
    if (setrlimit(RLIMIT_AS, &limit) != 0) return errno;
    if (page) page->address_space_bytes = wanted == RLIM_INFINITY ? 0 : (int64_t)wanted;
    return 0;
}
