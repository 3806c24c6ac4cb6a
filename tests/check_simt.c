/* check_simt.c — the GPU array's timing rules (models/simt.c) on their
 * own: the coalescer's sector counts, the banks' conflict degrees, the
 * L1/L2/memory path with its sectors and bandwidth. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "models/simt.h"

static uint32_t coalesce_stride(uint32_t base, uint32_t stride_words,
                                uint32_t lanes, uint8_t size)
{
    uint32_t addr[SIMT_MAX_LANES];
    uint8_t sz[SIMT_MAX_LANES];
    for (uint32_t i = 0; i < SIMT_MAX_LANES; i++) {
        addr[i] = base + i * stride_words * 4;
        sz[i] = size;
    }
    SimtCoalesced co;
    uint32_t mask = lanes == 32 ? 0xffffffffu : (1u << lanes) - 1;
    return simt_coalesce(addr, sz, mask, &co);
}

START_TEST(test_coalesce_counts)
{
    /* 32 contiguous 4-byte loads from a line's start: 4 sectors. */
    ck_assert_uint_eq(coalesce_stride(0x80001000, 1, 32, 4), 4);
    /* Stride 2: 8 sectors on 2 lines; stride 8 (32 bytes): 32 sectors;
     * stride 32: one sector on each of 32 lines (12.5 % of bytes used). */
    ck_assert_uint_eq(coalesce_stride(0x80001000, 2, 32, 4), 8);
    ck_assert_uint_eq(coalesce_stride(0x80001000, 8, 32, 4), 32);
    ck_assert_uint_eq(coalesce_stride(0x80001000, 32, 32, 4), 32);
    /* Misaligned by one word: the 128 bytes span 5 sectors. */
    ck_assert_uint_eq(coalesce_stride(0x80001004, 1, 32, 4), 5);
    /* Every lane on one word: one sector. */
    ck_assert_uint_eq(coalesce_stride(0x80001000, 0, 32, 4), 1);
    /* 8 lanes of 4 bytes: one sector; bytes: 32 lanes in one sector. */
    ck_assert_uint_eq(coalesce_stride(0x80001000, 1, 8, 4), 1);
    uint32_t addr[32];
    uint8_t sz[32];
    for (int i = 0; i < 32; i++) {
        addr[i] = 0x80001000u + (uint32_t)i;
        sz[i] = 1;
    }
    SimtCoalesced co;
    ck_assert_uint_eq(simt_coalesce(addr, sz, 0xffffffffu, &co), 1);
    /* An access straddling two lines counts a sector in each. */
    addr[0] = 0x8000107e;
    sz[0] = 4;
    ck_assert_uint_eq(simt_coalesce(addr, sz, 1, &co), 2);
    ck_assert_uint_eq(co.nlines, 2);
    /* No lane: nothing. */
    ck_assert_uint_eq(simt_coalesce(addr, sz, 0, &co), 0);
}
END_TEST

static uint32_t degree(uint32_t stride_words, uint32_t banks)
{
    uint32_t off[32];
    for (uint32_t i = 0; i < 32; i++)
        off[i] = i * stride_words * 4;
    return simt_bank_degree(off, 0xffffffffu, banks, NULL);
}

START_TEST(test_bank_degrees)
{
    ck_assert_uint_eq(degree(1, 32), 1);      /* conflict-free */
    ck_assert_uint_eq(degree(2, 32), 2);      /* two-way */
    ck_assert_uint_eq(degree(4, 32), 4);
    ck_assert_uint_eq(degree(32, 32), 32);    /* every lane in bank 0 */
    ck_assert_uint_eq(degree(33, 32), 1);     /* [32][33]: padded column */
    ck_assert_uint_eq(degree(0, 32), 1);      /* one word: a broadcast */
    ck_assert_uint_eq(degree(2, 16), 4);      /* fewer banks, more ways */
    /* Two words in one bank, each read by 16 lanes: 2 ways. */
    uint32_t off[32], worst = 99;
    for (uint32_t i = 0; i < 32; i++)
        off[i] = (i & 1) ? 128 : 0;
    ck_assert_uint_eq(simt_bank_degree(off, 0xffffffffu, 32, &worst), 2);
    ck_assert_uint_eq(worst, 0);
    /* Bytes of one word share it. */
    for (uint32_t i = 0; i < 32; i++)
        off[i] = i % 4;
    ck_assert_uint_eq(simt_bank_degree(off, 0xffffffffu, 32, NULL), 1);
    ck_assert_uint_eq(simt_bank_degree(off, 0, 32, NULL), 0);
}
END_TEST

static SimtMemConfig small(void)
{
    return (SimtMemConfig){.sms = 2, .l1_size = 1024, .l1_assoc = 2,
                           .l1_latency = 10, .l2_size = 4096, .l2_assoc = 4,
                           .l2_latency = 50, .l2_bytes_per_cycle = 32,
                           .mem_latency = 100, .mem_bytes_per_cycle = 32};
}

START_TEST(test_memory_path)
{
    char err[200];
    SimtMemConfig c = small();
    SimtMem *m = simt_mem_new(&c, NULL, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(m);
    SimtLevel lv;
    /* A cold load of one sector: L1 + L2 transfer (1 cycle) + L2 + memory
     * (latency + 1 cycle of transfer). */
    uint64_t t = simt_mem_access(m, 0, 0x1000, 0x1, false, 0, &lv);
    ck_assert_int_eq(lv, SIMT_MEM);
    ck_assert_uint_eq(t, 10 + 1 + 50 + 100 + 1);
    /* Again: an L1 hit. */
    t = simt_mem_access(m, 0, 0x1000, 0x1, false, 1000, &lv);
    ck_assert_int_eq(lv, SIMT_L1);
    ck_assert_uint_eq(t, 1010);
    /* Another sector of the line: the L1 lacks it (sectored). */
    t = simt_mem_access(m, 0, 0x1000, 0x2, false, 2000, &lv);
    ck_assert_int_eq(lv, SIMT_MEM);
    /* The other SM: its own L1 misses, the L2 has both sectors. */
    t = simt_mem_access(m, 1, 0x1000, 0x3, false, 3000, &lv);
    ck_assert_int_eq(lv, SIMT_L2);
    ck_assert_uint_eq(t, 3000 + 10 + 2 + 50);
    /* A store writes through and drops the L1 copy. */
    t = simt_mem_access(m, 1, 0x1000, 0x1, true, 4000, &lv);
    t = simt_mem_access(m, 1, 0x1000, 0x1, false, 5000, &lv);
    ck_assert_int_eq(lv, SIMT_L2);
    /* A kernel's start empties the L1s. */
    simt_mem_flush_l1(m);
    t = simt_mem_access(m, 0, 0x1000, 0x1, false, 6000, &lv);
    ck_assert_int_eq(lv, SIMT_L2);
    const SimtMemCounts *n = simt_mem_counts(m);
    ck_assert_uint_eq(n->l1_hits, 1);
    ck_assert_uint_eq(n->l2_misses, 2);
    ck_assert_uint_eq(n->mem_bytes, 64);
    simt_mem_free(m);
}
END_TEST

START_TEST(test_bandwidth_queues)
{
    char err[200];
    SimtMemConfig c = small();
    SimtMem *m = simt_mem_new(&c, NULL, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(m);
    /* 32 lines of 4 sectors at one cycle: the L2 moves 32 bytes a cycle,
     * so the last line's sectors start 31 x 4 cycles later than the
     * first's. */
    SimtLevel lv;
    uint64_t first = simt_mem_access(m, 0, 0x0, 0xf, false, 0, &lv);
    uint64_t last = first;
    for (uint32_t i = 1; i < 32; i++)
        last = simt_mem_access(m, 0, i * 128, 0xf, false, 0, &lv);
    ck_assert_uint_ge(last - first, 31 * 4);
    simt_mem_free(m);
}
END_TEST

START_TEST(test_bad_geometry)
{
    char err[200];
    SimtMemConfig c = small();
    c.l1_assoc = 64;          /* more ways than lines */
    ck_assert_ptr_null(simt_mem_new(&c, NULL, NULL, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "gpu.l1"));
}
END_TEST

Suite *simt_suite(void)
{
    Suite *s = suite_create("simt");
    TCase *t = tcase_create("rules");
    tcase_add_test(t, test_coalesce_counts);
    tcase_add_test(t, test_bank_degrees);
    tcase_add_test(t, test_memory_path);
    tcase_add_test(t, test_bandwidth_queues);
    tcase_add_test(t, test_bad_geometry);
    suite_add_tcase(s, t);
    return s;
}
