/* noc.c — the interconnect of noc.h: the links of each topology, the
 * deterministic routes over them, and the occupancy/queueing walk that
 * times a packet.
 *
 * Links, by topology (indices are what noc_route and noc_link_stats use):
 *
 *   bus       one link, 0 -> 0, that every packet between two different
 *             routers occupies.
 *   crossbar  a link per ordered pair (src, dst), src != dst, at index
 *             src * (R - 1) + (dst < src ? dst : dst - 1); then one input
 *             port per router, at index R * (R - 1) + dst, shown as
 *             dst -> dst.  A packet holds its pair link AND the port of
 *             its destination for the same occupancy, as one hop (one
 *             link_latency, no router in between): noc_route gives
 *             {pair, port}.  Everything that used a pair link also used
 *             its destination's port at the same cycles, so the port is
 *             never free before the pair link: packets wait only for the
 *             port, and wait_cycles are charged to the port (the pair link
 *             shows its traffic and busy cycles, never waits).  That is
 *             "contention only at the destination's input port".
 *   ring      a link each way between neighbours i and i+1 (mod R);
 *             clockwise = increasing index.  Routed as a 1-D torus.
 *   mesh      a link each way between routers adjacent in X or Y.
 *   torus     the mesh plus wrap-around links each way between x = W-1
 *             and x = 0 (and y = H-1, y = 0).  Where a dimension is 2 the
 *             wrap link would join the same two routers as the direct
 *             link: it is that link, not a second one (a ring of 2 has 2
 *             links, not 4); where a dimension is 1 there are no links in
 *             it.  Links are created per router in the order +x, -x, +y,
 *             -y, so their indices follow router order.
 *
 * Routing: mesh XY (all X hops, then all Y hops); torus and ring the same
 * with the shorter way round in each dimension, ties to the positive
 * direction (clockwise on the ring).  A tie stays a tie-broken decision
 * hop after hop: once one step is taken the way chosen is strictly the
 * shorter one, so computing the direction per hop gives the same path as
 * choosing it once.
 *
 * Timing of a packet of B bytes, occupancy o = ceil(B / link_bytes_per_
 * cycle), ready at t:  for each link in order
 *      enter = the first run of o free cycles of the link at or after t
 *              (its calendar, models/slots.h);  link.wait += enter - t
 *      t = enter + link_latency + o
 * and, at each intermediate router (every router between two links of
 * the route; not the source, not the destination), t += router_latency
 * before it asks for the next link.  So a k-link path with no contention
 * takes k * (link_latency + o) + (k - 1) * router_latency.  Bus and
 * crossbar routes are single hops: no router latency at all.
 *
 * Speed: noc_send is on the miss path.  It allocates nothing.  For ring,
 * mesh and torus of up to TABLE_MAX_ROUTERS routers every route is built
 * at noc_new into one flat array (R^2 offsets plus the links, 16 bits
 * each: ~60 KiB for an 8x8 mesh, ~150 KiB for a ring of 64), so a send
 * reads its links without per-hop arithmetic or dependent loads; above
 * that the per-hop function that fills the table runs on each send (R^2
 * routes would not pay for themselves).  Measured on a 6-hop 4x4 mesh route: ~14 ns per
 * send with the table, ~43 ns computing XY per hop, ~23 ns with a
 * next-hop table.
 *
 * (Its header, noc.h, says what it may depend on.)
 */
#include "models/noc.h"
#include "models/slots.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

/* Route tables stay small (and link indices fit 16 bits: at most 4 links
 * a router); beyond this a route is computed hop by hop. */
#define TABLE_MAX_ROUTERS 64u
/* Bounds that keep link arrays sane; crossbars are quadratic in links. */
#define MAX_ROUTERS       65536u
#define MAX_CROSSBAR      1024u

#define NO_LINK UINT32_MAX

enum { DIR_XP, DIR_XN, DIR_YP, DIR_YN, DIR_COUNT };  /* ORDER DIR */

typedef struct Link {
    Slots slots;              /* which cycles the link is occupied */
    uint32_t from, to;
    uint64_t packets, bytes, busy, wait;
} Link;

struct Noc {
    NocConfig cfg;
    SimEvBus *ev;             /* events (NULL: none) */
    uint32_t ev_hart;         /* the request under way: its hart and */
    uint32_t ev_addr;         /* address (a coherence message: the line) */
    uint32_t width, height;   /* grid shape; ring: R x 1 */
    bool wrap;                /* ring and torus */
    uint32_t nlinks;
    Link *link;
    uint32_t *dirlink;        /* [router * DIR_COUNT + dir] or NO_LINK */
    /* Whole routes, precomputed for small grids: the links of src -> dst
     * are route_link[route_off[src * R + dst] .. route_off[... + 1]).
     * NULL above TABLE_MAX_ROUTERS. */
    uint32_t *route_off;
    uint16_t *route_link;
    NocPacket log[NOC_LOG];   /* ring of the most recent packets */
    uint32_t log_next, log_len;
    bool keep;                /* the log is kept (noc_keep_packets) */
    SlotsRate rate;           /* link_bytes_per_cycle, for slots_cycles */
};

const char *const noc_topology_names[NOC_TOPOLOGY_COUNT] = {
    "bus", "crossbar", "ring", "mesh", "torus",  /* ORDER NocTopology */
};

bool noc_config_check(const NocConfig *c, char *err, size_t errlen)
{
    const char *why = NULL;
    char buf[128];
    if ((unsigned)c->topology >= NOC_TOPOLOGY_COUNT) {
        snprintf(buf, sizeof buf, "topology: %u is not one of bus, "
                 "crossbar, ring, mesh, torus", (unsigned)c->topology);
        why = buf;
    } else if (c->routers < 1) {
        why = "routers: must be at least 1";
    } else if (c->routers > MAX_ROUTERS) {
        snprintf(buf, sizeof buf, "routers: %u is more than %u",
                 c->routers, MAX_ROUTERS);
        why = buf;
    } else if (c->topology == NOC_CROSSBAR && c->routers > MAX_CROSSBAR) {
        snprintf(buf, sizeof buf, "routers: a crossbar of %u needs %llu "
                 "links; at most %u routers", c->routers,
                 (unsigned long long)c->routers * (c->routers - 1),
                 MAX_CROSSBAR);
        why = buf;
    } else if ((c->topology == NOC_MESH || c->topology == NOC_TORUS) &&
               c->width < 1) {
        why = "width: must be at least 1 for a mesh or torus";
    } else if ((c->topology == NOC_MESH || c->topology == NOC_TORUS) &&
               c->routers % c->width != 0) {
        snprintf(buf, sizeof buf, "width: %u does not divide routers (%u): "
                 "routers must be width * height", c->width, c->routers);
        why = buf;
    } else if (c->link_bytes_per_cycle < 1) {
        why = "link_bytes_per_cycle: must be at least 1";
    }
    if (why && err && errlen)
        snprintf(err, errlen, "%s", why);
    return why == NULL;
}

/* ---- building ----------------------------------------------------------- */

static uint32_t add_link(Noc *n, uint32_t from, uint32_t to)
{
    Link *l = &n->link[n->nlinks];
    *l = (Link){0};
    l->from = from;
    l->to = to;
    return n->nlinks++;
}

/* The router one step from r in direction dir, or r itself where there is
 * none (mesh edge, or a dimension of 1). */
static uint32_t neighbour(const Noc *n, uint32_t r, int dir)
{
    uint32_t w = n->width, h = n->height, x = r % w, y = r / w;
    switch (dir) {
    case DIR_XP: x = x + 1 < w ? x + 1 : (n->wrap ? 0 : x); break;
    case DIR_XN: x = x > 0 ? x - 1 : (n->wrap ? w - 1 : x); break;
    case DIR_YP: y = y + 1 < h ? y + 1 : (n->wrap ? 0 : y); break;
    default:     y = y > 0 ? y - 1 : (n->wrap ? h - 1 : y); break;
    }
    return y * w + x;
}

static bool build_grid(Noc *n)
{
    uint32_t r_count = n->cfg.routers;
    n->link = calloc((size_t)r_count * DIR_COUNT, sizeof *n->link);
    n->dirlink = malloc((size_t)r_count * DIR_COUNT * sizeof *n->dirlink);
    if (!n->link || !n->dirlink)
        return false;
    for (uint32_t r = 0; r < r_count; r++) {
        uint32_t *dl = &n->dirlink[r * DIR_COUNT];
        for (int d = 0; d < DIR_COUNT; d++) {
            uint32_t to = neighbour(n, r, d);
            dl[d] = NO_LINK;
            if (to == r)
                continue;
            /* A dimension of 2 makes +x and -x (or +y and -y) the same
             * neighbour: share the link rather than invent a second. */
            for (int e = 0; e < d; e++)
                if (dl[e] != NO_LINK && n->link[dl[e]].to == to)
                    dl[d] = dl[e];
            if (dl[d] == NO_LINK)
                dl[d] = add_link(n, r, to);
        }
    }
    return true;
}

/* The way to go along one dimension from a to b (a != b) of size s. */
static bool go_positive(const Noc *n, uint32_t a, uint32_t b, uint32_t s)
{
    if (!n->wrap)
        return b > a;
    uint32_t pos = b > a ? b - a : b + s - a;
    return pos <= s - pos;    /* ties: positive */
}

/* Next link from cur (!= dst) towards dst on a ring, mesh or torus. */
static uint32_t grid_next(const Noc *n, uint32_t cur, uint32_t dst)
{
    uint32_t w = n->width;
    uint32_t cx = cur % w, cy = cur / w, dx = dst % w, dy = dst / w;
    int dir;
    if (cx != dx)
        dir = go_positive(n, cx, dx, w) ? DIR_XP : DIR_XN;
    else
        dir = go_positive(n, cy, dy, n->height) ? DIR_YP : DIR_YN;
    return n->dirlink[cur * DIR_COUNT + dir];
}

/* Every route of a small grid, walked once here so that noc_send reads
 * its links from one short array: the link of each hop is then known
 * without waiting for the hop before (a next-hop table chains two
 * dependent loads per hop; measured ~1.6x slower on a 6-hop route). */
static bool build_routes(Noc *n)
{
    uint32_t r_count = n->cfg.routers, pairs = r_count * r_count;
    size_t total = 0;
    n->route_off = malloc(((size_t)pairs + 1) * sizeof *n->route_off);
    if (!n->route_off)
        return false;
    for (int pass = 0; pass < 2; pass++) {
        total = 0;
        for (uint32_t s = 0; s < r_count; s++)
            for (uint32_t d = 0; d < r_count; d++) {
                n->route_off[s * r_count + d] = (uint32_t)total;
                for (uint32_t cur = s; cur != d; total++) {
                    uint32_t l = grid_next(n, cur, d);
                    if (pass)
                        n->route_link[total] = (uint16_t)l;
                    cur = n->link[l].to;
                }
            }
        n->route_off[pairs] = (uint32_t)total;
        if (!pass) {
            n->route_link = malloc((total ? total : 1) *
                                   sizeof *n->route_link);
            if (!n->route_link)
                return false;
        }
    }
    return true;
}

Noc *noc_new(const NocConfig *c)
{
    if (!noc_config_check(c, NULL, 0))
        return NULL;
    Noc *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->cfg = *c;
    n->rate = slots_rate(c->link_bytes_per_cycle);
    uint32_t r_count = c->routers;
    bool ok = true;
    switch (c->topology) {
    case NOC_BUS:
        n->link = calloc(1, sizeof *n->link);
        ok = n->link != NULL;
        if (ok)
            add_link(n, 0, 0);
        break;
    case NOC_CROSSBAR: {
        size_t count = (size_t)r_count * (r_count - 1) + r_count;
        n->link = calloc(count, sizeof *n->link);
        ok = n->link != NULL;
        for (uint32_t s = 0; ok && s < r_count; s++)
            for (uint32_t d = 0; d < r_count; d++)
                if (d != s)
                    add_link(n, s, d);
        for (uint32_t d = 0; ok && d < r_count; d++)
            add_link(n, d, d);
        break;
    }
    case NOC_RING:
    case NOC_MESH:
    case NOC_TORUS:
        n->width = c->topology == NOC_RING ? r_count : c->width;
        n->height = r_count / n->width;
        n->wrap = c->topology != NOC_MESH;
        ok = build_grid(n);
        if (ok && r_count <= TABLE_MAX_ROUTERS)
            ok = build_routes(n);
        break;
    default:
        ok = false;
        break;
    }
    if (!ok) {
        noc_free(n);
        return NULL;
    }
    return n;
}

void noc_free(Noc *n)
{
    if (!n)
        return;
    free(n->link);
    free(n->dirlink);
    free(n->route_off);
    free(n->route_link);
    free(n);
}

/* ---- routing and timing ------------------------------------------------- */

static uint32_t crossbar_pair(const Noc *n, uint32_t src, uint32_t dst)
{
    return src * (n->cfg.routers - 1) + (dst < src ? dst : dst - 1);
}

static uint32_t crossbar_port(const Noc *n, uint32_t dst)
{
    return n->cfg.routers * (n->cfg.routers - 1) + dst;
}

uint32_t noc_route(const Noc *n, uint32_t src, uint32_t dst,
                   uint32_t *links, uint32_t max)
{
    assert(src < n->cfg.routers && dst < n->cfg.routers);
    if (src == dst)
        return 0;
    if (!links)
        max = 0;
    uint32_t count = 0;
    switch (n->cfg.topology) {
    case NOC_BUS:
        if (max > 0)
            links[0] = 0;
        return 1;
    case NOC_CROSSBAR:
        if (max > 0)
            links[0] = crossbar_pair(n, src, dst);
        if (max > 1)
            links[1] = crossbar_port(n, dst);
        return 2;
    default:
        for (uint32_t cur = src; cur != dst; count++) {
            uint32_t l = grid_next(n, cur, dst);
            if (count < max)
                links[count] = l;
            cur = n->link[l].to;
        }
        return count;
    }
}

/* One link taken by a packet ready at t; returns when it reaches the far
 * end.  The caller adds router latency between links. */
/* A packet's MSG_SEND and MSG_RECV events (one id on both), out of line:
 * sending is the hot path. */
static __attribute__((noinline)) void msg_events(Noc *n, uint32_t src,
                                                 uint32_t dst, uint64_t t,
                                                 uint64_t arrive, uint8_t tag)
{
    SimEvent e = {.cycle = t, .end = arrive, .hart = n->ev_hart,
                  .addr = n->ev_addr, .id = sim_ev_new_id(n->ev),
                  .src = (uint16_t)src, .dst = (uint16_t)dst,
                  .kind = SIM_EV_MSG_SEND, .what = tag};
    if (sim_ev_on(n->ev, SIM_EV_MSG_SEND))
        sim_ev_push(n->ev, &e);
    e.kind = SIM_EV_MSG_RECV;
    e.cycle = arrive;
    if (sim_ev_on(n->ev, SIM_EV_MSG_RECV))
        sim_ev_push(n->ev, &e);
}

/* A LINK event, out of line: cross() is the hot path. */
static __attribute__((noinline)) void link_event(Noc *n, const Link *l,
                                                 uint64_t enter, uint64_t occ)
{
    if (sim_ev_on(n->ev, SIM_EV_LINK))
        sim_ev_push(n->ev, &(SimEvent){
            .cycle = enter, .end = enter + occ, .hart = n->ev_hart,
            .id = (uint32_t)(l - n->link), .src = (uint16_t)l->from,
            .dst = (uint16_t)l->to, .kind = SIM_EV_LINK});
}

static inline uint64_t cross(Noc *n, Link *l, uint64_t t, uint32_t bytes,
                             uint64_t occ, uint32_t latency)
{
    uint64_t enter = slots_reserve(&l->slots, t, (uint32_t)occ);
    l->wait += enter - t;
    l->packets++;
    l->bytes += bytes;
    l->busy += occ;
    if (__builtin_expect(n->ev != NULL, 0))
        link_event(n, l, enter, occ);
    return enter + latency + occ;
}

static uint64_t send_route(Noc *n, uint32_t src, uint32_t dst,
                           uint32_t bytes, uint64_t t);

uint64_t noc_send_tagged(Noc *n, uint32_t src, uint32_t dst, uint32_t bytes,
                         uint64_t t, uint8_t tag)
{
    uint64_t arrive = send_route(n, src, dst, bytes, t);
    if (__builtin_expect(n->keep, 0) && src != dst) {
        n->log[n->log_next] = (NocPacket){src, dst, t, arrive, bytes, tag};
        n->log_next = (n->log_next + 1) % NOC_LOG;
        if (n->log_len < NOC_LOG)
            n->log_len++;
    }
    if (__builtin_expect(n->ev != NULL, 0))
        msg_events(n, src, dst, t, arrive, tag);
    return arrive;
}

uint64_t noc_send(Noc *n, uint32_t src, uint32_t dst, uint32_t bytes,
                  uint64_t t)
{
    return noc_send_tagged(n, src, dst, bytes, t, 0);
}

void noc_keep_packets(Noc *n) { n->keep = true; }

uint32_t noc_in_flight(const Noc *n, uint64_t t, NocPacket *out,
                       uint32_t max)
{
    uint32_t got = 0;
    for (uint32_t i = 0; i < n->log_len && got < max; i++) {
        const NocPacket *p = &n->log[(n->log_next + NOC_LOG - 1 - i) %
                                     NOC_LOG];
        if (p->depart <= t && t < p->arrive)
            out[got++] = *p;
    }
    return got;
}

static uint64_t send_route(Noc *n, uint32_t src, uint32_t dst,
                           uint32_t bytes, uint64_t t)
{
    assert(src < n->cfg.routers && dst < n->cfg.routers);
    if (src == dst)
        return t;
    const uint32_t lat = n->cfg.link_latency;
    const uint64_t occ = slots_cycles(n->rate, bytes);
    switch (n->cfg.topology) {
    case NOC_BUS:
        return cross(n, &n->link[0], t, bytes, occ, lat);
    case NOC_CROSSBAR: {
        Link *pair = &n->link[crossbar_pair(n, src, dst)];
        Link *port = &n->link[crossbar_port(n, dst)];
        /* The port is the arbiter (see the banner): the pair link only
         * counts what crossed it. */
        pair->packets++;
        pair->bytes += bytes;
        pair->busy += occ;
        return cross(n, port, t, bytes, occ, lat);
    }
    default: {
        const uint32_t rlat = n->cfg.router_latency;
        if (n->route_off) {
            const uint32_t *off = &n->route_off[src * n->cfg.routers + dst];
            const uint16_t *hop = &n->route_link[off[0]];
            const uint16_t *end = &n->route_link[off[1]];
            t = cross(n, &n->link[*hop++], t, bytes, occ, lat);
            while (hop != end)    /* each hop after an intermediate router */
                t = cross(n, &n->link[*hop++], t + rlat, bytes, occ, lat);
            return t;
        }
        uint32_t cur = src;
        for (;;) {
            Link *l = &n->link[grid_next(n, cur, dst)];
            t = cross(n, l, t, bytes, occ, lat);
            cur = l->to;
            if (cur == dst)
                return t;
            t += rlat;    /* an intermediate router */
        }
    }
    }
}

void noc_set_events(Noc *n, SimEvBus *ev) { n->ev = ev; }

void noc_event_cause(Noc *n, uint32_t hart, uint32_t addr)
{
    n->ev_hart = hart;
    n->ev_addr = addr;
}

uint32_t noc_link_count(const Noc *n)
{
    return n->nlinks;
}

void noc_link_stats(const Noc *n, uint32_t link, NocLinkStats *out)
{
    assert(link < n->nlinks);
    const Link *l = &n->link[link];
    *out = (NocLinkStats){
        .from = l->from, .to = l->to,
        .packets = l->packets, .bytes = l->bytes,
        .busy_cycles = l->busy, .wait_cycles = l->wait,
    };
}
