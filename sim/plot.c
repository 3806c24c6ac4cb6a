/* plot.c — `parsim plot` and sim_plot_csv (sim/plot.h): the CSV read into
 * a table, the points chosen and ordered, a gnuplot script written with
 * the data inline, and gnuplot run on it.
 *
 * gnuplot runs in a temporary directory of its own, on "plot.gp", writing
 * "plot.out", which is then copied to the requested file.  So the script
 * names no path of the caller's (the same CSV and options give the same
 * script byte for byte, whatever the directories), no path has to be
 * quoted for gnuplot, and a failed run leaves no half-written picture
 * where the user asked for one.  gnuplot's -d (--default-settings) keeps
 * the user's ~/.gnuplot out of the picture; `noenhanced` keeps the
 * underscores of column names (threads_per_core) from becoming
 * subscripts.
 */
#include "sim/plot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/csv.h"
#include "sim/machine.h"

#define DEFAULT_WIDTH 800
#define DEFAULT_HEIGHT 600
#define SIZE_MIN 16
#define SIZE_MAX_PX 10000
#define FONT "DejaVu Sans,11"
/* A log axis's tics go at the values themselves up to this many. */
#define MAX_EXPLICIT_TICS 12

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- the table ------------------------------------------------------------ */

typedef struct Row {
    char *line;               /* the fields point into it */
    char **f;                 /* ncols fields */
    unsigned long lineno;     /* 1-based line of the file */
} Row;

typedef struct Table {
    char *head_line;
    char **cols;
    size_t ncols;
    Row *rows;
    size_t nrows;
} Table;

static void table_free(Table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        free(t->rows[i].line);
        free(t->rows[i].f);
    }
    free(t->rows);
    free(t->cols);
    free(t->head_line);
    memset(t, 0, sizeof *t);
}

static int table_read(Table *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (!f) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned long lineno = 1;
    size_t cap = 0;
    int rc = -1;
    t->head_line = sim_csv_read_line(f);
    if (!t->head_line || !*t->head_line) {
        set_err(err, errlen, "%s is empty (no header row)", path);
        goto out;
    }
    /* A row of n bytes has at most n + 1 fields. */
    t->cols = malloc((strlen(t->head_line) + 1) * sizeof *t->cols);
    if (!t->cols)
        goto oom;
    t->ncols = sim_csv_split(t->head_line, t->cols,
                             strlen(t->head_line) + 1);
    if (!t->ncols) {
        set_err(err, errlen, "%s: line 1: malformed CSV header", path);
        goto out;
    }
    char *line;
    while ((line = sim_csv_read_line(f))) {
        lineno++;
        if (!*line) {
            free(line);
            continue;
        }
        if (t->nrows == cap) {
            size_t nc = cap ? cap * 2 : 16;
            Row *nr = realloc(t->rows, nc * sizeof *nr);
            if (!nr) {
                free(line);
                goto oom;
            }
            t->rows = nr;
            cap = nc;
        }
        char **fields = malloc(t->ncols * sizeof *fields);
        if (!fields) {
            free(line);
            goto oom;
        }
        size_t n = sim_csv_split(line, fields, t->ncols);
        t->rows[t->nrows++] = (Row){line, fields, lineno};
        if (!n) {
            set_err(err, errlen, "%s: line %lu: malformed CSV row", path,
                    lineno);
            goto out;
        }
        if (n != t->ncols) {
            set_err(err, errlen, "%s: line %lu has %zu fields, the header "
                    "%zu", path, lineno, n, t->ncols);
            goto out;
        }
    }
    if (ferror(f)) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
    goto out;
oom:
    set_err(err, errlen, "%s: out of memory", path);
out:
    fclose(f);
    if (rc)
        table_free(t);
    return rc;
}

/* ---- columns ---------------------------------------------------------------- */

static long name_at(char *const *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cols[i], name))
            return (long)i;
    return -1;
}

static long col_exact(const Table *t, const char *name)
{
    return name_at(t->cols, t->ncols, name);
}

/* name, else what a sweep's short name stands for (or the other way). */
static long find_name(char *const *cols, size_t n, const char *name)
{
    long c = name_at(cols, n, name);
    const char *alt = sim_config_short_key(name);
    if (!alt)
        alt = sim_config_short_name(name);
    return c < 0 && alt ? name_at(cols, n, alt) : c;
}

bool sim_plot_columns(char *const *cols, size_t n, const SimPlotOptions *o,
                      SimPlotColumns *out, char *missing, size_t len)
{
    out->x = find_name(cols, n, o->x);
    out->y = find_name(cols, n, o->y);
    out->den = -1;
    out->by = o->by ? find_name(cols, n, o->by) : -1;
    /* --y A/B: a ratio of two columns (cycles per acquisition). */
    char ynum[256] = "";
    const char *slash = strchr(o->y, '/');
    if (out->y < 0 && slash && slash != o->y && slash[1] &&
        (size_t)(slash - o->y) < sizeof ynum) {
        memcpy(ynum, o->y, (size_t)(slash - o->y));
        ynum[slash - o->y] = '\0';
        out->y = find_name(cols, n, ynum);
        out->den = find_name(cols, n, slash + 1);
    }
    const char *gone = out->x < 0 ? o->x
                     : out->y < 0 ? (ynum[0] ? ynum : o->y)
                     : ynum[0] && out->den < 0 ? slash + 1
                     : o->by && out->by < 0 ? o->by : NULL;
    if (gone)
        snprintf(missing, len, "%s", gone);
    return !gone;
}

static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return false;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) ==
                   tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* "results.csv has no column 'foo'", and the columns whose names hold
 * the word (or, for "a.b.word", its last part) when there are any. */
static void col_missing(const Table *t, const char *path, const char *name,
                        char *err, size_t errlen)
{
    enum { SHOW = 4 };
    if (!err || !errlen)
        return;
    const char *word = name;
    size_t hits = 0;
    for (int pass = 0; pass < 2 && !hits; pass++) {
        if (pass == 1) {
            const char *dot = strrchr(name, '.');
            if (!dot || !dot[1])
                break;
            word = dot + 1;
        }
        for (size_t i = 0; i < t->ncols; i++)
            hits += contains_nocase(t->cols[i], word);
    }
    int n = snprintf(err, errlen, "%s has no column '%s'", path, name);
    if (!hits || n < 0 || (size_t)n >= errlen)
        return;
    size_t len = (size_t)n, shown = 0;
    for (size_t i = 0; i < t->ncols && shown < SHOW; i++) {
        if (!contains_nocase(t->cols[i], word))
            continue;
        n = snprintf(err + len, errlen - len, "%s%s",
                     shown ? ", " : " (did you mean ", t->cols[i]);
        if (n < 0 || (size_t)n >= errlen - len)
            return;
        len += (size_t)n;
        shown++;
    }
    snprintf(err + len, errlen - len, "%s?)", hits > SHOW ? ", ..." : "");
}

/* ---- the points ------------------------------------------------------------- */

static bool parse_num(const char *s, double *v)
{
    if (!*s || isspace((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*end || !isfinite(d))
        return false;
    *v = d;
    return true;
}

typedef struct Point {
    double x, y;
    size_t group;             /* index into Plot.groups */
    size_t order;             /* row order: ties keep it */
} Point;

typedef struct Plot {
    Point *pts;
    size_t npts;
    const char **groups;      /* --by values, first-appearance order */
    size_t ngroups;
    const char **cats;        /* categorical x: labels of 0, 1, ... */
    size_t ncats;             /* 0: numeric x */
    bool logx;
    double *ticks;            /* numeric x's distinct values, sorted */
    size_t nticks;
} Plot;

static void plot_free(Plot *p)
{
    free(p->pts);
    free(p->groups);
    free(p->cats);
    free(p->ticks);
    memset(p, 0, sizeof *p);
}

/* The index of s in list, added at the end when new. */
static size_t intern(const char **list, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(list[i], s))
            return i;
    list[*n] = s;
    return (*n)++;
}

static int point_cmp(const void *a, const void *b)
{
    const Point *p = a, *q = b;
    if (p->group != q->group)
        return p->group < q->group ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The rows to draw: failed runs left out (with a warning), y parsed (over
 * column cd's value when cd >= 0: --y A/B), x numeric or categorical,
 * lines by --by, each line sorted by x. */
static int plot_build(Plot *p, const Table *t, const char *path, long cx,
                      long cy, long cd, long cb, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (!t->nrows) {
        set_err(err, errlen, "%s has no rows to plot", path);
        return -1;
    }
    long cs = col_exact(t, "exit_status");
    size_t n = t->nrows;
    size_t *use = malloc(n * sizeof *use);
    double *ys = malloc(n * sizeof *ys);
    p->pts = malloc(n * sizeof *p->pts);
    p->groups = malloc(n * sizeof *p->groups);
    p->cats = malloc(n * sizeof *p->cats);
    p->ticks = malloc(n * sizeof *p->ticks);
    int rc = -1;
    if (!use || !ys || !p->pts || !p->groups || !p->cats || !p->ticks) {
        set_err(err, errlen, "%s: out of memory", path);
        goto out;
    }
    /* Left out: failed runs, and rows without a value (a statistic a
     * run does not have, such as roi.* without a region of interest). */
    size_t nuse = 0, failed = 0, empty = 0;
    const char *empty_col = NULL;
    for (size_t r = 0; r < n; r++) {
        char **f = t->rows[r].f;
        double status;
        if (cs >= 0 && !(parse_num(f[cs], &status) && status == 0)) {
            failed++;
            continue;
        }
        if (!*f[cy] || !*f[cx] || (cd >= 0 && !*f[cd])) {
            if (!empty_col || !*f[cy])
                empty_col = t->cols[!*f[cy] ? cy : !*f[cx] ? cx : cd];
            empty++;
            continue;
        }
        double den = 1;
        long bad = !parse_num(f[cy], &ys[nuse]) ? cy
                 : cd >= 0 && !parse_num(f[cd], &den) ? cd : -1;
        if (bad >= 0) {
            set_err(err, errlen, "%s: line %lu: %s is '%s', not a number",
                    path, t->rows[r].lineno, t->cols[bad], f[bad]);
            goto out;
        }
        if (den == 0) {
            /* Nothing to divide by: no value (0 acquisitions: no lock). */
            if (!empty_col)
                empty_col = t->cols[cd];
            empty++;
            continue;
        }
        ys[nuse] /= den;
        use[nuse++] = r;
    }
    if (!nuse) {
        bool roi = !strncmp(empty_col ? empty_col : "", "roi.", 4);
        if (!empty)
            set_err(err, errlen, "%s: all %zu point%s failed; nothing to "
                    "plot", path, n, n == 1 ? "" : "s");
        else if (!failed)
            set_err(err, errlen, "%s: no point has a value of %s%s; nothing "
                    "to plot", path, empty_col,
                    roi ? " (does the program mark a region of interest?)"
                        : "");
        else
            set_err(err, errlen, "%s: nothing to plot (%zu failed, %zu "
                    "without a value of %s)", path, failed, empty,
                    empty_col);
        goto out;
    }
    if (nuse < n) {
        char why[256];
        if (!empty)
            snprintf(why, sizeof why, "failed runs");
        else
            snprintf(why, sizeof why, "%sno value of %s",
                     failed ? "failed runs, " : "", empty_col);
        fprintf(stderr, "parsim: plot: %zu of %zu points left out (%s)\n",
                n - nuse, n, why);
    }

    bool numeric = true;
    for (size_t i = 0; i < nuse && numeric; i++)
        numeric = parse_num(t->rows[use[i]].f[cx], &p->pts[i].x);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < nuse; i++) {
        char **f = t->rows[use[i]].f;
        Point *pt = &p->pts[i];
        if (!numeric)
            pt->x = (double)intern(p->cats, &p->ncats, f[cx]);
        lo = fmin(lo, pt->x);
        hi = fmax(hi, pt->x);
        pt->y = ys[i];
        pt->group = cb >= 0 ? intern(p->groups, &p->ngroups, f[cb]) : 0;
        pt->order = i;
    }
    if (cb < 0)
        p->ngroups = 1;
    p->npts = nuse;
    qsort(p->pts, p->npts, sizeof *p->pts, point_cmp);
    if (numeric) {
        p->logx = lo > 0 && hi / lo >= 8;
        for (size_t i = 0; i < nuse; i++)
            p->ticks[i] = p->pts[i].x;
        qsort(p->ticks, nuse, sizeof *p->ticks, double_cmp);
        for (size_t i = 0; i < nuse; i++)
            if (!p->nticks || p->ticks[p->nticks - 1] != p->ticks[i])
                p->ticks[p->nticks++] = p->ticks[i];
    }
    rc = 0;
out:
    free(use);
    free(ys);
    if (rc)
        plot_free(p);
    return rc;
}

/* ---- the gnuplot script ----------------------------------------------------- */

/* A single-quoted gnuplot string: no escapes but '' for a quote; a
 * control character would end the command, so it becomes a space. */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", f);
        else
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, f);
    }
    fputc('\'', f);
}

/* The shortest %g that reads back as d: the same text on every run. */
static void num_str(char *buf, size_t len, double d)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

/* "totals.cycles (cycles)", or the bare name when it has no unit; for a
 * ratio (den not NULL) "a / b (cycles / acquisitions)". */
static void axis_label(FILE *f, const char *col, const char *den)
{
    const char *unit = sim_stats_csv_unit(col);
    const char *dunit = den ? sim_stats_csv_unit(den) : NULL;
    char buf[512];
    if (den && unit && *unit && dunit && *dunit)
        snprintf(buf, sizeof buf, "%s / %s (%s / %s)", col, den, unit,
                 dunit);
    else if (den)
        snprintf(buf, sizeof buf, "%s / %s", col, den);
    else if (unit && *unit)
        snprintf(buf, sizeof buf, "%s (%s)", col, unit);
    else
        snprintf(buf, sizeof buf, "%s", col);
    gp_str(f, buf);
}

static void write_script(FILE *f, const Plot *p, const SimPlotOptions *o,
                         bool svg, unsigned w, unsigned h, const char *xcol,
                         const char *ycol, const char *dcol,
                         const char *bycol)
{
    char num[64];
    fputs("# parsim plot\n", f);
    fputs("set encoding utf8\n", f);
    fprintf(f, "set terminal %s size %u,%u font '" FONT "' noenhanced\n",
            svg ? "svg" : "pngcairo", w, h);
    fputs("set output 'plot.out'\n", f);
    fputs("set title ", f);
    if (o->title) {
        gp_str(f, o->title);
    } else {
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s%s against %s", ycol,
                 dcol ? " / " : "", dcol ? dcol : "", xcol);
        gp_str(f, buf);
    }
    fputs("\nset xlabel ", f);
    axis_label(f, xcol, NULL);
    fputs("\nset ylabel ", f);
    axis_label(f, ycol, dcol);
    fputs("\nset grid\n", f);
    fputs("set border 3\n", f);
    fputs("set tics nomirror\n", f);
    if (bycol)
        fputs("set key outside right top\n", f);
    else
        fputs("unset key\n", f);
    if (p->ncats) {
        /* Categories at 0, 1, ...; long labels slanted to fit. */
        size_t chars = 0;
        for (size_t i = 0; i < p->ncats; i++)
            chars += strlen(p->cats[i]) + 2;
        fprintf(f, "set xrange [-0.5:%zu.5]\n", p->ncats - 1);
        fputs(chars * 8 > w * 3 / 4 ? "set xtics rotate by 30 right ("
                                    : "set xtics (", f);
        for (size_t i = 0; i < p->ncats; i++) {
            fputs(i ? ", " : "", f);
            gp_str(f, p->cats[i]);
            fprintf(f, " %zu", i);
        }
        fputs(")\n", f);
    } else if (p->logx) {
        fputs("set logscale x 2\n", f);
        if (p->nticks <= MAX_EXPLICIT_TICS) {
            fputs("set xtics (", f);
            for (size_t i = 0; i < p->nticks; i++) {
                num_str(num, sizeof num, p->ticks[i]);
                fprintf(f, "%s'%s' %s", i ? ", " : "", num, num);
            }
            fputs(")\n", f);
        }
    }
    if (!p->ncats)   /* keep the first and last points off the border */
        fputs("set offsets graph 0.03, graph 0.03, 0, 0\n", f);
    for (size_t g = 0, i = 0; g < p->ngroups; g++) {
        fprintf(f, "$d%zu << EOD\n", g);
        for (; i < p->npts && p->pts[i].group == g; i++) {
            num_str(num, sizeof num, p->pts[i].x);
            fprintf(f, "%s ", num);
            num_str(num, sizeof num, p->pts[i].y);
            fprintf(f, "%s\n", num);
        }
        fputs("EOD\n", f);
    }
    fputs("plot ", f);
    for (size_t g = 0; g < p->ngroups; g++) {
        fprintf(f, "%s$d%zu using 1:2 with linespoints lw 2 ",
                g ? ", \\\n     " : "", g);
        if (bycol) {
            char buf[512];
            snprintf(buf, sizeof buf, "%s=%s", bycol, p->groups[g]);
            fputs("title ", f);
            gp_str(f, buf);
        } else {
            fputs("notitle", f);
        }
    }
    fputs("\n", f);
}

/* ---- running gnuplot -------------------------------------------------------- */

/* gnuplot's path from PATH, or false. */
static bool find_gnuplot(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    for (const char *p = path;; ) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        struct stat st;
        int k = n ? snprintf(buf, len, "%.*s/gnuplot", (int)n, p)
                  : snprintf(buf, len, "./gnuplot");
        if (k > 0 && (size_t)k < len && !stat(buf, &st) &&
            S_ISREG(st.st_mode) && !access(buf, X_OK))
            return true;
        if (!end)
            return false;
        p = end + 1;
    }
}

/* The line of gnuplot's stderr that says what went wrong: the one that
 * names the script's line ("plot.gp" line 7: ...), else the last that is
 * neither blank, nor a caret under the echoed command, nor a warning. */
static void gnuplot_reason(const char *errpath, char *out, size_t len)
{
    static const char tag[] = "\"plot.gp\" ";
    FILE *f = fopen(errpath, "r");
    out[0] = '\0';
    if (!f)
        return;
    char *line, warning[256] = "";
    while ((line = sim_csv_read_line(f))) {
        size_t n = strlen(line);
        while (n && isspace((unsigned char)line[n - 1]))
            line[--n] = '\0';
        const char *s = line + strspn(line, " \t");
        if (!strncmp(s, tag, sizeof tag - 1)) {
            snprintf(out, len, "%s", s + sizeof tag - 1);
            free(line);
            break;
        }
        if (!strncmp(s, "Warning", 7) || !strncmp(s, "warning", 7))
            snprintf(warning, sizeof warning, "%s", s);
        else if (s[strspn(s, "^ \t")])
            snprintf(out, len, "%s", s);
        free(line);
    }
    fclose(f);
    if (!out[0])
        snprintf(out, len, "%s", warning);
}

static int copy_file(const char *from, const char *to, char *err,
                     size_t errlen)
{
    FILE *in = fopen(from, "rb");
    if (!in) {
        set_err(err, errlen, "gnuplot's picture: %s", strerror(errno));
        return -1;
    }
    FILE *out = fopen(to, "wb");
    if (!out) {
        set_err(err, errlen, "cannot write %s: %s", to, strerror(errno));
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int e = 0;
    while (!e && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            e = errno ? errno : EIO;
    if (!e && ferror(in))
        e = errno ? errno : EIO;
    if (fclose(out) && !e)
        e = errno ? errno : EIO;
    fclose(in);
    if (e) {
        set_err(err, errlen, "cannot write %s: %s", to, strerror(e));
        return -1;
    }
    return 0;
}

/* In the child: fd as dst, open across the exec (dup2 onto itself
 * would leave its close-on-exec flag set). */
static bool move_fd(int fd, int dst)
{
    if (fd == dst)
        return fcntl(dst, F_SETFD, 0) == 0;
    return dup2(fd, dst) == dst;
}

/* gnuplot -d plot.gp in dir, its stderr in dir/gnuplot.err. */
static int run_gnuplot(const char *dir, char *err, size_t errlen)
{
    char exe[4096], errpath[4200];
    if (!find_gnuplot(exe, sizeof exe)) {
        set_err(err, errlen, "gnuplot is not installed (Debian package "
                "gnuplot-nox; `make deps` installs it)");
        return -1;
    }
    snprintf(errpath, sizeof errpath, "%s/gnuplot.err", dir);
    int errfd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                     0600);
    int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    /* The child writes its errno here when it cannot exec; the exec
     * closes it (CLOEXEC), so an empty read means gnuplot started. */
    int report[2] = {-1, -1};
    if (errfd < 0 || nullfd < 0 || pipe(report) ||
        fcntl(report[1], F_SETFD, FD_CLOEXEC)) {
        set_err(err, errlen, "cannot run gnuplot: %s", strerror(errno));
        goto fail;
    }
    pid_t pid = fork();
    if (pid < 0) {
        set_err(err, errlen, "cannot run gnuplot: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        /* Only async-signal-safe calls: the caller may have threads. */
        char *argv[] = {"gnuplot", "-d", "plot.gp", NULL};
        if (!chdir(dir) && move_fd(nullfd, 0) && move_fd(nullfd, 1) &&
            move_fd(errfd, 2))
            execv(exe, argv);
        int e = errno;
        if (write(report[1], &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    close(report[1]);
    report[1] = -1;
    int child_errno = 0;
    ssize_t got;
    do
        got = read(report[0], &child_errno, sizeof child_errno);
    while (got < 0 && errno == EINTR);
    int status, wait_errno;
    pid_t w;
    do
        w = waitpid(pid, &status, 0);
    while (w < 0 && errno == EINTR);
    wait_errno = errno;
    close(report[0]);
    close(errfd);
    close(nullfd);
    if (got > 0) {
        set_err(err, errlen, "cannot run %s: %s", exe, strerror(child_errno));
        return -1;
    }
    if (w < 0) {
        set_err(err, errlen, "gnuplot: %s", strerror(wait_errno));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char why[256];
    gnuplot_reason(errpath, why, sizeof why);
    if (why[0])
        set_err(err, errlen, "gnuplot: %s", why);
    else if (WIFSIGNALED(status))
        set_err(err, errlen, "gnuplot: killed by signal %d",
                WTERMSIG(status));
    else
        set_err(err, errlen, "gnuplot: exit status %d", WEXITSTATUS(status));
    return -1;
fail:
    for (int i = 0; i < 2; i++)
        if (report[i] >= 0)
            close(report[i]);
    if (errfd >= 0)
        close(errfd);
    if (nullfd >= 0)
        close(nullfd);
    return -1;
}

/* ---- sim_plot_csv ----------------------------------------------------------- */

static bool ends_with_nocase(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && !strcasecmp(s + n - m, suffix);
}

int sim_plot_csv(const char *csv_path, const SimPlotOptions *o, char *err,
                 size_t errlen)
{
    if (!o->out || !*o->out) {
        set_err(err, errlen, "no picture file given (--plot FILE.png)");
        return -1;
    }
    bool svg = ends_with_nocase(o->out, ".svg");
    if (!svg && !ends_with_nocase(o->out, ".png")) {
        set_err(err, errlen, "%s: unknown picture format (expected "
                "FILE.png or FILE.svg)", o->out);
        return -1;
    }
    if (!o->x || !o->y) {
        set_err(err, errlen, "which columns? (--x KEY --y STAT)");
        return -1;
    }
    unsigned w = o->width ? o->width : DEFAULT_WIDTH;
    unsigned h = o->height ? o->height : DEFAULT_HEIGHT;
    if (w < SIZE_MIN || h < SIZE_MIN || w > SIZE_MAX_PX || h > SIZE_MAX_PX) {
        set_err(err, errlen, "picture size %ux%u: each side must be %d to "
                "%d pixels", w, h, SIZE_MIN, SIZE_MAX_PX);
        return -1;
    }

    Table t;
    if (table_read(&t, csv_path, err, errlen))
        return -1;
    int rc = -1;
    Plot p = {0};
    SimPlotColumns pc;
    char missing[256];
    if (!sim_plot_columns(t.cols, t.ncols, o, &pc, missing, sizeof missing)) {
        col_missing(&t, csv_path, missing, err, errlen);
        goto out;
    }
    long cx = pc.x, cy = pc.y, cd = pc.den, cb = pc.by;
    if (plot_build(&p, &t, csv_path, cx, cy, cd, cb, err, errlen))
        goto out;

    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/parsim-plot-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        set_err(err, errlen, "cannot make a temporary directory in %s: %s",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        goto out;
    }
    snprintf(path, sizeof path, "%s/plot.gp", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        goto clean;
    }
    write_script(f, &p, o, svg, w, h, t.cols[cx], t.cols[cy],
                 cd >= 0 ? t.cols[cd] : NULL, cb >= 0 ? t.cols[cb] : NULL);
    bool bad = ferror(f);
    if (fclose(f) || bad) {
        set_err(err, errlen, "%s: cannot write the script", path);
        goto clean;
    }
    if (run_gnuplot(dir, err, errlen))
        goto clean;
    snprintf(path, sizeof path, "%s/plot.out", dir);
    struct stat st;
    if (stat(path, &st) || st.st_size == 0) {
        char why[256];
        snprintf(path, sizeof path, "%s/gnuplot.err", dir);
        gnuplot_reason(path, why, sizeof why);
        set_err(err, errlen, "gnuplot: %s", why[0] ? why : "wrote no picture");
        goto clean;
    }
    rc = copy_file(path, o->out, err, errlen);
clean:
    {
        static const char *const files[] = {"plot.gp", "plot.out",
                                            "gnuplot.err"};
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, files[i]);
            unlink(path);
        }
        rmdir(dir);
    }
out:
    plot_free(&p);
    table_free(&t);
    return rc;
}

/* ---- sizes and the command ------------------------------------------------- */

/* A side of "WxH": digits only, SIZE_MIN..SIZE_MAX_PX; the text after it. */
static const char *parse_side(const char *s, unsigned *v)
{
    unsigned long n = 0;
    const char *p = s;
    while (isdigit((unsigned char)*p) && p - s < 6)
        n = n * 10 + (unsigned long)(*p++ - '0');
    if (p == s || isdigit((unsigned char)*p) || n < SIZE_MIN ||
        n > SIZE_MAX_PX)
        return NULL;
    *v = (unsigned)n;
    return p;
}

bool sim_plot_parse_size(const char *s, unsigned *w, unsigned *h)
{
    unsigned a, b;
    const char *p = s ? parse_side(s, &a) : NULL;
    if (!p || *p != 'x' || !(p = parse_side(p + 1, &b)) || *p)
        return false;
    *w = a;
    *h = b;
    return true;
}

static void plot_usage(FILE *f)
{
    fputs("usage: parsim plot FILE.csv --plot OUT.png --x KEY --y STAT "
          "[--by KEY]\n"
          "                   [--plot-size WxH] [--title TEXT]\n"
          "\n"
          "Draw a statistic (--y) against a column (--x) of a CSV written "
          "by\n"
          "--stats-csv or parsim sweep, one line per value of --by, with "
          "gnuplot.\n"
          "OUT ends in .png or .svg; the size defaults to 800x600.  Rows "
          "whose\n"
          "exit_status is not 0 or whose STAT is empty are left out.\n"
          "\n"
          "  --plot OUT.png|OUT.svg   the picture to write\n"
          "  --x KEY                  the horizontal axis (a number or a "
          "word)\n"
          "  --y STAT                 the vertical axis (a number)\n"
          "  --by KEY                 one line per value of KEY\n"
          "  --plot-size WxH          pixels, each 16..10000\n"
          "  --title TEXT             default: \"STAT against KEY\"\n", f);
}

int sim_plot_main(int argc, char **argv)
{
    static const char *const names[] = {"plot", "x", "y", "by",
                                        "plot-size", "title"};
    enum { N_OPTS = sizeof names / sizeof names[0] };
    const char *val[N_OPTS] = {0};
    const char *csv = NULL;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || !a[1]) {
            if (csv) {
                fprintf(stderr, "parsim: plot: one CSV file at a time ('%s' "
                        "and '%s')\n", csv, a);
                return SIM_EXIT_USAGE;
            }
            csv = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_files = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            plot_usage(stdout);
            return 0;
        }
        const char *name = a + 2, *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        int k = -1;
        for (int j = 0; a[1] == '-' && j < N_OPTS; j++)
            if (strlen(names[j]) == nlen && !strncmp(names[j], name, nlen))
                k = j;
        if (k < 0) {
            fprintf(stderr, "parsim: plot: unknown option %s (see parsim "
                    "plot --help)\n", a);
            return SIM_EXIT_USAGE;
        }
        if (eq) {
            val[k] = eq + 1;
        } else if (i + 1 < argc) {
            val[k] = argv[++i];
        } else {
            fprintf(stderr, "parsim: plot: --%s needs a value (see parsim "
                    "plot --help)\n", names[k]);
            return SIM_EXIT_USAGE;
        }
    }
    SimPlotOptions o = {.out = val[0], .x = val[1], .y = val[2],
                        .by = val[3], .title = val[5]};
    if (!csv || !o.out || !o.x || !o.y) {
        fprintf(stderr, "parsim: plot: %s (usage: parsim plot FILE.csv "
                "--plot OUT.png --x KEY --y STAT [--by KEY])\n",
                !csv ? "no CSV file given" : !o.out ? "no --plot OUT.png given"
                : !o.x ? "no --x KEY given" : "no --y STAT given");
        return SIM_EXIT_USAGE;
    }
    if (val[4] && !sim_plot_parse_size(val[4], &o.width, &o.height)) {
        fprintf(stderr, "parsim: plot: --plot-size %s: expected WxH, each "
                "%d to %d (e.g. 800x600)\n", val[4], SIZE_MIN, SIZE_MAX_PX);
        return SIM_EXIT_USAGE;
    }
    char err[1024];
    if (sim_plot_csv(csv, &o, err, sizeof err)) {
        fprintf(stderr, "parsim: plot: %s\n", err);
        return SIM_EXIT_USAGE;
    }
    return 0;
}
