/* testutil.c — running commands for the end-to-end tests. */
#include "tests/testutil.h"

#include <check.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void append(char **buf, size_t *len, size_t *cap, const char *src,
                   size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = (*cap ? *cap * 2 : 4096);
        while (nc < *len + n + 1)
            nc *= 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            abort();
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, src, n);
    *len += n;
    (*buf)[*len] = 0;
}

int tu_run(char *const argv[], const char *input, int timeout_s,
           TuResult *r)
{
    memset(r, 0, sizeof *r);
    int po[2], pe[2], pi[2];
    if (pipe(po) || pipe(pe) || pipe(pi))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(pi[0], 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(pi[0]); close(pi[1]); close(po[0]); close(po[1]);
        close(pe[0]); close(pe[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pi[0]);
    close(po[1]);
    close(pe[1]);
    if (input) {
        /* Small inputs only: they fit in the pipe buffer. */
        ssize_t w = write(pi[1], input, strlen(input));
        (void)w;
    }
    close(pi[1]);
    size_t ocap = 0, ecap = 0;
    append(&r->out, &r->out_len, &ocap, "", 0);
    append(&r->err, &r->err_len, &ecap, "", 0);
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    time_t deadline = time(NULL) + timeout_s;
    bool timed_out = false;
    while (open_fds > 0) {
        int left = (int)(deadline - time(NULL));
        if (left <= 0) {
            timed_out = true;
            break;
        }
        int n = poll(fds, 2, left * 1000);
        if (n <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            char buf[8192];
            ssize_t k = read(fds[i].fd, buf, sizeof buf);
            if (k <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else if (i == 0) {
                append(&r->out, &r->out_len, &ocap, buf, (size_t)k);
            } else {
                append(&r->err, &r->err_len, &ecap, buf, (size_t)k);
            }
        }
    }
    if (timed_out)
        kill(pid, SIGKILL);
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (timed_out)
        r->status = -1;
    else if (WIFEXITED(st))
        r->status = WEXITSTATUS(st);
    else
        r->status = 128 + WTERMSIG(st);
    return 0;
}

void tu_free(TuResult *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

const char *tu_build_path(const char *rel)
{
    static char buf[4096];
    const char *b = getenv("PARSIM_BUILD");
    snprintf(buf, sizeof buf, "%s/%s", b && *b ? b : "build", rel);
    return buf;
}

const char *tu_build_file(const char *rel)
{
    static char buf[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s", tu_build_path(rel));
    return buf[k];
}

int tu_parsim(char *const args[], const char *input, int timeout_s,
              TuResult *r)
{
    char *argv[64];
    int n = 0;
    argv[n++] = (char *)tu_build_file("parsim");
    for (int i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return tu_run(argv, input, timeout_s, r);
}

const char *tu_built(const char *rel)
{
    const char *path = tu_build_file(rel);
    ck_assert_msg(access(path, R_OK) == 0, "%s is missing (make builds it)",
                  path);
    return path;
}
