/* check_plot.c — sim/plot.c: pictures of small hand-written CSVs of the
 * size asked for (PNG, SVG), lines by --by, numeric and categorical x,
 * the script gnuplot is given (caught by a stand-in gnuplot on PATH that
 * keeps a copy and runs the real one), the errors (missing column,
 * non-numeric y, bad sizes and extensions, nothing left to plot, gnuplot
 * failing or missing), and `parsim plot` in-process and end to end,
 * also on a --stats-csv file of real runs.
 *
 * Without gnuplot the tests that need it say so and pass, except under
 * CI=true, where they fail. */
#include <check.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/plot.h"
#include "tests/testutil.h"

static char tmpdir[64];
static char *saved_path;
static int saved_stderr = -1;

/* The messages sim_plot_csv and sim_plot_main print go to
 * tmpdir/stderr.txt, for the tests to read (stderr_text). */
static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/parsim-plot-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    const char *p = getenv("PATH");
    saved_path = strdup(p ? p : "/usr/bin:/bin");
    ck_assert_ptr_nonnull(saved_path);
    char path[128];
    snprintf(path, sizeof path, "%s/stderr.txt", tmpdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    fflush(stderr);
    saved_stderr = dup(2);
    ck_assert_int_ge(dup2(fd, 2), 0);
    close(fd);
}

static void teardown(void)
{
    fflush(stderr);
    if (saved_stderr >= 0) {
        dup2(saved_stderr, 2);
        close(saved_stderr);
        saved_stderr = -1;
    }
    setenv("PATH", saved_path, 1);
    free(saved_path);
    unsetenv("TMPDIR");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "check_plot: could not remove %s\n", tmpdir);
}

/* tmpdir/name, in one of 32 rotating buffers (the helpers below keep
 * their own, so that a test's paths outlive their calls). */
static const char *tpath(const char *name)
{
    static char buf[32][256];
    static int k;
    k = (k + 1) % 32;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static const char *write_file(const char *name, const char *text)
{
    const char *p = tpath(name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s is missing", path);
    char *buf = NULL;
    size_t n = 0, cap = 0, k;
    do {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        k = fread(buf + n, 1, 4096, f);
        n += k;
    } while (k > 0);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* What was printed on stderr since the last call (owned). */
static char *stderr_text(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/stderr.txt", tmpdir);
    fflush(stderr);
    char *t = slurp(path, NULL);
    ck_assert_int_eq(ftruncate(2, 0), 0);
    ck_assert(lseek(2, 0, SEEK_SET) == 0);
    return t;
}

static bool dir_empty(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", path);
    return system(cmd) == 0;
}

/* The real gnuplot's path in `real`; without one, false (the test passes
 * saying so), or a failure under CI=true. */
static char real[4096];

static bool have_gnuplot(void)
{
    const char *p = saved_path;
    for (;;) {
        const char *end = strchr(p, ':');
        int n = end ? (int)(end - p) : (int)strlen(p);
        snprintf(real, sizeof real, "%.*s/gnuplot", n, p);
        if (n && access(real, X_OK) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    const char *ci = getenv("CI");
    ck_assert_msg(!(ci && !strcmp(ci, "true")),
                  "gnuplot is not installed (make deps installs it)");
    dprintf(saved_stderr >= 0 ? saved_stderr : 2,
            "check_plot: gnuplot is not installed; test skipped\n");
    return false;
}

#define NEED_GNUPLOT()                                                        \
    do {                                                                      \
        if (!have_gnuplot())                                                  \
            return;                                                           \
    } while (0)

/* A gnuplot ahead of the real one on PATH: it copies its script to
 * tmpdir/script.gp, then runs body (NULL: the real gnuplot). */
static void stand_in_gnuplot(const char *body)
{
    char bin[256], copy[256], exe[256];
    snprintf(bin, sizeof bin, "%s/bin", tmpdir);
    snprintf(copy, sizeof copy, "%s/script.gp", tmpdir);
    snprintf(exe, sizeof exe, "%s/bin/gnuplot", tmpdir);
    ck_assert(mkdir(bin, 0755) == 0 || exists(bin));
    char text[8192], exec_real[4200];
    snprintf(exec_real, sizeof exec_real, "exec '%s' \"$@\"", real);
    snprintf(text, sizeof text,
             "#!/bin/sh\n"
             "for a; do case \"$a\" in *.gp) cp \"$a\" '%s';; esac; done\n"
             "%s\n", copy, body ? body : exec_real);
    FILE *f = fopen(exe, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(exe, 0755), 0);
    char path[8192];
    snprintf(path, sizeof path, "%s:%s", bin, saved_path);
    setenv("PATH", path, 1);
}

static SimPlotOptions opts(const char *out, const char *x, const char *y,
                           const char *by)
{
    return (SimPlotOptions){.out = out, .x = x, .y = y, .by = by};
}

/* Width and height from a PNG's IHDR (bytes 16..23, big-endian). */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
    size_t len;
    unsigned char *b = (unsigned char *)slurp(path, &len);
    ck_assert_msg(len > 24, "%s: %zu bytes", path, len);
    ck_assert_msg(!memcmp(b, "\x89PNG\r\n\x1a\n", 8) &&
                      !memcmp(b + 12, "IHDR", 4), "%s is not a PNG", path);
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 |
         (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 |
         (unsigned)b[22] << 8 | b[23];
    free(b);
}

/* A number attribute of the <svg> element. */
static unsigned svg_attr(const char *svg, const char *name)
{
    const char *el = strstr(svg, "<svg");
    ck_assert_ptr_nonnull(el);
    const char *end = strchr(el, '>');
    ck_assert_ptr_nonnull(end);
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(el, key);
    ck_assert_msg(a && a < end, "<svg> has no %s", name);
    return (unsigned)strtoul(a + strlen(key), NULL, 10);
}

/* A sweep's CSV: two lock kinds over 1..8 cores, one failed point. */
static const char sweep_csv[] =
    "point,cores,arg1,totals.cycles,roi.harts.loads,exit_status,message\n"
    "0,8,tas,520000,9000,0,\n"
    "1,1,tas,100000,5000,0,\n"
    "2,4,tas,260000,8000,0,\n"
    "3,2,tas,150000,6000,0,\n"
    "4,1,mcs,90000,5000,0,\n"
    "5,2,mcs,,,,\"timed out, see log\"\n"
    "6,4,mcs,120000,5500,0,\n"
    "7,8,mcs,200000,7000,0,\n";

/* ---- pictures --------------------------------------------------------------- */

static const unsigned png_sizes[][4] = {
    /* asked w, h; expected w, h */
    {640, 480, 640, 480},
    {0, 0, 800, 600},
    {1000, 300, 1000, 300},
    {0, 200, 800, 200},
};

START_TEST(test_png_size)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    const char *out = tpath("r.png");
    SimPlotOptions o = opts(out, "cores", "totals.cycles", "arg1");
    o.width = png_sizes[_i][0];
    o.height = png_sizes[_i][1];
    char err[512] = "";
    ck_assert_msg(sim_plot_csv(csv, &o, err, sizeof err) == 0, "%s", err);
    unsigned w, h;
    png_size(out, &w, &h);
    ck_assert_uint_eq(w, png_sizes[_i][2]);
    ck_assert_uint_eq(h, png_sizes[_i][3]);
}
END_TEST

START_TEST(test_svg_size)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    const char *out = tpath("r.svg");
    SimPlotOptions o = opts(out, "cores", "totals.cycles", NULL);
    o.width = 640;
    o.height = 480;
    char err[512] = "";
    ck_assert_msg(sim_plot_csv(csv, &o, err, sizeof err) == 0, "%s", err);
    char *svg = slurp(out, NULL);
    ck_assert_uint_eq(svg_attr(svg, "width"), 640);
    ck_assert_uint_eq(svg_attr(svg, "height"), 480);
    ck_assert_ptr_nonnull(strstr(svg, "</svg>"));
    free(svg);
}
END_TEST

/* Upper-case extensions are the same formats. */
START_TEST(test_extension_case)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    SimPlotOptions o = opts(tpath("R.PNG"), "cores", "totals.cycles", NULL);
    char err[512] = "";
    ck_assert_msg(sim_plot_csv(csv, &o, err, sizeof err) == 0, "%s", err);
    unsigned w, h;
    png_size(o.out, &w, &h);
    ck_assert_uint_eq(w, 800);
}
END_TEST

/* ---- the script ------------------------------------------------------------- */

/* Plot through the stand-in; the script gnuplot got (owned). */
static char *script_of(const char *csv, SimPlotOptions o)
{
    char copy[256];
    snprintf(copy, sizeof copy, "%s/script.gp", tmpdir);
    stand_in_gnuplot(NULL);
    unlink(copy);
    char err[512] = "";
    ck_assert_msg(sim_plot_csv(csv, &o, err, sizeof err) == 0, "%s", err);
    return slurp(copy, NULL);
}

static void has(const char *script, const char *s)
{
    ck_assert_msg(strstr(script, s) != NULL, "the script lacks \"%s\":\n%s",
                  s, script);
}

static void lacks(const char *script, const char *s)
{
    ck_assert_msg(strstr(script, s) == NULL, "the script has \"%s\":\n%s",
                  s, script);
}

START_TEST(test_by_groups)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    char *s = script_of(csv, opts(tpath("r.png"), "cores", "totals.cycles",
                                  "arg1"));
    /* Two data blocks in first-appearance order, each sorted by x; the
     * failed point (mcs at 2 cores) left out. */
    has(s, "$d0 << EOD\n1 100000\n2 150000\n4 260000\n8 520000\nEOD\n");
    has(s, "$d1 << EOD\n1 90000\n4 120000\n8 200000\nEOD\n");
    lacks(s, "$d2");
    has(s, "title 'arg1=tas'");
    has(s, "title 'arg1=mcs'");
    ck_assert(strstr(s, "arg1=tas") < strstr(s, "arg1=mcs"));
    has(s, "with linespoints");
    has(s, "set terminal pngcairo size 800,600 font 'DejaVu Sans,11'");
    has(s, "set logscale x 2\n");
    free(s);
    unsigned w, h;
    png_size(tpath("r.png"), &w, &h);
    ck_assert_uint_eq(w, 800);
    char *e = stderr_text();
    ck_assert_str_eq(e, "parsim: plot: 1 of 8 points left out (failed "
                     "runs)\n");
    free(e);
}
END_TEST

static void expect_error(const char *csv, SimPlotOptions o,
                         const char *want);

/* --y A/B: the ratio of two columns, its label in both units; a zero
 * denominator is no value. */
START_TEST(test_ratio)
{
    NEED_GNUPLOT();
    const char *csv = write_file("q.csv",
        "point,cores,locks.wait_cycles_total,locks.acquisitions,exit_status\n"
        "0,1,900,50,0\n"
        "1,2,8800,100,0\n"
        "2,4,0,0,0\n");
    char *s = script_of(csv, opts(tpath("q.png"), "cores",
                                  "locks.wait_cycles_total/locks.acquisitions",
                                  NULL));
    has(s, "$d0 << EOD\n1 18\n2 88\nEOD\n");
    has(s, "set ylabel 'locks.wait_cycles_total / locks.acquisitions "
           "(cycles / acquisitions)'");
    has(s, "'locks.wait_cycles_total / locks.acquisitions against cores'");
    free(s);
    char *e = stderr_text();
    ck_assert_msg(strstr(e, "1 of 3 points left out"), "%s", e);
    free(e);
    expect_error(csv, opts(tpath("r.png"), "cores",
                           "locks.wait_cycles_total/nope", NULL),
                 "has no column 'nope'");
    expect_error(csv, opts(tpath("r.png"), "cores", "nope/locks.acquisitions",
                           NULL), "has no column 'nope'");
}
END_TEST

START_TEST(test_one_line)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    char *s = script_of(csv, opts(tpath("r.svg"), "cores", "totals.cycles",
                                  NULL));
    has(s, "$d0 << EOD\n1 100000\n1 90000\n2 150000\n4 260000\n"
           "4 120000\n8 520000\n8 200000\nEOD\n");
    lacks(s, "$d1");
    has(s, "notitle");
    has(s, "unset key");
    has(s, "set terminal svg size 800,600");
    free(s);
}
END_TEST

START_TEST(test_labels)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    char *s = script_of(csv, opts(tpath("r.png"), "cores", "totals.cycles",
                                  NULL));
    has(s, "set title 'totals.cycles against cores'\n");
    has(s, "set xlabel 'cores'\n");
    has(s, "set ylabel 'totals.cycles (cycles)'\n");
    free(s);
    /* A configuration key has no unit. */
    s = script_of(write_file("k.csv", "l1d.size,totals.cycles\n"
                             "4096,10\n8192,9\n"),
                  opts(tpath("k.png"), "l1d.size", "totals.cycles", NULL));
    has(s, "set xlabel 'l1d.size'\n");
    free(s);

    /* A title with quotes and a line break gnuplot still reads. */
    SimPlotOptions o = opts(tpath("t.png"), "cores", "roi.harts.loads",
                            "arg1");
    o.title = "It's \"locks\"\non 1..8 cores";
    s = script_of(csv, o);
    has(s, "set title 'It''s \"locks\" on 1..8 cores'\n");
    has(s, "set ylabel 'roi.harts.loads (");
    free(s);
    unsigned w, h;
    png_size(tpath("t.png"), &w, &h);
    ck_assert_uint_eq(h, 600);
}
END_TEST

/* Numbers: sorted; a log axis only for positive x spanning 8x or more. */
static const struct {
    const char *xs;           /* the x column of four rows */
    const char *data;         /* the data block */
    bool log;
} numeric_cases[] = {
    {"8,1,4,2", "1 10\n2 30\n4 20\n8 0\n", true},
    {"4,1,3,2", "1 10\n2 30\n3 20\n4 0\n", false},
    {"0,16,4,2", "0 0\n2 30\n4 20\n16 10\n", false},
    {"-8,1,4,2", "-8 0\n1 10\n2 30\n4 20\n", false},
    {"65536,4096,32768,8192", "4096 10\n8192 30\n32768 20\n65536 0\n", true},
    {"0.5,0.25,4,1e1", "0.25 10\n0.5 0\n4 20\n10 30\n", true},
    {"0.5,0.25,4,1e1x", NULL, false},
};

START_TEST(test_numeric_x)
{
    NEED_GNUPLOT();
    char csv[512], xs[64];
    snprintf(xs, sizeof xs, "%s", numeric_cases[_i].xs);
    char *x[4] = {strtok(xs, ","), strtok(NULL, ","), strtok(NULL, ","),
                  strtok(NULL, ",")};
    snprintf(csv, sizeof csv, "size,y\n%s,0\n%s,10\n%s,20\n%s,30\n",
             x[0], x[1], x[2], x[3]);
    char *s = script_of(write_file("n.csv", csv),
                        opts(tpath("n.png"), "size", "y", NULL));
    if (numeric_cases[_i].data) {
        char want[256];
        snprintf(want, sizeof want, "$d0 << EOD\n%sEOD\n",
                 numeric_cases[_i].data);
        has(s, want);
        lacks(s, "set xrange [-0.5");
    } else {
        has(s, "set xtics (");
        has(s, "set xrange [-0.5:3.5]");
    }
    if (numeric_cases[_i].log)
        has(s, "set logscale x 2\n");
    else
        lacks(s, "logscale");
    free(s);
}
END_TEST

START_TEST(test_categorical_x)
{
    NEED_GNUPLOT();
    const char *csv = write_file("c.csv",
        "point,arg1,cores,totals.cycles,exit_status,message\n"
        "0,tas,2,300,0,\n"
        "1,mcs,2,200,0,\n"
        "2,tas,4,500,0,\n"
        "3,ticket,2,250,0,\n"
        "4,mcs,4,260,0,\n"
        "5,ticket,4,,1,failed\n");
    char *s = script_of(csv, opts(tpath("c.png"), "arg1", "totals.cycles",
                                  "cores"));
    has(s, "set xtics ('tas' 0, 'mcs' 1, 'ticket' 2)\n");
    has(s, "set xrange [-0.5:2.5]\n");
    has(s, "$d0 << EOD\n0 300\n1 200\n2 250\nEOD\n");
    has(s, "$d1 << EOD\n0 500\n1 260\nEOD\n");
    has(s, "title 'cores=2'");
    has(s, "title 'cores=4'");
    lacks(s, "logscale");
    free(s);
    char *e = stderr_text();
    ck_assert_str_eq(e, "parsim: plot: 1 of 6 points left out (failed "
                     "runs)\n");
    free(e);
    unsigned w, h;
    png_size(tpath("c.png"), &w, &h);
    ck_assert_uint_eq(w, 800);
    ck_assert_uint_eq(h, 600);
}
END_TEST

/* The same CSV and options give the same script and picture, wherever
 * the picture goes; gnuplot's temporary files do not stay. */
START_TEST(test_deterministic)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    ck_assert_int_eq(mkdir(tpath("tmp"), 0700), 0);
    setenv("TMPDIR", tpath("tmp"), 1);
    char *a = script_of(csv, opts(tpath("a.svg"), "cores", "totals.cycles",
                                  "arg1"));
    ck_assert_int_eq(mkdir(tpath("sub"), 0700), 0);
    char *b = script_of(csv, opts(tpath("sub/b.svg"), "cores",
                                  "totals.cycles", "arg1"));
    ck_assert_str_eq(a, b);
    lacks(a, tmpdir);
    char *sa = slurp(tpath("a.svg"), NULL), *sb = slurp(tpath("sub/b.svg"),
                                                        NULL);
    ck_assert_str_eq(sa, sb);
    ck_assert_msg(dir_empty(tpath("tmp")), "temporary files left in %s",
                  tpath("tmp"));
    free(a);
    free(b);
    free(sa);
    free(sb);
}
END_TEST

/* cores, threads and ranks find the configuration keys, and back. */
static const struct {
    const char *column, *asked;
} alias_cases[] = {
    {"machine.cores", "cores"},
    {"cores", "machine.cores"},
    {"machine.threads_per_core", "threads"},
    {"threads", "machine.threads_per_core"},
    {"mp.ranks", "ranks"},
    {"ranks", "mp.ranks"},
};

START_TEST(test_aliases)
{
    NEED_GNUPLOT();
    char csv[256];
    snprintf(csv, sizeof csv, "totals.cycles,%s,program,exit_status\n"
             "100,1,\"a.elf\",0\n90,2,\"a.elf\",0\n",
             alias_cases[_i].column);
    char *s = script_of(write_file("a.csv", csv),
                        opts(tpath("a.png"), alias_cases[_i].asked,
                             "totals.cycles", NULL));
    /* The header's name (with a unit if sim_stats_csv_unit has one). */
    char want[128];
    snprintf(want, sizeof want, "set xlabel '%s", alias_cases[_i].column);
    has(s, want);
    snprintf(want, sizeof want, "against %s'\n", alias_cases[_i].column);
    has(s, want);
    has(s, "$d0 << EOD\n1 100\n2 90\nEOD\n");
    free(s);
    char *e = stderr_text();
    ck_assert_str_eq(e, "");
    free(e);
}
END_TEST

/* ---- errors ----------------------------------------------------------------- */

static void expect_error(const char *csv, SimPlotOptions o, const char *want)
{
    char err[512] = "";
    ck_assert_int_eq(sim_plot_csv(csv, &o, err, sizeof err), -1);
    ck_assert_msg(strstr(err, want) != NULL, "error '%s' lacks '%s'", err,
                  want);
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_msg(!o.out || !exists(o.out), "%s written anyway", o.out);
}

START_TEST(test_missing_column)
{
    const char *csv = write_file("r.csv", sweep_csv);
    char want[256];
    snprintf(want, sizeof want, "%s has no column 'foo'", csv);
    expect_error(csv, opts(tpath("r.png"), "cores", "foo", NULL), want);
    expect_error(csv, opts(tpath("r.png"), "foo", "totals.cycles", NULL),
                 want);
    expect_error(csv, opts(tpath("r.png"), "cores", "totals.cycles", "foo"),
                 want);
    /* Close names: the columns holding the word. */
    expect_error(csv, opts(tpath("r.png"), "cores", "cycles", NULL),
                 "has no column 'cycles' (did you mean totals.cycles?)");
    expect_error(csv, opts(tpath("r.png"), "cores", "harts.loads", NULL),
                 "(did you mean roi.harts.loads?)");
    expect_error(csv, opts(tpath("r.png"), "cores", "memory.l1d.cycles",
                           NULL), "(did you mean totals.cycles?)");
    /* Aliases go between the short name and the key, not further. */
    expect_error(csv, opts(tpath("r.png"), "machine.threads_per_core",
                           "totals.cycles", NULL),
                 "no column 'machine.threads_per_core'");
}
END_TEST

START_TEST(test_nonnumeric_y)
{
    const char *csv = write_file("y.csv",
        "point,cores,totals.cycles,exit_status\n"
        "0,1,100,0\n"
        "1,2,lots,0\n");
    char want[256];
    snprintf(want, sizeof want, "%s: line 3: totals.cycles is 'lots', not "
             "a number", csv);
    expect_error(csv, opts(tpath("y.png"), "cores", "totals.cycles", NULL),
                 want);
    /* Nor half a number, nor infinity. */
    csv = write_file("y.csv", "x,y\n1,12abc\n");
    expect_error(csv, opts(tpath("y.png"), "x", "y", NULL), "'12abc'");
    csv = write_file("y.csv", "x,y\n1,inf\n");
    expect_error(csv, opts(tpath("y.png"), "x", "y", NULL), "'inf'");
}
END_TEST

static const char *const bad_sizes[] = {
    "0x0", "800", "x600", "800x600x1", "99999x10", "", "800x", "15x600",
    "800x15", "10001x600", "800x10001", "-800x600", "+800x600", " 800x600",
    "800x600 ", "800X600", "800x 600", "8e2x600", "800,600", "x",
    "4294968096x600",
};

START_TEST(test_bad_size)
{
    unsigned w = 1, h = 2;
    ck_assert_msg(!sim_plot_parse_size(bad_sizes[_i], &w, &h),
                  "'%s' accepted", bad_sizes[_i]);
    ck_assert_uint_eq(w, 1);
    ck_assert_uint_eq(h, 2);
}
END_TEST

START_TEST(test_good_size)
{
    static const struct {
        const char *s;
        unsigned w, h;
    } good[] = {
        {"800x600", 800, 600}, {"16x16", 16, 16},
        {"10000x10000", 10000, 10000}, {"0640x0480", 640, 480},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        unsigned w = 0, h = 0;
        ck_assert_msg(sim_plot_parse_size(good[i].s, &w, &h), "'%s'",
                      good[i].s);
        ck_assert_uint_eq(w, good[i].w);
        ck_assert_uint_eq(h, good[i].h);
    }
}
END_TEST

START_TEST(test_bad_options)
{
    const char *csv = write_file("r.csv", sweep_csv);
    static const char *const exts[] = {"r.jpg", "r", "png", "r.png.txt",
                                       "r.pdf"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        expect_error(csv, opts(tpath(exts[i]), "cores", "totals.cycles",
                               NULL), "unknown picture format");
    expect_error(csv, opts(NULL, "cores", "totals.cycles", NULL),
                 "no picture file");
    expect_error(csv, opts(tpath("r.png"), NULL, "totals.cycles", NULL),
                 "--x");
    SimPlotOptions o = opts(tpath("r.png"), "cores", "totals.cycles", NULL);
    o.width = 99999;
    expect_error(csv, o, "99999x600");
}
END_TEST

START_TEST(test_nothing_to_plot)
{
    const char *csv = write_file("f.csv",
        "point,cores,totals.cycles,exit_status,message\n"
        "0,1,,,crashed\n"
        "1,2,200,70,guest fault\n"
        "2,4,,1,\n");
    char want[256];
    snprintf(want, sizeof want, "%s: all 3 points failed; nothing to plot",
             csv);
    expect_error(csv, opts(tpath("f.png"), "cores", "totals.cycles", NULL),
                 want);
    csv = write_file("f.csv", "cores,totals.cycles,exit_status\n"
                     "1,,0\n2,,70\n,5,0\n");
    expect_error(csv, opts(tpath("f.png"), "cores", "totals.cycles", NULL),
                 "f.csv: nothing to plot (1 failed, 2 without a value of "
                 "totals.cycles)");
    csv = write_file("f.csv", "cores,totals.cycles,exit_status\n1,9,1\n");
    expect_error(csv, opts(tpath("f.png"), "cores", "totals.cycles", NULL),
                 "f.csv: all 1 point failed; nothing to plot");
    /* Without an exit_status column no row counts as failed. */
    csv = write_file("f.csv", "cores,totals.cycles\n1,\n2,\n");
    expect_error(csv, opts(tpath("f.png"), "cores", "totals.cycles", NULL),
                 "no point has a value of totals.cycles; nothing to plot");
    csv = write_file("h.csv", "point,cores,totals.cycles\n");
    expect_error(csv, opts(tpath("h.png"), "cores", "totals.cycles", NULL),
                 "has no rows");
    csv = write_file("e.csv", "");
    expect_error(csv, opts(tpath("e.png"), "cores", "totals.cycles", NULL),
                 "is empty");
    expect_error(tpath("none.csv"), opts(tpath("e.png"), "cores",
                                         "totals.cycles", NULL),
                 "none.csv: No such file or directory");
}
END_TEST

START_TEST(test_malformed_csv)
{
    const char *csv = write_file("m.csv", "x,y\n1,2\n3\n");
    expect_error(csv, opts(tpath("m.png"), "x", "y", NULL),
                 "m.csv: line 3 has 1 fields, the header 2");
    csv = write_file("m.csv", "x,y\n1,2\n\n3,\"4\n");
    expect_error(csv, opts(tpath("m.png"), "x", "y", NULL),
                 "m.csv: line 4: malformed CSV row");
    csv = write_file("m.csv", "x,\"y\n1,2\n");
    expect_error(csv, opts(tpath("m.png"), "x", "y", NULL),
                 "malformed CSV header");
}
END_TEST

/* What gnuplot says when it fails becomes the error. */
static const struct {
    const char *body, *want;
} fail_cases[] = {
    {"echo >&2; echo 'plot $d0 foo' >&2; echo '         ^' >&2;"
     " echo '\"plot.gp\" line 3: something broke' >&2; exit 1",
     "gnuplot: line 3: something broke"},
    {"echo 'Warning: odd' >&2; echo 'no fonts at all' >&2; exit 1",
     "gnuplot: no fonts at all"},
    {"echo 'Warning: odd' >&2; exit 2", "gnuplot: Warning: odd"},
    {"exit 3", "gnuplot: exit status 3"},
    {"kill -9 $$", "gnuplot: killed by signal 9"},
    {"exit 0", "gnuplot: wrote no picture"},
    {": > plot.out; echo 'empty!' >&2; exit 0", "gnuplot: empty!"},
};

START_TEST(test_gnuplot_fails)
{
    const char *csv = write_file("r.csv", sweep_csv);
    ck_assert_int_eq(mkdir(tpath("tmp"), 0700), 0);
    setenv("TMPDIR", tpath("tmp"), 1);
    stand_in_gnuplot(fail_cases[_i].body);
    char err[512] = "";
    SimPlotOptions o = opts(tpath("r.png"), "cores", "totals.cycles", NULL);
    ck_assert_int_eq(sim_plot_csv(csv, &o, err, sizeof err), -1);
    ck_assert_str_eq(err, fail_cases[_i].want);
    ck_assert(!exists(o.out));
    ck_assert_msg(dir_empty(tpath("tmp")), "temporary files left");
}
END_TEST

START_TEST(test_no_gnuplot)
{
    const char *csv = write_file("r.csv", sweep_csv);
    ck_assert_int_eq(mkdir(tpath("empty"), 0700), 0);
    setenv("PATH", tpath("empty"), 1);
    char err[512] = "";
    SimPlotOptions o = opts(tpath("r.png"), "cores", "totals.cycles", NULL);
    ck_assert_int_eq(sim_plot_csv(csv, &o, err, sizeof err), -1);
    ck_assert_str_eq(err, "gnuplot is not installed (Debian package "
                     "gnuplot-nox; `make deps` installs it)");
}
END_TEST

START_TEST(test_unwritable_output)
{
    NEED_GNUPLOT();
    const char *csv = write_file("r.csv", sweep_csv);
    expect_error(csv, opts(tpath("no/such/dir/r.png"), "cores",
                           "totals.cycles", NULL), "cannot write ");
}
END_TEST

/* ---- parsim plot ------------------------------------------------------------ */

static int plot_main(const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"plot";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    return sim_plot_main(argc, argv);
}

START_TEST(test_main_in_process)
{
    const char *csv = write_file("r.csv", sweep_csv);
    char png[256], gif[256];
    snprintf(png, sizeof png, "%s", tpath("r.png"));
    snprintf(gif, sizeof gif, "%s", tpath("r.gif"));
    const char *bad[][12] = {
        {csv, "--x", "cores", "--y", "totals.cycles", NULL},
        {"--plot", png, "--x", "cores", "--y", "totals.cycles", NULL},
        {csv, "--plot", png, "--y", "totals.cycles", NULL},
        {csv, "--plot", png, "--x", "cores", NULL},
        {csv, "--plot", png, "--x", "cores", "--y", "totals.cycles",
         "--plot-size", "800", NULL},
        {csv, "--plot", png, "--x", "cores", "--y", "totals.cycles",
         "--colour", "red", NULL},
        {csv, "--plot", png, "--x", "cores", "--y", NULL},
        {csv, csv, "--plot", png, "--x", "cores", "--y", "totals.cycles",
         NULL},
        {csv, "--plot", png, "--x", "cores", "--y", "nope", NULL},
        {csv, "--plot", gif, "--x", "cores", "--y", "totals.cycles", NULL},
        {csv, "-x", "cores", "--plot", png, "--y", "totals.cycles", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(plot_main(bad[i]) == 64, "case %zu", i);
        /* One line: parsim: plot: ... */
        char *e = stderr_text();
        char *nl = strchr(e, '\n');
        ck_assert_msg(!strncmp(e, "parsim: plot: ", 14) && nl && !nl[1],
                      "case %zu: %s", i, e);
        free(e);
    }
    ck_assert(!exists(png));

    /* --help: the usage on stdout. */
    char out[128];
    snprintf(out, sizeof out, "%s/stdout.txt", tmpdir);
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    int saved = dup(1);
    ck_assert_int_ge(dup2(fd, 1), 0);
    close(fd);
    const char *help[] = {"--help", NULL};
    int rc = plot_main(help);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ck_assert_int_eq(rc, 0);
    char *usage = slurp(out, NULL);
    static const char head[] = "usage: parsim plot FILE.csv --plot OUT.png "
                               "--x KEY --y STAT";
    ck_assert_msg(!strncmp(usage, head, sizeof head - 1), "%s", usage);
    free(usage);

    if (!have_gnuplot())
        return;
    const char *good[] = {"--x=cores", csv, "--y", "totals.cycles",
                          "--by", "arg1", "--plot", png,
                          "--plot-size=320x200", "--title", "t", NULL};
    ck_assert_int_eq(plot_main(good), 0);
    unsigned w, h;
    png_size(png, &w, &h);
    ck_assert_uint_eq(w, 320);
    ck_assert_uint_eq(h, 200);
}
END_TEST

START_TEST(test_cli)
{
    const char *csv = write_file("r.csv", sweep_csv);
    TuResult r;
    char *bad[] = {"plot", (char *)csv, "--plot", (char *)tpath("r.png"),
                   "--x", "cores", "--y", "nothing", NULL};
    ck_assert_int_eq(tu_parsim(bad, NULL, 30, &r), 0);
    ck_assert_int_eq(r.status, 64);
    char want[256];
    snprintf(want, sizeof want, "parsim: plot: %s has no column 'nothing'\n",
             csv);
    ck_assert_str_eq(r.err, want);
    tu_free(&r);

    char *size[] = {"plot", (char *)csv, "--plot", (char *)tpath("r.png"),
                    "--x", "cores", "--y", "totals.cycles", "--plot-size",
                    "0x0", NULL};
    ck_assert_int_eq(tu_parsim(size, NULL, 30, &r), 0);
    ck_assert_int_eq(r.status, 64);
    ck_assert_str_eq(r.err, "parsim: plot: --plot-size 0x0: expected WxH, "
                     "each 16 to 10000 (e.g. 800x600)\n");
    tu_free(&r);

    NEED_GNUPLOT();
    char *good[] = {"plot", (char *)csv, "--plot", (char *)tpath("r.png"),
                    "--x", "cores", "--y", "totals.cycles", "--by", "arg1",
                    "--plot-size", "640x480", NULL};
    ck_assert_int_eq(tu_parsim(good, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "parsim: plot: 1 of 8 points left out (failed "
                     "runs)\n");
    ck_assert_str_eq(r.out, "");
    tu_free(&r);
    unsigned w, h;
    png_size(tpath("r.png"), &w, &h);
    ck_assert_uint_eq(w, 640);
    ck_assert_uint_eq(h, 480);

    /* A failed run and a run without the statistic. */
    csv = write_file("m.csv", "cores,totals.cycles,exit_status\n"
                     "1,100,0\n2,,0\n4,,71\n8,300,0\n");
    char *mixed[] = {"plot", (char *)csv, "--plot", (char *)tpath("m.png"),
                     "--x", "cores", "--y", "totals.cycles", NULL};
    ck_assert_int_eq(tu_parsim(mixed, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "parsim: plot: 2 of 4 points left out (failed "
                     "runs, no value of totals.cycles)\n");
    tu_free(&r);
}
END_TEST

/* A --stats-csv file of three real runs (265 columns, a quoted program
 * name): cycles against cores, found by the short name. */
START_TEST(test_stats_csv)
{
    NEED_GNUPLOT();
    const char *csv = tpath("stats.csv");
    const char *elf = tu_built("programs/demo/hello.elf");
    static const char *const cores[] = {"1", "2", "4"};
    for (size_t i = 0; i < 3; i++) {
        char *args[] = {"run", "-q", "--cores", (char *)cores[i],
                        "--stats-csv", (char *)csv, (char *)elf, NULL};
        TuResult r;
        ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
        ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
        tu_free(&r);
    }
    /* No region of interest in hello: its roi.* cells are empty. */
    char *roi[] = {"plot", (char *)csv, "--plot", (char *)tpath("s.svg"),
                   "--x", "cores", "--y", "roi.totals.cycles", NULL};
    TuResult r;
    ck_assert_int_eq(tu_parsim(roi, NULL, 60, &r), 0);
    ck_assert_int_eq(r.status, 64);
    char want[512];
    snprintf(want, sizeof want, "parsim: plot: %s: no point has a value of "
             "roi.totals.cycles (does the program mark a region of "
             "interest?); nothing to plot\n", csv);
    ck_assert_str_eq(r.err, want);
    tu_free(&r);

    stand_in_gnuplot(NULL);
    char *args[] = {"plot", (char *)csv, "--plot", (char *)tpath("s.svg"),
                    "--x", "cores", "--y", "totals.cycles", NULL};
    ck_assert_int_eq(tu_parsim(args, NULL, 60, &r), 0);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "");
    tu_free(&r);
    char *s = slurp(tpath("script.gp"), NULL);
    has(s, "set xlabel 'machine.cores");
    has(s, "set ylabel 'totals.cycles (cycles)'\n");
    has(s, "$d0 << EOD\n1 ");
    ck_assert_ptr_nonnull(strstr(s, "\n2 "));
    ck_assert_ptr_nonnull(strstr(s, "\n4 "));
    free(s);
    char *svg = slurp(tpath("s.svg"), NULL);
    ck_assert_uint_eq(svg_attr(svg, "width"), 800);
    free(svg);
}
END_TEST

Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("pictures");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_png_size, 0,
                        (int)(sizeof png_sizes / sizeof png_sizes[0]));
    tcase_add_test(tc, test_svg_size);
    tcase_add_test(tc, test_extension_case);
    tcase_add_test(tc, test_by_groups);
    tcase_add_test(tc, test_ratio);
    tcase_add_test(tc, test_one_line);
    tcase_add_test(tc, test_labels);
    tcase_add_loop_test(tc, test_numeric_x, 0,
                        (int)(sizeof numeric_cases /
                              sizeof numeric_cases[0]));
    tcase_add_test(tc, test_categorical_x);
    tcase_add_test(tc, test_deterministic);
    tcase_add_loop_test(tc, test_aliases, 0,
                        (int)(sizeof alias_cases / sizeof alias_cases[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_missing_column);
    tcase_add_test(tc, test_nonnumeric_y);
    tcase_add_loop_test(tc, test_bad_size, 0,
                        (int)(sizeof bad_sizes / sizeof bad_sizes[0]));
    tcase_add_test(tc, test_good_size);
    tcase_add_test(tc, test_bad_options);
    tcase_add_test(tc, test_nothing_to_plot);
    tcase_add_test(tc, test_malformed_csv);
    tcase_add_loop_test(tc, test_gnuplot_fails, 0,
                        (int)(sizeof fail_cases / sizeof fail_cases[0]));
    tcase_add_test(tc, test_no_gnuplot);
    tcase_add_test(tc, test_unwritable_output);
    suite_add_tcase(s, tc);

    tc = tcase_create("command");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_main_in_process);
    tcase_add_test(tc, test_cli);
    tcase_add_test(tc, test_stats_csv);
    suite_add_tcase(s, tc);
    return s;
}
