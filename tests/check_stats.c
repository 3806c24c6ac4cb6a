/* check_stats.c — the statistics registry (sim/stats.c) and the JSON
 * writer (sim/json.c): every shipped program's --stats JSON holds the
 * figures the hand-written writer produced (tests/golden/stats/, made by
 * it), the file describes itself (every configuration key, argv), the
 * region of interest counts exactly, the CSV row lines up with its header,
 * the summary shows the region, and the docs' field tables are the
 * registry's. */
#include <check.h>
#include <limits.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/config.h"
#include "sim/json.h"
#include "sim/machine.h"
#include "tests/testutil.h"

static char tmpdir[64];

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/parsim-stats-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "check_stats: could not remove %s\n", tmpdir);
}

static json_object *load(const char *path)
{
    json_object *o = json_object_from_file(path);
    ck_assert_msg(o != NULL, "%s is not valid JSON: %s", path,
                  json_util_get_last_err());
    return o;
}

/* Is every member of `old` in `new` with the same value?  The new fields
 * are what `new` has beyond it.  Fails naming the first difference. */
static void assert_subset(json_object *old, json_object *new,
                          const char *path)
{
    char sub[512];
    json_type t = json_object_get_type(old);
    ck_assert_msg(json_object_get_type(new) == t ||
                      (t == json_type_int &&
                       json_object_get_type(new) == json_type_double) ||
                      (t == json_type_double &&
                       json_object_get_type(new) == json_type_int),
                  "%s: type %d became %d", path, t,
                  json_object_get_type(new));
    switch (t) {
    case json_type_object: {
        json_object_object_foreach(old, key, val) {
            json_object *nv;
            snprintf(sub, sizeof sub, "%s.%s", path, key);
            ck_assert_msg(json_object_object_get_ex(new, key, &nv),
                          "%s: missing", sub);
            assert_subset(val, nv, sub);
        }
        break;
    }
    case json_type_array: {
        size_t n = json_object_array_length(old);
        ck_assert_msg(json_object_array_length(new) == n,
                      "%s: %zu entries became %zu", path, n,
                      json_object_array_length(new));
        for (size_t i = 0; i < n; i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            assert_subset(json_object_array_get_idx(old, i),
                          json_object_array_get_idx(new, i), sub);
        }
        break;
    }
    case json_type_double:
        ck_assert_msg(json_object_get_double(old) ==
                          json_object_get_double(new),
                      "%s: %s became %s", path, json_object_get_string(old),
                      json_object_get_string(new));
        break;
    default:
        ck_assert_msg(!strcmp(json_object_get_string(old),
                              json_object_get_string(new)),
                      "%s: %s became %s", path, json_object_get_string(old),
                      json_object_get_string(new));
        break;
    }
}

/* ---- the shipped programs against the golden files ---------------------- */

typedef struct Case {
    char name[64], opts[256], prog[128], args[128];
} Case;

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static int read_cases(Case *out, int max)
{
    FILE *f = fopen("tests/stats_cases.txt", "r");
    ck_assert_msg(f != NULL, "tests/stats_cases.txt: run from the "
                  "repository root");
    char line[1024];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *field[4] = {line, NULL, NULL, NULL};
        for (int k = 1; k < 4; k++) {
            char *bar = strchr(field[k - 1], '|');
            ck_assert_msg(bar != NULL, "stats_cases.txt: %s", line);
            *bar = 0;
            field[k] = bar + 1;
        }
        snprintf(out[n].name, sizeof out[n].name, "%s", trim(field[0]));
        snprintf(out[n].opts, sizeof out[n].opts, "%s", trim(field[1]));
        snprintf(out[n].prog, sizeof out[n].prog, "%s", trim(field[2]));
        snprintf(out[n].args, sizeof out[n].args, "%s", trim(field[3]));
        n++;
    }
    fclose(f);
    return n;
}

/* Split words of s (modified) onto argv from *argc. */
static void words(char *s, char **argv, int *argc, int max)
{
    for (char *w = strtok(s, " "); w && *argc < max; w = strtok(NULL, " "))
        argv[(*argc)++] = w;
}

/* Run parsim on a case (with `more` options before its own), from a
 * directory where build/ is this build, its --stats JSON into out; its
 * exit status, and in why (when not NULL) what it said on stderr. */
static int try_case(const Case *cs, const char *more, const char *out,
                    char *why, size_t whylen)
{
    /* The golden runs named their programs build/programs/...: a program
     * that prints its argv (hello) retires more instructions for a longer
     * path, so run from a directory where build/ is this build (a
     * sanitizer build is build-asan/). */
    char real[PATH_MAX], cwd[PATH_MAX], link[PATH_MAX], parsim[PATH_MAX];
    ck_assert_ptr_nonnull(realpath(tu_build_path("parsim"), parsim));
    ck_assert_ptr_nonnull(realpath(tu_build_path("."), real));
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    snprintf(link, sizeof link, "%s/build", tmpdir);
    if (access(link, F_OK) != 0)
        ck_assert_int_eq(symlink(real, link), 0);
    Case c = *cs;
    char extra[256];
    snprintf(extra, sizeof extra, "%s", more);
    char *argv[40], prog[256];
    int argc = 0;
    argv[argc++] = parsim;
    argv[argc++] = "run";
    argv[argc++] = "-q";
    argv[argc++] = "--stats";
    argv[argc++] = (char *)out;
    words(extra, argv, &argc, 16);
    words(c.opts, argv, &argc, 30);
    (void)tu_built(c.prog);
    snprintf(prog, sizeof prog, "build/%s", c.prog);
    argv[argc++] = prog;
    words(c.args, argv, &argc, 38);
    argv[argc] = NULL;
    TuResult r;
    ck_assert_int_eq(chdir(tmpdir), 0);
    int rc = tu_run(argv, NULL, 120, &r);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_int_eq(rc, 0);
    int status = r.status;
    if (why)
        snprintf(why, whylen, "%s", r.err ? r.err : "");
    else
        ck_assert_msg(status == 0, "%s: status %d: %s", c.name, status,
                      r.err);
    tu_free(&r);
    return status;
}

static void run_case(const Case *cs, const char *more, const char *out)
{
    (void)try_case(cs, more, out, NULL, 0);
}

START_TEST(test_golden)
{
    Case cases[64];
    int n = read_cases(cases, 64);
    ck_assert_int_ge(n, 20);
    for (int c = 0; c < n; c++) {
        char out[512], golden[512];
        snprintf(out, sizeof out, "%s/%.64s.json", tmpdir, cases[c].name);
        snprintf(golden, sizeof golden, "tests/golden/stats/%.64s.json",
                 cases[c].name);
        run_case(&cases[c], "", out);
        json_object *old = load(golden), *new = load(out);
        assert_subset(old, new, cases[c].name);
        /* The new fields: the file says what ran it. */
        json_object *cfg, *argvj, *v;
        ck_assert(json_object_object_get_ex(new, "config", &cfg));
        ck_assert_int_eq(json_object_object_length(cfg),
                         (int)sim_config_key_count());
        ck_assert(json_object_object_get_ex(cfg, "machine.cores", &v));
        ck_assert(json_object_object_get_ex(new, "argv", &argvj));
        ck_assert_int_ge((int)json_object_array_length(argvj), 1);
        json_object_put(old);
        json_object_put(new);
    }
}
END_TEST

/* The fast paths (each hart's hit filter, the decoded blocks) change no
 * figure: every statistic of a run, cycles included, is the same with
 * them turned off, for the shipped cases (among them a machine of
 * several threads a core, which runs one instruction at a time anyway)
 * and for machines that stress the filter (an L2, tree-PLRU and random
 * replacement, a store buffer, which turns it off, MOESI on a directory
 * with a small L1, two threads a core sharing one L1 on the hierarchy,
 * ranks whose lines the hierarchy tells apart by node). */
static const Case fast_cases[] = {
    {"plru_l2", "--cores 4 --set l1d.replacement=plru --set l2.size=64K",
     "programs/memory/matmul.elf", "blocked 32"},
    {"random", "--cores 4 --set l1d.replacement=random --set l1d.size=4K",
     "programs/threads/matmul_spmd.elf", ""},
    {"store_buffer", "--cores 4 --set core.store_buffer=8",
     "programs/memory/false_sharing.elf", "packed 500"},
    {"directory", "--cores 8 --set coherence.organisation=directory "
     "--set coherence.protocol=moesi --set l1d.size=2K",
     "programs/threads/counter.elf", "ttas 100"},
    {"smt_hierarchy", "--cores 2 --set machine.threads_per_core=2",
     "programs/threads/counter.elf", "ttas 100"},
    {"ranks", "--machine cluster4", "programs/mpi/jacobi1d.elf", ""},
};

START_TEST(test_fast_paths_exact)
{
    Case cases[64 + sizeof fast_cases / sizeof fast_cases[0]];
    int n = read_cases(cases, 64);
    for (size_t i = 0; i < sizeof fast_cases / sizeof fast_cases[0]; i++)
        cases[n++] = fast_cases[i];
    for (int c = 0; c < n; c++) {
        char on[512], off[512];
        snprintf(on, sizeof on, "%s/%.64s.on.json", tmpdir, cases[c].name);
        snprintf(off, sizeof off, "%s/%.64s.off.json", tmpdir, cases[c].name);
        run_case(&cases[c], "", on);
        /* Both switches off, or the one the machine has (parsim refuses
         * a key that would do nothing: no hierarchy, several threads a
         * core); a machine with neither has nothing to compare. */
        static const char *const offs[] = {
            "--set core.hit_filter=false --set core.decoded_blocks=false",
            "--set core.hit_filter=false", "--set core.decoded_blocks=false"};
        char why[512];
        size_t k = 0;
        while (k < 3 && try_case(&cases[c], offs[k], off, why, sizeof why)) {
            ck_assert_msg(strstr(why, "would do nothing") != NULL, "%s: %s",
                          cases[c].name, why);
            k++;
        }
        if (k == 3)
            continue;
        json_object *a = load(on), *b = load(off);
        /* The keys turned off are the one difference in the file. */
        json_object_object_del(a, "config");
        json_object_object_del(b, "config");
        assert_subset(b, a, cases[c].name);
        assert_subset(a, b, cases[c].name);
        json_object_put(a);
        json_object_put(b);
    }
}
END_TEST

/* Every key's value is recorded, defaults included, with --set applied. */
START_TEST(test_config_recorded)
{
    char out[256];
    snprintf(out, sizeof out, "%s/c.json", tmpdir);
    char *argv[] = {"run", "-q", "--cores", "2", "--set", "l1d.size=16K",
                    "--stats", out, (char *)tu_built("programs/demo/hello.elf"),
                    "a b", "", NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(argv, NULL, 60, &r), 0);
    ck_assert_int_eq(r.status, 0);
    tu_free(&r);
    json_object *o = load(out), *cfg, *v, *a;
    ck_assert(json_object_object_get_ex(o, "config", &cfg));
    ck_assert(json_object_object_get_ex(cfg, "l1d.size", &v));
    ck_assert_int_eq(json_object_get_int(v), 16384);
    ck_assert(json_object_object_get_ex(cfg, "machine.cores", &v));
    ck_assert_int_eq(json_object_get_int(v), 2);
    ck_assert(json_object_object_get_ex(cfg, "coherence.protocol", &v));
    ck_assert_str_eq(json_object_get_string(v), "mesi");
    ck_assert(json_object_object_get_ex(o, "argv", &a));
    ck_assert_int_eq((int)json_object_array_length(a), 3);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(a, 1)),
                     "a b");
    json_object_put(o);
}
END_TEST

/* ---- the region of interest ------------------------------------------------ */

static const int roi_loads[] = {1000, 257, 1};

START_TEST(test_roi_exact)
{
    char out[256], n[16];
    snprintf(out, sizeof out, "%s/roi.json", tmpdir);
    snprintf(n, sizeof n, "%d", roi_loads[_i]);
    char *argv[] = {"run", "--stats", out,
                    (char *)tu_built("tests/programs/roi_loads.elf"), n, NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(argv, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "region of interest (1 region"));
    tu_free(&r);
    json_object *o = load(out), *roi, *harts, *h, *v, *whole;
    ck_assert(json_object_object_get_ex(o, "roi", &roi));
    ck_assert(json_object_object_get_ex(roi, "regions", &v));
    ck_assert_int_eq(json_object_get_int(v), 1);
    ck_assert(json_object_object_get_ex(roi, "harts", &harts));
    h = json_object_array_get_idx(harts, 0);
    ck_assert(json_object_object_get_ex(h, "loads", &v));
    ck_assert_int_eq(json_object_get_int(v), roi_loads[_i]);
    ck_assert(json_object_object_get_ex(h, "stores", &v));
    ck_assert_int_eq(json_object_get_int(v), 0);
    /* The L1 saw those loads and nothing else; all hit (warmed up). */
    json_object *mem, *l1;
    ck_assert(json_object_object_get_ex(roi, "memory", &mem));
    ck_assert(json_object_object_get_ex(mem, "l1d", &l1));
    json_object *c0 = json_object_array_get_idx(l1, 0);
    ck_assert(json_object_object_get_ex(c0, "accesses", &v));
    ck_assert_int_eq(json_object_get_int(v), roi_loads[_i]);
    ck_assert(json_object_object_get_ex(c0, "hits", &v));
    ck_assert_int_eq(json_object_get_int(v), roi_loads[_i]);
    /* The whole run did the start-up too. */
    ck_assert(json_object_object_get_ex(o, "harts", &whole));
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(whole, 0),
                                        "loads", &v));
    ck_assert_int_gt(json_object_get_int(v), 4096);
    json_object_put(o);
}
END_TEST

/* roi_sum: the region holds the sum alone, so its L1 misses are the
 * locality lesson's exact figures without subtracting a start-up run: one
 * per line row by row (16 ints a line), one per element column by column
 * (640 x 640, columns longer than the L1). */
START_TEST(test_roi_locality)
{
    static const char *const mode[] = {"row", "col"};
    static const long misses[] = {640 * 640 / 16, 640 * 640};
    char out[256];
    snprintf(out, sizeof out, "%s/sum.json", tmpdir);
    char *argv[] = {"run", "-q", "--stats", out,
                    (char *)tu_built("programs/memory/roi_sum.elf"),
                    (char *)mode[_i], NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(argv, NULL, 120, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    tu_free(&r);
    json_object *o = load(out), *roi, *mem, *l1, *ms, *v;
    ck_assert(json_object_object_get_ex(o, "roi", &roi));
    ck_assert(json_object_object_get_ex(roi, "memory", &mem));
    ck_assert(json_object_object_get_ex(mem, "l1d", &l1));
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(l1, 0),
                                        "misses", &ms));
    long total = 0;
    json_object_object_foreach(ms, cls, n) {
        (void)cls;
        total += json_object_get_int64(n);
    }
    ck_assert_int_eq(total, misses[_i]);
    ck_assert(json_object_object_get_ex(ms, "compulsory", &v));
    ck_assert_int_eq(json_object_get_int(v), 0);   /* start-up took them */
    json_object_put(o);
}
END_TEST

/* No region: no roi object, no region column. */
START_TEST(test_roi_absent)
{
    char out[256];
    snprintf(out, sizeof out, "%s/none.json", tmpdir);
    char *argv[] = {"run", "--stats", out,
                    (char *)tu_built("programs/demo/hello.elf"), NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(argv, NULL, 60, &r), 0);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_null(strstr(r.err, "region of interest"));
    tu_free(&r);
    json_object *o = load(out), *v;
    ck_assert(!json_object_object_get_ex(o, "roi", &v));
    json_object_put(o);
}
END_TEST

/* ---- CSV ------------------------------------------------------------------ */

static int fields(const char *line)
{
    int n = 1;
    bool q = false;
    for (const char *p = line; *p && *p != '\n'; p++) {
        if (*p == '"')
            q = !q;
        else if (*p == ',' && !q)
            n++;
    }
    return n;
}

/* A line is named by every variable it holds, with the bytes of each:
 * two 32-byte arrays falsely shared on one line. */
START_TEST(test_hot_line_names)
{
    char out[256];
    snprintf(out, sizeof out, "%s/two.json", tmpdir);
    char *argv[] = {"run", "-q", "--cores", "2", "--stats", out,
                    (char *)tu_built("tests/programs/two_arrays.elf"), NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(argv, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    tu_free(&r);
    json_object *o = load(out), *mem, *hot, *sym, *inv;
    ck_assert(json_object_object_get_ex(o, "memory", &mem));
    ck_assert(json_object_object_get_ex(mem, "hot_lines", &hot));
    json_object *first = json_object_array_get_idx(hot, 0);
    ck_assert(json_object_object_get_ex(first, "symbol", &sym));
    ck_assert_str_eq(json_object_get_string(sym),
                     "hits+0..31, hits_padded+0..31");
    /* The line bounces: an invalidation every few writes (a core keeps
     * writing until the other's request reaches it). */
    ck_assert(json_object_object_get_ex(first, "invalidations", &inv));
    ck_assert_int_gt(json_object_get_int(inv), 200);
    json_object_put(o);
}
END_TEST

/* The misses by variable: a column-major sum's conflict misses are all
 * on its matrix, one compulsory miss per line of it. */
START_TEST(test_misses_by_variable)
{
    char out[256];
    snprintf(out, sizeof out, "%s/col.json", tmpdir);
    char *argv[] = {"run", "-q", "--stats", out,
                    (char *)tu_built("tests/programs/col_sum.elf"), NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(argv, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "%s", r.err);
    tu_free(&r);
    json_object *o = load(out), *mem, *vars, *l1, *v;
    ck_assert(json_object_object_get_ex(o, "memory", &mem));
    ck_assert(json_object_object_get_ex(mem, "variables", &vars));
    ck_assert(json_object_object_get_ex(mem, "l1d", &l1));
    json_object *top = json_object_array_get_idx(vars, 0), *by, *l1m;
    ck_assert(json_object_object_get_ex(top, "symbol", &v));
    ck_assert_str_eq(json_object_get_string(v), "matrix");
    ck_assert(json_object_object_get_ex(top, "by_class", &by));
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(l1, 0),
                                        "misses", &l1m));
    json_object *a, *b;
    /* Every conflict miss of the run is on the matrix. */
    ck_assert(json_object_object_get_ex(by, "conflict", &a));
    ck_assert(json_object_object_get_ex(l1m, "conflict", &b));
    ck_assert_int_gt(json_object_get_int64(a), 60000);
    ck_assert_int_eq(json_object_get_int64(a), json_object_get_int64(b));
    /* 256 x 256 ints, 64-byte lines: 4,096 lines and the one it shares
     * at an end, each missed once for the first time. */
    ck_assert(json_object_object_get_ex(by, "compulsory", &a));
    ck_assert(json_object_object_get_ex(top, "lines", &b));
    ck_assert_int_ge(json_object_get_int64(b), 4096);
    ck_assert_int_le(json_object_get_int64(b), 4097);
    ck_assert_int_eq(json_object_get_int64(a), json_object_get_int64(b));
    json_object_put(o);
}
END_TEST

START_TEST(test_csv_rows)
{
    char out[256];
    snprintf(out, sizeof out, "%s/runs.csv", tmpdir);
    const char *progs[] = {"programs/threads/counter.elf",
                           "tests/programs/roi_loads.elf"};
    for (int i = 0; i < 2; i++) {
        char *argv[] = {"run", "-q", "--cores", "2", "--stats-csv", out,
                        (char *)tu_built(progs[i]), NULL};
        TuResult r;
        ck_assert_int_eq(tu_parsim(argv, NULL, 60, &r), 0);
        ck_assert_msg(r.status == 0, "%s", r.err);
        tu_free(&r);
    }
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    char head[16384], row1[16384], row2[16384], extra[16];
    ck_assert_ptr_nonnull(fgets(head, sizeof head, f));
    ck_assert_ptr_nonnull(fgets(row1, sizeof row1, f));
    ck_assert_ptr_nonnull(fgets(row2, sizeof row2, f));
    ck_assert_ptr_null(fgets(extra, sizeof extra, f));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(head, "totals.cycles,"));
    ck_assert_ptr_nonnull(strstr(head, "roi.harts.loads,"));
    ck_assert_ptr_nonnull(strstr(head, "memory.l1d.misses.coherence,"));
    ck_assert_ptr_nonnull(strstr(head, ",machine.cores,"));
    ck_assert_int_eq(fields(row1), fields(head));
    ck_assert_int_eq(fields(row2), fields(head));
    /* roi_loads' default region: 1000 loads, in the roi.harts.loads cell. */
    int col = 0;
    for (const char *p = head; p < strstr(head, "roi.harts.loads,"); p++)
        col += *p == ',';
    const char *c = row2;
    for (int k = 0; k < col; k++)
        c = strchr(c, ',') + 1;
    ck_assert_int_eq(atoi(c), 1000);
}
END_TEST

/* ---- the JSON writer --------------------------------------------------------- */

START_TEST(test_json_writer)
{
    char path[256];
    snprintf(path, sizeof path, "%s/w.json", tmpdir);
    FILE *f = fopen(path, "w");
    JsonW w;
    jw_init(&w, f);
    jw_open(&w, NULL, '{', false);
    jw_str(&w, "s", "quote \" back \\ nl \n tab \t bell \a del \x7f");
    jw_open(&w, "a", '[', false);
    jw_u64(&w, NULL, 18446744073709551615ull);
    jw_i64(&w, NULL, -71);
    jw_open(&w, NULL, '{', true);
    jw_bool(&w, "t", true);
    jw_f64(&w, "inf", 1.0 / 0.0, 2);
    jw_close(&w);
    jw_open(&w, NULL, '[', false);
    jw_close(&w);
    jw_close(&w);
    jw_open(&w, "empty", '{', false);
    jw_close(&w);
    jw_close(&w);
    fclose(f);
    json_object *o = load(path), *v;
    ck_assert(json_object_object_get_ex(o, "s", &v));
    ck_assert_str_eq(json_object_get_string(v),
                     "quote \" back \\ nl \n tab \t bell \a del \x7f");
    ck_assert(json_object_object_get_ex(o, "a", &v));
    ck_assert_int_eq((int)json_object_array_length(v), 4);
    ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(v, 1)),
                     -71);
    json_object_put(o);
}
END_TEST

/* docs/stats.md's field tables are the registry's (between its markers). */
START_TEST(test_docs_fresh)
{
    char gen[256];
    snprintf(gen, sizeof gen, "%s/gen.md", tmpdir);
    FILE *g = fopen(gen, "w");
    sim_stats_markdown(g);
    fclose(g);
    FILE *d = fopen("docs/stats.md", "r");
    ck_assert_msg(d != NULL, "docs/stats.md: run from the repository root");
    g = fopen(gen, "r");
    char a[4096], b[4096];
    bool in = false;
    int line = 0, compared = 0;
    while (fgets(a, sizeof a, d)) {
        line++;
        if (strstr(a, "<!-- fields: generated")) {
            in = true;
            continue;
        }
        if (strstr(a, "<!-- end of fields -->"))
            break;
        if (!in)
            continue;
        char *got = fgets(b, sizeof b, g);
        ck_assert_msg(got && !strcmp(a, b), "docs/stats.md:%d is stale "
                      "(regenerate with: build/parsim stats-fields): has "
                      "\"%.80s\", the registry says \"%.80s\"", line, a,
                      got ? b : "(end)");
        compared++;
    }
    ck_assert_msg(in, "docs/stats.md has no generated field tables");
    ck_assert_msg(!fgets(b, sizeof b, g), "docs/stats.md lacks \"%.80s\"",
                  b);
    ck_assert_int_gt(compared, 50);
    fclose(d);
    fclose(g);
}
END_TEST

Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("registry");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_golden);
    tcase_add_test(tc, test_fast_paths_exact);
    tcase_add_test(tc, test_config_recorded);
    tcase_add_loop_test(tc, test_roi_exact, 0,
                        (int)(sizeof roi_loads / sizeof roi_loads[0]));
    tcase_add_loop_test(tc, test_roi_locality, 0, 2);
    tcase_add_test(tc, test_roi_absent);
    tcase_add_test(tc, test_csv_rows);
    tcase_add_test(tc, test_hot_line_names);
    tcase_add_test(tc, test_misses_by_variable);
    tcase_add_test(tc, test_json_writer);
    tcase_add_test(tc, test_docs_fresh);
    suite_add_tcase(s, tc);
    return s;
}
