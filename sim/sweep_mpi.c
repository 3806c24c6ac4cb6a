/* sweep_mpi.c — parsim-sweep-mpi, the driver `parsim sweep --mpi` hands
 * itself to: the same sweep, its points dealt to Open MPI ranks.
 *
 * Rank 0 deals: it sends each rank a point as soon as the rank is free
 * and writes the files from what comes back; the other ranks run the
 * points they are given (each a `parsim run`, as a local sweep's) and
 * send back the row.  Every rank parses the same command line, so a
 * point travels as its index.  Alone (mpirun -n 1), rank 0 runs them all.
 * This is the only code that links Open MPI; parsim itself does not.
 *
 * May depend on: sim/sweep.h, Open MPI (<mpi.h>).
 */
#include <mpi.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/sweep.h"

enum { TAG_WORK = 1, TAG_DONE = 2, TAG_TEXT = 3 };

/* In an ASan build: Open MPI keeps allocations past MPI_Finalize (its
 * components' tables, unloaded plugins' strings), which LeakSanitizer
 * would report at every exit.  The sweep's own code is leak-checked in
 * parsim itself, which runs it without MPI. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}

typedef struct Ranks {
    int rank, size;
    bool abort;                 /* interrupted: end the job */
} Ranks;

static void send_text(const SimSweepOut *o, int k, int to)
{
    int head[4] = {k, o->status, o->line ? (int)strlen(o->line) : -1,
                   o->json ? (int)strlen(o->json) : -1};
    MPI_Send(head, 4, MPI_INT, to, TAG_DONE, MPI_COMM_WORLD);
    if (head[2] > 0)
        MPI_Send(o->line, head[2], MPI_CHAR, to, TAG_TEXT, MPI_COMM_WORLD);
    if (head[3] > 0)
        MPI_Send(o->json, head[3], MPI_CHAR, to, TAG_TEXT, MPI_COMM_WORLD);
}

static char *recv_text(int len, int from)
{
    if (len < 0)
        return NULL;
    char *b = malloc((size_t)len + 1);
    if (!b) {
        fprintf(stderr, "parsim-sweep-mpi: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 64);
    }
    if (len > 0)
        MPI_Recv(b, len, MPI_CHAR, from, TAG_TEXT, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
    b[len] = '\0';
    return b;
}

static int deal(const SimSweep *s, const size_t *pts, size_t n,
                SimSweepOut *outs, void *ctx)
{
    Ranks *r = ctx;
    if (r->rank != 0) {
        /* A worker: points until told to stop (-1). */
        for (;;) {
            int k;
            MPI_Recv(&k, 1, MPI_INT, 0, TAG_WORK, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            if (k < 0)
                return 1;
            SimSweepOut o = {0, NULL, NULL};
            sim_sweep_run_point(s, pts[k], &o);
            if (sim_sweep_interrupted()) {
                /* Rank 0 has stopped listening: clean up and go. */
                free(o.line);
                free(o.json);
                return 1;
            }
            send_text(&o, k, 0);
            free(o.line);
            free(o.json);
        }
    }
    if (r->size == 1) {
        for (size_t k = 0; k < n; k++)
            sim_sweep_run_point(s, pts[k], &outs[k]);
        return 0;
    }
    /* Deal until every point is done.  After a signal (mpirun passes
     * Ctrl-C on as SIGTERM, and kills a second later) the rows done are
     * written at once and main() ends the job; the points still running
     * are left out, their runs handed the signal by their ranks. */
    size_t next = 0;
    int busy = 0;
    for (int w = 1; w < r->size; w++) {
        int k = next < n ? (int)next++ : -1;
        busy += k >= 0;
        MPI_Send(&k, 1, MPI_INT, w, TAG_WORK, MPI_COMM_WORLD);
    }
    while (busy > 0) {
        int head[4], ready = 0;
        MPI_Status st;
        /* Polled, so that a signal is seen while the ranks work. */
        while (!ready) {
            MPI_Iprobe(MPI_ANY_SOURCE, TAG_DONE, MPI_COMM_WORLD, &ready,
                       MPI_STATUS_IGNORE);
            if (ready)
                break;
            if (sim_sweep_interrupted()) {
                r->abort = true;
                return 0;
            }
            nanosleep(&(struct timespec){0, 2000000}, NULL);
        }
        MPI_Recv(head, 4, MPI_INT, MPI_ANY_SOURCE, TAG_DONE, MPI_COMM_WORLD,
                 &st);
        int from = st.MPI_SOURCE, k = head[0];
        outs[k].status = head[1];
        outs[k].line = recv_text(head[2], from);
        outs[k].json = recv_text(head[3], from);
        busy--;
        int again = next < n ? (int)next++ : -1;
        busy += again >= 0;
        MPI_Send(&again, 1, MPI_INT, from, TAG_WORK, MPI_COMM_WORLD);
    }
    return 0;
}

static bool agree(bool ok, void *ctx)
{
    (void)ctx;
    int mine = ok, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    return all != 0;
}

/* parsim hands over run options with their values joined (--cores=4), so
 * none takes the next word. */
static int joined(const char *name)
{
    (void)name;
    return 0;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    Ranks r = {0, 0, false};
    MPI_Comm_rank(MPI_COMM_WORLD, &r.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &r.size);
    if (argc < 2 || strcmp(argv[1], "sweep")) {
        if (r.rank == 0)
            fprintf(stderr, "parsim-sweep-mpi: run it as `mpirun -n N "
                    "parsim sweep --mpi ...`\n");
        MPI_Finalize();
        return 64;
    }
    SimSweepDealer d = {agree, deal, &r};
    int status = sim_sweep_main(argc - 1, argv + 1, joined, &d);
    if (r.abort) {
        /* Rank 0 has written the rows done; the others may be waiting. */
        MPI_Abort(MPI_COMM_WORLD, status);
    }
    MPI_Finalize();
    return status;
}
