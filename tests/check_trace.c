/* check_trace.c — the --trace writer (sim/trace.c): the file is valid
 * JSON that the viewers can load, its tracks are what docs/trace.md
 * says, and it does not change the run.
 *
 * What "loadable" is checked as, for every trace written here:
 *   - every hart has a track (a thread_name metadata event);
 *   - per track (pid, tid; counters: pid, name) the timestamps
 *     are non-decreasing in file order: the order chrome://tracing needs
 *     for B/E pairs and that Perfetto keeps for equal timestamps;
 *   - B/E pairs balance on each track, X slices nest (a stack in file
 *     order: a slice lies inside its parent or after it);
 *   - each flow has one start and one end, the start before the end,
 *     each bound to a slice that begins at its timestamp on its track;
 *   - instants are thread-scoped (drawn on their track).
 * Then: lock holds match the --stats acquisitions, the window and the
 * cap cut what they should, overlapping holds and stalls that cross a
 * state change get rows of their own, bad option values are refused;
 * with ranks, each rank is a process, the library calls are slices that
 * match the statistics' call sites and hold the states, and every
 * message is a flow with its size and tag; with a GPU, a slice per
 * kernel run in launch order, a slice per block (as many as --stats
 * counts) inside its kernel's on its SM's rows, and a warp's divergences
 * (as many as --stats counts) as instants inside their blocks. */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "programs/runtime/parsim_ecall.h"
#include "sim/machine.h"
#include "sim/trace.h"
#include "tests/testutil.h"

static char tmpdir[64];

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/parsim-trace-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "check_trace: could not remove %s\n", tmpdir);
}

static const char *tmp(const char *name)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* ---- reading a trace ---------------------------------------------------- */

#define MAX_TRACKS 512
#define MAX_DEPTH 64

typedef struct Track {
    int64_t pid, tid;
    char counter[96];         /* counters: the name; "" otherwise */
    char name[96];            /* thread_name */
    uint64_t last;            /* last timestamp seen */
    int depth;                /* open B slices */
    uint64_t xend[MAX_DEPTH]; /* open X slices: their ends */
    int xdepth;
    uint64_t last_x;          /* start of the last X or B */
    bool any_slice;
} Track;

typedef struct Flow {
    int s, f;
    uint64_t ts_s, ts_f;
} Flow;

typedef struct Trace {
    json_object *root;
    size_t events;            /* not metadata */
    size_t b, e, x, c, s, f, i;
    uint64_t min_ts, max_ts;  /* of slices (B, E, X ends) */
    Track tracks[MAX_TRACKS];
    int ntracks;
    Flow *flows;
    size_t nflows;
    size_t mp_s, mp_f;        /* flows of messages between ranks */
    json_object *other;
} Trace;

#define MP_FLOW_BASE (1ll << 32)

/* Cycles from a JSON timestamp in microseconds (1 cycle = 1 ns). */
static uint64_t cycles(json_object *v)
{
    return (uint64_t)llround(json_object_get_double(v) * 1000.0);
}

static Track *track(Trace *t, int64_t pid, int64_t tid, const char *counter)
{
    for (int i = 0; i < t->ntracks; i++)
        if (t->tracks[i].pid == pid && t->tracks[i].tid == tid &&
            !strcmp(t->tracks[i].counter, counter))
            return &t->tracks[i];
    ck_assert_int_lt(t->ntracks, MAX_TRACKS);
    Track *k = &t->tracks[t->ntracks++];
    memset(k, 0, sizeof *k);
    k->pid = pid;
    k->tid = tid;
    snprintf(k->counter, sizeof k->counter, "%s", counter);
    return k;
}

static const char *str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v)
                                                 : NULL;
}

static int64_t num(json_object *o, const char *key, int64_t dflt)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v)
                                                 : dflt;
}

/* Load and check a trace (see the banner); fails the test on the first
 * violation, naming it. */
static void load(Trace *t, const char *path)
{
    memset(t, 0, sizeof *t);
    t->min_ts = UINT64_MAX;
    t->root = json_object_from_file(path);
    ck_assert_msg(t->root != NULL, "%s is not valid JSON: %s", path,
                  json_util_get_last_err());
    json_object *evs;
    ck_assert(json_object_object_get_ex(t->root, "traceEvents", &evs));
    ck_assert(json_object_object_get_ex(t->root, "otherData", &t->other));
    size_t n = json_object_array_length(evs);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(evs, i);
        const char *ph = str(e, "ph");
        ck_assert_ptr_nonnull(ph);
        int64_t pid = num(e, "pid", -1), tid = num(e, "tid", -1);
        if (!strcmp(ph, "M")) {
            if (!strcmp(str(e, "name"), "thread_name")) {
                json_object *a, *nm;
                ck_assert(json_object_object_get_ex(e, "args", &a));
                ck_assert(json_object_object_get_ex(a, "name", &nm));
                Track *k = track(t, pid, tid, "");
                snprintf(k->name, sizeof k->name, "%s",
                         json_object_get_string(nm));
            }
            continue;
        }
        t->events++;
        json_object *tsv;
        ck_assert_msg(json_object_object_get_ex(e, "ts", &tsv),
                      "event %zu has no ts", i);
        uint64_t ts = cycles(tsv);
        char counter[96] = "";
        if (!strcmp(ph, "C")) {
            json_object *a;
            ck_assert(json_object_object_get_ex(e, "args", &a));
            /* chrome://tracing keys a counter by its process and name. */
            snprintf(counter, sizeof counter, "%s", str(e, "name"));
            t->c++;
        }
        Track *k = track(t, pid, tid, counter);
        ck_assert_msg(ts >= k->last, "event %zu (%s) at %llu goes back on "
                      "track %lld/%lld (last %llu)", i, ph,
                      (unsigned long long)ts, (long long)pid, (long long)tid,
                      (unsigned long long)k->last);
        k->last = ts;
        if (!strcmp(ph, "B")) {
            ck_assert_int_lt(k->depth, MAX_DEPTH);
            k->depth++;
            k->last_x = ts;
            k->any_slice = true;
            t->b++;
        } else if (!strcmp(ph, "E")) {
            ck_assert_msg(k->depth > 0, "event %zu: E without B", i);
            k->depth--;
            t->e++;
        } else if (!strcmp(ph, "X")) {
            json_object *d;
            ck_assert(json_object_object_get_ex(e, "dur", &d));
            uint64_t end = ts + cycles(d);
            while (k->xdepth > 0 && k->xend[k->xdepth - 1] <= ts &&
                   !(k->xend[k->xdepth - 1] == ts && end == ts))
                k->xdepth--;
            ck_assert_msg(k->xdepth == 0 || k->xend[k->xdepth - 1] >= end,
                          "event %zu: X [%llu, %llu) overlaps its parent "
                          "(ends %llu) on track %lld/%lld", i,
                          (unsigned long long)ts, (unsigned long long)end,
                          (unsigned long long)k->xend[k->xdepth - 1],
                          (long long)pid, (long long)tid);
            ck_assert_int_lt(k->xdepth, MAX_DEPTH);
            k->xend[k->xdepth++] = end;
            k->last_x = ts;
            k->any_slice = true;
            if (end > t->max_ts)
                t->max_ts = end;
            t->x++;
        } else if (!strcmp(ph, "s") || !strcmp(ph, "f")) {
            int64_t fid = num(e, "id", -1);
            ck_assert_int_ge(fid, 0);
            ck_assert_msg(k->any_slice && k->last_x == ts,
                          "event %zu: flow %s %lld binds to no slice at %llu",
                          i, ph, (long long)fid, (unsigned long long)ts);
            /* Coherence messages' ids are 32-bit; messages between
             * ranks' are MP_FLOW_BASE (2^32) + their number: one table,
             * the two interleaved. */
            bool mp = fid >= MP_FLOW_BASE;
            ck_assert_str_eq(str(e, "cat"), mp ? "mpi" : "coherence");
            int64_t id = mp ? (fid - MP_FLOW_BASE) * 2 + 1 : fid * 2;
            if (*ph == 's')
                t->mp_s += mp;
            else
                t->mp_f += mp;
            if ((size_t)id >= t->nflows) {
                size_t nn = (size_t)id * 2 + 16;
                t->flows = realloc(t->flows, nn * sizeof *t->flows);
                ck_assert_ptr_nonnull(t->flows);
                memset(t->flows + t->nflows, 0,
                       (nn - t->nflows) * sizeof *t->flows);
                t->nflows = nn;
            }
            Flow *fl = &t->flows[id];
            if (*ph == 's') {
                fl->s++;
                fl->ts_s = ts;
                t->s++;
            } else {
                ck_assert_str_eq(str(e, "bp"), "e");
                fl->f++;
                fl->ts_f = ts;
                t->f++;
            }
        } else if (!strcmp(ph, "i")) {
            ck_assert_msg(str(e, "s") && !strcmp(str(e, "s"), "t"),
                          "event %zu: an instant not on its thread", i);
            t->i++;
        } else if (strcmp(ph, "C")) {
            ck_abort_msg("event %zu: unexpected phase %s", i, ph);
        }
        if (strcmp(ph, "C") && strcmp(ph, "s") && strcmp(ph, "f")) {
            if (ts < t->min_ts)
                t->min_ts = ts;
            if (ts > t->max_ts)
                t->max_ts = ts;
        }
    }
    for (int i = 0; i < t->ntracks; i++)
        ck_assert_msg(t->tracks[i].depth == 0, "track %lld/%lld: %d B "
                      "slices never end", (long long)t->tracks[i].pid,
                      (long long)t->tracks[i].tid, t->tracks[i].depth);
    ck_assert_uint_eq(t->b, t->e);
    for (size_t id = 0; id < t->nflows; id++) {
        Flow *fl = &t->flows[id];
        if (!fl->s && !fl->f)
            continue;
        ck_assert_msg(fl->s == 1 && fl->f == 1, "flow %zu: %d starts, %d "
                      "ends", id / 2, fl->s, fl->f);
        ck_assert_msg(fl->ts_s < fl->ts_f, "flow %zu ends (%llu) before it "
                      "starts (%llu)", id / 2, (unsigned long long)fl->ts_f,
                      (unsigned long long)fl->ts_s);
    }
    ck_assert_int_eq((int64_t)t->events, num(t->other, "events", -1));
}

static void unload(Trace *t)
{
    json_object_put(t->root);
    free(t->flows);
}

/* Is there a track named exactly `name`? */
static bool has_track(const Trace *t, const char *name)
{
    for (int i = 0; i < t->ntracks; i++)
        if (!strcmp(t->tracks[i].name, name))
            return true;
    return false;
}

/* X events of category cat on the tracks whose name begins with prefix
 * (all rows of a lock), and whether any two of one row overlap. */
static size_t count_x(const Trace *t, const char *cat, const char *prefix,
                      int *rows)
{
    json_object *evs;
    json_object_object_get_ex(t->root, "traceEvents", &evs);
    size_t n = json_object_array_length(evs), count = 0;
    *rows = 0;
    for (int r = 0; r < t->ntracks; r++) {
        const Track *k = &t->tracks[r];
        if (strncmp(k->name, prefix, strlen(prefix)))
            continue;
        (*rows)++;
        uint64_t last_end = 0;
        for (size_t i = 0; i < n; i++) {
            json_object *e = json_object_array_get_idx(evs, i);
            if (strcmp(str(e, "ph"), "X") || num(e, "pid", -1) != k->pid ||
                num(e, "tid", -1) != k->tid || strcmp(str(e, "cat"), cat))
                continue;
            json_object *ts, *d;
            json_object_object_get_ex(e, "ts", &ts);
            json_object_object_get_ex(e, "dur", &d);
            ck_assert_msg(cycles(ts) >= last_end, "%s: slices overlap on "
                          "one row", k->name);
            last_end = cycles(ts) + cycles(d);
            count++;
        }
    }
    return count;
}

static json_object *stats(const char *path)
{
    json_object *o = json_object_from_file(path);
    ck_assert_msg(o != NULL, "%s: %s", path, json_util_get_last_err());
    return o;
}

/* A run of parsim that must succeed. */
static void run_ok(char *const args[], TuResult *r)
{
    ck_assert_int_eq(tu_parsim(args, NULL, 60, r), 0);
    ck_assert_msg(r->status == 0, "parsim exited %d: %s", r->status, r->err);
}

#define COUNTER "programs/threads/counter.elf"

/* ---- end to end --------------------------------------------------------- */

/* The issue's run: every check of the banner, and lock holds against the
 * summary's acquisitions. */
static void check_counter_run(const char *mode_flag, const char *mode_arg)
{
    TuResult r;
    char *const args[] = {"run", "-q", "--cores", "4",
                          (char *)mode_flag, (char *)mode_arg,
                          "--stats", (char *)tmp("s.json"),
                          "--trace", (char *)tmp("T.json"),
                          (char *)tu_built(COUNTER), "ttas", "50", NULL};
    run_ok(args, &r);
    tu_free(&r);
    Trace t;
    load(&t, tmp("T.json"));
    for (int h = 0; h < 4; h++) {
        char nm[64];
        snprintf(nm, sizeof nm, "hart %d (core %d, thread 0)", h, h);
        ck_assert_msg(has_track(&t, nm), "no track \"%s\"", nm);
    }
    ck_assert(has_track(&t, "node 0 home"));
    ck_assert_uint_gt(t.b, 100);             /* states and stalls */
    ck_assert_uint_gt(t.s, 100);             /* coherence messages */
    ck_assert_uint_gt(t.c, 10);              /* counters */
    json_object *st = stats(tmp("s.json")), *locks;
    ck_assert(json_object_object_get_ex(st, "locks", &locks));
    ck_assert_uint_eq(json_object_array_length(locks), 1);
    json_object *l = json_object_array_get_idx(locks, 0);
    char prefix[96];
    snprintf(prefix, sizeof prefix, "%s (%s)", str(l, "symbol"),
             str(l, "kind"));
    int rows;
    size_t holds = count_x(&t, "lock", prefix, &rows);
    ck_assert_int_ge(rows, 1);
    ck_assert_int_eq((int64_t)holds, num(l, "acquisitions", -1));
    ck_assert_int_eq(num(l, "acquisitions", -1), 200);
    json_object_put(st);
    unload(&t);
}

START_TEST(test_counter)
{
    check_counter_run("--host-threads", "1");
}
END_TEST

/* Parallel mode: the listener runs at the barriers; harts drift by up to
 * a quantum, so holds of the lock may overlap: each row must not. */
START_TEST(test_parallel)
{
    check_counter_run("--host-threads", "2");
}
END_TEST

/* The trace does not change the run. */
START_TEST(test_same_stats)
{
    TuResult r;
    char *const a[] = {"run", "-q", "--cores", "4", "--stats",
                       (char *)tmp("a.json"), (char *)tu_built(COUNTER),
                       "ttas", "50", NULL};
    char *const b[] = {"run", "-q", "--cores", "4", "--stats",
                       (char *)tmp("b.json"), "--trace",
                       (char *)tmp("T.json"), (char *)tu_built(COUNTER),
                       "ttas", "50", NULL};
    run_ok(a, &r);
    tu_free(&r);
    run_ok(b, &r);
    tu_free(&r);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", tmp("a.json"), tmp("b.json"));
    ck_assert_msg(system(cmd) == 0, "--stats differs with --trace");
}
END_TEST

/* --trace-from / --trace-to cut the window: nothing outside it. */
START_TEST(test_window)
{
    TuResult r;
    char *const args[] = {"run", "-q", "--cores", "4", "--trace",
                          (char *)tmp("T.json"), "--trace-from", "20000",
                          "--trace-to", "60k", (char *)tu_built(COUNTER),
                          "ttas", "50", NULL};
    run_ok(args, &r);
    tu_free(&r);
    Trace t;
    load(&t, tmp("T.json"));
    ck_assert_uint_ge(t.min_ts, 20000);
    ck_assert_uint_le(t.max_ts, 60000);
    ck_assert_uint_gt(t.b, 10);
    json_object *w;
    ck_assert(json_object_object_get_ex(t.other, "window_cycles", &w));
    ck_assert_int_eq(json_object_get_int64(json_object_array_get_idx(w, 0)),
                     20000);
    ck_assert_int_eq(json_object_get_int64(json_object_array_get_idx(w, 1)),
                     60000);
    unload(&t);
}
END_TEST

/* The region of interest as the window: from its begin to its end, as
 * the statistics report them. */
START_TEST(test_roi_window)
{
    TuResult r;
    char *const args[] = {"run", "-q", "--stats", (char *)tmp("s.json"),
                          "--trace", (char *)tmp("T.json"), "--trace-from",
                          "roi", "--trace-to", "roi",
                          (char *)tu_built("tests/programs/roi_loads.elf"),
                          NULL};
    run_ok(args, &r);
    tu_free(&r);
    Trace t;
    load(&t, tmp("T.json"));
    json_object *st = stats(tmp("s.json")), *roi, *w;
    ck_assert(json_object_object_get_ex(st, "roi", &roi));
    ck_assert(json_object_object_get_ex(t.other, "window_cycles", &w));
    ck_assert_int_eq(json_object_get_int64(json_object_array_get_idx(w, 0)),
                     num(roi, "begin_cycle", -1));
    ck_assert_int_eq(json_object_get_int64(json_object_array_get_idx(w, 1)),
                     num(roi, "end_cycle", -1));
    ck_assert(has_track(&t, "region of interest"));
    ck_assert_uint_ge(t.min_ts, (uint64_t)num(roi, "begin_cycle", -1));
    ck_assert_uint_le(t.max_ts, (uint64_t)num(roi, "end_cycle", -1));
    ck_assert_uint_gt(t.b, 0);
    json_object_put(st);
    unload(&t);

    /* A program with no region: a note, and an empty trace. */
    char *const none[] = {"run", "-q", "--trace", (char *)tmp("N.json"),
                          "--trace-from", "roi", (char *)tu_built(COUNTER),
                          "ttas", "5", NULL};
    run_ok(none, &r);
    ck_assert_msg(strstr(r.err, "began no region of interest"), "%s", r.err);
    tu_free(&r);
    load(&t, tmp("N.json"));
    ck_assert_uint_eq(t.b + t.x, 0);
    unload(&t);
}
END_TEST

/* The cap: a warning line naming the way out, and still a valid file
 * that ends where the cap was reached. */
START_TEST(test_cap)
{
    TuResult r;
    char *const args[] = {"run", "-q", "--cores", "4", "--trace",
                          (char *)tmp("T.json"), "--trace-max-events",
                          "3000", (char *)tu_built(COUNTER), "ttas", "50",
                          NULL};
    run_ok(args, &r);
    ck_assert_msg(strstr(r.err, "parsim: --trace: warning: the cap of 3000 "
                         "events was reached"), "%s", r.err);
    ck_assert_msg(strstr(r.err, "--trace-from/--trace-to") &&
                  strstr(r.err, "--trace-max-events"), "%s", r.err);
    int lines = 0;
    for (const char *p = r.err; (p = strstr(p, "warning")) != NULL; p++)
        lines++;
    ck_assert_int_eq(lines, 1);
    tu_free(&r);
    Trace t;
    load(&t, tmp("T.json"));
    ck_assert_int_gt(num(t.other, "dropped_events", 0), 0);
    ck_assert_uint_le(t.events, 3000 + 3000 / 8 + 64 * 4);
    ck_assert_uint_gt(t.events, 1000);
    unload(&t);
}
END_TEST

/* Bad values: one line, exit 64. */
START_TEST(test_bad_values)
{
    static const char *const cases[][3] = {
        {"--trace-from", "abc",
         "parsim: --trace-from abc: expected a cycle count or \"roi\"\n"},
        {"--trace-to", "12x",
         "parsim: --trace-to 12x: expected a cycle count or \"roi\"\n"},
        {"--trace-max-events", "0",
         "parsim: --trace-max-events 0: expected a number of events (at "
         "least 1)\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TuResult r;
        char *const args[] = {"run", "--trace", (char *)tmp("T.json"),
                              (char *)cases[i][0], (char *)cases[i][1],
                              (char *)tu_built(COUNTER), NULL};
        ck_assert_int_eq(tu_parsim(args, NULL, 30, &r), 0);
        ck_assert_int_eq(r.status, 64);
        ck_assert_str_eq(r.err, cases[i][2]);
        tu_free(&r);
    }
    TuResult r;
    char *const alone[] = {"run", "--trace-from", "100",
                           (char *)tu_built(COUNTER), NULL};
    ck_assert_int_eq(tu_parsim(alone, NULL, 30, &r), 0);
    ck_assert_int_eq(r.status, 64);
    ck_assert_str_eq(r.err, "parsim: --trace-from: needs --trace FILE.json\n");
    tu_free(&r);
    char *const nodir[] = {"run", "--trace", "/nonexistent/dir/T.json",
                           (char *)tu_built(COUNTER), "ttas", "5", NULL};
    ck_assert_int_eq(tu_parsim(nodir, NULL, 30, &r), 0);
    ck_assert_int_eq(r.status, 64);
    ck_assert_msg(strstr(r.err, "parsim: --trace: cannot create "
                         "/nonexistent/dir/T.json"), "%s", r.err);
    tu_free(&r);
}
END_TEST

/* A session run (--snapshot) traces the same machine. */
START_TEST(test_session)
{
    TuResult r;
    char shot[160];
    snprintf(shot, sizeof shot, "20000:%s", tmp("snap.png"));
    char *const args[] = {"run", "-q", "--cores", "4", "--snapshot", shot,
                          "--trace", (char *)tmp("T.json"),
                          (char *)tu_built(COUNTER), "ttas", "20", NULL};
    run_ok(args, &r);
    tu_free(&r);
    Trace t;
    load(&t, tmp("T.json"));
    ck_assert(has_track(&t, "hart 3 (core 3, thread 0)"));
    ck_assert_uint_gt(t.b, 10);
    int rows;
    ck_assert_uint_eq(count_x(&t, "lock", "ttas+0 (ttas)", &rows), 80);
    unload(&t);
}
END_TEST

/* ---- message passing --------------------------------------------------- */

/* The process a thread_name's pid is called (process_name), or NULL. */
static const char *process_name(const Trace *t, int64_t pid)
{
    json_object *evs;
    json_object_object_get_ex(t->root, "traceEvents", &evs);
    size_t n = json_object_array_length(evs);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(evs, i), *a, *nm;
        if (!strcmp(str(e, "ph"), "M") && num(e, "pid", -1) == pid &&
            !strcmp(str(e, "name"), "process_name") &&
            json_object_object_get_ex(e, "args", &a) &&
            json_object_object_get_ex(a, "name", &nm))
            return json_object_get_string(nm);
    }
    return NULL;
}

/* The track (pid, tid) called name. */
static const Track *named_track(const Trace *t, const char *name)
{
    for (int i = 0; i < t->ntracks; i++)
        if (!strcmp(t->tracks[i].name, name))
            return &t->tracks[i];
    ck_abort_msg("no track \"%s\"", name);
    return NULL;
}

/* What the B slices of category "mpi" on one track are: library calls at
 * depth 0 (args.depth), per name, their count and cycles; and the
 * message ends ("send ..."/"recv ...") with their bytes, the parent each
 * state or end was nested in checked against `parent_ok`. */
typedef struct MpCount {
    char name[32];
    int64_t calls, cycles;
} MpCount;

typedef struct MpTrack {
    MpCount call[32];
    int ncalls;
    int64_t sends, recvs, bytes_sent, bytes_recv;
    int64_t states_in_calls;  /* state slices whose parent is a call */
} MpTrack;

static void mp_track(const Trace *t, const Track *k, MpTrack *out)
{
    memset(out, 0, sizeof *out);
    json_object *evs;
    json_object_object_get_ex(t->root, "traceEvents", &evs);
    size_t n = json_object_array_length(evs);
    const char *stack[MAX_DEPTH];
    const char *cats[MAX_DEPTH];
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(evs, i), *a;
        const char *ph = str(e, "ph");
        if (num(e, "pid", -1) != k->pid || num(e, "tid", -1) != k->tid)
            continue;
        if (!strcmp(ph, "E")) {
            ck_assert_int_gt(depth, 0);
            depth--;
            continue;
        }
        if (strcmp(ph, "B"))
            continue;
        const char *name = str(e, "name"), *cat = str(e, "cat");
        ck_assert(json_object_object_get_ex(e, "args", &a));
        if (!strcmp(cat, "state") && depth > 0 &&
            !strcmp(cats[depth - 1], "mpi"))
            out->states_in_calls++;
        if (!strcmp(cat, "mpi") && (!strncmp(name, "send ", 5) ||
                                    !strncmp(name, "recv ", 5))) {
            bool send = name[0] == 's';
            *(send ? &out->sends : &out->recvs) += 1;
            *(send ? &out->bytes_sent : &out->bytes_recv) +=
                num(a, "bytes", -1);
            /* A message's end is nested: in a state, or a call. */
            ck_assert_msg(depth > 0, "%s at top level", name);
        } else if (!strcmp(cat, "mpi") && num(a, "depth", -1) == 0) {
            int c = 0;
            while (c < out->ncalls && strcmp(out->call[c].name, name))
                c++;
            if (c == out->ncalls) {
                ck_assert_int_lt(out->ncalls, 32);
                snprintf(out->call[out->ncalls++].name, 32, "%s", name);
            }
            out->call[c].calls++;
            out->call[c].cycles += num(a, "cycles", -1);
            ck_assert_msg(depth == 0, "%s (depth 0) nested in %s", name,
                          stack[depth - 1]);
        }
        ck_assert_int_lt(depth, MAX_DEPTH);
        stack[depth] = name;
        cats[depth++] = cat;
    }
}

static const MpCount *mp_call(const MpTrack *m, const char *name)
{
    for (int c = 0; c < m->ncalls; c++)
        if (!strcmp(m->call[c].name, name))
            return &m->call[c];
    return NULL;
}

/* The native interface's ping-pong on 2 ranks: a process per rank named
 * "rank R", one flow per message (2 x REPS) from the sender's track to
 * the receiver's, numbered 0.. after MP_FLOW_BASE and named by size and
 * tag, with the bytes on both ends; no library calls (the native
 * interface notes none). */
START_TEST(test_mp_pingpong)
{
    TuResult r;
    char *const args[] = {"run", "-q", "--ranks", "2", "--stats",
                          (char *)tmp("s.json"), "--trace",
                          (char *)tmp("T.json"), "--trace-png",
                          (char *)tmp("T.png"),
                          (char *)tu_built("tests/programs/mp_pingpong.elf"),
                          "4096", "5", NULL};
    run_ok(args, &r);
    tu_free(&r);
    ck_assert(access(tmp("T.png"), R_OK) == 0);
    Trace t;
    load(&t, tmp("T.json"));
    const Track *h0 = named_track(&t, "hart 0 (core 0, thread 0)");
    const Track *h1 = named_track(&t, "hart 1 (core 1, thread 0)");
    ck_assert_str_eq(process_name(&t, h0->pid), "rank 0");
    ck_assert_str_eq(process_name(&t, h1->pid), "rank 1");
    ck_assert_uint_eq(t.mp_s, 10);
    ck_assert_uint_eq(t.mp_f, 10);
    /* Messages 0..9, each a start and an end, named by size and tag. */
    for (int64_t m = 0; m < 10; m++) {
        ck_assert_uint_gt(t.nflows, (size_t)m * 2 + 1);
        ck_assert_int_eq(t.flows[m * 2 + 1].s, 1);
        ck_assert_int_eq(t.flows[m * 2 + 1].f, 1);
    }
    json_object *evs;
    json_object_object_get_ex(t.root, "traceEvents", &evs);
    int tag1 = 0, tag2 = 0;
    for (size_t i = 0; i < json_object_array_length(evs); i++) {
        json_object *e = json_object_array_get_idx(evs, i);
        if (strcmp(str(e, "ph"), "s") || num(e, "id", 0) < MP_FLOW_BASE)
            continue;
        /* Rank 0 sends tag 1, rank 1 answers with tag 2. */
        bool from0 = num(e, "pid", -1) == h0->pid;
        ck_assert_str_eq(str(e, "name"), from0 ? "msg 4096 B tag 1"
                                               : "msg 4096 B tag 2");
        *(from0 ? &tag1 : &tag2) += 1;
    }
    ck_assert_int_eq(tag1, 5);
    ck_assert_int_eq(tag2, 5);
    MpTrack m0, m1;
    mp_track(&t, h0, &m0);
    mp_track(&t, h1, &m1);
    ck_assert_int_eq(m0.ncalls + m1.ncalls, 0);
    ck_assert_int_eq(m0.sends, 5);
    ck_assert_int_eq(m0.recvs, 5);
    ck_assert_int_eq(m1.sends, 5);
    ck_assert_int_eq(m1.recvs, 5);
    ck_assert_int_eq(m0.bytes_sent, 5 * 4096);
    ck_assert_int_eq(m1.bytes_recv, 5 * 4096);
    /* As the statistics count them. */
    json_object *st = stats(tmp("s.json")), *ranks;
    ck_assert(json_object_object_get_ex(st, "ranks", &ranks));
    json_object *r0 = json_object_array_get_idx(ranks, 0);
    ck_assert_int_eq(num(r0, "messages_sent", -1), m0.sends);
    ck_assert_int_eq(num(r0, "bytes_sent", -1), m0.bytes_sent);
    json_object_put(st);
    unload(&t);
}
END_TEST

/* The MPI library's ping-pong: every call the program makes is a slice
 * on its rank's track, at depth 0, that as many times and for as many
 * cycles as the statistics' call sites (mpi_sites) say; the library's
 * calls nest inside them, the states inside the calls; a flow per
 * message as the ranks' statistics count them. */
START_TEST(test_mpi_calls)
{
    TuResult r;
    char *const args[] = {"run", "-q", "--ranks", "2", "--stats",
                          (char *)tmp("s.json"), "--trace",
                          (char *)tmp("T.json"),
                          (char *)tu_built("programs/mpi/pingpong.elf"),
                          "4096", "3", NULL};
    run_ok(args, &r);
    tu_free(&r);
    Trace t;
    load(&t, tmp("T.json"));
    MpTrack m[2];
    mp_track(&t, named_track(&t, "hart 0 (core 0, thread 0)"), &m[0]);
    mp_track(&t, named_track(&t, "hart 1 (core 1, thread 0)"), &m[1]);
    /* A warm-up and 3 timed round trips: 4 sends and 4 receives each
     * (and one more for rank 1's verdict). */
    for (int k = 0; k < 2; k++) {
        ck_assert_ptr_nonnull(mp_call(&m[k], "MPI_Init"));
        ck_assert_ptr_nonnull(mp_call(&m[k], "MPI_Finalize"));
        ck_assert_ptr_nonnull(mp_call(&m[k], "MPI_Comm_rank"));
        ck_assert_int_eq(mp_call(&m[k], "MPI_Send")->calls, 4 + k);
        ck_assert_int_eq(mp_call(&m[k], "MPI_Recv")->calls, 5 - k);
        ck_assert_int_gt(m[k].states_in_calls, 0);
    }
    json_object *st = stats(tmp("s.json")), *sites, *ranks;
    ck_assert(json_object_object_get_ex(st, "mpi_sites", &sites));
    int64_t calls[2] = {0, 0}, cycles[2] = {0, 0};
    for (size_t i = 0; i < json_object_array_length(sites); i++) {
        json_object *e = json_object_array_get_idx(sites, i);
        int rk = (int)num(e, "rank", -1);
        ck_assert(rk == 0 || rk == 1);
        calls[rk] += num(e, "calls", 0);
        cycles[rk] += num(e, "cycles", 0);
    }
    for (int k = 0; k < 2; k++) {
        /* The sites name the calls the library notes by name (not the
         * "other" ones: MPI_Comm_rank, MPI_Wtime...). */
        int64_t n = 0, c = 0;
        for (int i = 0; i < m[k].ncalls; i++) {
            const char *nm = m[k].call[i].name;
            bool other = !strcmp(nm, "MPI_Comm_rank") ||
                         !strcmp(nm, "MPI_Comm_size") ||
                         !strcmp(nm, "MPI_Wtime") ||
                         !strcmp(nm, "MPI (other)");
            if (other)
                continue;
            n += m[k].call[i].calls;
            c += m[k].call[i].cycles;
        }
        ck_assert_int_eq(n, calls[k]);
        ck_assert_int_eq(c, cycles[k]);
    }
    ck_assert(json_object_object_get_ex(st, "ranks", &ranks));
    int64_t sent = 0;
    for (int k = 0; k < 2; k++) {
        json_object *rk = json_object_array_get_idx(ranks, (size_t)k);
        ck_assert_int_eq(num(rk, "messages_sent", -1), m[k].sends);
        ck_assert_int_eq(num(rk, "messages_received", -1), m[k].recvs);
        ck_assert_int_eq(num(rk, "bytes_sent", -1), m[k].bytes_sent);
        sent += m[k].sends;
    }
    ck_assert_int_eq((int64_t)t.mp_s, sent);
    json_object_put(st);
    unload(&t);
}
END_TEST

/* The cap on a message-passing run: still valid (every flow has both
 * ends, calls and states nest), cut where it was reached. */
START_TEST(test_mp_cap)
{
    TuResult r;
    /* From the first message on (the start-up before it is states and
     * misses only), a cap of a fraction of the run's ~4,000 events. */
    char *const args[] = {"run", "-q", "--ranks", "2", "--trace",
                          (char *)tmp("T.json"), "--trace-from", "55000",
                          "--trace-max-events", "1000",
                          (char *)tu_built("programs/mpi/pingpong.elf"),
                          "64", "100", NULL};
    run_ok(args, &r);
    ck_assert_msg(strstr(r.err, "the cap of 1000 events was reached"), "%s",
                  r.err);
    tu_free(&r);
    Trace t;
    load(&t, tmp("T.json"));
    ck_assert_int_gt(num(t.other, "dropped_events", 0), 0);
    ck_assert_uint_le(t.events, 1000 + 1000 / 8 + 64 * 2);
    ck_assert_uint_gt(t.mp_s, 10);
    ck_assert_uint_lt(t.mp_s, 150);
    ck_assert_uint_eq(t.mp_s, t.mp_f);
    unload(&t);
}
END_TEST

/* ---- the GPU ------------------------------------------------------------ */

/* A GPU slice or instant as the file has it. */
typedef struct GpuEv {
    uint64_t start, end;
    int64_t tid, launch, block;
    char name[48];
    bool instant, diverge, clipped;
} GpuEv;

typedef struct Gpu {
    GpuEv *ev;
    size_t n;
    int64_t pid, kernels_tid;
} Gpu;

static int64_t arg(json_object *e, const char *key)
{
    json_object *a;
    ck_assert(json_object_object_get_ex(e, "args", &a));
    return num(a, key, -1);
}

/* The GPU process's events, in file order. */
static void gpu_events(const Trace *t, Gpu *g)
{
    memset(g, 0, sizeof *g);
    const Track *k = named_track(t, "kernels");
    ck_assert_str_eq(process_name(t, k->pid), "GPU");
    g->pid = k->pid;
    g->kernels_tid = k->tid;
    json_object *evs;
    json_object_object_get_ex(t->root, "traceEvents", &evs);
    size_t n = json_object_array_length(evs);
    g->ev = calloc(n, sizeof *g->ev);
    ck_assert_ptr_nonnull(g->ev);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(evs, i), *ts, *d;
        const char *ph = str(e, "ph");
        if (num(e, "pid", -1) != g->pid || !strcmp(ph, "M"))
            continue;
        ck_assert_msg(!strcmp(ph, "X") || !strcmp(ph, "i"), "GPU event %zu: "
                      "phase %s", i, ph);
        ck_assert_str_eq(str(e, "cat"), "gpu");
        GpuEv *v = &g->ev[g->n++];
        json_object_object_get_ex(e, "ts", &ts);
        v->start = v->end = cycles(ts);
        v->instant = *ph == 'i';
        if (!v->instant) {
            json_object_object_get_ex(e, "dur", &d);
            v->end += cycles(d);
        }
        v->tid = num(e, "tid", -1);
        v->launch = v->instant ? -1 : arg(e, "launch");
        v->block = v->instant || v->tid == g->kernels_tid ? -1
                                                          : arg(e, "block");
        v->diverge = v->instant && !strcmp(str(e, "name"), "diverge");
        json_object *a, *c;
        v->clipped = json_object_object_get_ex(e, "args", &a) &&
                     json_object_object_get_ex(a, "clipped_by_window", &c) &&
                     json_object_get_boolean(c);
        snprintf(v->name, sizeof v->name, "%s", str(e, "name"));
    }
}

/* Every block slice inside the slice of its kernel run (args.launch),
 * named after it; every instant inside a block slice of its own row.
 * Returns the blocks; counts them per launch in per_launch[]. */
static int64_t check_gpu(const Gpu *g, int64_t *per_launch, int nlaunch)
{
    int64_t blocks = 0;
    for (size_t i = 0; i < g->n; i++) {
        const GpuEv *v = &g->ev[i];
        if (v->tid == g->kernels_tid)
            continue;
        if (v->instant) {
            bool inside = false;
            for (size_t j = 0; j < g->n && !inside; j++)
                inside = !g->ev[j].instant && g->ev[j].tid == v->tid &&
                         g->ev[j].start <= v->start &&
                         g->ev[j].end >= v->start;
            ck_assert_msg(inside, "%s at %llu is in no block of its row",
                          v->name, (unsigned long long)v->start);
            continue;
        }
        const GpuEv *k = NULL;
        for (size_t j = 0; j < g->n; j++)
            if (g->ev[j].tid == g->kernels_tid &&
                g->ev[j].launch == v->launch)
                k = &g->ev[j];
        ck_assert_msg(k != NULL, "%s: no kernel slice of launch %lld",
                      v->name, (long long)v->launch);
        char want[64];
        snprintf(want, sizeof want, "%s block %lld", k->name,
                 (long long)v->block);
        ck_assert_str_eq(v->name, want);
        ck_assert_msg(v->start >= k->start && v->end <= k->end,
                      "%s [%llu, %llu) outside %s [%llu, %llu)", v->name,
                      (unsigned long long)v->start,
                      (unsigned long long)v->end, k->name,
                      (unsigned long long)k->start,
                      (unsigned long long)k->end);
        if (v->launch < nlaunch)
            per_launch[v->launch]++;
        blocks++;
    }
    return blocks;
}

/* Harris's reduction: five kernels, one launch each, in order and one
 * after the other, within the run; their blocks as --stats counts them
 * (16384 ints, 256 threads: 64 + 64 + 64 + 32 + 32), each inside its
 * kernel's slice on its SM's rows, never two on one row at once; the
 * warps' divergences as --stats counts them, each inside a block of its
 * row; and the run the same with and without the trace. */
START_TEST(test_gpu_reduce)
{
    TuResult r;
    char *const plain[] = {"run", "-q", "--stats", (char *)tmp("a.json"),
                           (char *)tu_built("programs/gpu/reduce.elf"),
                           "16384", NULL};
    char *const traced[] = {"run", "-q", "--stats", (char *)tmp("s.json"),
                            "--trace", (char *)tmp("T.json"),
                            (char *)tu_built("programs/gpu/reduce.elf"),
                            "16384", NULL};
    run_ok(plain, &r);
    tu_free(&r);
    run_ok(traced, &r);
    tu_free(&r);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", tmp("a.json"), tmp("s.json"));
    ck_assert_msg(system(cmd) == 0, "--stats differs with --trace");

    Trace t;
    load(&t, tmp("T.json"));
    Gpu g;
    gpu_events(&t, &g);
    json_object *st = stats(tmp("s.json")), *gpu, *ks, *w;
    ck_assert(json_object_object_get_ex(st, "gpu", &gpu));
    ck_assert(json_object_object_get_ex(gpu, "kernels", &ks));
    ck_assert_uint_eq(json_object_array_length(ks), 5);
    ck_assert(json_object_object_get_ex(t.other, "window_cycles", &w));
    uint64_t to = (uint64_t)json_object_get_int64(
        json_object_array_get_idx(w, 1));
    /* The kernels' track: reduce1..reduce5, launches 0..4. */
    int nk = 0;
    uint64_t last_end = 0;
    for (size_t i = 0; i < g.n; i++) {
        const GpuEv *v = &g.ev[i];
        if (v->tid != g.kernels_tid)
            continue;
        ck_assert_int_lt(nk, 5);
        char want[32];
        snprintf(want, sizeof want, "reduce%d", nk + 1);
        ck_assert_str_eq(v->name, want);
        ck_assert_str_eq(v->name, str(json_object_array_get_idx(
                                          ks, (size_t)nk), "kernel"));
        ck_assert_int_eq(v->launch, nk);
        ck_assert_uint_ge(v->start, last_end);
        ck_assert_uint_gt(v->end, v->start);
        ck_assert_uint_le(v->end, to);
        last_end = v->end;
        nk++;
    }
    ck_assert_int_eq(nk, 5);
    int64_t per[5] = {0}, want_blocks = 0, want_div = 0, div = 0;
    int64_t blocks = check_gpu(&g, per, 5);
    for (int i = 0; i < 5; i++) {
        json_object *k = json_object_array_get_idx(ks, (size_t)i);
        ck_assert_int_eq(per[i], num(k, "blocks", -1));
        want_blocks += num(k, "blocks", 0);
        want_div += num(k, "divergent_branches", 0);
    }
    ck_assert_int_eq(blocks, want_blocks);
    ck_assert_int_eq(blocks, 64 + 64 + 64 + 32 + 32);
    for (size_t i = 0; i < g.n; i++)
        div += g.ev[i].diverge;
    ck_assert_int_eq(div, want_div);
    ck_assert_int_gt(div, 0);
    ck_assert_uint_gt(t.i, (size_t)div);     /* and reconvergences */
    int rows;
    ck_assert_int_eq((int64_t)count_x(&t, "gpu", "SM ", &rows), blocks);
    ck_assert_int_ge(rows, 2);               /* both SMs, blocks at once */
    ck_assert(has_track(&t, "SM 0 (row 2)"));
    json_object_put(st);
    free(g.ev);
    unload(&t);
}
END_TEST

/* The cap on a GPU run, from the first kernel's start, reached inside
 * it: still valid, the kernel cut where the trace ends, the blocks and
 * warp events before it kept inside their kernel's and block's slices,
 * the warp events counted like the rest. */
START_TEST(test_gpu_cap)
{
    TuResult r;
    char *const first[] = {"run", "-q", "--trace", (char *)tmp("A.json"),
                           (char *)tu_built("programs/gpu/divergence.elf"),
                           NULL};
    run_ok(first, &r);
    tu_free(&r);
    Trace t;
    load(&t, tmp("A.json"));
    Gpu g;
    gpu_events(&t, &g);
    uint64_t start = UINT64_MAX;
    size_t all = t.events;
    for (size_t i = 0; i < g.n; i++)
        if (g.ev[i].tid == g.kernels_tid && g.ev[i].start < start)
            start = g.ev[i].start;
    int64_t per[64] = {0};
    int64_t blocks = check_gpu(&g, per, 64);
    size_t instants = t.i;
    ck_assert_int_gt(blocks, 0);
    ck_assert_uint_gt(instants, 0);
    free(g.ev);
    unload(&t);
    ck_assert_uint_lt(start, UINT64_MAX);

    char from[32];
    snprintf(from, sizeof from, "%llu", (unsigned long long)start);
    char *const capped[] = {"run", "-q", "--trace", (char *)tmp("T.json"),
                            "--trace-from", from, "--trace-max-events",
                            "300",
                            (char *)tu_built("programs/gpu/divergence.elf"),
                            NULL};
    run_ok(capped, &r);
    ck_assert_msg(strstr(r.err, "the cap of 300 events was reached"), "%s",
                  r.err);
    tu_free(&r);
    load(&t, tmp("T.json"));
    ck_assert_int_gt(num(t.other, "dropped_events", 0), 0);
    ck_assert_uint_le(t.events, 300 + 300 / 8 + 64);     /* one hart */
    ck_assert_uint_lt(t.events, all);
    gpu_events(&t, &g);
    ck_assert(g.n > 0 && g.ev[0].tid == g.kernels_tid && g.ev[0].clipped);
    int64_t kept = check_gpu(&g, per, 64);
    ck_assert_int_gt(kept, 0);
    ck_assert_int_lt(kept, blocks);
    ck_assert_uint_gt(t.i, 0);
    ck_assert_uint_lt(t.i, instants);
    free(g.ev);
    unload(&t);
}
END_TEST

/* ---- the writer on made-up events --------------------------------------- */

/* A machine that never runs, fed events by hand through its bus. */
static SimMachine *quiet_machine(SimProgram **prog)
{
    char err[256];
    SimConfig cfg;
    sim_config_defaults(&cfg);
    ck_assert(sim_config_set(&cfg, "machine.cores", "2", err, sizeof err));
    *prog = sim_elf_open(tu_built(COUNTER), err, sizeof err);
    ck_assert_msg(*prog != NULL, "%s", err);
    char *argv[] = {(char *)"counter.elf", NULL};
    SimMachine *m = sim_machine_new(&cfg, *prog, 1, argv, err, sizeof err);
    ck_assert_msg(m != NULL, "%s", err);
    return m;
}

static void feed(SimMachine *m, SimEvent e)
{
    if (!e.end)
        e.end = e.cycle;
    sim_ev_push(sim_machine_events(m), &e);
}

/* Two harts hold one lock at overlapping times (the scheduler lets them
 * drift; a counting semaphore has several holders): two rows, both
 * holds, neither clipped.  A stall that outlasts the state it began in
 * (the model does not produce one, the writer must not clip it) goes to
 * a second row of its hart. */
START_TEST(test_overlaps)
{
    SimProgram *prog;
    SimMachine *m = quiet_machine(&prog);
    char err[256];
    SimTraceOptions o = {.path = tmp("T.json")};
    SimTrace *t = sim_trace_open(m, &o, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    uint32_t lock = 0x80001000;
    feed(m, (SimEvent){.cycle = 100, .hart = 0, .addr = lock,
                       .kind = SIM_EV_LOCK, .what = PARSIM_LOCK_ACQUIRED,
                       .result = PARSIM_KIND_SEMAPHORE});
    feed(m, (SimEvent){.cycle = 300, .hart = 0, .addr = lock,
                       .kind = SIM_EV_LOCK, .what = PARSIM_LOCK_RELEASED,
                       .result = PARSIM_KIND_SEMAPHORE});
    feed(m, (SimEvent){.cycle = 150, .hart = 1, .addr = lock,
                       .kind = SIM_EV_LOCK, .what = PARSIM_LOCK_ACQUIRED,
                       .result = PARSIM_KIND_SEMAPHORE});
    feed(m, (SimEvent){.cycle = 250, .hart = 1, .addr = lock,
                       .kind = SIM_EV_LOCK, .what = PARSIM_LOCK_RELEASED,
                       .result = PARSIM_KIND_SEMAPHORE});
    /* hart 1: a miss [400, 600) across its block at 500. */
    feed(m, (SimEvent){.cycle = 400, .end = 600, .hart = 1, .addr = lock,
                       .kind = SIM_EV_ACCESS, .what = 0, .result = 1});
    feed(m, (SimEvent){.cycle = 500, .hart = 1, .addr = lock,
                       .kind = SIM_EV_HART, .what = SIM_EVH_BLOCKED});
    feed(m, (SimEvent){.cycle = 700, .hart = 1,
                       .kind = SIM_EV_HART, .what = SIM_EVH_RUNNING});
    sim_ev_deliver(sim_machine_events(m));
    ck_assert_msg(sim_trace_close(t, m, err, sizeof err), "%s", err);
    Trace tr;
    load(&tr, tmp("T.json"));
    char name[96];
    sim_machine_data_name(m, lock, name, sizeof name);
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s (semaphore)", name);
    int rows;
    ck_assert_uint_eq(count_x(&tr, "lock", prefix, &rows), 2);
    ck_assert_int_eq(rows, 2);
    ck_assert(has_track(&tr, "hart 1 (core 1, thread 0) (row 2)"));
    unload(&tr);
    sim_machine_free(m);
    sim_elf_close(prog);
}
END_TEST

/* An SM's blocks on made-up events: two resident at once take two
 * rows, a block that follows one takes its row again, a warp's event
 * goes on the row of the block that holds its warp slot, and the GPU's
 * cycles end the run even past the harts' (they did nothing here). */
START_TEST(test_gpu_rows)
{
    SimProgram *prog;
    SimMachine *m = quiet_machine(&prog);
    char err[256];
    SimTraceOptions o = {.path = tmp("T.json")};
    SimTrace *t = sim_trace_open(m, &o, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    uint32_t fn = 0x80000000;
    /* SM 0: block 0 on slots 0-7 [100, 500), block 1 on slots 8-15
     * [150, 400), block 2 on slots 0-7 again [500, 700); warp 9 diverges
     * at 200 (block 1), warp 3 at 300 (block 0), warp 2 reconverges at
     * 600 (block 2); the kernel [100, 700), published last, as the GPU
     * does. */
    feed(m, (SimEvent){.cycle = 150, .end = 400, .addr = fn, .id = 1,
                       .src = 0, .dst = 8, .kind = SIM_EV_GPU_BLOCK});
    feed(m, (SimEvent){.cycle = 200, .addr = 0x80000100, .id = 0xffff,
                       .src = 0, .dst = 9, .kind = SIM_EV_GPU_WARP});
    feed(m, (SimEvent){.cycle = 300, .addr = 0x80000100, .id = 0xff,
                       .src = 0, .dst = 3, .kind = SIM_EV_GPU_WARP});
    feed(m, (SimEvent){.cycle = 100, .end = 500, .addr = fn, .id = 0,
                       .src = 0, .dst = 0, .kind = SIM_EV_GPU_BLOCK});
    feed(m, (SimEvent){.cycle = 600, .addr = 0x80000104, .id = 0xffffffff,
                       .src = 0, .dst = 2, .what = 1,
                       .kind = SIM_EV_GPU_WARP});
    feed(m, (SimEvent){.cycle = 500, .end = 700, .addr = fn, .id = 2,
                       .src = 0, .dst = 0, .kind = SIM_EV_GPU_BLOCK});
    feed(m, (SimEvent){.cycle = 100, .end = 700, .addr = fn, .id = 0,
                       .kind = SIM_EV_GPU_KERNEL});
    sim_ev_deliver(sim_machine_events(m));
    ck_assert_msg(sim_trace_close(t, m, err, sizeof err), "%s", err);
    Trace tr;
    load(&tr, tmp("T.json"));
    Gpu g;
    gpu_events(&tr, &g);
    const Track *row1 = named_track(&tr, "SM 0");
    const Track *row2 = named_track(&tr, "SM 0 (row 2)");
    ck_assert(!has_track(&tr, "SM 0 (row 3)"));
    ck_assert(!has_track(&tr, "SM 1"));
    int64_t per[1] = {0};
    ck_assert_int_eq(check_gpu(&g, per, 1), 3);
    ck_assert_int_eq(per[0], 3);
    for (size_t i = 0; i < g.n; i++) {
        const GpuEv *v = &g.ev[i];
        int64_t want = v->tid == g.kernels_tid ? g.kernels_tid
                     : v->block == 1 || v->start == 200 ? row2->tid
                                                        : row1->tid;
        ck_assert_msg(v->tid == want, "%s at %llu on tid %lld", v->name,
                      (unsigned long long)v->start, (long long)v->tid);
    }
    ck_assert_uint_eq(tr.i, 3);
    ck_assert_uint_eq(tr.max_ts, 700);
    free(g.ev);
    unload(&tr);
    sim_machine_free(m);
    sim_elf_close(prog);
}
END_TEST

/* The machine gone before the close (a window's restart freed it): the
 * trace ends where the events left it, and touches no machine. */
START_TEST(test_machine_gone)
{
    SimProgram *prog, *prog2;
    SimMachine *m = quiet_machine(&prog);
    char err[256];
    SimTraceOptions o = {.path = tmp("T.json")};
    SimTrace *t = sim_trace_open(m, &o, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    feed(m, (SimEvent){.cycle = 300, .hart = 1, .kind = SIM_EV_HART,
                       .what = SIM_EVH_BLOCKED});
    sim_ev_deliver(sim_machine_events(m));
    /* What a restart leaves: another machine than the one traced. */
    SimMachine *m2 = quiet_machine(&prog2);
    ck_assert_msg(sim_trace_close(t, m2, err, sizeof err), "%s", err);
    Trace tr;
    load(&tr, tmp("T.json"));
    ck_assert(has_track(&tr, "hart 0 (core 0, thread 0)"));
    ck_assert(has_track(&tr, "hart 1 (core 1, thread 0)"));
    ck_assert_uint_eq(tr.max_ts, 300);      /* hart 1 ran to 300 */
    unload(&tr);
    sim_machine_free(m2);
    sim_elf_close(prog2);
    sim_machine_free(m);
    sim_elf_close(prog);
}
END_TEST

/* Library calls on made-up events: a call contains the states it spans
 * (cut at its edges), a nested call sits inside its caller, a message's
 * ends are slices on the sender's and the receiver's tracks with a flow
 * between them whichever of its events comes first, and a call still
 * open at the end is closed there. */
START_TEST(test_mp_nesting)
{
    SimProgram *prog;
    SimMachine *m = quiet_machine(&prog);
    char err[256];
    SimTraceOptions o = {.path = tmp("T.json")};
    SimTrace *t = sim_trace_open(m, &o, err, sizeof err);
    ck_assert_msg(t != NULL, "%s", err);
    /* hart 0: MPI_Send [100, 200) with a send at 150;
     * hart 1: MPI_Recv [120, 400), blocked [160, 300), an internal call
     * MPI_Wait [130, 390) inside it, the receive completing at 300 (its
     * event before the send's); then MPI_Finalize from 500, never left. */
    feed(m, (SimEvent){.cycle = 100, .hart = 0, .kind = SIM_EV_MP_CALL,
                       .what = 0, .result = PARSIM_MPI_SEND});
    feed(m, (SimEvent){.cycle = 120, .hart = 1, .kind = SIM_EV_MP_CALL,
                       .what = 0, .result = PARSIM_MPI_RECV});
    feed(m, (SimEvent){.cycle = 130, .hart = 1, .kind = SIM_EV_MP_CALL,
                       .what = 0, .result = PARSIM_MPI_WAIT});
    feed(m, (SimEvent){.cycle = 160, .hart = 1, .kind = SIM_EV_HART,
                       .what = SIM_EVH_BLOCKED});
    feed(m, (SimEvent){.cycle = 300, .hart = 1, .src = 0, .dst = 1,
                       .addr = 64, .id = 7, .kind = SIM_EV_MP_RECV});
    feed(m, (SimEvent){.cycle = 300, .hart = 1, .kind = SIM_EV_HART,
                       .what = SIM_EVH_RUNNING});
    feed(m, (SimEvent){.cycle = 390, .hart = 1, .kind = SIM_EV_MP_CALL,
                       .what = 1, .result = PARSIM_MPI_WAIT});
    feed(m, (SimEvent){.cycle = 400, .hart = 1, .kind = SIM_EV_MP_CALL,
                       .what = 1, .result = PARSIM_MPI_RECV});
    feed(m, (SimEvent){.cycle = 150, .end = 250, .hart = 0, .src = 0,
                       .dst = 1, .addr = 64, .id = 7, .result = 5,
                       .kind = SIM_EV_MP_SEND});
    feed(m, (SimEvent){.cycle = 200, .hart = 0, .kind = SIM_EV_MP_CALL,
                       .what = 1, .result = PARSIM_MPI_SEND});
    feed(m, (SimEvent){.cycle = 500, .hart = 0, .kind = SIM_EV_MP_CALL,
                       .what = 0, .result = PARSIM_MPI_FINALIZE});
    feed(m, (SimEvent){.cycle = 600, .hart = 0, .kind = SIM_EV_HART,
                       .what = SIM_EVH_HALTED});
    sim_ev_deliver(sim_machine_events(m));
    ck_assert_msg(sim_trace_close(t, m, err, sizeof err), "%s", err);
    Trace tr;
    load(&tr, tmp("T.json"));
    ck_assert_uint_eq(tr.mp_s, 1);
    ck_assert_uint_eq(tr.mp_f, 1);
    ck_assert_int_eq(tr.flows[7 * 2 + 1].s, 1);
    ck_assert_uint_eq(tr.flows[7 * 2 + 1].ts_s, 150);
    ck_assert_uint_eq(tr.flows[7 * 2 + 1].ts_f, 300);
    MpTrack m0, m1;
    const Track *h0 = named_track(&tr, "hart 0 (core 0, thread 0)");
    const Track *h1 = named_track(&tr, "hart 1 (core 1, thread 0)");
    mp_track(&tr, h0, &m0);
    mp_track(&tr, h1, &m1);
    ck_assert_int_eq(mp_call(&m0, "MPI_Send")->calls, 1);
    ck_assert_int_eq(mp_call(&m0, "MPI_Send")->cycles, 100);
    ck_assert_int_eq(mp_call(&m0, "MPI_Finalize")->calls, 1);
    ck_assert_int_eq(mp_call(&m1, "MPI_Recv")->calls, 1);
    ck_assert_int_eq(mp_call(&m1, "MPI_Recv")->cycles, 280);
    ck_assert_ptr_null(mp_call(&m1, "MPI_Wait"));   /* depth 1 */
    ck_assert_int_eq(m0.sends, 1);
    ck_assert_int_eq(m1.recvs, 1);
    ck_assert_int_eq(m1.bytes_recv, 64);
    /* States cut at the calls' edges: the blocked one and the running
     * ones around it inside MPI_Wait, one in MPI_Send, one in Finalize. */
    ck_assert_int_eq(m1.states_in_calls, 5);
    ck_assert_int_ge(m0.states_in_calls, 2);
    /* No slice went to a second row. */
    ck_assert(!has_track(&tr, "hart 0 (core 0, thread 0) (row 2)"));
    ck_assert(!has_track(&tr, "hart 1 (core 1, thread 0) (row 2)"));
    unload(&tr);
    sim_machine_free(m);
    sim_elf_close(prog);
}
END_TEST

START_TEST(test_parse_cycle)
{
    uint64_t c;
    bool roi;
    ck_assert(sim_trace_parse_cycle("1234", &c, &roi) && c == 1234 && !roi);
    ck_assert(sim_trace_parse_cycle("20k", &c, &roi) && c == 20000);
    ck_assert(sim_trace_parse_cycle("3M", &c, &roi) && c == 3000000);
    ck_assert(sim_trace_parse_cycle("roi", &c, &roi) && roi);
    ck_assert(!sim_trace_parse_cycle("", &c, &roi));
    ck_assert(!sim_trace_parse_cycle("-5", &c, &roi));
    ck_assert(!sim_trace_parse_cycle("5 ", &c, &roi));
    ck_assert(!sim_trace_parse_cycle("99999999999999999999", &c, &roi));
}
END_TEST

Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("trace");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_counter);
    tcase_add_test(tc, test_parallel);
    tcase_add_test(tc, test_same_stats);
    tcase_add_test(tc, test_window);
    tcase_add_test(tc, test_roi_window);
    tcase_add_test(tc, test_cap);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_session);
    tcase_add_test(tc, test_overlaps);
    tcase_add_test(tc, test_machine_gone);
    tcase_add_test(tc, test_mp_pingpong);
    tcase_add_test(tc, test_mpi_calls);
    tcase_add_test(tc, test_mp_cap);
    tcase_add_test(tc, test_mp_nesting);
    tcase_add_test(tc, test_gpu_reduce);
    tcase_add_test(tc, test_gpu_cap);
    tcase_add_test(tc, test_gpu_rows);
    tcase_add_test(tc, test_parse_cycle);
    suite_add_tcase(s, tc);
    return s;
}
