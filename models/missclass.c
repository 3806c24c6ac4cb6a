/* missclass.c — the "3C + C" miss classifier of missclass.h.
 *
 * One open-addressing hash table (linear probing, power-of-two size,
 * grown at half full) holds every line the cache ever held, so a single
 * probe answers all three questions a miss asks:
 *   seen?        — the line has an entry at all (entries are never
 *                  removed, which is also why the table needs no
 *                  tombstones);
 *   invalidated? — its `node` field is NODE_INVAL;
 *   in shadow?   — its `node` field indexes the shadow's LRU list.
 * The shadow is the fully associative LRU cache of capacity_lines lines:
 * a fixed pool of nodes, doubly linked by index, MRU at the head.  A
 * stamped classifier (missclass_new_stamped, for a hit filter) keeps the
 * order another way: each node has the stamp of its last access (from a
 * counter of the classifier's accesses), and a binary min-heap holds the
 * nodes keyed by a stamp.  A touch only writes the node's
 * stamp, so the heap's keys may be older than the stamps: when the root's
 * key is not its node's stamp the node was touched since, and it goes
 * down the heap with its new key; a root whose key is its stamp has the
 * smallest stamp of all (every stamp is at least its key), so the victim
 * is exactly the least recently used line.  That a touch is one store is
 * what lets a hit filter (missclass_touch) keep the order without a call.
 * Each node remembers its entry's slot so evicting the LRU line costs no
 * second probe; growing the table rewrites those slots.
 */
#include "models/missclass.h"

#include <stdlib.h>

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
#define NIL 0xffffffffu         /* end of a list */

typedef struct Entry {
    uint32_t key;
    uint32_t node;
} Entry;

typedef struct Node {
    uint32_t slot;            /* its Entry in the table */
    uint32_t prev, next;      /* towards MRU / towards LRU; stamped: prev
                                 is its place in the heap */
} Node;

typedef struct HeapItem {
    uint64_t key;             /* the node's stamp when it was last placed */
    uint32_t node;
} HeapItem;

struct MissClassifier {
    Entry *tab;
    uint32_t mask;            /* table size - 1 */
    uint32_t shift;           /* 64 - log2(table size), for the hash */
    uint32_t count;           /* used slots */
    Node *nodes;
    uint32_t *line;           /* per node: its line, or MISSCLASS_FREE */
    uint64_t *stamp;          /* per node: its last access */
    uint64_t seq;             /* stamps handed out */
    HeapItem *heap;           /* stamped: nheap resident nodes, smallest key
                                 first (NULL: the list) */
    uint32_t nheap;
    uint32_t head, tail;      /* the list's MRU, LRU */
    uint32_t cap;             /* capacity_lines */
    uint32_t used;            /* nodes ever handed out (< cap: unused ones) */
    uint32_t free;            /* nodes given back by invalidations */
};

/* Fibonacci hashing: line addresses share their low zero bits, the
 * product's top bits do not. */
static uint32_t hash(const MissClassifier *m, uint32_t key)
{
    return (uint32_t)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >> m->shift);
}

static bool table_alloc(MissClassifier *m, uint32_t log2size)
{
    uint32_t size = 1u << log2size;
    Entry *t = malloc((size_t)size * sizeof *t);
    if (!t)
        return false;
    for (uint32_t i = 0; i < size; i++)
        t[i].node = NODE_EMPTY;
    m->tab = t;
    m->mask = size - 1;
    m->shift = 64 - log2size;
    return true;
}

static void grow(MissClassifier *m)
{
    Entry *old = m->tab;
    uint32_t oldsize = m->mask + 1;
    uint32_t log2size = 64 - m->shift + 1;
    if (log2size > 31 || !table_alloc(m, log2size)) {
        /* Out of memory: nothing sensible to do in a timing model's
         * hot path, and a wrong classification is worse than a stop. */
        abort();
    }
    for (uint32_t i = 0; i < oldsize; i++) {
        if (old[i].node == NODE_EMPTY)
            continue;
        uint32_t j = hash(m, old[i].key);
        while (m->tab[j].node != NODE_EMPTY)
            j = (j + 1) & m->mask;
        m->tab[j] = old[i];
        if (old[i].node < NODE_MAX)
            m->nodes[old[i].node].slot = j;
    }
    free(old);
}

/* The slot of key, inserting it (as seen, not in the shadow) when absent;
 * *fresh says whether it was. */
static uint32_t find_or_add(MissClassifier *m, uint32_t key, bool *fresh)
{
    uint32_t i = hash(m, key);
    for (;;) {
        Entry *e = &m->tab[i];
        if (e->node == NODE_EMPTY)
            break;
        if (e->key == key) {
            *fresh = false;
            return i;
        }
        i = (i + 1) & m->mask;
    }
    *fresh = true;
    /* Half full at most keeps linear probes short. */
    if (2 * (m->count + 1) > m->mask + 1) {
        grow(m);
        i = hash(m, key);
        while (m->tab[i].node != NODE_EMPTY)
            i = (i + 1) & m->mask;
    }
    m->tab[i].key = key;
    m->tab[i].node = NODE_NONE;
    m->count++;
    return i;
}

static uint32_t find(const MissClassifier *m, uint32_t key)
{
    uint32_t i = hash(m, key);
    while (m->tab[i].node != NODE_EMPTY) {
        if (m->tab[i].key == key)
            return i;
        i = (i + 1) & m->mask;
    }
    return NIL;
}

static void unlink_node(MissClassifier *m, uint32_t n)
{
    Node *x = &m->nodes[n];
    if (x->prev != NIL)
        m->nodes[x->prev].next = x->next;
    else
        m->head = x->next;
    if (x->next != NIL)
        m->nodes[x->next].prev = x->prev;
    else
        m->tail = x->prev;
}

static void push_front(MissClassifier *m, uint32_t n)
{
    Node *x = &m->nodes[n];
    x->prev = NIL;
    x->next = m->head;
    if (m->head != NIL)
        m->nodes[m->head].prev = n;
    else
        m->tail = n;
    m->head = n;
}

static void heap_set(MissClassifier *m, uint32_t i, HeapItem it)
{
    m->heap[i] = it;
    m->nodes[it.node].prev = i;
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
    uint32_t i = m->nodes[n].prev;
    HeapItem last = m->heap[--m->nheap];
    if (i == m->nheap)
        return;
    heap_set(m, i, last);
    sift_down(m, i);
    sift_up(m, m->nodes[last.node].prev);
}

/* The least recently used resident node (the heap's root once every key
 * above it is brought up to date). */
static uint32_t heap_lru(MissClassifier *m)
{
    for (;;) {
        uint32_t n = m->heap[0].node;
        if (m->heap[0].key == m->stamp[n])
            return n;
        m->heap[0].key = m->stamp[n];
        sift_down(m, 0);
    }
}

/* Make the line in `slot` the shadow's MRU, bringing it in (and the LRU
 * line out, when full) if it is not there. */
static void shadow_touch(MissClassifier *m, uint32_t slot)
{
    Entry *e = &m->tab[slot];
    uint32_t n = e->node;
    if (n < NODE_MAX) {
        if (m->heap) {
            m->stamp[n] = ++m->seq;
        } else if (m->head != n) {
            unlink_node(m, n);
            push_front(m, n);
        }
        return;
    }
    if (m->cap == 0) {
        e->node = NODE_NONE;
        return;
    }
    bool full = false;
    if (m->free != NIL) {
        n = m->free;
        m->free = m->nodes[n].slot;
    } else if (m->used < m->cap) {
        n = m->used++;
    } else if (m->heap) {
        n = heap_lru(m);          /* the root: it takes the new line */
        m->tab[m->nodes[n].slot].node = NODE_NONE;
        full = true;
    } else {
        n = m->tail;
        unlink_node(m, n);
        m->tab[m->nodes[n].slot].node = NODE_NONE;
    }
    m->nodes[n].slot = slot;
    m->line[n] = e->key;
    m->stamp[n] = ++m->seq;
    e->node = n;
    if (!m->heap) {
        push_front(m, n);
    } else if (full) {
        m->heap[0].key = m->stamp[n];
        sift_down(m, 0);
    } else {
        m->heap[m->nheap] = (HeapItem){m->stamp[n], n};
        sift_up(m, m->nheap++);
    }
}

static MissClassifier *make(uint32_t capacity_lines, bool stamped)
{
    if (capacity_lines >= NODE_MAX)
        return NULL;
    MissClassifier *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = capacity_lines;
    m->free = m->head = m->tail = NIL;
    /* Room for the shadow's lines before the first growth. */
    uint32_t log2size = 4;
    while (log2size < 31 && (1u << log2size) < 2 * (uint64_t)capacity_lines)
        log2size++;
    if (capacity_lines &&
        (!(m->nodes = malloc((size_t)capacity_lines * sizeof *m->nodes)) ||
         !(m->line = malloc((size_t)capacity_lines * sizeof *m->line)) ||
         !(m->stamp = malloc((size_t)capacity_lines * sizeof *m->stamp)) ||
         (stamped &&
          !(m->heap = malloc((size_t)capacity_lines * sizeof *m->heap)))))
        goto fail;
    for (uint32_t i = 0; i < capacity_lines; i++)
        m->line[i] = MISSCLASS_FREE;
    if (!table_alloc(m, log2size))
        goto fail;
    return m;
fail:
    missclass_free(m);
    return NULL;
}

MissClassifier *missclass_new(uint32_t capacity_lines)
{
    return make(capacity_lines, false);
}

MissClassifier *missclass_new_stamped(uint32_t capacity_lines)
{
    return make(capacity_lines, true);
}

void missclass_free(MissClassifier *m)
{
    if (!m)
        return;
    free(m->tab);
    free(m->nodes);
    free(m->line);
    free(m->stamp);
    free(m->heap);
    free(m);
}

void missclass_hit(MissClassifier *m, uint32_t line_addr)
{
    bool fresh;
    uint32_t slot = find_or_add(m, line_addr, &fresh);
    /* The real cache holds it, so it cannot still count as invalidated. */
    if (m->tab[slot].node == NODE_INVAL)
        m->tab[slot].node = NODE_NONE;
    shadow_touch(m, slot);
}

MissClass missclass_miss(MissClassifier *m, uint32_t line_addr)
{
    bool fresh;
    uint32_t slot = find_or_add(m, line_addr, &fresh);
    uint32_t n = m->tab[slot].node;
    MissClass cls;
    if (fresh) {
        cls = MISS_COMPULSORY;
    } else if (n == NODE_INVAL) {
        cls = MISS_COHERENCE;
        m->tab[slot].node = NODE_NONE;
    } else if (n < NODE_MAX) {
        cls = MISS_CONFLICT;
    } else {
        cls = MISS_CAPACITY;
    }
    shadow_touch(m, slot);
    return cls;
}

void missclass_invalidated(MissClassifier *m, uint32_t line_addr)
{
    /* A line never held cannot have been invalidated: leaving it unseen
     * keeps its first miss compulsory. */
    uint32_t slot = find(m, line_addr);
    if (slot == NIL)
        return;
    Entry *e = &m->tab[slot];
    if (e->node < NODE_MAX) {
        if (m->heap)
            heap_remove(m, e->node);
        else
            unlink_node(m, e->node);
        m->line[e->node] = MISSCLASS_FREE;
        m->nodes[e->node].slot = m->free;     /* the free list's link */
        m->free = e->node;
    }
    e->node = NODE_INVAL;
}

uint32_t missclass_node(const MissClassifier *m, uint32_t line_addr)
{
    uint32_t slot = find(m, line_addr);
    return slot != NIL && m->tab[slot].node < NODE_MAX ? m->tab[slot].node
                                                       : MISSCLASS_FREE;
}

MissClassTouch missclass_touch_of(MissClassifier *m)
{
    return (MissClassTouch){.line = m->line, .stamp = m->stamp,
                            .seq = &m->seq};
}
