/* simt.h — the timing rules of the SIMT GPU array that need no machine:
 * the coalescer (one warp instruction's lane addresses become 32-byte
 * sector transactions on 128-byte lines), shared-memory banks (the
 * conflict degree of one warp access) and the GPU's memory path (an L1
 * per streaming multiprocessor, one L2, device memory), so that
 * transactions queue for bandwidth: the L2 as one queue in arrival order,
 * device memory as a memory controller (models/memctl.h).  docs/gpu.md gives
 * the rules and the formulas.
 *
 * May depend on: models/cache.h, models/memctl.h.
 * Timing only: data lives in the functional memory.
 */
#ifndef PARSIM_MODELS_SIMT_H
#define PARSIM_MODELS_SIMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/cache.h"
#include "models/memctl.h"

#define SIMT_MAX_LANES 32
#define SIMT_SECTOR 32u           /* bytes per transaction */
#define SIMT_LINE 128u            /* bytes per L1/L2 line: 4 sectors */

/* ---- the coalescer ------------------------------------------------------ */

/* What one warp instruction's accesses came to: the lines touched, in
 * the order their first lane touched them, and for each the sectors (a
 * bit each) that the lanes' bytes cover. */
typedef struct SimtCoalesced {
    uint32_t nlines, nsectors;
    uint32_t line[SIMT_MAX_LANES * 2];       /* line addresses */
    uint8_t sectors[SIMT_MAX_LANES * 2];     /* bit s: sector s of the line */
} SimtCoalesced;

/* Lanes i with bit i of `mask` set accessed size[i] bytes at addr[i]
 * (size 1..8; an access may straddle sectors and lines).  Returns the
 * number of sector transactions. */
uint32_t simt_coalesce(const uint32_t *addr, const uint8_t *size,
                       uint32_t mask, SimtCoalesced *out);

/* ---- shared-memory banks ------------------------------------------------- */

/* Lanes in mask accessing 4-byte words at addr[i] (byte addresses within
 * the block's shared memory; smaller accesses fall in the word that holds
 * them) with `banks` banks of 4-byte words: the degree of the worst
 * conflict (distinct words in one bank; lanes reading the same word are
 * served by one broadcast).  1 is conflict-free, 0 no lane.  *worst gets
 * the bank of the worst conflict. */
uint32_t simt_bank_degree(const uint32_t *addr, uint32_t mask,
                          uint32_t banks, uint32_t *worst);

/* ---- the memory path ------------------------------------------------------ */

typedef struct SimtMemConfig {
    uint32_t sms;                     /* L1s */
    uint32_t l1_size, l1_assoc, l1_latency;
    uint32_t l2_size, l2_assoc, l2_latency;
    uint32_t l2_bytes_per_cycle;      /* the L2's bandwidth, all SMs */
    uint32_t mem_latency, mem_bytes_per_cycle;   /* device memory when
                                                    there is no `memory` */
} SimtMemConfig;

/* Where an L2 miss goes: the machine's memory (a memory controller the
 * cores use too), returning when `bytes` from `addr` are ready. */
typedef uint64_t (*SimtMemFn)(void *ctx, uint32_t addr, uint64_t t,
                              uint32_t bytes);

typedef enum SimtLevel { SIMT_L1, SIMT_L2, SIMT_MEM } SimtLevel;

typedef struct SimtMemCounts {
    uint64_t l1_hits, l1_misses, l2_hits, l2_misses, stores;
    uint64_t mem_bytes;
} SimtMemCounts;

typedef struct SimtMem SimtMem;

/* NULL on a bad geometry (err says why) or no memory.  With `memory`
 * NULL, L2 misses go to a memory controller of the GPU's own. */
SimtMem *simt_mem_new(const SimtMemConfig *c, SimtMemFn memory, void *ctx,
                      char *err, size_t errlen);
void simt_mem_free(SimtMem *m);

/* A kernel starts: the L1s are not coherent, so they start empty. */
void simt_mem_flush_l1(SimtMem *m);

/* The sectors `sectors` of line `line`, from SM sm at cycle t: loads look
 * in the SM's L1, then the L2, then memory (and fill both); stores and
 * atomics write through to the L2 (no L1 allocation; an L1 copy of the
 * line is dropped).  Returns the cycle the last sector is done; *level
 * is the farthest level any of them went. */
uint64_t simt_mem_access(SimtMem *m, uint32_t sm, uint32_t line,
                         uint8_t sectors, bool store, uint64_t t,
                         SimtLevel *level);

const SimtMemCounts *simt_mem_counts(const SimtMem *m);
/* The GPU's own memory controller (NULL when misses go to `memory`). */
const MemCtl *simt_mem_ctl(const SimtMem *m);

#endif
