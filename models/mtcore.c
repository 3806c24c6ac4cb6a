/* mtcore.c — issue slots of a multithreaded core (see mtcore.h). */
#include "models/mtcore.h"

#include <string.h>

#define WORDS (MTCORE_WINDOW / 64)

void mtcore_init(MtCore *c, bool switch_on_stall, uint32_t penalty,
                 uint32_t threshold, uint32_t first_hart,
                 uint64_t *slot_wait)
{
    memset(c, 0, sizeof *c);
    c->switch_on_stall = switch_on_stall;
    c->penalty = penalty;
    c->threshold = threshold;
    c->first_hart = first_hart;
    c->slot_wait = slot_wait;
}

static inline bool taken(const MtCore *c, uint64_t t)
{
    uint64_t i = t % MTCORE_WINDOW;
    return c->slots[i / 64] >> (i % 64) & 1;
}

/* Slide the window so that it covers cycle t (forgetting the oldest). */
static void cover(MtCore *c, uint64_t t)
{
    if (t < c->lo + MTCORE_WINDOW)
        return;
    uint64_t new_lo = t - MTCORE_WINDOW + 1;
    if (new_lo - c->lo >= MTCORE_WINDOW) {
        memset(c->slots, 0, sizeof c->slots);
    } else {
        for (uint64_t x = c->lo; x < new_lo; x++) {
            uint64_t i = x % MTCORE_WINDOW;
            c->slots[i / 64] &= ~(1ull << (i % 64));
        }
    }
    c->lo = new_lo;
}

static void take(MtCore *c, uint64_t from, uint64_t n)
{
    for (uint64_t t = from; t < from + n; t++) {
        if (t < c->lo)
            continue;
        cover(c, t);
        uint64_t i = t % MTCORE_WINDOW;
        c->slots[i / 64] |= 1ull << (i % 64);
    }
}

uint64_t mtcore_issue(void *ctx, const IsaHart *h, uint64_t start,
                      uint64_t end)
{
    MtCore *c = ctx;
    uint64_t t = start;
    /* Slots older than the window are history nobody competes for. */
    while (t >= c->lo && t < c->lo + MTCORE_WINDOW && taken(c, t))
        t++;
    uint64_t wait = t - start;
    uint64_t latency = end - start;
    c->issued++;
    c->slot_wait[h->hartid - c->first_hart] += wait;
    if (!c->switch_on_stall || latency == 0) {
        take(c, t, 1);
    } else if (latency - 1 < c->threshold) {
        /* A short stall: the thread keeps the core, nobody else issues. */
        take(c, t, latency);
    } else {
        /* A long stall: the core switches to a sibling, at a price. */
        take(c, t, 1 + c->penalty);
    }
    return end + wait;
}
