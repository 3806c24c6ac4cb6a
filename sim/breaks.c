/* breaks.c — --break and --watch: where they are in the program (a
 * function's entry, every start of a source line's code, an address; a
 * variable's bytes), handed to every core's IsaEnv, and what happens when
 * a hart reaches one: the run ends saying so, or, in the window, pauses
 * there (sim/machine.h).
 *
 * parsim keeps breakpoints of its own too, which the run goes straight
 * past: at the returns of the runtime's parsim_thread_create, where an
 * EAGAIN for want of an idle hart (a threaded program run on the
 * default one-core machine) gets a hint on stderr.  They watch the
 * program rather than change it: a call into the simulator from the
 * runtime would have moved its code, its constants and so every
 * program's figures. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine_priv.h"

enum { MAX_AT = 64 };           /* addresses one FILE:LINE may have */

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static bool push(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t a)
{
    if (*n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 16;
        uint32_t *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = a;
    return true;
}

/* The addresses of one --break: appended to *v (n of cap). */
static bool break_addrs(const SimProgram *p, const char *spec, uint32_t **v,
                        uint32_t *n, uint32_t *cap, char *err, size_t errlen)
{
    uint32_t at[MAX_AT];
    size_t k = 0;
    const char *colon = strrchr(spec, ':');
    char *end;
    if (!strncmp(spec, "0x", 2) || !strncmp(spec, "0X", 2)) {
        unsigned long a = strtoul(spec, &end, 16);
        if (*end || end == spec + 2 || a > UINT32_MAX || (a & 1)) {
            snprintf(err, errlen, "--break %s: not an address (an even "
                     "0x... within 32 bits)", spec);
            return false;
        }
        at[k++] = (uint32_t)a;
    } else if (colon && colon != spec && colon[1] && isdigit((unsigned char)colon[1])) {
        long line = strtol(colon + 1, &end, 10);
        if (*end || line <= 0 || line > 10000000) {
            snprintf(err, errlen, "--break %s: FILE:LINE with a line "
                     "number", spec);
            return false;
        }
        char file[512];
        snprintf(file, sizeof file, "%.*s", (int)(colon - spec), spec);
        k = sim_elf_line_addrs(p, file, (int)line, at, MAX_AT);
        if (k == 0) {
            snprintf(err, errlen, "--break %s: no code at that line (a "
                     "comment, a blank line, a line the compiler folded "
                     "into another, or a file without debug info: build "
                     "with -g, as parsim-cc does)", spec);
            return false;
        }
        if (k > MAX_AT)
            k = MAX_AT;
    } else {
        const SimSymbol *s = sim_elf_symbol(p, spec);
        if (!s || !s->is_func) {
            snprintf(err, errlen, "--break %s: %s (a function, FILE:LINE "
                     "or 0xADDRESS)", spec, s ? "a variable, not a "
                     "function (--watch stops on writes to it)"
                     : "no such function in the program");
            return false;
        }
        at[k++] = s->addr;
    }
    for (size_t i = 0; i < k; i++)
        if (!push(v, n, cap, at[i])) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
    return true;
}

/* parsim's own breakpoints appended to *v (n of cap), noting those the
 * user's --break names too (those stop as the user asked). */
static bool add_own(SimMachine *m, uint32_t **v, uint32_t *n, uint32_t *cap)
{
    uint32_t given = *n;
    for (uint32_t i = 0; i < m->nhint_at; i++) {
        m->hint_given[i] = false;
        for (uint32_t k = 0; k < given; k++)
            m->hint_given[i] |= (*v)[k] == m->hint_at[i];
        if (!push(v, n, cap, m->hint_at[i]))
            return false;
    }
    return true;
}

/* Sorted, without repeats (the execution loop's binary search). */
static uint32_t sort_unique(uint32_t *b, uint32_t nb)
{
    if (!nb)
        return 0;
    qsort(b, nb, sizeof *b, u32_cmp);
    uint32_t w = 0;
    for (uint32_t i = 0; i < nb; i++)
        if (!w || b[w - 1] != b[i])
            b[w++] = b[i];
    return w;
}

/* The guest's EAGAIN (picolibc's <errno.h>), which need not be the
 * host's. */
#define GUEST_EAGAIN 11u

bool sim_breaks_init(SimMachine *m)
{
    const SimSymbol *s = sim_elf_symbol(m->prog, "parsim_thread_create");
    if (!s || !s->is_func || !s->size || sim_report_code_of(m, s->addr) != 1)
        return true;            /* not parsim's runtime: nothing to say */
    /* Its returns (ret, c.jr ra): a linear sweep, as compiled C keeps no
     * data among its instructions. */
    for (uint32_t pc = s->addr; pc < s->addr + s->size &&
                                m->nhint_at < SIM_HINT_SITES;) {
        const uint8_t *p = isa_mem_ptr(&m->mem, pc, 2);
        if (!p)
            break;
        uint32_t raw = (uint32_t)p[0] | (uint32_t)p[1] << 8;
        if ((raw & 3) == 3) {
            if (!(p = isa_mem_ptr(&m->mem, pc, 4)))
                break;
            raw |= (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        }
        IsaInsn in;
        if (isa_decode(raw, &in) && in.op == ISA_OP_jalr && in.rd == 0 &&
            in.rs1 == 1 && in.imm == 0)
            m->hint_at[m->nhint_at++] = pc;
        pc += in.len;
    }
    uint32_t *b = NULL, nb = 0, cap = 0;
    if (!add_own(m, &b, &nb, &cap)) {
        free(b);
        return false;
    }
    free(m->breaks);
    m->breaks = b;
    m->nbreaks = sort_unique(b, nb);
    for (uint32_t c = 0; c < m->cfg.cores; c++) {
        m->core_env[c].breaks = m->breaks;
        m->core_env[c].nbreaks = m->nbreaks;
    }
    return true;
}

static int hint_site(const SimMachine *m, uint32_t pc)
{
    for (uint32_t i = 0; i < m->nhint_at; i++)
        if (m->hint_at[i] == pc)
            return (int)i;
    return -1;
}

bool sim_break_passes(const SimMachine *m, const IsaStop *st)
{
    int i = st->kind == ISA_STOP_BREAK ? hint_site(m, st->pc) : -1;
    return i >= 0 && !m->hint_given[i];
}

/* h is at a return of parsim_thread_create.  EAGAIN to the program's own
 * call is the mistake; to the runtime's (pool_init asks for more workers
 * than there may be idle harts, to find out how many there are) it is
 * not. */
static void hint_no_idle_hart(SimMachine *m, const SimHart *h)
{
    const IsaHart *x = &h->isa;
    uint32_t ra = x->x[1];
    if (x->x[10] != GUEST_EAGAIN || sim_report_code_of(m, ra - 2) == 1)
        return;
    pthread_mutex_lock(&m->lock);
    bool first = !m->hinted;
    m->hinted = true;
    pthread_mutex_unlock(&m->lock);
    if (!first)
        return;
    char loc[256], who[40], busy[80];
    sim_elf_describe(m->prog, ra - 2, loc, sizeof loc);
    if (m->nranks)
        snprintf(who, sizeof who, "rank %u hart %u", h->rank, x->mhartid);
    else
        snprintf(who, sizeof who, "hart %u", x->hartid);
    if (m->harts_per_rank == 1)
        snprintf(busy, sizeof busy, "the machine's one hart runs main");
    else
        snprintf(busy, sizeof busy, "all %u harts are busy (main, threads "
                 "not yet joined, SPMD ranks)", m->harts_per_rank);
    sim_report_begin(m);
    fprintf(stderr, "parsim: no idle hart: %s in %s: parsim_thread_create "
            "returns EAGAIN, as %s; run with --cores N (or "
            "--threads-per-core T) for more\n", who, loc, busy);
}

bool sim_machine_set_breaks(SimMachine *m, char *const *breaks, int nbreaks,
                            char *const *watches, int nwatches, bool pause,
                            char *err, size_t errlen)
{
    uint32_t *b = NULL, nb = 0, cap = 0;
    for (int i = 0; i < nbreaks; i++)
        if (!break_addrs(m->prog, breaks[i], &b, &nb, &cap, err, errlen)) {
            free(b);
            return false;
        }
    /* Watches count from main() on: before it the start-up code copies
     * .data and zeroes .bss, which is no one's doing in the program. */
    const SimSymbol *mn = sim_elf_symbol(m->prog, "main");
    m->main_pc = mn && mn->is_func ? mn->addr : 0;
    m->main_internal = false;
    /* Set while the program runs (the window): it is past its start. */
    m->watch_armed = m->watch_armed || !m->main_pc || sim_latest_cycle(m);
    if (nwatches && !m->watch_armed) {
        bool given = false;
        for (uint32_t i = 0; i < nb; i++)
            given |= b[i] == m->main_pc;
        char *const self[] = {"main"};
        if (!given && !break_addrs(m->prog, self[0], &b, &nb, &cap, err,
                                   errlen)) {
            free(b);
            return false;
        }
        m->main_internal = !given;
    }
    if (!add_own(m, &b, &nb, &cap)) {
        free(b);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    nb = sort_unique(b, nb);
    IsaRange *r = nwatches ? calloc((size_t)nwatches, sizeof *r) : NULL;
    uint8_t **was = nwatches ? calloc((size_t)nwatches, sizeof *was) : NULL;
    if (nwatches && (!r || !was)) {
        free(b);
        free(r);
        free(was);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    for (int i = 0; i < nwatches; i++) {
        const SimSymbol *s = sim_elf_symbol(m->prog, watches[i]);
        if (!s || s->is_func || !s->size) {
            snprintf(err, errlen, "--watch %s: %s", watches[i],
                     !s ? "no such variable in the program"
                     : s->is_func ? "a function, not a variable (--break "
                                    "stops where it is called)"
                     : "a symbol with no size (a label, not a variable)");
            free(b);
            free(r);
            for (int k = 0; k < i; k++)
                free(was[k]);
            free(was);
            return false;
        }
        r[i] = (IsaRange){s->addr, s->addr + s->size};
        /* What it holds now: a store that leaves it as it was (the
         * start-up's zeroing of .bss) does not stop the run. */
        const uint8_t *p = isa_mem_ptr(&m->mem, s->addr, s->size);
        was[i] = malloc(s->size);
        if (!was[i] || !p) {
            snprintf(err, errlen, "--watch %s: %s", watches[i],
                     p ? "out of memory" : "not in RAM (a constant?)");
            free(b);
            free(r);
            for (int k = 0; k <= i; k++)
                free(was[k]);
            free(was);
            return false;
        }
        memcpy(was[i], p, s->size);
    }
    free(m->breaks);
    for (uint32_t i = 0; m->watch_was && i < m->nwatches; i++)
        free(m->watch_was[i]);
    free(m->watch_was);
    free(m->watches);
    m->watch_was = was;
    m->breaks = b;
    m->nbreaks = nb;
    m->watches = r;
    m->nwatches = (uint32_t)nwatches;
    m->pause_on_break = pause;
    for (uint32_t c = 0; c < m->cfg.cores; c++) {
        IsaEnv *env = &m->core_env[c];
        env->breaks = m->breaks;
        env->nbreaks = m->nbreaks;
        env->watches = m->watches;
        env->nwatches = m->nwatches;
    }
    return true;
}

/* "hart 3, pc 0x80000ea4 in worker+0x10 (counter.c:42)". */
static void where(const SimMachine *m, const SimHart *h, uint32_t pc,
                  char *buf, size_t len)
{
    char loc[256];
    sim_elf_describe(m->prog, pc, loc, sizeof loc);
    snprintf(buf, len, "hart %u, pc 0x%08x in %s", h->isa.hartid, pc, loc);
}

static uint32_t word_at(const uint8_t *p, uint32_t avail)
{
    uint32_t v = 0;
    for (uint32_t i = 0; i < 4 && i < avail; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

int sim_break_stop(SimMachine *m, SimHart *h, const IsaStop *st)
{
    IsaHart *x = &h->isa;
    char loc[400], text[sizeof m->break_text - 16];
    if (st->kind == ISA_STOP_BREAK && hint_site(m, st->pc) >= 0) {
        hint_no_idle_hart(m, h);
        if (sim_break_passes(m, st)) {
            x->brk_resume = st->pc;
            return -1;
        }
    }
    if (st->kind == ISA_STOP_BREAK && st->pc == m->main_pc) {
        m->watch_armed = true;
        if (m->main_internal) {
            x->brk_resume = st->pc;
            return -1;
        }
    }
    if (st->kind == ISA_STOP_WATCH && !m->watch_armed) {
        /* The start-up's stores: what the variables hold from here. */
        for (uint32_t i = 0; i < m->nwatches; i++) {
            const uint8_t *p = isa_mem_ptr(h->env->mem, m->watches[i].lo,
                                           m->watches[i].hi -
                                               m->watches[i].lo);
            if (p)
                memcpy(m->watch_was[i], p,
                       m->watches[i].hi - m->watches[i].lo);
        }
        return -1;
    }
    if (st->kind == ISA_STOP_BREAK) {
        where(m, h, st->pc, loc, sizeof loc);
        snprintf(text, sizeof text, "%s, at cycle %" PRIu64, loc, x->cycle);
    } else {
        /* Which watch, and did the store change it? */
        uint32_t i = 0;
        while (i < m->nwatches && !(st->tval >= m->watches[i].lo &&
                                    st->tval < m->watches[i].hi))
            i++;
        if (i == m->nwatches)
            return -1;
        const IsaRange *w = &m->watches[i];
        uint32_t size = w->hi - w->lo;
        const uint8_t *now = isa_mem_ptr(h->env->mem, w->lo, size);
        if (!now || !memcmp(now, m->watch_was[i], size))
            return -1;          /* written, not changed */
        /* The word written, before and after. */
        uint32_t off = (st->tval - w->lo) & ~3u;
        uint32_t before = word_at(m->watch_was[i] + off, size - off);
        uint32_t after = word_at(now + off, size - off);
        memcpy(m->watch_was[i], now, size);
        where(m, h, st->store_pc, loc, sizeof loc);
        char name[128];
        sim_elf_data_name(m->prog, w->lo + off, name, sizeof name);
        snprintf(text, sizeof text, "%s, changed %s from %" PRIu32 " to %"
                 PRIu32 ", at cycle %" PRIu64, loc, name, before, after,
                 x->cycle);
    }
    if (m->pause_on_break) {
        if (st->kind == ISA_STOP_BREAK)
            x->brk_resume = st->pc;     /* going on goes past it */
        if (!m->break_hit) {
            m->break_hit = true;
            m->break_cycle = x->cycle;
            m->break_hart = x->hartid;
            snprintf(m->break_text, sizeof m->break_text, "%s%s",
                     st->kind == ISA_STOP_BREAK ? "break: " : "watch: ",
                     text);
        }
        return -1;
    }
    sim_report_begin(m);
    fprintf(stderr, "parsim: %s: %s\n", st->kind == ISA_STOP_BREAK
            ? "break" : "watch", text);
    return SIM_EXIT_BREAK;
}

bool sim_machine_break_hit(SimMachine *m, char *buf, size_t len,
                           uint64_t *cycle, uint32_t *hart)
{
    if (!m->break_hit)
        return false;
    m->break_hit = false;
    if (buf)
        snprintf(buf, len, "%s", m->break_text);
    if (cycle)
        *cycle = m->break_cycle;
    if (hart)
        *hart = m->break_hart;
    return true;
}
