/* flatmem.h — the flat memory timing model: every data access costs one
 * fixed latency.  It plugs into the ISA's timing seam (IsaEnv.access)
 * exactly where the cache hierarchy will, and counts what it sees, per
 * hart (each hart's counters are written only by the host thread that
 * runs that hart).
 *
 * May depend on: isa/isa.h (the access contract).  Keeps no data: values
 * live in the functional memory.
 */
#ifndef PARSIM_MODELS_FLATMEM_H
#define PARSIM_MODELS_FLATMEM_H

#include <stdint.h>

#include "isa/isa.h"

/* One cache line each: harts on different host threads count without
 * sharing a line. */
typedef struct FlatMemCounts {
    _Alignas(64) uint64_t loads;
    uint64_t stores, amos;
    uint64_t stall;          /* cycles spent waiting for memory */
    uint64_t busy_until;     /* cycle the last access completes */
} FlatMemCounts;

typedef struct FlatMem {
    uint32_t latency;        /* cycles added to every data access */
    FlatMemCounts *hart;     /* indexed by mhartid */
} FlatMem;

/* IsaAccessFn: ctx is a FlatMem. */
uint32_t flatmem_access(void *ctx, const IsaHart *h, uint32_t addr,
                        unsigned size, IsaAccessKind kind);

#endif
