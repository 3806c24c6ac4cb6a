/* trace_names.c — what the trace calls things: processes, tracks,
 * slices, the ends of a message, addresses, and the ids the viewers key
 * and sort tracks by.  The JSON (trace_json.c) and the layout handed to
 * on_layout (trace_export.c) both take their names from here, so the two
 * always agree (see trace_priv.h).
 */
#include "sim/trace_priv.h"

#include <stdio.h>
#include <string.h>

/* ---- what a thing is called --------------------------------------------- */

/* The symbol of an address, through a small cache: a trace names the
 * same few lines and locks over and over. */
void sim_trace_data_name(const SimTrace *t, uint32_t addr, char *buf,
                         size_t len)
{
    NameSlot *c = &t->names[(addr >> 2 ^ addr >> 10) % NAME_SLOTS];
    if (!c->valid || c->addr != addr) {
        if (t->prog)
            sim_elf_data_name(t->prog, addr, c->name, sizeof c->name);
        else
            snprintf(c->name, sizeof c->name, "0x%08x", addr);
        c->valid = true;
        c->addr = addr;
    }
    snprintf(buf, len, "%s", c->name);
}

/* A kernel's name, cached: every block slice says it. */
void sim_trace_func_name(const SimTrace *t, uint32_t fn, char *buf,
                         size_t len)
{
    NameSlot *c = &t->funcs[(fn >> 1 ^ fn >> 9) % NAME_SLOTS];
    if (!c->valid || c->addr != fn) {
        const SimSymbol *sym = t->prog ? sim_elf_symbol_at(t->prog, fn)
                                       : NULL;
        if (sym)
            snprintf(c->name, sizeof c->name, "%s", sym->name);
        else
            snprintf(c->name, sizeof c->name, "0x%08x", fn);
        c->valid = true;
        c->addr = fn;
    }
    snprintf(buf, len, "%s", c->name);
}

/* A branch's source line, cached: a kernel diverges at a few pcs over
 * and over. */
void sim_trace_line_name(const SimTrace *t, uint32_t pc, char *buf,
                         size_t len)
{
    NameSlot *c = &t->lines[(pc >> 1 ^ pc >> 9) % NAME_SLOTS];
    if (!c->valid || c->addr != pc) {
        if (!t->prog ||
            !sim_elf_file_line(t->prog, pc, c->name, sizeof c->name)) {
            const SimSymbol *sym = t->prog ? sim_elf_symbol_at(t->prog, pc)
                                           : NULL;
            if (sym)
                snprintf(c->name, sizeof c->name, "%s+0x%x", sym->name,
                         pc - sym->addr);
            else
                snprintf(c->name, sizeof c->name, "0x%08x", pc);
        }
        c->valid = true;
        c->addr = pc;
    }
    snprintf(buf, len, "%s", c->name);
}

static const char *const access_names[] = {"load", "store", "amo", "lr",
                                           "sc"};   /* ORDER IsaAccessKind */

const char *sim_trace_access_name(uint32_t kind)
{
    return kind < sizeof access_names / sizeof access_names[0]
               ? access_names[kind] : "?";
}

const char *sim_trace_lock_kind_name(uint8_t kind)
{
    return kind < PARSIM_KIND_COUNT ? sim_lock_kinds[kind].name : "other";
}

const char *sim_trace_msg_name(uint8_t type)
{
    if (type < MSG_COUNT)
        return coh_msg_names[type];
    if (type >= NIC_PKT_DATA && type < NIC_PKT_END)
        return nic_packet_names[type - NIC_PKT_DATA];
    if (type >= MEMSYS_DEV_REQ && type < MEMSYS_DEV_END)
        return memsys_device_msg_names[type - MEMSYS_DEV_REQ];
    return "?";
}

static void stall_name(uint8_t result, char *buf, size_t len)
{
    if (result == SIM_EV_UPGRADE)
        snprintf(buf, len, "upgrade");
    else if (result >= 1 && result <= MISS_CLASS_COUNT)
        snprintf(buf, len, "%s miss", miss_class_names[result - 1]);
    else
        snprintf(buf, len, "miss");
}

/* ---- message passing ---------------------------------------------------- */

const char *sim_trace_mpi_call_name(uint8_t call)
{
    return sim_mpi_call_names[call < PARSIM_MPI_CALL_COUNT ? call
                                                           : PARSIM_MPI_OTHER];
}

uint8_t sim_trace_mpi_call_color(uint8_t call)
{
    if (call >= PARSIM_MPI_SEND && call <= PARSIM_MPI_IPROBE)
        return SIM_TC_MPI_P2P;
    if (call >= PARSIM_MPI_BARRIER && call <= PARSIM_MPI_SCAN)
        return SIM_TC_MPI_COLL;
    return SIM_TC_MPI_OTHER;
}

/* Where a call was made from: the site is its return address, so the
 * call instruction (4 or 2 bytes) holds site - 2.  Cached as the data
 * names are: a run calls from a few sites over and over. */
void sim_trace_site_name(const SimTrace *t, uint32_t site, char *buf,
                         size_t len)
{
    NameSlot *c = &t->sites[(site >> 1 ^ site >> 9) % NAME_SLOTS];
    if (!c->valid || c->addr != site) {
        if (t->prog && site >= 2 &&
            sim_elf_file_line(t->prog, site - 2, c->name, sizeof c->name)) {
            /* its file and line */
        } else if (t->prog && site >= 2) {
            sim_elf_data_name(t->prog, site - 2, c->name, sizeof c->name);
        } else {
            snprintf(c->name, sizeof c->name, "0x%08x", site);
        }
        c->valid = true;
        c->addr = site;
    }
    snprintf(buf, len, "%s", c->name);
}

/* ---- what an "other" library call was: the function its site called -- */

typedef struct CodeAt {
    uint32_t addr;
    uint8_t bytes[8];
    bool ok;
} CodeAt;

static void code_at(void *ctx, const char *name, uint32_t addr,
                    const uint8_t *bytes, size_t size)
{
    CodeAt *c = ctx;
    (void)name;
    if (c->addr >= addr && c->addr - addr + sizeof c->bytes <= size) {
        memcpy(c->bytes, bytes + (c->addr - addr), sizeof c->bytes);
        c->ok = true;
    }
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The target of the call whose return address is site: a jal ra, an
 * auipc + jalr ra pair, or a c.jal just before it. */
static bool callee(const SimProgram *p, uint32_t site, uint32_t *target)
{
    if (site < 8)
        return false;
    CodeAt c = {.addr = site - 8};
    sim_elf_each_code_section(p, code_at, &c);
    if (!c.ok)
        return false;
    uint32_t w = le32(c.bytes + 4), w0 = le32(c.bytes);
    if ((w & 0xfff) == 0x0ef) {                      /* jal ra, imm */
        uint32_t imm = (w >> 31) << 20 | ((w >> 12) & 0xff) << 12 |
                       ((w >> 20) & 1) << 11 | ((w >> 21) & 0x3ff) << 1;
        if (imm & 0x100000)
            imm |= 0xfff00000u;
        *target = site - 4 + imm;
        return true;
    }
    if ((w & 0x7fff) == 0x00e7 && (w0 & 0x7f) == 0x17 &&   /* jalr ra */
        ((w0 >> 7) & 31) == ((w >> 15) & 31)) {      /* auipc rs1 */
        uint32_t lo = w >> 20;
        if (lo & 0x800)
            lo |= 0xfffff000u;
        *target = site - 8 + (w0 & 0xfffff000u) + lo;
        return true;
    }
    uint32_t h = (uint32_t)c.bytes[6] | (uint32_t)c.bytes[7] << 8;
    if ((h & 0xe003) == 0x2001) {                    /* c.jal (RV32) */
        uint32_t imm = ((h >> 12) & 1) << 11 | ((h >> 11) & 1) << 4 |
                       ((h >> 9) & 3) << 8 | ((h >> 8) & 1) << 10 |
                       ((h >> 7) & 1) << 6 | ((h >> 6) & 1) << 7 |
                       ((h >> 3) & 7) << 1 | ((h >> 2) & 1) << 5;
        if (imm & 0x800)
            imm |= 0xfffff000u;
        *target = site - 2 + imm;
        return true;
    }
    return false;
}

/* A call's name: the table's, or for a call the library notes as
 * "other" (MPI_Comm_rank, MPI_Wtime...) the function its site called,
 * when that is a function's start. */
void sim_trace_call_label(const SimTrace *t, uint8_t call, uint32_t site,
                          char *buf, size_t len)
{
    if (call != PARSIM_MPI_OTHER || !t->prog) {
        snprintf(buf, len, "%s", sim_trace_mpi_call_name(call));
        return;
    }
    NameSlot *c = &t->calls[(site >> 1 ^ site >> 9) % NAME_SLOTS];
    if (!c->valid || c->addr != site) {
        uint32_t to;
        const SimSymbol *sym = callee(t->prog, site, &to)
                                   ? sim_elf_symbol_at(t->prog, to) : NULL;
        if (sym && sym->addr == to && sym->is_func)
            snprintf(c->name, sizeof c->name, "%s", sym->name);
        else
            snprintf(c->name, sizeof c->name, "MPI (other)");
        c->valid = true;
        c->addr = site;
    }
    snprintf(buf, len, "%s", c->name);
}

void sim_trace_mpmsg_name(const Rec *r, char *buf, size_t len)
{
    snprintf(buf, len, "msg %u B tag %u", r->addr, r->what);
}

/* ---- groups and their rows ---------------------------------------------- */

uint32_t sim_trace_core_proc(const SimTrace *t, uint32_t core)
{
    return t->nranks ? core / t->cores_per_rank : core;
}

static void proc_name(const SimTrace *t, uint32_t proc, char *buf, size_t len)
{
    snprintf(buf, len, t->nranks ? "rank %u" : "core %u", proc);
}

void sim_trace_pid_process(const Layout *L, unsigned pid, char *buf,
                           size_t len)
{
    const SimTrace *t = L->t;
    if (pid >= 1 && pid <= t->cores)
        proc_name(t, pid - 1, buf, len);
    else if (pid == t->cores + 3)
        snprintf(buf, len, "interconnect");
    else if (pid == t->cores + 5)
        snprintf(buf, len, "GPU");
    else
        snprintf(buf, len, "process %u", pid);
}

void sim_trace_group_process(const Layout *L, uint32_t g, char *buf,
                             size_t len)
{
    const SimTrace *t = L->t;
    uint32_t i;
    switch (sim_trace_group_kind(L, g, &i)) {
    case G_HART: proc_name(t, sim_trace_core_proc(t, i / t->tpc), buf, len);
        break;
    case G_L1: proc_name(t, sim_trace_core_proc(t, i), buf, len); break;
    case G_HOME: snprintf(buf, len, "memory"); break;
    case G_LOCK: snprintf(buf, len, "locks"); break;
    case G_ROI: snprintf(buf, len, "run"); break;
    case G_KERNELS: case G_SM: snprintf(buf, len, "GPU"); break;
    }
}

void sim_trace_group_name(const Layout *L, uint32_t g, unsigned lane,
                          char *buf, size_t len)
{
    const SimTrace *t = L->t;
    uint32_t i;
    char nm[48], more[24] = "";
    if (lane)
        snprintf(more, sizeof more, " (row %u)", lane + 1);
    switch (sim_trace_group_kind(L, g, &i)) {
    case G_HART:
        snprintf(buf, len, "hart %u (core %u, thread %u)%s", i, i / t->tpc,
                 i % t->tpc, more);
        break;
    case G_L1:
        snprintf(buf, len, "core %u L1D messages%s", i, more);
        break;
    case G_HOME:
        snprintf(buf, len, "node %u home%s", i, more);
        break;
    case G_LOCK:
        sim_trace_data_name(t, t->locks[i].addr, nm, sizeof nm);
        snprintf(buf, len, "%s (%s)%s", nm,
                 sim_trace_lock_kind_name(t->locks[i].kind), more);
        break;
    case G_ROI:
        snprintf(buf, len, "region of interest%s", more);
        break;
    case G_KERNELS:
        snprintf(buf, len, "kernels%s", more);
        break;
    case G_SM:
        snprintf(buf, len, "SM %u%s", i, more);
        break;
    }
}

/* "core 3" / "node 0 home" for a message's end. */
void sim_trace_end_name(const Layout *L, uint32_t g, char *buf, size_t len)
{
    uint32_t i;
    if (sim_trace_group_kind(L, g, &i) == G_L1)
        snprintf(buf, len, "core %u", i);
    else
        snprintf(buf, len, "node %u home", i);
}

/* Process and thread ids: unique over the whole file (Perfetto keys
 * threads by tid). */
unsigned sim_trace_group_pid(const Layout *L, uint32_t g)
{
    const SimTrace *t = L->t;
    uint32_t i;
    switch (sim_trace_group_kind(L, g, &i)) {
    case G_HART: return sim_trace_core_proc(t, i / t->tpc) + 1;
    case G_L1: return sim_trace_core_proc(t, i) + 1;
    case G_HOME: return t->cores + 1;
    case G_LOCK: return t->cores + 2;
    case G_KERNELS: case G_SM: return t->cores + 5;
    default: return t->cores + 4;
    }
}

/* Processes in pid order, but the GPU right after the cores, next to
 * the harts that launch its kernels. */
unsigned sim_trace_pid_sort(const Layout *L, unsigned pid)
{
    unsigned cores = L->t->cores;
    if (pid <= cores)
        return pid;
    return pid == cores + 5 ? cores + 1 : pid + 1;
}

unsigned sim_trace_group_tid(const Layout *L, uint32_t g, unsigned lane)
{
    uint32_t i;
    unsigned base;
    switch (sim_trace_group_kind(L, g, &i)) {
    case G_HART: base = 1 + i; break;
    case G_L1: base = 1001 + i; break;
    case G_HOME: base = 2001 + i; break;
    case G_LOCK: base = 3001 + i; break;
    case G_KERNELS: base = 4001; break;
    case G_SM: base = 5001 + i; break;
    default: base = 9001; break;
    }
    return base + lane * 10000u;
}

/* A group's rows stay together, in order, within its process. */
unsigned sim_trace_group_sort(const Layout *L, uint32_t g, unsigned lane)
{
    return sim_trace_group_tid(L, g, 0) * MAX_LANES + lane;
}

/* ---- slices ------------------------------------------------------------- */

void sim_trace_slice_label(const Layout *L, const Slice *s, char *buf,
                           size_t len, uint8_t *color)
{
    const SimTrace *t = L->t;
    const Rec *r = &t->rec[s->rec];
    char nm[48];
    switch (r->type) {
    case R_STATE:
        snprintf(buf, len, "%s", r->what < SIM_EVH_STATE_COUNT
                                     ? sim_ev_hart_state_names[r->what] : "?");
        *color = (uint8_t)(SIM_TC_RUNNING + (r->what < 4 ? r->what : 0));
        break;
    case R_STALL:
        stall_name(r->what, buf, len);
        *color = r->what == SIM_EV_UPGRADE ? SIM_TC_UPGRADE : SIM_TC_MISS;
        break;
    case R_HOLD:
        snprintf(buf, len, "hart %u", r->hart);
        *color = SIM_TC_HOLD;
        break;
    case R_MSG:
        sim_trace_data_name(t, r->addr, nm, sizeof nm);
        snprintf(buf, len, "%s %s", sim_trace_msg_name(r->what), nm);
        *color = SIM_TC_MSG;
        break;
    case R_ROI:
        snprintf(buf, len, "region of interest");
        *color = SIM_TC_ROI;
        break;
    case R_MPCALL:
        sim_trace_call_label(t, r->what, r->addr, buf, len);
        *color = sim_trace_mpi_call_color(r->what);
        break;
    case R_MPMSG:
        if (s->role == 2)
            snprintf(buf, len, "recv %u B from %u tag %u", r->addr, r->src,
                     r->what);
        else
            snprintf(buf, len, "send %u B to %u tag %u", r->addr, r->dst,
                     r->what);
        *color = SIM_TC_MPI_MSG;
        break;
    case R_KERNEL:
        sim_trace_func_name(t, r->addr, buf, len);
        *color = SIM_TC_KERNEL;
        break;
    case R_BLOCK:
        sim_trace_func_name(t, r->addr, nm, sizeof nm);
        snprintf(buf, len, "%s block %u", nm, r->id);
        *color = SIM_TC_BLOCK;
        break;
    case R_WARP:
        snprintf(buf, len, "%s", r->what ? "reconverge" : "diverge");
        *color = r->what ? SIM_TC_RECONVERGE : SIM_TC_DIVERGE;
        break;
    }
}
