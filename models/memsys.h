/* memsys.h — the memory hierarchy: private L1D (and optional L2) per core,
 * a last-level cache slice, a directory and a memory controller per NUMA
 * node, kept coherent by MSI, MESI or MOESI over a snooping bus or a
 * directory, every message a packet on the interconnect.
 *
 * It plugs into the ISA's timing seam (IsaEnv.access): each data access
 * of a hart comes in with its address, size and kind, and the answer is
 * how many cycles it took.  Tags and states only: data values live in the
 * functional memory.
 *
 * May depend on: isa/isa.h (the access contract), models/cache.h,
 * models/missclass.h, models/noc.h, models/memctl.h, models/flatmem.h
 * (its per-hart counters), models/coherence/protocol.h (the line states
 * and the protocols' tables), sim/events.h (it publishes ACCESS and COH
 * events, and through the interconnect MSG_SEND, MSG_RECV and LINK
 * events).
 */
#ifndef PARSIM_MODELS_MEMSYS_H
#define PARSIM_MODELS_MEMSYS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "models/cache.h"
#include "models/coherence/protocol.h"
#include "models/flatmem.h"
#include "models/memctl.h"
#include "models/missclass.h"
#include "models/noc.h"
#include "sim/events.h"

/* Line states (COH_I ... COH_M, and the transient ones) and the
 * protocols' tables: models/coherence/protocol.h. */
typedef CohProtocolId CohProtocol;
typedef enum CohOrg { COH_SNOOP, COH_DIRECTORY } CohOrg;
typedef enum MemPlacement {
    PLACE_INTERLEAVED, PLACE_FIRST_TOUCH, PLACE_BOUND,
    PLACE_PRIVATE             /* each node its own memory (ranks): a core's
                                 address a is the hierarchy's
                                 (a & addr_mask) | core_tag[core], homed
                                 at that >> private_shift */
} MemPlacement;

/* Message types, counted per run.  ORDER MSG: coh_msg_names. */
typedef enum CohMsg {
    MSG_GETS,        /* read miss: get shared */
    MSG_GETX,        /* write miss: get exclusive (with data) */
    MSG_UPGRADE,     /* write to a shared line: exclusive, no data */
    MSG_INV,         /* invalidate a sharer */
    MSG_ACK,         /* invalidation acknowledged */
    MSG_FWD,         /* directory forwards a request to the owner */
    MSG_DATA,        /* a line of data to a requester */
    MSG_PUTS,        /* clean eviction, the directory drops the sharer */
    MSG_PUTX,        /* dirty eviction: write-back */
    MSG_WB,          /* write-back on a downgrade (M to S on a remote read) */
    MSG_GRANT,       /* the home grants an upgrade (no data) */
    MSG_NACK,        /* the home is busy with the line: try again */
    MSG_COUNT
} CohMsg;
extern const char *const coh_msg_names[MSG_COUNT];

typedef struct MemSysConfig {
    uint32_t cores, threads_per_core, nodes;
    CacheGeom l1d;
    uint32_t l1d_latency;
    bool l2_on;
    CacheGeom l2;
    uint32_t l2_latency;
    CacheGeom llc;            /* one slice per node */
    uint32_t llc_latency;
    CohProtocol protocol;
    CohOrg org;
    uint32_t dir_latency;     /* directory lookup at the home node */
    NocConfig noc;
    uint32_t core_router[64]; /* router of each core */
    uint32_t node_router[64]; /* router of each node's LLC/directory/MC */
    uint32_t mem_latency, mem_bytes_per_cycle;
    MemPlacement placement;
    uint32_t bound_node;
    uint32_t page_size;
    uint32_t ctrl_bytes;      /* size of a control message */
    uint32_t addr_mask;       /* PLACE_PRIVATE: the bits of an address that
                                 stay (others: all ones) */
    uint32_t core_tag[64];    /* PLACE_PRIVATE: its node's bits */
    uint32_t private_shift;   /* PLACE_PRIVATE: address bits of a node */
    uint32_t ram_base;        /* PLACE_PRIVATE: guest RAM's first address
                                 (what the views show a line as) */
    bool locked;              /* several host threads share it: lock */
    bool check;               /* the invariant checker (coherence.check) */
    bool nack;                /* a busy home NACKs (else it queues) */
    uint32_t nack_retry;      /* cycles a NACKed requester waits */
    bool defer;               /* deterministic mode: misses wait for the
                                 horizon (memsys_set_horizon) */
    uint32_t store_buffer;    /* entries per hart; 0: stores block */
    bool hit_filter;          /* each hart's filter of lines known to hit
                                 (core.hit_filter): faster, same results */
} MemSysConfig;

typedef struct CacheStats {
    uint64_t accesses, hits;
    uint64_t misses[MISS_CLASS_COUNT];
    uint64_t writebacks, invalidations, upgrades;
} CacheStats;

/* Per line ever touched: what the hottest-lines report shows. */
typedef struct LineStats {
    uint32_t line;
    uint64_t misses, invalidations, transfers, upgrades;
    uint64_t l1_misses[MISS_CLASS_COUNT];   /* the L1 misses by class */
} LineStats;

typedef struct MemSys MemSys;

/* Check the configuration; fails with a reason naming the part. */
bool memsys_config_check(const MemSysConfig *c, char *err, size_t errlen);
MemSys *memsys_new(const MemSysConfig *c);
void memsys_free(MemSys *m);

/* IsaAccessFn: ctx is the MemSys.  memsys_access_traced is the same
 * access that also publishes its ACCESS event: use it while someone
 * listens to them (the plain one never does, and is faster). */
uint32_t memsys_access(void *ctx, const IsaHart *h, uint32_t addr,
                       unsigned size, IsaAccessKind kind);
uint32_t memsys_access_traced(void *ctx, const IsaHart *h, uint32_t addr,
                              unsigned size, IsaAccessKind kind);
/* The hart's hit filter for the interpreter (IsaHart.hits), or NULL: no
 * filter, or a classifier with its own clock.  In parallel mode it is
 * gated by the core's lock (IsaHitFilter.held, want).  Valid while the
 * MemSys is, for memsys_access (not the traced entry: its events would
 * be missed). */
IsaHitFilter *memsys_hit_filter(MemSys *m, uint32_t hart);

/* Publish events into ev (NULL: none, the fastest); see sim/events.h. */
void memsys_set_events(MemSys *m, SimEvBus *ev);

/* Node that is home to an address (its page's placement).  Under
 * first-touch an untouched page has no home yet: -1. */
int memsys_home(const MemSys *m, uint32_t addr);

/* ---- statistics ------------------------------------------------------- */

const MemSysConfig *memsys_config(const MemSys *m);
/* Per hart: loads, stores, atomics and the cycles they cost. */
FlatMemCounts memsys_hart_counts(const MemSys *m, uint32_t hart);
void memsys_l1_stats(const MemSys *m, uint32_t core, CacheStats *out);
void memsys_l2_stats(const MemSys *m, uint32_t core, CacheStats *out);
void memsys_llc_stats(const MemSys *m, uint32_t node, CacheStats *out);
uint64_t memsys_msg_count(const MemSys *m, CohMsg t);
const MemCtl *memsys_memctl(const MemSys *m, uint32_t node);
/* A device that is not a coherent cache (the GPU's L2, at core 0's
 * router) reads or writes `bytes` at addr at cycle t: a request over the
 * interconnect to the home node, the home's memory controller (queued
 * with the cores' misses), the data back.  Returns when it has arrived. */
uint64_t memsys_device_access(MemSys *m, uint32_t addr, uint64_t t,
                              uint32_t bytes);
/* The packets' tags on the interconnect (above the coherence messages'
 * and the network interfaces', models/nic.h).  ORDER MEMSYS_DEV:
 * memsys_device_msg_names. */
enum { MEMSYS_DEV_REQ = 40, MEMSYS_DEV_DATA, MEMSYS_DEV_END };
extern const char *const memsys_device_msg_names[MEMSYS_DEV_END -
                                                 MEMSYS_DEV_REQ];
const Noc *memsys_noc(const MemSys *m);
/* The interconnect keeps its recent-packet log (noc_keep_packets), for a
 * view that draws the packets in flight. */
void memsys_keep_packets(MemSys *m);
/* The interconnect, for other traffic on it (message passing), and the
 * lock that serialises its users when several host threads share the
 * hierarchy (config.locked; otherwise these do nothing). */
Noc *memsys_shared_noc(MemSys *m);
/* Parallel mode: hart's run (isa_run) has ended; its host thread lets
 * go of what it kept from one access to the next.  Call before anything
 * that takes the lock above. */
void memsys_run_done(MemSys *m, uint32_t hart);
void memsys_lock(MemSys *m);
void memsys_unlock(MemSys *m);
/* The n lines with the most invalidations + transfers, hottest first;
 * returns how many were written. */
size_t memsys_hot_lines(const MemSys *m, LineStats *out, size_t n);
/* Every line with at least one L1 miss, in no particular order. */
void memsys_each_line(const MemSys *m,
                      void (*fn)(void *ctx, const LineStats *s), void *ctx);
/* core's L1 as a grid: state and line address of every [set][way], in
 * sets * ways entries each.  Not locked: call while no hart runs. */
void memsys_l1_dump(const MemSys *m, uint32_t core, uint8_t *state,
                    uint32_t *addr);
/* Cycle until which hart's last memory access keeps it waiting. */
uint64_t memsys_busy_until(const MemSys *m, uint32_t hart);

/* What the scheduler asks of the hierarchy at every slice, kept at the
 * start of a MemSys so that the asking (below) is inline. */
typedef struct MemSysSlice {
    uint64_t horizon;         /* misses issued after it wait (deferred) */
    uint64_t sharing;         /* invalidations + transfers of dirty data */
    bool deferred;            /* an access was deferred since the last
                                 memsys_take_deferred */
    char error[512];          /* why the run must stop ("": it need not) */
} MemSysSlice;

static inline MemSysSlice *memsys_slice(MemSys *m)
{
    return (MemSysSlice *)(void *)m;
}

static inline const MemSysSlice *memsys_slice_c(const MemSys *m)
{
    return (const MemSysSlice *)(const void *)m;
}

/* Invalidations + transfers of dirty lines so far: how much the cores
 * write-share (the scheduler refines its granularity while it grows). */
static inline uint64_t memsys_sharing_events(const MemSys *m)
{
    return memsys_slice_c(m)->sharing;
}

/* State of a line in core's L1 (COH_I if absent): for tests and views.
 * A transient state shows as the stable state it is leaving. */
int memsys_l1_state(const MemSys *m, uint32_t core, uint32_t addr);
/* The same with the transient states, as stored now. */
int memsys_l1_state_raw(const MemSys *m, uint32_t core, uint32_t addr);

/* ---- time order, errors, checks ---------------------------------------------
 *
 * Deterministic mode (config.defer): the scheduler says, before it runs a
 * hart, the lowest clock of the others; a miss the hart issues after it
 * is deferred (the access answers ISA_ACCESS_DEFER, and the hart stops
 * before the instruction), so that racing requests reach the homes in
 * the order of their cycles, not of their simulation. */
static inline void memsys_set_horizon(MemSys *m, uint64_t cycle)
{
    memsys_slice(m)->horizon = cycle;
}
/* True (once) when an access was deferred since the last call. */
static inline bool memsys_take_deferred(MemSys *m)
{
    bool d = memsys_slice(m)->deferred;
    memsys_slice(m)->deferred = false;
    return d;
}
/* Why the run must stop (out of host memory, a coherence violation), or
 * NULL. */
static inline const char *memsys_error(const MemSys *m)
{
    const MemSysSlice *s = memsys_slice_c(m);
    return s->error[0] ? s->error : NULL;
}
/* At the end of a run: apply what is still in flight, check that no line
 * is left transient (and, with config.check, the invariants of every
 * line); false with the reason. */
bool memsys_check_end(MemSys *m, char *err, size_t errlen);
/* The protocol's table cells used so far, by coh_*_cell_index (valid
 * until the next call; call while no hart runs). */
const uint64_t *memsys_cell_use(MemSys *m);
/* Requests that found their line busy at node's home: how many, the
 * cycles they waited (queued), the NACKs sent. */
void memsys_home_waits(const MemSys *m, uint32_t node, uint64_t *waits,
                       uint64_t *cycles, uint64_t *nacks);

#endif
