/* simt.c — the coalescer, shared-memory banks and the GPU's memory path
 * (simt.h).  docs/gpu.md gives the same rules for users. */
#include "models/simt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the coalescer ------------------------------------------------------ */

static void add_sectors(SimtCoalesced *o, uint32_t line, uint8_t bits)
{
    for (uint32_t i = 0; i < o->nlines; i++)
        if (o->line[i] == line) {
            o->sectors[i] |= bits;
            return;
        }
    o->line[o->nlines] = line;
    o->sectors[o->nlines++] = bits;
}

uint32_t simt_coalesce(const uint32_t *addr, const uint8_t *size,
                       uint32_t mask, SimtCoalesced *out)
{
    out->nlines = 0;
    for (uint32_t i = 0; i < SIMT_MAX_LANES; i++) {
        if (!(mask >> i & 1))
            continue;
        uint32_t a = addr[i], last = a + (size[i] ? size[i] : 1) - 1;
        if (last < a)                       /* wraps: stop at the top */
            last = UINT32_MAX;
        /* Each line the bytes [a, last] touch, the sectors within it. */
        for (uint32_t l = a & ~(SIMT_LINE - 1);; l += SIMT_LINE) {
            uint32_t lo = a > l ? a : l;
            uint32_t hi = last < l + SIMT_LINE - 1 ? last : l + SIMT_LINE - 1;
            uint8_t bits = 0;
            for (uint32_t s = (lo - l) / SIMT_SECTOR; s <= (hi - l) / SIMT_SECTOR;
                 s++)
                bits |= (uint8_t)(1u << s);
            add_sectors(out, l, bits);
            if (hi == last)
                break;
        }
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < out->nlines; i++)
        n += (uint32_t)__builtin_popcount(out->sectors[i]);
    out->nsectors = n;
    return n;
}

/* ---- shared-memory banks ------------------------------------------------- */

uint32_t simt_bank_degree(const uint32_t *addr, uint32_t mask,
                          uint32_t banks, uint32_t *worst)
{
    uint32_t words[SIMT_MAX_LANES], n = 0;
    /* Distinct words: same-word lanes are one broadcast. */
    for (uint32_t i = 0; i < SIMT_MAX_LANES; i++) {
        if (!(mask >> i & 1))
            continue;
        uint32_t w = addr[i] >> 2, k;
        for (k = 0; k < n && words[k] != w; k++)
            ;
        if (k == n)
            words[n++] = w;
    }
    uint32_t best = 0, bank = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = words[i] % banks, c = 0;
        for (uint32_t k = 0; k < n; k++)
            c += words[k] % banks == b;
        if (c > best || (c == best && b < bank)) {
            best = c;
            bank = b;
        }
    }
    if (worst)
        *worst = bank;
    return best;
}

/* ---- the memory path ------------------------------------------------------ */

struct SimtMem {
    SimtMemConfig cfg;
    Cache **l1;
    Cache *l2;
    uint64_t l2_free;             /* the L2's next free transfer cycle */
    MemCtl own;                   /* device memory without `memory` */
    SimtMemFn memory;
    void *ctx;
    SimtMemCounts n;
};

SimtMem *simt_mem_new(const SimtMemConfig *c, SimtMemFn memory, void *ctx,
                      char *err, size_t errlen)
{
    CacheGeom g1 = {c->l1_size, c->l1_assoc, SIMT_LINE, CACHE_REPL_LRU, 0};
    CacheGeom g2 = {c->l2_size, c->l2_assoc, SIMT_LINE, CACHE_REPL_LRU, 0};
    char why[160];
    if (!cache_geom_check(&g1, why, sizeof why)) {
        snprintf(err, errlen, "gpu.l1: %s", why);
        return NULL;
    }
    if (!cache_geom_check(&g2, why, sizeof why)) {
        snprintf(err, errlen, "gpu.l2: %s", why);
        return NULL;
    }
    SimtMem *m = calloc(1, sizeof *m);
    if (!m || !(m->l1 = calloc(c->sms, sizeof *m->l1)))
        goto oom;
    m->cfg = *c;
    for (uint32_t i = 0; i < c->sms; i++)
        if (!(m->l1[i] = cache_new(&g1)))
            goto oom;
    if (!(m->l2 = cache_new(&g2)))
        goto oom;
    m->memory = memory;
    m->ctx = ctx;
    memctl_init(&m->own, c->mem_latency, c->mem_bytes_per_cycle);
    return m;
oom:
    simt_mem_free(m);
    snprintf(err, errlen, "out of memory for the GPU's caches");
    return NULL;
}

void simt_mem_free(SimtMem *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; m->l1 && i < m->cfg.sms; i++)
        cache_free(m->l1[i]);
    free(m->l1);
    cache_free(m->l2);
    free(m);
}

static void clear_line(void *ctx, const CacheLine *l)
{
    Cache *c = ctx;
    CacheLine *x = cache_lookup(c, l->addr, false);
    if (x)
        cache_invalidate(c, x);
}

void simt_mem_flush_l1(SimtMem *m)
{
    for (uint32_t i = 0; i < m->cfg.sms; i++)
        cache_each(m->l1[i], clear_line, m->l1[i]);
}

/* Sectored caches: a line's `dirty` byte holds which of its sectors are
 * there (CacheLine leaves it to the caller).  Sectors `bits` of line into
 * cache c, evicting what the way held if the line is not there. */
static void fill(Cache *c, CacheLine *x, uint32_t line, uint8_t bits)
{
    if (!x) {
        x = cache_victim(c, line);
        cache_fill(c, x, line, 1);
        x->dirty = 0;
    }
    x->dirty |= bits;
}

uint64_t simt_mem_access(SimtMem *m, uint32_t sm, uint32_t line,
                         uint8_t sectors, bool store, uint64_t t,
                         SimtLevel *level)
{
    uint32_t nsec = (uint32_t)__builtin_popcount(sectors);
    Cache *l1 = m->l1[sm];
    CacheLine *x = cache_lookup(l1, line, true);
    uint8_t missing = sectors;
    *level = SIMT_L1;
    if (store) {
        m->n.stores += nsec;
        if (x)
            cache_invalidate(l1, x);
        x = NULL;
    } else {
        if (x)
            missing = sectors & (uint8_t)~x->dirty;
        uint32_t miss = (uint32_t)__builtin_popcount(missing);
        m->n.l1_hits += nsec - miss;
        m->n.l1_misses += miss;
        if (!missing)
            return t + m->cfg.l1_latency;
    }
    /* The L2 moves the request's sectors at l2_bytes_per_cycle, in the
     * order requests come (the SMs are stepped lowest clock first, so
     * they come in time order): a queue, however long it grows. */
    uint32_t nmiss = (uint32_t)__builtin_popcount(missing);
    uint32_t bw = m->cfg.l2_bytes_per_cycle;
    uint32_t busy = (nmiss * SIMT_SECTOR + bw - 1) / bw;
    uint64_t at = t + m->cfg.l1_latency;
    uint64_t start = at > m->l2_free ? at : m->l2_free;
    m->l2_free = start + busy;
    uint64_t done = start + busy + m->cfg.l2_latency;
    *level = SIMT_L2;
    CacheLine *y = cache_lookup(m->l2, line, true);
    uint8_t absent = y ? missing & (uint8_t)~y->dirty : missing;
    uint32_t nabs = (uint32_t)__builtin_popcount(absent);
    if (!store) {
        m->n.l2_hits += nmiss - nabs;
        m->n.l2_misses += nabs;
    }
    if (absent && !store) {
        /* Loads fetch the sectors the L2 lacks from memory; stores write
         * their sectors into the L2 (write-back is not modelled). */
        *level = SIMT_MEM;
        uint32_t bytes = nabs * SIMT_SECTOR;
        m->n.mem_bytes += bytes;
        done = m->memory ? m->memory(m->ctx, line, done, bytes)
                         : memctl_access(&m->own, done, bytes);
    }
    fill(m->l2, y, line, missing);
    if (!store)
        fill(l1, x, line, missing);
    return done;
}

const SimtMemCounts *simt_mem_counts(const SimtMem *m) { return &m->n; }

const MemCtl *simt_mem_ctl(const SimtMem *m)
{
    return m->memory ? NULL : &m->own;
}
