/* session.c — a machine on its own thread, run, paused and stepped by
 * commands, publishing snapshots (see session.h).
 *
 * The machine always runs in deterministic mode here: stepping must be
 * exact.  Its time is the step target T: every runnable hart has reached T
 * (an instruction is never split, so a hart may be a few cycles past it).
 * The simulation thread owns the machine; the viewer only ever sees copies
 * made under the session mutex.
 *
 * With ranks the session listens to the event stream (MP_CALL, MP_SEND,
 * MP_RECV, HART) on the simulation thread: each rank's main hart's states
 * go into a ring of spans, the messages into a ring of the most recent,
 * and fill() copies both into the snapshot.  Listening changes nothing in
 * the run.
 *
 * With caches it listens to the COH events too (every machine, from cycle
 * 0, so that a replay has the same): each copy's change of state goes
 * into a ring, and fill() gives the snapshot the latest of them at or
 * before the machine's time, for the explain view.  A message's change is
 * published before it happens (when its transaction is simulated), so
 * "next event" of a line waits for its cycle to come.
 */
#include "sim/session.h"

#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/machine_priv.h"
#include "sim/gpu.h"

_Static_assert((int)SNAP_LINE_I == COH_I && (int)SNAP_LINE_S == COH_S &&
               (int)SNAP_LINE_E == COH_E && (int)SNAP_LINE_O == COH_O &&
               (int)SNAP_LINE_M == COH_M &&
               (int)SNAP_LINE_STATE_COUNT == COH_STATE_COUNT,
               "ORDER: SnapLineState mirrors COH_*");
_Static_assert(SNAP_TOPO_BUS == (int)NOC_BUS &&
               SNAP_TOPO_CROSSBAR == (int)NOC_CROSSBAR &&
               SNAP_TOPO_RING == (int)NOC_RING &&
               SNAP_TOPO_MESH == (int)NOC_MESH &&
               SNAP_TOPO_TORUS == (int)NOC_TORUS &&
               SNAP_TOPO_COUNT == (int)NOC_TOPOLOGY_COUNT,
               "ORDER: SnapTopology mirrors NocTopology");
_Static_assert(MSG_COUNT <= SNAP_MAX_MSGS, "room for every message type");
_Static_assert((int)SNAP_WARP_READY == SIM_GPU_WARP_READY &&
               (int)SNAP_WARP_MEMORY == SIM_GPU_WARP_MEMORY &&
               (int)SNAP_WARP_LATENCY == SIM_GPU_WARP_LATENCY &&
               (int)SNAP_WARP_BARRIER == SIM_GPU_WARP_BARRIER,
               "SnapWarpState mirrors SIM_GPU_WARP_*");
_Static_assert(SNAP_MAX_WARPS == SIM_GPU_VIEW_WARPS &&
               SNAP_MAX_BANKS == 64, "the GPU view fits the snapshot");
_Static_assert(PARSIM_KIND_COUNT <= SNAP_MAX_KINDS, "room for every kind");
_Static_assert((int)SNAP_COH_IS_D == COH_IS_D &&
               (int)SNAP_COH_IS_D_I == COH_IS_D_I &&
               (int)SNAP_COH_IM_AD == COH_IM_AD &&
               (int)SNAP_COH_IM_A == COH_IM_A &&
               (int)SNAP_COH_SM_AD == COH_SM_AD &&
               (int)SNAP_COH_SM_A == COH_SM_A &&
               (int)SNAP_COH_OM_A == COH_OM_A &&
               (int)SNAP_COH_STATES == COH_ALL_STATES,
               "ORDER: SnapCohState mirrors COH_*");
_Static_assert(CEV_LOAD == 0 && CEV_STORE == 1 && CEV_REPLACE == 2 &&
               SNAP_COH_OWN_EVENTS == 3, "the core's own events first");
_Static_assert(SNAP_COH_EVENTS == CEV_COUNT &&
               SNAP_COH_ACTIONS == CA_COUNT_BITS &&
               SNAP_COH_NONE == COH_NONE,
               "the protocol's table fits the snapshot");
_Static_assert(PARSIM_MPI_CALL_COUNT <= SNAP_MAX_MPI_CALLS,
               "room for every library call's name");

/* The run's fixed points: every SESS_SAMPLE cycles the session notes the
 * counters of the sparklines and every link's busy cycles, whichever way
 * the machine got there (running, stepping, replaying), so that what a
 * snapshot shows at cycle T depends on T alone.  Rates and link use
 * cover window_from..T: from the latest point at least SESS_WINDOW cycles
 * back (from 0 early on). */
#define SESS_SAMPLE 500u
#define SESS_WINDOW 1000u
#define SESS_POINTS 8u            /* points kept for the windows */

/* The copies' changes of state kept: more than a snapshot shows, as the
 * latest published include some still to come. */
#define SESS_COH 2048u
#define COH_GONE 0xff             /* an entry a correction replaced */

typedef struct SessPoint {
    uint64_t cycle;
    uint64_t busy[SNAP_MAX_LINKS];
} SessPoint;

/* A rank as the session follows it, from its main hart's events: its
 * recent states in a ring (the newest at head - 1). */
typedef struct SessRank {
    SnapSpan ring[SNAP_RANK_SPANS];
    uint32_t head, n;
    uint8_t depth, call;      /* library calls it is in; the outermost */
    bool blocked, mp_blocked, done;
    uint64_t sent, received, bytes_sent, bytes_received;
} SessRank;

/* A recent message; `sent` once its MP_SEND came (its MP_RECV may come
 * first: the match can be made while the send is still being posted). */
typedef struct SessMsg {
    SnapMpMsg m;
    bool sent;
} SessMsg;

struct SimSession {
    SimConfig cfg;
    SimProgram *prog;
    int argc;
    char **argv;
    SimMachine *m;
    IsaUndo *undo;            /* every hart's undo ring (isa_hart_at) */
    uint64_t time;            /* the machine's time T */
    bool ended;

    pthread_t thread;
    bool threaded;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* Commands, under mu. */
    bool paused, quit, restart;
    uint64_t step;            /* cycles still to step */
    int event_hart, event_lock;   /* -1: none pending */
    int64_t event_line;           /* -1: none pending */
    bool event_gpu;               /* a GPU event pending */
    uint64_t speed;           /* cycles per second, 0 = full */
    bool pub_paused;          /* the paused state the last snapshot has */
    uint64_t cmds, cmds_taken;    /* commands sent; taken by the thread */

    /* Snapshots: built by the simulation thread into `work`, published by
     * swapping into `pub` under mu. */
    SimSnapshot work, pub;
    uint64_t seq;
    double start;
    /* The fixed points (see SESS_SAMPLE): the sparklines' samples, the
     * newest at ring_next - 1, and the links' busy cycles at the last
     * SESS_POINTS of them. */
    SnapSample ring[SNAP_HISTORY];
    uint32_t ring_next, nring;
    SessPoint pts[SESS_POINTS];
    uint32_t pt_next, npts;

    /* Message passing (the simulation thread's, from the event stream):
     * the ranks' states, the most recent messages in a ring. */
    SessRank *ranks;
    uint32_t nranks, harts_per_rank;
    SessMsg msgs[SNAP_MAX_MPMSGS];
    uint32_t msg_next, nmsgs;
    uint64_t msgs_total;

    /* The event log: log_want under mu (the command), the rest the
     * simulation thread's; a ring of the last SNAP_LOG events, and who
     * last released each lock (for "handed from"). */
    bool log_want, log_on;
    uint64_t log_since;       /* the cycle it was last turned on */
    SnapLogEntry log[SNAP_LOG];
    uint32_t log_next, nlog;
    uint64_t log_total;
    struct { uint32_t addr; int hart; } released[16];
    uint32_t nreleased;
    char stopped_on[128];

    /* The copies' changes of state (COH events, the simulation thread's),
     * in the order published, the newest at coh_next - 1; and fill()'s
     * scratch, where they are put in time order. */
    SnapCohStep coh[SESS_COH];
    uint32_t coh_next, ncoh;
    SnapCohStep coh_sorted[SESS_COH];

    /* --break, --watch: applied to every machine built. */
    char *const *breaks, *const *watches;
    int nbreaks, nwatches;
    bool break_pause;
    bool broke;               /* the last advance stopped at one */
    int broke_hart;           /* the hart it stopped, -1 none */
    uint64_t stops;

    /* Stepping back (under mu): cycles to go back, or the "next event"
     * command (and its argument) whose previous event to go back to. */
    uint64_t back;
    bool back_event;
    SimCommand back_cmd;
    uint64_t back_arg;
    uint64_t replays;         /* runs replayed to go back */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- building a snapshot ------------------------------------------------ */

static uint64_t l1_misses(const SimMachine *m, uint32_t core)
{
    if (!m->memsys)
        return 0;
    CacheStats st;
    memsys_l1_stats(m->memsys, core, &st);
    uint64_t n = 0;
    for (int c = 0; c < MISS_CLASS_COUNT; c++)
        n += st.misses[c];
    return n;
}

static void fill_harts(SimSession *s, SimSnapshot *sn)
{
    const SimMachine *m = s->m;
    /* How far a running hart can be ahead of the machine's time: a slice
     * past the next hart, and one slow instruction. */
    const uint64_t ahead = (uint64_t)m->cfg.granularity +
                           m->rank_granularity + 1000;
    for (uint32_t i = 0; i < m->nharts && i < SNAP_MAX_HARTS; i++) {
        const SimHart *h = &m->harts[i];
        SnapHart *o = &sn->harts[i];
        memset(o, 0, sizeof *o);
        o->id = i;
        o->core = h->core;
        o->thread = h->thread;
        /* As it was at the machine's time: a hart that ran on into its
         * slice is shown before what it began since. */
        IsaHartView at;
        (void)isa_hart_at(&h->isa, s->time, &at);
        o->pc = at.pc;
        o->cycle = at.cycle;
        o->instret = at.instret;
        memcpy(o->x, at.x, sizeof o->x);
        uint64_t st[5];
        sim_machine_stalls(m, i, st);
        o->stall_memory = st[0];
        o->stall_fu = st[1];
        o->stall_blocked = st[2];
        o->stall_spin = st[3];
        o->stall_slot = st[4];
        o->trying = h->trying;
        o->wait_addr = h->wait_addr;
        o->lock_addr = h->lock_addr;
        o->acquisitions = h->st.acquisitions;
        if (m->memsys) {
            CacheStats cs;
            memsys_l1_stats(m->memsys, h->core, &cs);
            for (int c = 0; c < MISS_CLASS_COUNT; c++)
                o->misses += cs.misses[c];
            o->invalidations = cs.invalidations;
        }
        uint64_t busy = m->memsys ? memsys_busy_until(m->memsys, i)
                                  : m->flat.hart[i].busy_until;
        /* Blocked, parked or exited since the machine's time: not yet. */
        int hs = at.undone ? SIM_HART_RUNNABLE : h->state;
        if (s->ended || hs == SIM_HART_PARKED || hs == SIM_HART_EXITED)
            o->state = SNAP_HALTED;
        else if (hs == SIM_HART_WAITING || hs == SIM_HART_MPWAIT ||
                 hs == SIM_HART_GPUWAIT)
            o->state = SNAP_BLOCKED;
        else if (m->nranks && h->isa.cycle > s->time + ahead)
            /* A rank's hart whose clock jumped past the machine's time
             * waits for a message-passing call known to end then. */
            o->state = SNAP_BLOCKED;
        else if (h->trying)
            o->state = SNAP_SPINNING;
        else if (busy > s->time && busy - s->time > 2)
            o->state = SNAP_MEMORY;
        else
            o->state = SNAP_RUNNING;
        /* The instructions around pc, within RAM (at _start, pc is its
         * first byte). */
        uint32_t lo = m->mem.base, hi = m->mem.base + m->mem.size;
        uint32_t cb = o->pc - lo >= 32 ? (o->pc - 32) & ~1u : lo;
        if (hi - cb < sizeof o->code && hi - lo >= sizeof o->code)
            cb = hi - (uint32_t)sizeof o->code;
        o->code_base = cb;
        if (!isa_mem_read(&m->mem, o->code_base, o->code, sizeof o->code))
            memset(o->code, 0, sizeof o->code);
    }
}

static void fill_locks(SimSession *s, SimSnapshot *sn)
{
    const SimMachine *m = s->m;
    sn->nlocks = m->nlocks < SNAP_MAX_LOCKS ? (uint32_t)m->nlocks
                                            : SNAP_MAX_LOCKS;
    for (uint32_t i = 0; i < sn->nlocks; i++) {
        const SimLock *l = &m->locks[i];
        SnapLock *o = &sn->locks[i];
        memset(o, 0, sizeof *o);
        o->addr = l->addr;
        sim_machine_data_name(m, l->addr, o->name, sizeof o->name);
        o->kind = (uint8_t)l->kind;
        o->holder = l->holder;
        o->acquisitions = l->acquisitions;
        o->handoffs = l->handoffs;
        /* Waiters in the order they started trying. */
        uint64_t last = 0;
        for (;;) {
            int best = -1;
            for (uint32_t k = 0; k < m->nharts; k++) {
                const SimHart *h = &m->harts[k];
                if (!h->trying || h->lock_addr != l->addr)
                    continue;
                uint64_t key = h->lock_since * SNAP_MAX_HARTS + k + 1;
                if (key > last && (best < 0 ||
                                   key < m->harts[best].lock_since *
                                   SNAP_MAX_HARTS + (uint32_t)best + 1))
                    best = (int)k;
            }
            if (best < 0 || o->nwaiters >= SNAP_MAX_HARTS)
                break;
            o->waiters[o->nwaiters++] = (uint8_t)best;
            last = m->harts[best].lock_since * SNAP_MAX_HARTS +
                   (uint32_t)best + 1;
        }
    }
    sn->nholds = 0;
    for (uint32_t i = m->nholds; i-- > 0;) {
        const SimHold *h = &m->holds[(m->hold_next + SIM_HOLDS - 1 - i) %
                                     SIM_HOLDS];
        if (h->lock >= SNAP_MAX_LOCKS || sn->nholds >= SNAP_MAX_HOLDS)
            continue;
        sn->holds[sn->nholds++] = (SnapHold){h->lock, h->hart, h->from, h->to};
    }
}

/* The point the windows start at: the latest at least SESS_WINDOW
 * cycles before the machine's time, else the oldest kept (NULL: none). */
static const SessPoint *window_point(const SimSession *s)
{
    const SessPoint *best = NULL;
    for (uint32_t k = 0; k < s->npts; k++) {
        const SessPoint *p = &s->pts[(s->pt_next + SESS_POINTS - 1 - k) %
                                     SESS_POINTS];
        best = p;
        if (p->cycle + SESS_WINDOW <= s->time)
            break;
    }
    return best;
}

/* The sparklines' counters now. */
static SnapSample sample_now(const SimSession *s)
{
    const SimMachine *m = s->m;
    SnapSample smp = {s->time, 0, 0, 0, now_s() - s->start};
    for (uint32_t i = 0; i < m->nharts; i++) {
        IsaHartView at;
        (void)isa_hart_at(&m->harts[i].isa, s->time, &at);
        smp.instret += at.instret;
    }
    for (uint32_t k = 0; k < m->cfg.cores; k++)
        smp.misses += l1_misses(m, k);
    for (int t = 0; m->memsys && t < MSG_COUNT; t++)
        smp.messages += memsys_msg_count(m->memsys, t);
    return smp;
}

/* A fixed point: the machine's time is a multiple of SESS_SAMPLE (or 0). */
static void take_point(SimSession *s)
{
    if (s->nring && s->ring[(s->ring_next + SNAP_HISTORY - 1) %
                            SNAP_HISTORY].cycle == s->time)
        return;
    s->ring[s->ring_next] = sample_now(s);
    s->ring_next = (s->ring_next + 1) % SNAP_HISTORY;
    if (s->nring < SNAP_HISTORY)
        s->nring++;
    SessPoint *p = &s->pts[s->pt_next];
    s->pt_next = (s->pt_next + 1) % SESS_POINTS;
    if (s->npts < SESS_POINTS)
        s->npts++;
    p->cycle = s->time;
    memset(p->busy, 0, sizeof p->busy);
    if (s->m->memsys) {
        const Noc *noc = memsys_noc(s->m->memsys);
        uint32_t nl = noc_link_count(noc);
        for (uint32_t i = 0; i < nl && i < SNAP_MAX_LINKS; i++) {
            NocLinkStats ls;
            noc_link_stats(noc, i, &ls);
            p->busy[i] = ls.busy_cycles;
        }
    }
}

/* The protocol's private-cache table, and the latest changes of state
 * at or before the machine's time in time order (the ring's are in the
 * order published: nearly so). */
static void fill_coh(SimSession *s, SimSnapshot *sn, const CohProtocolDef *p)
{
    sn->coh_states = p->states;
    for (int st = 0; st < COH_ALL_STATES; st++)
        for (int e = 0; e < CEV_COUNT; e++)
            sn->coh_table[st][e] = (SnapCohCell){p->cache[st][e].next,
                                                 p->cache[st][e].actions};
    uint32_t n = 0;
    for (uint32_t k = 0; k < s->ncoh; k++) {
        const SnapCohStep *e = &s->coh[(s->coh_next + SESS_COH - s->ncoh + k) %
                                       SESS_COH];
        if (e->cycle > s->time || e->event == COH_GONE)
            continue;                 /* still to come, or corrected */
        uint32_t j = n++;
        while (j > 0 && s->coh_sorted[j - 1].cycle > e->cycle) {
            s->coh_sorted[j] = s->coh_sorted[j - 1];
            j--;
        }
        s->coh_sorted[j] = *e;
    }
    uint32_t from = n > SNAP_COH ? n - SNAP_COH : 0;
    sn->ncoh = n - from;
    memcpy(sn->coh, s->coh_sorted + from, sn->ncoh * sizeof *sn->coh);
}

static void fill_memory(SimSession *s, SimSnapshot *sn)
{
    const SimMachine *m = s->m;
    const MemSys *ms = m->memsys;
    sn->hierarchy = ms != NULL;
    if (!ms) {
        sn->nlinks = 0;
        sn->npackets = 0;
        sn->nhot = 0;
        sn->coh_states = 0;
        sn->ncoh = 0;
        return;
    }
    const MemSysConfig *c = memsys_config(ms);
    static const char *const protos[] = {"MSI", "MESI", "MOESI"};
    sn->topology = c->noc.topology;
    snprintf(sn->topology_name, sizeof sn->topology_name, "%s",
             noc_topology_names[c->noc.topology]);
    snprintf(sn->protocol_name, sizeof sn->protocol_name, "%s",
             protos[c->protocol]);
    snprintf(sn->organisation_name, sizeof sn->organisation_name, "%s",
             c->org == COH_SNOOP ? "snooping bus" : "directory");
    sn->noc_width = c->noc.width;
    sn->routers = c->noc.routers;
    memcpy(sn->core_router, c->core_router, sizeof sn->core_router);
    memcpy(sn->node_router, c->node_router, sizeof sn->node_router);
    sn->l1_sets = c->l1d.size / c->l1d.line / c->l1d.assoc;
    sn->l1_ways = c->l1d.assoc;
    sn->line_size = c->l1d.line;
    size_t per = (size_t)sn->l1_sets * sn->l1_ways;
    for (uint32_t k = 0; k < c->cores; k++)
        memsys_l1_dump(ms, k, sn->l1_state + k * per, sn->l1_addr + k * per);
    /* The hottest lines, with their state in every L1 (the same states
     * as l1_state: SnapLineState follows CohState). */
    LineStats hot[SNAP_HOT];
    sn->nhot = (uint32_t)memsys_hot_lines(ms, hot, SNAP_HOT);
    for (uint32_t i = 0; i < sn->nhot; i++) {
        SnapHotLine *o = &sn->hot[i];
        o->line = hot[i].line;
        o->invalidations = hot[i].invalidations;
        o->transfers = hot[i].transfers;
        o->misses = hot[i].misses;
        sim_elf_line_name(s->prog, hot[i].line, c->l1d.line, o->name,
                          sizeof o->name);
        for (uint32_t k = 0; k < c->cores && k < SNAP_MAX_CORES; k++)
            o->state[k] = (uint8_t)memsys_l1_state(ms, k, hot[i].line);
    }
    const Noc *noc = memsys_noc(ms);
    uint32_t nl = noc_link_count(noc);
    sn->nlinks = nl < SNAP_MAX_LINKS ? nl : SNAP_MAX_LINKS;
    /* Use over the window: since its first point (none yet: from 0). */
    const SessPoint *from = window_point(s);
    uint64_t span = from && s->time > from->cycle ? s->time - from->cycle
                                                  : s->time;
    for (uint32_t i = 0; i < sn->nlinks; i++) {
        NocLinkStats ls;
        noc_link_stats(noc, i, &ls);
        uint64_t was = from ? from->busy[i] : 0;
        uint64_t d = ls.busy_cycles > was ? ls.busy_cycles - was : 0;
        sn->links[i] = (SnapLink){ls.from, ls.to,
                                  span ? (float)d / (float)span : 0.0f,
                                  ls.packets};
        if (sn->links[i].util > 1.0f)
            sn->links[i].util = 1.0f;
    }
    NocPacket pk[SNAP_MAX_PACKETS];
    uint32_t np = noc_in_flight(noc, s->time, pk, SNAP_MAX_PACKETS);
    sn->npackets = np;
    for (uint32_t i = 0; i < np; i++) {
        uint64_t span_p = pk[i].arrive - pk[i].depart;
        sn->packets[i] = (SnapPacket){
            pk[i].src, pk[i].dst,
            span_p ? (float)(s->time - pk[i].depart) / (float)span_p : 0.0f,
            pk[i].tag,
            pk[i].tag == MSG_DATA || pk[i].tag == MSG_PUTX ||
                pk[i].tag == MSG_WB || pk[i].tag == NIC_PKT_DATA ||
                pk[i].tag == MEMSYS_DEV_DATA};
    }
    fill_coh(s, sn, coh_protocol(c->protocol));
    for (uint32_t n = 0; n < c->nodes && n < SNAP_MAX_NODES; n++) {
        const MemCtl *mc = memsys_memctl(ms, n);
        CacheStats st;
        memsys_llc_stats(ms, n, &st);
        sn->node[n] = (SnapNode){
            mc->free_at > s->time ? mc->free_at - s->time : 0, mc->requests,
            st.accesses, st.accesses - st.hits};
    }
}

/* The GPU array's SMs and their warps. */
static void fill_gpu(SimSession *s, SimSnapshot *sn)
{
    const SimMachine *m = s->m;
    sn->nsms = 0;
    if (!m->gpu)
        return;
    sn->nsms = m->cfg.gpu.sms < SNAP_MAX_SMS ? m->cfg.gpu.sms : SNAP_MAX_SMS;
    sn->warp_size = m->cfg.gpu.warp_size;
    sn->max_warps = m->cfg.gpu.max_warps < SNAP_MAX_WARPS
                        ? m->cfg.gpu.max_warps : SNAP_MAX_WARPS;
    sn->smem_banks = m->cfg.gpu.smem_banks;
    snprintf(sn->kernel, sizeof sn->kernel, "%s", sim_gpu_current(m));
    for (uint32_t i = 0; i < sn->nsms; i++) {
        SimGpuSmView v;
        sim_gpu_sm_view(m, i, &v);
        SnapSm *o = &sn->sms[i];
        o->clock = v.clock;
        o->nwarps = v.nwarps;
        o->nblocks = v.nblocks;
        o->last_lanes = v.last_lanes;
        o->last_lines = v.last_lines;
        o->last_sectors = v.last_sectors;
        memcpy(o->bank_heat, v.heat, sizeof o->bank_heat);
        for (uint32_t k = 0; k < SNAP_MAX_WARPS; k++) {
            const SimGpuWarpView *w = &v.warp[k];
            o->warps[k] = (SnapWarp){w->live, w->state, w->block_id, w->pc,
                                     w->mask, w->active, w->barrier};
        }
    }
}

/* The ranks' recent states and the recent messages, oldest first. */
static void fill_ranks(SimSession *s, SimSnapshot *sn)
{
    sn->nranks = s->nranks < SNAP_MAX_RANKS ? s->nranks : SNAP_MAX_RANKS;
    sn->harts_per_rank = s->harts_per_rank;
    for (uint32_t r = 0; r < sn->nranks; r++) {
        const SessRank *k = &s->ranks[r];
        SnapRank *o = &sn->ranks[r];
        o->hart = r * s->harts_per_rank;
        o->nspans = k->n;
        for (uint32_t i = 0; i < k->n; i++)
            o->spans[i] = k->ring[(k->head + SNAP_RANK_SPANS - k->n + i) %
                                  SNAP_RANK_SPANS];
        /* Now: the span the machine's time is in (a hart may have run a
         * little past it, into the spans after). */
        const SnapSpan *at = NULL;
        for (uint32_t i = k->n; i-- > 0 && !at;)
            if (o->spans[i].from <= s->time || i == 0)
                at = &o->spans[i];
        o->state = at ? at->state : SNAP_RANK_COMPUTE;
        o->call = at ? at->call : 0;
        o->sent = k->sent;
        o->received = k->received;
        o->bytes_sent = k->bytes_sent;
        o->bytes_received = k->bytes_received;
    }
    sn->nmpmsgs = 0;
    for (uint32_t i = 0; i < s->nmsgs; i++) {
        const SessMsg *g = &s->msgs[(s->msg_next + SNAP_MAX_MPMSGS -
                                     s->nmsgs + i) % SNAP_MAX_MPMSGS];
        if (g->sent)
            sn->mpmsgs[sn->nmpmsgs++] = g->m;
    }
    sn->mpmsgs_total = s->msgs_total;
}

/* What each event at a private copy is, for the explain view (the
 * protocol's comments in models/coherence/protocol.h, in a line). */
static const char *const coh_event_help[CEV_COUNT] = {
    [CEV_LOAD] = "the core reads the line",
    [CEV_STORE] = "the core writes the line (a store, AMO or SC)",
    [CEV_REPLACE] = "the line is evicted to make room",
    [CEV_FWD_GETS] = "another core's read, forwarded to this owner",
    [CEV_FWD_GETX] = "another core's write, forwarded to this owner",
    [CEV_INV] = "another core's write: this copy is invalidated",
    [CEV_DATA_S] = "data for the read, shared with other copies",
    [CEV_DATA_E] = "data for the read, exclusive: no other copy",
    [CEV_DATA] = "data for the write; acknowledgements to come",
    [CEV_DATA_ALL] = "data for the write, nothing else to wait for",
    [CEV_GRANT] = "the upgrade granted; acknowledgements to come",
    [CEV_GRANT_ALL] = "the upgrade granted, nothing else to wait for",
    [CEV_ACK] = "a copy's invalidation acknowledged",
    [CEV_LAST_ACK] = "the last acknowledgement: the write completes",
};

/* The names the snapshot's numbers stand for. */
static void fill_names(SimSnapshot *sn)
{
    for (int i = 0; i < COH_ALL_STATES; i++) {
        snprintf(sn->coh_state_names[i], SNAP_NAME, "%s", coh_state_names[i]);
        sn->coh_stable_of[i] = coh_stable_of((uint8_t)i);
    }
    for (int i = 0; i < CEV_COUNT; i++) {
        snprintf(sn->coh_event_names[i], SNAP_NAME, "%s", coh_event_names[i]);
        snprintf(sn->coh_event_help[i], sizeof sn->coh_event_help[i], "%s",
                 coh_event_help[i]);
    }
    for (int i = 0; i < CA_COUNT_BITS; i++)
        snprintf(sn->coh_action_names[i], SNAP_NAME, "%s",
                 coh_cache_action_names[i]);
    for (int i = 0; i < COH_STATE_COUNT; i++)
        snprintf(sn->line_state_names[i], SNAP_NAME, "%s", coh_state_names[i]);
    sn->nmsgs = MSG_COUNT;
    for (int i = 0; i < MSG_COUNT; i++)
        snprintf(sn->msg_names[i], SNAP_NAME, "%s", coh_msg_names[i]);
    sn->nlock_kinds = PARSIM_KIND_COUNT;
    for (int i = 0; i < PARSIM_KIND_COUNT; i++)
        snprintf(sn->lock_kind_names[i], SNAP_NAME, "%s",
                 sim_lock_kinds[i].name);
    sn->nmpi_calls = PARSIM_MPI_CALL_COUNT;
    for (int i = 0; i < PARSIM_MPI_CALL_COUNT; i++)
        snprintf(sn->mpi_call_names[i], SNAP_NAME, "%s",
                 sim_mpi_call_names[i]);
}

static void fill_log(const SimSession *s, SimSnapshot *sn);

/* The registry's counters, and what they were at the cycle filled before
 * (`filled`: the work snapshot holds it), for "what the last step
 * added"; a counter that was not there then has no change. */
static void fill_stats(SimSession *s, SimSnapshot *sn, bool filled,
                       uint64_t filled_cycle)
{
    SimStatLine lines[SNAP_MAX_STATS];
    uint32_t n = (uint32_t)sim_machine_stat_lines(s->m, lines,
                                                  SNAP_MAX_STATS);
    if (filled) {
        uint64_t prev[SNAP_MAX_STATS];
        for (uint32_t i = 0; i < n; i++) {
            prev[i] = lines[i].value;
            for (uint32_t j = 0; j < sn->nstats; j++) {
                uint32_t k = (i + j) % sn->nstats;   /* the same row first */
                if (!strcmp(sn->stats[k].name, lines[i].name)) {
                    prev[i] = sn->stats[k].value;
                    break;
                }
            }
        }
        for (uint32_t i = 0; i < n; i++)
            sn->stats[i].prev = prev[i];
        sn->stats_prev_cycle = filled_cycle;
    }
    /* The machine's first snapshot: no change to show. */
    bool first = !filled && !sn->nstats;
    if (first)
        sn->stats_prev_cycle = s->time;
    sn->nstats = n;
    for (uint32_t i = 0; i < n; i++) {
        memcpy(sn->stats[i].name, lines[i].name, sizeof sn->stats[i].name);
        memcpy(sn->stats[i].unit, lines[i].unit, sizeof sn->stats[i].unit);
        sn->stats[i].value = lines[i].value;
        if (first)
            sn->stats[i].prev = lines[i].value;
    }
}

static void fill(SimSession *s)
{
    SimSnapshot *sn = &s->work;
    const SimMachine *m = s->m;
    /* A snapshot at another cycle than the one filled last (the work
     * snapshot starts empty with every machine). */
    bool filled = sn->nstats && sn->cycle != s->time;
    bool first = !sn->nstats;
    uint64_t filled_cycle = sn->cycle;
    fill_names(sn);
    sn->cycle = s->time;
    sn->finished = s->ended;
    sn->exit_status = m->status;
    snprintf(sn->program, sizeof sn->program, "%s", sim_elf_path(s->prog));
    if (s->ended)
        snprintf(sn->end_message, sizeof sn->end_message,
                 m->program_exited ? "the program exited with status %d"
                                   : "parsim stopped the run (status %d): "
                                     "see the terminal", m->status);
    else
        sn->end_message[0] = 0;
    sn->cores = m->cfg.cores;
    sn->threads_per_core = m->cfg.threads_per_core;
    sn->nodes = m->memsys ? memsys_config(m->memsys)->nodes : 1;
    sn->nharts = m->nharts;
    fill_harts(s, sn);
    fill_locks(s, sn);
    size_t cells = (size_t)sn->cores * sn->l1_sets * sn->l1_ways;
    if (filled && cells) {
        memcpy(sn->l1_prev_state, sn->l1_state, cells);
        memcpy(sn->l1_prev_addr, sn->l1_addr, cells * sizeof *sn->l1_addr);
    }
    fill_memory(s, sn);
    cells = (size_t)sn->cores * sn->l1_sets * sn->l1_ways;
    if (first && cells) {
        memcpy(sn->l1_prev_state, sn->l1_state, cells);
        memcpy(sn->l1_prev_addr, sn->l1_addr, cells * sizeof *sn->l1_addr);
    }
    fill_ranks(s, sn);
    fill_gpu(s, sn);
    fill_log(s, sn);
    fill_stats(s, sn, filled, filled_cycle);
    /* The sparklines: the fixed points, then now. */
    const SessPoint *from = window_point(s);
    sn->window_from = from && from->cycle < s->time ? from->cycle : 0;
    uint32_t n = s->nring < SNAP_HISTORY - 1 ? s->nring : SNAP_HISTORY - 1;
    sn->nsamples = 0;
    for (uint32_t i = 0; i < n; i++) {
        const SnapSample *p = &s->ring[(s->ring_next + SNAP_HISTORY - n + i) %
                                       SNAP_HISTORY];
        if (p->cycle < s->time)
            sn->samples[sn->nsamples++] = *p;
    }
    sn->samples[sn->nsamples++] = sample_now(s);
}

/* Copy src into dst, arrays included (dst keeps its own buffers). */
static bool snap_copy(SimSnapshot *dst, const SimSnapshot *src)
{
    size_t n = (size_t)src->cores * src->l1_sets * src->l1_ways;
    size_t have = (size_t)dst->cores * dst->l1_sets * dst->l1_ways;
    uint8_t *st = dst->l1_state, *pst = dst->l1_prev_state;
    uint32_t *ad = dst->l1_addr, *pad = dst->l1_prev_addr;
    if (n && (!st || !pst || have < n)) {
        sim_snapshot_free(dst);
        st = malloc(n);
        ad = malloc(n * sizeof *ad);
        pst = malloc(n);
        pad = malloc(n * sizeof *pad);
        if (!st || !ad || !pst || !pad) {
            free(st);
            free(ad);
            free(pst);
            free(pad);
            return false;
        }
    }
    /* Field by field around the ranks' arrays, which are most of the
     * snapshot and empty without ranks: only the used part of them. */
    const size_t ranks_at = offsetof(SimSnapshot, ranks);
    const size_t ranks_end = ranks_at + sizeof src->ranks;
    const size_t msgs_at = offsetof(SimSnapshot, mpmsgs);
    const size_t msgs_end = msgs_at + sizeof src->mpmsgs;
    uint32_t nr = src->nranks < SNAP_MAX_RANKS ? src->nranks : SNAP_MAX_RANKS;
    uint32_t nm = src->nmpmsgs < SNAP_MAX_MPMSGS ? src->nmpmsgs
                                                 : SNAP_MAX_MPMSGS;
    memcpy(dst, src, ranks_at);
    memcpy(dst->ranks, src->ranks, nr * sizeof *src->ranks);
    memcpy((char *)dst + ranks_end, (const char *)src + ranks_end,
           msgs_at - ranks_end);
    memcpy(dst->mpmsgs, src->mpmsgs, nm * sizeof *src->mpmsgs);
    memcpy((char *)dst + msgs_end, (const char *)src + msgs_end,
           sizeof *src - msgs_end);
    dst->l1_state = st;
    dst->l1_addr = ad;
    dst->l1_prev_state = pst;
    dst->l1_prev_addr = pad;
    if (n) {
        memcpy(st, src->l1_state, n);
        memcpy(ad, src->l1_addr, n * sizeof *ad);
        memcpy(pst, src->l1_prev_state, n);
        memcpy(pad, src->l1_prev_addr, n * sizeof *pad);
    }
    return true;
}

static void publish(SimSession *s)
{
    fill(s);
    pthread_mutex_lock(&s->mu);
    s->work.seq = ++s->seq;
    s->work.commands = s->cmds_taken;
    s->work.paused = s->paused;
    s->pub_paused = s->paused;
    snap_copy(&s->pub, &s->work);
    pthread_mutex_unlock(&s->mu);
}

void sim_snapshot_free(SimSnapshot *snap)
{
    free(snap->l1_state);
    free(snap->l1_addr);
    free(snap->l1_prev_state);
    free(snap->l1_prev_addr);
    snap->l1_state = NULL;
    snap->l1_addr = NULL;
    snap->l1_prev_state = NULL;
    snap->l1_prev_addr = NULL;
}

bool sim_session_snapshot(SimSession *s, SimSnapshot *out)
{
    pthread_mutex_lock(&s->mu);
    bool changed = s->pub.seq != out->seq;
    if (changed)
        changed = snap_copy(out, &s->pub);
    pthread_mutex_unlock(&s->mu);
    return changed;
}

/* ---- the ranks, from the event stream ------------------------------------ */

static uint8_t call_state(uint8_t call)
{
    if (call >= PARSIM_MPI_SEND && call <= PARSIM_MPI_IPROBE)
        return SNAP_RANK_P2P;
    if (call >= PARSIM_MPI_BARRIER && call <= PARSIM_MPI_SCAN)
        return SNAP_RANK_COLLECTIVE;
    return SNAP_RANK_LIBRARY;
}

/* Rank k's state changed (maybe) at cycle: a new span, unless it is the
 * same; a span of no length gives way to the one after it. */
static void rank_update(SessRank *k, uint64_t cycle)
{
    SnapSpan now = {.from = cycle, .call = k->depth ? k->call : 0};
    now.state = k->done ? SNAP_RANK_DONE
              : k->blocked ? (k->mp_blocked ? SNAP_RANK_WAITING
                                            : SNAP_RANK_BLOCKED)
              : k->depth ? call_state(k->call) : SNAP_RANK_COMPUTE;
    SnapSpan *last = k->n ? &k->ring[(k->head + SNAP_RANK_SPANS - 1) %
                                     SNAP_RANK_SPANS] : NULL;
    if (last && last->state == now.state && last->call == now.call)
        return;
    if (last && cycle <= last->from) {
        now.from = last->from;
        k->head = (k->head + SNAP_RANK_SPANS - 1) % SNAP_RANK_SPANS;
        k->n--;
        last = k->n ? &k->ring[(k->head + SNAP_RANK_SPANS - 1) %
                               SNAP_RANK_SPANS] : NULL;
        if (last && last->state == now.state && last->call == now.call)
            return;           /* back to what it was before */
    }
    k->ring[k->head] = now;
    k->head = (k->head + 1) % SNAP_RANK_SPANS;
    if (k->n < SNAP_RANK_SPANS)
        k->n++;
}

/* The recent message with this id, newest first (NULL: none). */
static SessMsg *find_msg(SimSession *s, uint32_t id)
{
    for (uint32_t i = 1; i <= s->nmsgs; i++) {
        SessMsg *g = &s->msgs[(s->msg_next + SNAP_MAX_MPMSGS - i) %
                              SNAP_MAX_MPMSGS];
        if (g->m.id == id)
            return g;
    }
    return NULL;
}

static SessMsg *new_msg(SimSession *s, uint32_t id)
{
    SessMsg *g = &s->msgs[s->msg_next];
    s->msg_next = (s->msg_next + 1) % SNAP_MAX_MPMSGS;
    if (s->nmsgs < SNAP_MAX_MPMSGS)
        s->nmsgs++;
    *g = (SessMsg){.m = {.id = id, .recv = UINT64_MAX}};
    return g;
}

static void rank_msg(SimSession *s, const SimEvent *e)
{
    SessMsg *g = find_msg(s, e->id);
    if (e->kind == SIM_EV_MP_SEND) {
        if (!g || g->sent)
            g = new_msg(s, e->id);
        g->sent = true;
        g->m.send = e->cycle;
        g->m.reach = e->end;
        g->m.bytes = e->addr;
        g->m.src = e->src;
        g->m.dst = e->dst;
        g->m.tag = e->result;
        g->m.rendezvous = e->what != 0;
        s->msgs_total++;
        if (e->src < s->nranks) {
            s->ranks[e->src].sent++;
            s->ranks[e->src].bytes_sent += e->addr;
        }
    } else {
        if (!g)
            g = new_msg(s, e->id);
        g->m.recv = e->cycle;
        if (e->dst < s->nranks) {
            s->ranks[e->dst].received++;
            s->ranks[e->dst].bytes_received += e->addr;
        }
    }
}

static void rank_events(void *ctx, const SimEvent *ev, size_t n)
{
    SimSession *s = ctx;
    for (size_t i = 0; i < n; i++) {
        const SimEvent *e = &ev[i];
        if (e->kind == SIM_EV_MP_SEND || e->kind == SIM_EV_MP_RECV) {
            rank_msg(s, e);
            continue;
        }
        /* States: of each rank's main hart. */
        if (e->hart % s->harts_per_rank ||
            e->hart / s->harts_per_rank >= s->nranks)
            continue;
        SessRank *k = &s->ranks[e->hart / s->harts_per_rank];
        if (e->kind == SIM_EV_MP_CALL && e->what == 0) {
            if (k->depth == 0)
                k->call = e->result;
            if (k->depth < UINT8_MAX)
                k->depth++;
        } else if (e->kind == SIM_EV_MP_CALL && k->depth) {
            k->depth--;
        } else if (e->kind == SIM_EV_HART) {
            k->blocked = e->what == SIM_EVH_BLOCKED;
            /* The WAIT service names the address it waits on; a
             * message-passing wait none. */
            k->mp_blocked = k->blocked && (k->depth || e->addr == 0);
            k->done = e->what == SIM_EVH_HALTED;
        }
        rank_update(k, e->cycle);
    }
}

#define RANK_EVENTS (SIM_EV_BIT(SIM_EV_MP_CALL) | SIM_EV_BIT(SIM_EV_MP_SEND) | \
                     SIM_EV_BIT(SIM_EV_MP_RECV) | SIM_EV_BIT(SIM_EV_HART))

/* Follow the new machine's ranks (none: nothing to listen to). */
static bool follow_ranks(SimSession *s)
{
    free(s->ranks);
    s->ranks = NULL;
    s->nranks = s->m->nranks;
    s->harts_per_rank = s->m->harts_per_rank ? s->m->harts_per_rank : 1;
    s->msg_next = s->nmsgs = 0;
    s->msgs_total = 0;
    if (!s->nranks)
        return true;
    s->ranks = calloc(s->nranks, sizeof *s->ranks);
    if (!s->ranks)
        return false;
    for (uint32_t r = 0; r < s->nranks; r++)
        rank_update(&s->ranks[r], 0);
    return sim_ev_listen(sim_machine_events(s->m), RANK_EVENTS, rank_events,
                         s);
}

/* ---- the copies' changes of state ----------------------------------------- */

static void coh_events(void *ctx, const SimEvent *ev, size_t n)
{
    SimSession *s = ctx;
    for (size_t i = 0; i < n; i++) {
        const SimEvent *e = &ev[i];
        if (e->kind != SIM_EV_COH)
            continue;
        SnapCohStep c = {e->cycle, e->addr, e->src, e->aux, e->what,
                         e->result};
        /* A correction replaces what was said of that arrival, and comes
         * after what changed the copy under it (at the same cycle, what
         * was published later happened later). */
        for (uint32_t k = 1; e->id && k <= s->ncoh; k++) {
            SnapCohStep *o = &s->coh[(s->coh_next + SESS_COH - k) % SESS_COH];
            if (o->cycle == c.cycle && o->line == c.line &&
                o->core == c.core && o->event == c.event)
                o->event = COH_GONE;
        }
        s->coh[s->coh_next] = c;
        s->coh_next = (s->coh_next + 1) % SESS_COH;
        if (s->ncoh < SESS_COH)
            s->ncoh++;
    }
}

/* Follow the new machine's copies (no caches: none to follow). */
static bool follow_coh(SimSession *s)
{
    s->coh_next = s->ncoh = 0;
    return !s->m->memsys ||
           sim_ev_listen(sim_machine_events(s->m), SIM_EV_BIT(SIM_EV_COH),
                         coh_events, s);
}

/* A change of state kept as the event that said it. */
static SimEvent coh_event_of(const SimSession *s, const SnapCohStep *c)
{
    return (SimEvent){.cycle = c->cycle, .end = c->cycle,
                      .hart = c->core * s->m->cfg.threads_per_core,
                      .addr = c->line, .src = c->core, .kind = SIM_EV_COH,
                      .what = c->event, .result = c->to, .aux = c->from};
}

/* ---- the event log --------------------------------------------------------- */

static void log_put(SimSession *s, const SimEvent *e, const char *text)
{
    SnapLogEntry *o = &s->log[s->log_next];
    o->cycle = e->cycle;
    o->hart = e->hart;
    o->kind = e->kind == SIM_EV_ACCESS ? SNAP_LOG_MEMORY
            : e->kind == SIM_EV_MSG_SEND ? SNAP_LOG_MESSAGE
            : e->kind == SIM_EV_LOCK ? SNAP_LOG_LOCK
            : e->kind == SIM_EV_HART ? SNAP_LOG_HART : SNAP_LOG_OTHER;
    snprintf(o->text, sizeof o->text, "%s", text);
    s->log_next = (s->log_next + 1) % SNAP_LOG;
    if (s->nlog < SNAP_LOG)
        s->nlog++;
    s->log_total++;
}

/* A lock taken by another hart than the one that let it go last. */
static int handed_from(SimSession *s, const SimEvent *e)
{
    for (uint32_t i = 0; i < s->nreleased; i++)
        if (s->released[i].addr == e->addr) {
            int from = s->released[i].hart;
            if (e->what == PARSIM_LOCK_RELEASED)
                s->released[i].hart = (int)e->hart;
            return e->what == PARSIM_LOCK_ACQUIRED && from != (int)e->hart
                   ? from : -1;
        }
    if (e->what == PARSIM_LOCK_RELEASED) {
        uint32_t i = s->nreleased < 16 ? s->nreleased++ : e->addr % 16;
        s->released[i].addr = e->addr;
        s->released[i].hart = (int)e->hart;
    }
    return -1;
}

static void log_events(void *ctx, const SimEvent *ev, size_t n)
{
    SimSession *s = ctx;
    char text[160];
    for (size_t i = 0; i < n; i++) {
        const SimEvent *e = &ev[i];
        /* Hits, samples, link spans and arrivals would drown the rest;
         * the copies' changes of state are the explain view's. */
        if ((e->kind == SIM_EV_ACCESS && e->result == SIM_EV_HIT) ||
            e->kind == SIM_EV_SAMPLE || e->kind == SIM_EV_LINK ||
            e->kind == SIM_EV_MSG_RECV || e->kind == SIM_EV_COH)
            continue;
        if (e->kind == SIM_EV_LOCK) {
            int from = handed_from(s, e);
            if (from >= 0) {
                char name[96];
                sim_elf_data_name(s->prog, e->addr, name, sizeof name);
                snprintf(text, sizeof text, "lock %s handed from h%d to h%u",
                         name, from, e->hart);
                log_put(s, e, text);
                continue;
            }
        }
        sim_ev_describe(s->m, e, text, sizeof text);
        log_put(s, e, text);
    }
}

/* Listen, or stop, as log_want says (the simulation thread, and a new
 * machine: its bus starts without listeners). */
static bool log_follow(SimSession *s, bool want, bool fresh)
{
    SimEvBus *bus = sim_machine_events(s->m);
    if (fresh)
        s->log_on = false;
    if (want == s->log_on)
        return true;
    if (want) {
        s->nlog = s->log_next = 0;
        s->log_total = 0;
        s->nreleased = 0;
        if (!sim_ev_listen(bus, SIM_EV_ALL, log_events, s))
            return false;
        s->log_since = s->time;
    } else {
        sim_ev_unlisten(bus, log_events, s);
    }
    s->log_on = want;
    return true;
}

bool sim_session_set_breaks(SimSession *s, char *const *breaks, int nbreaks,
                            char *const *watches, int nwatches, bool pause,
                            char *err, size_t errlen)
{
    s->breaks = breaks;
    s->nbreaks = nbreaks;
    s->watches = watches;
    s->nwatches = nwatches;
    s->break_pause = pause;
    return sim_machine_set_breaks(s->m, breaks, nbreaks, watches, nwatches,
                                  pause, err, errlen);
}

bool sim_session_event_log(SimSession *s, bool on)
{
    pthread_mutex_lock(&s->mu);
    s->log_want = on;
    pthread_mutex_unlock(&s->mu);
    return log_follow(s, on, false);
}

static void fill_log(const SimSession *s, SimSnapshot *sn)
{
    sn->log_on = s->log_on;
    sn->log_total = s->log_total;
    sn->nlog = 0;
    /* Newest first: by cycle (harts run a little apart), then arrival. */
    for (uint32_t k = 0; k < s->nlog; k++) {
        uint32_t at = (s->log_next + SNAP_LOG - 1 - k) % SNAP_LOG;
        SnapLogEntry e = s->log[at];
        uint32_t j = sn->nlog++;
        while (j > 0 && sn->log[j - 1].cycle < e.cycle) {
            sn->log[j] = sn->log[j - 1];
            j--;
        }
        sn->log[j] = e;
    }
    snprintf(sn->stopped_on, sizeof sn->stopped_on, "%s", s->stopped_on);
    sn->stopped_hart = s->stopped_on[0] ? s->broke_hart : -1;
    sn->stops = s->stops;
}

/* ---- the machine ----------------------------------------------------------- */

/* A new machine at cycle 0; the event log as the command says (with
 * `log`; a replay turns it on where it was turned on). */
static bool build(SimSession *s, bool log_now, char *err, size_t errlen)
{
    s->m = sim_machine_new(&s->cfg, s->prog, s->argc, s->argv, err, errlen);
    if (!s->m)
        return false;
    if (s->m->memsys)
        memsys_keep_packets(s->m->memsys);   /* the packets in flight */
    free(s->undo);
    s->undo = calloc((size_t)s->m->nharts * ISA_UNDO, sizeof *s->undo);
    if (!s->undo) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (uint32_t i = 0; i < s->m->nharts; i++)
        s->m->harts[i].isa.undo = s->undo + (size_t)i * ISA_UNDO;
    pthread_mutex_lock(&s->mu);
    bool log = s->log_want && log_now;
    pthread_mutex_unlock(&s->mu);
    s->time = 0;
    s->ended = false;
    if (!follow_ranks(s) || !follow_coh(s) || !log_follow(s, log, true)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    s->stopped_on[0] = '\0';
    s->broke_hart = -1;
    if ((s->nbreaks || s->nwatches) &&
        !sim_machine_set_breaks(s->m, s->breaks, s->nbreaks, s->watches,
                                s->nwatches, s->break_pause, err, errlen))
        return false;
    s->nring = s->ring_next = 0;
    s->npts = s->pt_next = 0;
    sim_snapshot_free(&s->work);
    /* The machine's configuration, resolved (with ranks the cores are
     * ranks x cores per node). */
    uint32_t cores = s->m->cfg.cores;
    size_t per = (size_t)s->m->cfg.l1d.size / s->m->cfg.l1d.line;
    memset(&s->work, 0, sizeof s->work);
    s->work.l1_state = calloc(cores * per, 1);
    s->work.l1_addr = calloc(cores * per, sizeof *s->work.l1_addr);
    s->work.l1_prev_state = calloc(cores * per, 1);
    s->work.l1_prev_addr = calloc(cores * per, sizeof *s->work.l1_addr);
    s->start = now_s();
    take_point(s);
    return s->work.l1_state && s->work.l1_addr && s->work.l1_prev_state &&
           s->work.l1_prev_addr;
}

static void teardown(SimSession *s)
{
    if (s->m) {
        sim_machine_free(s->m);
        s->m = NULL;
    }
}

SimSession *sim_session_new(const SimConfig *cfg, const char *path, int argc,
                            char **argv, char *err, size_t errlen)
{
    SimSession *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    /* Stepping must be exact: one host thread, global time order. */
    s->cfg.mode = SIM_MODE_DETERMINISTIC;
    s->cfg.progress = false;
    s->argc = argc;
    s->argv = argv;
    s->event_hart = s->event_lock = -1;
    s->event_line = -1;
    s->paused = true;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->prog = sim_elf_open(path, err, errlen);
    if (!s->prog || !build(s, true, err, errlen)) {
        sim_session_free(s);
        return NULL;
    }
    publish(s);
    return s;
}

/* Advance the machine to T; returns false when the run ended. */
static bool advance_to(SimSession *s, uint64_t t)
{
    if (s->ended)
        return false;
    s->broke = false;
    if (!sim_machine_run_until(s->m, t)) {
        s->ended = true;
        s->m->host_seconds = now_s() - s->start;
    }
    uint64_t at;
    uint32_t who;
    if (!s->ended && sim_machine_break_hit(s->m, s->stopped_on,
                                           sizeof s->stopped_on, &at, &who)) {
        /* Paused where the hart stopped. */
        s->broke = true;
        s->broke_hart = (int)who;
        s->stops++;
        pthread_mutex_lock(&s->mu);
        s->paused = true;
        s->step = 0;
        pthread_mutex_unlock(&s->mu);
        if (at > s->time)
            s->time = at;
        return true;
    }
    if (t > s->time)
        s->time = t;
    if (s->ended) {
        /* The run's real end, not the horizon that was asked for. */
        uint64_t last = 0;
        for (uint32_t i = 0; i < s->m->nharts; i++)
            if (s->m->harts[i].isa.cycle > last)
                last = s->m->harts[i].isa.cycle;
        if (s->time > last)
            s->time = last;
    }
    return !s->ended;
}

/* The same through the fixed points, each noted on the way (the run is
 * the same whichever way it is cut: sim_machine_run_until).  Stops early
 * at a breakpoint. */
static bool advance(SimSession *s, uint64_t t)
{
    while (!s->ended) {
        uint64_t next = (s->time / SESS_SAMPLE + 1) * SESS_SAMPLE;
        bool alive = advance_to(s, next < t ? next : t);
        if (!alive || s->broke)
            return alive;
        if (s->time % SESS_SAMPLE == 0)
            take_point(s);
        if (s->time >= t)
            return true;
    }
    return false;
}

bool sim_session_finish(SimSession *s)
{
    for (uint32_t i = 0; i < s->m->nharts; i++)
        s->m->harts[i].isa.undo = NULL;     /* nobody looks any more */
    while (advance_to(s, UINT64_MAX))
        ;
    publish(s);
    return s->ended;
}

bool sim_session_run_to(SimSession *s, uint64_t cycle)
{
    bool ok = advance(s, cycle);
    publish(s);
    return ok;
}

/* "Next event": a listener on the event stream that notes the first event
 * of the hart, lock or line being watched. */
typedef struct Watch {
    int hart;                 /* -1: not watching a hart */
    int64_t lock;             /* lock address, -1: none */
    int64_t line;             /* line address, -1: none */
    uint32_t line_mask;
    bool gpu;                 /* a GPU warp, block or kernel event */
    bool seen;
    SimEvent ev;              /* the event seen */
    /* Stepping back: every event before `before` is looked at, and the
     * latest kept in ev (seen: there is one). */
    bool record;
    uint64_t before;
    /* Forward, the line's earliest change of state still to come (its
     * COH event published ahead of its cycle): due_ev at `due`
     * (UINT64_MAX: none). */
    uint64_t due;
    SimEvent due_ev;
} Watch;

static bool watch_match(const Watch *w, const SimEvent *e)
{
    bool hit = false;
    if (w->hart >= 0 && e->hart == (uint32_t)w->hart)
        hit = e->kind == SIM_EV_LOCK || e->kind == SIM_EV_HART ||
              e->kind == SIM_EV_MP_CALL || e->kind == SIM_EV_MP_SEND ||
              e->kind == SIM_EV_MP_RECV ||
              (e->kind == SIM_EV_ACCESS && e->result != SIM_EV_HIT);
    if (w->lock >= 0 && e->kind == SIM_EV_LOCK &&
        e->addr == (uint32_t)w->lock && e->what != PARSIM_LOCK_TRY)
        hit = true;
    if (w->gpu && (e->kind == SIM_EV_GPU_WARP ||
                   e->kind == SIM_EV_GPU_BLOCK ||
                   e->kind == SIM_EV_GPU_KERNEL))
        hit = true;
    if (w->line >= 0 && (e->addr & ~w->line_mask) == (uint32_t)w->line)
        hit = (e->kind == SIM_EV_ACCESS && e->result != SIM_EV_HIT) ||
              e->kind == SIM_EV_MSG_SEND || e->kind == SIM_EV_COH;
    return hit;
}

static void watch_events(void *ctx, const SimEvent *ev, size_t n)
{
    Watch *w = ctx;
    for (size_t i = 0; i < n && (w->record || !w->seen); i++) {
        const SimEvent *e = &ev[i];
        if (!watch_match(w, e))
            continue;
        if (!w->record && e->kind == SIM_EV_COH) {
            /* Seen when its cycle comes (a correction: as corrected). */
            if (e->cycle < w->due || (e->id && e->cycle == w->due)) {
                w->due = e->cycle;
                w->due_ev = *e;
            }
        } else if (!w->record) {
            w->seen = true;
            w->ev = *e;
        } else if (e->cycle < w->before &&
                   (!w->seen || e->cycle >= w->ev.cycle)) {
            w->seen = true;
            w->ev = *e;
        }
    }
}

/* What "next event" command cmd (arg) watches, in this machine; false
 * when nothing (a hart or lock that does not exist, no GPU). */
static bool watch_init(const SimSession *s, Watch *w, SimCommand cmd,
                       uint64_t arg)
{
    *w = (Watch){.hart = -1, .lock = -1, .line = -1,
                 .line_mask = s->m->cfg.l1d.line - 1, .due = UINT64_MAX};
    if (cmd == SIM_CMD_STEP_HART_EVENT && arg < s->m->nharts)
        w->hart = (int)arg;
    else if (cmd == SIM_CMD_STEP_LOCK_EVENT && arg < s->m->nlocks)
        w->lock = s->m->locks[arg].addr;
    else if (cmd == SIM_CMD_STEP_LINE_EVENT)
        w->line = (int64_t)((uint32_t)arg & ~w->line_mask);
    else if (cmd == SIM_CMD_STEP_GPU_EVENT)
        w->gpu = s->m->gpu != NULL;
    return w->hart >= 0 || w->lock >= 0 || w->line >= 0 || w->gpu;
}

#define EVENT_STEP_LIMIT 5000000u    /* cycles: give up looking after this */

/* Step cycle by cycle until the watched hart, lock (index) or line has an
 * event; returns whether one came (false: the run ended or the limit). */
static bool step_to_event(SimSession *s, int hart, int lock, int64_t line,
                          bool gpu)
{
    Watch w;
    bool any = hart >= 0 ? watch_init(s, &w, SIM_CMD_STEP_HART_EVENT,
                                      (uint64_t)hart)
             : lock >= 0 ? watch_init(s, &w, SIM_CMD_STEP_LOCK_EVENT,
                                      (uint64_t)lock)
             : line >= 0 ? watch_init(s, &w, SIM_CMD_STEP_LINE_EVENT,
                                      (uint64_t)line)
             : gpu && watch_init(s, &w, SIM_CMD_STEP_GPU_EVENT, 0);
    if (!any)
        return false;
    /* The line's changes of state published before now, still to come. */
    for (uint32_t k = 0; w.line >= 0 && k < s->ncoh; k++) {
        const SnapCohStep *c = &s->coh[k];
        if ((c->line & ~w.line_mask) == (uint32_t)w.line &&
            c->event != COH_GONE && c->cycle > s->time && c->cycle < w.due) {
            w.due = c->cycle;
            w.due_ev = coh_event_of(s, c);
        }
    }
    SimEvBus *bus = sim_machine_events(s->m);
    if (!sim_ev_listen(bus, SIM_EV_ALL, watch_events, &w))
        return false;
    for (uint64_t i = 0; i < EVENT_STEP_LIMIT && !w.seen; i++) {
        if (!advance(s, s->time + 1) || s->broke)
            break;
        if (!w.seen && w.due <= s->time) {
            w.seen = true;
            w.ev = w.due_ev;
        }
    }
    sim_ev_unlisten(bus, watch_events, &w);
    /* Say what it stopped on. */
    if (!s->broke)
        s->broke_hart = -1;
    if (s->broke)
        ;                       /* a breakpoint's words are there */
    else if (w.seen)
        sim_ev_describe(s->m, &w.ev, s->stopped_on, sizeof s->stopped_on);
    else
        snprintf(s->stopped_on, sizeof s->stopped_on, "no such event in "
                 "the next %u cycles, or the run ended", EVENT_STEP_LIMIT);
    return w.seen;
}

bool sim_session_step_event(SimSession *s, SimCommand cmd, uint64_t arg)
{
    bool seen = false;
    if (cmd == SIM_CMD_STEP_HART_EVENT && arg < s->m->nharts)
        seen = step_to_event(s, (int)arg, -1, -1, false);
    else if (cmd == SIM_CMD_STEP_LOCK_EVENT)
        seen = step_to_event(s, -1, (int)arg, -1, false);
    else if (cmd == SIM_CMD_STEP_LINE_EVENT)
        seen = step_to_event(s, -1, -1, (int64_t)(uint32_t)arg, false);
    else if (cmd == SIM_CMD_STEP_GPU_EVENT)
        seen = step_to_event(s, -1, -1, -1, true);
    publish(s);
    return seen;
}

/* ---- stepping back --------------------------------------------------------- */

/* Advance to t, through any breakpoint on the way. */
static void go(SimSession *s, uint64_t t)
{
    while (s->time < t && advance(s, t))
        ;
}

/* The same run again from cycle 0 to `target` (deterministic: the same
 * machine, program and schedule give the same run), on a new machine:
 * the event log turned on where it was, the console's output (and
 * parsim's hints) not shown twice, the counters' change that of the last cycle (a snapshot filled
 * at target - 1), as a step forward to target has them; `w` (if any)
 * listens all the way.  false: the machine could not be built (said on
 * stderr). */
static bool replay(SimSession *s, uint64_t target, Watch *w)
{
    uint64_t skip[2];
    for (int k = 0; k < 2; k++)
        skip[k] = s->m->sh.written[k] > s->m->sh.skip[k] ? s->m->sh.written[k]
                                                         : s->m->sh.skip[k];
    bool log = s->log_on, hinted = s->m->hinted;
    uint64_t since = s->log_since, stops = s->stops;
    teardown(s);
    char err[256];
    if (!build(s, false, err, sizeof err)) {
        fprintf(stderr, "parsim: stepping back: %s\n", err);
        return false;
    }
    memcpy(s->m->sh.skip, skip, sizeof skip);
    s->m->hinted = hinted;        /* parsim's hints: said once a run */
    s->replays++;
    if (w && !sim_ev_listen(sim_machine_events(s->m), SIM_EV_ALL,
                            watch_events, w))
        w = NULL;
    if (log) {
        go(s, since < target ? since : target);
        (void)log_follow(s, true, false);
    }
    if (target) {
        go(s, target - 1);
        fill(s);
    }
    go(s, target);
    if (w)
        sim_ev_unlisten(sim_machine_events(s->m), watch_events, w);
    s->stops = stops;
    s->stopped_on[0] = '\0';
    s->broke_hart = -1;
    return true;
}

bool sim_session_back(SimSession *s, uint64_t cycles)
{
    bool ok = s->time == 0 ||
              replay(s, s->time > cycles ? s->time - cycles : 0, NULL);
    publish(s);
    return ok;
}

bool sim_session_back_event(SimSession *s, SimCommand cmd, uint64_t arg)
{
    Watch w;
    bool found = false;
    if (s->time && watch_init(s, &w, cmd, arg)) {
        /* Once to find the latest event before now, once to go there. */
        w.record = true;
        w.before = s->time;
        if (replay(s, s->time, &w) && w.seen && replay(s, w.ev.cycle, NULL)) {
            found = true;
            sim_ev_describe(s->m, &w.ev, s->stopped_on, sizeof s->stopped_on);
        }
    }
    if (!found)
        snprintf(s->stopped_on, sizeof s->stopped_on,
                 "no such event before cycle %llu",
                 (unsigned long long)s->time);
    publish(s);
    return found;
}

/* The run has ended: paused from now on, and said so. */
static void end_run(SimSession *s)
{
    pthread_mutex_lock(&s->mu);
    s->paused = true;
    pthread_mutex_unlock(&s->mu);
    publish(s);
}

static void *thread_main(void *arg)
{
    SimSession *s = arg;
    double last_pub = 0;
    /* Slowed down, the run follows the clock: `anchor_cycle` at
     * `anchor_t`, then speed cycles a second (a cycle at a time when a
     * cycle is due, so 1 cycle/s is one cycle a second). */
    double anchor_t = 0;
    uint64_t anchor_cycle = 0, anchor_speed = 0;
    bool anchored = false;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        /* A pause (or run) the snapshot does not show yet: publish it, so
         * that the window, which decides from the snapshot, sees it. */
        bool stale = s->paused != s->pub_paused;
        while (!stale && !s->quit && !s->restart && s->paused && !s->step &&
               s->log_want == s->log_on &&
               s->event_hart < 0 && s->event_lock < 0 && s->event_line < 0 &&
               !s->event_gpu && !s->back && !s->back_event)
            pthread_cond_wait(&s->cv, &s->mu);
        s->cmds_taken = s->cmds;
        bool quit = s->quit, restart = s->restart, log = s->log_want;
        uint64_t step = s->step, speed = s->speed;
        int ev_hart = s->event_hart, ev_lock = s->event_lock;
        int64_t ev_line = s->event_line;
        bool ev_gpu = s->event_gpu;
        bool paused = s->paused;
        uint64_t back = s->back;
        bool back_event = s->back_event;
        SimCommand back_cmd = s->back_cmd;
        uint64_t back_arg = s->back_arg;
        s->back = 0;
        s->back_event = false;
        s->step = 0;
        s->restart = false;
        s->event_hart = s->event_lock = -1;
        s->event_line = -1;
        s->event_gpu = false;
        pthread_mutex_unlock(&s->mu);
        if (quit)
            break;
        if (log != s->log_on) {
            (void)log_follow(s, log, false);
            publish(s);
        }
        if (restart) {
            teardown(s);
            char err[256];
            if (!build(s, true, err, sizeof err)) {
                fprintf(stderr, "parsim: restart: %s\n", err);
                break;
            }
            publish(s);
            continue;
        }
        if (back) {
            sim_session_back(s, back);
            continue;
        }
        if (back_event) {
            sim_session_back_event(s, back_cmd, back_arg);
            continue;
        }
        if (step) {
            s->stopped_on[0] = '\0';
            advance(s, s->time + step);
            publish(s);
            continue;
        }
        if (ev_hart >= 0 || ev_lock >= 0 || ev_line >= 0 || ev_gpu) {
            step_to_event(s, ev_hart, ev_lock, ev_line, ev_gpu);
            publish(s);
            continue;
        }
        /* Every command taken is answered by a snapshot that says so
         * (`commands`), even one that changed nothing. */
        bool answer = stale || s->work.commands != s->cmds_taken;
        if (paused) {
            anchored = false;
            if (answer)
                publish(s);
            continue;
        }
        s->stopped_on[0] = '\0';     /* running: no longer "at" it */
        if (answer)
            publish(s);
        double t0 = now_s();
        if (!speed) {
            /* Full speed: in chunks, publishing ~30 times a second. */
            anchored = false;
            bool alive = advance(s, s->time + 20000);
            double t1 = now_s();
            if (!alive || t1 - last_pub > 1.0 / 30) {
                publish(s);
                last_pub = t1;
            }
            if (!alive)
                end_run(s);
            continue;
        }
        if (!anchored || speed != anchor_speed) {
            anchor_t = t0;
            anchor_cycle = s->time;
            anchor_speed = speed;
            anchored = true;
        }
        uint64_t due = anchor_cycle + (uint64_t)((t0 - anchor_t) *
                                                 (double)speed);
        bool alive = true;
        if (due > s->time) {
            alive = advance(s, due);
            publish(s);
            last_pub = now_s();
        }
        if (!alive) {
            end_run(s);
            continue;
        }
        /* Until the next cycle is due, at most a frame (1/30 s). */
        double next = anchor_t + (double)(s->time + 1 - anchor_cycle) /
                                     (double)speed;
        double wait = next - now_s();
        if (wait > 1.0 / 30)
            wait = 1.0 / 30;
        if (wait > 0) {
            struct timespec ts = {0, (long)(wait * 1e9)};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

bool sim_session_start(SimSession *s, bool paused)
{
    /* The first snapshot a viewer sees is of this start, not one a
     * previous thread left. */
    s->paused = paused;
    if (s->pub_paused != paused)
        publish(s);
    if (pthread_create(&s->thread, NULL, thread_main, s) != 0)
        return false;
    s->threaded = true;
    return true;
}

void sim_session_command(SimSession *s, SimCommand cmd, uint64_t arg)
{
    pthread_mutex_lock(&s->mu);
    s->cmds++;
    switch (cmd) {
    case SIM_CMD_RUN: s->paused = false; break;
    case SIM_CMD_PAUSE: s->paused = true; break;
    case SIM_CMD_STEP: s->paused = true; s->step += arg; break;
    case SIM_CMD_STEP_HART_EVENT:
        s->paused = true;
        s->event_hart = arg < SNAP_MAX_HARTS ? (int)arg : -1;
        break;
    case SIM_CMD_STEP_LOCK_EVENT:
        s->paused = true;
        s->event_lock = (int)arg;
        break;
    case SIM_CMD_STEP_LINE_EVENT:
        s->paused = true;
        s->event_line = (int64_t)(uint32_t)arg;
        break;
    case SIM_CMD_STEP_GPU_EVENT:
        s->paused = true;
        s->event_gpu = true;
        break;
    case SIM_CMD_SPEED: s->speed = arg; break;
    case SIM_CMD_EVENT_LOG: s->log_want = arg != 0; break;
    case SIM_CMD_RESTART: s->paused = true; s->restart = true; break;
    case SIM_CMD_BACK: s->paused = true; s->back += arg ? arg : 1; break;
    case SIM_CMD_BACK_EVENT:
        s->paused = true;
        s->back_event = true;
        s->back_cmd = (SimCommand)(arg >> 32);
        s->back_arg = arg & UINT32_MAX;
        break;
    case SIM_CMD_QUIT: s->quit = true; break;
    }
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void sim_session_describe(const SimSession *s, uint32_t pc, char *buf,
                          size_t len)
{
    sim_elf_describe(s->prog, pc, buf, len);
}

bool sim_session_source_line(const SimSession *s, uint32_t pc,
                             const char **file, int *line)
{
    return sim_elf_source_line(s->prog, pc, file, line);
}

void sim_session_line_name(const SimSession *s, uint32_t line, uint32_t size,
                           char *buf, size_t len)
{
    sim_elf_line_name(s->prog, line, size, buf, len);
}

void sim_session_data_name(const SimSession *s, uint32_t addr, char *buf,
                           size_t len)
{
    /* From the program alone: the machine belongs to the other thread. */
    sim_elf_data_name(s->prog, addr, buf, len);
}

int sim_session_free_thread(SimSession *s)
{
    if (s->threaded) {
        sim_session_command(s, SIM_CMD_QUIT, 0);
        pthread_join(s->thread, NULL);
        s->threaded = false;
        pthread_mutex_lock(&s->mu);
        s->quit = false;
        pthread_mutex_unlock(&s->mu);
    }
    return 0;
}

int sim_session_free(SimSession *s)
{
    if (!s)
        return -1;
    sim_session_free_thread(s);
    int status = s->ended && s->m ? s->m->status : -1;
    teardown(s);
    sim_elf_close(s->prog);
    sim_snapshot_free(&s->work);
    sim_snapshot_free(&s->pub);
    free(s->undo);
    free(s->ranks);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
    return status;
}

struct SimMachine *sim_session_machine(SimSession *s)
{
    return s->m;
}

uint64_t sim_session_cycle(const SimSession *s) { return s->time; }

bool sim_session_in_roi(const SimSession *s)
{
    return s->m->roi.active || s->m->roi.regions > 0;
}

bool sim_session_ended(const SimSession *s)
{
    pthread_mutex_lock((pthread_mutex_t *)&s->mu);
    bool e = s->pub.finished;
    pthread_mutex_unlock((pthread_mutex_t *)&s->mu);
    return e;
}

bool sim_session_interrupted(void)
{
    return sim_stop_requested() != 0;
}

uint64_t sim_session_replays(const SimSession *s) { return s->replays; }

uint64_t sim_session_commands(SimSession *s)
{
    pthread_mutex_lock(&s->mu);
    uint64_t n = s->cmds;
    pthread_mutex_unlock(&s->mu);
    return n;
}
