/* fuzz.h — what the libFuzzer targets of tests/fuzz/ share: a file made
 * of the input (a memfd, so nothing is written to disk), a scratch
 * directory of the run's own, streams that read from the input or
 * discard what is written to them, a reader that takes numbers off the input, and a check that stops
 * the run with a message when an invariant breaks.
 *
 * Built only by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined,
 * into build-fuzz/); docs/testing.md says how to run a target.
 *
 * May depend on: the C library and Linux (memfd_create).
 */
#ifndef PARSIM_TESTS_FUZZ_H
#define PARSIM_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The input as a regular file: a path that opens it ("/proc/self/fd/N"
 * of a memfd the target reuses; a file in fuzz_tmpdir() when there is no
 * /proc).  Valid until the next call.  Aborts when neither works. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* A directory of this process's own under $TMPDIR (or /tmp), made on the
 * first call and removed with what is in it at exit. */
const char *fuzz_tmpdir(void);

/* Remove everything inside dir (files and directories, never following
 * a symbolic link), so that one input never sees what another left. */
void fuzz_clear_dir(const char *dir);

/* A stream that reads the n bytes at p (which must outlive it), then
 * EOF; like every stream not backed by a file, its fileno is -1. */
FILE *fuzz_reader(const uint8_t *p, size_t n);

/* A stream that accepts every write and keeps nothing. */
FILE *fuzz_discard(void);

/* Consume the input front to back; past its end every read is 0. */
typedef struct FuzzIn {
    const uint8_t *p;
    size_t n;
} FuzzIn;

uint8_t fuzz_u8(FuzzIn *in);
uint16_t fuzz_u16(FuzzIn *in);
uint32_t fuzz_u32(FuzzIn *in);

/* An invariant of the code under test: a message and abort() (which
 * libFuzzer reports as a crash, with the input) when it does not hold. */
#define FUZZ_CHECK(cond, ...)                                              \
    do {                                                                   \
        if (!(cond))                                                       \
            fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);             \
    } while (0)

_Noreturn void fuzz_fail(const char *file, int line, const char *cond,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
