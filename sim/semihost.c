/* semihost.c — RISC-V semihosting calls.
 *
 * Follows the Arm "Semihosting for AArch32 and AArch64" v2 document with
 * the RISC-V binding (a0 = operation, a1 = argument or pointer to a block
 * of 32-bit words, result in a0), and behaves as QEMU does wherever the
 * document leaves room, so that a program prints and exits the same on
 * both.  Time is simulated time (the hart's cycle counter at clock_hz), so
 * SYS_CLOCK and SYS_ELAPSED are deterministic; SYS_TIME is the host's
 * calendar time.  Host files are confined by the sandbox below
 * (--host-fs).
 */
#define _GNU_SOURCE             /* O_PATH, openat2's flags */
#include "sim/semihost.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { F_FREE, F_CON_IN, F_CON_OUT, F_CON_ERR, F_HOST, F_FEATURES };

/* ":semihosting-features": magic "SHFB" and one byte of feature bits:
 * bit 0 SYS_EXIT_EXTENDED, bit 1 separate stdout/stderr on ":tt". */
static const uint8_t features[5] = {'S', 'H', 'F', 'B', 0x03};

/* open(2) flags of the twelve modes "r" "rb" "r+" "r+b" "w" "wb" "w+"
 * "w+b" "a" "ab" "a+" "a+b".  Host files are unbuffered file descriptors,
 * as in QEMU: a program that never closes a file (picolibc's fclose does
 * not always reach SYS_CLOSE) still finds what it wrote when it reopens
 * it. */
static const int open_flags[12] = {
    O_RDONLY, O_RDONLY, O_RDWR, O_RDWR,
    O_WRONLY | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_TRUNC,
    O_RDWR | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_TRUNC,
    O_WRONLY | O_CREAT | O_APPEND, O_WRONLY | O_CREAT | O_APPEND,
    O_RDWR | O_CREAT | O_APPEND, O_RDWR | O_CREAT | O_APPEND};

bool sim_semihost_init(SimSemihost *sh, int argc, char **argv)
{
    memset(sh, 0, sizeof *sh);
    sh->fs_root_fd = -1;
    sh->out = stdout;
    sh->err = stderr;
    sh->in = stdin;
    sh->clock_hz = 1000000000;
    size_t len = sim_semihost_cmdline(argc, argv, NULL);
    sh->cmdline = malloc(len + 1);
    if (!sh->cmdline)
        return false;
    (void)sim_semihost_cmdline(argc, argv, sh->cmdline);
    return true;
}

/* An argument as the runtime's start-up code reads it back: as it is,
 * or in double quotes (\" and \\ inside) when it is empty or holds a
 * space, a tab, a quote or a backslash. */
static size_t quote_arg(const char *a, char *w)
{
    bool plain = *a;
    for (const char *p = a; *p && plain; p++)
        plain = *p != ' ' && *p != '\t' && *p != '"' && *p != '\\';
    size_t n = 0;
    if (plain) {
        n = strlen(a);
        if (w)
            memcpy(w, a, n);
        return n;
    }
    if (w)
        w[n] = '"';
    n++;
    for (const char *p = a; *p; p++) {
        if (*p == '"' || *p == '\\') {
            if (w)
                w[n] = '\\';
            n++;
        }
        if (w)
            w[n] = *p;
        n++;
    }
    if (w)
        w[n] = '"';
    return n + 1;
}

size_t sim_semihost_cmdline(int argc, char **argv, char *out)
{
    size_t n = 0;
    for (int i = 0; i < argc; i++) {
        if (i) {
            if (out)
                out[n] = ' ';
            n++;
        }
        n += quote_arg(argv[i], out ? out + n : NULL);
    }
    if (out)
        out[n] = 0;
    return n;
}

#define LINE_MAX_BYTES 4096

bool sim_semihost_harts(SimSemihost *sh, uint32_t n)
{
    sh->line = calloc((size_t)n * 2, sizeof *sh->line);
    if (!sh->line)
        return false;
    sh->nharts = n;
    for (uint32_t i = 0; i < n * 2; i++) {
        sh->line[i].buf = malloc(LINE_MAX_BYTES);
        if (!sh->line[i].buf)
            return false;
    }
    return true;
}

/* Console bytes to the host, less those a replay has shown already. */
static void emit(SimSemihost *sh, int err, const void *buf, size_t n)
{
    uint64_t at = sh->written[err];
    sh->written[err] += n;
    if (at + n <= sh->skip[err])
        return;
    size_t from = at < sh->skip[err] ? (size_t)(sh->skip[err] - at) : 0;
    FILE *f = err ? sh->err : sh->out;
    if (sh->before_output)
        sh->before_output(sh->before_ctx);
    fwrite((const char *)buf + from, 1, n - from, f);
    if (err)
        fflush(f);
}

static void line_flush(SimSemihost *sh, uint32_t hart, int err)
{
    struct SimConsoleLine *l = &sh->line[hart * 2 + (uint32_t)err];
    if (l->len) {
        emit(sh, err, l->buf, l->len);
        l->len = 0;
    }
}

void sim_semihost_flush(SimSemihost *sh)
{
    for (uint32_t i = 0; i < sh->nharts; i++) {
        line_flush(sh, i, 0);
        line_flush(sh, i, 1);
    }
    fflush(sh->out);
    fflush(sh->err);
}

/* Console output of one hart: whole lines go out at once. */
static void console_put(SimSemihost *sh, uint32_t hart, int err,
                        const uint8_t *src, size_t n)
{
    if (hart >= sh->nharts) {
        emit(sh, err, src, n);
        return;
    }
    struct SimConsoleLine *l = &sh->line[hart * 2 + (uint32_t)err];
    for (size_t i = 0; i < n; i++) {
        l->buf[l->len++] = (char)src[i];
        if (src[i] == '\n' || l->len == LINE_MAX_BYTES)
            line_flush(sh, hart, err);
    }
}

void sim_semihost_free(SimSemihost *sh)
{
    if (sh->line) {
        sim_semihost_flush(sh);
        for (uint32_t i = 0; i < sh->nharts * 2; i++)
            free(sh->line[i].buf);
        free(sh->line);
        sh->line = NULL;
    }
    for (int i = 0; i < SH_MAX_FILES; i++)
        if (sh->files[i].kind == F_HOST)
            close(sh->files[i].fd);
    if (sh->fs_root_fd >= 0)
        close(sh->fs_root_fd);
    sh->fs_root_fd = -1;
    free(sh->fs_root);
    sh->fs_root = NULL;
    fflush(sh->out);
    fflush(sh->err);
    free(sh->cmdline);
    sh->cmdline = NULL;
}

/* ---- guest memory helpers ------------------------------------------------ */

static bool arg(const IsaMem *mem, uint32_t block, int i, uint32_t *v)
{
    return isa_mem_read(mem, block + 4u * (uint32_t)i, v, 4);
}

static char *guest_string(const IsaMem *mem, uint32_t addr, uint32_t len)
{
    uint8_t *src = isa_mem_ptr(mem, addr, len);
    if (!src)
        return NULL;
    char *s = malloc((size_t)len + 1);
    if (!s)
        return NULL;
    memcpy(s, src, len);
    s[len] = 0;
    return s;
}

static int new_handle(SimSemihost *sh, int kind, int fd)
{
    for (int i = 0; i < SH_MAX_FILES; i++)
        if (sh->files[i].kind == F_FREE) {
            sh->files[i].kind = kind;
            sh->files[i].fd = fd;
            sh->files[i].pos = 0;
            return i;
        }
    return -1;
}

static bool valid_handle(const SimSemihost *sh, uint32_t h)
{
    return h < SH_MAX_FILES && sh->files[h].kind != F_FREE;
}

/* The open handle in word 0 of the parameter block, or false (EBADF). */
static bool handle_arg(SimSemihost *sh, const IsaMem *mem, uint32_t a1,
                       uint32_t *h)
{
    if (!arg(mem, a1, 0, h))
        return false;
    if (!valid_handle(sh, *h)) {
        sh->guest_errno = EBADF;
        return false;
    }
    return true;
}

/* ---- the host-file sandbox -------------------------------------------------- */

bool sim_semihost_sandbox(SimSemihost *sh, const char *spec, char *err,
                          size_t errlen)
{
    if (!strcmp(spec, "none")) {
        sh->fs_mode = SIM_FS_NONE;
        return true;
    }
    if (!strcmp(spec, "all")) {
        sh->fs_mode = SIM_FS_ALL;
        return true;
    }
    const char *dir = *spec ? spec : ".";
    int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    char *real = fd >= 0 ? realpath(dir, NULL) : NULL;
    if (fd < 0 || !real) {
        snprintf(err, errlen, "run.host_fs = %s: %s", dir,
                 fd < 0 && errno == ENOTDIR ? "not a directory"
                                            : strerror(errno));
        if (fd >= 0)
            close(fd);
        free(real);
        return false;
    }
    sh->fs_mode = SIM_FS_ROOT;
    sh->fs_root_fd = fd;
    sh->fs_root = real;
    return true;
}

/* A guest path as a path beneath the root: relative ones as they are,
 * absolute ones inside the root made relative; NULL for an absolute path
 * outside it. */
static const char *beneath(const SimSemihost *sh, const char *path)
{
    if (path[0] != '/')
        return *path ? path : NULL;
    size_t n = strlen(sh->fs_root);
    if (n == 1)                       /* the root is / */
        n = 0;
    if (strncmp(path, sh->fs_root, n) || (path[n] != '/' && path[n]))
        return NULL;
    path += n;
    while (*path == '/')
        path++;
    return *path ? path : ".";
}

/* openat2 beneath the root (the kernel refuses "..", symlinks and
 * absolute links that would leave it). */
static int open_beneath(const SimSemihost *sh, const char *rel, int flags,
                        mode_t mode)
{
    /* openat2 takes a mode only with O_CREAT (EINVAL otherwise). */
    struct open_how how = {.flags = (uint64_t)flags,
                           .mode = flags & O_CREAT ? mode : 0,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = syscall(SYS_openat2, sh->fs_root_fd, rel, &how, sizeof how);
    if (fd < 0 && errno == EXDEV)     /* it would have left the root */
        errno = EACCES;
    return (int)fd;
}

static int refuse(SimSemihost *sh)
{
    sh->fs_refused++;
    sh->guest_errno = EACCES;
    return -1;
}

/* Open a host file for the program; -1 with guest_errno. */
static int host_open(SimSemihost *sh, const char *name, int flags)
{
    if (sh->fs_mode == SIM_FS_ALL) {
        int fd = open(name, flags | O_CLOEXEC, 0644);
        if (fd < 0)
            sh->guest_errno = errno;
        return fd;
    }
    if (sh->fs_mode == SIM_FS_NONE)
        return refuse(sh);
    const char *rel = beneath(sh, name);
    if (!rel)
        return refuse(sh);
    /* Non-blocking, so that a FIFO cannot hang the open; only regular
     * files are the program's to use. */
    int fd = open_beneath(sh, rel, flags | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) {
        if (errno == EACCES)
            return refuse(sh);
        sh->guest_errno = errno;
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return refuse(sh);
    }
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

/* The directory (beneath the root) and last name of a path, for remove
 * and rename; -1 (refused) when the name is not one beneath the root. */
static int parent_beneath(SimSemihost *sh, const char *name, char *base,
                          size_t len)
{
    const char *rel = beneath(sh, name);
    if (!rel)
        return -1;
    char dir[PATH_MAX];
    const char *slash = strrchr(rel, '/');
    size_t dl = slash ? (size_t)(slash - rel) : 0;
    const char *b = slash ? slash + 1 : rel;
    if (dl >= sizeof dir || strlen(b) >= len || !*b || !strcmp(b, ".") ||
        !strcmp(b, ".."))
        return -1;
    memcpy(dir, rel, dl);
    dir[dl] = 0;
    strcpy(base, b);
    return open_beneath(sh, dl ? dir : ".", O_PATH | O_DIRECTORY | O_CLOEXEC,
                        0);
}

/* remove (a) or rename (a to b) for the program: 0, or -1 with
 * guest_errno. */
static int host_path_op(SimSemihost *sh, int op, const char *a,
                        const char *b)
{
    if (sh->fs_mode == SIM_FS_ALL) {
        int rc = op == SH_SYS_REMOVE ? remove(a) : rename(a, b);
        if (rc != 0)
            sh->guest_errno = errno;
        return rc;
    }
    if (sh->fs_mode == SIM_FS_NONE)
        return refuse(sh);
    char ba[NAME_MAX + 1], bb[NAME_MAX + 1];
    int da = parent_beneath(sh, a, ba, sizeof ba);
    int db = op == SH_SYS_RENAME ? parent_beneath(sh, b, bb, sizeof bb) : -2;
    int rc;
    if (da < 0 || db == -1) {
        rc = refuse(sh);
    } else if (op == SH_SYS_REMOVE) {
        rc = unlinkat(da, ba, 0);
        if (rc != 0 && (errno == EISDIR || errno == EPERM))
            rc = unlinkat(da, ba, AT_REMOVEDIR);
        if (rc != 0)
            sh->guest_errno = errno;
    } else {
        rc = renameat(da, ba, db, bb);
        if (rc != 0)
            sh->guest_errno = errno;
    }
    if (da >= 0)
        close(da);
    if (db >= 0)
        close(db);
    return rc;
}

/* ---- the calls ------------------------------------------------------------ */

static int32_t sys_open(SimSemihost *sh, const IsaMem *mem, uint32_t a1)
{
    uint32_t name_addr, mode, len;
    if (!arg(mem, a1, 0, &name_addr) || !arg(mem, a1, 1, &mode) ||
        !arg(mem, a1, 2, &len) || mode > 11) {
        sh->guest_errno = EINVAL;
        return -1;
    }
    char *name = guest_string(mem, name_addr, len);
    if (!name) {
        sh->guest_errno = EFAULT;
        return -1;
    }
    int h;
    if (strcmp(name, ":tt") == 0) {
        /* r* is stdin, w* stdout, a* stderr (semihosting v2 with the
         * STDOUT_STDERR extension). */
        h = new_handle(sh, mode < 4 ? F_CON_IN : mode < 8 ? F_CON_OUT
                                                          : F_CON_ERR,
                       -1);
    } else if (strcmp(name, ":semihosting-features") == 0) {
        if (mode != 0 && mode != 1) {
            sh->guest_errno = EACCES;
            h = -1;
        } else {
            h = new_handle(sh, F_FEATURES, -1);
        }
    } else {
        int fd = host_open(sh, name, open_flags[mode]);
        if (fd < 0) {
            h = -1;
        } else {
            h = new_handle(sh, F_HOST, fd);
            if (h < 0)
                close(fd);
        }
    }
    if (h < 0 && sh->guest_errno == 0)
        sh->guest_errno = EMFILE;
    free(name);
    return h;
}


/* The {handle, buffer, length} block of SYS_WRITE and SYS_READ.  False
 * when it cannot be read or names no open handle, with *fail the value to
 * return: every byte untransferred (or -1 for an unreadable block). */
static bool io_block(SimSemihost *sh, const IsaMem *mem, uint32_t a1,
                     uint32_t *h, uint32_t *buf, uint32_t *len,
                     uint32_t *fail)
{
    if (!arg(mem, a1, 0, h) || !arg(mem, a1, 1, buf) ||
        !arg(mem, a1, 2, len)) {
        *fail = 0xffffffffu;
        return false;
    }
    if (!valid_handle(sh, *h)) {
        sh->guest_errno = EBADF;
        *fail = *len;
        return false;
    }
    return true;
}

/* Returns the number of bytes NOT written, as the call specifies. */
static uint32_t sys_write(SimSemihost *sh, uint32_t hart, const IsaMem *mem,
                          uint32_t a1)
{
    uint32_t h, buf, len, fail;
    if (!io_block(sh, mem, a1, &h, &buf, &len, &fail))
        return fail;
    int kind = sh->files[h].kind;
    if (kind == F_CON_IN || kind == F_FEATURES) {
        sh->guest_errno = EBADF;
        return len;
    }
    const uint8_t *src = isa_mem_ptr(mem, buf, len);
    if (!src) {
        sh->guest_errno = EFAULT;
        return len;
    }
    if (kind == F_HOST) {
        ssize_t n = write(sh->files[h].fd, src, len);
        if (n < 0) {
            sh->guest_errno = errno;
            return len;
        }
        return len - (uint32_t)n;
    }
    console_put(sh, hart, kind == F_CON_ERR, src, len);
    return 0;
}

/* Read up to len bytes of file h into dst; returns the number NOT
 * read. */
static uint32_t read_into(SimSemihost *sh, uint32_t h, uint8_t *dst,
                          uint32_t len)
{
    int kind = sh->files[h].kind;
    if (kind == F_FEATURES) {
        uint32_t pos = sh->files[h].pos;
        uint32_t n = pos < sizeof features ? (uint32_t)sizeof features - pos
                                           : 0;
        if (n > len)
            n = len;
        if (n)          /* features + pos: past the array after a seek */
            memcpy(dst, features + pos, n);
        sh->files[h].pos += n;
        return len - n;
    }
    if (kind == F_CON_IN) {
        /* A prompt printed without a newline must show before we wait. */
        sim_semihost_flush(sh);
        ssize_t n = read(fileno(sh->in), dst, len);
        if (n < 0) {
            sh->guest_errno = errno;
            return len;
        }
        return len - (uint32_t)n;
    }
    if (kind != F_HOST) {
        sh->guest_errno = EBADF;
        return len;
    }
    ssize_t n = read(sh->files[h].fd, dst, len);
    if (n < 0) {
        sh->guest_errno = errno;
        return len;
    }
    return len - (uint32_t)n;
}

/* Returns the number of bytes NOT read. */
static uint32_t sys_read(SimSemihost *sh, IsaMem *mem, uint32_t a1)
{
    uint32_t h, buf, len, fail;
    if (!io_block(sh, mem, a1, &h, &buf, &len, &fail))
        return fail;
    uint8_t *dst = isa_mem_ptr(mem, buf, len);
    if (!dst) {
        sh->guest_errno = EFAULT;
        return len;
    }
    uint32_t left = read_into(sh, h, dst, len);
    /* Written behind the harts' backs: tell them, as isa_mem_write does
     * (reservations on the buffer, code in it). */
    isa_mem_wrote(mem, buf, len - left);
    return left;
}

static int32_t sys_seek(SimSemihost *sh, const IsaMem *mem, uint32_t a1)
{
    uint32_t h, pos;
    if (!handle_arg(sh, mem, a1, &h) || !arg(mem, a1, 1, &pos))
        return -1;
    switch (sh->files[h].kind) {
    case F_FEATURES:
        sh->files[h].pos = pos;
        return 0;
    case F_HOST:
        if (lseek(sh->files[h].fd, (off_t)pos, SEEK_SET) < 0) {
            sh->guest_errno = errno;
            return -1;
        }
        return 0;
    default:
        sh->guest_errno = ESPIPE;
        return -1;
    }
}

static int32_t sys_flen(SimSemihost *sh, const IsaMem *mem, uint32_t a1)
{
    uint32_t h;
    if (!handle_arg(sh, mem, a1, &h))
        return -1;
    if (sh->files[h].kind == F_FEATURES)
        return (int32_t)sizeof features;
    if (sh->files[h].kind != F_HOST)
        return 0;
    struct stat st;
    if (fstat(sh->files[h].fd, &st) != 0) {
        sh->guest_errno = errno;
        return -1;
    }
    if (st.st_size > INT32_MAX) {
        sh->guest_errno = EFBIG;
        return -1;
    }
    return (int32_t)st.st_size;
}

static int32_t sys_close(SimSemihost *sh, const IsaMem *mem, uint32_t a1)
{
    uint32_t h;
    if (!handle_arg(sh, mem, a1, &h))
        return -1;
    int rc = 0;
    if (sh->files[h].kind == F_HOST && close(sh->files[h].fd) != 0) {
        sh->guest_errno = errno;
        rc = -1;
    }

    sh->files[h].kind = F_FREE;
    sh->files[h].fd = -1;
    return rc;
}

static int32_t sys_get_cmdline(SimSemihost *sh, IsaMem *mem, uint32_t a1)
{
    uint32_t buf, len;
    if (!arg(mem, a1, 0, &buf) || !arg(mem, a1, 1, &len))
        return -1;
    uint32_t need = (uint32_t)strlen(sh->cmdline) + 1;
    if (need > len || !isa_mem_write(mem, buf, sh->cmdline, need)) {
        sh->guest_errno = need > len ? ENOSPC : EFAULT;
        return -1;
    }
    uint32_t used = need - 1;
    return isa_mem_write(mem, a1 + 4, &used, 4) ? 0 : -1;
}

static int32_t sys_path_op(SimSemihost *sh, IsaMem *mem, uint32_t a1,
                           int op)
{
    uint32_t p0, l0, p1 = 0, l1 = 0;
    if (!arg(mem, a1, 0, &p0) || !arg(mem, a1, 1, &l0) ||
        (op == SH_SYS_RENAME &&
         (!arg(mem, a1, 2, &p1) || !arg(mem, a1, 3, &l1))))
        return -1;
    char *a = guest_string(mem, p0, l0);
    char *b = op == SH_SYS_RENAME ? guest_string(mem, p1, l1) : NULL;
    int rc = -1;
    if (!a || (op == SH_SYS_RENAME && !b))
        sh->guest_errno = EFAULT;
    else
        rc = host_path_op(sh, op, a, b);
    free(a);
    free(b);
    return rc;
}

bool sim_semihost_call(SimSemihost *sh, IsaHart *h, IsaMem *mem, char *err,
                       size_t errlen)
{
    uint32_t op = h->x[10], a1 = h->x[11], hart = h->hartid;
    uint32_t ret = 0;
    switch (op) {
    case SH_SYS_OPEN:
        ret = (uint32_t)sys_open(sh, mem, a1);
        break;
    case SH_SYS_CLOSE:
        ret = (uint32_t)sys_close(sh, mem, a1);
        break;
    case SH_SYS_WRITEC: {
        uint8_t c;
        if (isa_mem_read(mem, a1, &c, 1))
            console_put(sh, hart, 0, &c, 1);
        ret = h->x[10];   /* a0 is left as it was */
        break;
    }
    case SH_SYS_WRITE0: {
        uint8_t c;
        for (uint32_t a = a1; isa_mem_read(mem, a, &c, 1) && c; a++)
            console_put(sh, hart, 0, &c, 1);
        ret = h->x[10];
        break;
    }
    case SH_SYS_WRITE:
        ret = sys_write(sh, hart, mem, a1);
        break;
    case SH_SYS_READ:
        ret = sys_read(sh, mem, a1);
        break;
    case SH_SYS_READC: {
        sim_semihost_flush(sh);
        int c = fgetc(sh->in);
        ret = (uint32_t)(c == EOF ? -1 : c);
        break;
    }
    case SH_SYS_ISERROR: {
        uint32_t v;
        ret = arg(mem, a1, 0, &v) && (int32_t)v < 0;
        break;
    }
    case SH_SYS_ISTTY: {
        uint32_t fh;
        if (!arg(mem, a1, 0, &fh) || !valid_handle(sh, fh)) {
            sh->guest_errno = EBADF;
            ret = 0;
        } else {
            int k = sh->files[fh].kind;
            ret = k == F_CON_IN || k == F_CON_OUT || k == F_CON_ERR;
        }
        break;
    }
    case SH_SYS_SEEK:
        ret = (uint32_t)sys_seek(sh, mem, a1);
        break;
    case SH_SYS_FLEN:
        ret = (uint32_t)sys_flen(sh, mem, a1);
        break;
    case SH_SYS_REMOVE:
    case SH_SYS_RENAME:
        ret = (uint32_t)sys_path_op(sh, mem, a1, (int)op);
        break;
    case SH_SYS_CLOCK:
        ret = (uint32_t)(h->cycle / (sh->clock_hz / 100));
        break;
    case SH_SYS_TIME:
        ret = (uint32_t)time(NULL);
        break;
    case SH_SYS_SYSTEM:
        /* A guest program does not get to run host commands. */
        sh->guest_errno = EPERM;
        ret = (uint32_t)-1;
        break;
    case SH_SYS_ERRNO:
        ret = (uint32_t)sh->guest_errno;
        break;
    case SH_SYS_GET_CMDLINE:
        ret = (uint32_t)sys_get_cmdline(sh, mem, a1);
        break;
    case SH_SYS_HEAPINFO: {
        uint32_t block, info[4] = {sh->heap_base, sh->heap_limit,
                                   sh->stack_base, sh->stack_limit};
        if (!arg(mem, a1, 0, &block) ||
            !isa_mem_write(mem, block, info, sizeof info))
            ret = (uint32_t)-1;
        break;
    }
    case SH_SYS_ELAPSED: {
        uint64_t t = h->cycle;
        ret = isa_mem_write(mem, a1, &t, 8) ? 0 : (uint32_t)-1;
        break;
    }
    case SH_SYS_TICKFREQ:
        ret = (uint32_t)sh->clock_hz;
        break;
    case SH_SYS_EXIT:
        /* RV32: a1 is the reason itself, and only "application exit"
         * counts as success (the status needs SYS_EXIT_EXTENDED). */
        sh->exited = true;
        sh->exit_status = a1 == SH_ADP_STOPPED_APPLICATION_EXIT ? 0 : 1;
        break;
    case SH_SYS_EXIT_EXTENDED: {
        uint32_t reason, code;
        if (!arg(mem, a1, 0, &reason) || !arg(mem, a1, 1, &code)) {
            snprintf(err, errlen, "SYS_EXIT_EXTENDED parameter block at "
                     "0x%08x is outside RAM", a1);
            return false;
        }
        sh->exited = true;
        sh->exit_status =
            reason == SH_ADP_STOPPED_APPLICATION_EXIT ? (int)(code & 0xff) : 1;
        break;
    }
    default:
        snprintf(err, errlen, "unsupported semihosting call 0x%02x", op);
        return false;
    }
    h->x[10] = ret;
    return true;
}
