/* barrier_phases.c — a computation in phases separated by barriers: 1-D
 * Jacobi smoothing of an array, each hart updating its block from the
 * previous phase's values, so no hart may start phase k+1 before all have
 * finished phase k.  Runs with the centralised sense-reversing barrier and
 * with the dissemination barrier; both must match a sequential run. */
#include <stdio.h>

#include "parsim_sync.h"

#define LEN 512
#define PHASES 40

static int grid[2][LEN];
static barrier_t central;
static dbarrier_t dissem;

static void init(void)
{
    for (int i = 0; i < LEN; i++)
        grid[0][i] = grid[1][i] = (i * 7919) % 1000;
}

/* Phase ph reads grid[ph % 2] and writes grid[1 - ph % 2] over [lo, hi);
 * the two ends stay fixed. */
static void step(int ph, int lo, int hi)
{
    const int *src = grid[ph % 2];
    int *dst = grid[1 - ph % 2];
    for (int i = lo < 1 ? 1 : lo; i < hi && i < LEN - 1; i++)
        dst[i] = (src[i - 1] + 2 * src[i] + src[i + 1]) / 4;
}

static long checksum(void)
{
    long s = 0;
    for (int i = 0; i < LEN; i++)
        s = s * 31 + grid[PHASES % 2][i];
    return s;
}

static void worker(unsigned rank, unsigned nranks, void *arg)
{
    int use_dissemination = *(int *)arg;
    int lo = (int)(LEN * rank / nranks), hi = (int)(LEN * (rank + 1) / nranks);
    for (int ph = 0; ph < PHASES; ph++) {
        step(ph, lo, hi);
        if (use_dissemination)
            dbarrier_wait(&dissem, rank);
        else
            barrier_wait(&central);
    }
}

int main(void)
{
    unsigned n = num_harts();
    init();
    for (int ph = 0; ph < PHASES; ph++)
        step(ph, 0, LEN);
    long want = checksum();
    printf("barrier_phases: %d phases of smoothing %d values on %u harts\n",
           PHASES, LEN, n);
    int bad = 0;
    for (int d = 0; d < 2; d++) {
        init();
        barrier_init(&central, n);
        dbarrier_init(&dissem, n);
        uint64_t t0 = cycles();
        parsim_spmd(worker, &d);
        uint64_t t = cycles() - t0;
        long got = checksum();
        printf("%-22s %s (%llu cycles)\n",
               d ? "dissemination barrier" : "sense-reversing barrier",
               got == want ? "matches the sequential run" : "WRONG",
               (unsigned long long)t);
        bad += got != want;
    }
    return bad;
}
