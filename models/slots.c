/* slots.c — a resource's calendar (see slots.h). */
#include "models/slots.h"

#include <string.h>

static inline int busy(const Slots *s, uint64_t t)
{
    uint64_t i = t % SLOTS_WINDOW;
    return (int)(s->bits[i / 64] >> (i % 64) & 1);
}

/* Clear the calendar's bits for cycles [from, to) (to - from < WINDOW). */
static void clear_range(Slots *s, uint64_t from, uint64_t to)
{
    while (from < to) {
        uint64_t i = from % SLOTS_WINDOW;
        uint64_t bit = i % 64;
        uint64_t n = 64 - bit;             /* bits left in this word */
        if (n > to - from)
            n = to - from;
        uint64_t mask = n == 64 ? ~0ull : ((1ull << n) - 1) << bit;
        s->bits[i / 64] &= ~mask;
        from += n;
    }
}

/* Slide the window forward so that it ends after cycle t. */
static void cover(Slots *s, uint64_t t)
{
    if (t < s->lo + SLOTS_WINDOW)
        return;
    uint64_t lo = t - SLOTS_WINDOW + 1;
    if (lo - s->lo >= SLOTS_WINDOW)
        memset(s->bits, 0, sizeof s->bits);
    else
        clear_range(s, s->lo, lo);
    s->lo = lo;
}

uint64_t slots_reserve(Slots *s, uint64_t t, uint32_t n)
{
    if (n == 0)
        return t;
    /* Requests from before the window compete with nothing recorded. */
    if (t < s->lo)
        return t;
    uint64_t start = t;
    for (uint32_t have = 0; have < n;) {
        uint64_t c = start + have;
        if (c >= s->lo + SLOTS_WINDOW || !busy(s, c)) {
            have++;
        } else {
            start = c + 1;
            have = 0;
        }
    }
    cover(s, start + n - 1);
    for (uint64_t c = start; c < start + n; c++) {
        uint64_t i = c % SLOTS_WINDOW;
        s->bits[i / 64] |= 1ull << (i % 64);
    }
    return start;
}
