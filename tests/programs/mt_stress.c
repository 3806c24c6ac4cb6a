/* mt_stress.c — mutual-exclusion stress test of every lock in
 * parsim_sync.h, and of both barriers: all harts (SPMD) hammer one lock
 * at a time; inside the critical section a `holder` word must be free and
 * two counters must be equal.  Prints OK or FAIL per primitive and exits
 * with the number of failures.  Usage: mt_stress.elf [iterations] */
#include <stdio.h>
#include <stdlib.h>

#include "parsim_sync.h"

#define NOBODY 0xffffffffu

static unsigned iters = 300;
static volatile unsigned holder = NOBODY;
static volatile unsigned count_a, count_b;
static atomic_uint violations;

static tas_lock_t tas;
static ttas_lock_t ttas;
static backoff_lock_t backoff;
static ticket_lock_t ticket;
static array_lock_t array = ARRAY_LOCK_INIT;
static mcs_lock_t mcs;
static mcs_node_t mcs_node[PARSIM_MAX_HARTS];
static mutex_t mutex;
static rmutex_t rmutex;
static semaphore_t binsem = SEMAPHORE_INIT(1);

static void tas_on(void) { tas_lock(&tas); }
static void tas_off(void) { tas_unlock(&tas); }
static void ttas_on(void) { ttas_lock(&ttas); }
static void ttas_off(void) { ttas_unlock(&ttas); }
static void backoff_on(void) { backoff_lock(&backoff); }
static void backoff_off(void) { backoff_unlock(&backoff); }
static void ticket_on(void) { ticket_lock(&ticket); }
static void ticket_off(void) { ticket_unlock(&ticket); }
static void array_on(void) { array_lock(&array); }
static void array_off(void) { array_unlock(&array); }
static void mcs_on(void) { mcs_lock(&mcs, &mcs_node[hart_id()]); }
static void mcs_off(void) { mcs_unlock(&mcs, &mcs_node[hart_id()]); }
static void mutex_on(void) { mutex_lock(&mutex); }
static void mutex_off(void) { mutex_unlock(&mutex); }
/* Taken twice, released twice: exclusion must hold across the nesting. */
static void rmutex_on(void) { rmutex_lock(&rmutex); rmutex_lock(&rmutex); }
static void rmutex_off(void) { rmutex_unlock(&rmutex); rmutex_unlock(&rmutex); }
static void sem_on(void) { semaphore_wait(&binsem); }
static void sem_off(void) { semaphore_post(&binsem); }

static const struct {
    const char *name;
    void (*on)(void), (*off)(void);
} locks[] = {
    {"tas", tas_on, tas_off},          {"ttas", ttas_on, ttas_off},
    {"backoff", backoff_on, backoff_off}, {"ticket", ticket_on, ticket_off},
    {"array", array_on, array_off},    {"mcs", mcs_on, mcs_off},
    {"mutex", mutex_on, mutex_off},    {"rmutex", rmutex_on, rmutex_off},
    {"semaphore", sem_on, sem_off},
};
#define NLOCKS (sizeof locks / sizeof locks[0])

static void hammer(unsigned rank, unsigned nranks, void *arg)
{
    unsigned which = *(unsigned *)arg;
    (void)nranks;
    for (unsigned i = 0; i < iters; i++) {
        locks[which].on();
        if (holder != NOBODY || count_a != count_b)
            atomic_fetch_add(&violations, 1);
        holder = rank;
        count_a = count_a + 1;
        for (volatile int d = 0; d < (int)(rank & 3); d++)
            ;
        count_b = count_b + 1;
        if (holder != rank)
            atomic_fetch_add(&violations, 1);
        holder = NOBODY;
        locks[which].off();
    }
}

static barrier_t bar;
static dbarrier_t dbar;
static volatile unsigned phase_of[PARSIM_MAX_HARTS];

/* Every rank records its phase, meets the others, checks that all are in
 * the same phase, meets them again before the next phase. */
static void phases(unsigned rank, unsigned nranks, void *arg)
{
    int dissemination = *(int *)arg;
    for (unsigned ph = 1; ph <= iters / 4 + 1; ph++) {
        phase_of[rank] = ph;
        if (dissemination)
            dbarrier_wait(&dbar, rank);
        else
            barrier_wait(&bar);
        for (unsigned r = 0; r < nranks; r++)
            if (phase_of[r] != ph)
                atomic_fetch_add(&violations, 1);
        if (dissemination)
            dbarrier_wait(&dbar, rank);
        else
            barrier_wait(&bar);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        iters = (unsigned)atoi(argv[1]);
    unsigned n = num_harts();
    int failures = 0;
    printf("mt_stress: %u harts x %u iterations per lock\n", n, iters);
    for (unsigned k = 0; k < NLOCKS; k++) {
        count_a = count_b = 0;
        atomic_store(&violations, 0);
        if (parsim_spmd(hammer, &k) < 0) {
            printf("%-10s FAIL: could not start SPMD\n", locks[k].name);
            return 100;
        }
        unsigned v = atomic_load(&violations);
        int ok = v == 0 && count_a == n * iters && count_b == n * iters;
        printf("%-10s %s (count %u of %u, %u violations)\n", locks[k].name,
               ok ? "OK" : "FAIL", count_a, n * iters, v);
        failures += !ok;
    }
    for (int d = 0; d < 2; d++) {
        atomic_store(&violations, 0);
        barrier_init(&bar, n);
        dbarrier_init(&dbar, n);
        parsim_spmd(phases, &d);
        unsigned v = atomic_load(&violations);
        printf("%-10s %s (%u phases, %u violations)\n",
               d ? "dbarrier" : "barrier", v ? "FAIL" : "OK", iters / 4 + 1, v);
        failures += v != 0;
    }
    return failures;
}
