/* check_nic.c — models/nic: the network interfaces of the message-passing
 * machine.  Exact completion cycles of eager and rendezvous messages over
 * 0 to 3 hops of a mesh (against numbers worked by hand from noc.h's
 * per-link rule and an independent store-and-forward walk), the injection
 * gap and a busy interface, contention with other messages and with
 * coherence traffic, MPI matching (wildcards, contexts, the posted queue's
 * order, non-overtaking, earliest arrival, ties), probes, requests, the
 * match callback, statistics and configuration errors. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/nic.h"
#include "models/noc.h"

/* The machine most tests use: a 4x4 mesh; link latency LL, router latency
 * RL, BW bytes a cycle; interfaces with o_send OS, o_recv OR, gap GAP,
 * eager up to EAGER bytes, PKT payload bytes and HDR header bytes a
 * packet.  A full packet is 72 bytes: 9 cycles on a link. */
enum {
    LL = 3, RL = 2, BW = 8,
    OS = 10, OR = 7, GAP = 4, EAGER = 256, PKT = 64, HDR = 8,
};

/* Rank 0 sits at router 5, (1,1); these routers are 0..3 XY hops from it
 * (5; 6; 5->6->7; 5->6->7->11, and back the same way round). */
static const uint32_t hop_router[] = {5, 6, 7, 11};

static NicConfig base_cfg(void)
{
    NicConfig c = {
        .nodes = 4, .o_send = OS, .o_recv = OR, .gap = GAP,
        .eager_threshold = EAGER, .packet_bytes = PKT, .header_bytes = HDR,
        .link_bytes_per_cycle = BW,
    };
    c.router[0] = 5;
    c.router[1] = 6;
    c.router[2] = 4;
    c.router[3] = 9;
    return c;
}

/* ---- the environment: a noc, the interfaces, a record of matches ------- */

#define MAXREC 32

typedef struct Match {
    NicReq *recv, *send;
    uint32_t recv_rank, recv_id, send_id;
    uint64_t recv_done, send_done;
    bool recv_matched, send_matched;
    void *payload;
} Match;

typedef struct Env {
    Noc *noc;
    Nic *nic;
    int n;                        /* callbacks so far */
    Match m[MAXREC];
} Env;

static void on_match(void *ctx, NicReq *recv, NicReq *send)
{
    Env *e = ctx;
    ck_assert_int_lt(e->n, MAXREC);
    ck_assert_ptr_nonnull(recv);
    Match *m = &e->m[e->n++];
    *m = (Match){
        .recv = recv, .send = send, .recv_rank = recv->rank,
        .recv_id = recv->id, .send_id = send ? send->id : 0,
        .recv_done = recv->done, .send_done = send ? send->done : 0,
        .recv_matched = recv->matched,
        .send_matched = send ? send->matched : false,
        .payload = recv->payload,
    };
}

static void env_init(Env *e, const NicConfig *c)
{
    memset(e, 0, sizeof *e);
    NocConfig k = {
        .topology = NOC_MESH, .routers = 16, .width = 4,
        .link_latency = LL, .router_latency = RL,
        .link_bytes_per_cycle = c->link_bytes_per_cycle,
    };
    char err[200] = "";
    ck_assert_msg(noc_config_check(&k, err, sizeof err), "%s", err);
    e->noc = noc_new(&k);
    ck_assert_ptr_nonnull(e->noc);
    ck_assert_msg(nic_config_check(c, err, sizeof err), "%s", err);
    e->nic = nic_new(c, e->noc, on_match, e);
    ck_assert_ptr_nonnull(e->nic);
}

/* Matched payloads were handed to their receives: they are ours. */
static void env_free(Env *e)
{
    for (int i = 0; i < e->n; i++)
        free(e->m[i].payload);
    nic_free(e->nic);
    noc_free(e->noc);
}

static void *pay(int v)
{
    int *p = malloc(sizeof *p);
    ck_assert_ptr_nonnull(p);
    *p = v;
    return p;
}

static int payload_value(const void *p)
{
    ck_assert_ptr_nonnull(p);
    return *(const int *)p;
}

static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* ---- an independent model of a message on the wire --------------------- */

/* noc.h's rule, walked packet by packet on an idle path of `hops` links
 * (no nic.c code): packet i leaves the interface when packets 0..i-1 have
 * been injected; on each link it enters at max(ready, link free), which
 * on an idle path is the first free run (the packets ask in order), and
 * reaches the far end latency + occupancy later, plus the router latency
 * before each further link.  Over no links (a router to itself) a packet
 * arrives as it leaves.  Returns the last arrival, from 0. */
static uint64_t model_wire(const NicConfig *c, uint32_t bytes, uint32_t hops,
                           uint32_t lat, uint32_t rlat)
{
    uint64_t link_free[16] = {0};
    ck_assert_uint_lt(hops, 16);
    uint32_t k = bytes ? (bytes + c->packet_bytes - 1) / c->packet_bytes : 1;
    uint64_t ready = 0, last = 0;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t pay_b = 0;
        if (bytes) {
            uint32_t left = bytes - i * c->packet_bytes;
            pay_b = left < c->packet_bytes ? left : c->packet_bytes;
        }
        uint32_t size = c->header_bytes + pay_b;
        if (size == 0)
            size = 1;
        uint64_t occ = (size + c->link_bytes_per_cycle - 1) /
                       c->link_bytes_per_cycle;
        uint64_t t = ready;
        for (uint32_t l = 0; l < hops; l++) {
            if (l)
                t += rlat;
            uint64_t enter = max64(t, link_free[l]);
            link_free[l] = enter + occ;
            t = enter + lat + occ;
        }
        last = max64(last, t);
        ready += occ;
    }
    return last;
}

/* Cycles the interface takes to inject a message's packets (data) or one
 * control packet: the sum of the packets' occupancies. */
static uint64_t model_inject(const NicConfig *c, uint32_t bytes)
{
    uint32_t k = bytes ? (bytes + c->packet_bytes - 1) / c->packet_bytes : 1;
    uint64_t sum = 0;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t left = bytes ? bytes - i * c->packet_bytes : 0;
        uint32_t size = c->header_bytes +
                        (left < c->packet_bytes ? left : c->packet_bytes);
        if (size == 0)
            size = 1;
        sum += (size + c->link_bytes_per_cycle - 1) / c->link_bytes_per_cycle;
    }
    return sum;
}

static uint32_t npackets(uint32_t bytes)
{
    return bytes ? (bytes + PKT - 1) / PKT : 1;
}

/* ---- configuration -------------------------------------------------------- */

static const struct {
    uint32_t nodes, packet, bw;
    bool ok;
} configs[] = {
    {0, 64, 8, false},  {1, 64, 8, true},     {2, 64, 8, true},
    {64, 64, 8, true},  {65, 64, 8, false},   {1000, 64, 8, false},
    {4, 0, 8, false},   {4, 64, 0, false},    {4, 1, 1, true},
    {0, 0, 0, false},
};

START_TEST(test_config_check)
{
    NicConfig c = base_cfg();
    c.nodes = configs[_i].nodes;
    c.packet_bytes = configs[_i].packet;
    c.link_bytes_per_cycle = configs[_i].bw;
    char err[200] = "";
    bool ok = nic_config_check(&c, err, sizeof err);
    ck_assert_msg(ok == configs[_i].ok, "nodes %u packet %u bw %u: %s",
                  c.nodes, c.packet_bytes, c.link_bytes_per_cycle,
                  ok ? "accepted" : err);
    if (!ok)
        ck_assert_msg(err[0] != '\0', "rejected without a reason");
}
END_TEST

START_TEST(test_config_check_names_field)
{
    NicConfig c = base_cfg();
    char err[200] = "";
    c.nodes = NIC_MAX_NODES + 1;
    ck_assert(!nic_config_check(&c, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "65"));
    c = base_cfg();
    c.packet_bytes = 0;
    ck_assert(!nic_config_check(&c, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "packet"));
    /* A short buffer still holds a terminated prefix. */
    char tiny[8];
    memset(tiny, 'x', sizeof tiny);
    c = base_cfg();
    c.nodes = 0;
    ck_assert(!nic_config_check(&c, tiny, sizeof tiny));
    ck_assert_uint_lt(strlen(tiny), sizeof tiny);
}
END_TEST

START_TEST(test_packet_names)
{
    ck_assert_int_eq(NIC_PKT_END - NIC_PKT_DATA, 3);
    ck_assert_int_eq(NIC_PKT_RTS, NIC_PKT_DATA + 1);
    ck_assert_int_eq(NIC_PKT_CTS, NIC_PKT_DATA + 2);
    ck_assert_str_eq(nic_packet_names[NIC_PKT_DATA - NIC_PKT_DATA],
                     "mp-data");
    ck_assert_str_eq(nic_packet_names[NIC_PKT_RTS - NIC_PKT_DATA], "mp-rts");
    ck_assert_str_eq(nic_packet_names[NIC_PKT_CTS - NIC_PKT_DATA], "mp-cts");
}
END_TEST

START_TEST(test_new_is_empty)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    const NicConfig *got = nic_config(e.nic);
    ck_assert_uint_eq(got->nodes, 4);
    ck_assert_uint_eq(got->router[3], 9);
    ck_assert_uint_eq(got->o_send, OS);
    ck_assert_uint_eq(got->o_recv, OR);
    ck_assert_uint_eq(got->gap, GAP);
    ck_assert_uint_eq(got->eager_threshold, EAGER);
    ck_assert_uint_eq(got->packet_bytes, PKT);
    ck_assert_uint_eq(got->header_bytes, HDR);
    ck_assert_uint_eq(got->link_bytes_per_cycle, BW);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    for (uint32_t r = 0; r < 4; r++) {
        const NicStats *st = nic_stats(e.nic, r);
        ck_assert_uint_eq(st->msgs_sent, 0);
        ck_assert_uint_eq(st->msgs_recv, 0);
        ck_assert_uint_eq(st->packets, 0);
        ck_assert_uint_eq(st->latency_total, 0);
        ck_assert_uint_eq(st->latency_max, 0);
        ck_assert_ptr_null(nic_reqs(e.nic, r));
        ck_assert_ptr_null(nic_req(e.nic, r, 1));
        ck_assert(!nic_probe(e.nic, r, NIC_ANY, NIC_ANY, 0, UINT64_MAX,
                             NULL));
    }
    /* Out of range ranks find nothing. */
    ck_assert_ptr_null(nic_reqs(e.nic, 4));
    ck_assert_ptr_null(nic_req(e.nic, 4, 1));
    ck_assert(!nic_probe(e.nic, 4, NIC_ANY, NIC_ANY, 0, UINT64_MAX, NULL));
    env_free(&e);
    nic_free(NULL);
}
END_TEST

/* ---- the wire formula ------------------------------------------------------ */

/* Worked by hand for the base machine (F = 9 cycles a full packet, L = 3,
 * R = 2): one packet of S cycles takes h(L+S) + (h-1)R; k >= 2 packets,
 * the last of S cycles, take (k-1)F + hL + (h-1)(F+R) + S, because on
 * every link after the first the last packet waits for the one before it
 * to clear the link (that one's arrival is exactly S cycles earlier). */
typedef struct WireCase {
    uint32_t bytes, hops;
    uint64_t want;
} WireCase;

static const WireCase base_wire[] = {
    {0, 1, 4},     {0, 2, 10},    {0, 3, 16},     /* 8 B: 1 cycle */
    {1, 1, 5},     {1, 2, 12},    {1, 3, 19},     /* 9 B: 2 cycles */
    {64, 1, 12},   {64, 2, 26},   {64, 3, 40},    /* one full packet */
    {65, 1, 14},   {65, 2, 28},   {65, 3, 42},    /* full + 9 B */
    {120, 1, 20},  {120, 2, 34},  {120, 3, 48},   /* full + 64 B (8 c) */
    {128, 1, 21},  {128, 2, 35},  {128, 3, 49},   /* two full */
    {129, 1, 23},  {129, 2, 37},  {129, 3, 51},   /* two full + 9 B */
    {200, 1, 32},  {200, 2, 46},  {200, 3, 60},   /* three full + 16 B */
    {256, 1, 39},  {256, 2, 53},  {256, 3, 67},   /* four full: EAGER */
};

/* The test's own model agrees with the hand-worked numbers. */
START_TEST(test_model_wire_table)
{
    NicConfig c = base_cfg();
    const WireCase *w = &base_wire[_i];
    ck_assert_uint_eq(model_wire(&c, w->bytes, w->hops, LL, RL), w->want);
}
END_TEST

START_TEST(test_wire_cycles_table)
{
    NicConfig c = base_cfg();
    const WireCase *w = &base_wire[_i];
    uint64_t got = nic_wire_cycles(&c, w->bytes, w->hops, LL, RL);
    ck_assert_msg(got == w->want,
                  "nic_wire_cycles(%u bytes, %u hops) = %llu, the "
                  "interconnect takes %llu", w->bytes, w->hops,
                  (unsigned long long)got, (unsigned long long)w->want);
}
END_TEST

/* Other shapes of packet, link and latency, worked by hand. */
static const struct {
    uint32_t header, packet, bw, lat, rlat, bytes, hops;
    uint64_t want;
} other_wire[] = {
    /* No header: an empty message is still a 1-byte packet. */
    {0, 64, 8, 3, 2, 0, 1, 4},
    {0, 64, 8, 3, 2, 0, 2, 10},
    /* 14 bytes at 4 a cycle: 4 cycles, one link of 5. */
    {4, 10, 4, 5, 9, 10, 1, 9},
    /* Equal packets pipeline: 2 x 24 cycles over 3 links, R = 0:
     * 24 + 3 * (1 + 24). */
    {8, 16, 1, 1, 0, 32, 3, 99},
    /* 24, 24, 16 cycles over 2 links: the last waits for the second
     * to clear link 2 (at 77) and arrives at 77 + 3 + 16. */
    {8, 16, 1, 3, 2, 40, 2, 96},
    /* Zero hops: one packet arrives as it leaves; of 16 packets the last
     * leaves (and arrives) after the first 15 were injected, 15 x 9. */
    {8, 64, 8, 3, 2, 64, 0, 0},
    {8, 64, 8, 3, 2, 1000, 0, 135},
};

START_TEST(test_wire_cycles_other)
{
    NicConfig c = base_cfg();
    c.header_bytes = other_wire[_i].header;
    c.packet_bytes = other_wire[_i].packet;
    c.link_bytes_per_cycle = other_wire[_i].bw;
    uint32_t b = other_wire[_i].bytes, h = other_wire[_i].hops;
    uint32_t lat = other_wire[_i].lat, rlat = other_wire[_i].rlat;
    ck_assert_uint_eq(model_wire(&c, b, h, lat, rlat), other_wire[_i].want);
    uint64_t got = nic_wire_cycles(&c, b, h, lat, rlat);
    ck_assert_msg(got == other_wire[_i].want,
                  "nic_wire_cycles(%u bytes, %u hops; header %u packet %u "
                  "bw %u) = %llu, the interconnect takes %llu", b, h,
                  c.header_bytes, c.packet_bytes, c.link_bytes_per_cycle,
                  (unsigned long long)got,
                  (unsigned long long)other_wire[_i].want);
}
END_TEST

/* ---- eager ---------------------------------------------------------------- */

/* The receive is posted first; the send from rank 1, `hops` away, at T. */
START_TEST(test_eager_preposted)
{
    const WireCase *w = &base_wire[_i];
    const uint64_t T = 100;
    NicConfig c = base_cfg();
    c.router[1] = hop_router[w->hops];
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, 1, 3, 0, 4096, 0x1000, 0);
    ck_assert_ptr_nonnull(r);
    ck_assert(!r->matched);
    ck_assert_int_eq(r->kind, NIC_RECV);
    ck_assert_int_eq(e.n, 0);
    void *p = pay(42);
    NicReq *s = nic_send(e.nic, 1, 0, 3, 0, w->bytes, false, p, T);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->kind, NIC_SEND);
    ck_assert(s->matched);
    ck_assert(!s->rendezvous);
    ck_assert(!s->sync);
    ck_assert_uint_eq(s->done, T + OS);
    ck_assert_uint_eq(s->posted, T);
    ck_assert_uint_eq(s->peer, 0);
    ck_assert_uint_eq(s->bytes, w->bytes);
    /* One match, told at once, with the receive and no send. */
    ck_assert_int_eq(e.n, 1);
    ck_assert_ptr_eq(e.m[0].recv, r);
    ck_assert_ptr_null(e.m[0].send);
    ck_assert(e.m[0].recv_matched);
    ck_assert_uint_eq(e.m[0].recv_done, T + OS + w->want + OR);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->done, T + OS + w->want + OR);
    ck_assert_uint_eq(r->arrived, T + OS + w->want);
    ck_assert_uint_eq(r->src, 1);
    ck_assert_uint_eq(r->src_tag, 3);
    ck_assert_uint_eq(r->got, w->bytes);
    ck_assert_uint_eq(r->bytes, 4096);
    ck_assert_uint_eq(r->buf, 0x1000);
    ck_assert_uint_eq(r->send_cycle, T);
    ck_assert_ptr_eq(r->payload, p);
    ck_assert_ptr_eq(e.m[0].payload, p);
    ck_assert_int_eq(payload_value(r->payload), 42);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->packets, npackets(w->bytes));
    ck_assert_uint_eq(nic_stats(e.nic, 1)->eager, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 0);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    env_free(&e);
}
END_TEST

/* The same, with the independent walk rather than the table, for every
 * size up to three packets over 1..3 hops. */
START_TEST(test_eager_preposted_sweep)
{
    NicConfig c = base_cfg();
    for (uint32_t hops = 1; hops <= 3; hops++)
        for (uint32_t bytes = 0; bytes <= 3 * PKT; bytes += 7) {
            c.router[1] = hop_router[hops];
            Env e;
            env_init(&e, &c);
            NicReq *r = nic_recv(e.nic, 0, 1, 0, 0, 4096, 0, 0);
            nic_send(e.nic, 1, 0, 0, 0, bytes, false, pay(1), 50);
            uint64_t want = 50 + OS + model_wire(&c, bytes, hops, LL, RL) +
                            OR;
            ck_assert_msg(r->matched && r->done == want,
                          "%u bytes, %u hops: done %llu, want %llu", bytes,
                          hops, (unsigned long long)r->done,
                          (unsigned long long)want);
            env_free(&e);
        }
}
END_TEST

/* Sent first, received later: the message waits in the unexpected queue
 * and the receive completes o_recv after its post. */
START_TEST(test_eager_unexpected_late_post)
{
    NicConfig c = base_cfg();
    c.router[1] = hop_router[2];
    Env e;
    env_init(&e, &c);
    void *p = pay(7);
    NicReq *s = nic_send(e.nic, 1, 0, 9, 0, 100, false, p, 0);
    ck_assert(s->matched);
    ck_assert_uint_eq(s->done, OS);
    ck_assert_int_eq(e.n, 0);
    ck_assert_uint_eq(nic_queued(e.nic), 1);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected_peak, 1);
    /* 100 B over 2 hops: 72 B (9 c) then 44 B (6 c): 9 + 6 + 11 + 6. */
    uint64_t arrive = OS + 32;
    ck_assert_uint_eq(arrive, OS + model_wire(&c, 100, 2, LL, RL));
    NicReq *r = nic_recv(e.nic, 0, 1, 9, 0, 100, 0x40, 1000);
    ck_assert_int_eq(e.n, 1);
    ck_assert_ptr_eq(e.m[0].recv, r);
    ck_assert_ptr_null(e.m[0].send);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->done, 1000 + OR);
    ck_assert_uint_eq(r->arrived, arrive);
    ck_assert_uint_eq(r->send_cycle, 0);
    ck_assert_ptr_eq(r->payload, p);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected_peak, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->latency_total, 1000 + OR);
    env_free(&e);
}
END_TEST

/* Sent first but the receive is posted (later in call order) at a cycle
 * before the data arrives: it completes at the arrival + o_recv. */
START_TEST(test_eager_unexpected_early_post)
{
    NicConfig c = base_cfg();
    c.router[1] = hop_router[3];
    Env e;
    env_init(&e, &c);
    nic_send(e.nic, 1, 0, 9, 0, 64, false, pay(7), 20);
    NicReq *r = nic_recv(e.nic, 0, 1, 9, 0, 64, 0, 25);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->arrived, 20 + OS + 40);
    ck_assert_uint_eq(r->done, 20 + OS + 40 + OR);
    /* Posted exactly at the arrival: the same. */
    nic_send(e.nic, 1, 0, 9, 0, 0, false, pay(8), 1000);
    r = nic_recv(e.nic, 0, 1, 9, 0, 64, 0, 1000 + OS + 16);
    ck_assert_uint_eq(r->done, 1000 + OS + 16 + OR);
    /* One cycle later: the post decides. */
    nic_send(e.nic, 1, 0, 9, 0, 0, false, pay(9), 2000);
    r = nic_recv(e.nic, 0, 1, 9, 0, 64, 0, 2000 + OS + 16 + 1);
    ck_assert_uint_eq(r->done, 2000 + OS + 16 + 1 + OR);
    ck_assert_int_eq(e.n, 3);
    ck_assert_int_eq(payload_value(e.m[2].payload), 9);
    env_free(&e);
}
END_TEST

/* Two ranks on one router (or a rank to itself): no links to cross. */
START_TEST(test_eager_same_router)
{
    NicConfig c = base_cfg();
    c.router[1] = c.router[0];
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, 1, 0, 0, 1000, 0, 0);
    /* One packet: it arrives as it leaves. */
    nic_send(e.nic, 1, 0, 0, 0, 64, false, pay(1), 30);
    ck_assert_uint_eq(r->done, 30 + OS + OR);
    /* Four: the last leaves the interface (and so arrives) 3 x 9 cycles
     * after the first. */
    r = nic_recv(e.nic, 0, 1, 0, 0, 1000, 0, 0);
    nic_send(e.nic, 1, 0, 0, 0, 200, false, pay(2), 100);
    ck_assert_uint_eq(r->done, 100 + OS + 27 + OR);
    ck_assert_uint_eq(model_wire(&c, 200, 0, LL, RL), 27);
    /* To itself. */
    NicReq *s = nic_send(e.nic, 2, 2, 5, 0, 10, false, pay(2), 100);
    ck_assert_uint_eq(s->done, 100 + OS);
    r = nic_recv(e.nic, 2, 2, 5, 0, 10, 0, 100);
    ck_assert_uint_eq(r->done, 100 + OS + OR);
    ck_assert_uint_eq(r->src, 2);
    ck_assert_uint_eq(nic_stats(e.nic, 2)->msgs_sent, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 2)->msgs_recv, 1);
    env_free(&e);
}
END_TEST

/* No header bytes: an empty message is a 1-byte packet. */
START_TEST(test_eager_no_header)
{
    NicConfig c = base_cfg();
    c.header_bytes = 0;
    c.router[1] = hop_router[2];
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, 1, 0, 0, 0, 0, 0);
    nic_send(e.nic, 1, 0, 0, 0, 0, false, pay(1), 0);
    ck_assert_uint_eq(r->done, OS + 10 + OR);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->packets, 1);
    env_free(&e);
}
END_TEST

/* eager_threshold bytes go eagerly, one more by rendezvous. */
START_TEST(test_eager_threshold_boundary)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *a = nic_send(e.nic, 1, 0, 0, 0, EAGER, false, pay(1), 0);
    NicReq *b = nic_send(e.nic, 1, 0, 0, 0, EAGER + 1, false, pay(2), 0);
    NicReq *d = nic_send(e.nic, 1, 0, 0, 0, 0, true, pay(3), 0);
    ck_assert(!a->rendezvous && a->matched);
    ck_assert(b->rendezvous && !b->matched && !b->sync);
    ck_assert(d->rendezvous && !d->matched && d->sync);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->eager, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->rendezvous, 2);
    ck_assert_uint_eq(nic_queued(e.nic), 3);
    /* A threshold of 0: every non-empty message by rendezvous. */
    NicConfig z = base_cfg();
    z.eager_threshold = 0;
    Env f;
    env_init(&f, &z);
    ck_assert(!nic_send(f.nic, 1, 0, 0, 0, 0, false, pay(4), 0)->rendezvous);
    ck_assert(nic_send(f.nic, 1, 0, 0, 0, 1, false, pay(5), 0)->rendezvous);
    env_free(&f);
    env_free(&e);
}
END_TEST

/* ---- rendezvous -------------------------------------------------------------- */

static const struct {
    uint32_t bytes;
    bool sync;
    uint32_t hops, gap;
} rdv_cases[] = {
    {512, false, 1, GAP}, {512, false, 1, 40}, {512, false, 2, GAP},
    {512, false, 3, GAP}, {257, false, 1, GAP}, {257, false, 2, GAP},
    {0, true, 1, GAP},    {1, true, 2, GAP},    {64, true, 3, 100},
    {2000, false, 2, 0},  {300, false, 3, 31},  {300, false, 3, 32},
    {300, false, 3, 33},                      /* 2 W(0) = 32 */
};

/* Receive posted first (at 0), send at 0: the RTS leaves at o_send, the
 * CTS at its arrival, the data at max(the CTS's arrival, the RTS's start
 * + gap); the send completes when the data has left. */
START_TEST(test_rdv_preposted)
{
    uint32_t n = rdv_cases[_i].bytes, h = rdv_cases[_i].hops;
    NicConfig c = base_cfg();
    c.gap = rdv_cases[_i].gap;
    c.router[1] = hop_router[h];
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, 1, 4, 0, 1u << 20, 0x2000, 0);
    void *p = pay(11);
    NicReq *s = nic_send(e.nic, 1, 0, 4, 0, n, rdv_cases[_i].sync, p, 0);
    ck_assert(s->rendezvous);
    ck_assert(s->sync == rdv_cases[_i].sync);
    uint64_t w0 = model_wire(&c, 0, h, LL, RL);
    uint64_t wn = model_wire(&c, n, h, LL, RL);
    uint64_t start = OS + max64(2 * w0, c.gap);
    ck_assert_int_eq(e.n, 1);
    ck_assert_ptr_eq(e.m[0].recv, r);
    ck_assert_ptr_eq(e.m[0].send, s);
    ck_assert(e.m[0].send_matched && e.m[0].recv_matched);
    ck_assert(s->matched && r->matched);
    ck_assert_uint_eq(r->done, start + wn + OR);
    ck_assert_uint_eq(r->arrived, start + wn);
    ck_assert_uint_eq(s->done, start + model_inject(&c, n));
    ck_assert_uint_eq(e.m[0].recv_done, r->done);
    ck_assert_uint_eq(e.m[0].send_done, s->done);
    ck_assert_uint_eq(r->got, n);
    ck_assert_ptr_eq(r->payload, p);
    /* RTS + data from the sender, the CTS from the receiver. */
    ck_assert_uint_eq(nic_stats(e.nic, 1)->packets, 1 + npackets(n));
    ck_assert_uint_eq(nic_stats(e.nic, 0)->packets, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->rendezvous, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->eager, 0);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    env_free(&e);
}
END_TEST

/* The same case by hand: 512 B, 1 hop.  W(0) = 4, W(512) = 7 * 9 + 12. */
START_TEST(test_rdv_preposted_by_hand)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, 1, 4, 0, 512, 0, 0);
    NicReq *s = nic_send(e.nic, 1, 0, 4, 0, 512, false, pay(1), 0);
    /* RTS 10 -> 14; CTS 14 -> 18; data from 18: 8 x 9 cycles. */
    ck_assert_uint_eq(s->done, 18 + 72);
    ck_assert_uint_eq(r->done, 18 + 75 + OR);
    ck_assert_uint_eq(r->done, OS + max64(2 * nic_wire_cycles(&c, 0, 1, LL,
                                                               RL), GAP) +
                                   nic_wire_cycles(&c, 512, 1, LL, RL) + OR);
    env_free(&e);

    /* A gap of 40 holds the data until 10 + 40. */
    c.gap = 40;
    env_init(&e, &c);
    r = nic_recv(e.nic, 0, 1, 4, 0, 512, 0, 0);
    s = nic_send(e.nic, 1, 0, 4, 0, 512, false, pay(1), 0);
    ck_assert_uint_eq(s->done, 50 + 72);
    ck_assert_uint_eq(r->done, 50 + 75 + OR);
    env_free(&e);
}
END_TEST

/* Received late (after the RTS came): the CTS leaves at the post. */
START_TEST(test_rdv_late_post)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    void *p = pay(5);
    NicReq *s = nic_send(e.nic, 1, 0, 4, 0, 512, false, p, 0);
    ck_assert(!s->matched);
    ck_assert_int_eq(e.n, 0);
    ck_assert_uint_eq(nic_queued(e.nic), 1);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->packets, 1);   /* the RTS */
    NicEnvelope env;
    ck_assert(nic_probe(e.nic, 0, 1, 4, 0, UINT64_MAX, &env));
    ck_assert_uint_eq(env.bytes, 512);
    ck_assert_uint_eq(env.arrive, 14);                    /* the RTS's */
    NicReq *r = nic_recv(e.nic, 0, 1, 4, 0, 512, 0, 200);
    /* CTS 200 -> 204; data 204 -> 204 + 75; its last packet leaves at
     * 204 + 72. */
    ck_assert_int_eq(e.n, 1);
    ck_assert_ptr_eq(e.m[0].send, s);
    ck_assert_ptr_eq(e.m[0].recv, r);
    ck_assert(s->matched && r->matched);
    ck_assert_uint_eq(s->done, 276);
    ck_assert_uint_eq(r->arrived, 279);
    ck_assert_uint_eq(r->done, 286);
    ck_assert_ptr_eq(r->payload, p);
    ck_assert_uint_eq(nic_stats(e.nic, 1)->packets, 9);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->packets, 1);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->latency_max, 286);
    env_free(&e);
}
END_TEST

/* Posted after the send call but at a cycle before the RTS arrives: as if
 * posted first. */
START_TEST(test_rdv_post_before_rts)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *s = nic_send(e.nic, 1, 0, 4, 0, 512, false, pay(1), 0);
    NicReq *r = nic_recv(e.nic, 0, 1, 4, 0, 512, 0, 5);
    ck_assert_uint_eq(s->done, 90);
    ck_assert_uint_eq(r->done, 100);
    env_free(&e);
}
END_TEST

/* Synchronous sends of any size wait for the receive. */
START_TEST(test_rdv_sync_waits)
{
    NicConfig c = base_cfg();
    c.router[1] = hop_router[2];
    Env e;
    env_init(&e, &c);
    NicReq *s = nic_send(e.nic, 1, 0, 0, 0, 1, true, pay(3), 0);
    ck_assert(s->sync && s->rendezvous && !s->matched);
    ck_assert_uint_eq(s->done, 0);
    ck_assert_ptr_eq(nic_req(e.nic, 1, s->id), s);
    ck_assert_int_eq(e.n, 0);
    /* RTS (10 cycles over 2 hops) arrives at 20; posted at 500: CTS
     * 500 -> 510, data (9 B, 2 cycles) 510 -> 522. */
    NicReq *r = nic_recv(e.nic, 0, 1, 0, 0, 1, 0, 500);
    ck_assert(s->matched);
    ck_assert_uint_eq(s->done, 512);
    ck_assert_uint_eq(r->done, 522 + OR);
    ck_assert_int_eq(e.n, 1);
    env_free(&e);
}
END_TEST

/* The receiver's interface answers: a CTS waits while it is busy. */
START_TEST(test_rdv_cts_waits_for_receiver)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    /* Rank 0 sends 256 B to rank 2 at 0: its interface is busy 10..46. */
    nic_send(e.nic, 0, 2, 0, 0, 256, false, pay(1), 0);
    NicReq *r = nic_recv(e.nic, 0, 1, 0, 0, 512, 0, 0);
    NicReq *s = nic_send(e.nic, 1, 0, 0, 0, 512, false, pay(2), 0);
    /* RTS 10 -> 14; CTS at 46 -> 50; data 50 -> 125. */
    ck_assert_uint_eq(s->done, 50 + 72);
    ck_assert_uint_eq(r->done, 125 + OR);
    env_free(&e);
}
END_TEST

/* ---- the match callback --------------------------------------------------- */

START_TEST(test_callback_once_per_match)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    /* Eager, pre-posted; eager, unexpected; rendezvous both ways. */
    NicReq *r1 = nic_recv(e.nic, 0, 1, 1, 0, 64, 0, 0);
    void *p1 = pay(1), *p2 = pay(2), *p3 = pay(3), *p4 = pay(4);
    nic_send(e.nic, 1, 0, 1, 0, 8, false, p1, 0);
    ck_assert_int_eq(e.n, 1);
    nic_send(e.nic, 1, 0, 2, 0, 8, false, p2, 100);
    ck_assert_int_eq(e.n, 1);
    NicReq *r2 = nic_recv(e.nic, 0, 1, 2, 0, 64, 0, 100);
    ck_assert_int_eq(e.n, 2);
    NicReq *r3 = nic_recv(e.nic, 0, 1, 3, 0, 1024, 0, 200);
    ck_assert_int_eq(e.n, 2);
    NicReq *s3 = nic_send(e.nic, 1, 0, 3, 0, 1024, false, p3, 200);
    ck_assert_int_eq(e.n, 3);
    NicReq *s4 = nic_send(e.nic, 1, 0, 4, 0, 1024, false, p4, 400);
    ck_assert_int_eq(e.n, 3);
    NicReq *r4 = nic_recv(e.nic, 0, 1, 4, 0, 1024, 0, 400);
    ck_assert_int_eq(e.n, 4);
    /* A receive with nothing to match: no call. */
    nic_recv(e.nic, 0, 2, 9, 0, 64, 0, 400);
    ck_assert_int_eq(e.n, 4);

    const NicReq *recvs[] = {r1, r2, r3, r4};
    const NicReq *sends[] = {NULL, NULL, s3, s4};
    void *pays[] = {p1, p2, p3, p4};
    for (int i = 0; i < 4; i++) {
        ck_assert_ptr_eq(e.m[i].recv, recvs[i]);
        ck_assert_ptr_eq(e.m[i].send, sends[i]);
        ck_assert_ptr_eq(e.m[i].payload, pays[i]);
        ck_assert_int_eq(payload_value(e.m[i].payload), i + 1);
        ck_assert_uint_eq(e.m[i].recv_rank, 0);
        ck_assert_uint_eq(e.m[i].recv_id, recvs[i]->id);
        ck_assert_uint_eq(e.m[i].recv_done, recvs[i]->done);
        ck_assert(e.m[i].recv_matched);
        if (sends[i]) {
            ck_assert(e.m[i].send_matched);
            ck_assert_uint_eq(e.m[i].send_id, sends[i]->id);
            ck_assert_uint_eq(e.m[i].send_done, sends[i]->done);
        }
    }
    env_free(&e);
}
END_TEST

/* No callback at all is fine. */
START_TEST(test_no_callback)
{
    NicConfig c = base_cfg();
    Noc *noc;
    {
        NocConfig k = {.topology = NOC_MESH, .routers = 16, .width = 4,
                       .link_latency = LL, .router_latency = RL,
                       .link_bytes_per_cycle = BW};
        noc = noc_new(&k);
    }
    Nic *n = nic_new(&c, noc, NULL, NULL);
    ck_assert_ptr_nonnull(n);
    void *p = pay(1);
    nic_send(n, 1, 0, 0, 0, 1000, false, NULL, 0);
    nic_send(n, 1, 0, 0, 0, 10, false, p, 0);
    NicReq *a = nic_recv(n, 0, 1, 0, 0, 1000, 0, 0);
    NicReq *b = nic_recv(n, 0, 1, 0, 0, 1000, 0, 0);
    ck_assert(a->matched && b->matched);
    ck_assert_ptr_null(a->payload);
    ck_assert_ptr_eq(b->payload, p);
    free(p);
    nic_free(n);
    noc_free(noc);
}
END_TEST

/* ---- matching ----------------------------------------------------------- */

START_TEST(test_match_tag_wildcard)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, 1, NIC_ANY, 0, 64, 0, 0);
    nic_send(e.nic, 1, 0, 77, 0, 4, false, pay(1), 0);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->src, 1);
    ck_assert_uint_eq(r->src_tag, 77);
    ck_assert_uint_eq(r->tag, NIC_ANY);          /* as posted */
    /* And from the unexpected queue. */
    nic_send(e.nic, 1, 0, 78, 0, 4, false, pay(2), 0);
    r = nic_recv(e.nic, 0, 1, NIC_ANY, 0, 64, 0, 100);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->src_tag, 78);
    env_free(&e);
}
END_TEST

START_TEST(test_match_source_wildcard)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, NIC_ANY, 5, 0, 64, 0, 0);
    nic_send(e.nic, 2, 0, 4, 0, 4, false, pay(1), 0);   /* wrong tag */
    ck_assert(!r->matched);
    nic_send(e.nic, 3, 0, 5, 0, 4, false, pay(2), 0);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->src, 3);
    ck_assert_uint_eq(r->peer, NIC_ANY);
    ck_assert_int_eq(payload_value(r->payload), 2);
    /* Both wildcards take the tag-4 message left over. */
    r = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 64, 0, 100);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->src, 2);
    ck_assert_uint_eq(r->src_tag, 4);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    env_free(&e);
}
END_TEST

START_TEST(test_match_wrong_source_waits)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *r = nic_recv(e.nic, 0, 2, 5, 0, 64, 0, 0);
    nic_send(e.nic, 1, 0, 5, 0, 4, false, pay(1), 0);
    ck_assert(!r->matched);
    ck_assert_int_eq(e.n, 0);
    ck_assert_uint_eq(nic_queued(e.nic), 1);
    /* A message to another rank does not match either. */
    nic_send(e.nic, 2, 3, 5, 0, 4, false, pay(2), 0);
    ck_assert(!r->matched);
    nic_send(e.nic, 2, 0, 5, 0, 4, false, pay(3), 0);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->src, 2);
    ck_assert_int_eq(payload_value(r->payload), 3);
    env_free(&e);
}
END_TEST

/* Contexts never match across, and NIC_ANY is no wildcard for them. */
START_TEST(test_match_context)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *r0 = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 64, 0, 0);
    nic_send(e.nic, 1, 0, 5, 1, 4, false, pay(1), 0);
    ck_assert(!r0->matched);
    ck_assert(!nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, 0, UINT64_MAX, NULL));
    ck_assert(nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, 1, UINT64_MAX, NULL));
    ck_assert(!nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, NIC_ANY, UINT64_MAX,
                         NULL));
    NicReq *ra = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, NIC_ANY, 64, 0, 0);
    ck_assert(!ra->matched);
    NicReq *r1 = nic_recv(e.nic, 0, 1, 5, 1, 64, 0, 0);
    ck_assert(r1->matched);
    ck_assert_int_eq(payload_value(r1->payload), 1);
    /* Context 0 from rank 1 goes to the first receive in context 0. */
    nic_send(e.nic, 1, 0, 5, 0, 4, false, pay(2), 10);
    ck_assert(r0->matched);
    ck_assert(!ra->matched);
    ck_assert_int_eq(payload_value(r0->payload), 2);
    ck_assert_int_eq(e.n, 2);
    env_free(&e);
}
END_TEST

/* The posted queue is searched in post order. */
START_TEST(test_match_posted_order)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *a = nic_recv(e.nic, 0, 2, NIC_ANY, 0, 64, 0, 0);
    NicReq *b = nic_recv(e.nic, 0, NIC_ANY, 5, 0, 64, 0, 0);
    NicReq *d = nic_recv(e.nic, 0, 1, 5, 0, 64, 0, 0);
    NicReq *f = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 64, 0, 0);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->posted_peak, 4);
    nic_send(e.nic, 1, 0, 5, 0, 4, false, pay(1), 0);
    ck_assert(!a->matched && b->matched && !d->matched && !f->matched);
    nic_send(e.nic, 1, 0, 5, 0, 4, false, pay(2), 0);
    ck_assert(!a->matched && d->matched && !f->matched);
    nic_send(e.nic, 1, 0, 6, 0, 4, false, pay(3), 0);
    ck_assert(!a->matched && f->matched);
    nic_send(e.nic, 2, 0, 6, 0, 4, false, pay(4), 0);
    ck_assert(a->matched);
    ck_assert_int_eq(payload_value(b->payload), 1);
    ck_assert_int_eq(payload_value(d->payload), 2);
    ck_assert_int_eq(payload_value(f->payload), 3);
    ck_assert_int_eq(payload_value(a->payload), 4);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->posted_peak, 4);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 0);
    env_free(&e);
}
END_TEST

/* Rank 1 (router 7) sends A (64 B) then B (0 B), tag 7, to rank 0 (router
 * 5) over 7->6->5.  A coherence packet holds link 6->5 over [28, 38): A
 * (9 cycles, asking at 24) must wait until 38 and arrives at 50; B (1
 * cycle, asking at 25) slips in before and arrives at 29. */
static void overtake_setup(Env *e, NicConfig *c, void **pa, void **pb,
                           uint32_t tag_b)
{
    *c = base_cfg();
    c->router[1] = 7;
    env_init(e, c);
    ck_assert_uint_eq(noc_send(e->noc, 6, 5, 80, 28), 41);
    *pa = pay(1);
    *pb = pay(2);
    nic_send(e->nic, 1, 0, 7, 0, 64, false, *pa, 0);
    nic_send(e->nic, 1, 0, tag_b, 0, 0, false, *pb, 0);
    ck_assert_uint_eq(nic_queued(e->nic), 2);
}

START_TEST(test_nonovertaking)
{
    Env e;
    NicConfig c;
    void *pa, *pb;
    overtake_setup(&e, &c, &pa, &pb, 7);
    /* Probes see A (the one a receive takes), not the earlier B. */
    NicEnvelope env;
    ck_assert(nic_probe(e.nic, 0, 1, 7, 0, UINT64_MAX, &env));
    ck_assert_uint_eq(env.src, 1);
    ck_assert_uint_eq(env.tag, 7);
    ck_assert_uint_eq(env.bytes, 64);
    ck_assert_uint_eq(env.arrive, 50);
    ck_assert(!nic_probe(e.nic, 0, 1, 7, 0, 40, &env));
    ck_assert(!nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, 0, 49, &env));
    ck_assert(nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, 0, 50, &env));
    ck_assert_uint_eq(env.bytes, 64);
    NicReq *r1 = nic_recv(e.nic, 0, 1, 7, 0, 64, 0, 0);
    NicReq *r2 = nic_recv(e.nic, 0, 1, 7, 0, 64, 0, 0);
    ck_assert_ptr_eq(r1->payload, pa);
    ck_assert_uint_eq(r1->got, 64);
    ck_assert_uint_eq(r1->arrived, 50);
    ck_assert_uint_eq(r1->done, 50 + OR);
    ck_assert_ptr_eq(r2->payload, pb);
    ck_assert_uint_eq(r2->got, 0);
    ck_assert_uint_eq(r2->arrived, 29);
    ck_assert_uint_eq(r2->done, 29 + OR);
    env_free(&e);
}
END_TEST

START_TEST(test_nonovertaking_any_source)
{
    Env e;
    NicConfig c;
    void *pa, *pb;
    overtake_setup(&e, &c, &pa, &pb, 7);
    NicReq *r1 = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 64, 0, 0);
    ck_assert_ptr_eq(r1->payload, pa);
    NicReq *r2 = nic_recv(e.nic, 0, NIC_ANY, 7, 0, 64, 0, 0);
    ck_assert_ptr_eq(r2->payload, pb);
    env_free(&e);
}
END_TEST

/* Non-overtaking is among matching messages only: a receive for B's tag
 * takes B at once. */
START_TEST(test_nonovertaking_other_tag)
{
    Env e;
    NicConfig c;
    void *pa, *pb;
    overtake_setup(&e, &c, &pa, &pb, 8);
    NicEnvelope env;
    ck_assert(nic_probe(e.nic, 0, 1, 8, 0, 29, &env));
    ck_assert_uint_eq(env.arrive, 29);
    ck_assert_uint_eq(env.tag, 8);
    NicReq *rb = nic_recv(e.nic, 0, 1, 8, 0, 64, 0, 0);
    ck_assert_ptr_eq(rb->payload, pb);
    ck_assert_uint_eq(rb->done, 29 + OR);
    /* With any tag, though, A came first from rank 1. */
    NicReq *ra = nic_recv(e.nic, 0, 1, NIC_ANY, 0, 64, 0, 0);
    ck_assert_ptr_eq(ra->payload, pa);
    env_free(&e);
}
END_TEST

/* A and B as above plus rank 2 (router 4, one hop) sending C at 26,
 * arriving at 40: a receive from any source takes C (before A at 50, B
 * not eligible), then A, then B. */
START_TEST(test_nonovertaking_with_other_source)
{
    Env e;
    NicConfig c;
    void *pa, *pb;
    overtake_setup(&e, &c, &pa, &pb, 7);
    void *pc = pay(3);
    nic_send(e.nic, 2, 0, 7, 0, 0, false, pc, 26);
    NicEnvelope env;
    ck_assert(nic_probe(e.nic, 0, NIC_ANY, 7, 0, UINT64_MAX, &env));
    ck_assert_uint_eq(env.src, 2);
    ck_assert_uint_eq(env.arrive, 40);
    NicReq *r1 = nic_recv(e.nic, 0, NIC_ANY, 7, 0, 64, 0, 0);
    NicReq *r2 = nic_recv(e.nic, 0, NIC_ANY, 7, 0, 64, 0, 0);
    NicReq *r3 = nic_recv(e.nic, 0, NIC_ANY, 7, 0, 64, 0, 0);
    ck_assert_ptr_eq(r1->payload, pc);
    ck_assert_uint_eq(r1->done, 40 + OR);
    ck_assert_ptr_eq(r2->payload, pa);
    ck_assert_ptr_eq(r3->payload, pb);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    env_free(&e);
}
END_TEST

/* A rendezvous message then an eager one from one source: in order. */
START_TEST(test_nonovertaking_rdv_then_eager)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    void *pa = pay(1), *pb = pay(2);
    nic_send(e.nic, 1, 0, 3, 0, 512, false, pa, 0);   /* RTS 10 -> 14 */
    nic_send(e.nic, 1, 0, 3, 0, 0, false, pb, 0);     /* 14 -> 18 */
    NicReq *r1 = nic_recv(e.nic, 0, 1, 3, 0, 512, 0, 100);
    NicReq *r2 = nic_recv(e.nic, 0, 1, 3, 0, 512, 0, 100);
    ck_assert_ptr_eq(r1->payload, pa);
    /* CTS 100 -> 104; data 104 -> 179. */
    ck_assert_uint_eq(r1->done, 179 + OR);
    ck_assert_ptr_eq(r2->payload, pb);
    ck_assert_uint_eq(r2->done, 100 + OR);
    env_free(&e);
}
END_TEST

/* From any source, the earliest arrival wins whatever the send order:
 * rank 1 three hops away sends first, rank 2 one hop away later. */
START_TEST(test_any_earliest_arrival)
{
    NicConfig c = base_cfg();
    c.router[1] = hop_router[3];
    c.router[2] = 6;
    Env e;
    env_init(&e, &c);
    void *p1 = pay(1), *p2 = pay(2);
    nic_send(e.nic, 1, 0, 0, 0, 0, false, p1, 0);   /* arrives 26 */
    nic_send(e.nic, 2, 0, 0, 0, 0, false, p2, 5);   /* arrives 19 */
    NicReq *a = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 8, 0, 100);
    NicReq *b = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 8, 0, 100);
    ck_assert_uint_eq(a->src, 2);
    ck_assert_uint_eq(a->arrived, 19);
    ck_assert_ptr_eq(a->payload, p2);
    ck_assert_uint_eq(b->src, 1);
    ck_assert_uint_eq(b->arrived, 26);
    ck_assert_ptr_eq(b->payload, p1);
    env_free(&e);
}
END_TEST

/* Equal arrivals (ranks 1 and 2 one hop either side of rank 0, into
 * different links): the one sent first wins, in either order. */
START_TEST(test_any_tie_sent_first)
{
    for (int order = 0; order < 2; order++) {
        NicConfig c = base_cfg();
        c.router[1] = 4;
        c.router[2] = 6;
        Env e;
        env_init(&e, &c);
        uint32_t first = order ? 2 : 1, second = order ? 1 : 2;
        nic_send(e.nic, first, 0, 0, 0, 16, false, pay(1), 0);
        nic_send(e.nic, second, 0, 0, 0, 16, false, pay(2), 0);
        NicEnvelope env;
        ck_assert(nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, 0, UINT64_MAX,
                            &env));
        ck_assert_uint_eq(env.src, first);
        NicReq *a = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 64, 0, 100);
        NicReq *b = nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 64, 0, 100);
        ck_assert_uint_eq(a->arrived, b->arrived);
        ck_assert_uint_eq(a->arrived, OS + 6);
        ck_assert_uint_eq(a->src, first);
        ck_assert_uint_eq(b->src, second);
        ck_assert_int_eq(payload_value(a->payload), 1);
        env_free(&e);
    }
}
END_TEST

/* ---- probes --------------------------------------------------------------- */

START_TEST(test_probe)
{
    NicConfig c = base_cfg();
    c.router[1] = hop_router[2];
    Env e;
    env_init(&e, &c);
    nic_send(e.nic, 1, 0, 4, 0, 100, false, pay(1), 0);  /* arrives 42 */
    NicEnvelope env;
    memset(&env, 0xee, sizeof env);
    ck_assert(nic_probe(e.nic, 0, 1, 4, 0, 42, &env));
    ck_assert_uint_eq(env.src, 1);
    ck_assert_uint_eq(env.tag, 4);
    ck_assert_uint_eq(env.bytes, 100);
    ck_assert_uint_eq(env.arrive, 42);
    /* Not arrived by 41: false, and the envelope is left alone. */
    NicEnvelope keep = {99, 99, 99, 99};
    ck_assert(!nic_probe(e.nic, 0, 1, 4, 0, 41, &keep));
    ck_assert_uint_eq(keep.src, 99);
    ck_assert_uint_eq(keep.arrive, 99);
    ck_assert(nic_probe(e.nic, 0, 1, 4, 0, UINT64_MAX, NULL));
    ck_assert(nic_probe(e.nic, 0, NIC_ANY, 4, 0, UINT64_MAX, NULL));
    ck_assert(nic_probe(e.nic, 0, 1, NIC_ANY, 0, UINT64_MAX, NULL));
    ck_assert(!nic_probe(e.nic, 0, 2, 4, 0, UINT64_MAX, NULL));
    ck_assert(!nic_probe(e.nic, 0, 1, 5, 0, UINT64_MAX, NULL));
    ck_assert(!nic_probe(e.nic, 0, 1, 4, 1, UINT64_MAX, NULL));
    ck_assert(!nic_probe(e.nic, 1, 1, 4, 0, UINT64_MAX, NULL));
    /* Probing removes nothing. */
    ck_assert(nic_probe(e.nic, 0, 1, 4, 0, UINT64_MAX, &env));
    ck_assert_uint_eq(nic_queued(e.nic), 1);
    ck_assert_int_eq(e.n, 0);
    NicReq *r = nic_recv(e.nic, 0, 1, 4, 0, 100, 0, 50);
    ck_assert(r->matched);
    ck_assert_uint_eq(r->done, 50 + OR);
    ck_assert(!nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, 0, UINT64_MAX, NULL));
    /* A message already matched by a posted receive is not probed. */
    nic_recv(e.nic, 0, 1, 4, 0, 100, 0, 60);
    nic_send(e.nic, 1, 0, 4, 0, 8, false, pay(2), 60);
    ck_assert(!nic_probe(e.nic, 0, NIC_ANY, NIC_ANY, 0, UINT64_MAX, NULL));
    env_free(&e);
}
END_TEST

/* ---- the interface: gap, busy, contention --------------------------------- */

START_TEST(test_gap_between_starts)
{
    NicConfig c = base_cfg();
    c.gap = 50;
    Env e;
    env_init(&e, &c);
    NicReq *r1 = nic_recv(e.nic, 0, 1, 0, 0, 8, 0, 0);
    NicReq *r2 = nic_recv(e.nic, 0, 1, 0, 0, 8, 0, 0);
    NicReq *r3 = nic_recv(e.nic, 0, 1, 0, 0, 8, 0, 0);
    NicReq *s1 = nic_send(e.nic, 1, 0, 0, 0, 0, false, pay(1), 0);
    NicReq *s2 = nic_send(e.nic, 1, 0, 0, 0, 0, false, pay(2), 0);
    /* The first starts at 10, the second at 10 + 50. */
    ck_assert_uint_eq(r1->done, 10 + 4 + OR);
    ck_assert_uint_eq(r2->done, 60 + 4 + OR);
    ck_assert_uint_eq(r2->arrived - r1->arrived, 50);
    /* The CPU's part is not held up: both sends complete at t + o_send. */
    ck_assert_uint_eq(s1->done, OS);
    ck_assert_uint_eq(s2->done, OS);
    /* Long after: no wait. */
    nic_send(e.nic, 1, 0, 0, 0, 0, false, pay(3), 200);
    ck_assert_uint_eq(r3->done, 210 + 4 + OR);
    /* Sends to other ranks count too: 300 starts at 310, the next at
     * 360 even though it goes elsewhere. */
    NicReq *r4 = nic_recv(e.nic, 2, 1, 0, 0, 8, 0, 0);
    NicReq *r5 = nic_recv(e.nic, 0, 1, 0, 0, 8, 0, 0);
    nic_send(e.nic, 1, 2, 0, 0, 0, false, pay(4), 300);
    nic_send(e.nic, 1, 0, 0, 0, 0, false, pay(5), 320);
    /* Rank 1 (router 6) to rank 2 (router 4): 6->5->4, 10 cycles. */
    ck_assert_uint_eq(r4->done, 310 + 10 + OR);
    ck_assert_uint_eq(r5->done, 360 + 4 + OR);
    env_free(&e);
}
END_TEST

/* Back to back, the second waits for the first's packets to leave. */
START_TEST(test_interface_busy)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *r1 = nic_recv(e.nic, 0, 1, 0, 0, 64, 0, 0);
    NicReq *r2 = nic_recv(e.nic, 0, 1, 0, 0, 64, 0, 0);
    nic_send(e.nic, 1, 0, 0, 0, 64, false, pay(1), 0);
    nic_send(e.nic, 1, 0, 0, 0, 64, false, pay(2), 0);
    /* 10..19 the first; the second from 19 (> 10 + gap). */
    ck_assert_uint_eq(r1->done, 10 + 12 + OR);
    ck_assert_uint_eq(r2->done, 19 + 12 + OR);
    env_free(&e);
}
END_TEST

/* Rank 1 (router 4) and rank 2 (router 5) to rank 0 (router 6): both use
 * link 5->6.  Rank 1's packet holds it over [24, 33); rank 2's, ready at
 * 24, enters at 33 and arrives at 45 instead of 36. */
START_TEST(test_contention_shared_link)
{
    NicConfig c = base_cfg();
    c.router[0] = 6;
    c.router[1] = 4;
    c.router[2] = 5;
    Env e;
    env_init(&e, &c);
    NicReq *r1 = nic_recv(e.nic, 0, 1, 0, 0, 64, 0, 0);
    NicReq *r2 = nic_recv(e.nic, 0, 2, 0, 0, 64, 0, 0);
    nic_send(e.nic, 1, 0, 0, 0, 64, false, pay(1), 0);
    nic_send(e.nic, 2, 0, 0, 0, 64, false, pay(2), 14);
    ck_assert_uint_eq(r1->done, 10 + 26 + OR);
    uint64_t idle = 14 + OS + nic_wire_cycles(&c, 64, 1, LL, RL) + OR;
    ck_assert_uint_eq(idle, 14 + OS + 12 + OR);
    ck_assert_uint_gt(r2->done, idle);
    ck_assert_uint_eq(r2->done, 45 + OR);
    env_free(&e);
}
END_TEST

/* Interface-to-interface traffic queues behind coherence packets. */
START_TEST(test_contention_coherence)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    /* A 40-byte coherence packet on 6->5 over [10, 15). */
    ck_assert_uint_eq(noc_send(e.noc, 6, 5, 40, 10), 18);
    NicReq *r = nic_recv(e.nic, 0, 1, 0, 0, 64, 0, 0);
    nic_send(e.nic, 1, 0, 0, 0, 0, false, pay(1), 0);
    /* Ready at 10: enters at 15, arrives at 15 + 3 + 1. */
    ck_assert_uint_eq(r->done, 19 + OR);
    env_free(&e);
}
END_TEST

/* ---- requests --------------------------------------------------------------- */

START_TEST(test_req_ids)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *a = nic_recv(e.nic, 0, 1, 1, 0, 8, 0, 0);
    NicReq *b = nic_recv(e.nic, 0, 1, 2, 0, 8, 0, 0);
    NicReq *s = nic_send(e.nic, 1, 0, 2, 0, 8, false, pay(1), 0);
    NicReq *d = nic_send(e.nic, 0, 2, 0, 0, 8, false, pay(2), 0);
    NicReq *t = nic_send(e.nic, 1, 3, 0, 0, 8, false, pay(3), 0);
    ck_assert_uint_eq(a->id, 1);
    ck_assert_uint_eq(b->id, 2);
    ck_assert_uint_eq(d->id, 3);
    ck_assert_uint_eq(s->id, 1);      /* rank 1's own count */
    ck_assert_uint_eq(t->id, 2);
    ck_assert_uint_eq(a->rank, 0);
    ck_assert_uint_eq(s->rank, 1);
    ck_assert_ptr_eq(nic_req(e.nic, 0, 1), a);
    ck_assert_ptr_eq(nic_req(e.nic, 0, 2), b);
    ck_assert_ptr_eq(nic_req(e.nic, 0, 3), d);
    ck_assert_ptr_eq(nic_req(e.nic, 1, 1), s);
    ck_assert_ptr_eq(nic_req(e.nic, 1, 2), t);
    ck_assert_ptr_null(nic_req(e.nic, 0, 0));
    ck_assert_ptr_null(nic_req(e.nic, 0, 4));
    ck_assert_ptr_null(nic_req(e.nic, 2, 1));
    ck_assert_ptr_null(nic_req(e.nic, 99, 1));
    /* Freed: gone, and its id is not given again. */
    nic_req_free(e.nic, b);
    ck_assert_ptr_null(nic_req(e.nic, 0, 2));
    ck_assert_ptr_eq(nic_req(e.nic, 0, 1), a);
    ck_assert_ptr_eq(nic_req(e.nic, 0, 3), d);
    NicReq *g = nic_recv(e.nic, 0, 3, 0, 0, 8, 0, 0);
    ck_assert_uint_eq(g->id, 4);
    ck_assert_ptr_eq(nic_req(e.nic, 0, 4), g);
    /* Many: unique and positive. */
    uint32_t last = 4;
    for (int i = 0; i < 200; i++) {
        NicReq *q = nic_send(e.nic, 0, 3, 9, 0, 0, false, pay(0), 0);
        ck_assert_uint_gt(q->id, last);
        last = q->id;
        ck_assert_ptr_eq(nic_req(e.nic, 0, q->id), q);
        nic_req_free(e.nic, q);   /* eager: complete */
    }
    env_free(&e);
}
END_TEST

/* nic_reqs: the rank's live requests, oldest first; unmatched ones are
 * all there, and nic_req_free takes one out. */
START_TEST(test_reqs_list)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *a = nic_recv(e.nic, 0, 1, 1, 0, 8, 0, 0);
    NicReq *b = nic_recv(e.nic, 0, 1, 2, 0, 8, 0, 0);
    NicReq *d = nic_recv(e.nic, 0, 1, 3, 0, 8, 0, 0);
    NicReq *s = nic_send(e.nic, 0, 1, 0, 0, 1000, false, pay(1), 0);
    ck_assert_ptr_eq(nic_reqs(e.nic, 0), a);
    ck_assert_ptr_eq(a->next, b);
    ck_assert_ptr_eq(b->next, d);
    ck_assert_ptr_eq(d->next, s);
    ck_assert_ptr_null(s->next);
    ck_assert_ptr_null(nic_reqs(e.nic, 1));
    /* b matched: every unmatched one is still listed, in order. */
    nic_send(e.nic, 1, 0, 2, 0, 8, false, pay(2), 0);
    ck_assert(b->matched);
    NicReq *want[] = {a, d, s};
    int k = 0;
    for (NicReq *q = nic_reqs(e.nic, 0); q; q = q->next) {
        if (q->matched)
            continue;
        ck_assert_int_lt(k, 3);
        ck_assert_ptr_eq(q, want[k]);
        k++;
    }
    ck_assert_int_eq(k, 3);
    /* Freed, b is not listed at all. */
    nic_req_free(e.nic, b);
    ck_assert_ptr_eq(nic_reqs(e.nic, 0), a);
    ck_assert_ptr_eq(a->next, d);
    ck_assert_ptr_eq(d->next, s);
    /* Freeing the head (once complete: an unmatched receive is still in
     * the posted queue). */
    nic_send(e.nic, 1, 0, 1, 0, 8, false, pay(4), 0);
    ck_assert(a->matched);
    nic_req_free(e.nic, a);
    ck_assert_ptr_eq(nic_reqs(e.nic, 0), d);
    NicReq *r = nic_recv(e.nic, 0, 1, 3, 0, 8, 0, 0);   /* newest */
    ck_assert_ptr_eq(s->next, r);
    nic_send(e.nic, 1, 0, 3, 0, 8, false, pay(3), 0);  /* matches d */
    ck_assert(d->matched && !r->matched);
    nic_req_free(e.nic, d);
    ck_assert_ptr_eq(nic_reqs(e.nic, 0), s);
    ck_assert_ptr_eq(s->next, r);
    ck_assert_ptr_null(r->next);
    env_free(&e);
}
END_TEST

/* ---- statistics --------------------------------------------------------------- */

/* One eager (100 B), one rendezvous (300 B) from rank 1 and a synchronous
 * empty one from rank 2 (router 4), well apart, each pre-posted. */
START_TEST(test_stats)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    NicReq *r1 = nic_recv(e.nic, 0, 1, 0, 0, 100, 0, 0);
    nic_send(e.nic, 1, 0, 0, 0, 100, false, pay(1), 0);
    /* 72 B (9) + 44 B (6): arrives 10 + 18. */
    ck_assert_uint_eq(r1->done, 28 + OR);
    NicReq *r2 = nic_recv(e.nic, 0, 1, 0, 0, 300, 0, 1000);
    NicReq *s2 = nic_send(e.nic, 1, 0, 0, 0, 300, false, pay(2), 1000);
    /* RTS 1010 -> 1014, CTS -> 1018, data 4 x 9 + 7 cycles. */
    ck_assert_uint_eq(s2->done, 1018 + 43);
    ck_assert_uint_eq(r2->done, 1018 + 36 + 3 + 7 + OR);
    NicReq *r3 = nic_recv(e.nic, 0, 2, 0, 0, 0, 0, 2000);
    NicReq *s3 = nic_send(e.nic, 2, 0, 0, 0, 0, true, pay(3), 2000);
    ck_assert_uint_eq(s3->done, 2019);
    ck_assert_uint_eq(r3->done, 2022 + OR);

    const NicStats *a = nic_stats(e.nic, 1);
    ck_assert_uint_eq(a->msgs_sent, 2);
    ck_assert_uint_eq(a->bytes_sent, 400);
    ck_assert_uint_eq(a->eager, 1);
    ck_assert_uint_eq(a->rendezvous, 1);
    ck_assert_uint_eq(a->packets, 2 + 1 + 5);
    ck_assert_uint_eq(a->msgs_recv, 0);
    ck_assert_uint_eq(a->bytes_recv, 0);
    const NicStats *b = nic_stats(e.nic, 2);
    ck_assert_uint_eq(b->msgs_sent, 1);
    ck_assert_uint_eq(b->bytes_sent, 0);
    ck_assert_uint_eq(b->eager, 0);
    ck_assert_uint_eq(b->rendezvous, 1);
    ck_assert_uint_eq(b->packets, 2);
    const NicStats *d = nic_stats(e.nic, 0);
    ck_assert_uint_eq(d->msgs_recv, 3);
    ck_assert_uint_eq(d->bytes_recv, 400);
    ck_assert_uint_eq(d->msgs_sent, 0);
    ck_assert_uint_eq(d->packets, 2);                  /* two CTS */
    ck_assert_uint_eq(d->latency_min, 29);
    ck_assert_uint_eq(d->latency_max, 71);
    ck_assert_uint_eq(d->latency_total, 35 + 71 + 29);
    ck_assert_uint_eq(d->unexpected, 0);
    ck_assert_uint_eq(d->unexpected_peak, 0);
    ck_assert_uint_eq(d->posted_peak, 1);
    const NicStats *z = nic_stats(e.nic, 3);
    ck_assert_uint_eq(z->msgs_sent + z->msgs_recv + z->packets, 0);
    env_free(&e);
}
END_TEST

START_TEST(test_stats_queues)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    nic_send(e.nic, 1, 0, 1, 0, 8, false, pay(1), 0);
    nic_send(e.nic, 1, 0, 2, 0, 8, false, pay(2), 0);
    nic_send(e.nic, 2, 0, 3, 0, 600, false, pay(3), 0);
    ck_assert_uint_eq(nic_queued(e.nic), 3);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 3);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected_peak, 3);
    nic_recv(e.nic, 0, 1, 2, 0, 8, 0, 100);
    nic_recv(e.nic, 0, 1, 1, 0, 8, 0, 100);
    ck_assert_uint_eq(nic_queued(e.nic), 1);
    nic_send(e.nic, 1, 0, 4, 0, 8, false, pay(4), 100);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 4);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected_peak, 3);
    nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 1000, 0, 200);
    nic_recv(e.nic, 0, NIC_ANY, NIC_ANY, 0, 1000, 0, 200);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    /* Posted: three waiting at most. */
    nic_recv(e.nic, 0, 3, 0, 0, 8, 0, 300);
    nic_recv(e.nic, 0, 3, 0, 0, 8, 0, 300);
    nic_recv(e.nic, 0, 3, 0, 0, 8, 0, 300);
    nic_send(e.nic, 3, 0, 0, 0, 8, false, pay(5), 300);
    nic_recv(e.nic, 0, 3, 0, 0, 8, 0, 300);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->posted_peak, 3);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->msgs_recv, 5);
    ck_assert_uint_eq(nic_stats(e.nic, 0)->unexpected, 4);
    ck_assert_uint_eq(nic_queued(e.nic), 0);
    env_free(&e);
}
END_TEST

/* Unmatched sends (their payloads), posted receives, matched requests
 * not yet freed: nic_free takes them all (run under a sanitizer). */
START_TEST(test_free_with_pending)
{
    NicConfig c = base_cfg();
    Env e;
    env_init(&e, &c);
    nic_send(e.nic, 1, 0, 1, 0, 8, false, pay(1), 0);
    nic_send(e.nic, 1, 0, 1, 0, 800, false, pay(2), 0);
    nic_send(e.nic, 2, 3, 1, 0, 0, true, pay(3), 0);
    nic_send(e.nic, 2, 3, 1, 0, 0, true, NULL, 0);
    nic_recv(e.nic, 3, 1, 9, 0, 8, 0, 0);
    nic_recv(e.nic, 3, NIC_ANY, 9, 0, 8, 0, 0);
    ck_assert_uint_eq(nic_queued(e.nic), 4);
    env_free(&e);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *nic_suite(void)
{
    Suite *s = suite_create("nic");
    TCase *tc = tcase_create("config");
    tcase_add_loop_test(tc, test_config_check, 0, N(configs));
    tcase_add_test(tc, test_config_check_names_field);
    tcase_add_test(tc, test_packet_names);
    tcase_add_test(tc, test_new_is_empty);
    suite_add_tcase(s, tc);

    tc = tcase_create("wire");
    tcase_add_loop_test(tc, test_model_wire_table, 0, N(base_wire));
    tcase_add_loop_test(tc, test_wire_cycles_table, 0, N(base_wire));
    tcase_add_loop_test(tc, test_wire_cycles_other, 0, N(other_wire));
    suite_add_tcase(s, tc);

    tc = tcase_create("eager");
    tcase_add_loop_test(tc, test_eager_preposted, 0, N(base_wire));
    tcase_add_test(tc, test_eager_preposted_sweep);
    tcase_add_test(tc, test_eager_unexpected_late_post);
    tcase_add_test(tc, test_eager_unexpected_early_post);
    tcase_add_test(tc, test_eager_same_router);
    tcase_add_test(tc, test_eager_no_header);
    tcase_add_test(tc, test_eager_threshold_boundary);
    suite_add_tcase(s, tc);

    tc = tcase_create("rendezvous");
    tcase_add_loop_test(tc, test_rdv_preposted, 0, N(rdv_cases));
    tcase_add_test(tc, test_rdv_preposted_by_hand);
    tcase_add_test(tc, test_rdv_late_post);
    tcase_add_test(tc, test_rdv_post_before_rts);
    tcase_add_test(tc, test_rdv_sync_waits);
    tcase_add_test(tc, test_rdv_cts_waits_for_receiver);
    suite_add_tcase(s, tc);

    tc = tcase_create("callback");
    tcase_add_test(tc, test_callback_once_per_match);
    tcase_add_test(tc, test_no_callback);
    suite_add_tcase(s, tc);

    tc = tcase_create("matching");
    tcase_add_test(tc, test_match_tag_wildcard);
    tcase_add_test(tc, test_match_source_wildcard);
    tcase_add_test(tc, test_match_wrong_source_waits);
    tcase_add_test(tc, test_match_context);
    tcase_add_test(tc, test_match_posted_order);
    tcase_add_test(tc, test_nonovertaking);
    tcase_add_test(tc, test_nonovertaking_any_source);
    tcase_add_test(tc, test_nonovertaking_other_tag);
    tcase_add_test(tc, test_nonovertaking_with_other_source);
    tcase_add_test(tc, test_nonovertaking_rdv_then_eager);
    tcase_add_test(tc, test_any_earliest_arrival);
    tcase_add_test(tc, test_any_tie_sent_first);
    tcase_add_test(tc, test_probe);
    suite_add_tcase(s, tc);

    tc = tcase_create("interface");
    tcase_add_test(tc, test_gap_between_starts);
    tcase_add_test(tc, test_interface_busy);
    tcase_add_test(tc, test_contention_shared_link);
    tcase_add_test(tc, test_contention_coherence);
    suite_add_tcase(s, tc);

    tc = tcase_create("requests");
    tcase_add_test(tc, test_req_ids);
    tcase_add_test(tc, test_reqs_list);
    suite_add_tcase(s, tc);

    tc = tcase_create("stats");
    tcase_add_test(tc, test_stats);
    tcase_add_test(tc, test_stats_queues);
    tcase_add_test(tc, test_free_with_pending);
    suite_add_tcase(s, tc);
    return s;
}
