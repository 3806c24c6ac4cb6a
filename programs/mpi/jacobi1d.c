/* jacobi1d.c — MPI example: Jacobi iteration for the 1-D Laplace
 * equation (u'' = 0 on N points, both ends held fixed), the points cut
 * into one block per rank.  Before each sweep a rank swaps its edge
 * points with its neighbours (MPI_Sendrecv, MPI_PROC_NULL beyond the
 * ends: the halo exchange); every 10 sweeps MPI_Allreduce finds the
 * largest change anywhere.  Per sweep a rank computes N / P points and
 * sends two 4-byte messages: latency-bound unless N / P is large.
 *
 *   parsim run --ranks 4 jacobi1d.elf [N [ITERS]]
 *   mpirun -n 4 ./jacobi1d [N [ITERS]]
 *
 * N (default 4096, at least P) points, ITERS (default 500) sweeps.  The
 * field is float (parsim's harts have hardware single precision) and
 * each new point is 0.5 * (left + right): the same operations on the
 * same operands whatever P, so the field is bit-identical on any number
 * of ranks and any MPI.  The checksum adds the points rounded to
 * millionths as integers, exactly, and prints it with %.6f; the largest
 * change is a maximum, exact too.
 */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define TAG_LEFT 1              /* a message travelling to the left */
#define TAG_RIGHT 2

static float initial(long g, long n)
{
    if (g == 0)
        return 1.0f;
    if (g == n - 1)
        return -1.0f;
    return (float)((g * 37) % 101) / 100.0f;
}

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    long n = argc > 1 ? atol(argv[1]) : 4096;
    int iters = argc > 2 ? atoi(argv[2]) : 500;
    if (n < nranks || n < 3 || iters < 0) {
        if (rank == 0)
            fprintf(stderr, "jacobi1d: need N >= max(3, ranks), ITERS >= 0\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    /* This rank's points: global lo .. lo + len - 1, at u[1 .. len]. */
    long len = n / nranks + (rank < n % nranks);
    long lo = rank * (n / nranks) + (rank < n % nranks ? rank : n % nranks);
    float *u = malloc((size_t)(len + 2) * sizeof *u);
    float *v = malloc((size_t)(len + 2) * sizeof *v);
    if (!u || !v) {
        fprintf(stderr, "jacobi1d: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    for (long i = 1; i <= len; i++)
        u[i] = initial(lo + i - 1, n);
    int left = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    int right = rank < nranks - 1 ? rank + 1 : MPI_PROC_NULL;
    u[0] = u[len + 1] = 0.0f;
    float change = 0.0f;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int it = 0; it < iters; it++) {
        MPI_Sendrecv(&u[1], 1, MPI_FLOAT, left, TAG_LEFT, &u[len + 1], 1,
                     MPI_FLOAT, right, TAG_LEFT, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        MPI_Sendrecv(&u[len], 1, MPI_FLOAT, right, TAG_RIGHT, &u[0], 1,
                     MPI_FLOAT, left, TAG_RIGHT, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        float mine = 0.0f;
        for (long i = 1; i <= len; i++) {
            long g = lo + i - 1;
            v[i] = (g == 0 || g == n - 1) ? u[i] : 0.5f * (u[i - 1] + u[i + 1]);
            float d = fabsf(v[i] - u[i]);
            if (d > mine)
                mine = d;
        }
        float *t = u;
        u = v;
        v = t;
        if (it % 10 == 9 || it == iters - 1)
            MPI_Allreduce(&mine, &change, 1, MPI_FLOAT, MPI_MAX,
                          MPI_COMM_WORLD);
    }
    double t = MPI_Wtime() - t0;
    long long part = 0, sum = 0;
    for (long i = 1; i <= len; i++)
        part += lroundf(u[i] * 1e6f);
    MPI_Reduce(&part, &sum, 1, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("jacobi1d: %ld points, %d sweeps\n", n, iters);
        printf("checksum %.6f\n", (double)sum / 1e6);
        printf("last change %.6f\n", (double)change);
        printf("# %d ranks: %.6f s, %.2f us per sweep\n", nranks, t,
               iters ? t / iters * 1e6 : 0.0);
    }
    free(u);
    free(v);
    MPI_Finalize();
    return 0;
}
