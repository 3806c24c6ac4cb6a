/* trace_layout.c — the trace's records laid out at close: each record
 * becomes slices of groups (a hart, a core's L1, a node's home, a lock,
 * the region), clipped to the window, sorted, and put on the rows of
 * their group; and the counter tracks (see trace_priv.h).
 *
 * Nesting.  A track's slices are sorted by (start, longer first; of the
 * same extent a library call before the state it holds, a state before
 * its stall) and checked on a stack; a slice that would overlap its
 * parent partially
 * goes to the track's next row (another thread of the process) instead
 * of being clipped.  Lock tracks allow no nesting at all: overlapping
 * holds of one lock are real (a semaphore) or drift between harts, and
 * each gets a row of its own.
 *
 * The GPU.  An SM's blocks overlap while several are resident; like
 * holds, each takes the first row free when it begins, so an SM has as
 * many rows as it ever had blocks at once.  A warp's divergence or
 * reconvergence is an instant on the row of the block that holds its
 * warp slot then: the live block with the highest first slot at or
 * below it (a block's slots are contiguous and resident blocks' never
 * overlap).
 */
#include "sim/trace_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- groups ------------------------------------------------------------- */

GroupKind sim_trace_group_kind(const Layout *L, uint32_t g, uint32_t *index)
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
    if (g < L->g_kernels) {
        *index = 0;
        return G_ROI;
    }
    if (g < L->g_sm) {
        *index = 0;
        return G_KERNELS;
    }
    *index = g - L->g_sm;
    return G_SM;
}

size_t sim_trace_group_end(const Layout *L, size_t i)
{
    size_t j = i;
    while (j < L->n && L->s[j].group == L->s[i].group)
        j++;
    return j;
}

unsigned sim_trace_group_rows(const Layout *L, uint32_t g)
{
    uint32_t idx;
    if (L->lanes[g])
        return L->lanes[g];
    return sim_trace_group_kind(L, g, &idx) == G_HART ? 1 : 0;
}

/* The group of a message's end at router r: the core's L1 or the node's
 * home.  A router that several cores share is the requester's when it is
 * its router.  Where a home shares a router with a core, the message type
 * says which end it is (a DATA from there is drawn at the home). */
uint32_t sim_trace_endpoint(const Layout *L, uint32_t r, uint8_t type,
                            bool src, uint32_t hart)
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

/* ---- slices ------------------------------------------------------------- */

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
    Slice *n = grow_array(L->s, L->n, &L->cap, sizeof *n, 4096);
    if (!n)
        return false;
    L->s = n;
    s.seq = (uint32_t)L->n;
    L->s[L->n++] = s;
    return true;
}

/* Between slices of one hart with the same extent, the parent first:
 * library calls (the outermost first), then states, stalls, the ends of
 * messages between ranks. */
#define PRIO_STATE 16
#define PRIO_STALL 17
#define PRIO_MP_END 18

/* A record's slices: a message has one at each end that is in the
 * window (one only when it does not leave its router). */
static bool push_rec(Layout *L, const Rec *r, uint32_t i)
{
    Slice s = {.start = r->start, .end = r->end, .rec = i};
    switch (r->type) {
    case R_STATE: case R_STALL: case R_MPCALL:
        s.group = r->hart;
        s.prio = r->type == R_STATE ? PRIO_STATE
               : r->type == R_STALL ? PRIO_STALL : (uint8_t)r->id;
        return s.end > s.start && s.start < L->to && s.end > L->from ?
               push_slice(L, s) : true;
    case R_MPMSG: {
        /* A slice of one cycle at each end, on the sending and the
         * receiving hart's tracks; the arrow when both are in the window. */
        uint32_t nh = L->t->nharts;
        bool in_send = !(r->flags & REC_NO_SEND) && r->hart < nh &&
                       r->start >= L->from && r->start < L->to;
        bool in_recv = !(r->flags & REC_NO_RECV) && r->hart2 < nh &&
                       r->end >= L->from && r->end < L->to;
        bool flow = in_send && in_recv && r->end > r->start;
        bool ok = true;
        if (in_send)
            ok = push_slice(L, (Slice){.start = r->start,
                                       .end = r->start + 1, .group = r->hart,
                                       .rec = i, .role = 1, .flow = flow,
                                       .prio = PRIO_MP_END});
        if (ok && in_recv)
            ok = push_slice(L, (Slice){.start = r->end, .end = r->end + 1,
                                       .group = r->hart2, .rec = i,
                                       .role = 2, .flow = flow,
                                       .prio = PRIO_MP_END});
        return ok;
    }
    case R_HOLD:
        s.group = L->g_lock + r->id;
        if (s.start < L->to && (s.end > L->from || (s.end == L->from &&
                                                    s.start == L->from)))
            return push_slice(L, s);
        return true;
    case R_ROI:
        s.group = L->g_roi;
        if (s.start < L->to && s.end > L->from)
            return push_slice(L, s);
        return true;
    case R_KERNEL: case R_BLOCK:
        s.group = r->type == R_KERNEL ? L->g_kernels : L->g_sm + r->src;
        if (s.start < L->to && (s.end > L->from || (s.end == L->from &&
                                                    s.start == L->from)))
            return push_slice(L, s);
        return true;
    case R_WARP:
        s.group = L->g_sm + r->src;
        s.role = ROLE_INSTANT;
        if (s.start >= L->from && s.start < L->to)
            return push_slice(L, s);
        return true;
    case R_MSG: {
        bool in_send = r->start >= L->from && r->start < L->to;
        bool in_recv = r->end >= L->from && r->end < L->to;
        uint32_t gs = sim_trace_endpoint(L, r->src, r->what, true, r->hart);
        uint32_t gd = sim_trace_endpoint(L, r->dst, r->what, false, r->hart);
        bool flow = in_send && in_recv && r->src != r->dst &&
                    r->end > r->start;
        bool ok = true;
        if (in_send)
            ok = push_slice(L, (Slice){.start = r->start,
                                       .end = r->start + 1, .group = gs,
                                       .rec = i, .role = 1, .flow = flow});
        if (ok && in_recv && (r->src != r->dst || !in_send))
            ok = push_slice(L, (Slice){.start = r->end, .end = r->end + 1,
                                       .group = gd, .rec = i, .role = 2,
                                       .flow = flow});
        return ok;
    }
    }
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
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- rows --------------------------------------------------------------- */

void sim_trace_rows_reset(RowStack *r)
{
    memset(r->depth, 0, sizeof r->depth);
}

bool sim_trace_rows_pop(RowStack *r, unsigned lane, uint64_t at,
                        uint64_t *end)
{
    int *d = &r->depth[lane];
    if (*d == 0 || r->end[lane][*d - 1] > at)
        return false;
    *end = r->end[lane][--*d];
    return true;
}

void sim_trace_rows_push(RowStack *r, unsigned lane, uint64_t end)
{
    if (r->depth[lane] < MAX_DEPTH)
        r->end[lane][r->depth[lane]++] = end;
}

/* Rows for one group's slices s[0..n) (sorted): a slice goes on the
 * first row where it nests (nest) or where the row is free.  Instants
 * are left to place_instants. */
static void assign_lanes(Slice *s, size_t n, bool nest, uint8_t *used)
{
    static RowStack rows;
    uint64_t ended;
    int lanes = 0;
    sim_trace_rows_reset(&rows);
    for (size_t i = 0; i < n; i++) {
        if (s[i].role == ROLE_INSTANT)
            continue;
        int l;
        for (l = 0; l < MAX_LANES - 1; l++) {
            if (l >= lanes)
                break;
            while (sim_trace_rows_pop(&rows, (unsigned)l, s[i].start, &ended))
                ;
            int d = rows.depth[l];
            if (d == 0 ||
                (nest && rows.end[l][d - 1] >= s[i].end && d < MAX_DEPTH))
                break;
        }
        if (l >= lanes) {
            lanes = l + 1;
            rows.depth[l] = 0;
        }
        sim_trace_rows_push(&rows, (unsigned)l, s[i].end);
        s[i].lane = (uint8_t)l;
    }
    *used = (uint8_t)(lanes ? lanes : 1);
}

#define MAX_WARP_SLOTS 64     /* gpu.max_warps_per_sm's limit */

/* An SM's warp events onto the rows of their blocks (see the banner):
 * in slice order a block is seen before any instant it holds (a longer
 * slice sorts first at the same start). */
static void place_instants(const Layout *L, Slice *s, size_t n)
{
    size_t at_slot[MAX_WARP_SLOTS] = {0};     /* the latest block + 1 */
    for (size_t i = 0; i < n; i++) {
        const Rec *r = &L->t->rec[s[i].rec];
        if (s[i].role != ROLE_INSTANT) {
            if (r->dst < MAX_WARP_SLOTS)
                at_slot[r->dst] = i + 1;
            continue;
        }
        s[i].lane = 0;
        for (int w = r->dst < MAX_WARP_SLOTS ? r->dst : MAX_WARP_SLOTS - 1;
             w >= 0; w--) {
            const Slice *b = at_slot[w] ? &s[at_slot[w] - 1] : NULL;
            if (b && b->start <= s[i].start && b->end >= s[i].start) {
                s[i].lane = b->lane;
                break;
            }
        }
    }
}

/* ---- kernel runs -------------------------------------------------------- */

static int kernel_cmp(const void *a, const void *b)
{
    const KernelRun *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->launch < y->launch ? -1 : x->launch > y->launch;
}

static bool collect_kernels(Layout *L)
{
    const SimTrace *t = L->t;
    size_t cap = 0;
    for (size_t i = 0; i < t->nrec; i++) {
        const Rec *r = &t->rec[i];
        if (r->type != R_KERNEL)
            continue;
        KernelRun *n = grow_array(L->kernels, L->nkernels, &cap, sizeof *n,
                                  16);
        if (!n)
            return false;
        L->kernels = n;
        L->kernels[L->nkernels++] = (KernelRun){r->start, r->end, r->addr,
                                                r->id};
    }
    if (L->nkernels > 1)
        qsort(L->kernels, L->nkernels, sizeof *L->kernels, kernel_cmp);
    return true;
}

bool sim_trace_block_launch(const Layout *L, const Rec *r, uint32_t *launch)
{
    /* The last kernel run that began at or before the block did. */
    size_t lo = 0, hi = L->nkernels;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->kernels[mid].start <= r->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return false;
    const KernelRun *k = &L->kernels[lo - 1];
    if (k->fn != r->addr || k->end < r->end)
        return false;
    *launch = k->launch;
    return true;
}

/* ---- the layout --------------------------------------------------------- */

bool sim_trace_layout_build(Layout *L, SimTrace *t, uint64_t from,
                            uint64_t to, uint64_t end)
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
    L->g_kernels = L->g_roi + 1;
    L->g_sm = L->g_kernels + 1;
    L->ngroups = L->g_sm + t->nsms;
    if (!collect_kernels(L))
        return false;
    for (size_t i = 0; i < t->nrec; i++)
        if (!push_rec(L, &t->rec[i], (uint32_t)i))
            return false;
    if (L->n > 1)               /* qsort wants a real array */
        qsort(L->s, L->n, sizeof *L->s, slice_cmp);
    L->lanes = calloc(L->ngroups, 1);
    if (!L->lanes)
        return false;
    for (size_t i = 0; i < L->n;) {
        size_t j = sim_trace_group_end(L, i);
        uint32_t idx;
        GroupKind k = sim_trace_group_kind(L, L->s[i].group, &idx);
        /* A lock's, an SM's and the kernels' slices never nest: one
         * that overlaps another takes a row of its own. */
        assign_lanes(L->s + i, j - i, k != G_LOCK && k != G_SM &&
                     k != G_KERNELS, &L->lanes[L->s[i].group]);
        if (k == G_SM)
            place_instants(L, L->s + i, j - i);
        i = j;
    }
    return true;
}

void sim_trace_layout_free(Layout *L)
{
    free(L->s);
    free(L->lanes);
    free(L->kernels);
    L->s = NULL;
    L->lanes = NULL;
    L->kernels = NULL;
}

/* ---- counter tracks ----------------------------------------------------- */

uint64_t sim_trace_bin_at(const Layout *L, uint64_t p)
{
    return max_u64(p * L->t->period, L->from);
}

double sim_trace_bin_value(const Layout *L, const Counter *c, uint64_t p)
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

static Counter counter(unsigned pid, const Series *s, double scale,
                       const char *name, const char *key)
{
    Counter c = {.pid = pid, .s = s, .scale = scale};
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.key, sizeof c.key, "%s", key);
    return c;
}

size_t sim_trace_counters(const Layout *L, Counter *out, size_t max)
{
    const SimTrace *t = L->t;
    size_t n = 0;
    char key[40], name[40];
    /* A counter's name is unique in its process (chrome://tracing keys
     * them so): a rank's process with several cores names the core. */
    bool shared = t->nranks && t->cores_per_rank > 1;
    for (uint32_t c = 0; c < t->cores && n + 2 <= max; c++) {
        unsigned pid = sim_trace_core_proc(t, c) + 1;
        snprintf(key, sizeof key, "core %u", c);
        if (shared)
            snprintf(name, sizeof name, "IPC core %u", c);
        else
            snprintf(name, sizeof name, "IPC");
        out[n++] = counter(pid, &t->ipc[c], 1.0, name, key);
        if (shared)
            snprintf(name, sizeof name, "L1D misses/kcycle core %u", c);
        else
            snprintf(name, sizeof name, "L1D misses/kcycle");
        out[n++] = counter(pid, &t->miss[c], 1000.0, name, key);
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
        /* A name per link: chrome://tracing keys counters by name. */
        snprintf(name, sizeof name, "link %u (%u->%u)", l, t->link_from[l],
                 t->link_to[l]);
        out[n++] = counter(t->cores + 3, &t->link[l], 100.0, name, "busy %");
    }
    free(busy);
    free(order);
    return n;
}
