/* memctl.h — a memory controller: a fixed access latency and a bandwidth,
 * as a queue: a request may start when the controller is not transferring
 * another one, so concurrent requests wait.  Transfers are booked in a
 * calendar (slots.h), so a request simulated late but arriving early is
 * not queued behind later ones:
 *   start = first free run of ceil(bytes / bandwidth) cycles at or after t
 *   ready = start + latency + ceil(bytes / bandwidth)
 *
 * May depend on: models/slots.h (its calendar).  Timing only.
 */
#ifndef PARSIM_MODELS_MEMCTL_H
#define PARSIM_MODELS_MEMCTL_H

#include <stdint.h>

#include "models/slots.h"

typedef struct MemCtl {
    uint32_t latency;         /* cycles */
    uint32_t bytes_per_cycle; /* bandwidth */
    SlotsRate rate;           /* the same, for slots_cycles */
    uint64_t free_at;         /* the end of the latest transfer booked */
    Slots slots;              /* which cycles the controller transfers */
    uint64_t requests, bytes;
    uint64_t queue_cycles;    /* sum of (start - t) */
    uint64_t busy_cycles;
} MemCtl;

void memctl_init(MemCtl *m, uint32_t latency, uint32_t bytes_per_cycle);

/* A request of `bytes` arriving at cycle t: the cycle its data is ready. */
uint64_t memctl_access(MemCtl *m, uint64_t t, uint32_t bytes);

#endif
