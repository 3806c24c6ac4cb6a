/* check_sweep.c — parsim sweep (sim/sweep.c): --vary's values and
 * ranges, the grid's rows (keys, order, exact region-of-interest counts
 * and the model's effects), byte-identical reruns whatever --jobs says,
 * shards merged into the whole, mpirun --mpi equal to a local sweep, a
 * failed point as a row with its status and message, the JSON, the
 * plot's size, and the command line's errors. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/csv.h"
#include "sim/sweep.h"
#include "tests/testutil.h"

static char tmpdir[64];

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/parsim-sweep-t-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "check_sweep: could not remove %s\n", tmpdir);
}

static const char *tmp(const char *name)
{
    static char b[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(b[k], sizeof b[k], "%s/%s", tmpdir, name);
    return b[k];
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* ---- a CSV read back ------------------------------------------------------ */

typedef struct Table {
    char *lines[64];
    char *cells[64][400];
    size_t nrows, ncols;        /* rows without the header */
} Table;

static void table_load(Table *t, const char *path)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    char *line;
    size_t r = 0;
    while ((line = sim_csv_read_line(f)) && r < 64) {
        t->lines[r] = line;
        size_t n = sim_csv_split(line, t->cells[r], 400);
        ck_assert_msg(n > 0 && n <= 400, "%s: row %zu malformed", path, r);
        if (r == 0)
            t->ncols = n;
        else
            ck_assert_msg(n == t->ncols, "%s: row %zu has %zu cells, the "
                          "header %zu", path, r, n, t->ncols);
        r++;
    }
    fclose(f);
    ck_assert_msg(r > 0, "%s is empty", path);
    t->nrows = r - 1;
}

static void table_free(Table *t)
{
    for (size_t r = 0; r <= t->nrows; r++)
        free(t->lines[r]);
}

static int col(const Table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (!strcmp(t->cells[0][c], name))
            return (int)c;
    return -1;
}

/* Row r's (from 0) cell of a column, which must exist. */
static const char *cell(const Table *t, size_t r, const char *name)
{
    int c = col(t, name);
    ck_assert_msg(c >= 0, "no column %s", name);
    return t->cells[r + 1][c];
}

static unsigned long long num(const Table *t, size_t r, const char *name)
{
    const char *v = cell(t, r, name);
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    ck_assert_msg(*v && !*end, "%s of row %zu is '%s', not a number", name,
                  r, v);
    return x;
}

/* parsim sweep with args; returns its exit status, stderr in err. */
static int sweep(char **args, char **err)
{
    char *argv[64];
    int n = 0;
    argv[n++] = "sweep";
    for (; *args; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    TuResult r;
    ck_assert_int_eq(tu_parsim(argv, NULL, 120, &r), 0);
    int status = r.status;
    if (err)
        *err = strdup(r.err);
    tu_free(&r);
    return status;
}

/* ---- --vary ------------------------------------------------------------ */

static const struct {
    const char *spec, *values;  /* values joined by spaces, NULL: refused */
} vary_cases[] = {
    {"cores=1,2,4", "1 2 4"},
    {"cores=1..16*2", "1 2 4 8 16"},
    {"cores=1..7+3", "1 4 7"},
    {"cores=3..5", "3 4 5"},
    {"cores=1,2..8*2", "1 2 4 8"},
    {"l1d.size=4K..16K*2", "4096 8192 16384"},
    {"l1d.size=32K", "32768"},
    {"coherence.protocol=msi,mesi", "msi mesi"},
    {"arg1=tas,ttas,mcs", "tas ttas mcs"},
    {"arg2=1..3", "1..3"},          /* an argument is text, not a range */
    {"cores", NULL},
    {"=1,2", NULL},
    {"cores=", NULL},
    {"cores=,", NULL},
    {"cores=1,1", NULL},
    {"cores=4..2", NULL},
    {"cores=1..8*1", NULL},
    {"cores=0..8*2", NULL},
    {"cores=1..8+0", NULL},
    {"cores=1..x", NULL},
    {"cores=two", NULL},
    {"no.such_key=1", NULL},
    {"l1d.size=3Q", NULL},
    {"run.mode=parallel", NULL},
    {"run.host_threads=2", NULL},
    {"arg0=1", NULL},
    {"argx=1", NULL},
};

START_TEST(test_vary)
{
    SimSweepVary v;
    char err[512] = "";
    bool ok = sim_sweep_parse_vary(vary_cases[_i].spec, &v, err, sizeof err);
    if (!vary_cases[_i].values) {
        ck_assert_msg(!ok, "%s accepted", vary_cases[_i].spec);
        ck_assert_msg(err[0] && !strchr(err, '\n'), "%s: no one-line reason",
                      vary_cases[_i].spec);
        return;
    }
    ck_assert_msg(ok, "%s: %s", vary_cases[_i].spec, err);
    char got[256] = "";
    for (size_t i = 0; i < v.nvalues; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s",
                 i ? " " : "", v.values[i]);
    ck_assert_str_eq(got, vary_cases[_i].values);
    sim_sweep_vary_free(&v);
}
END_TEST

START_TEST(test_shard_parse)
{
    unsigned i, n;
    ck_assert(sim_sweep_parse_shard("0/1", &i, &n) && i == 0 && n == 1);
    ck_assert(sim_sweep_parse_shard("3/4", &i, &n) && i == 3 && n == 4);
    const char *bad[] = {"4/4", "1/0", "1", "/4", "1/", "-1/4", "a/b",
                         "1/4/5", " 1/4", ""};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_msg(!sim_sweep_parse_shard(bad[k], &i, &n), "%s", bad[k]);
}
END_TEST

/* ---- the grid --------------------------------------------------------------- */

/* A 2 x 3 grid of roi_loads: the region holds exactly arg1 loads. */
START_TEST(test_grid_rows)
{
    const char *csv = tmp("grid.csv");
    char *args[] = {"--vary", "cores=1,2", "--vary", "arg1=10,100,1000",
                    "--csv", (char *)csv,
                    (char *)tu_built("tests/programs/roi_loads.elf"), "1",
                    NULL};
    char *err;
    ck_assert_int_eq(sweep(args, &err), 0);
    ck_assert_msg(strstr(err, "6 points, 0 failed"), "%s", err);
    free(err);
    Table t;
    table_load(&t, csv);
    ck_assert_int_eq(t.nrows, 6);
    ck_assert_str_eq(t.cells[0][0], "point");
    ck_assert_str_eq(t.cells[0][1], "cores");
    ck_assert_str_eq(t.cells[0][2], "arg1");
    ck_assert_str_eq(t.cells[0][t.ncols - 1], "message");
    /* The varied key's column stands for its configuration column. */
    ck_assert_int_eq(col(&t, "machine.cores"), -1);
    ck_assert_int_ge(col(&t, "l1d.size"), 0);
    const char *cores[] = {"1", "1", "1", "2", "2", "2"};
    const unsigned loads[] = {10, 100, 1000, 10, 100, 1000};
    for (size_t r = 0; r < 6; r++) {
        ck_assert_uint_eq(num(&t, r, "point"), r);
        ck_assert_str_eq(cell(&t, r, "cores"), cores[r]);
        ck_assert_uint_eq(num(&t, r, "arg1"), loads[r]);
        ck_assert_uint_eq(num(&t, r, "exit_status"), 0);
        ck_assert_str_eq(cell(&t, r, "message"), "");
        /* Exact: the region's loads are the program's argument. */
        ck_assert_uint_eq(num(&t, r, "roi.harts.loads"), loads[r]);
        ck_assert_uint_lt(num(&t, r, "roi.totals.cycles"),
                          num(&t, r, "totals.cycles"));
        if (r % 3)
            ck_assert_uint_gt(num(&t, r, "roi.totals.cycles"),
                              num(&t, r - 1, "roi.totals.cycles"));
    }
    table_free(&t);
}
END_TEST

/* The same sweep twice, on one job and on four: the same bytes. */
START_TEST(test_rerun_identical)
{
    const char *a = tmp("a.csv"), *b = tmp("b.csv");
    const char *prog = tu_built("programs/threads/counter.elf");
    char *args1[] = {"-q", "--jobs", "1", "--vary", "cores=1..4*2",
                     "--vary", "arg1=tas,mcs", "--csv", (char *)a,
                     (char *)prog, "tas", "50", NULL};
    char *args2[] = {"-q", "--jobs=4", "--vary", "cores=1..4*2",
                     "--vary", "arg1=tas,mcs", "--csv", (char *)b,
                     (char *)prog, "tas", "50", NULL};
    ck_assert_int_eq(sweep(args1, NULL), 0);
    ck_assert_int_eq(sweep(args2, NULL), 0);
    char *x = slurp(a), *y = slurp(b);
    ck_assert_str_eq(x, y);
    /* Contention: on 4 harts a lock is waited for far longer per
     * acquisition than on 1. */
    Table t;
    table_load(&t, a);
    ck_assert_int_eq(t.nrows, 6);
    for (size_t r = 0; r < 2; r++) {
        unsigned long long one = num(&t, r, "locks.wait_cycles_total") /
                                 num(&t, r, "locks.acquisitions"),
                           four = num(&t, r + 4, "locks.wait_cycles_total") /
                                  num(&t, r + 4, "locks.acquisitions");
        ck_assert_uint_eq(num(&t, r + 4, "locks.acquisitions"), 200);
        ck_assert_msg(four > 5 * one, "%s: %llu cycles per acquisition on 4 "
                      "harts, %llu on 1", cell(&t, r, "arg1"), four, one);
    }
    table_free(&t);
    free(x);
    free(y);
}
END_TEST

/* Three shards, merged in any order, are the whole sweep. */
START_TEST(test_shards_merge)
{
    const char *prog = tu_built("programs/threads/counter.elf");
    const char *whole = tmp("whole.csv");
    char *args[] = {"-q", "--vary", "cores=1,2,3", "--vary", "arg1=tas,ttas",
                    "--csv", (char *)whole, (char *)prog, "x", "40", NULL};
    ck_assert_int_eq(sweep(args, NULL), 0);
    char shard[3][128];
    for (int i = 0; i < 3; i++) {
        char spec[16];
        snprintf(spec, sizeof spec, "%d/3", i);
        snprintf(shard[i], sizeof shard[i], "%s/shard%d.csv", tmpdir, i);
        char *sa[] = {"-q", "--shard", spec, "--vary", "cores=1,2,3",
                      "--vary", "arg1=tas,ttas", "--csv", shard[i],
                      (char *)prog, "x", "40", NULL};
        ck_assert_int_eq(sweep(sa, NULL), 0);
        Table t;
        table_load(&t, shard[i]);
        ck_assert_int_eq(t.nrows, 2);
        ck_assert_uint_eq(num(&t, 0, "point"), (unsigned)i);
        ck_assert_uint_eq(num(&t, 1, "point"), (unsigned)i + 3);
        table_free(&t);
    }
    const char *merged = tmp("merged.csv");
    char *ma[] = {"--merge", shard[2], shard[0], shard[1], "--csv",
                  (char *)merged, NULL};
    ck_assert_int_eq(sweep(ma, NULL), 0);
    char *x = slurp(whole), *y = slurp(merged);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
    /* A shard given twice is refused; one missing is a warning. */
    char *err;
    char *twice[] = {"--merge", shard[0], shard[0], "--csv", (char *)merged,
                     NULL};
    ck_assert_int_eq(sweep(twice, &err), 64);
    ck_assert_msg(strstr(err, "point 0 is in two files"), "%s", err);
    free(err);
    char *gap[] = {"--merge", shard[0], shard[2], "--csv", (char *)merged,
                   NULL};
    ck_assert_int_eq(sweep(gap, &err), 0);
    ck_assert_msg(strstr(err, "2 points missing"), "%s", err);
    free(err);
}
END_TEST

/* mpirun -n 2 parsim sweep --mpi: the local sweep's file. */
START_TEST(test_mpi_equals_local)
{
    ck_assert_msg(access(tu_build_path("parsim-sweep-mpi"), X_OK) == 0,
                  "%s is not built (make builds it unless NO_MPI=1)",
                  tu_build_path("parsim-sweep-mpi"));
    const char *prog = tu_built("programs/threads/counter.elf");
    const char *local = tmp("local.csv"), *mpi = tmp("mpi.csv");
    char *args[] = {"-q", "--vary", "cores=1,2", "--vary",
                    "arg1=tas,ticket,mcs", "--csv", (char *)local,
                    (char *)prog, "x", "40", NULL};
    ck_assert_int_eq(sweep(args, NULL), 0);
    /* Open MPI refuses root unless told; CI may run as root. */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    char *argv[] = {"mpirun", "-n", "2", "--oversubscribe",
                    (char *)tu_build_path("parsim"), "sweep", "--mpi", "-q",
                    "--vary", "cores=1,2", "--vary", "arg1=tas,ticket,mcs",
                    "--csv", (char *)mpi, (char *)prog, "x", "40", NULL};
    TuResult r;
    ck_assert_int_eq(tu_run(argv, NULL, 120, &r), 0);
    ck_assert_msg(r.status == 0, "mpirun: status %d: %s", r.status, r.err);
    tu_free(&r);
    char *x = slurp(local), *y = slurp(mpi);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
}
END_TEST

/* A point that fails is a row with its status and its message; the
 * others are not stopped. */
START_TEST(test_failed_points)
{
    const char *csv = tmp("fail.csv");
    char *args[] = {"-q", "--vary", "run.max_cycles=500,50000000",
                    "--vary", "arg1=ret,exit", "--vary", "arg2=0,3",
                    "--csv", (char *)csv,
                    (char *)tu_built("tests/programs/exit_status.elf"),
                    "ret", "0", NULL};
    ck_assert_int_eq(sweep(args, NULL), 0);
    Table t;
    table_load(&t, csv);
    ck_assert_int_eq(t.nrows, 8);
    for (size_t r = 0; r < 4; r++) {
        /* 500 cycles: the start-up does not even finish. */
        ck_assert_uint_eq(num(&t, r, "exit_status"), 75);
        ck_assert_msg(strstr(cell(&t, r, "message"), "cycle limit"), "%s",
                      cell(&t, r, "message"));
        /* At the limit, or past it by the last instruction's cycles. */
        ck_assert_uint_ge(num(&t, r, "totals.cycles"), 500);
        ck_assert_uint_lt(num(&t, r, "totals.cycles"), 520);
    }
    for (size_t r = 4; r < 8; r++) {
        unsigned want = r % 2 ? 3 : 0;
        ck_assert_uint_eq(num(&t, r, "exit_status"), want);
        ck_assert_int_eq(cell(&t, r, "message")[0] != '\0', want != 0);
        ck_assert_uint_gt(num(&t, r, "totals.instructions"), 1000);
    }
    ck_assert_msg(strstr(cell(&t, 5, "message"), "status 3"), "%s",
                  cell(&t, 5, "message"));
    table_free(&t);
}
END_TEST

/* A program that faults: every point a row with status 70 and the
 * fault's line. */
START_TEST(test_fault_points)
{
    const char *csv = tmp("fault.csv");
    char *args[] = {"-q", "--vary", "cores=1,2", "--csv", (char *)csv,
                    (char *)tu_built("tests/programs/bad_illegal.elf"), NULL};
    ck_assert_int_eq(sweep(args, NULL), 0);
    Table t;
    table_load(&t, csv);
    ck_assert_int_eq(t.nrows, 2);
    for (size_t r = 0; r < 2; r++) {
        ck_assert_uint_eq(num(&t, r, "exit_status"), 70);
        ck_assert_msg(strstr(cell(&t, r, "message"), "illegal instruction"),
                      "%s", cell(&t, r, "message"));
        ck_assert_uint_gt(num(&t, r, "totals.instructions"), 0);
    }
    table_free(&t);
}
END_TEST

/* A point whose machine does not exist: a row with parsim's error. */
START_TEST(test_config_error_point)
{
    const char *csv = tmp("cfg.csv");
    char *args[] = {"-q", "--vary", "l1d.size=16K,1000", "--csv",
                    (char *)csv,
                    (char *)tu_built("tests/programs/roi_loads.elf"), NULL};
    ck_assert_int_eq(sweep(args, NULL), 0);
    Table t;
    table_load(&t, csv);
    ck_assert_int_eq(t.nrows, 2);
    ck_assert_uint_eq(num(&t, 0, "exit_status"), 0);
    ck_assert_uint_eq(num(&t, 1, "exit_status"), 64);
    ck_assert_msg(strstr(cell(&t, 1, "message"), "l1d"), "%s",
                  cell(&t, 1, "message"));
    ck_assert_str_eq(cell(&t, 1, "totals.cycles"), "");
    table_free(&t);
}
END_TEST

START_TEST(test_json)
{
    const char *json = tmp("all.json"), *csv = tmp("j.csv");
    char *args[] = {"-q", "--vary", "arg1=10,20", "--json", (char *)json,
                    "--csv", (char *)csv,
                    (char *)tu_built("tests/programs/roi_loads.elf"), "1",
                    NULL};
    ck_assert_int_eq(sweep(args, NULL), 0);
    json_object *o = json_object_from_file(json), *p, *v;
    ck_assert_msg(o && json_object_is_type(o, json_type_array), "%s",
                  json_util_get_last_err());
    ck_assert_int_eq((int)json_object_array_length(o), 2);
    for (int i = 0; i < 2; i++) {
        p = json_object_array_get_idx(o, i);
        ck_assert(json_object_object_get_ex(p, "point", &v));
        ck_assert_int_eq(json_object_get_int(v), i);
        ck_assert(json_object_object_get_ex(p, "vary", &v));
        ck_assert(json_object_object_get_ex(v, "arg1", &v));
        ck_assert_str_eq(json_object_get_string(v), i ? "20" : "10");
        ck_assert(json_object_object_get_ex(p, "stats", &v));
        ck_assert(json_object_object_get_ex(v, "argv", &v));
        ck_assert_str_eq(json_object_get_string(
                             json_object_array_get_idx(v, 1)),
                         i ? "20" : "10");
    }
    json_object_put(o);
}
END_TEST

/* --plot: a PNG of the size asked for. */
START_TEST(test_plot)
{
    const char *png = tmp("p.png");
    char *args[] = {"-q", "--vary", "cores=1,2", "--vary", "arg1=tas,mcs",
                    "--plot", (char *)png, "--x", "cores", "--y",
                    "totals.cycles", "--by", "arg1", "--plot-size",
                    "640x480", "--csv", (char *)tmp("p.csv"),
                    (char *)tu_built("programs/threads/counter.elf"), "x",
                    "30", NULL};
    char *err;
    ck_assert_int_eq(sweep(args, &err), 0);
    free(err);
    FILE *f = fopen(png, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char h[24];
    ck_assert_int_eq(fread(h, 1, 24, f), 24);
    fclose(f);
    ck_assert(!memcmp(h, "\x89PNG\r\n\x1a\n", 8));
    ck_assert(!memcmp(h + 12, "IHDR", 4));
    unsigned w = (unsigned)h[16] << 24 | (unsigned)h[17] << 16 |
                 (unsigned)h[18] << 8 | h[19];
    unsigned ht = (unsigned)h[20] << 24 | (unsigned)h[21] << 16 |
                  (unsigned)h[22] << 8 | h[23];
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(ht, 480);
}
END_TEST

/* ---- the command line's errors --------------------------------------------- */

static const struct {
    const char *args, *says;
    int status;
} errors[] = {
    {"--vary cores=1 --gui P", "--gui is not for a sweep", 64},
    {"--vary cores=1 --host-threads 2 P", "deterministic mode", 64},
    {"--vary cores=1 --stats x.json P", "--csv and --json", 64},
    {"--vary cores=1 --frobnicate P", "unknown option '--frobnicate'", 64},
    {"--vary cores=1 --set no.key=1 P", "unknown configuration key", 64},
    {"--vary cores=1 --machine no_such_machine P", "--machine", 64},
    {"--vary cores=1 --jobs 0 P", "--jobs", 64},
    {"--vary cores=1 --shard 2/2 P", "--shard", 64},
    {"--vary cores=1 --plot x.png P", "--plot needs --x", 64},
    {"--vary cores=1 --x cores P", "are for --plot", 64},
    {"--vary cores=1 --plot-size 10 P", "--plot-size", 64},
    {"--vary arg1=a P", "gives the program 0 arguments", 64},
    {"--vary cores=1 --vary machine.cores=2 P", "given twice", 64},
    {"P", "nothing to vary", 64},
    {"--vary cores=1", "no program", 64},
    {"--vary cores=1 no/such/program.elf", "cannot read", 66},
    {"--merge", "give the shards", 64},
    {"--vary cores=1 --cores abc P", "--cores: machine.cores: bad value", 64},
    {"--vary cores=1 --max-cycles=x P", "--max-cycles: run.max_cycles", 64},
    {"--vary cores=1 --host-fs /no/such/dir P", "not a directory", 64},
    {"--vary arg1=,a P x", "an empty value", 64},
    {"--vary cores=1 --plot x.jpg --x cores --y totals.cycles P",
     "FILE.png or FILE.svg", 64},
    {"--vary cores=1 --plot x.png --x cores --y totals.cycle P",
     "no column 'totals.cycle'", 64},
    {"--vary cores=1 --plot x.png --x cores --y totals.cycles/nope P",
     "no column 'nope'", 64},
    {"--vary cores=1 --plot x.png --x machine.cores --y totals.cycles --by "
     "nope P", "no column 'nope'", 64},
    {"--vary cores=1 --csv /no/such/dir/x.csv P", "cannot write in", 64},
    {"--vary cores=1 --json /tmp P", "a directory", 64},
    {"--vary cores=1 --plot-size 100x100 P", "are for --plot", 64},
    {"--vary cores=1 --mpi --jobs 2 P", "--jobs is for", 64},
    {"--merge a.csv --vary cores=1", "takes only", 64},
    {"--vary cores=1 /tmp", "not a file", 66},
    {"--merge no/such.csv", "cannot read", 64},
};

START_TEST(test_errors)
{
    char buf[512], *args[32];
    snprintf(buf, sizeof buf, "%s", errors[_i].args);
    int n = 0;
    for (char *w = strtok(buf, " "); w && n < 31; w = strtok(NULL, " "))
        args[n++] = !strcmp(w, "P")
                    ? (char *)tu_built("tests/programs/roi_loads.elf") : w;
    args[n] = NULL;
    char *err;
    int st = sweep(args, &err);
    ck_assert_msg(st == errors[_i].status, "%s: status %d, want %d: %s",
                  errors[_i].args, st, errors[_i].status, err);
    ck_assert_msg(strstr(err, errors[_i].says), "%s: says '%s'",
                  errors[_i].args, err);
    ck_assert_msg(!strncmp(err, "parsim: sweep", 13) &&
                  strchr(err, '\n') == err + strlen(err) - 1,
                  "%s: not one parsim: line: '%s'", errors[_i].args, err);
    free(err);
}
END_TEST

/* A machine file cannot turn on parallel mode behind the sweep's back. */
START_TEST(test_machine_parallel)
{
    const char *ini = tmp("par.ini");
    FILE *f = fopen(ini, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[run]\nmode = parallel\nhost_threads = 2\n", f);
    fclose(f);
    char *args[] = {"--machine", (char *)ini, "--vary", "cores=1,2",
                    (char *)tu_built("tests/programs/roi_loads.elf"), NULL};
    char *err;
    ck_assert_int_eq(sweep(args, &err), 64);
    ck_assert_msg(strstr(err, "asks for parallel mode"), "%s", err);
    free(err);
}
END_TEST

/* SIGTERM to the sweep alone (kill, timeout): it goes on to the running
 * points, whose rows (status 143) are written, and the sweep ends 143 at
 * once, not when the points would have ended. */
START_TEST(test_sigterm)
{
    const char *csv = tmp("term.csv");
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        execl(tu_build_path("parsim"), "parsim", "sweep", "-q", "--jobs",
              "2", "--max-cycles", "100000000000", "--vary", "cores=1,2,3",
              "--csv", csv, tu_built("tests/programs/bad_spin.elf"),
              (char *)NULL);
        _exit(127);
    }
    sleep(1);
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    int ws = 0;
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, &ws, WNOHANG) == pid)
            break;
        ck_assert_msg(i < 199, "the sweep did not end within 10 s");
        usleep(50000);
    }
    ck_assert(WIFEXITED(ws));
    ck_assert_int_eq(WEXITSTATUS(ws), 143);
    Table t;
    table_load(&t, csv);
    ck_assert_int_eq(t.nrows, 2);           /* the third never started */
    for (size_t r = 0; r < 2; r++) {
        ck_assert_uint_eq(num(&t, r, "exit_status"), 143);
        ck_assert_uint_gt(num(&t, r, "totals.cycles"), 1000);
    }
    table_free(&t);
}
END_TEST

Suite *sweep_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("vary");
    tcase_add_loop_test(tc, test_vary, 0,
                        (int)(sizeof vary_cases / sizeof vary_cases[0]));
    tcase_add_test(tc, test_shard_parse);
    suite_add_tcase(s, tc);
    tc = tcase_create("runs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_grid_rows);
    tcase_add_test(tc, test_rerun_identical);
    tcase_add_test(tc, test_shards_merge);
    tcase_add_test(tc, test_mpi_equals_local);
    tcase_add_test(tc, test_failed_points);
    tcase_add_test(tc, test_fault_points);
    tcase_add_test(tc, test_config_error_point);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_plot);
    tcase_add_test(tc, test_machine_parallel);
    tcase_add_test(tc, test_sigterm);
    tcase_add_loop_test(tc, test_errors, 0,
                        (int)(sizeof errors / sizeof errors[0]));
    suite_add_tcase(s, tc);
    return s;
}
