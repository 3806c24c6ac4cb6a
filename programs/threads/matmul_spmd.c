/* matmul_spmd.c — SPMD matrix multiply C = A x B (integers, exact): rank r
 * computes rows r, r + nranks, ...; checked against a sequential product.
 * Run on 1 hart and on all of them to see the speed-up. */
#include <stdio.h>
#include <string.h>

#include "parsim.h"

#define N 48

static int a[N][N], b[N][N], c[N][N], ref[N][N];

static void rows(unsigned rank, unsigned nranks, void *arg)
{
    (void)arg;
    for (unsigned i = rank; i < N; i += nranks)
        for (unsigned j = 0; j < N; j++) {
            int s = 0;
            for (unsigned k = 0; k < N; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
}

static uint64_t run(unsigned n)
{
    memset(c, 0, sizeof c);
    uint64_t t0 = cycles();
    parsim_spmd_n(n, rows, NULL);
    return cycles() - t0;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (i * 3 + j * 7) % 11 - 5;
            b[i][j] = (i * 5 + j * 2) % 13 - 6;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int s = 0;
            for (int k = 0; k < N; k++)
                s += a[i][k] * b[k][j];
            ref[i][j] = s;
        }
    unsigned n = num_harts();
    uint64_t t1 = run(1);
    int ok = memcmp(c, ref, sizeof c) == 0;
    uint64_t tn = run(n);
    ok = ok && memcmp(c, ref, sizeof c) == 0;
    printf("matmul_spmd: %dx%d: 1 hart %llu cycles, %u harts %llu cycles "
           "(speed-up %u.%02u): %s\n", N, N, (unsigned long long)t1, n,
           (unsigned long long)tn, (unsigned)(t1 / tn),
           (unsigned)(t1 * 100 / tn % 100), ok ? "OK" : "WRONG");
    return !ok;
}
