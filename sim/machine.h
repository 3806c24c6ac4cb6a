/* machine.h — the simulated machine: cores x hardware threads (harts)
 * assembled from a configuration, the schedulers that run them
 * (deterministic: one host thread in global time order; parallel: cores
 * on host threads with a barrier every quantum), the simulator services,
 * and the reports of how a run ended.
 *
 * May depend on: isa/, models/, sim/config.h, sim/elf.h, sim/semihost.h.
 */
#ifndef PARSIM_SIM_MACHINE_H
#define PARSIM_SIM_MACHINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "isa/isa.h"
#include "models/flatmem.h"
#include "models/memsys.h"
#include "models/mtcore.h"
#include "sim/config.h"
#include "sim/elf.h"
#include "sim/semihost.h"

/* parsim's own exit statuses (a program's own status passes through). */
enum {
    SIM_EXIT_USAGE = 64,      /* bad command line or configuration */
    SIM_EXIT_BAD_ELF = 65,    /* the program file was rejected */
    SIM_EXIT_NO_INPUT = 66,   /* the program file cannot be read */
    SIM_EXIT_GUEST_FAULT = 70,/* illegal instruction, wild access, ... */
    SIM_EXIT_DEADLOCK = 71,   /* every hart waits for something nobody sends */
    SIM_EXIT_CYCLE_LIMIT = 124
};

typedef enum SimHartState {
    SIM_HART_RUNNABLE,
    SIM_HART_WAITING,         /* blocked in the WAIT service */
    SIM_HART_PARKED           /* in wfi: nothing in parsim sends interrupts */
} SimHartState;

/* Per-hart statistics beyond what the ISA and memory model count. */
typedef struct SimHartStats {
    uint64_t blocked;         /* cycles blocked in WAIT */
    uint64_t spin;            /* cycles between a lock's TRY and ACQUIRED,
                                 less the blocked ones */
    uint64_t acquisitions;    /* annotated lock acquisitions */
    uint64_t wakes_sent;
} SimHartStats;

/* Cache-line aligned: neighbouring harts often run on different host
 * threads in parallel mode and must not share a line. */
typedef struct SimHart {
    _Alignas(64) IsaHart isa;
    IsaEnv *env;              /* its core's environment */
    uint32_t core, thread;
    int state;                /* SimHartState; __atomic across threads */
    uint32_t wait_addr;       /* WAITING: the address */
    uint64_t wait_since;      /* WAITING: cycle it blocked */
    uint64_t wait_seq;        /* WAITING: order for FIFO wake-ups */
    uint32_t lock_addr;       /* a lock it is trying to take (TRY seen) */
    uint64_t lock_since;
    uint64_t lock_blocked0;   /* stats.blocked when TRY was seen */
    bool trying;
    int worker;               /* parallel mode: host thread that runs it */
    SimHartStats st;
} SimHart;

/* Per annotated lock. */
typedef struct SimLock {
    uint32_t addr;
    uint32_t kind;            /* PARSIM_KIND_* */
    int holder;               /* hart id, -1 when free */
    int last_core;            /* core of the last holder, -1 never held */
    uint64_t acquisitions, wait_total, wait_max, handoffs, releases;
    uint64_t held_since, hold_total;
} SimLock;

/* A hold of an annotated lock, for timelines: [from, to), to =
 * UINT64_MAX while held. */
typedef struct SimHold {
    uint16_t lock, hart;
    uint64_t from, to;
} SimHold;

#define SIM_HOLDS 2048            /* the most recent holds kept */

typedef struct SimMachine SimMachine;
struct SimMachine {
    SimConfig cfg;
    IsaMem mem;
    uint32_t nharts;
    SimHart *harts;
    IsaEnv *core_env;         /* one per core */
    MtCore *mt;               /* one per core when threads_per_core > 1 */
    uint64_t *slot_wait;      /* per hart, written by its core's MtCore */
    FlatMem flat;
    MemSys *memsys;           /* NULL with the flat memory model */
    SimSemihost sh;
    const SimProgram *prog;

    /* Services and everything several host threads may touch (parallel
     * mode) is guarded by `lock`: wait queues, locks, console, exit. */
    pthread_mutex_t lock;
    uint64_t wait_seq;
    SimLock *locks;
    size_t nlocks, locks_cap;
    SimHart *slice_hart;          /* deterministic: the slice under way */
    uint64_t slice_limit;
    bool *progress_shown;         /* a progress line is on the terminal */
    uint64_t sharing_seen;        /* memsys_sharing_events at last look */
    uint32_t fine_slices;         /* slices left at the fine granularity */
    SimHold holds[SIM_HOLDS];     /* ring: the newest at hold_next - 1 */
    uint32_t hold_next, nholds;
    int stop;                 /* set once: the run is over (__atomic) */
    int status;               /* exit status of the run */
    bool program_exited;      /* the program ended the run itself */

    double host_seconds;
};

/* Build the machine, load prog and set argv (argv[0] is the program path
 * as given).  Returns false with a reason in err. */
ISA_WARN_UNUSED bool sim_machine_init(SimMachine *m, const SimConfig *cfg,
                                      const SimProgram *prog, int argc,
                                      char **argv, char *err, size_t errlen);
void sim_machine_free(SimMachine *m);

/* Run to the end.  Returns the exit status: the program's own, or one of
 * SIM_EXIT_* after a message on stderr. */
int sim_machine_run(SimMachine *m);

/* Run (deterministic mode, on the calling thread) until every runnable
 * hart has reached `cycle`.  Returns false once the run has ended (the
 * program exited, faulted, deadlocked, or hit the cycle limit). */
bool sim_machine_run_until(SimMachine *m, uint64_t cycle);

/* Per-hart stall figures, as in the summary: memory, functional units,
 * blocked, spinning, issue slot. */
void sim_machine_stalls(const SimMachine *m, uint32_t hart, uint64_t out[5]);

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

/* ---- used by the services (sim/services.c) ------------------------------ */

/* Handle the ecall hart h stopped at (pc still at the ecall).  Returns
 * false with a reason for an unknown service; the caller reports it. */
ISA_WARN_UNUSED bool sim_service_call(SimMachine *m, SimHart *h, char *err,
                                      size_t errlen);
SimLock *sim_lock_find(const SimMachine *m, uint32_t addr);

#endif
