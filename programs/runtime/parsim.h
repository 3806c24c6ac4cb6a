/* parsim.h — the runtime interface for programs that run on parsim: which
 * hart am I, how many are there, the simulator services (wait / wake on an
 * address, lock annotations), and the two ways to run code on several
 * harts: SPMD (every hart runs one function with its rank) and fork/join
 * threads (create a thread on an idle hart, join it).
 *
 * Standard RISC-V wherever one exists: the hart id is mhartid, the
 * counters are rdcycle/rdinstret.  Everything here also works under
 * qemu-system-riscv32 -machine virt [-smp N]: there the services do not
 * exist (on_parsim() is false), waiting turns into spinning and the
 * annotations into nothing.  docs/programming.md is the guide; the
 * synchronisation library (locks, barriers, ...) is parsim_sync.h.
 *
 * May depend on: programs/runtime/parsim_ecall.h, the C library.
 */
#ifndef PARSIM_H
#define PARSIM_H

#include <stdint.h>

#include "parsim_ecall.h"

/* The memory layout the start-up code and parsim.ld agree on (parsim.ld
 * defines the same numbers as __parsim_max_harts and __parsim_hart_stack;
 * the start-up code stops with a message if they ever differ).  On parsim
 * the stacks are run.stack_size each (64 KiB unless set) at the end of
 * RAM, whatever its size; PARSIM_HART_STACK is the size elsewhere. */
#define PARSIM_MAX_HARTS 64          /* harts the runtime uses; more are parked */
#define PARSIM_HART_STACK 0x10000    /* 64 KiB of stack (and TLS) per hart */
#define PARSIM_CACHE_LINE 64         /* padding unit against false sharing */

/* This hart's id (mhartid), 0 on a single-core machine. */
static inline unsigned hart_id(void)
{
    unsigned id;
    __asm__ volatile("csrr %0, mhartid" : "=r"(id));
    return id;
}

/* The simulated cycle counter of this hart (64 bits, read race-free). */
static inline uint64_t cycles(void)
{
    uint32_t hi, lo, hi2;
    do {
        __asm__ volatile("rdcycleh %0" : "=r"(hi));
        __asm__ volatile("rdcycle %0" : "=r"(lo));
        __asm__ volatile("rdcycleh %0" : "=r"(hi2));
    } while (hi != hi2);
    return ((uint64_t)hi << 32) | lo;
}

/* Instructions retired by this hart (64 bits). */
static inline uint64_t instret(void)
{
    uint32_t hi, lo, hi2;
    do {
        __asm__ volatile("rdinstreth %0" : "=r"(hi));
        __asm__ volatile("rdinstret %0" : "=r"(lo));
        __asm__ volatile("rdinstreth %0" : "=r"(hi2));
    } while (hi != hi2);
    return ((uint64_t)hi << 32) | lo;
}

/* True on parsim (marchid says so), false on QEMU or real hardware: the
 * services below may only be called when this is true (the wrappers
 * check it for you). */
static inline int on_parsim(void)
{
    unsigned id;
    __asm__ volatile("csrr %0, marchid" : "=r"(id));
    return id == PARSIM_MARCHID;
}

/* ---- simulator services (numbers and meaning: parsim_ecall.h) ---------- */

/* Raw service call: returns a0 (error), stores a1 in *value and a2 in
 * *value2 when asked. */
static inline long parsim_ecall2(unsigned fn, uintptr_t arg0, uintptr_t arg1,
                                 uintptr_t arg2, uint32_t *value,
                                 uint32_t *value2)
{
    register uintptr_t a0 __asm__("a0") = arg0;
    register uintptr_t a1 __asm__("a1") = arg1;
    register uintptr_t a2 __asm__("a2") = arg2;
    register uintptr_t a6 __asm__("a6") = fn;
    register uintptr_t a7 __asm__("a7") = PARSIM_EID;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2)
                     : "r"(a6), "r"(a7)
                     : "memory");
    if (value)
        *value = (uint32_t)a1;
    if (value2)
        *value2 = (uint32_t)a2;
    return (long)a0;
}

/* Raw service call: returns a0 (error), stores a1 in *value when asked. */
static inline long parsim_ecall(unsigned fn, uintptr_t arg0, uintptr_t arg1,
                                uintptr_t arg2, uint32_t *value)
{
    return parsim_ecall2(fn, arg0, arg1, arg2, value, NULL);
}

/* Number of harts the runtime uses (the machine's, at most
 * PARSIM_MAX_HARTS).  On QEMU: the cpus of its device tree. */
unsigned num_harts(void);

/* Cores and hardware threads per core (harts = cores x threads; hart h is
 * thread h % threads of core h / threads).  Off parsim: num_harts() x 1. */
void parsim_topology(unsigned *cores, unsigned *threads_per_core);

/* Futex-like wait: if *addr still holds expected, this hart blocks (no
 * issue slots) until a parsim_wake on addr.  Returns 0 after a wake, 1 if
 * *addr differed at once.  May return early (as a futex may), so callers
 * loop on their condition.  Off parsim it pauses briefly and returns 0:
 * the caller's loop becomes a spin loop. */
int parsim_wait(const volatile void *addr, uint32_t expected);

/* Wakes at most n harts waiting on addr (PARSIM_WAKE_ALL: all), in the
 * order they started waiting; returns how many.  Off parsim: 0. */
#define PARSIM_WAKE_ALL 0xffffffffu
unsigned parsim_wake(const volatile void *addr, uint32_t n);

/* Tells the simulator about a lock: event PARSIM_LOCK_TRY / _ACQUIRED /
 * _RELEASED, kind PARSIM_KIND_*.  The runtime's primitives do this; your
 * own lock can too.  Off parsim: nothing. */
static inline void parsim_lock_note(const volatile void *lock, unsigned event,
                                    unsigned kind)
{
    if (on_parsim())
        (void)parsim_ecall(PARSIM_FN_LOCK_NOTE, (uintptr_t)lock, event, kind,
                           0);
}

/* The region of interest: the summary and --stats show the figures of
 * what runs between parsim_roi_begin() and parsim_roi_end() beside the
 * whole run's, so that start-up (initialising arrays, creating threads)
 * does not swamp them.  Call both from one hart, after a barrier when
 * several harts work in the region: the region is the machine's, from the
 * cycle of the begin to the cycle of the end.  Several regions add up.
 * Off parsim: nothing. */
static inline void parsim_roi_begin(void)
{
    if (on_parsim())
        (void)parsim_ecall(PARSIM_FN_ROI, PARSIM_ROI_BEGIN, 0, 0, 0);
}

static inline void parsim_roi_end(void)
{
    if (on_parsim())
        (void)parsim_ecall(PARSIM_FN_ROI, PARSIM_ROI_END, 0, 0, 0);
}

/* A short pause for spin loops (a few cycles, no memory traffic). */
static inline void parsim_relax(void)
{
    __asm__ volatile("nop\n\tnop\n\tnop\n\tnop");
}

/* ---- fork/join threads ------------------------------------------------- */

/* A thread runs on one hart from create to join (harts are the threads:
 * no time slicing).  The value is the hart it runs on. */
typedef unsigned parsim_thread_t;

/* Runs fn(arg) on an idle hart (the lowest-numbered one).  Returns 0, or
 * EAGAIN when every hart is busy (running main, a thread not yet joined,
 * or an SPMD rank). */
int parsim_thread_create(parsim_thread_t *t, void *(*fn)(void *), void *arg);

/* The same on a chosen hart (e.g. two threads on the two harts of one
 * core).  EAGAIN if it is busy, EINVAL if there is no such hart. */
int parsim_thread_create_on(parsim_thread_t *t, unsigned hart,
                            void *(*fn)(void *), void *arg);

/* Waits for the thread to finish, returns fn's result, frees its hart. */
void *parsim_thread_join(parsim_thread_t t);

/* Harts neither running main nor a thread nor an SPMD rank. */
unsigned parsim_idle_harts(void);

/* ---- SPMD -------------------------------------------------------------- */

typedef void (*parsim_spmd_fn)(unsigned rank, unsigned nranks, void *arg);

/* Runs fn(rank, nranks, arg) on every hart, the caller included (rank 0),
 * and returns when all have returned.  Called from main on an otherwise
 * idle machine, rank == hart_id().  Returns nranks, or -1 (nothing run)
 * when some hart is busy. */
int parsim_spmd(parsim_spmd_fn fn, void *arg);

/* The same on n harts: the caller and the n - 1 lowest idle ones. */
int parsim_spmd_n(unsigned n, parsim_spmd_fn fn, void *arg);

#endif
