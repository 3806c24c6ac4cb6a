/* session.h — a machine running on its own thread under remote control:
 * what the visualizer uses.  The simulation thread runs, pauses and steps
 * as commanded and publishes snapshots (plain copies of what can be seen:
 * harts, L1 contents, locks, links, counters, the ranks' recent states
 * and messages, the protocol's table and the copies' recent changes of
 * state); the caller reads the latest one whenever it likes.
 * Nothing in a snapshot points into the model, so a viewer can never
 * change or slow down model state except by pausing.
 *
 * The snapshot carries the names of what it holds (line states, message
 * types, lock kinds, the topology), so that a viewer needs no model
 * header: the SNAP_* enums below mirror the models' own, and session.c
 * asserts that they agree.
 *
 * May depend on: sim/machine.h (and through it isa/, models/, sim/).
 */
#ifndef PARSIM_SIM_SESSION_H
#define PARSIM_SIM_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/config.h"

#define SNAP_MAX_HARTS 64
#define SNAP_MAX_CORES 64
#define SNAP_MAX_NODES 64
#define SNAP_MAX_LOCKS 32
#define SNAP_MAX_HOLDS 2048
#define SNAP_MAX_LINKS 512
#define SNAP_HISTORY 240        /* counter samples kept for sparklines */
#define SNAP_CODE_WORDS 16      /* instruction halfwords... see code[] */

#define SNAP_NAME 24             /* bytes of a name, NUL included */
#define SNAP_MAX_KINDS 16
#define SNAP_MAX_MSGS 16
#define SNAP_MAX_STATS 128
#define SNAP_MAX_RANKS 64
#define SNAP_RANK_SPANS 256      /* a rank's most recent states */
#define SNAP_MAX_MPMSGS 256      /* the most recent messages between ranks */
#define SNAP_MAX_MPI_CALLS 32

#define SNAP_MAX_SMS 8           /* SMs the window shows */
#define SNAP_MAX_WARPS 64        /* warp slots per SM */
#define SNAP_MAX_BANKS 64

/* A warp slot of an SM (ORDER: SIM_GPU_WARP_* of sim/gpu.h). */
typedef enum SnapWarpState {
    SNAP_WARP_READY,          /* can issue */
    SNAP_WARP_MEMORY,         /* waiting for a memory access */
    SNAP_WARP_LATENCY,        /* waiting for an earlier result */
    SNAP_WARP_BARRIER,        /* every running lane at __syncthreads */
    SNAP_WARP_STATE_COUNT
} SnapWarpState;

typedef struct SnapWarp {
    bool live;                /* a block's warp is resident in the slot */
    uint8_t state;            /* SnapWarpState */
    uint32_t block;           /* linear index of its block in the grid */
    uint32_t pc;              /* its last issue's pc */
    uint32_t mask;            /* lanes its last issue ran (lit) */
    uint32_t active;          /* lanes still running */
    uint32_t barrier;         /* lanes waiting at __syncthreads */
} SnapWarp;

typedef struct SnapSm {
    uint64_t clock;
    uint32_t nwarps, nblocks;
    /* The coalescer's last request: lanes, lines and 32-byte sectors. */
    uint32_t last_lanes, last_lines, last_sectors;
    SnapWarp warps[SNAP_MAX_WARPS];
    uint32_t bank_heat[SNAP_MAX_BANKS];   /* this kernel's accesses */
} SnapSm;

/* Line states in an L1 (ORDER: COH_* of models/memsys.h). */
typedef enum SnapLineState {
    SNAP_LINE_I, SNAP_LINE_S, SNAP_LINE_E, SNAP_LINE_O, SNAP_LINE_M,
    SNAP_LINE_STATE_COUNT
} SnapLineState;

/* Every state of a private copy, the stable ones (SnapLineState) first,
 * then the transient ones, where a request is under way (ORDER: COH_* of
 * models/coherence/protocol.h): what the explain view's diagram has as
 * nodes, coh_state_names names. */
typedef enum SnapCohState {
    SNAP_COH_IS_D = SNAP_LINE_STATE_COUNT, SNAP_COH_IS_D_I, SNAP_COH_IM_AD,
    SNAP_COH_IM_A, SNAP_COH_SM_AD, SNAP_COH_SM_A, SNAP_COH_OM_A,
    SNAP_COH_STATES
} SnapCohState;
#define SNAP_COH_EVENTS 14       /* CohEvent: coh_event_names */
#define SNAP_COH_OWN_EVENTS 3    /* events 0..2 are the core's own (Load,
                                    Store, Replacement), the rest messages */
#define SNAP_COH_ACTIONS 11      /* a cell's action bits: coh_action_names */
#define SNAP_COH_NONE 0xff       /* a cell's next state: cannot happen */
#define SNAP_COH 256             /* the most recent changes of state kept */

/* A cell of the protocol's private-cache table: state x event -> next
 * state and actions (the diagram's edges). */
typedef struct SnapCohCell {
    uint8_t next;             /* SnapCohState, SNAP_COH_NONE: impossible */
    uint16_t actions;         /* bit b: coh_action_names[b] */
} SnapCohCell;

/* A copy changing state (a COH event, sim/events.h): core's copy of
 * line went from `from` to `to` on `event` at `cycle`. */
typedef struct SnapCohStep {
    uint64_t cycle;
    uint32_t line;            /* as l1_addr has it */
    uint16_t core;
    uint8_t from, event, to;  /* SnapCohState, CohEvent, SnapCohState */
} SnapCohStep;

/* Interconnect topologies (ORDER: NocTopology of models/noc.h). */
typedef enum SnapTopology {
    SNAP_TOPO_BUS, SNAP_TOPO_CROSSBAR, SNAP_TOPO_RING, SNAP_TOPO_MESH,
    SNAP_TOPO_TORUS, SNAP_TOPO_COUNT
} SnapTopology;

/* What a hart is doing at the snapshot's cycle. */
typedef enum SnapHartState {
    SNAP_RUNNING,             /* issuing */
    SNAP_MEMORY,              /* waiting for a memory access */
    SNAP_SPINNING,            /* between a lock's TRY and ACQUIRED */
    SNAP_BLOCKED,             /* in the WAIT service */
    SNAP_HALTED,              /* parked in wfi, or the run has ended */
    SNAP_STATE_COUNT
} SnapHartState;

typedef struct SnapHart {
    uint32_t id, core, thread;
    uint8_t state;            /* SnapHartState */
    bool trying;              /* a lock TRY is outstanding */
    uint32_t pc;
    uint64_t cycle, instret;
    uint32_t x[32];
    uint64_t stall_memory, stall_fu, stall_blocked, stall_spin, stall_slot;
    uint64_t misses, acquisitions, invalidations;  /* for the inspector */
    uint32_t wait_addr, lock_addr;
    uint32_t code_base;       /* guest address of code[0] */
    uint8_t code[64];         /* bytes of instructions around pc */
} SnapHart;

typedef struct SnapLock {
    uint32_t addr;
    char name[48];            /* symbol+offset */
    uint8_t kind;             /* PARSIM_KIND_*: lock_kind_names[kind] */
    int holder;               /* hart, -1 free */
    uint8_t nwaiters;
    uint8_t waiters[SNAP_MAX_HARTS];  /* harts trying, oldest first */
    uint64_t acquisitions, handoffs;
} SnapLock;

/* One hold of a lock, for the timeline: [from, to), to = UINT64_MAX while
 * it is still held. */
typedef struct SnapHold {
    uint16_t lock, hart;
    uint64_t from, to;
} SnapHold;

typedef struct SnapLink {
    uint32_t from, to;        /* routers */
    float util;               /* busy fraction over window_from..cycle */
    uint64_t packets;
} SnapLink;

/* A coherence message on its way at the snapshot's cycle: from router
 * src to router dst, `progress` of the way there (0..1). */
typedef struct SnapPacket {
    uint32_t src, dst;
    float progress;
    uint8_t type;             /* msg_names[type] */
    bool data;                /* carries a line */
} SnapPacket;

#define SNAP_MAX_PACKETS 64

typedef struct SnapNode {
    uint64_t mc_backlog;      /* cycles until the memory controller is free */
    uint64_t mc_requests;
    uint64_t llc_accesses, llc_misses;
} SnapNode;

typedef struct SnapSample {
    uint64_t cycle, instret, misses, messages;
    double host_seconds;
} SnapSample;

/* What a rank (its main hart: the first of its node, which runs main())
 * is doing, as the space-time diagram colours it.  From the event
 * stream: the library's notes (MP_CALL), blocking and waking (HART). */
typedef enum SnapRankState {
    SNAP_RANK_COMPUTE,        /* outside the message-passing library */
    SNAP_RANK_P2P,            /* in a point-to-point call: send, receive,
                                 wait, test, probe */
    SNAP_RANK_COLLECTIVE,     /* in a collective: barrier, bcast, ... */
    SNAP_RANK_LIBRARY,        /* in another call: init, finalize, ... */
    SNAP_RANK_WAITING,        /* blocked in a message-passing wait or probe
                                 (a late sender, or a late receiver of a
                                 rendezvous); a wait whose match is known
                                 but whose data comes later moves the
                                 clock without blocking and stays in its
                                 call's state */
    SNAP_RANK_BLOCKED,        /* blocked in the WAIT service (its threads) */
    SNAP_RANK_DONE,           /* exited */
    SNAP_RANK_STATE_COUNT
} SnapRankState;

/* A stretch of one state: from `from` to the next span's from (the last
 * one: to the snapshot's cycle). */
typedef struct SnapSpan {
    uint64_t from;
    uint8_t state;            /* SnapRankState */
    uint8_t call;             /* in a call: the outermost (mpi_call_names) */
} SnapSpan;

typedef struct SnapRank {
    uint32_t hart;            /* its main hart */
    uint8_t state, call;      /* at the snapshot's cycle (SnapRankState,
                                 mpi_call_names) */
    uint32_t nspans;          /* oldest first; the last may begin after
                                 the snapshot's cycle (a hart runs a
                                 little ahead of the machine's time) */
    SnapSpan spans[SNAP_RANK_SPANS];
    uint64_t sent, received;  /* messages */
    uint64_t bytes_sent, bytes_received;
} SnapRank;

/* A message between ranks: posted at `send`, its data (eager) or its
 * request to send (rendezvous) at the destination at `reach`, received
 * (the receive completed) at `recv`. */
typedef struct SnapMpMsg {
    uint64_t send, reach, recv;   /* recv: UINT64_MAX while not yet */
    uint32_t id;              /* the message's number in the run */
    uint32_t bytes;
    uint16_t src, dst;        /* ranks */
    uint8_t tag;              /* low 8 bits */
    bool rendezvous;
} SnapMpMsg;

/* One of the hottest lines (most invalidations + transfers): named by
 * every variable it holds, with its state in every core's L1. */
#define SNAP_HOT 12
typedef struct SnapHotLine {
    uint32_t line;
    uint64_t invalidations, transfers, misses;
    char name[120];
    uint8_t state[SNAP_MAX_CORES];    /* SnapLineState */
} SnapHotLine;

/* One line of the event log: an event in words (sim_ev_describe). */
#define SNAP_LOG 40
typedef enum SnapLogKind {
    SNAP_LOG_MEMORY,          /* a miss or an upgrade */
    SNAP_LOG_MESSAGE,         /* a coherence message */
    SNAP_LOG_LOCK,            /* a lock tried, taken, released, handed on */
    SNAP_LOG_HART,            /* a hart blocks, spins, runs, halts */
    SNAP_LOG_OTHER            /* ranks' messages, the GPU, the region */
} SnapLogKind;
typedef struct SnapLogEntry {
    uint64_t cycle;
    uint32_t hart;
    uint8_t kind;             /* SnapLogKind */
    char text[104];
} SnapLogEntry;

typedef struct SimSnapshot {
    uint64_t seq;             /* changes with every publication */
    uint64_t commands;        /* commands taken before it was made (see
                                 sim_session_commands) */
    uint64_t cycle;           /* the machine's time: every hart is here */
    bool paused, finished;
    int exit_status;
    char program[128];
    char end_message[256];    /* how the run ended (finished only) */

    uint32_t cores, threads_per_core, nodes, nharts;
    bool hierarchy;           /* false: flat memory (no caches to show) */
    uint32_t topology;        /* SnapTopology: topology_name */
    char topology_name[SNAP_NAME];
    char protocol_name[SNAP_NAME];      /* "MESI" */
    char organisation_name[SNAP_NAME];  /* "directory", "snooping bus" */
    uint32_t noc_width, routers;
    uint32_t core_router[SNAP_MAX_CORES], node_router[SNAP_MAX_NODES];
    SnapHart harts[SNAP_MAX_HARTS];

    /* Names of line states ("I" .. "M"), message types ("GETS"...), lock
     * kinds ("ttas_backoff"...): the snapshot's numbers index them. */
    char line_state_names[SNAP_LINE_STATE_COUNT][SNAP_NAME];
    uint32_t nmsgs, nlock_kinds;
    char msg_names[SNAP_MAX_MSGS][SNAP_NAME];
    char lock_kind_names[SNAP_MAX_KINDS][SNAP_NAME];

    /* L1D of every core: l1_sets x l1_ways lines, state SNAP_LINE_* and line
     * address, core-major: [core][set][way]. */
    uint32_t l1_sets, l1_ways, line_size;
    uint8_t *l1_state;        /* cores * sets * ways (owned by the copy) */
    uint32_t *l1_addr;
    /* The same at stats_prev_cycle: what the last step changed (equal to
     * the above when there is nothing to compare). */
    uint8_t *l1_prev_state;
    uint32_t *l1_prev_addr;

    uint32_t nhot;            /* the hottest lines, hottest first */
    SnapHotLine hot[SNAP_HOT];

    uint32_t nlocks;
    SnapLock locks[SNAP_MAX_LOCKS];
    uint32_t nholds;          /* the most recent holds, oldest first */
    SnapHold holds[SNAP_MAX_HOLDS];

    uint32_t nlinks;
    SnapLink links[SNAP_MAX_LINKS];
    uint32_t npackets;        /* messages in flight at `cycle` */
    SnapPacket packets[SNAP_MAX_PACKETS];
    SnapNode node[SNAP_MAX_NODES];

    uint32_t nsamples;        /* oldest first (see window_from) */
    SnapSample samples[SNAP_HISTORY];

    /* Message passing: 0 ranks without (one shared memory). */
    uint32_t nranks, harts_per_rank;
    SnapRank ranks[SNAP_MAX_RANKS];
    uint32_t nmpmsgs;         /* the most recent, in the order posted */
    SnapMpMsg mpmsgs[SNAP_MAX_MPMSGS];
    uint64_t mpmsgs_total;    /* messages posted so far */
    uint32_t nmpi_calls;      /* "MPI_Recv"...: the SnapRank.call names */
    char mpi_call_names[SNAP_MAX_MPI_CALLS][SNAP_NAME];

    /* Every counter of the statistics registry as a machine figure (its
     * members summed, clocks their max), named by its JSON path, as the
     * summary and --stats-csv have them. */
    uint32_t nstats;
    struct {
        char name[64];
        char unit[24];
        uint64_t value;
        uint64_t prev;        /* at stats_prev_cycle */
    } stats[SNAP_MAX_STATS];
    /* The cycle of the snapshot before this one (the previous position of
     * a step, run or step back; == cycle: none, nothing to compare). */
    uint64_t stats_prev_cycle;
    /* links[].util, and the rates of the samples' last point, cover the
     * cycles window_from..cycle: from the latest of the session's fixed
     * points (every 500 cycles) at least 1,000 cycles back (from 0
     * before cycle 1,000).  The samples: the fixed points, oldest first,
     * then `cycle` itself. */
    uint64_t window_from;

    /* The event log (SIM_CMD_EVENT_LOG): the most recent events in words,
     * newest first, from when it was turned on; log_total: how many it
     * has seen since. */
    bool log_on;
    uint32_t nlog;
    uint64_t log_total;
    SnapLogEntry log[SNAP_LOG];
    /* What the last "next event" step stopped on, in words ("" after any
     * other command). */
    char stopped_on[128];
    /* The hart a --break or --watch stopped (-1: none), and a count of
     * such stops, for the window to select it once per stop. */
    int stopped_hart;
    uint64_t stops;

    /* The GPU array: nsms 0 without one (at most SNAP_MAX_SMS shown). */
    uint32_t nsms, warp_size, max_warps, smem_banks;
    char kernel[64];          /* the kernel running, "" when idle */
    SnapSm sms[SNAP_MAX_SMS];

    /* The protocol's private-cache table, for the explain view's state
     * diagram (coh_states 0: flat memory, no caches), in words: the
     * names of states, events and actions, and a line of what each event
     * is ("another core's write: the copy is invalidated"). */
    uint32_t coh_states;      /* 1 << state for each state it uses */
    uint8_t coh_stable_of[SNAP_COH_STATES];  /* the stable state a
                                                transient one left (IS_D:
                                                I, SM_AD: S); itself */
    char coh_state_names[SNAP_COH_STATES][SNAP_NAME];
    char coh_event_names[SNAP_COH_EVENTS][SNAP_NAME];
    char coh_event_help[SNAP_COH_EVENTS][64];
    char coh_action_names[SNAP_COH_ACTIONS][SNAP_NAME];
    SnapCohCell coh_table[SNAP_COH_STATES][SNAP_COH_EVENTS];
    /* The most recent changes of any copy's state at or before `cycle`,
     * oldest first (from the COH events: a message's effect when it
     * arrives, a core's own access or eviction). */
    uint32_t ncoh;
    SnapCohStep coh[SNAP_COH];
} SimSnapshot;

typedef enum SimCommand {
    SIM_CMD_RUN,              /* run freely (at the current speed) */
    SIM_CMD_PAUSE,
    SIM_CMD_STEP,             /* pause, then advance arg cycles exactly */
    SIM_CMD_STEP_HART_EVENT,  /* pause, run to the next event of hart arg
                                 itself (a miss, a lock annotation, a
                                 change of state, a message-passing call
                                 entered or left, a message sent or
                                 received), from the event stream: exact
                                 on a multithreaded core */
    SIM_CMD_STEP_LOCK_EVENT,  /* pause, run until lock arg (index) is
                                 acquired or released */
    SIM_CMD_STEP_LINE_EVENT,  /* pause, run until the line holding address
                                 arg misses somewhere, sends a message or
                                 a copy of it changes state (a COH event:
                                 stopped at its cycle, which may come
                                 after the event was published) */
    SIM_CMD_STEP_GPU_EVENT,   /* pause, run until a GPU warp diverges or
                                 reconverges, or a block or kernel ends */
    SIM_CMD_SPEED,            /* arg cycles per second (0: full speed) */
    SIM_CMD_EVENT_LOG,        /* arg 1: keep the event log, 0: stop (it
                                 costs: every event is published) */
    SIM_CMD_RESTART,          /* the same program from the start, paused */
    SIM_CMD_BACK,             /* pause, go back arg cycles (at least 1),
                                 exactly: the run replayed from cycle 0 */
    SIM_CMD_BACK_EVENT,       /* pause, go back to the latest event before
                                 now of what a "next event" command
                                 watches: arg = command << 32 | its arg */
    SIM_CMD_QUIT
} SimCommand;

typedef struct SimSession SimSession;

/* Load the program and build the machine (not running yet: call
 * sim_session_start).  Fails with a reason. */
SimSession *sim_session_new(const SimConfig *cfg, const char *path, int argc,
                            char **argv, char *err, size_t errlen);
/* Start the simulation thread, paused or running. */
bool sim_session_start(SimSession *s, bool paused);
void sim_session_command(SimSession *s, SimCommand cmd, uint64_t arg);
/* Copy the latest snapshot into *out if it is newer than out->seq (out
 * must be zeroed before the first call and freed with
 * sim_snapshot_free).  Returns whether it changed. */
bool sim_session_snapshot(SimSession *s, SimSnapshot *out);
void sim_snapshot_free(SimSnapshot *snap);
/* Run paused to `cycle` on the calling thread (no simulation thread):
 * for headless --snapshot rendering and tests.  Returns false when the
 * program ended first. */
bool sim_session_run_to(SimSession *s, uint64_t cycle);
/* Run to the end on the calling thread as a plain run does (no fixed
 * points, no undo rings: what the summary after a window or --snapshot
 * needs).  Returns whether the run ended (not a breakpoint in pause
 * mode, which stops it again and again: the caller goes on). */
bool sim_session_finish(SimSession *s);
/* --break and --watch for this session's machines (this one and every
 * restart's): pause (the window) stops there and says so in the
 * snapshot's stopped_on, else the run ends there.  The strings must
 * outlive the session.  false with a reason naming the spec. */
ISA_WARN_UNUSED bool sim_session_set_breaks(SimSession *s,
                                            char *const *breaks, int nbreaks,
                                            char *const *watches,
                                            int nwatches, bool pause,
                                            char *err, size_t errlen);

/* The event log on or off, for a session without its thread (the
 * command's way); false when out of memory for it. */
bool sim_session_event_log(SimSession *s, bool on);

/* The same for "next event" (cmd one of the SIM_CMD_STEP_*_EVENT, arg as
 * there): returns whether the event came before the run ended. */
bool sim_session_step_event(SimSession *s, SimCommand cmd, uint64_t arg);
/* The same for going back (without the thread): `cycles` back, or to the
 * latest event before now that "next event" cmd (arg) would stop on,
 * which stopped_on then names.  Both replay the run from cycle 0 on a
 * new machine (deterministic, so the same run: the snapshot at cycle N
 * is the one a step forward to N gives), the console's output already
 * shown not shown again.  false: no such event (or no machine). */
bool sim_session_back(SimSession *s, uint64_t cycles);
bool sim_session_back_event(SimSession *s, SimCommand cmd, uint64_t arg);
/* Commands sent so far: a snapshot whose `commands` has reached it was
 * made after they were all taken (the window's scripted keys wait for
 * it before the next key). */
uint64_t sim_session_commands(SimSession *s);
/* Runs replayed so far to go back (for tests). */
uint64_t sim_session_replays(const SimSession *s);
/* Symbol and source line of a pc, disassembly of an instruction, for the
 * inspector (the program is read-only, so any thread may ask). */
void sim_session_describe(const SimSession *s, uint32_t pc, char *buf,
                          size_t len);
bool sim_session_source_line(const SimSession *s, uint32_t pc,
                             const char **file, int *line);
/* "counter+0" for a data address. */
/* A cache line by every variable it holds (sim_elf_line_name). */
void sim_session_line_name(const SimSession *s, uint32_t line, uint32_t size,
                           char *buf, size_t len);
void sim_session_data_name(const SimSession *s, uint32_t addr, char *buf,
                           size_t len);
/* Stop the simulation thread (if one runs), keeping the machine as it is:
 * afterwards sim_session_run_to works on the calling thread. */
int sim_session_free_thread(SimSession *s);

/* The machine, for the end-of-run summary and statistics: only while no
 * simulation thread runs (never started, or the run has ended). */
struct SimMachine *sim_session_machine(SimSession *s);
bool sim_session_ended(const SimSession *s);
/* The machine's time, and whether its region of interest has begun
 * (parsim_roi_begin), for --start-at (only while no simulation thread
 * runs). */
uint64_t sim_session_cycle(const SimSession *s);
bool sim_session_in_roi(const SimSession *s);

/* Stop the thread (if any) and free everything.  Returns the exit status
 * of the run (-1 if it has not ended). */
int sim_session_free(SimSession *s);

/* Has a signal (Ctrl-C in the terminal, SIGTERM) asked parsim to stop?
 * The window closes then; the run's results follow as for any run. */
bool sim_session_interrupted(void);

#endif
