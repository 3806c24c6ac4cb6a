/* machine.c — machine assembly, the two schedulers, stop handling and
 * the messages that end a run.
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
 * Every way a run ends other than the program's own exit prints a line
 * `parsim: <what>: hart N, pc 0x... in function+off (file:line), insn ...:
 * <why>` (a deadlock prints one more line per hart).
 */
#include "sim/machine.h"

#include <errno.h>
#include <sched.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "programs/runtime/parsim_ecall.h"

/* ---- assembly -------------------------------------------------------------- */

static CacheGeom geom(const SimCacheConfig *c, uint32_t seed)
{
    return (CacheGeom){c->size, c->assoc, c->line, (CacheRepl)c->repl, seed};
}

/* The memory hierarchy of the configuration: which organisation and
 * topology "auto" means, where cores and nodes sit on the interconnect. */
static bool build_memsys(SimMachine *m, char *err, size_t errlen)
{
    const SimConfig *c = &m->cfg;
    MemSysConfig mc;
    memset(&mc, 0, sizeof mc);
    mc.cores = c->cores;
    mc.threads_per_core = c->threads_per_core;
    mc.nodes = c->numa_nodes;
    mc.l1d = geom(&c->l1d, 1);
    mc.l1d_latency = c->l1d.latency;
    mc.l2_on = c->l2.size != 0;
    mc.l2 = geom(&c->l2, 2);
    mc.l2_latency = c->l2.latency;
    mc.llc = geom(&c->llc, 3);
    mc.llc_latency = c->llc.latency;
    mc.protocol = (CohProtocol)c->protocol;
    bool snoop = c->organisation == 1 ||
                 (c->organisation == 0 && c->numa_nodes == 1 && c->cores <= 8);
    mc.org = snoop ? COH_SNOOP : COH_DIRECTORY;
    mc.dir_latency = c->dir_latency;
    NocTopology topo = c->noc_topology ? (NocTopology)(c->noc_topology - 1)
                                       : snoop ? NOC_BUS : NOC_MESH;
    if (snoop && topo != NOC_BUS) {
        snprintf(err, errlen, "coherence.organisation = snoop needs "
                 "noc.topology = bus (snooping is broadcast on one bus)");
        return false;
    }
    mc.noc.topology = topo;
    /* On a bus every core and every node's home has its own port, so that
     * every message crosses (and occupies) the one shared link. */
    mc.noc.routers = topo == NOC_BUS ? c->cores + c->numa_nodes : c->cores;
    uint32_t w = c->noc_width;
    if ((topo == NOC_MESH || topo == NOC_TORUS) && w == 0)
        for (w = 1; w * w < c->cores || c->cores % w; w++)
            ;
    mc.noc.width = topo == NOC_MESH || topo == NOC_TORUS ? w : 0;
    mc.noc.link_latency = c->link_latency;
    mc.noc.router_latency = c->router_latency;
    mc.noc.link_bytes_per_cycle = c->link_bytes_per_cycle;
    uint32_t per_node = c->numa_nodes ? c->cores / c->numa_nodes : 1;
    for (uint32_t i = 0; i < c->cores && i < 64; i++)
        mc.core_router[i] = i;
    for (uint32_t n = 0; n < c->numa_nodes && n < 64; n++)
        mc.node_router[n] = topo == NOC_BUS ? c->cores + n : n * per_node;
    mc.mem_latency = c->dram_latency;
    mc.mem_bytes_per_cycle = c->mem_bytes_per_cycle;
    mc.placement = (MemPlacement)c->placement;
    mc.bound_node = c->bound_node;
    mc.page_size = c->page_size;
    mc.ctrl_bytes = c->ctrl_bytes;
    mc.locked = c->mode == SIM_MODE_PARALLEL && c->host_threads > 1;
    if (!memsys_config_check(&mc, err, errlen))
        return false;
    m->memsys = memsys_new(&mc);
    if (!m->memsys) {
        snprintf(err, errlen, "out of memory for the memory hierarchy");
        return false;
    }
    return true;
}

bool sim_machine_init(SimMachine *m, const SimConfig *cfg,
                      const SimProgram *prog, int argc, char **argv,
                      char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    m->prog = prog;
    m->status = -1;
    pthread_mutex_init(&m->lock, NULL);
    if (!sim_config_check(cfg, err, errlen))
        return false;
    m->nharts = cfg->cores * cfg->threads_per_core;
    m->mem.base = cfg->ram_base;
    m->mem.size = cfg->ram_size;
    /* calloc: the host only backs the pages the program touches. */
    m->mem.ram = calloc(1, cfg->ram_size);
    m->mem.code_map = calloc(1, (cfg->ram_size >> ISA_CODE_BLOCK_SHIFT) / 8 + 1);
    m->harts = aligned_alloc(64, m->nharts * sizeof *m->harts);
    if (m->harts)
        memset(m->harts, 0, m->nharts * sizeof *m->harts);
    m->core_env = calloc(cfg->cores, sizeof *m->core_env);
    m->flat.hart = aligned_alloc(64, m->nharts * sizeof *m->flat.hart);
    if (m->flat.hart)
        memset(m->flat.hart, 0, m->nharts * sizeof *m->flat.hart);
    m->slot_wait = calloc(m->nharts, sizeof *m->slot_wait);
    if (cfg->threads_per_core > 1)
        m->mt = calloc(cfg->cores, sizeof *m->mt);
    if (!m->mem.ram || !m->mem.code_map || !m->harts || !m->core_env ||
        !m->flat.hart || !m->slot_wait ||
        (cfg->threads_per_core > 1 && !m->mt)) {
        snprintf(err, errlen, "cannot allocate %u MiB of simulated RAM and "
                 "%u harts", cfg->ram_size >> 20, m->nharts);
        return false;
    }
    if (!sim_elf_load(prog, &m->mem, err, errlen))
        return false;
    /* parsim-cc programs put their stacks below __stack: with a smaller
     * RAM they would fault at the first push, far from the cause. */
    const SimSymbol *stack = sim_elf_symbol(prog, "__stack");
    if (stack && !isa_mem_ptr(&m->mem, stack->addr - 4, 4)) {
        snprintf(err, errlen, "the program's stacks end at __stack = 0x%08x, "
                 "outside RAM 0x%08x..0x%08x: give it more RAM (--ram-size)",
                 stack->addr, m->mem.base, m->mem.base + (m->mem.size - 1));
        return false;
    }
    m->flat.latency = cfg->mem_latency;
    if (cfg->timing && cfg->mem_model == SIM_MEM_HIERARCHY &&
        !build_memsys(m, err, errlen))
        return false;
    for (uint32_t c = 0; c < cfg->cores; c++) {
        IsaEnv *env = &m->core_env[c];
        env->mem = &m->mem;
        if (cfg->timing) {
            memcpy(env->cost, cfg->cost, sizeof env->cost);
            env->access = m->memsys ? memsys_access : flatmem_access;
            env->access_ctx = m->memsys ? (void *)m->memsys
                                        : (void *)&m->flat;
        } else {
            for (int i = 0; i < ISA_CLASS_COUNT; i++)
                env->cost[i] = 1;
        }
        if (m->mt) {
            uint32_t first = c * cfg->threads_per_core;
            mtcore_init(&m->mt[c], cfg->mt_policy == SIM_MT_SWITCH_ON_STALL,
                        cfg->switch_penalty, cfg->stall_threshold, first,
                        &m->slot_wait[first]);
            env->issue = mtcore_issue;
            env->issue_ctx = &m->mt[c];
        }
    }
    for (uint32_t i = 0; i < m->nharts; i++) {
        SimHart *h = &m->harts[i];
        /* As on QEMU's virt machine: every hart starts at the entry point
         * in machine mode, told apart by mhartid. */
        if (!isa_hart_init(&h->isa, i, sim_elf_entry(prog))) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        h->isa.marchid = PARSIM_MARCHID;
        h->core = i / cfg->threads_per_core;
        h->thread = i % cfg->threads_per_core;
        h->env = &m->core_env[h->core];
        h->state = SIM_HART_RUNNABLE;
        h->worker = (int)(h->core % (cfg->host_threads ? cfg->host_threads : 1));
    }
    if (!sim_semihost_init(&m->sh, argc, argv) ||
        !sim_semihost_harts(&m->sh, m->nharts)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    uint32_t ram_top = cfg->ram_base + cfg->ram_size;
    m->sh.clock_hz = cfg->clock_hz;
    m->sh.heap_base = sim_elf_top(prog);
    m->sh.stack_base = ram_top;
    m->sh.stack_limit = ram_top - (ram_top - m->sh.heap_base) / 2;
    m->sh.heap_limit = m->sh.stack_limit;
    return true;
}

void sim_machine_free(SimMachine *m)
{
    sim_semihost_free(&m->sh);
    for (uint32_t i = 0; m->harts && i < m->nharts; i++)
        isa_hart_free(&m->harts[i].isa);
    free(m->harts);
    free(m->core_env);
    free(m->mt);
    free(m->flat.hart);
    free(m->slot_wait);
    free(m->locks);
    memsys_free(m->memsys);
    free(m->mem.ram);
    free(m->mem.code_map);
    pthread_mutex_destroy(&m->lock);
    memset(m, 0, sizeof *m);
}

/* ---- reports --------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Before a message on stderr: the program's output so far, and no
 * half-drawn progress line in front of it. */
static void begin_message(SimMachine *m)
{
    fflush(stdout);
    if (m->progress_shown && *m->progress_shown) {
        fputs("\r\033[K", stderr);
        *m->progress_shown = false;
    }
}

/* "hart 0, pc 0x80000010 (main+0x4 (prog.c:12)), insn 0x00000000 (...)" */
static void where(const SimMachine *m, const SimHart *h, const IsaStop *st,
                  char *buf, size_t len)
{
    char loc[256], dis[128] = "";
    sim_elf_describe(m->prog, st->pc, loc, sizeof loc);
    IsaInsn in;
    if (isa_decode(st->insn, &in)) {
        dis[0] = ' ';
        dis[1] = '(';
        int n = isa_disasm(&in, st->pc, dis + 2, sizeof dis - 3,
                           sim_elf_symfn, (void *)m->prog);
        for (int i = 2; i < n + 2; i++)
            if (dis[i] == '\t')
                dis[i] = ' ';
        strcat(dis, ")");
    }
    bool compressed = (st->insn & 3) != 3;
    snprintf(buf, len, "hart %u, pc 0x%08x in %s, insn 0x%0*x%s",
             h->isa.hartid, st->pc, loc, compressed ? 4 : 8,
             compressed ? st->insn & 0xffff : st->insn, dis);
}

static void describe_addr(const SimMachine *m, uint32_t addr, char *buf,
                          size_t len)
{
    const SimSymbol *s = sim_elf_symbol_at(m->prog, addr);
    if (s && s->size && !s->is_func)
        snprintf(buf, len, "0x%08x (%s+%u)", addr, s->name, addr - s->addr);
    else
        snprintf(buf, len, "0x%08x", addr);
}

static int fault(SimMachine *m, const SimHart *h, const IsaStop *st)
{
    char loc[512], addr[200];
    begin_message(m);
    where(m, h, st, loc, sizeof loc);
    describe_addr(m, st->tval, addr, sizeof addr);
    uint32_t end = m->mem.base + (m->mem.size - 1);
    switch (st->cause) {
    case ISA_CAUSE_ILLEGAL:
        fprintf(stderr, "parsim: illegal instruction: %s: not an RV32IMAFC "
                "instruction parsim can execute\n", loc);
        break;
    case ISA_CAUSE_FETCH_ACCESS:
    case ISA_CAUSE_FETCH_MISALIGNED:
        fprintf(stderr, "parsim: instruction fetch fault: hart %u, pc "
                "0x%08x: no code there (RAM is 0x%08x..0x%08x); the last "
                "jump came from a bad pointer or a smashed return address\n",
                h->isa.hartid, st->pc, m->mem.base, end);
        break;
    case ISA_CAUSE_LOAD_ACCESS:
    case ISA_CAUSE_STORE_ACCESS:
        fprintf(stderr, "parsim: %s outside memory: %s: address %s is not "
                "in RAM 0x%08x..0x%08x\n",
                st->cause == ISA_CAUSE_LOAD_ACCESS ? "load" : "store", loc,
                addr, m->mem.base, end);
        break;
    case ISA_CAUSE_LOAD_MISALIGNED:
    case ISA_CAUSE_STORE_MISALIGNED:
        fprintf(stderr, "parsim: misaligned atomic: %s: address %s is not "
                "4-byte aligned (LR/SC and AMOs must be)\n", loc, addr);
        break;
    default:
        fprintf(stderr, "parsim: exception %u: %s: tval 0x%08x\n", st->cause,
                loc, st->tval);
        break;
    }
    return SIM_EXIT_GUEST_FAULT;
}

/* Describe a waiting address for the deadlock report: a lock by its
 * symbol and kind, with its holder when the annotations name one. */
static void describe_wait(const SimMachine *m, const SimHart *h, char *buf,
                          size_t len)
{
    static const char *const kinds[PARSIM_KIND_COUNT] = {
        "lock", "test-and-set lock", "TTAS lock", "TTAS+backoff lock",
        "ticket lock", "array lock", "MCS lock", "mutex", "recursive mutex",
        "semaphore", "condition variable", "barrier", "event"};
    char addr[200];
    int n;
    if (h->state == SIM_HART_PARKED) {
        n = snprintf(buf, len, "parked in wfi (no interrupt will come)");
    } else {
        describe_addr(m, h->wait_addr, addr, sizeof addr);
        n = snprintf(buf, len, "waits on %s", addr);
    }
    if (h->trying && n >= 0 && (size_t)n < len) {
        const SimLock *l = sim_lock_find(m, h->lock_addr);
        describe_addr(m, h->lock_addr, addr, sizeof addr);
        int k = snprintf(buf + n, len - (size_t)n, ", trying to take %s %s",
                         l ? kinds[l->kind] : "lock", addr);
        if (k > 0 && l && l->holder >= 0 && (size_t)(n + k) < len)
            snprintf(buf + n + k, len - (size_t)(n + k), " held by hart %d",
                     l->holder);
    }
}

/* ", called from main+0x2c (prog.c:31)": the first caller of the hart's
 * current code that is not the runtime's own (the lock or wait functions
 * it is blocked in), so that a deadlock points at the program's line. */
static void caller_outside_runtime(const SimMachine *m, const SimHart *h,
                                   char *buf, size_t len)
{
    static const char *const runtime[] = {"parsim.h", "sync.c", "start.c",
                                          "crt0.S", "parsim_sync.h"};
    uint32_t ras[16];
    int n = sim_elf_backtrace(m->prog, &m->mem, h->isa.pc, h->isa.x, ras,
                              16);
    for (int i = 0; i < n; i++) {
        const char *file;
        int line;
        if (!sim_elf_source_line(m->prog, ras[i] - 2, &file, &line))
            continue;
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        bool ours = false;
        for (size_t k = 0; k < sizeof runtime / sizeof runtime[0]; k++)
            ours |= strcmp(base, runtime[k]) == 0;
        if (ours)
            continue;
        char where[256];
        sim_elf_describe(m->prog, ras[i] - 2, where, sizeof where);
        snprintf(buf, len, ", called from %s", where);
        return;
    }
}

static int deadlock(SimMachine *m)
{
    begin_message(m);
    fprintf(stderr, "parsim: deadlock: all %u harts are blocked and none "
            "can wake another:\n", m->nharts);
    for (uint32_t i = 0; i < m->nharts; i++) {
        const SimHart *h = &m->harts[i];
        char loc[256], what[512], from[300] = "";
        sim_elf_describe(m->prog, h->isa.pc, loc, sizeof loc);
        describe_wait(m, h, what, sizeof what);
        caller_outside_runtime(m, h, from, sizeof from);
        fprintf(stderr, "parsim:   hart %u (core %u) at pc 0x%08x in %s %s%s\n",
                i, h->core, h->isa.pc, loc, what, from);
    }
    return SIM_EXIT_DEADLOCK;
}

/* What to do about the stop of hart h: -1 to go on, or the run's exit
 * status (after the message).  Called without m->lock. */
static int handle_stop(SimMachine *m, SimHart *h, const IsaStop *st)
{
    IsaHart *x = &h->isa;
    char err[256], loc[512];
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
        if (!sim_semihost_call(&m->sh, x, &m->mem, err, sizeof err)) {
            where(m, h, st, loc, sizeof loc);
            sim_semihost_flush(&m->sh);
            begin_message(m);
            fprintf(stderr, "parsim: semihosting: %s: %s\n", loc, err);
            status = SIM_EXIT_GUEST_FAULT;
        } else {
            isa_skip(x, h->env, st);
            if (m->sh.exited) {
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
        if (sim_service_call(m, h, err, sizeof err))
            return -1;
        x->pc = st->pc;
        where(m, h, st, loc, sizeof loc);
        begin_message(m);
        fprintf(stderr, "parsim: ecall: %s: %s\n", loc, err);
        return SIM_EXIT_GUEST_FAULT;
    case ISA_STOP_EBREAK:
        if (m->cfg.guest_traps) {
            isa_take_trap(x, ISA_CAUSE_BREAKPOINT, st->pc, st->pc);
            return -1;
        }
        where(m, h, st, loc, sizeof loc);
        begin_message(m);
        fprintf(stderr, "parsim: breakpoint: %s: ebreak with no debugger "
                "attached\n", loc);
        return SIM_EXIT_GUEST_FAULT;
    case ISA_STOP_WFI:
        /* wfi parks the hart: parsim sends no interrupts, so it stays
         * parked; the run goes on while other harts can run. */
        isa_skip(x, h->env, st);
        x->pc = st->pc;
        __atomic_store_n(&h->state, SIM_HART_PARKED, __ATOMIC_RELEASE);
        return -1;
    case ISA_STOP_TRAP:
        if (m->cfg.guest_traps && x->mtvec) {
            isa_take_trap(x, st->cause, st->tval, st->pc);
            return -1;
        }
        begin_message(m);
        return fault(m, h, st);
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

static int cycle_limit(SimMachine *m, const SimHart *h)
{
    char loc[256];
    sim_elf_describe(m->prog, h->isa.pc, loc, sizeof loc);
    begin_message(m);
    fprintf(stderr, "parsim: cycle limit: hart %u, pc 0x%08x in %s: %" PRIu64
            " cycles reached (--max-cycles); the program may be stuck in a "
            "loop\n", h->isa.hartid, h->isa.pc, loc, m->cfg.max_cycles);
    return SIM_EXIT_CYCLE_LIMIT;
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
    double t = now_seconds();
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

/* The runnable hart to run next among those owned by `worker` (-1: all)
 * and below `horizon`, and the clock of the one after it. */
static SimHart *pick(SimMachine *m, int worker, uint64_t horizon,
                     uint64_t *second)
{
    SimHart *best = NULL;
    *second = UINT64_MAX;
    for (uint32_t i = 0; i < m->nharts; i++) {
        SimHart *h = &m->harts[i];
        if ((worker >= 0 && h->worker != worker) ||
            __atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != SIM_HART_RUNNABLE)
            continue;
        uint64_t c = h->isa.cycle;
        if (c >= horizon)
            continue;
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

/* Run h from its clock up to the chosen limit (the next hart's clock plus
 * the granularity, or, with `whole`, the horizon); returns -1 or a
 * status. */
/* While cores share lines (the memory system reports invalidations,
 * transfers, upgrades), harts are switched every FINE_GRANULARITY cycles:
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
    return m->cfg.granularity;
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
    isa_run(&h->isa, h->env, limit, UINT64_MAX, &st);
    return handle_stop(m, h, &st);
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
static bool det_step(SimMachine *m, uint64_t pause)
{
    SimHart *h = m->slice_hart;
    if (!h) {
        uint64_t second;
        h = pick(m, -1, UINT64_MAX, &second);
        if (!h) {
            finish(m, deadlock(m));
            return false;
        }
        if (h->isa.cycle >= pause)
            return false;
        if (m->cfg.max_cycles && h->isa.cycle >= m->cfg.max_cycles) {
            finish(m, cycle_limit(m, h));
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
    }
    /* Paused when every runnable hart has reached the pause. */
    uint64_t lim = m->slice_limit;
    if (h->isa.cycle >= pause) {
        uint64_t second;
        SimHart *low = pick(m, -1, UINT64_MAX, &second);
        if (!low || low->isa.cycle >= pause)
            return false;
    } else if (pause < lim) {
        lim = pause;        /* stop there to look again */
    }
    IsaStop st;
    isa_run(&h->isa, h->env, lim, UINT64_MAX, &st);
    if (st.kind != ISA_STOP_LIMIT || h->isa.cycle >= m->slice_limit)
        m->slice_hart = NULL;
    int status = handle_stop(m, h, &st);
    if (status >= 0) {
        finish(m, status);
        return false;
    }
    return true;
}

bool sim_machine_run_until(SimMachine *m, uint64_t cycle)
{
    while (!m->stop && det_step(m, cycle))
        ;
    if (m->stop)
        sim_semihost_flush(&m->sh);
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
    if (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
        uint64_t second;
        SimHart *h = pick(m, -1, UINT64_MAX, &second);
        if (!h) {
            progress_clear(par->p);
            finish(m, deadlock(m));
        } else if (m->cfg.max_cycles && h->isa.cycle >= m->cfg.max_cycles) {
            progress_clear(par->p);
            finish(m, cycle_limit(m, h));
        } else {
            /* Start the next quantum where the laggard is, so that a
             * machine whose harts all jumped ahead (woken late) does not
             * spin through empty quanta. */
            uint64_t base = h->isa.cycle > par->horizon ? h->isa.cycle
                                                        : par->horizon;
            par->horizon = base + m->cfg.quantum;
            progress_tick(m, par->p);
        }
    }
    par->done = __atomic_load_n(&m->stop, __ATOMIC_ACQUIRE) != 0;
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    Parallel *par = w->par;
    SimMachine *m = par->m;
    for (;;) {
        uint64_t horizon = par->horizon;
        while (!__atomic_load_n(&m->stop, __ATOMIC_ACQUIRE)) {
            uint64_t second;
            SimHart *h = pick(m, w->id, horizon, &second);
            if (!h)
                break;
            /* Within a quantum each hart runs on to its end in one go:
             * the lax synchronisation of Graphite and ZSim. */
            int status = step_hart(m, h, horizon);
            if (status >= 0)
                finish(m, status);
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
    p.start = now_seconds();
    p.next = p.start + 2.0;
    if (m->cfg.mode == SIM_MODE_PARALLEL && m->cfg.host_threads > 1)
        run_parallel(m, &p);
    else
        run_deterministic(m, &p);
    progress_clear(&p);
    m->host_seconds = now_seconds() - p.start;
    sim_semihost_flush(&m->sh);
    return m->status;
}

/* ---- summary and statistics ---------------------------------------------- */

static const char *const kind_names[PARSIM_KIND_COUNT] = {
    "other", "tas", "ttas", "ttas_backoff", "ticket", "array", "mcs",
    "mutex", "recursive_mutex", "semaphore", "condvar", "barrier", "event"};

/* Everything the summary and the JSON say about one hart. */
typedef struct HartFigures {
    uint64_t insns, cycles, mem, fu, blocked, spin, slot;
} HartFigures;

static HartFigures figures(const SimMachine *m, uint32_t i)
{
    const SimHart *h = &m->harts[i];
    const FlatMemCounts *mc = m->memsys ? memsys_hart_counts(m->memsys, i)
                                        : &m->flat.hart[i];
    HartFigures f = {.insns = h->isa.instret, .cycles = h->isa.cycle,
                     .mem = mc->stall, .blocked = h->st.blocked,
                     .spin = h->st.spin, .slot = m->slot_wait[i]};
    /* Functional-unit stalls: the cycles beyond one that the multi-cycle
     * classes cost. */
    static const int fu[] = {ISA_CLASS_MUL, ISA_CLASS_DIV, ISA_CLASS_FADD,
                             ISA_CLASS_FMUL, ISA_CLASS_FFMA, ISA_CLASS_FDIV,
                             ISA_CLASS_FSQRT, ISA_CLASS_FCVT};
    for (size_t k = 0; k < sizeof fu / sizeof fu[0]; k++) {
        uint32_t c = h->env->cost[fu[k]];
        f.fu += h->isa.class_count[fu[k]] * (c > 1 ? c - 1 : 0);
    }
    return f;
}

static void lock_name(const SimMachine *m, uint32_t addr, char *buf,
                      size_t len)
{
    sim_elf_data_name(m->prog, addr, buf, len);
}

void sim_machine_stalls(const SimMachine *m, uint32_t hart, uint64_t out[5])
{
    HartFigures f = figures(m, hart);
    out[0] = f.mem;
    out[1] = f.fu;
    out[2] = f.blocked;
    out[3] = f.spin;
    out[4] = f.slot;
}

void sim_machine_data_name(const SimMachine *m, uint32_t addr, char *buf,
                           size_t len)
{
    lock_name(m, addr, buf, len);
}

static void totals(const SimMachine *m, uint64_t *insns, uint64_t *cycles)
{
    *insns = 0;
    *cycles = 0;
    for (uint32_t i = 0; i < m->nharts; i++) {
        *insns += m->harts[i].isa.instret;
        if (m->harts[i].isa.cycle > *cycles)
            *cycles = m->harts[i].isa.cycle;
    }
}

static void print_count(FILE *f, const char *label, uint64_t v)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    fprintf(f, "  %-16s %s\n", label, out);
}


/* "counter+0", "lock+0 (also counter)" or "0x80400000": a line by the
 * symbols it holds. */
static void line_name(const SimMachine *m, uint32_t line, char *buf,
                      size_t len)
{
    uint32_t size = memsys_config(m->memsys)->l1d.line;
    const SimSymbol *first = sim_elf_symbol_at(m->prog, line);
    if (first && first->is_func)
        first = NULL;
    int n = first ? snprintf(buf, len, "%s%+d", first->name,
                             (int)(line - first->addr))
                  : snprintf(buf, len, "0x%08x", line);
    /* Other variables that share the line (false sharing shows here). */
    int others = 0;
    const SimSymbol *prev = first;
    for (uint32_t a = line + 1; a < line + size && n > 0 && (size_t)n < len;
         a++) {
        const SimSymbol *s = sim_elf_symbol_at(m->prog, a);
        if (!s || s == prev || s->is_func || s->addr != a || !s->size)
            continue;
        prev = s;
        if (others == 3) {
            n += snprintf(buf + n, len - (size_t)n, ", ...");
            others++;
            break;
        }
        n += snprintf(buf + n, len - (size_t)n, "%s%s",
                      others++ ? ", " : first ? " (also " : " (", s->name);
    }
    if (others && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, ")");
}

static void memory_summary(const SimMachine *m, FILE *f)
{
    const MemSys *ms = m->memsys;
    const MemSysConfig *c = memsys_config(ms);
    static const char *const protos[] = {"MSI", "MESI", "MOESI"};
    fprintf(f, "\n  memory: %s %s, %u node%s, L1D %u KiB %u-way, %s%sLLC %u KiB "
            "per node, %s\n", protos[c->protocol],
            c->org == COH_SNOOP ? "snooping bus" : "directory", c->nodes,
            c->nodes > 1 ? "s" : "", c->l1d.size >> 10, c->l1d.assoc,
            c->l2_on ? "L2 " : "", c->l2_on ? "private, " : "",
            c->llc.size >> 10, noc_topology_names[c->noc.topology]);
    fprintf(f, "  cache      accesses       hits  compulsory   capacity   "
            "conflict  coherence  writebacks  inval.recv\n");
    for (uint32_t i = 0; i < c->cores; i++) {
        CacheStats st;
        memsys_l1_stats(ms, i, &st);
        fprintf(f, "  L1D %-4u %10" PRIu64 " %10" PRIu64 " %11" PRIu64 " %10"
                PRIu64 " %10" PRIu64 " %10" PRIu64 " %11" PRIu64 " %11" PRIu64
                "\n", i, st.accesses, st.hits, st.misses[MISS_COMPULSORY],
                st.misses[MISS_CAPACITY], st.misses[MISS_CONFLICT],
                st.misses[MISS_COHERENCE], st.writebacks, st.invalidations);
    }
    for (uint32_t i = 0; i < c->nodes; i++) {
        CacheStats st;
        memsys_llc_stats(ms, i, &st);
        fprintf(f, "  LLC %-4u %10" PRIu64 " %10" PRIu64 " %11" PRIu64 " %10"
                PRIu64 " %10" PRIu64 " %10" PRIu64 " %11" PRIu64 "\n", i,
                st.accesses, st.hits, st.misses[MISS_COMPULSORY],
                st.misses[MISS_CAPACITY], st.misses[MISS_CONFLICT],
                st.misses[MISS_COHERENCE], st.writebacks);
    }
    fprintf(f, "  messages:");
    for (int t = 0; t < MSG_COUNT; t++)
        fprintf(f, " %s %" PRIu64, coh_msg_names[t], memsys_msg_count(ms, t));
    fputc('\n', f);
    for (uint32_t i = 0; i < c->nodes; i++) {
        const MemCtl *mc = memsys_memctl(ms, i);
        fprintf(f, "  memory controller %u: %" PRIu64 " requests, %" PRIu64
                " cycles queueing\n", i, mc->requests, mc->queue_cycles);
    }
    /* The busiest links. */
    const Noc *noc = memsys_noc(ms);
    uint64_t cycles = 0;
    for (uint32_t i = 0; i < m->nharts; i++)
        if (m->harts[i].isa.cycle > cycles)
            cycles = m->harts[i].isa.cycle;
    uint32_t nl = noc_link_count(noc), shown = 0;
    bool used[4096] = {false};
    while (shown < 6 && shown < nl) {
        int best = -1;
        NocLinkStats bs = {0}, ls;
        for (uint32_t i = 0; i < nl && i < 4096; i++) {
            noc_link_stats(noc, i, &ls);
            if (!used[i] && ls.packets && (best < 0 ||
                                           ls.busy_cycles > bs.busy_cycles)) {
                best = (int)i;
                bs = ls;
            }
        }
        if (best < 0)
            break;
        used[best] = true;
        if (shown++ == 0)
            fprintf(f, "  busiest links:\n");
        fprintf(f, "    %u->%u: %" PRIu64 " packets, %" PRIu64 " bytes, %.1f%% "
                "busy, %" PRIu64 " cycles waiting\n", bs.from, bs.to,
                bs.packets, bs.bytes,
                cycles ? 100.0 * (double)bs.busy_cycles / (double)cycles : 0.0,
                bs.wait_cycles);
    }
    LineStats hot[8];
    size_t n = memsys_hot_lines(ms, hot, 8);
    if (n)
        fprintf(f, "  hottest lines: invalidations  transfers     misses  line\n");
    for (size_t i = 0; i < n; i++) {
        char name[160];
        line_name(m, hot[i].line, name, sizeof name);
        fprintf(f, "    %25" PRIu64 " %10" PRIu64 " %10" PRIu64 "  %s\n",
                hot[i].invalidations, hot[i].transfers, hot[i].misses, name);
    }
}

void sim_machine_summary(const SimMachine *m, FILE *f)
{
    if (m->program_exited)
        fprintf(f, "parsim: %s exited with status %d\n",
                sim_elf_path(m->prog), m->status);
    else
        fprintf(f, "parsim: %s stopped by parsim (status %d)\n",
                sim_elf_path(m->prog), m->status);
    uint64_t insns, cycles;
    totals(m, &insns, &cycles);
    print_count(f, "instructions", insns);
    print_count(f, "cycles", cycles);
    fprintf(f, "  %-16s %.3f\n", "IPC",
            cycles ? (double)insns / (double)cycles : 0.0);
    fprintf(f, "  %-16s %.3f s\n", "host time", m->host_seconds);
    fprintf(f, "  %-16s %.1f\n", "simulated MIPS",
            m->host_seconds > 0 ? (double)insns / m->host_seconds / 1e6
                                : 0.0);
    if (m->nharts > 1) {
        fprintf(f, "  %-16s %u cores x %u threads, %s", "machine",
                m->cfg.cores, m->cfg.threads_per_core,
                m->cfg.mode == SIM_MODE_PARALLEL && m->cfg.host_threads > 1
                    ? "parallel" : "deterministic");
        if (m->cfg.mode == SIM_MODE_PARALLEL && m->cfg.host_threads > 1)
            fprintf(f, " (%u host threads, quantum %u)", m->cfg.host_threads,
                    m->cfg.quantum);
        fputc('\n', f);
        fprintf(f, "\n  hart core  instructions        cycles   IPC  "
                "stalled: memory  func.unit    blocked   spinning  "
                "issue-slot\n");
        for (uint32_t i = 0; i < m->nharts; i++) {
            HartFigures h = figures(m, i);
            fprintf(f, "  %4u %4u %13" PRIu64 " %13" PRIu64 " %5.2f %16"
                    PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %11"
                    PRIu64 "\n", i, m->harts[i].core, h.insns, h.cycles,
                    h.cycles ? (double)h.insns / (double)h.cycles : 0.0,
                    h.mem, h.fu, h.blocked, h.spin, h.slot);
        }
    }
    if (m->memsys)
        memory_summary(m, f);
    if (m->nlocks) {
        fprintf(f, "\n  lock                       kind              "
                "acquired   wait total   wait max  hand-offs\n");
        for (size_t i = 0; i < m->nlocks; i++) {
            const SimLock *l = &m->locks[i];
            char name[64];
            lock_name(m, l->addr, name, sizeof name);
            fprintf(f, "  %-26s %-16s %9" PRIu64 " %12" PRIu64 " %10" PRIu64
                    " %10" PRIu64 "\n", name, kind_names[l->kind],
                    l->acquisitions, l->wait_total, l->wait_max, l->handoffs);
        }
    }
}


static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_cache(FILE *f, const char *key, const CacheStats *st,
                       uint32_t id, bool last)
{
    fprintf(f, "      {\"%s\": %u, \"accesses\": %" PRIu64 ", \"hits\": %" PRIu64
            ", \"misses\": {", key, id, st->accesses, st->hits);
    for (int c = 0; c < MISS_CLASS_COUNT; c++)
        fprintf(f, "%s\"%s\": %" PRIu64, c ? ", " : "", miss_class_names[c],
                st->misses[c]);
    fprintf(f, "}, \"writebacks\": %" PRIu64 ", \"invalidations_received\": %"
            PRIu64 ", \"upgrades\": %" PRIu64 "}%s\n", st->writebacks,
            st->invalidations, st->upgrades, last ? "" : ",");
}

static void json_memory(const SimMachine *m, FILE *f)
{
    const MemSys *ms = m->memsys;
    const MemSysConfig *c = memsys_config(ms);
    static const char *const protos[] = {"msi", "mesi", "moesi"};
    fprintf(f, "  \"memory\": {\n    \"protocol\": \"%s\", \"organisation\": "
            "\"%s\", \"nodes\": %u, \"topology\": \"%s\",\n",
            protos[c->protocol], c->org == COH_SNOOP ? "snoop" : "directory",
            c->nodes, noc_topology_names[c->noc.topology]);
    fprintf(f, "    \"l1d\": [\n");
    for (uint32_t i = 0; i < c->cores; i++) {
        CacheStats st;
        memsys_l1_stats(ms, i, &st);
        json_cache(f, "core", &st, i, i + 1 == c->cores);
    }
    fprintf(f, "    ],\n    \"l2\": [\n");
    for (uint32_t i = 0; c->l2_on && i < c->cores; i++) {
        CacheStats st;
        memsys_l2_stats(ms, i, &st);
        json_cache(f, "core", &st, i, i + 1 == c->cores);
    }
    fprintf(f, "    ],\n    \"llc\": [\n");
    for (uint32_t i = 0; i < c->nodes; i++) {
        CacheStats st;
        memsys_llc_stats(ms, i, &st);
        json_cache(f, "node", &st, i, i + 1 == c->nodes);
    }
    fprintf(f, "    ],\n    \"messages\": {");
    for (int t = 0; t < MSG_COUNT; t++)
        fprintf(f, "%s\"%s\": %" PRIu64, t ? ", " : "", coh_msg_names[t],
                memsys_msg_count(ms, t));
    fprintf(f, "},\n    \"memory_controllers\": [\n");
    for (uint32_t i = 0; i < c->nodes; i++) {
        const MemCtl *mc = memsys_memctl(ms, i);
        fprintf(f, "      {\"node\": %u, \"requests\": %" PRIu64 ", \"bytes\": %"
                PRIu64 ", \"queue_cycles\": %" PRIu64 ", \"busy_cycles\": %"
                PRIu64 "}%s\n", i, mc->requests, mc->bytes, mc->queue_cycles,
                mc->busy_cycles, i + 1 == c->nodes ? "" : ",");
    }
    fprintf(f, "    ],\n    \"links\": [\n");
    const Noc *noc = memsys_noc(ms);
    uint32_t nl = noc_link_count(noc);
    for (uint32_t i = 0; i < nl; i++) {
        NocLinkStats ls;
        noc_link_stats(noc, i, &ls);
        fprintf(f, "      {\"from\": %u, \"to\": %u, \"packets\": %" PRIu64
                ", \"bytes\": %" PRIu64 ", \"busy_cycles\": %" PRIu64
                ", \"wait_cycles\": %" PRIu64 "}%s\n", ls.from, ls.to,
                ls.packets, ls.bytes, ls.busy_cycles, ls.wait_cycles,
                i + 1 == nl ? "" : ",");
    }
    fprintf(f, "    ],\n    \"hot_lines\": [\n");
    LineStats hot[16];
    size_t n = memsys_hot_lines(ms, hot, 16);
    for (size_t i = 0; i < n; i++) {
        char name[160];
        line_name(m, hot[i].line, name, sizeof name);
        fprintf(f, "      {\"line\": \"0x%08x\", \"symbol\": ", hot[i].line);
        json_string(f, name);
        fprintf(f, ", \"invalidations\": %" PRIu64 ", \"transfers\": %" PRIu64
                ", \"misses\": %" PRIu64 ", \"upgrades\": %" PRIu64 "}%s\n",
                hot[i].invalidations, hot[i].transfers, hot[i].misses,
                hot[i].upgrades, i + 1 == n ? "" : ",");
    }
    fprintf(f, "    ]\n  },\n");
}

bool sim_machine_write_stats(const SimMachine *m, const char *path,
                             char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    uint64_t insns, cycles;
    totals(m, &insns, &cycles);
    const SimConfig *c = &m->cfg;
    bool par = c->mode == SIM_MODE_PARALLEL && c->host_threads > 1;
    fprintf(f, "{\n  \"schema\": \"parsim-stats-1\",\n  \"program\": ");
    json_string(f, sim_elf_path(m->prog));
    fprintf(f, ",\n  \"exit_status\": %d,\n  \"program_exited\": %s,\n",
            m->status, m->program_exited ? "true" : "false");
    fprintf(f, "  \"machine\": {\"name\": ");
    json_string(f, c->name);
    fprintf(f, ", \"cores\": %u, \"threads_per_core\": %u, \"harts\": %u, "
            "\"mt_policy\": \"%s\", \"mode\": \"%s\", \"host_threads\": %u, "
            "\"quantum\": %u, \"timing\": %s},\n", c->cores,
            c->threads_per_core, m->nharts,
            c->mt_policy == SIM_MT_SWITCH_ON_STALL ? "switch_on_stall"
                                                   : "interleaved",
            par ? "parallel" : "deterministic", par ? c->host_threads : 1,
            c->quantum, c->timing ? "true" : "false");
    fprintf(f, "  \"totals\": {\"instructions\": %" PRIu64 ", \"cycles\": %"
            PRIu64 "},\n  \"harts\": [\n", insns, cycles);
    for (uint32_t i = 0; i < m->nharts; i++) {
        const SimHart *h = &m->harts[i];
        HartFigures x = figures(m, i);
        const FlatMemCounts *mc = m->memsys ? memsys_hart_counts(m->memsys, i)
                                            : &m->flat.hart[i];
        fprintf(f, "    {\"hart\": %u, \"core\": %u, \"thread\": %u, "
                "\"instructions\": %" PRIu64 ", \"cycles\": %" PRIu64 ", "
                "\"issue_slot_use\": %.4f, \"stalls\": {\"memory\": %" PRIu64
                ", \"functional_units\": %" PRIu64 ", \"blocked\": %" PRIu64
                ", \"spinning\": %" PRIu64 ", \"issue_slot\": %" PRIu64 "}, "
                "\"loads\": %" PRIu64 ", \"stores\": %" PRIu64 ", \"atomics\": %"
                PRIu64 ", \"lock_acquisitions\": %" PRIu64 ", \"wakes_sent\": %"
                PRIu64 "}%s\n", i, h->core, h->thread, x.insns, x.cycles,
                x.cycles ? (double)x.insns / (double)x.cycles : 0.0, x.mem,
                x.fu, x.blocked, x.spin, x.slot, mc->loads, mc->stores,
                mc->amos, h->st.acquisitions, h->st.wakes_sent,
                i + 1 < m->nharts ? "," : "");
    }
    fprintf(f, "  ],\n");
    if (m->memsys)
        json_memory(m, f);
    fprintf(f, "  \"locks\": [\n");
    for (size_t i = 0; i < m->nlocks; i++) {
        const SimLock *l = &m->locks[i];
        char name[64];
        lock_name(m, l->addr, name, sizeof name);
        fprintf(f, "    {\"address\": \"0x%08x\", \"symbol\": ", l->addr);
        json_string(f, name);
        fprintf(f, ", \"kind\": \"%s\", \"acquisitions\": %" PRIu64 ", "
                "\"wait_cycles_total\": %" PRIu64 ", \"wait_cycles_max\": %"
                PRIu64 ", \"handoffs\": %" PRIu64 ", \"hold_cycles_total\": %"
                PRIu64 "}%s\n", kind_names[l->kind], l->acquisitions,
                l->wait_total, l->wait_max, l->handoffs, l->hold_total,
                i + 1 < m->nlocks ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}
