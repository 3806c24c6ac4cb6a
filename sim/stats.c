/* stats.c — the end-of-run summary and the --stats JSON. */
#include "sim/machine_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- summary and statistics ---------------------------------------------- */

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
                    " %10" PRIu64 "\n", name, sim_lock_kinds[l->kind].name,
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
                PRIu64 "}%s\n", sim_lock_kinds[l->kind].name, l->acquisitions,
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
