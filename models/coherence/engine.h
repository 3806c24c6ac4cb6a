/* engine.h — the coherence engine's insides, shared by its parts (not a
 * public header: the rest of parsim sees models/memsys.h).
 *
 *   protocol.c  the tables (msi.def, mesi.def, moesi.def) and their names
 *   private.c   each core's private caches (L1, optional L2): fills,
 *               evictions, and the events that reach a copy later in
 *               simulated time (pending, applied when their time comes)
 *   home.c      a line's home: placement, the LLC slice, memory, the
 *               messages, the home's busy window for a line
 *   dir.c       the directory (full bit-vector) and its transaction
 *   snoop.c     the snooping bus's transaction
 *   check.c     the invariant checker (--check-coherence)
 *   memsys.c    the access path, configuration, statistics, views
 *
 * May depend on: models/memsys.h and what it includes,
 * models/coherence/protocol.h.
 */
#ifndef PARSIM_MODELS_COHERENCE_ENGINE_H
#define PARSIM_MODELS_COHERENCE_ENGINE_H

#include <stddef.h>

#include "models/memsys.h"
#include "models/coherence/protocol.h"

/* ---- the directory's entries (and first-touch pages) ---------------------- */

typedef struct DirEntry {
    /* The first 64 bytes, one host cache line (the entries are aligned),
     * hold what a miss reads and writes; the rest counts coherence
     * events.  (Dir entries for pages use the first three fields.) */
    _Alignas(64) uint32_t line; /* the key, 0: an empty slot.  A line's key is
                                its address | 1 (a line is at least 4-byte
                                aligned), as a rank's first line is at
                                hierarchy address 0; a page's is page + 1 */
    int16_t owner;           /* core with E, O or M, or -1 (pages: the
                                home node) */
    uint8_t state;           /* DIR_I, DIR_S, DIR_E, DIR_O */
    uint64_t sharers;        /* cores with any valid copy */
    /* The line's last transaction at its home, [busy_from, busy_until):
     * the home takes one request for a line at a time (its busy state,
     * DIR_B), so a request that arrives while one is under way waits. */
    uint64_t busy_from, busy_until;
    uint64_t l1_misses[MISS_CLASS_COUNT];   /* the L1 misses by class */
    uint64_t invalidations, transfers, upgrades;  /* as LineStats' */
} DirEntry;
_Static_assert(offsetof(DirEntry, invalidations) == 64,
               "a miss's fields fill the entry's first host cache line");

/* The entry's statistics (coh_dir_get made it for a line). */
static inline LineStats coh_line_stats(const DirEntry *e)
{
    LineStats s = {.line = e->line & ~1u,
                   .invalidations = e->invalidations,
                   .transfers = e->transfers, .upgrades = e->upgrades};
    for (int c = 0; c < MISS_CLASS_COUNT; c++) {
        s.l1_misses[c] = e->l1_misses[c];
        s.misses += e->l1_misses[c];
    }
    return s;
}

/* Entries indexed by key >> shift, in chunks of DIR_CHUNK made on first
 * use: neighbouring lines are neighbouring entries (a miss's lookup is
 * one or two host cache lines, not a hash probe's scattered ones), and
 * memory goes to the parts of the address space in use. */
#define DIR_CHUNK_BITS 10
#define DIR_CHUNK (1u << DIR_CHUNK_BITS)
typedef struct Dir {
    DirEntry **chunk;        /* 1 << top_bits of them, NULL: none yet */
    uint32_t shift, top_bits;
    uint32_t first, last;    /* the chunks made lie in [first, last] */
    size_t used;             /* entries in use */
} Dir;

/* A directory for keys below 2^key_bits, indexed by key >> shift (the
 * bits below it are tags, as a line key's 1).  False: out of memory. */
bool coh_dir_init(Dir *d, unsigned shift, unsigned key_bits);
void coh_dir_free(Dir *d);
/* The entry of a key, created empty on first use (NULL: out of memory). */
DirEntry *coh_dir_get(Dir *d, uint32_t key);
const DirEntry *coh_dir_find(const Dir *d, uint32_t key);
/* The next entry in use from index *i on, in key order (*i then past
 * it), or NULL: `size_t i = 0; while ((e = coh_dir_next(d, &i)))`. */
DirEntry *coh_dir_next(const Dir *d, size_t *i);

/* ---- events that reach a private copy later --------------------------------
 *
 * A transaction is simulated in one go, but its messages arrive at their
 * own times: the copy it invalidates stays readable until the INV
 * arrives, the requester's line is transient until its data and acks
 * have come.  Each such arrival is a pending event of the core, applied
 * (looked up in the table, the state changed) when the core's time, or a
 * later transaction at the line's home, reaches it. */
typedef struct Pending {
    uint64_t at;
    uint32_t line;
    uint8_t ev;              /* CohEvent */
} Pending;

/* Cache-line aligned: neighbouring cores usually run on different host
 * threads in parallel mode. */
typedef struct Core {
    _Alignas(64) int lock;       /* parallel mode: see memsys.c */
    int want;                    /* other threads waiting for the lock */
    bool held;                   /* its own thread holds the lock across
                                    hits (memsys.c: coh_own_lock) */
    Cache *l1, *l2;
    MissClassifier *mc, *mc2;    /* of L1 and L2 */
    uint32_t mc_last;            /* the line mc saw last (0: none): a hit
                                    on it again leaves its order as it is */
    CacheStats l1s, l2s;
    Pending *pend;
    uint32_t npend, pend_cap;
    uint64_t cover[COH_ALL_STATES * CEV_COUNT];  /* cache cells used */
    uint64_t pend_min;           /* earliest pending event (UINT64_MAX) */
    MissClassTouch mct;          /* mc's hits without a call (the filter) */
    bool one_clock;              /* mc takes its stamps from the L1's LRU
                                    clock: a filtered hit stamps both with
                                    one value */
} Core;

/* A hart's hit filter (memsys.c, "the hit filter"): lines of its core's
 * L1 it knows to hit, direct-mapped by line, as the ISA's IsaHitLine
 * (isa/isa.h: the interpreter looks at them itself).  An entry holds
 * what a hit on the line does besides counting: its replacement touch,
 * its node's stamp in the miss classifier, the protocol cells it counts
 * in (a store's index in cover[], a load's counter there).  Whatever
 * changes the line's copy drops the entry first (coh_filter_drop). */
#define COH_FILTER 256u               /* entries per hart, a power of two */
#define COH_FILTER_NONE ISA_HIT_NONE
#define COH_FILTER_NO_CELL ISA_HIT_NO_COUNT

typedef struct Node {
    Cache *llc;
    MissClassifier *mc;
    MemCtl mem;
    CacheStats llcs;
    uint64_t waits, wait_cycles;  /* requests that found a line busy */
    uint64_t nacks;
} Node;

/* The last messages, for the invariant checker's report. */
#define COH_LOG 16
typedef struct MsgLog {
    uint64_t at;
    uint32_t line;
    uint16_t from, to;          /* routers */
    uint8_t type;
} MsgLog;

/* A hart's store buffer (memsys.c). */
#define COH_SB_MAX 64
typedef struct SbEntry {
    uint64_t done;           /* when it has drained (in order) */
    uint32_t addr;
    uint8_t size;
} SbEntry;
typedef struct StoreBuf {
    _Alignas(64) SbEntry e[COH_SB_MAX];
    uint32_t head, n;
} StoreBuf;

/* Lines a fill displaced, told to their homes when the fill completes. */
#define COH_VICTIMS 4
typedef struct Victim {
    uint32_t core, line;
    uint8_t st;
} Victim;

struct MemSys {
    MemSysSlice slice;       /* first: memsys.h's inline readers */
    MemSysConfig cfg;
    const CohProtocolDef *proto;
    Core *core;
    Node *node;
    Noc *noc;
    Dir dir;
    Dir pages;               /* first touch: page number + 1 -> node */
    uint32_t line_shift, page_shift;
    uint32_t node_mask;      /* nodes - 1 when a power of two (interleaved
                                placement then masks, not divides), else
                                UINT32_MAX */
    uint32_t data_bytes;
    FlatMemCounts *hart;     /* per hart: accesses by kind, stall cycles */
    StoreBuf *sb;            /* per hart (NULL: stores block) */
    IsaHitLine *filter;      /* COH_FILTER per hart (NULL: no filter) */
    CacheTouch *filter_touch;  /* beside each entry: its whole touch (an
                                  entry's stamp is only an LRU's) */
    /* Per hart, what memsys_access's first look needs at hand: its
     * filter as the ISA sees it (its core's parts, its node's address
     * bits), its core.  The filter's hits are not yet in the hart's
     * counts (loads, stores, stall, busy_until) nor in the core's l1s
     * (accesses, hits): the statistics' readers add them in
     * (hart_counts, l1_stats, busy_until). */
    struct HartPath {
        IsaHitFilter hf;
        Core *core;
    } *path;
    SimEvBus *ev;            /* events (NULL: none) */
    /* What misses write, from here on, a cache line away from what every
     * access reads (above): in parallel mode the other host thread's
     * misses would otherwise take that line away at each one. */
    _Alignas(64) uint64_t msgs[MSG_COUNT];
    uint8_t miss_res;        /* a miss's result (see memsys.c) */
    bool check_each;         /* check every transaction: cfg.check, but
                                not in parallel mode, where harts drift
                                apart by a quantum and a copy's state at
                                another core's time is not known (the end
                                of the run is still checked) */
    uint64_t cover[COH_CELLS];   /* the directory's cells used (and, in
                                    memsys_cell_use, the cores' summed) */
    Victim victims[COH_VICTIMS];
    uint32_t nvictims;
    MsgLog log[COH_LOG];
    uint32_t log_next;
    pthread_mutex_t lock;
};

/* ---- parallel mode: a core's spinlock (memsys.c) --------------------------- */
void coh_core_lock(MemSys *m, uint32_t c);
void coh_core_unlock(MemSys *m, uint32_t c);
/* The lock taken by the core's own host thread for its hits, and kept
 * until the next miss, the end of its run, or another thread asking. */
void coh_own_lock(MemSys *m, uint32_t c);
void coh_own_release(MemSys *m, uint32_t c);

/* Drop line from the hit filters of core's harts (its copy is about to
 * change, or leave).  Inline: a miss does it twice (its line's, its
 * victim's). */
static inline void coh_filter_drop(MemSys *m, uint32_t core, uint32_t line)
{
    if (!m->filter)
        return;
    uint32_t tpc = m->cfg.threads_per_core;
    IsaHitLine *f = m->filter + (size_t)core * tpc * COH_FILTER +
                    ((line >> m->line_shift) & (COH_FILTER - 1));
    for (uint32_t t = 0; t < tpc; t++, f += COH_FILTER)
        if (f->line == line)
            f->line = COH_FILTER_NONE;
}

/* ---- the tables, counted ------------------------------------------------------ */
/* A private cache's cells are counted per core (each core's counts are
 * written where its caches are: under its lock in parallel mode), the
 * directory's under the misses' mutex. */
static inline CohCell cache_cell(MemSys *m, uint32_t core, uint8_t st,
                                 CohEvent ev)
{
    m->core[core].cover[coh_cache_cell_index(st, ev)]++;
    return m->proto->cache[st][ev];
}
static inline CohCell dir_cell(MemSys *m, uint8_t st, CohDirEvent ev)
{
    m->cover[coh_dir_cell_index(st, ev)]++;
    return m->proto->dir[st][ev];
}
/* A cell that cannot happen was reached: the run stops with why. */
void coh_impossible(MemSys *m, const char *where, uint32_t line,
                    uint32_t core, uint8_t st, int ev);

/* ---- private caches (private.c) -------------------------------------------- */
uint8_t coh_private_state(const MemSys *m, uint32_t core, uint32_t line);
void coh_set_private_state(MemSys *m, uint32_t core, uint32_t line,
                           uint8_t state);
/* Put line into core's L1 (and L2) in `state`, evicting what it
 * displaces at time t (UINT64_MAX: later, at coh_evict_pending's). */
void coh_fill_private(MemSys *m, uint32_t core, uint32_t line, uint8_t state,
                      uint64_t t);
void coh_evict_pending(MemSys *m, uint64_t t);
/* Publish a copy's change of state (a SIM_EV_COH event, when someone
 * listens): core's copy of line goes from `from` to `to` on ev at `at`.
 * The test inline, the event out of line: mostly nobody listens, and a
 * miss publishes three or four changes. */
void coh_publish_event(MemSys *m, uint32_t core, uint32_t line, uint8_t from,
                       CohEvent ev, uint8_t to, uint64_t at);
static inline void coh_publish(MemSys *m, uint32_t core, uint32_t line,
                               uint8_t from, CohEvent ev, uint8_t to,
                               uint64_t at)
{
    if (sim_ev_on(m->ev, SIM_EV_COH) && !m->cfg.locked)
        coh_publish_event(m, core, line, from, ev, to, at);
}
/* Queue event ev for core's copy of line, arriving at `at`. */
void coh_pend_add(MemSys *m, uint32_t core, uint32_t line, CohEvent ev,
                  uint64_t at);
/* Apply core's pending events up to time t (all lines; _line: only that
 * line's). */
void coh_settle(MemSys *m, uint32_t core, uint64_t t);
void coh_settle_line(MemSys *m, uint32_t core, uint32_t line, uint64_t t);
/* When core's pending events for line are all applied (0: none). */
uint64_t coh_pend_last(const MemSys *m, uint32_t core, uint32_t line);
/* The state core's copy of line will have at t, without applying. */
uint8_t coh_state_at(const MemSys *m, uint32_t core, uint32_t line, uint64_t t);
/* A remote event at core's copy at time `at`: the cell for its state as
 * it will be then; the state change is queued.  Statistics of a lost
 * copy are counted here. */
CohCell coh_remote_event(MemSys *m, uint32_t core, uint32_t line, CohEvent ev,
                         uint64_t at);

/* ---- the home (home.c) ------------------------------------------------------- */
uint32_t coh_home_of(MemSys *m, uint32_t addr, uint32_t core);
uint64_t coh_home_data(MemSys *m, uint32_t home, uint32_t line, uint64_t t);
void coh_home_writeback(MemSys *m, uint32_t home, uint32_t line, uint64_t t);
uint64_t coh_send(MemSys *m, CohMsg type, uint32_t from, uint32_t to,
                  uint32_t line, uint64_t t);
static inline uint32_t core_router(const MemSys *m, uint32_t core)
{
    return m->cfg.core_router[core];
}
static inline uint32_t node_router(const MemSys *m, uint32_t node)
{
    return m->cfg.node_router[node];
}
/* A request from core for e's line that reaches its home at t: when the
 * home takes it (after the line's busy window, queued or NACKed as the
 * configuration says). */
uint64_t coh_home_take(MemSys *m, DirEntry *e, uint32_t home, uint32_t core,
                       CohMsg req, uint64_t t);

/* ---- transactions (dir.c, snoop.c) ----------------------------------------- */

/* A miss or upgrade of core (its line already transient), the request
 * `req` (what its cell sends: GETS, GETX or UPGRADE) leaving the core at
 * t.  Returns when the access completes; the requester's replies are
 * queued as its pending events. */
uint64_t coh_dir_transaction(MemSys *m, DirEntry *e, uint32_t core,
                             uint32_t line, CohMsg req, uint64_t t);
uint64_t coh_snoop_transaction(MemSys *m, DirEntry *e, uint32_t core,
                               uint32_t line, CohMsg req, uint64_t t);
/* The end of either organisation's transaction: the requester's replies
 * (coh_requester_arrivals), the line's busy window (until done, or, for
 * a read the home served from a shared line, until `left`, when its data
 * left the home), the directory's bookkeeping, the check.  Returns when
 * the access completes. */
typedef struct Arrival Arrival;
uint64_t coh_transaction_end(MemSys *m, DirEntry *e, CohCell dc, uint32_t core,
                             uint32_t line, uint8_t st, Arrival *arr,
                             uint32_t n, uint64_t left);
/* The request as the home takes it, by the requester's state then. */
CohDirEvent coh_request_of(uint8_t st);
/* The line's copies (the requester's and every sharer's), their pending
 * events applied up to t. */
void coh_settle_copies(MemSys *m, const DirEntry *e, uint32_t core,
                       uint32_t line, uint64_t t);
/* The directory's bookkeeping after a request (both organisations). */
void coh_dir_apply(MemSys *m, DirEntry *e, CohCell c, uint32_t core);
/* The requester's arrivals, in time order: each one's event chosen (the
 * last of them is Data_All, Grant_All or Last_Ack), queued at the core,
 * and the completion time returned (when the table says done). */
typedef struct Arrival {
    uint64_t at;
    uint8_t kind;            /* ARR_DATA_S, ... */
} Arrival;
enum { ARR_DATA_S, ARR_DATA_E, ARR_DATA, ARR_GRANT, ARR_ACK };
uint64_t coh_requester_arrivals(MemSys *m, uint32_t core, uint32_t line,
                                uint8_t st, Arrival *a, uint32_t n);

/* ---- the invariant checker (check.c) -------------------------------------- */
/* Single writer or many readers for line at t, and the directory's sharers
 * and owner agreeing with the private caches.  On a violation
 * m->slice.error says what, and false. */
bool coh_check_line(MemSys *m, const DirEntry *e, uint32_t line, uint64_t t);

#endif
