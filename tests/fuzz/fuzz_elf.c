/* fuzz_elf.c — libFuzzer target: the ELF loader with its symbols, source
 * lines and CFI unwinding (sim/elf.h).
 *
 * The input is a program file.  It is opened as parsim run opens one
 * (sim_elf_open on a file holding it: a memfd), loaded into a RAM laid
 * out as the default machine's (128 MiB at 0x80000000, between two
 * inaccessible guard pages), and then asked what parsim's messages ask:
 * the symbol, source line and description of the entry point, of the
 * top of the image and of addresses through every code section; a
 * backtrace from each of several of those addresses over a made-up
 * register file and a stack of plausible return addresses; and the
 * disassembly of its code sections as parsim disasm prints it.  Besides
 * "no crash, no leak, no UB" it checks what the header promises: a
 * symbol contains the address it was found for and is found again by
 * name (sim_elf_symbol and sim_elf_value), names and file names reach
 * messages without control bytes, and
 * a backtrace returns at most what was asked, each address in RAM.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/elf.h"
#include "tests/fuzz/fuzz.h"

#define RAM_BASE 0x80000000u
#define RAM_SIZE (128u << 20)          /* the default machine.ram_size */
#define MAX_PROBES 96
#define MAX_BACKTRACES 12
#define MAX_DISASM 16384               /* bytes of code disassembled */

static IsaMem mem;
static size_t page;

/* The RAM is mapped once; madvise gives it back as zeros after each
 * input (sim_elf_load needs all zeros), at the cost of the pages used. */
static void ram_init(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *m = mmap(NULL, RAM_SIZE + 2 * page, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED ||
        mprotect(m + page, RAM_SIZE, PROT_READ | PROT_WRITE) != 0)
        abort();
    mem.ram = m + page;
    mem.base = RAM_BASE;
    mem.size = RAM_SIZE;
}

static bool clean(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

typedef struct Probe {
    const SimProgram *p;
    uint32_t addr[MAX_PROBES];
    int n;
    size_t disasm_left;
} Probe;

static void add(Probe *pr, uint32_t addr)
{
    if (pr->n < MAX_PROBES)
        pr->addr[pr->n++] = addr;
}

/* A code section: probe addresses through it, and disassemble it the
 * way parsim disasm does. */
static void on_section(void *ctx, const char *name, uint32_t addr,
                       const uint8_t *bytes, size_t size)
{
    Probe *pr = ctx;
    FUZZ_CHECK(name != NULL, "a code section without a name");
    add(pr, addr);
    add(pr, addr + (uint32_t)size / 2);
    add(pr, addr + (uint32_t)size - 2);
    for (size_t off = 8; off < size && off < 16 * 64; off += 64)
        add(pr, addr + (uint32_t)off);
    size_t off = 0;
    while (off + 2 <= size && pr->disasm_left >= 4) {
        uint32_t pc = addr + (uint32_t)off;
        uint32_t raw = (uint32_t)bytes[off] | (uint32_t)bytes[off + 1] << 8;
        unsigned len = (raw & 3) == 3 ? 4 : 2;
        if (len == 4) {
            if (off + 4 > size)
                break;
            raw |= (uint32_t)bytes[off + 2] << 16 |
                   (uint32_t)bytes[off + 3] << 24;
        }
        IsaInsn in;
        char text[160];
        if (isa_decode(raw, &in)) {
            int n = isa_disasm(&in, pc, text, sizeof text, sim_elf_symfn,
                               (void *)pr->p);
            FUZZ_CHECK((size_t)n == strlen(text), "disassembly at 0x%08x", pc);
        }
        off += len;
        pr->disasm_left -= len;
    }
}

static void ask_about(const SimProgram *p, uint32_t addr)
{
    const SimSymbol *s = sim_elf_symbol_at(p, addr);
    if (s) {
        FUZZ_CHECK(s->name && clean(s->name), "symbol at 0x%08x", addr);
        FUZZ_CHECK(s->size ? addr - s->addr < s->size : addr == s->addr,
                   "0x%08x is not in %s (0x%08x, %u bytes)", addr, s->name,
                   s->addr, s->size);
        const SimSymbol *t = sim_elf_symbol(p, s->name);
        FUZZ_CHECK(t && !strcmp(t->name, s->name), "%s not found by name",
                   s->name);
        uint32_t v;
        /* A cleaned name (\xNN for a control byte) is not in the ELF. */
        if (!strchr(s->name, '\\'))
            FUZZ_CHECK(sim_elf_value(p, s->name, &v), "%s has no value",
                       s->name);
    }
    const char *name;
    uint32_t off;
    if (sim_elf_symfn((void *)p, addr, &name, &off))
        FUZZ_CHECK(name && clean(name) && off <= addr,
                   "symfn at 0x%08x", addr);
    const char *file;
    int line;
    if (sim_elf_source_line(p, addr, &file, &line))
        FUZZ_CHECK(file && clean(file), "source file at 0x%08x", addr);

    /* Buffers of exactly their size, so ASan sees a write past them. */
    static const size_t sizes[] = {1, 12, 40, 200};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *buf = malloc(sizes[i]);
        if (!buf)
            abort();
        sim_elf_describe(p, addr, buf, sizes[i]);
        FUZZ_CHECK(strlen(buf) < sizes[i] && clean(buf),
                   "describe 0x%08x: \"%s\"", addr, buf);
        sim_elf_data_name(p, addr, buf, sizes[i]);
        FUZZ_CHECK(strlen(buf) < sizes[i] && clean(buf),
                   "data name 0x%08x: \"%s\"", addr, buf);
        buf[0] = 0;
        if (sim_elf_file_line(p, addr, buf, sizes[i]))
            FUZZ_CHECK(strlen(buf) < sizes[i] && clean(buf),
                       "file line 0x%08x: \"%s\"", addr, buf);
        free(buf);
    }
    (void)sim_elf_readonly(p, addr, 4);
    (void)sim_elf_readonly(p, addr, 0xffffffffu);
}

/* A made-up machine state at pc: sp in RAM (the program's __stack when
 * it has one), and around it words that look like saved return
 * addresses and frame pointers. */
static void backtrace_at(const SimProgram *p, const Probe *pr, uint32_t pc,
                         int k)
{
    const SimSymbol *stack = sim_elf_symbol(p, "__stack");
    uint32_t v;
    (void)sim_elf_value(p, "__parsim_hart_stack", &v);
    uint32_t sp = stack && isa_mem_ptr(&mem, stack->addr - 4096, 8192)
                      ? stack->addr - 2048 : RAM_BASE + RAM_SIZE / 2;
    sp &= ~15u;
    for (uint32_t off = 0; off < 1024; off += 4) {
        uint32_t v = (off / 4) % 3 == 2 ? sp + off + 64
                                        : pr->addr[(off / 4 + (uint32_t)k) %
                                                   (uint32_t)pr->n] + 4;
        (void)isa_mem_write(&mem, sp - 512 + off, &v, 4);
    }
    uint32_t x[32];
    for (int i = 0; i < 32; i++)
        x[i] = pr->addr[(i + k) % pr->n] + 4;
    x[0] = 0;
    x[2] = sp;
    x[8] = sp + 32;
    uint32_t out[16];
    int n = sim_elf_backtrace(p, &mem, pc, x, out, 16);
    FUZZ_CHECK(n >= 0 && n <= 16, "backtrace of %d frames", n);
    char where[200];
    for (int i = 0; i < n; i++) {
        FUZZ_CHECK(isa_mem_ptr(&mem, out[i], 2) != NULL,
                   "return address 0x%08x outside RAM", out[i]);
        sim_elf_describe(p, out[i] - 2, where, sizeof where);
    }
    n = sim_elf_backtrace(p, &mem, pc, x, out, 1);
    FUZZ_CHECK(n >= 0 && n <= 1, "backtrace of %d frames for 1", n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!mem.ram)
        ram_init();
    char err[512];
    const char *path = fuzz_file(data, size);
    SimProgram *p = sim_elf_open(path, err, sizeof err);
    if (!p) {
        FUZZ_CHECK(err[0] && !strchr(err, '\n'), "open failed: \"%s\"", err);
        return 0;
    }
    FUZZ_CHECK(!strcmp(sim_elf_path(p), path), "path");
    if (!sim_elf_load(p, &mem, err, sizeof err))
        FUZZ_CHECK(err[0] && !strchr(err, '\n'), "load failed: \"%s\"", err);

    Probe pr = {.p = p, .disasm_left = MAX_DISASM};
    uint32_t entry = sim_elf_entry(p), top = sim_elf_top(p);
    add(&pr, entry);
    add(&pr, entry + 2);
    add(&pr, top - 1);
    add(&pr, top);
    add(&pr, RAM_BASE);
    add(&pr, 0);
    add(&pr, 0xffffffffu);
    sim_elf_each_code_section(p, on_section, &pr);
    for (int i = 0; i < pr.n; i++)
        ask_about(p, pr.addr[i]);
    for (int i = 0; i < pr.n && i < MAX_BACKTRACES; i++)
        backtrace_at(p, &pr, pr.addr[(i * 7) % pr.n], i);

    sim_elf_close(p);
    if (madvise(mem.ram, RAM_SIZE, MADV_DONTNEED) != 0)
        abort();
    return 0;
}
