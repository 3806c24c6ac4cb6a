/* memsys.c — the coherent memory hierarchy (see memsys.h): its
 * configuration, the access path from a hart, statistics and views.  The
 * coherence engine itself is in models/coherence/ (engine.h lists its
 * parts): the protocol as tables, the private caches, the home, the
 * directory and the snooping bus.
 *
 * A core's latency for an access = L1 hit time, or the time until the
 * last message its request needs (data, grant, acknowledgements) has
 * arrived.  Messages that are not on the critical path (write-backs)
 * still occupy links and memory controllers, so they cost others time.
 * Simplifications, documented in docs/memory.md: the directory has an
 * entry for every line (no directory evictions); a private L2 is
 * inclusive of its L1; stores stall until they complete (no store
 * buffer); the LLC is non-inclusive; an eviction's PUT takes effect at
 * once.
 */
#include "models/coherence/engine.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const coh_msg_names[MSG_COUNT] = {
    "GETS", "GETX", "UPGRADE", "INV", "ACK", "FWD", "DATA", "PUTS", "PUTX",
    "WB", "GRANT", "NACK"};

/* A hart's core; without a division when each core has one hart. */
static inline uint32_t hart_core(const MemSys *m, uint32_t hart)
{
    uint32_t tpc = m->cfg.threads_per_core;
    /* Not `tpc == 1 ? hart : hart / tpc`: compilers make that a division
     * whatever tpc is, and a division is most of a hit's time. */
    if (__builtin_expect(tpc == 1, 1))
        return hart;
    __asm__("" : "+r"(tpc));
    return hart / tpc;
}

/* memsys.h reads a MemSys's first member as its MemSysSlice. */
_Static_assert(offsetof(struct MemSys, slice) == 0,
               "MemSysSlice must open struct MemSys");

/* ---- parallel mode --------------------------------------------------------
 *
 * With several host threads (cfg.locked) a core's private caches are
 * touched by its own host thread (every access) and by other cores' misses
 * (invalidations, forwards).  Each core has a spinlock over its caches,
 * its classifiers, its pending events and its counters; misses are
 * serialised by one mutex over the shared state (directory, LLC, memory,
 * interconnect).  Lock order: the mutex, then one core lock at a time; a
 * hit takes only its own core's lock (and keeps it: coh_own_lock); a miss
 * touches its own core without that lock, because only its own host
 * thread runs it and other misses wait for the mutex. */
static inline void spin_lock(int *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(l, __ATOMIC_RELAXED))
            ;
}

void coh_core_lock(MemSys *m, uint32_t c)
{
    if (!m->cfg.locked)
        return;
    Core *k = &m->core[c];
    /* Said first: the core's own thread may be holding the lock across
     * its hits, and lets go when it sees someone waiting. */
    __atomic_add_fetch(&k->want, 1, __ATOMIC_ACQ_REL);
    spin_lock(&k->lock);
    __atomic_sub_fetch(&k->want, 1, __ATOMIC_RELEASE);
}

void coh_core_unlock(MemSys *m, uint32_t c)
{
    if (m->cfg.locked)
        __atomic_store_n(&m->core[c].lock, 0, __ATOMIC_RELEASE);
}

/* A hit in parallel mode takes its core's lock, and an atomic exchange a
 * hit was a fifth of a parallel run's host time: so the core's own
 * thread keeps the lock from one hit to the next (k->held, which only
 * that thread reads or writes), and lets go before a miss (which takes
 * the mutex: the lock order), at the end of its run (memsys_run_done),
 * and as soon as another thread waits for it (k->want).  A thread that
 * waits holds the mutex, so it is the only one; the owner lets it in
 * and waits for it to have the lock before asking again. */
void coh_own_lock(MemSys *m, uint32_t c)
{
    Core *k = &m->core[c];
    if (k->held) {
        if (__builtin_expect(!__atomic_load_n(&k->want, __ATOMIC_RELAXED),
                             1))
            return;
        k->held = false;
        __atomic_store_n(&k->lock, 0, __ATOMIC_RELEASE);
        while (__atomic_load_n(&k->want, __ATOMIC_ACQUIRE))
            ;
    }
    spin_lock(&k->lock);
    k->held = true;
}

void coh_own_release(MemSys *m, uint32_t c)
{
    Core *k = &m->core[c];
    if (k->held) {
        k->held = false;
        __atomic_store_n(&k->lock, 0, __ATOMIC_RELEASE);
    }
}

void memsys_run_done(MemSys *m, uint32_t hart)
{
    if (m->cfg.locked)
        coh_own_release(m, hart_core(m, hart));
}

static unsigned log2u(uint32_t x)
{
    unsigned s = 0;
    while ((1u << s) < x)
        s++;
    return s;
}

bool memsys_config_check(const MemSysConfig *c, char *err, size_t errlen)
{
    char why[200];
    if (c->cores == 0 || c->cores > 64 || c->nodes == 0 || c->nodes > 64 ||
        c->cores % c->nodes) {
        snprintf(err, errlen, "numa.nodes = %u must divide machine.cores = %u "
                 "(at most 64 each)", c->nodes, c->cores);
        return false;
    }
    if (!cache_geom_check(&c->l1d, why, sizeof why)) {
        snprintf(err, errlen, "l1d: %s", why);
        return false;
    }
    if (c->l2_on && !cache_geom_check(&c->l2, why, sizeof why)) {
        snprintf(err, errlen, "l2: %s", why);
        return false;
    }
    if (c->l2_on && c->l2.line != c->l1d.line) {
        snprintf(err, errlen, "l2.line (%u) must equal l1d.line (%u)",
                 c->l2.line, c->l1d.line);
        return false;
    }
    if (!cache_geom_check(&c->llc, why, sizeof why)) {
        snprintf(err, errlen, "llc: %s", why);
        return false;
    }
    if (c->llc.line != c->l1d.line) {
        snprintf(err, errlen, "llc.line (%u) must equal l1d.line (%u)",
                 c->llc.line, c->l1d.line);
        return false;
    }
    if (c->page_size < c->l1d.line || (c->page_size & (c->page_size - 1))) {
        snprintf(err, errlen, "numa.page_size (%u) must be a power of two "
                 "and at least a line", c->page_size);
        return false;
    }
    if (c->placement == PLACE_PRIVATE &&
        (c->private_shift > 31 || c->nodes > (1ull << (32 - c->private_shift)))) {
        snprintf(err, errlen, "%u nodes of 2^%u bytes do not fit in 32-bit "
                 "addresses", c->nodes, c->private_shift);
        return false;
    }
    if (c->placement == PLACE_BOUND && c->bound_node >= c->nodes) {
        snprintf(err, errlen, "numa.bound_node = %u but there are %u nodes",
                 c->bound_node, c->nodes);
        return false;
    }
    if (!noc_config_check(&c->noc, why, sizeof why)) {
        snprintf(err, errlen, "noc: %s", why);
        return false;
    }
    for (uint32_t i = 0; i < c->cores; i++)
        if (c->core_router[i] >= c->noc.routers) {
            snprintf(err, errlen, "core %u sits on router %u of %u", i,
                     c->core_router[i], c->noc.routers);
            return false;
        }
    for (uint32_t i = 0; i < c->nodes; i++)
        if (c->node_router[i] >= c->noc.routers) {
            snprintf(err, errlen, "node %u sits on router %u of %u", i,
                     c->node_router[i], c->noc.routers);
            return false;
        }
    if (c->store_buffer > COH_SB_MAX) {
        snprintf(err, errlen, "core.store_buffer = %u: at most %u entries",
                 c->store_buffer, COH_SB_MAX);
        return false;
    }
    if (c->mem_bytes_per_cycle == 0) {
        snprintf(err, errlen, "memory.bytes_per_cycle must be at least 1");
        return false;
    }
    return true;
}

MemSys *memsys_new(const MemSysConfig *c)
{
    char err[200];
    if (!memsys_config_check(c, err, sizeof err))
        return NULL;
    MemSys *m = aligned_alloc(64, sizeof *m);   /* (msgs is aligned) */
    if (!m)
        return NULL;
    memset(m, 0, sizeof *m);
    m->cfg = *c;
    m->proto = coh_protocol(c->protocol);
    m->slice.horizon = UINT64_MAX;
    m->check_each = c->check && !c->locked;
    if (c->store_buffer) {
        size_t sz = c->cores * c->threads_per_core * sizeof *m->sb;
        m->sb = aligned_alloc(64, sz);
        if (m->sb)
            memset(m->sb, 0, sz);
    }
    if (c->placement != PLACE_PRIVATE) {     /* one memory: as it is */
        m->cfg.addr_mask = ~0u;
        memset(m->cfg.core_tag, 0, sizeof m->cfg.core_tag);
    }
    m->line_shift = log2u(c->l1d.line);
    m->page_shift = log2u(c->page_size);
    m->node_mask = c->nodes && !(c->nodes & (c->nodes - 1)) ? c->nodes - 1
                                                            : UINT32_MAX;
    m->data_bytes = c->l1d.line + c->ctrl_bytes;
    pthread_mutex_init(&m->lock, NULL);
    m->core = aligned_alloc(64, c->cores * sizeof *m->core);
    if (m->core)
        memset(m->core, 0, c->cores * sizeof *m->core);
    m->hart = aligned_alloc(64, c->cores * c->threads_per_core *
                                    sizeof *m->hart);
    if (m->hart)
        memset(m->hart, 0, c->cores * c->threads_per_core * sizeof *m->hart);
    m->node = calloc(c->nodes, sizeof *m->node);
    m->noc = noc_new(&c->noc);
    /* The filter keeps what a hit does to the replacement state and the
     * classifier; a store buffer has hits of its own (forwarding). */
    if (c->hit_filter && !c->store_buffer) {
        size_t n = (size_t)c->cores * c->threads_per_core * COH_FILTER;
        m->filter = aligned_alloc(64, n * sizeof *m->filter);
        m->filter_touch = calloc(n, sizeof *m->filter_touch);
        if (m->filter)
            for (size_t i = 0; i < n; i++)
                m->filter[i].line = COH_FILTER_NONE;
        if (!m->filter_touch) {
            free(m->filter);
            m->filter = NULL;
        }
    }
    bool ok = m->core && m->hart && m->node && m->noc &&
              (!c->store_buffer || m->sb) &&
              (!c->hit_filter || c->store_buffer || m->filter) && coh_dir_init(&m->dir, m->line_shift, 32) &&
              coh_dir_init(&m->pages, 0, 33 - m->page_shift);
    for (uint32_t i = 0; ok && i < c->cores; i++) {
        Core *k = &m->core[i];
        k->pend_min = UINT64_MAX;
        k->l1 = cache_new(&c->l1d);
        k->mc = missclass_new(c->l1d.size / c->l1d.line, log2u(c->l1d.line));
        if (c->l2_on) {
            k->l2 = cache_new(&c->l2);
            k->mc2 = missclass_new(c->l2.size / c->l2.line,
                                   log2u(c->l2.line));
        }
        ok = k->l1 && k->mc && (!c->l2_on || (k->l2 && k->mc2));
        if (k->mc && m->filter) {
            uint64_t *clock = k->l1 ? cache_lru_clock(k->l1) : NULL;
            if (clock) {
                missclass_share_clock(k->mc, clock);
                k->one_clock = true;
            }
            k->mct = missclass_touch_of(k->mc);
        }
    }
    size_t nh = (size_t)c->cores * c->threads_per_core;
    if (ok && m->filter && !(m->path = calloc(nh, sizeof *m->path)))
        ok = false;
    for (size_t i = 0; ok && m->path && i < nh; i++) {
        uint32_t core = (uint32_t)(i / c->threads_per_core);
        Core *k = &m->core[core];
        m->path[i] = (struct HartPath){
            .core = k,
            .hf = {.e = m->filter + i * COH_FILTER, .shift = m->line_shift,
                   .line_mask = ~(m->cfg.l1d.line - 1),
                   .index_mask = COH_FILTER - 1,
                   .addr_mask = m->cfg.addr_mask,
                   .tag = m->cfg.core_tag[core],
                   .latency = m->cfg.l1d_latency, .until = &k->pend_min,
                   .seq = k->mct.seq, .last = &k->mc_last,
                   .count = k->cover,
                   .held = m->cfg.locked ? &k->held : NULL,
                   .want = &k->want}};
    }
    for (uint32_t i = 0; ok && i < c->nodes; i++) {
        m->node[i].llc = cache_new(&c->llc);
        m->node[i].mc = missclass_new(c->llc.size / c->llc.line,
                                      log2u(c->llc.line));
        memctl_init(&m->node[i].mem, c->mem_latency, c->mem_bytes_per_cycle);
        ok = m->node[i].llc && m->node[i].mc;
    }
    if (!ok) {
        memsys_free(m);
        return NULL;
    }
    return m;
}

void memsys_free(MemSys *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; m->core && i < m->cfg.cores; i++) {
        cache_free(m->core[i].l1);
        cache_free(m->core[i].l2);
        missclass_free(m->core[i].mc);
        missclass_free(m->core[i].mc2);
        free(m->core[i].pend);
    }
    for (uint32_t i = 0; m->node && i < m->cfg.nodes; i++) {
        cache_free(m->node[i].llc);
        missclass_free(m->node[i].mc);
    }
    free(m->core);
    free(m->sb);
    free(m->filter);
    free(m->filter_touch);
    free(m->path);
    free(m->hart);
    free(m->node);
    noc_free(m->noc);
    coh_dir_free(&m->dir);
    coh_dir_free(&m->pages);
    pthread_mutex_destroy(&m->lock);
    free(m);
}


/* ---- the access ------------------------------------------------------------- */

/* After a touch of the L1's classifier: the line it let go to make room
 * leaves the core's hit filters, which do not look at the classifier at
 * each hit (isa.h's hit seam). */
static inline void mc_let_go(MemSys *m, uint32_t core)
{
    uint32_t v = missclass_evicted(m->core[core].mc);
    if (v != MISSCLASS_FREE)
        coh_filter_drop(m, core, v);
}

/* The L1 hit path: true (and the completion time in *done) when core's
 * L1 serves the access at t without any message.  A line whose request
 * is under way (another hardware thread of the core asked for it) makes
 * the access wait for it, then look again. */
static inline __attribute__((always_inline)) bool
l1_hit(MemSys *m, uint32_t core, uint32_t line, bool write,
                   uint64_t t, uint64_t *done, CacheLine **found)
{
    Core *k = &m->core[core];
    for (;;) {
        if (__builtin_expect(k->npend != 0, 0) && t >= k->pend_min)
            coh_settle(m, core, t);
        CacheLine *l = cache_lookup(k->l1, line, true);
        *found = l;
        if (!l)
            return false;
        uint8_t st = l->state;
        CohCell c = cache_cell(m, core, st, write ? CEV_STORE : CEV_LOAD);
        if (c.actions & CA_STALL) {
            uint64_t end = coh_pend_last(m, core, line);
            if (end > t) {
                t = end;
                continue;
            }
            coh_settle_line(m, core, line, UINT64_MAX);
            continue;
        }
        if (!(c.actions & CA_HIT))
            return false;
        k->l1s.accesses++;
        k->l1s.hits++;
        if (line != k->mc_last) {
            missclass_hit(k->mc, line);
            mc_let_go(m, core);
            k->mc_last = line;
        }
        if (c.next != st) {                  /* E -> M, silent */
            coh_set_private_state(m, core, line, c.next);
            coh_publish(m, core, line, st, write ? CEV_STORE : CEV_LOAD,
                        c.next, t + m->cfg.l1d_latency);
        }
        *done = t + m->cfg.l1d_latency;
        return true;
    }
}

/* One line's access that missed L1 (or may not write it), from core at
 * t; returns when it completes, or ISA_ACCESS_DEFER.  Its result for
 * the ACCESS event goes in *res: 1 + the miss class, or SIM_EV_UPGRADE. */
static uint64_t miss(MemSys *m, const IsaHart *h, uint32_t core,
                     uint32_t line, bool write, uint64_t t, CacheLine *l,
                     uint8_t *res)
{
    Core *k = &m->core[core];
    CohEvent ev = write ? CEV_STORE : CEV_LOAD;
    if (m->cfg.defer && h->cycle > m->slice.horizon) {
        m->slice.deferred = true;  /* another hart may ask for it earlier */
        return ISA_ACCESS_DEFER;
    }
    DirEntry *e = coh_dir_get(&m->dir, line | 1);
    if (!e) {
        snprintf(m->slice.error, sizeof m->slice.error,
                 "out of host memory for the directory (%zu lines)",
                 m->dir.used);
        m->slice.deferred = true;
        return ISA_ACCESS_DEFER;
    }
    if (m->ev)
        noc_event_cause(m->noc, h->hartid, line);
    k->l1s.accesses++;
    t += m->cfg.l1d_latency;
    uint8_t st = l ? l->state : COH_I;
    if (!l) {
        MissClass c = missclass_miss(k->mc, line);
        mc_let_go(m, core);
        *res = (uint8_t)(1 + c);
        k->mc_last = line;
        k->l1s.misses[c]++;
        e->l1_misses[c]++;
        if (k->l2) {
            k->l2s.accesses++;
            t += m->cfg.l2_latency;
            CacheLine *l2 = cache_lookup(k->l2, line, true);
            if (l2) {
                /* The L2 has the line: a hit there, even when a store
                 * must still ask for permission. */
                missclass_hit(k->mc2, line);
                k->l2s.hits++;
                st = l2->state;
                CohCell c2 = cache_cell(m, core, st, ev);
                if (c2.actions & CA_STALL) {
                    /* Another thread's request for it is under way (its
                     * L1 copy was evicted meanwhile): wait for it. */
                    uint64_t end = coh_pend_last(m, core, line);
                    if (end > t)
                        t = end;
                    coh_settle_line(m, core, line, UINT64_MAX);
                    st = coh_private_state(m, core, line);
                    c2 = cache_cell(m, core, st, ev);
                }
                if (c2.actions & CA_HIT) {
                    coh_fill_private(m, core, line, c2.next, t);
                    if (c2.next != st)
                        coh_publish(m, core, line, st, ev, c2.next, t);
                    return t;
                }
            } else {
                k->l2s.misses[missclass_miss(k->mc2, line)]++;
            }
        }
    } else {
        *res = SIM_EV_UPGRADE;
        k->l1s.upgrades++;
        e->upgrades++;
    }
    CohCell c = cache_cell(m, core, st, ev);
    if (!(c.actions & (CA_GETS | CA_GETX | CA_UPGRADE))) {
        coh_impossible(m, "an access that missed", line, core, st, ev);
        m->slice.deferred = true;
        return ISA_ACCESS_DEFER;
    }
    /* The line is transient from now until its request completes. */
    if (l)
        coh_set_private_state(m, core, line, c.next);
    else
        coh_fill_private(m, core, line, c.next, UINT64_MAX);
    coh_publish(m, core, line, st, ev, c.next, t);
    CohMsg req = c.actions & CA_GETS ? MSG_GETS
               : c.actions & CA_GETX ? MSG_GETX : MSG_UPGRADE;
    uint64_t done = m->cfg.org == COH_SNOOP
                        ? coh_snoop_transaction(m, e, core, line, req, t)
                        : coh_dir_transaction(m, e, core, line, req, t);
    /* The victims leave as the data comes (their PUTs may grow the
     * directory: e is not used after this). */
    coh_evict_pending(m, done);
    if (m->slice.error[0]) {
        m->slice.deferred = true;
        return ISA_ACCESS_DEFER;
    }
    return done;
}

/* ---- the hit filter -----------------------------------------------------------
 *
 * ZSim's filter cache, kept exact.  Each hart has COH_FILTER entries,
 * direct-mapped by line, of lines its core's L1 holds in a state where a
 * load (and, if wcell says so, a store) hits without changing it.  Such
 * a hit does four things besides its latency, and the entry keeps each
 * so that a filtered hit does them without a lookup: the replacement
 * touch (CacheTouch), the classifier's touch (its node's stamp, unless
 * the classifier saw this line last), the protocol cell's count, and the
 * L1's counts.  An entry is made on a hit the long way; it goes when the
 * line's copy changes or leaves (coh_filter_drop, from private.c) or
 * when the classifier lets the line go (mc_let_go), and is passed by
 * while the core has a pending event due (it may be this line's).  So
 * every statistic and every cycle is the same with the filter off
 * (core.hit_filter = false), as a test checks. */

static size_t filter_at(const MemSys *m, uint32_t hart, uint32_t line)
{
    return (size_t)hart * COH_FILTER +
           ((line >> m->line_shift) & (COH_FILTER - 1));
}

/* After a hit the long way: remember the line if a hit on it again
 * changes nothing. */
static void filter_fill(MemSys *m, uint32_t hart, uint32_t core,
                        uint32_t line, const CacheLine *l)
{
    Core *k = &m->core[core];
    uint8_t st = l->state;
    CohCell r = m->proto->cache[st][CEV_LOAD];
    CohCell w = m->proto->cache[st][CEV_STORE];
    if (!(r.actions & CA_HIT) || r.next != st)
        return;
    CacheTouch t;
    uint32_t node = missclass_node(k->mc, line);
    IsaHitLine e = {.line = line,
                    .rcounter = &k->cover[coh_cache_cell_index(st, CEV_LOAD)],
                    .wcount = (w.actions & CA_HIT) && w.next == st
                                  ? (uint16_t)coh_cache_cell_index(st,
                                                                   CEV_STORE)
                                  : COH_FILTER_NO_CELL};
    if (node == MISSCLASS_FREE || !cache_touch_of(k->l1, l, &t))
        return;
    e.stamp = t.word;
    e.order = &k->mct.stamp[node];
    size_t i = filter_at(m, hart, line);
    m->filter[i] = e;
    m->filter_touch[i] = t;
}

/* A hit through the hart's entry for the line at `cycle`: true when it
 * served the access (one line, a load or a store), with what l1_hit
 * does but the L1's two counts (accesses, hits: the caller's). */
static inline __attribute__((always_inline)) bool
filter_take(MemSys *m, uint32_t hart, Core *k, uint32_t line, bool write,
            uint64_t cycle)
{
    /* One clock: the way's LRU stamp and the classifier's are one value
     * (only the order of stamps matters), as the interpreter does it. */
    if (k->one_clock)
        return isa_hit_line(&m->path[hart].hf, line, write, cycle);
    size_t i = filter_at(m, hart, line);
    const IsaHitLine *f = &m->filter[i];
    if (f->line != line || (write && f->wcount == COH_FILTER_NO_CELL) ||
        cycle >= k->pend_min)
        return false;
    if (line != k->mc_last) {
        *f->order = ++*k->mct.seq;
        k->mc_last = line;
    }
    cache_touch_again(&m->filter_touch[i]);
    (*(write ? &k->cover[f->wcount] : f->rcounter))++;
    return true;
}

static inline __attribute__((always_inline)) bool
filter_hit(MemSys *m, const IsaHart *h, uint32_t core, uint32_t line,
           bool write)
{
    Core *k = &m->core[core];
    if (!filter_take(m, h->hartid, k, line, write, h->cycle))
        return false;
    k->l1s.accesses++;
    k->l1s.hits++;
    return true;
}

/* One line's access: completion time, or ISA_ACCESS_DEFER. */
static inline __attribute__((always_inline)) uint64_t
line_access(MemSys *m, const IsaHart *h, uint32_t line,
                            bool write, uint64_t t, uint8_t *res)
{
    uint32_t core = hart_core(m, h->hartid);
    uint64_t done;
    CacheLine *l;
    if (!m->cfg.locked) {
        if (l1_hit(m, core, line, write, t, &done, &l)) {
            if (m->filter)
                filter_fill(m, h->hartid, core, line, l);
            return done;
        }
        return miss(m, h, core, line, write, t, l, res);
    }
    coh_own_lock(m, core);
    bool hit = l1_hit(m, core, line, write, t, &done, &l);
    if (hit && m->filter)
        filter_fill(m, h->hartid, core, line, l);
    if (hit)
        return done;
    coh_own_release(m, core);
    pthread_mutex_lock(&m->lock);
    /* Looked up again under the mutex: another core's miss may have
     * changed the line since. */
    coh_core_lock(m, core);
    hit = l1_hit(m, core, line, write, t, &done, &l);
    coh_core_unlock(m, core);
    if (!hit)
        done = miss(m, h, core, line, write, t, l, res);
    pthread_mutex_unlock(&m->lock);
    return done;
}

/* ---- the store buffer --------------------------------------------------------
 *
 * With config.store_buffer = D > 0 each hart's stores retire into a FIFO
 * of D entries and the hart goes on: a store that misses costs it the L1
 * latency, not the miss.  The store's request leaves at once, and the
 * buffer drains in order (an entry is done when its own request and every
 * earlier entry are).  A full buffer makes the next store wait for the
 * oldest entry; fences and atomics (AMO, LR, SC) wait for the buffer to
 * be empty; a load whose bytes a buffered store holds takes them from the
 * buffer (L1 latency), one that overlaps a store partly waits for it. */

static void sb_retire(StoreBuf *b, uint64_t t)
{
    while (b->n && b->e[b->head].done <= t) {
        b->head = (b->head + 1) % COH_SB_MAX;
        b->n--;
    }
}

static const SbEntry *sb_at(const StoreBuf *b, uint32_t i)
{
    return &b->e[(b->head + i) % COH_SB_MAX];
}

/* Two line accesses when the bytes straddle a line: done when both are. */
static inline __attribute__((always_inline)) uint64_t
bytes_access(MemSys *m, const IsaHart *h, uint32_t addr,
                             unsigned size, bool write, uint64_t t,
                             uint8_t *res)
{
    uint32_t mask = m->cfg.l1d.line - 1;
    uint32_t line = addr & ~mask;
    uint8_t res2 = SIM_EV_HIT;
    uint64_t done = line_access(m, h, line, write, t, res);
    if (__builtin_expect((addr & mask) + size > m->cfg.l1d.line, 0) &&
        done != ISA_ACCESS_DEFER) {
        uint64_t d2 = line_access(m, h, line + m->cfg.l1d.line, write, t,
                                  &res2);
        if (d2 == ISA_ACCESS_DEFER)
            done = d2;
        else if (d2 > done)
            done = d2;
        if (*res == SIM_EV_HIT)
            *res = res2;
    }
    return done;
}

/* The access through hart's store buffer (config.store_buffer > 0). */
static uint64_t buffered(MemSys *m, const IsaHart *h, uint32_t addr,
                         unsigned size, IsaAccessKind kind, uint8_t *res)
{
    StoreBuf *b = &m->sb[h->hartid];
    uint64_t t = h->cycle;
    sb_retire(b, t);
    uint64_t last = b->n ? sb_at(b, b->n - 1)->done : t;
    switch (kind) {
    case ISA_ACC_FENCE:
        return last > t ? last : t;
    case ISA_ACC_AMO: case ISA_ACC_LR: case ISA_ACC_SC:
        if (last > t)
            t = last;                 /* the buffer drains first */
        return bytes_access(m, h, addr, size, kind != ISA_ACC_LR, t, res);
    case ISA_ACC_LOAD:
        for (uint32_t i = b->n; i-- > 0;) {
            const SbEntry *e = sb_at(b, i);
            if (addr + size <= e->addr || e->addr + e->size <= addr)
                continue;
            if (e->addr <= addr && addr + size <= e->addr + e->size)
                return t + m->cfg.l1d_latency;    /* forwarded */
            t = e->done;              /* partly there: wait for it */
            break;
        }
        return bytes_access(m, h, addr, size, false, t, res);
    case ISA_ACC_STORE:
        break;
    }
    uint64_t enter = t;
    if (b->n == m->cfg.store_buffer) {
        enter = sb_at(b, 0)->done;    /* full: wait for the oldest */
        sb_retire(b, enter);
    }
    uint64_t done = bytes_access(m, h, addr, size, true, t, res);
    if (done == ISA_ACCESS_DEFER)
        return done;
    if (!b->n && done <= enter + m->cfg.l1d_latency)
        return done;                  /* a hit, nothing ahead of it */
    if (done < last)
        done = last;                  /* in order */
    b->e[(b->head + b->n) % COH_SB_MAX] = (SbEntry){
        .addr = addr, .size = (uint8_t)size, .done = done};
    b->n++;
    return enter + m->cfg.l1d_latency;
}

/* An access's counts (and its ACCESS event, traced and listened to):
 * its latency. */
static inline __attribute__((always_inline)) uint32_t
counted(MemSys *m, const IsaHart *h, uint32_t guest, IsaAccessKind kind,
        uint64_t done, uint8_t res, bool traced)
{
    uint32_t r = (uint32_t)(done - h->cycle);
    /* Only this hart's host thread writes its counters. */
    FlatMemCounts *c = &m->hart[h->hartid];
    switch (kind) {
    case ISA_ACC_LOAD: case ISA_ACC_LR: c->loads++; break;
    case ISA_ACC_STORE: c->stores++; break;
    case ISA_ACC_AMO: case ISA_ACC_SC: c->amos++; break;
    case ISA_ACC_FENCE: break;
    }
    c->stall += r;
    c->busy_until = h->cycle + r;
    if (m->path)         /* where the filter's hits keep theirs */
        m->path[h->hartid].hf.busy_until = c->busy_until;
    if (traced && kind != ISA_ACC_FENCE && sim_ev_on(m->ev, SIM_EV_ACCESS))
        sim_ev_push(m->ev, &(SimEvent){
            .cycle = h->cycle, .end = h->cycle + r, .hart = h->hartid,
            .addr = guest, .kind = SIM_EV_ACCESS, .what = (uint8_t)kind,
            .result = res});
    return r;
}

/* The access past the filter: the store buffer, the L1, a miss.  An
 * access that straddles two lines touches both, at the same time; it is
 * done when both are. */
static __attribute__((noinline)) uint32_t
access_long(MemSys *m, const IsaHart *h, uint32_t guest, uint32_t addr,
            unsigned size, IsaAccessKind kind, bool traced)
{
    uint8_t res = SIM_EV_HIT;
    uint64_t done;
    if (m->sb)
        done = buffered(m, h, addr, size, kind, &res);
    else if (kind == ISA_ACC_FENCE)
        return 0;
    else
        done = bytes_access(m, h, addr, size,
                            kind == ISA_ACC_STORE || kind == ISA_ACC_AMO ||
                                kind == ISA_ACC_SC,
                            h->cycle, &res);
    if (done == ISA_ACCESS_DEFER)
        return ISA_ACCESS_DEFER;
    return counted(m, h, guest, kind, done, res, traced);
}

/* The access, with or without its ACCESS event: two entry points from one
 * body, so that the hot path pays nothing for events nobody listens to
 * (the machine switches its cores to memsys_access_traced while someone
 * listens to ACCESS events).  The filter first, in as few instructions
 * as it takes. */
static inline __attribute__((always_inline)) uint32_t
access(MemSys *m, const IsaHart *h, uint32_t addr, unsigned size,
       IsaAccessKind kind, bool traced)
{
    uint32_t guest = addr;
    uint32_t core = hart_core(m, h->hartid);
    addr = (addr & m->cfg.addr_mask) | m->cfg.core_tag[core];
    uint32_t off = addr & (m->cfg.l1d.line - 1);
    /* Untraced on one host thread, memsys_access has looked already. */
    if (m->filter && (traced || m->cfg.locked) &&
        (kind == ISA_ACC_LOAD || kind == ISA_ACC_STORE) &&
        off + size <= m->cfg.l1d.line) {
        if (m->cfg.locked)
            coh_own_lock(m, core);
        if (filter_hit(m, h, core, addr - off, kind == ISA_ACC_STORE))
            return counted(m, h, guest, kind, h->cycle + m->cfg.l1d_latency,
                           SIM_EV_HIT, traced);
    }
    return access_long(m, h, guest, addr, size, kind, traced);
}

static __attribute__((noinline)) uint32_t
access_untraced(MemSys *m, const IsaHart *h, uint32_t addr, unsigned size,
                IsaAccessKind kind)
{
    return access(m, h, addr, size, kind, false);
}

/* The common case first, in as few host instructions as it takes: one
 * host thread, a load or a store within a line that the hart's filter
 * holds (filter_hit's conditions, with the hart's parts at hand from its
 * HartPath; with one clock, what the block engine does itself through
 * memsys_hit_filter); anything else goes the whole way.  The counts of
 * counted() and the L1's two go in as one count, which their readers
 * add in (hart_counts, l1_stats): each of them was a read-modify-write
 * of its own. */
uint32_t memsys_access(void *ctx, const IsaHart *h, uint32_t addr,
                       unsigned size, IsaAccessKind kind)
{
    MemSys *m = ctx;
    if (__builtin_expect(m->path != NULL && !m->cfg.locked, 1) &&
        (kind == ISA_ACC_LOAD || kind == ISA_ACC_STORE)) {
        struct HartPath *p = &m->path[h->hartid];
        bool write = kind == ISA_ACC_STORE;
        if (__builtin_expect(p->core->one_clock, 1)) {
            if (isa_hit_take(&p->hf, addr, size, write, h->cycle))
                return p->hf.latency;
        } else {
            uint32_t a = (addr & m->cfg.addr_mask) | p->hf.tag;
            uint32_t off = a & (m->cfg.l1d.line - 1);
            if (off + size <= m->cfg.l1d.line &&
                filter_take(m, h->hartid, p->core, a - off, write,
                            h->cycle)) {
                uint32_t r = m->cfg.l1d_latency;
                p->hf.hits[write]++;
                p->hf.busy_until = h->cycle + r;
                return r;
            }
        }
    }
    return access_untraced(m, h, addr, size, kind);
}

IsaHitFilter *memsys_hit_filter(MemSys *m, uint32_t hart)
{
    if (!m->path || !m->path[hart].core->one_clock)
        return NULL;
    return &m->path[hart].hf;
}

uint32_t memsys_access_traced(void *ctx, const IsaHart *h, uint32_t addr,
                              unsigned size, IsaAccessKind kind)
{
    return access(ctx, h, addr, size, kind, true);
}

/* ---- time order, errors, checks ------------------------------------------------ */

const uint64_t *memsys_cell_use(MemSys *m)
{
    memset(m->cover, 0, COH_ALL_STATES * CEV_COUNT * sizeof *m->cover);
    for (uint32_t c = 0; c < m->cfg.cores; c++)
        for (size_t i = 0; i < COH_ALL_STATES * CEV_COUNT; i++)
            m->cover[i] += m->core[c].cover[i];
    return m->cover;
}

void memsys_home_waits(const MemSys *m, uint32_t node, uint64_t *waits,
                       uint64_t *cycles, uint64_t *nacks)
{
    *waits = m->node[node].waits;
    *cycles = m->node[node].wait_cycles;
    *nacks = m->node[node].nacks;
}

void memsys_set_events(MemSys *m, SimEvBus *ev)
{
    m->ev = ev;
    noc_set_events(m->noc, ev);
}

FlatMemCounts memsys_hart_counts(const MemSys *m, uint32_t hart)
{
    FlatMemCounts c = m->hart[hart];
    if (m->path) {
        const struct HartPath *p = &m->path[hart];
        c.loads += p->hf.hits[0];
        c.stores += p->hf.hits[1];
        c.stall += (p->hf.hits[0] + p->hf.hits[1]) * m->cfg.l1d_latency;
        c.busy_until = memsys_busy_until(m, hart);
    }
    return c;
}

/* ---- statistics ------------------------------------------------------------- */

const MemSysConfig *memsys_config(const MemSys *m) { return &m->cfg; }

void memsys_l1_stats(const MemSys *m, uint32_t core, CacheStats *out)
{
    *out = m->core[core].l1s;
    uint32_t tpc = m->cfg.threads_per_core;
    for (uint32_t t = 0; m->path && t < tpc; t++) {
        const struct HartPath *p = &m->path[core * tpc + t];
        out->accesses += p->hf.hits[0] + p->hf.hits[1];
        out->hits += p->hf.hits[0] + p->hf.hits[1];
    }
}

void memsys_l2_stats(const MemSys *m, uint32_t core, CacheStats *out)
{
    *out = m->core[core].l2s;
}

void memsys_llc_stats(const MemSys *m, uint32_t node, CacheStats *out)
{
    *out = m->node[node].llcs;
}

uint64_t memsys_msg_count(const MemSys *m, CohMsg t) { return m->msgs[t]; }
uint64_t memsys_device_access(MemSys *m, uint32_t addr, uint64_t t,
                              uint32_t bytes)
{
    int home = memsys_home(m, addr);
    uint32_t node = home < 0 ? 0 : (uint32_t)home;
    uint32_t dev = m->cfg.core_router[0], to = m->cfg.node_router[node];
    /* The request crosses the interconnect to the home's controller,
     * the data comes back, both in the links' calendars. */
    uint64_t at = noc_send_tagged(m->noc, dev, to, m->cfg.ctrl_bytes, t,
                                  MEMSYS_DEV_REQ);
    uint64_t ready = memctl_access(&m->node[node].mem, at, bytes);
    return noc_send_tagged(m->noc, to, dev, bytes + m->cfg.ctrl_bytes, ready,
                           MEMSYS_DEV_DATA);
}

const char *const memsys_device_msg_names[MEMSYS_DEV_END - MEMSYS_DEV_REQ] = {
    "GPU_REQ", "GPU_DATA"};

const MemCtl *memsys_memctl(const MemSys *m, uint32_t node)
{
    return &m->node[node].mem;
}
const Noc *memsys_noc(const MemSys *m) { return m->noc; }

void memsys_keep_packets(MemSys *m) { noc_keep_packets(m->noc); }

Noc *memsys_shared_noc(MemSys *m) { return m->noc; }

void memsys_lock(MemSys *m)
{
    if (m->cfg.locked)
        pthread_mutex_lock(&m->lock);
}

void memsys_unlock(MemSys *m)
{
    if (m->cfg.locked)
        pthread_mutex_unlock(&m->lock);
}

static uint64_t heat(const LineStats *s)
{
    return s->invalidations + s->transfers;
}

size_t memsys_hot_lines(const MemSys *m, LineStats *out, size_t n)
{
    size_t got = 0, i = 0;
    const DirEntry *e;
    while ((e = coh_dir_next(&m->dir, &i))) {
        LineStats s = coh_line_stats(e);
        if (heat(&s) == 0)
            continue;
        /* Insertion into the sorted top n (hottest first, then by address
         * so that the order is deterministic). */
        size_t j = got < n ? got++ : n;
        while (j > 0 && (heat(&out[j - 1]) < heat(&s) ||
                         (heat(&out[j - 1]) == heat(&s) &&
                          out[j - 1].line > s.line))) {
            if (j < n)
                out[j] = out[j - 1];
            j--;
        }
        if (j < n)
            out[j] = s;
    }
    return got;
}

void memsys_each_line(const MemSys *m,
                      void (*fn)(void *ctx, const LineStats *s), void *ctx)
{
    size_t i = 0;
    const DirEntry *e;
    while ((e = coh_dir_next(&m->dir, &i))) {
        LineStats s = coh_line_stats(e);
        if (s.misses)
            fn(ctx, &s);
    }
}

static uint32_t hier_line(const MemSys *m, uint32_t core, uint32_t addr)
{
    return ((addr & m->cfg.addr_mask) | m->cfg.core_tag[core]) &
           ~(m->cfg.l1d.line - 1);
}

/* What a view shows is the machine as of its latest known time: when the
 * last access of any hart ends (the messages that arrive by then have
 * had their effect). */
static uint64_t view_now(const MemSys *m)
{
    uint64_t now = 0;
    for (uint32_t h = 0; h < m->cfg.cores * m->cfg.threads_per_core; h++)
        if (memsys_busy_until(m, h) > now)
            now = memsys_busy_until(m, h);
    return now;
}

int memsys_l1_state_raw(const MemSys *m, uint32_t core, uint32_t addr)
{
    CacheLine *l = cache_lookup(m->core[core].l1, hier_line(m, core, addr),
                                false);
    return l ? l->state : COH_I;
}

int memsys_l1_state(const MemSys *m, uint32_t core, uint32_t addr)
{
    uint32_t line = hier_line(m, core, addr);
    if (!cache_lookup(m->core[core].l1, line, false))
        return COH_I;
    return coh_stable_of(coh_state_at(m, core, line, view_now(m)));
}

void memsys_l1_dump(const MemSys *m, uint32_t core, uint8_t *state,
                    uint32_t *addr)
{
    const Cache *c = m->core[core].l1;
    uint32_t sets = cache_sets(c), ways = cache_geom(c)->assoc;
    uint64_t now = view_now(m);
    for (uint32_t s = 0; s < sets; s++)
        for (uint32_t w = 0; w < ways; w++) {
            const CacheLine *l = cache_line_at(c, s, w);
            uint8_t st = l->state;
            if (st && m->core[core].npend)
                st = coh_state_at(m, core, l->addr, now);
            state[s * ways + w] = coh_stable_of(st);
            addr[s * ways + w] = l->addr && m->cfg.placement == PLACE_PRIVATE
                                     ? m->cfg.ram_base |
                                           (l->addr & ((1u << m->cfg.private_shift) - 1))
                                     : l->addr;
        }
}

/* With a filter, its end is the last access's: counted() sets it too
 * (a clock written back by mcycle makes the later of the two wrong). */
uint64_t memsys_busy_until(const MemSys *m, uint32_t hart)
{
    return m->path ? m->path[hart].hf.busy_until : m->hart[hart].busy_until;
}
