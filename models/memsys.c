/* memsys.c — the coherent memory hierarchy (see memsys.h).
 *
 * The private-cache side of each protocol is a transition table
 * (state x event -> next state, actions), one per protocol; the engine
 * below carries out the actions as messages on the interconnect:
 *
 *   directory  request core -> home (GETS/GETX/UPGRADE); the home looks the
 *              line up (dir_latency); if another core owns it (E/O/M) the
 *              request is forwarded (FWD) and the owner sends the DATA;
 *              otherwise the home's LLC slice, or memory behind it, does.
 *              A write sends INV to every other sharer, which ACKs to the
 *              requester.  Evictions send PUTS (clean) or PUTX (dirty, with
 *              the line).  A full bit-vector of sharers per line.
 *   snoop      every request is one transaction on the shared bus (all
 *              caches see it at once, no INV/ACK messages); the owner or
 *              the LLC answers with DATA on the bus.
 *
 * A core's latency for an access = L1 hit time, or the time until the last
 * message it needs (data, acknowledgements) arrives.  Messages that are
 * not on the critical path (write-backs) still occupy links and memory
 * controllers, so they cost others time.  Simplifications, documented in
 * docs/memory.md: the directory has an entry for every line (no directory
 * evictions); a private L2 is inclusive of its L1; stores stall until they
 * complete (no store buffer); the LLC is non-inclusive.
 */
#include "models/memsys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const coh_state_names[COH_STATE_COUNT] = {"I", "S", "E", "O",
                                                      "M"};
const char *const coh_msg_names[MSG_COUNT] = {
    "GETS", "GETX", "UPGRADE", "INV", "ACK", "FWD", "DATA", "PUTS", "PUTX",
    "WB"};

/* ---- protocol tables ---------------------------------------------------- */

typedef enum Event {
    EV_LOAD, EV_STORE,       /* the core's own accesses */
    EV_RGETS, EV_RGETX,      /* another core's read / write of the line */
    EV_EVICT,                /* replacement */
    EV_COUNT
} Event;

enum {
    A_HIT = 1 << 0,          /* satisfied locally */
    A_GETS = 1 << 1,         /* read request */
    A_GETX = 1 << 2,         /* write request with data */
    A_UPGRADE = 1 << 3,      /* write request without data */
    A_SUPPLY = 1 << 4,       /* send our copy to the requester */
    A_WRITEBACK = 1 << 5,    /* write the dirty line back to its home */
    A_PUTS = 1 << 6,         /* tell the directory we dropped a clean copy */
};

/* X: "E if nobody else has the line, else S" (resolved by the engine). */
#define X 7

typedef struct Transition {
    uint8_t next;
    uint8_t actions;
} Transition;

/* ORDER STATE: rows I S E O M; ORDER Event: columns. */
static const Transition msi[COH_STATE_COUNT][EV_COUNT] = {
    /*        LOAD                STORE                RGETS                       RGETX                  EVICT */
    /* I */ {{COH_S, A_GETS},    {COH_M, A_GETX},     {COH_I, 0},                 {COH_I, 0},            {COH_I, 0}},
    /* S */ {{COH_S, A_HIT},     {COH_M, A_UPGRADE},  {COH_S, 0},                 {COH_I, 0},            {COH_I, A_PUTS}},
    /* E */ {{COH_I, 0},         {COH_I, 0},          {COH_I, 0},                 {COH_I, 0},            {COH_I, 0}},
    /* O */ {{COH_I, 0},         {COH_I, 0},          {COH_I, 0},                 {COH_I, 0},            {COH_I, 0}},
    /* M */ {{COH_M, A_HIT},     {COH_M, A_HIT},      {COH_S, A_SUPPLY | A_WRITEBACK}, {COH_I, A_SUPPLY}, {COH_I, A_WRITEBACK}},
};

static const Transition mesi[COH_STATE_COUNT][EV_COUNT] = {
    /* I */ {{X, A_GETS},        {COH_M, A_GETX},     {COH_I, 0},                 {COH_I, 0},            {COH_I, 0}},
    /* S */ {{COH_S, A_HIT},     {COH_M, A_UPGRADE},  {COH_S, 0},                 {COH_I, 0},            {COH_I, A_PUTS}},
    /* E */ {{COH_E, A_HIT},     {COH_M, A_HIT},      {COH_S, A_SUPPLY},          {COH_I, A_SUPPLY},     {COH_I, A_PUTS}},
    /* O */ {{COH_I, 0},         {COH_I, 0},          {COH_I, 0},                 {COH_I, 0},            {COH_I, 0}},
    /* M */ {{COH_M, A_HIT},     {COH_M, A_HIT},      {COH_S, A_SUPPLY | A_WRITEBACK}, {COH_I, A_SUPPLY}, {COH_I, A_WRITEBACK}},
};

static const Transition moesi[COH_STATE_COUNT][EV_COUNT] = {
    /* I */ {{X, A_GETS},        {COH_M, A_GETX},     {COH_I, 0},                 {COH_I, 0},            {COH_I, 0}},
    /* S */ {{COH_S, A_HIT},     {COH_M, A_UPGRADE},  {COH_S, 0},                 {COH_I, 0},            {COH_I, A_PUTS}},
    /* E */ {{COH_E, A_HIT},     {COH_M, A_HIT},      {COH_S, A_SUPPLY},          {COH_I, A_SUPPLY},     {COH_I, A_PUTS}},
    /* O */ {{COH_O, A_HIT},     {COH_M, A_UPGRADE},  {COH_O, A_SUPPLY},          {COH_I, A_SUPPLY},     {COH_I, A_WRITEBACK}},
    /* M */ {{COH_M, A_HIT},     {COH_M, A_HIT},      {COH_O, A_SUPPLY},          {COH_I, A_SUPPLY},     {COH_I, A_WRITEBACK}},
};

static const Transition (*const tables[])[EV_COUNT] = {msi, mesi, moesi};

/* ---- hash maps: directory entries and first-touch pages ------------------ */

typedef struct DirEntry {
    uint32_t line;           /* the key, 0: an empty slot.  A line's key is
                                its address | 1 (a line is at least 4-byte
                                aligned), as a rank's first line is at
                                hierarchy address 0; a page's is page + 1 */
    int16_t owner;           /* core with E, O or M, or -1 */
    uint64_t sharers;        /* cores with any valid copy */
    /* The line's last transaction at its home, [busy_from, busy_until):
     * the home takes one request for a line at a time (its transient
     * state), so a request that arrives while one is under way waits. */
    uint64_t busy_from, busy_until;
    LineStats st;
} DirEntry;

typedef struct Dir {
    DirEntry *e;
    size_t cap, used;
} Dir;

static inline size_t hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static bool dir_grow(Dir *d)
{
    size_t cap = d->cap ? d->cap * 2 : 4096;
    DirEntry *n = calloc(cap, sizeof *n);
    if (!n)
        return false;
    for (size_t i = 0; i < d->cap; i++) {
        if (!d->e[i].line)
            continue;
        size_t j = hash32(d->e[i].line) & (cap - 1);
        while (n[j].line)
            j = (j + 1) & (cap - 1);
        n[j] = d->e[i];
    }
    free(d->e);
    d->e = n;
    d->cap = cap;
    return true;
}

/* The entry of a line, created empty on first use (NULL: out of memory). */
static DirEntry *dir_get(Dir *d, uint32_t line)
{
    if ((d->used + 1) * 2 > d->cap && !dir_grow(d))
        return NULL;
    size_t j = hash32(line) & (d->cap - 1);
    while (d->e[j].line && d->e[j].line != line)
        j = (j + 1) & (d->cap - 1);
    if (!d->e[j].line) {
        d->e[j].line = line;
        d->e[j].owner = -1;
        d->e[j].st.line = line & ~1u;        /* a line's own address */
        d->used++;
    }
    return &d->e[j];
}

/* ---- the machine ---------------------------------------------------------- */

/* Cache-line aligned: neighbouring cores usually run on different host
 * threads in parallel mode. */
typedef struct Core {
    _Alignas(64) int lock;       /* parallel mode: see memsys_access */
    Cache *l1, *l2;
    MissClassifier *mc, *mc2;    /* of L1 and L2 */
    uint32_t mc_last;            /* the line mc saw last (0: none): a hit
                                    on it again leaves its order as it is */
    CacheStats l1s, l2s;
} Core;

typedef struct Node {
    Cache *llc;
    MissClassifier *mc;
    MemCtl mem;
    CacheStats llcs;
} Node;

struct MemSys {
    MemSysConfig cfg;
    Core *core;
    Node *node;
    Noc *noc;
    Dir dir;
    Dir pages;               /* first touch: page number + 1 -> node */
    uint32_t line_shift, page_shift;
    uint32_t data_bytes;
    uint64_t msgs[MSG_COUNT];
    uint64_t sharing;        /* invalidations + transfers + upgrades */
    FlatMemCounts *hart;     /* per hart: accesses by kind, stall cycles */
    SimEvBus *ev;            /* events (NULL: none) */
    uint8_t miss_res;        /* a miss's result (see access_locked) */
    pthread_mutex_t lock;
};

/* ---- parallel mode --------------------------------------------------------
 *
 * With several host threads (cfg.locked) a core's private caches are
 * touched by its own host thread (every access) and by other cores' misses
 * (invalidations, forwards).  Each core has a spinlock over its caches,
 * its classifiers and its counters; misses are serialised by one mutex
 * over the shared state (directory, LLC, memory, interconnect).  Lock
 * order: the mutex, then one core lock at a time; a hit takes only its own
 * core's lock; a miss touches its own core without that lock, because
 * only its own host thread runs it and other misses wait for the mutex. */
static void core_lock(MemSys *m, uint32_t c)
{
    if (!m->cfg.locked)
        return;
    int *l = &m->core[c].lock;
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(l, __ATOMIC_RELAXED))
            ;
}

static void core_unlock(MemSys *m, uint32_t c)
{
    if (m->cfg.locked)
        __atomic_store_n(&m->core[c].lock, 0, __ATOMIC_RELEASE);
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
    MemSys *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cfg = *c;
    if (c->placement != PLACE_PRIVATE) {     /* one memory: as it is */
        m->cfg.addr_mask = ~0u;
        memset(m->cfg.core_tag, 0, sizeof m->cfg.core_tag);
    }
    m->line_shift = log2u(c->l1d.line);
    m->page_shift = log2u(c->page_size);
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
    bool ok = m->core && m->hart && m->node && m->noc && dir_grow(&m->dir) &&
              dir_grow(&m->pages);
    for (uint32_t i = 0; ok && i < c->cores; i++) {
        Core *k = &m->core[i];
        k->l1 = cache_new(&c->l1d);
        k->mc = missclass_new(c->l1d.size / c->l1d.line);
        if (c->l2_on) {
            k->l2 = cache_new(&c->l2);
            k->mc2 = missclass_new(c->l2.size / c->l2.line);
        }
        ok = k->l1 && k->mc && (!c->l2_on || (k->l2 && k->mc2));
    }
    for (uint32_t i = 0; ok && i < c->nodes; i++) {
        m->node[i].llc = cache_new(&c->llc);
        m->node[i].mc = missclass_new(c->llc.size / c->llc.line);
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
    }
    for (uint32_t i = 0; m->node && i < m->cfg.nodes; i++) {
        cache_free(m->node[i].llc);
        missclass_free(m->node[i].mc);
    }
    free(m->core);
    free(m->hart);
    free(m->node);
    noc_free(m->noc);
    free(m->dir.e);
    free(m->pages.e);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

/* ---- placement ------------------------------------------------------------ */

int memsys_home(const MemSys *m, uint32_t addr)
{
    uint32_t page = addr >> m->page_shift;
    switch (m->cfg.placement) {
    case PLACE_INTERLEAVED:
        return (int)(page % m->cfg.nodes);
    case PLACE_BOUND:
        return (int)m->cfg.bound_node;
    case PLACE_PRIVATE:
        return (int)(addr >> m->cfg.private_shift);
    case PLACE_FIRST_TOUCH: {
        const Dir *d = &m->pages;
        size_t j = hash32(page + 1) & (d->cap - 1);
        while (d->e[j].line && d->e[j].line != page + 1)
            j = (j + 1) & (d->cap - 1);
        return d->e[j].line ? d->e[j].owner : -1;
    }
    }
    return 0;
}

/* Home node of addr; under first-touch the first core to touch a page
 * makes its node the home. */
static uint32_t home_of(MemSys *m, uint32_t addr, uint32_t core)
{
    if (m->cfg.placement != PLACE_FIRST_TOUCH)
        return (uint32_t)memsys_home(m, addr);
    DirEntry *e = dir_get(&m->pages, (addr >> m->page_shift) + 1);
    if (!e)
        return 0;
    if (e->owner < 0)
        e->owner = (int16_t)(core / (m->cfg.cores / m->cfg.nodes));
    return (uint32_t)e->owner;
}

/* ---- messages ---------------------------------------------------------------- */

static uint64_t send(MemSys *m, CohMsg type, uint32_t from, uint32_t to,
                     uint64_t t)
{
    m->msgs[type]++;
    bool data = type == MSG_DATA || type == MSG_PUTX || type == MSG_WB;
    /* The interconnect publishes its MSG_SEND / MSG_RECV events. */
    return noc_send_tagged(m->noc, from, to,
                           data ? m->data_bytes : m->cfg.ctrl_bytes, t,
                           (uint8_t)type);
}

static uint32_t core_router(const MemSys *m, uint32_t core)
{
    return m->cfg.core_router[core];
}

static uint32_t node_router(const MemSys *m, uint32_t node)
{
    return m->cfg.node_router[node];
}

/* The home supplies a line: its LLC slice, or memory behind it.  Returns
 * when the data is ready at the home. */
static uint64_t home_data(MemSys *m, uint32_t home, uint32_t line,
                          uint64_t t)
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

/* A dirty line written back into its home's LLC slice. */
static void home_writeback(MemSys *m, uint32_t home, uint32_t line,
                           uint64_t t)
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

/* ---- private caches ------------------------------------------------------- */

static void set_private_state(MemSys *m, uint32_t core, uint32_t line,
                              uint8_t state)
{
    Core *k = &m->core[core];
    CacheLine *l = cache_lookup(k->l1, line, false);
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

static int private_state(const MemSys *m, uint32_t core, uint32_t line)
{
    const Core *k = &m->core[core];
    CacheLine *l = cache_lookup(k->l1, line, false);
    if (!l && k->l2)
        l = cache_lookup(k->l2, line, false);
    return l ? l->state : COH_I;
}

/* A line leaves core's private hierarchy by replacement: tell the home as
 * the protocol says (PUTS / PUTX). */
static void evict(MemSys *m, uint32_t core, uint32_t line, uint8_t state,
                  uint64_t t)
{
    Transition tr = tables[m->cfg.protocol][state][EV_EVICT];
    DirEntry *e = dir_get(&m->dir, line | 1);
    uint32_t home = home_of(m, line, core);
    if (tr.actions & A_WRITEBACK) {
        m->core[core].l1s.writebacks++;
        send(m, MSG_PUTX, core_router(m, core), node_router(m, home), t);
        home_writeback(m, home, line, t);
    } else if ((tr.actions & A_PUTS) && m->cfg.org == COH_DIRECTORY) {
        send(m, MSG_PUTS, core_router(m, core), node_router(m, home), t);
    }
    if (e) {
        e->sharers &= ~(1ull << core);
        if (e->owner == (int)core)
            e->owner = -1;
    }
}

/* Put line into core's L1 (and L2) in `state`, evicting what it displaces.
 * A line displaced from L1 only stays in the (inclusive) L2. */
static void fill_private(MemSys *m, uint32_t core, uint32_t line,
                         uint8_t state, uint64_t t)
{
    Core *k = &m->core[core];
    CacheLine *have = k->l2 ? cache_lookup(k->l2, line, false) : NULL;
    if (have)
        have->state = state;
    if (k->l2 && !have) {
        CacheLine *v = cache_victim(k->l2, line);
        if (v->state) {
            uint32_t old = v->addr;
            uint8_t st = v->state;
            CacheLine *l1 = cache_lookup(k->l1, old, false);
            if (l1)
                cache_invalidate(k->l1, l1);
            cache_invalidate(k->l2, v);
            evict(m, core, old, st, t);
        }
        cache_fill(k->l2, v, line, state);
    }
    CacheLine *v = cache_victim(k->l1, line);
    if (v->state) {
        uint32_t old = v->addr;
        uint8_t st = v->state;
        cache_invalidate(k->l1, v);
        if (!k->l2)
            evict(m, core, old, st, t);
    }
    cache_fill(k->l1, v, line, state);
}

/* ---- coherence transactions ---------------------------------------------- */

/* private_state of another core (under its lock). */
static int other_state(MemSys *m, uint32_t core, uint32_t line)
{
    core_lock(m, core);
    int st = private_state(m, core, line);
    core_unlock(m, core);
    return st;
}

/* Another core's copy reacts to a remote read (RGETS) or write (RGETX). */
static Transition remote(MemSys *m, uint32_t core, uint32_t line, Event ev)
{
    core_lock(m, core);
    uint8_t st = (uint8_t)private_state(m, core, line);
    Transition tr = tables[m->cfg.protocol][st][ev];
    /* Write sharing: dirty data moving to a reader.  (Clean read sharing
     * is not contention: it does not refine the scheduler.) */
    if (ev == EV_RGETS && (st == COH_M || st == COH_O))
        m->sharing++;
    if (st != COH_I && tr.next != st) {
        set_private_state(m, core, line, tr.next);
        if (tr.next == COH_I) {
            m->core[core].l1s.invalidations++;
            m->sharing++;
            missclass_invalidated(m->core[core].mc, line);
            if (m->core[core].mc_last == line)
                m->core[core].mc_last = 0;
            if (m->core[core].mc2)
                missclass_invalidated(m->core[core].mc2, line);
        }
    }
    core_unlock(m, core);
    return tr;
}

/* A request for e's line reaching its home at t: it is taken when the
 * line's previous transaction is done.  (One simulated after another but
 * issued a few cycles before it waits all the same: the two are
 * serialised either way, only their order is swapped.) */
static uint64_t serialise(DirEntry *e, uint64_t t)
{
    if (t < e->busy_until)
        t = e->busy_until;
    e->busy_from = t;
    return t;
}

/* Serve a miss or upgrade of `core` (request type req) that leaves the
 * core at time t; returns when the core may go on. */
static uint64_t transaction(MemSys *m, DirEntry *e, uint32_t core,
                            uint32_t line, CohMsg req, uint64_t t,
                            uint8_t *new_state)
{
    uint32_t home = home_of(m, line, core);
    uint32_t me = core_router(m, core), hr = node_router(m, home);
    uint64_t others = e->sharers & ~(1ull << core);
    int owner = e->owner >= 0 && (uint32_t)e->owner != core ? e->owner : -1;
    bool write = req != MSG_GETS;
    uint64_t done;

    if (m->cfg.org == COH_SNOOP) {
        /* One bus transaction: every cache snoops it at once. */
        uint64_t t1 = serialise(e, send(m, req, me, hr, t));
        done = t1;
        if (owner >= 0) {
            Transition tr = remote(m, (uint32_t)owner, line,
                                   write ? EV_RGETX : EV_RGETS);
            if (tr.actions & A_WRITEBACK) {
                m->msgs[MSG_WB]++;        /* memory snarfs the bus data */
                home_writeback(m, home, line, t1);
            }
            if (req != MSG_UPGRADE) {
                done = send(m, MSG_DATA, core_router(m, (uint32_t)owner), me,
                            t1 + m->cfg.l1d_latency);
                e->st.transfers++;
            }
        } else if (req != MSG_UPGRADE) {
            uint64_t ready = home_data(m, home, line, t1);
            done = send(m, MSG_DATA, hr, me, ready);
        }
        if (write)
            for (uint32_t s = 0; s < m->cfg.cores; s++)
                if ((others >> s) & 1) {
                    if ((int)s != owner)
                        remote(m, s, line, EV_RGETX);
                    e->st.invalidations++;
                }
    } else {
        uint64_t t1 = serialise(e, send(m, req, me, hr, t)) +
                      m->cfg.dir_latency;
        done = t1;
        if (owner >= 0) {
            /* The owner has the only up-to-date copy: forward. */
            uint64_t t2 = send(m, MSG_FWD, hr, core_router(m, (uint32_t)owner),
                               t1);
            Transition tr = remote(m, (uint32_t)owner, line,
                                   write ? EV_RGETX : EV_RGETS);
            uint32_t orr = core_router(m, (uint32_t)owner);
            if (tr.actions & A_WRITEBACK) {
                send(m, MSG_WB, orr, hr, t2 + m->cfg.l1d_latency);
                home_writeback(m, home, line, t2 + m->cfg.l1d_latency);
            }
            if (req == MSG_UPGRADE)
                done = send(m, MSG_ACK, orr, me, t2 + m->cfg.l1d_latency);
            else {
                done = send(m, MSG_DATA, orr, me, t2 + m->cfg.l1d_latency);
                e->st.transfers++;
            }
        } else if (req != MSG_UPGRADE) {
            uint64_t ready = home_data(m, home, line, t1);
            done = send(m, MSG_DATA, hr, me, ready);
        }
        if (write)
            for (uint32_t s = 0; s < m->cfg.cores; s++) {
                if (!((others >> s) & 1))
                    continue;
                e->st.invalidations++;
                if ((int)s == owner)
                    continue;         /* handled by the forward */
                uint32_t sr = core_router(m, s);
                uint64_t ti = send(m, MSG_INV, hr, sr, t1);
                remote(m, s, line, EV_RGETX);
                uint64_t ta = send(m, MSG_ACK, sr, me, ti + m->cfg.l1d_latency);
                if (ta > done)
                    done = ta;
            }
    }

    /* The next request for this line is taken once this one is done. */
    e->busy_until = done;

    /* The requester's new state and the directory's view of it. */
    uint8_t st;
    if (write) {
        st = COH_M;
        e->sharers = 1ull << core;
        e->owner = (int16_t)core;
    } else {
        /* X in the tables: exclusive if nobody else keeps a copy. */
        uint64_t keep = e->sharers & ~(1ull << core);
        bool alone = true;
        for (uint32_t s = 0; s < m->cfg.cores && alone; s++)
            if (((keep >> s) & 1) && other_state(m, s, line) != COH_I)
                alone = false;
        st = m->cfg.protocol != COH_MSI && alone ? COH_E : COH_S;
        if (owner >= 0 && other_state(m, (uint32_t)owner, line) == COH_I)
            e->sharers &= ~(1ull << owner);
        e->sharers |= 1ull << core;
        if (st == COH_E)
            e->owner = (int16_t)core;
        else if (e->owner >= 0 &&
                 other_state(m, (uint32_t)e->owner, line) != COH_O &&
                 other_state(m, (uint32_t)e->owner, line) != COH_M)
            e->owner = -1;
    }
    *new_state = st;
    return done;
}

/* ---- the access ------------------------------------------------------------- */

/* The L1 hit path: true (and the latency in *lat) when the access is
 * satisfied by core's L1 without any message. */
static bool l1_hit(MemSys *m, uint32_t core, uint32_t line, bool write,
                   uint32_t *lat, CacheLine **found)
{
    Core *k = &m->core[core];
    CacheLine *l = cache_lookup(k->l1, line, true);
    *found = l;
    if (!l)
        return false;
    uint8_t st = l->state;
    Transition tr = tables[m->cfg.protocol][st][write ? EV_STORE : EV_LOAD];
    if (!(tr.actions & A_HIT))
        return false;
    k->l1s.accesses++;
    k->l1s.hits++;
    if (line != k->mc_last) {
        missclass_hit(k->mc, line);
        k->mc_last = line;
    }
    if (tr.next != st)
        set_private_state(m, core, line, tr.next);   /* E -> M, silent */
    *lat = m->cfg.l1d_latency;
    return true;
}

/* A miss leaves its result (1 + the miss class, or SIM_EV_UPGRADE) in
 * m->miss_res for the ACCESS event; a hit writes nothing, so the caller
 * that wants it sets SIM_EV_HIT there first. */
static uint32_t access_locked(MemSys *m, const IsaHart *h, uint32_t addr,
                              IsaAccessKind kind)
{
    uint32_t core = h->hartid / m->cfg.threads_per_core;
    Core *k = &m->core[core];
    uint32_t line = addr & ~(m->cfg.l1d.line - 1);
    bool write = kind == ISA_ACC_STORE || kind == ISA_ACC_AMO ||
                 kind == ISA_ACC_SC;
    uint64_t t = h->cycle;
    const Transition (*tab)[EV_COUNT] = tables[m->cfg.protocol];
    uint32_t lat;
    CacheLine *l;

    if (l1_hit(m, core, line, write, &lat, &l))
        return lat;
    if (m->ev)
        noc_event_cause(m->noc, h->hartid, line);
    k->l1s.accesses++;
    t += m->cfg.l1d_latency;
    uint8_t st = l ? l->state : COH_I;
    Transition tr = tab[st][write ? EV_STORE : EV_LOAD];
    DirEntry *e = dir_get(&m->dir, line | 1);
    if (!e)
        return (uint32_t)(t - h->cycle);     /* out of memory: a hit */
    if (!l) {
        MissClass c = missclass_miss(k->mc, line);
        m->miss_res = (uint8_t)(1 + c);
        k->mc_last = line;
        k->l1s.misses[c]++;
        e->st.misses++;
        e->st.l1_misses[c]++;
        if (k->l2) {
            k->l2s.accesses++;
            t += m->cfg.l2_latency;
            CacheLine *l2 = cache_lookup(k->l2, line, true);
            if (l2) {
                missclass_hit(k->mc2, line);
                st = l2->state;
                tr = tab[st][write ? EV_STORE : EV_LOAD];
                if (tr.actions & A_HIT) {
                    k->l2s.hits++;
                    fill_private(m, core, line, tr.next, t);
                    return (uint32_t)(t - h->cycle);
                }
            } else {
                k->l2s.misses[missclass_miss(k->mc2, line)]++;
            }
        }
    }
    CohMsg req = tr.actions & A_UPGRADE ? MSG_UPGRADE
               : tr.actions & A_GETX ? MSG_GETX : MSG_GETS;
    if (l)
        m->miss_res = SIM_EV_UPGRADE;
    if (req == MSG_UPGRADE) {
        k->l1s.upgrades++;
        e->st.upgrades++;
    }
    uint8_t ns = COH_S;
    uint64_t done = transaction(m, e, core, line, req, t, &ns);
    if (l)                                   /* an upgrade in place */
        set_private_state(m, core, line, ns);
    else                                     /* into L1 (L2 kept in step) */
        fill_private(m, core, line, ns, done);
    return (uint32_t)(done - h->cycle);
}

/* The access, with or without its ACCESS event: two entry points from one
 * body, so that the hot path pays nothing for events nobody listens to
 * (the machine switches its cores to memsys_access_traced while someone
 * listens to ACCESS events). */
static inline __attribute__((always_inline)) uint32_t
access(MemSys *m, const IsaHart *h, uint32_t addr, IsaAccessKind kind,
       bool traced)
{
    uint32_t r;
    uint8_t res = SIM_EV_HIT;
    uint32_t guest = addr;
    addr = (addr & m->cfg.addr_mask) |
           m->cfg.core_tag[h->hartid / m->cfg.threads_per_core];
    if (!m->cfg.locked) {
        if (traced)
            m->miss_res = SIM_EV_HIT;
        r = access_locked(m, h, addr, kind);
        if (traced)
            res = m->miss_res;
    } else {
        uint32_t core = h->hartid / m->cfg.threads_per_core;
        uint32_t line = addr & ~(m->cfg.l1d.line - 1);
        bool write = kind == ISA_ACC_STORE || kind == ISA_ACC_AMO ||
                     kind == ISA_ACC_SC;
        CacheLine *found;
        core_lock(m, core);
        bool hit = l1_hit(m, core, line, write, &r, &found);
        core_unlock(m, core);
        if (!hit) {
            pthread_mutex_lock(&m->lock);
            if (traced)
                m->miss_res = SIM_EV_HIT;
            r = access_locked(m, h, addr, kind);
            if (traced)
                res = m->miss_res;       /* read under the lock */
            pthread_mutex_unlock(&m->lock);
        }
    }
    /* Only this hart's host thread writes its counters. */
    FlatMemCounts *c = &m->hart[h->hartid];
    switch (kind) {
    case ISA_ACC_LOAD: case ISA_ACC_LR: c->loads++; break;
    case ISA_ACC_STORE: c->stores++; break;
    case ISA_ACC_AMO: case ISA_ACC_SC: c->amos++; break;
    }
    c->stall += r;
    c->busy_until = h->cycle + r;
    if (traced && sim_ev_on(m->ev, SIM_EV_ACCESS))
        sim_ev_push(m->ev, &(SimEvent){
            .cycle = h->cycle, .end = h->cycle + r, .hart = h->hartid,
            .addr = guest, .kind = SIM_EV_ACCESS, .what = (uint8_t)kind,
            .result = res});
    return r;
}

uint32_t memsys_access(void *ctx, const IsaHart *h, uint32_t addr,
                       unsigned size, IsaAccessKind kind)
{
    (void)size;
    return access(ctx, h, addr, kind, false);
}

uint32_t memsys_access_traced(void *ctx, const IsaHart *h, uint32_t addr,
                              unsigned size, IsaAccessKind kind)
{
    (void)size;
    return access(ctx, h, addr, kind, true);
}

void memsys_set_events(MemSys *m, SimEvBus *ev)
{
    m->ev = ev;
    noc_set_events(m->noc, ev);
}

const FlatMemCounts *memsys_hart_counts(const MemSys *m, uint32_t hart)
{
    return &m->hart[hart];
}

/* ---- statistics ------------------------------------------------------------- */

const MemSysConfig *memsys_config(const MemSys *m) { return &m->cfg; }

void memsys_l1_stats(const MemSys *m, uint32_t core, CacheStats *out)
{
    *out = m->core[core].l1s;
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
    size_t got = 0;
    for (size_t i = 0; i < m->dir.cap; i++) {
        const DirEntry *e = &m->dir.e[i];
        if (!e->line || heat(&e->st) == 0)
            continue;
        /* Insertion into the sorted top n (hottest first, then by address
         * so that the order is deterministic). */
        size_t j = got < n ? got++ : n;
        while (j > 0 && (heat(&out[j - 1]) < heat(&e->st) ||
                         (heat(&out[j - 1]) == heat(&e->st) &&
                          out[j - 1].line > e->line))) {
            if (j < n)
                out[j] = out[j - 1];
            j--;
        }
        if (j < n)
            out[j] = e->st;
    }
    return got;
}

void memsys_each_line(const MemSys *m,
                      void (*fn)(void *ctx, const LineStats *s), void *ctx)
{
    for (size_t i = 0; i < m->dir.cap; i++)
        if (m->dir.e[i].line && m->dir.e[i].st.misses)
            fn(ctx, &m->dir.e[i].st);
}

int memsys_l1_state(const MemSys *m, uint32_t core, uint32_t addr)
{
    uint32_t line = ((addr & m->cfg.addr_mask) | m->cfg.core_tag[core]) &
                    ~(m->cfg.l1d.line - 1);
    CacheLine *l = cache_lookup(m->core[core].l1, line, false);
    return l ? l->state : COH_I;
}

void memsys_l1_dump(const MemSys *m, uint32_t core, uint8_t *state,
                    uint32_t *addr)
{
    const Cache *c = m->core[core].l1;
    uint32_t sets = cache_sets(c), ways = cache_geom(c)->assoc;
    for (uint32_t s = 0; s < sets; s++)
        for (uint32_t w = 0; w < ways; w++) {
            const CacheLine *l = cache_line_at(c, s, w);
            state[s * ways + w] = l->state;
            addr[s * ways + w] = l->addr && m->cfg.placement == PLACE_PRIVATE
                                     ? m->cfg.ram_base |
                                           (l->addr & ((1u << m->cfg.private_shift) - 1))
                                     : l->addr;
        }
}

uint64_t memsys_busy_until(const MemSys *m, uint32_t hart)
{
    return m->hart[hart].busy_until;
}

uint64_t memsys_sharing_events(const MemSys *m)
{
    return m->sharing;
}
