/* check_cache.c — Check suite for models/cache.c (the set-associative tag
 * array and its LRU, tree-PLRU and random replacement) and
 * models/missclass.c (the compulsory / capacity / conflict / coherence
 * classifier).
 *
 * Replacement sequences are worked out by hand in the comments beside
 * each table row; the classifier is also checked miss by miss against a
 * naive model (linear arrays, no hashing) on long random traces.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache.h"
#include "models/missclass.h"

/* ---- helpers ------------------------------------------------------------ */

static CacheGeom geom(uint32_t size, uint32_t assoc, uint32_t line,
                      CacheRepl repl, uint32_t seed)
{
    return (CacheGeom){ .size = size, .assoc = assoc, .line = line,
                        .repl = repl, .seed = seed };
}

/* Outcome of one access through cache_lookup / cache_victim / cache_fill:
 * HIT, COLD (filled an invalid way), or the evicted line's address. */
#define HIT  (-1)
#define COLD (-2)

static int64_t step(Cache *c, uint32_t la)
{
    if (cache_lookup(c, la, true))
        return HIT;
    CacheLine *v = cache_victim(c, la);
    int64_t out = v->state ? (int64_t)v->addr : COLD;
    cache_fill(c, v, la, 1);
    return out;
}

static uint32_t xs32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* ---- geometry ----------------------------------------------------------- */

typedef struct GeomCase {
    CacheGeom g;
    const char *bad;          /* NULL: valid; else a word the reason names */
    uint32_t sets;            /* when valid */
} GeomCase;

static const GeomCase geom_cases[] = {
    { { 32768, 8, 64, CACHE_REPL_LRU, 0 }, NULL, 64 },
    { { 64, 4, 16, CACHE_REPL_PLRU, 0 }, NULL, 1 },       /* fully assoc */
    { { 4, 1, 4, CACHE_REPL_RANDOM, 1 }, NULL, 1 },       /* one line */
    { { 1u << 31, 16, 4096, CACHE_REPL_LRU, 0 }, NULL, 32768 },
    { { 0, 1, 4, CACHE_REPL_LRU, 0 }, "size", 0 },
    { { 3000, 1, 64, CACHE_REPL_LRU, 0 }, "size", 0 },
    { { 1024, 1, 48, CACHE_REPL_LRU, 0 }, "line", 0 },
    { { 1024, 1, 2, CACHE_REPL_LRU, 0 }, "line", 0 },
    { { 1024, 1, 0, CACHE_REPL_LRU, 0 }, "line", 0 },
    { { 64, 1, 128, CACHE_REPL_LRU, 0 }, "line", 0 },     /* line > size */
    { { 1024, 0, 64, CACHE_REPL_LRU, 0 }, "assoc", 0 },
    { { 1024, 3, 64, CACHE_REPL_LRU, 0 }, "assoc", 0 },
    { { 1024, 32, 64, CACHE_REPL_LRU, 0 }, "assoc", 0 },  /* > size/line */
    { { 1024, 4, 64, (CacheRepl)7, 0 }, "repl", 0 },
};

START_TEST(test_geom_check)
{
    const GeomCase *t = &geom_cases[_i];
    char err[128] = "";
    bool ok = cache_geom_check(&t->g, err, sizeof err);
    Cache *c = cache_new(&t->g);
    if (t->bad) {
        ck_assert_msg(!ok, "case %d accepted", _i);
        ck_assert_msg(strstr(err, t->bad) != NULL,
                      "case %d: reason '%s' does not name %s", _i, err, t->bad);
        ck_assert_ptr_null(c);
        /* A short buffer truncates, a missing one is allowed. */
        char tiny[6];
        memset(tiny, 'x', sizeof tiny);
        ck_assert(!cache_geom_check(&t->g, tiny, sizeof tiny));
        ck_assert_uint_eq(strlen(tiny), sizeof tiny - 1);
        ck_assert(!cache_geom_check(&t->g, NULL, 0));
    } else {
        ck_assert_msg(ok, "case %d rejected: %s", _i, err);
        ck_assert_ptr_nonnull(c);
        ck_assert_uint_eq(cache_sets(c), t->sets);
        ck_assert_uint_eq(cache_geom(c)->size, t->g.size);
        ck_assert_uint_eq(cache_line_addr(c, 0x12345677u),
                          0x12345677u & ~(t->g.line - 1));
    }
    cache_free(c);
}
END_TEST

/* ---- exact replacement sequences ---------------------------------------- */

#define SEQ_MAX 24
typedef struct SeqCase {
    const char *name;
    CacheGeom g;
    uint32_t n;
    uint32_t addr[SEQ_MAX];
    int64_t want[SEQ_MAX];
} SeqCase;

/* Line n of a 16-byte-line cache. */
#define L(n) ((n) * 16u)

/* 4 sets x 2 ways, 16-byte lines: line n goes to set n % 4.
 *   A=L0 B=L4 C=L8 in set 0, D=L1 E=L5 F=L9 in set 1.
 * LRU, set contents written LRU first:
 *   A  cold            set0: A
 *   B  cold            set0: A B
 *   D  cold            set1: D
 *   A  hit             set0: B A
 *   C  evicts B        set0: A C
 *   E  cold            set1: D E
 *   F  evicts D        set1: E F
 *   B  evicts A        set0: C B
 *   C  hit             set0: B C
 *   A  evicts B        set0: C A
 *   E  hit             set1: F E
 *   D  evicts F        set1: E D
 * A two-way tree-PLRU is one bit per set pointing at the other way: exact
 * LRU, so the PLRU row expects the same. */
#define SEQ_4x2_ADDR { L(0), L(4), L(1), L(0), L(8), L(5), L(9), L(4), \
                       L(8), L(0), L(5), L(1) }
#define SEQ_4x2_WANT { COLD, COLD, COLD, HIT, L(4), COLD, L(1), L(0), \
                       HIT, L(4), HIT, L(9) }

/* One set of 4 ways (fully associative), lines A..G = L0..L6.
 * A B C D fill ways 0..3; then A hits; then E F G miss.
 * LRU order (LRU first) after A: B C D A -> E evicts B, F evicts C,
 * G evicts D.
 * PLRU tree: node 1 picks ways 0-1 (bit 0) or 2-3 (bit 1); node 2 picks
 * way 0 or 1, node 3 way 2 or 3.  Touching way w points each node on
 * its path away from w.
 *   fills touch 0,1,2,3 in order: n1=0 n2=0 n3=0
 *   A (way 0) hits:              n1=1 n2=1        victim: right, n3=0 -> way 2
 *   E evicts C (way 2), touch 2: n1=0 n3=1        victim: left, n2=1 -> way 1
 *   F evicts B (way 1), touch 1: n1=1 n2=0        victim: right, n3=1 -> way 3
 *   G evicts D (way 3). */
#define SEQ_FA4_ADDR { L(0), L(1), L(2), L(3), L(0), L(4), L(5), L(6) }

/* One set of 8 ways, lines L0..L11.  L0..L7 fill ways 0..7 (all tree bits
 * end at 0, victim way 0 = LRU); then L0 and L4 hit.
 * Nodes: 1 (ways 0-3 | 4-7), 2 (0-1 | 2-3), 3 (4-5 | 6-7), 4..7 pairs.
 *   L0 hit (way 0): n1=1 n2=1 n4=1
 *   L4 hit (way 4): n1=0 n3=1 n6=1
 *   L8:  n1=0 left, n2=1 right, n5=0 left -> way 2 (L2); touch 2:
 *        n1=1 n2=0 n5=1
 *   L9:  n1=1 right, n3=1 right, n7=0 left -> way 6 (L6); touch 6:
 *        n1=0 n3=0 n7=1
 *   L10: n1=0 left, n2=0 left, n4=1 right -> way 1 (L1); touch 1:
 *        n1=1 n2=1 n4=0
 *   L11: n1=1 right, n3=0 left, n6=1 right -> way 5 (L5).
 * LRU, order after the two hits: L1 L2 L3 L5 L6 L7 L0 L4, so L8..L11
 * evict L1, L2, L3, L5. */
#define SEQ_FA8_ADDR { L(0), L(1), L(2), L(3), L(4), L(5), L(6), L(7), \
                       L(0), L(4), L(8), L(9), L(10), L(11) }
#define COLD8 COLD, COLD, COLD, COLD, COLD, COLD, COLD, COLD

static const SeqCase seq_cases[] = {
    { "lru 4x2", { 128, 2, 16, CACHE_REPL_LRU, 0 }, 12,
      SEQ_4x2_ADDR, SEQ_4x2_WANT },
    { "plru 4x2", { 128, 2, 16, CACHE_REPL_PLRU, 0 }, 12,
      SEQ_4x2_ADDR, SEQ_4x2_WANT },
    { "lru 1x4", { 64, 4, 16, CACHE_REPL_LRU, 0 }, 8, SEQ_FA4_ADDR,
      { COLD, COLD, COLD, COLD, HIT, L(1), L(2), L(3) } },
    { "plru 1x4", { 64, 4, 16, CACHE_REPL_PLRU, 0 }, 8, SEQ_FA4_ADDR,
      { COLD, COLD, COLD, COLD, HIT, L(2), L(1), L(3) } },
    { "lru 1x8", { 128, 8, 16, CACHE_REPL_LRU, 0 }, 14, SEQ_FA8_ADDR,
      { COLD8, HIT, HIT, L(1), L(2), L(3), L(5) } },
    { "plru 1x8", { 128, 8, 16, CACHE_REPL_PLRU, 0 }, 14, SEQ_FA8_ADDR,
      { COLD8, HIT, HIT, L(2), L(6), L(1), L(5) } },
    /* Direct mapped: every policy evicts the one line there is. */
    { "random 4x1", { 64, 1, 16, CACHE_REPL_RANDOM, 5 }, 6,
      { L(0), L(4), L(1), L(0), L(1), L(5) },
      { COLD, L(0), COLD, L(4), HIT, L(1) } },
};

START_TEST(test_sequence)
{
    const SeqCase *t = &seq_cases[_i];
    Cache *c = cache_new(&t->g);
    ck_assert_ptr_nonnull(c);
    for (uint32_t k = 0; k < t->n; k++) {
        int64_t got = step(c, t->addr[k]);
        ck_assert_msg(got == t->want[k],
                      "%s: access %u (0x%x): got %lld, want %lld",
                      t->name, k, t->addr[k], (long long)got,
                      (long long)t->want[k]);
    }
    cache_free(c);
}
END_TEST

/* ---- policy-independent behaviour (one run per policy) ------------------ */

static const CacheRepl policies[] = {
    CACHE_REPL_LRU, CACHE_REPL_PLRU, CACHE_REPL_RANDOM
};

static void count_line(void *ctx, const CacheLine *l)
{
    uint64_t *acc = ctx;
    acc[0]++;
    acc[1] += l->addr;
}

START_TEST(test_basics)
{
    /* 4 sets x 4 ways, 32-byte lines. */
    CacheGeom g = geom(512, 4, 32, policies[_i], 99);
    Cache *c = cache_new(&g);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(cache_sets(c), 4);
    ck_assert_uint_eq(cache_line_addr(c, 0x1234), 0x1220);
    ck_assert_ptr_null(cache_lookup(c, 0, true));   /* empty, even addr 0 */

    /* Fill set 0 (lines 0, 4, 8, 12 times 32): ways 0..3 in order. */
    CacheLine *way[4];
    for (uint32_t w = 0; w < 4; w++) {
        uint32_t la = w * 4 * 32;
        way[w] = cache_victim(c, la);
        ck_assert_uint_eq(way[w]->state, 0);
        if (w > 0)
            ck_assert_ptr_eq(way[w], way[w - 1] + 1);  /* lowest invalid */
        cache_fill(c, way[w], la, 3);
        way[w]->dirty = 1;
    }
    for (uint32_t w = 0; w < 4; w++) {
        CacheLine *l = cache_lookup(c, w * 4 * 32, false);
        ck_assert_ptr_eq(l, way[w]);
        ck_assert_uint_eq(l->state, 3);
    }
    /* Other sets untouched; a byte address inside a line is no line. */
    ck_assert_ptr_null(cache_lookup(c, 32, true));
    ck_assert_ptr_null(cache_lookup(c, 4, true));

    uint64_t acc[2] = { 0, 0 };
    cache_each(c, count_line, acc);
    ck_assert_uint_eq(acc[0], 4);
    ck_assert_uint_eq(acc[1], 0 + 128 + 256 + 384);

    /* Invalidate ways 2 then 1: the next fill takes way 1, the lowest. */
    cache_invalidate(c, way[2]);
    cache_invalidate(c, way[1]);
    ck_assert_ptr_null(cache_lookup(c, 256, true));
    ck_assert_ptr_eq(cache_victim(c, 512), way[1]);
    cache_fill(c, way[1], 512, 2);
    ck_assert_uint_eq(way[1]->dirty, 0);            /* fill clears dirty */
    ck_assert_ptr_eq(cache_lookup(c, 512, true), way[1]);
    ck_assert_ptr_eq(cache_victim(c, 640), way[2]);

    acc[0] = acc[1] = 0;
    cache_each(c, count_line, acc);
    ck_assert_uint_eq(acc[0], 3);
    ck_assert_uint_eq(acc[1], 0 + 512 + 384);
    cache_free(c);
}
END_TEST

START_TEST(test_lookup_without_touch)
{
    /* One set of 2 ways: A, B fill; peeking at A must not save it from
     * being the LRU/PLRU victim. */
    CacheRepl r = _i == 0 ? CACHE_REPL_LRU : CACHE_REPL_PLRU;
    CacheGeom g = geom(32, 2, 16, r, 0);
    Cache *c = cache_new(&g);
    ck_assert_int_eq(step(c, L(0)), COLD);
    ck_assert_int_eq(step(c, L(1)), COLD);
    ck_assert_ptr_nonnull(cache_lookup(c, L(0), false));
    ck_assert_int_eq(step(c, L(2)), L(0));
    /* Set now B, C with C most recent; touching B leaves C the victim. */
    ck_assert_ptr_nonnull(cache_lookup(c, L(1), true));
    ck_assert_int_eq(step(c, L(3)), L(2));
    cache_free(c);
}
END_TEST

START_TEST(test_stale_tags)
{
    /* An invalidated way keeps its old address; lookup must neither find
     * it nor let it hide a valid copy in another way of the set. */
    CacheGeom g = geom(64, 4, 16, policies[_i], 1);
    Cache *c = cache_new(&g);
    CacheLine *w0 = cache_victim(c, L(0));
    cache_fill(c, w0, L(0), 1);
    cache_invalidate(c, w0);
    cache_fill(c, w0 + 2, L(0), 2);          /* same line, way 2 */
    ck_assert_ptr_eq(cache_lookup(c, L(0), true), w0 + 2);
    cache_fill(c, w0, L(1), 1);
    cache_invalidate(c, w0 + 2);
    cache_fill(c, w0 + 1, L(0), 3);          /* stale copy now above */
    ck_assert_ptr_eq(cache_lookup(c, L(0), true), w0 + 1);
    cache_invalidate(c, w0 + 1);
    ck_assert_ptr_null(cache_lookup(c, L(0), true));
    cache_free(c);
}
END_TEST

/* Lookups and LRU victims against a plain model of the ways, on a
 * random mix of touching and plain lookups, fills and invalidations, for
 * each associativity the scan has a case for and one it has not (32):
 * the scan, its memory of the way found last and the victim's unrolled
 * search must all agree with a walk over the ways. */
static const uint32_t model_assocs[] = {1, 2, 4, 8, 16, 32};
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The valid line of la in set's ways, by a walk over them (its way in
 * *way), or NULL. */
static const CacheLine *walk_ways(const Cache *c, uint32_t set,
                                  uint32_t assoc, uint32_t la, uint32_t *way)
{
    *way = 0;
    for (uint32_t w = 0; w < assoc; w++) {
        const CacheLine *x = cache_line_at(c, set, w);
        if (x->state && x->addr == la) {
            *way = w;
            return x;
        }
    }
    return NULL;
}

START_TEST(test_lookup_model)
{
    uint32_t assoc = model_assocs[_i], sets = 4, nl = assoc * sets;
    CacheGeom g = geom(nl * 16, assoc, 16, CACHE_REPL_LRU, 1);
    Cache *c = cache_new(&g);
    ck_assert_ptr_nonnull(c);
    uint64_t *used = calloc(nl, sizeof *used), now = 0;
    uint32_t s = 777 + assoc;
    for (int op = 0; op < 20000; op++) {
        uint32_t la = (xs32(&s) % (3 * nl)) * 16, set = (la / 16) % sets;
        uint32_t want_way;
        const CacheLine *want = walk_ways(c, set, assoc, la, &want_way);
        uint32_t r = xs32(&s) % 8;
        bool touch = r != 0;
        CacheLine *got = cache_lookup(c, la, touch);
        ck_assert_ptr_eq(got, want);
        if (got && touch)
            used[set * assoc + want_way] = ++now;
        if (got && r == 1) {
            cache_invalidate(c, got);
        } else if (!got) {
            /* The model's victim: the first invalid way, else the least
             * recently used. */
            uint32_t v = 0;
            bool empty = false;
            for (uint32_t w = 0; w < assoc && !empty; w++)
                if (!cache_line_at(c, set, w)->state) {
                    v = w;
                    empty = true;
                }
            for (uint32_t w = 1; w < assoc && !empty; w++)
                if (used[set * assoc + w] < used[set * assoc + v])
                    v = w;
            CacheLine *vict = cache_victim(c, la);
            ck_assert_ptr_eq(vict, cache_line_at(c, set, v));
            cache_fill(c, vict, la, 1 + (uint8_t)(r % 3));
            used[set * assoc + v] = ++now;
        }
    }
    free(used);
    cache_free(c);
}
END_TEST

/* The same for tree-PLRU and random replacement, whose victims the
 * model does not work out: two caches get the same trace, one through
 * cache_lookup (its scan and its memory of the way found last), the
 * other through a walk over the ways and the touch of cache_touch_of
 * (which the hit filter replays); the same lines must be found and the
 * same victims chosen, so the lookups touched the same ways. */
START_TEST(test_lookup_model_policies)
{
    uint32_t assoc = model_assocs[_i % N_OF(model_assocs)], sets = 4;
    CacheRepl repl = _i < N_OF(model_assocs) ? CACHE_REPL_PLRU
                                                  : CACHE_REPL_RANDOM;
    uint32_t nl = assoc * sets;
    CacheGeom g = geom(nl * 16, assoc, 16, repl, 99 + assoc);
    Cache *a = cache_new(&g), *b = cache_new(&g);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    uint32_t s = 4242 + assoc;
    for (int op = 0; op < 20000; op++) {
        uint32_t la = (xs32(&s) % (3 * nl)) * 16, set = (la / 16) % sets;
        uint32_t way;
        const CacheLine *want = walk_ways(b, set, assoc, la, &way);
        uint32_t r = xs32(&s) % 8;
        bool touch = r != 0;
        CacheLine *got = cache_lookup(a, la, touch);
        ck_assert_ptr_eq(got, want ? cache_line_at(a, set, way) : NULL);
        if (want && touch) {
            CacheTouch t;
            ck_assert(cache_touch_of(b, want, &t));
            cache_touch_again(&t);
        }
        if (got && r == 1) {
            cache_invalidate(a, got);
            cache_invalidate(b, cache_lookup(b, la, false));
        } else if (!got) {
            CacheLine *va = cache_victim(a, la), *vb = cache_victim(b, la);
            ck_assert_uint_eq((uint32_t)(va - cache_line_at(a, set, 0)),
                              (uint32_t)(vb - cache_line_at(b, set, 0)));
            cache_fill(a, va, la, 1 + (uint8_t)(r % 3));
            cache_fill(b, vb, la, 1 + (uint8_t)(r % 3));
        }
    }
    cache_free(a);
    cache_free(b);
}
END_TEST

/* The first n victims of a fixed trace through a random-replacement
 * cache seeded with `seed`. */
static void random_victims(uint32_t seed, int64_t *out, uint32_t n)
{
    CacheGeom g = geom(1024, 8, 32, CACHE_REPL_RANDOM, seed);  /* 4 sets */
    Cache *c = cache_new(&g);
    ck_assert_ptr_nonnull(c);
    uint32_t s = 12345;       /* the trace is the same for every seed */
    uint32_t got = 0;
    while (got < n) {
        int64_t ev = step(c, (xs32(&s) % 256) * 32);
        if (ev >= 0)
            out[got++] = ev;
    }
    cache_free(c);
}

START_TEST(test_random_reproducible)
{
    enum { N = 2000 };
    int64_t *a = calloc(N, sizeof *a), *b = calloc(N, sizeof *b),
            *d = calloc(N, sizeof *d);
    random_victims(7, a, N);
    random_victims(7, b, N);
    ck_assert_mem_eq(a, b, N * sizeof *a);
    random_victims(8, d, N);
    ck_assert_msg(memcmp(a, d, N * sizeof *a) != 0,
                  "seeds 7 and 8 chose the same %d victims", N);
    /* Seed 0 is usable (xorshift would stick at 0) and reproducible. */
    random_victims(0, a, N);
    random_victims(0, b, N);
    ck_assert_mem_eq(a, b, N * sizeof *a);
    free(a);
    free(b);
    free(d);
}
END_TEST

START_TEST(test_random_spreads)
{
    /* One full set of 8 ways: every way must come up as a victim, and no
     * way should dominate (expect 1000 of 8000 each; allow 700..1300). */
    CacheGeom g = geom(256, 8, 32, CACHE_REPL_RANDOM, 2024);
    Cache *c = cache_new(&g);
    for (uint32_t w = 0; w < 8; w++)
        cache_fill(c, cache_victim(c, w * 32), w * 32, 1);
    CacheLine *base = cache_lookup(c, 0, false);
    uint32_t hist[8] = { 0 };
    for (int k = 0; k < 8000; k++) {
        CacheLine *v = cache_victim(c, 0);
        ck_assert(v >= base && v < base + 8);
        hist[v - base]++;
    }
    for (int w = 0; w < 8; w++)
        ck_assert_msg(hist[w] > 700 && hist[w] < 1300, "way %d chosen %u times",
                      w, hist[w]);
    cache_free(c);
}
END_TEST

START_TEST(test_fully_associative)
{
    /* One set of 16, 64 or 128 ways (the scan and the PLRU tree each have
     * a path for small and for large associativity): lines 4 KiB apart,
     * all one set in any set-associative cache of this size, all fit. */
    static const uint32_t ways[] = { 16, 64, 128 };
    uint32_t n = ways[_i / 3];
    CacheGeom g = geom(n * 16, n, 16, policies[_i % 3], 3);
    Cache *c = cache_new(&g);
    ck_assert_uint_eq(cache_sets(c), 1);
    for (uint32_t k = 0; k < n; k++)
        ck_assert_int_eq(step(c, k * 4096), COLD);
    for (uint32_t k = 0; k < n; k++)
        ck_assert_int_eq(step(c, k * 4096), HIT);
    /* Line n evicts one of them: under LRU and PLRU, after touching all
     * in order, exactly the first. */
    int64_t ev = step(c, n * 4096);
    ck_assert(ev >= 0 && ev % 4096 == 0 && ev < (int64_t)n * 4096);
    if (policies[_i % 3] != CACHE_REPL_RANDOM)
        ck_assert_int_eq(ev, 0);
    /* ... and under LRU the next victims go on in order (the second
     * line next); PLRU, with the first's way just touched, picks the
     * way half a set away: the least recent half of the tree. */
    ev = step(c, (n + 1) * 4096);
    if (policies[_i % 3] == CACHE_REPL_LRU)
        ck_assert_int_eq(ev, 4096);
    else if (policies[_i % 3] == CACHE_REPL_PLRU)
        ck_assert_int_eq(ev, (int64_t)(n / 2) * 4096);
    uint64_t acc[2] = { 0, 0 };
    cache_each(c, count_line, acc);
    ck_assert_uint_eq(acc[0], n);
    cache_free(c);
}
END_TEST

/* ---- miss classification: small hand cases ------------------------------ */

#define PAIR_NODES 64
typedef struct Pair {
    Cache *c;
    MissClassifier *m;
    uint32_t node[PAIR_NODES];    /* touch_pairs: a line's node */
    uint64_t hits;
    uint64_t miss[MISS_CLASS_COUNT];
    uint32_t evicted;             /* what the last access's touch let go */
} Pair;

/* Pairs whose classifier's hits go through its touch (as the hit filter
 * does them) while it still has the line. */
static bool touch_pairs;

static void pair_init(Pair *p, CacheGeom g)
{
    memset(p, 0, sizeof *p);
    p->c = cache_new(&g);
    ck_assert_ptr_nonnull(p->c);
    unsigned shift = (unsigned)__builtin_ctz(g.line);
    p->m = missclass_new(g.size / g.line, shift);
    for (int i = 0; i < PAIR_NODES; i++)
        p->node[i] = MISSCLASS_FREE;
    ck_assert_ptr_nonnull(p->m);
}

static void pair_free(Pair *p)
{
    cache_free(p->c);
    missclass_free(p->m);
}

/* One access: -1 on a hit, else the miss's class. */
static int pair_access(Pair *p, uint32_t la)
{
    if (cache_lookup(p->c, la, true)) {
        /* As the filter: the node learnt at the last hit the long way,
         * while it still holds the line. */
        MissClassTouch t = missclass_touch_of(p->m);
        uint32_t *n = &p->node[(la / 16) % PAIR_NODES];
        if (touch_pairs && *n != MISSCLASS_FREE && t.line[*n] == la) {
            t.stamp[*n] = ++*t.seq;
            p->evicted = MISSCLASS_FREE;
        } else {
            missclass_hit(p->m, la);
            *n = missclass_node(p->m, la);
            p->evicted = missclass_evicted(p->m);
        }
        p->hits++;
        return -1;
    }
    MissClass k = missclass_miss(p->m, la);
    p->evicted = missclass_evicted(p->m);
    p->miss[k]++;
    cache_fill(p->c, cache_victim(p->c, la), la, 1);
    return (int)k;
}

/* Another core writes la: the real cache loses it if it has it. */
static void pair_invalidate(Pair *p, uint32_t la)
{
    CacheLine *l = cache_lookup(p->c, la, false);
    if (l) {
        cache_invalidate(p->c, l);
        missclass_invalidated(p->m, la);
    }
}

START_TEST(test_class_names)
{
    ck_assert_str_eq(miss_class_names[MISS_COMPULSORY], "compulsory");
    ck_assert_str_eq(miss_class_names[MISS_CAPACITY], "capacity");
    ck_assert_str_eq(miss_class_names[MISS_CONFLICT], "conflict");
    ck_assert_str_eq(miss_class_names[MISS_COHERENCE], "coherence");
}
END_TEST

START_TEST(test_class_cold_scan)
{
    enum { N = 1000 };
    Pair p;
    pair_init(&p, geom(1024, 2, 32, CACHE_REPL_LRU, 0));    /* 32 lines */
    for (uint32_t k = 0; k < N; k++)
        ck_assert_int_eq(pair_access(&p, 0x10000 + k * 32), MISS_COMPULSORY);
    ck_assert_uint_eq(p.miss[MISS_COMPULSORY], N);
    ck_assert_uint_eq(p.hits + p.miss[1] + p.miss[2] + p.miss[3], 0);
    pair_free(&p);
}
END_TEST

START_TEST(test_class_capacity_loop)
{
    /* 4 sets x 2 ways (8 lines, LRU); a loop over 12 consecutive lines:
     * 3 per set cycling through 2 ways, and 12 cycling through the 8-line
     * shadow — both always miss, so after the first, cold, pass every
     * miss is capacity and none conflict. */
    Pair p;
    pair_init(&p, geom(128, 2, 16, CACHE_REPL_LRU, 0));
    for (int pass = 0; pass < 5; pass++)
        for (uint32_t k = 0; k < 12; k++)
            ck_assert_int_eq(pair_access(&p, L(k)),
                             pass == 0 ? MISS_COMPULSORY : MISS_CAPACITY);
    ck_assert_uint_eq(p.miss[MISS_COMPULSORY], 12);
    ck_assert_uint_eq(p.miss[MISS_CAPACITY], 48);
    pair_free(&p);
}
END_TEST

START_TEST(test_class_conflict)
{
    /* Direct mapped, 4 lines: L0 and L4 share set 0 and throw each other
     * out; the rest of the cache stays empty, so a fully associative
     * cache of 4 lines would hit: conflict. */
    Pair dm, fa;
    pair_init(&dm, geom(64, 1, 16, CACHE_REPL_LRU, 0));
    pair_init(&fa, geom(64, 4, 16, CACHE_REPL_LRU, 0));
    for (int k = 0; k < 10; k++) {
        uint32_t la = (k & 1) ? L(4) : L(0);
        int want = k < 2 ? MISS_COMPULSORY : MISS_CONFLICT;
        ck_assert_int_eq(pair_access(&dm, la), want);
        ck_assert_int_eq(pair_access(&fa, la), k < 2 ? MISS_COMPULSORY : -1);
    }
    ck_assert_uint_eq(dm.miss[MISS_CONFLICT], 8);
    ck_assert_uint_eq(fa.hits, 8);
    pair_free(&dm);
    pair_free(&fa);
}
END_TEST

START_TEST(test_class_coherence)
{
    /* Fully associative, 2 lines. */
    Pair p;
    pair_init(&p, geom(32, 2, 16, CACHE_REPL_LRU, 0));
    ck_assert_int_eq(pair_access(&p, L(0)), MISS_COMPULSORY);
    pair_invalidate(&p, L(0));
    ck_assert_int_eq(pair_access(&p, L(0)), MISS_COHERENCE);
    ck_assert_int_eq(pair_access(&p, L(0)), -1);
    /* Refilled: losing it to replacement later is not coherence. */
    ck_assert_int_eq(pair_access(&p, L(1)), MISS_COMPULSORY);
    ck_assert_int_eq(pair_access(&p, L(2)), MISS_COMPULSORY);   /* evicts 0 */
    ck_assert_int_eq(pair_access(&p, L(0)), MISS_CAPACITY);
    /* An invalidation of a line never held does not make it seen. */
    missclass_invalidated(p.m, L(9));
    ck_assert_int_eq(pair_access(&p, L(9)), MISS_COMPULSORY);
    pair_free(&p);
}
END_TEST

START_TEST(test_class_invalidate_leaves_shadow)
{
    /* Shadow of 2 lines.  B then A; A invalidated leaves only B, so C
     * fits beside B and B is still "a fully associative cache would have
     * hit": conflict.  Had A stayed, C would have pushed B out. */
    MissClassifier *m = missclass_new(2, 0);
    ck_assert_int_eq(missclass_miss(m, L(1)), MISS_COMPULSORY);
    ck_assert_int_eq(missclass_miss(m, L(0)), MISS_COMPULSORY);
    missclass_invalidated(m, L(0));
    ck_assert_int_eq(missclass_miss(m, L(2)), MISS_COMPULSORY);
    ck_assert_int_eq(missclass_miss(m, L(1)), MISS_CONFLICT);
    ck_assert_int_eq(missclass_miss(m, L(0)), MISS_COHERENCE);
    missclass_free(m);
}
END_TEST

START_TEST(test_class_hit_reinserts)
{
    /* Shadow of 1 line: A, then B pushes A out of the shadow; a real-cache
     * hit on A brings it back as MRU (pushing B out), so a later miss on
     * A counts as conflict and one on B as capacity. */
    MissClassifier *m = missclass_new(1, 0);
    ck_assert_int_eq(missclass_miss(m, L(0)), MISS_COMPULSORY);
    ck_assert_int_eq(missclass_miss(m, L(1)), MISS_COMPULSORY);
    missclass_hit(m, L(0));
    ck_assert_int_eq(missclass_miss(m, L(0)), MISS_CONFLICT);
    ck_assert_int_eq(missclass_miss(m, L(1)), MISS_CAPACITY);
    missclass_free(m);
}
END_TEST

START_TEST(test_class_any_key)
{
    /* No line address is reserved as a marker (shift 0: any key). */
    static const uint32_t keys[] = { 0, 0xffffffc0u, 0xffffffffu,
                                     0xfffffffeu, 0x80000000u };
    MissClassifier *m = missclass_new(8, 0);
    for (unsigned k = 0; k < 5; k++)
        ck_assert_int_eq(missclass_miss(m, keys[k]), MISS_COMPULSORY);
    for (unsigned k = 0; k < 5; k++)
        ck_assert_int_eq(missclass_miss(m, keys[k]), MISS_CONFLICT);
    missclass_free(m);
    /* A shadow of nothing: every repeat miss is capacity. */
    m = missclass_new(0, 0);
    ck_assert_int_eq(missclass_miss(m, 64), MISS_COMPULSORY);
    missclass_hit(m, 64);
    ck_assert_int_eq(missclass_miss(m, 64), MISS_CAPACITY);
    missclass_free(m);
}
END_TEST

START_TEST(test_class_grows)
{
    /* A million distinct lines fill hundreds of the table's chunks; the
     * shadow (1024 lines) must keep exactly the last ones. */
    enum { N = 1 << 20, CAP = 1024 };
    MissClassifier *m = missclass_new(CAP, 0);
    for (uint32_t k = 0; k < N; k++)
        ck_assert(missclass_miss(m, k * 64) == MISS_COMPULSORY);
    /* The last CAP lines are in the shadow, the first ones long gone.
     * Touch the first ones before the last ones so no shadow line is
     * evicted before it is asked about. */
    for (uint32_t k = N - CAP; k < N; k++)
        ck_assert(missclass_miss(m, k * 64) == MISS_CONFLICT);
    for (uint32_t k = 0; k < CAP; k++)
        ck_assert(missclass_miss(m, k * 64) == MISS_CAPACITY);
    missclass_free(m);
}
END_TEST

/* ---- miss classification against a naive model on random traces -------- */

/* The same definitions, by brute force: flags per footprint line and the
 * shadow as an array scanned linearly. */
typedef struct Naive {
    uint32_t cap, n;
    uint32_t *line;
    uint64_t *stamp, clock;
    uint8_t *seen, *inval;
    uint32_t line_size;
    uint32_t evicted;         /* what the last touch let go */
} Naive;

static int naive_find(const Naive *o, uint32_t la)
{
    for (uint32_t k = 0; k < o->n; k++)
        if (o->line[k] == la)
            return (int)k;
    return -1;
}

static void naive_touch(Naive *o, uint32_t la)
{
    int k = naive_find(o, la);
    o->evicted = MISSCLASS_FREE;
    if (k < 0) {
        if (o->n < o->cap) {
            k = (int)o->n++;
        } else {
            k = 0;
            for (uint32_t j = 1; j < o->n; j++)
                if (o->stamp[j] < o->stamp[k])
                    k = (int)j;
            o->evicted = o->line[k];
        }
        o->line[k] = la;
    }
    o->stamp[k] = ++o->clock;
}

static MissClass naive_miss(Naive *o, uint32_t la)
{
    uint32_t i = la / o->line_size;
    MissClass k = !o->seen[i] ? MISS_COMPULSORY
                : o->inval[i] ? MISS_COHERENCE
                : naive_find(o, la) >= 0 ? MISS_CONFLICT
                : MISS_CAPACITY;
    o->seen[i] = 1;
    o->inval[i] = 0;
    naive_touch(o, la);
    return k;
}

static void naive_inval(Naive *o, uint32_t la)
{
    o->inval[la / o->line_size] = 1;
    int k = naive_find(o, la);
    if (k >= 0) {
        o->n--;
        o->line[k] = o->line[o->n];
        o->stamp[k] = o->stamp[o->n];
    }
}

typedef struct TraceCase {
    CacheGeom g;
    uint32_t footprint;       /* lines */
    uint32_t hot;             /* lines in the hot subset */
    uint32_t inval_pct;       /* chance per access of an invalidation */
    uint32_t accesses;
} TraceCase;

static const TraceCase trace_cases[] = {
    { { 1024, 2, 32, CACHE_REPL_LRU, 0 }, 256, 40, 3, 200000 },
    { { 1024, 4, 32, CACHE_REPL_PLRU, 0 }, 256, 40, 3, 200000 },
    { { 1024, 2, 32, CACHE_REPL_RANDOM, 77 }, 256, 40, 3, 200000 },
    { { 512, 1, 16, CACHE_REPL_LRU, 0 }, 64, 24, 1, 200000 },
    /* A large footprint fills several of the table's chunks. */
    { { 4096, 8, 64, CACHE_REPL_PLRU, 0 }, 1 << 14, 80, 2, 200000 },
    /* Many invalidations: the classifier's FIFO fills with the
     * entries they take out, and drops them. */
    { { 512, 2, 16, CACHE_REPL_LRU, 0 }, 64, 24, 40, 100000 },
};

static void random_trace(int _i)
{
    const TraceCase *t = &trace_cases[_i];
    Pair p;
    pair_init(&p, t->g);
    Naive o = { .cap = t->g.size / t->g.line, .line_size = t->g.line };
    o.line = calloc(o.cap, sizeof *o.line);
    o.stamp = calloc(o.cap, sizeof *o.stamp);
    o.seen = calloc(t->footprint, 1);
    o.inval = calloc(t->footprint, 1);
    uint32_t s = 0xc0ffee + (uint32_t)_i;
    uint64_t misses = 0;
    for (uint32_t k = 0; k < t->accesses; k++) {
        /* Mostly a hot subset that nearly fits, sometimes anywhere. */
        uint32_t r = xs32(&s);
        uint32_t idx = (r & 3) ? (r >> 8) % t->hot : (r >> 8) % t->footprint;
        uint32_t la = idx * t->g.line;
        if (xs32(&s) % 100 < t->inval_pct) {
            if (cache_lookup(p.c, la, false))
                naive_inval(&o, la);
            pair_invalidate(&p, la);
            continue;
        }
        int got = pair_access(&p, la);
        if (got < 0) {
            /* The naive model learns of hits too. */
            o.seen[idx] = 1;
            o.inval[idx] = 0;
            naive_touch(&o, la);
            /* The filter's way to a hit lets nothing go (its node still
             * holds the line); the naive model's touch agrees. */
            ck_assert_msg(p.evicted == o.evicted, "case %d access %u line "
                          "0x%x: hit let 0x%x go, naive model 0x%x", _i, k,
                          la, p.evicted, o.evicted);
            continue;
        }
        misses++;
        MissClass want = naive_miss(&o, la);
        ck_assert_msg(got == (int)want, "case %d access %u line 0x%x: %s, "
                      "naive model says %s", _i, k, la,
                      miss_class_names[got], miss_class_names[want]);
        /* The line the shadow let go: the one a hit filter must drop. */
        ck_assert_msg(p.evicted == o.evicted, "case %d access %u line 0x%x: "
                      "miss let 0x%x go, naive model 0x%x", _i, k, la,
                      p.evicted, o.evicted);
    }
    uint64_t sum = 0;
    for (int k = 0; k < MISS_CLASS_COUNT; k++) {
        sum += p.miss[k];
        ck_assert_msg(p.miss[k] > 0, "case %d: no %s misses", _i,
                      miss_class_names[k]);
    }
    ck_assert_uint_eq(sum, misses);
    free(o.line);
    free(o.stamp);
    free(o.seen);
    free(o.inval);
    pair_free(&p);
}

START_TEST(test_class_random_trace)
{
    random_trace(_i);
}
END_TEST

/* The same traces with the hits done as the hit filter does them, by a
 * store through missclass_touch_of: the same classes and victims. */
START_TEST(test_class_random_trace_touch)
{
    touch_pairs = true;
    random_trace(_i);
    touch_pairs = false;
}
END_TEST

/* ---- suite -------------------------------------------------------------- */


Suite *cache_suite(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = tcase_create("cache");
    tcase_add_loop_test(tc, test_geom_check, 0, N_OF(geom_cases));
    tcase_add_loop_test(tc, test_sequence, 0, N_OF(seq_cases));
    tcase_add_loop_test(tc, test_basics, 0, N_OF(policies));
    tcase_add_loop_test(tc, test_lookup_without_touch, 0, 2);
    tcase_add_loop_test(tc, test_stale_tags, 0, N_OF(policies));
    tcase_add_loop_test(tc, test_lookup_model, 0, N_OF(model_assocs));
    tcase_add_loop_test(tc, test_lookup_model_policies, 0,
                        2 * N_OF(model_assocs));
    tcase_add_test(tc, test_random_reproducible);
    tcase_add_test(tc, test_random_spreads);
    tcase_add_loop_test(tc, test_fully_associative, 0, 9);
    suite_add_tcase(s, tc);

    TCase *mc = tcase_create("missclass");
    tcase_set_timeout(mc, 30);
    tcase_add_test(mc, test_class_names);
    tcase_add_test(mc, test_class_cold_scan);
    tcase_add_test(mc, test_class_capacity_loop);
    tcase_add_test(mc, test_class_conflict);
    tcase_add_test(mc, test_class_coherence);
    tcase_add_test(mc, test_class_invalidate_leaves_shadow);
    tcase_add_test(mc, test_class_hit_reinserts);
    tcase_add_test(mc, test_class_any_key);
    tcase_add_test(mc, test_class_grows);
    tcase_add_loop_test(mc, test_class_random_trace, 0, N_OF(trace_cases));
    tcase_add_loop_test(mc, test_class_random_trace_touch, 0,
                        N_OF(trace_cases));
    suite_add_tcase(s, mc);
    return s;
}
