/* check_diff.c — differential end-to-end test: every guest program in
 * tests/programs runs under `parsim run` and under qemu-system-riscv32
 * (the reference), and the two must agree byte for byte on stdout and on
 * the exit status.
 *
 * The programs are a fixed table (not a directory scan) so that a missing
 * ELF fails instead of silently shrinking the test.  The ELFs come from
 * $PARSIM_BUILD/tests/programs (PARSIM_BUILD defaults to "build"), the
 * emulator is $PARSIM_BUILD/parsim.  Only stdout is compared: parsim
 * prints its own summary on stderr, and QEMU's semihosting console merges
 * the guest's stderr into its stdout, so the test programs write to
 * stdout only.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define QEMU "qemu-system-riscv32"
#ifndef RUN_TIMEOUT_S
#define RUN_TIMEOUT_S 20         /* per run: a hang fails, never blocks */
#endif
#define MAX_OUTPUT (16u << 20)   /* a runaway printer fails, not OOMs */
#define MAX_ARGS 8
#define MAX_ARGV 48

/* One differential case: a program from tests/programs and its arguments
 * (at most MAX_ARGS, NULL-terminated).  Arguments hold no spaces, no
 * empty strings: the semihosting command line is one space-separated
 * string, which picolibc splits on spaces. */
struct diff_case {
    const char *prog;
    const char *args[MAX_ARGS + 1];
};

static const struct diff_case cases[] = {
    {"argv", {NULL}},
    {"argv", {"one", "two", "--three=3", "-x", "comma,arg", NULL}},
    {"atomics", {NULL}},
    {"exit_status", {NULL}},
    {"exit_status", {"ret", "0", NULL}},
    {"exit_status", {"exit", "42", NULL}},
    {"exit_status", {"_exit", "255", NULL}},
    {"float_ops", {NULL}},
    {"fp_kernels", {NULL}},
    {"int64", {NULL}},
    {"int_edge", {NULL}},
    {"libm", {NULL}},
    {"malloc_churn", {NULL}},
    {"printf_fmt", {NULL}},
    {"qsort", {NULL}},
    {"recursion", {NULL}},
    /* parsim_roi_begin/end are nothing under QEMU: the same output. */
    {"roi_loads", {"257", NULL}},
    {"setjmp", {NULL}},
    {"soft_double", {NULL}},
    {"strings", {NULL}},
    {"switch_table", {NULL}},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

/* What one run produced. */
struct run_result {
    char *out;        /* stdout, NUL-terminated for printing */
    size_t out_len;
    char *err;        /* stderr, kept for the failure message */
    size_t err_len;
    int status;       /* exit status, or 128 + signal */
    bool signaled;
    bool timed_out;
    bool too_big;
    char spawn_error[128]; /* non-empty if the program never ran */
};

static void result_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

static const char *build_dir(void)
{
    const char *b = getenv("PARSIM_BUILD");
    return b && *b ? b : "build";
}

/* True if NAME is an executable file on $PATH (what posix_spawnp will
 * find), so a missing QEMU is reported as such, not as a spawn error. */
static bool on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    char dir[4096];
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n < sizeof dir - strlen(name) - 2) {
            memcpy(dir, n ? path : ".", n ? n : 1);
            size_t len = n ? n : 1;
            dir[len] = '/';
            strcpy(dir + len + 1, name);
            if (access(dir, X_OK) == 0)
                return true;
        }
        path += n;
        if (*path == ':')
            path++;
    }
    return false;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Appends what is readable on FD to *BUF; returns false at EOF/error. */
static bool drain(int fd, char **buf, size_t *len, size_t *cap, bool *too_big)
{
    char chunk[8192];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    if (*len + (size_t)n + 1 > MAX_OUTPUT) {
        *too_big = true;
        return false;
    }
    if (*len + (size_t)n + 1 > *cap) {
        size_t ncap = *cap ? *cap : 16384;
        while (ncap < *len + (size_t)n + 1)
            ncap *= 2;
        char *p = realloc(*buf, ncap);
        ck_assert_msg(p != NULL, "out of memory capturing output");
        *buf = p;
        *cap = ncap;
    }
    memcpy(*buf + *len, chunk, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return true;
}

/* Runs ARGV (argv[0] looked up on $PATH when SEARCH) with stdin from
 * /dev/null, capturing stdout and stderr, killing it after the timeout. */
static void run_capture(char *const argv[], bool search, struct run_result *r)
{
    memset(r, 0, sizeof *r);
    int out_pipe[2], err_pipe[2];
    ck_assert_msg(pipe(out_pipe) == 0 && pipe(err_pipe) == 0, "pipe: %s",
                  strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&fa, out_pipe[0]);
    posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
    posix_spawn_file_actions_addclose(&fa, out_pipe[1]);
    posix_spawn_file_actions_addclose(&fa, err_pipe[1]);
    /* Its own process group, so a timeout kills whatever it started. */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid;
    int rc = search ? posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ)
                    : posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        snprintf(r->spawn_error, sizeof r->spawn_error, "cannot run %s: %s",
                 argv[0], strerror(rc));
        close(out_pipe[0]);
        close(err_pipe[0]);
        return;
    }
    size_t out_cap = 0, err_cap = 0;
    struct pollfd pfd[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    double deadline = now_s() + RUN_TIMEOUT_S;
    while (open_fds > 0) {
        double left = deadline - now_s();
        if (left <= 0) {
            r->timed_out = true;
            break;
        }
        int n = poll(pfd, 2, (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR)
            continue;
        ck_assert_msg(n >= 0, "poll: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            bool more = i == 0
                ? drain(pfd[i].fd, &r->out, &r->out_len, &out_cap, &r->too_big)
                : drain(pfd[i].fd, &r->err, &r->err_len, &err_cap, &r->too_big);
            if (!more) {
                close(pfd[i].fd);
                pfd[i].fd = -1;
                open_fds--;
            }
        }
        if (r->too_big)
            break;
    }
    if (r->timed_out || r->too_big)
        kill(-pid, SIGKILL);
    for (int i = 0; i < 2; i++)
        if (pfd[i].fd >= 0)
            close(pfd[i].fd);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(ws)) {
        r->status = WEXITSTATUS(ws);
    } else if (WIFSIGNALED(ws)) {
        r->signaled = true;
        r->status = 128 + WTERMSIG(ws);
    }
    if (!r->out) {
        r->out = calloc(1, 1);
        ck_assert_msg(r->out != NULL, "out of memory");
    }
}

/* QEMU's -semihosting-config takes a comma-separated option list, so a
 * comma inside an argument is written doubled. */
static char *qemu_semihosting_config(const char *elf, const char *const *args)
{
    size_t cap = 64 + 2 * strlen(elf);
    for (int i = 0; args[i]; i++)
        cap += 8 + 2 * strlen(args[i]);
    char *s = malloc(cap);
    ck_assert_msg(s != NULL, "out of memory");
    char *p = s + sprintf(s, "enable=on,chardev=guest");
    for (int i = -1; i < 0 || args[i]; i++) {
        const char *a = i < 0 ? elf : args[i];
        p += sprintf(p, ",arg=");
        for (; *a; a++) {
            *p++ = *a;
            if (*a == ',')
                *p++ = ',';
        }
    }
    *p = '\0';
    return s;
}

/* The line (1-based) and offset where A and B first differ. */
static void first_difference(const char *a, size_t alen, const char *b,
                             size_t blen, size_t *line, size_t *off)
{
    size_t i = 0, ln = 1, start = 0;
    while (i < alen && i < blen && a[i] == b[i]) {
        if (a[i] == '\n') {
            ln++;
            start = i + 1;
        }
        i++;
    }
    *line = ln;
    *off = start;
}

/* Copies the line at OFF into DST, printable and cut to fit. */
static void excerpt(const char *s, size_t len, size_t off, char *dst,
                    size_t cap)
{
    size_t j = 0;
    if (off >= len) {
        snprintf(dst, cap, "<end of output>");
        return;
    }
    for (size_t i = off; i < len && s[i] != '\n' && j + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            dst[j++] = (char)c;
        } else {
            j += (size_t)snprintf(dst + j, cap - j, "\\x%02x", c);
        }
    }
    dst[j] = '\0';
}

/* The first non-empty line of S, for "why did it fail" context: parsim
 * says how the run ended (or what went wrong) before its statistics. */
static void first_line(const char *s, size_t len, char *dst, size_t cap)
{
    size_t start = 0;
    while (start < len && (s[start] == '\n' || s[start] == '\r'))
        start++;
    excerpt(s ? s : "", len, start, dst, cap);
}

static const char *how_ended(const struct run_result *r, char *buf,
                             size_t cap)
{
    if (r->timed_out)
        snprintf(buf, cap, "timed out after %d s", RUN_TIMEOUT_S);
    else if (r->too_big)
        snprintf(buf, cap, "printed more than %u bytes", MAX_OUTPUT);
    else if (r->signaled)
        snprintf(buf, cap, "killed by signal %d", r->status - 128);
    else
        snprintf(buf, cap, "exit status %d", r->status);
    return buf;
}

START_TEST(test_diff)
{
    const struct diff_case *c = &cases[_i];
    char label[256];
    int lp = snprintf(label, sizeof label, "%s", c->prog);
    for (int i = 0; c->args[i] && lp < (int)sizeof label; i++)
        lp += snprintf(label + lp, sizeof label - (size_t)lp, " %s",
                       c->args[i]);

    ck_assert_msg(on_path(QEMU),
                  "[%s] %s not found on PATH: the differential test needs "
                  "it as the reference (make deps installs qemu-system-misc)",
                  label, QEMU);
    char elf[1024], parsim[1024];
    snprintf(elf, sizeof elf, "%s/tests/programs/%s.elf", build_dir(),
             c->prog);
    snprintf(parsim, sizeof parsim, "%s/parsim", build_dir());
    ck_assert_msg(access(elf, R_OK) == 0,
                  "[%s] missing guest program %s (make builds it)", label,
                  elf);
    ck_assert_msg(access(parsim, X_OK) == 0,
                  "[%s] missing emulator %s (make builds it)", label, parsim);

    /* parsim: argv[0] of the guest command line is the ELF path exactly
     * as given here; QEMU gets the same string as its first arg=. */
    char *pargv[MAX_ARGV];
    int n = 0;
    pargv[n++] = parsim;
    pargv[n++] = (char *)"run";
    pargv[n++] = elf;
    for (int i = 0; c->args[i]; i++)
        pargv[n++] = (char *)c->args[i];
    pargv[n] = NULL;

    /* A chardev on stdio carries the semihosting console alone; with
     * -nographic it would share QEMU's stdout with the monitor. */
    char *shcfg = qemu_semihosting_config(elf, c->args);
    char *qargv[] = {
        (char *)QEMU, (char *)"-machine", (char *)"virt", (char *)"-bios",
        (char *)"none", (char *)"-display", (char *)"none", (char *)"-monitor",
        (char *)"none", (char *)"-serial", (char *)"none", (char *)"-chardev",
        (char *)"stdio,id=guest,signal=off", (char *)"-semihosting-config",
        shcfg, (char *)"-kernel", elf, NULL,
    };

    struct run_result ref, got;
    run_capture(qargv, true, &ref);
    free(shcfg);
    ck_assert_msg(ref.spawn_error[0] == '\0', "[%s] %s", label,
                  ref.spawn_error);
    char why[128], tail[256];
    first_line(ref.err, ref.err_len, tail, sizeof tail);
    ck_assert_msg(!ref.timed_out && !ref.too_big && !ref.signaled,
                  "[%s] the QEMU reference run failed: %s (stderr: %s)",
                  label, how_ended(&ref, why, sizeof why), tail);

    run_capture(pargv, false, &got);
    ck_assert_msg(got.spawn_error[0] == '\0', "[%s] %s", label,
                  got.spawn_error);
    first_line(got.err, got.err_len, tail, sizeof tail);

    if (got.out_len != ref.out_len ||
        memcmp(got.out, ref.out, ref.out_len) != 0) {
        size_t line, off;
        first_difference(got.out, got.out_len, ref.out, ref.out_len, &line,
                         &off);
        char gl[160], rl[160];
        excerpt(got.out, got.out_len, off, gl, sizeof gl);
        excerpt(ref.out, ref.out_len, off, rl, sizeof rl);
        char why_ref[128];
        ck_abort_msg("[%s] stdout differs at line %zu (parsim %zu bytes, %s; "
                     "qemu %zu bytes, %s)\n  parsim: %s\n  qemu:   %s\n"
                     "  parsim stderr: %s",
                     label, line, got.out_len, how_ended(&got, why, sizeof why),
                     ref.out_len, how_ended(&ref, why_ref, sizeof why_ref),
                     gl, rl, tail);
    }
    ck_assert_msg(!got.timed_out && !got.too_big && !got.signaled &&
                      got.status == ref.status,
                  "[%s] same stdout, but parsim %s, qemu exit status %d "
                  "(parsim stderr: %s)",
                  label, how_ended(&got, why, sizeof why), ref.status, tail);
    result_free(&ref);
    result_free(&got);
}
END_TEST

Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("parsim_vs_qemu");
    /* Two runs of at most RUN_TIMEOUT_S each, plus QEMU's start-up. */
    tcase_set_timeout(tc, 2 * RUN_TIMEOUT_S + 10);
    tcase_add_loop_test(tc, test_diff, 0, NCASES);
    suite_add_tcase(s, tc);
    return s;
}
