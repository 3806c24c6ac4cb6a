/* parsim_sync.h — the synchronisation library of parsim's runtime: the
 * locks, barriers and queues of a parallel programming course, written in
 * C on RISC-V atomics (C11 <stdatomic.h>) and parsim's wait/wake service.
 *
 * Every primitive tells the simulator what it does (parsim_lock_note:
 * TRY when a hart starts to wait, ACQUIRED when it gets through, RELEASED
 * when it lets go), so statistics, traces and the deadlock report can name
 * who holds and who waits.  Spin locks spin on plain loads and atomics
 * (that is what they teach); blocking primitives spin a little, then wait
 * on the address (blocked, no issue slots).  Off parsim (QEMU) waiting
 * becomes spinning and everything still works.
 *
 * All objects are plain structs: zero-initialised is unlocked / empty
 * except where an *_INIT macro or *_init function says otherwise.  The
 * implementation is sync.c; docs/programming.md discusses the costs.
 *
 * May depend on: programs/runtime/parsim.h, the C library.
 */
#ifndef PARSIM_SYNC_H
#define PARSIM_SYNC_H

#include <stdatomic.h>
#include <stdint.h>

#include "parsim.h"

#define PARSIM_PAD(n) char pad_##n[PARSIM_CACHE_LINE - sizeof(atomic_uint)]

/* ---- spin locks -------------------------------------------------------- */

/* Test-and-set: amoswap until it returns 0.  Every attempt is a write, so
 * the lock's cache line bounces between all spinners. */
typedef struct { atomic_uint held; } tas_lock_t;
void tas_lock(tas_lock_t *l);
int tas_trylock(tas_lock_t *l);          /* 1 if acquired */
void tas_unlock(tas_lock_t *l);

/* Test-and-test-and-set: spin on a plain load (a shared copy in each
 * cache), amoswap only when it looks free. */
typedef struct { atomic_uint held; } ttas_lock_t;
void ttas_lock(ttas_lock_t *l);
void ttas_unlock(ttas_lock_t *l);

/* TTAS with exponential backoff: after a failed amoswap wait a random time
 * that doubles, up to a cap, so fewer harts storm the line at release. */
typedef struct { atomic_uint held; } backoff_lock_t;
void backoff_lock(backoff_lock_t *l);
void backoff_unlock(backoff_lock_t *l);

/* Ticket lock: take a number (amoadd), wait until it is served.  FIFO
 * fair; all waiters still spin on one word. */
typedef struct {
    atomic_uint next;
    atomic_uint serving;
} ticket_lock_t;
void ticket_lock(ticket_lock_t *l);
void ticket_unlock(ticket_lock_t *l);

/* Anderson's array-based queue lock: each waiter spins on its own slot
 * (its own cache line); the holder passes the lock to the next slot.
 * Needs array_lock_init (or ARRAY_LOCK_INIT): slot 0 starts open. */
typedef struct {
    struct {
        atomic_uint go;
        PARSIM_PAD(go);
    } slot[PARSIM_MAX_HARTS];
    atomic_uint tail;
    unsigned mine[PARSIM_MAX_HARTS];     /* slot held, per hart */
} array_lock_t;
#define ARRAY_LOCK_INIT {.slot = {[0] = {.go = 1}}}
void array_lock_init(array_lock_t *l);
void array_lock(array_lock_t *l);
void array_unlock(array_lock_t *l);

/* MCS queue lock: a linked queue of waiters, each spinning on a flag in
 * its own node; the caller provides the node (on its stack is fine) and
 * passes the same one to unlock. */
typedef struct mcs_node {
    struct mcs_node *_Atomic next;
    atomic_uint locked;
} mcs_node_t;
typedef struct { mcs_node_t *_Atomic tail; } mcs_lock_t;
void mcs_lock(mcs_lock_t *l, mcs_node_t *me);
void mcs_unlock(mcs_lock_t *l, mcs_node_t *me);

/* ---- blocking locks ---------------------------------------------------- */

/* Mutex (Drepper's futex mutex): 0 free, 1 held, 2 held with waiters.
 * Spins a little, then waits on the word; unlock wakes one waiter only if
 * there may be one. */
typedef struct { atomic_uint state; } mutex_t;
#define MUTEX_INIT {0}
void mutex_lock(mutex_t *m);
int mutex_trylock(mutex_t *m);           /* 1 if acquired */
void mutex_unlock(mutex_t *m);

/* Recursive mutex: the holding hart may lock it again; unlocked when
 * unlocked as many times. */
typedef struct {
    mutex_t m;
    atomic_uint owner;                   /* hart + 1, 0 when free */
    unsigned depth;
} rmutex_t;
void rmutex_lock(rmutex_t *r);
void rmutex_unlock(rmutex_t *r);

/* Counting semaphore. */
typedef struct {
    atomic_uint count;
    atomic_uint waiters;
} semaphore_t;
#define SEMAPHORE_INIT(n) {(n), 0}
void semaphore_init(semaphore_t *s, unsigned n);
void semaphore_wait(semaphore_t *s);     /* P: take one, wait if none */
int semaphore_trywait(semaphore_t *s);   /* 1 if taken */
void semaphore_post(semaphore_t *s);     /* V: give one back */

/* Condition variable (used with a mutex_t; spurious wake-ups possible:
 * always wait in a loop on your condition). */
typedef struct { atomic_uint seq; } condvar_t;
void cond_wait(condvar_t *c, mutex_t *m);
void cond_signal(condvar_t *c);          /* wakes one waiter */
void cond_broadcast(condvar_t *c);       /* wakes all */

/* Event (manual reset): waiters pass once it is set, until it is reset. */
typedef struct { atomic_uint set; } event_t;
void event_set(event_t *e);
void event_reset(event_t *e);
void event_wait(event_t *e);
int event_is_set(event_t *e);

/* ---- barriers ---------------------------------------------------------- */

/* Centralised sense-reversing barrier for n harts: one counter, one sense
 * word that flips each episode.  Waiters spin a little on the sense, then
 * wait on it.  barrier_wait returns 1 on exactly one hart per episode (the
 * last to arrive), 0 on the others. */
typedef struct {
    atomic_uint count;
    atomic_uint sense;
    unsigned n;
    unsigned char local[PARSIM_MAX_HARTS];  /* each hart's own sense */
} barrier_t;
void barrier_init(barrier_t *b, unsigned n);
int barrier_wait(barrier_t *b);

/* Dissemination barrier (Hensgen, Finkel and Manber; as in Mellor-Crummey
 * and Scott): ceil(log2 n) rounds; in round k participant i signals
 * participant (i + 2^k) mod n and spins on its own flag.  No hot spot, no
 * counter; participants are ranks 0..n-1 (e.g. SPMD ranks). */
#define DBARRIER_ROUNDS 6                /* log2(PARSIM_MAX_HARTS) */
typedef struct {
    unsigned n, rounds;
    struct {
        atomic_uint flag[2][DBARRIER_ROUNDS];
        unsigned parity, sense;
    } __attribute__((aligned(PARSIM_CACHE_LINE))) p[PARSIM_MAX_HARTS];
} dbarrier_t;
void dbarrier_init(dbarrier_t *b, unsigned n);
void dbarrier_wait(dbarrier_t *b, unsigned rank);

/* ---- bounded queue and thread pool -------------------------------------- */

/* Bounded producer/consumer queue of pointers (mutex + two condition
 * variables); put waits while full, get while empty.  buf holds cap
 * entries and belongs to the caller. */
typedef struct {
    mutex_t m;
    condvar_t not_full, not_empty;
    void **buf;
    unsigned cap, head, count;
} bqueue_t;
void bqueue_init(bqueue_t *q, void **buf, unsigned cap);
void bqueue_put(bqueue_t *q, void *item);
void *bqueue_get(bqueue_t *q);

/* Thread pool: workers on idle harts take tasks from a bounded ring
 * (submit waits while it is full). */
#define POOL_QUEUE 64
typedef struct pool_task {
    void (*fn)(void *);                  /* NULL: the worker stops */
    void *arg;
} pool_task_t;
typedef struct {
    mutex_t m;
    condvar_t not_full, not_empty, all_done;
    pool_task_t ring[POOL_QUEUE];
    unsigned head, count;
    unsigned pending;                    /* submitted, not yet finished */
    unsigned nworkers;
    parsim_thread_t worker[PARSIM_MAX_HARTS];
} pool_t;
/* Starts up to nworkers workers (fewer if fewer harts are idle); returns
 * how many started. */
unsigned pool_init(pool_t *p, unsigned nworkers);
void pool_submit(pool_t *p, void (*fn)(void *), void *arg);
void pool_wait(pool_t *p);               /* until every task has finished */
void pool_destroy(pool_t *p);            /* stops and joins the workers */

#endif
