/* noc.h — the interconnect: routers joined by links in one of five
 * topologies, with deterministic routing, per-link latency and bandwidth,
 * and per-link occupancy so that packets queue behind each other.  One
 * model carries all coherence traffic (and, later, explicit messages).
 *
 *   bus       one shared link: every packet occupies it (arbitrated, so it
 *             saturates); latency = link latency
 *   crossbar  a link from every router to every other: contention only at
 *             the destination's input port
 *   ring      bidirectional ring, the shorter direction (ties: clockwise)
 *   mesh      width x height, XY routing (X first, then Y)
 *   torus     mesh with wrap-around links, XY with the shorter way round in
 *             each dimension (ties: the positive direction)
 *
 * Router r of a mesh/torus sits at (r % width, r / width).  A packet of B
 * bytes crossing a link of bandwidth W bytes/cycle occupies it
 * ceil(B / W) cycles; it may enter the link at max(arrival, link free),
 * and reaches the link's far end link_latency + occupancy cycles later,
 * plus router_latency at each router it passes through.  A packet from a
 * router to itself takes no time.
 *
 * May depend on: sim/events.h (it publishes message and link events),
 * models/slots.h
 * (link calendars).  Timing only.
 */
#ifndef PARSIM_MODELS_NOC_H
#define PARSIM_MODELS_NOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/events.h"

typedef enum NocTopology {
    NOC_BUS, NOC_CROSSBAR, NOC_RING, NOC_MESH, NOC_TORUS, NOC_TOPOLOGY_COUNT
} NocTopology;

extern const char *const noc_topology_names[NOC_TOPOLOGY_COUNT];

typedef struct NocConfig {
    NocTopology topology;
    uint32_t routers;         /* bus/crossbar/ring: any >= 1; mesh/torus:
                                 width * height */
    uint32_t width;           /* mesh/torus only */
    uint32_t link_latency;    /* cycles per link */
    uint32_t router_latency;  /* cycles per router passed through */
    uint32_t link_bytes_per_cycle;
} NocConfig;

typedef struct Noc Noc;

typedef struct NocLinkStats {
    uint32_t from, to;        /* routers (bus: 0 -> 0) */
    uint64_t packets, bytes;
    uint64_t busy_cycles;     /* cycles the link was occupied */
    uint64_t wait_cycles;     /* cycles packets waited for it */
} NocLinkStats;

/* Fails with a reason (e.g. routers != width * height). */
bool noc_config_check(const NocConfig *c, char *err, size_t errlen);
Noc *noc_new(const NocConfig *c);
void noc_free(Noc *n);

/* Send a packet of `bytes` from router src to router dst, ready to leave
 * at cycle t: returns the cycle it arrives.  Updates link occupancy and
 * statistics. */
uint64_t noc_send(Noc *n, uint32_t src, uint32_t dst, uint32_t bytes,
                  uint64_t t);

/* noc_send with a tag the caller gives meaning to (the coherence engine:
 * its message type), kept with the packet in the recent-packet log. */
uint64_t noc_send_tagged(Noc *n, uint32_t src, uint32_t dst, uint32_t bytes,
                         uint64_t t, uint8_t tag);

/* The most recent packets, for views that draw packets in flight. */
#define NOC_LOG 512
typedef struct NocPacket {
    uint32_t src, dst;
    uint64_t depart, arrive;  /* ready to leave; reached dst */
    uint32_t bytes;
    uint8_t tag;
} NocPacket;

/* Keep the recent-packet log from now on.  It is off by default: only a
 * view reads it, and writing it at every send would cost the send a
 * store and the simulator a host cache line every two packets. */
void noc_keep_packets(Noc *n);

/* Packets in flight at cycle t (depart <= t < arrive) among the last
 * NOC_LOG sent since noc_keep_packets; returns how many were written (at
 * most max). */
uint32_t noc_in_flight(const Noc *n, uint64_t t, NocPacket *out,
                       uint32_t max);

/* Links on the route from src to dst, in order (link indices into the
 * statistics); returns how many (0 for src == dst).  links may be NULL to
 * count only. */
uint32_t noc_route(const Noc *n, uint32_t src, uint32_t dst,
                   uint32_t *links, uint32_t max);

/* Publish events into ev (NULL: none): MSG_SEND and MSG_RECV for every
 * packet (what = its tag), LINK for every link it occupies, charged to
 * the hart and address last named by noc_event_cause (the request the
 * packets serve). */
void noc_set_events(Noc *n, SimEvBus *ev);
void noc_event_cause(Noc *n, uint32_t hart, uint32_t addr);

uint32_t noc_link_count(const Noc *n);
void noc_link_stats(const Noc *n, uint32_t link, NocLinkStats *out);

#endif
