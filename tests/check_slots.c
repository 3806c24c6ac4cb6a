/* check_slots.c — models/slots, the calendar of links, memory controllers
 * and multithreaded cores' issue slots: holding from the first free cycle
 * through cycles taken or not, reserving runs of free ones, the window's
 * edges (a request before it, a hold longer than it, a full window, a
 * slide of about a whole window), and both against a naive model of every
 * cycle on random requests. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "models/slots.h"

#define W SLOTS_WINDOW

static Slots *fresh(void)
{
    Slots *s = calloc(1, sizeof *s);
    ck_assert_ptr_nonnull(s);
    return s;
}

/* ---- slots_hold -------------------------------------------------------- */

START_TEST(test_hold)
{
    Slots *s = fresh();
    ck_assert_uint_eq(slots_hold(s, 0, 0), 0);
    ck_assert_uint_eq(slots_hold(s, 12345, 0), 12345);
    ck_assert_uint_eq(slots_hold(s, 10, 3), 10);
    ck_assert_uint_eq(slots_hold(s, 9, 0), 9);
    ck_assert_uint_eq(slots_hold(s, 10, 0), 13);
    ck_assert_uint_eq(slots_hold(s, 12, 0), 13);
    /* Held through cycles already taken (a run of free ones: from 13). */
    ck_assert_uint_eq(slots_hold(s, 5, 20), 5);
    ck_assert_uint_eq(slots_hold(s, 0, 0), 0);
    ck_assert_uint_eq(slots_hold(s, 5, 0), 25);
    /* Across a word's boundary. */
    ck_assert_uint_eq(slots_hold(s, 60, 10), 60);
    ck_assert_uint_eq(slots_hold(s, 59, 0), 59);
    ck_assert_uint_eq(slots_hold(s, 60, 0), 70);
    ck_assert_uint_eq(slots_hold(s, 61, 1), 70);
    ck_assert_uint_eq(slots_hold(s, 60, 0), 71);
    free(s);
}
END_TEST

/* A window taken to its last cycle: the first free one is just past it,
 * not a bit that wraps round to an older cycle. */
START_TEST(test_hold_window_end)
{
    Slots *s = fresh();
    ck_assert_uint_eq(slots_hold(s, 0, W), 0);
    ck_assert_uint_eq(s->lo, 0);
    ck_assert_uint_eq(slots_hold(s, 0, 0), W);
    ck_assert_uint_eq(slots_hold(s, W - 1, 0), W);
    ck_assert_uint_eq(slots_hold(s, W + 7, 0), W + 7);
    ck_assert_uint_eq(slots_hold(s, W + 30, 1), W + 30);    /* lo = 31 */
    ck_assert_uint_eq(s->lo, 31);
    ck_assert_uint_eq(slots_hold(s, 5, 0), 5);
    ck_assert_uint_eq(slots_hold(s, 31, 0), W);
    ck_assert_uint_eq(slots_hold(s, W + 30, 0), W + 31);
    free(s);
}
END_TEST

START_TEST(test_hold_before_window)
{
    Slots *s = fresh();
    ck_assert_uint_eq(slots_hold(s, 10000, 1), 10000);
    uint64_t lo = 10000 - W + 1;
    ck_assert_uint_eq(s->lo, lo);
    /* A request before the window waits for nothing, and only the cycles
     * from the window's start are kept ... */
    ck_assert_uint_eq(slots_hold(s, lo - 500, 600), lo - 500);
    ck_assert_uint_eq(s->lo, lo);
    ck_assert_uint_eq(slots_hold(s, lo - 500, 0), lo - 500);
    ck_assert_uint_eq(slots_hold(s, lo, 0), lo + 100);
    /* ... and a run wholly before it is dropped. */
    ck_assert_uint_eq(slots_hold(s, 10, 20), 10);
    ck_assert_uint_eq(slots_hold(s, lo + 100, 0), lo + 100);
    /* slots_reserve before the window reserves nothing. */
    ck_assert_uint_eq(slots_reserve(s, lo - 10, 50), lo - 10);
    ck_assert_uint_eq(slots_hold(s, lo + 100, 0), lo + 100);
    free(s);
}
END_TEST

START_TEST(test_hold_longer_than_window)
{
    Slots *s = fresh();
    ck_assert_uint_eq(slots_hold(s, 100, 3 * W), 100);
    ck_assert_uint_eq(s->lo, 100 + 2 * W);
    ck_assert_uint_eq(slots_hold(s, 100 + 2 * W, 0), 100 + 3 * W);
    ck_assert_uint_eq(slots_reserve(s, 100 + 2 * W, 4), 100 + 3 * W);
    ck_assert_uint_eq(slots_hold(s, 100 + 3 * W, 0), 100 + 3 * W + 4);
    free(s);
}
END_TEST

START_TEST(test_reserve_runs)
{
    Slots *s = fresh();
    ck_assert_uint_eq(slots_reserve(s, 0, 0), 0);
    ck_assert_uint_eq(slots_reserve(s, 0, 4), 0);
    ck_assert_uint_eq(slots_reserve(s, 2, 4), 4);
    ck_assert_uint_eq(slots_hold(s, 12, 1), 12);
    /* The gap 8..11 is too short for 5 cycles; 13 starts a run. */
    ck_assert_uint_eq(slots_reserve(s, 8, 5), 13);
    ck_assert_uint_eq(slots_reserve(s, 8, 4), 8);
    ck_assert_uint_eq(slots_hold(s, 0, 0), 18);
    free(s);
}
END_TEST

/* ---- against a naive model ------------------------------------------- */

/* Every cycle's flag, and the same window: a cycle is busy when it lies
 * in [lo, lo + W) and some take or reservation since covered it. */
#define SPAN (1u << 23)

typedef struct Naive {
    uint64_t lo;
    unsigned char *taken;
} Naive;

static int naive_busy(const Naive *m, uint64_t c)
{
    return c >= m->lo && c < m->lo + W && m->taken[c];
}

static uint64_t naive_first_free(const Naive *m, uint64_t t)
{
    if (t < m->lo)
        return t;
    while (naive_busy(m, t))
        t++;
    return t;
}

static void naive_take(Naive *m, uint64_t t, uint64_t n)
{
    if (n == 0)
        return;
    if (t + n > m->lo + W)
        m->lo = t + n - W;
    for (uint64_t c = t; c < t + n; c++)
        if (c >= m->lo)
            m->taken[c] = 1;
}

static uint64_t naive_hold(Naive *m, uint64_t t, uint64_t n)
{
    uint64_t start = naive_first_free(m, t);
    naive_take(m, start, n);
    return start;
}

static uint64_t naive_reserve(Naive *m, uint64_t t, uint64_t n)
{
    if (n == 0 || t < m->lo)
        return t;
    uint64_t start = t;
    for (uint64_t c = start; c < start + n; c++)
        if (naive_busy(m, c))
            start = c + 1;
    naive_take(m, start, n);
    return start;
}

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Lengths as the users ask: mostly an issue slot or a short stall, some
 * packets and bursts, now and then more than the whole window. */
static uint64_t length(uint64_t *x)
{
    uint64_t r = rng_next(x) % 100;
    if (r < 50)
        return 1;
    if (r < 85)
        return rng_next(x) % 20;
    if (r < 97)
        return rng_next(x) % 600;
    return rng_next(x) % (2 * W);
}

START_TEST(test_against_naive)
{
    Slots *s = fresh();
    Naive m = {0, calloc(SPAN, 1)};
    ck_assert_ptr_nonnull(m.taken);
    uint64_t x = 0x9e3779b97f4a7c15ull * (uint64_t)(_i + 1);
    uint64_t now = 0;
    for (int op = 0; op < 20000 && now + 8 * W < SPAN; op++) {
        now += rng_next(&x) % 8;
        /* Requests near the front, some far behind it, before the window. */
        uint64_t back = rng_next(&x) % 8 == 0 ? rng_next(&x) % (2 * W)
                                              : rng_next(&x) % 64;
        uint64_t t = now > back ? now - back : 0;
        uint64_t n = length(&x);
        switch (rng_next(&x) % 3) {
        case 0:
            ck_assert_uint_eq(slots_hold(s, t, 0), naive_first_free(&m, t));
            break;
        case 1:
            ck_assert_uint_eq(slots_hold(s, t, n), naive_hold(&m, t, n));
            break;
        default:
            ck_assert_uint_eq(slots_reserve(s, t, (uint32_t)n),
                              naive_reserve(&m, t, n));
        }
        ck_assert_uint_eq(s->lo, m.lo);
        if (op % 64 == 0)
            for (uint64_t c = m.lo; c < m.lo + W + 70; c++)
                ck_assert_msg((slots_hold(s, c, 0) != c) ==
                                  naive_busy(&m, c),
                              "op %d: cycle %llu", op, (unsigned long long)c);
        if (now < t + n)
            now = t + n;
    }
    free(m.taken);
    free(s);
}
END_TEST

/* The window's slide by a whole window less a word, and around it: a
 * slide shorter than that clears the bits it leaves word by word (the
 * short way of a hold of one cycle or a span of up to 64), a longer one
 * goes the general way.  From a full window, at each phase of its start
 * in a word, a hold or a reservation that slides it by each distance
 * must leave exactly the naive model's busy cycles. */
static const uint64_t slide_by[] = {
    W - 129, W - 128, W - 127, W - 66, W - 65, W - 64, W - 63, W - 62,
    W - 2, W - 1, W, W + 1};
#define N_SLIDE_BY (sizeof slide_by / sizeof *slide_by)
static const uint64_t slide_n[] = {1, 2, 37, 63, 64, 65};
static const uint64_t slide_phase[] = {0, 1, 63};

START_TEST(test_slide_bounds)
{
    uint64_t d = slide_by[_i % N_SLIDE_BY];
    for (size_t k = 0; k < sizeof slide_n / sizeof *slide_n; k++)
        for (size_t f = 0; f < sizeof slide_phase / sizeof *slide_phase; f++)
            for (int how = 0; how < 2; how++) {
                uint64_t n = slide_n[k], base = 3 * W + slide_phase[f];
                Slots *s = fresh();
                Naive m = {0, calloc(SPAN, 1)};
                ck_assert_ptr_nonnull(m.taken);
                /* the window [base, base + W), every cycle busy */
                ck_assert_uint_eq(slots_hold(s, base, W),
                                  naive_hold(&m, base, W));
                ck_assert_uint_eq(s->lo, base);
                /* a request whose last cycle slides the start by d */
                uint64_t t = base + d + W - n;
                if (how)
                    ck_assert_uint_eq(slots_hold(s, t, n),
                                      naive_hold(&m, t, n));
                else
                    ck_assert_uint_eq(slots_reserve(s, t, (uint32_t)n),
                                      naive_reserve(&m, t, n));
                ck_assert_uint_eq(s->lo, m.lo);
                for (uint64_t c = m.lo; c < m.lo + W + 70; c++)
                    ck_assert_msg((slots_hold(s, c, 0) != c) ==
                                      naive_busy(&m, c),
                                  "slide %llu, n %llu, phase %llu, %s: "
                                  "cycle %llu",
                                  (unsigned long long)d,
                                  (unsigned long long)n,
                                  (unsigned long long)slide_phase[f],
                                  how ? "hold" : "reserve",
                                  (unsigned long long)(c - m.lo));
                free(m.taken);
                free(s);
            }
}
END_TEST

Suite *slots_suite(void)
{
    Suite *s = suite_create("slots");
    TCase *tc = tcase_create("calendar");
    /* 20,000 requests against the naive model: seconds under a
     * sanitizer on a loaded machine, not Check's default 4. */
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hold);
    tcase_add_test(tc, test_hold_window_end);
    tcase_add_test(tc, test_hold_before_window);
    tcase_add_test(tc, test_hold_longer_than_window);
    tcase_add_test(tc, test_reserve_runs);
    tcase_add_loop_test(tc, test_against_naive, 0, 4);
    tcase_add_loop_test(tc, test_slide_bounds, 0, (int)N_SLIDE_BY);
    suite_add_tcase(s, tc);
    return s;
}
