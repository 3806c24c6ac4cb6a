/* col_sum.c — a column-major sum of a static 256 x 256 int matrix: each
 * row is 1 KiB, so a column's lines fall in 4 of the default L1's 64 sets
 * and evict each other long before the L1 is full (conflict misses), all
 * of them on `matrix`.  Usage: col_sum.elf [row] (row-major instead). */
#include <stdio.h>
#include <string.h>

#define N 256
static int matrix[N][N];

int main(int argc, char **argv)
{
    int by_row = argc > 1 && !strcmp(argv[1], "row");
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            matrix[i][j] = i - j;
    long sum = 0;
    for (int a = 0; a < N; a++)
        for (int b = 0; b < N; b++)
            sum += by_row ? matrix[a][b] : matrix[b][a];
    printf("col_sum: %s-major sum %ld\n", by_row ? "row" : "column", sum);
    return 0;
}
