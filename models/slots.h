/* slots.h — a resource's calendar: which of the last few thousand cycles
 * it is busy.  A request reserves the first run of free cycles at or after
 * the cycle it arrives, whatever order requests are simulated in: a
 * packet that travels later but is simulated first (a reply sent after a
 * memory access) no longer delays one that travels earlier.  Cycles older
 * than the window count as free (nobody competes for the past).
 *
 * Links and memory controllers reserve a run of free cycles
 * (slots_reserve).  A multithreaded core's issue slots (mtcore.c) wait
 * for one free cycle and then hold the core for as long as the
 * instruction keeps it, whether or not a sibling had already taken those
 * cycles (slots_hold).  A zeroed Slots is an empty calendar.
 *
 * May depend on: the C library only.  Timing only.
 */
#ifndef PARSIM_MODELS_SLOTS_H
#define PARSIM_MODELS_SLOTS_H

#include <stdint.h>

#define SLOTS_WINDOW 4096         /* cycles remembered, a power of two */

typedef struct Slots {
    uint64_t lo;                  /* first cycle the window covers */
    uint64_t bits[SLOTS_WINDOW / 64];
} Slots;

/* Reserve n consecutive cycles starting at or after t; returns the start.
 * A t before the window reserves nothing and returns t. */
uint64_t slots_reserve(Slots *s, uint64_t t, uint32_t n);

/* Wait for the first free cycle at or after t (t itself when it is before
 * the window), then mark n cycles from there busy, free or not; returns
 * that first cycle.  Cycles that end up before the window are dropped
 * (the window slides to cover the last one); n = 0 only asks. */
uint64_t slots_hold(Slots *s, uint64_t t, uint64_t n);

/* A bandwidth (bytes a cycle, at least 1) as what a transfer occupies:
 * slots_cycles rounds bytes / per up, by a shift when per is a power of
 * two (a division costs tens of host cycles, and a miss does several). */
typedef struct SlotsRate {
    uint32_t per;
    uint32_t shift;               /* log2(per), or 32: divide */
} SlotsRate;

static inline SlotsRate slots_rate(uint32_t per)
{
    return (SlotsRate){per, per & (per - 1) ? 32u
                                            : (uint32_t)__builtin_ctz(per)};
}

static inline uint64_t slots_cycles(SlotsRate r, uint64_t bytes)
{
    uint64_t span = bytes + r.per - 1;
    return r.shift < 32 ? span >> r.shift : span / r.per;
}

#endif
