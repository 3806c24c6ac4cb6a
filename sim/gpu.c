/* gpu.c — the SIMT GPU array: streaming multiprocessors (SMs) running the
 * blocks of one kernel at a time, warps of lanes executing RV32IMAFC code
 * of the program's own ELF, the warp scheduler, the services behind
 * <parsim_gpu.h>, and where a kernel's time goes.
 *
 * A lane is an IsaHart.  A warp issues one instruction for the lanes at
 * the pc it chooses (deepest call first, then the lowest pc: structured
 * code reconverges by itself) and the others wait; every lane of the
 * issue runs that one instruction through isa_run, and the accesses they
 * made (the access hook only records them) are timed together: shared
 * memory by its banks, global memory through the coalescer and the GPU's
 * L1/L2 (models/simt.c), the stack as L1 hits.  The warp is then not
 * ready again until the instruction's latency has passed; the scheduler
 * issues another warp meanwhile, which is how an SM hides latency.
 *
 * Time: each SM has a clock.  sim_gpu_advance runs the SM with the lowest
 * clock one issue at a time until all have reached the cycle asked for;
 * the schedulers call it with the clock of the hart they are about to
 * run, so the array keeps pace with the cores, deterministically.
 */
#include "sim/gpu.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A0 = 10, A1 = 11, A2 = 12, A3 = 13, A6 = 16, A7 = 17 };

enum { LANE_OFF, LANE_ACTIVE, LANE_BARRIER, LANE_EXITED };

#define MAX_QUEUE 64u             /* kernels launched and not finished */
#define MAX_DEVMEM 256u           /* gpu_malloc regions */

typedef struct Lane {
    IsaHart isa;
    uint32_t csr[ISA_SIMT_CSR_COUNT];
    uint64_t last_issue;          /* the warp's issue count when it last ran */
    uint16_t depth;               /* call depth (jal/jalr with ra) */
    uint8_t state;
} Lane;

typedef struct Warp Warp;
struct Warp {
    /* Whether the slot is live, when the warp is ready again and what it
     * waits for are the SM's (Sm.live, ready, wait), by slot. */
    uint32_t block;               /* its block's slot in the SM */
    uint32_t index;               /* warp within the block */
    uint64_t issues;
    uint32_t starve;              /* issues since every waiting lane ran */
    uint32_t pc, mask;            /* the last issue: its pc and lanes */
    uint32_t active;              /* lanes in LANE_ACTIVE, a bit each */
    bool converged;               /* every active lane is at conv_pc */
    bool split;                   /* a branch parted its lanes since they
                                     last all met */
    uint32_t conv_pc;
    uint64_t conv_issue;          /* the last issue while converged */
    IsaHart *hp[SIMT_MAX_LANES];  /* &lane[i].isa */
    uint32_t nlanes;
    Lane lane[SIMT_MAX_LANES];
};

typedef struct Block {
    bool live;
    uint64_t start;               /* cycle it was dispatched */
    uint32_t id, idx[3];
    uint32_t threads, warps, arrived, exited;
    uint32_t first_warp;          /* its warps are slots first_warp.. */
    uint8_t *smem;
    IsaWindow win[3];             /* shared memory, stacks, arguments */
    IsaEnv env;
} Block;


typedef struct Sm {
    uint32_t id;
    uint64_t clock;
    uint64_t lsu_free;            /* the load/store unit's next free cycle */
    Warp *warps;                  /* gpu.max_warps_per_sm slots */
    Block *blocks;                /* gpu.max_blocks_per_sm slots */
    uint32_t nwarps, nblocks, regs_used, smem_used;
    uint32_t last;                /* the warp issued last (greedy) */
    /* The warps' scheduling state, compact (a Warp is large): per slot a
     * bit of live and of "has running lanes", when it is ready again,
     * what it waits for (0 nothing, 1 memory, 2 an earlier result). */
    uint64_t live, cand;
    uint64_t *ready;
    uint8_t *wait;
    uint8_t *order;               /* live slots, oldest first */
    uint32_t norder;
    uint8_t *local;               /* the stacks' window */
    IsaHart dc_owner;             /* owns the decode cache the lanes share,
                                     and the issues' decoding (isa_decoded) */
    /* What the lanes of the current issue accessed (the access hook). */
    struct Warp *cur_warp;
    uint32_t acc_mask;
    uint32_t acc_addr[SIMT_MAX_LANES];
    uint8_t acc_size[SIMT_MAX_LANES];
    uint8_t acc_kind[SIMT_MAX_LANES];
    uint32_t bank_heat[64];       /* accesses per bank, this kernel */
    uint32_t last_lanes, last_lines, last_sectors;   /* the window's */
} Sm;

typedef struct Kernel {
    struct parsim_gpu_launch l;
    uint8_t args[PARSIM_GPU_MAX_ARGS];
    uint32_t gp, tp;
    uint32_t hart;                /* who launched it */
    uint64_t launched, start;
    uint32_t nblocks, next_block, done_blocks;
    uint32_t threads_per_block, warps_per_block;
    uint32_t stats;               /* index into kstats */
    uint32_t seq;                 /* launches before it */
} Kernel;

struct SimGpu {
    SimConfig cfg;                /* a copy: the gpu section and costs */
    Sm *sm;
    uint32_t nsm;
    SimtMem *mem;
    IsaMem *ram;
    Kernel queue[MAX_QUEUE];
    uint32_t qhead;               /* the queue's first; its length is
                                     SimMachine.gpu_kernels */
    uint64_t idle_since;          /* when the last kernel ended */
    SimGpuKernelStats *ks;
    uint32_t nks, ks_cap;
    struct { uint32_t addr, size; } dev[MAX_DEVMEM];
    uint32_t ndev;
    MemCtl copy;                  /* gpu_memcpy's link (or memory) */
    uint64_t copy_bytes, copy_cycles;
    uint32_t launches;
    SimEvBus *ev;
    uint32_t max_threads_per_block;
    uint32_t local_size;          /* bytes of an SM's stacks' window */
};

/* ---- the access hook: record, time later ------------------------------------ */

static uint32_t record_access(void *ctx, const IsaHart *h, uint32_t addr,
                              unsigned size, IsaAccessKind kind)
{
    Sm *s = ctx;
    if (kind == ISA_ACC_FENCE)
        return 0;               /* a lane's fence orders nothing here */
    /* A lane's IsaHart is the first member of its Lane. */
    uint32_t l = (uint32_t)((const Lane *)(const void *)h - s->cur_warp->lane);
    s->acc_mask |= 1u << l;
    s->acc_addr[l] = addr;
    s->acc_size[l] = (uint8_t)size;
    s->acc_kind[l] = (uint8_t)kind;
    return 0;
}

/* ---- building ---------------------------------------------------------------- */

static uint64_t machine_memory(void *ctx, uint32_t addr, uint64_t t,
                               uint32_t bytes)
{
    return memsys_device_access(ctx, addr, t, bytes);
}

bool sim_gpu_config_check(const SimConfig *c, char *err, size_t errlen)
{
    if (!c->gpu.sms || c->ranks)
        return true;
    CacheGeom g[2] = {
        {c->gpu.l1_size, c->gpu.l1_assoc, SIMT_LINE, CACHE_REPL_LRU, 0},
        {c->gpu.l2_size, c->gpu.l2_assoc, SIMT_LINE, CACHE_REPL_LRU, 0}};
    if (c->gpu.registers < 64 * c->gpu.warp_size) {
        snprintf(err, errlen, "gpu.registers_per_sm = %u: an SM must hold at "
                 "least one warp's registers (64 x gpu.warp_size = %u)",
                 c->gpu.registers, 64 * c->gpu.warp_size);
        return false;
    }
    char why[160];
    for (int i = 0; i < 2; i++)
        if (!cache_geom_check(&g[i], why, sizeof why)) {
            snprintf(err, errlen, "gpu.%s_size = %u, gpu.%s_assoc = %u: %s",
                     i ? "l2" : "l1", g[i].size, i ? "l2" : "l1", g[i].assoc,
                     why);
            return false;
        }
    return true;
}

bool sim_gpu_new(SimMachine *m, char *err, size_t errlen)
{
    const SimConfig *c = &m->cfg;
    if (!c->gpu.sms || m->nranks)
        return true;
    SimGpu *g = calloc(1, sizeof *g);
    if (!g)
        goto oom;
    m->gpu = g;
    g->cfg = *c;
    g->nsm = c->gpu.sms;
    g->ram = &m->mem;
    g->ev = &m->ev;
    uint32_t ws = c->gpu.warp_size;
    /* Registers go to whole warps: 64 a lane. */
    uint32_t by_regs = c->gpu.registers / (64 * ws) * ws;
    uint32_t tpb = c->gpu.max_warps * ws;
    if (tpb > by_regs)
        tpb = by_regs;
    if (tpb > 1024)
        tpb = 1024;
    g->max_threads_per_block = tpb;
    g->local_size = c->gpu.max_warps * ws * c->gpu.stack_size;
    SimtMemConfig mc = {
        .sms = g->nsm,
        .l1_size = c->gpu.l1_size, .l1_assoc = c->gpu.l1_assoc,
        .l1_latency = c->gpu.l1_latency,
        .l2_size = c->gpu.l2_size, .l2_assoc = c->gpu.l2_assoc,
        .l2_latency = c->gpu.l2_latency,
        .l2_bytes_per_cycle = c->gpu.l2_bytes_per_cycle,
        .mem_latency = c->gpu.mem_latency,
        .mem_bytes_per_cycle = c->gpu.mem_bytes_per_cycle,
    };
    /* Unified memory is the machine's: L2 misses queue at the memory
     * controllers with the cores'.  Discrete memory is the GPU's own. */
    bool machine = c->gpu.memory == 0 && m->memsys;
    g->mem = simt_mem_new(&mc, machine ? machine_memory : NULL,
                          machine ? (void *)m->memsys : NULL, err, errlen);
    if (!g->mem)
        return false;
    if (c->gpu.memory == 1)
        memctl_init(&g->copy, c->gpu.link_latency, c->gpu.link_bytes_per_cycle);
    else
        memctl_init(&g->copy, c->dram_latency, c->mem_bytes_per_cycle);
    g->sm = calloc(g->nsm, sizeof *g->sm);
    if (!g->sm)
        goto oom;
    for (uint32_t i = 0; i < g->nsm; i++) {
        Sm *s = &g->sm[i];
        s->id = i;
        s->warps = calloc(c->gpu.max_warps, sizeof *s->warps);
        s->blocks = calloc(c->gpu.max_blocks, sizeof *s->blocks);
        s->ready = calloc(c->gpu.max_warps, sizeof *s->ready);
        s->wait = calloc(c->gpu.max_warps, 1);
        s->order = calloc(c->gpu.max_warps, 1);
        if (!s->warps || !s->blocks || !s->ready || !s->wait ||
            !s->order ||
            !isa_hart_init(&s->dc_owner, 0, 0))
            goto oom;
    }
    return true;
oom:
    snprintf(err, errlen, "out of memory for the GPU array");
    return false;
}

void sim_gpu_free(SimMachine *m)
{
    SimGpu *g = m->gpu;
    if (!g)
        return;
    for (uint32_t i = 0; g->sm && i < g->nsm; i++) {
        Sm *s = &g->sm[i];
        for (uint32_t b = 0; s->blocks && b < g->cfg.gpu.max_blocks; b++)
            free(s->blocks[b].smem);
        free(s->blocks);
        free(s->warps);
        free(s->ready);
        free(s->wait);
        free(s->order);
        free(s->local);
        isa_hart_free(&s->dc_owner);
    }
    free(g->sm);
    simt_mem_free(g->mem);
    free(g->ks);
    free(g);
    m->gpu = NULL;
    m->gpu_kernels = 0;
}

/* ---- figures -------------------------------------------------------------------- */

uint64_t sim_gpu_clock(const SimMachine *m)
{
    const SimGpu *g = m->gpu;
    uint64_t c = UINT64_MAX;
    for (uint32_t i = 0; g && i < g->nsm; i++)
        if (g->sm[i].nwarps && g->sm[i].clock < c)
            c = g->sm[i].clock;
    if (c == UINT64_MAX && g && m->gpu_kernels)
        c = g->queue[g->qhead].start;
    return c == UINT64_MAX ? 0 : c;
}

uint32_t sim_gpu_nkernels(const SimMachine *m)
{
    return m->gpu ? m->gpu->nks : 0;
}

const SimGpuKernelStats *sim_gpu_kernel(const SimMachine *m, uint32_t i)
{
    return &m->gpu->ks[i];
}

const SimtMemCounts *sim_gpu_mem_counts(const SimMachine *m)
{
    return simt_mem_counts(m->gpu->mem);
}

uint64_t sim_gpu_copy_bytes(const SimMachine *m)
{
    return m->gpu ? m->gpu->copy_bytes : 0;
}

uint64_t sim_gpu_copy_cycles(const SimMachine *m)
{
    return m->gpu ? m->gpu->copy_cycles : 0;
}

static SimGpuKernelStats *kstats_for(SimMachine *m, uint32_t fn)
{
    SimGpu *g = m->gpu;
    for (uint32_t i = 0; i < g->nks; i++)
        if (g->ks[i].fn == fn)
            return &g->ks[i];
    if (g->nks == g->ks_cap) {
        uint32_t cap = g->ks_cap ? g->ks_cap * 2 : 8;
        SimGpuKernelStats *n = realloc(g->ks, cap * sizeof *n);
        if (!n)
            return NULL;
        g->ks = n;
        g->ks_cap = cap;
    }
    SimGpuKernelStats *k = &g->ks[g->nks++];
    memset(k, 0, sizeof *k);
    k->fn = fn;
    const SimSymbol *s = sim_elf_symbol_at(m->prog, fn);
    if (s)
        snprintf(k->name, sizeof k->name, "%s", s->name);
    else
        snprintf(k->name, sizeof k->name, "0x%08x", fn);
    return k;
}

/* ---- messages --------------------------------------------------------------- */

static const Kernel *current(const SimMachine *m)
{
    return m->gpu_kernels ? &m->gpu->queue[m->gpu->qhead] : NULL;
}

/* "kernel transpose, block (1,0,0), thread (3,2,0), pc 0x80000124 in
 * transpose+0x20 (transpose.c:41)" */
static void where(const SimMachine *m, const Warp *w, const Lane *l,
                  uint32_t pc, char *buf, size_t len)
{
    const SimGpu *g = m->gpu;
    char loc[256];
    (void)w;
    sim_elf_describe(m->prog, pc, loc, sizeof loc);
    snprintf(buf, len, "kernel %s, block (%u,%u,%u), thread (%u,%u,%u), pc "
             "0x%08x in %s", g->ks[current(m)->stats].name,
             l->csr[PARSIM_SIMT_CTAID], l->csr[PARSIM_SIMT_CTAID + 1],
             l->csr[PARSIM_SIMT_CTAID + 2], l->csr[PARSIM_SIMT_TID],
             l->csr[PARSIM_SIMT_TID + 1], l->csr[PARSIM_SIMT_TID + 2], pc, loc);
}

static int lane_fault(SimMachine *m, const Warp *w, const Lane *l,
                      const IsaStop *st, const char *why)
{
    char loc[512];
    where(m, w, l, st->pc, loc, sizeof loc);
    sim_report_begin(m);
    if (why) {
        fprintf(stderr, "parsim: GPU: %s: %s\n", loc, why);
        return SIM_EXIT_GUEST_FAULT;
    }
    switch (st->cause) {
    case ISA_CAUSE_ILLEGAL:
        fprintf(stderr, "parsim: GPU: illegal instruction: %s: insn 0x%08x "
                "is not one parsim executes\n", loc, st->tval);
        break;
    case ISA_CAUSE_FETCH_ACCESS:
    case ISA_CAUSE_FETCH_MISALIGNED:
        fprintf(stderr, "parsim: GPU: instruction fetch fault: %s: no code "
                "there\n", loc);
        break;
    case ISA_CAUSE_LOAD_ACCESS:
    case ISA_CAUSE_STORE_ACCESS:
        fprintf(stderr, "parsim: GPU: %s outside memory: %s: address 0x%08x "
                "is neither RAM, shared memory nor the thread's stack\n",
                st->cause == ISA_CAUSE_LOAD_ACCESS ? "load" : "store", loc,
                st->tval);
        break;
    case ISA_CAUSE_LOAD_MISALIGNED:
    case ISA_CAUSE_STORE_MISALIGNED:
        fprintf(stderr, "parsim: GPU: misaligned atomic: %s: address 0x%08x "
                "is not 4-byte aligned\n", loc, st->tval);
        break;
    case ISA_CAUSE_STACK_OVERFLOW:
        fprintf(stderr, "parsim: GPU: stack overflow: %s: the thread's stack "
                "is deeper than gpu.stack_size = %u bytes (sp 0x%08x): deep "
                "recursion or large local arrays in the kernel\n", loc,
                m->gpu->cfg.gpu.stack_size, st->tval);
        break;
    default:
        fprintf(stderr, "parsim: GPU: exception %u: %s\n", st->cause, loc);
        break;
    }
    return SIM_EXIT_GUEST_FAULT;
}

/* ---- blocks onto SMs ------------------------------------------------------------ */

static bool block_fits(const SimGpu *g, const Sm *s, const Kernel *k)
{
    uint32_t ws = g->cfg.gpu.warp_size;
    return s->nblocks < g->cfg.gpu.max_blocks &&
           s->nwarps + k->warps_per_block <= g->cfg.gpu.max_warps &&
           s->regs_used + k->warps_per_block * ws * 64 <=
               g->cfg.gpu.registers &&
           s->smem_used + k->l.shared_bytes <= g->cfg.gpu.smem_size;
}

/* The first run of `n` free warp slots, or -1. */
static int warp_slots(const SimGpu *g, const Sm *s, uint32_t n)
{
    uint32_t run = 0;
    for (uint32_t i = 0; i < g->cfg.gpu.max_warps; i++) {
        run = s->live >> i & 1 ? 0 : run + 1;
        if (run == n)
            return (int)(i + 1 - n);
    }
    return -1;
}

static bool dispatch_block(SimGpu *g, Sm *s, Kernel *k)
{
    const SimConfig *c = &g->cfg;
    int first = warp_slots(g, s, k->warps_per_block);
    if (first < 0)
        return false;
    uint32_t b;
    for (b = 0; b < c->gpu.max_blocks && s->blocks[b].live; b++)
        ;
    Block *bl = &s->blocks[b];
    if (k->l.shared_bytes && !bl->smem)
        bl->smem = malloc(c->gpu.smem_size ? c->gpu.smem_size : 1);
    if (!s->local)
        s->local = calloc(1, g->local_size);
    if ((k->l.shared_bytes && !bl->smem) || !s->local)
        return false;
    uint32_t id = k->next_block++;
    uint32_t gx = k->l.grid[0], gy = k->l.grid[1];
    bl->live = true;
    bl->start = s->clock;
    bl->id = id;
    bl->idx[0] = id % gx;
    bl->idx[1] = id / gx % gy;
    bl->idx[2] = id / gx / gy;
    bl->threads = k->threads_per_block;
    bl->warps = k->warps_per_block;
    bl->arrived = bl->exited = 0;
    bl->first_warp = (uint32_t)first;
    if (k->l.shared_bytes)
        memset(bl->smem, 0, k->l.shared_bytes);
    bl->win[0] = (IsaWindow){k->l.shared, k->l.shared_bytes, bl->smem};
    bl->win[1] = (IsaWindow){SIM_GPU_LOCAL_BASE, g->local_size, s->local};
    bl->win[2] = (IsaWindow){SIM_GPU_PARAM_BASE, PARSIM_GPU_MAX_ARGS,
                             k->args};
    bl->env = (IsaEnv){.mem = g->ram, .win = bl->win, .nwin = 3,
                       .access = record_access, .access_ctx = s};
    memcpy(bl->env.cost, c->cost, sizeof bl->env.cost);
    s->nblocks++;
    s->nwarps += bl->warps;
    s->regs_used += bl->warps * c->gpu.warp_size * 64;
    s->smem_used += k->l.shared_bytes;

    uint32_t ws = c->gpu.warp_size, bx = k->l.block[0], by = k->l.block[1];
    for (uint32_t wi = 0; wi < bl->warps; wi++) {
        Warp *w = &s->warps[first + wi];
        memset(w, 0, offsetof(Warp, lane));
        w->block = b;
        w->index = wi;
        uint32_t slot = (uint32_t)first + wi;
        s->ready[slot] = s->clock;
        s->wait[slot] = 0;
        s->live |= 1ull << slot;
        s->cand |= 1ull << slot;
        s->order[s->norder++] = (uint8_t)slot;
        w->nlanes = ws;
        w->converged = true;
        w->conv_pc = k->l.kernel;
        for (uint32_t li = 0; li < ws; li++) {
            Lane *l = &w->lane[li];
            uint32_t t = wi * ws + li;
            memset(l, 0, sizeof *l);
            w->hp[li] = &l->isa;
            if (t >= bl->threads) {
                l->state = LANE_OFF;
                continue;
            }
            l->state = LANE_ACTIVE;
            w->active |= 1u << li;
            IsaHart *x = &l->isa;
            x->dc = s->dc_owner.dc;
            x->mstatus = s->dc_owner.mstatus;
            x->marchid = PARSIM_MARCHID;
            x->hartid = k->hart;
            x->mhartid = id * bl->threads + t;
            x->simt_csr = l->csr;
            x->pc = k->l.kernel;
            x->x[1] = k->l.exit_pc;
            uint32_t bottom = SIM_GPU_LOCAL_BASE +
                              ((uint32_t)first + wi) * ws * c->gpu.stack_size +
                              li * c->gpu.stack_size;
            x->x[2] = bottom + c->gpu.stack_size - 16;
            /* Its guard: the stack below its own (another lane's). */
            x->stack_lo = bottom - c->gpu.stack_size;
            x->stack_guard = c->gpu.stack_size;
            x->x[3] = k->gp;
            x->x[4] = k->tp;
            x->x[10] = SIM_GPU_PARAM_BASE;
            l->csr[PARSIM_SIMT_TID] = t % bx;
            l->csr[PARSIM_SIMT_TID + 1] = t / bx % by;
            l->csr[PARSIM_SIMT_TID + 2] = t / bx / by;
            for (int d = 0; d < 3; d++) {
                l->csr[PARSIM_SIMT_CTAID + d] = bl->idx[d];
                l->csr[PARSIM_SIMT_NTID + d] = k->l.block[d];
                l->csr[PARSIM_SIMT_NCTAID + d] = k->l.grid[d];
            }
            l->csr[PARSIM_SIMT_WARPSIZE] = ws;
            l->csr[PARSIM_SIMT_LANE] = li;
            l->csr[PARSIM_SIMT_WARP] = wi;
        }
    }
    return true;
}

static void fill_sm(SimGpu *g, Sm *s, Kernel *k)
{
    while (k->next_block < k->nblocks && block_fits(g, s, k) &&
           dispatch_block(g, s, k))
        ;
}

/* ---- the kernel queue ------------------------------------------------------------ */

static void wake_waiters(SimMachine *m, uint64_t at)
{
    for (uint32_t i = 0; i < m->nharts; i++) {
        SimHart *h = &m->harts[i];
        if (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != SIM_HART_GPUWAIT)
            continue;
        if (h->isa.cycle < at) {
            h->st.blocked += at - h->isa.cycle;
            h->isa.cycle = at;
        }
        sim_hart_event(m, h, h->isa.cycle, SIM_EVH_RUNNING, 0);
        sim_hart_runnable(m, h);
    }
}

/* The head kernel starts: its SMs' L1s are emptied, its blocks go out. */
static void start_kernel(SimGpu *g, Kernel *k)
{
    simt_mem_flush_l1(g->mem);
    memset(g->sm[0].bank_heat, 0, sizeof g->sm[0].bank_heat);
    for (uint32_t i = 0; i < g->nsm; i++) {
        Sm *s = &g->sm[i];
        if (s->clock < k->start)
            s->clock = k->start;
        if (s->lsu_free < s->clock)
            s->lsu_free = s->clock;
        memset(s->bank_heat, 0, sizeof s->bank_heat);
        fill_sm(g, s, k);
    }
}

static void end_kernel(SimMachine *m, uint64_t end)
{
    SimGpu *g = m->gpu;
    Kernel *k = &g->queue[g->qhead];
    g->ks[k->stats].cycles += end - k->launched;
    if (sim_ev_on(g->ev, SIM_EV_GPU_KERNEL))
        sim_ev_push(g->ev, &(SimEvent){
            .cycle = k->start, .end = end, .hart = k->hart,
            .addr = k->l.kernel, .id = k->seq, .kind = SIM_EV_GPU_KERNEL});
    g->qhead = (g->qhead + 1) % MAX_QUEUE;
    m->gpu_kernels--;
    g->idle_since = end;
    if (m->gpu_kernels) {
        Kernel *n = &g->queue[g->qhead];
        if (n->start < end)
            n->start = end;
        start_kernel(g, n);
    } else {
        pthread_mutex_lock(&m->lock);
        wake_waiters(m, end);
        pthread_mutex_unlock(&m->lock);
    }
}

/* ---- one issue ---------------------------------------------------------------------- */


/* The lanes to issue: the deepest call, then the lowest pc, unless a path
 * has starved for gpu.starve_limit issues: then the lane that ran
 * longest ago goes, with every lane at its pc. */
static uint32_t choose(const SimGpu *g, Warp *w, uint32_t *pc_out)
{
    if (!w->active)
        return 0;
    if (w->converged) {         /* the common case: one path */
        w->starve = 0;
        *pc_out = w->conv_pc;
        return w->active;
    }
    int best = -1;
    for (uint32_t m = w->active; m; m &= m - 1) {
        uint32_t i = (uint32_t)__builtin_ctz(m);
        const Lane *l = &w->lane[i];
        if (best < 0 || l->depth > w->lane[best].depth ||
            (l->depth == w->lane[best].depth &&
             l->isa.pc < w->lane[best].isa.pc))
            best = (int)i;
    }
    if (w->starve >= g->cfg.gpu.starve_limit) {
        uint64_t best_at = 0;
        for (uint32_t m = w->active; m; m &= m - 1) {
            uint32_t i = (uint32_t)__builtin_ctz(m);
            uint64_t at = w->lane[i].last_issue > w->conv_issue
                              ? w->lane[i].last_issue : w->conv_issue;
            if (m == w->active || at < best_at) {
                best = (int)i;
                best_at = at;
            }
        }
        w->starve = 0;
    }
    uint32_t pc = w->lane[best].isa.pc, mask = 0;
    for (uint32_t m = w->active; m; m &= m - 1) {
        uint32_t i = (uint32_t)__builtin_ctz(m);
        if (w->lane[i].isa.pc == pc)
            mask |= 1u << i;
    }
    w->starve = mask != w->active ? w->starve + 1 : 0;
    *pc_out = pc;
    return mask;
}

static bool is_device(const SimGpu *g, uint32_t a, uint32_t n)
{
    for (uint32_t i = 0; i < g->ndev; i++)
        if (a - g->dev[i].addr < g->dev[i].size &&
            g->dev[i].size - (a - g->dev[i].addr) >= n)
            return true;
    return false;
}

static void note_divergence(SimGpuKernelStats *k, uint32_t pc)
{
    k->divergent++;
    uint32_t lo = 0;
    for (uint32_t i = 0; i < SIM_GPU_DIV_SITES; i++) {
        if (k->div_pc[i] == pc) {
            k->div_count[i]++;
            return;
        }
        if (k->div_count[i] < k->div_count[lo])
            lo = i;
    }
    /* A new site takes the least-seen slot (the counts are then kept
     * from there, as a heavy-hitters table does). */
    k->div_pc[lo] = pc;
    k->div_count[lo]++;
}

static void block_done(SimGpu *g, Sm *s, Block *bl, Kernel *k)
{
    if (sim_ev_on(g->ev, SIM_EV_GPU_BLOCK))
        sim_ev_push(g->ev, &(SimEvent){
            .cycle = bl->start, .end = s->clock, .hart = k->hart,
            .addr = k->l.kernel, .id = bl->id, .src = (uint16_t)s->id,
            .dst = (uint16_t)bl->first_warp, .kind = SIM_EV_GPU_BLOCK});
    for (uint32_t wi = 0; wi < bl->warps; wi++) {
        s->live &= ~(1ull << (bl->first_warp + wi));
        s->cand &= ~(1ull << (bl->first_warp + wi));
    }
    uint32_t kept = 0;
    for (uint32_t k = 0; k < s->norder; k++)
        if (s->live >> s->order[k] & 1)
            s->order[kept++] = s->order[k];
    s->norder = kept;
    s->nblocks--;
    s->nwarps -= bl->warps;
    s->regs_used -= bl->warps * g->cfg.gpu.warp_size * 64;
    s->smem_used -= k->l.shared_bytes;
    bl->live = false;
    k->done_blocks++;
}

/* Every live thread of the block has arrived: all go on. */
static void barrier_check(Sm *s, Block *bl)
{
    if (bl->arrived == 0 || bl->arrived + bl->exited < bl->threads)
        return;
    for (uint32_t wi = 0; wi < bl->warps; wi++) {
        Warp *w = &s->warps[bl->first_warp + wi];
        for (uint32_t i = 0; i < w->nlanes; i++)
            if (w->lane[i].state == LANE_BARRIER) {
                w->lane[i].state = LANE_ACTIVE;
                w->active |= 1u << i;
            }
        w->converged = false;
        if (w->active)
            s->cand |= 1ull << (bl->first_warp + wi);
    }
    bl->arrived = 0;
}

/* A lane's ecall: only the barrier and the exit exist inside a kernel. */
static int lane_ecall(SimMachine *m, Sm *s, Warp *w, Lane *l, Block *bl,
                      const IsaStop *st)
{
    IsaHart *x = &l->isa;
    uint32_t fn = x->x[A6];
    if (x->x[A7] != PARSIM_EID ||
        (fn != PARSIM_FN_GPU_SYNC && fn != PARSIM_FN_GPU_EXIT)) {
        char why[160];
        snprintf(why, sizeof why, "ecall a7 = 0x%x, a6 = %u: inside a kernel "
                 "only __syncthreads() and returning are services", x->x[A7],
                 fn);
        return lane_fault(m, w, l, st, why);
    }
    isa_skip(x, &bl->env, st);
    if (fn == PARSIM_FN_GPU_SYNC) {
        l->state = LANE_BARRIER;
        bl->arrived++;
    } else {
        /* Its IsaHart is cleared for the next block: a reservation it
         * still held would stay counted, making every store look. */
        isa_resv_drop(x, bl->env.mem);
        l->state = LANE_EXITED;
        bl->exited++;
    }
    w->active &= ~(1u << (uint32_t)(l - w->lane));
    w->converged = false;
    if (!w->active)
        s->cand &= ~(1ull << (w - s->warps));
    barrier_check(s, bl);
    return -1;
}

/* Shared memory: the conflict degree, with atomics on one word
 * serialised. */
static uint32_t smem_degree(const SimGpu *g, Sm *s, uint32_t mask,
                            uint32_t base, bool atomic)
{
    uint32_t off[SIMT_MAX_LANES] = {0}, worst = 0;
    for (uint32_t i = 0; i < SIMT_MAX_LANES; i++)
        if (mask >> i & 1)
            off[i] = s->acc_addr[i] - base;
    uint32_t d = simt_bank_degree(off, mask, g->cfg.gpu.smem_banks, &worst);
    for (uint32_t i = 0; i < SIMT_MAX_LANES; i++)
        if (mask >> i & 1)
            s->bank_heat[(off[i] >> 2) % g->cfg.gpu.smem_banks]++;
    if (atomic) {
        for (uint32_t i = 0; i < SIMT_MAX_LANES; i++) {
            if (!(mask >> i & 1))
                continue;
            uint32_t same = 0;
            for (uint32_t j = 0; j < SIMT_MAX_LANES; j++)
                same += (mask >> j & 1) && off[j] >> 2 == off[i] >> 2;
            if (same > d)
                d = same;
        }
    }
    return d;
}

/* The most lanes of `mask` at one address (atomics serialise on it). */
static uint32_t same_address(const Sm *s, uint32_t mask)
{
    uint32_t most = 0;
    for (uint32_t i = 0; i < SIMT_MAX_LANES; i++) {
        if (!(mask >> i & 1))
            continue;
        uint32_t n = 0;
        for (uint32_t j = 0; j < SIMT_MAX_LANES; j++)
            n += (mask >> j & 1) && s->acc_addr[j] == s->acc_addr[i];
        if (n > most)
            most = n;
    }
    return most;
}

static void warp_event(SimGpu *g, const Sm *s, const Warp *w,
                       const Kernel *k, uint8_t what, uint32_t pc,
                       uint32_t lanes)
{
    if (sim_ev_on(g->ev, SIM_EV_GPU_WARP))
        sim_ev_push(g->ev, &(SimEvent){
            .cycle = s->clock, .end = s->clock, .hart = k->hart, .addr = pc,
            .id = lanes, .src = (uint16_t)s->id,
            .dst = (uint16_t)(w - s->warps), .kind = SIM_EV_GPU_WARP,
            .what = what});
}

/* One issue of warp w at s->clock.  Returns -1 or an exit status. */
static int issue(SimMachine *m, Sm *s, Warp *w, Kernel *k)
{
    SimGpu *g = m->gpu;
    const SimConfig *c = &g->cfg;
    SimGpuKernelStats *ks = &g->ks[k->stats];
    Block *bl = &s->blocks[w->block];
    uint32_t pc = 0;
    uint32_t mask = choose(g, w, &pc);
    w->issues++;
    w->pc = pc;
    w->mask = mask;
    /* The SM's decode cache, which the lanes' isa_run share: the warp
     * decodes once for all of them.  NULL: isa_run raises the trap. */
    const IsaInsn *in = isa_decoded(&s->dc_owner, g->ram, pc);
    s->acc_mask = 0;
    s->cur_warp = w;
    /* All the lanes at once; what that leaves undone, one by one. */
    IsaHart *harts[SIMT_MAX_LANES];
    IsaHart *const *hs = w->hp;
    uint32_t idx[SIMT_MAX_LANES], n = 0;
    bool full = mask == (w->nlanes == 32 ? 0xffffffffu : (1u << w->nlanes) - 1);
    if (full) {
        n = w->nlanes;
    } else {
        for (uint32_t m = mask; m; m &= m - 1) {
            uint32_t i = (uint32_t)__builtin_ctz(m);
            idx[n] = i;
            harts[n++] = &w->lane[i].isa;
        }
        hs = harts;
    }
    bool was_converged = w->converged;
    uint32_t slow = in ? isa_simt_step(hs, n, in, pc, &bl->env)
                       : (n == 32 ? 0xffffffffu : (1u << n) - 1);
    uint32_t lanes = n;
    for (uint32_t left = slow; left; left &= left - 1) {
        uint32_t k = (uint32_t)__builtin_ctz(left);
        Lane *l = &w->lane[full ? k : idx[k]];
        IsaHart *x = &l->isa;
        IsaStop st;
        x->cycle = s->clock;
        isa_run(x, &bl->env, UINT64_MAX, x->instret + 1, &st);
        switch (st.kind) {
        case ISA_STOP_LIMIT:
            break;
        case ISA_STOP_ECALL: {
            int r = lane_ecall(m, s, w, l, bl, &st);
            if (r >= 0)
                return r;
            break;
        }
        case ISA_STOP_TRAP:
            return lane_fault(m, w, l, &st, NULL);
        default:
            return lane_fault(m, w, l, &st, st.kind == ISA_STOP_SEMIHOST
                              ? "semihosting (printf, files) is not "
                                "available inside a kernel"
                              : st.kind == ISA_STOP_WFI
                              ? "wfi inside a kernel"
                              : "ebreak inside a kernel");
        }
    }
    /* Call depth: a call links ra, a return jumps through it. */
    if (in && in->cls == ISA_CLASS_JUMP) {
        int d = (in->op == ISA_OP_jal || in->op == ISA_OP_jalr) && in->rd == 1
                    ? 1
                : in->op == ISA_OP_jalr && in->rd == 0 && in->rs1 == 1 ? -1
                                                                       : 0;
        for (uint32_t m = d ? mask : 0; m; m &= m - 1) {
            Lane *l = &w->lane[__builtin_ctz(m)];
            if (d > 0)
                l->depth++;
            else if (l->depth)
                l->depth--;
        }
    }
    /* When the lanes last ran, for the starvation bound: while the warp
     * is on one path they all run each time (w->conv_issue says when). */
    if (was_converged)
        w->conv_issue = w->issues;
    else
        for (uint32_t m = mask; m; m &= m - 1)
            w->lane[__builtin_ctz(m)].last_issue = w->issues;
    ks->warp_insns++;
    ks->lane_insns += lanes;
    /* Where the warp is now: at one pc (then the next choice is free) or
     * on several paths; a branch whose lanes went both ways diverged. */
    if (w->converged && mask == w->active && in && !slow &&
        in->cls != ISA_CLASS_BRANCH && in->cls != ISA_CLASS_JUMP) {
        w->conv_pc = pc + in->len;
    } else {
        uint32_t at = 0;
        bool one = true, split = false;
        for (uint32_t m = w->active; m; m &= m - 1) {
            uint32_t i = (uint32_t)__builtin_ctz(m), lpc = w->lane[i].isa.pc;
            if (m == w->active)
                at = lpc;
            else if (lpc != at)
                one = false;
        }
        if (in && in->cls == ISA_CLASS_BRANCH) {
            /* Only the lanes of this issue count for its divergence. */
            uint32_t first = 0;
            bool seen = false;
            for (uint32_t m = mask & w->active; m && !split; m &= m - 1) {
                uint32_t lpc = w->lane[__builtin_ctz(m)].isa.pc;
                if (!seen)
                    first = lpc;
                else if (lpc != first)
                    split = true;
                seen = true;
            }
            if (split) {
                note_divergence(ks, pc);
                warp_event(g, s, w, k, 0, pc, mask);
                w->split = true;
            }
        }
        if (w->split && w->active && one) {
            warp_event(g, s, w, k, 1, at, w->active);
            w->split = false;
        }
        w->converged = w->active && one;
        w->conv_pc = at;
    }

    /* Timing. */
    uint32_t cls = in ? in->cls : ISA_CLASS_ALU;
    uint64_t lat = c->gpu.alu_latency > c->cost[cls] ? c->gpu.alu_latency
                                                      : c->cost[cls];
    /* An SM has no integer divider (NVIDIA's compile division to a
     * dozen or two instructions): a divide holds the issue slot for its
     * whole latency.  Float divide and square root go through the
     * special-function units, a quarter of a warp a cycle. */
    uint64_t issue_cycles = cls == ISA_CLASS_DIV ? c->cost[cls]
                          : cls == ISA_CLASS_FDIV || cls == ISA_CLASS_FSQRT
                              ? 4 : 1;
    uint8_t wait = 2;
    if (s->acc_mask) {
        uint32_t shared = 0, local = 0, global = 0;
        uint32_t sb = k->l.shared, se = sb + k->l.shared_bytes;
        for (uint32_t i = 0; i < SIMT_MAX_LANES; i++) {
            if (!(s->acc_mask >> i & 1))
                continue;
            uint32_t a = s->acc_addr[i];
            if (a >= sb && a < se)
                shared |= 1u << i;
            else if (a - SIM_GPU_LOCAL_BASE < g->local_size ||
                     a - SIM_GPU_PARAM_BASE < PARSIM_GPU_MAX_ARGS)
                local |= 1u << i;
            else
                global |= 1u << i;
        }
        bool atomic = cls == ISA_CLASS_AMO;
        bool store = cls == ISA_CLASS_STORE;
        if (atomic)
            ks->atomics += (uint64_t)__builtin_popcount(s->acc_mask);
        if (shared) {
            uint32_t d = smem_degree(g, s, shared, sb, atomic);
            ks->smem_requests++;
            if (d > 1) {
                ks->smem_conflict_cycles += d - 1;
                ks->stall[SIM_GPU_STALL_BANK] += d - 1;
            }
            if (d > ks->smem_worst)
                ks->smem_worst = d;
            if (d > issue_cycles)
                issue_cycles = d;
            uint64_t t = c->gpu.smem_latency + d - 1;
            if (t > lat)
                lat = t;
        }
        if (local && c->gpu.l1_latency > lat)
            lat = c->gpu.l1_latency;
        if (global) {
            /* Discrete: device memory, and for loads the program's code
             * and constants (the GPU's constant memory). */
            if (c->gpu.memory == 1)
                for (uint32_t i = 0; i < SIMT_MAX_LANES; i++)
                    if ((global >> i & 1) &&
                        !is_device(g, s->acc_addr[i], s->acc_size[i]) &&
                        (s->acc_kind[i] != ISA_ACC_LOAD ||
                         !sim_elf_readonly(m->prog, s->acc_addr[i],
                                           s->acc_size[i]))) {
                        IsaStop st = {.pc = pc};
                        char why[200];
                        snprintf(why, sizeof why, "address 0x%08x is host "
                                 "memory: with gpu.memory = discrete a kernel "
                                 "sees only gpu_malloc'd memory (copy it there "
                                 "with gpu_memcpy)", s->acc_addr[i]);
                        return lane_fault(m, w, &w->lane[i], &st, why);
                    }
            SimtCoalesced co;
            uint32_t sectors = simt_coalesce(s->acc_addr, s->acc_size, global,
                                             &co);
            s->last_lanes = (uint32_t)__builtin_popcount(global);
            s->last_lines = co.nlines;
            s->last_sectors = sectors;
            if (store) {
                ks->gst_requests++;
                ks->gst_sectors += sectors;
            } else {
                ks->gld_requests++;
                ks->gld_sectors += sectors;
            }
            /* The load/store unit sends one line's sectors a cycle. */
            uint64_t t = s->lsu_free > s->clock ? s->lsu_free : s->clock;
            uint64_t done = t;
            /* The interconnect's events name the launching hart and the
             * line of the GPU's packets. */
            Noc *noc = m->memsys && c->gpu.memory == 0
                           ? memsys_shared_noc(m->memsys) : NULL;
            for (uint32_t i = 0; i < co.nlines; i++, t++) {
                SimtLevel lv;
                if (noc)
                    noc_event_cause(noc, k->hart, co.line[i]);
                uint64_t r = simt_mem_access(g->mem, s->id, co.line[i],
                                             co.sectors[i], store || atomic,
                                             t, &lv);
                if (r > done)
                    done = r;
            }
            s->lsu_free = t;
            if (atomic)
                done += (uint64_t)same_address(s, global) *
                        c->gpu.atomic_cycles;
            /* A store does not hold the warp beyond sending it. */
            uint64_t need = store ? t - s->clock : done - s->clock;
            if (need > lat)
                lat = need;
            if (!store)
                wait = 1;
        }
        if (shared && !store)
            wait = 1;
    }
    s->ready[w - s->warps] = s->clock + lat;
    s->wait[w - s->warps] = wait;
    s->clock += issue_cycles;

    /* Lanes that left: a finished block frees its slot. */
    if (bl->exited == bl->threads) {
        block_done(g, s, bl, k);
        fill_sm(g, s, k);
    }
    return -1;
}

/* The warp to issue at s->clock, or NULL. */
static Warp *pick_warp(const SimGpu *g, Sm *s)
{
    uint32_t n = g->cfg.gpu.max_warps;
    uint64_t now = s->clock;
    uint32_t last = s->last % n;
    bool gto = g->cfg.gpu.scheduler == 1;
    /* Greedy then oldest: keep issuing the last warp while it can. */
    if (gto && (s->cand >> last & 1) && s->ready[last] <= now)
        return &s->warps[last];
    if (gto) {
        for (uint32_t k = 0; k < s->norder; k++) {
            uint32_t i = s->order[k];
            if ((s->cand >> i & 1) && s->ready[i] <= now)
                return &s->warps[i];
        }
        return NULL;
    }
    /* Loose round-robin: the first ready warp after the last one. */
    for (uint32_t k = 1; k <= n; k++) {
        uint32_t i = last + k < n ? last + k : last + k - n;
        if ((s->cand >> i & 1) && s->ready[i] <= now)
            return &s->warps[i];
    }
    return NULL;
}

/* Nothing to issue at s->clock: jump to the next warp that will be
 * ready, and say why the cycles went. */
static void idle(Sm *s, SimGpuKernelStats *ks)
{
    uint64_t next = UINT64_MAX;
    bool mem = false;
    /* A live warp with no running lane has them all at a barrier. */
    bool barrier = (s->live & ~s->cand) != 0;
    for (uint64_t m = s->cand; m; m &= m - 1) {
        uint32_t i = (uint32_t)__builtin_ctzll(m);
        if (s->ready[i] < next)
            next = s->ready[i];
        mem |= s->wait[i] == 1 && s->ready[i] > s->clock;
    }
    if (next == UINT64_MAX || next <= s->clock) {
        /* Only warps at a barrier that cannot open: cannot happen (an
         * exited thread counts as arrived); step on. */
        next = s->clock + 1;
    }
    ks->stall[mem ? SIM_GPU_STALL_MEMORY : barrier ? SIM_GPU_STALL_BARRIER
                                                    : SIM_GPU_STALL_IDLE] +=
        next - s->clock;
    s->clock = next;
}

int sim_gpu_advance(SimMachine *m, uint64_t until)
{
    SimGpu *g = m->gpu;
    while (g && m->gpu_kernels) {
        Kernel *k = &g->queue[g->qhead];
        if (k->next_block == 0) {
            if (k->start >= until)
                return -1;
            start_kernel(g, k);
        }
        /* The SM with work and the lowest clock. */
        Sm *s = NULL;
        for (uint32_t i = 0; i < g->nsm; i++)
            if (g->sm[i].nwarps && (!s || g->sm[i].clock < s->clock))
                s = &g->sm[i];
        if (!s && k->next_block < k->nblocks) {
            /* No SM could take a block: only when the host has no memory
             * for its shared memory or stacks. */
            sim_report_begin(m);
            fprintf(stderr, "parsim: GPU: kernel %s: out of host memory for "
                    "a block's shared memory and stacks\n",
                    g->ks[k->stats].name);
            return SIM_EXIT_USAGE;
        }
        if (!s) {
            /* Every block has finished: the kernel ends with the last SM. */
            uint64_t end = 0;
            for (uint32_t i = 0; i < g->nsm; i++)
                if (g->sm[i].clock > end)
                    end = g->sm[i].clock;
            end_kernel(m, end);
            continue;
        }
        if (s->clock >= until)
            return -1;
        SimGpuKernelStats *ks = &g->ks[k->stats];
        uint64_t before = s->clock;
        uint32_t resident = s->nwarps;
        Warp *w = pick_warp(g, s);
        if (w) {
            s->last = (uint32_t)(w - s->warps);
            int r = issue(m, s, w, k);
            if (r >= 0)
                return r;
        } else {
            idle(s, ks);
        }
        ks->warp_cycles += (uint64_t)resident * (s->clock - before);
        ks->sm_cycles += s->clock - before;
    }
    return -1;
}

/* ---- the window's view -------------------------------------------------------------- */

void sim_gpu_sm_view(const SimMachine *m, uint32_t i, SimGpuSmView *o)
{
    const SimGpu *g = m->gpu;
    const Sm *s = &g->sm[i];
    memset(o, 0, sizeof *o);
    o->clock = s->clock;
    o->nwarps = s->nwarps;
    o->nblocks = s->nblocks;
    o->last_lanes = s->last_lanes;
    o->last_lines = s->last_lines;
    o->last_sectors = s->last_sectors;
    memcpy(o->heat, s->bank_heat, sizeof o->heat);
    uint32_t n = g->cfg.gpu.max_warps < SIM_GPU_VIEW_WARPS
                     ? g->cfg.gpu.max_warps : SIM_GPU_VIEW_WARPS;
    for (uint32_t k = 0; k < n; k++) {
        const Warp *w = &s->warps[k];
        SimGpuWarpView *v = &o->warp[k];
        if (!(s->live >> k & 1))
            continue;
        v->live = true;
        v->block_id = s->blocks[w->block].id;
        v->pc = w->pc;
        v->mask = w->mask;
        for (uint32_t l = 0; l < w->nlanes; l++) {
            v->active |= (uint32_t)(w->lane[l].state == LANE_ACTIVE) << l;
            v->barrier |= (uint32_t)(w->lane[l].state == LANE_BARRIER) << l;
        }
        v->state = !v->active ? SIM_GPU_WARP_BARRIER
                 : s->ready[k] <= s->clock ? SIM_GPU_WARP_READY
                 : s->wait[k] == 1 ? SIM_GPU_WARP_MEMORY : SIM_GPU_WARP_LATENCY;
    }
}

const char *sim_gpu_current(const SimMachine *m)
{
    const SimGpu *g = m->gpu;
    return g && m->gpu_kernels ? g->ks[g->queue[g->qhead].stats].name : "";
}

/* ---- the services ------------------------------------------------------------------ */

static bool launch(SimMachine *m, SimHart *h, char *err, size_t errlen)
{
    SimGpu *g = m->gpu;
    const SimConfig *c = &g->cfg;
    struct parsim_gpu_launch l;
    if (!isa_mem_read(sim_hart_mem(h), h->isa.x[A0], &l, sizeof l)) {
        snprintf(err, errlen, "gpu_launch: its description at 0x%08x is not "
                 "in RAM", h->isa.x[A0]);
        return false;
    }
    const SimSymbol *sym = sim_elf_symbol_at(m->prog, l.kernel);
    if (!sym || !sym->is_func || sym->addr != l.kernel) {
        snprintf(err, errlen, "gpu_launch: kernel 0x%08x is not a function "
                 "of the program", l.kernel);
        return false;
    }
    uint64_t threads = (uint64_t)l.block[0] * l.block[1] * l.block[2];
    uint64_t blocks = (uint64_t)l.grid[0] * l.grid[1] * l.grid[2];
    if (!threads || !blocks) {
        snprintf(err, errlen, "gpu_launch of %s: grid (%u,%u,%u), block "
                 "(%u,%u,%u): no dimension may be 0", sym->name, l.grid[0],
                 l.grid[1], l.grid[2], l.block[0], l.block[1], l.block[2]);
        return false;
    }
    if (threads > g->max_threads_per_block) {
        snprintf(err, errlen, "gpu_launch of %s: a block of %" PRIu64
                 " threads; an SM holds at most %u (gpu.max_warps_per_sm x "
                 "gpu.warp_size, whole warps of 64 registers a lane in "
                 "gpu.registers_per_sm, 1024)", sym->name,
                 threads, g->max_threads_per_block);
        return false;
    }
    if (blocks > 0x7fffffffu) {
        snprintf(err, errlen, "gpu_launch of %s: %" PRIu64 " blocks; at most "
                 "2^31 - 1", sym->name, blocks);
        return false;
    }
    if (l.shared_bytes > c->gpu.smem_size) {
        snprintf(err, errlen, "gpu_launch of %s: the program's __shared__ "
                 "variables take %u bytes; an SM has %u (gpu.smem_size)",
                 sym->name, l.shared_bytes, c->gpu.smem_size);
        return false;
    }
    if (l.shared_bytes && (isa_mem_ptr(&m->mem, l.shared, 1) ||
                           l.shared - SIM_GPU_PARAM_BASE <
                               SIM_GPU_LOCAL_BASE + g->local_size -
                               SIM_GPU_PARAM_BASE)) {
        snprintf(err, errlen, "gpu_launch of %s: __shared__ variables at "
                 "0x%08x overlap RAM or the GPU's stacks (link with parsim's "
                 "parsim.ld)", sym->name, l.shared);
        return false;
    }
    if (l.args_bytes > PARSIM_GPU_MAX_ARGS) {
        snprintf(err, errlen, "gpu_launch of %s: %u bytes of arguments; at "
                 "most %u", sym->name, l.args_bytes, PARSIM_GPU_MAX_ARGS);
        return false;
    }
    if (m->gpu_kernels == MAX_QUEUE) {
        snprintf(err, errlen, "gpu_launch of %s: %u kernels are queued and "
                 "not finished: call gpu_wait()", sym->name, MAX_QUEUE);
        return false;
    }
    Kernel *k = &g->queue[(g->qhead + m->gpu_kernels) % MAX_QUEUE];
    memset(k, 0, sizeof *k);
    k->l = l;
    if (l.args_bytes &&
        !isa_mem_read(sim_hart_mem(h), l.args, k->args, l.args_bytes)) {
        snprintf(err, errlen, "gpu_launch of %s: arguments at 0x%08x are not "
                 "in RAM", sym->name, l.args);
        return false;
    }
    SimGpuKernelStats *ks = kstats_for(m, l.kernel);
    if (!ks) {
        snprintf(err, errlen, "gpu_launch: out of memory");
        return false;
    }
    k->stats = (uint32_t)(ks - g->ks);
    k->seq = g->launches++;
    k->gp = h->isa.x[3];
    k->tp = h->isa.x[4];
    k->hart = h->isa.hartid;
    k->launched = h->isa.cycle;
    k->start = h->isa.cycle + c->gpu.launch_latency;
    k->nblocks = (uint32_t)blocks;
    k->threads_per_block = (uint32_t)threads;
    k->warps_per_block = (uint32_t)((threads + c->gpu.warp_size - 1) /
                                    c->gpu.warp_size);
    ks->launches++;
    ks->blocks += blocks;
    ks->threads += blocks * threads;
    /* Resident warps per SM this launch allows: occupancy's denominator
     * is the configured maximum, as a profiler's is. */
    ks->max_warps = c->gpu.max_warps;
    m->gpu_kernels++;
    h->isa.x[A0] = PARSIM_OK;
    return true;
}

static bool copy(SimMachine *m, SimHart *h, char *err, size_t errlen)
{
    SimGpu *g = m->gpu;
    uint32_t dst = h->isa.x[A0], src = h->isa.x[A1], n = h->isa.x[A2];
    uint32_t dir = h->isa.x[A3];
    if (dir > PARSIM_GPU_TO_HOST) {
        snprintf(err, errlen, "gpu_memcpy: direction %u (0 to the device, 1 "
                 "to the host)", dir);
        return false;
    }
    bool d = isa_mem_ptr(&m->mem, dst, n), s = isa_mem_ptr(&m->mem, src, n);
    if (!d || !s) {
        snprintf(err, errlen, "gpu_memcpy of %u bytes: %s 0x%08x is not in "
                 "RAM", n, d ? "source" : "destination", d ? src : dst);
        return false;
    }
    if (g->cfg.gpu.memory == 1) {
        uint32_t dev = dir == PARSIM_GPU_TO_DEVICE ? dst : src;
        if (!is_device(g, dev, n)) {
            snprintf(err, errlen, "gpu_memcpy to the %s: 0x%08x..+%u is not "
                     "device memory (from gpu_malloc)",
                     dir == PARSIM_GPU_TO_DEVICE ? "device" : "host", dev, n);
            return false;
        }
    }
    if (m->gpu_kernels) {
        /* Copies wait for the kernels launched before them: block, and
         * make the call again once they are done. */
        h->isa.pc -= 4;
        sim_hart_event(m, h, h->isa.cycle, SIM_EVH_BLOCKED, 0);
        (void)sim_hart_stop_running(h, SIM_HART_GPUWAIT);
        return true;
    }
    if (n) {
        /* Through isa_mem_write, so that code written this way is seen. */
        uint8_t *tmp = malloc(n);
        if (!tmp || !isa_mem_read(&m->mem, src, tmp, n) ||
            !isa_mem_write(&m->mem, dst, tmp, n)) {
            free(tmp);
            snprintf(err, errlen, "gpu_memcpy: out of memory");
            return false;
        }
        free(tmp);
    }
    uint64_t done = memctl_access(&g->copy, h->isa.cycle, n);
    g->copy_bytes += n;
    g->copy_cycles += done - h->isa.cycle;
    h->st.blocked += done - h->isa.cycle;
    h->isa.cycle = done;
    h->isa.x[A0] = PARSIM_OK;
    return true;
}

static bool devmem(SimMachine *m, SimHart *h, char *err, size_t errlen)
{
    SimGpu *g = m->gpu;
    uint32_t a = h->isa.x[A0], n = h->isa.x[A1], alloc = h->isa.x[A2];
    if (alloc) {
        if (!isa_mem_ptr(&m->mem, a, n) || g->ndev == MAX_DEVMEM) {
            snprintf(err, errlen, "gpu_malloc: %s",
                     g->ndev == MAX_DEVMEM ? "too many allocations (256)"
                                           : "the block is not in RAM");
            return false;
        }
        g->dev[g->ndev].addr = a;
        g->dev[g->ndev++].size = n;
    } else {
        for (uint32_t i = 0; i < g->ndev; i++)
            if (g->dev[i].addr == a) {
                g->dev[i] = g->dev[--g->ndev];
                break;
            }
    }
    h->isa.x[A0] = PARSIM_OK;
    return true;
}

bool sim_gpu_service(SimMachine *m, SimHart *h, uint32_t fn, char *err,
                     size_t errlen)
{
    SimGpu *g = m->gpu;
    if (!g && fn != PARSIM_FN_GPU_INFO) {
        snprintf(err, errlen, "this machine has no GPU array (gpu.sms = 0%s)",
                 m->nranks ? ", as in every machine of ranks" : "");
        return false;
    }
    switch (fn) {
    case PARSIM_FN_GPU_LAUNCH:
        return launch(m, h, err, errlen);
    case PARSIM_FN_GPU_WAIT:
        h->isa.x[A0] = PARSIM_OK;
        if (m->gpu_kernels) {
            sim_hart_event(m, h, h->isa.cycle, SIM_EVH_BLOCKED, 0);
            (void)sim_hart_stop_running(h, SIM_HART_GPUWAIT);
        }
        return true;
    case PARSIM_FN_GPU_COPY:
        return copy(m, h, err, errlen);
    case PARSIM_FN_GPU_MEM:
        return devmem(m, h, err, errlen);
    case PARSIM_FN_GPU_INFO: {
        uint32_t item = h->isa.x[A0];
        h->isa.x[A0] = PARSIM_OK;
        h->isa.x[A1] = item == PARSIM_GPU_INFO_SMS ? (g ? g->nsm : 0)
                     : item == PARSIM_GPU_INFO_WARP
                         ? (g ? g->cfg.gpu.warp_size : 0)
                     : item == PARSIM_GPU_INFO_DISCRETE
                         ? (g && g->cfg.gpu.memory == 1) : 0;
        return true;
    }
    default:
        snprintf(err, errlen, "service %u is for a kernel's threads, not a "
                 "hart (__syncthreads and a kernel's return)", fn);
        return false;
    }
}
