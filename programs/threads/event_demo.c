/* event_demo.c — a manual-reset event as a starting gun: worker threads
 * are created first and wait on `go`; main fills in the input, then sets
 * the event once and every waiter passes.  A second event, reset and
 * reused, starts a second round. */
#include <stdint.h>
#include <stdio.h>

#include "parsim_sync.h"

#define PER 256

static event_t go;
static unsigned input[PARSIM_MAX_HARTS * PER];
static unsigned round;

static void *worker(void *arg)
{
    uintptr_t me = (uintptr_t)arg;
    uintptr_t sum = 0;
    event_wait(&go);                /* the input is ready once this passes */
    for (unsigned i = 0; i < PER; i++)
        sum += input[me * PER + i] * round;
    return (void *)sum;
}

int main(void)
{
    unsigned workers = parsim_idle_harts();
    if (workers == 0) {
        printf("event_demo: needs 2 or more harts (parsim run --cores 4)\n");
        return 0;
    }
    parsim_thread_t t[PARSIM_MAX_HARTS];
    for (round = 1; round <= 2; round++) {
        event_reset(&go);
        for (unsigned w = 0; w < workers; w++)
            parsim_thread_create(&t[w], worker, (void *)(uintptr_t)w);
        /* The workers are already waiting; now prepare their input. */
        for (unsigned i = 0; i < workers * PER; i++)
            input[i] = i + 1;
        event_set(&go);
        uintptr_t total = 0;
        for (unsigned w = 0; w < workers; w++)
            total += (uintptr_t)parsim_thread_join(t[w]);
        unsigned m = workers * PER;
        unsigned long expect = (unsigned long)m * (m + 1) / 2 * round;
        printf("event_demo round %u: %u workers released by one event_set: "
               "sum %lu, expected %lu: %s\n", round, workers,
               (unsigned long)total, expect, total == expect ? "OK" : "WRONG");
        if (total != expect)
            return 1;
    }
    return 0;
}
