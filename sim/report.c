/* report.c — the messages that end a run other than by the program's own
 * exit, one line each on stderr: `parsim: <what>: hart N, pc 0x... in
 * function+off (file:line), insn ...: <why>` (a deadlock prints one more
 * line per hart, naming what each waits for and the program's own line
 * that called into the runtime).
 */
#include "sim/machine_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>


/* Before a message on stderr: the program's output so far, and no
 * half-drawn progress line in front of it. */
void sim_report_begin(SimMachine *m)
{
    fflush(stdout);
    if (m->progress_shown && *m->progress_shown) {
        fputs("\r\033[K", stderr);
        *m->progress_shown = false;
    }
}

/* "hart 0, pc 0x80000010 (main+0x4 (prog.c:12)), insn 0x00000000 (...)" */
void sim_report_where(const SimMachine *m, const SimHart *h,
                      const IsaStop *st, char *buf, size_t len)
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
             h->isa.hartid, st->pc, loc, compressed ? 4 : 8,
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

int sim_report_fault(SimMachine *m, const SimHart *h, const IsaStop *st)
{
    char loc[512], addr[200];
    sim_report_begin(m);
    sim_report_where(m, h, st, loc, sizeof loc);
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
                h->isa.hartid, st->pc, m->mem.base, end);
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
    case ISA_CAUSE_STACK_OVERFLOW: {
        uint32_t depth = h->stack_top - st->tval;
        fprintf(stderr, "parsim: stack overflow: %s: its stack is %u KiB "
                "deep, run.stack_size is %u KiB (sp 0x%08x): deep recursion or "
                "large local arrays; --set run.stack_size=%uK gives every hart "
                "more\n", loc, (depth + 1023) / 1024,
                m->cfg.stack_size / 1024, st->tval,
                ((depth + 1023) / 1024 + 63) / 64 * 64 * 2);
        break;
    }
    default:
        fprintf(stderr, "parsim: exception %u: %s: tval 0x%08x\n", st->cause,
                loc, st->tval);
        break;
    }
    return SIM_EXIT_GUEST_FAULT;
}

/* Describe a waiting address for the deadlock report: a lock by its
 * symbol and kind, with its holder when the annotations name one. */
static void describe_wait(const SimMachine *m, const SimHart *h, char *buf,
                          size_t len)
{
    char addr[200];
    int n;
    if (h->state == SIM_HART_PARKED) {
        n = snprintf(buf, len, "parked in wfi (no interrupt will come)");
    } else if (h->state == SIM_HART_MPWAIT || h->state == SIM_HART_EXITED) {
        n = 0;
        sim_mp_describe(m, h, buf, len);
        return;
    } else {
        describe_addr(m, h->wait_addr, addr, sizeof addr);
        n = snprintf(buf, len, "waits on %s", addr);
    }
    if (h->trying && n >= 0 && (size_t)n < len) {
        const SimLock *l = sim_lock_find(m, h->rank, h->lock_addr);
        describe_addr(m, h->lock_addr, addr, sizeof addr);
        int k = snprintf(buf + n, len - (size_t)n, ", trying to take %s %s",
                         l ? sim_lock_kinds[l->kind].what : "lock", addr);
        if (k > 0 && l && l->holder >= 0 && (size_t)(n + k) < len)
            snprintf(buf + n + k, len - (size_t)(n + k), " held by hart %d",
                     l->holder);
    }
}

int sim_report_code_of(const SimMachine *m, uint32_t pc)
{
    static const char *const runtime[] = {"parsim.h", "sync.c", "start.c",
                                          "crt0.S", "parsim_sync.h", "gpu.c",
                                          "parsim_gpu.h"};
    const char *file;
    int line;
    if (!sim_elf_source_line(m->prog, pc, &file, &line))
        return -1;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    for (size_t k = 0; k < sizeof runtime / sizeof runtime[0]; k++)
        if (strcmp(base, runtime[k]) == 0)
            return 1;
    return 0;
}

/* ", called from main+0x2c (prog.c:31)": the first caller of the hart's
 * current code that is not the runtime's own (the lock or wait functions
 * it is blocked in), so that a deadlock points at the program's line. */
void sim_report_caller(const SimMachine *m, const SimHart *h, char *buf,
                       size_t len)
{
    buf[0] = 0;
    uint32_t ras[16];
    int n = sim_elf_backtrace(m->prog, h->env->mem, h->isa.pc, h->isa.x, ras,
                              16);
    for (int i = 0; i < n; i++) {
        if (sim_report_code_of(m, ras[i] - 2) != 0)
            continue;
        char where[256];
        sim_elf_describe(m->prog, ras[i] - 2, where, sizeof where);
        snprintf(buf, len, ", called from %s", where);
        return;
    }
}

/* Ranks: one line per rank, what its main hart (or the first blocked
 * one) waits in, on whom, where. */
static int report_rank_deadlock(SimMachine *m)
{
    fprintf(stderr, "parsim: deadlock: every rank is blocked or has exited, "
            "and no message can arrive:\n");
    for (uint32_t r = 0; r < m->nranks; r++) {
        const SimHart *pick = NULL;
        for (uint32_t i = 0; i < m->nharts && !pick; i++)
            if (m->harts[i].rank == r &&
                m->harts[i].state == SIM_HART_MPWAIT)
                pick = &m->harts[i];
        for (uint32_t i = 0; i < m->nharts && !pick; i++)
            if (m->harts[i].rank == r && m->harts[i].isa.mhartid == 0)
                pick = &m->harts[i];
        if (!pick)
            continue;
        char what[1200];
        if (pick->state == SIM_HART_MPWAIT || pick->state == SIM_HART_EXITED) {
            sim_mp_describe(m, pick, what, sizeof what);
        } else {
            char loc[256], how[512], from[300] = "";
            sim_elf_describe(m->prog, pick->isa.pc, loc, sizeof loc);
            describe_wait(m, pick, how, sizeof how);
            sim_report_caller(m, pick, from, sizeof from);
            snprintf(what, sizeof what, "%s at pc 0x%08x in %s%s", how,
                     pick->isa.pc, loc, from);
        }
        fprintf(stderr, "parsim:   rank %u %s\n", r, what);
    }
    return SIM_EXIT_DEADLOCK;
}

int sim_report_deadlock(SimMachine *m)
{
    sim_report_begin(m);
    if (m->nranks)
        return report_rank_deadlock(m);
    fprintf(stderr, "parsim: deadlock: all %u harts are blocked and none "
            "can wake another:\n", m->nharts);
    for (uint32_t i = 0; i < m->nharts; i++) {
        const SimHart *h = &m->harts[i];
        char loc[256], what[512], from[300] = "";
        sim_elf_describe(m->prog, h->isa.pc, loc, sizeof loc);
        describe_wait(m, h, what, sizeof what);
        sim_report_caller(m, h, from, sizeof from);
        fprintf(stderr, "parsim:   hart %u (core %u) at pc 0x%08x in %s %s%s\n",
                i, h->core, h->isa.pc, loc, what, from);
    }
    return SIM_EXIT_DEADLOCK;
}

int sim_report_model(SimMachine *m, const SimHart *h, const char *why)
{
    char loc[256];
    sim_elf_describe(m->prog, h->isa.pc, loc, sizeof loc);
    sim_semihost_flush(&m->sh);
    sim_report_begin(m);
    fprintf(stderr, "parsim: hart %u, pc 0x%08x in %s, cycle %" PRIu64 ": %s\n",
            h->isa.hartid, h->isa.pc, loc, h->isa.cycle, why);
    return SIM_EXIT_MODEL;
}

int sim_report_cycle_limit(SimMachine *m, const SimHart *h)
{
    char loc[256];
    sim_elf_describe(m->prog, h->isa.pc, loc, sizeof loc);
    sim_report_begin(m);
    fprintf(stderr, "parsim: cycle limit: hart %u, pc 0x%08x in %s: %" PRIu64
            " cycles reached (--max-cycles); the program may be stuck in a "
            "loop\n", h->isa.hartid, h->isa.pc, loc, m->cfg.max_cycles);
    return SIM_EXIT_CYCLE_LIMIT;
}
