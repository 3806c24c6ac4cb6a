/* oddeven_sort.c — MPI example: odd-even transposition sort of N
 * pseudo-random keys spread in blocks over P ranks.  Each rank sorts its
 * block (qsort); then in P phases neighbouring ranks pair up (even
 * phases: 0-1, 2-3, ...; odd phases: 1-2, 3-4, ...), swap their whole
 * blocks with MPI_Sendrecv and keep the lower or the upper half of the
 * merge (merge-split).  After P phases the blocks are sorted across
 * ranks.  Every phase moves whole blocks between neighbours: P phases of
 * N/P keys each, so communication grows with P while the local work
 * shrinks.
 *
 *   parsim run --ranks 4 oddeven_sort.elf [N]
 *   mpirun -n 4 ./oddeven_sort [N]
 *
 * N (default 4096, at least P) keys; key g is a hash of g, so the data
 * does not depend on P.  The check (every block sorted, every block's
 * first key not below its left neighbour's last) is combined with
 * MPI_LAND; the checksum, the sum of (position + 1) x key modulo 2^32,
 * depends on the order, so any misplaced key changes it.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define TAG 1

static unsigned key(unsigned g)
{
    unsigned x = g * 0x9e3779b9u + 0x7f4a7c15u;   /* murmur3's finaliser */
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

static int cmp(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static long block_len(long n, int nranks, int r)
{
    return n / nranks + (r < n % nranks);
}

/* The len smallest (low) or largest (!low) of a[0..na) and b[0..nb),
 * both sorted, into out[0..len), sorted. */
static void merge_split(const unsigned *a, long na, const unsigned *b,
                        long nb, unsigned *out, long len, int low)
{
    if (low) {
        long i = 0, j = 0;
        for (long k = 0; k < len; k++)
            out[k] = (j >= nb || (i < na && a[i] <= b[j])) ? a[i++] : b[j++];
    } else {
        long i = na - 1, j = nb - 1;
        for (long k = len - 1; k >= 0; k--)
            out[k] = (j < 0 || (i >= 0 && a[i] > b[j])) ? a[i--] : b[j--];
    }
}

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    long n = argc > 1 ? atol(argv[1]) : 4096;
    if (n < nranks) {
        if (rank == 0)
            fprintf(stderr, "oddeven_sort: need N >= %d (the ranks)\n",
                    nranks);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    long len = block_len(n, nranks, rank), maxlen = n / nranks + 1;
    long lo = rank * (n / nranks) + (rank < n % nranks ? rank : n % nranks);
    unsigned *a = malloc((size_t)maxlen * sizeof *a);
    unsigned *b = malloc((size_t)maxlen * sizeof *b);
    unsigned *c = malloc((size_t)maxlen * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "oddeven_sort: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    for (long i = 0; i < len; i++)
        a[i] = key((unsigned)(lo + i));

    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    qsort(a, (size_t)len, sizeof *a, cmp);
    for (int phase = 0; phase < nranks; phase++) {
        int partner = (phase % 2 == rank % 2) ? rank + 1 : rank - 1;
        if (partner < 0 || partner >= nranks)
            continue;
        long plen = block_len(n, nranks, partner);
        MPI_Sendrecv(a, (int)len, MPI_UNSIGNED, partner, TAG, b, (int)plen,
                     MPI_UNSIGNED, partner, TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        merge_split(a, len, b, plen, c, len, rank < partner);
        unsigned *t = a;
        a = c;
        c = t;
    }
    double t = MPI_Wtime() - t0;

    /* Check: sorted here, and not below the left neighbour's last key. */
    int ok = 1;
    for (long i = 1; i < len; i++)
        if (a[i - 1] > a[i])
            ok = 0;
    unsigned last = a[len - 1], left_last = 0;
    MPI_Sendrecv(&last, 1, MPI_UNSIGNED,
                 rank < nranks - 1 ? rank + 1 : MPI_PROC_NULL, TAG,
                 &left_last, 1, MPI_UNSIGNED,
                 rank > 0 ? rank - 1 : MPI_PROC_NULL, TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    if (rank > 0 && left_last > a[0])
        ok = 0;
    unsigned part = 0, sum = 0, mx = a[len - 1], gmax = 0;
    for (long i = 0; i < len; i++)
        part += (unsigned)(lo + i + 1) * a[i];
    int all_ok = 0;
    MPI_Reduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, 0, MPI_COMM_WORLD);
    MPI_Reduce(&part, &sum, 1, MPI_UNSIGNED, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&mx, &gmax, 1, MPI_UNSIGNED, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("oddeven_sort: %ld keys on %d ranks\n", n, nranks);
        printf("%s\n", all_ok ? "sorted ok" : "NOT SORTED");
        printf("min %u max %u checksum %u\n", a[0], gmax, sum);
        printf("# %.6f s\n", t);
    }
    free(a);
    free(b);
    free(c);
    MPI_Finalize();
    return 0;
}
