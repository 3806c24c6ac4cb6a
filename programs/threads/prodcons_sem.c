/* prodcons_sem.c — the bounded buffer with semaphores: `empty` counts free
 * slots, `full` counts items, a mutex guards the indices.  Half the harts
 * produce the numbers 1..N, the other half consume them; the consumers'
 * total must be N(N+1)/2. */
#include <stdio.h>

#include "parsim_sync.h"

#define N 2000                      /* items in all */
#define SLOTS 8

static unsigned buffer[SLOTS], in, out;
static semaphore_t empty = SEMAPHORE_INIT(SLOTS), full = SEMAPHORE_INIT(0);
static mutex_t guard;
static atomic_uint consumed_sum;

static void role(unsigned rank, unsigned nranks, void *arg)
{
    (void)arg;
    unsigned producers = nranks / 2, consumers = nranks - producers;
    if (rank < producers) {         /* producer: items rank+1, rank+1+P, ... */
        for (unsigned v = rank + 1; v <= N; v += producers) {
            semaphore_wait(&empty);
            mutex_lock(&guard);
            buffer[in] = v;
            in = (in + 1) % SLOTS;
            mutex_unlock(&guard);
            semaphore_post(&full);
        }
    } else {                        /* consumer: its share of the N items */
        unsigned c = rank - producers;
        unsigned mine = N / consumers + (c < N % consumers), sum = 0;
        for (unsigned i = 0; i < mine; i++) {
            semaphore_wait(&full);
            mutex_lock(&guard);
            sum += buffer[out];
            out = (out + 1) % SLOTS;
            mutex_unlock(&guard);
            semaphore_post(&empty);
        }
        atomic_fetch_add(&consumed_sum, sum);
    }
}

int main(void)
{
    unsigned n = num_harts();
    if (n < 2) {
        printf("prodcons_sem: needs 2 or more harts (parsim run --cores 4)\n");
        return 0;
    }
    parsim_spmd(role, NULL);
    unsigned expect = N * (N + 1) / 2;
    printf("prodcons_sem: %u producers, %u consumers, %u items through %u "
           "slots: sum %u, expected %u: %s\n", n / 2, n - n / 2, N, SLOTS,
           atomic_load(&consumed_sum), expect,
           atomic_load(&consumed_sum) == expect ? "OK" : "WRONG");
    return atomic_load(&consumed_sum) != expect;
}
