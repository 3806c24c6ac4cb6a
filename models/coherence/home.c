/* home.c — a line's home node: where its page lives (placement), its LLC
 * slice and memory controller, the messages to and from it, and the
 * home's one-request-at-a-time rule for a line (its busy window). */
#include "models/coherence/engine.h"

/* ---- placement ------------------------------------------------------------ */

int memsys_home(const MemSys *m, uint32_t addr)
{
    uint32_t page = addr >> m->page_shift;
    switch (m->cfg.placement) {
    case PLACE_INTERLEAVED:
        /* A mask when it can be: a division is tens of cycles of a miss. */
        if (m->node_mask != UINT32_MAX)
            return (int)(page & m->node_mask);
        return (int)(page % m->cfg.nodes);
    case PLACE_BOUND:
        return (int)m->cfg.bound_node;
    case PLACE_PRIVATE:
        return (int)(addr >> m->cfg.private_shift);
    case PLACE_FIRST_TOUCH: {
        const DirEntry *e = coh_dir_find(&m->pages, page + 1);
        return e ? e->owner : -1;
    }
    }
    return 0;
}

uint32_t coh_home_of(MemSys *m, uint32_t addr, uint32_t core)
{
    if (m->cfg.placement != PLACE_FIRST_TOUCH)
        return (uint32_t)memsys_home(m, addr);
    /* The first core to touch a page makes its node the home. */
    DirEntry *e = coh_dir_get(&m->pages, (addr >> m->page_shift) + 1);
    if (!e) {
        snprintf(m->slice.error, sizeof m->slice.error,
                 "out of host memory for the page table (%zu pages)",
                 m->pages.used);
        return 0;
    }
    if (e->owner < 0)
        e->owner = (int16_t)(core / (m->cfg.cores / m->cfg.nodes));
    return (uint32_t)e->owner;
}

/* ---- messages ---------------------------------------------------------------- */

uint64_t coh_send(MemSys *m, CohMsg type, uint32_t from, uint32_t to,
                  uint32_t line, uint64_t t)
{
    m->msgs[type]++;
    m->log[m->log_next++ % COH_LOG] = (MsgLog){
        .at = t, .line = line, .from = (uint16_t)from, .to = (uint16_t)to,
        .type = (uint8_t)type};
    bool data = type == MSG_DATA || type == MSG_PUTX || type == MSG_WB;
    /* The interconnect publishes its MSG_SEND / MSG_RECV events. */
    return noc_send_tagged(m->noc, from, to,
                           data ? m->data_bytes : m->cfg.ctrl_bytes, t,
                           (uint8_t)type);
}

/* ---- the LLC slice and memory --------------------------------------------------- */

uint64_t coh_home_data(MemSys *m, uint32_t home, uint32_t line, uint64_t t)
{
    Node *n = &m->node[home];
    n->llcs.accesses++;
    t += m->cfg.llc_latency;
    if (cache_lookup(n->llc, line, true)) {
        n->llcs.hits++;
        missclass_hit(n->mc, line);
        return t;
    }
    n->llcs.misses[missclass_miss(n->mc, line)]++;
    uint64_t ready = memctl_access(&n->mem, t, m->cfg.l1d.line);
    CacheLine *v = cache_victim(n->llc, line);
    if (v->state && v->dirty) {
        n->llcs.writebacks++;
        memctl_access(&n->mem, ready, m->cfg.l1d.line);
    }
    cache_fill(n->llc, v, line, 1);
    return ready;
}

void coh_home_writeback(MemSys *m, uint32_t home, uint32_t line, uint64_t t)
{
    Node *n = &m->node[home];
    CacheLine *l = cache_lookup(n->llc, line, true);
    if (l) {
        missclass_hit(n->mc, line);
    } else {
        missclass_miss(n->mc, line);
        l = cache_victim(n->llc, line);
        if (l->state && l->dirty) {
            n->llcs.writebacks++;
            memctl_access(&n->mem, t, m->cfg.l1d.line);
        }
        cache_fill(n->llc, l, line, 1);
    }
    l->dirty = 1;
}

/* ---- one request at a time ------------------------------------------------------ */

uint64_t coh_home_take(MemSys *m, DirEntry *e, uint32_t home, uint32_t core,
                       CohMsg req, uint64_t t)
{
    if (t >= e->busy_until) {
        e->busy_from = t;
        return t;
    }
    /* Busy (DIR_B): the table says the request waits. */
    CohDirEvent dev = req == MSG_GETS ? DEV_GETS
                    : req == MSG_GETX ? DEV_GETX : DEV_UPGRADE;
    CohCell c = dir_cell(m, DIR_B, dev);
    if (c.next == COH_NONE || !(c.actions & DA_WAIT)) {
        coh_impossible(m, "a request at a busy home", e->line & ~1u, core,
                       DIR_B, 100 + dev);
        return e->busy_until;
    }
    Node *n = &m->node[home];
    if (m->cfg.nack && m->cfg.org == COH_DIRECTORY) {
        /* NACKed: the requester tries again when the NACK is back. */
        uint32_t me = core_router(m, core), hr = node_router(m, home);
        while (t < e->busy_until) {
            n->nacks++;
            uint64_t back = coh_send(m, MSG_NACK, hr, me, e->line & ~1u, t);
            t = coh_send(m, req, me, hr, e->line & ~1u, back + m->cfg.nack_retry);
        }
    } else {
        n->waits++;
        n->wait_cycles += e->busy_until - t;
        t = e->busy_until;
    }
    e->busy_from = t;
    return t;
}
