/* array_sum_spmd.c — SPMD parallel sum: every rank sums its block of the
 * array into its own padded slot, a barrier, then rank 0 adds the slots.
 * Run on 1 hart and on all of them: the sum is the same, the cycles drop. */
#include <stdio.h>

#include "parsim_sync.h"

#define LEN 65536

static unsigned data[LEN];
static struct {
    unsigned sum;
    char pad[PARSIM_CACHE_LINE - sizeof(unsigned)];
} partial[PARSIM_MAX_HARTS];       /* padded: no false sharing */
static barrier_t bar;
static unsigned total;

static void sum(unsigned rank, unsigned nranks, void *arg)
{
    (void)arg;
    unsigned lo = LEN / nranks * rank;
    unsigned hi = rank == nranks - 1 ? LEN : lo + LEN / nranks;
    unsigned s = 0;
    for (unsigned i = lo; i < hi; i++)
        s += data[i];
    partial[rank].sum = s;
    barrier_wait(&bar);
    if (rank == 0) {
        total = 0;
        for (unsigned r = 0; r < nranks; r++)
            total += partial[r].sum;
    }
}

static uint64_t run(unsigned n)
{
    barrier_init(&bar, n);
    uint64_t t0 = cycles();
    parsim_spmd_n(n, sum, NULL);
    return cycles() - t0;
}

int main(void)
{
    unsigned expect = 0;
    for (unsigned i = 0; i < LEN; i++) {
        data[i] = (i * 2654435761u) >> 20;
        expect += data[i];
    }
    unsigned n = num_harts();
    uint64_t t1 = run(1);
    int ok1 = total == expect;
    uint64_t tn = run(n);
    int okn = total == expect;
    printf("array_sum_spmd: %u values: 1 hart %llu cycles, %u harts %llu "
           "cycles (speed-up %u.%02u): %s\n", LEN, (unsigned long long)t1, n,
           (unsigned long long)tn, (unsigned)(t1 / tn),
           (unsigned)(t1 * 100 / tn % 100), ok1 && okn ? "OK" : "WRONG");
    return !(ok1 && okn);
}
