/* nic.c — the network interfaces: LogGP timing over the interconnect's
 * packets, eager and rendezvous, MPI matching (see nic.h for the model).
 */
#include "models/nic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ORDER NIC_PKT */
const char *const nic_packet_names[NIC_PKT_END - NIC_PKT_DATA] = {
    "mp-data", "mp-rts", "mp-cts",
};

/* A message on its way or waiting in the unexpected queue. */
typedef struct Msg {
    uint32_t src, tag, ctx, bytes;
    bool rdv;
    uint64_t seq;                 /* send order, machine-wide */
    uint64_t send_cycle;          /* the send was posted */
    uint64_t arrive;              /* eager: data's arrival; rdv: RTS's */
    void *payload;
    NicReq *sreq;                 /* rendezvous: the send to complete */
    struct Msg *next;
} Msg;

/* A receive in a posted queue. */
typedef struct Posted {
    NicReq *r;
    struct Posted *next;
} Posted;

/* One node's interface and queues. */
typedef struct Iface {
    uint64_t free;                /* injection busy until */
    uint64_t last_start;          /* of the last message (gap) */
    bool started;
    uint32_t next_id;
    NicReq *reqs;                 /* every live request, oldest first */
    Posted *posted;               /* unmatched receives, in post order */
    Msg *unexpected;              /* unmatched messages, in send order */
    uint64_t nposted, nunexpected;
    NicStats st;
} Iface;

struct Nic {
    NicConfig cfg;
    Noc *noc;
    NicMatchFn on_match;
    void *ctx;
    uint64_t seq;
    uint64_t queued;
    Iface *ifc;
};

static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

static uint32_t ceil_div(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

bool nic_config_check(const NicConfig *c, char *err, size_t errlen)
{
    if (c->nodes == 0 || c->nodes > NIC_MAX_NODES) {
        snprintf(err, errlen, "mp.ranks = %u: between 1 and %d", c->nodes,
                 NIC_MAX_NODES);
        return false;
    }
    if (c->packet_bytes == 0) {
        snprintf(err, errlen, "mp.packet_bytes must be at least 1");
        return false;
    }
    if (c->link_bytes_per_cycle == 0) {
        snprintf(err, errlen, "noc.bytes_per_cycle must be at least 1");
        return false;
    }
    return true;
}

Nic *nic_new(const NicConfig *c, Noc *noc, NicMatchFn on_match, void *ctx)
{
    Nic *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->cfg = *c;
    n->noc = noc;
    n->on_match = on_match;
    n->ctx = ctx;
    n->ifc = calloc(c->nodes, sizeof *n->ifc);
    if (!n->ifc) {
        free(n);
        return NULL;
    }
    for (uint32_t i = 0; i < c->nodes; i++)
        n->ifc[i].st.latency_min = UINT64_MAX;
    return n;
}

void nic_free(Nic *n)
{
    if (!n)
        return;
    for (uint32_t i = 0; i < n->cfg.nodes; i++) {
        Iface *f = &n->ifc[i];
        for (NicReq *r = f->reqs, *nx; r; r = nx) {
            nx = r->next;
            free(r);
        }
        for (Posted *p = f->posted, *nx; p; p = nx) {
            nx = p->next;
            free(p);
        }
        for (Msg *mg = f->unexpected, *nx; mg; mg = nx) {
            nx = mg->next;
            free(mg->payload);
            free(mg);
        }
    }
    free(n->ifc);
    free(n);
}

const NicConfig *nic_config(const Nic *n) { return &n->cfg; }

const NicStats *nic_stats(const Nic *n, uint32_t rank)
{
    return &n->ifc[rank].st;
}

uint64_t nic_queued(const Nic *n) { return n->queued; }

/* ---- requests ---------------------------------------------------------------- */

static NicReq *new_req(Nic *n, uint32_t rank, NicReqKind kind, uint64_t t)
{
    Iface *f = &n->ifc[rank];
    NicReq *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->id = ++f->next_id;
    if (r->id == 0)                       /* wrapped: 0 means none */
        r->id = ++f->next_id;
    r->kind = (uint8_t)kind;
    r->rank = rank;
    r->posted = t;
    NicReq **p = &f->reqs;
    while (*p)
        p = &(*p)->next;
    *p = r;
    return r;
}

NicReq *nic_req(const Nic *n, uint32_t rank, uint32_t id)
{
    if (rank >= n->cfg.nodes)
        return NULL;
    for (NicReq *r = n->ifc[rank].reqs; r; r = r->next)
        if (r->id == id)
            return r;
    return NULL;
}

NicReq *nic_reqs(const Nic *n, uint32_t rank)
{
    return rank < n->cfg.nodes ? n->ifc[rank].reqs : NULL;
}

void nic_req_free(Nic *n, NicReq *r)
{
    Iface *f = &n->ifc[r->rank];
    /* An unmatched receive leaves the posted queue with it. */
    for (Posted **p = &f->posted; !r->matched && *p; p = &(*p)->next)
        if ((*p)->r == r) {
            Posted *gone = *p;
            *p = gone->next;
            free(gone);
            f->nposted--;
            break;
        }
    for (NicReq **p = &f->reqs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            free(r);
            return;
        }
}

/* ---- timing -------------------------------------------------------------------- */

/* Inject a message of `bytes` (header_only: one control packet) from
 * node s to node d, ready at cycle `ready`; returns the last packet's
 * arrival and sets *end to when it has left the interface. */
static uint64_t inject(Nic *n, uint32_t s, uint32_t d, uint32_t bytes,
                       bool header_only, uint64_t ready, uint8_t tag,
                       uint64_t *end)
{
    Iface *f = &n->ifc[s];
    const NicConfig *c = &n->cfg;
    uint64_t t = max64(ready, f->free);
    if (f->started)
        t = max64(t, f->last_start + c->gap);
    f->last_start = t;
    f->started = true;
    uint32_t k = header_only || bytes == 0 ? 1
                                           : ceil_div(bytes, c->packet_bytes);
    uint64_t arrive = t;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t pay = 0;
        if (!header_only && bytes) {
            uint32_t left = bytes - i * c->packet_bytes;
            pay = left < c->packet_bytes ? left : c->packet_bytes;
        }
        uint32_t size = c->header_bytes + pay;
        if (size == 0)
            size = 1;
        arrive = max64(arrive, noc_send_tagged(n->noc, c->router[s],
                                               c->router[d], size, t, tag));
        t += ceil_div(size, c->link_bytes_per_cycle);
    }
    f->free = t;
    f->st.packets += k;
    *end = t;
    return arrive;
}

uint64_t nic_wire_cycles(const NicConfig *c, uint32_t bytes, uint32_t hops,
                         uint32_t link_latency, uint32_t router_latency)
{
    uint32_t w = c->link_bytes_per_cycle;
    uint32_t k = bytes ? ceil_div(bytes, c->packet_bytes) : 1;
    uint32_t full = c->header_bytes + (bytes > c->packet_bytes
                                           ? c->packet_bytes : bytes);
    uint32_t last = c->header_bytes + (bytes ? bytes - (k - 1) * c->packet_bytes
                                             : 0);
    uint64_t f = ceil_div(full ? full : 1, w), l = ceil_div(last ? last : 1, w);
    if (hops == 0)                    /* the packets only leave in turn */
        return (uint64_t)(k - 1) * f;
    if (k == 1)
        return hops * (link_latency + l) + (uint64_t)(hops - 1) * router_latency;
    /* The packets follow each other at the link's bandwidth; the last one,
     * store-and-forward behind the full one ahead of it, leaves each
     * router only when that one has cleared the next link. */
    return (uint64_t)(k - 1) * f + (uint64_t)hops * link_latency +
           (uint64_t)(hops - 1) * (f + router_latency) + l;
}

/* ---- matching ------------------------------------------------------------------ */

static bool matches(const NicReq *r, const Msg *mg)
{
    return (r->peer == NIC_ANY || r->peer == mg->src) &&
           (r->tag == NIC_ANY || r->tag == mg->tag) && r->ctx == mg->ctx;
}

/* recv (of rank d) and mg meet: both completion cycles follow. */
static void complete(Nic *n, uint32_t d, NicReq *recv, Msg *mg)
{
    const NicConfig *c = &n->cfg;
    uint64_t tm = max64(mg->arrive, recv->posted);
    NicReq *sreq = mg->sreq;
    uint64_t arrived = mg->arrive;
    if (!mg->rdv) {
        recv->done = tm + c->o_recv;
    } else {
        uint64_t end;
        uint64_t cts = inject(n, d, mg->src, 0, true, tm, NIC_PKT_CTS, &end);
        arrived = inject(n, mg->src, d, mg->bytes, false, cts, NIC_PKT_DATA,
                         &end);
        recv->done = arrived + c->o_recv;
        if (sreq) {
            sreq->done = end;
            sreq->matched = true;
        }
    }
    recv->matched = true;
    recv->src = mg->src;
    recv->src_tag = mg->tag;
    recv->got = mg->bytes;
    recv->arrived = arrived;
    recv->payload = mg->payload;
    recv->send_cycle = mg->send_cycle;
    recv->msg = mg->seq;
    NicStats *st = &n->ifc[d].st;
    st->msgs_recv++;
    st->bytes_recv += mg->bytes;
    uint64_t lat = recv->done - mg->send_cycle;
    st->latency_total += lat;
    if (lat < st->latency_min)
        st->latency_min = lat;
    if (lat > st->latency_max)
        st->latency_max = lat;
    n->queued--;
    free(mg);
    if (n->on_match)
        n->on_match(n->ctx, recv, sreq);
}

NicReq *nic_send(Nic *n, uint32_t rank, uint32_t dst, uint32_t tag,
                 uint32_t ctx, uint32_t bytes, bool sync, void *payload,
                 uint64_t t)
{
    const NicConfig *c = &n->cfg;
    if (rank >= c->nodes || dst >= c->nodes)
        return NULL;
    NicReq *r = new_req(n, rank, NIC_SEND, t);
    Msg *mg = calloc(1, sizeof *mg);
    if (!r || !mg) {
        if (r)
            nic_req_free(n, r);
        free(mg);
        return NULL;
    }
    r->peer = dst;
    r->tag = tag;
    r->ctx = ctx;
    r->bytes = bytes;
    r->sync = sync;
    r->rendezvous = sync || bytes > c->eager_threshold;
    mg->src = rank;
    mg->tag = tag;
    mg->ctx = ctx;
    mg->bytes = bytes;
    mg->rdv = r->rendezvous;
    mg->seq = n->seq++;
    mg->send_cycle = t;
    mg->payload = payload;
    uint64_t ready = t + c->o_send, end;
    NicStats *st = &n->ifc[rank].st;
    if (!mg->rdv) {
        mg->arrive = inject(n, rank, dst, bytes, false, ready, NIC_PKT_DATA,
                            &end);
        r->matched = true;
        r->done = ready;
        st->eager++;
    } else {
        mg->arrive = inject(n, rank, dst, 0, true, ready, NIC_PKT_RTS, &end);
        mg->sreq = r;
        st->rendezvous++;
    }
    r->msg = mg->seq;
    r->reach = mg->arrive;
    st->msgs_sent++;
    st->bytes_sent += bytes;
    n->queued++;
    Iface *f = &n->ifc[dst];
    for (Posted **p = &f->posted; *p; p = &(*p)->next) {
        if (!matches((*p)->r, mg))
            continue;
        Posted *hit = *p;
        *p = hit->next;
        f->nposted--;
        NicReq *recv = hit->r;
        free(hit);
        complete(n, dst, recv, mg);
        return r;
    }
    Msg **q = &f->unexpected;
    while (*q)
        q = &(*q)->next;
    *q = mg;
    f->nunexpected++;
    f->st.unexpected++;
    if (f->nunexpected > f->st.unexpected_peak)
        f->st.unexpected_peak = f->nunexpected;
    return r;
}

/* The message of rank d's unexpected queue that a receive of (src, tag,
 * ctx) takes: the first per source (non-overtaking), the earliest
 * arrival among those (ties: sent first).  *link: where it hangs. */
static Msg *eligible(const Iface *f, uint32_t src, uint32_t tag,
                     uint32_t ctx, Msg *const **link)
{
    uint64_t seen[(NIC_MAX_NODES + 63) / 64] = {0};
    NicReq probe = {.peer = src, .tag = tag, .ctx = ctx};
    Msg *best = NULL;
    for (Msg *const *p = &f->unexpected; *p; p = &(*p)->next) {
        Msg *mg = *p;
        if (!matches(&probe, mg))
            continue;
        uint64_t bit = 1ull << (mg->src % 64);
        if (seen[mg->src / 64] & bit)
            continue;
        seen[mg->src / 64] |= bit;
        if (!best || mg->arrive < best->arrive) {
            best = mg;
            if (link)
                *link = p;
        }
    }
    return best;
}

NicReq *nic_recv(Nic *n, uint32_t rank, uint32_t src, uint32_t tag,
                 uint32_t ctx, uint32_t bytes, uint32_t buf, uint64_t t)
{
    if (rank >= n->cfg.nodes)
        return NULL;
    NicReq *r = new_req(n, rank, NIC_RECV, t);
    if (!r)
        return NULL;
    r->peer = src;
    r->tag = tag;
    r->ctx = ctx;
    r->bytes = bytes;
    r->buf = buf;
    Iface *f = &n->ifc[rank];
    Msg *const *link = NULL;
    Msg *mg = eligible(f, src, tag, ctx, &link);
    if (mg) {
        *(Msg **)link = mg->next;
        f->nunexpected--;
        complete(n, rank, r, mg);
        return r;
    }
    Posted *p = malloc(sizeof *p);
    if (!p) {
        nic_req_free(n, r);
        return NULL;
    }
    p->r = r;
    p->next = NULL;
    Posted **q = &f->posted;
    while (*q)
        q = &(*q)->next;
    *q = p;
    f->nposted++;
    if (f->nposted > f->st.posted_peak)
        f->st.posted_peak = f->nposted;
    return r;
}

bool nic_probe(const Nic *n, uint32_t rank, uint32_t src, uint32_t tag,
               uint32_t ctx, uint64_t by, NicEnvelope *out)
{
    if (rank >= n->cfg.nodes)
        return false;
    Msg *mg = eligible(&n->ifc[rank], src, tag, ctx, NULL);
    if (!mg || mg->arrive > by)
        return false;
    if (out)
        *out = (NicEnvelope){mg->src, mg->tag, mg->bytes, mg->arrive};
    return true;
}
