/* mpi_truncate.c — a message longer than its receive: rank 0 sends 400
 * bytes (100 ints), rank 1 receives into 100 bytes (25 ints).  parsim
 * stops the run as MPI would (message truncated, exit status 70),
 * naming rank 1's MPI_Recv at the line marked LINE.  Run with 2 ranks. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rank, data[100] = {0};
    MPI_Status st;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0)
        MPI_Send(data, 100, MPI_INT, 1, 0, MPI_COMM_WORLD);
    else if (rank == 1)
        MPI_Recv(data, 25, MPI_INT, 0, 0, MPI_COMM_WORLD, &st); /* LINE */
    printf("rank %d: not reached on rank 1\n", rank);
    MPI_Finalize();
    return 0;
}
