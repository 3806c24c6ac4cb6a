/* matrix_sum.c — locality on one core: the same sum of an N x N matrix of
 * ints (larger than the 32 KiB L1) row by row and column by column.
 *
 *   parsim run --stats ms.json matrix_sum.elf row  [N]   ~1 L1 miss per line
 *   parsim run --stats ms.json matrix_sum.elf col  [N]   ~1 miss per element
 *   parsim run --stats ms.json matrix_sum.elf init [N]   initialisation only
 *   parsim run --stats ms.json matrix_sum.elf scan BYTES [PASSES]
 *
 * Rows are N ints plus 16 of padding (a pitch of N + 16 ints, a multiple of
 * the 64-byte line), so a column's lines spread over all the L1's sets: the
 * column-major sum misses on every element once a column has more lines
 * than the L1 holds (N > 512 with the default L1; default N = 640).  The
 * matrix is cold memory (cold.h), is written row by row once, then summed;
 * `init` stops before the sum, so subtracting its L1 misses leaves the
 * sum's.
 *
 * `scan` reads BYTES of never touched memory (cold.h) (zero)
 * word by word, PASSES times (default 1): the first pass takes exactly
 * BYTES / 64 compulsory misses; later passes hit in the L1 if BYTES fits
 * in it, else in the LLC (docs/memory.md uses it for the worked example). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cold.h"
#include "parsim.h"

static unsigned scan(unsigned bytes, unsigned passes)
{
    const volatile uint32_t *p = cold_alloc(bytes, 64);
    unsigned s = 0;
    for (unsigned k = 0; k < passes; k++)
        for (unsigned i = 0; i < bytes / 4; i++)
            s += p[i];
    return s;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "row";
    unsigned n = argc > 2 ? (unsigned)atoi(argv[2]) : 640;
    if (strcmp(mode, "scan") == 0) {
        unsigned passes = argc > 3 ? (unsigned)atoi(argv[3]) : 1;
        unsigned s = scan(n & ~63u, passes);
        printf("matrix_sum scan: sum %u\n", s);
        return s != 0;
    }
    int row = strcmp(mode, "row") == 0, col = strcmp(mode, "col") == 0;
    if (!row && !col && strcmp(mode, "init") != 0) {
        printf("usage: matrix_sum.elf row|col|init [N] | scan BYTES [PASSES]\n");
        return 2;
    }
    unsigned pitch = n + 16;
    int *m = cold_alloc((size_t)n * pitch * sizeof(int), 64);
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++)
            m[i * pitch + j] = (int)((i * 7 + j * 3) % 101) - 50;
    int s = 0;
    uint64_t t0 = cycles();
    if (row) {
        for (unsigned i = 0; i < n; i++)
            for (unsigned j = 0; j < n; j++)
                s += m[i * pitch + j];
    } else if (col) {
        for (unsigned j = 0; j < n; j++)
            for (unsigned i = 0; i < n; i++)
                s += m[i * pitch + j];
    }
    uint64_t t = cycles() - t0;
    printf("matrix_sum %s: %ux%u ints, sum %d, %llu cycles\n", mode, n, n, s,
           (unsigned long long)t);
    return 0;
}
