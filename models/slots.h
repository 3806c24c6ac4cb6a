/* slots.h — a resource's calendar: which of the last few thousand cycles
 * it is busy.  A request reserves the first run of free cycles at or after
 * the cycle it arrives, whatever order requests are simulated in: a
 * packet that travels later but is simulated first (a reply sent after a
 * memory access) no longer delays one that travels earlier.  Cycles older
 * than the window count as free (nobody competes for the past).
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

/* Reserve n consecutive cycles starting at or after t; returns the start. */
uint64_t slots_reserve(Slots *s, uint64_t t, uint32_t n);

#endif
