/* ring.c — MPI example: a token passed round a ring of ranks.  Rank 0
 * starts the token at 0 and sends it to rank 1; every rank receives it
 * from its left neighbour, adds its own rank and passes it to the right;
 * after LAPS laps rank 0 prints the token, LAPS x P(P-1)/2.  The
 * messages are strictly one after another: the run takes LAPS x P
 * message latencies, whatever the bandwidth (a '#' line gives the time
 * per hop).
 *
 *   parsim run --ranks 4 ring.elf [LAPS]
 *   mpirun -n 4 ./ring [LAPS]
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#define TAG 7

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    int laps = argc > 1 ? atoi(argv[1]) : 1;
    if (laps < 1)
        laps = 1;
    int left = (rank + nranks - 1) % nranks, right = (rank + 1) % nranks;
    long token = 0;
    double t0 = MPI_Wtime();
    if (nranks > 1) {
        for (int lap = 0; lap < laps; lap++) {
            if (rank == 0) {
                MPI_Send(&token, 1, MPI_LONG, right, TAG, MPI_COMM_WORLD);
                MPI_Recv(&token, 1, MPI_LONG, left, TAG, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(&token, 1, MPI_LONG, left, TAG, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                token += rank;
                MPI_Send(&token, 1, MPI_LONG, right, TAG, MPI_COMM_WORLD);
            }
        }
    }
    double t = MPI_Wtime() - t0;
    if (rank == 0) {
        long expect = (long)laps * nranks * (nranks - 1) / 2;
        printf("ring of %d ranks, %d lap%s: token %ld (%s)\n", nranks, laps,
               laps == 1 ? "" : "s", token,
               token == expect ? "ok" : "WRONG");
        printf("# %.2f us per hop\n", t / laps / nranks * 1e6);
    }
    MPI_Finalize();
    return 0;
}
