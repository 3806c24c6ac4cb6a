/* pi.c — MPI example: pi as the integral of 4 / (1 + x^2) over [0, 1] by
 * the midpoint rule with N intervals, the intervals dealt round-robin to
 * the ranks (rank r takes r, r + P, r + 2P, ...), the partial sums
 * combined with MPI_Reduce at rank 0.  Pure computation and one
 * reduction: the speed-up is close to P until N / P gets small.
 *
 *   parsim run --ranks 4 pi.elf [N]
 *   mpirun -n 4 ./pi [N]
 *
 * N defaults to 1000000.  Prints pi to 10 decimals (the sum's rounding
 * differs with P and with the MPI's reduction order only far below
 * that) and on '#' lines the time.  Doubles are soft-float on parsim's
 * RV32IMAFC harts: some 300 instructions per interval.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    if (n < 1)
        n = 1;
    double t0 = MPI_Wtime();
    double h = 1.0 / (double)n, sum = 0;
    for (long i = rank; i < n; i += nranks) {
        double x = h * ((double)i + 0.5);
        sum += 4.0 / (1.0 + x * x);
    }
    double mine = h * sum, pi = 0;
    MPI_Reduce(&mine, &pi, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    double t = MPI_Wtime() - t0;
    if (rank == 0) {
        printf("pi ~ %.10f (%ld intervals)\n", pi, n);
        printf("# %d ranks: %.6f s\n", nranks, t);
    }
    MPI_Finalize();
    return 0;
}
