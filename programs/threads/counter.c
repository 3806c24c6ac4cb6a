/* counter.c — the racy counter fixed with each lock of parsim_sync.h: all
 * harts increment one shared counter under the lock; the count is exact
 * and the cycles show what each lock costs under contention.
 * Usage: counter.elf [LOCK [increments per hart]], LOCK one of tas ttas
 * backoff ticket array mcs mutex rmutex semaphore, or all (default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim_sync.h"

/* The counter, each lock and each MCS queue node have a cache line (64
 * bytes) to themselves.  Packed together on one line, that line would
 * move between the harts for whichever lock runs, the MCS waiters would
 * not spin locally, and the window would name the lock's line after the
 * first variable on it (mutex+0), not the lock.  _Alignas on the struct's
 * only member pads the struct to a whole line, so nothing else lands in
 * the rest of it. */
#define OWN_LINE(type) struct { _Alignas(PARSIM_CACHE_LINE) type v; }

static unsigned per_hart = 1000;
static OWN_LINE(volatile unsigned) counter;

static OWN_LINE(tas_lock_t) tas;
static OWN_LINE(ttas_lock_t) ttas;
static OWN_LINE(backoff_lock_t) backoff;
static OWN_LINE(ticket_lock_t) ticket;
static OWN_LINE(array_lock_t) array = {ARRAY_LOCK_INIT};
static OWN_LINE(mcs_lock_t) mcs;
static OWN_LINE(mcs_node_t) mcs_node[PARSIM_MAX_HARTS];   /* one per hart */
static OWN_LINE(mutex_t) mutex;
static OWN_LINE(rmutex_t) rmutex;
static OWN_LINE(semaphore_t) sem = {SEMAPHORE_INIT(1)};

#define LOOP(lock_stmt, unlock_stmt)             \
    for (unsigned i = 0; i < per_hart; i++) {    \
        lock_stmt;                               \
        counter.v = counter.v + 1;               \
        unlock_stmt;                             \
    }

static void with_tas(unsigned r) { (void)r; LOOP(tas_lock(&tas.v), tas_unlock(&tas.v)) }
static void with_ttas(unsigned r) { (void)r; LOOP(ttas_lock(&ttas.v), ttas_unlock(&ttas.v)) }
static void with_backoff(unsigned r) { (void)r; LOOP(backoff_lock(&backoff.v), backoff_unlock(&backoff.v)) }
static void with_ticket(unsigned r) { (void)r; LOOP(ticket_lock(&ticket.v), ticket_unlock(&ticket.v)) }
static void with_array(unsigned r) { (void)r; LOOP(array_lock(&array.v), array_unlock(&array.v)) }
static void with_mcs(unsigned r) { LOOP(mcs_lock(&mcs.v, &mcs_node[r].v), mcs_unlock(&mcs.v, &mcs_node[r].v)) }
static void with_mutex(unsigned r) { (void)r; LOOP(mutex_lock(&mutex.v), mutex_unlock(&mutex.v)) }
static void with_rmutex(unsigned r) { (void)r; LOOP(rmutex_lock(&rmutex.v), rmutex_unlock(&rmutex.v)) }
static void with_sem(unsigned r) { (void)r; LOOP(semaphore_wait(&sem.v), semaphore_post(&sem.v)) }

static const struct {
    const char *name;
    void (*run)(unsigned rank);
} locks[] = {
    {"tas", with_tas},       {"ttas", with_ttas},     {"backoff", with_backoff},
    {"ticket", with_ticket}, {"array", with_array},   {"mcs", with_mcs},
    {"mutex", with_mutex},   {"rmutex", with_rmutex}, {"semaphore", with_sem},
};
#define NLOCKS (sizeof locks / sizeof locks[0])

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    locks[*(unsigned *)arg].run(rank);
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "all";
    if (argc > 2)
        per_hart = (unsigned)atoi(argv[2]);
    unsigned n = num_harts(), ran = 0;
    int wrong = 0;
    printf("counter: %u harts x %u locked increments\n", n, per_hart);
    for (unsigned k = 0; k < NLOCKS; k++) {
        if (strcmp(which, "all") != 0 && strcmp(which, locks[k].name) != 0)
            continue;
        counter.v = 0;
        uint64_t t0 = cycles();
        parsim_spmd(work, &k);
        uint64_t t = cycles() - t0;
        printf("%-10s count %u of %u %s, %llu cycles (%llu per increment)\n",
               locks[k].name, counter.v, n * per_hart,
               counter.v == n * per_hart ? "exact" : "WRONG",
               (unsigned long long)t, (unsigned long long)(t / (n * per_hart)));
        wrong += counter.v != n * per_hart;
        ran++;
    }
    if (!ran) {
        printf("unknown lock '%s'\n", which);
        return 2;
    }
    return wrong;
}
