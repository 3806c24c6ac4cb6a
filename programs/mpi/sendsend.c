/* sendsend.c — MPI example: the classic exchange deadlock and two ways
 * out of it.  Ranks 0 and 1 swap BYTES bytes (default 64 KiB); any
 * other ranks only wait in MPI_Finalize.
 *
 *   unsafe       (default) both MPI_Send, then both MPI_Recv.  A send
 *                longer than the eager threshold cannot complete until
 *                the other side posts its receive, and neither does: a
 *                deadlock (parsim reports it, naming both MPI_Send
 *                calls).  Below the threshold it works, by luck of
 *                buffering, which is why such code passes small tests.
 *   sendrecv     MPI_Sendrecv: send and receive posted together.
 *   nonblocking  MPI_Irecv and MPI_Isend, then MPI_Waitall.
 *
 *   parsim run --ranks 2 sendsend.elf [unsafe|sendrecv|nonblocking] [BYTES]
 *   mpirun -n 2 ./sendsend [unsafe|sendrecv|nonblocking] [BYTES]
 *
 * Rank 0 prints "exchange ok (MODE, BYTES bytes)" once both ranks have
 * checked what they received.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG 4

static unsigned char pattern(int from, int i)
{
    return (unsigned char)(i * 7 + from * 50 + 3);
}

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    const char *mode = argc > 1 ? argv[1] : "unsafe";
    int bytes = argc > 2 ? atoi(argv[2]) : 65536;
    if ((strcmp(mode, "unsafe") && strcmp(mode, "sendrecv") &&
         strcmp(mode, "nonblocking")) || bytes < 0 || nranks < 2) {
        if (rank == 0)
            fprintf(stderr, "usage (2 ranks or more): sendsend "
                            "[unsafe|sendrecv|nonblocking] [BYTES]\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    unsigned char *out = malloc((size_t)bytes + 1);
    unsigned char *in = malloc((size_t)bytes + 1);
    if (!out || !in) {
        fprintf(stderr, "sendsend: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    int ok = 1;
    if (rank < 2) {
        int other = 1 - rank;
        for (int i = 0; i < bytes; i++)
            out[i] = pattern(rank, i);
        memset(in, 0, (size_t)bytes);
        if (strcmp(mode, "unsafe") == 0) {
            MPI_Send(out, bytes, MPI_BYTE, other, TAG, MPI_COMM_WORLD);
            MPI_Recv(in, bytes, MPI_BYTE, other, TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        } else if (strcmp(mode, "sendrecv") == 0) {
            MPI_Sendrecv(out, bytes, MPI_BYTE, other, TAG, in, bytes,
                         MPI_BYTE, other, TAG, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
        } else {
            MPI_Request req[2];
            MPI_Irecv(in, bytes, MPI_BYTE, other, TAG, MPI_COMM_WORLD,
                      &req[0]);
            MPI_Isend(out, bytes, MPI_BYTE, other, TAG, MPI_COMM_WORLD,
                      &req[1]);
            MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
        }
        for (int i = 0; i < bytes; i++)
            if (in[i] != pattern(other, i))
                ok = 0;
    }
    int all_ok = 0;
    MPI_Reduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, 0, MPI_COMM_WORLD);
    if (rank == 0)
        printf("exchange %s (%s, %d bytes)\n", all_ok ? "ok" : "WRONG DATA",
               mode, bytes);
    free(out);
    free(in);
    MPI_Finalize();
    return 0;
}
