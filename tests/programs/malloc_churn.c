/* malloc_churn.c — differential test: many malloc/calloc/realloc/free with
 * a fixed pattern, each block filled and verified; exit 0 if all intact. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256

static uint32_t rng = 0x2545f491;
static uint32_t next(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

static unsigned char tag(unsigned slot, size_t i)
{
    return (unsigned char)(slot * 7 + i * 13 + (i >> 8));
}

static void fill(unsigned char *p, unsigned slot, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        p[i] = tag(slot, i);
}

static int verify(const unsigned char *p, unsigned slot, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != tag(slot, i))
            return 0;
    return 1;
}

int main(void)
{
    static unsigned char *blk[SLOTS];
    static size_t len[SLOTS];
    unsigned long allocs = 0, frees = 0, reallocs = 0, errors = 0;
    size_t peak = 0, live = 0;
    for (int round = 0; round < 2000; round++) {
        unsigned s = next() % SLOTS;
        unsigned op = next() % 4;
        /* Contents are verified in full before a block is freed or
         * moved, so corruption by any other allocation is caught. */
        if (blk[s] == NULL) {
            /* Mostly small, sometimes large blocks: both allocator paths. */
            size_t n = next() % 8 == 0 ? 2048 + next() % 8192 : 1 + next() % 200;
            blk[s] = op == 0 ? calloc(n, 1) : malloc(n);
            if (!blk[s]) {
                errors++;
                continue;
            }
            if (op == 0)
                for (size_t i = 0; i < n; i++)
                    errors += blk[s][i] != 0;
            fill(blk[s], s, 0, n);
            len[s] = n;
            live += n;
            allocs++;
        } else if (op == 1) {
            if (!verify(blk[s], s, len[s]))
                errors++;
            size_t n = 1 + next() % (len[s] * 2 + 16);
            unsigned char *p = realloc(blk[s], n);
            if (!p) {
                errors++;
                continue;
            }
            size_t keep = n < len[s] ? n : len[s];
            if (!verify(p, s, keep))
                errors++;
            fill(p, s, keep, n);
            live = live - len[s] + n;
            blk[s] = p;
            len[s] = n;
            reallocs++;
        } else {
            if (!verify(blk[s], s, len[s]))
                errors++;
            free(blk[s]);
            blk[s] = NULL;
            live -= len[s];
            len[s] = 0;
            frees++;
        }
        if (live > peak)
            peak = live;
        /* Alignment is part of malloc's contract. */
        if (blk[s] && ((uintptr_t)blk[s] & 7) != 0)
            errors++;
    }
    for (unsigned s = 0; s < SLOTS; s++) {
        if (blk[s] && !verify(blk[s], s, len[s]))
            errors++;
        free(blk[s]);
    }
    /* Address reuse after freeing everything is deterministic on a
     * deterministic machine: print the offsets of a fresh allocation. */
    char *a = malloc(100), *b = malloc(100);
    printf("allocs %lu frees %lu reallocs %lu peak %lu errors %lu gap %ld\n",
           allocs, frees, reallocs, (unsigned long)peak, errors,
           (long)(b - a));
    free(a);
    free(b);
    return errors != 0;
}
