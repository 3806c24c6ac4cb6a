/* qsort.c — differential test: qsort/bsearch on ints, strings and structs
 * with a pseudo-random but fixed input; the exit status is 1 if unsorted. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
    int key;
    unsigned seq;
    char name[12];
};

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Ties broken by insertion order so the result does not depend on the
 * sort's stability. */
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

#define N 3000

int main(void)
{
    static int v[N];
    int bad = 0;
    for (int i = 0; i < N; i++)
        v[i] = (int)(next() % 20001) - 10000;
    qsort(v, N, sizeof v[0], cmp_int);
    uint32_t h = 0;
    for (int i = 0; i < N; i++) {
        if (i > 0 && v[i - 1] > v[i])
            bad = 1;
        h = h * 33 + (uint32_t)v[i];
    }
    printf("ints: min %d median %d max %d hash %08x\n", v[0], v[N / 2],
           v[N - 1], (unsigned)h);
    int found = 0;
    for (int k = -10000; k <= 10000; k += 37)
        found += bsearch(&k, v, N, sizeof v[0], cmp_int) != NULL;
    printf("bsearch found %d\n", found);

    static char pool[400][12];
    static const char *strs[400];
    for (int i = 0; i < 400; i++) {
        int len = 1 + (int)(next() % 10);
        for (int j = 0; j < len; j++)
            pool[i][j] = (char)('a' + next() % 26);
        pool[i][len] = '\0';
        strs[i] = pool[i];
    }
    qsort(strs, 400, sizeof strs[0], cmp_str);
    for (int i = 0; i < 400; i += 40)
        printf("str[%d] = %s\n", i, strs[i]);

    static struct rec recs[500];
    for (unsigned i = 0; i < 500; i++) {
        recs[i].key = (int)(next() % 50);
        recs[i].seq = i;
        snprintf(recs[i].name, sizeof recs[i].name, "r%u", i);
    }
    qsort(recs, 500, sizeof recs[0], cmp_rec);
    for (int i = 0; i < 500; i += 50)
        printf("rec %d: key %d %s\n", i, recs[i].key, recs[i].name);
    for (int i = 1; i < 500; i++)
        if (cmp_rec(&recs[i - 1], &recs[i]) > 0)
            bad = 1;
    printf("sorted %s\n", bad ? "NO" : "yes");
    return bad;
}
