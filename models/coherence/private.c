/* private.c — each core's private caches: an L1 data cache and an
 * optional L2 inclusive of it, seen by the protocol as one copy of a line
 * (both levels hold the same state).  See engine.h for the pending
 * events: a message's effect on a copy when it arrives. */
#include "models/coherence/engine.h"

#include <stdlib.h>
#include <string.h>

uint8_t coh_private_state(const MemSys *m, uint32_t core, uint32_t line)
{
    const Core *k = &m->core[core];
    CacheLine *l = cache_lookup(k->l1, line, false);
    if (!l && k->l2)
        l = cache_lookup(k->l2, line, false);
    return l ? l->state : COH_I;
}

/* coh_set_private_state with the L1's copy already looked up (l: it, or
 * NULL when the L1 has none). */
static void set_state(MemSys *m, uint32_t core, uint32_t line, CacheLine *l,
                      uint8_t state)
{
    Core *k = &m->core[core];
    coh_filter_drop(m, core, line);
    if (l) {
        if (state == COH_I)
            cache_invalidate(k->l1, l);
        else
            l->state = state;
    }
    if (k->l2 && (l = cache_lookup(k->l2, line, false)) != NULL) {
        if (state == COH_I)
            cache_invalidate(k->l2, l);
        else
            l->state = state;
    }
}

void coh_set_private_state(MemSys *m, uint32_t core, uint32_t line,
                       uint8_t state)
{
    set_state(m, core, line, cache_lookup(m->core[core].l1, line, false),
              state);
}

/* core's pending events for line with lo < at <= hi (lo UINT64_MAX: from
 * the start), in coh_state_at's order: time, then as queued; at most 64.
 * Returns how many went into ev. */
static uint32_t line_events(const Core *k, uint32_t line, uint64_t lo,
                            uint64_t hi, const Pending **ev)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < k->npend && n < 64; i++) {
        const Pending *p = &k->pend[i];
        if (p->line != line || p->at > hi || (lo != UINT64_MAX && p->at <= lo))
            continue;
        uint32_t j = n++;
        while (j > 0 && ev[j - 1]->at > p->at) {
            ev[j] = ev[j - 1];
            j--;
        }
        ev[j] = p;
    }
    return n;
}

/* ---- the COH events -------------------------------------------------------------
 *
 * A copy's change of state, published for whoever listens (sim/events.h:
 * the window's explain view): core's copy of line goes from `from` to
 * `to` on `ev` at `at`.  The engine's parts call it where a copy's state
 * changes in the table's name: coh_pend_add (a message's effect, queued),
 * and the core's own accesses and evictions.  A message's event is
 * published when it is queued, with the state the events queued before
 * it leave; when the copy changes under it before it arrives (the core's
 * own access is simulated after the transaction that sent it, but comes
 * first: an upgrade that loses the race, SM_AD + Inv; or an event queued
 * later arrives earlier), it is published again, corrected (id 1).  Not
 * in parallel mode: a miss there queues other cores' events from its own
 * host thread, and the event would go into the buffer of the other
 * core's hart. */
static void push_coh(MemSys *m, uint32_t core, uint32_t line, uint8_t from,
                     uint8_t ev, uint8_t to, uint64_t at, bool again)
{
    /* The line as the guest sees it: memsys_l1_dump's address. */
    uint32_t guest = m->cfg.placement == PLACE_PRIVATE
                         ? m->cfg.ram_base |
                               (line & ((1u << m->cfg.private_shift) - 1))
                         : line;
    sim_ev_push(m->ev, &(SimEvent){
        .cycle = at, .end = at, .hart = core * m->cfg.threads_per_core,
        .addr = guest, .id = again, .src = (uint16_t)core,
        .kind = SIM_EV_COH, .what = ev, .result = to, .aux = from});
}

/* The copy is in `st` before its events still to come (those after
 * `after`, or all): each is published again with the state it will find
 * (coh_state_at's order: time, then as queued; at most 64). */
static void republish(MemSys *m, uint32_t core, uint32_t line, uint64_t after,
                      bool all, uint8_t st)
{
    const Pending *ev[64];
    uint32_t n = line_events(&m->core[core], line, all ? UINT64_MAX : after,
                             UINT64_MAX, ev);
    for (uint32_t i = 0; i < n; i++) {
        CohCell c = m->proto->cache[st][ev[i]->ev];
        if (c.next == COH_NONE)
            return;                   /* the run stops there */
        push_coh(m, core, line, st, ev[i]->ev, c.next, ev[i]->at, true);
        if (st != COH_I || c.next == COH_I)
            st = c.next;
    }
}

void coh_publish_event(MemSys *m, uint32_t core, uint32_t line,
                       uint8_t from, CohEvent ev, uint8_t to, uint64_t at)
{
    push_coh(m, core, line, from, (uint8_t)ev, to, at, false);
    /* The core's own access or eviction: what is still on its way to the
     * copy finds it changed. */
    if (ev == CEV_LOAD || ev == CEV_STORE || ev == CEV_REPLACE)
        republish(m, core, line, 0, true, to);
}

/* ---- pending events ---------------------------------------------------------- */

void coh_pend_add(MemSys *m, uint32_t core, uint32_t line, CohEvent ev,
              uint64_t at)
{
    Core *k = &m->core[core];
    /* The state the event finds: the copy's as the events queued before
     * it leave it at `at` (a cell that cannot happen stops the run when
     * the event is applied: nothing to publish). */
    uint8_t from = COH_NONE;
    if (sim_ev_on(m->ev, SIM_EV_COH))
        from = coh_state_at(m, core, line, at);
    if (k->npend == k->pend_cap) {
        uint32_t cap = k->pend_cap ? k->pend_cap * 2 : 16;
        Pending *p = realloc(k->pend, cap * sizeof *p);
        if (!p) {
            snprintf(m->slice.error, sizeof m->slice.error,
                     "out of host memory for the coherence messages in "
                     "flight (%u at core %u)", k->npend, core);
            return;
        }
        k->pend = p;
        k->pend_cap = cap;
    }
    k->pend[k->npend++] = (Pending){.at = at, .line = line,
                                    .ev = (uint8_t)ev};
    if (at < k->pend_min)
        k->pend_min = at;
    CohCell c = from != COH_NONE ? m->proto->cache[from][ev]
                                 : (CohCell){COH_NONE, 0};
    if (c.next != COH_NONE) {
        coh_publish(m, core, line, from, ev, c.next, at);
        /* Queued before events that arrive later: they find it changed. */
        if (!m->cfg.locked)
            republish(m, core, line, at, false,
                      from != COH_I || c.next == COH_I ? c.next : from);
    }
}

static void apply(MemSys *m, uint32_t core, const Pending *p)
{
    Core *k = &m->core[core];
    CacheLine *l1 = cache_lookup(k->l1, p->line, false);
    uint8_t st = l1 ? l1->state : coh_private_state(m, core, p->line);
    CohCell c = cache_cell(m, core, st, (CohEvent)p->ev);
    if (c.next == COH_NONE) {
        coh_impossible(m, "a message arrived", p->line, core, st, p->ev);
        return;
    }
    if (c.next != st && (st != COH_I || c.next == COH_I))
        set_state(m, core, p->line, l1, c.next);
    if (st != COH_I && (c.next == COH_I || (coh_valid(coh_stable_of(st)) &&
                                            coh_stable_of(c.next) == COH_I))) {
        /* The copy is lost now (or, IS_D_I, the data it had just come
         * for): its next miss is a coherence miss. */
        missclass_invalidated(k->mc, p->line);
        if (k->mc_last == p->line)
            k->mc_last = 0;
        if (k->mc2)
            missclass_invalidated(k->mc2, p->line);
    }
}

/* Apply, in time order, the pending events of core up to t that match
 * (line 0: all). */
static void settle_some(MemSys *m, uint32_t core, uint32_t line, uint64_t t)
{
    Core *k = &m->core[core];
    if (t < k->pend_min)
        return;
    for (;;) {
        uint32_t best = UINT32_MAX;
        for (uint32_t i = 0; i < k->npend; i++) {
            const Pending *p = &k->pend[i];
            if (p->at <= t && (!line || p->line == line) &&
                (best == UINT32_MAX || p->at < k->pend[best].at))
                best = i;
        }
        if (best == UINT32_MAX)
            break;
        Pending p = k->pend[best];
        /* Mostly the only one (a miss's data): no call to move none. */
        if (best + 1 < k->npend)
            memmove(&k->pend[best], &k->pend[best + 1],
                    (k->npend - best - 1) * sizeof *k->pend);
        k->npend--;
        apply(m, core, &p);
    }
    k->pend_min = UINT64_MAX;
    for (uint32_t i = 0; i < k->npend; i++)
        if (k->pend[i].at < k->pend_min)
            k->pend_min = k->pend[i].at;
}

void coh_settle(MemSys *m, uint32_t core, uint64_t t)
{
    settle_some(m, core, 0, t);
}

void coh_settle_line(MemSys *m, uint32_t core, uint32_t line, uint64_t t)
{
    settle_some(m, core, line, t);
}

uint64_t coh_pend_last(const MemSys *m, uint32_t core, uint32_t line)
{
    const Core *k = &m->core[core];
    uint64_t last = 0;
    for (uint32_t i = 0; i < k->npend; i++)
        if (k->pend[i].line == line && k->pend[i].at > last)
            last = k->pend[i].at;
    return last;
}

uint8_t coh_state_at(const MemSys *m, uint32_t core, uint32_t line, uint64_t t)
{
    const Core *k = &m->core[core];
    uint8_t st = coh_private_state(m, core, line);
    /* This line's events up to t, in time order (ties: as they came). */
    const Pending *ev[64];
    uint32_t n = line_events(k, line, UINT64_MAX, t, ev);
    for (uint32_t i = 0; i < n; i++) {
        CohCell c = m->proto->cache[st][ev[i]->ev];
        if (c.next != COH_NONE && (st != COH_I || c.next == COH_I))
            st = c.next;
    }
    return st;
}

CohCell coh_remote_event(MemSys *m, uint32_t core, uint32_t line, CohEvent ev,
                     uint64_t at)
{
    coh_core_lock(m, core);
    uint8_t st = coh_state_at(m, core, line, at);
    CohCell c = cache_cell(m, core, st, ev);
    if (c.next == COH_NONE) {
        coh_core_unlock(m, core);
        coh_impossible(m, "a request reached a copy", line, core, st, ev);
        return c;
    }
    /* Write sharing: dirty data moving to a reader.  (Clean read sharing
     * is not contention: it does not refine the scheduler.) */
    if (ev == CEV_FWD_GETS && (st == COH_M || st == COH_O))
        m->slice.sharing++;
    if ((coh_valid(coh_stable_of(st)) || st == COH_IS_D) &&
        coh_stable_of(c.next) == COH_I && c.next != st) {
        m->core[core].l1s.invalidations++;
        m->slice.sharing++;
    }
    coh_pend_add(m, core, line, ev, at);
    coh_core_unlock(m, core);
    return c;
}

/* ---- fills and evictions ------------------------------------------------------ */

/* A line leaves core's private hierarchy by replacement: tell the home as
 * the protocol says (PUTS / PUTX).  It is told when the new line's data
 * has come (evict_pending), as a cache that makes room on the fill. */
static void evict(MemSys *m, uint32_t core, uint32_t line, uint8_t st,
                  uint64_t t)
{
    if (t == UINT64_MAX) {
        if (m->nvictims < COH_VICTIMS) {
            m->victims[m->nvictims++] = (Victim){core, line, st};
            return;
        }
        t = 0;                    /* cannot happen: two per fill at most */
    }
    CohCell c = cache_cell(m, core, st, CEV_REPLACE);
    if (c.next == COH_NONE) {
        coh_impossible(m, "an eviction", line, core, st, CEV_REPLACE);
        return;
    }
    coh_publish(m, core, line, st, CEV_REPLACE, c.next, t);
    uint32_t home = coh_home_of(m, line, core);
    if (c.actions & CA_PUTX) {
        m->core[core].l1s.writebacks++;
        coh_send(m, MSG_PUTX, core_router(m, core), node_router(m, home), line, t);
    } else if ((c.actions & CA_PUTS) && m->cfg.org == COH_DIRECTORY) {
        coh_send(m, MSG_PUTS, core_router(m, core), node_router(m, home), line, t);
    }
    DirEntry *e = coh_dir_get(&m->dir, line | 1);
    if (!e)
        return;
    bool last = !(e->sharers & ~(1ull << core));
    CohDirEvent dev = c.actions & CA_PUTX ? (last ? DEV_PUTX_LAST : DEV_PUTX)
                                          : (last ? DEV_PUTS_LAST : DEV_PUTS);
    CohCell dc = dir_cell(m, e->state, dev);
    if (dc.next == COH_NONE) {
        coh_impossible(m, "an eviction at the home", line, core, e->state,
                       100 + dev);
        return;
    }
    if (dc.actions & DA_LLC)
        coh_home_writeback(m, home, line, t);
    coh_dir_apply(m, e, dc, core);
}

void coh_evict_pending(MemSys *m, uint64_t t)
{
    for (uint32_t i = 0; i < m->nvictims; i++)
        evict(m, m->victims[i].core, m->victims[i].line, m->victims[i].st, t);
    m->nvictims = 0;
}

/* The copy of a line about to leave: whatever is still on its way to it
 * is taken now, so that it leaves in a stable state. */
static uint8_t leaving(MemSys *m, uint32_t core, uint32_t line)
{
    if (m->core[core].npend)
        coh_settle_line(m, core, line, UINT64_MAX);
    return coh_private_state(m, core, line);
}

void coh_fill_private(MemSys *m, uint32_t core, uint32_t line, uint8_t state,
                  uint64_t t)
{
    Core *k = &m->core[core];
    CacheLine *have = k->l2 ? cache_lookup(k->l2, line, false) : NULL;
    if (have)
        have->state = state;
    if (k->l2 && !have) {
        CacheLine *v = cache_victim(k->l2, line);
        if (v->state) {
            uint32_t old = v->addr;
            uint8_t st = leaving(m, core, old);
            CacheLine *l1 = cache_lookup(k->l1, old, false);
            if (l1) {
                coh_filter_drop(m, core, old);
                cache_invalidate(k->l1, l1);
            }
            v = cache_lookup(k->l2, old, false);
            if (v)
                cache_invalidate(k->l2, v);
            if (st != COH_I)
                evict(m, core, old, st, t);
            v = cache_victim(k->l2, line);
        }
        cache_fill(k->l2, v, line, state);
    }
    CacheLine *v = cache_victim(k->l1, line);
    if (v->state) {
        uint32_t old = v->addr;
        if (!k->npend) {
            /* Nothing on its way to the copy: v is it, as it is, and
             * once it is gone v is the set's one free way. */
            coh_filter_drop(m, core, old);
            uint8_t st = v->state;
            cache_invalidate(k->l1, v);
            if (!k->l2)
                evict(m, core, old, st, t);
        } else {
            uint8_t st = k->l2 ? v->state : leaving(m, core, old);
            v = cache_lookup(k->l1, old, false);
            if (v) {
                coh_filter_drop(m, core, old);
                cache_invalidate(k->l1, v);
                if (!k->l2 && st != COH_I)
                    evict(m, core, old, st, t);
            }
            v = cache_victim(k->l1, line);
        }
    }
    cache_fill(k->l1, v, line, state);
}
