/* smt_demo.c — two hardware threads per core hide each other's stalls:
 * each thread runs a chain of dependent loads (pointer chasing, every
 * load waits for the previous one).  First one thread per core, then every
 * thread of every core, each doing the same work: with 2 threads per core
 * twice the work takes much less than twice the time.  The same with an
 * ALU-bound loop (no stalls to hide) takes about twice the time.
 * Run: parsim run --machine smt4x2 smt_demo.elf
 *  or: parsim run --cores 4 --threads-per-core 2 --set memory.latency=50 ... */
#include <stdio.h>

#include "parsim.h"

#define NODES 1024
#define STEPS 4000

static unsigned next[PARSIM_MAX_HARTS][NODES];
static volatile unsigned result[PARSIM_MAX_HARTS];

static int alu_bound;

static void *chase(void *arg)
{
    unsigned h = (unsigned)(uintptr_t)arg, i = 0;
    const unsigned *nx = next[h];
    if (alu_bound)
        for (unsigned s = 0; s < STEPS; s++)
            i = (i ^ s) + (i << 3) + 7;
    else
        for (unsigned s = 0; s < STEPS; s++)
            i = nx[i];              /* the next address needs this load */
    result[h] = i;
    return NULL;
}

/* Runs chase on `threads` threads of every core; returns the cycles. */
static uint64_t run(unsigned cores, unsigned tpc, unsigned threads)
{
    parsim_thread_t t[PARSIM_MAX_HARTS];
    unsigned nt = 0;
    uint64_t t0 = cycles();
    for (unsigned c = 0; c < cores; c++)
        for (unsigned k = 0; k < threads; k++) {
            unsigned h = c * tpc + k;
            if (h == hart_id())     /* main's own hart: runs its share below */
                continue;
            if (parsim_thread_create_on(&t[nt], h, chase,
                                        (void *)(uintptr_t)h) == 0)
                nt++;
        }
    chase((void *)(uintptr_t)hart_id());
    for (unsigned i = 0; i < nt; i++)
        parsim_thread_join(t[i]);
    return cycles() - t0;
}

int main(void)
{
    unsigned cores, tpc;
    parsim_topology(&cores, &tpc);
    for (unsigned h = 0; h < PARSIM_MAX_HARTS; h++)
        for (unsigned i = 0; i < NODES; i++)
            next[h][i] = (i * 613 + 7 + h) % NODES;   /* a scrambled walk */
    if (tpc < 2) {
        printf("smt_demo: needs 2 or more threads per core "
               "(parsim run --machine smt4x2)\n");
        return 0;
    }
    printf("smt_demo: %u cores x %u threads, %u steps per thread\n", cores,
           tpc, STEPS);
    unsigned check = 0;
    for (alu_bound = 0; alu_bound < 2; alu_bound++) {
        uint64_t one = run(cores, tpc, 1);
        uint64_t all = run(cores, tpc, tpc);
        for (unsigned h = 0; h < cores * tpc; h++)
            check += result[h];
        printf("  %s: 1 thread per core %llu cycles, %u per core %llu "
               "cycles: %u.%02ux the time for %ux the work\n",
               alu_bound ? "ALU-bound adds   " : "dependent loads  ",
               (unsigned long long)one, tpc, (unsigned long long)all,
               (unsigned)(all / one), (unsigned)(all * 100 / one % 100), tpc);
    }
    printf("  (walk checksum %u)\n", check);
    return 0;
}
