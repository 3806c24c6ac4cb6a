/* slots.c — a resource's calendar (see slots.h).
 *
 * slots_hold runs once per instruction of every multithreaded core, so it
 * keeps the common case short: the cycle asked for is free, the window
 * slides by a cycle or two, one bit is set. */
#include "models/slots.h"

#include <stdbool.h>
#include <string.h>

static inline int busy(const Slots *s, uint64_t t)
{
    uint64_t i = t % SLOTS_WINDOW;
    return (int)(s->bits[i / 64] >> (i % 64) & 1);
}

/* Set (on) or clear the calendar's bits for cycles [from, to), a word
 * at a time (to - from <= WINDOW). */
static void mark(Slots *s, uint64_t from, uint64_t to, int on)
{
    while (from < to) {
        uint64_t i = from % SLOTS_WINDOW;
        uint64_t bit = i % 64;
        uint64_t n = 64 - bit;             /* bits left in this word */
        if (n > to - from)
            n = to - from;
        uint64_t mask = ~0ull >> (64 - n) << bit;     /* 1 <= n <= 64 */
        if (on)
            s->bits[i / 64] |= mask;
        else
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
        mark(s, s->lo, lo, 0);
    s->lo = lo;
}

/* take(), whatever n and however far the window slides.  Out of line, so
 * that take's common case needs few registers: inlined, a hold of one
 * cycle cost 72 host instructions instead of 48 (callgrind, smt4x2). */
static __attribute__((noinline)) void take_any(Slots *s, uint64_t t,
                                               uint64_t n)
{
    cover(s, t + n - 1);
    mark(s, t > s->lo ? t : s->lo, t + n, 1);
}

/* Slide the window's start from lo to `to` (less than the window less a
 * word on): the rest of lo's word, the words between, the start of to's
 * word (a ring: to's may come before lo's). */
static inline void forget(Slots *s, uint64_t lo, uint64_t to)
{
    const uint64_t words = SLOTS_WINDOW / 64;
    uint64_t a = lo % SLOTS_WINDOW, b = to % SLOTS_WINDOW;
    uint64_t wa = a / 64, wb = b / 64;
    if (wa == wb && a <= b) {
        s->bits[wa] &= ~((~0ull << (a % 64)) & ~(~0ull << (b % 64)));
    } else {
        s->bits[wa] &= ~(~0ull << (a % 64));
        for (uint64_t w = (wa + 1) % words; w != wb; w = (w + 1) % words)
            s->bits[w] = 0;
        s->bits[wb] &= ~0ull << (b % 64);
    }
    s->lo = to;
}

/* Slide the window to end after cycle `last` (at or after its start):
 * false when that is too far for forget (the caller goes the long way). */
static inline bool slide(Slots *s, uint64_t last)
{
    uint64_t lo = s->lo;
    if (last < lo + SLOTS_WINDOW)
        return true;
    uint64_t to = last - SLOTS_WINDOW + 1;        /* the new start */
    if (to - lo >= SLOTS_WINDOW - 64)
        return false;
    forget(s, lo, to);
    return true;
}

/* take() for 2 <= n <= 64 inside the window, the window sliding by less
 * than its length less a word: a packet on a link, a transfer at a
 * memory controller (a longer slide, or a start before the window, goes
 * the long way).  Sets the span's bits in one word or two. */
static __attribute__((noinline)) void take_few(Slots *s, uint64_t t,
                                               uint64_t n)
{
    if (n > 64 || t < s->lo || !slide(s, t + n - 1)) {
        take_any(s, t, n);
        return;
    }
    uint64_t i = t % SLOTS_WINDOW, bit = i % 64, w = i / 64;
    if (bit + n <= 64) {
        s->bits[w] |= ~0ull >> (64 - n) << bit;
    } else {
        s->bits[w] |= ~0ull << bit;
        s->bits[(w + 1) % (SLOTS_WINDOW / 64)] |= ~0ull >> (128 - bit - n);
    }
}

/* Mark cycles [t, t + n) busy, free or not, sliding the window to cover
 * the last; the ones that end up before the window are dropped.  Mostly
 * n is 1 and the window moves on by a cycle or two within one word. */
static inline void take(Slots *s, uint64_t t, uint64_t n)
{
    uint64_t lo = s->lo;
    if (n != 1) {
        take_few(s, t, n);
        return;
    }
    if (t < lo)
        return;
    if (!slide(s, t)) {
        take_any(s, t, n);
        return;
    }
    uint64_t i = t % SLOTS_WINDOW;
    s->bits[i / 64] |= 1ull << (i % 64);
}

/* The first free cycle at or after t. */
static inline uint64_t first_free(const Slots *s, uint64_t t)
{
    uint64_t end = s->lo + SLOTS_WINDOW;   /* free from here on */
    if (t < s->lo || t >= end)
        return t;
    while (t < end) {
        uint64_t i = t % SLOTS_WINDOW;
        /* The free cycles from t to the end of t's word, lowest first. */
        uint64_t avail = ~s->bits[i / 64] >> (i % 64);
        if (avail) {
            t += (uint64_t)__builtin_ctzll(avail);
            break;
        }
        t += 64 - i % 64;
    }
    /* A bit found past the window's end stands for an older cycle. */
    return t < end ? t : end;
}

uint64_t slots_hold(Slots *s, uint64_t t, uint64_t n)
{
    uint64_t start = first_free(s, t);
    if (n > 0)
        take(s, start, n);
    return start;
}

/* The calendar's bits for the 64 cycles from c on (c in the window; bit
 * k: cycle c + k, those past the window's end cleared). */
static inline uint64_t bits_from(const Slots *s, uint64_t c)
{
    uint64_t i = c % SLOTS_WINDOW, off = i % 64, w = i / 64;
    uint64_t v = s->bits[w] >> off;
    if (off)
        v |= s->bits[(w + 1) % (SLOTS_WINDOW / 64)] << (64 - off);
    uint64_t left = s->lo + SLOTS_WINDOW - c;
    return left < 64 ? v & ~(~0ull << left) : v;
}

uint64_t slots_reserve(Slots *s, uint64_t t, uint32_t n)
{
    if (n == 0)
        return t;
    /* Requests from before the window compete with nothing recorded. */
    if (t < s->lo)
        return t;
    uint64_t start = t;
    if (n <= 64) {
        /* A word at a time: past the last busy cycle of [start, start +
         * n) is the first start that can fit. */
        uint64_t want = n == 64 ? ~0ull : (1ull << n) - 1;
        while (start < s->lo + SLOTS_WINDOW) {
            uint64_t busy_bits = bits_from(s, start) & want;
            if (!busy_bits)
                break;
            start += 64 - (uint64_t)__builtin_clzll(busy_bits);
        }
        take(s, start, n);
        return start;
    }
    for (uint32_t have = 0; have < n;) {
        uint64_t c = start + have;
        if (c >= s->lo + SLOTS_WINDOW || !busy(s, c)) {
            have++;
        } else {
            start = c + 1;
            have = 0;
        }
    }
    take(s, start, n);
    return start;
}
