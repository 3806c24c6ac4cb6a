/* false_sharing.c — every hart increments its own counter, nothing is
 * shared, yet with the counters packed into one cache line every store
 * steals the line from the other cores (an invalidation and a transfer per
 * increment); padded to a line each, the counters stay in M in their own
 * caches and the loop runs at L1 speed.
 *
 *   parsim run --cores 4 --stats fs.json false_sharing.elf packed [ITERS]
 *   parsim run --cores 4 --stats fs.json false_sharing.elf padded [ITERS]
 *
 * Compare the L1 "invalidations_received" and the cycles; the hottest line
 * of the packed run is `packed+0`.  ITERS (default 2000) per hart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim_sync.h"

static volatile unsigned packed[PARSIM_MAX_HARTS]
    __attribute__((aligned(PARSIM_CACHE_LINE)));
static struct {
    volatile unsigned n;
    char pad[PARSIM_CACHE_LINE - sizeof(unsigned)];
} padded[PARSIM_MAX_HARTS] __attribute__((aligned(PARSIM_CACHE_LINE)));

static unsigned iters = 2000;
static int use_padded;

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    volatile unsigned *c = use_padded ? &padded[rank].n : &packed[rank];
    for (unsigned i = 0; i < iters; i++)
        *c = *c + 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "packed";
    if (argc > 2)
        iters = (unsigned)atoi(argv[2]);
    if (strcmp(mode, "packed") != 0 && strcmp(mode, "padded") != 0) {
        printf("usage: false_sharing.elf packed|padded [ITERS]\n");
        return 2;
    }
    use_padded = strcmp(mode, "padded") == 0;
    unsigned n = num_harts();
    uint64_t t0 = cycles();
    parsim_spmd(work, NULL);
    uint64_t t = cycles() - t0;
    unsigned total = 0;
    for (unsigned r = 0; r < n; r++)
        total += use_padded ? padded[r].n : packed[r];
    printf("false_sharing %s: %u harts x %u increments = %u, %llu cycles\n",
           mode, n, iters, total, (unsigned long long)t);
    return total != n * iters;
}
