/* machine.h — the simulated machine: cores x hardware threads (harts)
 * assembled from a configuration, run to its end, and what it says at the
 * end (the summary, the --stats JSON).  The machine is opaque outside
 * sim/: its parts are in sim/machine_priv.h, and the files that use them
 * are
 *
 *   assemble.c  the machine from the configuration, and its end
 *   sched.c     the two schedulers: deterministic and parallel
 *   report.c    the messages that end a run (faults, deadlock, limit)
 *   services.c  the simulator services a program reaches by ecall
 *   mp.c, gpu.c message passing; the SIMT GPU array
 *   stats.c     the statistics registry and its text, JSON and CSV writers
 *   session.c   the machine on its own thread, for the window
 *
 * May depend on: isa/, models/, sim/config.h, sim/elf.h, sim/semihost.h,
 * sim/events.h.
 */
#ifndef PARSIM_SIM_MACHINE_H
#define PARSIM_SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "isa/isa.h"
#include "sim/config.h"
#include "sim/elf.h"
#include "sim/events.h"
#include "sim/semihost.h"

/* parsim's own exit statuses (a program's own status passes through). */
enum {
    SIM_EXIT_USAGE = 64,      /* bad command line or configuration */
    SIM_EXIT_BAD_ELF = 65,    /* the program file was rejected */
    SIM_EXIT_NO_INPUT = 66,   /* the program file cannot be read */
    SIM_EXIT_GUEST_FAULT = 70,/* illegal instruction, wild access, ... */
    SIM_EXIT_DEADLOCK = 71,   /* every hart waits for something nobody sends */
    SIM_EXIT_MODEL = 72,      /* the model stopped: a coherence invariant
                                 failed, or the host ran out of memory */
    SIM_EXIT_CYCLE_LIMIT = 75,/* --max-cycles reached (not 124: timeout's) */
    SIM_EXIT_BREAK = 76,      /* a --break or --watch was reached */
    SIM_EXIT_SIGNAL = 128     /* + the signal: interrupted (130 SIGINT,
                                 143 SIGTERM, 129 SIGHUP), as shells say */
};

/* Ask every running machine to stop at its next slice boundary, as if it
 * had ended there: the summary, --stats and the program's output so far
 * still come out, and the status is SIM_EXIT_SIGNAL + signo.
 * Async-signal-safe (one atomic store): call it from a signal handler. */
void sim_request_stop(int signo);
/* The signal a stop was requested for, or 0. */
int sim_stop_requested(void);

typedef struct SimMachine SimMachine;

/* Everything about the configuration that can be known without the
 * program: its keys together (sim_config_check) and the machine they
 * make (the memory hierarchy, the interconnect).  False with a reason:
 * a configuration error, before any program is read. */
ISA_WARN_UNUSED bool sim_machine_config_check(const SimConfig *cfg,
                                              char *err, size_t errlen);

/* Build the machine, load prog and set argv (argv[0] is the program path
 * as given).  Returns NULL with a reason in err. */
SimMachine *sim_machine_new(const SimConfig *cfg, const SimProgram *prog,
                            int argc, char **argv, char *err, size_t errlen);
void sim_machine_free(SimMachine *m);

/* Run to the end.  Returns the exit status: the program's own, or one of
 * SIM_EXIT_* after a message on stderr. */
int sim_machine_run(SimMachine *m);

/* Run (deterministic mode, on the calling thread) until every runnable
 * hart has reached `cycle`.  Returns false once the run has ended (the
 * program exited, faulted, deadlocked, or hit the cycle limit). */
bool sim_machine_run_until(SimMachine *m, uint64_t cycle);

/* How the run ended: the exit status (-1 while it runs), and whether the
 * program ended it itself (exit) rather than parsim (fault, deadlock,
 * cycle limit). */
int sim_machine_status(const SimMachine *m);
bool sim_machine_program_exited(const SimMachine *m);

/* The machine's event bus (sim/events.h): listeners attach here. */
SimEvBus *sim_machine_events(SimMachine *m);

/* A data address by its symbol: "counter+0" (or the address). */
void sim_machine_data_name(const SimMachine *m, uint32_t addr, char *buf,
                           size_t len);

/* The end-of-run summary on f: totals, then a table per hart and per
 * annotated lock when there is more than one hart or any lock. */
void sim_machine_summary(const SimMachine *m, FILE *f);

/* The statistics as JSON (docs/stats.md gives the schema). */
ISA_WARN_UNUSED bool sim_machine_write_stats(const SimMachine *m,
                                             const char *path, char *err,
                                             size_t errlen);

/* The statistics as one CSV row appended to path (a header row first when
 * the file is new or empty): every counter's machine figure (its members
 * summed, clocks and peaks their max), the region of interest's, then
 * every configuration key, the program and its exit status. */
ISA_WARN_UNUSED bool sim_machine_write_csv(const SimMachine *m,
                                           const char *path, char *err,
                                           size_t errlen);
/* Breakpoints (--break: a function, FILE:LINE or 0xADDRESS) and watches
 * (--watch: a variable; a store into any of its bytes).  The run ends at
 * the first one reached, saying what, where and when (status
 * SIM_EXIT_BREAK) -- unless pause (the window): then
 * sim_machine_run_until returns there and sim_machine_break_hit says so,
 * and going on goes past it.  false with a reason naming the spec. */
ISA_WARN_UNUSED bool sim_machine_set_breaks(SimMachine *m,
                                            char *const *breaks, int nbreaks,
                                            char *const *watches,
                                            int nwatches, bool pause,
                                            char *err, size_t errlen);
/* Since the last call, did a hart stop at one (pause mode)?  Its words
 * ("break: hart 3, pc ... in worker+0x10 (counter.c:42), at cycle ...")
 * in buf, its cycle and the hart in *cycle and *hart (each may be NULL). */
bool sim_machine_break_hit(SimMachine *m, char *buf, size_t len,
                           uint64_t *cycle, uint32_t *hart);

/* An event of m's event stream in words, on one line ("h5 load miss on
 * tas+0 (coherence)", "GETX core 5 -> home 0: tas+0..63"). */
void sim_ev_describe(const SimMachine *m, const SimEvent *e, char *buf,
                     size_t len);

/* That CSV's header row (the same for every machine), and the unit of
 * one of its statistics' columns ("cycles"; NULL for a configuration key
 * or a name that is not a column). */
void sim_stats_csv_header(FILE *f);
const char *sim_stats_csv_unit(const char *column);

/* Every counter's machine figure, for the window: name (its JSON path),
 * unit, value.  Returns how many were written. */
typedef struct SimStatLine {
    char name[64];
    char unit[24];
    uint64_t value;
} SimStatLine;
size_t sim_machine_stat_lines(const SimMachine *m, SimStatLine *out,
                              size_t max);

/* The field tables of docs/stats.md, generated from the registry. */
void sim_stats_markdown(FILE *f);

#endif
