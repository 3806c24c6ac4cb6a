/* mpi_deadlock.c — a planted message deadlock: every rank first receives
 * from its left neighbour (tag 3), then sends to its right one, so all
 * wait in MPI_Recv for a message nobody has sent.  parsim reports a
 * deadlock naming every rank in MPI_Recv at the line marked LINE.  Run
 * with 4 ranks (any number from 2 deadlocks). */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    int rank, size, token = 0;
    MPI_Status st;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int left = (rank + size - 1) % size, right = (rank + 1) % size;
    MPI_Recv(&token, 1, MPI_INT, left, 3, MPI_COMM_WORLD, &st); /* LINE */
    token += rank;
    MPI_Send(&token, 1, MPI_INT, right, 3, MPI_COMM_WORLD);
    printf("rank %d: token %d\n", rank, token);
    MPI_Finalize();
    return 0;
}
