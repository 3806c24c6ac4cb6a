/* check_disasm.c — the disassembler against its spec, binutils' objdump.
 *
 * Three layers:
 *   - hand-picked encodings with the text objdump prints for them (runs
 *     with no toolchain at all);
 *   - every instruction of every ELF the build produced
 *     ($PARSIM_BUILD/programs/{dir}/{name}.elf, .../tests/programs/{name}.elf)
 *     and of tests/programs/disasm_all.S (every instruction and alias form
 *     written out), decoded with isa_decode and compared line by line with
 *     `riscv64-unknown-elf-objdump -d`;
 *   - a sweep: every 16-bit encoding plus words drawn from each op's
 *     match/mask with alias-prone field values (x0, ra, imm 0/1/-1, CSR
 *     numbers with aliases, rounding mode dyn), assembled with .insn.
 * objdump's trailing "# ..." comments are not part of the comparison.
 * PARSIM_DISASM_VERBOSE=1 prints every mismatch, not just the first 20.
 */
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isa/isa.h"

#define OBJDUMP "riscv64-unknown-elf-objdump"
#define CROSS_CC "riscv64-unknown-elf-gcc"

/* ---- Symbols, chosen the way objdump chooses them ------------------------- */

typedef struct Sym {
    uint32_t value;
    char *name, *section;
    char bind;          /* 'l', 'g', ... (objdump -t column 1) */
    char kind;          /* 'F' function, 'O' object, ' ' */
    bool file;
} Sym;

typedef struct SymTab {
    Sym *v;
    size_t n;
    const char *section;    /* section being disassembled */
} SymTab;

static bool is_mapping_symbol(const char *name)
{
    return name[0] == '$' && (name[1] == 'x' || name[1] == 'd');
}

/* objdump's compare_symbols: at one address, non-file symbols first, then
 * functions, objects, globals, names not starting with '.', by name. */
static int cmp_sym(const void *pa, const void *pb)
{
    const Sym *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    if (a->file != b->file)
        return a->file ? 1 : -1;
    if ((a->kind == 'F') != (b->kind == 'F'))
        return a->kind == 'F' ? -1 : 1;
    if ((a->kind == 'O') != (b->kind == 'O'))
        return a->kind == 'O' ? -1 : 1;
    if ((a->bind == 'l') != (b->bind == 'l'))
        return a->bind == 'l' ? 1 : -1;
    if ((a->name[0] == '.') != (b->name[0] == '.'))
        return a->name[0] == '.' ? 1 : -1;
    return strcmp(a->name, b->name);
}

/* Parse `objdump -t`: "80000000 g     F .text\t00000010 .hidden main". */
static bool load_syms(const char *elf, SymTab *t)
{
    char cmd[1024], line[1024];
    snprintf(cmd, sizeof cmd, OBJDUMP " -t '%s' 2>/dev/null", elf);
    FILE *p = popen(cmd, "r");
    if (!p)
        return false;
    size_t cap = 0;
    memset(t, 0, sizeof *t);
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        unsigned value;
        char *tab = strchr(line, '\t');
        if (strlen(line) < 18 || !tab || sscanf(line, "%8x", &value) != 1
            || line[8] != ' ')
            continue;
        const char *flags = line + 9;       /* 7 flag characters */
        if (flags[5] == 'd')                /* debugging, section, file */
            continue;
        char *sec = line + 17, *size_end;
        *tab = 0;
        strtoul(tab + 1, &size_end, 16);
        char *name = size_end + (*size_end == ' ');
        if (strncmp(name, ".hidden ", 8) == 0)
            name += 8;
        if (!strcmp(sec, "*UND*") || !strcmp(sec, "*COM*") || !*name
            || is_mapping_symbol(name))
            continue;
        if (t->n == cap) {
            cap = cap ? cap * 2 : 256;
            t->v = realloc(t->v, cap * sizeof *t->v);
        }
        t->v[t->n++] = (Sym){ value, strdup(name), strdup(sec), flags[0],
                              flags[6], flags[6] == 'f' };
    }
    pclose(p);
    qsort(t->v, t->n, sizeof *t->v, cmp_sym);
    return true;
}

static void free_syms(SymTab *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        free(t->v[i].section);
    }
    free(t->v);
}

/* The last symbol at or below addr; among several at one address the
 * first in cmp_sym order, unless one lies in the section being
 * disassembled (objdump's find_symbol_for_address). */
static bool sym_lookup(void *ctx, uint32_t addr, const char **name,
                       uint32_t *off)
{
    const SymTab *t = ctx;
    size_t lo = 0, hi = t->n;           /* first index with value > addr */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->v[mid].value <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    size_t first = lo - 1;
    while (first > 0 && t->v[first - 1].value == t->v[lo - 1].value)
        first--;
    const Sym *s = &t->v[first];
    for (size_t i = first; i < lo; i++) {
        if (t->section && !strcmp(t->v[i].section, t->section)) {
            s = &t->v[i];
            break;
        }
    }
    *name = s->name;
    *off = addr - s->value;
    return true;
}

/* ---- Comparing one ELF with objdump -d ------------------------------------ */

typedef struct Tally {
    unsigned compared, mismatched, undecodable, files;
    char report[8192];
    size_t rlen;
} Tally;

static void note(Tally *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(Tally *t, const char *fmt, ...)
{
    va_list ap;
    if (t->rlen >= sizeof t->report - 1)
        return;
    va_start(ap, fmt);
    int w = vsnprintf(t->report + t->rlen, sizeof t->report - t->rlen, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->rlen += (size_t)w;
    if (t->rlen > sizeof t->report - 1)
        t->rlen = sizeof t->report - 1;
}

/* strict: also compare the .2byte/.4byte lines objdump prints for words it
 * cannot decode (right for the sweep, whose every word is an instruction;
 * in real programs such lines are data inside .text). */
static void compare_elf(const char *elf, bool strict, Tally *tally)
{
    SymTab syms;
    char cmd[1024], line[1024], sect[256] = "", got[256];
    ck_assert_msg(load_syms(elf, &syms), "cannot read symbols of %s", elf);
    syms.section = sect;
    snprintf(cmd, sizeof cmd, OBJDUMP " -d '%s' 2>/dev/null", elf);
    FILE *p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "cannot run objdump on %s", elf);
    unsigned before = tally->compared;
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        if (sscanf(line, "Disassembly of section %255[^:]:", sect) == 1)
            continue;
        /* "80000004:\t00010113          \tmv\tsp,sp" */
        unsigned addr, raw;
        char *colon = strstr(line, ":\t");
        if (!colon || sscanf(line, " %x:", &addr) != 1)
            continue;
        char *hex = colon + 2, *end;
        raw = (unsigned)strtoul(hex, &end, 16);
        size_t digits = (size_t)(end - hex);
        char *text = strchr(end, '\t');
        if ((digits != 4 && digits != 8) || !text)
            continue;
        text++;
        char *comment = strstr(text, " # ");
        if (comment)
            *comment = 0;
        for (size_t k = strlen(text); k && text[k - 1] == ' '; k--)
            text[k - 1] = 0;
        if (text[0] == '.' && (!strict || (strncmp(text, ".2byte", 6)
                                           && strncmp(text, ".4byte", 6)))) {
            tally->undecodable++;
            continue;
        }
        IsaInsn in;
        (void)isa_decode(raw, &in);
        isa_disasm(&in, addr, got, sizeof got, sym_lookup, &syms);
        tally->compared++;
        if (strcmp(got, text) != 0) {
            if (getenv("PARSIM_DISASM_VERBOSE"))
                fprintf(stderr, "%08x %0*x\t%s\t|%s\n", addr, (int)digits,
                        raw, text, got);
            if (tally->mismatched < 20)
                note(tally, "  %s %08x: %0*x  want \"%s\"  got \"%s\"\n",
                     strrchr(elf, '/') ? strrchr(elf, '/') + 1 : elf, addr,
                     (int)digits, raw, text, got);
            tally->mismatched++;
        }
    }
    int rc = pclose(p);
    free_syms(&syms);
    ck_assert_msg(rc == 0, "objdump -d %s failed", elf);
    ck_assert_msg(tally->compared > before, "no instructions in %s", elf);
    tally->files++;
}

static void check_tally(const char *what, const Tally *t)
{
    fprintf(stderr, "disasm %s: %u files, %u instructions compared, "
            "%u mismatches, %u lines objdump cannot decode either\n",
            what, t->files, t->compared, t->mismatched, t->undecodable);
    ck_assert_msg(t->mismatched == 0, "%s: %u of %u instructions differ "
                  "from objdump:\n%s", what, t->mismatched, t->compared,
                  t->report);
}

/* Every *.elf in dir, and one level of subdirectories when deep. */
static void compare_dir(const char *dir, bool deep, Tally *t)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".elf"))
            compare_elf(path, false, t);
        else if (deep)
            compare_dir(path, false, t);
    }
    closedir(d);
}

static bool have_toolchain(void)
{
    return system(OBJDUMP " --version >/dev/null 2>&1") == 0
        && system(CROSS_CC " --version >/dev/null 2>&1") == 0;
}

/* Assemble and link src (-Ttext puts code where parsim loads it). */
static bool build_elf(const char *src, const char *elf)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, CROSS_CC " -march=rv32imafc_zicsr_zifencei -mabi=ilp32f "
             "-nostdlib -nostartfiles -Wl,-Ttext=0x80000000 -Wl,-e,0x80000000 "
             "'%s' -o '%s'", src, elf);
    return system(cmd) == 0;
}

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/check_disasm.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "check_disasm: could not remove %s\n", tmpdir);
}

/* ---- Hand-picked encodings ------------------------------------------------- */

static const struct Case {
    uint32_t raw, pc;
    const char *want;
} cases[] = {
    { 0x00010113, 0x80000004, "mv\tsp,sp" },
    { 0x81018193, 0x8000000c, "add\tgp,gp,-2032" },
    { 0x6309,     0x80000014, "lui\tt1,0x2" },
    { 0x0060006f, 0x80000032, "j\t80000038 <f+0x8>" },
    { 0x328002ef, 0x80000038, "jal\tt0,80000360" },
    { 0x2eb5,     0x80000050, "jal\t800003cc" },
    { 0x00269793, 0x800000aa, "sll\ta5,a3,0x2" },
    { 0xed19,     0x8000008c, "bnez\ta0,800000aa" },
    { 0x00080463, 0x800000a2, "beqz\ta6,800000aa" },
    { 0x300022f3, 0, "csrr\tt0,mstatus" },
    { 0x30029073, 0, "csrw\tmstatus,t0" },
    { 0x00305073, 0, "csrw\tfcsr,0" },
    { 0xf1402573, 0, "csrr\ta0,mhartid" },
    { 0x31002573, 0, "csrr\ta0,0x310" },      /* mstatush: priv 1.12 only */
    { 0xb0302573, 0, "csrr\ta0,mhpmcounter3" },
    { 0xc0002573, 0, "rdcycle\ta0" },
    { 0xc8202573, 0, "rdinstreth\ta0" },
    { 0x00302573, 0, "frcsr\ta0" },
    { 0x0021d073, 0, "fsrmi\tzero,3" },
    { 0xc0001073, 0, "unimp" },
    { 0x0000,     0, "unimp" },
    { 0x8082,     0, "ret" },
    { 0x8502,     0, "jr\ta0" },
    { 0x9502,     0, "jalr\ta0" },
    { 0x852a,     0, "mv\ta0,a0" },
    { 0x0501,     0, "add\ta0,a0,0" },
    { 0x0001,     0, "nop" },
    { 0x00000013, 0, "nop" },
    { 0x40a00533, 0, "neg\ta0,a0" },
    { 0xfff54513, 0, "not\ta0,a0" },
    { 0x00153513, 0, "seqz\ta0,a0" },
    { 0x00a03533, 0, "snez\ta0,a0" },
    { 0x0ff0000f, 0, "fence" },
    { 0x0330000f, 0, "fence\trw,rw" },
    { 0x8330000f, 0, "fence.tso" },
    { 0x0000100f, 0, "fence.i" },
    { 0x0000008f, 0, ".4byte\t0x8f" },
    { 0x2000,     0, ".2byte\t0x2000" },
    { 0x1405252f, 0, "lr.w.aq\ta0,(a0)" },
    { 0x06b5252f, 0, "amoadd.w.aqrl\ta0,a1,(a0)" },
    { 0x00b57553, 0, "fadd.s\tfa0,fa0,fa1" },
    { 0x00b50553, 0, "fadd.s\tfa0,fa0,fa1,rne" },
    { 0xc0051553, 0, "fcvt.w.s\ta0,fa0,rtz" },
    { 0x20b58553, 0, "fmv.s\tfa0,fa1" },
    { 0x20b59553, 0, "fneg.s\tfa0,fa1" },
    { 0x20b5a553, 0, "fabs.s\tfa0,fa1" },
    { 0x60b57543, 0, "fmadd.s\tfa0,fa0,fa1,fa2" },
};

/* A single symbol "f" at 0x80000030 for the cases' targets. */
static bool case_sym(void *ctx, uint32_t addr, const char **name,
                     uint32_t *off)
{
    (void)ctx;
    if (addr < 0x80000030 || addr >= 0x80000040)
        return false;
    *name = "f";
    *off = addr - 0x80000030;
    return true;
}

START_TEST(test_cases)
{
    const struct Case *c = &cases[_i];
    IsaInsn in;
    char got[128];
    (void)isa_decode(c->raw, &in);
    int n = isa_disasm(&in, c->pc, got, sizeof got, case_sym, NULL);
    ck_assert_msg(strcmp(got, c->want) == 0, "%08x: want \"%s\" got \"%s\"",
                  c->raw, c->want, got);
    ck_assert_int_eq(n, (int)strlen(got));
}
END_TEST

/* Truncation keeps the NUL and writes nothing past n. */
START_TEST(test_small_buffer)
{
    IsaInsn in;
    char buf[8];
    (void)isa_decode(0x81018193, &in);
    memset(buf, 'X', sizeof buf);
    int n = isa_disasm(&in, 0, buf, 4, NULL, NULL);
    ck_assert_str_eq(buf, "add");
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(buf[4], 'X');
    ck_assert_int_eq(isa_disasm(&in, 0, buf, 0, NULL, NULL), 0);
}
END_TEST

/* ---- Against objdump ------------------------------------------------------- */

START_TEST(test_programs)
{
    if (!have_toolchain()) {
        fprintf(stderr, "disasm: no riscv64-unknown-elf toolchain, skipped\n");
        return;
    }
    const char *build = getenv("PARSIM_BUILD");
    char dir[1024];
    Tally t = { 0 };
    if (!build || !*build)
        build = "build";
    snprintf(dir, sizeof dir, "%s/programs", build);
    compare_dir(dir, true, &t);
    snprintf(dir, sizeof dir, "%s/tests/programs", build);
    compare_dir(dir, false, &t);
    check_tally("programs", &t);
}
END_TEST

START_TEST(test_all_forms)
{
    static const char src[] = "tests/programs/disasm_all.S";
    char elf[128];
    if (!have_toolchain() || access(src, R_OK) != 0) {
        fprintf(stderr, "disasm: no toolchain or %s, skipped\n", src);
        return;
    }
    Tally t = { 0 };
    snprintf(elf, sizeof elf, "%s/all.elf", tmpdir);
    ck_assert_msg(build_elf(src, elf), "cannot assemble %s", src);
    compare_elf(elf, true, &t);
    check_tally("all forms", &t);
}
END_TEST

/* Field values that select aliases, chosen often so each op meets them. */
static uint32_t pick_reg(uint32_t *seed)
{
    static const uint8_t special[] = { 0, 0, 1, 2, 10, 11 };
    *seed = *seed * 1103515245u + 12345u;
    uint32_t r = *seed >> 16;
    return (r & 1) ? special[(r >> 1) % sizeof special] : (r >> 4) & 31;
}

static uint32_t pick_word(uint32_t *seed)
{
    static const uint32_t hi12[] = {         /* bits 31:20: imm or CSR */
        0x000, 0x001, 0xfff, 0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02,
        0xc80, 0xc81, 0xc82, 0x300, 0x310, 0xf14, 0x7c0, 0xb03, 0x800,
        0x3a3, 0x3bf, 0xc1f, 0x723, 0x5a8,
    };
    uint32_t w = 0;
    for (int k = 0; k < 2; k++) {
        *seed = *seed * 1103515245u + 12345u;
        w = (w << 16) ^ (*seed >> 16);
    }
    *seed = *seed * 1103515245u + 12345u;
    uint32_t r = *seed >> 16;
    if (r & 1)
        w = (w & 0x000fffff) | hi12[(r >> 1) % (sizeof hi12 / 4)] << 20;
    if (r & 2)
        w |= 7u << 12;                        /* rm = dyn */
    w = (w & ~(31u << 7)) | pick_reg(seed) << 7;
    w = (w & ~(31u << 15)) | pick_reg(seed) << 15;
    if (r & 4)
        w = (w & ~(31u << 20)) | ((w >> 15) & 31) << 20;   /* rs2 = rs1 */
    else if (!(r & 1))
        w = (w & ~(31u << 20)) | pick_reg(seed) << 20;
    return w;
}

START_TEST(test_sweep)
{
    char src[128], elf[128];
    if (!have_toolchain()) {
        fprintf(stderr, "disasm: no toolchain, sweep skipped\n");
        return;
    }
    snprintf(src, sizeof src, "%s/sweep.S", tmpdir);
    snprintf(elf, sizeof elf, "%s/sweep.elf", tmpdir);
    FILE *f = fopen(src, "w");
    ck_assert_ptr_nonnull(f);
    /* priv spec 1.11 as gcc records it, so CSR names match programs'; an
     * absolute symbol at 0 so every branch target has one below it */
    fputs(".attribute priv_spec, 1\n.attribute priv_spec_minor, 11\n"
          ".globl base\n.set base, 0\n.text\n.globl _start\n_start:\n", f);
    for (uint32_t h = 0; h < 0x10000; h++)
        if ((h & 3) != 3)
            fprintf(f, ".insn 2, 0x%04x\n", h);
    uint32_t seed = 1;
    for (unsigned op = 1; op < ISA_OP_COUNT; op++) {
        const IsaOpInfo *oi = &isa_op_info[op];
        for (int k = 0; k < 96; k++) {
            uint32_t w = (pick_word(&seed) & ~oi->mask) | oi->match;
            fprintf(f, ".insn 4, 0x%08x\n", w);
        }
    }
    /* and words on the same major opcodes with every other field random:
     * reserved and foreign encodings must print as objdump prints them */
    for (unsigned op = 1; op < ISA_OP_COUNT; op++) {
        for (int k = 0; k < 192; k++) {
            uint32_t w = (pick_word(&seed) & ~0x7fu)
                       | (isa_op_info[op].match & 0x7f);
            fprintf(f, ".insn 4, 0x%08x\n", w);
        }
    }
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_msg(build_elf(src, elf), "cannot assemble the sweep");
    Tally t = { 0 };
    compare_elf(elf, true, &t);
    check_tally("sweep", &t);
}
END_TEST

Suite *disasm_suite(void)
{
    Suite *s = suite_create("disasm");
    TCase *tc = tcase_create("cases");
    tcase_add_loop_test(tc, test_cases, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, test_small_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("objdump");
    tcase_add_checked_fixture(tc, make_tmpdir, remove_tmpdir);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_programs);
    tcase_add_test(tc, test_all_forms);
    tcase_add_test(tc, test_sweep);
    suite_add_tcase(s, tc);
    return s;
}
