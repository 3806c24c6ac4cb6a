/* counter.c — the racy counter fixed with each lock of parsim_sync.h: all
 * harts increment one shared counter under the lock; the count is exact
 * and the cycles show what each lock costs under contention.
 * Usage: counter.elf [LOCK [increments per hart]], LOCK one of tas ttas
 * backoff ticket array mcs mutex rmutex semaphore, or all (default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim_sync.h"

static unsigned per_hart = 1000;
static volatile unsigned counter;

static tas_lock_t tas;
static ttas_lock_t ttas;
static backoff_lock_t backoff;
static ticket_lock_t ticket;
static array_lock_t array = ARRAY_LOCK_INIT;
static mcs_lock_t mcs;
static mcs_node_t mcs_node[PARSIM_MAX_HARTS];   /* one queue node per hart */
static mutex_t mutex;
static rmutex_t rmutex;
static semaphore_t sem = SEMAPHORE_INIT(1);

#define LOOP(lock_stmt, unlock_stmt)             \
    for (unsigned i = 0; i < per_hart; i++) {    \
        lock_stmt;                               \
        counter = counter + 1;                   \
        unlock_stmt;                             \
    }

static void with_tas(unsigned r) { (void)r; LOOP(tas_lock(&tas), tas_unlock(&tas)) }
static void with_ttas(unsigned r) { (void)r; LOOP(ttas_lock(&ttas), ttas_unlock(&ttas)) }
static void with_backoff(unsigned r) { (void)r; LOOP(backoff_lock(&backoff), backoff_unlock(&backoff)) }
static void with_ticket(unsigned r) { (void)r; LOOP(ticket_lock(&ticket), ticket_unlock(&ticket)) }
static void with_array(unsigned r) { (void)r; LOOP(array_lock(&array), array_unlock(&array)) }
static void with_mcs(unsigned r) { LOOP(mcs_lock(&mcs, &mcs_node[r]), mcs_unlock(&mcs, &mcs_node[r])) }
static void with_mutex(unsigned r) { (void)r; LOOP(mutex_lock(&mutex), mutex_unlock(&mutex)) }
static void with_rmutex(unsigned r) { (void)r; LOOP(rmutex_lock(&rmutex), rmutex_unlock(&rmutex)) }
static void with_sem(unsigned r) { (void)r; LOOP(semaphore_wait(&sem), semaphore_post(&sem)) }

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
        counter = 0;
        uint64_t t0 = cycles();
        parsim_spmd(work, &k);
        uint64_t t = cycles() - t0;
        printf("%-10s count %u of %u %s, %llu cycles (%llu per increment)\n",
               locks[k].name, counter, n * per_hart,
               counter == n * per_hart ? "exact" : "WRONG",
               (unsigned long long)t, (unsigned long long)(t / (n * per_hart)));
        wrong += counter != n * per_hart;
        ran++;
    }
    if (!ran) {
        printf("unknown lock '%s'\n", which);
        return 2;
    }
    return wrong;
}
