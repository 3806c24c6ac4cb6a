/* fuzz.c — the helpers every fuzz target links (fuzz.h). */
#define _GNU_SOURCE             /* memfd_create, fopencookie */
#include "tests/fuzz/fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sanitizer/common_interface_defs.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void remove_tmpdir(void);

_Noreturn void fuzz_fail(const char *file, int line, const char *cond,
                         const char *fmt, ...)
{
    remove_tmpdir();
    fprintf(stderr, "%s:%d: invariant broken: %s: ", file, line, cond);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* ---- the scratch directory ------------------------------------------------ */

static char tmpdir[4096];

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    if (ftw->level > 0 && remove(path) != 0)
        fprintf(stderr, "fuzz: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

void fuzz_clear_dir(const char *dir)
{
    (void)nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static void remove_tmpdir(void)
{
    if (!tmpdir[0])
        return;
    fuzz_clear_dir(tmpdir);
    (void)rmdir(tmpdir);
    tmpdir[0] = 0;
}

const char *fuzz_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/parsim-fuzz.XXXXXX",
                 t && *t ? t : "/tmp");
        if (!mkdtemp(tmpdir)) {
            fprintf(stderr, "fuzz: cannot make %s: %s\n", tmpdir,
                    strerror(errno));
            abort();
        }
        /* At exit, and when a sanitizer ends the run (a timeout's
         * _Exit still leaves the directory behind). */
        atexit(remove_tmpdir);
        __sanitizer_set_death_callback(remove_tmpdir);
    }
    return tmpdir;
}

/* ---- the input as a file --------------------------------------------------- */

static int memfd = -2;          /* -2: not tried yet, -1: no memfd */
static char file_path[4200];

const char *fuzz_file(const uint8_t *data, size_t size)
{
    if (memfd == -2) {
        memfd = memfd_create("parsim-fuzz-input", MFD_CLOEXEC);
        snprintf(file_path, sizeof file_path, "/proc/self/fd/%d", memfd);
        if (memfd >= 0 && access(file_path, R_OK) != 0) {
            close(memfd);            /* no /proc: a real file instead */
            memfd = -1;
        }
        if (memfd < 0)
            snprintf(file_path, sizeof file_path, "%s/input", fuzz_tmpdir());
    }
    int fd = memfd >= 0 ? memfd
                        : open(file_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || ftruncate(fd, 0) != 0 ||
        (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
        fprintf(stderr, "fuzz: cannot write the input to %s: %s\n", file_path,
                strerror(errno));
        abort();
    }
    if (fd != memfd)
        close(fd);
    return file_path;
}

/* ---- a stream that keeps nothing ------------------------------------------ */

static ssize_t discard_write(void *cookie, const char *buf, size_t size)
{
    (void)cookie;
    (void)buf;
    return (ssize_t)size;
}

FILE *fuzz_discard(void)
{
    static FILE *f;
    if (!f) {
        f = fopencookie(NULL, "w", (cookie_io_functions_t){
                                       .write = discard_write});
        if (!f)
            abort();
    }
    return f;
}

/* ---- a stream over bytes ---------------------------------------------------- */

typedef struct Reader {
    const uint8_t *p;
    size_t n;
} Reader;

static ssize_t reader_read(void *cookie, char *buf, size_t size)
{
    Reader *r = cookie;
    size_t k = size < r->n ? size : r->n;
    memcpy(buf, r->p, k);
    r->p += k;
    r->n -= k;
    return (ssize_t)k;
}

static int reader_close(void *cookie)
{
    free(cookie);
    return 0;
}

FILE *fuzz_reader(const uint8_t *p, size_t n)
{
    Reader *r = malloc(sizeof *r);
    if (!r)
        abort();
    *r = (Reader){p, n};
    FILE *f = fopencookie(r, "r", (cookie_io_functions_t){
                                      .read = reader_read,
                                      .close = reader_close});
    if (!f)
        abort();
    return f;
}

/* ---- reading numbers off the input ---------------------------------------- */

uint8_t fuzz_u8(FuzzIn *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

uint16_t fuzz_u16(FuzzIn *in)
{
    uint16_t lo = fuzz_u8(in);
    return (uint16_t)(lo | fuzz_u8(in) << 8);
}

uint32_t fuzz_u32(FuzzIn *in)
{
    uint32_t lo = fuzz_u16(in);
    return lo | (uint32_t)fuzz_u16(in) << 16;
}
