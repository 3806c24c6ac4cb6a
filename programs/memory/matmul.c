/* matmul.c — cache blocking: C = A x B (N x N ints, exact) by the textbook
 * i-j-k loops, whose inner loop walks a column of B (a new line every
 * step once B is larger than the L1), and blocked in BS x BS tiles (three
 * tiles fit in the L1, each line of a tile is used BS times before it
 * leaves).  SPMD: rank r computes the r-th block of rows (block rows of
 * tiles for the blocked version), so it runs on any number of harts.
 *
 *   parsim run --stats mm.json matmul.elf naive   [N]
 *   parsim run --stats mm.json matmul.elf blocked [N]
 *   parsim run --cores 16 matmul.elf blocked       (make bench)
 *
 * N (default 128, a multiple of BS = 16) makes each matrix 64 KiB, twice
 * the L1.  Prints a checksum (the same for both) and the cycles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim.h"

#define BS 16
#define NMAX 256

static int a[NMAX * NMAX], b[NMAX * NMAX], c[NMAX * NMAX];
static unsigned n = 128;

static void naive(unsigned rank, unsigned nranks, void *arg)
{
    (void)arg;
    unsigned lo = n * rank / nranks, hi = n * (rank + 1) / nranks;
    for (unsigned i = lo; i < hi; i++)
        for (unsigned j = 0; j < n; j++) {
            int s = 0;
            for (unsigned k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

static void blocked(unsigned rank, unsigned nranks, void *arg)
{
    (void)arg;
    unsigned tiles = n / BS;
    unsigned lo = tiles * rank / nranks * BS;
    unsigned hi = tiles * (rank + 1) / nranks * BS;
    for (unsigned i = lo; i < hi; i++)
        for (unsigned j = 0; j < n; j++)
            c[i * n + j] = 0;
    for (unsigned kk = 0; kk < n; kk += BS)
        for (unsigned jj = 0; jj < n; jj += BS)
            for (unsigned ii = lo; ii < hi; ii += BS)
                for (unsigned i = ii; i < ii + BS; i++)
                    for (unsigned k = kk; k < kk + BS; k++) {
                        int x = a[i * n + k];
                        const int *bk = &b[k * n + jj];
                        int *ci = &c[i * n + jj];
                        for (unsigned j = 0; j < BS; j++)
                            ci[j] += x * bk[j];
                    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "blocked";
    if (argc > 2)
        n = (unsigned)atoi(argv[2]);
    int is_naive = strcmp(mode, "naive") == 0;
    if ((!is_naive && strcmp(mode, "blocked") != 0) || n == 0 || n > NMAX ||
        n % BS) {
        printf("usage: matmul.elf naive|blocked [N: multiple of %d, <= %d]\n",
               BS, NMAX);
        return 2;
    }
    for (unsigned i = 0; i < n * n; i++) {
        a[i] = (int)(i * 3 % 11) - 5;
        b[i] = (int)(i * 5 % 13) - 6;
    }
    uint64_t t0 = cycles();
    parsim_spmd(is_naive ? naive : blocked, NULL);
    uint64_t t = cycles() - t0;
    unsigned sum = 0;
    for (unsigned i = 0; i < n * n; i++)
        sum = sum * 31 + (unsigned)c[i];
    printf("matmul %s: %ux%u on %u harts, checksum %08x, %llu cycles\n", mode,
           n, n, num_harts(), sum, (unsigned long long)t);
    return 0;
}
