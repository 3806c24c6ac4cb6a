/* pingpong.c — MPI example: latency and bandwidth between two ranks.
 * Rank 0 sends a message to rank 1, which sends it straight back; half
 * the round trip is the one-way time of a message of that size.  Small
 * messages measure latency (the fixed cost per message), large ones
 * bandwidth (bytes per second once the pipe is full); the size where the
 * two costs are equal is the n_1/2 of the network.  Ranks above 1 only
 * wait in MPI_Finalize.
 *
 *   parsim run --ranks 2 pingpong.elf [SIZE [REPS]]
 *   mpirun -n 2 ./pingpong [SIZE [REPS]]
 *
 * Without arguments: sizes 0, 1, 8, 64, 512, 4 KiB, 32 KiB, 256 KiB and
 * 1 MiB, fewer repetitions for the large ones; SIZE (bytes) and REPS
 * measure one size.  The payload is checked on both ranks: the result
 * lines say "size N: ok"; the times are on lines starting with '#'
 * (half round trip in microseconds, MB/s = 10^6 bytes per second).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG 1

static unsigned char pattern(int size, int i)
{
    return (unsigned char)(i * 31 + size + 7);
}

/* One size: a warm-up round trip, then reps timed ones.  Returns 1 if
 * both ranks saw the right bytes. */
static int measure(int rank, int size, int reps, unsigned char *sbuf,
                   unsigned char *rbuf)
{
    int ok = 1;
    if (rank == 0) {
        for (int i = 0; i < size; i++)
            sbuf[i] = pattern(size, i);
        memset(rbuf, 0, (size_t)size);
    }
    double t0 = 0;
    for (int rep = -1; rep < reps; rep++) {
        if (rep == 0)
            t0 = MPI_Wtime();
        if (rank == 0) {
            MPI_Send(sbuf, size, MPI_BYTE, 1, TAG, MPI_COMM_WORLD);
            MPI_Recv(rbuf, size, MPI_BYTE, 1, TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(rbuf, size, MPI_BYTE, 0, TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            MPI_Send(rbuf, size, MPI_BYTE, 0, TAG, MPI_COMM_WORLD);
        }
    }
    double t = MPI_Wtime() - t0;
    for (int i = 0; i < size; i++)
        if (rbuf[i] != pattern(size, i))
            ok = 0;
    /* Rank 1's verdict travels to rank 0. */
    if (rank == 1) {
        MPI_Send(&ok, 1, MPI_INT, 0, TAG, MPI_COMM_WORLD);
    } else {
        int other;
        MPI_Recv(&other, 1, MPI_INT, 1, TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        ok = ok && other;
        double half_us = reps ? t / reps / 2 * 1e6 : 0;
        printf("size %d: %s\n", size, ok ? "ok" : "WRONG DATA");
        printf("# %8d bytes  %5d reps  %10.2f us  %9.2f MB/s\n", size, reps,
               half_us, half_us > 0 ? size / half_us : 0.0);
    }
    return ok;
}

int main(int argc, char **argv)
{
    static const int sizes[] = {0, 1, 8, 64, 512, 4096, 32768, 262144,
                                1048576};
    static const int default_reps[] = {1000, 1000, 1000, 1000, 500, 200, 50,
                                       10, 5};
    int rank, nranks, ok = 1;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    if (nranks < 2) {
        if (rank == 0)
            fprintf(stderr, "pingpong: needs at least 2 ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    int one = argc > 1, last = sizeof sizes / sizeof sizes[0];
    int size = one ? atoi(argv[1]) : 0, reps = argc > 2 ? atoi(argv[2]) : 100;
    if (size < 0 || reps < 0) {
        if (rank == 0)
            fprintf(stderr, "usage: pingpong [SIZE [REPS]]\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    int maxsize = one ? size : sizes[last - 1];
    unsigned char *sbuf = malloc((size_t)maxsize + 1);
    unsigned char *rbuf = malloc((size_t)maxsize + 1);
    if (!sbuf || !rbuf) {
        fprintf(stderr, "pingpong: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (rank == 0)
        printf("# pingpong: half round trip between ranks 0 and 1 of %d\n",
               nranks);
    if (rank < 2) {
        if (one)
            ok = measure(rank, size, reps, sbuf, rbuf);
        else
            for (int k = 0; k < last; k++)
                ok &= measure(rank, sizes[k], default_reps[k], sbuf, rbuf);
    }
    free(sbuf);
    free(rbuf);
    MPI_Finalize();
    return ok ? 0 : 1;
}
