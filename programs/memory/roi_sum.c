/* roi_sum.c — the row-by-row and column-by-column sums of matrix_sum.c
 * with the region of interest around the sum alone: the start-up (the
 * matrix written once, a cold miss per line) stays out of the region's
 * figures, so the summary's region column shows the sum's misses without
 * subtracting an `init` run.
 *
 *   parsim run roi_sum.elf row [N]     the region: ~1 L1 miss per line
 *   parsim run roi_sum.elf col [N]     the region: ~1 miss per element
 *
 * (N = 640 by default: rows of N ints plus 16 of padding, as in
 * matrix_sum.c.)  Under QEMU the region calls do nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cold.h"
#include "parsim.h"

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "row";
    unsigned n = argc > 2 ? (unsigned)atoi(argv[2]) : 640;
    int row = strcmp(mode, "row") == 0;
    if (!row && strcmp(mode, "col") != 0) {
        printf("usage: roi_sum.elf row|col [N]\n");
        return 2;
    }
    unsigned pitch = n + 16;
    int *m = cold_alloc((size_t)n * pitch * sizeof(int), 64);
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++)
            m[i * pitch + j] = (int)((i * 7 + j * 3) % 101) - 50;
    parsim_roi_begin();
    int s = 0;
    if (row)
        for (unsigned i = 0; i < n; i++)
            for (unsigned j = 0; j < n; j++)
                s += m[i * pitch + j];
    else
        for (unsigned j = 0; j < n; j++)
            for (unsigned i = 0; i < n; i++)
                s += m[i * pitch + j];
    parsim_roi_end();
    printf("roi_sum %s: %ux%u, sum %d\n", row ? "row" : "col", n, n, s);
    return 0;
}
