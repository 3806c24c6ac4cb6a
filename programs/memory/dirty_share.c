/* dirty_share.c — MOESI's Owned state: hart 0 writes a block of lines
 * (Modified in its cache), then hart 1 reads them.  Under MSI and MESI the
 * writer's copy drops to Shared and the dirty line must be written back to
 * its home (a WB message per line); under MOESI the writer keeps it as
 * Owned, still dirty, supplies the data and writes nothing back.  ROUNDS
 * times, with a barrier between the phases.
 *
 *   parsim run --cores 2 --set coherence.protocol=mesi  dirty_share.elf [LINES [ROUNDS]]
 *   parsim run --cores 2 --set coherence.protocol=moesi dirty_share.elf [LINES [ROUNDS]]
 *
 * LINES (default 64) and ROUNDS (default 4); compare the "WB" messages. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cold.h"
#include "parsim_sync.h"

static unsigned lines = 64, rounds = 4;
static volatile unsigned *buf;
static barrier_t bar;
static unsigned seen;

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    for (unsigned r = 0; r < rounds; r++) {
        if (rank == 0)
            for (unsigned i = 0; i < lines; i++)
                buf[i * 16] = r * 1000 + i;          /* M in hart 0's L1 */
        barrier_wait(&bar);
        if (rank == 1)
            for (unsigned i = 0; i < lines; i++)
                seen += buf[i * 16];                 /* M -> S (+WB) or O */
        barrier_wait(&bar);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        lines = (unsigned)atoi(argv[1]);
    if (argc > 2)
        rounds = (unsigned)atoi(argv[2]);
    buf = cold_alloc(lines * 64, 64);
    barrier_init(&bar, 2);
    uint64_t t0 = cycles();
    if (parsim_spmd_n(2, work, NULL) != 2) {
        printf("dirty_share needs 2 harts\n");
        return 2;
    }
    uint64_t t = cycles() - t0;
    printf("dirty_share: %u lines x %u rounds, sum %u, %llu cycles\n", lines,
           rounds, seen, (unsigned long long)t);
    return 0;
}
