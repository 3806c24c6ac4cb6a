/* roi_loads.c — a region of interest with a known number of loads.
 *
 * Start-up (a memset of the array, a first pass over it) runs outside the
 * region; inside it the program does exactly N loads of the array and no
 * stores, and the test checks that the region's figures say so.
 * Usage: roi_loads.elf [N] (N <= 4096; default 1000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim.h"

#define MAX 4096
static volatile unsigned data[MAX];

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
    if (n > MAX)
        n = MAX;
    memset((void *)data, 1, sizeof data);       /* start-up, outside */
    unsigned warm = 0;
    for (unsigned i = 0; i < MAX; i++)
        warm += data[i];
    parsim_roi_begin();
    unsigned sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += data[i];
    parsim_roi_end();
    printf("roi_loads: %u loads in the region, sum %u (warm-up %u)\n", n, sum,
           warm);
    return 0;
}
