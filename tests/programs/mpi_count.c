/* mpi_count.c — a collective whose counts differ between ranks: the root
 * (rank 0) broadcasts 64 ints, the other ranks expect 100.  The MPI
 * library finds that fewer bytes arrived than the receiving rank
 * expects ("counts differ between ranks") and parsim ends the run (exit
 * status 70), naming a non-root rank's MPI_Bcast at the line marked
 * LINE.  Run with 2 ranks or more. */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rank, data[100] = {0};
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int count = rank == 0 ? 64 : 100;
    MPI_Bcast(data, count, MPI_INT, 0, MPI_COMM_WORLD); /* LINE */
    printf("rank %d: not reached on the other ranks\n", rank);
    MPI_Finalize();
    return 0;
}
