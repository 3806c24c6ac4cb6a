/* thread_pool_sum.c — a thread pool: workers on the idle harts take tasks
 * from a queue; main cuts an array into chunks, submits one task per
 * chunk, waits for all of them and adds the partial sums. */
#include <stdio.h>

#include "parsim_sync.h"

#define LEN 32768
#define CHUNK 512
#define NCHUNKS (LEN / CHUNK)

static unsigned data[LEN];
static unsigned partial[NCHUNKS];
static unsigned done_by[PARSIM_MAX_HARTS];

static void sum_chunk(void *arg)
{
    unsigned c = (unsigned)(uintptr_t)arg, s = 0;
    for (unsigned i = c * CHUNK; i < (c + 1) * CHUNK; i++)
        s += data[i];
    partial[c] = s;
    done_by[hart_id()]++;
}

int main(void)
{
    for (unsigned i = 0; i < LEN; i++)
        data[i] = i % 1000;
    static pool_t pool;
    unsigned workers = pool_init(&pool, parsim_idle_harts());
    for (unsigned c = 0; c < NCHUNKS; c++)
        pool_submit(&pool, sum_chunk, (void *)(uintptr_t)c);
    pool_wait(&pool);
    pool_destroy(&pool);
    unsigned total = 0, expect = 0, busy = 0;
    for (unsigned c = 0; c < NCHUNKS; c++)
        total += partial[c];
    for (unsigned i = 0; i < LEN; i++)
        expect += i % 1000;
    for (unsigned h = 0; h < PARSIM_MAX_HARTS; h++)
        busy += done_by[h] != 0;
    printf("thread_pool_sum: %u workers, %u tasks of %u values (%u harts "
           "took tasks): sum %u, expected %u: %s\n", workers, NCHUNKS, CHUNK,
           busy, total, expect, total == expect ? "OK" : "WRONG");
    return total != expect;
}
