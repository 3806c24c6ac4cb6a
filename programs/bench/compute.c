/* compute.c — the `make bench` compute kernel whose data all fit in a
 * 32 KiB L1: about 675 million instructions, one in seven or eight a
 * load or a store, and after the first touch of each line every access
 * hits.  It measures what an instruction and an L1 hit cost the
 * simulator, not what a miss does (kernel.c has the misses).  Phases: a
 * 32x32 integer matrix multiply, CRC-32 by table over a 4 KiB buffer, a
 * shell sort of 1,024 keys, and register-only mixing; it prints a
 * checksum per phase, and the instructions and cycles it took. */
#include <stdint.h>
#include <stdio.h>

#include "parsim.h"

#define N 32
#define MAT_ROUNDS 800
#define BUF_BYTES 4096u
#define CRC_ROUNDS 2000
#define KEYS 1024u
#define SORT_ROUNDS 400
#define MIX_ROUNDS 25000000u

static int32_t ma[N][N], mb[N][N], mc[N][N];
static uint32_t crc_table[256];
static uint8_t buf[BUF_BYTES];
static uint32_t keys[KEYS];

static uint32_t rng_state = 0x2545f491u;
static uint32_t xorshift(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static uint32_t matmul(void)
{
    uint32_t h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int32_t s = 0;
            for (int k = 0; k < N; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = h * 31u + (uint32_t)mc[i][j];
    /* The next round multiplies the result: the work cannot be hoisted. */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            ma[i][j] = (mc[i][j] >> 8) ^ (int32_t)(h & 0xff);
    return h;
}

static uint32_t crc32(const uint8_t *p, uint32_t n, uint32_t crc)
{
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

static void shell_sort(uint32_t *a, uint32_t n)
{
    static const uint32_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (unsigned g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        uint32_t gap = gaps[g];
        for (uint32_t i = gap; i < n; i++) {
            uint32_t v = a[i], j = i;
            while (j >= gap && a[j - gap] > v) {
                a[j] = a[j - gap];
                j -= gap;
            }
            a[j] = v;
        }
    }
}

/* Registers only: a hash chain the compiler cannot shorten. */
static uint32_t mix(uint32_t rounds)
{
    uint32_t a = 0x9e3779b9u, b = 0x7f4a7c15u, c = 1;
    for (uint32_t i = 0; i < rounds; i++) {
        a += b ^ i;
        b = (b << 7 | b >> 25) ^ a;
        c = c * 0x01000193u + (a >> 3);
        a ^= c >> 11;
    }
    return a ^ b ^ c;
}

int main(void)
{
    uint64_t i_start = instret(), c_start = cycles(), i_prev = i_start;
    uint64_t i_now;
    uint32_t check = 0;

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            ma[i][j] = (int32_t)(xorshift() % 201) - 100;
            mb[i][j] = (int32_t)(xorshift() % 201) - 100;
        }
    uint32_t mh = 0;
    for (int r = 0; r < MAT_ROUNDS; r++)
        mh = mh * 7u + matmul();
    i_now = instret();
    printf("matmul    %08lx  (%llu instructions)\n", (unsigned long)mh,
           (unsigned long long)(i_now - i_prev));
    i_prev = i_now;
    check ^= mh;

    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
        crc_table[i] = c;
    }
    for (uint32_t i = 0; i < BUF_BYTES; i++)
        buf[i] = (uint8_t)xorshift();
    uint32_t crc = 0xffffffffu;
    for (int r = 0; r < CRC_ROUNDS; r++)
        crc = crc32(buf, BUF_BYTES, crc);
    i_now = instret();
    printf("crc32     %08lx  (%llu instructions)\n", (unsigned long)crc,
           (unsigned long long)(i_now - i_prev));
    i_prev = i_now;
    check = check * 33u + crc;

    uint32_t sh = 0;
    for (int r = 0; r < SORT_ROUNDS; r++) {
        for (uint32_t i = 0; i < KEYS; i++)
            keys[i] = xorshift();
        shell_sort(keys, KEYS);
        sh = sh * 31u + keys[r % KEYS] + keys[KEYS / 2];
    }
    i_now = instret();
    printf("sort      %08lx  (%llu instructions)\n", (unsigned long)sh,
           (unsigned long long)(i_now - i_prev));
    i_prev = i_now;
    check = check * 33u + sh;

    uint32_t mx = mix(MIX_ROUNDS);
    i_now = instret();
    printf("mix       %08lx  (%llu instructions)\n", (unsigned long)mx,
           (unsigned long long)(i_now - i_prev));
    check = check * 33u + mx;

    uint64_t dc = cycles() - c_start, di = instret() - i_start;
    printf("checksum  %08lx\n", (unsigned long)check);
    printf("total     %llu instructions, %llu cycles\n",
           (unsigned long long)di, (unsigned long long)dc);
    return 0;
}
