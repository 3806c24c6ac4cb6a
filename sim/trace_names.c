/* trace_names.c — what the trace calls things: processes, tracks,
 * slices, the ends of a message, addresses, and the ids the viewers key
 * and sort tracks by.  The JSON (trace_json.c) and the layout handed to
 * on_layout (trace_export.c) both take their names from here, so the two
 * always agree (see trace_priv.h).
 */
#include "sim/trace_priv.h"

#include <stdio.h>

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
    return type < MSG_COUNT ? coh_msg_names[type] : "?";
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

/* ---- groups and their rows ---------------------------------------------- */

void sim_trace_group_process(const Layout *L, uint32_t g, char *buf,
                             size_t len)
{
    uint32_t i;
    switch (sim_trace_group_kind(L, g, &i)) {
    case G_HART: snprintf(buf, len, "core %u", i / L->t->tpc); break;
    case G_L1: snprintf(buf, len, "core %u", i); break;
    case G_HOME: snprintf(buf, len, "memory"); break;
    case G_LOCK: snprintf(buf, len, "locks"); break;
    case G_ROI: snprintf(buf, len, "run"); break;
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
    case G_HART: return i / t->tpc + 1;
    case G_L1: return i + 1;
    case G_HOME: return t->cores + 1;
    case G_LOCK: return t->cores + 2;
    default: return t->cores + 4;
    }
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
    default: base = 9001; break;
    }
    return base + lane * 10000u;
}

/* A group's rows stay together, in order, within its process. */
unsigned sim_trace_group_sort(const Layout *L, uint32_t g, unsigned lane)
{
    return sim_trace_group_tid(L, g, 0) * 4u + lane;
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
    }
}
