/* missclass.h — the "3C + C" classification of a cache's misses:
 *   compulsory — the cache never held the line before;
 *   coherence  — it held it, and lost it to an invalidation by another
 *                core (not to its own replacement) since;
 *   conflict   — a fully associative LRU cache of the same capacity
 *                would have hit;
 *   capacity   — any other miss.
 * The classifier shadows one cache: it must see every access to it, hit
 * or miss, in order, and every coherence invalidation.
 *
 * May depend on: the C library only.
 */
#ifndef PARSIM_MODELS_MISSCLASS_H
#define PARSIM_MODELS_MISSCLASS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum MissClass {
    MISS_COMPULSORY, MISS_CAPACITY, MISS_CONFLICT, MISS_COHERENCE,
    MISS_CLASS_COUNT
} MissClass;

extern const char *const miss_class_names[MISS_CLASS_COUNT];

typedef struct MissClassifier MissClassifier;

/* capacity_lines: how many lines the shadowed cache holds; line_shift:
 * the line addresses' low zero bits (log2 of the line size, at most 16;
 * 0 takes any 32-bit key).  Its hits can also be done without a call
 * (missclass_touch_of).  NULL: out of memory, or more than 2^30 lines. */
MissClassifier *missclass_new(uint32_t capacity_lines, unsigned line_shift);
void missclass_free(MissClassifier *m);

/* An access that hit in the real cache (keeps the shadow's LRU order). */
void missclass_hit(MissClassifier *m, uint32_t line_addr);

/* An access that missed in the real cache: its class; the line is then
 * counted as present (the real cache fills it). */
MissClass missclass_miss(MissClassifier *m, uint32_t line_addr);

/* Another core's write invalidated line_addr in the real cache. */
void missclass_invalidated(MissClassifier *m, uint32_t line_addr);

/* A hit without a call, for a filter of lines known to hit: the shadow's
 * node holding line_addr (missclass_node, or MISSCLASS_FREE when it is
 * not in the shadow), and the arrays behind it.  While line[node] is
 * still line_addr, `stamp[node] = ++*seq` is exactly missclass_hit;
 * otherwise (the shadow has let it go) call missclass_hit.  The shadow
 * lets a line go only when a missclass_hit or missclass_miss brings
 * another in (missclass_evicted then names it) or when it is
 * invalidated, so a filter that drops the line then need not look at
 * line[node] at each hit. */
#define MISSCLASS_FREE 0xffffffffu  /* never a line address (odd) */
typedef struct MissClassTouch {
    const uint32_t *line;     /* per node: the line it holds */
    uint64_t *stamp;          /* per node: its last access */
    uint64_t *seq;            /* the classifier's access counter */
} MissClassTouch;
uint32_t missclass_node(const MissClassifier *m, uint32_t line_addr);
/* The line the last missclass_hit or missclass_miss took out of the
 * shadow to make room, or MISSCLASS_FREE. */
uint32_t missclass_evicted(const MissClassifier *m);
MissClassTouch missclass_touch_of(MissClassifier *m);

/* The classifier's stamps taken from `clock` (a cache's LRU stamp
 * source, cache_touch_of's) instead of its own counter, so that a filter's
 * hit stamps the cache's way and the classifier's node with one value.
 * Call before the first access; touch_of's seq is then `clock`. */
void missclass_share_clock(MissClassifier *m, uint64_t *clock);

#endif
