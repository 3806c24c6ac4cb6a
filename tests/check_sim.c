/* check_sim.c — sim/: configuration keys, semihosting calls, and
 * end-to-end runs of build/parsim on good and bad input (every bad input
 * must give one clear line and its documented exit status). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/machine.h"
#include "sim/semihost.h"
#include "tests/testutil.h"

/* ---- configuration ---------------------------------------------------- */

static const struct {
    const char *text;
    int ok;
    uint64_t value;
} sizes[] = {
    {"4096", 1, 4096},      {"64K", 1, 65536},     {"128M", 1, 128u << 20},
    {"1G", 1, 1u << 30},    {"2KiB", 1, 2048},     {"0x1000", 0, 0},
    {"", 0, 0},             {"12Q", 0, 0},         {"-5", 0, 0},
    {"M", 0, 0},            {" 64K", 0, 0},        {"+4K", 0, 0},
};

START_TEST(test_parse_size)
{
    uint64_t v = 0;
    bool ok = sim_parse_size(sizes[_i].text, &v);
    ck_assert_int_eq(ok, sizes[_i].ok);
    if (ok)
        ck_assert_uint_eq(v, sizes[_i].value);
}
END_TEST

START_TEST(test_config_set)
{
    SimConfig c;
    sim_config_defaults(&c);
    char err[256];
    ck_assert(sim_config_set(&c, "core.mul_latency", "7", err, sizeof err));
    ck_assert_uint_eq(c.cost[ISA_CLASS_MUL], 7);
    ck_assert(sim_config_set(&c, "machine.ram_size", "64M", err, sizeof err));
    ck_assert_uint_eq(c.ram_size, 64u << 20);
    ck_assert(sim_config_set(&c, "run.timing", "off", err, sizeof err));
    ck_assert(!c.timing);

    ck_assert(!sim_config_set(&c, "core.mul_latncy", "7", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "core.mul_latncy"));
    ck_assert(!sim_config_set(&c, "core.mul_latency", "fast", err,
                              sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "core.mul_latency"));
    ck_assert(!sim_config_set(&c, "core.mul_latency", "0", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "out of range"));
    ck_assert(!sim_config_set(&c, "machine.ram_size", "5000", err,
                              sizeof err));
    ck_assert_uint_eq(c.cost[ISA_CLASS_MUL], 7);   /* unchanged */
}
END_TEST

/* A message quotes a long value by its start and length, so that the
 * reason after it fits the message. */
START_TEST(test_config_long_value_message)
{
    SimConfig c;
    sim_config_defaults(&c);
    char err[256], value[5001];
    memset(value, 'n', 5000);
    value[5000] = '\0';
    ck_assert(!sim_config_set(&c, "machine.name", value, err, sizeof err));
    ck_assert_msg(strstr(err, "(5000 characters) is longer than 63 "
                         "characters"), "%s", err);
    ck_assert_str_eq(c.name, "default");
}
END_TEST

/* ---- machine files ------------------------------------------------------
 *
 * libinih (Debian's: INI_MAX_LINE 200, INI_ALLOW_MULTILINE) cuts a line
 * longer than 199 bytes and continues a value on an indented line; parsim
 * checks each line first, so that a machine file means what it says. */

/* text: head, then n copies of fill, then tail. */
typedef struct MachineText {
    const char *head;
    char fill;
    size_t n;
    const char *tail;
} MachineText;

/* Write t to a fresh file; its name in path[64]. */
static void write_machine(char path[64], MachineText t)
{
    snprintf(path, 64, "/tmp/parsim-machine-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(t.head, f);
    for (size_t i = 0; i < t.n; i++)
        fputc(t.fill, f);
    fputs(t.tail, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Load t into c (from the defaults); false with the message in err. */
static bool load_machine(SimConfig *c, MachineText t, char path[64],
                         char *err, size_t errlen)
{
    sim_config_defaults(c);
    write_machine(path, t);
    bool ok = sim_config_load(c, path, err, errlen);
    unlink(path);
    return ok;
}

static bool load_text(SimConfig *c, const char *text, char *err,
                      size_t errlen)
{
    char path[64];
    return load_machine(c, (MachineText){text, 0, 0, ""}, path, err, errlen);
}

/* A path of n characters, none of them a space or a ';'. */
static const char *long_path(size_t n)
{
    static char p[600];
    ck_assert_uint_lt(n, sizeof p);
    for (size_t i = 0; i < n; i++)
        p[i] = i % 10 == 0 ? '/' : (char)('a' + i % 26);
    p[n] = '\0';
    return p;
}

/* host_fs = PATH reaches the configuration exactly at any length up to
 * its field, either side of inih's 199 bytes, whatever ends the line. */
static const struct {
    size_t len;
    const char *end;
} long_values[] = {
    {150, "\n"}, {187, "\n"}, {188, "\n"}, {189, "\n"}, {190, "\n"},
    {400, "\n"}, {511, "\n"}, {400, "\r\n"}, {400, "   ; a comment\n"},
    {400, "\t\n"}, {400, ""},               /* no final newline */
};

START_TEST(test_ini_long_value)
{
    const char *path = long_path(long_values[_i].len);
    char text[1024], err[512];
    snprintf(text, sizeof text, "; a long host_fs\n[run]\nhost_fs = %s%s%s",
             path, long_values[_i].end,
             *long_values[_i].end ? "[machine]\ncores = 3\n" : "");
    SimConfig c;
    ck_assert_msg(load_text(&c, text, err, sizeof err), "%s", err);
    ck_assert_str_eq(c.host_fs, path);
    ck_assert_uint_eq(c.cores, *long_values[_i].end ? 3 : 1);
}
END_TEST

/* A comment of 1,000 characters is one comment, wherever inih's buffer
 * would have cut it (the last one would have set machine.cores). */
static const MachineText long_comments[] = {
    {"; ", 'x', 998, "\n"},
    {"# ", '#', 998, "\n"},
    {"    ; indented, after a key ", '-', 972, "\n"},
    {"; ", '.', 197, "cores = 7" "                                        "
     "                                                                    "
     "                                                                  \n"},
};

START_TEST(test_ini_long_comment)
{
    MachineText t = long_comments[_i];
    char head[128], path[64], err[512];
    snprintf(head, sizeof head, "[machine]\ncores = 2\n%s", t.head);
    t.head = head;
    char tail[512];
    snprintf(tail, sizeof tail, "%sname = after\n", t.tail);
    t.tail = tail;
    SimConfig c;
    ck_assert_msg(load_machine(&c, t, path, err, sizeof err), "%s", err);
    ck_assert_uint_eq(c.cores, 2);
    ck_assert_str_eq(c.name, "after");
}
END_TEST

/* A line that goes to inih as it is and the same line padded past inih's
 * buffer (by trailing blanks, or an inline comment) mean the same: the
 * check in front of inih splits a line as inih does. */
static const char *const inih_lines[] = {
    "name = a ; b",   "name=a;b",        "name : x = y",    "name = ",
    "name=  two  words  ", "name = a\t; tab", "name = [x]",  "name:",
    "  [machine]  ",  "[machine] ; c",   "[machine];c",     "; name = no",
    "# name = no",    "name",            "[machine",        "= v",
    "name ; = v",     "nam e = v",       "[mach;ine]",      "[]",
};

static void load_padded(SimConfig *c, const char *line, int pad, bool *ok,
                        char *err, size_t errlen)
{
    MachineText t = {"[machine]\n", ' ', 0, "\n"};
    char head[128], path[64], why[512];
    snprintf(head, sizeof head, "[machine]\n%s%s", line,
             pad == 2 ? " ; " : "");
    t.head = head;
    t.fill = pad == 2 ? 'c' : ' ';
    t.n = pad ? 300 : 0;
    *ok = load_machine(c, t, path, why, sizeof why);
    /* The message without its file name. */
    snprintf(err, errlen, "%s", *ok ? "" : why + strlen(path));
}

START_TEST(test_ini_same_as_inih)
{
    SimConfig short_c, long_c;
    bool short_ok, long_ok;
    char short_err[512], long_err[512];
    load_padded(&short_c, inih_lines[_i], 0, &short_ok, short_err,
                sizeof short_err);
    for (int pad = 1; pad <= 2; pad++) {
        load_padded(&long_c, inih_lines[_i], pad, &long_ok, long_err,
                    sizeof long_err);
        ck_assert_msg(short_ok == long_ok, "'%s' (pad %d): %s / %s",
                      inih_lines[_i], pad, short_err, long_err);
        ck_assert_str_eq(short_err, long_err);
        ck_assert_str_eq(short_c.name, long_c.name);
    }
}
END_TEST

/* Machine files that are wrong, each with the line and the reason. */
static const struct {
    MachineText text;
    int line;
    const char *why;
} ini_errors[] = {
    {{"[run]\n; a long value\nhost_fs = /", 'p', 4999, "\n"}, 3,
     "run.host_fs: '/ppp"},
    {{"[run]\n; a long value\nhost_fs = /", 'p', 4999, "\n"}, 3,
     "(5000 characters) is longer than 511 characters"},
    {{"[machine]\nname = ", 'n', 5000, "\n"}, 2,
     "(5000 characters) is longer than 63 characters"},
    {{"[machine]\ncores = 2\n  4\n", 0, 0, ""}, 3,
     "an indented line would continue the previous value: '4'"},
    {{"[machine]\ncores = 2\n\tthreads_per_core = 2\n", 0, 0, ""}, 3,
     "an indented line would continue the previous value"},
    {{"[machine]\ncores = 2\n [core]\n", 0, 0, ""}, 3,
     "an indented line would continue the previous value"},
    {{"[run]\nhost_fs = /", 'p', 400, "\n  /more\n"}, 3,
     "an indented line would continue the previous value: '/more'"},
    {{"[machine]\ncores = 1\n[machine]\rcores = 4\r", 0, 0, ""}, 3,
     "a carriage return inside the line"},
    {{"[machine]\nname = ab", '\0', 1, "cd\n"}, 2, "a NUL byte"},
    {{"[machine] cores = 4\n", 0, 0, ""}, 1,
     "section 'machine' followed by 'cores = 4'"},
    {{"[", 's', 60, "]\n"}, 1, "is longer than 49 characters"},
    {{"cores = 4\n", 0, 0, ""}, 1, "key 'cores' is in no [section]"},
    {{"[machine]\n\nbogus line\n", 0, 0, ""}, 3,
     "not a 'key = value' or '[section]' line"},
    {{"[machine]\n", 'x', 300, "\n"}, 2,
     "not a 'key = value' or '[section]' line"},
    {{"[machine]\ncores = 4\n[core\n", 0, 0, ""}, 3,
     "not a 'key = value' or '[section]' line"},
    {{"[machine]\n\xef\xbb\xbf" "cores = 6\n", 0, 0, ""}, 2,
     "unknown configuration key"},
    {{"[machine]\r\ncores = 99\r\n", 0, 0, ""}, 2,
     "machine.cores: 99 is out of range"},
    {{"[core]\nmul_latency = fast\n", 0, 0, ""}, 2,
     "core.mul_latency: bad value 'fast'"},
    {{"; ok\n[machine]\nbogus = 1\n", 0, 0, ""}, 3,
     "unknown configuration key 'machine.bogus'"},
};

START_TEST(test_ini_errors)
{
    SimConfig c;
    char path[64], err[512], where[96];
    ck_assert(!load_machine(&c, ini_errors[_i].text, path, err, sizeof err));
    snprintf(where, sizeof where, "%s:%d: ", path, ini_errors[_i].line);
    ck_assert_msg(!strncmp(err, where, strlen(where)) &&
                  strstr(err, ini_errors[_i].why), "case %d: %s", _i, err);
}
END_TEST

START_TEST(test_ini_crlf)
{
    SimConfig c;
    char err[512], text[1024];
    snprintf(text, sizeof text, "[machine]\r\nname = crlf\r\ncores = 2\r\n"
             "\r\n; c\r\n[run]\r\nhost_fs = %s\r\n", long_path(400));
    ck_assert_msg(load_text(&c, text, err, sizeof err), "%s", err);
    ck_assert_str_eq(c.name, "crlf");
    ck_assert_uint_eq(c.cores, 2);
    ck_assert_str_eq(c.host_fs, long_path(400));
}
END_TEST

START_TEST(test_ini_no_final_newline)
{
    SimConfig c;
    char err[512];
    ck_assert_msg(load_text(&c, "[machine]\nname = last", err, sizeof err),
                  "%s", err);
    ck_assert_str_eq(c.name, "last");
    ck_assert_msg(load_text(&c, "[machine]\ncores = 5", err, sizeof err),
                  "%s", err);
    ck_assert_uint_eq(c.cores, 5);
}
END_TEST

/* An empty file, or one of comments and blanks, is the default machine. */
START_TEST(test_ini_empty)
{
    SimConfig c, defaults;
    sim_config_defaults(&defaults);
    char err[512];
    ck_assert_msg(load_text(&c, "", err, sizeof err), "%s", err);
    ck_assert_int_eq(memcmp(&c, &defaults, sizeof c), 0);
    ck_assert_msg(load_text(&c, "\n\n; nothing\n   \n# here\n\t", err,
                            sizeof err), "%s", err);
    ck_assert_int_eq(memcmp(&c, &defaults, sizeof c), 0);
}
END_TEST

/* A UTF-8 byte-order mark opening the file is skipped, as inih skips it
 * (also before a line too long for inih); elsewhere it is text. */
START_TEST(test_ini_bom)
{
    SimConfig c;
    char err[512], path[64];
    ck_assert_msg(load_text(&c, "\xef\xbb\xbf[machine]\ncores = 6\n", err,
                            sizeof err), "%s", err);
    ck_assert_uint_eq(c.cores, 6);
    MachineText t = {"\xef\xbb\xbf; ", 'x', 1000, "\n[machine]\ncores = 6\n"};
    ck_assert_msg(load_machine(&c, t, path, err, sizeof err), "%s", err);
    ck_assert_uint_eq(c.cores, 6);
}
END_TEST

/* key:value as well as key = value; the first '=' or ':' splits. */
START_TEST(test_ini_colon)
{
    SimConfig c;
    char err[512];
    ck_assert_msg(load_text(&c, "[machine]\ncores:3\nname : a=b\n[run]\n"
                            "host_fs=/x:y\n", err, sizeof err), "%s", err);
    ck_assert_uint_eq(c.cores, 3);
    ck_assert_str_eq(c.name, "a=b");
    ck_assert_str_eq(c.host_fs, "/x:y");
}
END_TEST

/* ---- semihosting -------------------------------------------------------- */

#define RAM_BASE 0x80000000u
#define RAM_SIZE (64u << 10)

typedef struct Fixture {
    IsaMem mem;
    IsaHart h;
    SimSemihost sh;
    char *outbuf;
    size_t outlen;
} Fixture;

static Fixture fx;

static void sh_setup(void)
{
    memset(&fx, 0, sizeof fx);
    fx.mem.ram = calloc(1, RAM_SIZE);
    fx.mem.code_map = calloc(1, RAM_SIZE >> ISA_CODE_BLOCK_SHIFT);
    fx.mem.base = RAM_BASE;
    fx.mem.size = RAM_SIZE;
    ck_assert(isa_hart_init(&fx.h, 0, RAM_BASE));
    char *argv[] = {"prog.elf", "a", "b c"};
    ck_assert(sim_semihost_init(&fx.sh, 3, argv));
    fx.sh.out = open_memstream(&fx.outbuf, &fx.outlen);
}

static void sh_teardown(void)
{
    fclose(fx.sh.out);
    fx.sh.out = stdout;
    sim_semihost_free(&fx.sh);
    isa_hart_free(&fx.h);
    free(fx.mem.ram);
    free(fx.mem.code_map);
    free(fx.outbuf);
}

static void poke(uint32_t addr, const void *src, uint32_t len)
{
    ck_assert(isa_mem_write(&fx.mem, addr, src, len));
}

static void poke_words(uint32_t addr, const uint32_t *w, int n)
{
    poke(addr, w, 4u * (uint32_t)n);
}

static uint32_t call(uint32_t op, uint32_t a1)
{
    char err[128];
    fx.h.x[10] = op;
    fx.h.x[11] = a1;
    ck_assert_msg(sim_semihost_call(&fx.sh, &fx.h, &fx.mem, err, sizeof err),
                  "call 0x%x failed: %s", op, err);
    return fx.h.x[10];
}

static uint32_t open_file(const char *name, uint32_t mode)
{
    uint32_t len = (uint32_t)strlen(name);
    poke(RAM_BASE + 0x100, name, len + 1);
    uint32_t blk[3] = {RAM_BASE + 0x100, mode, len};
    poke_words(RAM_BASE + 0x200, blk, 3);
    return call(SH_SYS_OPEN, RAM_BASE + 0x200);
}

START_TEST(test_sh_console_write)
{
    uint32_t h = open_file(":tt", 4);
    ck_assert_int_ge((int32_t)h, 0);
    poke(RAM_BASE + 0x300, "hello\n", 6);
    uint32_t blk[3] = {h, RAM_BASE + 0x300, 6};
    poke_words(RAM_BASE + 0x400, blk, 3);
    ck_assert_uint_eq(call(SH_SYS_WRITE, RAM_BASE + 0x400), 0);
    poke(RAM_BASE + 0x310, "x", 1);
    call(SH_SYS_WRITEC, RAM_BASE + 0x310);
    poke(RAM_BASE + 0x320, "zero\0", 5);
    call(SH_SYS_WRITE0, RAM_BASE + 0x320);
    fflush(fx.sh.out);
    ck_assert_str_eq(fx.outbuf, "hello\nxzero");
    uint32_t hb[1] = {h};
    poke_words(RAM_BASE + 0x400, hb, 1);
    ck_assert_uint_eq(call(SH_SYS_ISTTY, RAM_BASE + 0x400), 1);
    ck_assert_uint_eq(call(SH_SYS_CLOSE, RAM_BASE + 0x400), 0);
    /* Writing to the closed handle fails: nothing written. */
    blk[0] = h;
    poke_words(RAM_BASE + 0x400, blk, 3);
    ck_assert_uint_eq(call(SH_SYS_WRITE, RAM_BASE + 0x400), 6);
    ck_assert_uint_ne(call(SH_SYS_ERRNO, 0), 0);
}
END_TEST

START_TEST(test_sh_features)
{
    uint32_t h = open_file(":semihosting-features", 1);
    ck_assert_int_ge((int32_t)h, 0);
    uint32_t hb[1] = {h};
    poke_words(RAM_BASE + 0x400, hb, 1);
    ck_assert_uint_eq(call(SH_SYS_FLEN, RAM_BASE + 0x400), 5);
    uint32_t blk[3] = {h, RAM_BASE + 0x500, 16};
    poke_words(RAM_BASE + 0x400, blk, 3);
    ck_assert_uint_eq(call(SH_SYS_READ, RAM_BASE + 0x400), 16 - 5);
    uint8_t got[5];
    ck_assert(isa_mem_read(&fx.mem, RAM_BASE + 0x500, got, 5));
    ck_assert_mem_eq(got, "SHFB\x03", 5);
    /* Only readable. */
    ck_assert_int_lt((int32_t)open_file(":semihosting-features", 4), 0);
}
END_TEST

START_TEST(test_sh_cmdline)
{
    uint32_t blk[2] = {RAM_BASE + 0x600, 64};
    poke_words(RAM_BASE + 0x400, blk, 2);
    ck_assert_uint_eq(call(SH_SYS_GET_CMDLINE, RAM_BASE + 0x400), 0);
    char got[64];
    ck_assert(isa_mem_read(&fx.mem, RAM_BASE + 0x600, got, sizeof got));
    /* An argument with a space goes in quotes (the start-up code undoes
     * them), so that it stays one argument. */
    ck_assert_str_eq(got, "prog.elf a \"b c\"");
    uint32_t used;
    ck_assert(isa_mem_read(&fx.mem, RAM_BASE + 0x404, &used, 4));
    ck_assert_uint_eq(used, strlen("prog.elf a \"b c\""));
    /* Too small a buffer is an error, not a truncation. */
    blk[1] = 3;
    poke_words(RAM_BASE + 0x400, blk, 2);
    ck_assert_int_eq((int32_t)call(SH_SYS_GET_CMDLINE, RAM_BASE + 0x400), -1);
}
END_TEST

START_TEST(test_sh_exit)
{
    uint32_t blk[2] = {SH_ADP_STOPPED_APPLICATION_EXIT, 42};
    poke_words(RAM_BASE + 0x400, blk, 2);
    call(SH_SYS_EXIT_EXTENDED, RAM_BASE + 0x400);
    ck_assert(fx.sh.exited);
    ck_assert_int_eq(fx.sh.exit_status, 42);
    fx.sh.exited = false;
    call(SH_SYS_EXIT, SH_ADP_STOPPED_APPLICATION_EXIT);
    ck_assert(fx.sh.exited);
    ck_assert_int_eq(fx.sh.exit_status, 0);
    call(SH_SYS_EXIT, 0x20023);   /* ADP_Stopped_RunTimeErrorUnknown */
    ck_assert_int_eq(fx.sh.exit_status, 1);
}
END_TEST

START_TEST(test_sh_clock_and_unknown)
{
    fx.h.cycle = 2500000000ull;          /* 2.5 s at 1 GHz */
    ck_assert_uint_eq(call(SH_SYS_CLOCK, 0), 250);
    ck_assert_uint_eq(call(SH_SYS_ELAPSED, RAM_BASE + 0x700), 0);
    uint64_t t;
    ck_assert(isa_mem_read(&fx.mem, RAM_BASE + 0x700, &t, 8));
    ck_assert_uint_eq(t, 2500000000ull);
    ck_assert_uint_eq(call(SH_SYS_TICKFREQ, 0), 1000000000u);
    char err[128] = "";
    fx.h.x[10] = 0x99;
    ck_assert(!sim_semihost_call(&fx.sh, &fx.h, &fx.mem, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "0x99"));
}
END_TEST

/* ---- end to end ------------------------------------------------------------ */

static TuResult res;

static void run_parsim(const char *input, char *const args[])
{
    ck_assert_int_eq(tu_parsim(args, input, 60, &res), 0);
}

static const char *tprog(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/programs/%s.elf", name);
    return tu_built(rel);
}

/* Exactly one line from parsim before the summary, containing each
 * needle. */
static void assert_error(int status, const char *const needles[])
{
    ck_assert_msg(res.status == status, "exit status %d, expected %d; "
                  "stderr:\n%s", res.status, status, res.err);
    const char *first = strstr(res.err, "parsim: ");
    ck_assert_msg(first != NULL, "no parsim message: %s", res.err);
    const char *eol = strchr(first, '\n');
    ck_assert_ptr_nonnull(eol);
    for (int i = 0; needles[i]; i++) {
        const char *hit = strstr(first, needles[i]);
        ck_assert_msg(hit && hit < eol, "'%s' missing from the message: %.*s",
                      needles[i], (int)(eol - first), first);
    }
}

static void teardown_res(void) { tu_free(&res); }

START_TEST(test_e2e_semihost_io)
{
    char path[] = "/tmp/parsim-sio-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    /* The file is in /tmp: the sandbox's root must hold it. */
    char *args[] = {"run", "--host-fs", "/tmp", (char *)tprog("semihost_io"),
                    path, "7", NULL};
    run_parsim("hi there\n", args);
    ck_assert_int_eq(res.status, 7);
    /* argv[0] is the program's path, argv[1] its first argument. */
    const char *want = "argc=3\nargv[0]=";
    ck_assert_msg(strncmp(res.out, want, strlen(want)) == 0, "got: %s",
                  res.out);
    ck_assert_ptr_nonnull(strstr(res.out, "semihost_io.elf\nargv[1]=/tmp/"));
    ck_assert_ptr_nonnull(strstr(res.out, "argv[2]=7\n"));
    ck_assert_ptr_nonnull(strstr(res.out, "read: line one\n"
                                          "read: line two 42\n"
                                          "after seek: o\n"
                                          "remove: 0\n"
                                          "reopen removed: no\n"
                                          "stdin: hi there\n"
                                          "clock ok: 1\n"));
    /* picolibc's semihosting stdio sends stderr through SYS_WRITEC, which
     * is the console: on QEMU too it lands on stdout. */
    ck_assert_ptr_nonnull(strstr(res.out, "to stderr\n"));
    ck_assert_ptr_nonnull(strstr(res.err, "instructions"));
    ck_assert_int_ne(access(path, F_OK), 0);   /* the program removed it */
}
END_TEST

START_TEST(test_e2e_illegal)
{
    char *args[] = {"run", (char *)tprog("bad_illegal"), NULL};
    run_parsim(NULL, args);
    const char *n[] = {"illegal instruction", "hart 0", "pc 0x8",
                       "0xffffffff", "broken", "bad_illegal.c:6", NULL};
    assert_error(SIM_EXIT_GUEST_FAULT, n);
    ck_assert_str_eq(res.out, "before\n");
}
END_TEST

START_TEST(test_e2e_wild_store)
{
    char *args[] = {"run", (char *)tprog("bad_wild_store"), NULL};
    run_parsim(NULL, args);
    const char *n[] = {"store outside memory", "hart 0", "0x00001000",
                       "main", "bad_wild_store.c:9", "sw", NULL};
    assert_error(SIM_EXIT_GUEST_FAULT, n);
}
END_TEST

START_TEST(test_e2e_misaligned_amo)
{
    char *args[] = {"run", (char *)tprog("bad_misaligned_amo"), NULL};
    run_parsim(NULL, args);
    const char *n[] = {"misaligned atomic", "words+6", "amoadd.w", "main",
                       NULL};
    assert_error(SIM_EXIT_GUEST_FAULT, n);
}
END_TEST

START_TEST(test_e2e_cycle_limit)
{
    char *args[] = {"run", "--max-cycles", "200000", (char *)tprog("bad_spin"),
                    NULL};
    run_parsim(NULL, args);
    const char *n[] = {"cycle limit", "200000", "main", "bad_spin.c:", NULL};
    assert_error(SIM_EXIT_CYCLE_LIMIT, n);
    ck_assert_str_eq(res.out, "spinning\n");
}
END_TEST

START_TEST(test_e2e_ebreak)
{
    char *args[] = {"run", (char *)tprog("bad_ebreak"), NULL};
    run_parsim(NULL, args);
    const char *n[] = {"breakpoint", "ebreak", "main", NULL};
    assert_error(SIM_EXIT_GUEST_FAULT, n);
}
END_TEST

/* Write a file made from a real ELF with some bytes changed or cut. */
static const char *mangled(const char *name, size_t keep,
                           void (*patch)(unsigned char *, size_t))
{
    static char path[64];
    FILE *in = fopen(tprog("semihost_io"), "rb");
    ck_assert_ptr_nonnull(in);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    if (keep && keep < n)
        n = keep;
    if (patch)
        patch(buf, n);
    snprintf(path, sizeof path, "/tmp/parsim-%s-%d.elf", name, (int)getpid());
    FILE *out = fopen(path, "wb");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(out);
    return path;
}

static void to_x86(unsigned char *b, size_t n)
{
    (void)n;
    b[18] = 3;   /* e_machine = EM_386 */
    b[19] = 0;
}

static void huge_segment(unsigned char *b, size_t n)
{
    (void)n;
    uint32_t phoff, type = 0;
    uint16_t phnum;
    memcpy(&phoff, b + 28, 4);
    memcpy(&phnum, b + 44, 2);
    /* 512 MiB, above the others (so that it overlaps none of them). */
    uint32_t memsz = 0x20000000, paddr = 0xa0000000;
    for (unsigned i = 0; i < phnum; i++) {
        memcpy(&type, b + phoff + 32 * i, 4);
        if (type == 1) {   /* PT_LOAD */
            memcpy(b + phoff + 32 * i + 12, &paddr, 4);
            memcpy(b + phoff + 32 * i + 20, &memsz, 4);
            return;
        }
    }
    ck_abort_msg("no PT_LOAD");
}

static void odd_entry(unsigned char *b, size_t n)
{
    (void)n;
    b[24] |= 1;                     /* e_entry */
}

/* The second PT_LOAD onto the first one's bytes. */
static void overlap(unsigned char *b, size_t n)
{
    (void)n;
    uint32_t phoff, type = 0, first = 0;
    uint16_t phnum;
    memcpy(&phoff, b + 28, 4);
    memcpy(&phnum, b + 44, 2);
    int seen = 0;
    for (unsigned i = 0; i < phnum; i++) {
        memcpy(&type, b + phoff + 32 * i, 4);
        if (type != 1)              /* PT_LOAD */
            continue;
        if (seen++ == 0) {
            memcpy(&first, b + phoff + 32 * i + 12, 4);   /* p_paddr */
        } else {
            memcpy(b + phoff + 32 * i + 12, &first, 4);
            return;
        }
    }
    ck_abort_msg("fewer than two PT_LOAD");
}

static void double_abi(unsigned char *b, size_t n)
{
    (void)n;
    b[36] = (unsigned char)((b[36] & ~6) | 4);   /* EF_RISCV_FLOAT_ABI_DOUBLE */
}

START_TEST(test_e2e_bad_files)
{
    static const char junk[] = "this is not an ELF file, just text\n";
    char path[] = "/tmp/parsim-junk-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    struct {
        const char *file;
        int status;
        const char *needle;
    } cases[] = {
        {path, SIM_EXIT_BAD_ELF, "not an ELF file"},
        {"/nonexistent/prog.elf", SIM_EXIT_NO_INPUT, "cannot open"},
        {"/bin/true", SIM_EXIT_BAD_ELF, "not a 32-bit ELF"},
        {NULL, SIM_EXIT_BAD_ELF, "not RISC-V"},
        {NULL, SIM_EXIT_BAD_ELF, "truncated"},
        {NULL, SIM_EXIT_BAD_ELF, "truncated ELF header"},
        {NULL, SIM_EXIT_BAD_ELF, "does not fit in RAM"},
        {NULL, SIM_EXIT_BAD_ELF, "double float ABI"},
        {NULL, SIM_EXIT_BAD_ELF, "is odd: no instruction starts there"},
        {NULL, SIM_EXIT_BAD_ELF, "overlap"},
    };
    char p4[64], p5[64], p6[64], p7[64], p8[64], p9[64];
    snprintf(p8, sizeof p8, "%s", mangled("odd", 0, odd_entry));
    snprintf(p9, sizeof p9, "%s", mangled("overlap", 0, overlap));
    cases[8].file = p8;
    cases[9].file = p9;
    snprintf(p4, sizeof p4, "%s", mangled("trunc", 2000, NULL));
    snprintf(p5, sizeof p5, "%s", mangled("trunc-hdr", 30, NULL));
    snprintf(p6, sizeof p6, "%s", mangled("huge", 0, huge_segment));
    snprintf(p7, sizeof p7, "%s", mangled("double", 0, double_abi));
    char p3[64];
    snprintf(p3, sizeof p3, "%s", mangled("x86", 0, to_x86));
    cases[3].file = p3;
    cases[4].file = p4;
    cases[5].file = p5;
    cases[6].file = p6;
    cases[7].file = p7;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *args[] = {"run", (char *)cases[i].file, NULL};
        run_parsim(NULL, args);
        const char *n[] = {cases[i].needle, cases[i].file, NULL};
        assert_error(cases[i].status, n);
        ck_assert_str_eq(res.out, "");
        tu_free(&res);
    }
    unlink(path);
    unlink(p3); unlink(p4); unlink(p5); unlink(p6); unlink(p7);
    unlink(p8); unlink(p9);
}
END_TEST

START_TEST(test_e2e_small_ram)
{
    char *args[] = {"run", "--ram-size", "64K", (char *)tprog("semihost_io"),
                    NULL};
    run_parsim(NULL, args);
    const char *n[] = {"does not fit in RAM", NULL};
    assert_error(SIM_EXIT_BAD_ELF, n);
}
END_TEST

START_TEST(test_e2e_bad_usage)
{
    static const struct {
        const char *a, *b;
        const char *needle;
    } cases[] = {
        {"--set", "core.bogus=3", "unknown configuration key 'core.bogus'"},
        {"--set", "core.mul_latency=x", "core.mul_latency: bad value 'x'"},
        {"--set", "nokey", "expected KEY=VALUE"},
        {"--max-cycles", "lots", "run.max_cycles: bad value"},
        {"--speed", "fast", "--speed fast: expected cycles per second"},
        {"--start-at", "-5", "--start-at -5: expected a cycle or roi"},
        {"--speed", "5", "--speed and --start-at are for the window"},
        {"--start-at", "roi", "--speed and --start-at are for the window"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *args[] = {"run", (char *)cases[i].a, (char *)cases[i].b,
                        (char *)tprog("semihost_io"), NULL};
        run_parsim(NULL, args);
        const char *n[] = {cases[i].needle, NULL};
        assert_error(SIM_EXIT_USAGE, n);
        tu_free(&res);
    }
    char *none[] = {"run", NULL};
    run_parsim(NULL, none);
    const char *n[] = {"no program given", NULL};
    assert_error(SIM_EXIT_USAGE, n);
}
END_TEST

static uint64_t summary_value(const char *err, const char *label)
{
    const char *p = strstr(err, label);
    ck_assert_msg(p != NULL, "no '%s' in summary: %s", label, err);
    p += strlen(label);
    uint64_t v = 0;
    for (; *p && *p != '\n'; p++)
        if (*p >= '0' && *p <= '9')
            v = v * 10 + (uint64_t)(*p - '0');
    return v;
}

/* Timing never changes what a program computes; the same run twice gives
 * the same counts. */
START_TEST(test_e2e_timing_off_and_determinism)
{
    const char *elf = tprog("semihost_io");
    char *args[] = {"run", (char *)elf, "/tmp/parsim-det.txt", "0", NULL};
    run_parsim("x\n", args);
    char *out1 = strdup(res.out);
    uint64_t i1 = summary_value(res.err, "instructions");
    uint64_t c1 = summary_value(res.err, "cycles");
    tu_free(&res);
    run_parsim("x\n", args);
    ck_assert_str_eq(res.out, out1);
    ck_assert_uint_eq(summary_value(res.err, "instructions"), i1);
    ck_assert_uint_eq(summary_value(res.err, "cycles"), c1);
    tu_free(&res);
    char *off[] = {"run", "--no-timing", (char *)elf, "/tmp/parsim-det.txt",
                   "0", NULL};
    run_parsim("x\n", off);
    ck_assert_str_eq(res.out, out1);
    ck_assert_uint_eq(summary_value(res.err, "instructions"), i1);
    ck_assert_uint_eq(summary_value(res.err, "cycles"), i1);
    ck_assert_uint_gt(c1, i1);   /* timing on costs more than 1/insn */
    free(out1);
}
END_TEST

/* docs/timing.md's worked example, exact (flat memory): 1,000 x (lw,
 * addi, sw, addi, bne) plus the rdcycle, li and mv between the two
 * counter reads. */
static const struct {
    const char *opt;
    const char *want;
} timing_cases[] = {
    {"--set=memory.latency=2", "word=1000 cycles=9003 instructions=5005\n"},
    {"--set=memory.latency=10", "word=1000 cycles=25003 instructions=5005\n"},
    {"--set=core.load_latency=4", "word=1000 cycles=12003 instructions=5005\n"},
    {"--no-timing", "word=1000 cycles=5003 instructions=5005\n"},
};

START_TEST(test_e2e_timing_exact)
{
    char *args[] = {"run", "-q", "--set=memory.model=flat",
                    (char *)timing_cases[_i].opt, (char *)tprog("timing_loop"),
                    NULL};
    run_parsim(NULL, args);
    ck_assert_int_eq(res.status, 0);
    ck_assert_str_eq(res.out, timing_cases[_i].want);
}
END_TEST

START_TEST(test_e2e_disasm)
{
    char *args[] = {"disasm", (char *)tprog("bad_illegal"), NULL};
    run_parsim(NULL, args);
    ck_assert_int_eq(res.status, 0);
    ck_assert_ptr_nonnull(strstr(res.out, "<main>:\n"));
    ck_assert_ptr_nonnull(strstr(res.out, "<_start>:\n"));
    ck_assert_ptr_nonnull(strstr(res.out, "\tret\n"));
}
END_TEST

/* ---- the host-file sandbox ------------------------------------------------ */

static char sb_dir[64];

/* TMP/root (in.txt, sub/, a FIFO, links to TMP/outside) and
 * TMP/outside/secret.txt. */
static void sandbox_tree(void)
{
    snprintf(sb_dir, sizeof sb_dir, "/tmp/parsim-sb-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(sb_dir));
    char p[256], q[256];
    snprintf(p, sizeof p, "%s/root", sb_dir);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/root/sub", sb_dir);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/outside", sb_dir);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/outside/secret.txt", sb_dir);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs("secret\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/root/in.txt", sb_dir);
    f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs("inside\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/outside/secret.txt", sb_dir);
    snprintf(q, sizeof q, "%s/root/link.txt", sb_dir);
    ck_assert_int_eq(symlink(p, q), 0);
    snprintf(p, sizeof p, "%s/outside", sb_dir);
    snprintf(q, sizeof q, "%s/root/outdir", sb_dir);
    ck_assert_int_eq(symlink(p, q), 0);
    snprintf(p, sizeof p, "%s/root/fifo", sb_dir);
    ck_assert_int_eq(mkfifo(p, 0644), 0);
}

static bool exists(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", sb_dir, rel);
    struct stat st;
    return lstat(p, &st) == 0;
}

START_TEST(test_sandbox_root)
{
    sandbox_tree();
    char root[128], abs_in[160], abs_out[160];
    snprintf(root, sizeof root, "%s/root", sb_dir);
    snprintf(abs_in, sizeof abs_in, "r:%s/root/in.txt", sb_dir);
    snprintf(abs_out, sizeof abs_out, "r:%s/outside/secret.txt", sb_dir);
    char *args[] = {"run", "-q", "--host-fs", root, (char *)tprog("sandbox"),
                    "r:in.txt", "r:../outside/secret.txt", abs_out, abs_in,
                    "r:link.txt", "r:outdir/secret.txt", "r:sub/../in.txt",
                    "r:sub/../../outside/secret.txt", "r:fifo", "r:sub",
                    "w:new.txt", "r:new.txt", "w:../outside/evil.txt",
                    "w:outdir/evil.txt", "d:../outside/secret.txt",
                    "m:new.txt=sub/moved.txt", "r:sub/moved.txt",
                    "m:sub/moved.txt=../outside/stolen.txt",
                    "m:../outside/secret.txt=stolen.txt",
                    "d:sub/moved.txt", "r:/etc/passwd", NULL};
    run_parsim(NULL, args);
    ck_assert_msg(res.status == 0, "%s", res.err);
    char want[2048];
    snprintf(want, sizeof want,
             "read in.txt: ok \"inside\"\n"
             "read ../outside/secret.txt: refused\n"
             "read %s/outside/secret.txt: refused\n"
             "read %s/root/in.txt: ok \"inside\"\n"
             "read link.txt: refused\n"
             "read outdir/secret.txt: refused\n"
             "read sub/../in.txt: ok \"inside\"\n"
             "read sub/../../outside/secret.txt: refused\n"
             "read fifo: refused\n"
             "read sub: refused\n"
             "write new.txt: ok\n"
             "read new.txt: ok \"written\"\n"
             "write ../outside/evil.txt: refused\n"
             "write outdir/evil.txt: refused\n"
             "remove ../outside/secret.txt: refused\n"
             "rename new.txt: ok\n"
             "read sub/moved.txt: ok \"written\"\n"
             "rename sub/moved.txt: refused\n"
             "rename ../outside/secret.txt: refused\n"
             "remove sub/moved.txt: ok\n"
             "read /etc/passwd: refused\n", sb_dir, sb_dir);
    ck_assert_str_eq(res.out, want);
    /* Nothing outside changed. */
    ck_assert(exists("outside/secret.txt"));
    ck_assert(!exists("outside/evil.txt"));
    ck_assert(!exists("outside/stolen.txt"));
    ck_assert(!exists("root/stolen.txt"));
    ck_assert(!exists("root/sub/moved.txt"));
    char *rm[] = {"rm", "-rf", sb_dir, NULL};
    TuResult r;
    ck_assert_int_eq(tu_run(rm, NULL, 30, &r), 0);
    tu_free(&r);
}
END_TEST

/* The default root is the directory parsim runs in; none refuses every
 * file; all lets anything through, with a warning. */
START_TEST(test_sandbox_modes)
{
    char *dflt[] = {"run", "--no-progress", (char *)tprog("sandbox"),
                    "r:README.md", "r:/etc/hostname", "r:../x", NULL};
    run_parsim(NULL, dflt);
    ck_assert_msg(res.status == 0, "%s", res.err);
    ck_assert_str_eq(res.out, "read README.md: ok \"# parsim\"\n"
                              "read /etc/hostname: refused\n"
                              "read ../x: refused\n");
    ck_assert_ptr_nonnull(strstr(res.err, "files refused    2 (outside "
                                          "--host-fs "));
    tu_free(&res);
    char *none[] = {"run", "-q", "--host-fs", "none",
                    (char *)tprog("sandbox"), "r:README.md", NULL};
    run_parsim(NULL, none);
    ck_assert_str_eq(res.out, "read README.md: refused\n");
    tu_free(&res);
    char *all[] = {"run", "-q", "--host-fs", "all", (char *)tprog("sandbox"),
                   "r:/etc/hostname", NULL};
    run_parsim(NULL, all);
    ck_assert_ptr_nonnull(strstr(res.out, "read /etc/hostname: ok"));
    ck_assert_ptr_nonnull(strstr(res.err, "warning: --host-fs all"));
    tu_free(&res);
    char *bad[] = {"run", "--host-fs", "/nonexistent-dir",
                   (char *)tprog("sandbox"), NULL};
    run_parsim(NULL, bad);
    ck_assert_int_eq(res.status, 64);
    ck_assert_ptr_nonnull(strstr(res.err, "run.host_fs = /nonexistent-dir: "
                                          "not a directory"));
}
END_TEST

/* ---- interrupted runs keep their results ---------------------------------- */

/* Run parsim on bad_spin.elf (a line, then a loop for ever) with stdout
 * a pipe's worth of file, send signo after a second, and wait: its
 * status (or -1 if it did not end within 20 s), stdout and stderr. */
static int interrupted_run(int signo, const char *stats, char *out,
                           size_t outlen, char *err, size_t errlen)
{
    char op[] = "/tmp/parsim-sig-out-XXXXXX", ep[] = "/tmp/parsim-sig-err-XXXXXX";
    int of = mkstemp(op), ef = mkstemp(ep);
    ck_assert(of >= 0 && ef >= 0);
    const char *parsim = tu_build_file("parsim");
    const char *elf = tprog("bad_spin");
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        dup2(of, 1);
        dup2(ef, 2);
        execl(parsim, parsim, "run", "--no-progress", "--stats", stats, elf,
              (char *)NULL);
        _exit(127);
    }
    close(of);
    close(ef);
    sleep(1);
    kill(pid, signo);
    int st = 0, status = -1;
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid) {
            status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            break;
        }
        usleep(100000);
    }
    if (status < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    FILE *f = fopen(op, "r");
    size_t n = f ? fread(out, 1, outlen - 1, f) : 0;
    out[n] = 0;
    if (f)
        fclose(f);
    f = fopen(ep, "r");
    n = f ? fread(err, 1, errlen - 1, f) : 0;
    err[n] = 0;
    if (f)
        fclose(f);
    unlink(op);
    unlink(ep);
    return status;
}

static const int interrupt_signals[] = {SIGINT, SIGTERM};

START_TEST(test_interrupt_keeps_results)
{
    int sig = interrupt_signals[_i];
    char stats[64], out[4096], err[16384];
    snprintf(stats, sizeof stats, "/tmp/parsim-sig-%d.json", (int)getpid());
    unlink(stats);
    int status = interrupted_run(sig, stats, out, sizeof out, err,
                                 sizeof err);
    ck_assert_msg(status == 128 + sig, "status %d: %s", status, err);
    /* The program's buffered line, the message, the summary, the stats. */
    ck_assert_str_eq(out, "spinning\n");
    ck_assert_ptr_nonnull(strstr(err, sig == SIGINT
                                          ? "parsim: interrupted at cycle "
                                          : "parsim: interrupted at cycle "));
    ck_assert_ptr_nonnull(strstr(err, sig == SIGINT ? "(SIGINT)"
                                                    : "(SIGTERM)"));
    ck_assert_ptr_nonnull(strstr(err, "instructions"));
    FILE *f = fopen(stats, "r");
    ck_assert_msg(f != NULL, "no --stats file after the signal");
    char js[8192];
    size_t n = fread(js, 1, sizeof js - 1, f);
    js[n] = 0;
    fclose(f);
    char want[32];
    snprintf(want, sizeof want, "\"exit_status\": %d", 128 + sig);
    ck_assert_msg(strstr(js, want), "no %s in the stats", want);
    unlink(stats);
}
END_TEST

/* --gui with no display says so and runs without a window, at once. */
START_TEST(test_gui_without_display)
{
    char *args[] = {"env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", "-u",
                    "SDL_VIDEODRIVER", "-u", "XDG_RUNTIME_DIR",
                    (char *)tu_build_file("parsim"), "run",
                    "-q", "--gui", (char *)tprog("int_edge"), NULL};
    TuResult r;
    ck_assert_int_eq(tu_run(args, NULL, 20, &r), 0);
    ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "parsim: --gui: no display"));
    /* parsim's line first, no library's complaints before it. */
    ck_assert_msg(!strncmp(r.err, "parsim: --gui: no display", 25), "%s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "running without a window"));
    tu_free(&r);
}
END_TEST

/* Configuration errors exit 64 and say "configuration", wherever they
 * are found (the keys, or the machine they make), before any program is
 * read. */
static const char *const config_errors[][6] = {
    {"--set", "l1d.size=48K", NULL},
    {"--set", "llc.assoc=3", NULL},
    {"--cores", "6", "--set", "numa.nodes=4", NULL},
    {"--cores", "4", "--set", "coherence.organisation=snoop", "--set",
     "noc.topology=mesh"},
    {"--set", "l2.size=64K", "--set", "l2.line=32", NULL},
    {"--set", "numa.page_size=100", NULL},
    {"--cores", "4", "--set", "numa.placement=bound", "--set",
     "numa.bound_node=3"},
    {"--cores", "6", "--set", "noc.topology=mesh", "--set", "noc.width=4"},
    {"--ranks", "6", "--set", "noc.width=4", NULL},
    {"--machine", "/tmp", NULL},
    {"--host-fs", "/nonexistent", NULL},
    {"--cores", " -1", NULL},           /* strict numbers: no sign, */
    {"--cores", "0x10", NULL},          /* no hex, */
    {"--ram-size", " 64M", NULL},       /* no space */
    {"--set", "run.max_cycles=+5", NULL},
    {"--set", "run.stack_size=1000", NULL},     /* not a multiple of 16 */
    {"--set", "gpu.l1_assoc=1000", NULL},       /* more ways than lines */
    {"--set", "gpu.registers_per_sm=1024", NULL},   /* not one warp's */
    {"--set", "gpu.sms=2", "--ranks", "2", NULL},   /* ranks have no GPU */
    {"--set", "gpu.l2_size=3000", NULL},        /* not a power of two */
    {"--cores", "2", "--host-threads", "4", NULL},
    {"--cores", "64", "--threads-per-core", "2", NULL},
    {"--set", "machine.ram_size=100000", NULL}, /* not whole pages */
    {"--set", "mp.ranks=65", NULL},
    {"--set", "memory.latency=50", NULL},       /* the flat model's, unused */
    {"--set", "core.mt_policy=bogus", NULL},
    {"--set", "run.mode=fast", NULL},
};

START_TEST(test_config_errors_exit_64)
{
    char *args[16] = {"run", "-q"};
    int n = 2;
    for (int k = 0; k < 6 && config_errors[_i][k]; k++)
        args[n++] = (char *)config_errors[_i][k];
    args[n++] = (char *)tprog("int_edge");
    args[n] = NULL;
    run_parsim(NULL, args);
    ck_assert_msg(res.status == 64, "case %d: status %d: %s", _i, res.status,
                  res.err);
    ck_assert_msg(strstr(res.err, "parsim: configuration: ") && !res.out[0],
                  "case %d: %s", _i, res.err);
}
END_TEST

/* --break and --watch: the run stops at the first one reached with one
 * line saying where and when (status 76), then the summary; a spec that
 * names nothing is a usage error before the run. */
static const struct {
    const char *opt, *spec;
    int status;
    const char *says[3];
} breaks[] = {
    {"--break", "tas_unlock", 76,
     {"parsim: break: hart ", " in tas_unlock (sync.c:", ", at cycle "}},
    {"--break", "counter.c:42", 76, {"parsim: break: ", "(counter.c:42)"}},
    {"--break", "threads/counter.c:42", 76, {"(counter.c:42)"}},
    {"--watch", "counter", 76,
     {"parsim: watch: hart ", "(counter.c:42), changed counter+0 from 0 "
      "to 1, at cycle "}},
    /* .data: from the value main() starts with, not the start-up's copy. */
    {"--watch", "per_hart", 76,
     {"in main+", "changed per_hart+0 from 1000 to 10"}},
    {"--break", "no_such_function", 64,
     {"--break no_such_function: no such function"}},
    {"--break", "counter.c:1", 64, {"--break counter.c:1: no code at that "
                                    "line"}},
    {"--break", "counter.c:x", 64, {"no such function"}},
    {"--break", "0x3", 64, {"not an address"}},
    {"--watch", "tas_lock", 64, {"a function, not a variable"}},
    {"--watch", "no_such_variable", 64, {"no such variable"}},
};

START_TEST(test_breaks)
{
    char *args[] = {"run", "--cores", "2", (char *)breaks[_i].opt,
                    (char *)breaks[_i].spec,
                    (char *)tu_built("programs/threads/counter.elf"), "tas",
                    "10", NULL};
    run_parsim(NULL, args);
    const char *want[4] = {NULL};
    for (int k = 0; k < 3 && breaks[_i].says[k]; k++)
        want[k] = breaks[_i].says[k];
    assert_error(breaks[_i].status, want);
    if (breaks[_i].status == 76)
        ck_assert_msg(strstr(res.err, "exited with status 76") ||
                      strstr(res.err, "instructions"),
                      "no summary after the stop: %s", res.err);
}
END_TEST

/* A key the command line gives that the machine would not use is an
 * error naming why (the model or part that would use it); the same key
 * from a machine file is not (a preset sets keys for every use). */
static const struct {
    const char *args[6], *why;
} unused_keys[] = {
    {{"--set", "memory.model=flat", "--set", "l1d.size=16K"},
     "l1d.size = 16384 would do nothing: it is the memory hierarchy's, "
     "and memory.model = flat"},
    {{"--set", "l2.latency=9"}, "the L2 is off (l2.size = 0)"},
    {{"--set", "core.switch_penalty=3"},
     "a core runs one hardware thread"},
    {{"--quantum", "100"}, "run.quantum = 100 would do nothing: the run is "
     "in deterministic mode"},
    {{"--set", "mp.gap=3"}, "there are no ranks"},
    {{"--set", "gpu.sms=0", "--set", "gpu.l1_size=8K"}, "there is no GPU"},
    {{"--set", "gpu.link_latency=9"}, "gpu.memory = unified"},
    {{"--set", "gpu.mem_latency=9"}, "behind its memory hierarchy"},
    {{"--set", "coherence.dir_latency=5"}, "snoop on a bus"},
    {{"--cores", "4", "--set", "numa.nodes=2", "--set", "numa.bound_node=1"},
     "numa.placement = bound uses it"},
    {{"--no-timing", "--set", "l1d.size=16K"}, "run.timing = 0"},
    {{"--no-timing", "--set", "core.mul_latency=9"}, "run.timing = 0"},
};

START_TEST(test_unused_keys)
{
    char *args[16] = {"run", "-q"};
    int n = 2;
    for (int k = 0; k < 6 && unused_keys[_i].args[k]; k++)
        args[n++] = (char *)unused_keys[_i].args[k];
    args[n++] = (char *)tprog("int_edge");
    args[n] = NULL;
    run_parsim(NULL, args);
    const char *want[] = {"parsim: configuration: ", unused_keys[_i].why,
                          "would do nothing", NULL};
    assert_error(64, want);
}
END_TEST

/* The same keys where the machine uses them, or from a machine file. */
START_TEST(test_used_keys)
{
    const char *const ok[][8] = {
        {"--threads-per-core", "2", "--set", "core.switch_penalty=3"},
        {"--set", "l2.size=64K", "--set", "l2.latency=9"},
        {"--cores", "16", "--set", "coherence.dir_latency=5"},
        {"--cores", "2", "--host-threads", "2", "--quantum", "100"},
        {"--set", "gpu.memory=discrete", "--set", "gpu.link_latency=9"},
        {"--set", "memory.model=flat", "--set", "memory.dram_latency=50"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char *args[16] = {"run", "-q"};
        int n = 2;
        for (int k = 0; k < 8 && ok[i][k]; k++)
            args[n++] = (char *)ok[i][k];
        args[n++] = (char *)tprog("int_edge");
        args[n] = NULL;
        run_parsim(NULL, args);
        ck_assert_msg(res.status == 0, "case %zu: %s", i, res.err);
        tu_free(&res);
    }
    char path[64];
    write_machine(path, (MachineText){"[l2]\nlatency = 9\n[core]\n"
                                      "switch_penalty = 4\n", 0, 0, ""});
    char *args[] = {"run", "-q", "--machine", path, (char *)tprog("int_edge"),
                    NULL};
    run_parsim(NULL, args);
    unlink(path);
    ck_assert_msg(res.status == 0, "%s", res.err);
}
END_TEST

/* A wrong machine file is a configuration error like the others: 64,
 * naming the file and the line, before any program is read. */
START_TEST(test_machine_file_errors_exit_64)
{
    char path[64], where[128];
    char *prog = (char *)tprog("int_edge");
    write_machine(path, ini_errors[_i].text);
    char *args[] = {"run", "-q", "--machine", path, prog, NULL};
    run_parsim(NULL, args);
    unlink(path);
    snprintf(where, sizeof where, "parsim: configuration: %s:%d: ", path,
             ini_errors[_i].line);
    const char *n[] = {where, ini_errors[_i].why, NULL};
    assert_error(64, n);
    ck_assert_str_eq(res.out, "");
}
END_TEST

/* auto picks what the other keys allow; a directory or a FIFO as the
 * program is "cannot read" (66), without reading it. */
START_TEST(test_auto_and_unreadable)
{
    char *mesh[] = {"run", "-q", "--cores", "4", "--set", "noc.topology=mesh",
                    (char *)tprog("int_edge"), NULL};
    run_parsim(NULL, mesh);
    ck_assert_msg(res.status == 0, "%s", res.err);
    tu_free(&res);
    char *dir[] = {"run", "-q", "/tmp", NULL};
    run_parsim(NULL, dir);
    ck_assert_int_eq(res.status, 66);
    ck_assert_ptr_nonnull(strstr(res.err, "not a regular file (a directory)"));
    tu_free(&res);
    char fifo[64];
    snprintf(fifo, sizeof fifo, "/tmp/parsim-fifo-%d", (int)getpid());
    unlink(fifo);
    ck_assert_int_eq(mkfifo(fifo, 0644), 0);
    char *ff[] = {"run", "-q", fifo, NULL};
    run_parsim(NULL, ff);
    unlink(fifo);
    ck_assert_int_eq(res.status, 66);
    ck_assert_ptr_nonnull(strstr(res.err, "not a regular file (a FIFO)"));
}
END_TEST

/* A name from the debug info with a terminal escape in it (a #line
 * directive) reaches the message as \x1b, never as the byte. */
START_TEST(test_messages_sanitised)
{
    char *args[] = {"run", "-q", (char *)tprog("bad_line"), NULL};
    run_parsim(NULL, args);
    ck_assert_int_eq(res.status, 70);
    ck_assert_msg(strstr(res.err, "(\\x1b[2Jforged.c:7)"), "%s", res.err);
    ck_assert_ptr_null(memchr(res.err, 0x1b, res.err_len));
}
END_TEST

Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("config");
    tcase_add_loop_test(tc, test_parse_size, 0,
                        sizeof sizes / sizeof sizes[0]);
    tcase_add_test(tc, test_config_set);
    tcase_add_test(tc, test_config_long_value_message);
    tcase_add_loop_test(tc, test_ini_long_value, 0,
                        sizeof long_values / sizeof long_values[0]);
    tcase_add_loop_test(tc, test_ini_long_comment, 0,
                        sizeof long_comments / sizeof long_comments[0]);
    tcase_add_loop_test(tc, test_ini_same_as_inih, 0,
                        sizeof inih_lines / sizeof inih_lines[0]);
    tcase_add_loop_test(tc, test_ini_errors, 0,
                        sizeof ini_errors / sizeof ini_errors[0]);
    tcase_add_test(tc, test_ini_crlf);
    tcase_add_test(tc, test_ini_no_final_newline);
    tcase_add_test(tc, test_ini_empty);
    tcase_add_test(tc, test_ini_bom);
    tcase_add_test(tc, test_ini_colon);
    suite_add_tcase(s, tc);

    tc = tcase_create("semihost");
    tcase_add_checked_fixture(tc, sh_setup, sh_teardown);
    tcase_add_test(tc, test_sh_console_write);
    tcase_add_test(tc, test_sh_features);
    tcase_add_test(tc, test_sh_cmdline);
    tcase_add_test(tc, test_sh_exit);
    tcase_add_test(tc, test_sh_clock_and_unknown);
    suite_add_tcase(s, tc);

    tc = tcase_create("e2e");
    tcase_add_checked_fixture(tc, NULL, teardown_res);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_e2e_semihost_io);
    tcase_add_test(tc, test_e2e_illegal);
    tcase_add_test(tc, test_e2e_wild_store);
    tcase_add_test(tc, test_e2e_misaligned_amo);
    tcase_add_test(tc, test_e2e_cycle_limit);
    tcase_add_test(tc, test_e2e_ebreak);
    tcase_add_test(tc, test_e2e_bad_files);
    tcase_add_test(tc, test_e2e_small_ram);
    tcase_add_test(tc, test_e2e_bad_usage);
    tcase_add_test(tc, test_e2e_timing_off_and_determinism);
    tcase_add_test(tc, test_e2e_disasm);
    tcase_add_test(tc, test_sandbox_root);
    tcase_add_test(tc, test_sandbox_modes);
    tcase_add_test(tc, test_gui_without_display);
    tcase_add_test(tc, test_messages_sanitised);
    tcase_add_loop_test(tc, test_config_errors_exit_64, 0,
                        (int)(sizeof config_errors / sizeof config_errors[0]));
    tcase_add_loop_test(tc, test_breaks, 0,
                        (int)(sizeof breaks / sizeof breaks[0]));
    tcase_add_loop_test(tc, test_unused_keys, 0,
                        (int)(sizeof unused_keys / sizeof unused_keys[0]));
    tcase_add_test(tc, test_used_keys);
    tcase_add_loop_test(tc, test_machine_file_errors_exit_64, 0,
                        (int)(sizeof ini_errors / sizeof ini_errors[0]));
    tcase_add_test(tc, test_auto_and_unreadable);
    tcase_add_loop_test(tc, test_interrupt_keeps_results, 0,
                        (int)(sizeof interrupt_signals /
                              sizeof interrupt_signals[0]));
    tcase_add_loop_test(tc, test_e2e_timing_exact, 0,
                        sizeof timing_cases / sizeof timing_cases[0]);
    suite_add_tcase(s, tc);
    return s;
}
