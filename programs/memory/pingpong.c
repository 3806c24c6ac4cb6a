/* pingpong.c — a cache line handed back and forth: hart 0 writes a value
 * into a slot and raises a flag, hart 1 waits for the flag, reads the slot,
 * writes its answer and lowers the flag, and so on.  Flag and slot share
 * one line, so every hand-off moves that line from one cache to the other
 * (a coherence miss, an invalidation and a transfer each way): the
 * round-trip time is two cache-to-cache transfers, not two L1 hits.
 *
 *   parsim run --cores 2 --stats pp.json pingpong.elf [ROUNDS]
 *
 * ROUNDS (default 1000).  The hottest line of the run is `box+0..63`. */
#include <stdio.h>
#include <stdlib.h>

#include "parsim.h"

static struct {
    volatile unsigned flag;     /* 1: a value for hart 1; 0: an answer */
    volatile unsigned slot;
    char pad[PARSIM_CACHE_LINE - 2 * sizeof(unsigned)];  /* the line alone */
} box __attribute__((aligned(PARSIM_CACHE_LINE)));

static unsigned rounds = 1000;

static void play(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    for (unsigned i = 0; i < rounds; i++) {
        if (rank == 0) {
            box.slot = i;
            __atomic_thread_fence(__ATOMIC_RELEASE);
            box.flag = 1;
            while (box.flag != 0)
                ;
        } else {
            while (box.flag != 1)
                ;
            box.slot = box.slot + 1;
            __atomic_thread_fence(__ATOMIC_RELEASE);
            box.flag = 0;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        rounds = (unsigned)atoi(argv[1]);
    uint64_t t0 = cycles();
    if (parsim_spmd_n(2, play, NULL) != 2) {
        printf("pingpong needs 2 harts\n");
        return 2;
    }
    uint64_t t = cycles() - t0;
    printf("pingpong: %u round trips, last answer %u, %llu cycles "
           "(%llu per round trip)\n", rounds, box.slot,
           (unsigned long long)t, (unsigned long long)(t / rounds));
    return box.slot != rounds;
}
