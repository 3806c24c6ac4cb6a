/* litmus.c — racing requests on one line: each hart waits until its own
 * start cycle, then swaps its number into the one shared word (GETX, or
 * an UPGRADE when every hart read the word first).  The earliest swap in
 * simulated time must win (find the word as it was, 0), whatever order
 * the simulator runs the harts in.
 *
 *   litmus.elf getx|upgrade START0 START1 [START2 START3]
 *
 * Prints each hart's issue cycle and what its swap found; exits 1 when
 * the winner is not the hart that issued first (or a tie makes the race
 * undecided: 3). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim.h"
#include "parsim_sync.h"

static volatile uint32_t word __attribute__((aligned(64)));
static uint64_t start[4];
static struct {
    uint64_t issued;
    uint32_t found;
} __attribute__((aligned(64))) res[4];
static int upgrade;
static barrier_t bar;

static void race(unsigned rank, unsigned n, void *arg)
{
    (void)arg;
    (void)n;
    if (upgrade)
        (void)word;               /* every copy S: the swaps upgrade */
    barrier_wait(&bar);
    while (cycles() < start[rank])
        ;
    uint64_t t = cycles();
    uint32_t old = __atomic_exchange_n(&word, rank + 1, __ATOMIC_SEQ_CST);
    res[rank].issued = t;
    res[rank].found = old;
}

int main(int argc, char **argv)
{
    int n = argc - 2;
    if (n < 2 || n > 4 || (strcmp(argv[1], "getx") && strcmp(argv[1], "upgrade"))) {
        printf("usage: litmus getx|upgrade START0 START1 [START2 START3]\n");
        return 2;
    }
    upgrade = !strcmp(argv[1], "upgrade");
    for (int k = 0; k < n; k++)
        start[k] = strtoull(argv[2 + k], NULL, 10);
    barrier_init(&bar, (unsigned)n);
    if (parsim_spmd_n((unsigned)n, race, NULL) < 0) {
        printf("litmus: needs %d harts\n", n);
        return 2;
    }
    int first = 0, winner = -1, ties = 0;
    for (int k = 0; k < n; k++) {
        printf("litmus: hart %d issued at %llu, found %u\n", k,
               (unsigned long long)res[k].issued, (unsigned)res[k].found);
        if (res[k].found == 0)
            winner = k;
        if (res[k].issued < res[first].issued)
            first = k;
    }
    for (int k = 0; k < n; k++)
        if (k != first && res[k].issued == res[first].issued)
            ties++;
    printf("litmus: %s, winner hart %d, first hart %d%s\n", argv[1], winner,
           first, ties ? " (tie)" : "");
    if (ties)
        return 3;
    return winner == first ? 0 : 1;
}
