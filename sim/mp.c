/* mp.c — message passing: the ranks' services (PARSIM_FN_MP_* in
 * parsim_ecall.h) on the network interfaces of models/nic.h.
 *
 * The interfaces time and match; this file owns what they carry: a
 * send's bytes are copied out of the sender's memory when it is posted,
 * and into the receiver's when the receive is matched.  A hart that waits
 * for a request (or probes for a message that has not come) blocks until
 * the match is known, and then its clock moves to the completion cycle.
 * A rank is the node's harts: one main hart runs main(), the others are
 * its threads.  Everything here runs under m->lock; the interconnect's
 * users are serialised by the hierarchy's lock as well.
 */
#include "sim/machine_priv.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15 };

/* ORDER MPI_CALL */
const char *const sim_mpi_call_names[PARSIM_MPI_CALL_COUNT] = {
    "parsim_mp", "MPI_Init", "MPI_Finalize", "MPI_Send", "MPI_Ssend",
    "MPI_Recv", "MPI_Sendrecv", "MPI_Isend", "MPI_Irecv", "MPI_Wait",
    "MPI_Waitall", "MPI_Test", "MPI_Probe", "MPI_Iprobe", "MPI_Barrier",
    "MPI_Bcast", "MPI_Reduce", "MPI_Allreduce", "MPI_Scatter", "MPI_Gather",
    "MPI_Allgather", "MPI_Alltoall", "MPI_Scan", "MPI_Abort",
    "MPI_Get_count",
};

static uint32_t nranks(const SimMachine *m)
{
    return m->nranks ? m->nranks : 1;
}

static void on_match(void *ctx, NicReq *recv, NicReq *send);

/* ---- set-up --------------------------------------------------------------------- */

bool sim_mp_init(SimMachine *m, char *err, size_t errlen)
{
    const SimConfig *c = &m->cfg;
    NicConfig nc;
    memset(&nc, 0, sizeof nc);
    nc.nodes = nranks(m);
    Noc *noc;
    if (m->memsys) {
        const MemSysConfig *mc = memsys_config(m->memsys);
        for (uint32_t i = 0; i < nc.nodes; i++)
            nc.router[i] = mc->node_router[m->nranks ? i : 0];
        nc.link_bytes_per_cycle = mc->noc.link_bytes_per_cycle;
        noc = memsys_shared_noc(m->memsys);
    } else {
        /* The flat memory model has no interconnect of its own: the
         * ranks get a mesh of one router each. */
        NocConfig k = {.topology = NOC_MESH, .routers = nc.nodes,
                       .link_latency = c->link_latency,
                       .router_latency = c->router_latency,
                       .link_bytes_per_cycle = c->link_bytes_per_cycle};
        for (k.width = 1; k.width * k.width < nc.nodes ||
                          nc.nodes % k.width; k.width++)
            ;
        char why[200];
        if (!noc_config_check(&k, why, sizeof why)) {
            snprintf(err, errlen, "noc: %s", why);
            return false;
        }
        m->own_noc = noc_new(&k);
        if (!m->own_noc) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        for (uint32_t i = 0; i < nc.nodes; i++)
            nc.router[i] = i;
        nc.link_bytes_per_cycle = c->link_bytes_per_cycle;
        noc = m->own_noc;
    }
    nc.o_send = c->mp_o_send;
    nc.o_recv = c->mp_o_recv;
    nc.gap = c->mp_gap;
    nc.eager_threshold = c->mp_eager;
    nc.packet_bytes = c->mp_packet;
    nc.header_bytes = c->mp_header;
    if (!nic_config_check(&nc, err, errlen))
        return false;
    /* Lookahead: no message reaches another node sooner than o_send plus
     * one link after its send is posted.  While no two harts share a
     * node, the scheduler lets each run half of that past the next one
     * (whatever run.granularity says): a test or probe then misses no
     * message that has arrived, unless one instruction of the sender
     * stalls longer than the other half.  Fast where the network is
     * slow, fine where it is quick. */
    if (m->nranks > 1 && c->cores_per_node == 1 && c->threads_per_core == 1)
        m->rank_granularity = (nc.o_send + c->link_latency + 1) / 2 + 1;
    m->noc = noc;
    m->rank_exited = calloc(nranks(m), sizeof *m->rank_exited);
    m->nic = nic_new(&nc, noc, on_match, m);
    if (!m->nic || !m->rank_exited) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    return true;
}

void sim_mp_free(SimMachine *m)
{
    if (m->nic) {
        for (uint32_t r = 0; r < nranks(m); r++)
            for (NicReq *q = nic_reqs(m->nic, r); q; q = q->next) {
                free(q->payload);
                q->payload = NULL;
            }
    }
    nic_free(m->nic);
    noc_free(m->own_noc);
    free(m->sites);
    free(m->rank_exited);
}

/* ---- where, and errors ---------------------------------------------------------- */

/* " at ring.c:12" (or " at pc 0x...") for the program's call in h. */
static void site_text(const SimMachine *m, const SimHart *h, char *buf,
                      size_t len)
{
    uint32_t at = h->mp_depth ? h->mp_site - 2 : h->isa.pc - 4;
    char loc[256];
    if (!sim_elf_file_line(m->prog, at, loc, sizeof loc))
        sim_elf_describe(m->prog, at, loc, sizeof loc);
    snprintf(buf, len, " at %s", loc);
}

static const char *call_name(const SimHart *h)
{
    return sim_mpi_call_names[h->mp_depth && h->mp_call < PARSIM_MPI_CALL_COUNT
                                  ? h->mp_call : PARSIM_MPI_OTHER];
}

/* End the run: "parsim: MPI error: rank 1 in MPI_Recv at t.c:14: why". */
static void fail(SimMachine *m, const SimHart *h, int status, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
static void fail(SimMachine *m, const SimHart *h, int status, const char *fmt,
                 ...)
{
    char why[400], at[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    site_text(m, h, at, sizeof at);
    sim_semihost_flush(&m->sh);
    sim_report_begin(m);
    fprintf(stderr, "parsim: MPI error: rank %u in %s%s: %s\n", h->rank,
            call_name(h), at, why);
    if (m->end_status < 0)
        m->end_status = status;
}

/* A guest buffer of the hart's rank, or NULL (then the run ends). */
static uint8_t *buffer(SimMachine *m, SimHart *h, uint32_t addr,
                       uint32_t bytes, const char *what)
{
    if (bytes == 0)
        return (uint8_t *)"";
    uint8_t *p = isa_mem_ptr(sim_hart_mem(h), addr, bytes);
    if (!p)
        fail(m, h, SIM_EXIT_GUEST_FAULT, "the %s buffer 0x%08x (%u bytes) is "
             "outside the rank's memory", what, addr, bytes);
    return p;
}

/* ---- blocking and completion ---------------------------------------------------- */

/* Move h's clock to `at`: the cycles up to it were a wait (of the kind),
 * but for the last `ovh` of them, which the CPU spent receiving. */
static void advance(SimHart *h, uint64_t at, uint64_t ovh, bool late_sender)
{
    if (at <= h->isa.cycle)
        return;
    uint64_t gap = at - h->isa.cycle;
    uint64_t o = gap < ovh ? gap : ovh;
    h->st.mp_overhead += o;
    if (late_sender)
        h->st.mp_late_sender += gap - o;
    else
        h->st.mp_late_receiver += gap - o;
    h->isa.cycle = at;
}

static void put_status(SimMachine *m, SimHart *h, uint32_t addr, uint32_t src,
                       uint32_t tag, uint32_t bytes)
{
    if (!addr)
        return;
    uint8_t *p = (addr & 3) ? NULL : isa_mem_ptr(sim_hart_mem(h), addr, 16);
    if (!p) {
        fail(m, h, SIM_EXIT_GUEST_FAULT, "the status 0x%08x is outside the "
             "rank's memory or not aligned", addr);
        return;
    }
    uint32_t w[4] = {src, tag, bytes, 0};
    for (int i = 0; i < 4; i++)
        __atomic_store_n((uint32_t *)(void *)(p + 4 * i), w[i],
                         __ATOMIC_RELAXED);
    isa_mem_wrote(sim_hart_mem(h), addr, 16);
}

/* Request r of hart h is matched: move h to its completion, write the
 * status, forget the request; a0 = OK, a1 = 1 (for TEST). */
static void finish(SimMachine *m, SimHart *h, NicReq *r)
{
    const NicConfig *nc = nic_config(m->nic);
    bool recv = r->kind == NIC_RECV;
    /* The CPU's part of a receive (o_recv) is paid when the CPU does it:
     * at the match, or later when the hart comes to wait or test. */
    uint64_t at = r->done;
    if (recv && h->isa.cycle + nc->o_recv > at)
        at = h->isa.cycle + nc->o_recv;
    advance(h, at, recv ? nc->o_recv : 0, recv);
    if (recv && r->got > r->bytes)
        fail(m, h, SIM_EXIT_GUEST_FAULT, "message truncated: %u bytes from "
             "rank %u (tag %u) into a receive of %u bytes", r->got, r->src,
             r->src_tag, r->bytes);
    if (recv && sim_ev_on(&m->ev, SIM_EV_MP_RECV))
        sim_ev_push(&m->ev, &(SimEvent){
            .cycle = h->isa.cycle, .end = h->isa.cycle, .hart = h->isa.hartid,
            .src = (uint16_t)r->src, .dst = (uint16_t)r->rank, .addr = r->got,
            .id = (uint32_t)r->msg, .kind = SIM_EV_MP_RECV});
    if (recv)
        put_status(m, h, h->mp_status, r->src, r->src_tag, r->got);
    else
        put_status(m, h, h->mp_status, r->peer, r->tag, r->bytes);
    free(r->payload);
    nic_req_free(m->nic, r);
    h->isa.x[A0] = PARSIM_OK;
    h->isa.x[A1] = 1;
}

static void block(SimMachine *m, SimHart *h, uint32_t req)
{
    h->mp_req = req;
    h->wait_since = h->isa.cycle;
    sim_hart_event(m, h, h->isa.cycle, SIM_EVH_BLOCKED, 0);
    (void)sim_hart_stop_running(h, SIM_HART_MPWAIT);
}

static void unblock(SimMachine *m, SimHart *h)
{
    sim_hart_event(m, h, h->isa.cycle, SIM_EVH_RUNNING, 0);
    sim_hart_runnable(m, h);
}

/* The hart of `rank` blocked on request id, or NULL. */
static SimHart *waiter(SimMachine *m, uint32_t rank, uint32_t id)
{
    for (uint32_t i = 0; i < m->nharts; i++) {
        SimHart *h = &m->harts[i];
        if (h->rank == rank && h->mp_req == id &&
            __atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == SIM_HART_MPWAIT)
            return h;
    }
    return NULL;
}

/* The interface matched recv with a message (send: its rendezvous
 * request, or NULL): the bytes go into the receiver's memory now (the
 * program may not look before the receive completes), and whoever waits
 * for either request goes on at its completion. */
static void on_match(void *ctx, NicReq *recv, NicReq *send)
{
    SimMachine *m = ctx;
    IsaMem *mem = recv->rank == 0 || !m->nranks ? &m->mem
                                                 : &m->rank_mem[recv->rank - 1];
    uint32_t n = recv->got < recv->bytes ? recv->got : recv->bytes;
    uint8_t *dst = n ? isa_mem_ptr(mem, recv->buf, n) : NULL;
    const uint8_t *src = recv->payload;
    for (uint32_t i = 0; dst && src && i < n; i++)
        __atomic_store_n(dst + i, src[i], __ATOMIC_RELAXED);
    if (dst && src)     /* a device's write: it kills reservations on it */
        isa_mem_wrote(mem, recv->buf, n);
    free(recv->payload);
    recv->payload = NULL;
    SimHart *h = waiter(m, recv->rank, recv->id);
    if (h) {
        finish(m, h, recv);
        unblock(m, h);
    }
    if (send && (h = waiter(m, send->rank, send->id)) != NULL) {
        finish(m, h, send);
        unblock(m, h);
    }
}

/* A message went to `rank`: a hart of it blocked in a probe that it
 * matches goes on at its arrival. */
static void wake_probers(SimMachine *m, uint32_t rank)
{
    for (uint32_t i = 0; i < m->nharts; i++) {
        SimHart *h = &m->harts[i];
        if (h->rank != rank || h->mp_req != 0 ||
            __atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != SIM_HART_MPWAIT)
            continue;
        NicEnvelope e;
        if (!nic_probe(m->nic, rank, h->mp_probe[0], h->mp_probe[1],
                       h->mp_probe[2], UINT64_MAX, &e))
            continue;
        advance(h, e.arrive, 0, true);
        put_status(m, h, h->mp_probe[3], e.src, e.tag, e.bytes);
        h->isa.x[A0] = PARSIM_OK;
        h->isa.x[A1] = 1;
        unblock(m, h);
    }
}

/* ---- the services ------------------------------------------------------------ */

static bool check_rank(SimMachine *m, SimHart *h, uint32_t r, bool any,
                       const char *what)
{
    if (r < nranks(m) || (any && r == PARSIM_MP_ANY))
        return true;
    fail(m, h, SIM_EXIT_GUEST_FAULT, "invalid %s rank %d (%u ranks)", what,
         (int)r, nranks(m));
    return false;
}

static void isend(SimMachine *m, SimHart *h)
{
    uint32_t buf = h->isa.x[A0], bytes = h->isa.x[A1], dst = h->isa.x[A2];
    uint32_t tag = h->isa.x[A3], ctx = h->isa.x[A4], flags = h->isa.x[A5];
    if (!check_rank(m, h, dst, false, "destination"))
        return;
    const uint8_t *p = buffer(m, h, buf, bytes, "send");
    if (!p)
        return;
    uint8_t *copy = malloc(bytes ? bytes : 1);
    if (!copy) {
        fail(m, h, SIM_EXIT_GUEST_FAULT, "out of host memory for a %u-byte "
             "message", bytes);
        return;
    }
    for (uint32_t i = 0; i < bytes; i++)
        copy[i] = __atomic_load_n(p + i, __ATOMIC_RELAXED);
    if (m->memsys)
        memsys_lock(m->memsys);
    noc_event_cause(m->noc, h->isa.hartid, buf);
    NicReq *r = nic_send(m->nic, h->rank, dst, tag, ctx, bytes,
                         (flags & PARSIM_MP_SYNC) != 0, copy, h->isa.cycle);
    if (m->memsys)
        memsys_unlock(m->memsys);
    if (!r) {
        free(copy);
        fail(m, h, SIM_EXIT_GUEST_FAULT, "out of host memory for a message");
        return;
    }
    uint32_t id = r->id;        /* (the caller is not waiting: r stays) */
    if (sim_ev_on(&m->ev, SIM_EV_MP_SEND))
        sim_ev_push(&m->ev, &(SimEvent){
            .cycle = h->isa.cycle, .end = r->reach, .hart = h->isa.hartid,
            .src = (uint16_t)h->rank, .dst = (uint16_t)dst, .addr = bytes,
            .id = (uint32_t)r->msg, .what = r->rendezvous,
            .result = (uint8_t)tag, .kind = SIM_EV_MP_SEND});
    h->isa.cycle += nic_config(m->nic)->o_send;
    h->st.mp_overhead += nic_config(m->nic)->o_send;
    wake_probers(m, dst);
    h->isa.x[A0] = PARSIM_OK;
    h->isa.x[A1] = id;
}

static void irecv(SimMachine *m, SimHart *h)
{
    uint32_t buf = h->isa.x[A0], bytes = h->isa.x[A1], src = h->isa.x[A2];
    uint32_t tag = h->isa.x[A3], ctx = h->isa.x[A4];
    if (!check_rank(m, h, src, true, "source") ||
        !buffer(m, h, buf, bytes, "receive"))
        return;
    if (m->memsys)
        memsys_lock(m->memsys);
    noc_event_cause(m->noc, h->isa.hartid, buf);
    NicReq *r = nic_recv(m->nic, h->rank, src, tag, ctx, bytes, buf,
                         h->isa.cycle);
    if (m->memsys)
        memsys_unlock(m->memsys);
    if (!r) {
        fail(m, h, SIM_EXIT_GUEST_FAULT, "out of host memory for a receive");
        return;
    }
    h->isa.x[A0] = PARSIM_OK;
    h->isa.x[A1] = r->id;
}

static NicReq *request(SimMachine *m, SimHart *h, uint32_t id)
{
    NicReq *r = nic_req(m->nic, h->rank, id);
    if (!r)
        fail(m, h, SIM_EXIT_GUEST_FAULT, "request %u is not one of this "
             "rank's (completed already, or never posted)", id);
    return r;
}

static void wait_req(SimMachine *m, SimHart *h)
{
    NicReq *r = request(m, h, h->isa.x[A0]);
    if (!r)
        return;
    h->mp_status = h->isa.x[A1];
    if (!r->matched) {
        block(m, h, r->id);
    } else if (r->done > h->isa.cycle) {
        /* Known, but later: blocked until then, as the views show it. */
        sim_hart_event(m, h, h->isa.cycle, SIM_EVH_BLOCKED, 0);
        finish(m, h, r);
        sim_hart_event(m, h, h->isa.cycle, SIM_EVH_RUNNING, 0);
    } else {
        finish(m, h, r);
    }
}

static void test_req(SimMachine *m, SimHart *h)
{
    uint32_t status = h->isa.x[A1];
    NicReq *r = request(m, h, h->isa.x[A0]);
    if (!r)
        return;
    h->isa.x[A0] = PARSIM_OK;
    h->isa.x[A1] = 0;
    /* Complete once the data is there (a receive then pays o_recv). */
    uint64_t ready = r->kind == NIC_RECV ? r->done - nic_config(m->nic)->o_recv
                                         : r->done;
    if (r->matched && ready <= h->isa.cycle) {
        h->mp_status = status;
        finish(m, h, r);
    }
}

static void probe(SimMachine *m, SimHart *h)
{
    uint32_t src = h->isa.x[A0], tag = h->isa.x[A1], ctx = h->isa.x[A2];
    uint32_t status = h->isa.x[A3], blocking = h->isa.x[A4];
    if (!check_rank(m, h, src, true, "source"))
        return;
    NicEnvelope e;
    h->isa.x[A0] = PARSIM_OK;
    if (nic_probe(m->nic, h->rank, src, tag, ctx,
                  blocking ? UINT64_MAX : h->isa.cycle, &e)) {
        if (e.arrive > h->isa.cycle) {
            sim_hart_event(m, h, h->isa.cycle, SIM_EVH_BLOCKED, 0);
            advance(h, e.arrive, 0, true);
            sim_hart_event(m, h, h->isa.cycle, SIM_EVH_RUNNING, 0);
        }
        put_status(m, h, status, e.src, e.tag, e.bytes);
        h->isa.x[A1] = 1;
        return;
    }
    h->isa.x[A1] = 0;
    if (!blocking)
        return;
    h->mp_probe[0] = src;
    h->mp_probe[1] = tag;
    h->mp_probe[2] = ctx;
    h->mp_probe[3] = status;
    block(m, h, 0);
}

static void note(SimMachine *m, SimHart *h)
{
    uint32_t what = h->isa.x[A0], call = h->isa.x[A1], site = h->isa.x[A2];
    h->isa.x[A0] = PARSIM_OK;
    if (what <= PARSIM_MP_LEAVE && sim_ev_on(&m->ev, SIM_EV_MP_CALL))
        sim_ev_push(&m->ev, &(SimEvent){
            .cycle = h->isa.cycle, .end = h->isa.cycle, .hart = h->isa.hartid,
            .addr = site, .what = (uint8_t)what,
            .result = (uint8_t)(call < PARSIM_MPI_CALL_COUNT ? call : 0),
            .kind = SIM_EV_MP_CALL});
    if (what == PARSIM_MP_ENTER) {
        if (h->mp_depth++ == 0) {
            h->mp_call = (uint8_t)(call < PARSIM_MPI_CALL_COUNT ? call : 0);
            h->mp_site = site;
            h->mp_since = h->isa.cycle;
            h->mp_wait0 = h->st.mp_late_sender + h->st.mp_late_receiver;
        }
        return;
    }
    if (what != PARSIM_MP_LEAVE || h->mp_depth == 0 || --h->mp_depth)
        return;
    uint64_t time = h->isa.cycle - h->mp_since;
    uint64_t wait = h->st.mp_late_sender + h->st.mp_late_receiver -
                    h->mp_wait0;
    h->st.mp_time += time;
    if (h->mp_call == PARSIM_MPI_OTHER)     /* MPI_Comm_rank, MPI_Wtime... */
        return;
    SimMpSite *s = NULL;
    for (size_t i = 0; i < m->nsites && !s; i++)
        if (m->sites[i].rank == h->rank && m->sites[i].site == h->mp_site &&
            m->sites[i].call == h->mp_call)
            s = &m->sites[i];
    if (!s) {
        if (m->nsites == m->sites_cap) {
            size_t cap = m->sites_cap ? 2 * m->sites_cap : 32;
            SimMpSite *n = realloc(m->sites, cap * sizeof *n);
            if (!n)
                return;
            m->sites = n;
            m->sites_cap = cap;
        }
        s = &m->sites[m->nsites++];
        *s = (SimMpSite){.rank = h->rank, .site = h->mp_site,
                         .call = h->mp_call};
    }
    s->calls++;
    s->time += time;
    s->wait += wait;
}

static void info(SimMachine *m, SimHart *h)
{
    uint32_t item = h->isa.x[A0];
    h->isa.x[A0] = PARSIM_OK;
    h->isa.x[A2] = 0;
    switch (item) {
    case PARSIM_MP_INFO_RANK:
        h->isa.x[A1] = h->rank;
        h->isa.x[A2] = nranks(m);
        break;
    case PARSIM_MP_INFO_CLOCK:
        h->isa.x[A1] = (uint32_t)m->cfg.clock_hz;
        h->isa.x[A2] = (uint32_t)(m->cfg.clock_hz >> 32);
        break;
    case PARSIM_MP_INFO_ALLREDUCE:
        h->isa.x[A1] = m->cfg.mp_allreduce;
        break;
    case PARSIM_MP_INFO_ALLTOALL:
        h->isa.x[A1] = m->cfg.mp_alltoall;
        break;
    case PARSIM_MP_INFO_EAGER:
        h->isa.x[A1] = m->cfg.mp_eager;
        break;
    default:
        h->isa.x[A0] = (uint32_t)PARSIM_ERR_INVALID_PARAM;
    }
}

static void error_call(SimMachine *m, SimHart *h)
{
    /* The program's words on parsim's stderr: a control byte (an escape
     * sequence) is shown as \xNN, never sent to the terminal. */
    char msg[4 * 200 + 1];
    IsaMem *mem = sim_hart_mem(h);
    uint32_t a = h->isa.x[A0];
    size_t n = 0;
    for (uint32_t i = 0; i < 200; i++) {
        const uint8_t *p = isa_mem_ptr(mem, a + i, 1);
        if (!p || !*p)
            break;
        if (*p < 0x20 || *p == 0x7f)
            n += (size_t)snprintf(msg + n, sizeof msg - n, "\\x%02x", *p);
        else
            msg[n++] = (char)*p;
    }
    msg[n] = 0;
    fail(m, h, SIM_EXIT_GUEST_FAULT, "%s", n ? msg : "(no message)");
}

bool sim_mp_service(SimMachine *m, SimHart *h, uint32_t fn, char *err,
                    size_t errlen)
{
    switch (fn) {
    case PARSIM_FN_MP_INFO: info(m, h); break;
    case PARSIM_FN_MP_ISEND: isend(m, h); break;
    case PARSIM_FN_MP_IRECV: irecv(m, h); break;
    case PARSIM_FN_MP_WAIT: wait_req(m, h); break;
    case PARSIM_FN_MP_TEST: test_req(m, h); break;
    case PARSIM_FN_MP_PROBE: probe(m, h); break;
    case PARSIM_FN_MP_NOTE: note(m, h); break;
    case PARSIM_FN_MP_ERROR: error_call(m, h); break;
    case PARSIM_FN_MP_ABORT: {
        char at[300];
        int code = (int)h->isa.x[A0];
        /* An exit status has 8 bits; a non-zero code stays non-zero. */
        int status = code & 0xff ? code & 0xff : code ? 1 : 0;
        site_text(m, h, at, sizeof at);
        sim_semihost_flush(&m->sh);
        sim_report_begin(m);
        fprintf(stderr, "parsim: rank %u called MPI_Abort%s: exit status "
                "%d\n", h->rank, at, status);
        if (m->end_status < 0)
            m->end_status = status;
        break;
    }
    default:
        snprintf(err, errlen, "unknown parsim service %u (a6)", fn);
        return false;
    }
    return true;
}

/* ---- ranks ending, and reports ------------------------------------------------------ */

int sim_mp_rank_exit(SimMachine *m, SimHart *h, int status)
{
    /* A rank exits once; a hart of a rank that has exited may still be
     * finishing its slice on another host thread: only its state word is
     * touched (atomically), its clock and events are its own thread's. */
    if (m->rank_exited[h->rank])
        return -1;
    m->rank_exited[h->rank] = true;
    sim_hart_event(m, h, h->isa.cycle, SIM_EVH_HALTED, 0);
    for (uint32_t i = 0; i < m->nharts; i++)
        if (m->harts[i].rank == h->rank)
            __atomic_store_n(&m->harts[i].state, SIM_HART_EXITED,
                             __ATOMIC_RELEASE);
    if (status != 0 && m->rank_status == 0)
        m->rank_status = status;
    if (++m->ranks_exited < m->nranks)
        return -1;
    return m->rank_status;
}

void sim_mp_describe(const SimMachine *m, const SimHart *h, char *buf,
                     size_t len)
{
    char at[300], what[200] = "";
    site_text(m, h, at, sizeof at);
    int state = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE);
    if (state == SIM_HART_EXITED) {
        snprintf(buf, len, "has exited");
        return;
    }
    if (state != SIM_HART_MPWAIT) {
        snprintf(buf, len, "is not in a message-passing wait");
        return;
    }
    const char *call = call_name(h);
    bool p2p = h->mp_call >= PARSIM_MPI_SEND && h->mp_call <= PARSIM_MPI_IPROBE;
    char src[32], tag[32];
    if (h->mp_req == 0) {
        snprintf(src, sizeof src, h->mp_probe[0] == PARSIM_MP_ANY ? "any"
                 : "%u", h->mp_probe[0]);
        snprintf(tag, sizeof tag, h->mp_probe[1] == PARSIM_MP_ANY ? "any"
                 : "%u", h->mp_probe[1]);
        snprintf(what, sizeof what, "a probe for source %s, tag %s", src, tag);
    } else {
        const NicReq *r = nic_req(m->nic, h->rank, h->mp_req);
        if (r && r->kind == NIC_RECV) {
            snprintf(src, sizeof src, r->peer == NIC_ANY ? "any" : "%u",
                     r->peer);
            snprintf(tag, sizeof tag, r->tag == NIC_ANY ? "any" : "%u",
                     r->tag);
            snprintf(what, sizeof what, "%ssource %s, tag %s",
                     p2p ? "" : "a receive from ", src, tag);
        } else if (r) {
            snprintf(what, sizeof what, "%sdest %u, tag %u, %u bytes: "
                     "rendezvous, no matching receive",
                     p2p ? "" : "a send to ", r->peer, r->tag, r->bytes);
        }
    }
    snprintf(buf, len, p2p ? "waits in %s(%s)%s" : "waits in %s (%s)%s", call,
             what, at);
}
