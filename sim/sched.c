/* sched.c — the two schedulers and how a hart's stop is handled.
 *
 * Deterministic mode: one host thread; the runnable hart with the lowest
 * local clock (ties: lowest id) runs until it is `granularity` cycles past
 * the next one, then the choice is made again.  Same program and machine:
 * same output, same cycles, every run.
 * Parallel mode: cores are dealt round-robin to host threads; each thread
 * runs its harts the deterministic way up to the end of the current
 * quantum, then all threads meet at a barrier (lax synchronisation, as in
 * Graphite and ZSim).  Harts on different threads may drift apart by up to
 * a quantum, so counts vary slightly from run to run.
 *
 * Events (sim/events.h) are delivered where every hart is stopped: after
 * each deterministic step, at each parallel barrier.
 */
#include "sim/machine_priv.h"
#include "sim/gpu.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- interruption ------------------------------------------------------------ */

static volatile sig_atomic_t stop_signal;     /* sim_request_stop's */

void sim_request_stop(int signo) { stop_signal = signo; }

int sim_stop_requested(void) { return stop_signal; }

/* The run was interrupted: one line, and the status a shell gives. */
static int report_interrupt(SimMachine *m)
{
    uint64_t cycle = sim_latest_cycle(m);
    sim_semihost_flush(&m->sh);
    sim_report_begin(m);
    int sig = stop_signal;
    fprintf(stderr, "parsim: interrupted at cycle %" PRIu64 " (%s): the "
            "results so far follow\n", cycle,
            sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM"
            : sig == SIGHUP ? "SIGHUP" : "a signal");
    return SIM_EXIT_SIGNAL + sig;
}

/* ---- stops ----------------------------------------------------------------- */

/* What to do about the stop of hart h: -1 to go on, or the run's exit
 * status (after the message).  Called without m->lock. */
static __attribute__((noinline)) int handle_stop_slow(SimMachine *m,
                                                     SimHart *h,
                                                     const IsaStop *st);

/* After isa_run stopped h: -1 to go on, or the run's exit status.  A
 * limit (most slices end there) costs no call. */
static inline int handle_stop(SimMachine *m, SimHart *h, const IsaStop *st)
{
    return st->kind == ISA_STOP_LIMIT ? -1 : handle_stop_slow(m, h, st);
}

static int handle_stop_slow(SimMachine *m, SimHart *h, const IsaStop *st)
{
    IsaHart *x = &h->isa;
    char err[256], loc[512], from[300];
    int status = -1;
    switch (st->kind) {
    case ISA_STOP_LIMIT:
        return -1;
    case ISA_STOP_SEMIHOST:
        pthread_mutex_lock(&m->lock);
        if (__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
            pthread_mutex_unlock(&m->lock);
            return -1;
        }
        if (!sim_semihost_call(&m->sh, x, h->env->mem, err, sizeof err)) {
            sim_report_where(m, h, st, loc, sizeof loc);
            sim_semihost_flush(&m->sh);
            sim_report_begin(m);
            fprintf(stderr, "parsim: semihosting: %s: %s\n", loc, err);
            status = SIM_EXIT_GUEST_FAULT;
        } else {
            isa_skip(x, h->env, st);
            if (m->sh.exited && m->nranks) {
                /* One rank ended; the run ends with the last. */
                m->sh.exited = false;
                status = sim_mp_rank_exit(m, h, m->sh.exit_status);
                m->program_exited = status >= 0;
            } else if (m->sh.exited) {
                m->program_exited = true;
                status = m->sh.exit_status;
            }
        }
        pthread_mutex_unlock(&m->lock);
        return status;
    case ISA_STOP_ECALL:
        if (m->cfg.guest_traps && x->x[17] != PARSIM_EID) {
            isa_take_trap(x, ISA_CAUSE_ECALL_M, 0, st->pc);
            return -1;
        }
        isa_skip(x, h->env, st);
        if (sim_service_call(m, h, err, sizeof err)) {
            /* A service may end the run itself (MPI_Abort, MPI errors):
             * it has said why. */
            pthread_mutex_lock(&m->lock);
            status = m->end_status;
            pthread_mutex_unlock(&m->lock);
            return status;
        }
        x->pc = st->pc;
        sim_report_where(m, h, st, loc, sizeof loc);
        sim_report_caller(m, h, from, sizeof from);
        sim_report_begin(m);
        fprintf(stderr, "parsim: ecall: %s%s: %s\n", loc, from, err);
        return SIM_EXIT_GUEST_FAULT;
    case ISA_STOP_EBREAK:
        if (m->cfg.guest_traps) {
            isa_take_trap(x, ISA_CAUSE_BREAKPOINT, st->pc, st->pc);
            return -1;
        }
        sim_report_where(m, h, st, loc, sizeof loc);
        sim_report_begin(m);
        fprintf(stderr, "parsim: breakpoint: %s: ebreak with no debugger "
                "attached\n", loc);
        return SIM_EXIT_GUEST_FAULT;
    case ISA_STOP_BREAK:
    case ISA_STOP_WATCH:
        return sim_break_stop(m, h, st);
    case ISA_STOP_WFI:
        /* wfi parks the hart: parsim sends no interrupts, so it stays
         * parked; the run goes on while other harts can run. */
        isa_skip(x, h->env, st);
        x->pc = st->pc;
        if (sim_ev_on(&m->ev, SIM_EV_HART))
            sim_ev_push(&m->ev, &(SimEvent){
                .cycle = x->cycle, .end = x->cycle, .hart = x->hartid,
                .kind = SIM_EV_HART, .what = SIM_EVH_HALTED});
        (void)sim_hart_stop_running(h, SIM_HART_PARKED);
        return -1;
    case ISA_STOP_TRAP:
        if (m->cfg.guest_traps && x->mtvec &&
            st->cause != ISA_CAUSE_STACK_OVERFLOW) {
            isa_take_trap(x, st->cause, st->tval, st->pc);
            return -1;
        }
        sim_report_begin(m);
        return sim_report_fault(m, h, st);
    }
    return -1;
}

/* Record the end of the run once (the first hart to end it wins). */
static void finish(SimMachine *m, int status)
{
    pthread_mutex_lock(&m->lock);
    if (!__atomic_load_n(&m->stop, __ATOMIC_RELAXED)) {
        m->status = status;
        __atomic_store_n(&m->stop, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&m->lock);
}


/* ---- progress ---------------------------------------------------------------- */

typedef struct Progress {
    bool on, shown;
    double start, next;
} Progress;

static void progress_tick(SimMachine *m, Progress *p)
{
    m->progress_shown = &p->shown;
    if (!p->on)
        return;
    double t = sim_now_seconds();
    if (t < p->next)
        return;
    p->next = t + 1.0;
    uint64_t insns = 0, cyc = 0;
    for (uint32_t i = 0; i < m->nharts; i++) {
        insns += m->harts[i].isa.instret;
        if (m->harts[i].isa.cycle > cyc)
            cyc = m->harts[i].isa.cycle;
    }
    fprintf(stderr, "\rparsim: %.0f s, %" PRIu64 " M instructions, %" PRIu64
            " M cycles, %.0f MIPS   ", t - p->start, insns / 1000000,
            cyc / 1000000, (double)insns / (t - p->start) / 1e6);
    fflush(stderr);
    p->shown = true;
}

static void progress_clear(Progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}

/* ---- deterministic mode ------------------------------------------------------ */

#define SLICE_CYCLES (1u << 22)

/* The runnable hart with the lowest clock (the first among equals), and
 * the clock of the one after it: every hart looked at. */
static SimHart *pick(SimMachine *m, uint64_t *second)
{
    SimHart *best = NULL;
    *second = UINT64_MAX;
    for (uint32_t i = 0; i < m->nharts; i++) {
        SimHart *h = &m->harts[i];
        if (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != SIM_HART_RUNNABLE)
            continue;
        uint64_t c = h->isa.cycle;
        if (!best || c < best->isa.cycle) {
            if (best)
                *second = best->isa.cycle;
            best = h;
        } else if (c < *second) {
            *second = c;
        }
    }
    return best;
}

/* ---- Who runs next (deterministic mode) -------------------------------------
 *
 * pick()'s answer without looking at every hart: a min-heap of (clock,
 * hart) of the runnable harts.  A key may be older than its hart's clock
 * (the hart has run since: clocks only grow), so a root is looked at
 * before it is believed: a hart that is no longer runnable leaves, a key
 * behind its clock is brought up to it and goes down.  A root whose key
 * is its clock is then the lowest (clock, hart) of all, exactly pick()'s
 * choice (the lowest clock, the first hart among equals).  A hart that
 * becomes runnable is not in the heap: sim_hart_runnable bumps
 * runnable_gen, and the heap is built again.  PARSIM_CHECK_SCHED=1 (the
 * test suite sets it) compares every answer with pick()'s. */

#define RUNQ_HART ((1u << SIM_RUNQ_HART_BITS) - 1)
#define RUNQ_KEY(cycle, hart) ((cycle) << SIM_RUNQ_HART_BITS | (hart))

/* Entry i of the n in q down to where it belongs. */
static inline __attribute__((always_inline)) void
runq_down(uint64_t *q, uint32_t n, uint32_t i)
{
    uint64_t it = q[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        c += c + 1 < n && q[c + 1] < q[c];
        if (q[c] >= it)
            break;
        q[i] = q[c];
        i = c;
    }
    q[i] = it;
}

/* Clocks that fit a key, and few enough harts: else pick() scans. */
static bool runq_usable(const SimMachine *m)
{
    return m->nharts <= RUNQ_HART + 1;
}

static bool runq_build(SimMachine *m)
{
    if (!runq_usable(m) ||
        (!m->runq && !(m->runq = malloc(m->nharts * sizeof *m->runq))))
        return false;
    m->runq_gen = __atomic_load_n(&m->runnable_gen, __ATOMIC_RELAXED);
    m->nrunq = 0;
    for (uint32_t i = 0; i < m->nharts; i++) {
        if (__atomic_load_n(&m->harts[i].state, __ATOMIC_ACQUIRE) !=
            SIM_HART_RUNNABLE)
            continue;
        if (m->harts[i].isa.cycle >> (64 - SIM_RUNQ_HART_BITS))
            return false;
        m->runq[m->nrunq++] = RUNQ_KEY(m->harts[i].isa.cycle, i);
    }
    for (uint32_t i = m->nrunq / 2; i-- > 0;)
        runq_down(m->runq, m->nrunq, i);
    return true;
}

/* Entry i's hart is no longer runnable: the last leaf takes its place,
 * and goes down from there or up. */
static __attribute__((noinline)) void runq_leave(SimMachine *m, uint32_t i)
{
    m->runq[i] = m->runq[--m->nrunq];
    if (i < m->nrunq) {
        runq_down(m->runq, m->nrunq, i);
        uint64_t *q = m->runq, it = q[i];
        uint32_t j = i;
        while (j > 0 && it < q[(j - 1) / 2]) {
            q[j] = q[(j - 1) / 2];
            j = (j - 1) / 2;
        }
        q[j] = it;
    }
}

/* Entry i once it is believed: true, or false when it has left (its
 * hart no longer runnable) and something else is at i.  A key brought up
 * to its clock goes down from i; so does the entry that takes a leaver's
 * place, which may also have to go up (it came from the last leaf). */
static inline __attribute__((always_inline)) bool
runq_believe(SimMachine *m, uint32_t i)
{
    uint64_t *q = m->runq;
    for (;;) {
        uint32_t hart = (uint32_t)(q[i] & RUNQ_HART);
        SimHart *h = &m->harts[hart];
        if (__builtin_expect(__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) !=
                             SIM_HART_RUNNABLE, 0)) {
            runq_leave(m, i);
            return false;
        }
        uint64_t cycle = h->isa.cycle;
        if (__builtin_expect(cycle >> (64 - SIM_RUNQ_HART_BITS), 0)) {
            m->runq_off = true;       /* no key holds that clock */
            return true;
        }
        uint64_t key = RUNQ_KEY(cycle, hart);
        if (q[i] == key)
            return true;
        q[i] = key;
        runq_down(q, m->nrunq, i);
    }
}

/* The root once it is believed (NULL: no runnable hart). */
static inline __attribute__((always_inline)) SimHart *runq_top(SimMachine *m)
{
    while (m->nrunq && !runq_believe(m, 0))
        ;
    return m->nrunq ? &m->harts[m->runq[0] & RUNQ_HART] : NULL;
}

/* PARSIM_CHECK_SCHED=1: -1 not looked at yet, then 0 or 1. */
static int check_sched = -1;

static bool checking_sched(void)
{
    int c = __atomic_load_n(&check_sched, __ATOMIC_RELAXED);
    if (c < 0) {
        const char *e = getenv("PARSIM_CHECK_SCHED");
        c = e && !strcmp(e, "1");
        __atomic_store_n(&check_sched, c, __ATOMIC_RELAXED);
    }
    return c;
}

static inline __attribute__((always_inline)) SimHart *
det_pick(SimMachine *m, uint64_t *second)
{
    if (!m->runq_off &&
        (!m->runq || m->runq_gen != __atomic_load_n(&m->runnable_gen,
                                                    __ATOMIC_RELAXED)) &&
        !runq_build(m))
        m->runq_off = true;
    if (m->runq_off)
        return pick(m, second);
    SimHart *best = runq_top(m);
    *second = UINT64_MAX;
    /* The next one is the smaller of the root's children when that one
     * is believed as it stands (believing it may raise its key past its
     * sibling's: then look again; the root stays where it is). */
    while (best && m->nrunq > 1 && !m->runq_off) {
        uint32_t c = 1 + (m->nrunq > 2 && m->runq[2] < m->runq[1]);
        const SimHart *h = &m->harts[m->runq[c] & RUNQ_HART];
        if (m->runq[c] >> SIM_RUNQ_HART_BITS == h->isa.cycle &&
            __atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == SIM_HART_RUNNABLE) {
            *second = h->isa.cycle;
            break;
        }
        (void)runq_believe(m, c);
    }
    /* A clock too large for a key, met on the way: the scan decides. */
    if (__builtin_expect(m->runq_off, 0))
        return pick(m, second);
    if (__builtin_expect(checking_sched(), 0)) {
        uint64_t s2;
        SimHart *b2 = pick(m, &s2);
        if (b2 != best || s2 != *second) {
            fprintf(stderr, "parsim: internal error: the scheduler's queue "
                    "chose hart %d (next at %" PRIu64 "), a scan hart %d "
                    "(next at %" PRIu64 ")\n", best ? (int)best->isa.hartid : -1,
                    *second, b2 ? (int)b2->isa.hartid : -1, s2);
            abort();
        }
    }
    return best;
}

/* Run h from its clock up to the chosen limit (the next hart's clock plus
 * the granularity, or, with `whole`, the horizon); returns -1 or a
 * status. */
/* While cores share lines for writing (the memory system reports an
 * invalidation, or dirty data moving to a reader), harts are switched every FINE_GRANULARITY cycles:
 * at the coarse granularity a hart would keep a line for a dozen accesses
 * that, in the machine, another core's request would have interrupted.
 * The switch back to coarse comes FINE_SLICES slices after the last
 * sharing event.  It depends on simulated events only: deterministic. */
#define FINE_GRANULARITY 4
#define FINE_SLICES 512

static uint32_t granularity(SimMachine *m)
{
    if (m->memsys) {
        uint64_t ev = memsys_sharing_events(m->memsys);
        if (ev != m->sharing_seen) {
            m->sharing_seen = ev;
            m->fine_slices = FINE_SLICES;
        }
    }
    if (m->fine_slices) {
        m->fine_slices--;
        if (m->cfg.granularity > FINE_GRANULARITY)
            return FINE_GRANULARITY;
    }
    /* Ranks of one core each share nothing: they interleave at half the
     * network's lookahead (sim/mp.c), whatever run.granularity says. */
    return m->rank_granularity ? m->rank_granularity : m->cfg.granularity;
}

/* The GPU array runs up to the clock of h, the hart about to run; with
 * no hart to run (they wait for the GPU), a stretch on its own, up to
 * `pause`.  -1 to go on, -2 paused, or the run's exit status. */
#define GPU_STRETCH 4096u

static int gpu_run(SimMachine *m, SimHart *h, uint64_t pause)
{
    if (h)
        return sim_gpu_advance(m, h->isa.cycle);
    uint64_t gc = sim_gpu_clock(m);
    if (gc >= pause)
        return -2;
    if (m->cfg.max_cycles && gc >= m->cfg.max_cycles) {
        for (uint32_t i = 0; i < m->nharts; i++)
            if (__atomic_load_n(&m->harts[i].state, __ATOMIC_ACQUIRE) ==
                SIM_HART_GPUWAIT)
                return sim_report_cycle_limit(m, &m->harts[i]);
        return sim_report_cycle_limit(m, &m->harts[0]);
    }
    uint64_t to = gc + GPU_STRETCH;
    if (to > pause)
        to = pause;
    int r = sim_gpu_advance(m, to);
    if (m->ev.mask)
        sim_ev_deliver(&m->ev);
    return r;
}

/* Parallel mode: run h for the rest of the quantum (its horizon). */
static int step_hart(SimMachine *m, SimHart *h, uint64_t horizon)
{
    uint64_t limit = horizon;
    if (m->cfg.max_cycles && limit > m->cfg.max_cycles)
        limit = m->cfg.max_cycles;
    if (limit <= h->isa.cycle)
        limit = h->isa.cycle + 1;
    IsaStop st;
    int status;
    do {    /* past parsim's own breakpoints, as if it had not stopped */
        isa_run(&h->isa, h->env, limit, UINT64_MAX, &st);
        if (m->memsys)
            memsys_run_done(m->memsys, h->isa.hartid);
        if (m->memsys && memsys_error(m->memsys)) {
            memsys_lock(m->memsys);
            const char *why = memsys_error(m->memsys);
            char msg[600];
            snprintf(msg, sizeof msg, "%s", why ? why : "");
            memsys_unlock(m->memsys);
            memsys_take_deferred(m->memsys);
            return sim_report_model(m, h, msg);
        }
        status = handle_stop(m, h, &st);
    } while (status < 0 && sim_break_passes(m, &st) && h->isa.cycle < limit);
    return status;
}

/* A SAMPLE event for h when its clock has entered a new sample period. */
static void sample(SimMachine *m, SimHart *h)
{
    uint64_t p = m->ev.sample_period;
    if (h->isa.cycle / p == h->sampled / p && h->sampled)
        return;
    h->sampled = h->isa.cycle;
    sim_ev_push(&m->ev, &(SimEvent){
        .cycle = h->isa.cycle, .end = h->isa.instret, .hart = h->isa.hartid,
        .kind = SIM_EV_SAMPLE});
}

/* Deterministic mode: one step of the schedule, until every runnable hart
 * has reached `pause`.
 *
 * The schedule is a sequence of slices: the runnable hart with the lowest
 * clock runs until it is granularity cycles past the next one.  A pause
 * (the visualizer stepping, --snapshot) may cut a slice in two, and the
 * slice then goes on where it stopped: where the machine pauses never
 * changes what it does, so a run stepped cycle by cycle and a plain run
 * are the same run.  Returns false when every runnable hart has reached
 * `pause`, or the run has ended. */
static inline __attribute__((always_inline)) bool
det_step(SimMachine *m, uint64_t pause)
{
    SimHart *h = m->slice_hart;
    if (__builtin_expect(stop_signal != 0, 0)) {
        finish(m, report_interrupt(m));
        return false;
    }
    if (!h) {
        uint64_t second;
        h = det_pick(m, &second);
        if (sim_gpu_busy(m)) {
            /* The GPU keeps pace: it runs up to the hart about to run, or
             * on its own while every hart waits. */
            int r = gpu_run(m, h, pause);
            if (r == -2)
                return false;
            if (r >= 0) {
                finish(m, r);
                return false;
            }
            if (!h)
                return true;
            uint64_t gc = sim_gpu_clock(m);
            if (sim_gpu_busy(m) && gc < second)
                second = gc;
        }
        if (!h) {
            finish(m, sim_report_deadlock(m));
            return false;
        }
        if (h->isa.cycle >= pause)
            return false;
        if (m->cfg.max_cycles && h->isa.cycle >= m->cfg.max_cycles) {
            finish(m, sim_report_cycle_limit(m, h));
            return false;
        }
        uint64_t limit = second == UINT64_MAX ? h->isa.cycle + SLICE_CYCLES
                                              : second + granularity(m);
        if (m->cfg.max_cycles && limit > m->cfg.max_cycles)
            limit = m->cfg.max_cycles;
        if (limit <= h->isa.cycle)
            limit = h->isa.cycle + 1;
        m->slice_hart = h;
        m->slice_limit = limit;
        m->slice_second = second;
    }
    /* Paused when every runnable hart has reached the pause. */
    uint64_t lim = m->slice_limit;
    if (h->isa.cycle >= pause) {
        uint64_t second;
        SimHart *low = det_pick(m, &second);
        if (!low || low->isa.cycle >= pause)
            return false;
    } else if (pause < lim) {
        lim = pause;        /* stop there to look again */
    }
    /* SAMPLE events cut slices as a pause does: the run is the same. */
    bool sampling = sim_ev_on(&m->ev, SIM_EV_SAMPLE);
    if (sampling) {
        uint64_t p = m->ev.sample_period;
        uint64_t next = (h->isa.cycle / p + 1) * p;
        if (next < lim)
            lim = next;
    }
    IsaStop st;
    if (m->memsys)
        memsys_set_horizon(m->memsys, m->slice_second);
    isa_run(&h->isa, h->env, lim, UINT64_MAX, &st);
    /* parsim's own breakpoints cut a slice as a pause does; so does a
     * miss issued after another hart's clock (it waits until that hart
     * has caught up: the requests reach the homes in time order). */
    if ((st.kind != ISA_STOP_LIMIT && !sim_break_passes(m, &st)) ||
        h->isa.cycle >= m->slice_limit ||
        (m->memsys && memsys_take_deferred(m->memsys)))
        m->slice_hart = NULL;
    if (m->memsys && __builtin_expect(memsys_error(m->memsys) != NULL, 0)) {
        finish(m, sim_report_model(m, h, memsys_error(m->memsys)));
        return false;
    }
    if (sampling)
        sample(m, h);
    int status = handle_stop(m, h, &st);
    if (m->ev.mask)
        sim_ev_deliver(&m->ev);
    if (status >= 0) {
        finish(m, status);
        return false;
    }
    return true;
}

/* Parallel mode: a region begin or end the services deferred to the
 * barrier, where every hart has stopped. */
static void apply_pending_region(SimMachine *m)
{
    if (m->roi.pending >= 0) {
        sim_roi_mark(m, m->roi.pending == 1, m->roi.pending_cycle);
        m->roi.pending = -1;
    }
}

/* A region still open when the run ends ends with it. */
static void close_region(SimMachine *m)
{
    apply_pending_region(m);
    if (m->roi.active)
        sim_roi_mark(m, false, sim_latest_cycle(m));
}

bool sim_machine_run_until(SimMachine *m, uint64_t cycle)
{
    /* A breakpoint in pause mode ends the step there. */
    while (!m->stop && !m->break_hit && det_step(m, cycle))
        ;
    if (m->stop) {
        close_region(m);
        sim_semihost_flush(&m->sh);
    }
    return !m->stop;
}

static void run_deterministic(SimMachine *m, Progress *p)
{
    while (!m->stop && det_step(m, UINT64_MAX))
        progress_tick(m, p);
}

/* ---- parallel mode ------------------------------------------------------------ */

/* A spinning barrier: a quantum is tens of microseconds of work, and a
 * sleeping barrier costs several of them per crossing.  It yields the host
 * CPU when a crossing takes long (more host threads than host cores). */
typedef struct SpinBarrier {
    unsigned n;
    unsigned count;
    unsigned gen;
} SpinBarrier;

/* Returns true in exactly one thread per crossing (the last to arrive). */
static bool barrier_wait(SpinBarrier *b)
{
    unsigned gen = __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);
    if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == b->n) {
        __atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&b->gen, gen + 1, __ATOMIC_RELEASE);
        return true;
    }
    for (unsigned spins = 0;
         __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE) == gen; spins++)
        if (spins > 2000)
            sched_yield();
    return false;
}

typedef struct Parallel {
    SimMachine *m;
    Progress *p;
    SpinBarrier bar;
    uint64_t horizon;         /* end of the current quantum */
    uint32_t next_core;       /* the next core to claim this quantum */
    bool done;                /* written by the serial thread at the barrier */
} Parallel;

typedef struct Worker {
    Parallel *par;
    int id;
    pthread_t th;
} Worker;

/* Between quanta, with every worker stopped at the barrier: is the run
 * over (exit, fault, deadlock, cycle limit)?  Then the next quantum. */
static void between_quanta(Parallel *par)
{
    SimMachine *m = par->m;
    if (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE) && stop_signal) {
        progress_clear(par->p);
        finish(m, report_interrupt(m));
    }
    if (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
        uint64_t second;
        SimHart *h = pick(m, &second);
        /* The GPU runs here, where every hart has stopped: up to the
         * quantum's end, or on its own while every hart waits for it. */
        int r = -1;
        if (sim_gpu_busy(m))
            r = sim_gpu_advance(m, par->horizon);
        while (r < 0 && !h && sim_gpu_busy(m)) {
            r = gpu_run(m, NULL, UINT64_MAX);
            h = pick(m, &second);
        }
        if (r >= 0) {
            progress_clear(par->p);
            finish(m, r);
        } else if (!h) {
            progress_clear(par->p);
            finish(m, sim_report_deadlock(m));
        } else if (m->cfg.max_cycles && h->isa.cycle >= m->cfg.max_cycles) {
            progress_clear(par->p);
            finish(m, sim_report_cycle_limit(m, h));
        } else {
            /* Start the next quantum where the laggard is, so that a
             * machine whose harts all jumped ahead (woken late) does not
             * spin through empty quanta. */
            uint64_t base = h->isa.cycle > par->horizon ? h->isa.cycle
                                                        : par->horizon;
            par->horizon = base + m->cfg.quantum;
            par->next_core = 0;
            progress_tick(m, par->p);
            if (sim_ev_on(&m->ev, SIM_EV_SAMPLE))
                for (uint32_t i = 0; i < m->nharts; i++)
                    sample(m, &m->harts[i]);
        }
    }
    apply_pending_region(m);
    if (m->ev.mask)
        sim_ev_deliver(&m->ev);
    par->done = __atomic_load_n(&m->stop, __ATOMIC_ACQUIRE) != 0;
}

/* Core c's runnable hart with the lowest clock below the horizon, or
 * NULL. */
static SimHart *core_pick(SimMachine *m, uint32_t c, uint64_t horizon)
{
    uint32_t tpc = m->cfg.threads_per_core;
    SimHart *best = NULL;
    for (uint32_t i = c * tpc; i < (c + 1) * tpc && i < m->nharts; i++) {
        SimHart *h = &m->harts[i];
        if (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == SIM_HART_RUNNABLE &&
            h->isa.cycle < horizon && (!best || h->isa.cycle < best->isa.cycle))
            best = h;
    }
    return best;
}

/* Each quantum the workers claim cores one at a time, in order, until
 * every core is taken: a worker that finishes early takes more, so a
 * program whose harts do unequal work (or whose odd harts alone work)
 * keeps every host thread busy.  A core's harts run on the thread that
 * claimed it, the lowest clock first, each to the quantum's end in one
 * go: the lax synchronisation of Graphite and ZSim.  A hart woken after
 * its core was done goes on next quantum, from its clock. */
static void *worker_main(void *arg)
{
    Worker *w = arg;
    Parallel *par = w->par;
    SimMachine *m = par->m;
    for (;;) {
        uint64_t horizon = par->horizon;
        uint32_t c;
        while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE) &&
               (c = __atomic_fetch_add(&par->next_core, 1, __ATOMIC_ACQ_REL))
                   < m->cfg.cores) {
            SimHart *h;
            while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE) &&
                   (h = core_pick(m, c, horizon)) != NULL) {
                int status = step_hart(m, h, horizon);
                if (status >= 0)
                    finish(m, status);
            }
        }
        if (barrier_wait(&par->bar))
            between_quanta(par);
        barrier_wait(&par->bar);
        if (par->done)
            break;
    }
    return NULL;
}

static void run_parallel(SimMachine *m, Progress *p)
{
    uint32_t n = m->cfg.host_threads;
    Parallel par = {.m = m, .p = p, .horizon = m->cfg.quantum};
    par.bar.n = n;
    Worker *w = calloc(n, sizeof *w);
    if (!w) {
        fprintf(stderr, "parsim: cannot start %u host threads\n", n);
        free(w);
        finish(m, SIM_EXIT_USAGE);
        return;
    }
    uint32_t started = 0;
    for (uint32_t i = 0; i < n; i++) {
        w[i] = (Worker){.par = &par, .id = (int)i};
        if (pthread_create(&w[i].th, NULL, worker_main, &w[i]) != 0)
            break;
        started++;
    }
    if (started < n) {
        /* Cannot happen short of host resource exhaustion; the barrier
         * would never fill, so give up loudly. */
        fprintf(stderr, "parsim: cannot start host thread %u: %s\n", started,
                strerror(errno));
        exit(SIM_EXIT_USAGE);
    }
    for (uint32_t i = 0; i < n; i++)
        pthread_join(w[i].th, NULL);
    free(w);
}

int sim_machine_run(SimMachine *m)
{
    Progress p = {.on = m->cfg.progress && isatty(STDERR_FILENO)};
    p.start = sim_now_seconds();
    p.next = p.start + 2.0;
    if (m->cfg.mode == SIM_MODE_PARALLEL && m->cfg.host_threads > 1)
        run_parallel(m, &p);
    else
        run_deterministic(m, &p);
    progress_clear(&p);
    close_region(m);
    sim_ev_deliver(&m->ev);
    char why[600];
    if (m->memsys && m->cfg.coh_check && m->status != SIM_EXIT_MODEL &&
        !memsys_check_end(m->memsys, why, sizeof why)) {
        sim_semihost_flush(&m->sh);
        sim_report_begin(m);
        fprintf(stderr, "parsim: at the end of the run: %s\n", why);
        m->status = SIM_EXIT_MODEL;
    }
    m->host_seconds = sim_now_seconds() - p.start;
    sim_semihost_flush(&m->sh);
    return m->status;
}