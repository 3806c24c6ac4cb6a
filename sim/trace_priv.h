/* trace_priv.h — the trace writer's insides (sim/trace.h is the door),
 * shared by its parts, in the order a trace goes through them:
 *
 *   sim/trace.c         open and close; during the run, the listener
 *                       that turns events into records and counter bins,
 *                       bounded by the cap
 *   sim/trace_layout.c  at close, the records laid out: slices on tracks
 *                       and rows, sorted and nested; the counter tracks
 *   sim/trace_names.c   what a track, a slice and an address are called
 *                       and numbered, the same in both outputs
 *   sim/trace_json.c    the layout written as Chrome trace-event JSON
 *   sim/trace_export.c  the layout handed to on_layout (SimTraceLayout)
 *
 * Records are what the run produced, in the order it produced them; a
 * Layout is the file to be written, built from them at close, which the
 * two outputs read.  Nothing outside these files includes this.
 *
 * May depend on: sim/trace.h, sim/machine_priv.h (the harts, the lock
 * kinds, the memory system's configuration and message names),
 * sim/json.h (the string escaping of trace_json.c).
 */
#ifndef PARSIM_SIM_TRACE_PRIV_H
#define PARSIM_SIM_TRACE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/machine_priv.h"
#include "sim/trace.h"

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static inline uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* Room for one more element in array a of n elements of `size` (capacity
 * *cap, doubling from `first`): a, or where it moved to grow; NULL when
 * out of memory, and then a and *cap are as they were. */
static inline void *grow_array(void *a, size_t n, size_t *cap, size_t size,
                               size_t first)
{
    if (n < *cap)
        return a;
    size_t c = *cap ? *cap * 2 : first;
    void *m = realloc(a, c * size);
    if (m)
        *cap = c;
    return m;
}

/* ---- records (sim/trace.c) ---------------------------------------------- */

/* R_MPCALL: a message-passing library call of a hart, [enter, leave);
 * R_MPMSG: a message between ranks, from its send (start, on the sending
 * hart's track) to its receive's completion (end, on the receiver's);
 * R_KERNEL: a kernel's run on the GPU (addr: the function, id: the
 * launch, hart: the launcher); R_BLOCK: a block's run on SM src (addr:
 * the kernel, id: the block, dst: its first warp slot); R_WARP: a warp's
 * lanes part (what 0) or meet again (1) at one cycle on SM src (addr:
 * the pc, id: the lanes, dst: the warp slot). */
typedef enum RecType {
    R_STATE, R_STALL, R_HOLD, R_MSG, R_ROI, R_MPCALL, R_MPMSG, R_KERNEL,
    R_BLOCK, R_WARP
} RecType;

#define REC_OPEN_AT_END 1     /* closed by the end of the run */
#define REC_RENDEZVOUS 2      /* R_MPMSG: sent by rendezvous */
#define REC_NO_RECV 4         /* R_MPMSG: never received (end = start) */
#define REC_NO_SEND 8         /* R_MPMSG: its send was never seen */

typedef struct Rec {
    uint64_t start, end;      /* [start, end) in cycles */
    uint32_t addr;            /* address, line or lock; call site; bytes */
    uint32_t id;              /* message id; stall: access kind; hold: lock;
                                 call: its nesting depth (0 outermost);
                                 kernel: launch; block: index; warp: lanes */
    uint16_t hart;            /* R_MPMSG: the sending hart; GPU: launcher */
    uint16_t src, dst;        /* message: routers; R_MPMSG: ranks; GPU: the
                                 SM and the (first) warp slot */
    uint16_t hart2;           /* R_MPMSG: the receiving hart */
    uint8_t type;             /* RecType */
    uint8_t what;             /* state, result, CohMsg, lock kind, call
                                 (PARSIM_MPI_*), tag (low 8 bits) */
    uint8_t flags;
} Rec;

/* Flow ids of the messages between ranks: above every coherence
 * message's (those are 32-bit), so that the two never meet. */
#define MP_FLOW_BASE (1ull << 32)

typedef struct Lock {
    uint32_t addr;
    uint8_t kind;
} Lock;

/* Values per sample period, from period `base` on. */
typedef struct Series {
    uint64_t base;
    uint32_t n, cap;
    double *v;
} Series;

#define NAME_SLOTS 256

typedef struct NameSlot {
    bool valid;
    uint32_t addr;
    char name[48];
} NameSlot;

/* What only the listener reads (sim/trace.c). */
typedef struct HartLive HartLive;
typedef struct OpenHold OpenHold;
typedef struct RoiEv RoiEv;
typedef struct MpOpen MpOpen;

struct SimTrace {
    SimMachine *m;
    const SimProgram *prog;
    SimTraceOptions o;
    FILE *f;
    char path[512];

    uint32_t nharts, cores, tpc, nodes, nlinks, routers;
    uint32_t nsms;            /* the GPU's SMs (0: no GPU) */
    uint64_t gpu_last;        /* the latest cycle of a GPU event */
    /* Ranks (message passing): a process per rank instead of per core. */
    uint32_t nranks;          /* 0: one shared memory */
    uint32_t cores_per_rank, harts_per_rank;
    int16_t router_core[256], router_node[256];
    uint32_t core_router[64];
    uint16_t link_from[512], link_to[512];
    uint64_t period;

    Rec *rec;
    size_t nrec, rec_cap;
    HartLive *hart;
    OpenHold *open;
    size_t nopen, open_cap;
    Lock *locks;
    size_t nlocks, locks_cap;
    RoiEv *roi;
    size_t nroi, roi_cap;
    MpOpen *mp;               /* messages between ranks whose send or
                                 receive is still to come: a hash table by
                                 id (open addressing, mp_cap a power of 2) */
    size_t nmp, mp_cap;
    uint64_t roi_begin_seen, roi_end_seen;   /* UINT64_MAX: none */
    uint64_t floor_now;       /* from roi: runnable_floor at this delivery */

    Series *ipc, *miss, *link;     /* per core, per core, per link */

    uint64_t cap, slack;
    uint64_t used;            /* trace events the records and bins become */
    uint64_t cut;             /* the cap was reached here (UINT64_MAX) */
    uint64_t dropped;         /* trace events left out by the cap */
    uint64_t unmatched;       /* releases of holds never seen acquired */
    bool oom;
    NameSlot *names;          /* sim_trace_data_name's cache */
    NameSlot *sites;          /* sim_trace_site_name's cache */
    NameSlot *calls;          /* sim_trace_call_label's */
    NameSlot *funcs;          /* sim_trace_func_name's */
    NameSlot *lines;          /* sim_trace_line_name's */
};

static inline uint64_t period_of(const SimTrace *t, uint64_t cycle)
{
    return cycle / t->period;
}

/* ---- the layout (sim/trace_layout.c) ------------------------------------ */

/* Tracks are groups (a hart, a core's L1, a node's home, a lock, the
 * region, the GPU's kernels, an SM) split into rows ("lanes") where
 * slices would not nest. */
typedef enum GroupKind {
    G_HART, G_L1, G_HOME, G_LOCK, G_ROI, G_KERNELS, G_SM
} GroupKind;

#define MAX_LANES 64          /* rows of a group */
#define MAX_DEPTH 64          /* nesting of a row (deeper: not tracked) */

typedef struct Slice {
    uint64_t start, end;
    uint32_t group;
    uint32_t rec;             /* index of its record */
    uint32_t seq;
    uint8_t role;             /* 0 whole, 1 a message's send, 2 its
                                 receipt, ROLE_INSTANT: an instant */
    uint8_t lane;
    uint8_t clipped;          /* the window cut it */
    uint8_t flow;             /* a message slice with an arrow */
    uint8_t prio;             /* between slices of the same extent: the
                                 lower is the parent (a call contains the
                                 state it is cut to, the state its stall) */
} Slice;

#define ROLE_INSTANT 3        /* a GPU warp's event: no extent */

/* A kernel's run, for finding the run a block belongs to. */
typedef struct KernelRun {
    uint64_t start, end;
    uint32_t fn, launch;
} KernelRun;

typedef struct Layout {
    SimTrace *t;
    uint64_t from, to;        /* the window */
    uint64_t end;             /* the run's end */
    uint32_t ngroups, g_l1, g_home, g_lock, g_roi, g_kernels, g_sm;
    KernelRun *kernels;       /* every kernel record, by start */
    size_t nkernels;
    Slice *s;                 /* by group, then start (the parent first) */
    size_t n, cap;
    uint8_t *lanes;           /* per group: rows used */
    uint64_t events;          /* trace events written (trace_json.c) */
} Layout;

/* Lay out t's records in the window [from, to) of a run that ended at
 * `end`.  False when out of memory; L is to be freed either way. */
bool sim_trace_layout_build(Layout *L, SimTrace *t, uint64_t from,
                            uint64_t to, uint64_t end);
void sim_trace_layout_free(Layout *L);

/* Group g's kind, and its index among the groups of that kind. */
GroupKind sim_trace_group_kind(const Layout *L, uint32_t g, uint32_t *index);

/* The slices of L->s[i]'s group are L->s[i .. returned index). */
size_t sim_trace_group_end(const Layout *L, size_t i);

/* Rows of group g that have a track: 0 for an empty group that needs
 * none (every hart has one, empty or not). */
unsigned sim_trace_group_rows(const Layout *L, uint32_t g);

/* The launch a block record belongs to: the kernel run of its function
 * that holds it (kernels run one at a time).  False when that kernel's
 * record is not there (the run ended before it did). */
bool sim_trace_block_launch(const Layout *L, const Rec *r, uint32_t *launch);

/* The group of a message's end at router r (src: its sender's end). */
uint32_t sim_trace_endpoint(const Layout *L, uint32_t r, uint8_t type,
                            bool src, uint32_t hart);

/* The slices open on each row of one group, innermost last: how rows are
 * assigned, B/E pairs closed and depths found, all in slice order. */
typedef struct RowStack {
    uint64_t end[MAX_LANES][MAX_DEPTH];
    int depth[MAX_LANES];
} RowStack;

void sim_trace_rows_reset(RowStack *r);
/* Pop the innermost slice of `lane` if it ends at or before `at`: true
 * with its end in *end.  Called until false, it leaves what contains at. */
bool sim_trace_rows_pop(RowStack *r, unsigned lane, uint64_t at,
                        uint64_t *end);
/* Open a slice that ends at `end` on `lane` (not past MAX_DEPTH). */
void sim_trace_rows_push(RowStack *r, unsigned lane, uint64_t end);

/* A counter track, as written. */
typedef struct Counter {
    unsigned pid;
    char name[40], key[40];
    const Series *s;
    double scale;             /* value = bin * scale / cycles of the bin */
} Counter;

#define MAX_LINK_COUNTERS 8
#define MAX_COUNTERS (2 * 64 + MAX_LINK_COUNTERS)

/* The counter tracks: IPC and misses per core, the busiest links. */
size_t sim_trace_counters(const Layout *L, Counter *out, size_t max);
/* Counter c's value in sample period p, and the cycle it is shown at. */
double sim_trace_bin_value(const Layout *L, const Counter *c, uint64_t p);
uint64_t sim_trace_bin_at(const Layout *L, uint64_t p);

/* ---- names (sim/trace_names.c) ------------------------------------------ */

/* The symbol of an address ("0x%08x" without a program). */
void sim_trace_data_name(const SimTrace *t, uint32_t addr, char *buf,
                         size_t len);
/* A kernel's name: the function's symbol, as its statistics name it. */
void sim_trace_func_name(const SimTrace *t, uint32_t fn, char *buf,
                         size_t len);
/* Where a pc is in the source ("reduce.c:33"), else its symbol+offset. */
void sim_trace_line_name(const SimTrace *t, uint32_t pc, char *buf,
                         size_t len);
const char *sim_trace_access_name(uint32_t kind);     /* IsaAccessKind */
const char *sim_trace_lock_kind_name(uint8_t kind);
const char *sim_trace_msg_name(uint8_t type);         /* CohMsg */

/* A group's process ("core 3") and a row's track ("hart 6 (core 3,
 * thread 0)"); a message's end ("core 3", "node 0 home"). */
void sim_trace_group_process(const Layout *L, uint32_t g, char *buf,
                             size_t len);
void sim_trace_group_name(const Layout *L, uint32_t g, unsigned lane,
                          char *buf, size_t len);
void sim_trace_end_name(const Layout *L, uint32_t g, char *buf, size_t len);

/* Process and thread ids, unique over the whole file, and the index the
 * viewers sort a row's track by. */
unsigned sim_trace_group_pid(const Layout *L, uint32_t g);
unsigned sim_trace_group_tid(const Layout *L, uint32_t g, unsigned lane);
unsigned sim_trace_group_sort(const Layout *L, uint32_t g, unsigned lane);
/* The index the viewers sort a process by (the GPU after the cores). */
unsigned sim_trace_pid_sort(const Layout *L, unsigned pid);

/* A slice's name and its colour (SimTraceColor). */
void sim_trace_slice_label(const Layout *L, const Slice *s, char *buf,
                           size_t len, uint8_t *color);

/* Ranks: the process (0-based: pid - 1) of a core, "rank R" or "core C"
 * (and a counter's process from its pid). */
uint32_t sim_trace_core_proc(const SimTrace *t, uint32_t core);
void sim_trace_pid_process(const Layout *L, unsigned pid, char *buf,
                           size_t len);
/* A library call's name ("MPI_Recv"), its colour, and where the program
 * called it ("ring.c:12", else "main+0x24"). */
const char *sim_trace_mpi_call_name(uint8_t call);
uint8_t sim_trace_mpi_call_color(uint8_t call);
void sim_trace_site_name(const SimTrace *t, uint32_t site, char *buf,
                         size_t len);
/* What a call slice is called: the call's name, or for one the library
 * notes as "other" the function its site called ("MPI_Comm_rank"). */
void sim_trace_call_label(const SimTrace *t, uint8_t call, uint32_t site,
                          char *buf, size_t len);
/* A message between ranks as its arrow is called: "msg 4096 B tag 3". */
void sim_trace_mpmsg_name(const Rec *r, char *buf, size_t len);

/* ---- the outputs (sim/trace_json.c, sim/trace_export.c) ----------------- */

/* Write L to t->f (not closed here); sets L->events. */
ISA_WARN_UNUSED bool sim_trace_write_json(SimTrace *t, Layout *L, char *err,
                                          size_t errlen);
/* Hand L to t->o.on_layout; its answer. */
ISA_WARN_UNUSED bool sim_trace_export(SimTrace *t, const Layout *L,
                                      char *err, size_t errlen);

#endif
