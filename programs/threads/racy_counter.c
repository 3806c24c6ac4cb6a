/* racy_counter.c — shows a data race: every hart adds 1 to a shared
 * counter many times without a lock, and updates are lost (load, add,
 * store of two harts interleave).  counter.c is the fixed version.
 * Usage: racy_counter.elf [increments per hart] */
#include <stdio.h>
#include <stdlib.h>

#include "parsim.h"

static unsigned per_hart = 10000;
static volatile unsigned counter;   /* volatile: one load and one store per += */

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)rank, (void)nranks, (void)arg;
    for (unsigned i = 0; i < per_hart; i++)
        counter = counter + 1;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        per_hart = (unsigned)atoi(argv[1]);
    unsigned n = num_harts();
    parsim_spmd(work, NULL);
    unsigned expected = n * per_hart;
    printf("racy counter: %u harts x %u increments: expected %u, got %u "
           "(%u updates lost)\n", n, per_hart, expected, counter,
           expected - counter);
    return 0;
}
