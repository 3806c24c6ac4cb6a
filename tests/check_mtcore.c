/* check_mtcore.c — models/mtcore, the issue slots of a multithreaded
 * core: the exact cycles of threads sharing one slot per cycle,
 * interleaved and switch_on_stall (a stall either side of the threshold,
 * the switch penalty, a stall longer than the slot window). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/mtcore.h"

static uint64_t issue(MtCore *c, uint32_t hart, uint64_t start, uint64_t end)
{
    IsaHart h;
    memset(&h, 0, sizeof h);
    h.hartid = hart;
    return mtcore_issue(c, &h, start, end);
}

START_TEST(test_mtcore_interleaved)
{
    MtCore *c = malloc(sizeof *c);
    ck_assert_ptr_nonnull(c);
    uint64_t wait[2] = {0, 0};
    mtcore_init(c, false, 2, 8, 4, wait);
    /* Harts 4 and 5 both ready at 0: the second issues a cycle later. */
    ck_assert_uint_eq(issue(c, 4, 0, 1), 1);
    ck_assert_uint_eq(issue(c, 5, 0, 1), 2);
    /* A 50-cycle load takes only its issue slot: the sibling waits for
     * that one cycle and then issues in the load's shadow. */
    ck_assert_uint_eq(issue(c, 4, 2, 52), 52);
    ck_assert_uint_eq(issue(c, 5, 2, 3), 4);
    ck_assert_uint_eq(issue(c, 5, 4, 5), 5);
    ck_assert_uint_eq(wait[0], 0);
    ck_assert_uint_eq(wait[1], 1 + 1);
    ck_assert_uint_eq(c->issued, 5);
    free(c);
}
END_TEST

START_TEST(test_mtcore_switch_on_stall)
{
    MtCore *c = malloc(sizeof *c);
    ck_assert_ptr_nonnull(c);
    uint64_t wait[2] = {0, 0};
    mtcore_init(c, true, 2, 8, 0, wait);
    /* A stall of 7 (latency 8) keeps the core: 0..7 are the thread's. */
    ck_assert_uint_eq(issue(c, 0, 0, 8), 8);
    ck_assert_uint_eq(issue(c, 1, 0, 1), 9);
    /* A stall of 8 switches: the thread holds 1 + penalty slots. */
    ck_assert_uint_eq(issue(c, 0, 20, 29), 29);
    ck_assert_uint_eq(issue(c, 1, 21, 22), 24);
    /* An instruction of no cycles still takes its slot. */
    ck_assert_uint_eq(issue(c, 0, 30, 30), 30);
    ck_assert_uint_eq(issue(c, 1, 30, 31), 32);
    ck_assert_uint_eq(wait[0], 0);
    ck_assert_uint_eq(wait[1], 8 + 2 + 1);
    free(c);
}
END_TEST

/* A short stall longer than the window slides it; a sibling that is ready
 * before the window's new start issues at once and still holds the core
 * for the cycles that fall inside the window. */
START_TEST(test_mtcore_stall_past_window)
{
    MtCore *c = malloc(sizeof *c);
    ck_assert_ptr_nonnull(c);
    uint64_t wait[2] = {0, 0};
    mtcore_init(c, true, 2, 100000, 0, wait);
    ck_assert_uint_eq(issue(c, 0, 0, 5000), 5000);
    ck_assert_uint_eq(issue(c, 1, 10, 6000), 6000);
    ck_assert_uint_eq(wait[1], 0);
    ck_assert_uint_eq(issue(c, 0, 5000, 5001), 6000 + 1);
    ck_assert_uint_eq(wait[0], 1000);
    free(c);
}
END_TEST

Suite *mtcore_suite(void)
{
    Suite *s = suite_create("mtcore");
    TCase *tc = tcase_create("issue");
    tcase_add_test(tc, test_mtcore_interleaved);
    tcase_add_test(tc, test_mtcore_switch_on_stall);
    tcase_add_test(tc, test_mtcore_stall_past_window);
    suite_add_tcase(s, tc);
    return s;
}
