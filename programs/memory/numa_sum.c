/* numa_sum.c — data placement on a NUMA machine: every hart initialises
 * and then sums its own partition of one array.  The initialisation is
 * partitioned the same way, so under first-touch each page is homed on the
 * node of the hart that uses it; interleaved pages alternate between the
 * nodes (half of each partition is remote); bound to node 1, the harts of
 * node 0 find all their data remote and node 1's LLC slice and memory
 * controller serve everyone.
 *
 *   parsim run --machine numa2x4 --set numa.placement=first_touch numa_sum.elf
 *   parsim run --machine numa2x4 --set numa.placement=interleaved numa_sum.elf
 *   parsim run --machine numa2x4 --set numa.placement=bound \
 *              --set numa.bound_node=1 numa_sum.elf
 *
 * Optional arguments: KIB per hart (default 64, twice the L1, so every
 * pass misses in the L1 and is served by the home's LLC slice) and PASSES
 * (default 4).  Prints the sum and the cycles of the summing phase (from
 * the barrier after the initialisation to the slowest hart's end). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cold.h"
#include "parsim_sync.h"

static unsigned words_per_hart = 64 * 1024 / 4, passes = 4;
static unsigned *data;
static barrier_t bar;
static uint64_t start, finish[PARSIM_MAX_HARTS];
static struct {
    unsigned sum;
    char pad[PARSIM_CACHE_LINE - sizeof(unsigned)];
} partial[PARSIM_MAX_HARTS];

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    volatile unsigned *p = data + (size_t)rank * words_per_hart;
    for (unsigned i = 0; i < words_per_hart; i++)      /* first touch */
        p[i] = (rank * words_per_hart + i) * 2654435761u >> 24;
    barrier_wait(&bar);
    if (rank == 0)
        start = cycles();
    unsigned s = 0;
    for (unsigned k = 0; k < passes; k++)
        for (unsigned i = 0; i < words_per_hart; i++)
            s += p[i];
    partial[rank].sum = s;
    finish[rank] = cycles();
}

int main(int argc, char **argv)
{
    if (argc > 1)
        words_per_hart = (unsigned)atoi(argv[1]) * 1024 / 4;
    if (argc > 2)
        passes = (unsigned)atoi(argv[2]);
    unsigned n = num_harts();
    /* Page-aligned, never touched before the partitioned initialisation. */
    data = cold_alloc((size_t)n * words_per_hart * 4, 4096);
    barrier_init(&bar, n);
    parsim_spmd(work, NULL);
    uint64_t end = 0;
    unsigned total = 0;
    for (unsigned r = 0; r < n; r++) {
        total += partial[r].sum;
        if (finish[r] > end)
            end = finish[r];
    }
    printf("numa_sum: %u harts x %u KiB x %u passes, sum %u, %llu cycles\n",
           n, words_per_hart * 4 / 1024, passes, total,
           (unsigned long long)(end - start));
    return 0;
}
