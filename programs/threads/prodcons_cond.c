/* prodcons_cond.c — the bounded buffer with a mutex and two condition
 * variables (bqueue_t: put waits on not_full, get on not_empty), run as
 * fork/join threads: main creates producers and consumers on idle harts
 * and joins them.  Each consumer returns its sum; the total must be
 * N(N+1)/2. */
#include <stdint.h>
#include <stdio.h>

#include "parsim_sync.h"

#define N 2000
#define SLOTS 8
#define STOP ((void *)0)            /* items are 1..N, never 0 */

static void *slots[SLOTS];
static bqueue_t q;
static unsigned producers;

static void *producer(void *arg)
{
    for (uintptr_t v = (uintptr_t)arg; v <= N; v += producers)
        bqueue_put(&q, (void *)v);
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    uintptr_t sum = 0;
    for (void *item; (item = bqueue_get(&q)) != STOP;)
        sum += (uintptr_t)item;
    return (void *)sum;
}

int main(void)
{
    unsigned idle = parsim_idle_harts();
    if (idle < 2) {
        printf("prodcons_cond: needs 3 or more harts (parsim run --cores 4)\n");
        return 0;
    }
    bqueue_init(&q, slots, SLOTS);
    producers = idle / 2;
    unsigned consumers = idle - producers;
    parsim_thread_t p[PARSIM_MAX_HARTS], c[PARSIM_MAX_HARTS];
    for (unsigned i = 0; i < producers; i++)
        parsim_thread_create(&p[i], producer, (void *)(uintptr_t)(i + 1));
    for (unsigned i = 0; i < consumers; i++)
        parsim_thread_create(&c[i], consumer, NULL);
    for (unsigned i = 0; i < producers; i++)
        parsim_thread_join(p[i]);
    for (unsigned i = 0; i < consumers; i++)   /* one stop per consumer */
        bqueue_put(&q, STOP);
    uintptr_t total = 0;
    for (unsigned i = 0; i < consumers; i++)
        total += (uintptr_t)parsim_thread_join(c[i]);
    unsigned expect = N * (N + 1) / 2;
    printf("prodcons_cond: %u producer and %u consumer threads, %u items "
           "through %u slots: sum %lu, expected %u: %s\n", producers,
           consumers, N, SLOTS, (unsigned long)total, expect,
           total == expect ? "OK" : "WRONG");
    return total != expect;
}
