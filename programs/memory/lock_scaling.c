/* lock_scaling.c — each spin lock of parsim_sync.h under contention, laid
 * out as Mellor-Crummey and Scott (1991) measured them: every hart takes
 * the lock ITERS times around a one-line critical section (a shared
 * counter), and the lock word, the counter and every MCS queue node sit on
 * lines of their own, so the only coherence traffic is the lock's own.
 * (programs/threads/counter.c lays its counter, locks and MCS nodes out
 * the same way, a line each; it runs every lock of parsim_sync.h, the
 * blocking ones too, and prints the cycles per increment rather than
 * counting messages.)
 *
 *   parsim run --cores 16 --stats ls.json lock_scaling.elf LOCK [ITERS]
 *
 * LOCK: tas ttas backoff ticket array mcs; ITERS per hart (default 200).
 * Messages per acquisition: the "messages" of the JSON over the "locks"
 * acquisitions; docs/memory.md takes the difference of two ITERS so that
 * start-up traffic cancels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim_sync.h"

/* A variable alone on its line(s): aligned, and padded so that nothing
 * else is placed in the rest of the line. */
#define OWN_LINE(type, name)                                   \
    static union {                                             \
        type v;                                                \
        char pad[(sizeof(type) + PARSIM_CACHE_LINE - 1) /      \
                 PARSIM_CACHE_LINE * PARSIM_CACHE_LINE];       \
    } name __attribute__((aligned(PARSIM_CACHE_LINE)))

static unsigned iters = 200;
OWN_LINE(volatile unsigned, counter_);
OWN_LINE(tas_lock_t, tas_);
OWN_LINE(ttas_lock_t, ttas_);
OWN_LINE(backoff_lock_t, backoff_);
OWN_LINE(ticket_lock_t, ticket_);
OWN_LINE(array_lock_t, array_) = {.v = ARRAY_LOCK_INIT};
OWN_LINE(mcs_lock_t, mcs_);
OWN_LINE(mcs_node_t, mcs_node[PARSIM_MAX_HARTS]);
#define counter counter_.v
#define tas tas_.v
#define ttas ttas_.v
#define backoff backoff_.v
#define ticket ticket_.v
#define array array_.v
#define mcs mcs_.v

#define LOOP(lock_stmt, unlock_stmt)          \
    for (unsigned i = 0; i < iters; i++) {    \
        lock_stmt;                            \
        counter = counter + 1;                \
        unlock_stmt;                          \
    }

static void with_tas(unsigned r) { (void)r; LOOP(tas_lock(&tas), tas_unlock(&tas)) }
static void with_ttas(unsigned r) { (void)r; LOOP(ttas_lock(&ttas), ttas_unlock(&ttas)) }
static void with_backoff(unsigned r) { (void)r; LOOP(backoff_lock(&backoff), backoff_unlock(&backoff)) }
static void with_ticket(unsigned r) { (void)r; LOOP(ticket_lock(&ticket), ticket_unlock(&ticket)) }
static void with_array(unsigned r) { (void)r; LOOP(array_lock(&array), array_unlock(&array)) }
static void with_mcs(unsigned r)
{
    LOOP(mcs_lock(&mcs, &mcs_node[r].v), mcs_unlock(&mcs, &mcs_node[r].v))
}

static const struct {
    const char *name;
    void (*run)(unsigned rank);
} locks[] = {
    {"tas", with_tas},       {"ttas", with_ttas},   {"backoff", with_backoff},
    {"ticket", with_ticket}, {"array", with_array}, {"mcs", with_mcs},
};

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    ((void (*)(unsigned))arg)(rank);
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "";
    if (argc > 2)
        iters = (unsigned)atoi(argv[2]);
    for (unsigned k = 0; k < sizeof locks / sizeof locks[0]; k++) {
        if (strcmp(which, locks[k].name) != 0)
            continue;
        unsigned n = num_harts();
        uint64_t t0 = cycles();
        parsim_spmd(work, (void *)locks[k].run);
        uint64_t t = cycles() - t0;
        printf("lock_scaling %s: %u harts x %u, count %u %s, %llu cycles\n",
               which, n, iters, counter,
               counter == n * iters ? "exact" : "WRONG",
               (unsigned long long)t);
        return counter != n * iters;
    }
    printf("usage: lock_scaling.elf tas|ttas|backoff|ticket|array|mcs [ITERS]\n");
    return 2;
}
