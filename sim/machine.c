/* machine.c — machine configuration, assembly, the run loop, and the
 * messages that end a run.
 *
 * The run loop hands each hart a budget of cycles (isa_run), then deals
 * with whatever stopped it: a semihosting call, an exception, the cycle
 * limit.  Every way a run ends other than the program's own exit prints one
 * line: parsim: <what>: hart N, pc 0x... (function+off (file:line)),
 * insn 0x... (disassembly): <why>.
 */
#include "sim/machine.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- configuration ------------------------------------------------------- */

enum { K_U32, K_U64, K_SIZE, K_BOOL };

typedef struct ConfigKey {
    const char *name;
    int kind;
    size_t off;
    uint64_t min, max;
    const char *help;
} ConfigKey;

#define COST(cls) offsetof(SimConfig, cost) + (cls) * sizeof(uint32_t)

static const ConfigKey keys[] = {
    {"machine.ram_size", K_SIZE, offsetof(SimConfig, ram_size), 64 << 10,
     0x7ffff000u, "bytes of RAM at 0x80000000 (K/M/G suffixes)"},
    {"machine.clock_hz", K_U64, offsetof(SimConfig, clock_hz), 100,
     UINT64_MAX / 2, "simulated clock, for SYS_CLOCK and SYS_ELAPSED"},
    {"run.max_cycles", K_U64, offsetof(SimConfig, max_cycles), 0, UINT64_MAX,
     "stop the run after this many cycles (0: no limit)"},
    {"run.timing", K_BOOL, offsetof(SimConfig, timing), 0, 1,
     "0: functional only, every instruction costs 1 cycle"},
    {"run.guest_traps", K_BOOL, offsetof(SimConfig, guest_traps), 0, 1,
     "1: exceptions go to the program's mtvec handler instead of ending "
     "the run"},
    {"core.alu_latency", K_U32, COST(ISA_CLASS_ALU), 1, 1000,
     "cycles of an integer ALU instruction"},
    {"core.branch_latency", K_U32, COST(ISA_CLASS_BRANCH), 1, 1000,
     "cycles of a conditional branch"},
    {"core.jump_latency", K_U32, COST(ISA_CLASS_JUMP), 1, 1000,
     "cycles of jal/jalr"},
    {"core.load_latency", K_U32, COST(ISA_CLASS_LOAD), 1, 1000,
     "cycles to issue a load (memory.latency comes on top)"},
    {"core.store_latency", K_U32, COST(ISA_CLASS_STORE), 1, 1000,
     "cycles to issue a store (memory.latency comes on top)"},
    {"core.amo_latency", K_U32, COST(ISA_CLASS_AMO), 1, 1000,
     "cycles to issue an atomic (memory.latency comes on top)"},
    {"core.mul_latency", K_U32, COST(ISA_CLASS_MUL), 1, 1000,
     "cycles of mul/mulh/mulhsu/mulhu"},
    {"core.div_latency", K_U32, COST(ISA_CLASS_DIV), 1, 1000,
     "cycles of div/divu/rem/remu"},
    {"core.fadd_latency", K_U32, COST(ISA_CLASS_FADD), 1, 1000,
     "cycles of fadd.s/fsub.s"},
    {"core.fmul_latency", K_U32, COST(ISA_CLASS_FMUL), 1, 1000,
     "cycles of fmul.s"},
    {"core.ffma_latency", K_U32, COST(ISA_CLASS_FFMA), 1, 1000,
     "cycles of fmadd.s and the other fused ops"},
    {"core.fdiv_latency", K_U32, COST(ISA_CLASS_FDIV), 1, 1000,
     "cycles of fdiv.s"},
    {"core.fsqrt_latency", K_U32, COST(ISA_CLASS_FSQRT), 1, 1000,
     "cycles of fsqrt.s"},
    {"core.fcvt_latency", K_U32, COST(ISA_CLASS_FCVT), 1, 1000,
     "cycles of fcvt.*"},
    {"core.fmisc_latency", K_U32, COST(ISA_CLASS_FMISC), 1, 1000,
     "cycles of fsgnj/fmin/fmax/compares/fclass/fmv"},
    {"core.system_latency", K_U32, COST(ISA_CLASS_SYSTEM), 1, 1000,
     "cycles of csr*/fence/ecall/ebreak/mret"},
    {"memory.latency", K_U32, offsetof(SimConfig, mem_latency), 0, 100000,
     "extra cycles of every data access (flat memory model)"},
};

void sim_config_defaults(SimConfig *c)
{
    memset(c, 0, sizeof *c);
    c->ram_base = 0x80000000u;
    c->ram_size = 128u << 20;
    c->clock_hz = 1000000000u;
    c->timing = true;
    c->progress = true;
    for (int i = 0; i < ISA_CLASS_COUNT; i++)
        c->cost[i] = 1;
    c->cost[ISA_CLASS_MUL] = 3;
    c->cost[ISA_CLASS_DIV] = 20;
    c->cost[ISA_CLASS_FADD] = 4;
    c->cost[ISA_CLASS_FMUL] = 4;
    c->cost[ISA_CLASS_FFMA] = 5;
    c->cost[ISA_CLASS_FDIV] = 15;
    c->cost[ISA_CLASS_FSQRT] = 20;
    c->cost[ISA_CLASS_FCVT] = 3;
    c->mem_latency = 2;
}

bool sim_parse_size(const char *s, uint64_t *out)
{
    errno = 0;
    char *end;
    if (!*s || *s == '-')
        return false;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if ((*end == 'i' || *end == 'I') && shift)
        end++;
    if ((*end == 'b' || *end == 'B'))
        end++;
    if (*end || (shift && v > (UINT64_MAX >> shift)))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

bool sim_config_set(SimConfig *c, const char *key, const char *value,
                    char *err, size_t errlen)
{
    const ConfigKey *k = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].name, key) == 0)
            k = &keys[i];
    if (!k) {
        snprintf(err, errlen, "unknown configuration key '%s' (parsim run "
                 "--list-keys shows them)", key);
        return false;
    }
    uint64_t v;
    bool ok;
    if (k->kind == K_BOOL) {
        ok = true;
        if (!strcmp(value, "1") || !strcmp(value, "true") ||
            !strcmp(value, "on") || !strcmp(value, "yes"))
            v = 1;
        else if (!strcmp(value, "0") || !strcmp(value, "false") ||
                 !strcmp(value, "off") || !strcmp(value, "no"))
            v = 0;
        else
            ok = false;
    } else if (k->kind == K_SIZE) {
        ok = sim_parse_size(value, &v);
    } else {
        char *end;
        errno = 0;
        ok = *value && *value != '-';
        v = strtoull(value, &end, 0);
        ok = ok && !errno && end != value && !*end;
    }
    if (!ok) {
        snprintf(err, errlen, "%s: bad value '%s' (%s expected)", key, value,
                 k->kind == K_BOOL ? "0 or 1" : k->kind == K_SIZE
                     ? "a size such as 64K or 128M" : "a whole number");
        return false;
    }
    if (v < k->min || v > k->max) {
        snprintf(err, errlen, "%s: %s is out of range [%" PRIu64 ", %" PRIu64
                 "]", key, value, k->min, k->max);
        return false;
    }
    if (k->kind == K_SIZE && (v & 0xfff)) {
        snprintf(err, errlen, "%s: %s is not a multiple of 4 KiB", key, value);
        return false;
    }
    void *field = (char *)c + k->off;
    switch (k->kind) {
    case K_U32: case K_SIZE: *(uint32_t *)field = (uint32_t)v; break;
    case K_U64: *(uint64_t *)field = v; break;
    case K_BOOL: *(bool *)field = v != 0; break;
    }
    return true;
}

void sim_config_print_keys(const SimConfig *c, FILE *f)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const ConfigKey *k = &keys[i];
        const void *field = (const char *)c + k->off;
        uint64_t v = k->kind == K_U64 ? *(const uint64_t *)field
                   : k->kind == K_BOOL ? *(const bool *)field
                   : *(const uint32_t *)field;
        fprintf(f, "  %-22s %-12" PRIu64 " %s\n", k->name, v, k->help);
    }
}

/* ---- assembly -------------------------------------------------------------- */

bool sim_machine_init(SimMachine *m, const SimConfig *cfg,
                      const SimProgram *prog, int argc, char **argv,
                      char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    m->prog = prog;
    m->mem.base = cfg->ram_base;
    m->mem.size = cfg->ram_size;
    /* calloc: the host only backs the pages the program touches. */
    m->mem.ram = calloc(1, cfg->ram_size);
    m->mem.code_map = calloc(1, (cfg->ram_size >> ISA_CODE_BLOCK_SHIFT) / 8 + 1);
    if (!m->mem.ram || !m->mem.code_map) {
        snprintf(err, errlen, "cannot allocate %u MiB of simulated RAM",
                 cfg->ram_size >> 20);
        return false;
    }
    if (!sim_elf_load(prog, &m->mem, err, errlen))
        return false;
    if (!isa_hart_init(&m->hart, 0, sim_elf_entry(prog))) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    m->env.mem = &m->mem;
    if (cfg->timing) {
        memcpy(m->env.cost, cfg->cost, sizeof m->env.cost);
        m->flat.latency = cfg->mem_latency;
        m->env.access = flatmem_access;
        m->env.access_ctx = &m->flat;
    } else {
        for (int i = 0; i < ISA_CLASS_COUNT; i++)
            m->env.cost[i] = 1;
    }
    if (!sim_semihost_init(&m->sh, argc, argv)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    uint32_t ram_top = cfg->ram_base + cfg->ram_size;
    m->sh.clock_hz = cfg->clock_hz;
    m->sh.heap_base = sim_elf_top(prog);
    m->sh.stack_base = ram_top;
    m->sh.stack_limit = ram_top - (ram_top - m->sh.heap_base) / 2;
    m->sh.heap_limit = m->sh.stack_limit;
    return true;
}

void sim_machine_free(SimMachine *m)
{
    sim_semihost_free(&m->sh);
    isa_hart_free(&m->hart);
    free(m->mem.ram);
    free(m->mem.code_map);
    m->mem.ram = NULL;
    m->mem.code_map = NULL;
}

/* ---- reports --------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* "hart 0, pc 0x80000010 (main+0x4 (prog.c:12)), insn 0x00000000 (...)" */
static void where(const SimMachine *m, const IsaStop *st, char *buf,
                  size_t len)
{
    char loc[256], dis[128] = "";
    sim_elf_describe(m->prog, st->pc, loc, sizeof loc);
    IsaInsn in;
    if (isa_decode(st->insn, &in)) {
        dis[0] = ' ';
        dis[1] = '(';
        int n = isa_disasm(&in, st->pc, dis + 2, sizeof dis - 3,
                           sim_elf_symfn, (void *)m->prog);
        for (int i = 2; i < n + 2; i++)
            if (dis[i] == '\t')
                dis[i] = ' ';
        strcat(dis, ")");
    }
    bool compressed = (st->insn & 3) != 3;
    snprintf(buf, len, "hart %u, pc 0x%08x in %s, insn 0x%0*x%s",
             m->hart.hartid, st->pc, loc, compressed ? 4 : 8,
             compressed ? st->insn & 0xffff : st->insn, dis);
}

static void describe_addr(const SimMachine *m, uint32_t addr, char *buf,
                          size_t len)
{
    const SimSymbol *s = sim_elf_symbol_at(m->prog, addr);
    if (s && s->size && !s->is_func)
        snprintf(buf, len, "0x%08x (%s+%u)", addr, s->name, addr - s->addr);
    else
        snprintf(buf, len, "0x%08x", addr);
}

static int fault(SimMachine *m, const IsaStop *st)
{
    char loc[512], addr[200];
    where(m, st, loc, sizeof loc);
    describe_addr(m, st->tval, addr, sizeof addr);
    uint32_t end = m->mem.base + (m->mem.size - 1);
    switch (st->cause) {
    case ISA_CAUSE_ILLEGAL:
        fprintf(stderr, "parsim: illegal instruction: %s: not an RV32IMAFC "
                "instruction parsim can execute\n", loc);
        break;
    case ISA_CAUSE_FETCH_ACCESS:
    case ISA_CAUSE_FETCH_MISALIGNED:
        fprintf(stderr, "parsim: instruction fetch fault: hart %u, pc "
                "0x%08x: no code there (RAM is 0x%08x..0x%08x); the last "
                "jump came from a bad pointer or a smashed return address\n",
                m->hart.hartid, st->pc, m->mem.base, end);
        break;
    case ISA_CAUSE_LOAD_ACCESS:
    case ISA_CAUSE_STORE_ACCESS:
        fprintf(stderr, "parsim: %s outside memory: %s: address %s is not "
                "in RAM 0x%08x..0x%08x\n",
                st->cause == ISA_CAUSE_LOAD_ACCESS ? "load" : "store", loc,
                addr, m->mem.base, end);
        break;
    case ISA_CAUSE_LOAD_MISALIGNED:
    case ISA_CAUSE_STORE_MISALIGNED:
        fprintf(stderr, "parsim: misaligned atomic: %s: address %s is not "
                "4-byte aligned (LR/SC and AMOs must be)\n", loc, addr);
        break;
    default:
        fprintf(stderr, "parsim: exception %u: %s: tval 0x%08x\n", st->cause,
                loc, st->tval);
        break;
    }
    return SIM_EXIT_GUEST_FAULT;
}

static void progress(SimMachine *m, double start, double *next)
{
    double t = now_seconds();
    if (t < *next)
        return;
    *next = t + 1.0;
    fprintf(stderr, "\rparsim: %.1f s, %" PRIu64 " M instructions, %" PRIu64
            " M cycles, %.0f MIPS   ", t - start, m->hart.instret / 1000000,
            m->hart.cycle / 1000000,
            (double)m->hart.instret / (t - start) / 1e6);
    fflush(stderr);
}

/* ---- the run loop ---------------------------------------------------------- */

#define SLICE_CYCLES (1u << 22)

int sim_machine_run(SimMachine *m)
{
    IsaHart *h = &m->hart;
    double start = now_seconds();
    bool show_progress = m->cfg.progress && isatty(STDERR_FILENO);
    bool progress_shown = false;
    double next_progress = start + 2.0;
    int status = -1;
    char err[256];

    while (status < 0) {
        uint64_t limit = h->cycle + SLICE_CYCLES;
        if (m->cfg.max_cycles && limit > m->cfg.max_cycles)
            limit = m->cfg.max_cycles;
        IsaStop st;
        switch (isa_run(h, &m->env, limit, UINT64_MAX, &st)) {
        case ISA_STOP_LIMIT:
            if (m->cfg.max_cycles && h->cycle >= m->cfg.max_cycles) {
                char loc[256];
                sim_elf_describe(m->prog, h->pc, loc, sizeof loc);
                fflush(stdout);
                fprintf(stderr, "%sparsim: cycle limit: hart %u, pc 0x%08x in "
                        "%s: %" PRIu64 " cycles reached (--max-cycles); "
                        "the program may be stuck in a loop\n",
                        progress_shown ? "\n" : "", h->hartid, h->pc, loc,
                        m->cfg.max_cycles);
                progress_shown = false;
                status = SIM_EXIT_CYCLE_LIMIT;
            }
            break;
        case ISA_STOP_SEMIHOST:
            if (!sim_semihost_call(&m->sh, h, &m->mem, err, sizeof err)) {
                char loc[512];
                where(m, &st, loc, sizeof loc);
                fflush(stdout);
                fprintf(stderr, "parsim: semihosting: %s: %s\n", loc, err);
                status = SIM_EXIT_GUEST_FAULT;
                break;
            }
            isa_skip(h, &m->env, &st);
            if (m->sh.exited)
                status = m->sh.exit_status;
            break;
        case ISA_STOP_ECALL:
            if (m->cfg.guest_traps) {
                isa_take_trap(h, ISA_CAUSE_ECALL_M, 0, st.pc);
            } else {
                char loc[512];
                where(m, &st, loc, sizeof loc);
                fflush(stdout);
                fprintf(stderr, "parsim: ecall: %s: no parsim service %u "
                        "(a7); parsim programs use semihosting for I/O\n",
                        loc, h->x[17]);
                status = SIM_EXIT_GUEST_FAULT;
            }
            break;
        case ISA_STOP_EBREAK:
            if (m->cfg.guest_traps) {
                isa_take_trap(h, ISA_CAUSE_BREAKPOINT, st.pc, st.pc);
            } else {
                char loc[512];
                where(m, &st, loc, sizeof loc);
                fflush(stdout);
                fprintf(stderr, "parsim: breakpoint: %s: ebreak with no "
                        "debugger attached\n", loc);
                status = SIM_EXIT_GUEST_FAULT;
            }
            break;
        case ISA_STOP_WFI: {
            char loc[512];
            where(m, &st, loc, sizeof loc);
            fflush(stdout);
            fprintf(stderr, "parsim: deadlock: %s: the only hart waits for "
                    "an interrupt (wfi) and nothing can send one\n", loc);
            status = SIM_EXIT_DEADLOCK;
            break;
        }
        case ISA_STOP_TRAP:
            if (m->cfg.guest_traps && h->mtvec) {
                isa_take_trap(h, st.cause, st.tval, st.pc);
                break;
            }
            fflush(stdout);
            if (progress_shown)
                fputc('\n', stderr);
            progress_shown = false;
            status = fault(m, &st);
            break;
        }
        if (show_progress && status < 0) {
            double before = next_progress;
            progress(m, start, &next_progress);
            progress_shown |= next_progress != before;
        }
    }
    if (progress_shown)
        fputs("\r\033[K", stderr);
    m->host_seconds = now_seconds() - start;
    fflush(stdout);
    m->status = status;
    return status;
}

static void print_count(FILE *f, const char *label, uint64_t v)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    fprintf(f, "  %-16s %s\n", label, out);
}

void sim_machine_summary(const SimMachine *m, FILE *f)
{
    const IsaHart *h = &m->hart;
    if (m->sh.exited)
        fprintf(f, "parsim: %s exited with status %d\n",
                sim_elf_path(m->prog), m->status);
    else
        fprintf(f, "parsim: %s stopped by parsim (status %d)\n",
                sim_elf_path(m->prog), m->status);
    print_count(f, "instructions", h->instret);
    print_count(f, "cycles", h->cycle);
    fprintf(f, "  %-16s %.3f\n", "IPC",
            h->cycle ? (double)h->instret / (double)h->cycle : 0.0);
    fprintf(f, "  %-16s %.3f s\n", "host time", m->host_seconds);
    fprintf(f, "  %-16s %.1f\n", "simulated MIPS",
            m->host_seconds > 0
                ? (double)h->instret / m->host_seconds / 1e6 : 0.0);
}
