/* trace.c — the Chrome trace-event JSON writer (see trace.h): open and
 * close, and what happens during the run: the listener, the records and
 * counter bins it keeps, and the cap.  At close the records are laid
 * out (trace_layout.c) and written (trace_json.c, trace_export.c); the
 * parts and what they share are in trace_priv.h.
 *
 * Design notes.
 *
 * Buffer, then write.  The listener turns events into records (a state
 * slice when the state ends, a stall per miss, a hold per release, a
 * message per send, counter bins per sample period) and keeps them in
 * memory; sim_trace_close lays them out and writes the file.  Events of
 * different harts arrive in the schedule's order, not in time order, and
 * a message's arrival is known at its send: sorting at the end is what
 * makes every track's timestamps non-decreasing, and the file is valid
 * JSON whatever the cap left out.
 *
 * Memory is bounded by the cap: every record is charged the trace
 * events it will become (a B/E slice two, a message four: two slices and
 * two flow events), and so is every counter bin.  Records wholly outside
 * the window are never kept.  With --trace-from roi the window's start is
 * not known until the region begins: records that end before every
 * runnable hart's clock (no region can begin earlier) are pruned when
 * the buffer fills.  When the cap is reached at cycle C, the window ends
 * at C: records that begin later are counted and dropped, those that
 * began before (a state or a hold that closes later, other harts of the
 * same delivery) are still kept within a slack of an eighth of the cap,
 * so the trace is complete up to C.
 *
 * Message passing.  A library call (MP_CALL enter ... leave, per hart a
 * stack of them) becomes a record when it is left; the hart's state
 * slice is cut at each enter and leave, so that calls hold whole states
 * and nest.  A message between ranks becomes one record from its
 * MP_SEND to its MP_RECV, matched by id in a small hash table: either
 * event may come first (a receive posted before the send is matched
 * while the send is being posted, and the receiver's buffer may be
 * delivered first).  What is still open at the end gets one end only.
 *
 * The GPU.  Its events come whole: a kernel's run and a block's are
 * published when they end (a kernel's after its blocks'), a warp's
 * divergence or reconvergence when it happens, all in the launching
 * hart's buffer.  Each becomes one record charged one trace event, so
 * the cap bounds them as it bounds the rest (reduce.elf 16384: 5
 * kernels, 256 blocks, 22,912 warp events).  Their cycles are the SMs'
 * clocks, not the launcher's, so they do not move its last cycle; the
 * run's end is the latest of the harts' and the GPU's, so that what the
 * GPU ran after the harts' last cycle is not cut.
 */
#include "sim/trace_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- records ------------------------------------------------------------ */

/* Trace events a record becomes. */
static uint32_t rec_cost(const Rec *r)
{
    switch (r->type) {
    case R_STATE: case R_STALL: return 2;          /* B + E */
    case R_MSG: return r->src == r->dst ? 1 : 4;   /* X + X + s + f */
    case R_MPCALL: return 2;                       /* B + E */
    case R_MPMSG:                                  /* 2 x (B + E) + s + f */
        return r->flags & (REC_NO_RECV | REC_NO_SEND) ? 2 : 6;
    default: return 1;                             /* X */
    }
}

/* A hart as the listener follows it. */
#define IDLE_SPANS 8
#define MP_DEPTH 8            /* library calls nested deeper: not drawn */

struct HartLive {
    uint8_t state;            /* SimEvHartState */
    uint64_t since;           /* cycle the state began */
    uint32_t addr;
    uint64_t last;            /* latest cycle seen of it */
    uint64_t s_cycle, s_instret;       /* last SAMPLE (or the open) */
    uint64_t idle_since;      /* blocked or halted since (UINT64_MAX: no) */
    uint32_t nidle;
    uint64_t idle_from[IDLE_SPANS], idle_to[IDLE_SPANS];
    /* The message-passing library calls it is in, outermost first. */
    uint8_t mp_depth;
    uint8_t mp_call[MP_DEPTH];
    uint32_t mp_site[MP_DEPTH];
    uint64_t mp_since[MP_DEPTH];
};

/* A message between ranks whose send or receive is still to come. */
struct MpOpen {
    bool used, sent, received;
    uint32_t id;
    Rec r;
};

struct OpenHold {
    uint32_t lock;
    uint16_t hart;
    uint64_t start;
};

struct RoiEv {
    uint64_t cycle;
    uint8_t what;
};

/* ---- the cap ------------------------------------------------------------ */

/* The lowest clock of a runnable hart: no hart produces an event before
 * it any more (a blocked hart wakes at its waker's clock or later). */
static uint64_t runnable_floor(const SimTrace *t)
{
    uint64_t lo = UINT64_MAX;
    for (uint32_t i = 0; i < t->nharts; i++) {
        const SimHart *h = &t->m->harts[i];
        if (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == SIM_HART_RUNNABLE)
            lo = min_u64(lo, h->isa.cycle);
    }
    return lo;
}

/* Records that end at or before this cycle are outside the window. */
static uint64_t window_floor(const SimTrace *t, bool look)
{
    if (!t->o.from_roi)
        return t->o.from;
    uint64_t lo = min_u64(t->roi_begin_seen, t->floor_now);
    if (look && t->m)
        lo = min_u64(lo, runnable_floor(t));
    return lo == UINT64_MAX ? 0 : lo;
}

/* Records that begin at or after this cycle are outside the window. */
static uint64_t window_ceiling(const SimTrace *t)
{
    uint64_t to = t->o.to ? t->o.to : UINT64_MAX;
    if (t->o.to_roi)
        to = t->roi_end_seen;
    return to;
}

/* Drop what ends before the window's floor (from roi: as far as it is
 * known now), to make room. */
static void prune(SimTrace *t)
{
    uint64_t lo = window_floor(t, true);
    size_t k = 0;
    for (size_t i = 0; i < t->nrec; i++) {
        if (t->rec[i].end <= lo && t->rec[i].type != R_ROI) {
            t->used -= rec_cost(&t->rec[i]);
            continue;
        }
        t->rec[k++] = t->rec[i];
    }
    t->nrec = k;
    uint64_t p = period_of(t, lo);
    Series *all[3] = {t->ipc, t->miss, t->link};
    uint32_t count[3] = {t->cores, t->cores, t->nlinks};
    for (int g = 0; g < 3; g++)
        for (uint32_t i = 0; i < count[g]; i++) {
            Series *s = &all[g][i];
            if (p <= s->base)
                continue;
            uint64_t drop = min_u64(p - s->base, s->n);
            memmove(s->v, s->v + drop, (s->n - drop) * sizeof *s->v);
            s->n -= (uint32_t)drop;
            s->base = p;
            t->used -= drop;
        }
}

/* May `cost` more trace events be kept for something that begins at
 * `start`, seen at cycle `now`?  Sets the cut when the cap is reached. */
static bool room(SimTrace *t, uint64_t cost, uint64_t start, uint64_t now)
{
    if (start >= t->cut) {
        t->dropped += cost;
        return false;
    }
    if (t->used + cost <= t->cap)
        return true;
    if (t->cut == UINT64_MAX && t->o.from_roi)
        prune(t);
    if (t->used + cost <= t->cap)
        return true;
    if (t->cut == UINT64_MAX)
        t->cut = max_u64(now, start);
    if (start < t->cut && t->used + cost <= t->cap + t->slack)
        return true;              /* began before the cut: complete it */
    t->dropped += cost;
    return false;
}

static void add_rec(SimTrace *t, const Rec *r, uint64_t now, bool force)
{
    /* Before the window: it ends at or before its start (a hold of no
     * length at the start itself is in). */
    uint64_t lo = window_floor(t, false);
    if (r->type != R_ROI && (r->end < lo || (r->end == lo && r->start < lo)))
        return;
    if (r->start >= window_ceiling(t))
        return;
    if (!force && !room(t, rec_cost(r), r->start, now))
        return;
    Rec *n = grow_array(t->rec, t->nrec, &t->rec_cap, sizeof *n, 4096);
    if (!n) {
        t->oom = true;
        t->dropped += rec_cost(r);
        return;
    }
    t->rec = n;
    t->rec[t->nrec++] = *r;
    t->used += rec_cost(r);
}

/* ---- counter bins ---------------------------------------------------- */

/* Add v to period p of s (a bin costs one trace event). */
static void bin_add(SimTrace *t, Series *s, uint64_t p, double v)
{
    uint64_t top = min_u64(window_ceiling(t), t->cut);
    if (p < s->base || p > period_of(t, top))
        return;
    uint64_t i = p - s->base;
    if (i >= s->n) {
        uint64_t grow = i + 1 - s->n;
        if (i >= s->cap) {
            uint64_t cap = s->cap ? s->cap : 64;
            while (cap <= i)
                cap *= 2;
            double *n = realloc(s->v, cap * sizeof *n);
            if (!n) {
                t->oom = true;
                return;
            }
            s->v = n;
            s->cap = (uint32_t)cap;
        }
        if (!room(t, grow, p * t->period, p * t->period))
            return;
        memset(s->v + s->n, 0, grow * sizeof *s->v);
        s->n = (uint32_t)(i + 1);
        t->used += grow;
    }
    s->v[i] += v;
}

/* Spread `total` over [a, b) in proportion to each period's share. */
static void spread(SimTrace *t, Series *s, uint64_t a, uint64_t b,
                   double total)
{
    if (b <= a)
        return;
    double per = total / (double)(b - a);
    while (a < b) {
        uint64_t p = period_of(t, a);
        uint64_t e = min_u64(b, (p + 1) * t->period);
        bin_add(t, s, p, per * (double)(e - a));
        a = e;
    }
}

/* ---- the listener ---------------------------------------------------- */

static int lock_index(SimTrace *t, uint32_t addr, uint8_t kind)
{
    for (size_t i = 0; i < t->nlocks; i++)
        if (t->locks[i].addr == addr)
            return (int)i;
    Lock *n = grow_array(t->locks, t->nlocks, &t->locks_cap, sizeof *n, 16);
    if (!n) {
        t->oom = true;
        return -1;
    }
    t->locks = n;
    t->locks[t->nlocks] = (Lock){addr, kind};
    return (int)t->nlocks++;
}

static bool is_idle(uint8_t st)
{
    return st == SIM_EVH_BLOCKED || st == SIM_EVH_HALTED;
}

/* The record of a hart's current state, ending at `end`; at_end: what
 * the end of the run closed, kept whatever the cap. */
static void state_rec(SimTrace *t, uint32_t hart, uint64_t end, bool at_end)
{
    const HartLive *h = &t->hart[hart];
    if (end > h->since)
        add_rec(t, &(Rec){.start = h->since, .end = end, .addr = h->addr,
                          .hart = (uint16_t)hart, .type = R_STATE,
                          .what = h->state,
                          .flags = at_end ? REC_OPEN_AT_END : 0},
                end, at_end);
}

/* The record of a hold released (or still held at the end) at `end`. */
static void hold_rec(SimTrace *t, const OpenHold *oh, uint64_t end,
                     bool at_end)
{
    const Lock *lk = &t->locks[oh->lock];
    add_rec(t, &(Rec){.start = oh->start, .end = max_u64(end, oh->start),
                      .addr = lk->addr, .id = oh->lock, .hart = oh->hart,
                      .type = R_HOLD, .what = lk->kind,
                      .flags = at_end ? REC_OPEN_AT_END : 0},
            end, at_end);
}

static void on_hart(SimTrace *t, const SimEvent *e)
{
    HartLive *h = &t->hart[e->hart];
    uint64_t c = max_u64(e->cycle, h->since);
    if (e->what == h->state) {
        h->addr = e->addr;
        return;
    }
    state_rec(t, e->hart, c, false);
    if (is_idle(e->what) && h->idle_since == UINT64_MAX) {
        h->idle_since = c;
    } else if (!is_idle(e->what) && h->idle_since != UINT64_MAX) {
        if (h->nidle == IDLE_SPANS) {        /* full: widen the last */
            h->idle_to[IDLE_SPANS - 1] = c;
        } else {
            h->idle_from[h->nidle] = h->idle_since;
            h->idle_to[h->nidle++] = c;
        }
        h->idle_since = UINT64_MAX;
    }
    h->state = e->what;
    h->since = c;
    h->addr = e->addr;
}

/* Instructions retired between two samples, spread over the time the hart
 * was not blocked or halted. */
static void on_sample(SimTrace *t, uint32_t hart, uint64_t cycle,
                      uint64_t instret)
{
    HartLive *h = &t->hart[hart];
    uint64_t a = h->s_cycle, b = cycle;
    double n = (double)(instret - h->s_instret);
    if (b > a && n > 0) {
        /* Active pieces of [a, b): between the idle spans. */
        uint64_t from[IDLE_SPANS + 2], to[IDLE_SPANS + 2];
        uint32_t k = 0;
        uint64_t cur = a;
        for (uint32_t i = 0; i <= h->nidle; i++) {
            uint64_t is = i < h->nidle ? h->idle_from[i]
                        : h->idle_since != UINT64_MAX ? h->idle_since : b;
            uint64_t ie = i < h->nidle ? h->idle_to[i] : b;
            is = min_u64(max_u64(is, a), b);
            ie = min_u64(max_u64(ie, a), b);
            if (is > cur) {
                from[k] = cur;
                to[k++] = is;
            }
            cur = max_u64(cur, ie);
        }
        uint64_t active = 0;
        for (uint32_t i = 0; i < k; i++)
            active += to[i] - from[i];
        Series *s = &t->ipc[hart / t->tpc];
        if (!active) {
            bin_add(t, s, period_of(t, a), n);
        } else {
            for (uint32_t i = 0; i < k; i++)
                spread(t, s, from[i], to[i],
                       n * (double)(to[i] - from[i]) / (double)active);
        }
    }
    h->nidle = 0;
    if (h->idle_since != UINT64_MAX)
        h->idle_since = max_u64(h->idle_since, b);
    h->s_cycle = max_u64(h->s_cycle, b);
    h->s_instret = instret;
}

static void on_lock(SimTrace *t, const SimEvent *e)
{
    int li = lock_index(t, e->addr, e->result);
    if (li < 0)
        return;
    if (e->what == PARSIM_LOCK_ACQUIRED) {
        OpenHold *n = grow_array(t->open, t->nopen, &t->open_cap,
                                 sizeof *n, 16);
        if (!n) {
            t->oom = true;
            return;
        }
        t->open = n;
        t->open[t->nopen++] = (OpenHold){(uint32_t)li, (uint16_t)e->hart,
                                         e->cycle};
    } else if (e->what == PARSIM_LOCK_RELEASED) {
        /* This hart's newest hold of the lock; else (a semaphore posted
         * by another hart) the lock's oldest. */
        size_t pick = SIZE_MAX;
        for (size_t i = t->nopen; i-- > 0;)
            if (t->open[i].lock == (uint32_t)li &&
                t->open[i].hart == e->hart) {
                pick = i;
                break;
            }
        for (size_t i = 0; pick == SIZE_MAX && i < t->nopen; i++)
            if (t->open[i].lock == (uint32_t)li)
                pick = i;
        if (pick == SIZE_MAX) {
            t->unmatched++;
            return;
        }
        OpenHold oh = t->open[pick];
        memmove(&t->open[pick], &t->open[pick + 1],
                (t->nopen - pick - 1) * sizeof *t->open);
        t->nopen--;
        hold_rec(t, &oh, e->cycle, false);
    }
}

static void on_roi(SimTrace *t, const SimEvent *e)
{
    RoiEv *n = grow_array(t->roi, t->nroi, &t->roi_cap, sizeof *n, 16);
    if (!n) {
        t->oom = true;
        return;
    }
    t->roi = n;
    t->roi[t->nroi++] = (RoiEv){e->cycle, e->what};
    /* The first region can only begin at or before the earliest begin
     * seen, and ends at or before an end that follows a begin. */
    if (e->what == PARSIM_ROI_BEGIN)
        t->roi_begin_seen = min_u64(t->roi_begin_seen, e->cycle);
    else if (t->roi_begin_seen < e->cycle)
        t->roi_end_seen = min_u64(t->roi_end_seen, e->cycle);
}

/* ---- messages between ranks ------------------------------------------- */

/* The open messages are a hash table by id with linear probing; a
 * removal shifts the entries after it back (no tombstones). */
static size_t mp_home(const SimTrace *t, uint32_t id)
{
    return (size_t)(id * 2654435761u) & (t->mp_cap - 1);
}

static bool mp_grow(SimTrace *t)
{
    size_t cap = t->mp_cap ? 2 * t->mp_cap : 64;
    MpOpen *old = t->mp, *n = calloc(cap, sizeof *n);
    if (!n)
        return false;
    size_t was = t->mp_cap;
    t->mp = n;
    t->mp_cap = cap;
    for (size_t i = 0; i < was; i++) {
        if (!old[i].used)
            continue;
        size_t k = mp_home(t, old[i].id);
        while (n[k].used)
            k = (k + 1) & (cap - 1);
        n[k] = old[i];
    }
    free(old);
    return true;
}

/* Message id's entry; a new one when there is none. */
static MpOpen *mp_open(SimTrace *t, uint32_t id)
{
    size_t k = 0;
    if (t->mp_cap)
        for (k = mp_home(t, id); t->mp[k].used; k = (k + 1) & (t->mp_cap - 1))
            if (t->mp[k].id == id)
                return &t->mp[k];
    if ((t->nmp + 1) * 2 > t->mp_cap) {
        if (!mp_grow(t)) {
            t->oom = true;
            return NULL;
        }
        for (k = mp_home(t, id); t->mp[k].used; k = (k + 1) & (t->mp_cap - 1))
            ;
    }
    t->mp[k] = (MpOpen){.used = true, .id = id};
    t->nmp++;
    return &t->mp[k];
}

static void mp_remove(SimTrace *t, MpOpen *o)
{
    size_t mask = t->mp_cap - 1, i = (size_t)(o - t->mp);
    t->mp[i].used = false;
    t->nmp--;
    for (size_t j = (i + 1) & mask; t->mp[j].used; j = (j + 1) & mask) {
        size_t k = mp_home(t, t->mp[j].id);
        /* Entry j stays if its home is cyclically in (i, j]. */
        bool stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
        if (stays)
            continue;
        t->mp[i] = t->mp[j];
        t->mp[j].used = false;
        i = j;
    }
}

static void on_mp_msg(SimTrace *t, const SimEvent *e)
{
    MpOpen *o = mp_open(t, e->id);
    if (!o)
        return;
    Rec *r = &o->r;
    r->type = R_MPMSG;
    r->id = e->id;
    if (e->kind == SIM_EV_MP_SEND) {
        o->sent = true;
        r->start = e->cycle;
        r->hart = (uint16_t)e->hart;
        r->addr = e->addr;
        r->src = e->src;
        r->dst = e->dst;
        r->what = e->result;
        if (e->what)
            r->flags |= REC_RENDEZVOUS;
    } else {
        o->received = true;
        r->end = e->cycle;
        r->hart2 = (uint16_t)e->hart;
        if (!o->sent) {       /* (the send's event may come second) */
            r->addr = e->addr;
            r->src = e->src;
            r->dst = e->dst;
        }
    }
    if (o->sent && o->received) {
        Rec done = *r;
        mp_remove(t, o);
        done.end = max_u64(done.end, done.start);
        add_rec(t, &done, done.end, false);
    }
}

/* A hart enters or leaves a library call.  Its state slice is cut here,
 * so that a call holds whole state slices and nests around them. */
static void on_mp_call(SimTrace *t, const SimEvent *e)
{
    HartLive *h = &t->hart[e->hart];
    uint64_t c = max_u64(e->cycle, h->since);
    state_rec(t, e->hart, c, false);
    h->since = c;
    if (e->what == 0) {
        if (h->mp_depth < MP_DEPTH) {
            h->mp_call[h->mp_depth] = e->result;
            h->mp_site[h->mp_depth] = e->addr;
            h->mp_since[h->mp_depth] = c;
        }
        if (h->mp_depth < UINT8_MAX)
            h->mp_depth++;
        return;
    }
    if (h->mp_depth == 0)
        return;               /* a leave without its enter */
    uint8_t d = --h->mp_depth;
    if (d < MP_DEPTH)
        add_rec(t, &(Rec){.start = h->mp_since[d], .end = c,
                          .addr = h->mp_site[d], .id = d,
                          .hart = (uint16_t)e->hart, .type = R_MPCALL,
                          .what = h->mp_call[d]}, c, false);
}

/* The GPU's events: their cycles are the SMs' clocks. */
static bool is_gpu(uint8_t kind)
{
    return kind == SIM_EV_GPU_KERNEL || kind == SIM_EV_GPU_BLOCK ||
           kind == SIM_EV_GPU_WARP;
}

static void listener(void *ctx, const SimEvent *ev, size_t n)
{
    SimTrace *t = ctx;
    if (t->o.from_roi && t->roi_begin_seen == UINT64_MAX)
        t->floor_now = runnable_floor(t);
    for (size_t i = 0; i < n; i++) {
        const SimEvent *e = &ev[i];
        if (e->hart >= t->nharts)
            continue;
        HartLive *h = &t->hart[e->hart];
        if (is_gpu(e->kind))
            t->gpu_last = max_u64(t->gpu_last, max_u64(e->end, e->cycle));
        else
            h->last = max_u64(h->last, e->kind == SIM_EV_ACCESS ? e->end
                                                                : e->cycle);
        switch (e->kind) {
        case SIM_EV_HART:
            on_hart(t, e);
            break;
        case SIM_EV_ACCESS:
            if (e->result == SIM_EV_HIT)
                break;
            bin_add(t, &t->miss[e->hart / t->tpc], period_of(t, e->cycle), 1);
            if (e->end > e->cycle)
                add_rec(t, &(Rec){.start = e->cycle, .end = e->end,
                                  .addr = e->addr, .id = e->what,
                                  .hart = (uint16_t)e->hart, .type = R_STALL,
                                  .what = e->result}, e->cycle, false);
            break;
        case SIM_EV_MSG_SEND:
            add_rec(t, &(Rec){.start = e->cycle, .end = max_u64(e->end,
                                                                e->cycle),
                              .addr = e->addr, .id = e->id,
                              .hart = (uint16_t)e->hart, .src = e->src,
                              .dst = e->dst, .type = R_MSG, .what = e->what},
                    e->cycle, false);
            break;
        case SIM_EV_LINK:
            if (e->id < t->nlinks)
                spread(t, &t->link[e->id], e->cycle, e->end,
                       (double)(e->end - e->cycle));
            break;
        case SIM_EV_LOCK:
            on_lock(t, e);
            break;
        case SIM_EV_ROI:
            on_roi(t, e);
            break;
        case SIM_EV_SAMPLE:
            on_sample(t, e->hart, e->cycle, e->end);
            break;
        case SIM_EV_MP_CALL:
            on_mp_call(t, e);
            break;
        case SIM_EV_MP_SEND:
        case SIM_EV_MP_RECV:
            on_mp_msg(t, e);
            break;
        case SIM_EV_GPU_KERNEL:
            add_rec(t, &(Rec){.start = e->cycle,
                              .end = max_u64(e->end, e->cycle),
                              .addr = e->addr, .id = e->id,
                              .hart = (uint16_t)e->hart, .type = R_KERNEL},
                    e->end, false);
            break;
        case SIM_EV_GPU_BLOCK:
        case SIM_EV_GPU_WARP:
            if (e->src >= t->nsms)
                break;
            add_rec(t, &(Rec){.start = e->cycle,
                              .end = e->kind == SIM_EV_GPU_WARP
                                         ? e->cycle
                                         : max_u64(e->end, e->cycle),
                              .addr = e->addr, .id = e->id,
                              .hart = (uint16_t)e->hart, .src = e->src,
                              .dst = e->dst,
                              .type = e->kind == SIM_EV_GPU_WARP ? R_WARP
                                                                 : R_BLOCK,
                              .what = e->what},
                    e->end, false);
            break;
        }
    }
}

/* Every kind but COH: a copy's states are the window's explain view, not
 * a track of the trace (its L1 tracks show the misses, its flows the
 * messages that change them). */
#define LISTEN (SIM_EV_BIT(SIM_EV_ACCESS) | SIM_EV_BIT(SIM_EV_MSG_SEND) |    \
                SIM_EV_BIT(SIM_EV_LINK) | SIM_EV_BIT(SIM_EV_LOCK) |          \
                SIM_EV_BIT(SIM_EV_HART) | SIM_EV_BIT(SIM_EV_ROI) |           \
                SIM_EV_BIT(SIM_EV_SAMPLE) | SIM_EV_BIT(SIM_EV_MP_CALL) |     \
                SIM_EV_BIT(SIM_EV_MP_SEND) | SIM_EV_BIT(SIM_EV_MP_RECV) |    \
                SIM_EV_BIT(SIM_EV_GPU_KERNEL) | SIM_EV_BIT(SIM_EV_GPU_BLOCK) | \
                SIM_EV_BIT(SIM_EV_GPU_WARP))

/* ---- open ------------------------------------------------------------ */

bool sim_trace_parse_cycle(const char *s, uint64_t *cycle, bool *roi)
{
    *roi = false;
    *cycle = 0;
    if (!strcmp(s, "roi")) {
        *roi = true;
        return true;
    }
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1000, end++;
    else if (*end == 'M')
        mul = 1000000, end++;
    else if (*end == 'G')
        mul = 1000000000, end++;
    if (*end || errno || v > UINT64_MAX / mul)
        return false;
    *cycle = v * mul;
    return true;
}

static void free_series(Series *s, uint32_t n)
{
    for (uint32_t i = 0; s && i < n; i++)
        free(s[i].v);
    free(s);
}

static void free_trace(SimTrace *t)
{
    if (!t)
        return;
    if (t->f)
        fclose(t->f);
    free_series(t->ipc, t->cores);
    free_series(t->miss, t->cores);
    free_series(t->link, t->nlinks);
    free(t->rec);
    free(t->hart);
    free(t->names);
    free(t->sites);
    free(t->calls);
    free(t->funcs);
    free(t->lines);
    free(t->mp);
    free(t->open);
    free(t->locks);
    free(t->roi);
    free(t);
}

SimTrace *sim_trace_open(SimMachine *m, const SimTraceOptions *o, char *err,
                         size_t errlen)
{
    SimTrace *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->m = m;
    t->prog = m->prog;
    t->o = *o;
    snprintf(t->path, sizeof t->path, "%s", o->path);
    t->f = fopen(o->path, "w");
    if (!t->f) {
        snprintf(err, errlen, "cannot create %s: %s", o->path,
                 strerror(errno));
        free_trace(t);
        return NULL;
    }
    t->nharts = m->nharts;
    t->cores = m->cfg.cores;
    t->nsms = m->gpu ? m->cfg.gpu.sms : 0;
    t->tpc = m->cfg.threads_per_core ? m->cfg.threads_per_core : 1;
    t->nranks = m->nranks;
    t->harts_per_rank = m->harts_per_rank ? m->harts_per_rank : t->nharts;
    t->cores_per_rank = m->nranks ? t->cores / m->nranks : t->cores;
    if (!t->cores_per_rank)
        t->cores_per_rank = 1;
    t->cap = o->max_events ? o->max_events : SIM_TRACE_DEFAULT_MAX_EVENTS;
    t->slack = t->cap / 8 + 64u * t->nharts;
    t->cut = UINT64_MAX;
    t->roi_begin_seen = t->roi_end_seen = UINT64_MAX;
    t->floor_now = 0;
    SimEvBus *bus = sim_machine_events(m);
    t->period = bus->sample_period ? bus->sample_period : 10000;
    for (size_t r = 0; r < 256; r++)
        t->router_core[r] = t->router_node[r] = -1;
    if (m->memsys) {
        const MemSysConfig *c = memsys_config(m->memsys);
        t->nodes = c->nodes;
        t->routers = c->noc.routers;
        for (uint32_t k = c->cores; k-- > 0;) {  /* the lowest core wins */
            t->core_router[k] = c->core_router[k];
            if (c->core_router[k] < 256)
                t->router_core[c->core_router[k]] = (int16_t)k;
        }
        for (uint32_t n = c->nodes; n-- > 0;)
            if (c->node_router[n] < 256)
                t->router_node[c->node_router[n]] = (int16_t)n;
        const Noc *noc = memsys_noc(m->memsys);
        t->nlinks = noc_link_count(noc);
        if (t->nlinks > 512)
            t->nlinks = 512;
        for (uint32_t l = 0; l < t->nlinks; l++) {
            NocLinkStats ls;
            noc_link_stats(noc, l, &ls);
            t->link_from[l] = (uint16_t)ls.from;
            t->link_to[l] = (uint16_t)ls.to;
        }
    }
    t->hart = calloc(t->nharts, sizeof *t->hart);
    t->names = calloc(NAME_SLOTS, sizeof *t->names);
    t->sites = calloc(NAME_SLOTS, sizeof *t->sites);
    t->calls = calloc(NAME_SLOTS, sizeof *t->calls);
    t->funcs = calloc(NAME_SLOTS, sizeof *t->funcs);
    t->lines = calloc(NAME_SLOTS, sizeof *t->lines);
    t->ipc = calloc(t->cores, sizeof *t->ipc);
    t->miss = calloc(t->cores, sizeof *t->miss);
    t->link = calloc(t->nlinks ? t->nlinks : 1, sizeof *t->link);
    if (!t->hart || !t->names || !t->sites || !t->calls || !t->funcs ||
        !t->lines || !t->ipc || !t->miss || !t->link) {
        snprintf(err, errlen, "out of memory");
        free_trace(t);
        return NULL;
    }
    uint64_t base = period_of(t, t->o.from_roi ? 0 : t->o.from);
    for (uint32_t i = 0; i < t->cores; i++)
        t->ipc[i].base = t->miss[i].base = base;
    for (uint32_t i = 0; i < t->nlinks; i++)
        t->link[i].base = base;
    for (uint32_t i = 0; i < t->nharts; i++) {
        const SimHart *mh = &m->harts[i];
        HartLive *h = &t->hart[i];
        h->state = mh->state == SIM_HART_WAITING ||
                           mh->state == SIM_HART_MPWAIT ? SIM_EVH_BLOCKED
                 : mh->state == SIM_HART_PARKED ||
                           mh->state == SIM_HART_EXITED ? SIM_EVH_HALTED
                 : mh->trying ? SIM_EVH_SPINNING : SIM_EVH_RUNNING;
        h->since = h->last = h->s_cycle = mh->isa.cycle;
        h->s_instret = mh->isa.instret;
        h->idle_since = is_idle(h->state) ? h->since : UINT64_MAX;
    }
    if (!sim_ev_listen(bus, LISTEN, listener, t)) {
        snprintf(err, errlen, "too many listeners on the event stream");
        free_trace(t);
        return NULL;
    }
    return t;
}

/* The regions of interest, from the ROI events in time order. */
static void regions(SimTrace *t, uint64_t end, uint64_t *first_begin,
                    uint64_t *first_end)
{
    *first_begin = *first_end = UINT64_MAX;
    for (size_t i = 1; i < t->nroi; i++)       /* few: insertion sort */
        for (size_t j = i; j > 0 && t->roi[j].cycle < t->roi[j - 1].cycle;
             j--) {
            RoiEv x = t->roi[j];
            t->roi[j] = t->roi[j - 1];
            t->roi[j - 1] = x;
        }
    bool active = false;
    uint64_t begin = 0;
    for (size_t i = 0; i <= t->nroi; i++) {
        bool last = i == t->nroi;
        if (!last && t->roi[i].what == PARSIM_ROI_BEGIN && !active) {
            active = true;
            begin = t->roi[i].cycle;
        } else if (active && (last || t->roi[i].what == PARSIM_ROI_END)) {
            uint64_t e = last ? end : t->roi[i].cycle;
            active = false;
            if (*first_begin == UINT64_MAX) {
                *first_begin = begin;
                if (!last)
                    *first_end = e;
            }
            add_rec(t, &(Rec){.start = begin, .end = e, .type = R_ROI},
                    e, true);
        }
    }
}

/* ---- close ----------------------------------------------------------- */

bool sim_trace_close(SimTrace *t, SimMachine *m, char *err, size_t errlen)
{
    /* The machine traced, still there?  (A session's restart frees it and
     * may build the next one at the same address.) */
    bool alive = false;
    if (m && m == t->m) {
        SimEvBus *bus = sim_machine_events(m);
        for (uint32_t i = 0; i < bus->nlisteners; i++)
            if (bus->listener[i].fn == listener && bus->listener[i].ctx == t)
                alive = true;
        if (alive)
            sim_ev_unlisten(bus, listener, t);    /* delivers what is left */
    }
    if (!alive)
        t->m = NULL;

    /* The end: each hart's last cycle; the run's end is the latest (or
     * the GPU's last, when it ran on after them). */
    uint64_t end = t->gpu_last;
    for (uint32_t i = 0; i < t->nharts; i++) {
        HartLive *h = &t->hart[i];
        if (alive) {
            h->last = max_u64(h->last, m->harts[i].isa.cycle);
            on_sample(t, i, m->harts[i].isa.cycle, m->harts[i].isa.instret);
        }
        end = max_u64(end, max_u64(h->last, h->since));
    }
    for (uint32_t i = 0; i < t->nharts; i++) {
        HartLive *h = &t->hart[i];
        /* A blocked or halted hart's clock stops; its state lasts to the
         * run's end, and so do the library calls it is in. */
        uint64_t e = is_idle(h->state) ? end : max_u64(h->last, h->since);
        state_rec(t, i, e, true);
        for (uint32_t d = min_u64(h->mp_depth, MP_DEPTH); d-- > 0;)
            add_rec(t, &(Rec){.start = h->mp_since[d],
                              .end = max_u64(e, h->mp_since[d]),
                              .addr = h->mp_site[d], .id = d,
                              .hart = (uint16_t)i, .type = R_MPCALL,
                              .what = h->mp_call[d],
                              .flags = REC_OPEN_AT_END}, e, true);
    }
    /* Messages sent and never received (or the reverse): one end each. */
    for (size_t i = 0; i < t->mp_cap; i++) {
        Rec r = t->mp[i].r;
        if (!t->mp[i].used)
            continue;
        if (!t->mp[i].received) {
            r.flags |= REC_NO_RECV;
            r.end = r.start;
        } else {
            r.flags |= REC_NO_SEND;
            r.start = r.end;
        }
        add_rec(t, &r, r.end, false);
    }
    for (size_t i = 0; i < t->nopen; i++)
        hold_rec(t, &t->open[i], t->hart[t->open[i].hart].last, true);
    uint64_t rb, re;
    regions(t, end, &rb, &re);

    /* The window. */
    uint64_t from = t->o.from, to = t->o.to ? t->o.to : UINT64_MAX;
    if (t->o.from_roi) {
        from = rb == UINT64_MAX ? end : rb;
        if (rb == UINT64_MAX)
            fprintf(stderr, "parsim: --trace-from roi: the program began no "
                    "region of interest (parsim_roi_begin), so the trace is "
                    "empty\n");
    }
    if (t->o.to_roi) {
        to = re;
        if (re == UINT64_MAX && rb != UINT64_MAX)
            fprintf(stderr, "parsim: --trace-to roi: the region of interest "
                    "did not end before the run did; the trace goes to the "
                    "end\n");
    }
    to = min_u64(min_u64(to, t->cut), end);
    if (from > to)
        from = to;

    Layout L;
    bool ok = sim_trace_layout_build(&L, t, from, to, end);
    if (!ok)
        snprintf(err, errlen, "out of memory laying out the trace");
    if (ok)
        ok = sim_trace_write_json(t, &L, err, errlen);
    if (ok && t->o.on_layout)
        ok = sim_trace_export(t, &L, err, errlen);
    if (fclose(t->f) != 0 && ok) {
        snprintf(err, errlen, "cannot write %s: %s", t->path,
                 strerror(errno));
        ok = false;
    }
    t->f = NULL;
    if (t->dropped)
        fprintf(stderr, "parsim: --trace: warning: the cap of %" PRIu64
                " events was reached at cycle %" PRIu64 ", so %s ends there "
                "and %" PRIu64 " events after it were left out; narrow the "
                "window with --trace-from/--trace-to CYCLE or raise "
                "--trace-max-events\n",
                t->cap, t->cut == UINT64_MAX ? to : t->cut, t->path,
                t->dropped);
    if (t->oom)
        fprintf(stderr, "parsim: --trace: warning: out of memory: some "
                "events are missing from %s\n", t->path);
    sim_trace_layout_free(&L);
    free_trace(t);
    return ok;
}
