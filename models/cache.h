/* cache.h — a set-associative tag array: sets of ways holding a line
 * address and a coherence state each, with a replacement policy (LRU,
 * tree-PLRU, or random from a fixed seed).  Tags and states only: data
 * lives in the functional memory.  Knows nothing about coherence: states
 * are small numbers the caller gives meaning to (0 is invalid).
 *
 * May depend on: the C library only.
 */
#ifndef PARSIM_MODELS_CACHE_H
#define PARSIM_MODELS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum CacheRepl {
    CACHE_REPL_LRU,
    CACHE_REPL_PLRU,          /* tree pseudo-LRU (assoc a power of two) */
    CACHE_REPL_RANDOM         /* xorshift from `seed`: reproducible */
} CacheRepl;

typedef struct CacheGeom {
    uint32_t size;            /* bytes */
    uint32_t assoc;           /* ways; size / line means fully associative */
    uint32_t line;            /* bytes per line, a power of two >= 4 */
    CacheRepl repl;
    uint32_t seed;            /* CACHE_REPL_RANDOM */
} CacheGeom;

typedef struct CacheLine {
    uint32_t addr;            /* line address (byte address of its first byte) */
    uint8_t state;            /* 0: invalid; other values: the caller's,
                                 who may change one valid state to
                                 another, but makes a line invalid only
                                 with cache_invalidate (the tag scan
                                 keeps its own valid bit) */
    uint8_t dirty;            /* free for the caller */
} CacheLine;

typedef struct Cache Cache;

/* Check a geometry: size, line and assoc powers of two, line <= size,
 * assoc <= size / line.  Fails with a reason. */
bool cache_geom_check(const CacheGeom *g, char *err, size_t errlen);

/* NULL on a bad geometry or out of memory. */
Cache *cache_new(const CacheGeom *g);
void cache_free(Cache *c);

const CacheGeom *cache_geom(const Cache *c);
uint32_t cache_sets(const Cache *c);
/* Line address of a byte address. */
uint32_t cache_line_addr(const Cache *c, uint32_t addr);

/* The valid line holding line_addr, or NULL.  With touch, the access
 * counts for replacement (most recently used). */
CacheLine *cache_lookup(Cache *c, uint32_t line_addr, bool touch);

/* What a touch of a line does to its set's replacement state, kept so
 * that a caller (a filter of lines known to hit) can do it again without
 * a lookup: valid while the line stays in its way.  LRU: the way's stamp
 * from the cache's counter; PLRU: the set's tree bits, and-or; random:
 * nothing.  cache_touch_again(t) is then exactly a lookup with touch. */
typedef struct CacheTouch {
    uint64_t *word;           /* the stamp or the tree bits (NULL: none) */
    uint64_t *clock;          /* LRU: the stamp source; else NULL */
    uint64_t clear, set;      /* PLRU: *word = (*word & ~clear) | set */
} CacheTouch;
/* False when the line's touch cannot be kept (PLRU of more than 64 ways). */
bool cache_touch_of(Cache *c, const CacheLine *line, CacheTouch *out);
/* LRU: the counter the stamps come from (another structure may take
 * stamps from it too: only their order matters); else NULL. */
uint64_t *cache_lru_clock(Cache *c);
static inline void cache_touch_again(const CacheTouch *t)
{
    if (t->clock)
        *t->word = ++*t->clock;
    else if (t->word)
        *t->word = (*t->word & ~t->clear) | t->set;
}

/* The way line_addr would go into: an invalid way of its set if there is
 * one, else the replacement policy's victim (still holding the old line,
 * which the caller must evict first: write back, tell the directory). */
CacheLine *cache_victim(Cache *c, uint32_t line_addr);

/* Put line_addr into `slot` (from cache_victim) with a state (non-zero),
 * dirty cleared, and touch it. */
void cache_fill(Cache *c, CacheLine *slot, uint32_t line_addr, uint8_t state);

/* Mark a line invalid (its way becomes the first choice for a fill). */
void cache_invalidate(Cache *c, CacheLine *line);

/* The line in a given set and way (valid or not): for views that draw
 * the cache as a grid. */
const CacheLine *cache_line_at(const Cache *c, uint32_t set, uint32_t way);

/* Visit every valid line (for snapshots and tests). */
typedef void (*CacheVisitFn)(void *ctx, const CacheLine *line);
void cache_each(const Cache *c, CacheVisitFn fn, void *ctx);

#endif
