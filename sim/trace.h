/* trace.h — the run as a Chrome trace-event JSON file (`--trace
 * FILE.json`), for ui.perfetto.dev and chrome://tracing.
 *
 * The writer listens to the machine's event stream (sim/events.h),
 * keeps what falls in the requested window in a buffer bounded by the
 * event cap, and writes the file when the run is over: every track
 * sorted by time, slices properly nested, so that the file is valid
 * JSON and loads the same way in both viewers whatever was dropped.
 *
 * Layout (docs/trace.md has the whole of it):
 *   process "core C"     a track per hart with its states (running,
 *   ("rank R" with       spinning, blocked, halted) as slices and the
 *   ranks)               memory stalls of its misses nested inside them;
 *                        its message-passing library calls ("MPI_Recv")
 *                        around them, and a slice where it sends or
 *                        receives a message between ranks;
 *                        a track for the core's L1D coherence messages;
 *                        counters IPC and L1D misses per kilo-cycle
 *   process "memory"     a track per NUMA node's home (LLC, directory,
 *                        memory controller) with the messages it sends
 *                        and receives
 *   process "locks"      a track per annotated lock with its holds;
 *                        holds that overlap in time (harts drift a few
 *                        cycles apart, a semaphore has several holders)
 *                        go on further rows of that lock
 *   process "GPU"        with a GPU array: a track of its kernels (a
 *                        slice per kernel run) and one per SM (a slice
 *                        per block, on further rows while several are
 *                        resident; a warp's divergence and reconvergence
 *                        as instants on its block's row)
 *   process "interconnect"  counters: busy fraction of the busiest links
 *   process "run"        the region of interest
 * Coherence messages and messages between ranks are flow arrows from the
 * sender's slice to the receiver's.  1 cycle = 1 ns: the JSON's timestamps are microseconds,
 * so a cycle count c is written as c / 1000 with three decimals.
 *
 * The trace does not change the run: the same program gives the same
 * statistics with and without it.
 *
 * The writer's parts (the listener, the layout, the names, the JSON and
 * the hand-off to on_layout) are behind sim/trace_priv.h.
 *
 * May depend on: sim/machine.h.
 */
#ifndef PARSIM_SIM_TRACE_H
#define PARSIM_SIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/machine.h"

/* The default --trace-max-events: the viewers struggle near a million
 * events (a few hundred MB of JSON). */
#define SIM_TRACE_DEFAULT_MAX_EVENTS 1000000u

/* One slice of the laid-out trace, for renderers other than the JSON
 * writer (visualizer/timeline.c): [start, end) in cycles. */
typedef struct SimTraceSlice {
    uint64_t start, end;
    uint32_t track;           /* index into SimTraceLayout.tracks */
    uint16_t depth;           /* 0: top level of its track */
    uint16_t arg;             /* hold: the holder hart; message: CohMsg;
                                 library call: PARSIM_MPI_*; message
                                 between ranks: its destination rank;
                                 kernel, block: the launch (low 16 bits);
                                 warp event: the warp slot */
    uint8_t color;            /* SimTraceColor */
    char label[45];
} SimTraceSlice;

/* What a slice is, for a renderer's palette.  ORDER SimTraceColor.
 * MPI_P2P, MPI_COLL, MPI_OTHER: a message-passing library call
 * (point-to-point: send, receive, wait, probe; a collective; init,
 * finalize and the rest); MPI_MSG: a message's send or receipt;
 * KERNEL, BLOCK: a kernel's run and a block's; DIVERGE, RECONVERGE: a
 * warp's lanes part at a branch and meet again (instants: start = end). */
typedef enum SimTraceColor {
    SIM_TC_RUNNING, SIM_TC_SPINNING, SIM_TC_BLOCKED, SIM_TC_HALTED,
    SIM_TC_MISS, SIM_TC_UPGRADE, SIM_TC_HOLD, SIM_TC_MSG, SIM_TC_ROI,
    SIM_TC_MPI_P2P, SIM_TC_MPI_COLL, SIM_TC_MPI_OTHER, SIM_TC_MPI_MSG,
    SIM_TC_KERNEL, SIM_TC_BLOCK, SIM_TC_DIVERGE, SIM_TC_RECONVERGE,
    SIM_TC_COUNT
} SimTraceColor;

typedef struct SimTraceTrack {
    char process[32];         /* "core 3" */
    char name[64];            /* "hart 6 (core 3, thread 0)" */
    uint16_t depth;           /* deepest nesting + 1 */
} SimTraceTrack;

/* A message's arrow: from (track, cycle) to (track, cycle). */
typedef enum SimTraceFlowKind {
    SIM_TF_COHERENCE,         /* a coherence message */
    SIM_TF_MP                 /* a message between ranks */
} SimTraceFlowKind;

typedef struct SimTraceFlow {
    uint32_t from_track, to_track;
    uint64_t from, to;
    uint16_t from_depth, to_depth;    /* nesting of the slices it joins */
    uint8_t kind;             /* SimTraceFlowKind */
    uint32_t bytes;           /* SIM_TF_MP: the message's size */
} SimTraceFlow;

/* A counter track: one value per sample period. */
typedef struct SimTraceCounter {
    char process[32];
    char name[64];            /* "IPC core 3" */
    uint32_t n;
    const uint64_t *at;       /* cycles */
    const double *value;
} SimTraceCounter;

/* The whole trace as written, in the order of the file; valid during the
 * on_layout callback only. */
typedef struct SimTraceLayout {
    uint64_t from, to;        /* the window, in cycles */
    uint32_t ntracks, ncounters;
    const SimTraceTrack *tracks;
    const SimTraceCounter *counters;
    size_t nslices, nflows;
    const SimTraceSlice *slices;   /* by track, then start */
    const SimTraceFlow *flows;
    uint64_t events;          /* trace events in the JSON */
    uint64_t dropped;         /* left out by the cap */
} SimTraceLayout;

typedef struct SimTraceOptions {
    const char *path;         /* the JSON file */
    uint64_t from, to;        /* window [from, to) in cycles (to 0: the end) */
    bool from_roi, to_roi;    /* from the region of interest's begin / to
                                 its end (the first region) */
    uint64_t max_events;      /* the cap (0: the default) */
    /* Called at close with the laid-out trace (e.g. to render a PNG);
     * NULL: none.  Returns false with a reason to fail the close. */
    bool (*on_layout)(void *ctx, const SimTraceLayout *l, char *err,
                      size_t errlen);
    void *ctx;
} SimTraceOptions;

typedef struct SimTrace SimTrace;

/* Attach a trace writer to m (before it runs) and create the file.
 * NULL with a one-line reason when the file cannot be created. */
ISA_WARN_UNUSED SimTrace *sim_trace_open(SimMachine *m,
                                         const SimTraceOptions *o,
                                         char *err, size_t errlen);

/* After the run: close what is still open at the end (a hart's state at
 * its last cycle, a blocked or halted hart's at the run's end, holds at
 * their holder's), write the file and detach.  m is the machine as it is
 * now: the one traced, or, when a session rebuilt it (the window's
 * restart), the new one or NULL, and then the trace ends where the first
 * run was left.  When the cap dropped events, prints one warning line on
 * stderr saying how many and how to narrow the window.  Frees t. */
ISA_WARN_UNUSED bool sim_trace_close(SimTrace *t, SimMachine *m, char *err,
                                     size_t errlen);

/* Parse a --trace-from / --trace-to value: a cycle count or "roi". */
ISA_WARN_UNUSED bool sim_trace_parse_cycle(const char *s, uint64_t *cycle,
                                           bool *roi);

#endif
