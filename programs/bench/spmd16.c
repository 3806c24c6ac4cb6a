/* spmd16.c — the multicore benchmark: every hart (16 on the bench
 * machine) runs the same compute-bound work on its own data — a CRC-32,
 * an integer matrix multiply and an xorshift hash — with no sharing but
 * the final reduction, so that simulated MIPS measure the simulator, not
 * contention.  Prints one checksum per hart and the total. */
#include <stdint.h>
#include <stdio.h>

#include "parsim.h"

#define N 32
#define MAX_HARTS 64

static uint32_t result[MAX_HARTS];
static uint32_t mats[MAX_HARTS][3][N][N];

static uint32_t crc32(uint32_t seed, unsigned rounds)
{
    uint32_t crc = ~seed;
    for (unsigned r = 0; r < rounds; r++) {
        crc ^= r;
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint32_t matmul(unsigned rank)
{
    uint32_t (*a)[N] = mats[rank][0], (*b)[N] = mats[rank][1],
             (*c)[N] = mats[rank][2];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (uint32_t)(i * 7 + j * 3 + rank);
            b[i][j] = (uint32_t)(i ^ j) + rank;
        }
    uint32_t sum = 0;
    for (int rep = 0; rep < 4; rep++)
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                uint32_t s = 0;
                for (int k = 0; k < N; k++)
                    s += a[i][k] * b[k][j];
                c[i][j] = s;
                sum += s;
            }
    return sum;
}

static uint32_t hash(uint32_t x, unsigned rounds)
{
    for (unsigned i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x += i;
    }
    return x;
}

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    result[rank] = crc32(rank, 60000) ^ matmul(rank) ^ hash(rank + 1, 400000);
}

int main(void)
{
    unsigned n = num_harts();
    if (n > MAX_HARTS)
        n = MAX_HARTS;
    parsim_spmd_n(n, work, NULL);
    uint32_t total = 0;
    for (unsigned i = 0; i < n; i++) {
        printf("hart %2u  %08x\n", i, (unsigned)result[i]);
        total ^= result[i];
    }
    printf("harts %u  checksum %08x\n", n, (unsigned)total);
    return 0;
}
