/* bcast.c — MPI example: broadcasting 16 KiB from rank 0, two ways.
 * "tree" is MPI_Bcast, a binomial tree: ceil(log2 P) rounds, in each of
 * which every rank that has the data sends it on.  "linear" is the root
 * calling MPI_Send P - 1 times: P - 1 sends one after the other from
 * one interface.  For large P the tree wins by about (P - 1) /
 * ceil(log2 P); for P = 2 they are the same.  Every copy is checked on
 * every rank.
 *
 *   parsim run --ranks 8 bcast.elf [tree|linear] [REPS]
 *   mpirun -n 8 ./bcast [tree|linear] [REPS]
 *
 * Without an argument both run; REPS (default 10) broadcasts each.  The
 * result lines say "tree: ok"; '#' lines give the time per broadcast
 * (the slowest rank's, from a barrier to the last rank having the data).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTES 16384
#define TAG 5

static unsigned char buf[BYTES];

static unsigned char pattern(int rep, int i)
{
    return (unsigned char)(i * 13 + rep * 101 + 1);
}

static void linear_bcast(int rank, int nranks)
{
    if (rank == 0) {
        for (int r = 1; r < nranks; r++)
            MPI_Send(buf, BYTES, MPI_BYTE, r, TAG, MPI_COMM_WORLD);
    } else {
        MPI_Recv(buf, BYTES, MPI_BYTE, 0, TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    }
}

static void run(const char *name, int tree, int reps, int rank, int nranks)
{
    int ok = 1;
    double total = 0;
    for (int rep = 0; rep < reps; rep++) {
        if (rank == 0)
            for (int i = 0; i < BYTES; i++)
                buf[i] = pattern(rep, i);
        else
            memset(buf, 0, sizeof buf);
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        if (tree)
            MPI_Bcast(buf, BYTES, MPI_BYTE, 0, MPI_COMM_WORLD);
        else
            linear_bcast(rank, nranks);
        total += MPI_Wtime() - t0;
        for (int i = 0; i < BYTES; i++)
            if (buf[i] != pattern(rep, i))
                ok = 0;
    }
    int all_ok = 0;
    double slowest = 0;
    MPI_Reduce(&ok, &all_ok, 1, MPI_INT, MPI_LAND, 0, MPI_COMM_WORLD);
    MPI_Reduce(&total, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("%s: %s\n", name, all_ok ? "ok" : "WRONG DATA");
        printf("# %s: %d ranks, %d bytes: %.2f us per broadcast\n", name,
               nranks, BYTES, reps ? slowest / reps * 1e6 : 0.0);
    }
}

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    const char *which = argc > 1 ? argv[1] : "both";
    int reps = argc > 2 ? atoi(argv[2]) : 10;
    int both = strcmp(which, "both") == 0;
    int tree = both || strcmp(which, "tree") == 0;
    int linear = both || strcmp(which, "linear") == 0;
    if ((!tree && !linear) || reps < 0) {
        if (rank == 0)
            fprintf(stderr, "usage: bcast [tree|linear|both] [REPS]\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (tree)
        run("tree", 1, reps, rank, nranks);
    if (linear)
        run("linear", 0, reps, rank, nranks);
    MPI_Finalize();
    return 0;
}
