/* trace_export.c — the laid-out trace (trace_layout.c) handed to
 * on_layout as a SimTraceLayout (sim/trace.h), for renderers other than
 * the JSON writer (visualizer/timeline.c draws it for --trace-png): the
 * same tracks, in the order the viewers show the file's, the same
 * slices with their depths, the flows and the counters (see
 * trace_priv.h).
 */
#include "sim/trace_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Tracks in the viewers' order: by process, then by sort index.  Fills
 * tracks[] and track_of[group * MAX_LANES + row]; the number of tracks,
 * or -1 when out of memory. */
static long order_tracks(const Layout *L, uint32_t *track_of,
                         SimTraceTrack *tracks)
{
    uint64_t *key = calloc((size_t)L->ngroups * MAX_LANES, sizeof *key);
    if (!key)
        return -1;
    uint32_t nt = 0;
    for (uint32_t g = 0; g < L->ngroups; g++) {
        unsigned rows = sim_trace_group_rows(L, g);
        for (unsigned lane = 0; lane < rows; lane++)
            key[nt++] = (uint64_t)sim_trace_pid_sort(
                            L, sim_trace_group_pid(L, g)) << 48 |
                        (uint64_t)sim_trace_group_sort(L, g, lane) << 24 |
                        (uint64_t)(g * MAX_LANES + lane);
    }
    if (nt > 1)
        qsort(key, nt, sizeof *key, u64_cmp);
    for (uint32_t i = 0; i < nt; i++) {
        uint32_t gl = (uint32_t)(key[i] & 0xffffff);
        uint32_t g = gl / MAX_LANES, lane = gl % MAX_LANES;
        track_of[gl] = i;
        sim_trace_group_process(L, g, tracks[i].process,
                                sizeof tracks[i].process);
        sim_trace_group_name(L, g, lane, tracks[i].name,
                             sizeof tracks[i].name);
    }
    free(key);
    return nt;
}

/* SimTraceSlice.arg: what a renderer may colour a slice by. */
static uint16_t slice_arg(const Layout *L, const Rec *r)
{
    uint32_t launch = 0;
    switch (r->type) {
    case R_HOLD: return r->hart;
    case R_MSG: case R_MPCALL: return r->what;
    case R_MPMSG: return r->dst;
    case R_KERNEL: return (uint16_t)r->id;
    case R_BLOCK:
        return sim_trace_block_launch(L, r, &launch) ? (uint16_t)launch : 0;
    case R_WARP: return r->dst;
    default: return 0;
    }
}

/* The slices with their depths (from a stack per row, group by group, as
 * the JSON writer nests them), each track's depth, and the flows from a
 * message's send to its receipt; the number of flows.  recv[] maps a
 * record to its receipt's slice (+1), to[] a flow to it. */
static size_t slices_and_flows(const Layout *L, const uint32_t *track_of,
                               SimTraceTrack *tracks, uint32_t *recv,
                               uint32_t *to, SimTraceSlice *sl,
                               SimTraceFlow *fl)
{
    const SimTrace *t = L->t;
    static RowStack rows;
    uint64_t ended;
    size_t nf = 0;
    for (size_t i = 0; i < L->n; i++)
        if (L->s[i].role == 2)
            recv[L->s[i].rec] = (uint32_t)i + 1;
    for (size_t i = 0; i < L->n; i++) {
        const Slice *s = &L->s[i];
        if (i == 0 || s->group != L->s[i - 1].group)
            sim_trace_rows_reset(&rows);
        while (sim_trace_rows_pop(&rows, s->lane, s->start, &ended))
            ;
        uint32_t tr = track_of[s->group * MAX_LANES + s->lane];
        const Rec *rc = &t->rec[s->rec];
        sl[i] = (SimTraceSlice){.start = s->start, .end = s->end,
                                .track = tr,
                                .depth = (uint16_t)rows.depth[s->lane],
                                .arg = slice_arg(L, rc)};
        sim_trace_slice_label(L, s, sl[i].label, sizeof sl[i].label,
                              &sl[i].color);
        sim_trace_rows_push(&rows, s->lane, s->end);
        if (tracks[tr].depth < rows.depth[s->lane])
            tracks[tr].depth = (uint16_t)rows.depth[s->lane];
        if (s->flow && s->role == 1 && recv[s->rec]) {
            const Slice *r = &L->s[recv[s->rec] - 1];
            bool mp = rc->type == R_MPMSG;
            to[nf] = recv[s->rec] - 1;
            fl[nf++] = (SimTraceFlow){
                .from_track = tr,
                .to_track = track_of[r->group * MAX_LANES + r->lane],
                .from = s->start, .to = r->start, .from_depth = sl[i].depth,
                .kind = mp ? SIM_TF_MP : SIM_TF_COHERENCE,
                .bytes = mp ? rc->addr : 0};
        }
    }
    /* The receipts' depths, now that every slice has one. */
    for (size_t f = 0; f < nf; f++)
        fl[f].to_depth = sl[to[f]].depth;
    return nf;
}

/* The counters cs[0..nc), np periods from p0 each, into at[] and val[]. */
static void counter_tracks(const Layout *L, const Counter *cs, size_t nc,
                           uint64_t p0, uint64_t np, uint64_t *at,
                           double *val, SimTraceCounter *tc)
{
    for (uint64_t p = 0; p < np; p++)
        at[p] = sim_trace_bin_at(L, p0 + p);
    for (size_t c = 0; c < nc; c++) {
        sim_trace_pid_process(L, cs[c].pid, tc[c].process,
                              sizeof tc[c].process);
        /* "IPC core 3" (a name that says its core already stays). */
        if (strstr(cs[c].name, cs[c].key))
            snprintf(tc[c].name, sizeof tc[c].name, "%s", cs[c].name);
        else
            snprintf(tc[c].name, sizeof tc[c].name, "%s %s", cs[c].name,
                     cs[c].key);
        tc[c].n = (uint32_t)np;
        tc[c].at = at;
        tc[c].value = val + c * np;
        for (uint64_t p = 0; p < np; p++)
            val[c * np + p] = sim_trace_bin_value(L, &cs[c], p0 + p);
    }
}

bool sim_trace_export(SimTrace *t, const Layout *L, char *err, size_t errlen)
{
    SimTraceLayout out = {.from = L->from, .to = L->to, .events = L->events,
                          .dropped = t->dropped};
    size_t ntr = (size_t)L->ngroups * MAX_LANES;
    uint32_t *track_of = calloc(ntr, sizeof *track_of);
    SimTraceTrack *tracks = calloc(ntr, sizeof *tracks);
    SimTraceSlice *sl = calloc(L->n ? L->n : 1, sizeof *sl);
    SimTraceFlow *fl = calloc(L->n ? L->n : 1, sizeof *fl);
    uint32_t *recv = calloc(t->nrec ? t->nrec : 1, sizeof *recv);
    uint32_t *to = calloc(L->n ? L->n : 1, sizeof *to);
    Counter cs[MAX_COUNTERS];
    SimTraceCounter tc[MAX_COUNTERS];
    size_t nc = sim_trace_counters(L, cs, MAX_COUNTERS);
    uint64_t p0 = period_of(t, L->from);
    uint64_t np = L->to > L->from ? period_of(t, L->to - 1) - p0 + 1 : 0;
    uint64_t *at = calloc(np ? np : 1, sizeof *at);
    double *val = calloc(np * nc + 1, sizeof *val);
    bool ok = false;
    long nt = -1;
    if (track_of && tracks && sl && fl && recv && to && at && val)
        nt = order_tracks(L, track_of, tracks);
    if (nt < 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    out.ntracks = (uint32_t)nt;
    out.tracks = tracks;
    out.nslices = L->n;
    out.slices = sl;
    out.nflows = slices_and_flows(L, track_of, tracks, recv, to, sl, fl);
    out.flows = fl;
    counter_tracks(L, cs, nc, p0, np, at, val, tc);
    out.ncounters = (uint32_t)nc;
    out.counters = tc;
    ok = t->o.on_layout(t->o.ctx, &out, err, errlen);
done:
    free(track_of);
    free(tracks);
    free(sl);
    free(fl);
    free(recv);
    free(to);
    free(at);
    free(val);
    return ok;
}
