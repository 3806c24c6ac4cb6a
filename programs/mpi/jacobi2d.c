/* jacobi2d.c — MPI example: Jacobi iteration for the 2-D Laplace
 * equation on an N x N grid (edges held fixed: 1 on the top edge, 0 on
 * the others), the grid cut into a PX x PY grid of blocks, one per rank
 * (PX x PY = P, as square as P allows).  Before each sweep every rank
 * exchanges a halo with its four neighbours: rows with MPI_Sendrecv as
 * they lie in memory, columns packed into a buffer first (the subset
 * has no MPI_Type_vector).  Every 10 sweeps MPI_Allreduce finds the
 * largest change.  Per sweep a rank computes (N/PX)(N/PY) points and
 * sends four messages of N/PX or N/PY floats: the surface-to-volume
 * ratio of the blocks is what decides the speed-up.  This is also the
 * halo-exchange example.
 *
 *   parsim run --ranks 4 jacobi2d.elf [N [ITERS]]
 *   mpirun -n 4 ./jacobi2d [N [ITERS]]
 *
 * N defaults to 128 (at least PX and PY), ITERS to 200.  As in
 * jacobi1d.c the field is float and every point is computed by the same
 * operations whatever the decomposition, so the checksum (the points in
 * millionths, added as integers) and the largest change (a maximum) are
 * the same on any number of ranks and any MPI.
 */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

enum { TAG_UP = 1, TAG_DOWN, TAG_LEFT, TAG_RIGHT };  /* direction of travel */

/* This rank's share of 0 .. n-1 when it is part k of parts. */
static void share(long n, int parts, int k, long *lo, long *len)
{
    *len = n / parts + (k < n % parts);
    *lo = k * (n / parts) + (k < n % parts ? k : n % parts);
}

int main(int argc, char **argv)
{
    int rank, nranks;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);
    long n = argc > 1 ? atol(argv[1]) : 128;
    int iters = argc > 2 ? atoi(argv[2]) : 200;

    /* The process grid: py rows of px ranks, py the largest divisor of
     * P not above its square root. */
    int py = 1;
    for (int d = 1; d * d <= nranks; d++)
        if (nranks % d == 0)
            py = d;
    int px = nranks / py;
    if (n < 3 || n < px || iters < 0) {
        if (rank == 0)
            fprintf(stderr, "jacobi2d: need N >= 3 and N >= %d, ITERS >= 0\n",
                    px);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    int cx = rank % px, cy = rank / px;
    long x0, w, y0, h;
    share(n, px, cx, &x0, &w);
    share(n, py, cy, &y0, &h);
    int up = cy > 0 ? rank - px : MPI_PROC_NULL;
    int down = cy < py - 1 ? rank + px : MPI_PROC_NULL;
    int left = cx > 0 ? rank - 1 : MPI_PROC_NULL;
    int right = cx < px - 1 ? rank + 1 : MPI_PROC_NULL;

    /* The block and a one-point halo: row r, column c at
     * [(r + 1)(w + 2) + c + 1], r and c from -1 to h and w. */
    long stride = w + 2;
    size_t cells = (size_t)(h + 2) * (size_t)stride;
    float *u = calloc(cells, sizeof *u), *v = calloc(cells, sizeof *v);
    float *sendcol = malloc((size_t)h * sizeof(float));
    float *recvcol = malloc((size_t)h * sizeof(float));
    if (!u || !v || !sendcol || !recvcol) {
        fprintf(stderr, "jacobi2d: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
#define AT(a, r, c) (a)[((r) + 1) * stride + (c) + 1]
    for (long r = 0; r < h; r++)
        for (long c = 0; c < w; c++)
            AT(u, r, c) = y0 + r == 0 ? 1.0f : 0.0f;

    float change = 0.0f;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int it = 0; it < iters; it++) {
        /* Rows: my top row goes up, the row below me comes from below. */
        MPI_Sendrecv(&AT(u, 0, 0), (int)w, MPI_FLOAT, up, TAG_UP,
                     &AT(u, h, 0), (int)w, MPI_FLOAT, down, TAG_UP,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Sendrecv(&AT(u, h - 1, 0), (int)w, MPI_FLOAT, down, TAG_DOWN,
                     &AT(u, -1, 0), (int)w, MPI_FLOAT, up, TAG_DOWN,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        /* Columns, packed. */
        for (long r = 0; r < h; r++)
            sendcol[r] = AT(u, r, 0);
        MPI_Sendrecv(sendcol, (int)h, MPI_FLOAT, left, TAG_LEFT, recvcol,
                     (int)h, MPI_FLOAT, right, TAG_LEFT, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        if (right != MPI_PROC_NULL)
            for (long r = 0; r < h; r++)
                AT(u, r, w) = recvcol[r];
        for (long r = 0; r < h; r++)
            sendcol[r] = AT(u, r, w - 1);
        MPI_Sendrecv(sendcol, (int)h, MPI_FLOAT, right, TAG_RIGHT, recvcol,
                     (int)h, MPI_FLOAT, left, TAG_RIGHT, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        if (left != MPI_PROC_NULL)
            for (long r = 0; r < h; r++)
                AT(u, r, -1) = recvcol[r];

        float mine = 0.0f;
        for (long r = 0; r < h; r++) {
            long gy = y0 + r;
            for (long c = 0; c < w; c++) {
                long gx = x0 + c;
                float nv = AT(u, r, c);
                if (gy > 0 && gy < n - 1 && gx > 0 && gx < n - 1)
                    nv = 0.25f * ((AT(u, r - 1, c) + AT(u, r + 1, c)) +
                                  (AT(u, r, c - 1) + AT(u, r, c + 1)));
                float d = fabsf(nv - AT(u, r, c));
                if (d > mine)
                    mine = d;
                AT(v, r, c) = nv;
            }
        }
        float *t = u;
        u = v;
        v = t;
        if (it % 10 == 9 || it == iters - 1)
            MPI_Allreduce(&mine, &change, 1, MPI_FLOAT, MPI_MAX,
                          MPI_COMM_WORLD);
    }
    double t = MPI_Wtime() - t0;

    long long part = 0, sum = 0;
    for (long r = 0; r < h; r++)
        for (long c = 0; c < w; c++)
            part += lroundf(AT(u, r, c) * 1e6f);
    MPI_Reduce(&part, &sum, 1, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("jacobi2d: %ld x %ld grid, %d sweeps\n", n, n, iters);
        printf("checksum %.6f\n", (double)sum / 1e6);
        printf("last change %.6f\n", (double)change);
        printf("# %d ranks as %d x %d: %.6f s, %.2f us per sweep\n", nranks,
               px, py, t, iters ? t / iters * 1e6 : 0.0);
    }
    free(u);
    free(v);
    free(sendcol);
    free(recvcol);
    MPI_Finalize();
    return 0;
}
