/* cache.c — the set-associative tag array of cache.h: sets x ways of
 * CacheLine kept contiguous per set (an 8-way set is one 64-byte host
 * line), and the replacement state beside it in separate arrays so the
 * tag scan of cache_lookup touches as little memory as possible.
 *
 * Replacement:
 *   LRU    — a 64-bit stamp per way from a per-cache counter; the victim
 *            is the smallest stamp.  Exact, and never wraps in practice.
 *   PLRU   — the classic binary tree: assoc - 1 bits per set, node 1 the
 *            root, node n's children 2n and 2n + 1, leaf assoc + w is
 *            way w.  A bit of 0 sends the victim search left, 1 right; a
 *            touch sets each bit on its path to point away from it.
 *   RANDOM — xorshift32 seeded from geom.seed, one draw per victim taken
 *            from a full set, so the same seed gives the same victims.
 */
#include "models/cache.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct Cache {
    CacheGeom g;
    uint32_t sets;
    uint32_t assoc;
    uint32_t assoc_shift;     /* log2(assoc) */
    uint32_t set_mask;
    uint32_t line_shift;
    uint32_t plru_words;      /* uint64_t words of tree bits per set */
    uint32_t rng;             /* xorshift32 state, never 0 */
    uint64_t clock;           /* LRU stamp source */
    CacheLine *lines;         /* sets * assoc, set-major */
    uint32_t *tag;            /* per way: its line's addr | 1 while it is
                                 valid, else 0 (the scan's copy: 4 ways a
                                 compare, and no state to read) */
    CacheLine *last;          /* the way last found or filled: a miss
                                 looks its line up again and again */
    uint64_t *stamp;          /* LRU: per way */
    uint64_t *plru;           /* PLRU: plru_words per set, bit n = node n */
    /* PLRU with assoc <= 64, per way: the tree bits on its path and the
     * values a touch gives them, so a touch is one and-or. */
    uint64_t *path_mask, *path_val;
};

static bool pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* n zeroed bytes at a host cache line's start: a set's tags, stamps or
 * lines (of up to 64 bytes, or a multiple) then take no more host lines
 * than they must. */
static void *zalloc_lines(size_t n)
{
    size_t size = (n + 63) / 64 * 64;
    void *p = aligned_alloc(64, size ? size : 64);
    if (p)
        memset(p, 0, size ? size : 64);
    return p;
}

static uint32_t log2u(uint32_t x)
{
    uint32_t n = 0;
    while (x >>= 1)
        n++;
    return n;
}

bool cache_geom_check(const CacheGeom *g, char *err, size_t errlen)
{
    const char *why = NULL;
    char buf[128];

    if (!pow2(g->size)) {
        snprintf(buf, sizeof buf, "size %u is not a power of two", g->size);
        why = buf;
    } else if (!pow2(g->line)) {
        snprintf(buf, sizeof buf, "line %u is not a power of two", g->line);
        why = buf;
    } else if (g->line < 4) {
        snprintf(buf, sizeof buf, "line %u is below 4 bytes", g->line);
        why = buf;
    } else if (g->line > g->size) {
        snprintf(buf, sizeof buf, "line %u is larger than size %u",
                 g->line, g->size);
        why = buf;
    } else if (g->assoc == 0) {
        why = "assoc 0: need at least one way";
    } else if (!pow2(g->assoc)) {
        snprintf(buf, sizeof buf, "assoc %u is not a power of two", g->assoc);
        why = buf;
    } else if (g->assoc > g->size / g->line) {
        snprintf(buf, sizeof buf, "assoc %u is more than size / line = %u",
                 g->assoc, g->size / g->line);
        why = buf;
    } else if (g->repl != CACHE_REPL_LRU && g->repl != CACHE_REPL_PLRU &&
               g->repl != CACHE_REPL_RANDOM) {
        snprintf(buf, sizeof buf, "repl %d is not a replacement policy",
                 (int)g->repl);
        why = buf;
    }
    if (why && err && errlen)
        snprintf(err, errlen, "%s", why);
    return why == NULL;
}

Cache *cache_new(const CacheGeom *g)
{
    if (!cache_geom_check(g, NULL, 0))
        return NULL;
    Cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->g = *g;
    c->assoc = g->assoc;
    c->assoc_shift = log2u(g->assoc);
    c->sets = g->size / g->line / g->assoc;
    c->set_mask = c->sets - 1;
    c->line_shift = log2u(g->line);
    /* xorshift32 sticks at 0; any fixed substitute keeps runs reproducible. */
    c->rng = g->seed ? g->seed : 0x9e3779b9u;
    size_t nlines = (size_t)c->sets * c->assoc;
    c->lines = zalloc_lines(nlines * sizeof *c->lines);
    /* Whole vectors too: the scan loads 4 tags at once. */
    c->tag = zalloc_lines(nlines * sizeof *c->tag);
    if (!c->lines || !c->tag)
        goto fail;
    c->last = c->lines;
    if (g->repl == CACHE_REPL_LRU) {
        c->stamp = zalloc_lines(nlines * sizeof *c->stamp);
        if (!c->stamp)
            goto fail;
    } else if (g->repl == CACHE_REPL_PLRU) {
        /* Nodes 1..assoc-1 in bits 1..assoc-1 (bit 0 unused). */
        c->plru_words = (c->assoc + 63) / 64;
        c->plru = calloc((size_t)c->sets * c->plru_words, sizeof *c->plru);
        if (!c->plru)
            goto fail;
        if (c->assoc <= 64) {
            c->path_mask = calloc(c->assoc, sizeof *c->path_mask);
            c->path_val = calloc(c->assoc, sizeof *c->path_val);
            if (!c->path_mask || !c->path_val)
                goto fail;
            for (uint32_t w = 0; w < c->assoc; w++) {
                /* Each parent points away from the child on the path. */
                for (uint32_t n = c->assoc + w; n > 1; n >>= 1) {
                    c->path_mask[w] |= 1ull << (n >> 1);
                    if (!(n & 1))
                        c->path_val[w] |= 1ull << (n >> 1);
                }
            }
        }
    }
    return c;
fail:
    cache_free(c);
    return NULL;
}

void cache_free(Cache *c)
{
    if (!c)
        return;
    free(c->lines);
    free(c->tag);
    free(c->stamp);
    free(c->plru);
    free(c->path_mask);
    free(c->path_val);
    free(c);
}

const CacheGeom *cache_geom(const Cache *c)
{
    return &c->g;
}

uint32_t cache_sets(const Cache *c)
{
    return c->sets;
}

uint32_t cache_line_addr(const Cache *c, uint32_t addr)
{
    return addr & ~(c->g.line - 1);
}

static uint32_t set_of(const Cache *c, uint32_t line_addr)
{
    return (line_addr >> c->line_shift) & c->set_mask;
}

static void plru_touch(Cache *c, uint32_t set, uint32_t way)
{
    uint64_t *bits = c->plru + (size_t)set * c->plru_words;
    if (c->path_mask) {
        bits[0] = (bits[0] & ~c->path_mask[way]) | c->path_val[way];
        return;
    }
    /* Walk up from the leaf: each parent learns which child we came from
     * and points the other way. */
    for (uint32_t n = c->assoc + way; n > 1; n >>= 1) {
        uint32_t p = n >> 1;
        uint64_t m = 1ull << (p & 63);
        if (n & 1)            /* came from the right child: point left */
            bits[p >> 6] &= ~m;
        else
            bits[p >> 6] |= m;
    }
}

static uint32_t plru_victim(const Cache *c, uint32_t set)
{
    const uint64_t *bits = c->plru + (size_t)set * c->plru_words;
    uint32_t n = 1;
    while (n < c->assoc)
        n = 2 * n + (uint32_t)((bits[n >> 6] >> (n & 63)) & 1);
    return n - c->assoc;
}

static void touch(Cache *c, uint32_t set, uint32_t way)
{
    switch (c->g.repl) {
    case CACHE_REPL_LRU:
        c->stamp[(size_t)set * c->assoc + way] = ++c->clock;
        break;
    case CACHE_REPL_PLRU:
        if (c->assoc > 1)
            plru_touch(c, set, way);
        break;
    case CACHE_REPL_RANDOM:
        break;
    }
}

/* Bit w set when tag w of the `ways` (a constant where it is inlined)
 * from t is line_addr.  Without branches: which way hits is
 * unpredictable, and a mispredicted early exit costs more than scanning
 * the whole set.  With SSE2 (every x86-64), 4 tags a compare. */
static inline __attribute__((always_inline)) uint32_t
tag_mask(const uint32_t *t, uint32_t line_addr, uint32_t ways)
{
    uint32_t m = 0;
#ifdef __SSE2__
    if (ways >= 4) {
        const __m128i key = _mm_set1_epi32((int)line_addr);
#pragma GCC unroll 4
        for (uint32_t w = 0; w < ways; w += 4) {
            __m128i v = _mm_load_si128((const __m128i *)(const void *)(t + w));
            __m128 eq = _mm_castsi128_ps(_mm_cmpeq_epi32(v, key));
            m |= (uint32_t)_mm_movemask_ps(eq) << w;
        }
        return m;
    }
#endif
#pragma GCC unroll 16
    for (uint32_t w = 0; w < ways; w++)
        m |= (uint32_t)(t[w] == line_addr) << w;
    return m;
}


CacheLine *cache_lookup(Cache *c, uint32_t line_addr, bool touch_it)
{
    if (__builtin_expect(line_addr & (c->g.line - 1), 0))
        return NULL;            /* a byte inside a line is no line */
    /* A valid line is in one way only: the way found last, if it still
     * holds the line, is the one the scan would find. */
    CacheLine *l = c->last;
    if (l->addr == line_addr && l->state != 0) {
        if (touch_it) {
            uint32_t i = (uint32_t)(l - c->lines);
            touch(c, i >> c->assoc_shift, i & (c->assoc - 1));
        }
        return l;
    }
    uint32_t set = set_of(c, line_addr);
    CacheLine *s = c->lines + (size_t)set * c->assoc;
    const uint32_t *t = c->tag + (size_t)set * c->assoc;
    const uint32_t key = line_addr | 1;     /* a valid way's tag */
    uint32_t m, hit;
    /* The usual associativities are scanned straight through. */
    switch (c->assoc) {
    case 1:  m = tag_mask(t, key, 1); break;
    case 2:  m = tag_mask(t, key, 2); break;
    case 4:  m = tag_mask(t, key, 4); break;
    case 8:  m = tag_mask(t, key, 8); break;
    case 16: m = tag_mask(t, key, 16); break;
    default:
        for (hit = 0; hit < c->assoc; hit++)
            if (t[hit] == key)
                goto found;
        return NULL;
    }
    if (!m)
        return NULL;
    hit = (uint32_t)__builtin_ctz(m);
found:
    if (touch_it)
        touch(c, set, hit);
    return c->last = &s[hit];
}

uint64_t *cache_lru_clock(Cache *c)
{
    return c->g.repl == CACHE_REPL_LRU ? &c->clock : NULL;
}

bool cache_touch_of(Cache *c, const CacheLine *line, CacheTouch *out)
{
    size_t i = (size_t)(line - c->lines);
    uint32_t set = (uint32_t)(i >> c->assoc_shift);
    uint32_t way = (uint32_t)(i & (c->assoc - 1));
    *out = (CacheTouch){0};
    switch (c->g.repl) {
    case CACHE_REPL_LRU:
        out->word = &c->stamp[i];
        out->clock = &c->clock;
        return true;
    case CACHE_REPL_PLRU:
        if (c->assoc == 1)
            return true;
        if (!c->path_mask)
            return false;
        out->word = c->plru + (size_t)set * c->plru_words;
        out->clear = c->path_mask[way];
        out->set = c->path_val[way];
        return true;
    case CACHE_REPL_RANDOM:
        return true;
    }
    return false;
}

static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* cache_victim for a set s of `ways` ways: an invalid way if there is
 * one, else the policy's.  Inlined with a constant `ways` for the usual
 * associativities, the scans unroll (and the LRU's smallest stamp is
 * found with conditional moves); other associativities loop. */
static inline __attribute__((always_inline)) CacheLine *
victim_in(Cache *c, uint32_t set, CacheLine *s, uint32_t ways)
{
    const uint32_t *t = c->tag + (size_t)set * ways;
#pragma GCC unroll 16
    for (uint32_t w = 0; w < ways; w++)
        if (t[w] == 0)
            return &s[w];
    switch (c->g.repl) {
    case CACHE_REPL_LRU: {
        const uint64_t *st = c->stamp + (size_t)set * ways;
        uint32_t best = 0;
        uint64_t least = st[0];
#pragma GCC unroll 16
        for (uint32_t w = 1; w < ways; w++) {
            bool less = st[w] < least;
            least = less ? st[w] : least;
            best = less ? w : best;
        }
        return &s[best];
    }
    case CACHE_REPL_PLRU:
        return &s[ways > 1 ? plru_victim(c, set) : 0];
    case CACHE_REPL_RANDOM:
        return &s[xorshift32(&c->rng) & (ways - 1)];
    }
    return &s[0];
}

CacheLine *cache_victim(Cache *c, uint32_t line_addr)
{
    uint32_t set = set_of(c, line_addr);
    CacheLine *s = c->lines + (size_t)set * c->assoc;
    switch (c->assoc) {
    case 1:  return victim_in(c, set, s, 1);
    case 2:  return victim_in(c, set, s, 2);
    case 4:  return victim_in(c, set, s, 4);
    case 8:  return victim_in(c, set, s, 8);
    case 16: return victim_in(c, set, s, 16);
    default: return victim_in(c, set, s, c->assoc);
    }
}

void cache_fill(Cache *c, CacheLine *slot, uint32_t line_addr, uint8_t state)
{
    size_t idx = (size_t)(slot - c->lines);
    uint32_t set = set_of(c, line_addr);
    /* A slot from another set would make the line unfindable. */
    assert(idx < (size_t)c->sets * c->assoc && idx >> c->assoc_shift == set);
    assert(state != 0);
    assert((line_addr & (c->g.line - 1)) == 0);
    slot->addr = line_addr;
    c->tag[idx] = line_addr | 1;
    c->last = slot;
    slot->state = state;
    slot->dirty = 0;
    touch(c, set, (uint32_t)(idx - (size_t)set * c->assoc));
}

void cache_invalidate(Cache *c, CacheLine *line)
{
    c->tag[line - c->lines] = 0;
    line->state = 0;
    line->dirty = 0;
}

void cache_each(const Cache *c, CacheVisitFn fn, void *ctx)
{
    size_t n = (size_t)c->sets * c->assoc;
    for (size_t i = 0; i < n; i++)
        if (c->lines[i].state != 0)
            fn(ctx, &c->lines[i]);
}

const CacheLine *cache_line_at(const Cache *c, uint32_t set, uint32_t way)
{
    return &c->lines[(size_t)set * c->assoc + way];
}
