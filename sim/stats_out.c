/* stats_out.c — what walks the statistics registry (stats.c): the
 * --stats JSON, the --stats-csv row, the end-of-run summary, the window's
 * list of figures and docs/stats.md's field tables.  Nothing here knows a
 * figure by name but the summary's few fixed lines (the totals, the
 * busiest links, the hottest lines): a new group in the registry reaches
 * every output without a change here.
 */
#include "sim/stats_priv.h"
#include "sim/csv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json.h"
#include "sim/gpu.h"

/* ---- JSON ------------------------------------------------------------------------- */

/* Open the objects of `path` below what is open (`open` levels of
 * `cur`), closing those that differ first. */
static void json_path_to(JsonW *w, char cur[][48], int *open,
                         const char *path, int keep_last)
{
    char parts[8][48];
    int n = 0;
    const char *p = path;
    while (*p && n < 8) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        snprintf(parts[n++], sizeof parts[0], "%.*s", (int)len, p);
        p += len + (dot ? 1 : 0);
    }
    n -= keep_last;               /* the last part is the value's own key */
    int same = 0;
    while (same < *open && same < n && !strcmp(cur[same], parts[same]))
        same++;
    while (*open > same) {
        jw_close(w);
        (*open)--;
    }
    for (; *open < n; (*open)++) {
        jw_open(w, parts[*open], '{', false);
        snprintf(cur[*open], 48, "%s", parts[*open]);
    }
}

/* Member i of group gi as JSON members of the object that is open. */
static void json_member(JsonW *w, const Values *v, int gi, uint32_t i)
{
    const StatGroup *g = &sim_stat_groups[gi];
    char cur[8][48];
    int open = 0;
    int slot = 0;
    for (int d = 0; d < g->ndefs; d++) {
        const StatDef *s = &g->defs[d];
        bool skip = v->roi && s->kind == SK_PEAK;
        if (s->each) {
            if (!skip) {
                if (*s->path) {
                    json_path_to(w, cur, &open, s->path, 1);
                    const char *last = strrchr(s->path, '.');
                    jw_open(w, last ? last + 1 : s->path, '{', false);
                }
            }
            for (int e = 0; s->each[e]; e++, slot++)
                if (!skip)
                    jw_u64(w, s->each[e], sim_stat_value(v, gi, i, d, e, slot));
            if (!skip && *s->path)
                jw_close(w);
            continue;
        }
        int my = slot++;
        if (skip)
            continue;
        json_path_to(w, cur, &open, s->path, 1);
        const char *key = strrchr(s->path, '.');
        key = key ? key + 1 : s->path;
        char text[256];
        switch (s->kind) {
        case SK_COUNT: case SK_CLOCK: case SK_PEAK: case SK_ID:
            jw_u64(w, key, sim_stat_value(v, gi, i, d, 0, my));
            break;
        case SK_INT:
            jw_i64(w, key, (int64_t)sim_stat_value(v, gi, i, d, 0, my));
            break;
        case SK_BOOL:
            jw_bool(w, key, sim_stat_value(v, gi, i, d, 0, my) != 0);
            break;
        case SK_STR:
            s->text(v->m, i, text, sizeof text);
            jw_str(w, key, text);
            break;
        case SK_HEX:
            snprintf(text, sizeof text, "0x%08" PRIx32,
                     (uint32_t)sim_stat_value(v, gi, i, d, 0, my));
            jw_str(w, key, text);
            break;
        case SK_RATIO:
            jw_f64(w, key, sim_stat_ratio(v, gi, i, s), 4);
            break;
        }
    }
    while (open-- > 0)
        jw_close(w);
}

/* Every group (with `roi`: those with region figures) into the open
 * object. */
static void json_groups(JsonW *w, const Values *v)
{
    char cur[8][48];
    int open = 0;
    for (int gi = 0; gi < SIM_STAT_NGROUPS; gi++) {
        const StatGroup *g = &sim_stat_groups[gi];
        if (!g->present(v->m) || (v->roi && !g->roi))
            continue;
        if (!*g->path) {
            json_member(w, v, gi, 0);
            continue;
        }
        if (!g->array) {
            /* One object: open its path and write its members there, so
             * that sim_stat_groups below it ("memory.l1d") land in the same one. */
            json_path_to(w, cur, &open, g->path, 0);
            json_member(w, v, gi, 0);
            continue;
        }
        json_path_to(w, cur, &open, g->path, 1);
        const char *key = strrchr(g->path, '.');
        key = key ? key + 1 : g->path;
        uint32_t n = g->count(v->m);
        if (v->roi && n > v->roi->g[gi].members)
            n = v->roi->g[gi].members;
        jw_open(w, key, '[', false);
        for (uint32_t i = 0; i < n; i++) {
            jw_open(w, NULL, '{', true);
            json_member(w, v, gi, i);
            jw_close(w);
        }
        jw_close(w);
    }
    while (open-- > 0)
        jw_close(w);
}

static void json_config(JsonW *w, const SimMachine *m)
{
    jw_open(w, "config", '{', false);
    size_t n = sim_config_key_count();
    for (size_t i = 0; i < n; i++) {
        char val[128];
        bool number;
        const char *key = sim_config_key_at(&m->cfg, i, val, sizeof val,
                                            &number);
        if (number)
            jw_u64(w, key, strtoull(val, NULL, 10));
        else
            jw_str(w, key, val);
    }
    jw_close(w);
}

bool sim_machine_write_stats(const SimMachine *m, const char *path,
                             char *err, size_t errlen)
{
    sim_stat_init();
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    JsonW w;
    jw_init(&w, f);
    jw_open(&w, NULL, '{', false);
    Values whole = {m, NULL};
    json_groups(&w, &whole);
    jw_open(&w, "argv", '[', true);
    for (int i = 0; i < m->argc; i++)
        jw_str(&w, NULL, m->argv[i]);
    jw_close(&w);
    json_config(&w, m);
    if (m->roi.regions) {
        jw_open(&w, "roi", '{', false);
        jw_u64(&w, "regions", m->roi.regions);
        jw_u64(&w, "begin_cycle", m->roi.begin_cycle);
        jw_u64(&w, "end_cycle", m->roi.end_cycle);
        Values roi = {m, &m->roi};
        json_groups(&w, &roi);
        jw_close(&w);
    }
    jw_close(&w);
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* ---- CSV ----------------------------------------------------------------------------- */



/* One row: the machine figure of every counter (a group's members summed,
 * or their max), the region's beside them, then every parameter, the
 * program and its exit status.  Columns are named by their JSON paths.
 * The header (m NULL) is the same for every machine. */
static void csv_walk(FILE *f, const SimMachine *m)
{
    bool first = true, header = !m;
    const Values whole = {m, NULL}, roi = {m, m ? &m->roi : NULL};
    /* The region's columns are there in every row (empty without one), so
     * that rows of several runs line up under one header. */
    for (int pass = 0; pass < 2; pass++) {
        const Values *v = pass ? &roi : &whole;
        for (int gi = 0; gi < SIM_STAT_NGROUPS; gi++) {
            const StatGroup *g = &sim_stat_groups[gi];
            if (!g->roi)
                continue;
            int slot = 0;
            for (int d = 0; d < g->ndefs; d++) {
                const StatDef *s = &g->defs[d];
                int ne = sim_stat_values(s);
                for (int e = 0; e < ne; e++, slot++) {
                    if (!sim_stat_diffed(s->kind) && s->kind != SK_PEAK)
                        continue;
                    if (pass && s->kind == SK_PEAK)
                        continue;
                    fputs(first ? "" : ",", f);
                    first = false;
                    if (header) {
                        fprintf(f, "%s%s%s%s%s", pass ? "roi." : "", g->path,
                                *s->path ? "." : "", s->path,
                                s->each ? "." : "");
                        if (s->each)
                            fputs(s->each[e], f);
                    } else if (!pass || m->roi.regions) {
                        if (g->present(m))
                            fprintf(f, "%" PRIu64,
                                    sim_stat_figure(v, gi, d, e, slot));
                    }
                }
            }
        }
    }
    SimConfig defaults;
    if (header)
        sim_config_defaults(&defaults);
    size_t n = sim_config_key_count();
    for (size_t i = 0; i < n; i++) {
        char val[128];
        bool number;
        const char *key = sim_config_key_at(header ? &defaults : &m->cfg, i,
                                            val, sizeof val, &number);
        fputc(',', f);
        sim_csv_field(f, header ? key : val);
    }
    if (header)
        fputs(",program,exit_status\n", f);
    else {
        fputc(',', f);
        sim_csv_field(f, sim_elf_path(m->prog));
        fprintf(f, ",%d\n", m->status);
    }
}

void sim_stats_csv_header(FILE *f)
{
    sim_stat_init();
    csv_walk(f, NULL);
}

const char *sim_stats_csv_unit(const char *column)
{
    sim_stat_init();
    if (!strncmp(column, "roi.", 4))
        column += 4;
    for (int gi = 0; gi < SIM_STAT_NGROUPS; gi++) {
        const StatGroup *g = &sim_stat_groups[gi];
        size_t gl = strlen(g->path);
        if (!g->roi ||
            (gl && (strncmp(column, g->path, gl) || column[gl] != '.')))
            continue;
        const char *rest = gl ? column + gl + 1 : column;
        for (int d = 0; d < g->ndefs; d++) {
            const StatDef *s = &g->defs[d];
            size_t pl = strlen(s->path);
            /* Only the columns csv_walk writes. */
            if (!sim_stat_diffed(s->kind) && s->kind != SK_PEAK)
                continue;
            if (strncmp(rest, s->path, pl))
                continue;
            const char *tail = rest + pl;
            if (!s->each && !*tail)
                return s->unit;
            if (s->each) {
                if (pl && *tail++ != '.')
                    continue;
                for (int e = 0; s->each[e]; e++)
                    if (!strcmp(tail, s->each[e]))
                        return s->unit;
            }
        }
    }
    return NULL;
}

bool sim_machine_write_csv(const SimMachine *m, const char *path, char *err,
                           size_t errlen)
{
    sim_stat_init();
    FILE *f = fopen(path, "a+");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    fseek(f, 0, SEEK_END);
    if (ftell(f) == 0)
        csv_walk(f, NULL);
    csv_walk(f, m);
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* ---- the summary ------------------------------------------------------------------- */

static void commas(uint64_t v, char *out, size_t len)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < len; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
}

/* A value as the summary prints it: counts with thousands separators. */
static void cell(const Values *v, int gi, uint32_t i, int d, int e, int slot,
                 bool sep, char *buf, size_t len)
{
    const StatDef *s = &sim_stat_groups[gi].defs[d];
    switch (s->kind) {
    case SK_STR:
        s->text(v->m, i, buf, len);
        break;
    case SK_RATIO:
        snprintf(buf, len, sep ? "%.3f" : "%.2f", sim_stat_ratio(v, gi, i, s));
        break;
    case SK_HEX:
        snprintf(buf, len, "0x%08" PRIx32,
                 (uint32_t)sim_stat_value(v, gi, i, d, e, slot));
        break;
    case SK_INT:
        snprintf(buf, len, "%" PRId64, (int64_t)sim_stat_value(v, gi, i, d, e, slot));
        break;
    default:
        if (sep)
            commas(sim_stat_value(v, gi, i, d, e, slot), buf, len);
        else
            snprintf(buf, len, "%" PRIu64, sim_stat_value(v, gi, i, d, e, slot));
        break;
    }
}

/* A table of group gi: a column per labelled def (an `each` def gives a
 * column per name), a row per member; `row` names a row when the group's
 * first def (its identity) has an empty label. */
static void table(FILE *f, const Values *v, int gi, const char *row,
                  bool header, uint32_t max)
{
    const StatGroup *g = &sim_stat_groups[gi];
    uint32_t n = g->count(v->m);
    if (v->roi && n > v->roi->g[gi].members)
        n = v->roi->g[gi].members;
    if (n > max)
        n = max;
    char buf[256];
    /* Two passes over the columns: fixed widths, then free text (width
     * -1, such as a hot line's symbols) at the end of the row. */
    if (header) {
        fputs(" ", f);
        if (row)
            fprintf(f, " %-8s", "cache");
        for (int pass = 0; pass < 2; pass++)
            for (int d = 0; d < g->ndefs; d++) {
                const StatDef *s = &g->defs[d];
                if (!s->label || (row && d == 0) ||
                    (s->width == -1) != (pass == 1))
                    continue;
                if (s->each)
                    for (int e = 0; s->each[e]; e++)
                        fprintf(f, " %*s", s->width, s->each[e]);
                else
                    fprintf(f, " %*s", s->width, s->label);
            }
        fputc('\n', f);
    }
    for (uint32_t i = 0; i < n; i++) {
        fputs(" ", f);
        if (row) {
            snprintf(buf, sizeof buf, "%s %u", row, i);
            fprintf(f, " %-8s", buf);
        }
        for (int pass = 0; pass < 2; pass++) {
            int slot = 0;
            for (int d = 0; d < g->ndefs; d++) {
                const StatDef *s = &g->defs[d];
                int ne = sim_stat_values(s);
                for (int e = 0; e < ne; e++, slot++) {
                    if (!s->label || (row && d == 0) ||
                        (s->width == -1) != (pass == 1))
                        continue;
                    cell(v, gi, i, d, e, slot, false, buf, sizeof buf);
                    fprintf(f, " %*s", s->width, buf);
                }
            }
        }
        fputc('\n', f);
    }
}

/* The busiest links: a view of the links group, sorted by busy cycles. */
static void busiest_links(FILE *f, const SimMachine *m, uint64_t cycles)
{
    uint32_t nl = sim_stat_nlinks(m), shown = 0;
    bool *used = calloc(nl ? nl : 1, sizeof *used);
    if (!used)
        return;
    while (shown < 6 && shown < nl) {
        int best = -1;
        NocLinkStats bs = {0};
        for (uint32_t i = 0; i < nl; i++) {
            NocLinkStats ls = sim_stat_link(m, i);
            if (!used[i] && ls.packets &&
                (best < 0 || ls.busy_cycles > bs.busy_cycles)) {
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
    free(used);
}


static void memory_summary(FILE *f, const Values *v)
{
    const SimMachine *m = v->m;
    const MemSysConfig *c = memsys_config(m->memsys);
    static const char *const names[] = {"MSI", "MESI", "MOESI"};
    fprintf(f, "\n  memory: %s %s, %u node%s, L1D %u KiB %u-way, %s%sLLC %u KiB "
            "per node, %s\n", names[c->protocol],
            c->org == COH_SNOOP ? "snooping bus" : "directory", c->nodes,
            c->nodes > 1 ? "s" : "", c->l1d.size >> 10, c->l1d.assoc,
            c->l2_on ? "L2 " : "", c->l2_on ? "private, " : "",
            c->llc.size >> 10, noc_topology_names[c->noc.topology]);
    table(f, v, sim_stat_group("memory.l1d"), "L1D", true, UINT32_MAX);
    if (c->l2_on)
        table(f, v, sim_stat_group("memory.l2"), "L2", false, UINT32_MAX);
    table(f, v, sim_stat_group("memory.llc"), "LLC", false, UINT32_MAX);
    fprintf(f, "  messages:");
    for (int t = 0; t < MSG_COUNT; t++)
        fprintf(f, " %s %" PRIu64, coh_msg_names[t], memsys_msg_count(m->memsys,
                                                                   (CohMsg)t));
    fputc('\n', f);
    for (uint32_t i = 0; i < c->nodes; i++) {
        const MemCtl *mc = memsys_memctl(m->memsys, i);
        fprintf(f, "  memory controller %u: %" PRIu64 " requests, %" PRIu64
                " cycles queueing\n", i, mc->requests, mc->queue_cycles);
        uint64_t waits, cycles, nacks;
        memsys_home_waits(m->memsys, i, &waits, &cycles, &nacks);
        if (waits)
            fprintf(f, "  home %u: %" PRIu64 " requests waited for a busy "
                    "line, %" PRIu64 " cycles\n", i, waits, cycles);
        if (nacks)
            fprintf(f, "  home %u: %" PRIu64 " NACKs for a busy line\n", i,
                    nacks);
    }
    busiest_links(f, m, sim_stat_cycles(m));
    int hi = sim_stat_group("memory.hot_lines");
    if (sim_stat_groups[hi].count(m)) {
        fprintf(f, "  hottest lines:\n");
        table(f, v, hi, NULL, true, 8);
    }
    int vi = sim_stat_group("memory.variables");
    if (sim_stat_groups[vi].present(m) && sim_stat_groups[vi].count(m)) {
        fprintf(f, "  L1 misses by variable:\n");
        table(f, v, vi, NULL, true, 8);
    }
}

/* Message passing: the totals, the per-rank table, and the call sites
 * where the ranks waited most. */
static void mp_summary(FILE *f, const Values *v)
{
    const SimMachine *m = v->m;
    uint64_t msgs = 0, bytes = 0, eager = 0, rdv = 0, lat = 0, recvd = 0;
    uint64_t lmin = UINT64_MAX, lmax = 0;
    for (uint32_t r = 0; r < m->nranks; r++) {
        const NicStats *st = nic_stats(m->nic, r);
        msgs += st->msgs_sent;
        bytes += st->bytes_sent;
        eager += st->eager;
        rdv += st->rendezvous;
        lat += st->latency_total;
        recvd += st->msgs_recv;
        if (st->msgs_recv && st->latency_min < lmin)
            lmin = st->latency_min;
        if (st->latency_max > lmax)
            lmax = st->latency_max;
    }
    fprintf(f, "\n  message passing: %u ranks, %" PRIu64 " messages (%" PRIu64
            " eager, %" PRIu64 " rendezvous), %" PRIu64 " bytes", m->nranks,
            msgs, eager, rdv, bytes);
    if (recvd)
        fprintf(f, "; latency min %" PRIu64 ", mean %.1f, max %" PRIu64
                " cycles", lmin, (double)lat / (double)recvd, lmax);
    fputc('\n', f);
    table(f, v, sim_stat_group("ranks"), NULL, true, UINT32_MAX);
    /* The sites where ranks waited longest, at most 8. */
    bool *used = calloc(m->nsites ? m->nsites : 1, sizeof *used);
    if (!used)
        return;
    for (int shown = 0; shown < 8; shown++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < m->nsites; i++)
            if (!used[i] && m->sites[i].wait &&
                (best == SIZE_MAX || m->sites[i].wait > m->sites[best].wait))
                best = i;
        if (best == SIZE_MAX)
            break;
        used[best] = true;
        const SimMpSite *st = &m->sites[best];
        char at[256];
        sim_stat_site_line(m, (uint32_t)best, at, sizeof at);
        if (shown == 0)
            fprintf(f, "  waits by call site:\n");
        fprintf(f, "    rank %u %s at %s: %" PRIu64 " calls, %" PRIu64
                " cycles waiting of %" PRIu64 "\n", st->rank,
                sim_mpi_call_names[st->call], at, st->calls, st->wait,
                st->time);
    }
    free(used);
}

/* The GPU array: a line, the per-kernel table, where warps diverged. */
static void gpu_summary(FILE *f, const Values *v)
{
    const SimMachine *m = v->m;
    const SimtMemCounts *c = sim_gpu_mem_counts(m);
    uint64_t l1 = c->l1_hits + c->l1_misses, l2 = c->l2_hits + c->l2_misses;
    fprintf(f, "\n  GPU: %u SMs x %u warps of %u lanes, %s memory; L1 hit "
            "rate %.1f%%, L2 %.1f%%, %" PRIu64 " bytes from memory",
            m->cfg.gpu.sms, m->cfg.gpu.max_warps, m->cfg.gpu.warp_size,
            m->cfg.gpu.memory ? "discrete" : "unified",
            l1 ? 100.0 * (double)c->l1_hits / (double)l1 : 0.0,
            l2 ? 100.0 * (double)c->l2_hits / (double)l2 : 0.0, c->mem_bytes);
    if (sim_gpu_copy_bytes(m))
        fprintf(f, "; copies %" PRIu64 " bytes in %" PRIu64 " cycles",
                sim_gpu_copy_bytes(m), sim_gpu_copy_cycles(m));
    fputc('\n', f);
    table(f, v, sim_stat_group("gpu.kernels"), NULL, true, UINT32_MAX);
    for (uint32_t i = 0; i < sim_gpu_nkernels(m); i++) {
        const SimGpuKernelStats *k = sim_gpu_kernel(m, i);
        if (!k->divergent)
            continue;
        char b[512];
        const StatGroup *g = &sim_stat_groups[sim_stat_group("gpu.kernels")];
        g->defs[g->ndefs - 1].text(m, i, b, sizeof b);
        fprintf(f, "  %s diverged most at %s\n", k->name, b);
    }
}

void sim_machine_summary(const SimMachine *m, FILE *f)
{
    sim_stat_init();
    Values whole = {m, NULL}, roi = {m, &m->roi};
    bool region = m->roi.regions > 0;
    if (m->program_exited)
        fprintf(f, "parsim: %s exited with status %d\n",
                sim_elf_path(m->prog), m->status);
    else
        fprintf(f, "parsim: %s stopped by parsim (status %d)\n",
                sim_elf_path(m->prog), m->status);
    /* The totals, with the region's beside them. */
    int ti = sim_stat_group("totals");
    if (region)
        fprintf(f, "  %-16s %-16s region of interest (%" PRIu64 " region%s, "
                "cycles %" PRIu64 "..%" PRIu64 ")\n", "", "whole run",
                m->roi.regions, m->roi.regions > 1 ? "s" : "",
                m->roi.begin_cycle, m->roi.end_cycle);
    for (int d = 0, slot = 0; d < sim_stat_groups[ti].ndefs; d++, slot++) {
        char a[64], b[64];
        cell(&whole, ti, 0, d, 0, slot, true, a, sizeof a);
        if (region) {
            cell(&roi, ti, 0, d, 0, slot, true, b, sizeof b);
            fprintf(f, "  %-16s %-16s %s\n", sim_stat_groups[ti].defs[d].label, a, b);
        } else {
            fprintf(f, "  %-16s %s\n", sim_stat_groups[ti].defs[d].label, a);
        }
    }
    uint64_t insns = sim_stat_insns(m);
    if (m->sh.fs_refused)
        fprintf(f, "  %-16s %" PRIu64 " (outside --host-fs %s)\n",
                "files refused", m->sh.fs_refused,
                m->sh.fs_mode == SIM_FS_NONE ? "none"
                : m->sh.fs_root ? m->sh.fs_root : "");
    fprintf(f, "  %-16s %.3f s\n", "host time", m->host_seconds);
    fprintf(f, "  %-16s %.1f\n", "simulated MIPS",
            m->host_seconds > 0 ? (double)insns / m->host_seconds / 1e6
                                : 0.0);
    if (m->nharts > 1) {
        if (m->nranks)
            fprintf(f, "  %-16s %u ranks, each a node of", "machine",
                    m->nranks);
        else
            fprintf(f, "  %-16s", "machine");
        fprintf(f, " %u cores x %u threads, %s",
                m->nranks ? m->cfg.cores_per_node : m->cfg.cores,
                m->cfg.threads_per_core,
                sim_stat_parallel(m) ? "parallel" : "deterministic");
        if (sim_stat_parallel(m))
            fprintf(f, " (%u host threads, quantum %u)", m->cfg.host_threads,
                    m->cfg.quantum);
        fputc('\n', f);
        fputc('\n', f);
        table(f, &whole, sim_stat_group("harts"), NULL, true, UINT32_MAX);
        if (region) {
            fprintf(f, "  region of interest:\n");
            table(f, &roi, sim_stat_group("harts"), NULL, true, UINT32_MAX);
        }
    }
    if (m->nranks)
        mp_summary(f, &whole);
    if (sim_gpu_nkernels(m))
        gpu_summary(f, &whole);
    if (m->memsys) {
        memory_summary(f, &whole);
        if (region) {
            fprintf(f, "\n  region of interest:\n");
            table(f, &roi, sim_stat_group("memory.l1d"), "L1D", true, UINT32_MAX);
        }
    }
    if (m->nlocks) {
        fputc('\n', f);
        table(f, &whole, sim_stat_group("locks"), NULL, true, UINT32_MAX);
    }
}

/* ---- the window's list and the docs --------------------------------------------------- */

size_t sim_machine_stat_lines(const SimMachine *m, SimStatLine *out,
                              size_t max)
{
    sim_stat_init();
    Values whole = {m, NULL};
    size_t n = 0;
    /* Links are many (a mesh of 64 has 224): the summary's busiest links
     * and the window's heat map show them instead. */
    int links = sim_stat_group("memory.links");
    for (int gi = 0; gi < SIM_STAT_NGROUPS && n < max; gi++) {
        const StatGroup *g = &sim_stat_groups[gi];
        if (!g->roi || !g->present(m) || !g->count(m) || gi == links)
            continue;
        int slot = 0;
        for (int d = 0; d < g->ndefs && n < max; d++) {
            const StatDef *s = &g->defs[d];
            int ne = sim_stat_values(s);
            for (int e = 0; e < ne && n < max; e++, slot++) {
                if (!sim_stat_diffed(s->kind))
                    continue;
                SimStatLine *o = &out[n++];
                snprintf(o->name, sizeof o->name, "%s%s%s%s%s", g->path,
                         *s->path ? "." : "", s->path, s->each ? "." : "",
                         s->each ? s->each[e] : "");
                snprintf(o->unit, sizeof o->unit, "%s", s->unit);
                o->value = sim_stat_figure(&whole, gi, d, e, slot);
            }
        }
    }
    /* The variables missed most (a group of their own): whose lines the misses
     * are on. */
    int vi = sim_stat_group("memory.variables");
    const StatGroup *vg = &sim_stat_groups[vi];
    uint32_t nv = vg->present(m) ? vg->count(m) : 0;
    for (uint32_t i = 0; i < nv && i < 6 && n < max; i++) {
        char name[64];
        vg->defs[0].text(m, i, name, sizeof name);
        SimStatLine *o = &out[n++];
        snprintf(o->name, sizeof o->name, "misses_on.%.52s", name);
        snprintf(o->unit, sizeof o->unit, "accesses");
        o->value = vg->defs[1].get(m, i, 0);
    }
    return n;
}

void sim_stats_markdown(FILE *f)
{
    sim_stat_init();
    for (int gi = 0; gi < SIM_STAT_NGROUPS; gi++) {
        const StatGroup *g = &sim_stat_groups[gi];
        fprintf(f, "\n**%s** — %s%s\n\n| field | unit | %s | meaning |\n"
                "| --- | --- | --- | --- |\n",
                *g->path ? g->path : "(top)", g->help,
                g->array ? " (an array, one entry each)" : "",
                "region");
        for (int d = 0; d < g->ndefs; d++) {
            const StatDef *s = &g->defs[d];
            char name[160];
            if (s->each && !*s->path)
                snprintf(name, sizeof name, "`%s` … `%s`", s->each[0],
                         s->each[MSG_COUNT - 1]);
            else if (s->each)
                snprintf(name, sizeof name, "`%s.%s` … `%s.%s`", s->path,
                         s->each[0], s->path, s->each[MISS_CLASS_COUNT - 1]);
            else
                snprintf(name, sizeof name, "`%s`", s->path);
            const char *roi = !g->roi ? "—" : sim_stat_diffed(s->kind) ? "difference"
                            : s->kind == SK_RATIO ? "recomputed"
                            : s->kind == SK_PEAK ? "—" : "same";
            fprintf(f, "| %s | %s | %s | %s |\n", name, s->unit, roi,
                    s->help);
        }
    }
}
