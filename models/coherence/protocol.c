/* protocol.c — the protocol tables (see protocol.h): built from the .def
 * files once, looked up by the engine, printed for people. */
#include "models/coherence/protocol.h"

#include <pthread.h>
#include <string.h>

const char *const coh_state_names[COH_ALL_STATES] = {
    "I", "S", "E", "O", "M", "IS_D", "IS_D_I", "IM_AD", "IM_A", "SM_AD",
    "SM_A", "OM_A"};
const char *const coh_event_names[CEV_COUNT] = {
    "Load", "Store", "Replacement", "Fwd_GETS", "Fwd_GETX", "Inv", "Data_S",
    "Data_E", "Data", "Data_All", "Grant", "Grant_All", "Ack", "Last_Ack"};
const char *const coh_cache_action_names[CA_COUNT_BITS] = {
    "hit", "stall", "GETS", "GETX", "UPGRADE", "DATA", "WB", "ACK", "PUTS",
    "PUTX", "done"};
const char *const coh_dir_state_names[DIR_STATE_COUNT] = {"I", "S", "E", "O",
                                                          "B"};
const char *const coh_dir_event_names[DEV_COUNT] = {
    "GETS", "GETX", "UPGRADE", "PUTS", "PUTS_Last", "PUTX", "PUTX_Last"};
const char *const coh_dir_action_names[DA_COUNT_BITS] = {
    "data", "exclusive", "FWD", "INV", "GRANT", "owner", "sharer", "keep",
    "drop", "LLC", "wait"};

/* ---- the tables, from the .def files ------------------------------------ */

/* The .def files' names without their prefixes. */
enum {
    HIT = CA_HIT, STALL = CA_STALL, GETS = CA_GETS, GETX = CA_GETX,
    UPGRADE = CA_UPGRADE, DATA = CA_DATA, WB = CA_WB, ACK = CA_ACK,
    PUTS = CA_PUTS, PUTX = CA_PUTX, DONE = CA_DONE,
    MEM = DA_MEM, EXCL = DA_EXCL, FWD = DA_FWD, INV = DA_INV,
    GRANT = DA_GRANT, OWNER = DA_OWNER, SHARER = DA_SHARER, KEEP = DA_KEEP,
    DROP = DA_DROP, LLC = DA_LLC, WAIT = DA_WAIT
};

typedef struct CellDef {
    bool dir;
    uint8_t state, event, next;
    uint16_t actions;
} CellDef;

#define PROTOCOL(n, t)
#define CACHE(s, e, n, a) {false, COH_##s, CEV_##e, COH_##n, a},
#define DIR(s, e, n, a) {true, DIR_##s, DEV_##e, DIR_##n, a},
static const CellDef msi_cells[] = {
#include "models/coherence/msi.def"
};
static const CellDef mesi_cells[] = {
#include "models/coherence/mesi.def"
};
static const CellDef moesi_cells[] = {
#include "models/coherence/moesi.def"
};
#undef CACHE
#undef DIR
#undef PROTOCOL

static const struct {
    const char *name, *title;
    const CellDef *cells;
    size_t n;
} sources[COH_PROTOCOLS] = {
#define CACHE(s, e, n, a)
#define DIR(s, e, n, a)
#define PROTOCOL(n, t) {#n, t, NULL, 0},
#include "models/coherence/msi.def"
#include "models/coherence/mesi.def"
#include "models/coherence/moesi.def"
#undef CACHE
#undef DIR
#undef PROTOCOL
};

static CohProtocolDef defs[COH_PROTOCOLS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    const CellDef *cells[COH_PROTOCOLS] = {msi_cells, mesi_cells, moesi_cells};
    size_t n[COH_PROTOCOLS] = {
        sizeof msi_cells / sizeof *msi_cells,
        sizeof mesi_cells / sizeof *mesi_cells,
        sizeof moesi_cells / sizeof *moesi_cells};
    for (int p = 0; p < COH_PROTOCOLS; p++) {
        CohProtocolDef *d = &defs[p];
        d->name = sources[p].name;
        d->title = sources[p].title;
        for (int s = 0; s < COH_ALL_STATES; s++)
            for (int e = 0; e < CEV_COUNT; e++)
                d->cache[s][e] = (CohCell){COH_NONE, 0};
        for (int s = 0; s < DIR_STATE_COUNT; s++)
            for (int e = 0; e < DEV_COUNT; e++)
                d->dir[s][e] = (CohCell){COH_NONE, 0};
        for (size_t i = 0; i < n[p]; i++) {
            const CellDef *c = &cells[p][i];
            if (c->dir) {
                d->dir[c->state][c->event] = (CohCell){c->next, c->actions};
            } else {
                d->cache[c->state][c->event] = (CohCell){c->next, c->actions};
                d->states |= 1u << c->state;
            }
        }
    }
}

const CohProtocolDef *coh_protocol(CohProtocolId id)
{
    pthread_once(&once, build);
    return id < COH_PROTOCOLS ? &defs[id] : NULL;
}

const CohProtocolDef *coh_protocol_named(const char *name)
{
    for (int p = 0; p < COH_PROTOCOLS; p++)
        if (!strcmp(sources[p].name, name))
            return coh_protocol((CohProtocolId)p);
    return NULL;
}

uint8_t coh_stable_of(uint8_t s)
{
    switch (s) {
    case COH_IS_D: case COH_IS_D_I: case COH_IM_AD: case COH_IM_A:
        return COH_I;
    case COH_SM_AD: case COH_SM_A: return COH_S;
    case COH_OM_A: return COH_O;
    default: return s;
    }
}

bool coh_cell_defined(const CohProtocolDef *p, size_t i)
{
    if (i < COH_ALL_STATES * CEV_COUNT)
        return p->cache[i / CEV_COUNT][i % CEV_COUNT].next != COH_NONE;
    i -= COH_ALL_STATES * CEV_COUNT;
    return i < DIR_STATE_COUNT * DEV_COUNT &&
           p->dir[i / DEV_COUNT][i % DEV_COUNT].next != COH_NONE;
}

void coh_cell_name(size_t i, char *out, size_t len)
{
    if (i < COH_ALL_STATES * CEV_COUNT) {
        snprintf(out, len, "cache (%s, %s)", coh_state_names[i / CEV_COUNT],
                 coh_event_names[i % CEV_COUNT]);
        return;
    }
    i -= COH_ALL_STATES * CEV_COUNT;
    snprintf(out, len, "directory (%s, %s)", coh_dir_state_names[i / DEV_COUNT],
             coh_dir_event_names[i % DEV_COUNT]);
}

/* ---- printing ---------------------------------------------------------------- */

/* "S / DATA WB": the next state, then the actions; "-" when impossible. */
static void cell_text(char *out, size_t len, const CohCell *c,
                      const char *const *states, const char *const *acts,
                      int nacts)
{
    if (c->next == COH_NONE) {
        snprintf(out, len, "-");
        return;
    }
    size_t k = (size_t)snprintf(out, len, "%s", states[c->next]);
    const char *sep = " / ";
    for (int b = 0; b < nacts && k < len; b++)
        if (c->actions >> b & 1) {
            k += (size_t)snprintf(out + k, len - k, "%s%s", sep, acts[b]);
            sep = " ";
        }
}

static void table(FILE *f, bool md, const char *corner, int nrows,
                  const char *const *rows, uint32_t rowmask, int ncols,
                  const char *const *cols, const CohCell *cells, int stride,
                  const char *const *states, const char *const *acts,
                  int nacts)
{
    /* Only the columns with at least one possible cell. */
    bool used[32] = {false};
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++)
            if (cells[r * stride + c].next != COH_NONE)
                used[c] = true;
    int width[32];
    char buf[96];
    width[0] = (int)strlen(corner);
    for (int r = 0; r < nrows; r++)
        if (rowmask >> r & 1 && (int)strlen(rows[r]) > width[0])
            width[0] = (int)strlen(rows[r]);
    for (int c = 0; c < ncols; c++) {
        width[c + 1] = (int)strlen(cols[c]);
        if (!used[c])
            continue;
        for (int r = 0; r < nrows; r++) {
            cell_text(buf, sizeof buf, &cells[r * stride + c], states, acts,
                      nacts);
            if ((int)strlen(buf) > width[c + 1])
                width[c + 1] = (int)strlen(buf);
        }
    }
    const char *bar = md ? "| " : "", *sep = md ? " | " : "  ",
               *end = md ? " |" : "";
    int last = 0;                   /* as text, the last column unpadded */
    for (int c = 0; c < ncols; c++)
        if (used[c])
            last = c;
    if (!md)
        width[last + 1] = 0;
    fprintf(f, "%s%-*s", bar, width[0], corner);
    for (int c = 0; c < ncols; c++)
        if (used[c])
            fprintf(f, "%s%-*s", sep, width[c + 1], cols[c]);
    fprintf(f, "%s\n", end);
    if (md) {
        fprintf(f, "|%.*s", width[0] + 2, "------------------------------");
        for (int c = 0; c < ncols; c++)
            if (used[c]) {
                fputc('|', f);
                for (int i = 0; i < width[c + 1] + 2; i++)
                    fputc('-', f);
            }
        fprintf(f, "|\n");
    }
    for (int r = 0; r < nrows; r++) {
        if (!(rowmask >> r & 1))
            continue;
        fprintf(f, "%s%-*s", bar, width[0], rows[r]);
        for (int c = 0; c < ncols; c++)
            if (used[c]) {
                cell_text(buf, sizeof buf, &cells[r * stride + c], states,
                          acts, nacts);
                fprintf(f, "%s%-*s", sep, width[c + 1], buf);
            }
        fprintf(f, "%s\n", end);
    }
}

void coh_protocol_print(FILE *f, const CohProtocolDef *p, bool md)
{
    const char *h = md ? "#### " : "";
    fprintf(f, "%s%s\n\n", md ? "### " : "", p->title);
    fprintf(f, "%sPrivate cache: state x event -> next state / actions\n\n",
            h);
    table(f, md, "state", COH_ALL_STATES, coh_state_names, p->states,
          CEV_COUNT, coh_event_names, &p->cache[0][0], CEV_COUNT,
          coh_state_names, coh_cache_action_names, CA_COUNT_BITS);
    uint32_t dirrows = 0;
    for (int s = 0; s < DIR_STATE_COUNT; s++)
        for (int e = 0; e < DEV_COUNT; e++)
            if (p->dir[s][e].next != COH_NONE)
                dirrows |= 1u << s;
    fprintf(f, "\n%sDirectory at the home: state x request -> next state / "
            "actions\n\n", h);
    table(f, md, "state", DIR_STATE_COUNT, coh_dir_state_names, dirrows,
          DEV_COUNT, coh_dir_event_names, &p->dir[0][0], DEV_COUNT,
          coh_dir_state_names, coh_dir_action_names, DA_COUNT_BITS);
}
