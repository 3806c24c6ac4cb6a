/* mpi_badrank.c — a send to a rank that does not exist: rank 0 sends to
 * rank `size`.  The MPI library reports "invalid destination rank N
 * (communicator size N)" and parsim ends the run (exit status 70),
 * naming rank 0's MPI_Send at the line marked LINE.  Run with 2 ranks
 * or more. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rank, size, x = 42;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0)
        MPI_Send(&x, 1, MPI_INT, size, 0, MPI_COMM_WORLD); /* LINE */
    MPI_Finalize();
    return 0;
}
