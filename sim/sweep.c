/* sweep.c — parsim sweep (sim/sweep.h): the grid, its points as child
 * `parsim run`s on every host core, the CSV (and JSON) they make, shards
 * and their merge, and the plot.
 *
 * A point's run writes its one-row --stats-csv (and --stats) into a
 * scratch directory; its row is re-cut into the sweep's columns: the
 * point's number, the varied keys, every statistic (whole run, then
 * region of interest), the configuration keys not varied, the program,
 * its exit status and the first line it wrote on stderr when it failed.
 * Rows come out in point order whatever order the points finish in.
 */
#define _GNU_SOURCE                 /* sched_getaffinity, CPU_COUNT */
#include "sim/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/config.h"
#include "sim/csv.h"
#include "sim/machine.h"
#include "sim/plot.h"

extern char **environ;

enum { EXIT_USAGE = 64, MAX_VARY = 16, MAX_VALUES = 10000,
       MAX_POINTS = 1000000 };

/* ---- --vary ------------------------------------------------------------------ */

/* Keys a sweep cannot vary: its points must each be one deterministic
 * run. */
static bool parallel_key(const char *key)
{
    return !strcmp(key, "run.mode") || !strcmp(key, "run.host_threads");
}

static bool push_value(SimSweepVary *v, const char *text, char *err,
                       size_t errlen)
{
    if (v->nvalues >= MAX_VALUES) {
        snprintf(err, errlen, "--vary %s: more than %d values", v->name,
                 MAX_VALUES);
        return false;
    }
    if (v->nvalues % 64 == 0) {
        char **n = realloc(v->values, (v->nvalues + 64) * sizeof *n);
        if (!n) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        v->values = n;
    }
    char *copy = strdup(text);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    v->values[v->nvalues++] = copy;
    return true;
}

/* A..B, A..B+S, A..B*F into values. */
static bool expand_range(SimSweepVary *v, char *item, char *dots, char *err,
                         size_t errlen)
{
    *dots = '\0';
    char *hi = dots + 2, *step = strpbrk(hi, "+*");
    char op = step ? *step : '+';
    if (step)
        *step++ = '\0';
    uint64_t a, b, s = 1;
    if (!sim_parse_size(item, &a) || !sim_parse_size(hi, &b) ||
        (step && !sim_parse_count(step, &s))) {
        snprintf(err, errlen, "--vary %s: bad range '%s..%s%s%s' (A..B, "
                 "A..B+STEP or A..B*FACTOR, e.g. 1..16*2)", v->name, item, hi,
                 step ? (op == '+' ? "+" : "*") : "", step ? step : "");
        return false;
    }
    if (a > b || (op == '+' && s == 0) || (op == '*' && (s < 2 || a == 0))) {
        snprintf(err, errlen, "--vary %s: the range %s..%s%c%" PRIu64
                 " %s", v->name, item, hi, op, s,
                 a > b ? "runs backwards" : op == '*'
                 ? "needs a factor of 2 or more from a start above 0"
                 : "needs a step above 0");
        return false;
    }
    for (uint64_t x = a; x <= b;) {
        char num[24];
        snprintf(num, sizeof num, "%" PRIu64, x);
        if (!push_value(v, num, err, errlen))
            return false;
        if (op == '+' ? s > b - x : x > b / s)
            break;              /* the next one is past B (or would wrap) */
        x = op == '+' ? x + s : x * s;
    }
    return true;
}

/* The configuration key's value as the CSV writes it (and a check that
 * it is one), from a scratch configuration. */
static bool canonical(const char *key, const char *value, char *out,
                      size_t len, char *err, size_t errlen)
{
    SimConfig c;
    sim_config_defaults(&c);
    if (!sim_config_set(&c, key, value, err, errlen))
        return false;
    size_t n = sim_config_key_count();
    for (size_t i = 0; i < n; i++) {
        bool number;
        if (!strcmp(sim_config_key_at(&c, i, out, len, &number), key))
            return true;
    }
    snprintf(out, len, "%s", value);
    return true;
}

bool sim_sweep_parse_vary(const char *spec, SimSweepVary *v, char *err,
                          size_t errlen)
{
    memset(v, 0, sizeof *v);
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1]) {
        snprintf(err, errlen, "--vary '%s': KEY=V1,V2,... expected (e.g. "
                 "--vary cores=1,2,4)", spec);
        return false;
    }
    size_t klen = (size_t)(eq - spec);
    if (klen >= sizeof v->name) {
        snprintf(err, errlen, "--vary: the key '%.*s' is too long",
                 (int)klen, spec);
        return false;
    }
    memcpy(v->name, spec, klen);
    v->name[klen] = '\0';
    /* The short names a TA types for the keys swept most. */
    v->key = sim_config_short_key(v->name);
    if (!v->key)
        v->key = v->name;
    if (!strncmp(v->name, "arg", 3) && v->name[3] >= '1' &&
        v->name[3] <= '9') {
        char *end;
        long n = strtol(v->name + 3, &end, 10);
        if (*end || n > 1000) {
            snprintf(err, errlen, "--vary %s: program arguments are arg1, "
                     "arg2, ...", v->name);
            return false;
        }
        v->key = NULL;
        v->arg = (int)n;
    } else if (parallel_key(v->key)) {
        snprintf(err, errlen, "--vary %s: a sweep's points run in "
                 "deterministic mode (several at once: --jobs), so that "
                 "the same sweep gives the same file", v->name);
        return false;
    }
    char *list = strdup(eq + 1);
    if (!list) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    bool ok = true;
    for (char *tok = list; ok && tok;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (!*tok) {
            snprintf(err, errlen, "--vary %s: an empty value (two commas, "
                     "or one at an end)", v->name);
            ok = false;
            break;
        }
        char *dots = v->key ? strstr(tok, "..") : NULL;
        ok = dots ? expand_range(v, tok, dots, err, errlen)
                  : push_value(v, tok, err, errlen);
        tok = comma ? comma + 1 : NULL;
    }
    free(list);
    if (ok && v->nvalues == 0) {
        snprintf(err, errlen, "--vary %s: no values", v->name);
        ok = false;
    }
    /* Every value is one the key takes, written as the CSV writes it. */
    for (size_t i = 0; ok && v->key && i < v->nvalues; i++) {
        char why[300], canon[1024];
        if (!canonical(v->key, v->values[i], canon, sizeof canon, why,
                       sizeof why)) {
            /* The reason names the key already when it is the one typed. */
            size_t kl = strlen(v->name);
            bool named = !strncmp(why, v->name, kl) && why[kl] == ':';
            snprintf(err, errlen, "--vary %s: %s", v->name,
                     named ? why + kl + 2 : why);
            ok = false;
        } else if (strcmp(canon, v->values[i])) {
            char *c = strdup(canon);
            if (!c) {
                snprintf(err, errlen, "out of memory");
                ok = false;
            } else {
                free(v->values[i]);
                v->values[i] = c;
            }
        }
    }
    for (size_t i = 0; ok && i < v->nvalues; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(v->values[i], v->values[j])) {
                snprintf(err, errlen, "--vary %s: %s is there twice",
                         v->name, v->values[i]);
                ok = false;
                break;
            }
    if (!ok)
        sim_sweep_vary_free(v);
    return ok;
}

void sim_sweep_vary_free(SimSweepVary *v)
{
    for (size_t i = 0; i < v->nvalues; i++)
        free(v->values[i]);
    free(v->values);
    v->values = NULL;
    v->nvalues = 0;
}

bool sim_sweep_parse_shard(const char *s, unsigned *i, unsigned *n)
{
    const char *slash = strchr(s, '/');
    if (!slash)
        return false;
    char a[24], b[24];
    size_t la = (size_t)(slash - s);
    if (la == 0 || la >= sizeof a || strlen(slash + 1) >= sizeof b)
        return false;
    memcpy(a, s, la);
    a[la] = '\0';
    strcpy(b, slash + 1);
    uint64_t x, y;
    if (!sim_parse_count(a, &x) || !sim_parse_count(b, &y) || y == 0 || x >= y ||
        y > 100000)
        return false;
    *i = (unsigned)x;
    *n = (unsigned)y;
    return true;
}

/* ---- the sweep ----------------------------------------------------------------- */

struct SimSweep {
    SimSweepVary vary[MAX_VARY];
    int nvary;
    char **run_opts;            /* passed to every point, values joined */
    int nrun_opts;
    const char *program;
    char **args;                /* the program's arguments */
    int nargs;
    size_t npoints;
    unsigned shard_i, shard_n;
    unsigned jobs;
    const char *csv, *json, *plot;
    SimPlotOptions po;
    bool quiet, mpi;
    bool jobs_set, look_set;    /* --jobs; --plot-size or --title */
    bool other_set;             /* an option --merge does not take */
    char exe[PATH_MAX];         /* the parsim that runs the points */
    char dir[PATH_MAX];         /* scratch: each point's files */
    /* The statistics' and configuration's columns of a point's row. */
    char *head;
    char **cols;
    size_t ncols;
    bool *keep;                 /* not a varied key's column */
};

size_t sim_sweep_points(const SimSweep *s) { return s->npoints; }

/* The values of point p: the first --vary changes slowest. */
static size_t value_of(const SimSweep *s, size_t p, int k)
{
    size_t stride = 1;
    for (int j = s->nvary - 1; j > k; j--)
        stride *= s->vary[j].nvalues;
    return (p / stride) % s->vary[k].nvalues;
}

/* The header: point, the varied keys, then the run's columns. */
static void write_header(const SimSweep *s, FILE *f)
{
    fputs("point", f);
    for (int k = 0; k < s->nvary; k++) {
        fputc(',', f);
        sim_csv_field(f, s->vary[k].name);
    }
    for (size_t c = 0; c < s->ncols; c++)
        if (s->keep[c]) {
            fputc(',', f);
            sim_csv_field(f, s->cols[c]);
        }
    fputs(",message\n", f);
}

/* The scratch files of point p. */
static void point_file(const SimSweep *s, size_t p, const char *ext,
                       char *out, size_t len)
{
    snprintf(out, len, "%.4000s/p%zu.%s", s->dir, p, ext);
}

/* Read a whole (small) file; NULL when absent. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n + 1 >= cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n - 1, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    return b;
}

/* The first line of what the point wrote on stderr (its error), or the
 * last of its output. */
static void pick_line(const char *text, bool last, char *out, size_t len)
{
    out[0] = '\0';
    if (!text)
        return;
    if (last) {
        const char *end = text + strlen(text);
        while (end > text && end[-1] == '\n')
            end--;
        const char *start = end;
        while (start > text && start[-1] != '\n')
            start--;
        size_t n = (size_t)(end - start);
        if (n >= len)
            n = len - 1;
        memcpy(out, start, n);
        out[n] = '\0';
        return;
    }
    while (*text == '\n')
        text++;
    size_t n = strcspn(text, "\n");
    if (n >= len)
        n = len - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

/* The signal that asked the sweep to stop (0: none). */
static volatile sig_atomic_t interrupted;

/* Point p's child: parsim run, quiet, with the point's settings. */
static pid_t point_start(const SimSweep *s, size_t p)
{
    char csv[PATH_MAX + 32], json[PATH_MAX + 32], errf[PATH_MAX + 32],
         outf[PATH_MAX + 32];
    point_file(s, p, "out", outf, sizeof outf);
    point_file(s, p, "csv", csv, sizeof csv);
    point_file(s, p, "json", json, sizeof json);
    point_file(s, p, "err", errf, sizeof errf);
    unlink(csv);
    unlink(json);
    size_t cap = (size_t)s->nrun_opts + 2 * (size_t)s->nvary +
                 (size_t)s->nargs + 16;
    char **argv = calloc(cap, sizeof *argv);
    char (*sets)[1100] = calloc((size_t)s->nvary + 1, sizeof *sets);
    char **args = calloc((size_t)s->nargs + 1, sizeof *args);
    if (!argv || !sets || !args) {
        free(argv);
        free(sets);
        free(args);
        return -1;
    }
    int n = 0;
    argv[n++] = (char *)s->exe;
    argv[n++] = "run";
    argv[n++] = "-q";
    argv[n++] = "--no-progress";
    for (int i = 0; i < s->nrun_opts; i++)
        argv[n++] = s->run_opts[i];
    for (int i = 0; i < s->nargs; i++)
        args[i] = s->args[i];
    /* After the run options, so that a --machine does not undo them. */
    for (int k = 0; k < s->nvary; k++) {
        const char *val = s->vary[k].values[value_of(s, p, k)];
        if (s->vary[k].key) {
            snprintf(sets[k], sizeof sets[k], "%s=%s", s->vary[k].key, val);
            argv[n++] = "--set";
            argv[n++] = sets[k];
        } else {
            args[s->vary[k].arg - 1] = (char *)val;
        }
    }
    argv[n++] = "--stats-csv";
    argv[n++] = csv;
    if (s->json) {
        argv[n++] = "--stats";
        argv[n++] = json;
    }
    argv[n++] = "--";           /* a program named -x is still one */
    argv[n++] = (char *)s->program;
    for (int i = 0; i < s->nargs; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, outf,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, errf,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    /* Its own process group: a Ctrl-C reaches the sweep alone, which
     * hands it on to each point once (a second one would end a point
     * without its results). */
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, s->exe, &fa, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    free(sets);
    free(args);
    if (rc != 0) {
        /* The point's row says why (as a run's stderr would). */
        FILE *e = fopen(errf, "w");
        if (e) {
            fprintf(e, "parsim: sweep: cannot start %s: %s\n", s->exe,
                    strerror(rc));
            fclose(e);
        }
        errno = rc;
        return -1;
    }
    return pid;
}

/* Point p's row from its child's files; wstatus as waitpid gave it. */
static void point_finish(const SimSweep *s, size_t p, int wstatus,
                         SimSweepOut *out)
{
    char csv[PATH_MAX + 32], json[PATH_MAX + 32], errf[PATH_MAX + 32],
         outf[PATH_MAX + 32];
    point_file(s, p, "out", outf, sizeof outf);
    point_file(s, p, "csv", csv, sizeof csv);
    point_file(s, p, "json", json, sizeof json);
    point_file(s, p, "err", errf, sizeof errf);
    int status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
               : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : 255;
    char *err = slurp(errf), msg[512];
    pick_line(err, false, msg, sizeof msg);
    free(err);
    if (status != 0 && !msg[0]) {
        /* The program's own failure: what it said last. */
        char *said = slurp(outf), last[400];
        pick_line(said, true, last, sizeof last);
        free(said);
        if (WIFSIGNALED(wstatus))
            snprintf(msg, sizeof msg, "parsim run was killed by signal %d",
                     WTERMSIG(wstatus));
        else if (last[0])
            snprintf(msg, sizeof msg, "the program exited with status %d; "
                     "its last line: %s", status, last);
        else
            snprintf(msg, sizeof msg, "the program exited with status %d, "
                     "saying nothing", status);
    }
    if (status == 0)
        msg[0] = '\0';

    /* The child's row, cut by its own header into our columns. */
    char *text = slurp(csv), **fields = NULL, **names = NULL;
    size_t nf = 0, nn = 0;
    if (text) {
        char *nl = strchr(text, '\n');
        if (nl) {
            *nl = '\0';
            char *row = nl + 1;
            row[strcspn(row, "\r\n")] = '\0';
            nn = sim_csv_split(text, NULL, 0);
            nf = sim_csv_split(row, NULL, 0);
            names = calloc(nn + 1, sizeof *names);
            fields = calloc(nf + 1, sizeof *fields);
            if (names && fields && nn == nf) {
                (void)sim_csv_split(text, names, nn);
                (void)sim_csv_split(row, fields, nf);
            } else {
                nf = nn = 0;
            }
        }
    }
    char *line = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&line, &len);
    if (f) {
        fprintf(f, "%zu", p);
        for (int k = 0; k < s->nvary; k++) {
            fputc(',', f);
            sim_csv_field(f, s->vary[k].values[value_of(s, p, k)]);
        }
        for (size_t c = 0; c < s->ncols; c++) {
            if (!s->keep[c])
                continue;
            fputc(',', f);
            const char *v = NULL;
            for (size_t j = 0; j < nn && !v; j++)
                if (!strcmp(names[j], s->cols[c]))
                    v = fields[j];
            if (!v && !strcmp(s->cols[c], "program"))
                v = s->program;
            if (!strcmp(s->cols[c], "exit_status")) {
                fprintf(f, "%d", status);
                continue;
            }
            sim_csv_field(f, v ? v : "");
        }
        fputc(',', f);
        sim_csv_field(f, msg);
        fclose(f);
    }
    free(names);
    free(fields);
    free(text);
    out->status = status;
    out->line = line;
    out->json = s->json ? slurp(json) : NULL;
    unlink(csv);
    unlink(json);
    unlink(errf);
    unlink(outf);
}

void sim_sweep_run_point(const SimSweep *s, size_t point, SimSweepOut *out)
{
    pid_t pid = point_start(s, point);
    int ws = 126 << 8;          /* not started: point_start said why */
    bool forwarded = false;
    while (pid > 0) {
        if (interrupted && !forwarded) {
            kill(pid, interrupted);     /* its own group: hand it on */
            forwarded = true;
        }
        if (waitpid(pid, &ws, 0) >= 0 || errno != EINTR)
            break;
    }
    point_finish(s, point, ws, out);
}

/* ---- running the points here ------------------------------------------------- */

static void on_signal(int signo)
{
    interrupted = signo;
}

bool sim_sweep_interrupted(void) { return interrupted != 0; }

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* On a terminal a bar that redraws itself; elsewhere (a log) a line
 * every ten seconds. */
static void progress(const SimSweep *s, size_t done, size_t running,
                     size_t failed, size_t total, double t0, bool final)
{
    static double last;
    bool tty = isatty(2);
    if (s->quiet || (final && !tty))
        return;
    double t = now_s();
    if (last < t0)
        last = tty ? 0 : t0;
    if (!final && t - last < (tty ? 0.2 : 10))
        return;
    last = t;
    char left[48] = "";
    if (done && done < total) {
        double rest = (t - t0) / (double)done * (double)(total - done);
        snprintf(left, sizeof left, ", about %.0f s left", rest + 0.5);
    }
    int width = 24, fill = total ? (int)(done * (size_t)width / total) : 0;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "%sparsim: sweep [%s] %zu/%zu points, %zu running, "
            "%zu failed%s%s", tty ? "\r" : "", bar, done, total, running,
            failed, left, tty ? (final ? "\033[K\n" : "\033[K") : "\n");
}

/* The points pts[0..n) on up to s->jobs children at a time.  A point
 * that cannot be started waits for a running one to end and tries again;
 * with none running it is a row saying why (status 126).  A signal stops
 * the starting of points and goes on to the running ones. */
static int run_local(const SimSweep *s, const size_t *pts, size_t n,
                     SimSweepOut *outs)
{
    struct { pid_t pid; size_t i; } *kids = calloc(s->jobs, sizeof *kids);
    if (!kids)
        return -1;
    size_t next = 0, done = 0, running = 0, failed = 0;
    bool forwarded = false;
    double t0 = now_s();
    while (done < n) {
        while (running < s->jobs && next < n && !interrupted) {
            pid_t pid = point_start(s, pts[next]);
            if (pid < 0 && running > 0)
                break;          /* retried once one has ended */
            if (pid < 0) {
                point_finish(s, pts[next], 126 << 8, &outs[next]);
                failed++;
                done++;
                next++;
                continue;
            }
            for (unsigned j = 0; j < s->jobs; j++)
                if (!kids[j].pid) {
                    kids[j].pid = pid;
                    kids[j].i = next;
                    break;
                }
            next++;
            running++;
        }
        if (interrupted && !forwarded) {
            for (unsigned j = 0; j < s->jobs; j++)
                if (kids[j].pid)
                    kill(kids[j].pid, interrupted);
            forwarded = true;
        }
        if (running == 0)
            break;              /* interrupted: no more to wait for */
        int ws;
        pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (unsigned j = 0; j < s->jobs; j++)
            if (kids[j].pid == pid) {
                point_finish(s, pts[kids[j].i], ws, &outs[kids[j].i]);
                failed += outs[kids[j].i].status != 0;
                kids[j].pid = 0;
                running--;
                done++;
            }
        progress(s, done, running, failed, n, t0, false);
    }
    free(kids);
    progress(s, done, 0, failed, n, t0, true);
    return 0;
}

/* ---- writing ----------------------------------------------------------------- */

static bool write_csv(const SimSweep *s, const char *path, const size_t *pts,
                      const SimSweepOut *outs, size_t n, char *err,
                      size_t errlen)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    write_header(s, f);
    (void)pts;
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", outs[i].line);
    bool ok = !ferror(f);
    if (path ? fclose(f) != 0 : fflush(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, errlen, "cannot write %s: %s", path ? path : "stdout",
                 strerror(errno));
    return ok;
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

static bool write_json(const SimSweep *s, const size_t *pts,
                       const SimSweepOut *outs, size_t n, char *err,
                       size_t errlen)
{
    FILE *f = fopen(s->json, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", s->json,
                 strerror(errno));
        return false;
    }
    fputs("[\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "{\"point\": %zu, \"vary\": {", pts[i]);
        for (int k = 0; k < s->nvary; k++) {
            fputs(k ? ", " : "", f);
            json_string(f, s->vary[k].name);
            fputs(": ", f);
            json_string(f, s->vary[k].values[value_of(s, pts[i], k)]);
        }
        fprintf(f, "}, \"exit_status\": %d, \"stats\": ", outs[i].status);
        const char *j = outs[i].json;
        size_t len = j ? strlen(j) : 0;
        while (len && (j[len - 1] == '\n' || j[len - 1] == ' '))
            len--;
        if (len)
            fwrite(j, 1, len, f);
        else
            fputs("null", f);
        fprintf(f, "}%s\n", i + 1 < n ? "," : "");
    }
    fputs("]\n", f);
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "cannot write %s: %s", s->json,
                 strerror(errno));
        return false;
    }
    return true;
}

/* ---- --merge ----------------------------------------------------------------- */

typedef struct Row {
    size_t point;
    char *line;
} Row;

static int row_cmp(const void *a, const void *b)
{
    const Row *x = a, *y = b;
    return x->point < y->point ? -1 : x->point > y->point;
}

/* The shards' files into the one a whole sweep writes. */
static int merge(char **files, int nfiles, const char *out)
{
    char *head = NULL;
    Row *rows = NULL;
    size_t nrows = 0, cap = 0;
    int status = 0;
    for (int i = 0; i < nfiles && !status; i++) {
        FILE *f = fopen(files[i], "r");
        if (!f) {
            fprintf(stderr, "parsim: sweep --merge: cannot read %s: %s\n",
                    files[i], strerror(errno));
            status = EXIT_USAGE;
            break;
        }
        char *h = sim_csv_read_line(f);
        if (!h || strncmp(h, "point,", 6)) {
            fprintf(stderr, "parsim: sweep --merge: %s is not a sweep's "
                    "CSV (its first column is not 'point')\n", files[i]);
            status = EXIT_USAGE;
        } else if (head && strcmp(head, h)) {
            fprintf(stderr, "parsim: sweep --merge: %s has other columns "
                    "than %s (not shards of one sweep)\n", files[i],
                    files[0]);
            status = EXIT_USAGE;
        }
        if (!head && !status) {
            head = h;
            h = NULL;
        }
        free(h);
        char *line;
        unsigned lineno = 1;
        size_t ncols = head ? sim_csv_split(head, NULL, 0) : 0;
        while (!status && (line = sim_csv_read_line(f))) {
            lineno++;
            if (!line[0]) {
                free(line);
                continue;       /* a blank line (at the end) */
            }
            if (sim_csv_split(line, NULL, 0) != ncols) {
                fprintf(stderr, "parsim: sweep --merge: %s:%u: the row has "
                        "not the header's %zu fields\n", files[i], lineno,
                        ncols);
                free(line);
                status = EXIT_USAGE;
                break;
            }
            char *end;
            errno = 0;
            unsigned long long p = strtoull(line, &end, 10);
            if (line[0] < '0' || line[0] > '9' || errno ||
                (*end && *end != ',')) {
                fprintf(stderr, "parsim: sweep --merge: %s:%u: the row "
                        "has no point number\n", files[i], lineno);
                free(line);
                status = EXIT_USAGE;
                break;
            }
            if (nrows == cap) {
                cap = cap ? cap * 2 : 64;
                Row *nr = realloc(rows, cap * sizeof *nr);
                if (!nr) {
                    free(line);
                    status = EXIT_USAGE;
                    break;
                }
                rows = nr;
            }
            rows[nrows++] = (Row){(size_t)p, line};
        }
        fclose(f);
    }
    if (!status) {
        if (nrows)
            qsort(rows, nrows, sizeof *rows, row_cmp);
        for (size_t i = 1; i < nrows && !status; i++)
            if (rows[i].point == rows[i - 1].point) {
                fprintf(stderr, "parsim: sweep --merge: point %zu is in "
                        "two files (the same shard twice?)\n",
                        rows[i].point);
                status = EXIT_USAGE;
            }
    }
    if (!status) {
        size_t gaps = 0;
        for (size_t i = 0; i < nrows; i++)
            gaps += rows[i].point - (i ? rows[i - 1].point + 1 : 0);
        if (gaps)
            fprintf(stderr, "parsim: sweep --merge: warning: %zu point%s "
                    "missing below point %zu (a shard not given?)\n", gaps,
                    gaps == 1 ? "" : "s", nrows ? rows[nrows - 1].point : 0);
        FILE *f = out ? fopen(out, "w") : stdout;
        if (!f) {
            fprintf(stderr, "parsim: sweep --merge: cannot write %s: %s\n",
                    out, strerror(errno));
            status = EXIT_USAGE;
        } else {
            fprintf(f, "%s\n", head);
            for (size_t i = 0; i < nrows; i++)
                fprintf(f, "%s\n", rows[i].line);
            if ((out ? fclose(f) : fflush(f)) != 0) {
                fprintf(stderr, "parsim: sweep --merge: cannot write %s\n",
                        out ? out : "stdout");
                status = EXIT_USAGE;
            }
        }
    }
    for (size_t i = 0; i < nrows; i++)
        free(rows[i].line);
    free(rows);
    free(head);
    return status;
}

/* ---- the command line -------------------------------------------------------- */

static void usage(FILE *f)
{
    fputs(
        "usage: parsim sweep [run options] --vary KEY=V1,V2,... [--vary ...]\n"
        "                    [sweep options] PROGRAM.elf [ARGS...]\n"
        "       parsim sweep --merge FILE.csv... [--csv OUT.csv]\n"
        "\n"
        "Runs PROGRAM once per point of the grid the --vary options make\n"
        "(the first changes slowest), each a deterministic parsim run, and\n"
        "writes one CSV row per point: its number, the varied keys, every\n"
        "statistic (whole run and region of interest), the configuration,\n"
        "the exit status and, for a failed point, its message.\n"
        "\n"
        "  --vary KEY=VALUES  KEY: any --set key (parsim run --list-keys),\n"
        "                     cores, threads, ranks, or arg1, arg2, ... for\n"
        "                     the program's arguments.  VALUES: a,b,c or\n"
        "                     ranges A..B, A..B+STEP, A..B*FACTOR (1..16*2\n"
        "                     is 1,2,4,8,16; sizes take K, M, G)\n"
        "  --csv FILE         the rows (default: stdout)\n"
        "  --json FILE        every point's full statistics, as one array\n"
        "  --jobs N           points at once (default: the host's cores)\n"
        "  --shard I/N        only points I, I+N, I+2N, ... (0 <= I < N):\n"
        "                     for SLURM arrays and GNU parallel\n"
        "  --merge FILE...    join shards' CSVs into the whole sweep's\n"
        "  --mpi              run under mpirun: rank 0 deals the points to\n"
        "                     the other ranks and writes the files\n"
        "  --plot FILE.png    draw --y against --x (.png or .svg), one\n"
        "  --x KEY --y STAT   line per value of --by (gnuplot)\n"
        "  --by KEY\n"
        "  --plot-size WxH    the plot's size in pixels (default 800x600)\n"
        "  --title TEXT       the plot's title\n"
        "  -q, --quiet        no progress line\n"
        "\n"
        "Exit status: 0 when the sweep ran (failed points are rows with\n"
        "their status), 64 bad command line, 130 interrupted (the rows\n"
        "done so far are written).  docs/sweeps.md has worked examples.\n",
        f);
}

/* An option of the sweep's own: its name, and whether it takes a value. */
static const struct { const char *name; bool value; } sweep_opts[] = {
    {"vary", true}, {"csv", true}, {"json", true}, {"jobs", true},
    {"shard", true}, {"merge", false}, {"mpi", false}, {"plot", true},
    {"x", true}, {"y", true}, {"by", true}, {"plot-size", true},
    {"title", true}, {"quiet", false}, {"help", false},
};

/* Run options a sweep's points cannot take. */
static const char *const refused[] = {
    "gui", "paused", "snapshot", "gui-size", "gui-keys", "gui-screenshot",
    "gui-exit", "speed", "start-at", "stats", "stats-csv", "trace",
    "trace-from", "trace-to", "trace-max-events", "trace-png", "list-keys",
    "host-threads", "quantum", NULL};

/* The directory a file goes into can be written (before the sweep runs,
 * not after). */
static bool writable(const char *opt, const char *path, char *err,
                     size_t errlen)
{
    if (!path)
        return true;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
        access(dir, W_OK) != 0) {
        snprintf(err, errlen, "%s %.300s: cannot write in %.300s", opt, path,
                 dir);
        return false;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s %.300s: a directory", opt, path);
        return false;
    }
    return true;
}

static bool check_outputs(const SimSweep *s, char *err, size_t errlen)
{
    if (s->po.out) {
        size_t l = strlen(s->po.out);
        if (l < 5 || (strcasecmp(s->po.out + l - 4, ".png") &&
                      strcasecmp(s->po.out + l - 4, ".svg"))) {
            snprintf(err, errlen, "--plot %s: FILE.png or FILE.svg",
                     s->po.out);
            return false;
        }
    }
    return writable("--csv", s->csv, err, errlen) &&
           writable("--json", s->json, err, errlen) &&
           writable("--plot", s->po.out, err, errlen);
}

/* --x, --y (or its A/B) and --by name columns the CSV will have: the
 * same lookup as the plot's, in the sweep's header. */
static bool check_plot_columns(const SimSweep *s, char *err, size_t errlen)
{
    char **names = calloc(s->ncols + (size_t)s->nvary + 2, sizeof *names);
    if (!names) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    size_t n = 0;
    names[n++] = "point";
    for (int k = 0; k < s->nvary; k++)
        names[n++] = (char *)s->vary[k].name;
    for (size_t c = 0; c < s->ncols; c++)
        if (s->keep[c])
            names[n++] = s->cols[c];
    names[n++] = "message";
    SimPlotColumns pc;
    char missing[256];
    bool ok = sim_plot_columns(names, n, &s->po, &pc, missing,
                               sizeof missing);
    free(names);
    if (!ok)
        snprintf(err, errlen, "the sweep's CSV will have no column '%s' "
                 "(parsim stats-fields lists the statistics; the varied "
                 "keys are columns too)", missing);
    return ok;
}

static void sweep_free(SimSweep *s)
{
    for (int k = 0; k < s->nvary; k++)
        sim_sweep_vary_free(&s->vary[k]);
    for (int i = 0; i < s->nrun_opts; i++)
        free(s->run_opts[i]);
    free(s->run_opts);
    free(s->cols);
    free(s->keep);
    free(s->head);
}

/* The run options' own check, before any point runs: --set keys and
 * values, and the machine file. */
static bool check_run_opts(const SimSweep *s, char *err, size_t errlen)
{
    /* The run options that are one configuration key each. */
    static const struct { const char *opt, *key; } keyed[] = {
        {"--cores=", "machine.cores"},
        {"--threads-per-core=", "machine.threads_per_core"},
        {"--ranks=", "mp.ranks"},
        {"--max-cycles=", "run.max_cycles"},
        {"--ram-size=", "machine.ram_size"},
        {"--host-fs=", "run.host_fs"},
    };
    SimConfig c;
    sim_config_defaults(&c);
    for (int i = 0; i < s->nrun_opts; i++) {
        const char *o = s->run_opts[i];
        const char *val = strchr(o, '=');
        char why[400];
        for (size_t k = 0; k < sizeof keyed / sizeof keyed[0]; k++) {
            size_t ol = strlen(keyed[k].opt);
            if (strncmp(o, keyed[k].opt, ol))
                continue;
            if (!sim_config_set(&c, keyed[k].key, o + ol, why, sizeof why)) {
                snprintf(err, errlen, "%.*s: %s", (int)ol - 1, o, why);
                return false;
            }
            struct stat st;
            if (!strcmp(keyed[k].key, "run.host_fs") && strcmp(o + ol, "none")
                && strcmp(o + ol, "all") && o[ol] &&
                (stat(o + ol, &st) != 0 || !S_ISDIR(st.st_mode))) {
                snprintf(err, errlen, "--host-fs: %s is not a directory",
                         o + ol);
                return false;
            }
        }
        if (!strncmp(o, "--set=", 6)) {
            char key[128];
            const char *eq = strchr(o + 6, '=');
            size_t kl = eq ? (size_t)(eq - o - 6) : 0;
            if (!eq || kl >= sizeof key) {
                snprintf(err, errlen, "--set '%s': KEY=VALUE expected",
                         o + 6);
                return false;
            }
            memcpy(key, o + 6, kl);
            key[kl] = '\0';
            if (parallel_key(key)) {
                snprintf(err, errlen, "--set %s: a sweep's points run in "
                         "deterministic mode (several at once: --jobs)",
                         key);
                return false;
            }
            if (!sim_config_set(&c, key, eq + 1, why, sizeof why)) {
                snprintf(err, errlen, "--set: %s", why);
                return false;
            }
        } else if (!strncmp(o, "--machine=", 10) && val) {
            if (!sim_config_load(&c, val + 1, why, sizeof why)) {
                snprintf(err, errlen, "--machine: %s", why);
                return false;
            }
            if (c.mode != SIM_MODE_DETERMINISTIC || c.host_threads > 1) {
                snprintf(err, errlen, "--machine %s: the machine file asks "
                         "for parallel mode; a sweep's points run in "
                         "deterministic mode (several at once: --jobs)",
                         val + 1);
                return false;
            }
        }
    }
    return true;
}

/* The run's columns (the CSV header of every point), minus the varied
 * keys' (which come first). */
static bool set_columns(SimSweep *s)
{
    size_t len = 0;
    FILE *f = open_memstream(&s->head, &len);
    if (!f)
        return false;
    sim_stats_csv_header(f);
    fclose(f);
    s->head[strcspn(s->head, "\n")] = '\0';
    s->ncols = sim_csv_split(s->head, NULL, 0);
    s->cols = calloc(s->ncols, sizeof *s->cols);
    s->keep = calloc(s->ncols, sizeof *s->keep);
    if (!s->cols || !s->keep)
        return false;
    (void)sim_csv_split(s->head, s->cols, s->ncols);
    for (size_t c = 0; c < s->ncols; c++) {
        s->keep[c] = true;
        for (int k = 0; k < s->nvary; k++)
            if (s->vary[k].key && !strcmp(s->vary[k].key, s->cols[c]))
                s->keep[c] = false;
    }
    return true;
}

/* The parsim that runs the points: the one next to this program. */
static bool find_exe(SimSweep *s)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return false;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return false;
    *slash = '\0';
    snprintf(s->exe, sizeof s->exe, "%.*s/parsim", PATH_MAX - 8, self);
    return access(s->exe, X_OK) == 0;
}

static bool push_opt(SimSweep *s, const char *name, const char *value)
{
    char **n = realloc(s->run_opts, ((size_t)s->nrun_opts + 1) * sizeof *n);
    if (!n)
        return false;
    s->run_opts = n;
    size_t len = strlen(name) + (value ? strlen(value) : 0) + 4;
    char *o = malloc(len);
    if (!o)
        return false;
    if (value)
        snprintf(o, len, "--%s=%s", name, value);
    else
        snprintf(o, len, "%s%s", name[1] ? "--" : "-", name);
    s->run_opts[s->nrun_opts++] = o;
    return true;
}

/* Hand the sweep to parsim-sweep-mpi (next to parsim), which links Open
 * MPI: the same command line, run options' values joined to them. */
static int exec_mpi(const SimSweep *s, int argc, char **argv)
{
    char mpi[PATH_MAX + 32];
    snprintf(mpi, sizeof mpi, "%.*s-sweep-mpi", PATH_MAX, s->exe);
    if (access(mpi, X_OK) != 0) {
        fprintf(stderr, "parsim: sweep --mpi: %s is missing: this parsim "
                "was built without Open MPI (install libopenmpi-dev and run "
                "make)\n", mpi);
        return EXIT_USAGE;
    }
    char **v = calloc((size_t)argc + (size_t)s->nrun_opts + 5, sizeof *v);
    if (!v)
        return EXIT_USAGE;
    int n = 0;
    v[n++] = mpi;
    v[n++] = "sweep";
    /* The sweep's own options as they were, the run options joined. */
    for (int i = 1; i < argc && argv[i] != s->program; i++) {
        const char *a = argv[i];
        if (a[0] != '-')
            continue;       /* a value: kept with its option below */
        const char *name = a + (a[1] == '-' ? 2 : 1);
        size_t nl = strcspn(name, "=");
        bool own = false, value = false;
        for (size_t j = 0; j < sizeof sweep_opts / sizeof sweep_opts[0];
             j++)
            if (strlen(sweep_opts[j].name) == nl &&
                !strncmp(sweep_opts[j].name, name, nl)) {
                own = true;
                value = sweep_opts[j].value;
            }
        if (!own)
            continue;
        v[n++] = argv[i];
        if (value && !name[nl] && i + 1 < argc)
            v[n++] = argv[++i];
    }
    if (s->quiet)
        v[n++] = "--quiet";
    for (int i = 0; i < s->nrun_opts; i++)
        v[n++] = s->run_opts[i];
    v[n++] = "--";
    v[n++] = (char *)s->program;
    for (int i = 0; i < s->nargs; i++)
        v[n++] = s->args[i];
    v[n] = NULL;
    execv(mpi, v);
    fprintf(stderr, "parsim: sweep --mpi: cannot run %s: %s\n", mpi,
            strerror(errno));
    free(v);
    return EXIT_USAGE;
}

int sim_sweep_main(int argc, char **argv, int (*run_option)(const char *),
                   const SimSweepDealer *dealer)
{
    static SimSweep sw;
    SimSweep *s = &sw;
    memset(s, 0, sizeof *s);
    char err[1024];
    bool merging = false;
    char **merge_files = calloc((size_t)argc + 1, sizeof *merge_files);
    int nmerge = 0, status = EXIT_USAGE, i;
    /* The cores this process may run on (taskset, cgroups, SLURM), not
     * every core of the host. */
    cpu_set_t cpus;
    long ncpu = sched_getaffinity(0, sizeof cpus, &cpus) == 0
              ? CPU_COUNT(&cpus) : sysconf(_SC_NPROCESSORS_ONLN);
    s->jobs = ncpu > 0 ? (unsigned)ncpu : 1;
    s->shard_n = 1;
    if (!merge_files)
        return EXIT_USAGE;
    for (i = 1; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || !a[1]) {
            if (merging) {
                merge_files[nmerge++] = a;
                continue;
            }
            break;                  /* the program */
        }
        const char *name = a + (a[1] == '-' ? 2 : 1);
        char key[64];
        size_t nl = strcspn(name, "=");
        if (nl >= sizeof key)
            nl = sizeof key - 1;
        memcpy(key, name, nl);
        key[nl] = '\0';
        const char *val = name[nl] == '=' ? name + nl + 1 : NULL;
        if (!strcmp(key, "q"))
            strcpy(key, "quiet");
        if (!strcmp(key, "h"))
            strcpy(key, "help");
        int own = -1;
        for (size_t j = 0; j < sizeof sweep_opts / sizeof sweep_opts[0];
             j++)
            if (!strcmp(sweep_opts[j].name, key))
                own = (int)j;
        if (own >= 0) {
            if (sweep_opts[own].value && !val) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "parsim: sweep: --%s needs a value\n",
                            key);
                    goto out;
                }
                val = argv[++i];
            } else if (!sweep_opts[own].value && val) {
                fprintf(stderr, "parsim: sweep: --%s takes no value\n", key);
                goto out;
            }
            if (strcmp(key, "merge") && strcmp(key, "csv") &&
                strcmp(key, "quiet"))
                s->other_set = true;
            if (!strcmp(key, "help")) {
                usage(stdout);
                status = 0;
                goto out;
            } else if (!strcmp(key, "vary")) {
                if (s->nvary == MAX_VARY) {
                    fprintf(stderr, "parsim: sweep: more than %d --vary "
                            "options\n", MAX_VARY);
                    goto out;
                }
                if (!sim_sweep_parse_vary(val, &s->vary[s->nvary], err,
                                          sizeof err)) {
                    fprintf(stderr, "parsim: sweep: %s\n", err);
                    goto out;
                }
                for (int k = 0; k < s->nvary; k++)
                    if (!strcmp(s->vary[k].name, s->vary[s->nvary].name) ||
                        (s->vary[k].key && s->vary[s->nvary].key &&
                         !strcmp(s->vary[k].key, s->vary[s->nvary].key))) {
                        fprintf(stderr, "parsim: sweep: --vary %s: given "
                                "twice\n", s->vary[s->nvary].name);
                        sim_sweep_vary_free(&s->vary[s->nvary]);
                        goto out;
                    }
                s->nvary++;
            } else if (!strcmp(key, "csv")) {
                s->csv = val;
            } else if (!strcmp(key, "json")) {
                s->json = val;
            } else if (!strcmp(key, "jobs")) {
                uint64_t j;
                if (!sim_parse_count(val, &j) || j == 0 || j > 1024) {
                    fprintf(stderr, "parsim: sweep: --jobs: bad value '%s' "
                            "(1 to 1024)\n", val);
                    goto out;
                }
                s->jobs = (unsigned)j;
                s->jobs_set = true;
            } else if (!strcmp(key, "shard")) {
                if (!sim_sweep_parse_shard(val, &s->shard_i, &s->shard_n)) {
                    fprintf(stderr, "parsim: sweep: --shard: bad value "
                            "'%s' (I/N with 0 <= I < N, e.g. 0/4)\n", val);
                    goto out;
                }
            } else if (!strcmp(key, "merge")) {
                merging = true;
            } else if (!strcmp(key, "mpi")) {
                s->mpi = true;
            } else if (!strcmp(key, "plot")) {
                s->po.out = val;
            } else if (!strcmp(key, "x")) {
                s->po.x = val;
            } else if (!strcmp(key, "y")) {
                s->po.y = val;
            } else if (!strcmp(key, "by")) {
                s->po.by = val;
            } else if (!strcmp(key, "plot-size")) {
                s->look_set = true;
                if (!sim_plot_parse_size(val, &s->po.width,
                                         &s->po.height)) {
                    fprintf(stderr, "parsim: sweep: --plot-size: bad value "
                            "'%s' (WIDTHxHEIGHT, e.g. 800x600)\n", val);
                    goto out;
                }
            } else if (!strcmp(key, "title")) {
                s->po.title = val;
                s->look_set = true;
            } else if (!strcmp(key, "quiet")) {
                s->quiet = true;
            }
            continue;
        }
        /* A run option, with its value joined to it. */
        s->other_set = true;
        int arity = run_option(key);
        if (arity < 0 || !strcmp(key, "help")) {
            fprintf(stderr, "parsim: sweep: unknown option '%s' (parsim "
                    "sweep --help, parsim run --help)\n", a);
            goto out;
        }
        for (int r = 0; refused[r]; r++)
            if (!strcmp(key, refused[r])) {
                fprintf(stderr, "parsim: sweep: --%s is not for a sweep's "
                        "points (%s)\n", key,
                        !strcmp(key, "host-threads") ||
                        !strcmp(key, "quantum")
                        ? "each runs in deterministic mode, several at "
                          "once: --jobs"
                        : !strncmp(key, "stats", 5)
                        ? "the sweep writes --csv and --json"
                        : "they run without a window or a trace");
                goto out;
            }
        if (arity > 0 && !val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "parsim: sweep: %s needs a value\n", a);
                goto out;
            }
            val = argv[++i];
        }
        if (!push_opt(s, key, arity > 0 || val ? val : NULL))
            goto out;
    }

    if (merging) {
        if (s->other_set) {
            fprintf(stderr, "parsim: sweep --merge: takes only the shards' "
                    "files, --csv and -q\n");
            goto out;
        }
        if (nmerge == 0 || i < argc) {
            fprintf(stderr, "parsim: sweep --merge: give the shards' CSV "
                    "files (parsim sweep --merge part*.csv --csv all.csv)"
                    "\n");
            goto out;
        }
        status = merge(merge_files, nmerge, s->csv);
        goto out;
    }
    if (i >= argc) {
        fprintf(stderr, "parsim: sweep: no program (parsim sweep --vary "
                "cores=1,2,4 PROGRAM.elf)\n");
        goto out;
    }
    s->program = argv[i++];
    s->args = argv + i;
    s->nargs = argc - i;
    if (s->nvary == 0) {
        fprintf(stderr, "parsim: sweep: nothing to vary (--vary KEY=V1,V2,"
                "...)\n");
        goto out;
    }
    for (int k = 0; k < s->nvary; k++)
        if (!s->vary[k].key && s->vary[k].arg > s->nargs) {
            fprintf(stderr, "parsim: sweep: --vary %s: the command line "
                    "gives the program %d argument%s: put a placeholder "
                    "for each up to arg%d after %s\n", s->vary[k].name,
                    s->nargs, s->nargs == 1 ? "" : "s", s->vary[k].arg,
                    s->program);
            goto out;
        }
    if (s->po.out && (!s->po.x || !s->po.y)) {
        fprintf(stderr, "parsim: sweep: --plot needs --x KEY and --y STAT\n");
        goto out;
    }
    if (!s->po.out && (s->po.x || s->po.y || s->po.by || s->look_set)) {
        fprintf(stderr, "parsim: sweep: --x, --y, --by, --plot-size and "
                "--title are for --plot FILE.png\n");
        goto out;
    }
    if (s->mpi && s->jobs_set) {
        fprintf(stderr, "parsim: sweep: --jobs is for a sweep on this "
                "machine; under --mpi each rank runs one point at a time "
                "(mpirun -n sets how many)\n");
        goto out;
    }
    if (!check_run_opts(s, err, sizeof err) || !check_outputs(s, err,
                                                              sizeof err)) {
        fprintf(stderr, "parsim: sweep: %s\n", err);
        goto out;
    }
    struct stat pst;
    const char *unreadable = stat(s->program, &pst) != 0 ? strerror(errno)
                           : !S_ISREG(pst.st_mode) ? "not a file"
                           : access(s->program, R_OK) != 0 ? strerror(errno)
                           : NULL;
    if (unreadable) {
        fprintf(stderr, "parsim: sweep: cannot read %s: %s\n", s->program,
                unreadable);
        status = 66;
        goto out;
    }
    s->npoints = 1;
    for (int k = 0; k < s->nvary; k++) {
        s->npoints *= s->vary[k].nvalues;
        if (s->npoints > MAX_POINTS) {
            fprintf(stderr, "parsim: sweep: more than %d points\n",
                    MAX_POINTS);
            goto out;
        }
    }
    if (!set_columns(s)) {
        fprintf(stderr, "parsim: sweep: out of memory\n");
        goto out;
    }
    if (s->po.out && !check_plot_columns(s, err, sizeof err)) {
        fprintf(stderr, "parsim: sweep: --plot: %s\n", err);
        goto out;
    }
    /* From here a rank's trouble is every rank's: under MPI they agree
     * before any point is dealt, so that none waits for ever. */
    bool ready = find_exe(s);
    if (!ready)
        fprintf(stderr, "parsim: sweep: cannot find the parsim program "
                "next to this one (%s)\n", s->exe);
    if (ready && s->mpi && !dealer) {
        status = exec_mpi(s, argc, argv);
        goto out;
    }
    if (ready && s->shard_i >= s->npoints && !s->quiet)
        fprintf(stderr, "parsim: sweep: warning: shard %u/%u has no points "
                "(the grid has %zu): its file is the header alone\n",
                s->shard_i, s->shard_n, s->npoints);
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/parsim-sweep-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (ready && !mkdtemp(s->dir)) {
        fprintf(stderr, "parsim: sweep: cannot make a scratch directory "
                "%s: %s\n", s->dir, strerror(errno));
        ready = false;
    }
    bool made = ready;
    if (dealer && dealer->agree)
        ready = dealer->agree(ready, dealer->ctx);
    if (!ready) {
        if (made)
            rmdir(s->dir);
        goto out;
    }

    /* This shard's points. */
    size_t n = 0;
    size_t *pts = malloc(s->npoints * sizeof *pts);
    SimSweepOut *outs = calloc(s->npoints, sizeof *outs);
    if (!pts || !outs) {
        free(pts);
        free(outs);
        rmdir(s->dir);
        goto out;
    }
    for (size_t p = s->shard_i; p < s->npoints; p += s->shard_n)
        pts[n++] = p;

    /* Ctrl-C, SIGTERM, SIGHUP: the rows done are still written.  A closed
     * stdout is a write error, not a silent death. */
    struct sigaction sa, ign, old_int, old_term, old_hup, old_pipe;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    ign = sa;
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    sigaction(SIGPIPE, &ign, &old_pipe);
    int rc = dealer ? dealer->run(s, pts, n, outs, dealer->ctx)
                    : run_local(s, pts, n, outs);
    if (rc == 0) {
        /* Without a row (interrupted before it ran), a point is left out. */
        size_t w = 0, failed = 0;
        for (size_t k = 0; k < n; k++) {
            if (!outs[k].line)
                continue;
            failed += outs[k].status != 0;
            pts[w] = pts[k];
            if (w != k) {
                outs[w] = outs[k];
                outs[k] = (SimSweepOut){0, NULL, NULL};
            }
            w++;
        }
        status = 0;
        char csvtmp[PATH_MAX + 16];
        snprintf(csvtmp, sizeof csvtmp, "%.4000s/all.csv", s->dir);
        if (!write_csv(s, s->csv, pts, outs, w, err, sizeof err) ||
            (s->json && !write_json(s, pts, outs, w, err, sizeof err))) {
            fprintf(stderr, "parsim: sweep: %s\n", err);
            status = EXIT_USAGE;
        }
        if (!status && s->po.out) {
            if (!write_csv(s, csvtmp, pts, outs, w, err, sizeof err) ||
                sim_plot_csv(csvtmp, &s->po, err, sizeof err) != 0) {
                fprintf(stderr, "parsim: sweep: --plot: %s\n", err);
                status = EXIT_USAGE;
            }
            unlink(csvtmp);
        }
        if (interrupted) {
            fprintf(stderr, "parsim: sweep: interrupted after %zu of %zu "
                    "points; their rows are written\n", w, n);
            status = 128 + interrupted;
        } else if (!status && !s->quiet) {
            fprintf(stderr, "parsim: sweep: %zu point%s, %zu failed%s%s\n",
                    w, w == 1 ? "" : "s", failed, s->csv ? ": " : "",
                    s->csv ? s->csv : "");
        }
    } else {
        status = rc > 0 ? 0 : EXIT_USAGE;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    for (size_t k = 0; k < s->npoints; k++) {
        free(outs[k].line);
        free(outs[k].json);
    }
    free(outs);
    free(pts);
    rmdir(s->dir);
out:
    free(merge_files);
    sweep_free(s);
    return status;
}
