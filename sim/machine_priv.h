/* machine_priv.h — the simulated machine's insides, shared by the files
 * of sim/ that build it (assemble.c), run it (sched.c), end it
 * (report.c), serve its programs (services.c), count it (stats.c) and
 * show it (session.c).  Nothing outside sim/ includes this: the machine
 * is opaque there (sim/machine.h).
 *
 * May depend on: sim/machine.h (and through it isa/, models/, sim/config.h,
 * sim/elf.h, sim/semihost.h, sim/events.h), sim/json.h (the writers),
 * programs/runtime/parsim_ecall.h; the files behind it also on sim/gpu.h
 * (the GPU array, which they build, run, serve and count).
 */
#ifndef PARSIM_SIM_MACHINE_PRIV_H
#define PARSIM_SIM_MACHINE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "isa/isa.h"
#include "models/flatmem.h"
#include "models/memsys.h"
#include "models/mtcore.h"
#include "models/nic.h"
#include "programs/runtime/parsim_ecall.h"
#include "sim/machine.h"

typedef enum SimHartState {
    SIM_HART_RUNNABLE,
    SIM_HART_WAITING,         /* blocked in the WAIT service */
    SIM_HART_PARKED,          /* in wfi: nothing in parsim sends interrupts */
    SIM_HART_MPWAIT,          /* blocked in a message-passing wait or probe */
    SIM_HART_EXITED,          /* its rank has exited (ranks only) */
    SIM_HART_GPUWAIT          /* in gpu_wait (or a copy) until the GPU's
                                 kernels are done (sim/gpu.c) */
} SimHartState;

/* Per-hart statistics beyond what the ISA and memory model count. */
typedef struct SimHartStats {
    uint64_t blocked;         /* cycles blocked in WAIT */
    uint64_t spin;            /* cycles between a lock's TRY and ACQUIRED,
                                 less the blocked ones */
    uint64_t acquisitions;    /* annotated lock acquisitions */
    uint64_t wakes_sent;
    /* Message passing (sim/mp.c). */
    uint64_t mp_time;         /* cycles inside the library's calls */
    uint64_t mp_late_sender;  /* cycles blocked waiting for a message */
    uint64_t mp_late_receiver;/* cycles a send waited for its receive */
    uint64_t mp_overhead;     /* o_send + o_recv cycles charged */
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
    uint32_t rank;            /* its node's rank (0 without ranks) */
    /* MPWAIT: the request it waits for (0: a probe of mp_probe). */
    uint32_t mp_req;
    uint32_t mp_probe[4];     /* source, tag, context, status address */
    uint32_t mp_status;       /* wait: where the status goes */
    uint8_t mp_depth;         /* library calls it is in (NOTE) */
    uint8_t mp_call;          /* PARSIM_MPI_* of the outermost */
    uint32_t mp_site;         /* its call site (return address) */
    uint64_t mp_since;        /* cycle the outermost was entered */
    uint64_t mp_wait0;        /* late-sender + late-receiver at entry */
    uint64_t sampled;         /* cycle of its last SAMPLE event */
    uint32_t stack_top;       /* parsim-cc programs: where its stack starts
                                 (the guard is in isa.stack_lo/guard) */
    SimHartStats st;
} SimHart;

/* The region of interest (stats.c): per statistics group, every
 * counter's value at the region's begin, and what the regions added. */
typedef struct SimRoiGroup {
    int slots;                /* values per member */
    uint64_t *base;           /* at the begin: nbase members x slots */
    uint32_t nbase;
    uint64_t *acc;            /* sum of end - begin: members x slots */
    uint32_t members;
} SimRoiGroup;

typedef struct SimRoi {
    bool active;              /* between a begin and its end */
    int pending;              /* parallel mode: -1 none, else a begin (1)
                                 or end (0) for the next barrier */
    uint64_t pending_cycle;
    uint64_t regions;         /* regions ended */
    uint64_t begin_cycle, end_cycle;   /* of the first and last */
    SimRoiGroup *g;           /* one per group, NULL before any */
} SimRoi;

/* Per annotated lock. */
typedef struct SimLock {
    uint32_t addr;
    uint32_t rank;            /* whose memory (ranks); else 0 */
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
#define SIM_HINT_SITES 8          /* returns of parsim_thread_create kept */

/* A library call site of the program, per rank (the summary's wait
 * table). */
typedef struct SimMpSite {
    uint32_t rank, site;
    uint8_t call;             /* PARSIM_MPI_* */
    uint64_t calls, time, wait;
} SimMpSite;

#define SIM_RUNQ_HART_BITS 12        /* harts the queue can tell apart */

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
    uint64_t slice_second;        /* the other harts' lowest clock */
    bool *progress_shown;         /* a progress line is on the terminal */
    uint64_t sharing_seen;        /* memsys_sharing_events at last look */
    /* The deterministic scheduler's queue of runnable harts (sched.c,
     * "Who runs next"): a min-heap of (clock, hart) whose keys may be
     * older than the clocks, rebuilt when a hart has become runnable
     * since (runnable_gen, bumped by sim_hart_runnable). */
    uint64_t *runq;               /* clock << SIM_RUNQ_HART_BITS | hart */
    uint32_t nrunq;
    uint32_t runnable_gen, runq_gen;
    bool runq_off;                /* too many harts or too late a clock for
                                     a key: pick() scans */
    uint32_t fine_slices;         /* slices left at the fine granularity */
    SimHold holds[SIM_HOLDS];     /* ring: the newest at hold_next - 1 */
    uint32_t hold_next, nholds;
    int stop;                 /* set once: the run is over (__atomic) */
    int status;               /* exit status of the run */
    bool program_exited;      /* the program ended the run itself */

    /* Message passing (sim/mp.c): ranks = nodes with their own RAM. */
    uint32_t nranks;          /* 0: one shared memory */
    uint32_t harts_per_rank;
    IsaMem *rank_mem;         /* ranks 1..nranks-1 (rank 0's is mem) */
    uint64_t rank_span;       /* bytes of the hierarchy's addresses per rank */
    Nic *nic;
    Noc *own_noc;             /* the flat model's interconnect for ranks */
    uint32_t ranks_exited;
    bool *rank_exited;        /* per rank (sim/mp.c) */
    Noc *noc;                 /* the interconnect the interfaces use */
    int rank_status;          /* first non-zero exit status of a rank */
    SimMpSite *sites;
    size_t nsites, sites_cap;
    uint32_t rank_granularity;/* deterministic: at least this (ranks of
                                 one core each: half the lookahead) */
    int end_status;           /* a service ended the run: its status, or
                                 -1 (set under lock) */

    struct SimGpu *gpu;       /* the SIMT array (sim/gpu.c), or NULL */
    uint32_t gpu_kernels;     /* kernels queued or running there: the
                                 length of gpu.c's queue (here so that
                                 sim_gpu_busy is inline) */
    struct SimVarCache *varc; /* the misses by variable (stats.c) */

    /* --break and --watch (breaks.c): every core's IsaEnv points at them. */
    uint32_t *breaks;
    uint32_t nbreaks;
    IsaRange *watches;
    uint8_t **watch_was;      /* each watch's bytes as last seen */
    uint32_t main_pc;         /* main(): watches count from there on */
    bool main_internal;       /* a breakpoint there only for that */
    bool watch_armed;         /* main has been reached */
    uint32_t nwatches;
    bool pause_on_break;      /* the window's: pause there, do not end */
    bool break_hit;           /* a hart stopped at one (pause_on_break) */
    uint64_t break_cycle;
    uint32_t break_hart;
    char break_text[768];
    /* The returns of the runtime's parsim_thread_create, among breaks
     * (breaks.c): where parsim sees the EAGAIN a program gets for want
     * of an idle hart, and says why, once a run. */
    uint32_t hint_at[SIM_HINT_SITES];
    bool hint_given[SIM_HINT_SITES];  /* a --break there too */
    uint32_t nhint_at;
    bool hinted;
    uint32_t stack_harts;     /* harts with a guarded stack (parsim-cc) */
    uint32_t tls_reserve;     /* bytes of TLS at the bottom of a stack */

    SimEvBus ev;              /* the event stream (sim/events.h) */
    SimRoi roi;
    int argc;                 /* the program's command line */
    char **argv;
    double host_seconds;
};

/* Hart h goes from running to state st, unless it no longer runs (its
 * rank has exited): false then. */
/* h may run again (woken, a message or the GPU done): every change to
 * SIM_HART_RUNNABLE goes through here, so the scheduler's queue learns
 * of it. */
static inline void sim_hart_runnable(SimMachine *m, SimHart *h)
{
    __atomic_store_n(&h->state, SIM_HART_RUNNABLE, __ATOMIC_RELEASE);
    __atomic_fetch_add(&m->runnable_gen, 1, __ATOMIC_RELAXED);
}

static inline bool sim_hart_stop_running(SimHart *h, int st)
{
    int expect = SIM_HART_RUNNABLE;
    return __atomic_compare_exchange_n(&h->state, &expect, st, false,
                                       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* ---- breaks.c ------------------------------------------------------------ */

/* A hart stopped at a breakpoint or after a watched store: -1 to go on
 * (the window's pause mode, noted for sim_machine_break_hit), else the
 * run's status after the message. */
int sim_break_stop(SimMachine *m, SimHart *h, const IsaStop *st);
/* The breakpoints parsim keeps for itself (the no-idle-hart hint), from
 * the program's symbols: at start, before any --break.  false: out of
 * memory. */
ISA_WARN_UNUSED bool sim_breaks_init(SimMachine *m);
/* Was st a stop at one of parsim's own breakpoints, which the run goes
 * straight past?  The schedule then goes on as if it had not stopped. */
bool sim_break_passes(const SimMachine *m, const IsaStop *st);

/* ---- stats.c ------------------------------------------------------------- */

/* The cache behind the misses-by-variable figures (NULL: out of memory,
 * and the figures are empty). */
struct SimVarCache *sim_stat_varcache_new(void);
void sim_stat_varcache_free(struct SimVarCache *c);

/* ---- assemble.c ---------------------------------------------------------- */

double sim_now_seconds(void);

/* ---- report.c: the messages that end a run (on stderr) -------------------- */

/* Before a message: the program's output so far, and no half-drawn
 * progress line in front of it. */
void sim_report_begin(SimMachine *m);
/* Whose code is at pc: 1 the runtime's (its lock, wait, thread and GPU
 * functions: parsim.h, sync.c, start.c, ...), 0 the program's, -1 no
 * source line there. */
int sim_report_code_of(const SimMachine *m, uint32_t pc);
/* ", called from main+0x2c (prog.c:31)": the first caller of the hart's
 * current code that is not the runtime's own (its lock, wait and GPU
 * functions), or "" when there is none. */
void sim_report_caller(const SimMachine *m, const SimHart *h, char *buf,
                       size_t len);
/* "hart 0, pc 0x80000010 in main+0x4 (prog.c:12), insn ... (...)" */
void sim_report_where(const SimMachine *m, const SimHart *h,
                      const IsaStop *st, char *buf, size_t len);
/* Each prints its message and returns the run's exit status. */
int sim_report_fault(SimMachine *m, const SimHart *h, const IsaStop *st);
int sim_report_deadlock(SimMachine *m);
/* The memory system stopped the run (memsys_error): one line, naming the
 * hart that was running. */
int sim_report_model(SimMachine *m, const SimHart *h, const char *why);
int sim_report_cycle_limit(SimMachine *m, const SimHart *h);

/* ---- services.c ---------------------------------------------------------- */

/* Handle the ecall hart h stopped at (pc already past the ecall).  Returns
 * false with a reason for an unknown service; the caller reports it. */
ISA_WARN_UNUSED bool sim_service_call(SimMachine *m, SimHart *h, char *err,
                                      size_t errlen);
SimLock *sim_lock_find(const SimMachine *m, uint32_t rank, uint32_t addr);
/* A HART event: hart h changes to state st at cycle, about addr. */
void sim_hart_event(SimMachine *m, const SimHart *h, uint64_t cycle,
                    SimEvHartState st, uint32_t addr);

/* Every lock kind's names (ORDER PARSIM_KIND). */
typedef struct SimLockKind {
    const char *name;         /* "ttas_backoff": statistics and the window */
    const char *what;         /* "TTAS+backoff lock": messages */
} SimLockKind;
extern const SimLockKind sim_lock_kinds[PARSIM_KIND_COUNT];

/* ---- mp.c: message passing ------------------------------------------------ */

/* The ranks' interfaces, after the memory hierarchy; false with a
 * reason. */
bool sim_mp_init(SimMachine *m, char *err, size_t errlen);
void sim_mp_free(SimMachine *m);
/* A PARSIM_FN_MP_* service for hart h (under m->lock); false with a
 * reason for a bad call. */
bool sim_mp_service(SimMachine *m, SimHart *h, uint32_t fn, char *err,
                    size_t errlen);
/* Hart h's rank called exit(status): -1 while other ranks run, else the
 * run's status. */
int sim_mp_rank_exit(SimMachine *m, SimHart *h, int status);
/* Node memory of hart h. */
static inline IsaMem *sim_hart_mem(const SimHart *h)
{
    return h->env->mem;
}
/* "in MPI_Recv(source 1, tag 3) at ring.c:12": what a blocked or running
 * hart of a rank is doing, for reports. */
void sim_mp_describe(const SimMachine *m, const SimHart *h, char *buf,
                     size_t len);
/* The library call names (ORDER MPI_CALL). */
extern const char *const sim_mpi_call_names[PARSIM_MPI_CALL_COUNT];

/* ---- stats.c --------------------------------------------------------------- */

/* Per-hart stall figures, as in the summary: memory, functional units,
 * blocked, spinning, issue slot. */
void sim_machine_stalls(const SimMachine *m, uint32_t hart, uint64_t out[5]);

/* The region of interest begins or ends (at cycle): record every counter
 * now.  Only where no other hart runs. */
void sim_roi_mark(SimMachine *m, bool begin, uint64_t cycle);
/* The latest of the harts' clocks: how far the run has got. */
uint64_t sim_latest_cycle(const SimMachine *m);
void sim_roi_free(SimRoi *r);

#endif
