/* sweep.h — parsim sweep: a grid of runs of one program, one CSV row per
 * point, on every host core, in shards (SLURM arrays, GNU parallel) or
 * dealt to Open MPI ranks (the parsim-sweep-mpi driver).
 *
 * Each point is `parsim run` in a child process (a point that faults or
 * hangs cannot take the others with it), in deterministic mode, so the
 * same sweep writes the same file every time.
 *
 * May depend on: sim/machine.h (the CSV header and units), sim/config.h
 * (keys and values), sim/csv.h, sim/plot.h.
 */
#ifndef PARSIM_SIM_SWEEP_H
#define PARSIM_SIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"

/* One --vary KEY=V1,V2,...: the key as typed (the CSV column), the
 * configuration key it sets (NULL for a program argument) or the
 * argument's number, and the values in canonical form. */
typedef struct SimSweepVary {
    char name[64];
    const char *key;
    int arg;
    char **values;
    size_t nvalues;
} SimSweepVary;

/* Parse one --vary spec: values are comma-separated, each a value or a
 * range A..B (step 1), A..B+S or A..B*F (A and B may have --set's size
 * suffixes: 4K..64K*2).  false with a one-line reason in err. */
ISA_WARN_UNUSED bool sim_sweep_parse_vary(const char *spec, SimSweepVary *v,
                                          char *err, size_t errlen);
void sim_sweep_vary_free(SimSweepVary *v);

/* "I/N" (0 <= I < N): false otherwise. */
ISA_WARN_UNUSED bool sim_sweep_parse_shard(const char *s, unsigned *i,
                                           unsigned *n);

/* What a point's run produced, as one finished CSV line (no line end)
 * and, with --json, its statistics' JSON text (NULL without). */
typedef struct SimSweepOut {
    int status;
    char *line;
    char *json;
} SimSweepOut;

typedef struct SimSweep SimSweep;

/* The Open MPI driver's part (sim/sweep_mpi.c).  agree: every rank's
 * set-up went well (each passes its own ok; all get the same answer).
 * run: the points pts[0..n) on the ranks, filling outs on rank 0; returns
 * 0 on rank 0 (an interrupted sweep leaves the points not done without a
 * line), 1 on the other ranks (which write nothing), -1 after a message. */
typedef struct SimSweepDealer {
    bool (*agree)(bool ok, void *ctx);
    int (*run)(const SimSweep *s, const size_t *pts, size_t n,
               SimSweepOut *outs, void *ctx);
    void *ctx;
} SimSweepDealer;

/* Has a signal (Ctrl-C, SIGTERM, SIGHUP) asked the sweep to stop? */
bool sim_sweep_interrupted(void);

/* Run one point to completion (the MPI workers' way). */
void sim_sweep_run_point(const SimSweep *s, size_t point, SimSweepOut *out);

/* How many points the grid has. */
size_t sim_sweep_points(const SimSweep *s);

/* `parsim sweep ...` (argv[0] "sweep"): returns the exit status.
 * run_option tells whether a `parsim run` option takes a value (1), not
 * (0), or does not exist (-1).  dealer: NULL in parsim itself, which
 * hands --mpi to parsim-sweep-mpi. */
int sim_sweep_main(int argc, char **argv, int (*run_option)(const char *),
                   const SimSweepDealer *dealer);

#endif
