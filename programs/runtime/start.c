/* start.c — the C half of parsim's start-up (crt0.S is the other) and the
 * runtime's hart management: C library set-up on hart 0, argc/argv from
 * the semihosting command line exactly as picolibc 1.8's crt0 builds them,
 * per-hart TLS, the idle loop of the other harts, fork/join threads, SPMD,
 * the service wrappers, picolibc's lock hooks and the fault printer.
 *
 * Harts other than 0 wait (blocked on parsim, spinning elsewhere) until
 * hart 0 has initialised .data, .bss and the C library, then each sits in
 * worker_loop waiting on its slot's `go` word.  A thread or an SPMD rank is
 * given to a hart by claiming the slot (busy 0 -> 1), writing fn and arg,
 * and bumping `go`; the hart runs fn, stores the result and sets `done` to
 * the same number; join waits for that and frees the slot.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/lock.h>
#include <unistd.h>

#include "parsim.h"
#include "parsim_cmdline.h"

/* From picolibc.ld / parsim.ld (values are the symbols' addresses). */
extern char __data_start[], __data_source[], __data_size[];
extern char __bss_start[], __bss_size[];
extern char __tls_base[], __tls_size[], __tls_align[];
extern char __flash[], __stack[];
extern char __parsim_max_harts[], __parsim_hart_stack[];

/* From picolibc. */
extern void _set_tls(void *tls);
extern void _init_tls(void *tls);
extern void __libc_init_array(void);
extern int sys_semihost_get_cmdline(char *buf, int size);

extern int main(int argc, char **argv);

void __parsim_start0(const void *fdt, uintptr_t top, uintptr_t size)
    __attribute__((noreturn));
void __parsim_start_hart(unsigned hart, uintptr_t top, uintptr_t size)
    __attribute__((noreturn));
void __parsim_ctrap(const uint32_t *frame) __attribute__((noreturn));

#define INIT_DONE 0x50415253u   /* set by hart 0 after C library set-up */

/* One per hart, a cache line each so that harts do not false-share. */
struct slot {
    atomic_uint busy;           /* claimed: main, a thread, an SPMD rank */
    atomic_uint go;             /* bumped to hand the hart work */
    atomic_uint done;           /* = go once the work has returned */
    void *(*fn)(void *);
    void *arg;
    void *ret;
} __attribute__((aligned(PARSIM_CACHE_LINE)));

static struct slot slots[PARSIM_MAX_HARTS];
static unsigned nharts = 1;     /* .data: valid from hart 0's data copy */
static atomic_uint init_done;   /* .bss: RAM starts zeroed on parsim and QEMU */

/* ---- services ------------------------------------------------------------ */

unsigned num_harts(void)
{
    return nharts;
}

void parsim_topology(unsigned *cores, unsigned *threads_per_core)
{
    unsigned c = nharts, t = 1;
    uint32_t vc, vt;
    if (on_parsim() &&
        parsim_ecall2(PARSIM_FN_TOPOLOGY, 0, 0, 0, &vc, &vt) == PARSIM_OK &&
        vc != 0 && vt != 0) {
        c = vc;
        t = vt;
    }
    if (cores)
        *cores = c;
    if (threads_per_core)
        *threads_per_core = t;
}

int parsim_wait(const volatile void *addr, uint32_t expected)
{
    if (!on_parsim()) {
        for (int i = 0; i < 8; i++)
            parsim_relax();
        return 0;
    }
    uint32_t differed = 0;
    if (parsim_ecall(PARSIM_FN_WAIT, (uintptr_t)addr, expected, 0,
                     &differed) != PARSIM_OK)
        return 1;
    return (int)differed;
}

unsigned parsim_wake(const volatile void *addr, uint32_t n)
{
    if (!on_parsim())
        return 0;
    uint32_t woken = 0;
    if (parsim_ecall(PARSIM_FN_WAKE, (uintptr_t)addr, n, 0, &woken) !=
        PARSIM_OK)
        return 0;
    return woken;
}

/* Waits until *word != seen; returns the new value. */
static uint32_t wait_change(atomic_uint *word, uint32_t seen)
{
    uint32_t v;
    while ((v = atomic_load_explicit(word, memory_order_acquire)) == seen)
        parsim_wait(word, seen);
    return v;
}

/* ---- threads and SPMD ---------------------------------------------------- */

static int claim(unsigned h)
{
    unsigned idle = 0;
    return atomic_compare_exchange_strong_explicit(
        &slots[h].busy, &idle, 1, memory_order_acquire, memory_order_relaxed);
}

static void dispatch(unsigned h, void *(*fn)(void *), void *arg)
{
    struct slot *s = &slots[h];
    s->fn = fn;
    s->arg = arg;
    unsigned seq = atomic_load_explicit(&s->go, memory_order_relaxed) + 1;
    atomic_store_explicit(&s->go, seq, memory_order_release);
    parsim_wake(&s->go, 1);
}

static void worker_loop(unsigned hart) __attribute__((noreturn));
static void worker_loop(unsigned hart)
{
    struct slot *s = &slots[hart];
    uint32_t seen = 0;
    for (;;) {
        seen = wait_change(&s->go, seen);
        s->ret = s->fn(s->arg);
        atomic_store_explicit(&s->done, seen, memory_order_release);
        parsim_wake(&s->done, PARSIM_WAKE_ALL);
    }
}

int parsim_thread_create_on(parsim_thread_t *t, unsigned hart,
                            void *(*fn)(void *), void *arg)
{
    if (hart >= nharts)
        return EINVAL;
    if (!claim(hart))
        return EAGAIN;
    dispatch(hart, fn, arg);
    *t = hart;
    return 0;
}

int parsim_thread_create(parsim_thread_t *t, void *(*fn)(void *), void *arg)
{
    for (unsigned h = 0; h < nharts; h++)
        if (claim(h)) {
            dispatch(h, fn, arg);
            *t = h;
            return 0;
        }
    return EAGAIN;
}

void *parsim_thread_join(parsim_thread_t t)
{
    struct slot *s = &slots[t];
    uint32_t seq = atomic_load_explicit(&s->go, memory_order_acquire);
    uint32_t d;
    while ((d = atomic_load_explicit(&s->done, memory_order_acquire)) != seq)
        parsim_wait(&s->done, d);
    void *ret = s->ret;
    atomic_store_explicit(&s->busy, 0, memory_order_release);
    return ret;
}

unsigned parsim_idle_harts(void)
{
    unsigned n = 0;
    for (unsigned h = 0; h < nharts; h++)
        n += atomic_load_explicit(&slots[h].busy, memory_order_relaxed) == 0;
    return n;
}

struct spmd_job {
    parsim_spmd_fn fn;
    void *arg;
    unsigned n;
};

struct spmd_rank {
    const struct spmd_job *job;
    unsigned rank;
};

static void *spmd_trampoline(void *p)
{
    const struct spmd_rank *r = p;
    r->job->fn(r->rank, r->job->n, r->job->arg);
    return NULL;
}

int parsim_spmd_n(unsigned n, parsim_spmd_fn fn, void *arg)
{
    if (n == 0 || n > nharts)
        return -1;
    unsigned me = hart_id(), got = 0;
    unsigned harts[PARSIM_MAX_HARTS];
    for (unsigned h = 0; h < nharts && got < n - 1; h++)
        if (h != me && claim(h))
            harts[got++] = h;
    if (got < n - 1) {
        for (unsigned i = 0; i < got; i++)
            atomic_store_explicit(&slots[harts[i]].busy, 0,
                                  memory_order_release);
        return -1;
    }
    struct spmd_job job = {fn, arg, n};
    struct spmd_rank ranks[PARSIM_MAX_HARTS];
    for (unsigned i = 0; i < got; i++) {
        ranks[i] = (struct spmd_rank){&job, i + 1};
        dispatch(harts[i], spmd_trampoline, &ranks[i]);
    }
    fn(0, n, arg);
    for (unsigned i = 0; i < got; i++)
        (void)parsim_thread_join(harts[i]);
    return (int)n;
}

int parsim_spmd(parsim_spmd_fn fn, void *arg)
{
    return parsim_spmd_n(nharts, fn, arg);
}

/* ---- memory: the heap ---------------------------------------------------- */

extern char __heap_start[], __heap_end[];

/* The stacks are where crt0.S put them: on parsim at the end of RAM,
 * run.stack_size each (PARSIM_FN_MEMORY), elsewhere where parsim.ld put
 * them; it hands their top and size to __parsim_start0 and
 * __parsim_start_hart.  The heap ends below the last hart's stack. */
static char *brk = __heap_start;   /* .data, as picolibc's own sbrk's */

/* picolibc's malloc grows the heap through sbrk: from the end of .bss to
 * below the last hart's stack, so that a bigger RAM (--ram-size) is a
 * bigger heap.  Called under malloc's lock, rarely (the heap grows in
 * steps): it asks parsim where the stacks are each time rather than keep
 * it, so that the runtime's data stays as it was laid out. */
void *sbrk(ptrdiff_t incr)
{
    uint32_t top, size;
    char *end = __heap_end;
    if (on_parsim() &&
        parsim_ecall2(PARSIM_FN_MEMORY, 0, 0, 0, &top, &size) == PARSIM_OK)
        end = (char *)(uintptr_t)(top - PARSIM_MAX_HARTS * size);
    if (incr >= 0 ? end - brk < incr : brk - __heap_start < -incr) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = brk;
    brk += incr;
    return old;
}

/* ---- start-up ------------------------------------------------------------ */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

/* Counts the cpu@ nodes under /cpus of the flattened device tree QEMU
 * hands over in a1; 0 when there is no valid one. */
static unsigned fdt_cpus(const uint8_t *fdt)
{
    enum { BEGIN = 1, END = 2, PROP = 3, NOP = 4, DONE = 9 };
    uintptr_t at = (uintptr_t)fdt;
    if (at & 3 || at < (uintptr_t)__flash || at >= (uintptr_t)__stack - 64 ||
        be32(fdt) != 0xd00dfeedu)
        return 0;
    uint32_t total = be32(fdt + 4), off = be32(fdt + 8), size = be32(fdt + 36);
    if (total > (uintptr_t)__stack - at || off > total || size > total - off)
        return 0;
    const uint8_t *p = fdt + off, *end = p + size;
    unsigned depth = 0, cpus_depth = 0, n = 0;
    while (p + 4 <= end) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == BEGIN) {
            const char *name = (const char *)p;
            size_t len = strnlen(name, (size_t)(end - p));
            depth++;
            if (depth == 2 && strcmp(name, "cpus") == 0)
                cpus_depth = depth;
            else if (cpus_depth && depth == cpus_depth + 1 &&
                     strncmp(name, "cpu@", 4) == 0)
                n++;
            p += (len + 4) & ~(size_t)3;
        } else if (tok == END) {
            if (depth == cpus_depth)
                cpus_depth = 0;
            if (depth)
                depth--;
        } else if (tok == PROP) {
            if (p + 8 > end)
                break;
            p += 8 + ((be32(p) + 3) & ~3u);
        } else if (tok != NOP) {
            break;
        }
    }
    return n;
}

static unsigned count_harts(const void *fdt)
{
    unsigned n = 0;
    if (on_parsim()) {
        uint32_t v = 0;
        if (parsim_ecall(PARSIM_FN_NUM_HARTS, 0, 0, 0, &v) == PARSIM_OK)
            n = v;
    } else {
        n = fdt_cpus(fdt);
    }
    if (n == 0)
        n = 1;
    return n > PARSIM_MAX_HARTS ? PARSIM_MAX_HARTS : n;
}

/* Hart 0: picolibc's crt0 sequence, plus releasing the other harts. */
void __parsim_start0(const void *fdt, uintptr_t top, uintptr_t size)
{
    (void)top;                  /* hart 0's stack is already set up */
    memcpy(__data_start, __data_source, (size_t)__data_size);
    memset(__bss_start, 0, (size_t)__bss_size);
    _set_tls(__tls_base);
    if ((uintptr_t)__parsim_max_harts != PARSIM_MAX_HARTS ||
        (uintptr_t)__parsim_hart_stack != PARSIM_HART_STACK ||
        (uintptr_t)__tls_size + (uintptr_t)__tls_align > size / 4) {
        static const char msg[] =
            "parsim runtime: parsim.ld and parsim.h disagree on the hart "
            "layout, or TLS is too large\n";
        (void)write(2, msg, sizeof msg - 1);
        _exit(1);
    }
    nharts = count_harts(fdt);
    atomic_store_explicit(&slots[0].busy, 1, memory_order_relaxed);
    __libc_init_array();
    atomic_store_explicit(&init_done, INIT_DONE, memory_order_release);
    parsim_wake(&init_done, PARSIM_WAKE_ALL);

    /* The command line parsim (or QEMU) hands over is the program's path
     * and its arguments, split on spaces: argv[0] is the path, argv[1]
     * the first argument, as every C program expects (picolibc's own
     * crt0 would put "program-name" first and the path in argv[1]).
     * parsim puts an empty argument, or one with spaces, in double
     * quotes (\" and \\ inside): they are undone here. */
    /* A short line in a small buffer; a long one (up to
     * PARSIM_CMDLINE_MAX) from the heap: a big buffer in .bss would be
     * zeroed, and a big malloc'd one set up, at every start, costing more
     * than many programs' whole work. */
    static char small[1024];
    static char *small_argv[64];
    char *cmdline = small, **argv = small_argv;
    int argc = 0, got = sys_semihost_get_cmdline(small, sizeof small) == 0;
    if (!got && (cmdline = malloc(PARSIM_CMDLINE_MAX)) != NULL)
        got = sys_semihost_get_cmdline(cmdline, PARSIM_CMDLINE_MAX) == 0;
    if (got) {
        /* At most one word per two bytes, and the NULL after them. */
        size_t most = strlen(cmdline) / 2 + 2;
        if (most > sizeof small_argv / sizeof small_argv[0] &&
            !(argv = malloc(most * sizeof *argv)))
            _exit(1);
        argc = parsim_split_cmdline(cmdline, argv);
    } else {
        static const char msg[] = "parsim runtime: the command line is "
                                  "too long for the start-up code\n";
        (void)write(2, msg, sizeof msg - 1);
        _exit(1);
    }
    if (argc == 0) {
        argv = small_argv;
        argv[argc++] = "program";
    }
    argv[argc] = NULL;
    exit(main(argc, argv));
}

/* Every other hart: wait for hart 0's set-up, own TLS, then idle. */
void __parsim_start_hart(unsigned hart, uintptr_t top, uintptr_t size)
{
    uint32_t v;
    while ((v = atomic_load_explicit(&init_done, memory_order_acquire)) !=
           INIT_DONE)
        parsim_wait(&init_done, v);
    uintptr_t align = (uintptr_t)__tls_align ? (uintptr_t)__tls_align : 1;
    uintptr_t tls = top - (hart + 1) * size;
    tls = (tls + align - 1) & ~(align - 1);
    _init_tls((void *)tls);
    _set_tls((void *)tls);
    worker_loop(hart);
}

/* ---- picolibc's lock hooks (malloc, atexit, ...) ------------------------ */

/* Recursive, owned by a hart; spins (libc holds these only briefly). */
struct __lock {
    atomic_uint owner;          /* hart + 1, 0 when free */
    unsigned depth;
};

struct __lock __lock___libc_recursive_mutex;

static int lock_try(struct __lock *l)
{
    unsigned me = hart_id() + 1, free_ = 0;
    if (atomic_load_explicit(&l->owner, memory_order_relaxed) == me) {
        l->depth++;
        return 1;
    }
    if (!atomic_compare_exchange_strong_explicit(&l->owner, &free_, me,
                                                 memory_order_acquire,
                                                 memory_order_relaxed))
        return 0;
    l->depth = 1;
    return 1;
}

static void lock_take(struct __lock *l)
{
    while (!lock_try(l))
        while (atomic_load_explicit(&l->owner, memory_order_relaxed) != 0)
            parsim_relax();
}

static void lock_drop(struct __lock *l)
{
    if (--l->depth == 0)
        atomic_store_explicit(&l->owner, 0, memory_order_release);
}

void __retarget_lock_init(_LOCK_T *lock)
{
    *lock = calloc(1, sizeof **lock);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
    __retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
    free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
    free(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
    if (lock)
        lock_take(lock);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
    if (lock)
        lock_take(lock);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
    return lock ? lock_try(lock) : 1;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
    return lock ? lock_try(lock) : 1;
}

void __retarget_lock_release(_LOCK_T lock)
{
    if (lock)
        lock_drop(lock);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
    if (lock)
        lock_drop(lock);
}

/* ---- faults: picolibc's report, word for word ---------------------------- */

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0/fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void __parsim_ctrap(const uint32_t *frame)
{
    printf("RISCV fault\n");
    for (int i = 0; i < 32; i++)
        printf("\tx%d %-5.5s%s 0x%08lx\n", i, reg_names[i], i < 10 ? " " : "",
               (unsigned long)frame[i]);
    printf("\tmepc:     0x%08lx\n", (unsigned long)frame[32]);
    printf("\tmcause:   0x%08lx\n", (unsigned long)frame[33]);
    printf("\tmtval:    0x%08lx\n", (unsigned long)frame[34]);
    _exit(1);
}
