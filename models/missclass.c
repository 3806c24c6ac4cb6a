/* missclass.c — the "3C + C" miss classifier of missclass.h.
 *
 * One entry per line address (line >> shift), in chunks made when a line
 * of theirs is first seen, answers all three questions a miss asks:
 *   seen?        — the entry is not NODE_EMPTY (entries never go back);
 *   invalidated? — its `node` field is NODE_INVAL;
 *   in shadow?   — its `node` field indexes the shadow's nodes.
 * The shadow is the fully associative LRU cache of capacity_lines lines,
 * a fixed pool of nodes.  Each node has the stamp of its last access
 * (from a counter of the classifier's accesses), and is in one of two
 * places,
 * each with a key per node that is the node's stamp when it was put
 * there: a FIFO (the ring `q`) where every line brought in goes, so its
 * keys only grow, and a binary min-heap.  A touch only writes the node's
 * stamp, so the keys may be older than the stamps, never newer.  The
 * victim is looked for at the smaller key of the FIFO's head and the
 * heap's root: if it is its node's stamp, that node has the smallest
 * stamp of all (every stamp is at least its key, every key at least that
 * one), so it is exactly the least recently used line; if not, the node
 * was touched since, and goes into the heap with its stamp as key (from
 * the FIFO) or down the heap with it (from the root), and the search
 * goes on.  A line brought in and evicted untouched, as a stream's are,
 * costs no heap work at all.  A touch is one store: a hit filter
 * (missclass_touch_of) keeps the order without a call, and a hit touches
 * one node, not its neighbours in a list (a doubly linked LRU list cost
 * more host instructions and two or three more host cache misses per
 * access of a large shadow, the LLC's).  Each node remembers its entry's
 * slot, so evicting the LRU line finds its entry at once.
 */
#include "models/missclass.h"

#include <stdlib.h>
#include <string.h>

const char *const miss_class_names[MISS_CLASS_COUNT] = {
    [MISS_COMPULSORY] = "compulsory",
    [MISS_CAPACITY] = "capacity",
    [MISS_CONFLICT] = "conflict",
    [MISS_COHERENCE] = "coherence",
};

/* Values of Entry.node above any node index (capacity_lines is capped
 * below them).  A marker for the empty slot, rather than a reserved key,
 * lets every 32-bit line address be a key. */
enum {
    NODE_EMPTY = 0xffffffffu,  /* free slot */
    NODE_NONE = 0xfffffffeu,   /* seen, not in the shadow */
    NODE_INVAL = 0xfffffffdu,  /* seen, invalidated, not refilled since */
    NODE_MAX = 0xfffffff0u     /* capacity_lines must be below this */
};
#define NIL 0xffffffffu         /* no node: the free list's end, a FIFO
                                   entry taken out */
enum { IN_HEAP, IN_FIFO };      /* Node.in */

typedef struct Node {
    uint32_t slot;            /* its entry: its line >> shift (free: the
                                 next free node) */
    uint32_t at, in;          /* its place in the heap or the FIFO, and
                                 which (IN_HEAP, IN_FIFO) */
} Node;

typedef struct HeapItem {
    uint64_t key;             /* the node's stamp when it was last placed */
    uint32_t node;
} HeapItem;

/* Entries (a node, or NODE_EMPTY etc.) indexed by line >> shift, in
 * chunks made on first use: neighbouring lines are neighbouring entries,
 * so a stream of misses walks the table instead of probing it. */
#define CHUNK_BITS 12
#define CHUNK (1u << CHUNK_BITS)

struct MissClassifier {
    uint32_t **chunk;         /* (2^32 >> shift) / CHUNK of them */
    uint32_t shift;           /* line addresses' zero bits */
    Node *nodes;
    uint32_t *line;           /* per node: its line, or MISSCLASS_FREE */
    uint64_t *stamp;          /* per node: its last access */
    uint64_t seq;             /* stamps handed out */
    uint64_t *clock;          /* where stamps come from: &seq, or a clock
                                 shared with a cache (missclass_share_clock) */
    HeapItem *heap;           /* nheap resident nodes, smallest key first */
    uint32_t nheap;
    HeapItem *q;              /* the FIFO, a ring of qmask + 1 (node NIL:
                                 taken out) */
    uint32_t qmask, qhead, qtail;   /* qtail - qhead entries from qhead */
    uint32_t cap;             /* capacity_lines */
    uint32_t used;            /* nodes ever handed out (< cap: unused ones) */
    uint32_t free;            /* nodes given back by invalidations */
    uint32_t evicted;         /* the line the last touch let go, or
                                 MISSCLASS_FREE */
};

/* Make the chunk *c (its entries NODE_EMPTY). */
static __attribute__((noinline)) void chunk_make(uint32_t **c)
{
    *c = malloc(CHUNK * sizeof **c);
    if (!*c) {
        /* Out of memory: nothing sensible to do in a timing model's hot
         * path, and a wrong classification is worse than a stop. */
        abort();
    }
    memset(*c, 0xff, CHUNK * sizeof **c);     /* NODE_EMPTY */
}

/* The entry of slot i (made, NODE_EMPTY, if need be). */
static inline __attribute__((always_inline)) uint32_t *
entry(MissClassifier *m, uint32_t i)
{
    uint32_t **c = &m->chunk[i >> CHUNK_BITS];
    if (__builtin_expect(!*c, 0))
        chunk_make(c);
    return &(*c)[i & (CHUNK - 1)];
}

/* The entry of key, marked seen (not in the shadow) when it was not;
 * *fresh says whether it was. */
static inline __attribute__((always_inline)) uint32_t *
find_or_add(MissClassifier *m, uint32_t key, bool *fresh)
{
    uint32_t *e = entry(m, key >> m->shift);
    *fresh = *e == NODE_EMPTY;
    if (*fresh)
        *e = NODE_NONE;
    return e;
}

/* The entry of key if it was ever seen, else NULL. */
static uint32_t *find(const MissClassifier *m, uint32_t key)
{
    uint32_t i = key >> m->shift;
    uint32_t *c = m->chunk[i >> CHUNK_BITS];
    return c && c[i & (CHUNK - 1)] != NODE_EMPTY ? &c[i & (CHUNK - 1)] : NULL;
}

static void heap_set(MissClassifier *m, uint32_t i, HeapItem it)
{
    m->heap[i] = it;
    m->nodes[it.node].at = i;
}

static void sift_up(MissClassifier *m, uint32_t i)
{
    HeapItem it = m->heap[i];
    while (i > 0 && m->heap[(i - 1) / 2].key > it.key) {
        heap_set(m, i, m->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(m, i, it);
}

static void sift_down(MissClassifier *m, uint32_t i)
{
    HeapItem it = m->heap[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= m->nheap)
            break;
        /* Which child is smaller is a coin toss: no branch for it. */
        c += c + 1 < m->nheap && m->heap[c + 1].key < m->heap[c].key;
        if (m->heap[c].key >= it.key)
            break;
        heap_set(m, i, m->heap[c]);
        i = c;
    }
    heap_set(m, i, it);
}

/* Take node n out of the heap. */
static void heap_remove(MissClassifier *m, uint32_t n)
{
    uint32_t i = m->nodes[n].at;
    HeapItem last = m->heap[--m->nheap];
    if (i == m->nheap)
        return;
    heap_set(m, i, last);
    sift_down(m, i);
    sift_up(m, m->nodes[last.node].at);
}

/* Put node n at the FIFO's tail (its key: its stamp, the newest).  A
 * full ring first drops its taken-out entries: it has twice the nodes'
 * room, so at least half go. */
static void fifo_push(MissClassifier *m, uint32_t n)
{
    if (m->qtail - m->qhead == m->qmask + 1) {
        uint32_t w = m->qhead;
        for (uint32_t r = m->qhead; r != m->qtail; r++) {
            HeapItem it = m->q[r & m->qmask];
            if (it.node == NIL)
                continue;
            m->q[w & m->qmask] = it;
            m->nodes[it.node].at = w & m->qmask;
            w++;
        }
        m->qtail = w;
    }
    m->q[m->qtail & m->qmask] = (HeapItem){m->stamp[n], n};
    m->nodes[n].at = m->qtail & m->qmask;
    m->nodes[n].in = IN_FIFO;
    m->qtail++;
}

static void heap_push(MissClassifier *m, uint64_t key, uint32_t n)
{
    m->nodes[n].in = IN_HEAP;
    m->heap[m->nheap] = (HeapItem){key, n};
    sift_up(m, m->nheap++);
}

/* Take the least recently used resident node out of the FIFO or the
 * heap (see the banner). */
static uint32_t take_lru(MissClassifier *m)
{
    for (;;) {
        while (m->qhead != m->qtail && m->q[m->qhead & m->qmask].node == NIL)
            m->qhead++;
        bool fifo = m->qhead != m->qtail &&
                    (!m->nheap ||
                     m->q[m->qhead & m->qmask].key < m->heap[0].key);
        if (fifo) {
            HeapItem it = m->q[m->qhead++ & m->qmask];
            if (it.key == m->stamp[it.node])
                return it.node;
            heap_push(m, m->stamp[it.node], it.node);
            continue;
        }
        uint32_t n = m->heap[0].node;
        if (m->heap[0].key == m->stamp[n]) {
            heap_remove(m, n);
            return n;
        }
        m->heap[0].key = m->stamp[n];
        sift_down(m, 0);
    }
}

/* Take node n out of where it is. */
static void node_remove(MissClassifier *m, uint32_t n)
{
    if (m->nodes[n].in == IN_FIFO)
        m->q[m->nodes[n].at].node = NIL;
    else
        heap_remove(m, n);
}

/* Make the line in `slot` (its entry e) the shadow's MRU, bringing it
 * in (and the LRU line out, when full) if it is not there. */
static void shadow_touch(MissClassifier *m, uint32_t slot, uint32_t *e)
{
    uint32_t n = *e;
    m->evicted = MISSCLASS_FREE;
    if (n < NODE_MAX) {
        m->stamp[n] = ++*m->clock;
        return;
    }
    if (m->cap == 0) {
        *e = NODE_NONE;
        return;
    }
    if (m->free != NIL) {
        n = m->free;
        m->free = m->nodes[n].slot;
    } else if (m->used < m->cap) {
        n = m->used++;
    } else {
        n = take_lru(m);          /* it takes the new line */
        *entry(m, m->nodes[n].slot) = NODE_NONE;
        m->evicted = m->line[n];
    }
    m->nodes[n].slot = slot;
    m->line[n] = slot << m->shift;
    m->stamp[n] = ++*m->clock;
    *e = n;
    fifo_push(m, n);
}

/* The FIFO's ring: a power of two, at least twice the nodes. */
static uint32_t qsize(uint32_t capacity_lines)
{
    uint32_t n = 1;
    while (n < 2 * capacity_lines)
        n *= 2;
    return n;
}

MissClassifier *missclass_new(uint32_t capacity_lines, unsigned line_shift)
{
    if (capacity_lines > 1u << 30 || line_shift > 16)
        return NULL;
    MissClassifier *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = capacity_lines;
    m->qmask = qsize(capacity_lines) - 1;
    m->shift = line_shift;
    m->free = NIL;
    m->evicted = MISSCLASS_FREE;
    m->clock = &m->seq;
    m->chunk = calloc(((size_t)1 << (32 - line_shift)) >> CHUNK_BITS,
                      sizeof *m->chunk);
    if (!m->chunk)
        goto fail;
    if (capacity_lines &&
        (!(m->nodes = malloc((size_t)capacity_lines * sizeof *m->nodes)) ||
         !(m->line = malloc((size_t)capacity_lines * sizeof *m->line)) ||
         !(m->stamp = malloc((size_t)capacity_lines * sizeof *m->stamp)) ||
         !(m->heap = malloc((size_t)capacity_lines * sizeof *m->heap)) ||
         !(m->q = malloc((size_t)(m->qmask + 1) * sizeof *m->q))))
        goto fail;
    for (uint32_t i = 0; i < capacity_lines; i++)
        m->line[i] = MISSCLASS_FREE;
    return m;
fail:
    missclass_free(m);
    return NULL;
}

void missclass_free(MissClassifier *m)
{
    if (!m)
        return;
    if (m->chunk) {
        size_t n = ((size_t)1 << (32 - m->shift)) >> CHUNK_BITS;
        for (size_t i = 0; i < n; i++)
            free(m->chunk[i]);
        free(m->chunk);
    }
    free(m->nodes);
    free(m->line);
    free(m->stamp);
    free(m->heap);
    free(m->q);
    free(m);
}

void missclass_hit(MissClassifier *m, uint32_t line_addr)
{
    bool fresh;
    uint32_t *e = find_or_add(m, line_addr, &fresh);
    /* The real cache holds it, so it cannot still count as invalidated. */
    if (*e == NODE_INVAL)
        *e = NODE_NONE;
    shadow_touch(m, line_addr >> m->shift, e);
}

MissClass missclass_miss(MissClassifier *m, uint32_t line_addr)
{
    bool fresh;
    uint32_t *e = find_or_add(m, line_addr, &fresh);
    uint32_t n = *e;
    MissClass cls;
    if (fresh) {
        cls = MISS_COMPULSORY;
    } else if (n == NODE_INVAL) {
        cls = MISS_COHERENCE;
        *e = NODE_NONE;
    } else if (n < NODE_MAX) {
        cls = MISS_CONFLICT;
    } else {
        cls = MISS_CAPACITY;
    }
    shadow_touch(m, line_addr >> m->shift, e);
    return cls;
}

void missclass_invalidated(MissClassifier *m, uint32_t line_addr)
{
    /* A line never held cannot have been invalidated: leaving it unseen
     * keeps its first miss compulsory. */
    uint32_t *e = find(m, line_addr);
    if (!e)
        return;
    uint32_t n = *e;
    if (n < NODE_MAX) {
        node_remove(m, n);
        m->line[n] = MISSCLASS_FREE;
        m->nodes[n].slot = m->free;     /* the free list's link */
        m->free = n;
    }
    *e = NODE_INVAL;
}

uint32_t missclass_node(const MissClassifier *m, uint32_t line_addr)
{
    const uint32_t *e = find(m, line_addr);
    return e && *e < NODE_MAX ? *e : MISSCLASS_FREE;
}

uint32_t missclass_evicted(const MissClassifier *m)
{
    return m->evicted;
}

MissClassTouch missclass_touch_of(MissClassifier *m)
{
    return (MissClassTouch){.line = m->line, .stamp = m->stamp,
                            .seq = m->clock};
}

void missclass_share_clock(MissClassifier *m, uint64_t *clock)
{
    /* Stamps only compare with each other: any counter that goes up at
     * every touch keeps the order, whoever else advances it. */
    if (m->seq > *clock)
        *clock = m->seq;
    m->clock = clock;
}
