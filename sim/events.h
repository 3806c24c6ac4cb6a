/* events.h — the event stream: what the models and services say happened,
 * typed and stamped with the cycle, for whoever listens (the trace writer,
 * the window's "next event", tests).
 *
 * A producer never knows who listens.  It asks sim_ev_on(bus, kind) — one
 * load and a branch, false when nobody listens to that kind or there is
 * no bus — and only then fills a SimEvent and pushes it.  Events go into
 * a buffer per hart (the hart whose action caused them), so that in
 * parallel mode each host thread writes only its own harts' buffers; the
 * schedulers deliver the buffers to the listeners where every hart is
 * stopped (deterministic mode: after each step; parallel mode: at each
 * quantum barrier).  Within a hart's buffer events are in the order they
 * happened; across harts the order is the schedule's, so a listener that
 * needs global time order sorts by `cycle`.
 *
 * The kinds (ORDER SimEvKind: sim_ev_kind_names):
 *
 *   ACCESS     a data access and its result: what = IsaAccessKind,
 *              result = 0 for an L1 hit, 1 + MissClass for a miss (and
 *              SIM_EV_UPGRADE for a write to a line held shared),
 *              addr = the address, end = the cycle the data is ready
 *   MSG_SEND   a message leaves router src for router dst (published by
 *              the interconnect): what = the sender's tag (a coherence
 *              message: its CohMsg), addr = what it is about (the line),
 *              id = the message (the same id on its MSG_RECV), end = when
 *              it arrives
 *   MSG_RECV   that message reaches dst (cycle = arrival)
 *   LINK       a packet occupies link `id` from cycle to end
 *   LOCK       a lock annotation: what = PARSIM_LOCK_TRY / ACQUIRED /
 *              RELEASED, result = PARSIM_KIND_*, addr = the lock
 *   HART       a hart's state changes: what = SimEvHartState, addr = the
 *              address it waits on (BLOCKED) or the lock it tries
 *              (SPINNING)
 *   ROI        the region of interest begins (what = 0) or ends (1)
 *   SAMPLE     a hart's progress, at least every sample period of its
 *              clock while somebody listens: end = instructions retired
 *   MP_CALL    a hart enters (what = 0) or leaves (1) a message-passing
 *              library call: result = PARSIM_MPI_*, addr = the call site
 *              (nested calls are published too; the outermost is the
 *              program's)
 *   MP_SEND    a rank posts a message: src = its rank, dst = the
 *              destination rank, addr = bytes, what = 0 eager or 1
 *              rendezvous, id = the message's number (the same on its
 *              MP_RECV), end = when its data (eager) or its
 *              request-to-send (rendezvous) reaches the destination
 *   MP_RECV    a receive of that message completes (in the receiving
 *              hart's buffer, at its completion): src, dst, addr, id as
 *              on the MP_SEND
 *   GPU_KERNEL a kernel ran on the GPU array, from its first block's start
 *              (cycle) to its last block's end (end); published when it
 *              ends, in the buffer of the hart that launched it: addr =
 *              the kernel function, id = the launch's number (from 0)
 *   GPU_BLOCK  a block ran on an SM from cycle to end (published when it
 *              ends, in its launcher's buffer): src = the SM, dst = the
 *              block's first warp slot, id = the block's index in the
 *              grid, addr = the kernel
 *   GPU_WARP   a warp's lanes part (what = 0: a branch diverged, at
 *              addr = its pc) or meet again (what = 1: every running lane
 *              at one pc, addr): src = the SM, dst = the warp slot, id =
 *              the lanes the issue ran (diverge) or the running lanes
 *              (reconverge), a bit each
 *   COH        a core's private copy of a line changes state, as the
 *              protocol's table says (models/coherence/, published where
 *              the engine queues a message's effect on the copy and
 *              where the core's own access or eviction changes it):
 *              cycle = when (a message's arrival; the access's time),
 *              hart = the core's first hart, src = the core, addr = the
 *              line as the guest sees it (as the L1 views show it),
 *              what = the CohEvent (Inv, Data_S, Store, ...), result =
 *              the state it goes to, aux = the state it came from (both
 *              COH_*, stable or transient: models/coherence/protocol.h),
 *              id = 0, or 1: a correction (below).  A message's COH
 *              event is published when its transaction is simulated,
 *              before its cycle comes (listeners that show a moment
 *              filter by cycle); when the copy changes under it before
 *              then (the core's own upgrade, simulated later, comes
 *              first and loses the race; an event queued later arrives
 *              earlier) it is published again with id 1, the state it
 *              will find and the one it leaves, and replaces the COH
 *              event of the same core, line, cycle and event published
 *              before it.  Not published in
 *              parallel mode: there another core's miss queues this
 *              core's events from its own host thread, and this core's
 *              hart's buffer is its thread's alone
 *
 * May depend on: the C library only.
 */
#ifndef PARSIM_SIM_EVENTS_H
#define PARSIM_SIM_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum SimEvKind {
    SIM_EV_ACCESS, SIM_EV_MSG_SEND, SIM_EV_MSG_RECV, SIM_EV_LINK,
    SIM_EV_LOCK, SIM_EV_HART, SIM_EV_ROI, SIM_EV_SAMPLE, SIM_EV_MP_CALL,
    SIM_EV_MP_SEND, SIM_EV_MP_RECV, SIM_EV_GPU_KERNEL, SIM_EV_GPU_BLOCK,
    SIM_EV_GPU_WARP, SIM_EV_COH, SIM_EV_KIND_COUNT
} SimEvKind;
_Static_assert(SIM_EV_KIND_COUNT <= 32, "a bit per kind in a mask");
extern const char *const sim_ev_kind_names[SIM_EV_KIND_COUNT];

#define SIM_EV_BIT(k) (1u << (k))
#define SIM_EV_ALL ((1u << SIM_EV_KIND_COUNT) - 1)

/* ACCESS result beyond 1 + MissClass. */
#define SIM_EV_HIT 0
#define SIM_EV_UPGRADE 15

/* What a hart is doing, as HART events say it.  ORDER SimEvHartState:
 * sim_ev_hart_state_names. */
typedef enum SimEvHartState {
    SIM_EVH_RUNNING,          /* issuing (memory stalls are ACCESS spans) */
    SIM_EVH_SPINNING,         /* between a lock's TRY and ACQUIRED */
    SIM_EVH_BLOCKED,          /* in the WAIT service */
    SIM_EVH_HALTED,           /* parked in wfi, or the program ended */
    SIM_EVH_STATE_COUNT
} SimEvHartState;
extern const char *const sim_ev_hart_state_names[SIM_EVH_STATE_COUNT];

typedef struct SimEvent {
    uint64_t cycle;           /* when it happens */
    uint64_t end;             /* spans: when it ends; others: = cycle */
    uint32_t hart;            /* the hart whose action caused it */
    uint32_t addr;            /* address, line or lock */
    uint32_t id;              /* message id, link index */
    uint16_t src, dst;        /* routers (messages) */
    uint8_t kind;             /* SimEvKind */
    uint8_t what;             /* per kind, see above */
    uint8_t result;           /* per kind, see above */
    uint8_t aux;              /* per kind (COH: the state it came from);
                                 else 0 */
} SimEvent;

/* Called with a batch of events, all of one hart, in order. */
typedef void (*SimEvListener)(void *ctx, const SimEvent *ev, size_t n);

#define SIM_EV_MAX_LISTENERS 8

typedef struct SimEvBuf {
    _Alignas(64) SimEvent *ev;
    uint32_t n, cap;
} SimEvBuf;

typedef struct SimEvBus {
    uint32_t mask;            /* kinds someone listens to: the one branch */
    bool grow;                /* parallel mode: buffers grow until the
                                 barrier instead of delivering when full */
    uint32_t nharts;
    SimEvBuf *buf;            /* one per hart */
    uint32_t next_id;         /* message ids (__atomic) */
    uint64_t sample_period;   /* SAMPLE events: cycles between them */
    uint32_t nlisteners;
    struct {
        SimEvListener fn;
        void *ctx;
        uint32_t mask;
    } listener[SIM_EV_MAX_LISTENERS];
    /* Told when the mask changes (a producer may switch to a path that
     * publishes, as the machine switches its cores' access hook). */
    void (*changed)(void *ctx, uint32_t mask);
    void *changed_ctx;
} SimEvBus;

/* Is anybody listening to kind k?  The producers' only cost when not. */
static inline bool sim_ev_on(const SimEvBus *b, SimEvKind k)
{
    return b && __builtin_expect((b->mask >> k) & 1, 0);
}

bool sim_ev_init(SimEvBus *b, uint32_t nharts);
void sim_ev_free(SimEvBus *b);

/* Attach fn for the kinds in mask; returns false when the table is full.
 * Detach by the same fn and ctx.  Only where every hart is stopped. */
bool sim_ev_listen(SimEvBus *b, uint32_t mask, SimEvListener fn, void *ctx);
void sim_ev_unlisten(SimEvBus *b, SimEvListener fn, void *ctx);

/* Append e to its hart's buffer (deliver first when it is full and the
 * bus does not grow).  Call only after sim_ev_on said yes. */
void sim_ev_push(SimEvBus *b, const SimEvent *e);

/* A fresh message id (unique in the run). */
uint32_t sim_ev_new_id(SimEvBus *b);

/* Deliver every buffered event to the listeners (hart by hart) and empty
 * the buffers.  Only where every hart is stopped. */
void sim_ev_deliver(SimEvBus *b);

#endif
