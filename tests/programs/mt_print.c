/* mt_print.c — every hart prints 40 lines at once, one printf per line
 * (which picolibc sends to the console a character at a time): on parsim
 * each line must come out whole, never mixed with another hart's. */
#include <stdio.h>

#include "parsim.h"

static void lines(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    for (unsigned i = 0; i < 40; i++)
        printf("hart %u line %u: %s\n", rank, i, "abcdefghijklmnopqrstuvwxyz");
}

int main(void)
{
    parsim_spmd(lines, NULL);
    return 0;
}
