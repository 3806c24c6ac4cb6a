/* trace.c — the Chrome trace-event JSON writer (see trace.h).
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
 * Exact times.  1 cycle = 1 ns, the JSON's unit is the microsecond, so a
 * timestamp is written as c / 1000 with three decimals.  Perfetto reads
 * "ts" exactly (as a decimal string) but some versions read "dur" as a
 * double and truncate, which can make a child end 1 ns after its parent.
 * The hart tracks, where stalls nest inside states, are therefore B/E
 * pairs (both ends are timestamps); the leaf tracks (messages, locks,
 * region) use X events, where a 1 ns error cannot break a nesting.
 *
 * Nesting.  A track's slices are sorted by (start, longer first) and
 * checked on a stack; a slice that would overlap its parent partially
 * goes to the track's next row (another thread of the process) instead
 * of being clipped.  Lock tracks allow no nesting at all: overlapping
 * holds of one lock are real (a semaphore) or drift between harts, and
 * each gets a row of its own.
 */
#include "sim/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json.h"
#include "sim/machine_priv.h"

#ifndef PARSIM_VERSION
#define PARSIM_VERSION "dev"
#endif

/* ---- records ------------------------------------------------------------ */

typedef enum RecType { R_STATE, R_STALL, R_HOLD, R_MSG, R_ROI } RecType;

#define REC_OPEN_AT_END 1     /* closed by the end of the run */

typedef struct Rec {
    uint64_t start, end;      /* [start, end) in cycles */
    uint32_t addr;            /* address, line or lock */
    uint32_t id;              /* message id; stall: access kind; hold: lock */
    uint16_t hart;
    uint16_t src, dst;        /* message: routers */
    uint8_t type;             /* RecType */
    uint8_t what;             /* state, result, CohMsg, lock kind */
    uint8_t flags;
} Rec;

/* Trace events a record becomes. */
static uint32_t rec_cost(const Rec *r)
{
    switch (r->type) {
    case R_STATE: case R_STALL: return 2;          /* B + E */
    case R_MSG: return r->src == r->dst ? 1 : 4;   /* X + X + s + f */
    default: return 1;                             /* X */
    }
}

/* A hart as the listener follows it. */
#define IDLE_SPANS 8

typedef struct HartLive {
    uint8_t state;            /* SimEvHartState */
    uint64_t since;           /* cycle the state began */
    uint32_t addr;
    uint64_t last;            /* latest cycle seen of it */
    uint64_t s_cycle, s_instret;       /* last SAMPLE (or the open) */
    uint64_t idle_since;      /* blocked or halted since (UINT64_MAX: no) */
    uint32_t nidle;
    uint64_t idle_from[IDLE_SPANS], idle_to[IDLE_SPANS];
} HartLive;

typedef struct OpenHold {
    uint32_t lock;
    uint16_t hart;
    uint64_t start;
} OpenHold;

typedef struct Lock {
    uint32_t addr;
    uint8_t kind;
} Lock;

typedef struct RoiEv {
    uint64_t cycle;
    uint8_t what;
} RoiEv;

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

struct SimTrace {
    SimMachine *m;
    const SimProgram *prog;
    SimTraceOptions o;
    FILE *f;
    char path[512];

    uint32_t nharts, cores, tpc, nodes, nlinks, routers;
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
    uint64_t roi_begin_seen, roi_end_seen;   /* UINT64_MAX: none */
    uint64_t floor_now;       /* from roi: runnable_floor at this delivery */

    Series *ipc, *miss, *link;     /* per core, per core, per link */

    uint64_t cap, slack;
    uint64_t used;            /* trace events the records and bins become */
    uint64_t cut;             /* the cap was reached here (UINT64_MAX) */
    uint64_t dropped;         /* trace events left out by the cap */
    uint64_t unmatched;       /* releases of holds never seen acquired */
    bool oom;
    NameSlot *names;          /* data_name's cache */
};

/* ---- the cap ------------------------------------------------------------ */

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

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

static uint64_t period_of(const SimTrace *t, uint64_t cycle)
{
    return cycle / t->period;
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
    if (t->nrec == t->rec_cap) {
        size_t cap = t->rec_cap ? t->rec_cap * 2 : 4096;
        Rec *n = realloc(t->rec, cap * sizeof *n);
        if (!n) {
            t->oom = true;
            t->dropped += rec_cost(r);
            return;
        }
        t->rec = n;
        t->rec_cap = cap;
    }
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
    if (t->nlocks == t->locks_cap) {
        size_t cap = t->locks_cap ? t->locks_cap * 2 : 16;
        Lock *n = realloc(t->locks, cap * sizeof *n);
        if (!n) {
            t->oom = true;
            return -1;
        }
        t->locks = n;
        t->locks_cap = cap;
    }
    t->locks[t->nlocks] = (Lock){addr, kind};
    return (int)t->nlocks++;
}

static bool is_idle(uint8_t st)
{
    return st == SIM_EVH_BLOCKED || st == SIM_EVH_HALTED;
}

static void on_hart(SimTrace *t, const SimEvent *e)
{
    HartLive *h = &t->hart[e->hart];
    uint64_t c = max_u64(e->cycle, h->since);
    if (e->what == h->state) {
        h->addr = e->addr;
        return;
    }
    if (c > h->since)
        add_rec(t, &(Rec){.start = h->since, .end = c, .addr = h->addr,
                          .hart = (uint16_t)e->hart, .type = R_STATE,
                          .what = h->state}, c, false);
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
        if (t->nopen == t->open_cap) {
            size_t cap = t->open_cap ? t->open_cap * 2 : 16;
            OpenHold *n = realloc(t->open, cap * sizeof *n);
            if (!n) {
                t->oom = true;
                return;
            }
            t->open = n;
            t->open_cap = cap;
        }
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
        add_rec(t, &(Rec){.start = oh.start,
                          .end = max_u64(e->cycle, oh.start),
                          .addr = e->addr, .id = oh.lock, .hart = oh.hart,
                          .type = R_HOLD, .what = t->locks[li].kind},
                e->cycle, false);
    }
}

static void on_roi(SimTrace *t, const SimEvent *e)
{
    if (t->nroi == t->roi_cap) {
        size_t cap = t->roi_cap ? t->roi_cap * 2 : 16;
        RoiEv *n = realloc(t->roi, cap * sizeof *n);
        if (!n) {
            t->oom = true;
            return;
        }
        t->roi = n;
        t->roi_cap = cap;
    }
    t->roi[t->nroi++] = (RoiEv){e->cycle, e->what};
    /* The first region can only begin at or before the earliest begin
     * seen, and ends at or before an end that follows a begin. */
    if (e->what == PARSIM_ROI_BEGIN)
        t->roi_begin_seen = min_u64(t->roi_begin_seen, e->cycle);
    else if (t->roi_begin_seen < e->cycle)
        t->roi_end_seen = min_u64(t->roi_end_seen, e->cycle);
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
        }
    }
}

#define LISTEN (SIM_EV_BIT(SIM_EV_ACCESS) | SIM_EV_BIT(SIM_EV_MSG_SEND) |    \
                SIM_EV_BIT(SIM_EV_LINK) | SIM_EV_BIT(SIM_EV_LOCK) |          \
                SIM_EV_BIT(SIM_EV_HART) | SIM_EV_BIT(SIM_EV_ROI) |           \
                SIM_EV_BIT(SIM_EV_SAMPLE))

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

static void free_trace(SimTrace *t)
{
    if (!t)
        return;
    if (t->f)
        fclose(t->f);
    for (uint32_t i = 0; t->ipc && i < t->cores; i++)
        free(t->ipc[i].v);
    for (uint32_t i = 0; t->miss && i < t->cores; i++)
        free(t->miss[i].v);
    for (uint32_t i = 0; t->link && i < t->nlinks; i++)
        free(t->link[i].v);
    free(t->ipc);
    free(t->miss);
    free(t->link);
    free(t->rec);
    free(t->hart);
    free(t->names);
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
    t->tpc = m->cfg.threads_per_core ? m->cfg.threads_per_core : 1;
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
    t->ipc = calloc(t->cores, sizeof *t->ipc);
    t->miss = calloc(t->cores, sizeof *t->miss);
    t->link = calloc(t->nlinks ? t->nlinks : 1, sizeof *t->link);
    if (!t->hart || !t->names || !t->ipc || !t->miss || !t->link) {
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
        h->state = mh->state == SIM_HART_WAITING ? SIM_EVH_BLOCKED
                 : mh->state == SIM_HART_PARKED ? SIM_EVH_HALTED
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

/* ---- layout ---------------------------------------------------------- */

/* Tracks are groups (a hart, a core's L1, a node's home, a lock, the
 * region) split into rows ("lanes") where slices would not nest. */
typedef enum GroupKind { G_HART, G_L1, G_HOME, G_LOCK, G_ROI } GroupKind;

typedef struct Slice {
    uint64_t start, end;
    uint32_t group;
    uint32_t rec;             /* index of its record */
    uint32_t seq;
    uint8_t role;             /* 0 whole, 1 a message's send, 2 its receipt */
    uint8_t lane;
    uint8_t clipped;          /* the window cut it */
    uint8_t flow;             /* a message slice with an arrow */
} Slice;

typedef struct Layout {
    SimTrace *t;
    uint64_t from, to;        /* the window */
    uint64_t end;             /* the run's end */
    uint32_t ngroups, g_l1, g_home, g_lock, g_roi;
    Slice *s;
    size_t n, cap;
    uint8_t *lanes;           /* per group: rows used */
    uint64_t events;
} Layout;

static GroupKind group_kind(const Layout *L, uint32_t g, uint32_t *index)
{
    if (g < L->g_l1) {
        *index = g;
        return G_HART;
    }
    if (g < L->g_home) {
        *index = g - L->g_l1;
        return G_L1;
    }
    if (g < L->g_lock) {
        *index = g - L->g_home;
        return G_HOME;
    }
    if (g < L->g_roi) {
        *index = g - L->g_lock;
        return G_LOCK;
    }
    *index = 0;
    return G_ROI;
}

/* The group of a message's end at router r: the core's L1 or the node's
 * home.  A router that several cores share is the requester's when it is
 * its router.  Where a home shares a router with a core, the message type
 * says which end it is (a DATA from there is drawn at the home). */
static uint32_t endpoint(const Layout *L, uint32_t r, uint8_t type, bool src,
                         uint32_t hart)
{
    const SimTrace *t = L->t;
    uint32_t mine = hart / t->tpc;
    int core = r < 256 ? t->router_core[r] : -1;
    int node = r < 256 ? t->router_node[r] : -1;
    if (core >= 0 && mine < t->cores && t->core_router[mine] == r)
        core = (int)mine;
    if (core >= 0 && node >= 0) {
        bool at_core;
        switch (type) {
        case MSG_GETS: case MSG_GETX: case MSG_UPGRADE: case MSG_PUTS:
        case MSG_PUTX: case MSG_WB:
            at_core = src;           /* requests and write-backs: to home */
            break;
        case MSG_ACK:
            at_core = true;          /* sharer to requester */
            break;
        default:                     /* INV, FWD, DATA: from the home */
            at_core = !src;
            break;
        }
        if (!at_core)
            core = -1;
    }
    if (core >= 0)
        return L->g_l1 + (uint32_t)core;
    return L->g_home + (uint32_t)(node >= 0 ? node : 0);
}

static bool push_slice(Layout *L, Slice s)
{
    if (s.end > L->to) {
        s.end = L->to;
        s.clipped = 1;
    }
    if (s.start < L->from) {
        s.start = L->from;
        s.clipped = 1;
    }
    if (s.start >= L->to || s.end < s.start)
        return true;
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 4096;
        Slice *n = realloc(L->s, cap * sizeof *n);
        if (!n)
            return false;
        L->s = n;
        L->cap = cap;
    }
    s.seq = (uint32_t)L->n;
    L->s[L->n++] = s;
    return true;
}

static int slice_cmp(const void *a, const void *b)
{
    const Slice *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;     /* the parent first */
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

#define MAX_LANES 64

/* Rows for one group's slices s[0..n) (sorted): a slice goes on the
 * first row where it nests (nest) or where the row is free. */
static void assign_lanes(Slice *s, size_t n, bool nest, uint8_t *used)
{
    static uint64_t stack[MAX_LANES][64];
    int depth[MAX_LANES] = {0};
    int lanes = 0;
    for (size_t i = 0; i < n; i++) {
        int l;
        for (l = 0; l < MAX_LANES - 1; l++) {
            if (l >= lanes)
                break;
            while (depth[l] > 0 && stack[l][depth[l] - 1] <= s[i].start)
                depth[l]--;
            if (depth[l] == 0 ||
                (nest && stack[l][depth[l] - 1] >= s[i].end && depth[l] < 64))
                break;
        }
        if (l >= lanes) {
            lanes = l + 1;
            depth[l] = 0;
        }
        if (depth[l] < 64)
            stack[l][depth[l]++] = s[i].end;
        s[i].lane = (uint8_t)l;
    }
    *used = (uint8_t)(lanes ? lanes : 1);
}

static bool build(Layout *L, SimTrace *t, uint64_t from, uint64_t to,
                  uint64_t end)
{
    memset(L, 0, sizeof *L);
    L->t = t;
    L->from = from;
    L->to = to;
    L->end = end;
    L->g_l1 = t->nharts;
    L->g_home = L->g_l1 + t->cores;
    L->g_lock = L->g_home + (t->nodes ? t->nodes : 1);
    L->g_roi = L->g_lock + (uint32_t)t->nlocks;
    L->ngroups = L->g_roi + 1;
    for (size_t i = 0; i < t->nrec; i++) {
        const Rec *r = &t->rec[i];
        Slice s = {.start = r->start, .end = r->end, .rec = (uint32_t)i};
        bool ok = true;
        switch (r->type) {
        case R_STATE: case R_STALL:
            s.group = r->hart;
            ok = s.end > s.start && s.start < to && s.end > from ?
                 push_slice(L, s) : true;
            break;
        case R_HOLD:
            s.group = L->g_lock + r->id;
            if (s.start < to && (s.end > from || (s.end == from &&
                                                  s.start == from)))
                ok = push_slice(L, s);
            break;
        case R_ROI:
            s.group = L->g_roi;
            if (s.start < to && s.end > from)
                ok = push_slice(L, s);
            break;
        case R_MSG: {
            bool in_send = r->start >= from && r->start < to;
            bool in_recv = r->end >= from && r->end < to;
            uint32_t gs = endpoint(L, r->src, r->what, true, r->hart);
            uint32_t gd = endpoint(L, r->dst, r->what, false, r->hart);
            bool flow = in_send && in_recv && r->src != r->dst &&
                        r->end > r->start;
            if (in_send)
                ok = push_slice(L, (Slice){.start = r->start,
                                           .end = r->start + 1, .group = gs,
                                           .rec = (uint32_t)i, .role = 1,
                                           .flow = flow});
            if (ok && in_recv && (r->src != r->dst || !in_send))
                ok = push_slice(L, (Slice){.start = r->end,
                                           .end = r->end + 1, .group = gd,
                                           .rec = (uint32_t)i, .role = 2,
                                           .flow = flow});
            break;
        }
        }
        if (!ok)
            return false;
    }
    qsort(L->s, L->n, sizeof *L->s, slice_cmp);
    L->lanes = calloc(L->ngroups, 1);
    if (!L->lanes)
        return false;
    for (size_t i = 0; i < L->n;) {
        size_t j = i;
        while (j < L->n && L->s[j].group == L->s[i].group)
            j++;
        uint32_t idx;
        GroupKind k = group_kind(L, L->s[i].group, &idx);
        assign_lanes(L->s + i, j - i, k != G_LOCK, &L->lanes[L->s[i].group]);
        i = j;
    }
    return true;
}

/* ---- names ----------------------------------------------------------- */

/* The symbol of an address, through a small cache: a trace names the
 * same few lines and locks over and over. */
static void data_name(const SimTrace *t, uint32_t addr, char *buf, size_t len)
{
    NameSlot *c = &t->names[(addr >> 2 ^ addr >> 10) % NAME_SLOTS];
    if (!c->valid || c->addr != addr) {
        if (t->prog)
            sim_elf_data_name(t->prog, addr, c->name, sizeof c->name);
        else
            snprintf(c->name, sizeof c->name, "0x%08x", addr);
        c->valid = true;
        c->addr = addr;
    }
    snprintf(buf, len, "%s", c->name);
}

static const char *const access_names[] = {"load", "store", "amo", "lr",
                                           "sc"};   /* ORDER IsaAccessKind */

static void stall_name(uint8_t result, char *buf, size_t len)
{
    if (result == SIM_EV_UPGRADE)
        snprintf(buf, len, "upgrade");
    else if (result >= 1 && result <= MISS_CLASS_COUNT)
        snprintf(buf, len, "%s miss", miss_class_names[result - 1]);
    else
        snprintf(buf, len, "miss");
}

static void group_process(const Layout *L, uint32_t g, char *buf, size_t len)
{
    uint32_t i;
    switch (group_kind(L, g, &i)) {
    case G_HART: snprintf(buf, len, "core %u", i / L->t->tpc); break;
    case G_L1: snprintf(buf, len, "core %u", i); break;
    case G_HOME: snprintf(buf, len, "memory"); break;
    case G_LOCK: snprintf(buf, len, "locks"); break;
    case G_ROI: snprintf(buf, len, "run"); break;
    }
}

static void group_name(const Layout *L, uint32_t g, unsigned lane, char *buf,
                       size_t len)
{
    const SimTrace *t = L->t;
    uint32_t i;
    char nm[48], more[24] = "";
    if (lane)
        snprintf(more, sizeof more, " (row %u)", lane + 1);
    switch (group_kind(L, g, &i)) {
    case G_HART:
        snprintf(buf, len, "hart %u (core %u, thread %u)%s", i, i / t->tpc,
                 i % t->tpc, more);
        break;
    case G_L1:
        snprintf(buf, len, "core %u L1D messages%s", i, more);
        break;
    case G_HOME:
        snprintf(buf, len, "node %u home%s", i, more);
        break;
    case G_LOCK:
        data_name(t, t->locks[i].addr, nm, sizeof nm);
        snprintf(buf, len, "%s (%s)%s", nm,
                 t->locks[i].kind < PARSIM_KIND_COUNT
                     ? sim_lock_kinds[t->locks[i].kind].name : "other",
                 more);
        break;
    case G_ROI:
        snprintf(buf, len, "region of interest%s", more);
        break;
    }
}

/* Process and thread ids: unique over the whole file (Perfetto keys
 * threads by tid). */
static unsigned group_pid(const Layout *L, uint32_t g)
{
    const SimTrace *t = L->t;
    uint32_t i;
    switch (group_kind(L, g, &i)) {
    case G_HART: return i / t->tpc + 1;
    case G_L1: return i + 1;
    case G_HOME: return t->cores + 1;
    case G_LOCK: return t->cores + 2;
    default: return t->cores + 4;
    }
}

static unsigned group_tid(const Layout *L, uint32_t g, unsigned lane)
{
    uint32_t i;
    unsigned base;
    switch (group_kind(L, g, &i)) {
    case G_HART: base = 1 + i; break;
    case G_L1: base = 1001 + i; break;
    case G_HOME: base = 2001 + i; break;
    case G_LOCK: base = 3001 + i; break;
    default: base = 9001; break;
    }
    return base + lane * 10000u;
}

static void slice_label(const Layout *L, const Slice *s, char *buf,
                        size_t len, uint8_t *color)
{
    const SimTrace *t = L->t;
    const Rec *r = &t->rec[s->rec];
    char nm[48];
    switch (r->type) {
    case R_STATE:
        snprintf(buf, len, "%s", r->what < SIM_EVH_STATE_COUNT
                                     ? sim_ev_hart_state_names[r->what] : "?");
        *color = (uint8_t)(SIM_TC_RUNNING + (r->what < 4 ? r->what : 0));
        break;
    case R_STALL:
        stall_name(r->what, buf, len);
        *color = r->what == SIM_EV_UPGRADE ? SIM_TC_UPGRADE : SIM_TC_MISS;
        break;
    case R_HOLD:
        snprintf(buf, len, "hart %u", r->hart);
        *color = SIM_TC_HOLD;
        break;
    case R_MSG:
        data_name(t, r->addr, nm, sizeof nm);
        snprintf(buf, len, "%s %s", r->what < MSG_COUNT
                                        ? coh_msg_names[r->what] : "?", nm);
        *color = SIM_TC_MSG;
        break;
    case R_ROI:
        snprintf(buf, len, "region of interest");
        *color = SIM_TC_ROI;
        break;
    }
}

/* "core 3" / "node 0 home" for a message's end. */
static void end_name(const Layout *L, uint32_t g, char *buf, size_t len)
{
    uint32_t i;
    if (group_kind(L, g, &i) == G_L1)
        snprintf(buf, len, "core %u", i);
    else
        snprintf(buf, len, "node %u home", i);
}

/* ---- writing --------------------------------------------------------- */

/* The file is written through a buffer of its own, numbers by hand:
 * printf and stdio's per-call work were most of the time a large trace
 * took to write (measured with perf on the demo: vfprintf, fwrite and
 * fputs, 40%). */
#define OUT_BUF (1u << 16)

typedef struct Out {
    FILE *f;
    char *buf;
    size_t n;
    bool first;
    uint64_t events;
} Out;

static void o_flush(Out *o)
{
    if (o->n)
        fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

static void o_mem(Out *o, const char *p, size_t n)
{
    if (o->n + n > OUT_BUF) {
        o_flush(o);
        if (n > OUT_BUF) {
            fwrite(p, 1, n, o->f);
            return;
        }
    }
    memcpy(o->buf + o->n, p, n);
    o->n += n;
}

static void o_str(Out *o, const char *s)
{
    o_mem(o, s, strlen(s));
}

static void o_chr(Out *o, char c)
{
    o_mem(o, &c, 1);
}

__attribute__((format(printf, 2, 3)))
static void o_fmt(Out *o, const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n > 0)
        o_mem(o, b, (size_t)n < sizeof b ? (size_t)n : sizeof b - 1);
}

/* s as a JSON string literal (the names in a trace are short). */
static void o_jstr(Out *o, const char *s)
{
    char buf[1024];
    o_chr(o, '"');
    o_mem(o, buf, jw_escape(buf, sizeof buf, s));
    o_chr(o, '"');
}

static void o_u(Out *o, uint64_t v)
{
    char b[24];
    int i = sizeof b;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    o_mem(o, b + i, sizeof b - (size_t)i);
}

/* ,"key":c/1000 with three decimals: 1 cycle = 1 ns. */
static void o_ts(Out *o, const char *key, uint64_t c)
{
    char frac[4] = {'.', (char)('0' + c / 100 % 10),
                    (char)('0' + c / 10 % 10), (char)('0' + c % 10)};
    o_str(o, ",\"");
    o_str(o, key);
    o_str(o, "\":");
    o_u(o, c / 1000);
    o_mem(o, frac, 4);
}

/* {"ph":"P","pid":P,"tid":T */
static void o_ids(Out *o, const char *ph, unsigned pid, unsigned tid)
{
    o_str(o, "{\"ph\":\"");
    o_str(o, ph);
    o_str(o, "\",\"pid\":");
    o_u(o, pid);
    o_str(o, ",\"tid\":");
    o_u(o, tid);
}

static void begin_event(Out *o)
{
    o_str(o, o->first ? "\n" : ",\n");
    o->first = false;
}

static void meta(Out *o, unsigned pid, int tid, const char *what,
                 const char *name, int sort)
{
    begin_event(o);
    o_fmt(o, "{\"ph\":\"M\",\"pid\":%u", pid);
    if (tid >= 0)
        o_fmt(o, ",\"tid\":%d", tid);
    o_fmt(o, ",\"name\":\"%s\",\"args\":{", what);
    if (name) {
        o_str(o, "\"name\":");
        o_jstr(o, name);
    } else {
        o_fmt(o, "\"sort_index\":%d", sort);
    }
    o_str(o, "}}");
}

/* The args of a slice, and its category. */
static void slice_args(const Layout *L, const Slice *s, Out *o)
{
    const SimTrace *t = L->t;
    const Rec *r = &t->rec[s->rec];
    char nm[48], a[32], b[32];
    o_str(o, ",\"args\":{");
    switch (r->type) {
    case R_STATE:
        if (r->what == SIM_EVH_SPINNING || r->what == SIM_EVH_BLOCKED) {
            data_name(t, r->addr, nm, sizeof nm);
            o_str(o, r->what == SIM_EVH_SPINNING ? "\"lock\":" : "\"on\":");
            o_jstr(o, nm);
            o_chr(o, ',');
        }
        o_fmt(o, "\"cycles\":%" PRIu64, r->end - r->start);
        break;
    case R_STALL:
        data_name(t, r->addr, nm, sizeof nm);
        o_str(o, "\"addr\":");
        o_jstr(o, nm);
        o_fmt(o, ",\"access\":\"%s\",\"cycles\":%" PRIu64,
              r->id < 5 ? access_names[r->id] : "?", r->end - r->start);
        break;
    case R_HOLD:
        data_name(t, r->addr, nm, sizeof nm);
        o_str(o, "\"lock\":");
        o_jstr(o, nm);
        o_fmt(o, ",\"kind\":\"%s\",\"hart\":%u,\"cycles\":%" PRIu64,
              r->what < PARSIM_KIND_COUNT ? sim_lock_kinds[r->what].name
                                          : "other",
              r->hart, r->end - r->start);
        if (r->flags & REC_OPEN_AT_END)
            o_str(o, ",\"held_at_end\":true");
        break;
    case R_MSG:
        end_name(L, endpoint(L, r->src, r->what, true, r->hart), a, sizeof a);
        end_name(L, endpoint(L, r->dst, r->what, false, r->hart), b,
                 sizeof b);
        o_fmt(o, "\"from\":\"%s\",\"to\":\"%s\",\"cycles\":%" PRIu64
              ",\"hart\":%u", a, b, r->end - r->start, r->hart);
        break;
    case R_ROI:
        o_fmt(o, "\"cycles\":%" PRIu64, r->end - r->start);
        break;
    }
    if (s->clipped)
        o_str(o, ",\"clipped_by_window\":true");
    o_chr(o, '}');
}

static const char *slice_cat(const Rec *r)
{
    switch (r->type) {
    case R_STATE: return "state";
    case R_STALL: return "memory";
    case R_HOLD: return "lock";
    case R_MSG: return "coherence";
    default: return "run";
    }
}

static void write_x(Out *o, const Layout *L, const Slice *s, unsigned pid,
                    unsigned tid)
{
    const Rec *r = &L->t->rec[s->rec];
    char name[96];
    uint8_t color;
    slice_label(L, s, name, sizeof name, &color);
    begin_event(o);
    o_ids(o, "X", pid, tid);
    o_ts(o, "ts", s->start);
    o_ts(o, "dur", s->end - s->start);
    o_str(o, ",\"name\":");
    o_jstr(o, name);
    o_fmt(o, ",\"cat\":\"%s\"", slice_cat(r));
    slice_args(L, s, o);
    o_chr(o, '}');
    o->events++;
    if (s->flow) {
        /* 's' binds to the slice it is in, 'f' with "bp":"e" too. */
        begin_event(o);
        o_ids(o, s->role == 1 ? "s" : "f\",\"bp\":\"e", pid, tid);
        o_ts(o, "ts", s->start);
        o_str(o, ",\"id\":");
        o_u(o, r->id);
        o_str(o, ",\"name\":\"");
        o_str(o, r->what < MSG_COUNT ? coh_msg_names[r->what] : "?");
        o_str(o, "\",\"cat\":\"coherence\"}");
        o->events++;
    }
}

static void write_b(Out *o, const Layout *L, const Slice *s, unsigned pid,
                    unsigned tid)
{
    const Rec *r = &L->t->rec[s->rec];
    char name[96];
    uint8_t color;
    slice_label(L, s, name, sizeof name, &color);
    begin_event(o);
    o_ids(o, "B", pid, tid);
    o_ts(o, "ts", s->start);
    o_str(o, ",\"name\":");
    o_jstr(o, name);
    o_fmt(o, ",\"cat\":\"%s\"", slice_cat(r));
    slice_args(L, s, o);
    o_chr(o, '}');
    o->events++;
}

static void write_e(Out *o, unsigned pid, unsigned tid, uint64_t at)
{
    begin_event(o);
    o_ids(o, "E", pid, tid);
    o_ts(o, "ts", at);
    o_chr(o, '}');
    o->events++;
}

/* One group's slices: X events, or B/E pairs from a stack per row. */
static void write_group(Out *o, const Layout *L, const Slice *s, size_t n,
                        bool be)
{
    static uint64_t stack[MAX_LANES][64];
    int depth[MAX_LANES] = {0};
    unsigned pid = group_pid(L, s[0].group);
    for (size_t i = 0; i < n; i++) {
        unsigned lane = s[i].lane, tid = group_tid(L, s[i].group, lane);
        if (!be) {
            write_x(o, L, &s[i], pid, tid);
            continue;
        }
        while (depth[lane] > 0 && stack[lane][depth[lane] - 1] <= s[i].start)
            write_e(o, pid, tid, stack[lane][--depth[lane]]);
        write_b(o, L, &s[i], pid, tid);
        if (depth[lane] < 64)
            stack[lane][depth[lane]++] = s[i].end;
    }
    for (unsigned lane = 0; lane < MAX_LANES; lane++)
        while (depth[lane] > 0)
            write_e(o, pid, group_tid(L, s[0].group, lane),
                    stack[lane][--depth[lane]]);
}

/* A counter track, as written. */
typedef struct Counter {
    unsigned pid;
    char name[40], key[40];
    const Series *s;
    double scale;             /* value = bin * scale / cycles of the bin */
} Counter;

static double bin_value(const Layout *L, const Counter *c, uint64_t p)
{
    const SimTrace *t = L->t;
    uint64_t a = max_u64(p * t->period, L->from);
    uint64_t b = min_u64((p + 1) * t->period, L->to);
    if (b <= a || p < c->s->base || p - c->s->base >= c->s->n)
        return 0;
    /* A bin holds its whole period (up to the run's end), even where the
     * window takes only part of it. */
    uint64_t full = min_u64((p + 1) * t->period, max_u64(L->end, b)) -
                    p * t->period;
    return c->s->v[p - c->s->base] * c->scale / (double)full;
}

static int link_busy_cmp(const void *a, const void *b, void *ctx)
{
    const double *busy = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (busy[x] != busy[y])
        return busy[x] > busy[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

#define MAX_LINK_COUNTERS 8

/* The counter tracks: IPC and misses per core, the busiest links. */
static size_t counters(const Layout *L, Counter *out, size_t max)
{
    const SimTrace *t = L->t;
    size_t n = 0;
    for (uint32_t c = 0; c < t->cores && n + 2 <= max; c++) {
        out[n] = (Counter){.pid = c + 1, .s = &t->ipc[c], .scale = 1.0};
        snprintf(out[n].name, sizeof out[n].name, "IPC");
        snprintf(out[n].key, sizeof out[n].key, "core %u", c);
        n++;
        out[n] = (Counter){.pid = c + 1, .s = &t->miss[c], .scale = 1000.0};
        snprintf(out[n].name, sizeof out[n].name, "L1D misses/kcycle");
        snprintf(out[n].key, sizeof out[n].key, "core %u", c);
        n++;
    }
    if (!t->nlinks)
        return n;
    double *busy = calloc(t->nlinks, sizeof *busy);
    uint32_t *order = calloc(t->nlinks, sizeof *order);
    if (!busy || !order) {
        free(busy);
        free(order);
        return n;
    }
    for (uint32_t l = 0; l < t->nlinks; l++) {
        order[l] = l;
        for (uint32_t i = 0; i < t->link[l].n; i++)
            busy[l] += t->link[l].v[i];
    }
    /* qsort with a context, by hand: the list is short. */
    for (uint32_t i = 1; i < t->nlinks; i++)
        for (uint32_t j = i; j > 0 &&
             link_busy_cmp(&order[j], &order[j - 1], busy) < 0; j--) {
            uint32_t x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    for (uint32_t k = 0; k < t->nlinks && k < MAX_LINK_COUNTERS && n < max;
         k++) {
        uint32_t l = order[k];
        if (busy[l] == 0 && k > 0)
            break;
        out[n] = (Counter){.pid = t->cores + 3, .s = &t->link[l],
                           .scale = 100.0};
        /* A name per link: chrome://tracing keys counters by name. */
        snprintf(out[n].name, sizeof out[n].name, "link %u (%u->%u)", l,
                 t->link_from[l], t->link_to[l]);
        snprintf(out[n].key, sizeof out[n].key, "busy %%");
        n++;
    }
    free(busy);
    free(order);
    return n;
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

static void counter_events(Out *o, const Layout *L, const Counter *c,
                           uint64_t p0, uint64_t p1)
{
    for (uint64_t p = p0; p <= p1; p++) {
        begin_event(o);
        o_fmt(o, "{\"ph\":\"C\",\"pid\":%u", c->pid);
        o_ts(o, "ts", max_u64(p * L->t->period, L->from));
        o_fmt(o, ",\"name\":\"%s\",\"args\":{\"%s\":%.4g}}", c->name,
              c->key, bin_value(L, c, p));
        o->events++;
    }
}

static bool write_file(SimTrace *t, Layout *L, char *err, size_t errlen)
{
    Out o = {.f = t->f, .first = true, .buf = malloc(OUT_BUF)};
    if (!o.buf) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    o_str(&o, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");

    /* Metadata: names and order of every process and track. */
    bool named[64 + 8] = {false};
    char buf[96];
    for (uint32_t g = 0; g < L->ngroups; g++) {
        uint32_t idx;
        GroupKind k = group_kind(L, g, &idx);
        bool empty = L->lanes[g] == 0;
        if (empty && k != G_HART)
            continue;
        unsigned pid = group_pid(L, g);
        if (pid < sizeof named && !named[pid]) {
            group_process(L, g, buf, sizeof buf);
            meta(&o, pid, -1, "process_name", buf, 0);
            meta(&o, pid, -1, "process_sort_index", NULL, (int)pid);
            named[pid] = true;
        }
        for (unsigned lane = 0; lane < (empty ? 1u : L->lanes[g]); lane++) {
            group_name(L, g, lane, buf, sizeof buf);
            unsigned tid = group_tid(L, g, lane);
            meta(&o, pid, (int)tid, "thread_name", buf, 0);
            meta(&o, pid, (int)tid, "thread_sort_index", NULL,
                 (int)(group_tid(L, g, 0) * 4 + lane));
        }
    }
    if (t->nlinks) {
        meta(&o, t->cores + 3, -1, "process_name", "interconnect", 0);
        meta(&o, t->cores + 3, -1, "process_sort_index", NULL,
             (int)t->cores + 3);
    }

    /* The slices, group by group. */
    for (size_t i = 0; i < L->n;) {
        size_t j = i;
        while (j < L->n && L->s[j].group == L->s[i].group)
            j++;
        uint32_t idx;
        bool be = group_kind(L, L->s[i].group, &idx) == G_HART;
        write_group(&o, L, L->s + i, j - i, be);
        i = j;
    }

    /* The counters, one value per sample period of the window. */
    Counter cs[2 * 64 + MAX_LINK_COUNTERS];
    size_t nc = counters(L, cs, sizeof cs / sizeof cs[0]);
    if (L->to > L->from)
        for (size_t i = 0; i < nc; i++)
            counter_events(&o, L, &cs[i], period_of(t, L->from),
                           period_of(t, L->to - 1));

    o_str(&o, "\n],\n\"otherData\":{");
    o_fmt(&o, "\"generator\":\"parsim %s\",\"time_unit\":\"1 ns = 1 cycle\","
          "\"window_cycles\":[%" PRIu64 ",%" PRIu64 "],\"events\":%"
          PRIu64 ",\"max_events\":%" PRIu64 ",\"dropped_events\":%" PRIu64
          ",\"sample_period\":%" PRIu64 ",\"unmatched_releases\":%" PRIu64
          "}}\n",
          PARSIM_VERSION, L->from, L->to, o.events, t->cap, t->dropped,
          t->period, t->unmatched);
    L->events = o.events;
    o_flush(&o);
    free(o.buf);
    if (ferror(t->f)) {
        snprintf(err, errlen, "cannot write %s: %s", t->path,
                 strerror(errno));
        return false;
    }
    return true;
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The laid-out trace for o->on_layout. */
static bool hand_layout(SimTrace *t, Layout *L, char *err, size_t errlen)
{
    SimTraceLayout out = {.from = L->from, .to = L->to, .events = L->events,
                          .dropped = t->dropped};
    size_t ntr = (size_t)L->ngroups * MAX_LANES;
    uint32_t *track_of = calloc(ntr, sizeof *track_of);
    SimTraceTrack *tracks = calloc(ntr, sizeof *tracks);
    SimTraceSlice *sl = calloc(L->n ? L->n : 1, sizeof *sl);
    SimTraceFlow *fl = calloc(L->n ? L->n : 1, sizeof *fl);
    uint32_t *recv = calloc(t->nrec ? t->nrec : 1, sizeof *recv);
    Counter cs[2 * 64 + MAX_LINK_COUNTERS];
    SimTraceCounter tc[2 * 64 + MAX_LINK_COUNTERS];
    size_t nc = counters(L, cs, sizeof cs / sizeof cs[0]);
    uint64_t p0 = period_of(t, L->from);
    uint64_t np = L->to > L->from ? period_of(t, L->to - 1) - p0 + 1 : 0;
    uint64_t *at = calloc(np ? np : 1, sizeof *at);
    double *val = calloc(np * nc + 1, sizeof *val);
    bool ok = false;
    if (!track_of || !tracks || !sl || !fl || !recv || !at || !val) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    /* Tracks in the viewers' order: by process, then by sort index. */
    uint64_t *key = calloc(ntr, sizeof *key);
    if (!key) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    uint32_t nt = 0;
    for (uint32_t g = 0; g < L->ngroups; g++) {
        uint32_t idx;
        GroupKind k = group_kind(L, g, &idx);
        if (L->lanes[g] == 0 && k != G_HART)
            continue;
        for (unsigned lane = 0; lane < (L->lanes[g] ? L->lanes[g] : 1u);
             lane++)
            key[nt++] = (uint64_t)group_pid(L, g) << 48 |
                        (uint64_t)(group_tid(L, g, 0) * 4u + lane) << 24 |
                        (uint64_t)(g * MAX_LANES + lane);
    }
    qsort(key, nt, sizeof *key, u64_cmp);
    for (uint32_t i = 0; i < nt; i++) {
        uint32_t gl = (uint32_t)(key[i] & 0xffffff);
        uint32_t g = gl / MAX_LANES, lane = gl % MAX_LANES;
        track_of[gl] = i;
        group_process(L, g, tracks[i].process, sizeof tracks[i].process);
        group_name(L, g, lane, tracks[i].name, sizeof tracks[i].name);
    }
    free(key);
    for (size_t i = 0; i < L->n; i++)
        if (L->s[i].role == 2)
            recv[L->s[i].rec] = (uint32_t)i + 1;
    /* Depths from a stack per row, group by group (as write_group). */
    static uint64_t stack[MAX_LANES][64];
    int depth[MAX_LANES];
    size_t nf = 0;
    for (size_t i = 0; i < L->n; i++) {
        const Slice *s = &L->s[i];
        if (i == 0 || s->group != L->s[i - 1].group)
            memset(depth, 0, sizeof depth);
        int *d = &depth[s->lane];
        while (*d > 0 && stack[s->lane][*d - 1] <= s->start)
            (*d)--;
        uint32_t tr = track_of[s->group * MAX_LANES + s->lane];
        const Rec *rc = &t->rec[s->rec];
        sl[i] = (SimTraceSlice){.start = s->start, .end = s->end,
                                .track = tr, .depth = (uint16_t)*d,
                                .arg = rc->type == R_HOLD ? rc->hart
                                     : rc->type == R_MSG ? rc->what : 0};
        slice_label(L, s, sl[i].label, sizeof sl[i].label, &sl[i].color);
        if (*d < 64)
            stack[s->lane][(*d)++] = s->end;
        if (tracks[tr].depth < *d)
            tracks[tr].depth = (uint16_t)*d;
        if (s->flow && s->role == 1 && recv[s->rec]) {
            const Slice *r = &L->s[recv[s->rec] - 1];
            fl[nf++] = (SimTraceFlow){
                tr, track_of[r->group * MAX_LANES + r->lane], s->start,
                r->start};
        }
    }
    for (uint64_t p = 0; p < np; p++)
        at[p] = max_u64((p0 + p) * t->period, L->from);
    for (size_t c = 0; c < nc; c++) {
        if (cs[c].pid == t->cores + 3)
            snprintf(tc[c].process, sizeof tc[c].process, "interconnect");
        else
            snprintf(tc[c].process, sizeof tc[c].process, "core %u",
                     cs[c].pid - 1);
        snprintf(tc[c].name, sizeof tc[c].name, "%s %s", cs[c].name,
                 cs[c].key);
        tc[c].n = (uint32_t)np;
        tc[c].at = at;
        tc[c].value = val + c * np;
        for (uint64_t p = 0; p < np; p++)
            val[c * np + p] = bin_value(L, &cs[c], p0 + p);
    }
    out.ntracks = nt;
    out.tracks = tracks;
    out.nslices = L->n;
    out.slices = sl;
    out.nflows = nf;
    out.flows = fl;
    out.ncounters = (uint32_t)nc;
    out.counters = tc;
    ok = t->o.on_layout(t->o.ctx, &out, err, errlen);
done:
    free(track_of);
    free(tracks);
    free(sl);
    free(fl);
    free(recv);
    free(at);
    free(val);
    return ok;
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

    /* The end: each hart's last cycle; the run's end is the latest. */
    uint64_t end = 0;
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
         * run's end. */
        uint64_t e = is_idle(h->state) ? end : max_u64(h->last, h->since);
        if (e > h->since)
            add_rec(t, &(Rec){.start = h->since, .end = e, .addr = h->addr,
                              .hart = (uint16_t)i, .type = R_STATE,
                              .what = h->state, .flags = REC_OPEN_AT_END},
                    e, true);
    }
    for (size_t i = 0; i < t->nopen; i++) {
        OpenHold *oh = &t->open[i];
        uint64_t e = max_u64(t->hart[oh->hart].last, oh->start);
        add_rec(t, &(Rec){.start = oh->start, .end = e,
                          .addr = t->locks[oh->lock].addr, .id = oh->lock,
                          .hart = oh->hart, .type = R_HOLD,
                          .what = t->locks[oh->lock].kind,
                          .flags = REC_OPEN_AT_END}, e, true);
    }
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
    bool ok = build(&L, t, from, to, end);
    if (!ok)
        snprintf(err, errlen, "out of memory laying out the trace");
    if (ok)
        ok = write_file(t, &L, err, errlen);
    if (ok && t->o.on_layout)
        ok = hand_layout(t, &L, err, errlen);
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
    free(L.s);
    free(L.lanes);
    free_trace(t);
    return ok;
}
