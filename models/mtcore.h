/* mtcore.h — issue-slot model of a multithreaded core: the hardware
 * threads of one core share its single issue slot per cycle.
 *
 * Each instruction of a thread wants to issue at the cycle its thread is
 * ready and then occupies the thread for its latency (its own cost plus
 * any memory stall).  The core keeps a calendar (slots.h) of which
 * cycles' issue slots are taken:
 *   interleaved      — a thread takes just its issue slot; siblings use
 *                      every other cycle, so one thread's stalls are
 *                      hidden by the others (fine-grained multithreading).
 *   switch_on_stall  — a thread keeps the core through stalls shorter
 *                      than the threshold (the slots are lost to its
 *                      siblings); on a longer stall it gives the core up,
 *                      paying the switch penalty (coarse-grained).
 * With one thread per core the model is not attached at all.
 *
 * May depend on: isa/isa.h (the hart), models/slots.h.  Timing only: no
 * architectural state.
 */
#ifndef PARSIM_MODELS_MTCORE_H
#define PARSIM_MODELS_MTCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "isa/isa.h"
#include "models/slots.h"

typedef struct MtCore {
    bool switch_on_stall;
    uint32_t penalty;            /* switch_on_stall: cycles per switch */
    uint32_t threshold;          /* switch_on_stall: stall that switches */
    Slots slots;                 /* the issue slots taken */
    uint64_t issued;             /* slots used */
    uint64_t *slot_wait;         /* per thread: cycles waiting for a slot */
    uint32_t first_hart;         /* hartid of thread 0 of this core */
} MtCore;

/* slot_wait has one counter per thread of the core. */
void mtcore_init(MtCore *c, bool switch_on_stall, uint32_t penalty,
                 uint32_t threshold, uint32_t first_hart,
                 uint64_t *slot_wait);

/* IsaIssueFn: the instruction of hart h wants to issue at `start` and
 * would finish at `end` running alone; returns when it really finishes. */
uint64_t mtcore_issue(void *ctx, const IsaHart *h, uint64_t start,
                      uint64_t end);

#endif
