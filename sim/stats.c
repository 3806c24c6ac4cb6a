/* stats.c — the statistics registry: every group and every figure in it,
 * where each value lives, and the region of interest.  What walks it (the
 * end-of-run summary, the --stats JSON, the --stats-csv row, the list the
 * window shows, the field tables of docs/stats.md) is stats_out.c.
 *
 * Every statistic is declared once, in a group (the run, the machine,
 * totals, harts, L1D, L2, LLC, messages, memory controllers, links, hot
 * lines, locks): its JSON name, its summary column, its unit, how the
 * group's members add up to a machine figure (sum or max), where its value
 * lives (a getter), and one line of help.  A new model adds a group or a
 * row here, and the summary, the JSON, the CSV, the window and the docs
 * all have it.
 *
 * The region of interest (parsim_roi_begin/end in parsim.h) records every
 * counter of every group at the begin and adds end - begin at the end; a
 * region's figures are those differences (ratios recomputed from them).
 * Identities (hart numbers, names) are not differenced; peaks (the longest
 * wait) have no region figure.
 */
#include "sim/stats_priv.h"
#include "sim/gpu.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- what the getters read --------------------------------------------- */

static FlatMemCounts hart_mem(const SimMachine *m, uint32_t i)
{
    return m->memsys ? memsys_hart_counts(m->memsys, i) : m->flat.hart[i];
}

/* Functional-unit stalls: the cycles beyond one that the multi-cycle
 * classes cost. */
static uint64_t fu_stall(const SimMachine *m, uint32_t i)
{
    static const int fu[] = {ISA_CLASS_MUL, ISA_CLASS_DIV, ISA_CLASS_FADD,
                             ISA_CLASS_FMUL, ISA_CLASS_FFMA, ISA_CLASS_FDIV,
                             ISA_CLASS_FSQRT, ISA_CLASS_FCVT};
    const SimHart *h = &m->harts[i];
    uint64_t n = 0;
    for (size_t k = 0; k < sizeof fu / sizeof fu[0]; k++) {
        uint32_t c = h->env->cost[fu[k]];
        n += h->isa.class_count[fu[k]] * (c > 1 ? c - 1 : 0);
    }
    return n;
}

void sim_machine_stalls(const SimMachine *m, uint32_t hart, uint64_t out[5])
{
    out[0] = hart_mem(m, hart).stall;
    out[1] = fu_stall(m, hart);
    out[2] = m->harts[hart].st.blocked;
    out[3] = m->harts[hart].st.spin;
    out[4] = m->slot_wait[hart];
}

void sim_machine_data_name(const SimMachine *m, uint32_t addr, char *buf,
                           size_t len)
{
    sim_elf_data_name(m->prog, addr, buf, len);
}

static bool always(const SimMachine *m) { (void)m; return true; }
static bool has_memsys(const SimMachine *m) { return m->memsys != NULL; }
static bool has_l2(const SimMachine *m)
{
    return m->memsys && memsys_config(m->memsys)->l2_on;
}
static uint32_t one(const SimMachine *m) { (void)m; return 1; }
static uint32_t nharts(const SimMachine *m) { return m->nharts; }
static uint32_t ncores(const SimMachine *m) { return m->cfg.cores; }
static uint32_t nl2(const SimMachine *m)
{
    return has_l2(m) ? m->cfg.cores : 0;
}
static uint32_t nnodes(const SimMachine *m)
{
    return memsys_config(m->memsys)->nodes;
}
uint32_t sim_stat_nlinks(const SimMachine *m)
{
    return noc_link_count(memsys_noc(m->memsys));
}
static uint32_t nlocks(const SimMachine *m) { return (uint32_t)m->nlocks; }

/* ---- the run --------------------------------------------------------------- */

static void t_schema(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)m; (void)i;
    snprintf(b, n, "parsim-stats-1");
}
static void t_program(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)i;
    snprintf(b, n, "%s", sim_elf_path(m->prog));
}
static uint64_t g_status(const SimMachine *m, uint32_t i, int e)
{
    (void)i; (void)e;
    return (uint64_t)(int64_t)m->status;
}
static uint64_t g_exited(const SimMachine *m, uint32_t i, int e)
{
    (void)i; (void)e;
    return m->program_exited;
}

static uint64_t g_refused(const SimMachine *m, uint32_t i, int e)
{
    (void)i; (void)e;
    return m->sh.fs_refused;
}

static const StatDef run_defs[] = {
    {"schema", SK_STR, "name", "the layout of this file", .text = t_schema},
    {"program", SK_STR, "path", "the program file as given",
     .text = t_program},
    {"exit_status", SK_INT, "status", "the program's exit status, or "
     "parsim's own when parsim ended the run", .get = g_status},
    {"program_exited", SK_BOOL, "true/false", "true when the program ended the run "
     "itself (exit, return from main); false when parsim stopped it "
     "(fault, deadlock, cycle limit)", .get = g_exited},
    {"host_files_refused", SK_COUNT, "calls", "file opens, removes and "
     "renames the host-file sandbox refused (--host-fs)", .get = g_refused},
};

/* ---- the machine ------------------------------------------------------------ */

bool sim_stat_parallel(const SimMachine *m)
{
    return m->cfg.mode == SIM_MODE_PARALLEL && m->cfg.host_threads > 1;
}
static void t_mname(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)i;
    snprintf(b, n, "%s", m->cfg.name);
}
static void t_policy(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)i;
    snprintf(b, n, "%s", m->cfg.mt_policy == SIM_MT_SWITCH_ON_STALL
                             ? "switch_on_stall" : "interleaved");
}
static void t_mode(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)i;
    snprintf(b, n, "%s", sim_stat_parallel(m) ? "parallel" : "deterministic");
}
/* A getter: member i's value (each: which of an `each` def's names). */
#define GETTER(name, expr)                                                 \
    static uint64_t name(const SimMachine *m, uint32_t i, int e)           \
    {                                                                      \
        (void)m; (void)i; (void)e;                                         \
        return (expr);                                                     \
    }
GETTER(g_cores, m->cfg.cores)
GETTER(g_tpc, m->cfg.threads_per_core)
GETTER(g_harts, m->nharts)
GETTER(g_hosts, sim_stat_parallel(m) ? m->cfg.host_threads : 1)
GETTER(g_quantum, m->cfg.quantum)
GETTER(g_timing, m->cfg.timing)

static const StatDef machine_defs[] = {
    {"name", SK_STR, "name", "the machine's name (its file's, or default)",
     .text = t_mname},
    {"cores", SK_ID, "cores", "cores", .get = g_cores},
    {"threads_per_core", SK_ID, "threads", "hardware threads per core",
     .get = g_tpc},
    {"harts", SK_ID, "harts", "cores x threads per core", .get = g_harts},
    {"mt_policy", SK_STR, "name", "how a core's threads share its issue "
     "slot: interleaved or switch_on_stall", .text = t_policy},
    {"mode", SK_STR, "name", "deterministic or parallel", .text = t_mode},
    {"host_threads", SK_ID, "threads", "host threads (1 in deterministic "
     "mode)", .get = g_hosts},
    {"quantum", SK_ID, "cycles", "parallel mode: cycles between barriers",
     .get = g_quantum},
    {"timing", SK_BOOL, "true/false", "false with --no-timing (1 cycle per "
     "instruction)", .get = g_timing},
};

/* ---- totals -------------------------------------------------------------------- */

static uint64_t g_tinsns(const SimMachine *m, uint32_t i, int e)
{
    (void)i; (void)e;
    uint64_t n = 0;
    for (uint32_t k = 0; k < m->nharts; k++)
        n += m->harts[k].isa.instret;
    return n;
}
uint64_t sim_latest_cycle(const SimMachine *m)
{
    uint64_t c = 0;
    for (uint32_t k = 0; k < m->nharts; k++)
        if (m->harts[k].isa.cycle > c)
            c = m->harts[k].isa.cycle;
    return c;
}
static uint64_t g_tcycles(const SimMachine *m, uint32_t i, int e)
{
    (void)i; (void)e;
    return sim_latest_cycle(m);
}

static const StatDef totals_defs[] = {
    {"instructions", SK_COUNT, "instructions", "instructions retired by all "
     "harts", .get = g_tinsns, .label = "instructions"},
    {"cycles", SK_CLOCK, "cycles", "the machine's time: the largest hart "
     "clock", .get = g_tcycles, .label = "cycles"},
    {"ipc", SK_RATIO, "instructions/cycle", "instructions per cycle of the "
     "whole machine", .num = 0, .den = 1, .label = "IPC"},
};

/* ---- harts ------------------------------------------------------------------ */

GETTER(h_id, i)
GETTER(h_core, m->harts[i].core)
GETTER(h_thread, m->harts[i].thread)
GETTER(h_insns, m->harts[i].isa.instret)
GETTER(h_cycles, m->harts[i].isa.cycle)
GETTER(h_smem, hart_mem(m, i).stall)
GETTER(h_sfu, fu_stall(m, i))
GETTER(h_sblocked, m->harts[i].st.blocked)
GETTER(h_sspin, m->harts[i].st.spin)
GETTER(h_sslot, m->slot_wait[i])
GETTER(h_loads, hart_mem(m, i).loads)
GETTER(h_stores, hart_mem(m, i).stores)
GETTER(h_amos, hart_mem(m, i).amos)
GETTER(h_acq, m->harts[i].st.acquisitions)
GETTER(h_wakes, m->harts[i].st.wakes_sent)

static const StatDef hart_defs[] = {
    {"hart", SK_ID, "hart", "the hart's number (mhartid)", .get = h_id,
     .label = "hart", 4},
    {"core", SK_ID, "core", "its core", .get = h_core, .label = "core", 4},
    {"thread", SK_ID, "thread", "its hardware thread in the core",
     .get = h_thread},
    {"instructions", SK_COUNT, "instructions", "instructions it retired",
     .get = h_insns, .label = "instructions", 13},
    {"cycles", SK_CLOCK, "cycles", "its own clock (a hart blocked at the end "
     "lags behind)", .get = h_cycles, .label = "cycles", 13},
    {"issue_slot_use", SK_RATIO, "instructions/cycle", "instructions / "
     "cycles: the share of its cycles in which it issued", .num = 3,
     .den = 4, .label = "IPC", 5},
    {"stalls.memory", SK_COUNT, "cycles", "cycles the memory model added to "
     "its accesses", .get = h_smem, .label = "stalled: memory", 16},
    {"stalls.functional_units", SK_COUNT, "cycles", "cycles beyond one of "
     "its multi-cycle instructions (multiply, divide, floating point)",
     .get = h_sfu, .label = "func.unit", 10},
    {"stalls.blocked", SK_COUNT, "cycles", "cycles blocked in the WAIT "
     "service (a blocking mutex, semaphore, condition variable, an idle "
     "hart waiting for work)", .get = h_sblocked, .label = "blocked", 10},
    {"stalls.spinning", SK_COUNT, "cycles", "cycles between an annotated "
     "lock's try and acquired, less the blocked ones", .get = h_sspin,
     .label = "spinning", 10},
    {"stalls.issue_slot", SK_COUNT, "cycles", "cycles an instruction waited "
     "because another thread of the core had the issue slot",
     .get = h_sslot, .label = "issue-slot", 11},
    {"loads", SK_COUNT, "accesses", "data loads the memory model saw (LR "
     "counts as a load)", .get = h_loads},
    {"stores", SK_COUNT, "accesses", "data stores", .get = h_stores},
    {"atomics", SK_COUNT, "accesses", "AMOs and SCs", .get = h_amos},
    {"lock_acquisitions", SK_COUNT, "acquisitions", "annotated lock "
     "acquisitions by this hart", .get = h_acq},
    {"wakes_sent", SK_COUNT, "harts", "harts it woke with the WAKE service",
     .get = h_wakes},
};

/* ---- the memory hierarchy ---------------------------------------------------- */

static const char *const protos[] = {"msi", "mesi", "moesi"};

static void t_proto(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)i;
    snprintf(b, n, "%s", protos[memsys_config(m->memsys)->protocol]);
}
static void t_org(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)i;
    snprintf(b, n, "%s", memsys_config(m->memsys)->org == COH_SNOOP
                             ? "snoop" : "directory");
}
static void t_topo(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    (void)i;
    snprintf(b, n, "%s",
             noc_topology_names[memsys_config(m->memsys)->noc.topology]);
}
GETTER(g_nodes, memsys_config(m->memsys)->nodes)

static const StatDef memory_defs[] = {
    {"protocol", SK_STR, "name", "msi, mesi or moesi", .text = t_proto},
    {"organisation", SK_STR, "name", "snoop (a bus) or directory",
     .text = t_org},
    {"nodes", SK_ID, "nodes", "NUMA nodes", .get = g_nodes},
    {"topology", SK_STR, "name", "the interconnect: bus, crossbar, ring, "
     "mesh or torus", .text = t_topo},
};

typedef enum { LVL_L1, LVL_L2, LVL_LLC } Level;

static CacheStats cache_stats(const SimMachine *m, Level lv, uint32_t i)
{
    CacheStats st;
    if (lv == LVL_L1)
        memsys_l1_stats(m->memsys, i, &st);
    else if (lv == LVL_L2)
        memsys_l2_stats(m->memsys, i, &st);
    else
        memsys_llc_stats(m->memsys, i, &st);
    return st;
}

#define CACHE_GETTERS(P, LV)                                               \
    GETTER(P##_acc, cache_stats(m, LV, i).accesses)                        \
    GETTER(P##_hits, cache_stats(m, LV, i).hits)                           \
    GETTER(P##_miss, cache_stats(m, LV, i).misses[e])                      \
    GETTER(P##_wb, cache_stats(m, LV, i).writebacks)                       \
    GETTER(P##_inv, cache_stats(m, LV, i).invalidations)                   \
    GETTER(P##_upg, cache_stats(m, LV, i).upgrades)
CACHE_GETTERS(l1, LVL_L1)
CACHE_GETTERS(l2, LVL_L2)
CACHE_GETTERS(llc, LVL_LLC)

static const char *const miss_names[MISS_CLASS_COUNT + 1] = {
    "compulsory", "capacity", "conflict", "coherence", NULL};
_Static_assert(MISS_CLASS_COUNT == 4, "ORDER MissClass: miss_names");

static uint64_t g_member(const SimMachine *m, uint32_t i, int e)
{
    (void)m; (void)e;
    return i;
}

/* The same rows for an L1D, an L2 and an LLC slice. */
#define CACHE_DEFS(P, KEY)                                                 \
    {KEY, SK_ID, KEY, "the " KEY " it belongs to", .get = g_member,        \
     .label = "", 4},                                                      \
    {"accesses", SK_COUNT, "accesses", "accesses that reached it",         \
     .get = P##_acc, .label = "accesses", 10},                             \
    {"hits", SK_COUNT, "accesses", "accesses it served", .get = P##_hits,  \
     .label = "hits", 10},                                                 \
    {"misses", SK_COUNT, "accesses", "misses by class: compulsory (never " \
     "held), coherence (lost to another core's write since), conflict (a " \
     "fully associative LRU cache of the same size would have hit), "      \
     "capacity (the rest); they add up to accesses - hits - upgrades",     \
     .get = P##_miss, .each = miss_names, .label = "", 10},                \
    {"writebacks", SK_COUNT, "lines", "dirty lines it wrote back",         \
     .get = P##_wb, .label = "writebacks", 11},                            \
    {"invalidations_received", SK_COUNT, "lines", "copies it lost to "     \
     "other cores' writes", .get = P##_inv, .label = "inval.recv", 11},    \
    {"upgrades", SK_COUNT, "accesses", "writes to a line held shared: "    \
     "permission without data (UPGRADE)", .get = P##_upg}

static const StatDef l1_defs[] = {CACHE_DEFS(l1, "core")};
static const StatDef l2_defs[] = {CACHE_DEFS(l2, "core")};
static const StatDef llc_defs[] = {CACHE_DEFS(llc, "node")};

static const char *msg_names[MSG_COUNT + 1];   /* coh_msg_names + NULL */

static uint64_t g_msg(const SimMachine *m, uint32_t i, int e)
{
    (void)i;
    return memsys_msg_count(m->memsys, (CohMsg)e);
}

static const StatDef msg_defs[] = {
    {"", SK_COUNT, "messages", "coherence messages of the whole run, by "
     "type (docs/memory.md)", .get = g_msg, .each = msg_names},
};

GETTER(mc_req, memsys_memctl(m->memsys, i)->requests)
GETTER(mc_bytes, memsys_memctl(m->memsys, i)->bytes)
GETTER(mc_queue, memsys_memctl(m->memsys, i)->queue_cycles)
GETTER(mc_busy, memsys_memctl(m->memsys, i)->busy_cycles)

/* The node's home: requests that found their line busy. */
static uint64_t home_wait(const SimMachine *m, uint32_t i, int what)
{
    uint64_t w[3];
    memsys_home_waits(m->memsys, i, &w[0], &w[1], &w[2]);
    return w[what];
}
GETTER(home_waits, home_wait(m, i, 0))
GETTER(home_wait_cycles, home_wait(m, i, 1))
GETTER(home_nacks, home_wait(m, i, 2))

static const StatDef mc_defs[] = {
    {"node", SK_ID, "node", "its node", .get = g_member},
    {"requests", SK_COUNT, "requests", "line reads and write-backs it "
     "served", .get = mc_req},
    {"bytes", SK_COUNT, "bytes", "bytes it moved", .get = mc_bytes},
    {"queue_cycles", SK_COUNT, "cycles", "cycles requests waited for it",
     .get = mc_queue},
    {"busy_cycles", SK_COUNT, "cycles", "cycles it was transferring",
     .get = mc_busy},
    {"home_waits", SK_COUNT, "requests", "requests for a line the node's "
     "home was busy with (docs/coherence.md)", .get = home_waits},
    {"home_wait_cycles", SK_COUNT, "cycles", "cycles those requests "
     "waited (coherence.busy = queue)", .get = home_wait_cycles},
    {"nacks", SK_COUNT, "messages", "NACKs the home sent back "
     "(coherence.busy = nack)", .get = home_nacks},
};

NocLinkStats sim_stat_link(const SimMachine *m, uint32_t i)
{
    NocLinkStats ls;
    noc_link_stats(memsys_noc(m->memsys), i, &ls);
    return ls;
}
GETTER(lk_from, sim_stat_link(m, i).from)
GETTER(lk_to, sim_stat_link(m, i).to)
GETTER(lk_packets, sim_stat_link(m, i).packets)
GETTER(lk_bytes, sim_stat_link(m, i).bytes)
GETTER(lk_busy, sim_stat_link(m, i).busy_cycles)
GETTER(lk_wait, sim_stat_link(m, i).wait_cycles)

static const StatDef link_defs[] = {
    {"from", SK_ID, "router", "the router it leaves (a bus: 0)",
     .get = lk_from},
    {"to", SK_ID, "router", "the router it reaches", .get = lk_to},
    {"packets", SK_COUNT, "packets", "packets that crossed it",
     .get = lk_packets},
    {"bytes", SK_COUNT, "bytes", "bytes that crossed it", .get = lk_bytes},
    {"busy_cycles", SK_COUNT, "cycles", "cycles it was occupied",
     .get = lk_busy},
    {"wait_cycles", SK_COUNT, "cycles", "cycles packets waited for it",
     .get = lk_wait},
};

/* Hot lines: the HOT lines with the most invalidations + transfers. */
#define HOT 16
static LineStats hot_line(const SimMachine *m, uint32_t i)
{
    LineStats hot[HOT];
    size_t n = memsys_hot_lines(m->memsys, hot, HOT);
    return i < n ? hot[i] : (LineStats){0};
}
static uint32_t nhot(const SimMachine *m)
{
    LineStats hot[HOT];
    return (uint32_t)memsys_hot_lines(m->memsys, hot, HOT);
}

/* A line by every variable it holds ("hits+0..31, hits_padded+0..31"). */
static void line_name(const SimMachine *m, uint32_t line, char *buf,
                      size_t len)
{
    sim_elf_line_name(m->prog, line, memsys_config(m->memsys)->l1d.line, buf,
                      len);
}

static void t_hot_sym(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    line_name(m, hot_line(m, i).line, b, n);
}
GETTER(hl_line, hot_line(m, i).line)
GETTER(hl_inv, hot_line(m, i).invalidations)
GETTER(hl_xfer, hot_line(m, i).transfers)
GETTER(hl_miss, hot_line(m, i).misses)
GETTER(hl_upg, hot_line(m, i).upgrades)

static const StatDef hot_defs[] = {
    {"line", SK_HEX, "address", "the line's address", .get = hl_line},
    {"symbol", SK_STR, "name", "every variable the line holds, with the "
     "bytes of each it covers (\"hits+0..31, hits_padded+0..31\": false "
     "sharing), or the line's address when it holds none",
     .text = t_hot_sym, .label = "line", -1},
    {"invalidations", SK_COUNT, "copies", "copies of it invalidated",
     .get = hl_inv, .label = "invalidations", 17},
    {"transfers", SK_COUNT, "lines", "cache-to-cache transfers of it",
     .get = hl_xfer, .label = "transfers", 10},
    {"misses", SK_COUNT, "accesses", "L1 misses on it", .get = hl_miss,
     .label = "misses", 10},
    {"upgrades", SK_COUNT, "accesses", "upgrades of it", .get = hl_upg},
};

/* ---- misses by variable ------------------------------------------------------------ */

/* Every line's L1 misses, added up by the variables it holds: a line of
 * one array counts for that array, a line two variables share counts
 * for both (and says so in shared_lines).  Memory no symbol covers is
 * "(heap)" (cold memory too), "(stacks)" or "(no variable)".  Counted
 * again only when the L1 misses have changed, as the window asks often. */
#define VARS 16

typedef struct VarMiss {
    char name[96];
    const SimSymbol *sym;
    uint32_t lines, shared;
    uint64_t miss[MISS_CLASS_COUNT], total;
} VarMiss;

struct SimVarCache {
    uint64_t key;               /* 1 + the L1 misses counted, 0: never */
    VarMiss *v;
    size_t n, cap;
    const SimMachine *m;        /* while counting */
    uint32_t heap_lo, heap_hi, line;
};

struct SimVarCache *sim_stat_varcache_new(void)
{
    return calloc(1, sizeof(struct SimVarCache));
}

void sim_stat_varcache_free(struct SimVarCache *c)
{
    if (c)
        free(c->v);
    free(c);
}

static VarMiss *var_of(struct SimVarCache *c, const SimSymbol *sym,
                       const char *bucket)
{
    for (size_t i = 0; i < c->n; i++)
        if (sym ? c->v[i].sym == sym : !c->v[i].sym &&
                                       !strcmp(c->v[i].name, bucket))
            return &c->v[i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        VarMiss *n = realloc(c->v, cap * sizeof *n);
        if (!n)
            return NULL;
        c->v = n;
        c->cap = cap;
    }
    VarMiss *v = &c->v[c->n++];
    memset(v, 0, sizeof *v);
    v->sym = sym;
    snprintf(v->name, sizeof v->name, "%s", sym ? sym->name : bucket);
    return v;
}

static void var_add(VarMiss *v, const LineStats *s, bool shared)
{
    if (!v)
        return;
    v->lines++;
    v->shared += shared;
    for (int k = 0; k < MISS_CLASS_COUNT; k++) {
        v->miss[k] += s->l1_misses[k];
        v->total += s->l1_misses[k];
    }
}

static void var_line(void *ctx, const LineStats *s)
{
    struct SimVarCache *c = ctx;
    const SimProgram *p = c->m->prog;
    const SimSymbol *held[8];
    int n = 0;
    uint64_t end = (uint64_t)s->line + c->line;
    for (uint64_t a = s->line; a < end && n < 8;) {
        const SimSymbol *y = sim_elf_symbol_at(p, (uint32_t)a);
        if (!y) {
            a = sim_elf_next_symbol(p, (uint32_t)a);   /* none before */
            continue;
        }
        if (y->is_func || !y->size) {
            a++;
            continue;
        }
        held[n++] = y;
        a = (uint64_t)y->addr + y->size;
    }
    for (int i = 0; i < n; i++)
        var_add(var_of(c, held[i], NULL), s, n > 1);
    if (!n)
        var_add(var_of(c, NULL, s->line >= c->heap_lo && s->line < c->heap_hi
                                ? "(heap)" : s->line >= c->heap_hi
                                ? "(stacks)" : "(no variable)"), s, false);
}

static int var_cmp(const void *a, const void *b)
{
    const VarMiss *x = a, *y = b;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return strcmp(x->name, y->name);
}

static const struct SimVarCache *vars(const SimMachine *m)
{
    struct SimVarCache *c = m->varc;
    if (!c || !m->memsys)
        return NULL;
    uint64_t key = 1;
    for (uint32_t k = 0; k < m->cfg.cores; k++) {
        CacheStats cs;
        memsys_l1_stats(m->memsys, k, &cs);
        for (int j = 0; j < MISS_CLASS_COUNT; j++)
            key += cs.misses[j];
    }
    if (c->key == key)
        return c;
    const SimSymbol *lo = sim_elf_symbol(m->prog, "__heap_start"),
                    *hi = sim_elf_symbol(m->prog, "__heap_end");
    c->heap_lo = lo ? lo->addr : UINT32_MAX;
    c->heap_hi = hi ? hi->addr : UINT32_MAX;
    c->line = memsys_config(m->memsys)->l1d.line;
    c->n = 0;
    c->m = m;
    memsys_each_line(m->memsys, var_line, c);
    if (c->n)                   /* none yet: no array to sort */
        qsort(c->v, c->n, sizeof *c->v, var_cmp);
    c->key = key;
    return c;
}

static bool has_vars(const SimMachine *m)
{
    /* Ranks' lines carry their node in the address: not one program's. */
    return m->memsys && !m->nranks;
}

static uint32_t nvars(const SimMachine *m)
{
    const struct SimVarCache *c = vars(m);
    return c ? (uint32_t)(c->n < VARS ? c->n : VARS) : 0;
}

static const VarMiss *var_at(const SimMachine *m, uint32_t i)
{
    static const VarMiss none;
    const struct SimVarCache *c = vars(m);
    return c && i < c->n ? &c->v[i] : &none;
}

static void t_var_name(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    snprintf(b, n, "%s", var_at(m, i)->name);
}
GETTER(vm_total, var_at(m, i)->total)
GETTER(vm_class, var_at(m, i)->miss[e])
GETTER(vm_lines, var_at(m, i)->lines)
GETTER(vm_shared, var_at(m, i)->shared)

static const StatDef var_defs[] = {
    {"symbol", SK_STR, "name", "the variable (an ELF data symbol), or "
     "(heap), (stacks), (no variable) for memory no symbol covers",
     .text = t_var_name, .label = "variable", -1},
    {"misses", SK_COUNT, "accesses", "L1 misses on its lines",
     .get = vm_total, .label = "misses", 10},
    {"by_class", SK_COUNT, "accesses", "the same by class (compulsory, "
     "capacity, conflict, coherence: as the L1's)", .get = vm_class,
     .each = miss_names, .label = "", 11},
    {"lines", SK_COUNT, "lines", "its lines that missed", .get = vm_lines,
     .label = "lines", 8},
    {"shared_lines", SK_COUNT, "lines", "of those, lines it shares with "
     "other variables (their misses count for each)", .get = vm_shared,
     .label = "shared", 7},
};

/* ---- locks -------------------------------------------------------------------- */

static void t_lock_sym(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    sim_elf_data_name(m->prog, m->locks[i].addr, b, n);
}
static void t_lock_kind(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    snprintf(b, n, "%s", sim_lock_kinds[m->locks[i].kind].name);
}
GETTER(lk_addr, m->locks[i].addr)
GETTER(lk_acq, m->locks[i].acquisitions)
GETTER(lk_wtot, m->locks[i].wait_total)
GETTER(lk_wmax, m->locks[i].wait_max)
GETTER(lk_hand, m->locks[i].handoffs)
GETTER(lk_hold, m->locks[i].hold_total)

static const StatDef lock_defs[] = {
    {"address", SK_HEX, "address", "the lock word's address",
     .get = lk_addr},
    {"symbol", SK_STR, "name", "the ELF symbol and offset of the lock word "
     "(counter_lock+0), or its address", .text = t_lock_sym,
     .label = "lock", -26},
    {"kind", SK_STR, "name", "tas, ttas, ttas_backoff, ticket, array, mcs, "
     "mutex, recursive_mutex, semaphore, condvar, barrier, event, other",
     .text = t_lock_kind, .label = "kind", -16},
    {"acquisitions", SK_COUNT, "acquisitions", "annotated acquisitions",
     .get = lk_acq, .label = "acquired", 9},
    {"wait_cycles_total", SK_COUNT, "cycles", "cycles from trying to "
     "acquired, summed", .get = lk_wtot, .label = "wait total", 12},
    {"wait_cycles_max", SK_PEAK, "cycles", "the longest of those waits",
     .get = lk_wmax, .label = "wait max", 10},
    {"handoffs", SK_COUNT, "acquisitions", "acquisitions by a different "
     "core than the previous holder's: each moves the lock (and its cache "
     "line) between cores", .get = lk_hand, .label = "hand-offs", 10},
    {"hold_cycles_total", SK_COUNT, "cycles", "cycles from acquired to "
     "released, summed", .get = lk_hold},
};

/* ---- message passing ------------------------------------------------------------ */

static bool has_ranks(const SimMachine *m) { return m->nranks > 0; }
static uint32_t nranks_of(const SimMachine *m) { return m->nranks; }
static uint32_t nsites(const SimMachine *m) { return (uint32_t)m->nsites; }

/* A rank's figure: its harts' counters summed, or its main hart's
 * clock. */
typedef enum RankFig {
    RF_CYCLES, RF_MPI, RF_OVH, RF_LATE_S, RF_LATE_R
} RankFig;
static uint64_t rank_fig(const SimMachine *m, uint32_t r, RankFig f)
{
    uint64_t acc = 0;
    for (uint32_t i = 0; i < m->nharts; i++) {
        const SimHart *h = &m->harts[i];
        if (h->rank != r)
            continue;
        switch (f) {
        case RF_CYCLES:
            if (h->isa.mhartid == 0)
                acc = h->isa.cycle;
            break;
        case RF_MPI: acc += h->st.mp_time; break;
        case RF_OVH: acc += h->st.mp_overhead; break;
        case RF_LATE_S: acc += h->st.mp_late_sender; break;
        case RF_LATE_R: acc += h->st.mp_late_receiver; break;
        }
    }
    return acc;
}
static uint64_t rank_compute(const SimMachine *m, uint32_t r)
{
    uint64_t c = rank_fig(m, r, RF_CYCLES), mpi = rank_fig(m, r, RF_MPI);
    return c > mpi ? c - mpi : 0;
}
#define NIC(i) nic_stats(m->nic, i)
GETTER(rk_id, i)
GETTER(rk_cycles, rank_fig(m, i, RF_CYCLES))
GETTER(rk_compute, rank_compute(m, i))
GETTER(rk_mpi, rank_fig(m, i, RF_MPI))
GETTER(rk_ovh, rank_fig(m, i, RF_OVH))
GETTER(rk_lates, rank_fig(m, i, RF_LATE_S))
GETTER(rk_later, rank_fig(m, i, RF_LATE_R))
GETTER(rk_msent, NIC(i)->msgs_sent)
GETTER(rk_bsent, NIC(i)->bytes_sent)
GETTER(rk_mrecv, NIC(i)->msgs_recv)
GETTER(rk_brecv, NIC(i)->bytes_recv)
GETTER(rk_eager, NIC(i)->eager)
GETTER(rk_rdv, NIC(i)->rendezvous)
GETTER(rk_pkts, NIC(i)->packets)
GETTER(rk_unexp, NIC(i)->unexpected)
GETTER(rk_unexp_pk, NIC(i)->unexpected_peak)
GETTER(rk_posted_pk, NIC(i)->posted_peak)
GETTER(rk_lat_tot, NIC(i)->latency_total)
GETTER(rk_lat_min, NIC(i)->msgs_recv ? NIC(i)->latency_min : 0)
GETTER(rk_lat_max, NIC(i)->latency_max)

static const StatDef rank_defs[] = {
    {"rank", SK_ID, "rank", "the rank (its node)", .get = rk_id,
     .label = "rank", 4},
    {"cycles", SK_CLOCK, "cycles", "its main hart's clock", .get = rk_cycles,
     .label = "cycles", 12},
    {"compute_cycles", SK_COUNT, "cycles", "cycles outside the MPI "
     "library's calls", .get = rk_compute, .label = "compute", 12},
    {"mpi_cycles", SK_COUNT, "cycles", "cycles inside the MPI library's "
     "calls (its harts summed)", .get = rk_mpi, .label = "in MPI", 11},
    {"overhead_cycles", SK_COUNT, "cycles", "LogGP o: CPU cycles spent "
     "sending and receiving (mp.send_overhead, mp.recv_overhead)",
     .get = rk_ovh, .label = "send/recv", 10},
    {"late_sender_cycles", SK_COUNT, "cycles", "cycles blocked waiting for "
     "a message that had not arrived (a late sender)", .get = rk_lates,
     .label = "late sender", 12},
    {"late_receiver_cycles", SK_COUNT, "cycles", "cycles a rendezvous send "
     "waited for its receive to be posted (a late receiver)",
     .get = rk_later, .label = "late recv", 10},
    {"messages_sent", SK_COUNT, "messages", "messages it sent",
     .get = rk_msent, .label = "sent", 7},
    {"bytes_sent", SK_COUNT, "bytes", "payload bytes it sent",
     .get = rk_bsent, .label = "bytes sent", 11},
    {"messages_received", SK_COUNT, "messages", "messages it received",
     .get = rk_mrecv, .label = "received", 8},
    {"bytes_received", SK_COUNT, "bytes", "payload bytes it received",
     .get = rk_brecv},
    {"eager", SK_COUNT, "messages", "sends that went eagerly",
     .get = rk_eager},
    {"rendezvous", SK_COUNT, "messages", "sends that went by rendezvous "
     "(longer than mp.eager_threshold, or synchronous)", .get = rk_rdv},
    {"packets", SK_COUNT, "packets", "packets its interface injected (data, "
     "request- and clear-to-send)", .get = rk_pkts},
    {"unexpected", SK_COUNT, "messages", "messages to it that found no "
     "posted receive and were queued", .get = rk_unexp},
    {"unexpected_peak", SK_PEAK, "messages", "most messages in its "
     "unexpected queue at once", .get = rk_unexp_pk, .label = "unexp.peak",
     10},
    {"posted_peak", SK_PEAK, "receives", "most receives in its posted "
     "queue at once", .get = rk_posted_pk},
    {"latency_cycles_total", SK_COUNT, "cycles", "per message it received: "
     "from the send's post to the receive's completion, summed",
     .get = rk_lat_tot},
    {"latency_cycles_min", SK_PEAK, "cycles", "the shortest of those",
     .get = rk_lat_min},
    {"latency_cycles_max", SK_PEAK, "cycles", "the longest of those",
     .get = rk_lat_max},
};

static void t_site_call(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    snprintf(b, n, "%s", sim_mpi_call_names[m->sites[i].call]);
}
void sim_stat_site_line(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    if (!sim_elf_file_line(m->prog, m->sites[i].site - 2, b, n))
        sim_elf_describe(m->prog, m->sites[i].site - 2, b, n);
}
GETTER(st_rank, m->sites[i].rank)
GETTER(st_calls, m->sites[i].calls)
GETTER(st_time, m->sites[i].time)
GETTER(st_wait, m->sites[i].wait)

static const StatDef site_defs[] = {
    {"rank", SK_ID, "rank", "the calling rank", .get = st_rank,
     .label = "rank", 4},
    {"call", SK_STR, "name", "the MPI call", .text = t_site_call,
     .label = "call", -14},
    {"site", SK_STR, "file:line", "where the program calls it",
     .text = sim_stat_site_line, .label = "at", -22},
    {"calls", SK_COUNT, "calls", "times it was called there",
     .get = st_calls, .label = "calls", 8},
    {"cycles", SK_COUNT, "cycles", "cycles inside those calls",
     .get = st_time, .label = "cycles", 12},
    {"wait_cycles", SK_COUNT, "cycles", "of those, cycles blocked waiting "
     "for a peer (late sender or receiver)", .get = st_wait,
     .label = "waiting", 12},
};

/* ---- the GPU array ----------------------------------------------------------------- */

static bool has_gpu(const SimMachine *m) { return m->gpu != NULL; }
static bool has_kernels(const SimMachine *m) { return sim_gpu_nkernels(m); }
static uint32_t nkernels(const SimMachine *m) { return sim_gpu_nkernels(m); }
static const char *const stall_names[] = {"memory", "barrier", "bank_conflict",
                                          "no_ready_warp", NULL};
#define KS(i) sim_gpu_kernel(m, i)
#define GM sim_gpu_mem_counts(m)
static void t_kname(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    snprintf(b, n, "%s", KS(i)->name);
}
/* The kernel's three most divergent branches, "red.c:31 (812)". */
static void t_kdiv(const SimMachine *m, uint32_t i, char *b, size_t n)
{
    const SimGpuKernelStats *k = KS(i);
    bool used[SIM_GPU_DIV_SITES] = {false};
    size_t len = 0;
    b[0] = 0;
    for (int r = 0; r < 3; r++) {
        int best = -1;
        for (int j = 0; j < SIM_GPU_DIV_SITES; j++)
            if (!used[j] && k->div_count[j] &&
                (best < 0 || k->div_count[j] > k->div_count[best]))
                best = j;
        if (best < 0)
            break;
        used[best] = true;
        char where[128];
        if (!sim_elf_file_line(m->prog, k->div_pc[best], where, sizeof where))
            sim_elf_describe(m->prog, k->div_pc[best], where, sizeof where);
        int w = snprintf(b + len, n - len, "%s%s (%" PRIu64 ")", r ? ", " : "",
                         where, k->div_count[best]);
        if (w < 0 || (size_t)w >= n - len)
            break;
        len += (size_t)w;
    }
}
GETTER(k_launch, KS(i)->launches)
GETTER(k_blocks, KS(i)->blocks)
GETTER(k_threads, KS(i)->threads)
GETTER(k_cycles, KS(i)->cycles)
GETTER(k_winsn, KS(i)->warp_insns)
GETTER(k_linsn, KS(i)->lane_insns)
GETTER(k_slots, KS(i)->warp_insns * m->cfg.gpu.warp_size)
GETTER(k_ldreq, KS(i)->gld_requests)
GETTER(k_ldsec, KS(i)->gld_sectors)
GETTER(k_streq, KS(i)->gst_requests)
GETTER(k_stsec, KS(i)->gst_sectors)
GETTER(k_atom, KS(i)->atomics)
GETTER(k_smreq, KS(i)->smem_requests)
GETTER(k_smconf, KS(i)->smem_conflict_cycles)
GETTER(k_smworst, KS(i)->smem_worst)
GETTER(k_wcyc, KS(i)->warp_cycles)
GETTER(k_wslots, KS(i)->sm_cycles * KS(i)->max_warps)
GETTER(k_stall, KS(i)->stall[e])
GETTER(k_div, KS(i)->divergent)

/* ORDER: the ratios name their defs by index. */
static const StatDef kernel_defs[] = {
    {"kernel", SK_STR, "name", "the kernel function", .text = t_kname,
     .label = "kernel", -16},
    {"launches", SK_COUNT, "launches", "times it was launched",
     .get = k_launch, .label = "launches", 8},
    {"blocks", SK_COUNT, "blocks", "blocks run, all launches",
     .get = k_blocks},
    {"threads", SK_COUNT, "threads", "threads run, all launches",
     .get = k_threads},
    {"cycles", SK_COUNT, "cycles", "from each launch to its last block's "
     "end, summed", .get = k_cycles, .label = "cycles", 10},
    {"warp_instructions", SK_COUNT, "instructions", "warp instructions "
     "issued", .get = k_winsn, .label = "warp insns", 10},
    {"lane_instructions", SK_COUNT, "instructions", "instructions the lanes "
     "retired (a warp instruction counts once per active lane)",
     .get = k_linsn},
    {"lane_slots", SK_COUNT, "lanes", "warp instructions x gpu.warp_size",
     .get = k_slots},
    {"simd_efficiency", SK_RATIO, "lanes/lane", "active lanes per issued "
     "lane slot: 1 when warps never diverge", .num = 6, .den = 7,
     .label = "SIMD eff.", 9},
    {"load_requests", SK_COUNT, "requests", "warp loads from global memory",
     .get = k_ldreq},
    {"load_transactions", SK_COUNT, "sectors", "32-byte sectors those loads "
     "came to (the coalescer)", .get = k_ldsec},
    {"load_transactions_per_request", SK_RATIO, "sectors/request", "4 for "
     "32 coalesced 4-byte loads, 32 for a stride of 32 words", .num = 10,
     .den = 9, .label = "ld trans/req", 12},
    {"store_requests", SK_COUNT, "requests", "warp stores to global memory",
     .get = k_streq},
    {"store_transactions", SK_COUNT, "sectors", "32-byte sectors those "
     "stores came to", .get = k_stsec},
    {"atomics", SK_COUNT, "lanes", "lane atomics (global and shared)",
     .get = k_atom},
    {"shared_requests", SK_COUNT, "requests", "warp accesses to shared "
     "memory", .get = k_smreq},
    {"bank_conflict_cycles", SK_COUNT, "cycles", "extra cycles of "
     "shared-memory bank conflicts (degree - 1 per access)",
     .get = k_smconf, .label = "bank confl.", 11},
    {"bank_conflict_worst", SK_PEAK, "ways", "the worst conflict degree of "
     "one access (1: none)", .get = k_smworst, .label = "worst", 5},
    {"warp_cycles", SK_COUNT, "warp cycles", "resident warps x cycles, all "
     "SMs", .get = k_wcyc},
    {"warp_slot_cycles", SK_COUNT, "warp cycles", "gpu.max_warps_per_sm x "
     "cycles the SMs had its blocks", .get = k_wslots},
    {"achieved_occupancy", SK_RATIO, "warps/warp", "resident warps per "
     "warp slot, averaged over the SMs' busy cycles", .num = 18, .den = 19,
     .label = "occupancy", 9},
    {"stall_cycles", SK_COUNT, "cycles", "SM cycles with nothing issued, by "
     "cause: every warp waiting for memory, at a barrier, in a bank "
     "conflict, or for an earlier result (no ready warp)", .get = k_stall,
     .each = stall_names},
    {"divergent_branches", SK_COUNT, "branches", "warp branches whose lanes "
     "went both ways", .get = k_div, .label = "divergent", 9},
    {"most_divergent", SK_STR, "file:line (count)", "its three branches "
     "that diverged most", .text = t_kdiv},
};

GETTER(g_sms, m->cfg.gpu.sms)
GETTER(g_ws, m->cfg.gpu.warp_size)
GETTER(g_l1h, GM->l1_hits)
GETTER(g_l1m, GM->l1_misses)
GETTER(g_l2h, GM->l2_hits)
GETTER(g_l2m, GM->l2_misses)
GETTER(g_memb, GM->mem_bytes)
GETTER(g_cpb, sim_gpu_copy_bytes(m))
GETTER(g_cpc, sim_gpu_copy_cycles(m))

static const StatDef gpu_defs[] = {
    {"sms", SK_ID, "SMs", "streaming multiprocessors (gpu.sms)",
     .get = g_sms},
    {"warp_size", SK_ID, "lanes", "lanes per warp (gpu.warp_size)",
     .get = g_ws},
    {"l1_hits", SK_COUNT, "sectors", "load sectors the SMs' L1s served",
     .get = g_l1h},
    {"l1_misses", SK_COUNT, "sectors", "load sectors the L1s missed",
     .get = g_l1m},
    {"l2_hits", SK_COUNT, "sectors", "L1 misses the L2 served",
     .get = g_l2h},
    {"l2_misses", SK_COUNT, "sectors", "L1 misses that went to memory",
     .get = g_l2m},
    {"memory_bytes", SK_COUNT, "bytes", "bytes the L2 read from memory",
     .get = g_memb},
    {"copy_bytes", SK_COUNT, "bytes", "bytes gpu_memcpy moved",
     .get = g_cpb},
    {"copy_cycles", SK_COUNT, "cycles", "cycles harts spent in gpu_memcpy",
     .get = g_cpc},
};

/* ---- the registry --------------------------------------------------------------- */

#define GROUP(p, arr, r, pres, cnt, d, h)                                  \
    {p, arr, r, pres, cnt, d, N(d), h}

const StatGroup sim_stat_groups[] = {
    GROUP("", false, false, always, one, run_defs, "the run"),
    GROUP("machine", false, false, always, one, machine_defs,
          "the machine (every parameter is under config)"),
    GROUP("totals", false, true, always, one, totals_defs, "the whole "
          "machine"),
    GROUP("harts", true, true, always, nharts, hart_defs, "per hart"),
    GROUP("memory", false, false, has_memsys, one, memory_defs,
          "the memory hierarchy (absent with memory.model = flat)"),
    GROUP("memory.l1d", true, true, has_memsys, ncores, l1_defs,
          "per core: its L1 data cache"),
    GROUP("memory.l2", true, true, has_memsys, nl2, l2_defs,
          "per core: its private L2 (empty without one)"),
    GROUP("memory.llc", true, true, has_memsys, nnodes, llc_defs,
          "per NUMA node: its LLC slice"),
    GROUP("memory.messages", false, true, has_memsys, one, msg_defs,
          "coherence messages by type"),
    GROUP("memory.memory_controllers", true, true, has_memsys, nnodes,
          mc_defs, "per NUMA node: its memory controller"),
    GROUP("memory.links", true, true, has_memsys, sim_stat_nlinks, link_defs,
          "per link of the interconnect (a bus has one)"),
    GROUP("memory.hot_lines", true, false, has_memsys, nhot, hot_defs,
          "the 16 lines with the most invalidations + transfers"),
    GROUP("memory.variables", true, false, has_vars, nvars, var_defs,
          "the 16 variables with the most L1 misses on their lines"),
    GROUP("locks", true, true, always, nlocks, lock_defs,
          "per annotated lock"),
    GROUP("ranks", true, true, has_ranks, nranks_of, rank_defs,
          "message passing (--ranks): per rank"),
    GROUP("mpi_sites", true, false, has_ranks, nsites, site_defs,
          "message passing: per rank and MPI call site of the program"),
    GROUP("gpu", false, false, has_gpu, one, gpu_defs,
          "the GPU array (absent with gpu.sms = 0)"),
    GROUP("gpu.kernels", true, false, has_kernels, nkernels, kernel_defs,
          "the GPU array: per kernel function, all its launches"),
};
_Static_assert(N(sim_stat_groups) == SIM_STAT_NGROUPS,
               "SIM_STAT_NGROUPS (sim/stats_priv.h) counts the groups");

/* Value slots of one member of group g: every def, each name once. */
int sim_stat_slots(const StatGroup *g)
{
    return sim_stat_slot_of(g, g->ndefs);
}

void sim_stat_init(void)
{
    if (!msg_names[0])
        for (int i = 0; i < MSG_COUNT; i++)
            msg_names[i] = coh_msg_names[i];
}

/* ---- values: the whole run or a region -------------------------------------- */



/* The value of slot `slot` (def d, each e) of member i of group gi. */
uint64_t sim_stat_value(const Values *v, int gi, uint32_t i, int d, int e,
                      int slot)
{
    const StatGroup *g = &sim_stat_groups[gi];
    const StatDef *s = &g->defs[d];
    if (v->roi && sim_stat_diffed(s->kind)) {
        const SimRoiGroup *rg = &v->roi->g[gi];
        return i < rg->members ? rg->acc[(size_t)i * rg->slots + slot] : 0;
    }
    return s->get ? s->get(v->m, i, e) : 0;
}

/* Slot index of def d's first value. */
int sim_stat_slot_of(const StatGroup *g, int d)
{
    int n = 0;
    for (int k = 0; k < d; k++)
        n += sim_stat_values(&g->defs[k]);
    return n;
}

double sim_stat_ratio(const Values *v, int gi, uint32_t i, const StatDef *s)
{
    const StatGroup *g = &sim_stat_groups[gi];
    uint64_t a = sim_stat_value(v, gi, i, s->num, 0, sim_stat_slot_of(g, s->num));
    uint64_t b = sim_stat_value(v, gi, i, s->den, 0, sim_stat_slot_of(g, s->den));
    return b ? (double)a / (double)b : 0.0;
}

/* ---- the region of interest ------------------------------------------------------- */

/* Every counter's value now, into rg's `now` (grown to the members). */
static bool record(const SimMachine *m, int gi, uint64_t **out,
                   uint32_t *members)
{
    const StatGroup *g = &sim_stat_groups[gi];
    uint32_t n = g->present(m) ? g->count(m) : 0;
    int slots = sim_stat_slots(g);
    uint64_t *a = calloc((size_t)n * slots + 1, sizeof *a);
    if (!a)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        int slot = 0;
        for (int d = 0; d < g->ndefs; d++) {
            const StatDef *s = &g->defs[d];
            int ne = sim_stat_values(s);
            for (int e = 0; e < ne; e++, slot++)
                if (sim_stat_diffed(s->kind))
                    a[(size_t)i * slots + slot] = s->get(m, i, e);
        }
    }
    free(*out);
    *out = a;
    *members = n;
    return true;
}

void sim_roi_mark(SimMachine *m, bool begin, uint64_t cycle)
{
    sim_stat_init();
    SimRoi *r = &m->roi;
    if (begin == r->active)
        return;                   /* a begin inside, an end outside */
    if (!r->g) {
        r->g = calloc(SIM_STAT_NGROUPS, sizeof *r->g);
        if (!r->g)
            return;
        for (int gi = 0; gi < SIM_STAT_NGROUPS; gi++)
            r->g[gi].slots = sim_stat_slots(&sim_stat_groups[gi]);
    }
    for (int gi = 0; gi < SIM_STAT_NGROUPS; gi++) {
        SimRoiGroup *rg = &r->g[gi];
        if (!sim_stat_groups[gi].roi)
            continue;
        if (begin) {
            record(m, gi, &rg->base, &rg->nbase);
            continue;
        }
        uint64_t *now = NULL;
        uint32_t n = 0;
        if (!record(m, gi, &now, &n))
            continue;
        if (n > rg->members) {
            uint64_t *acc = realloc(rg->acc, ((size_t)n * rg->slots + 1) *
                                                 sizeof *acc);
            if (!acc) {
                free(now);
                continue;
            }
            memset(acc + (size_t)rg->members * rg->slots, 0,
                   (size_t)(n - rg->members) * rg->slots * sizeof *acc);
            rg->acc = acc;
            rg->members = n;
        }
        for (uint32_t i = 0; i < n; i++)
            for (int k = 0; k < rg->slots; k++) {
                size_t at = (size_t)i * rg->slots + k;
                uint64_t base = i < rg->nbase ? rg->base[at] : 0;
                rg->acc[at] += now[at] - base;
            }
        free(now);
    }
    if (begin) {
        r->begin_cycle = r->regions ? r->begin_cycle : cycle;
    } else {
        r->regions++;
        r->end_cycle = cycle;
    }
    r->active = begin;
}

void sim_roi_free(SimRoi *r)
{
    for (int gi = 0; r->g && gi < SIM_STAT_NGROUPS; gi++) {
        free(r->g[gi].base);
        free(r->g[gi].acc);
    }
    free(r->g);
    memset(r, 0, sizeof *r);
}


int sim_stat_group(const char *path)
{
    for (int gi = 0; gi < SIM_STAT_NGROUPS; gi++)
        if (!strcmp(sim_stat_groups[gi].path, path))
            return gi;
    return -1;
}

/* The machine figure of slot `slot` (def d, each e) of group gi: its
 * members summed (counters) or their largest (clocks, peaks). */
uint64_t sim_stat_figure(const Values *v, int gi, int d, int e,
                               int slot)
{
    const StatGroup *g = &sim_stat_groups[gi];
    uint32_t n = g->present(v->m) ? g->count(v->m) : 0;
    if (v->roi && n > v->roi->g[gi].members)
        n = v->roi->g[gi].members;
    uint64_t acc = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t x = sim_stat_value(v, gi, i, d, e, slot);
        if (g->defs[d].kind == SK_COUNT)
            acc += x;
        else if (x > acc)
            acc = x;
    }
    return acc;
}

uint64_t sim_stat_insns(const SimMachine *m) { return g_tinsns(m, 0, 0); }
uint64_t sim_stat_cycles(const SimMachine *m) { return g_tcycles(m, 0, 0); }
