/* testutil.h — helpers shared by the test suites: running a command with
 * captured output and a time limit, and finding build products.
 *
 * May depend on: the C library, Check.
 */
#ifndef PARSIM_TESTUTIL_H
#define PARSIM_TESTUTIL_H

#include <stddef.h>

typedef struct TuResult {
    char *out;        /* stdout, NUL-terminated (owned) */
    char *err;        /* stderr, NUL-terminated (owned) */
    size_t out_len, err_len;
    int status;       /* exit status, or 128+signal, or -1 on timeout */
} TuResult;

/* Run argv (argv[0] searched in PATH) with `input` on stdin (NULL: empty),
 * killing it after timeout_s seconds.  Returns 0, or -1 if it could not be
 * started. */
int tu_run(char *const argv[], const char *input, int timeout_s,
           TuResult *r);
void tu_free(TuResult *r);

/* $PARSIM_BUILD (default "build") joined with rel, in a static buffer. */
const char *tu_build_path(const char *rel);

/* Run the built parsim with args (NULL-terminated, without "parsim"). */
int tu_parsim(char *const args[], const char *input, int timeout_s,
              TuResult *r);

/* tu_build_path(rel) in one of 8 rotating buffers, so that several can be
 * used in one argument list. */
const char *tu_build_file(const char *rel);

/* tu_build_file(rel), failing the current Check test when the file is
 * missing (make builds every program the tests use). */
const char *tu_built(const char *rel);

#endif
