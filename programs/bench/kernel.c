/* kernel.c — the `make bench` compute kernel: integer-heavy, deterministic
 * work (CRC-32 bit by bit and by table, an integer matrix multiply, a prime
 * sieve, a hash-table workload) of about 300 million instructions; prints
 * a checksum per phase, and the instructions and cycles it took. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parsim.h"

/* Sizes chosen for roughly equal shares of the run (see the per-phase
 * instruction counts the program prints). */
#define CRC_BYTES (768u * 1024u)
#define CRC_TABLE_ROUNDS 10
#define MAT_N 96
#define MAT_ROUNDS 12
#define SIEVE_LIMIT 4000000u
#define HASH_SLOTS 65536u
#define HASH_OPS 2000000u

static uint8_t data[CRC_BYTES];
static int32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];
static uint8_t composite[SIEVE_LIMIT / 2 + 1];
static uint32_t keys[HASH_SLOTS], vals[HASH_SLOTS];

static uint32_t rng_state = 0x9e3779b9u;
static uint32_t xorshift(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* Bit-serial CRC-32: branchy shift/xor loop, 8 iterations a byte. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* Table CRC-32: one load-dependent lookup a byte. */
static uint32_t crc_table[256];
static uint32_t crc32_table(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

static uint32_t matmul(void)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT_N; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint32_t h = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            h = h * 31u + (uint32_t)mc[i][j];
    return h;
}

/* Odd-only sieve of Eratosthenes; returns the number of primes. */
static uint32_t sieve(void)
{
    memset(composite, 0, sizeof composite);
    for (uint32_t i = 3; i * i <= SIEVE_LIMIT; i += 2)
        if (!composite[i / 2])
            for (uint32_t j = i * i; j <= SIEVE_LIMIT; j += 2 * i)
                composite[j / 2] = 1;
    uint32_t count = 1; /* 2 */
    for (uint32_t i = 3; i <= SIEVE_LIMIT; i += 2)
        count += !composite[i / 2];
    return count;
}

/* Open-addressing hash table: multiply-shift hashing, linear probing,
 * inserts and lookups mixed. */
static uint32_t hash_work(void)
{
    memset(keys, 0, sizeof keys);
    uint32_t found = 0, sum = 0;
    for (uint32_t op = 0; op < HASH_OPS; op++) {
        uint32_t k = (xorshift() % (HASH_SLOTS / 2)) + 1; /* never 0 */
        uint32_t slot = (k * 2654435761u) >> 16;
        while (keys[slot] != 0 && keys[slot] != k)
            slot = (slot + 1) & (HASH_SLOTS - 1);
        if (keys[slot] == k) {
            found++;
            vals[slot] += op;
            sum += vals[slot];
        } else {
            keys[slot] = k;
            vals[slot] = op;
        }
    }
    return found ^ sum;
}

int main(void)
{
    uint64_t c_start = cycles(), i_start = instret(), i_prev = i_start;
    uint32_t check = 0;

    for (size_t i = 0; i < CRC_BYTES; i++)
        data[i] = (uint8_t)(xorshift() >> 24);
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
        crc_table[i] = c;
    }
    uint32_t crc_a = crc32_bitwise(data, CRC_BYTES);
    uint32_t crc_b = 0;
    for (int r = 0; r < CRC_TABLE_ROUNDS; r++)
        crc_b = crc32_table(data, CRC_BYTES, crc_b);
    uint64_t i_now = instret();
    printf("crc32     %08lx %08lx  (%llu instructions)\n",
           (unsigned long)crc_a, (unsigned long)crc_b,
           (unsigned long long)(i_now - i_prev));
    i_prev = i_now;
    check ^= crc_a ^ crc_b;

    uint32_t mh = 0;
    for (int r = 0; r < MAT_ROUNDS; r++) {
        for (int i = 0; i < MAT_N; i++)
            for (int j = 0; j < MAT_N; j++) {
                ma[i][j] = (int32_t)(xorshift() % 2001) - 1000;
                mb[i][j] = (int32_t)(xorshift() % 2001) - 1000;
            }
        mh = mh * 7u + matmul();
    }
    i_now = instret();
    printf("matmul    %08lx           (%llu instructions)\n",
           (unsigned long)mh, (unsigned long long)(i_now - i_prev));
    i_prev = i_now;
    check = check * 33u + mh;

    uint32_t primes = sieve();
    i_now = instret();
    printf("sieve     %lu primes <= %u  (%llu instructions)\n",
           (unsigned long)primes, SIEVE_LIMIT,
           (unsigned long long)(i_now - i_prev));
    i_prev = i_now;
    check = check * 33u + primes;

    uint32_t hw = hash_work();
    i_now = instret();
    printf("hash      %08lx           (%llu instructions)\n",
           (unsigned long)hw, (unsigned long long)(i_now - i_prev));
    check = check * 33u + hw;

    uint64_t dc = cycles() - c_start, di = instret() - i_start;
    printf("checksum  %08lx\n", (unsigned long)check);
    printf("total     %llu instructions, %llu cycles\n",
           (unsigned long long)di, (unsigned long long)dc);
    return 0;
}
