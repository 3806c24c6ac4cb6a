/* stack_mt.c — a stack overflow on one hart of several: hart 1 recurses
 * (1 KiB a frame) argv[1] levels deep while hart 0 waits for it.  With
 * the default 64 KiB stacks, 100 levels overflow: parsim stops the run
 * naming hart 1 and this file's line, not the hart whose stack it would
 * have overwritten.  "main 100" recurses on hart 0 instead.
 *     parsim run --cores 2 build/tests/programs/stack_mt.elf 100 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim.h"

static int down(int n);
/* Through a volatile pointer: the compiler cannot turn it into a loop. */
static int (*volatile again)(int) = down;

static int down(int n)
{
    volatile char frame[1024];
    frame[0] = (char)n;
    if (n == 0)
        return 0;
    return again(n - 1) + frame[0];
}

static void *worker(void *arg)
{
    return (void *)(long)down((int)(long)arg);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10;
    long r;
    if (argc > 2 && !strcmp(argv[2], "main")) {
        r = down(n);
    } else {
        parsim_thread_t t;
        if (parsim_thread_create(&t, worker, (void *)(long)n) != 0) {
            fprintf(stderr, "stack_mt: needs two harts\n");
            return 2;
        }
        r = (long)parsim_thread_join(t);
    }
    printf("stack_mt: %d levels, %ld\n", n, r);
    return 0;
}
