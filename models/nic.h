/* nic.h — the network interfaces of a message-passing machine: one per
 * node, on the interconnect that also carries coherence traffic, with
 * LogGP's parameters, an eager / rendezvous protocol and MPI's matching.
 *
 * A send of n bytes from rank s at cycle t:
 *   - costs the sending CPU o_send cycles (the caller charges them);
 *   - leaves s's interface at t0 = max(t + o_send, interface free,
 *     previous message's start + gap) as ceil(n / packet_bytes) packets
 *     (at least one) of header_bytes + payload, one after the other at
 *     the link's bandwidth: packet i is ready at t0 plus the injection
 *     time of packets 0..i-1 (ceil(bytes / link_bytes_per_cycle) each);
 *     each takes its real route through the interconnect (noc_send), so
 *     packets queue behind each other and behind coherence messages;
 *   - eager (n <= eager_threshold and not synchronous): the data goes at
 *     once; the send completes at t + o_send; the receive completes at
 *     max(arrival of the last packet, receive posted) + o_recv;
 *   - rendezvous: a request-to-send (one header-only packet) goes at
 *     once; when a matching receive is posted (at max(RTS arrival,
 *     receive posted)) the receiver's interface answers clear-to-send
 *     (one packet back), and on its arrival the data leaves as above; the
 *     send completes when its last packet has left the interface, the
 *     receive at the last packet's arrival + o_recv.
 *
 * Matching is MPI's: a receive names (source or any, tag or any,
 * context); among the queued messages that match, only the first from
 * each source is eligible (the non-overtaking rule), and the eligible one
 * that arrives first wins (ties: the one sent first).  A receive already
 * posted takes the first matching message sent after it, in the order
 * the sends are made (the simulation's order, within the scheduler's
 * granularity of time order), even if a later one arrives earlier.  A message with no
 * receive waits in the unexpected queue; a receive with no message in
 * the posted queue.  Everything is known at the match, so the interface
 * computes both completion cycles there and tells its owner.
 *
 * Timing and matching only: payloads are the owner's (an opaque pointer
 * carried with the message), and so are the ranks' memories.
 *
 * May depend on: models/noc.h (the packets' routes and link calendars).
 */
#ifndef PARSIM_MODELS_NIC_H
#define PARSIM_MODELS_NIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/noc.h"

#define NIC_MAX_NODES 64
#define NIC_ANY 0xffffffffu           /* any source, any tag */

/* Packet tags on the interconnect (noc_send_tagged), after the coherence
 * messages' (which are below NIC_PKT_DATA).  ORDER NIC_PKT:
 * nic_packet_names. */
enum { NIC_PKT_DATA = 32, NIC_PKT_RTS, NIC_PKT_CTS, NIC_PKT_END };
extern const char *const nic_packet_names[NIC_PKT_END - NIC_PKT_DATA];

typedef struct NicConfig {
    uint32_t nodes;
    uint32_t router[NIC_MAX_NODES];   /* each node's router */
    uint32_t o_send, o_recv;          /* CPU cycles per message */
    uint32_t gap;                     /* g: cycles between message starts */
    uint32_t eager_threshold;         /* bytes; longer: rendezvous */
    uint32_t packet_bytes;            /* payload per packet */
    uint32_t header_bytes;            /* per packet; RTS/CTS: header only */
    uint32_t link_bytes_per_cycle;    /* the interconnect's (G = 1 / this) */
} NicConfig;

typedef enum NicReqKind { NIC_SEND, NIC_RECV } NicReqKind;

/* A request: a send or a receive, from its post to its completion. */
typedef struct NicReq {
    uint32_t id;                      /* > 0, unique within its rank */
    uint8_t kind;                     /* NicReqKind */
    bool matched;                     /* done is known */
    bool rendezvous;                  /* send: went by rendezvous */
    bool sync;                        /* send: synchronous */
    uint32_t rank;                    /* whose request */
    uint32_t peer, tag, ctx;          /* as posted (recv: may be NIC_ANY) */
    uint32_t bytes;                   /* send: its size; recv: the most */
    uint32_t buf;                     /* the owner's: a buffer address */
    uint64_t posted;                  /* cycle it was posted */
    uint64_t done;                    /* matched: cycle it completes */
    /* A receive, once matched: what came. */
    uint32_t src, src_tag, got;       /* got: the message's bytes */
    uint64_t arrived;                 /* its data's (or RTS's) arrival */
    void *payload;                    /* recv: the message's payload,
                                         handed over at the match (the
                                         owner's to free); send: NULL */
    uint64_t send_cycle;              /* recv: when the send was posted */
    uint64_t msg;                     /* the message's number (send: at
                                         its post; recv: at the match) */
    uint64_t reach;                   /* send: when its data (eager) or RTS
                                         reaches the destination */
    struct NicReq *next;              /* the rank's list */
} NicReq;

/* What a probe sees of a queued message. */
typedef struct NicEnvelope {
    uint32_t src, tag, bytes;
    uint64_t arrive;
} NicEnvelope;

/* Per rank. */
typedef struct NicStats {
    uint64_t msgs_sent, bytes_sent, msgs_recv, bytes_recv;
    uint64_t eager, rendezvous;       /* sends by protocol */
    uint64_t packets;                 /* data + control packets sent */
    uint64_t unexpected, unexpected_peak;   /* messages that found no
                                               receive; most queued */
    uint64_t posted_peak;             /* most receives queued */
    uint64_t latency_total;           /* send posted -> receive done, of
                                         the messages it received */
    uint64_t latency_min, latency_max;
} NicStats;

typedef struct Nic Nic;

/* The owner hears of every match (both requests' done are set): copy the
 * payload, wake who waits.  Called from inside nic_send / nic_recv. */
typedef void (*NicMatchFn)(void *ctx, NicReq *recv, NicReq *send);

bool nic_config_check(const NicConfig *c, char *err, size_t errlen);
/* The interfaces on noc (not owned). */
Nic *nic_new(const NicConfig *c, Noc *noc, NicMatchFn on_match, void *ctx);
void nic_free(Nic *n);

/* Post a send at cycle t (the caller has not yet charged o_send);
 * payload (malloc'd by the owner) goes with the message and is handed to
 * the receive at the match; nic_free frees those never matched.  NULL
 * when out of memory or a rank is out of range. */
NicReq *nic_send(Nic *n, uint32_t rank, uint32_t dst, uint32_t tag,
                 uint32_t ctx, uint32_t bytes, bool sync, void *payload,
                 uint64_t t);
/* Post a receive at cycle t into buf (the owner's address). */
NicReq *nic_recv(Nic *n, uint32_t rank, uint32_t src, uint32_t tag,
                 uint32_t ctx, uint32_t bytes, uint32_t buf, uint64_t t);
/* A rank's request by id (NULL: none). */
NicReq *nic_req(const Nic *n, uint32_t rank, uint32_t id);
/* Forget a request (its payload is the owner's to free); an unmatched
 * receive leaves the posted queue. */
void nic_req_free(Nic *n, NicReq *r);
/* Every live request of a rank (matched or not, until freed), oldest
 * first. */
NicReq *nic_reqs(const Nic *n, uint32_t rank);

/* The message a receive of (src, tag, ctx) posted at cycle t would
 * match, if it has arrived by `by` (UINT64_MAX: whenever it arrives). */
bool nic_probe(const Nic *n, uint32_t rank, uint32_t src, uint32_t tag,
               uint32_t ctx, uint64_t by, NicEnvelope *out);

const NicConfig *nic_config(const Nic *n);
const NicStats *nic_stats(const Nic *n, uint32_t rank);
/* Messages sent but not yet received, every rank. */
uint64_t nic_queued(const Nic *n);

/* Cycles a message of `bytes` takes from leaving an idle interface to
 * its last packet's arrival over `hops` links of an idle interconnect
 * with the given link and router latencies: the formula docs/mpi.md
 * gives, for tests and the docs.  With k packets, F cycles on a link for
 * a full one and S for the last: one packet h(L + S) + (h - 1)R; more
 * (k - 1)F + hL + (h - 1)(F + R) + S; no hop (k - 1)F. */
uint64_t nic_wire_cycles(const NicConfig *c, uint32_t bytes, uint32_t hops,
                         uint32_t link_latency, uint32_t router_latency);

#endif
