/* trace_json.c — the laid-out trace (trace_layout.c) written as Chrome
 * trace-event JSON: metadata naming every process and track, the slices
 * group by group, the counters, and what the run left out (see
 * trace_priv.h).
 *
 * Exact times.  1 cycle = 1 ns, the JSON's unit is the microsecond, so a
 * timestamp is written as c / 1000 with three decimals.  Perfetto reads
 * "ts" exactly (as a decimal string) but some versions read "dur" as a
 * double and truncate, which can make a child end 1 ns after its parent.
 * The hart tracks, where stalls nest inside states (and states inside
 * library calls), are therefore B/E pairs (both ends are timestamps);
 * the leaf tracks (messages, locks, region) use X events, where a 1 ns
 * error cannot break a nesting.  A message between ranks is a slice at
 * each end on a hart track, each with its end of the flow right after
 * its B; its flow id is MP_FLOW_BASE + its number.  A GPU warp's
 * divergence or reconvergence is an instant ("ph":"i", thread scope) on
 * its SM's track, written in time order among the block slices there.
 */
#include "sim/trace_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json.h"

#ifndef PARSIM_VERSION
#define PARSIM_VERSION "dev"
#endif

/* ---- the buffered writer ------------------------------------------------ */

/* The file is written through a buffer of its own, numbers by hand:
 * printf and stdio's per-call work were most of the time a large trace
 * took to write (measured with perf on the demo: vfprintf, fwrite and
 * fputs, 40%). */
#define OUT_BUF (1u << 16)

typedef struct Out {
    FILE *f;
    char *buf;
    size_t n;
    bool first;
    uint64_t events;
} Out;

static void o_flush(Out *o)
{
    if (o->n)
        fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

static void o_mem(Out *o, const char *p, size_t n)
{
    if (o->n + n > OUT_BUF) {
        o_flush(o);
        if (n > OUT_BUF) {
            fwrite(p, 1, n, o->f);
            return;
        }
    }
    memcpy(o->buf + o->n, p, n);
    o->n += n;
}

static void o_str(Out *o, const char *s)
{
    o_mem(o, s, strlen(s));
}

static void o_chr(Out *o, char c)
{
    o_mem(o, &c, 1);
}

__attribute__((format(printf, 2, 3)))
static void o_fmt(Out *o, const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n > 0)
        o_mem(o, b, (size_t)n < sizeof b ? (size_t)n : sizeof b - 1);
}

/* s as a JSON string literal (the names in a trace are short). */
static void o_jstr(Out *o, const char *s)
{
    char buf[1024];
    o_chr(o, '"');
    o_mem(o, buf, jw_escape(buf, sizeof buf, s));
    o_chr(o, '"');
}

static void o_u(Out *o, uint64_t v)
{
    char b[24];
    int i = sizeof b;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    o_mem(o, b + i, sizeof b - (size_t)i);
}

/* ,"key":c/1000 with three decimals: 1 cycle = 1 ns. */
static void o_ts(Out *o, const char *key, uint64_t c)
{
    char frac[4] = {'.', (char)('0' + c / 100 % 10),
                    (char)('0' + c / 10 % 10), (char)('0' + c % 10)};
    o_str(o, ",\"");
    o_str(o, key);
    o_str(o, "\":");
    o_u(o, c / 1000);
    o_mem(o, frac, 4);
}

/* {"ph":"P","pid":P,"tid":T */
static void o_ids(Out *o, const char *ph, unsigned pid, unsigned tid)
{
    o_str(o, "{\"ph\":\"");
    o_str(o, ph);
    o_str(o, "\",\"pid\":");
    o_u(o, pid);
    o_str(o, ",\"tid\":");
    o_u(o, tid);
}

/* ---- events ------------------------------------------------------------- */

static void begin_event(Out *o)
{
    o_str(o, o->first ? "\n" : ",\n");
    o->first = false;
}

static void meta(Out *o, unsigned pid, int tid, const char *what,
                 const char *name, int sort)
{
    begin_event(o);
    o_fmt(o, "{\"ph\":\"M\",\"pid\":%u", pid);
    if (tid >= 0)
        o_fmt(o, ",\"tid\":%d", tid);
    o_fmt(o, ",\"name\":\"%s\",\"args\":{", what);
    if (name) {
        o_str(o, "\"name\":");
        o_jstr(o, name);
    } else {
        o_fmt(o, "\"sort_index\":%d", sort);
    }
    o_str(o, "}}");
}

/* "key":"the symbol of addr" */
static void o_addr(Out *o, const SimTrace *t, const char *key, uint32_t addr)
{
    char nm[48];
    sim_trace_data_name(t, addr, nm, sizeof nm);
    o_chr(o, '"');
    o_str(o, key);
    o_str(o, "\":");
    o_jstr(o, nm);
}

/* The args of a slice, and its category. */
static void slice_args(const Layout *L, const Slice *s, Out *o)
{
    const SimTrace *t = L->t;
    const Rec *r = &t->rec[s->rec];
    char a[48], b[32];
    o_str(o, ",\"args\":{");
    switch (r->type) {
    case R_STATE:
        if (r->what == SIM_EVH_SPINNING || r->what == SIM_EVH_BLOCKED) {
            o_addr(o, t, r->what == SIM_EVH_SPINNING ? "lock" : "on",
                   r->addr);
            o_chr(o, ',');
        }
        o_fmt(o, "\"cycles\":%" PRIu64, r->end - r->start);
        break;
    case R_STALL:
        o_addr(o, t, "addr", r->addr);
        o_fmt(o, ",\"access\":\"%s\",\"cycles\":%" PRIu64,
              sim_trace_access_name(r->id), r->end - r->start);
        break;
    case R_HOLD:
        o_addr(o, t, "lock", r->addr);
        o_fmt(o, ",\"kind\":\"%s\",\"hart\":%u,\"cycles\":%" PRIu64,
              sim_trace_lock_kind_name(r->what), r->hart, r->end - r->start);
        if (r->flags & REC_OPEN_AT_END)
            o_str(o, ",\"held_at_end\":true");
        break;
    case R_MSG:
        sim_trace_end_name(L, sim_trace_endpoint(L, r->src, r->what, true,
                                                 r->hart), a, sizeof a);
        sim_trace_end_name(L, sim_trace_endpoint(L, r->dst, r->what, false,
                                                 r->hart), b, sizeof b);
        o_fmt(o, "\"from\":\"%s\",\"to\":\"%s\",\"cycles\":%" PRIu64
              ",\"hart\":%u", a, b, r->end - r->start, r->hart);
        break;
    case R_ROI:
        o_fmt(o, "\"cycles\":%" PRIu64, r->end - r->start);
        break;
    case R_MPCALL:
        sim_trace_site_name(t, r->addr, a, sizeof a);
        o_str(o, "\"site\":");
        o_jstr(o, a);
        o_fmt(o, ",\"depth\":%u,\"cycles\":%" PRIu64, r->id,
              r->end - r->start);
        if (r->flags & REC_OPEN_AT_END)
            o_str(o, ",\"open_at_end\":true");
        break;
    case R_MPMSG:
        o_fmt(o, "\"msg\":%u,\"from_rank\":%u,\"to_rank\":%u,\"bytes\":%u,"
              "\"tag\":%u,\"protocol\":\"%s\"", r->id, r->src, r->dst,
              r->addr, r->what,
              r->flags & REC_RENDEZVOUS ? "rendezvous" : "eager");
        if (r->flags & REC_NO_RECV)
            o_str(o, ",\"received\":false");
        else if (!(r->flags & REC_NO_SEND))
            o_fmt(o, ",\"cycles\":%" PRIu64, r->end - r->start);
        break;
    case R_KERNEL:
        o_fmt(o, "\"launch\":%u,\"hart\":%u,\"cycles\":%" PRIu64, r->id,
              r->hart, r->end - r->start);
        break;
    case R_BLOCK: {
        uint32_t launch;
        sim_trace_func_name(t, r->addr, a, sizeof a);
        o_str(o, "\"kernel\":");
        o_jstr(o, a);
        if (sim_trace_block_launch(L, r, &launch))
            o_fmt(o, ",\"launch\":%u", launch);
        o_fmt(o, ",\"block\":%u,\"sm\":%u,\"first_warp_slot\":%u,"
              "\"cycles\":%" PRIu64, r->id, r->src, r->dst,
              r->end - r->start);
        break;
    }
    case R_WARP:
        sim_trace_line_name(t, r->addr, a, sizeof a);
        o_fmt(o, "\"warp_slot\":%u,\"pc\":\"0x%08x\",\"at\":", r->dst,
              r->addr);
        o_jstr(o, a);
        o_fmt(o, ",\"lanes\":\"0x%08x\"", r->id);
        break;
    }
    if (s->clipped)
        o_str(o, ",\"clipped_by_window\":true");
    o_chr(o, '}');
}

static const char *slice_cat(const Rec *r)
{
    switch (r->type) {
    case R_STATE: return "state";
    case R_STALL: return "memory";
    case R_HOLD: return "lock";
    case R_MSG: return "coherence";
    case R_MPCALL: case R_MPMSG: return "mpi";
    case R_KERNEL: case R_BLOCK: case R_WARP: return "gpu";
    default: return "run";
    }
}

/* A slice: B (its end comes as an E), X with its duration, or an
 * instant (thread scope: drawn on its track). */
static void write_slice(Out *o, const Layout *L, const Slice *s, bool x,
                        unsigned pid, unsigned tid)
{
    const Rec *r = &L->t->rec[s->rec];
    bool instant = s->role == ROLE_INSTANT;
    char name[96];
    uint8_t color;
    sim_trace_slice_label(L, s, name, sizeof name, &color);
    begin_event(o);
    o_ids(o, instant ? "i" : x ? "X" : "B", pid, tid);
    o_ts(o, "ts", s->start);
    if (instant)
        o_str(o, ",\"s\":\"t\"");
    else if (x)
        o_ts(o, "dur", s->end - s->start);
    o_str(o, ",\"name\":");
    o_jstr(o, name);
    o_fmt(o, ",\"cat\":\"%s\"", slice_cat(r));
    slice_args(L, s, o);
    o_chr(o, '}');
    o->events++;
}

/* A message's arrow at one end of it: 's' binds to the slice it is in,
 * 'f' with "bp":"e" too. */
static void write_flow(Out *o, const Layout *L, const Slice *s, unsigned pid,
                       unsigned tid)
{
    const Rec *r = &L->t->rec[s->rec];
    bool mp = r->type == R_MPMSG;
    char name[48];
    if (mp)
        sim_trace_mpmsg_name(r, name, sizeof name);
    begin_event(o);
    o_ids(o, s->role == 1 ? "s" : "f\",\"bp\":\"e", pid, tid);
    o_ts(o, "ts", s->start);
    o_str(o, ",\"id\":");
    o_u(o, mp ? MP_FLOW_BASE + r->id : r->id);
    o_str(o, ",\"name\":\"");
    o_str(o, mp ? name : sim_trace_msg_name(r->what));
    o_str(o, mp ? "\",\"cat\":\"mpi\"}" : "\",\"cat\":\"coherence\"}");
    o->events++;
}

static void write_e(Out *o, unsigned pid, unsigned tid, uint64_t at)
{
    begin_event(o);
    o_ids(o, "E", pid, tid);
    o_ts(o, "ts", at);
    o_chr(o, '}');
    o->events++;
}

/* One group's slices: X events, or B/E pairs from a stack per row. */
static void write_group(Out *o, const Layout *L, const Slice *s, size_t n,
                        bool be)
{
    static RowStack rows;
    uint64_t end;
    unsigned pid = sim_trace_group_pid(L, s[0].group);
    sim_trace_rows_reset(&rows);
    for (size_t i = 0; i < n; i++) {
        unsigned lane = s[i].lane;
        unsigned tid = sim_trace_group_tid(L, s[i].group, lane);
        if (!be) {
            write_slice(o, L, &s[i], true, pid, tid);
            if (s[i].flow)
                write_flow(o, L, &s[i], pid, tid);
            continue;
        }
        while (sim_trace_rows_pop(&rows, lane, s[i].start, &end))
            write_e(o, pid, tid, end);
        write_slice(o, L, &s[i], false, pid, tid);
        if (s[i].flow)        /* a message between ranks, on a hart */
            write_flow(o, L, &s[i], pid, tid);
        sim_trace_rows_push(&rows, lane, s[i].end);
    }
    for (unsigned lane = 0; lane < MAX_LANES; lane++)
        while (sim_trace_rows_pop(&rows, lane, UINT64_MAX, &end))
            write_e(o, pid, sim_trace_group_tid(L, s[0].group, lane), end);
}

/* ---- the file ----------------------------------------------------------- */

static void counter_events(Out *o, const Layout *L, const Counter *c,
                           uint64_t p0, uint64_t p1)
{
    for (uint64_t p = p0; p <= p1; p++) {
        begin_event(o);
        o_fmt(o, "{\"ph\":\"C\",\"pid\":%u", c->pid);
        o_ts(o, "ts", sim_trace_bin_at(L, p));
        o_fmt(o, ",\"name\":\"%s\",\"args\":{\"%s\":%.4g}}", c->name,
              c->key, sim_trace_bin_value(L, c, p));
        o->events++;
    }
}

/* Metadata: names and order of every process and track. */
static void write_meta(Out *o, const Layout *L)
{
    const SimTrace *t = L->t;
    bool named[64 + 8] = {false};
    char buf[96];
    for (uint32_t g = 0; g < L->ngroups; g++) {
        unsigned rows = sim_trace_group_rows(L, g);
        if (!rows)
            continue;
        unsigned pid = sim_trace_group_pid(L, g);
        if (pid < sizeof named && !named[pid]) {
            sim_trace_group_process(L, g, buf, sizeof buf);
            meta(o, pid, -1, "process_name", buf, 0);
            meta(o, pid, -1, "process_sort_index", NULL,
                 (int)sim_trace_pid_sort(L, pid));
            named[pid] = true;
        }
        for (unsigned lane = 0; lane < rows; lane++) {
            sim_trace_group_name(L, g, lane, buf, sizeof buf);
            unsigned tid = sim_trace_group_tid(L, g, lane);
            meta(o, pid, (int)tid, "thread_name", buf, 0);
            meta(o, pid, (int)tid, "thread_sort_index", NULL,
                 (int)sim_trace_group_sort(L, g, lane));
        }
    }
    if (t->nlinks) {
        meta(o, t->cores + 3, -1, "process_name", "interconnect", 0);
        meta(o, t->cores + 3, -1, "process_sort_index", NULL,
             (int)sim_trace_pid_sort(L, t->cores + 3));
    }
}

bool sim_trace_write_json(SimTrace *t, Layout *L, char *err, size_t errlen)
{
    Out o = {.f = t->f, .first = true, .buf = malloc(OUT_BUF)};
    if (!o.buf) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    o_str(&o, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
    write_meta(&o, L);

    /* The slices, group by group. */
    for (size_t i = 0; i < L->n;) {
        size_t j = sim_trace_group_end(L, i);
        uint32_t idx;
        bool be = sim_trace_group_kind(L, L->s[i].group, &idx) == G_HART;
        write_group(&o, L, L->s + i, j - i, be);
        i = j;
    }

    /* The counters, one value per sample period of the window. */
    Counter cs[MAX_COUNTERS];
    size_t nc = sim_trace_counters(L, cs, MAX_COUNTERS);
    if (L->to > L->from)
        for (size_t i = 0; i < nc; i++)
            counter_events(&o, L, &cs[i], period_of(t, L->from),
                           period_of(t, L->to - 1));

    o_str(&o, "\n],\n\"otherData\":{");
    o_fmt(&o, "\"generator\":\"parsim %s\",\"time_unit\":\"1 ns = 1 cycle\","
          "\"window_cycles\":[%" PRIu64 ",%" PRIu64 "],\"events\":%"
          PRIu64 ",\"max_events\":%" PRIu64 ",\"dropped_events\":%" PRIu64
          ",\"sample_period\":%" PRIu64 ",\"unmatched_releases\":%" PRIu64
          "}}\n",
          PARSIM_VERSION, L->from, L->to, o.events, t->cap, t->dropped,
          t->period, t->unmatched);
    L->events = o.events;
    o_flush(&o);
    free(o.buf);
    if (ferror(t->f)) {
        snprintf(err, errlen, "cannot write %s: %s", t->path,
                 strerror(errno));
        return false;
    }
    return true;
}
