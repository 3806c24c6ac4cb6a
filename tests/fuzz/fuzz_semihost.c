/* fuzz_semihost.c — libFuzzer target: semihosting (sim/semihost.h), what
 * turns parsim's command line into what the guest's SYS_GET_CMDLINE
 * returns, and every call's parsing of its arguments in guest memory.
 *
 * The input is
 *
 *     word \n word \n ... \0   the program's argv (none when empty)
 *     u8 harts, u8 flags, u32 clock, u32 x4 heap/stack info
 *     u8 n, n bytes            what the program's stdin holds
 *     records...               until the input ends:
 *       0x00..0xbf  a call: op = the byte's pick of every semihosting
 *                   operation (and 0x14 and 0x99, which are none), u8
 *                   hart, u32 cycle, u8 kind, u16 or u32 a1 (kind bit 7:
 *                   a raw a1; else a1 is RAM + u16)
 *       0xc0..0xef  poke: u16 offset, u8 length, that many bytes
 *       0xf0..0xff  poke a pointer: u16 offset, RAM + u16
 *
 * on a hart of a 64 KiB RAM at 0x80000000.  After sim_semihost_init the
 * command line must split back into argv exactly, the way the runtime's
 * start-up code splits it (programs/runtime/start.c: words between
 * spaces, double quotes around one with \" and \\ inside), and read back
 * through SYS_GET_CMDLINE twice (into room enough, and into just too
 * little or just enough) it must be that line.  The console goes
 * nowhere, stdin is the input's bytes, and host files are sandboxed
 * (--host-fs) to root/ of a scratch directory whose outside/ holds a
 * canary that must survive every input untouched, with nothing new
 * beside it (flags bit 0 sandboxes to "none" instead; the target never
 * uses "all").  flags bit 7 gives the second SYS_GET_CMDLINE one byte
 * more room.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "programs/runtime/parsim_cmdline.h"
#include "sim/semihost.h"
#include "tests/fuzz/fuzz.h"

#define RAM_BASE 0x80000000u
#define RAM_SIZE (64u << 10)

static const uint32_t ops[] = {
    SH_SYS_OPEN, SH_SYS_CLOSE, SH_SYS_WRITEC, SH_SYS_WRITE0, SH_SYS_WRITE,
    SH_SYS_READ, SH_SYS_READC, SH_SYS_ISERROR, SH_SYS_ISTTY, SH_SYS_SEEK,
    SH_SYS_FLEN, SH_SYS_TMPNAM, SH_SYS_REMOVE, SH_SYS_RENAME, SH_SYS_CLOCK,
    SH_SYS_TIME, SH_SYS_SYSTEM, SH_SYS_ERRNO, SH_SYS_GET_CMDLINE,
    SH_SYS_HEAPINFO, SH_SYS_EXIT, SH_SYS_EXIT_EXTENDED, SH_SYS_ELAPSED,
    SH_SYS_TICKFREQ, 0x14, 0x99,
};

static const char canary[] = "the sandbox held\n";
static char root[4200], outside[4200], canary_path[4300];

static void make_dirs(void)
{
    const char *t = fuzz_tmpdir();
    snprintf(root, sizeof root, "%s/root", t);
    snprintf(outside, sizeof outside, "%s/outside", t);
    snprintf(canary_path, sizeof canary_path, "%s/canary", outside);
    if (mkdir(root, 0700) != 0 || mkdir(outside, 0700) != 0)
        abort();
    FILE *f = fopen(canary_path, "w");
    if (!f || fputs(canary, f) < 0 || fclose(f) != 0)
        abort();
}

/* Nothing outside root/ may change: the canary as it was, and no name
 * but root, outside (and the input file, without /proc) beside it. */
static void check_outside(void)
{
    char buf[sizeof canary + 8] = {0};
    int fd = open(canary_path, O_RDONLY | O_NOFOLLOW);
    FUZZ_CHECK(fd >= 0, "the canary %s is gone", canary_path);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    FUZZ_CHECK(n == (ssize_t)strlen(canary) && !strcmp(buf, canary),
               "the canary %s was changed", canary_path);
    const char *dirs[] = {fuzz_tmpdir(), outside};
    for (int d = 0; d < 2; d++) {
        DIR *dir = opendir(dirs[d]);
        FUZZ_CHECK(dir != NULL, "cannot list %s", dirs[d]);
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            const char *nm = e->d_name;
            bool ok = !strcmp(nm, ".") || !strcmp(nm, "..") ||
                      (d == 0 ? !strcmp(nm, "root") || !strcmp(nm, "outside")
                                    || !strcmp(nm, "input")
                              : !strcmp(nm, "canary"));
            FUZZ_CHECK(ok, "the program made %s/%s, outside its root",
                       dirs[d], nm);
        }
        closedir(dir);
    }
}

/* The command line split as the start-up code splits it. */
static int split_cmdline(char *p, char **argv)
{
    return parsim_split_cmdline(p, argv);
}

static void check_cmdline(SimSemihost *sh, IsaHart *h, IsaMem *mem,
                          const char *want, uint32_t room)
{
    uint32_t block[2] = {RAM_BASE + 64, room};
    FUZZ_CHECK(isa_mem_write(mem, RAM_BASE, block, sizeof block), "block");
    h->x[10] = SH_SYS_GET_CMDLINE;
    h->x[11] = RAM_BASE;
    char err[256];
    FUZZ_CHECK(sim_semihost_call(sh, h, mem, err, sizeof err),
               "SYS_GET_CMDLINE: %s", err);
    size_t len = strlen(want);
    bool fits = len + 1 <= room && len + 1 <= RAM_SIZE - 64;
    if (!fits) {
        FUZZ_CHECK(h->x[10] == 0xffffffffu, "a command line of %zu bytes "
                   "in %u returned %u", len, room, h->x[10]);
        return;
    }
    uint32_t used;
    FUZZ_CHECK(h->x[10] == 0 && isa_mem_read(mem, RAM_BASE + 4, &used, 4) &&
                   used == len,
               "SYS_GET_CMDLINE returned %u, length %u for %zu", h->x[10],
               used, len);
    const uint8_t *got = isa_mem_ptr(mem, RAM_BASE + 64, (uint32_t)len + 1);
    FUZZ_CHECK(got && !memcmp(got, want, len + 1),
               "SYS_GET_CMDLINE is not the command line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0])
        make_dirs();

    /* argv: the words before the first NUL, a line each. */
    const uint8_t *nul = memchr(data, 0, size);
    size_t cl = nul ? (size_t)(nul - data) : size;
    char *words = malloc(cl + 1);
    char **argv = malloc((cl + 1) * sizeof *argv);
    if (!words || !argv)
        abort();
    memcpy(words, data, cl);
    words[cl] = 0;
    int argc = 0;
    for (char *w = words, *next; cl && w; w = next) {
        next = strchr(w, '\n');
        if (next)
            *next++ = 0;
        argv[argc++] = w;
    }

    FuzzIn in = {data + cl + (nul != NULL), size - cl - (nul != NULL)};
    SimSemihost sh;
    if (!sim_semihost_init(&sh, argc, argv))
        abort();
    size_t len = strlen(sh.cmdline);
    FUZZ_CHECK(sim_semihost_cmdline(argc, argv, NULL) == len,
               "sim_semihost_cmdline measures %zu for \"%s\"",
               sim_semihost_cmdline(argc, argv, NULL), sh.cmdline);
    /* The start-up code must get every argument back as it was. */
    char *line = strdup(sh.cmdline);
    char **back = malloc((len / 2 + 2) * sizeof *back);
    if (!line || !back)
        abort();
    int argc2 = split_cmdline(line, back);
    FUZZ_CHECK(argc2 == argc, "%d arguments come back as %d from \"%s\"",
               argc, argc2, sh.cmdline);
    for (int i = 0; i < argc; i++)
        FUZZ_CHECK(!strcmp(argv[i], back[i]), "argument %d \"%s\" comes "
                   "back as \"%s\" from \"%s\"", i, argv[i], back[i],
                   sh.cmdline);
    free(back);
    free(line);
    uint32_t harts = 1 + fuzz_u8(&in) % 4;
    uint8_t flags = fuzz_u8(&in);
    sh.clock_hz = 100 + (uint64_t)fuzz_u32(&in);  /* machine.clock_hz >= 100 */
    sh.heap_base = fuzz_u32(&in);
    sh.heap_limit = fuzz_u32(&in);
    sh.stack_base = fuzz_u32(&in);
    sh.stack_limit = fuzz_u32(&in);
    size_t nin = fuzz_u8(&in);
    if (nin > in.n)
        nin = in.n;
    sh.out = sh.err = fuzz_discard();
    sh.in = fuzz_reader(in.p, nin);
    in.p += nin;
    in.n -= nin;
    char err[256];
    if (!sim_semihost_harts(&sh, harts))
        abort();
    if (!sim_semihost_sandbox(&sh, flags & 1 ? "none" : root, err,
                              sizeof err))
        fuzz_fail(__FILE__, __LINE__, "sandbox", "%s", err);

    IsaMem mem = {.ram = calloc(1, RAM_SIZE), .base = RAM_BASE,
                  .size = RAM_SIZE};
    IsaHart h;
    if (!mem.ram || !isa_hart_init(&h, 0, RAM_BASE))
        abort();
    check_cmdline(&sh, &h, &mem, sh.cmdline, RAM_SIZE);
    check_cmdline(&sh, &h, &mem, sh.cmdline, (uint32_t)len + (flags >> 7));

    while (in.n && !sh.exited) {
        uint8_t t = fuzz_u8(&in);
        if (t < 0xc0) {
            uint32_t op = ops[t % (sizeof ops / sizeof ops[0])];
            h.hartid = h.mhartid = fuzz_u8(&in) % 6;  /* some past harts */
            h.cycle = fuzz_u32(&in);
            uint8_t kind = fuzz_u8(&in);
            uint32_t a1 = kind & 0x80 ? fuzz_u32(&in)
                                      : RAM_BASE + fuzz_u16(&in) % RAM_SIZE;
            h.x[10] = op;
            h.x[11] = a1;
            if (!sim_semihost_call(&sh, &h, &mem, err, sizeof err))
                FUZZ_CHECK(err[0] && !strchr(err, '\n'), "call 0x%x: \"%s\"",
                           op, err);
        } else if (t < 0xf0) {
            uint32_t off = fuzz_u16(&in) % RAM_SIZE;
            uint32_t len = fuzz_u8(&in);
            if (len > in.n)
                len = (uint32_t)in.n;
            if (len > RAM_SIZE - off)
                len = RAM_SIZE - off;
            memcpy(mem.ram + off, in.p, len);
            in.p += len;
            in.n -= len;
        } else {
            uint32_t off = fuzz_u16(&in) % (RAM_SIZE - 3);
            uint32_t v = RAM_BASE + fuzz_u16(&in);
            memcpy(mem.ram + off, &v, 4);
        }
    }

    sim_semihost_free(&sh);
    fclose(sh.in);
    isa_hart_free(&h);
    free(mem.ram);
    free(argv);
    free(words);
    check_outside();
    fuzz_clear_dir(root);
    return 0;
}
