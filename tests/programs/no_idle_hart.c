/* no_idle_hart.c — parsim_thread_create with no idle hart: on the default
 * one-core machine each of three calls gets EAGAIN, and parsim says why
 * once on its own stderr; with --cores 2 each gets a hart.  The exit
 * status is the number of calls that got EAGAIN.  "pool" asks pool_init
 * for more workers than there are idle harts, which is no mistake.
 *     parsim run build/tests/programs/no_idle_hart.elf        (status 3) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parsim_sync.h"

static void *worker(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "pool")) {
        pool_t pool;
        unsigned n = pool_init(&pool, 4);
        pool_destroy(&pool);
        printf("no_idle_hart: pool of %u\n", n);
        return 0;
    }
    int again = 0;
    for (int i = 0; i < 3; i++) {
        parsim_thread_t t;
        int r = parsim_thread_create(&t, worker, NULL);
        if (r == 0)
            parsim_thread_join(t);
        again += r == EAGAIN;
    }
    printf("no_idle_hart: %d of 3 EAGAIN\n", again);
    return again;
}
