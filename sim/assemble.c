/* assemble.c — the machine from its configuration: RAM and the program
 * in it, harts, each core's timing environment (cost table, memory model,
 * issue slots of a multithreaded core), the memory hierarchy with the
 * organisation and topology "auto" stands for, and the semihosting
 * state; and the machine's end.  Plus the small accessors machine.h
 * promises.
 */
#include "sim/machine_priv.h"
#include "sim/gpu.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double sim_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- assembly -------------------------------------------------------------- */

static CacheGeom geom(const SimCacheConfig *c, uint32_t seed)
{
    return (CacheGeom){c->size, c->assoc, c->line, (CacheRepl)c->repl, seed};
}

/* The memory hierarchy's configuration (c resolved); false with a reason
 * when the keys contradict each other. */
static bool memsys_config_of(const SimConfig *c, MemSysConfig *out,
                             uint64_t *rank_span, char *err, size_t errlen)
{
    const uint32_t nranks = c->ranks;
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
    bool snoop = sim_config_snoops(c);
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
    /* Ranks: a router per node, its cores and its interface on it (the
     * node's own bus is not modelled); else a router per core. */
    uint32_t tiles = nranks ? nranks : c->cores;
    mc.noc.routers = topo == NOC_BUS && !nranks ? c->cores + c->numa_nodes
                                                   : tiles;
    uint32_t w = c->noc_width;
    if ((topo == NOC_MESH || topo == NOC_TORUS) && w == 0)
        for (w = 1; w * w < tiles || tiles % w; w++)
            ;
    mc.noc.width = topo == NOC_MESH || topo == NOC_TORUS ? w : 0;
    mc.noc.link_latency = c->link_latency;
    mc.noc.router_latency = c->router_latency;
    mc.noc.link_bytes_per_cycle = c->link_bytes_per_cycle;
    uint32_t per_node = c->numa_nodes ? c->cores / c->numa_nodes : 1;
    for (uint32_t i = 0; i < c->cores && i < 64; i++)
        mc.core_router[i] = nranks ? i / c->cores_per_node : i;
    for (uint32_t n = 0; n < c->numa_nodes && n < 64; n++)
        mc.node_router[n] = nranks ? n
                          : topo == NOC_BUS ? c->cores + n : n * per_node;
    mc.mem_latency = c->dram_latency;
    mc.mem_bytes_per_cycle = c->mem_bytes_per_cycle;
    mc.placement = (MemPlacement)c->placement;
    mc.bound_node = c->bound_node;
    mc.page_size = c->page_size;
    mc.ctrl_bytes = c->ctrl_bytes;
    if (nranks) {
        /* Ranks' memories are separate: the hierarchy tells their lines
         * apart by the node's bits above a span of the address. */
        uint32_t shift = 12;
        while ((1ull << shift) < c->ram_size && shift < 31)
            shift++;
        while (shift > 12 && ((uint64_t)nranks << shift) > (1ull << 32))
            shift--;
        mc.placement = PLACE_PRIVATE;
        mc.private_shift = shift;
        mc.addr_mask = (uint32_t)((1ull << shift) - 1);
        mc.ram_base = c->ram_base;
        for (uint32_t i = 0; i < c->cores && i < 64; i++)
            mc.core_tag[i] = (uint32_t)((uint64_t)(i / c->cores_per_node)
                                        << shift);
        *rank_span = 1ull << shift;
    }
    mc.locked = c->mode == SIM_MODE_PARALLEL && c->host_threads > 1;
    mc.check = c->coh_check;
    mc.store_buffer = c->store_buffer;
    mc.hit_filter = c->hit_filter;
    mc.nack = c->coh_busy == 1;
    mc.nack_retry = c->nack_retry;
    /* Deterministic mode: racing misses in the order of their cycles
     * (ranks share no lines; one core races with nobody). */
    mc.defer = c->mode != SIM_MODE_PARALLEL && !nranks && c->cores > 1;
    if (!memsys_config_check(&mc, err, errlen))
        return false;
    *out = mc;
    return true;
}

bool sim_machine_config_check(const SimConfig *cfg, char *err, size_t errlen)
{
    SimConfig c = *cfg;
    sim_config_resolve(&c);
    if (!sim_config_check(&c, err, errlen))
        return false;
    MemSysConfig mc;
    uint64_t span = 0;
    if (c.timing && c.mem_model == SIM_MEM_HIERARCHY &&
        !memsys_config_of(&c, &mc, &span, err, errlen))
        return false;
    return sim_gpu_config_check(&c, err, errlen);
}

/* The memory hierarchy of the configuration: which organisation and
 * topology "auto" means, where cores and nodes sit on the interconnect. */
static bool build_memsys(SimMachine *m, char *err, size_t errlen)
{
    MemSysConfig mc;
    if (!memsys_config_of(&m->cfg, &mc, &m->rank_span, err, errlen))
        return false;
    m->memsys = memsys_new(&mc);
    m->varc = sim_stat_varcache_new();
    if (!m->memsys) {
        snprintf(err, errlen, "out of memory for the memory hierarchy");
        return false;
    }
    return true;
}

/* The models see the bus only while someone listens, so that with nobody
 * listening each of their checks is one pointer test; and while someone
 * listens to ACCESS events the cores use the memory hierarchy's entry
 * point that publishes them (the bus says when its mask changes). */
static void access_hook(void *ctx, uint32_t mask)
{
    SimMachine *m = ctx;
    memsys_set_events(m->memsys, mask ? &m->ev : NULL);
    bool traced = (mask & SIM_EV_BIT(SIM_EV_ACCESS)) != 0;
    for (uint32_t c = 0; m->cfg.timing && c < m->cfg.cores; c++) {
        m->core_env[c].access = traced ? memsys_access_traced
                                       : memsys_access;
        m->core_env[c].hit_filter = !traced;   /* it would not publish */
    }
}

/* The program's output is about to reach the terminal: no half-drawn
 * progress line in front of it (the next tick draws it again). */
static void clear_progress(void *ctx)
{
    SimMachine *m = ctx;
    if (m->progress_shown && *m->progress_shown) {
        fputs("\r\033[K", stderr);
        *m->progress_shown = false;
    }
}

/* parsim-cc programs (their runtime's symbols say so) keep one stack of
 * run.stack_size per hart, __parsim_max_harts of them, at the top of
 * their RAM, and the heap below (PARSIM_FN_MEMORY tells the start-up
 * code): they must fit above the program's image. */
static bool stack_layout(SimMachine *m, const SimProgram *prog, char *err,
                         size_t errlen)
{
    uint32_t hs, mh, ts = 0, align = 1;
    if (!sim_elf_value(prog, "__parsim_hart_stack", &hs) ||
        !sim_elf_value(prog, "__parsim_max_harts", &mh) || !mh || mh > 1024)
        return true;              /* not a parsim-cc program: no guards */
    (void)sim_elf_value(prog, "__tls_size", &ts);
    if (!sim_elf_value(prog, "__tls_align", &align) || !align)
        align = 1;
    uint64_t size = m->cfg.stack_size, area = (uint64_t)mh * size;
    uint32_t top = m->mem.base + m->mem.size, image = sim_elf_top(prog);
    if (area + (image - m->mem.base) > m->mem.size) {
        snprintf(err, errlen, "configuration: %u stacks of run.stack_size = "
                 "%" PRIu64 " KiB (%" PRIu64 " KiB) do not fit in RAM above "
                 "the program (0x%08x..0x%08x): give it more RAM (--ram-size) "
                 "or smaller stacks", mh, size >> 10, area >> 10, image,
                 top - 1);
        return false;
    }
    m->stack_harts = mh;
    m->tls_reserve = (ts + align - 1) / align * align;
    if (m->tls_reserve > size / 4) {
        snprintf(err, errlen, "configuration: the program's thread-local "
                 "data (%u bytes) takes more than a quarter of a stack of "
                 "run.stack_size = %" PRIu64 " bytes", m->tls_reserve, size);
        return false;
    }
    return true;
}

static bool init(SimMachine *m, const SimConfig *cfg, const SimProgram *prog,
                 int argc, char **argv, char *err, size_t errlen)
{
    m->cfg = *cfg;
    sim_config_resolve(&m->cfg);
    cfg = &m->cfg;
    m->prog = prog;
    m->argc = argc;
    m->argv = argv;
    m->roi.pending = -1;
    m->status = -1;
    m->end_status = -1;
    m->nranks = cfg->ranks;
    pthread_mutex_init(&m->lock, NULL);
    if (!sim_config_check(cfg, err, errlen))
        return false;
    m->nharts = cfg->cores * cfg->threads_per_core;
    m->harts_per_rank = m->nranks ? m->nharts / m->nranks : m->nharts;
    if (!sim_ev_init(&m->ev, m->nharts)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    m->ev.grow = cfg->mode == SIM_MODE_PARALLEL && cfg->host_threads > 1;
    m->mem.base = cfg->ram_base;
    m->mem.size = cfg->ram_size;
    m->mem.resv_bytes = cfg->resv_bytes;
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
    /* Each further rank: its own RAM with its own copy of the program. */
    if (m->nranks > 1) {
        m->rank_mem = calloc(m->nranks - 1, sizeof *m->rank_mem);
        if (!m->rank_mem) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        for (uint32_t r = 1; r < m->nranks; r++) {
            IsaMem *x = &m->rank_mem[r - 1];
            x->base = cfg->ram_base;
            x->size = cfg->ram_size;
            x->resv_bytes = cfg->resv_bytes;
            x->ram = calloc(1, cfg->ram_size);
            x->code_map = calloc(1, (cfg->ram_size >> ISA_CODE_BLOCK_SHIFT) /
                                        8 + 1);
            if (!x->ram || !x->code_map) {
                snprintf(err, errlen, "cannot allocate %u MiB of simulated "
                         "RAM for rank %u", cfg->ram_size >> 20, r);
                return false;
            }
            if (!sim_elf_load(prog, x, err, errlen))
                return false;
        }
    }
    if (!stack_layout(m, prog, err, errlen))
        return false;
    m->flat.latency = cfg->mem_latency;
    if (cfg->timing && cfg->mem_model == SIM_MEM_HIERARCHY &&
        !build_memsys(m, err, errlen))
        return false;
    if (m->memsys) {
        m->ev.changed = access_hook;
        m->ev.changed_ctx = m;
    }
    for (uint32_t c = 0; c < cfg->cores; c++) {
        IsaEnv *env = &m->core_env[c];
        uint32_t rank = m->nranks ? c / cfg->cores_per_node : 0;
        env->mem = rank ? &m->rank_mem[rank - 1] : &m->mem;
        if (cfg->timing) {
            memcpy(env->cost, cfg->cost, sizeof env->cost);
            env->access = m->memsys ? memsys_access : flatmem_access;
            env->hit_filter = m->memsys != NULL;
            env->access_ctx = m->memsys ? (void *)m->memsys
                                        : (void *)&m->flat;
        } else {
            for (int i = 0; i < ISA_CLASS_COUNT; i++)
                env->cost[i] = 1;
        }
        env->blocks = cfg->decoded_blocks;
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
        /* A rank's node is a machine of its own: its harts count from 0. */
        h->rank = i / m->harts_per_rank;
        h->isa.mhartid = i % m->harts_per_rank;
        h->core = i / cfg->threads_per_core;
        h->thread = i % cfg->threads_per_core;
        h->env = &m->core_env[h->core];
        if (m->memsys)
            h->isa.hits = memsys_hit_filter(m->memsys, i);
        h->state = SIM_HART_RUNNABLE;
        /* Its stack's guard: the region below its limit (the next hart's
         * stack, or the heap's end), where sp goes when it overflows. */
        uint32_t n = h->isa.mhartid;
        if (n < m->stack_harts) {
            uint32_t top = m->mem.base + m->mem.size - n * cfg->stack_size;
            uint32_t limit = top - cfg->stack_size + (n ? m->tls_reserve : 0);
            h->stack_top = top;
            h->isa.stack_lo = limit - cfg->stack_size;
            h->isa.stack_guard = cfg->stack_size;
        }
    }
    if (!sim_breaks_init(m)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    if (!sim_semihost_init(&m->sh, argc, argv) ||
        !sim_semihost_harts(&m->sh, m->nharts)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    if (!sim_semihost_sandbox(&m->sh, cfg->host_fs, err, errlen))
        return false;
    m->sh.before_output = clear_progress;
    m->sh.before_ctx = m;
    uint32_t ram_top = cfg->ram_base + cfg->ram_size;
    m->sh.clock_hz = cfg->clock_hz;
    m->sh.heap_base = sim_elf_top(prog);
    m->sh.stack_base = ram_top;
    m->sh.stack_limit = m->stack_harts
        ? ram_top - m->stack_harts * cfg->stack_size
        : ram_top - (ram_top - m->sh.heap_base) / 2;
    m->sh.heap_limit = m->sh.stack_limit;
    if (!sim_mp_init(m, err, errlen))
        return false;
    return sim_gpu_new(m, err, errlen);
}

SimMachine *sim_machine_new(const SimConfig *cfg, const SimProgram *prog,
                            int argc, char **argv, char *err, size_t errlen)
{
    SimMachine *m = aligned_alloc(64, (sizeof *m + 63) & ~(size_t)63);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    memset(m, 0, sizeof *m);
    if (!init(m, cfg, prog, argc, argv, err, errlen)) {
        sim_machine_free(m);
        return NULL;
    }
    return m;
}

void sim_machine_free(SimMachine *m)
{
    if (!m)
        return;
    sim_ev_free(&m->ev);
    sim_roi_free(&m->roi);
    sim_semihost_free(&m->sh);
    for (uint32_t i = 0; m->harts && i < m->nharts; i++)
        isa_hart_free(&m->harts[i].isa);
    free(m->harts);
    free(m->runq);
    free(m->core_env);
    free(m->mt);
    free(m->flat.hart);
    free(m->slot_wait);
    free(m->locks);
    sim_mp_free(m);
    sim_gpu_free(m);
    sim_stat_varcache_free(m->varc);
    free(m->breaks);
    for (uint32_t i = 0; m->watch_was && i < m->nwatches; i++)
        free(m->watch_was[i]);
    free(m->watch_was);
    free(m->watches);
    memsys_free(m->memsys);
    for (uint32_t r = 1; m->rank_mem && r < m->nranks; r++) {
        free(m->rank_mem[r - 1].ram);
        free(m->rank_mem[r - 1].code_map);
    }
    free(m->rank_mem);
    free(m->mem.ram);
    free(m->mem.code_map);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

int sim_machine_status(const SimMachine *m) { return m->status; }

bool sim_machine_program_exited(const SimMachine *m)
{
    return m->program_exited;
}

SimEvBus *sim_machine_events(SimMachine *m) { return &m->ev; }
