/* mpi_abort.c — MPI_Abort: rank 1 calls MPI_Abort(MPI_COMM_WORLD, 3)
 * while the other ranks wait in MPI_Barrier.  The run ends with exit
 * status 3 and a line naming rank 1 and the call at the line marked
 * LINE.  Run with 2 ranks or more. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rank;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 1)
        MPI_Abort(MPI_COMM_WORLD, 3); /* LINE */
    MPI_Barrier(MPI_COMM_WORLD);
    printf("rank %d: not reached\n", rank);
    MPI_Finalize();
    return 0;
}
