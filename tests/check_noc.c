/* check_noc.c — models/noc and models/memctl: the links each topology
 * builds, the routes (XY, shorter way round, the ties), the exact arrival
 * cycles of packets alone and in contention, per-link statistics, the
 * memory controller's queue, and configuration errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/memctl.h"
#include "models/noc.h"

#define MAXHOPS 64

static Noc *make(NocTopology topo, uint32_t routers, uint32_t width,
                 uint32_t link_lat, uint32_t router_lat, uint32_t bw)
{
    NocConfig c = {
        .topology = topo, .routers = routers, .width = width,
        .link_latency = link_lat, .router_latency = router_lat,
        .link_bytes_per_cycle = bw,
    };
    char err[128] = "";
    ck_assert_msg(noc_config_check(&c, err, sizeof err), "%s", err);
    Noc *n = noc_new(&c);
    ck_assert_ptr_nonnull(n);
    return n;
}

static NocLinkStats stats(const Noc *n, uint32_t link)
{
    NocLinkStats s;
    noc_link_stats(n, link, &s);
    return s;
}

/* ---- routes ------------------------------------------------------------- */

/* Each route as the routers it visits, source first; -1 ends the list. */
static const struct {
    NocTopology topo;
    uint32_t routers, width, src, dst;
    int path[MAXHOPS];
} routes[] = {
    /* mesh: X first, then Y */
    {NOC_MESH, 16, 4, 0, 15, {0, 1, 2, 3, 7, 11, 15, -1}},
    {NOC_MESH, 16, 4, 15, 0, {15, 14, 13, 12, 8, 4, 0, -1}},
    {NOC_MESH, 16, 4, 12, 3, {12, 13, 14, 15, 11, 7, 3, -1}},
    {NOC_MESH, 16, 4, 5, 6, {5, 6, -1}},
    {NOC_MESH, 16, 4, 9, 1, {9, 5, 1, -1}},
    {NOC_MESH, 8, 4, 4, 3, {4, 5, 6, 7, 3, -1}},
    {NOC_MESH, 4, 1, 0, 3, {0, 1, 2, 3, -1}},
    {NOC_MESH, 4, 4, 3, 0, {3, 2, 1, 0, -1}},
    /* ring: the shorter way; ties clockwise (increasing index) */
    {NOC_RING, 8, 0, 1, 6, {1, 0, 7, 6, -1}},
    {NOC_RING, 8, 0, 6, 1, {6, 7, 0, 1, -1}},
    {NOC_RING, 8, 0, 0, 4, {0, 1, 2, 3, 4, -1}},
    {NOC_RING, 8, 0, 4, 0, {4, 5, 6, 7, 0, -1}},
    {NOC_RING, 8, 0, 3, 2, {3, 2, -1}},
    {NOC_RING, 3, 0, 0, 2, {0, 2, -1}},
    {NOC_RING, 2, 0, 1, 0, {1, 0, -1}},
    /* torus: XY, the shorter way round per dimension, ties positive */
    {NOC_TORUS, 16, 4, 0, 3, {0, 3, -1}},
    {NOC_TORUS, 16, 4, 3, 0, {3, 0, -1}},
    {NOC_TORUS, 16, 4, 0, 2, {0, 1, 2, -1}},
    {NOC_TORUS, 16, 4, 2, 0, {2, 3, 0, -1}},
    {NOC_TORUS, 16, 4, 0, 12, {0, 12, -1}},
    {NOC_TORUS, 16, 4, 0, 10, {0, 1, 2, 6, 10, -1}},
    {NOC_TORUS, 16, 4, 5, 15, {5, 6, 7, 11, 15, -1}},
    {NOC_TORUS, 16, 4, 15, 0, {15, 12, 0, -1}},
    {NOC_TORUS, 9, 3, 0, 8, {0, 2, 8, -1}},
    {NOC_TORUS, 4, 2, 1, 0, {1, 0, -1}},
    {NOC_TORUS, 4, 2, 0, 3, {0, 1, 3, -1}},
    /* beyond the next-hop table: computed hop by hop */
    {NOC_RING, 100, 0, 1, 60, {1, 0, 99, 98, 97, 96, 95, 94, 93, 92, 91,
                               90, 89, 88, 87, 86, 85, 84, 83, 82, 81, 80,
                               79, 78, 77, 76, 75, 74, 73, 72, 71, 70, 69,
                               68, 67, 66, 65, 64, 63, 62, 61, 60, -1}},
    {NOC_TORUS, 100, 10, 0, 99, {0, 9, 99, -1}},
    {NOC_MESH, 100, 10, 0, 22, {0, 1, 2, 12, 22, -1}},
};

START_TEST(test_route_path)
{
    Noc *n = make(routes[_i].topo, routes[_i].routers, routes[_i].width, 1,
                  0, 8);
    const int *path = routes[_i].path;
    uint32_t hops = 0;
    while (path[hops + 1] >= 0)
        hops++;
    uint32_t links[MAXHOPS];
    uint32_t got = noc_route(n, routes[_i].src, routes[_i].dst, links,
                             MAXHOPS);
    ck_assert_uint_eq(got, hops);
    for (uint32_t i = 0; i < hops; i++) {
        NocLinkStats s = stats(n, links[i]);
        ck_assert_msg(s.from == (uint32_t)path[i] &&
                          s.to == (uint32_t)path[i + 1],
                      "%s %u->%u hop %u: link %u is %u->%u, want %d->%d",
                      noc_topology_names[routes[_i].topo], routes[_i].src,
                      routes[_i].dst, i, links[i], s.from, s.to, path[i],
                      path[i + 1]);
    }
    /* Counting only, and a short buffer, agree with the full route. */
    ck_assert_uint_eq(noc_route(n, routes[_i].src, routes[_i].dst, NULL, 0),
                      hops);
    uint32_t one[1] = {UINT32_MAX};
    ck_assert_uint_eq(noc_route(n, routes[_i].src, routes[_i].dst, one, 1),
                      hops);
    ck_assert_uint_eq(one[0], links[0]);
    noc_free(n);
}
END_TEST

START_TEST(test_route_bus_crossbar)
{
    Noc *bus = make(NOC_BUS, 4, 0, 1, 0, 8);
    uint32_t links[4];
    ck_assert_uint_eq(noc_route(bus, 1, 3, links, 4), 1);
    ck_assert_uint_eq(links[0], 0);
    ck_assert_uint_eq(stats(bus, 0).from, 0);
    ck_assert_uint_eq(stats(bus, 0).to, 0);
    ck_assert_uint_eq(noc_route(bus, 2, 2, links, 4), 0);
    noc_free(bus);

    /* Crossbar: the pair link, then the destination's input port. */
    Noc *xb = make(NOC_CROSSBAR, 4, 0, 1, 0, 8);
    for (uint32_t s = 0; s < 4; s++)
        for (uint32_t d = 0; d < 4; d++) {
            uint32_t k = noc_route(xb, s, d, links, 4);
            if (s == d) {
                ck_assert_uint_eq(k, 0);
                continue;
            }
            ck_assert_uint_eq(k, 2);
            NocLinkStats pair = stats(xb, links[0]);
            NocLinkStats port = stats(xb, links[1]);
            ck_assert_uint_eq(pair.from, s);
            ck_assert_uint_eq(pair.to, d);
            ck_assert_uint_eq(port.from, d);
            ck_assert_uint_eq(port.to, d);
        }
    noc_free(xb);
}
END_TEST

/* ---- links -------------------------------------------------------------- */

static const struct {
    NocTopology topo;
    uint32_t routers, width, links;
} link_counts[] = {
    {NOC_BUS, 1, 0, 1},       {NOC_BUS, 8, 0, 1},
    {NOC_CROSSBAR, 1, 0, 1},  {NOC_CROSSBAR, 4, 0, 12 + 4},
    {NOC_RING, 1, 0, 0},      {NOC_RING, 2, 0, 2},
    {NOC_RING, 3, 0, 6},      {NOC_RING, 8, 0, 16},
    {NOC_MESH, 1, 1, 0},      {NOC_MESH, 16, 4, 48},
    {NOC_MESH, 6, 3, 14},     {NOC_MESH, 4, 1, 6},
    {NOC_TORUS, 16, 4, 64},   {NOC_TORUS, 4, 2, 8},
    {NOC_TORUS, 6, 3, 12 + 6}, {NOC_TORUS, 4, 1, 8},
    {NOC_TORUS, 4, 4, 8},     {NOC_TORUS, 1, 1, 0},
    {NOC_TORUS, 100, 10, 400},
};

START_TEST(test_link_count)
{
    Noc *n = make(link_counts[_i].topo, link_counts[_i].routers,
                  link_counts[_i].width, 1, 0, 8);
    uint32_t k = noc_link_count(n);
    ck_assert_uint_eq(k, link_counts[_i].links);
    /* No two links join the same ordered pair of routers (a torus of
     * width 2 must not grow a second link beside the direct one). */
    for (uint32_t a = 0; a < k; a++)
        for (uint32_t b = a + 1; b < k; b++) {
            NocLinkStats x = stats(n, a), y = stats(n, b);
            if (x.from == y.from && x.to == y.to)
                ck_abort_msg("links %u and %u both %u->%u", a, b, x.from,
                             x.to);
        }
    noc_free(n);
}
END_TEST

/* ---- timing alone ------------------------------------------------------- */

/* Shortest distance a route should take, from the coordinates alone. */
static uint32_t distance(uint32_t size, uint32_t a, uint32_t b, bool wrap)
{
    uint32_t d = a > b ? a - b : b - a;
    return wrap && size - d < d ? size - d : d;
}

static const struct {
    NocTopology topo;
    uint32_t routers, width;
} shapes[] = {
    {NOC_BUS, 5, 0},     {NOC_CROSSBAR, 5, 0}, {NOC_RING, 7, 0},
    {NOC_RING, 8, 0},    {NOC_MESH, 12, 4},    {NOC_MESH, 12, 3},
    {NOC_TORUS, 16, 4},  {NOC_TORUS, 6, 2},    {NOC_TORUS, 15, 5},
    {NOC_RING, 70, 0},   {NOC_TORUS, 80, 8},   {NOC_MESH, 72, 9},
};

/* Every pair, each packet alone: the hop count is the shortest distance,
 * the arrival is k (link_latency + occupancy) + (k - 1) router_latency,
 * and exactly the route's links count the packet. */
START_TEST(test_uncontended_all_pairs)
{
    const uint32_t llat = 3, rlat = 2, bw = 4, bytes = 10, occ = 3;
    Noc *n = make(shapes[_i].topo, shapes[_i].routers, shapes[_i].width,
                  llat, rlat, bw);
    uint32_t r = shapes[_i].routers, k = noc_link_count(n);
    uint32_t w = shapes[_i].topo == NOC_RING ? r : shapes[_i].width;
    bool wrap = shapes[_i].topo != NOC_MESH;
    uint64_t *before = calloc(k, sizeof *before);
    bool *on_route = calloc(k, sizeof *on_route);
    uint64_t t = 1000;
    for (uint32_t s = 0; s < r; s++)
        for (uint32_t d = 0; d < r; d++) {
            uint32_t links[256];
            uint32_t hops = noc_route(n, s, d, links, 256);
            if (shapes[_i].topo == NOC_BUS)
                ck_assert_uint_eq(hops, s != d);
            else if (shapes[_i].topo == NOC_CROSSBAR)
                ck_assert_uint_eq(hops, s != d ? 2 : 0);
            else
                ck_assert_uint_eq(hops,
                                  distance(w, s % w, d % w, wrap) +
                                      distance(r / w, s / w, d / w, wrap));
            uint32_t cur = s;
            bool grid = shapes[_i].topo >= NOC_RING;
            for (uint32_t i = 0; grid && i < hops; i++) {
                if (stats(n, links[i]).from != cur)
                    ck_abort_msg("%u->%u: hop %u leaves %u, not %u", s, d,
                                 i, stats(n, links[i]).from, cur);
                cur = stats(n, links[i]).to;
            }
            if (grid)
                ck_assert_uint_eq(cur, d);

            for (uint32_t l = 0; l < k; l++)
                before[l] = stats(n, l).packets;
            uint64_t arrive = noc_send(n, s, d, bytes, t);
            uint64_t want = t;
            if (s != d && !grid)
                want = t + llat + occ;
            else if (s != d)
                want = t + hops * (llat + occ) + (hops - 1) * rlat;
            ck_assert_uint_eq(arrive, want);
            /* Plain ifs: Check marks every passing assertion, which is
             * too slow for a loop over every link of every pair. */
            for (uint32_t i = 0; i < hops; i++)
                on_route[links[i]] = true;
            for (uint32_t l = 0; l < k; l++) {
                bool on = on_route[l];
                on_route[l] = false;
                NocLinkStats ls = stats(n, l);
                if (ls.packets - before[l] != on || ls.wait_cycles != 0)
                    ck_abort_msg("%u->%u: link %u (%u->%u) counted %llu "
                                 "packets, waited %llu", s, d, l, ls.from,
                                 ls.to, (unsigned long long)(ls.packets -
                                                             before[l]),
                                 (unsigned long long)ls.wait_cycles);
            }
            t += 10000;   /* far enough apart that nothing queues */
        }
    free(before);
    free(on_route);
    noc_free(n);
}
END_TEST

START_TEST(test_hop_latency_exact)
{
    /* 4x4 mesh, 0 -> 3: three links, two intermediate routers (1, 2). */
    Noc *n = make(NOC_MESH, 16, 4, 3, 2, 4);
    /* 10 bytes at 4 bytes/cycle: occupancy 3.  Link 0->1: enter 50,
     * arrive 56; router 1: 58; link 1->2: arrive 64; router 2: 66;
     * link 2->3: arrive 72. */
    ck_assert_uint_eq(noc_send(n, 0, 3, 10, 50), 72);
    /* No bytes: no occupancy, only latencies. */
    ck_assert_uint_eq(noc_send(n, 0, 3, 0, 1000), 1000 + 3 * 3 + 2 * 2);
    /* Partial last beat rounds up: 13 bytes take 4 cycles per link. */
    ck_assert_uint_eq(noc_send(n, 0, 3, 13, 2000), 2000 + 3 * 7 + 2 * 2);
    /* To itself: no time, no traffic. */
    ck_assert_uint_eq(noc_send(n, 5, 5, 64, 77), 77);
    noc_free(n);

    /* Router latency is paid before asking for the next link: a packet
     * holding 1->2 over [57, 60) delays the second hop, which the packet
     * reaches (after router 1) at 58, to 60. */
    n = make(NOC_MESH, 16, 4, 3, 2, 4);
    ck_assert_uint_eq(noc_send(n, 1, 2, 10, 57), 57 + 3 + 3);
    ck_assert_uint_eq(noc_send(n, 0, 3, 10, 50), 60 + 6 + 2 + 6);
    uint32_t links[3];
    ck_assert_uint_eq(noc_route(n, 0, 3, links, 3), 3);
    ck_assert_uint_eq(stats(n, links[0]).wait_cycles, 0);
    ck_assert_uint_eq(stats(n, links[1]).wait_cycles, 2);
    ck_assert_uint_eq(stats(n, links[2]).wait_cycles, 0);
    noc_free(n);
}
END_TEST

/* ---- contention --------------------------------------------------------- */

START_TEST(test_same_link_queues)
{
    /* 64 bytes at 8 bytes/cycle: occupancy 8; link latency 2. */
    Noc *n = make(NOC_MESH, 16, 4, 2, 1, 8);
    ck_assert_uint_eq(noc_send(n, 0, 1, 64, 100), 110);
    ck_assert_uint_eq(noc_send(n, 0, 1, 64, 100), 118);   /* +occupancy */
    ck_assert_uint_eq(noc_send(n, 0, 1, 64, 103), 126);
    /* The reverse direction is another link: no interference. */
    ck_assert_uint_eq(noc_send(n, 1, 0, 64, 100), 110);
    /* A later packet after the link went free does not wait. */
    ck_assert_uint_eq(noc_send(n, 0, 1, 64, 500), 510);

    uint32_t l;
    ck_assert_uint_eq(noc_route(n, 0, 1, &l, 1), 1);
    NocLinkStats s = stats(n, l);
    ck_assert_uint_eq(s.packets, 4);
    ck_assert_uint_eq(s.bytes, 256);
    ck_assert_uint_eq(s.busy_cycles, 32);
    ck_assert_uint_eq(s.wait_cycles, 8 + 13);
    noc_free(n);
}
END_TEST

START_TEST(test_disjoint_paths)
{
    Noc *n = make(NOC_MESH, 16, 4, 2, 1, 8);
    /* 0->3 along row 0 and 12->15 along row 3 share nothing. */
    uint64_t a = noc_send(n, 0, 3, 64, 0);
    uint64_t b = noc_send(n, 12, 15, 64, 0);
    ck_assert_uint_eq(a, 3 * 10 + 2 * 1);
    ck_assert_uint_eq(b, a);
    /* 4->7 on row 1 crosses neither. */
    ck_assert_uint_eq(noc_send(n, 4, 7, 64, 0), a);
    /* 1->2 overlaps 0->3's middle link: it waits for it. */
    ck_assert_uint_eq(noc_send(n, 1, 2, 64, 11), 19 + 10);
    for (uint32_t l = 0; l < noc_link_count(n); l++) {
        NocLinkStats s = stats(n, l);
        bool middle = s.from == 1 && s.to == 2;
        ck_assert_uint_eq(s.wait_cycles, middle ? 8 : 0);
    }
    noc_free(n);
}
END_TEST

START_TEST(test_bus_saturates)
{
    const uint32_t packets = 8, lat = 3, occ = 8;
    Noc *n = make(NOC_BUS, 8, 0, lat, 5, 4);
    uint64_t last = 0;
    for (uint32_t i = 0; i < packets; i++) {
        /* All different sources and destinations: still one bus. */
        last = noc_send(n, i, (i + 3) % packets, 32, 0);
        ck_assert_uint_eq(last, (i + 1) * occ + lat);
    }
    ck_assert_uint_eq(last, packets * occ + lat);
    NocLinkStats s = stats(n, 0);
    ck_assert_uint_eq(s.packets, packets);
    ck_assert_uint_eq(s.bytes, packets * 32);
    ck_assert_uint_eq(s.busy_cycles, packets * occ);
    ck_assert_uint_eq(s.wait_cycles, occ * (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7));
    noc_free(n);
}
END_TEST

START_TEST(test_crossbar_contends_at_destination)
{
    /* occupancy 4, latency 5. */
    Noc *n = make(NOC_CROSSBAR, 4, 0, 5, 7, 16);
    /* Different destinations, even from one source: all in parallel. */
    ck_assert_uint_eq(noc_send(n, 0, 1, 64, 0), 9);
    ck_assert_uint_eq(noc_send(n, 0, 2, 64, 0), 9);
    ck_assert_uint_eq(noc_send(n, 2, 3, 64, 0), 9);
    ck_assert_uint_eq(noc_send(n, 3, 0, 64, 0), 9);
    /* One destination: queued at its port, whatever the sources. */
    ck_assert_uint_eq(noc_send(n, 0, 3, 64, 0), 13);
    ck_assert_uint_eq(noc_send(n, 1, 3, 64, 0), 17);
    ck_assert_uint_eq(noc_send(n, 1, 3, 64, 1), 21);

    uint32_t links[2];
    noc_route(n, 1, 3, links, 2);
    NocLinkStats pair = stats(n, links[0]), port = stats(n, links[1]);
    ck_assert_uint_eq(pair.packets, 2);
    ck_assert_uint_eq(pair.busy_cycles, 8);
    ck_assert_uint_eq(pair.wait_cycles, 0);   /* waits go to the port */
    ck_assert_uint_eq(port.packets, 4);
    ck_assert_uint_eq(port.bytes, 256);
    ck_assert_uint_eq(port.busy_cycles, 16);
    ck_assert_uint_eq(port.wait_cycles, 4 + 8 + 11);
    noc_route(n, 0, 1, links, 2);
    ck_assert_uint_eq(stats(n, links[1]).wait_cycles, 0);
    noc_free(n);
}
END_TEST

START_TEST(test_ring_directions_independent)
{
    /* 1->6 goes counter-clockwise, 6->1 clockwise: opposite links, so
     * no interference; 1->6 and 2->6?  2->6 is a tie: clockwise. */
    Noc *n = make(NOC_RING, 8, 0, 1, 1, 8);
    uint64_t a = noc_send(n, 1, 6, 8, 0);
    ck_assert_uint_eq(a, 3 * 2 + 2 * 1);
    ck_assert_uint_eq(noc_send(n, 6, 1, 8, 0), a);
    ck_assert_uint_eq(noc_send(n, 2, 6, 8, 0), 4 * 2 + 3 * 1);
    /* 0->7 shares 1->6's second link 0->7 (entered at 3): waits 1. */
    ck_assert_uint_eq(noc_send(n, 0, 7, 8, 3), 4 + 2);
    noc_free(n);
}
END_TEST

/* ---- memory controller -------------------------------------------------- */

START_TEST(test_memctl_burst)
{
    MemCtl m;
    memctl_init(&m, 100, 16);
    /* Five 64-byte requests at once: transfers of 4 cycles each, so they
     * start at 10, 14, 18, 22, 26. */
    for (uint32_t i = 0; i < 5; i++)
        ck_assert_uint_eq(memctl_access(&m, 10, 64), 10 + 4 * i + 100 + 4);
    ck_assert_uint_eq(m.requests, 5);
    ck_assert_uint_eq(m.bytes, 320);
    ck_assert_uint_eq(m.queue_cycles, 0 + 4 + 8 + 12 + 16);
    ck_assert_uint_eq(m.busy_cycles, 20);
    ck_assert_uint_eq(m.free_at, 30);
    /* Arriving mid-transfer waits for the rest of it only. */
    ck_assert_uint_eq(memctl_access(&m, 28, 16), 30 + 100 + 1);
    ck_assert_uint_eq(m.queue_cycles, 40 + 2);
    /* Idle controller: no queueing; partial beats round up. */
    ck_assert_uint_eq(memctl_access(&m, 1000, 17), 1000 + 100 + 2);
    ck_assert_uint_eq(m.queue_cycles, 42);
    ck_assert_uint_eq(m.busy_cycles, 20 + 1 + 2);
    ck_assert_uint_eq(m.requests, 7);
    ck_assert_uint_eq(m.bytes, 320 + 16 + 17);
}
END_TEST

/* A transfer takes ceil(bytes / bandwidth) cycles, whether the bandwidth
 * is a power of two (a shift) or not (a division). */
START_TEST(test_occupancy_rounds_up)
{
    static const uint32_t bws[] = {1, 3, 8, 12, 16, 64};
    for (unsigned i = 0; i < sizeof bws / sizeof bws[0]; i++) {
        uint32_t bw = bws[i];
        MemCtl m;
        memctl_init(&m, 50, bw);
        Noc *n = make(NOC_BUS, 2, 0, 3, 1, bw);
        uint64_t t = 0;
        for (uint32_t b = 1; b <= 200; b++, t += 1000) {
            uint64_t occ = (b + bw - 1) / bw;
            ck_assert_uint_eq(memctl_access(&m, t, b), t + 50 + occ);
            ck_assert_uint_eq(noc_send(n, 0, 1, b, t), t + 3 + occ);
        }
        noc_free(n);
    }
}
END_TEST

START_TEST(test_memctl_init)
{
    MemCtl m;
    memset(&m, 0xa5, sizeof m);
    memctl_init(&m, 7, 0);    /* no bandwidth: treated as 1 byte/cycle */
    ck_assert_uint_eq(m.latency, 7);
    ck_assert_uint_eq(m.bytes_per_cycle, 1);
    ck_assert_uint_eq(m.free_at, 0);
    ck_assert_uint_eq(m.requests + m.bytes + m.queue_cycles + m.busy_cycles,
                      0);
    ck_assert_uint_eq(memctl_access(&m, 0, 3), 10);
}
END_TEST

/* ---- configuration ------------------------------------------------------ */

static const struct {
    NocConfig c;
    const char *error;        /* NULL: valid; else a word of the reason */
} configs[] = {
    {{NOC_BUS, 1, 0, 1, 1, 1}, NULL},
    {{NOC_RING, 5, 0, 1, 1, 8}, NULL},          /* width ignored */
    {{NOC_MESH, 16, 4, 1, 1, 8}, NULL},
    {{NOC_TORUS, 12, 3, 0, 0, 8}, NULL},        /* zero latencies are fine */
    {{NOC_CROSSBAR, 64, 0, 1, 1, 8}, NULL},
    {{NOC_BUS, 0, 0, 1, 1, 8}, "routers"},
    {{NOC_MESH, 0, 4, 1, 1, 8}, "routers"},
    {{NOC_MESH, 16, 0, 1, 1, 8}, "width"},
    {{NOC_TORUS, 16, 3, 1, 1, 8}, "width"},
    {{NOC_MESH, 16, 4, 1, 1, 0}, "link_bytes_per_cycle"},
    {{NOC_RING, 4, 0, 1, 1, 0}, "link_bytes_per_cycle"},
    {{NOC_TOPOLOGY_COUNT, 4, 0, 1, 1, 8}, "topology"},
    {{NOC_CROSSBAR, 5000, 0, 1, 1, 8}, "routers"},
};

START_TEST(test_config_check)
{
    char err[128] = "";
    bool ok = noc_config_check(&configs[_i].c, err, sizeof err);
    ck_assert_int_eq(ok, configs[_i].error == NULL);
    Noc *n = noc_new(&configs[_i].c);
    if (ok) {
        ck_assert_ptr_nonnull(n);
        noc_free(n);
    } else {
        ck_assert_ptr_null(n);
        ck_assert_msg(strstr(err, configs[_i].error) != NULL,
                      "reason \"%s\" does not name %s", err,
                      configs[_i].error);
    }
    /* A tiny buffer is cut, never overrun. */
    char tiny[4];
    noc_config_check(&configs[_i].c, tiny, sizeof tiny);
    if (!ok)
        ck_assert_uint_le(strlen(tiny), 3);
}
END_TEST

START_TEST(test_topology_names)
{
    static const char *want[] = {"bus", "crossbar", "ring", "mesh",
                                 "torus"};
    for (int i = 0; i < NOC_TOPOLOGY_COUNT; i++)
        ck_assert_str_eq(noc_topology_names[i], want[i]);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *noc_suite(void)
{
    Suite *s = suite_create("noc");
    TCase *tc = tcase_create("route");
    tcase_add_loop_test(tc, test_route_path, 0, N(routes));
    tcase_add_test(tc, test_route_bus_crossbar);
    tcase_add_loop_test(tc, test_link_count, 0, N(link_counts));
    suite_add_tcase(s, tc);

    tc = tcase_create("timing");
    tcase_add_loop_test(tc, test_uncontended_all_pairs, 0, N(shapes));
    tcase_add_test(tc, test_hop_latency_exact);
    tcase_add_test(tc, test_same_link_queues);
    tcase_add_test(tc, test_disjoint_paths);
    tcase_add_test(tc, test_bus_saturates);
    tcase_add_test(tc, test_crossbar_contends_at_destination);
    tcase_add_test(tc, test_ring_directions_independent);
    suite_add_tcase(s, tc);

    tc = tcase_create("memctl");
    tcase_add_test(tc, test_memctl_burst);
    tcase_add_test(tc, test_memctl_init);
    tcase_add_test(tc, test_occupancy_rounds_up);
    suite_add_tcase(s, tc);

    tc = tcase_create("config");
    tcase_add_loop_test(tc, test_config_check, 0, N(configs));
    tcase_add_test(tc, test_topology_names);
    suite_add_tcase(s, tc);
    return s;
}
