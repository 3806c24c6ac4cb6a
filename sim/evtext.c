/* evtext.c — an event in words, for the window's event log and for what
 * "next event" stopped on (sim_ev_describe, sim/machine.h): "h5 load
 * miss on tas+0 (coherence)", "GETX core 5 -> home 0: tas+0..63", "lock
 * tas+0 handed from h6 to h2", "core 1: M -> I on Inv: box+0..63".
 * Names come from the program (symbols, source lines) and the machine
 * (routers, lock kinds, line states); nothing here changes the machine. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/machine_priv.h"

/* Who sits on router r: "core 5", "home 0", "core 0 + home 0". */
static void router_name(const SimMachine *m, uint32_t r, char *buf,
                        size_t len)
{
    buf[0] = '\0';
    if (!m->memsys) {
        snprintf(buf, len, "router %u", r);
        return;
    }
    const MemSysConfig *c = memsys_config(m->memsys);
    int n = 0, named = 0;
    for (uint32_t k = 0; k < c->cores && k < 64 && n >= 0 &&
                         (size_t)n < len; k++)
        if (c->core_router[k] == r && named++ < 2)
            n += snprintf(buf + n, len - (size_t)n, "%score %u",
                          named > 1 ? " + " : "", k);
    for (uint32_t k = 0; k < c->nodes && k < 64 && n >= 0 &&
                         (size_t)n < len; k++)
        if (c->node_router[k] == r && named++ < 3)
            n += snprintf(buf + n, len - (size_t)n, "%shome %u",
                          named > 1 ? " + " : "", k);
    if (!named)
        snprintf(buf, len, "router %u", r);
}

static const char *access_kind(uint8_t what)
{
    switch (what) {
    case ISA_ACC_LOAD: return "load";
    case ISA_ACC_STORE: return "store";
    case ISA_ACC_LR: return "LR";
    case ISA_ACC_SC: return "SC";
    case ISA_ACC_AMO: return "AMO";
    default: return "access";
    }
}

void sim_ev_describe(const SimMachine *m, const SimEvent *e, char *buf,
                     size_t len)
{
    char name[128], a[48], b[48];
    sim_elf_data_name(m->prog, e->addr, name, sizeof name);
    switch (e->kind) {
    case SIM_EV_ACCESS:
        if (e->result == SIM_EV_HIT)
            snprintf(buf, len, "h%u %s hit on %s", e->hart,
                     access_kind(e->what), name);
        else if (e->result == SIM_EV_UPGRADE)
            snprintf(buf, len, "h%u %s upgrade on %s (shared, asks for "
                     "exclusive)", e->hart, access_kind(e->what), name);
        else
            snprintf(buf, len, "h%u %s miss on %s (%s)", e->hart,
                     access_kind(e->what), name,
                     e->result - 1u < MISS_CLASS_COUNT
                     ? miss_class_names[e->result - 1] : "miss");
        return;
    case SIM_EV_MSG_SEND:
    case SIM_EV_MSG_RECV: {
        router_name(m, e->src, a, sizeof a);
        router_name(m, e->dst, b, sizeof b);
        const char *t = e->what < MSG_COUNT ? coh_msg_names[e->what]
                      : e->what >= MEMSYS_DEV_REQ && e->what < MEMSYS_DEV_END
                      ? memsys_device_msg_names[e->what - MEMSYS_DEV_REQ]
                      : "packet";
        if (e->what < MSG_COUNT)
            sim_elf_line_name(m->prog, e->addr,
                              m->memsys ? memsys_config(m->memsys)->l1d.line
                                        : 64, name, sizeof name);
        /* From and to first: a line's name can be long. */
        snprintf(buf, len, "%s %s -> %s%s%s%s", t, a, b,
                 e->kind == SIM_EV_MSG_RECV ? " (arrives)" : "",
                 e->what < MSG_COUNT ? ": " : "",
                 e->what < MSG_COUNT ? name : "");
        return;
    }
    case SIM_EV_LINK:
        snprintf(buf, len, "link %u busy for %" PRIu64 " cycles", e->id,
                 e->end - e->cycle);
        return;
    case SIM_EV_LOCK: {
        const char *kind = e->result < PARSIM_KIND_COUNT
                         ? sim_lock_kinds[e->result].what : "lock";
        const char *does = e->what == PARSIM_LOCK_TRY ? "tries"
                         : e->what == PARSIM_LOCK_ACQUIRED ? "takes"
                         : "releases";
        snprintf(buf, len, "h%u %s %s (%s)", e->hart, does, name, kind);
        return;
    }
    case SIM_EV_HART:
        switch (e->what) {
        case SIM_EVH_RUNNING:
            snprintf(buf, len, "h%u runs", e->hart);
            return;
        case SIM_EVH_SPINNING:
            snprintf(buf, len, "h%u spins on %s", e->hart, name);
            return;
        case SIM_EVH_BLOCKED:
            if (e->addr)
                snprintf(buf, len, "h%u blocks, waiting on %s", e->hart,
                         name);
            else
                snprintf(buf, len, "h%u blocks", e->hart);
            return;
        default:
            snprintf(buf, len, "h%u halts", e->hart);
            return;
        }
    case SIM_EV_ROI:
        snprintf(buf, len, "h%u: the region of interest %s", e->hart,
                 e->what ? "ends" : "begins");
        return;
    case SIM_EV_SAMPLE:
        snprintf(buf, len, "h%u has retired %" PRIu64 " instructions",
                 e->hart, e->end);
        return;
    case SIM_EV_MP_CALL:
        snprintf(buf, len, "h%u %s %s", e->hart, e->what ? "leaves"
                 : "enters", e->result < PARSIM_MPI_CALL_COUNT
                 ? sim_mpi_call_names[e->result] : "a library call");
        return;
    case SIM_EV_MP_SEND:
        snprintf(buf, len, "rank %u sends %u bytes to rank %u (%s)", e->src,
                 e->addr, e->dst, e->what ? "rendezvous" : "eager");
        return;
    case SIM_EV_MP_RECV:
        snprintf(buf, len, "rank %u receives %u bytes from rank %u", e->dst,
                 e->addr, e->src);
        return;
    case SIM_EV_GPU_KERNEL:
        snprintf(buf, len, "kernel %s (launch %u) ran from cycle %" PRIu64,
                 name, e->id, e->cycle);
        return;
    case SIM_EV_GPU_BLOCK:
        snprintf(buf, len, "block %u of %s ran on SM %u", e->id, name,
                 e->src);
        return;
    case SIM_EV_GPU_WARP: {
        const char *file = NULL;
        int line = 0;
        char where[160];
        if (sim_elf_source_line(m->prog, e->addr, &file, &line) && file) {
            const char *base = strrchr(file, '/');
            snprintf(where, sizeof where, "%s:%d", base ? base + 1 : file,
                     line);
        } else {
            snprintf(where, sizeof where, "pc 0x%08x", e->addr);
        }
        snprintf(buf, len, "SM %u warp %u: lanes %s at %s", e->src, e->dst,
                 e->what ? "meet again" : "part", where);
        return;
    }
    case SIM_EV_COH: {
        /* "core 1: M -> I on Inv: box+0..63", as a message's words go. */
        const char *from = e->aux < COH_ALL_STATES ? coh_state_names[e->aux]
                                                   : "?";
        const char *to = e->result < COH_ALL_STATES
                             ? coh_state_names[e->result] : "?";
        sim_elf_line_name(m->prog, e->addr,
                          m->memsys ? memsys_config(m->memsys)->l1d.line
                                    : 64, name, sizeof name);
        snprintf(buf, len, "core %u: %s -> %s on %s: %s", e->src, from, to,
                 e->what < CEV_COUNT ? coh_event_names[e->what] : "?", name);
        return;
    }
    default:
        snprintf(buf, len, "event %u", e->kind);
        return;
    }
}
