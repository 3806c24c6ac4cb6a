/* taskfarm.c — MPI example: a task farm (master/worker).  Rank 0 hands
 * out TASKS tasks, "count the primes in [k SPAN, (k+1) SPAN)", one at a
 * time: first one to each worker, then the next to whichever worker
 * returns a result first (MPI_Recv from MPI_ANY_SOURCE, the worker
 * named by status.MPI_SOURCE), and a stop message (its own tag) once
 * none are left.  Workers look at each message with MPI_Probe before
 * receiving it, to tell a task from the stop.  Later tasks take longer
 * (larger numbers to test), so the dynamic hand-out balances what a
 * static split would not.
 *
 *   parsim run --ranks 4 taskfarm.elf [TASKS [SPAN]]
 *   mpirun -n 4 ./taskfarm [TASKS [SPAN]]
 *
 * TASKS defaults to 40, SPAN to 1000.  Which worker does which task
 * depends on timing, so the master prints the results ordered by task;
 * the '#' lines (tasks per worker, time) are the part that varies.  With
 * one rank the master does all the tasks itself.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

enum { TAG_TASK = 1, TAG_RESULT = 2, TAG_STOP = 3 };

static int is_prime(int x)
{
    if (x < 2)
        return 0;
    if (x % 2 == 0)
        return x == 2;
    for (int d = 3; d <= x / d; d += 2)
        if (x % d == 0)
            return 0;
    return 1;
}

static int primes_in(int lo, int hi)
{
    int count = 0;
    for (int x = lo; x < hi; x++)
        count += is_prime(x);
    return count;
}

static void worker(void)
{
    for (;;) {
        MPI_Status st;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            return;
        }
        int task[2], count;     /* task: id, span */
        MPI_Get_count(&st, MPI_INT, &count);
        if (count != 2) {
            fprintf(stderr, "taskfarm: a task of %d ints\n", count);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        MPI_Recv(task, 2, MPI_INT, 0, TAG_TASK, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        int result[2] = {task[0],
                         primes_in(task[0] * task[1], (task[0] + 1) * task[1])};
        MPI_Send(result, 2, MPI_INT, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
}

/* Gives worker w the next task, or the stop message; 1 if a task. */
static int hand_out(int w, int *next, int tasks, int span)
{
    if (*next < tasks) {
        int task[2] = {(*next)++, span};
        MPI_Send(task, 2, MPI_INT, w, TAG_TASK, MPI_COMM_WORLD);
        return 1;
    }
    MPI_Send(NULL, 0, MPI_INT, w, TAG_STOP, MPI_COMM_WORLD);
    return 0;
}

static void master(int nranks, int tasks, int span)
{
    int *result = calloc((size_t)tasks, sizeof *result);
    int *done_by = calloc((size_t)nranks, sizeof *done_by);
    if (!result || !done_by) {
        fprintf(stderr, "taskfarm: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    double t0 = MPI_Wtime();
    if (nranks == 1) {
        for (int k = 0; k < tasks; k++)
            result[k] = primes_in(k * span, (k + 1) * span);
        done_by[0] = tasks;
    } else {
        int next = 0, busy = 0;
        for (int w = 1; w < nranks; w++)
            busy += hand_out(w, &next, tasks, span);
        while (busy > 0) {
            int r[2];
            MPI_Status st;
            MPI_Recv(r, 2, MPI_INT, MPI_ANY_SOURCE, TAG_RESULT,
                     MPI_COMM_WORLD, &st);
            result[r[0]] = r[1];
            done_by[st.MPI_SOURCE]++;
            if (!hand_out(st.MPI_SOURCE, &next, tasks, span))
                busy--;
        }
    }
    double t = MPI_Wtime() - t0;
    long total = 0;
    printf("taskfarm: %d tasks of %d numbers\n", tasks, span);
    for (int k = 0; k < tasks; k++) {
        printf("task %3d: %d primes in [%d, %d)\n", k, result[k], k * span,
               (k + 1) * span);
        total += result[k];
    }
    printf("total: %ld primes below %ld\n", total, (long)tasks * span);
    for (int w = 0; w < nranks; w++)
        if (done_by[w])
            printf("# rank %d did %d tasks\n", w, done_by[w]);
    printf("# %.6f s\n", t);
    free(result);
    free(done_by);
}

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    int tasks = argc > 1 ? atoi(argv[1]) : 40;
    int span = argc > 2 ? atoi(argv[2]) : 1000;
    if (tasks < 0 || span < 1 || (long)tasks * span > 100000000L) {
        if (rank == 0)
            fprintf(stderr, "usage: taskfarm [TASKS [SPAN]] "
                            "(TASKS x SPAN at most 10^8)\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (rank == 0)
        master(nranks, tasks, span);
    else
        worker();
    MPI_Finalize();
    return 0;
}
