/* sync.c — parsim's synchronisation library (parsim_sync.h): spin locks,
 * blocking locks, semaphores, condition variables, events, barriers, a
 * bounded queue and a thread pool, on C11 atomics and parsim's wait/wake
 * service, each annotated with parsim_lock_note.
 *
 * Orderings: acquiring is an acquire operation (amoswap.w.aq, lr.w.aq or
 * a load followed by fence r,rw), releasing a release store (fence rw,w;
 * sw); the wait/wake handshakes that must not miss each other (semaphore
 * waiters vs posters) are seq_cst on both sides.
 */
#include <string.h>

#include "parsim_sync.h"

#define NOTE(lock, event, kind) \
    parsim_lock_note((lock), PARSIM_LOCK_##event, PARSIM_KIND_##kind)

/* Polls a blocking primitive makes before it waits on the address. */
#define SPIN_BEFORE_WAIT 64

#define BACKOFF_MIN 4
#define BACKOFF_MAX 1024

/* ---- spin locks ---------------------------------------------------------- */

int tas_trylock(tas_lock_t *l)
{
    if (atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
        return 0;
    NOTE(l, ACQUIRED, TAS);
    return 1;
}

void tas_lock(tas_lock_t *l)
{
    NOTE(l, TRY, TAS);
    while (atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
        ;
    NOTE(l, ACQUIRED, TAS);
}

void tas_unlock(tas_lock_t *l)
{
    NOTE(l, RELEASED, TAS);
    atomic_store_explicit(&l->held, 0, memory_order_release);
}

void ttas_lock(ttas_lock_t *l)
{
    NOTE(l, TRY, TTAS);
    for (;;) {
        while (atomic_load_explicit(&l->held, memory_order_relaxed))
            ;
        if (!atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
            break;
    }
    NOTE(l, ACQUIRED, TTAS);
}

void ttas_unlock(ttas_lock_t *l)
{
    NOTE(l, RELEASED, TTAS);
    atomic_store_explicit(&l->held, 0, memory_order_release);
}

void backoff_lock(backoff_lock_t *l)
{
    /* A per-hart pseudo-random sequence, so that harts that failed
     * together do not retry together. */
    uint32_t seed = hart_id() * 2654435761u + (uint32_t)(uintptr_t)l;
    unsigned limit = BACKOFF_MIN;
    NOTE(l, TRY, TTAS_BACKOFF);
    for (;;) {
        while (atomic_load_explicit(&l->held, memory_order_relaxed))
            ;
        if (!atomic_exchange_explicit(&l->held, 1, memory_order_acquire))
            break;
        seed = seed * 1664525u + 1013904223u;
        for (unsigned i = (seed >> 16) % limit; i > 0; i--)
            parsim_relax();
        if (limit < BACKOFF_MAX)
            limit *= 2;
    }
    NOTE(l, ACQUIRED, TTAS_BACKOFF);
}

void backoff_unlock(backoff_lock_t *l)
{
    NOTE(l, RELEASED, TTAS_BACKOFF);
    atomic_store_explicit(&l->held, 0, memory_order_release);
}

void ticket_lock(ticket_lock_t *l)
{
    NOTE(l, TRY, TICKET);
    unsigned my = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
    while (atomic_load_explicit(&l->serving, memory_order_acquire) != my)
        ;
    NOTE(l, ACQUIRED, TICKET);
}

void ticket_unlock(ticket_lock_t *l)
{
    NOTE(l, RELEASED, TICKET);
    unsigned s = atomic_load_explicit(&l->serving, memory_order_relaxed);
    atomic_store_explicit(&l->serving, s + 1, memory_order_release);
}

void array_lock_init(array_lock_t *l)
{
    memset(l, 0, sizeof *l);
    atomic_store_explicit(&l->slot[0].go, 1, memory_order_release);
}

/* PARSIM_MAX_HARTS divides 2^32, so tail may wrap around. */
void array_lock(array_lock_t *l)
{
    NOTE(l, TRY, ARRAY);
    unsigned my = atomic_fetch_add_explicit(&l->tail, 1, memory_order_relaxed) %
                  PARSIM_MAX_HARTS;
    while (!atomic_load_explicit(&l->slot[my].go, memory_order_acquire))
        ;
    atomic_store_explicit(&l->slot[my].go, 0, memory_order_relaxed);
    l->mine[hart_id()] = my;
    NOTE(l, ACQUIRED, ARRAY);
}

void array_unlock(array_lock_t *l)
{
    unsigned next = (l->mine[hart_id()] + 1) % PARSIM_MAX_HARTS;
    NOTE(l, RELEASED, ARRAY);
    atomic_store_explicit(&l->slot[next].go, 1, memory_order_release);
}

void mcs_lock(mcs_lock_t *l, mcs_node_t *me)
{
    NOTE(l, TRY, MCS);
    atomic_store_explicit(&me->next, NULL, memory_order_relaxed);
    atomic_store_explicit(&me->locked, 1, memory_order_relaxed);
    mcs_node_t *pred =
        atomic_exchange_explicit(&l->tail, me, memory_order_acq_rel);
    if (pred) {
        atomic_store_explicit(&pred->next, me, memory_order_release);
        while (atomic_load_explicit(&me->locked, memory_order_acquire))
            ;
    }
    NOTE(l, ACQUIRED, MCS);
}

void mcs_unlock(mcs_lock_t *l, mcs_node_t *me)
{
    NOTE(l, RELEASED, MCS);
    mcs_node_t *next = atomic_load_explicit(&me->next, memory_order_acquire);
    if (!next) {
        mcs_node_t *expect = me;
        if (atomic_compare_exchange_strong_explicit(&l->tail, &expect, NULL,
                                                    memory_order_release,
                                                    memory_order_relaxed))
            return;
        /* A successor swapped itself in but has not linked yet. */
        while (!(next = atomic_load_explicit(&me->next, memory_order_acquire)))
            ;
    }
    atomic_store_explicit(&next->locked, 0, memory_order_release);
}

/* ---- mutex and recursive mutex ------------------------------------------- */

static int mutex_try(mutex_t *m)
{
    unsigned free_ = 0;
    return atomic_compare_exchange_strong_explicit(
        &m->state, &free_, 1, memory_order_acquire, memory_order_relaxed);
}

/* Unannotated: the recursive mutex uses it under its own name. */
static void mutex_take(mutex_t *m)
{
    for (int i = 0; i < SPIN_BEFORE_WAIT; i++) {
        unsigned s = atomic_load_explicit(&m->state, memory_order_relaxed);
        if (s == 0 && mutex_try(m))
            return;
        if (s == 2)
            break;              /* others already wait: join them */
        parsim_relax();
    }
    /* From here the state says "held, maybe waiters" (2), so whoever
     * releases it wakes someone. */
    while (atomic_exchange_explicit(&m->state, 2, memory_order_acquire) != 0)
        parsim_wait(&m->state, 2);
}

static void mutex_give(mutex_t *m)
{
    if (atomic_exchange_explicit(&m->state, 0, memory_order_release) == 2)
        parsim_wake(&m->state, 1);
}

void mutex_lock(mutex_t *m)
{
    NOTE(m, TRY, MUTEX);
    mutex_take(m);
    NOTE(m, ACQUIRED, MUTEX);
}

int mutex_trylock(mutex_t *m)
{
    if (!mutex_try(m))
        return 0;
    NOTE(m, ACQUIRED, MUTEX);
    return 1;
}

void mutex_unlock(mutex_t *m)
{
    NOTE(m, RELEASED, MUTEX);
    mutex_give(m);
}

void rmutex_lock(rmutex_t *r)
{
    unsigned me = hart_id() + 1;
    if (atomic_load_explicit(&r->owner, memory_order_relaxed) == me) {
        r->depth++;
        return;
    }
    NOTE(r, TRY, RECURSIVE);
    mutex_take(&r->m);
    atomic_store_explicit(&r->owner, me, memory_order_relaxed);
    r->depth = 1;
    NOTE(r, ACQUIRED, RECURSIVE);
}

void rmutex_unlock(rmutex_t *r)
{
    if (--r->depth > 0)
        return;
    atomic_store_explicit(&r->owner, 0, memory_order_relaxed);
    NOTE(r, RELEASED, RECURSIVE);
    mutex_give(&r->m);
}

/* ---- semaphore, condition variable, event -------------------------------- */

void semaphore_init(semaphore_t *s, unsigned n)
{
    atomic_store_explicit(&s->count, n, memory_order_relaxed);
    atomic_store_explicit(&s->waiters, 0, memory_order_release);
}

int semaphore_trywait(semaphore_t *s)
{
    unsigned c = atomic_load_explicit(&s->count, memory_order_relaxed);
    while (c > 0)
        if (atomic_compare_exchange_weak_explicit(&s->count, &c, c - 1,
                                                  memory_order_acquire,
                                                  memory_order_relaxed)) {
            NOTE(s, ACQUIRED, SEMAPHORE);
            return 1;
        }
    return 0;
}

void semaphore_wait(semaphore_t *s)
{
    NOTE(s, TRY, SEMAPHORE);
    for (int i = 0;; i++) {
        if (semaphore_trywait(s))
            return;
        if (i < SPIN_BEFORE_WAIT) {
            parsim_relax();
            continue;
        }
        /* Announce the wait before the last look, so that a post either
         * sees a waiter (and wakes) or this hart sees its unit. */
        atomic_fetch_add_explicit(&s->waiters, 1, memory_order_seq_cst);
        if (atomic_load_explicit(&s->count, memory_order_seq_cst) == 0)
            parsim_wait(&s->count, 0);
        atomic_fetch_sub_explicit(&s->waiters, 1, memory_order_relaxed);
    }
}

void semaphore_post(semaphore_t *s)
{
    NOTE(s, RELEASED, SEMAPHORE);
    atomic_fetch_add_explicit(&s->count, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&s->waiters, memory_order_seq_cst))
        parsim_wake(&s->count, 1);
}

void cond_wait(condvar_t *c, mutex_t *m)
{
    NOTE(c, TRY, CONDVAR);
    unsigned seq = atomic_load_explicit(&c->seq, memory_order_relaxed);
    mutex_unlock(m);
    while (atomic_load_explicit(&c->seq, memory_order_acquire) == seq)
        parsim_wait(&c->seq, seq);
    NOTE(c, ACQUIRED, CONDVAR);
    NOTE(c, RELEASED, CONDVAR);
    mutex_lock(m);
}

void cond_signal(condvar_t *c)
{
    atomic_fetch_add_explicit(&c->seq, 1, memory_order_release);
    parsim_wake(&c->seq, 1);
}

void cond_broadcast(condvar_t *c)
{
    atomic_fetch_add_explicit(&c->seq, 1, memory_order_release);
    parsim_wake(&c->seq, PARSIM_WAKE_ALL);
}

void event_set(event_t *e)
{
    atomic_store_explicit(&e->set, 1, memory_order_release);
    parsim_wake(&e->set, PARSIM_WAKE_ALL);
}

void event_reset(event_t *e)
{
    atomic_store_explicit(&e->set, 0, memory_order_relaxed);
}

int event_is_set(event_t *e)
{
    return atomic_load_explicit(&e->set, memory_order_acquire) != 0;
}

void event_wait(event_t *e)
{
    NOTE(e, TRY, EVENT);
    for (int i = 0; !event_is_set(e); i++) {
        if (i < SPIN_BEFORE_WAIT)
            parsim_relax();
        else
            parsim_wait(&e->set, 0);
    }
    NOTE(e, ACQUIRED, EVENT);
    NOTE(e, RELEASED, EVENT);
}

/* ---- barriers ------------------------------------------------------------ */

void barrier_init(barrier_t *b, unsigned n)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    atomic_thread_fence(memory_order_release);
}

int barrier_wait(barrier_t *b)
{
    unsigned me = hart_id();
    unsigned sense = !b->local[me];
    int last = 0;
    b->local[me] = (unsigned char)sense;
    NOTE(b, TRY, BARRIER);
    if (atomic_fetch_add_explicit(&b->count, 1, memory_order_acq_rel) ==
        b->n - 1) {
        atomic_store_explicit(&b->count, 0, memory_order_relaxed);
        atomic_store_explicit(&b->sense, sense, memory_order_release);
        parsim_wake(&b->sense, PARSIM_WAKE_ALL);
        last = 1;
    } else {
        for (int i = 0;
             atomic_load_explicit(&b->sense, memory_order_acquire) != sense;
             i++) {
            if (i < SPIN_BEFORE_WAIT)
                parsim_relax();
            else
                parsim_wait(&b->sense, !sense);
        }
    }
    NOTE(b, ACQUIRED, BARRIER);
    NOTE(b, RELEASED, BARRIER);
    return last;
}

void dbarrier_init(dbarrier_t *b, unsigned n)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    while ((1u << b->rounds) < n)
        b->rounds++;
    for (unsigned i = 0; i < PARSIM_MAX_HARTS; i++)
        b->p[i].sense = 1;
    atomic_thread_fence(memory_order_release);
}

void dbarrier_wait(dbarrier_t *b, unsigned rank)
{
    NOTE(b, TRY, BARRIER);
    unsigned parity = b->p[rank].parity, sense = b->p[rank].sense;
    for (unsigned k = 0, dist = 1; k < b->rounds; k++, dist <<= 1) {
        unsigned partner = (rank + dist) % b->n;
        atomic_store_explicit(&b->p[partner].flag[parity][k], sense,
                              memory_order_release);
        while (atomic_load_explicit(&b->p[rank].flag[parity][k],
                                    memory_order_acquire) != sense)
            ;
    }
    if (parity == 1)
        b->p[rank].sense = !sense;
    b->p[rank].parity = 1 - parity;
    NOTE(b, ACQUIRED, BARRIER);
    NOTE(b, RELEASED, BARRIER);
}

/* ---- bounded queue ------------------------------------------------------- */

void bqueue_init(bqueue_t *q, void **buf, unsigned cap)
{
    memset(q, 0, sizeof *q);
    q->buf = buf;
    q->cap = cap;
}

void bqueue_put(bqueue_t *q, void *item)
{
    mutex_lock(&q->m);
    while (q->count == q->cap)
        cond_wait(&q->not_full, &q->m);
    q->buf[(q->head + q->count) % q->cap] = item;
    q->count++;
    cond_signal(&q->not_empty);
    mutex_unlock(&q->m);
}

void *bqueue_get(bqueue_t *q)
{
    mutex_lock(&q->m);
    while (q->count == 0)
        cond_wait(&q->not_empty, &q->m);
    void *item = q->buf[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    cond_signal(&q->not_full);
    mutex_unlock(&q->m);
    return item;
}

/* ---- thread pool --------------------------------------------------------- */

static void pool_enqueue(pool_t *p, void (*fn)(void *), void *arg)
{
    mutex_lock(&p->m);
    while (p->count == POOL_QUEUE)
        cond_wait(&p->not_full, &p->m);
    p->ring[(p->head + p->count) % POOL_QUEUE] = (pool_task_t){fn, arg};
    p->count++;
    if (fn)
        p->pending++;
    cond_signal(&p->not_empty);
    mutex_unlock(&p->m);
}

static void *pool_worker(void *arg)
{
    pool_t *p = arg;
    for (;;) {
        mutex_lock(&p->m);
        while (p->count == 0)
            cond_wait(&p->not_empty, &p->m);
        pool_task_t t = p->ring[p->head];
        p->head = (p->head + 1) % POOL_QUEUE;
        p->count--;
        cond_signal(&p->not_full);
        mutex_unlock(&p->m);
        if (!t.fn)
            return NULL;
        t.fn(t.arg);
        mutex_lock(&p->m);
        if (--p->pending == 0)
            cond_broadcast(&p->all_done);
        mutex_unlock(&p->m);
    }
}

unsigned pool_init(pool_t *p, unsigned nworkers)
{
    memset(p, 0, sizeof *p);
    if (nworkers > PARSIM_MAX_HARTS)
        nworkers = PARSIM_MAX_HARTS;
    while (p->nworkers < nworkers &&
           parsim_thread_create(&p->worker[p->nworkers], pool_worker, p) == 0)
        p->nworkers++;
    return p->nworkers;
}

void pool_submit(pool_t *p, void (*fn)(void *), void *arg)
{
    if (p->nworkers == 0) {     /* no idle hart: run it here */
        fn(arg);
        return;
    }
    pool_enqueue(p, fn, arg);
}

void pool_wait(pool_t *p)
{
    mutex_lock(&p->m);
    while (p->pending)
        cond_wait(&p->all_done, &p->m);
    mutex_unlock(&p->m);
}

void pool_destroy(pool_t *p)
{
    for (unsigned i = 0; i < p->nworkers; i++)
        pool_enqueue(p, NULL, NULL);
    for (unsigned i = 0; i < p->nworkers; i++)
        (void)parsim_thread_join(p->worker[i]);
    p->nworkers = 0;
}
