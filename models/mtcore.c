/* mtcore.c — issue slots of a multithreaded core (see mtcore.h). */
#include "models/mtcore.h"

#include <string.h>

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

uint64_t mtcore_issue(void *ctx, const IsaHart *h, uint64_t start,
                      uint64_t end)
{
    MtCore *c = ctx;
    uint64_t latency = end - start;
    uint64_t hold;                   /* cycles the thread keeps the core */
    if (!c->switch_on_stall || latency == 0)
        hold = 1;
    else if (latency - 1 < c->threshold)
        hold = latency;              /* a short stall: nobody else issues */
    else
        hold = 1 + c->penalty;       /* a long stall: switch, at a price */
    /* Slots older than the window are history nobody competes for. */
    uint64_t wait = slots_hold(&c->slots, start, hold) - start;
    c->issued++;
    c->slot_wait[h->hartid - c->first_hart] += wait;
    return end + wait;
}
