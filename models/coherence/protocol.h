/* protocol.h — the coherence protocols as tables: for each protocol
 * (MSI, MESI, MOESI) one table for a private cache, one cell per
 * (state, event) -> (next state, actions), and one for the directory at a
 * line's home, in the style of gem5's SLICC `transition(I, Load, IS_D)`.
 *
 * The tables are data (msi.def, mesi.def, moesi.def); the engine
 * (dir.c, snoop.c, private.c) looks every step of a transaction up here
 * and carries out the actions the cell names, so the table a student
 * reads (`parsim protocol mesi`) is the protocol the machine runs.
 *
 * May depend on: the C library only.
 */
#ifndef PARSIM_MODELS_COHERENCE_PROTOCOL_H
#define PARSIM_MODELS_COHERENCE_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A private cache's line states: the stable ones first (what the views
 * and snapshots show), then the transient ones, where a request is under
 * way: IS_D "was I, going to S, waiting for Data"; IS_D_I the same, but a
 * write overtook it (the data is used once, then dropped); IM_AD "I to M,
 * waiting for Data and Acks"; IM_A "has the data, waits for Acks"; SM_AD,
 * SM_A the same from S (an upgrade); OM_A from O.  ORDER STATE:
 * coh_state_names, the rows of the .def tables. */
enum {
    COH_I = 0, COH_S, COH_E, COH_O, COH_M,
    COH_STATE_COUNT,                  /* the stable states */
    COH_IS_D = COH_STATE_COUNT, COH_IS_D_I, COH_IM_AD, COH_IM_A, COH_SM_AD,
    COH_SM_A, COH_OM_A,
    COH_ALL_STATES
};
extern const char *const coh_state_names[COH_ALL_STATES];

/* A cell's next state when the event cannot happen in that state. */
#define COH_NONE 0xff

/* Events at a private cache.  ORDER CEV: coh_event_names. */
typedef enum CohEvent {
    CEV_LOAD, CEV_STORE,              /* the core's own (an AMO or SC is a
                                         store) */
    CEV_REPLACE,                      /* the line is evicted */
    CEV_FWD_GETS, CEV_FWD_GETX,       /* another core's request, forwarded
                                         to this owner (or snooped) */
    CEV_INV,                          /* invalidate this copy */
    CEV_DATA_S, CEV_DATA_E,           /* data for a read: shared, or
                                         exclusive (nobody else has it) */
    CEV_DATA, CEV_DATA_ALL,           /* data for a write: acks still to
                                         come, or none */
    CEV_GRANT, CEV_GRANT_ALL,         /* an upgrade granted (no data) */
    CEV_ACK, CEV_LAST_ACK,            /* an invalidation acknowledged */
    CEV_COUNT
} CohEvent;
extern const char *const coh_event_names[CEV_COUNT];

/* Actions of a private cache's cell.  ORDER CA: coh_cache_action_names. */
enum {
    CA_HIT = 1 << 0,        /* the access is served here */
    CA_STALL = 1 << 1,      /* the access waits for the line's request */
    CA_GETS = 1 << 2,       /* send GETS (read) to the home */
    CA_GETX = 1 << 3,       /* send GETX (write, with data) */
    CA_UPGRADE = 1 << 4,    /* send UPGRADE (write, without data) */
    CA_DATA = 1 << 5,       /* send the line to the requester */
    CA_WB = 1 << 6,         /* write the dirty line back to the home */
    CA_ACK = 1 << 7,        /* acknowledge the invalidation to the
                               requester */
    CA_PUTS = 1 << 8,       /* tell the home a clean copy left */
    CA_PUTX = 1 << 9,       /* send the dirty line home as it leaves */
    CA_DONE = 1 << 10,      /* the waiting access completes */
    CA_COUNT_BITS = 11
};
extern const char *const coh_cache_action_names[CA_COUNT_BITS];

/* The directory's view of a line at its home.  ORDER DIR_STATE:
 * coh_dir_state_names. */
enum {
    DIR_I = 0,              /* no private copy */
    DIR_S,                  /* one or more clean copies */
    DIR_E,                  /* one owner with the only copy (E or M) */
    DIR_O,                  /* an owner in O, maybe sharers */
    DIR_B,                  /* busy: a request is under way */
    DIR_STATE_COUNT
};
extern const char *const coh_dir_state_names[DIR_STATE_COUNT];

/* Events at the directory.  ORDER DEV: coh_dir_event_names. */
typedef enum CohDirEvent {
    DEV_GETS, DEV_GETX, DEV_UPGRADE,
    DEV_PUTS,               /* a clean copy left, others remain */
    DEV_PUTS_LAST,          /* the last (clean) copy left */
    DEV_PUTX,               /* the owner wrote its line back; sharers
                               remain */
    DEV_PUTX_LAST,          /* the owner wrote back the only copy */
    DEV_COUNT
} CohDirEvent;
extern const char *const coh_dir_event_names[DEV_COUNT];

/* Actions of a directory cell.  ORDER DA: coh_dir_action_names. */
enum {
    DA_MEM = 1 << 0,        /* the LLC slice or memory sends the data */
    DA_EXCL = 1 << 1,       /* ... as exclusive data (Data_E) */
    DA_FWD = 1 << 2,        /* forward the request to the owner */
    DA_INV = 1 << 3,        /* invalidate every other copy */
    DA_GRANT = 1 << 4,      /* grant the upgrade */
    DA_OWNER = 1 << 5,      /* the requester becomes owner, the only copy */
    DA_SHARER = 1 << 6,     /* the requester becomes a sharer */
    DA_KEEP = 1 << 7,       /* the owner keeps ownership (else it becomes
                               a plain sharer) */
    DA_DROP = 1 << 8,       /* the evicting core is no sharer any more */
    DA_LLC = 1 << 9,        /* the written-back line goes into the LLC */
    DA_WAIT = 1 << 10,      /* the request waits (queued, or NACKed and
                               retried: coherence.busy) */
    DA_COUNT_BITS = 11
};
extern const char *const coh_dir_action_names[DA_COUNT_BITS];

typedef struct CohCell {
    uint8_t next;           /* COH_NONE (or DIR_STATE_COUNT): impossible */
    uint16_t actions;
} CohCell;

typedef enum CohProtocolId { COH_MSI, COH_MESI, COH_MOESI, COH_PROTOCOLS }
    CohProtocolId;

typedef struct CohProtocolDef {
    const char *name;               /* "msi" */
    const char *title;              /* one line: what it adds */
    uint32_t states;                /* 1 << state for every state it uses */
    CohCell cache[COH_ALL_STATES][CEV_COUNT];
    CohCell dir[DIR_STATE_COUNT][DEV_COUNT];
} CohProtocolDef;

const CohProtocolDef *coh_protocol(CohProtocolId id);
/* By name ("msi", "mesi", "moesi"); NULL if there is none. */
const CohProtocolDef *coh_protocol_named(const char *name);

static inline bool coh_is_transient(uint8_t s) { return s >= COH_STATE_COUNT; }
/* The stable state a transient one left (IS_D: I, SM_AD: S, ...). */
uint8_t coh_stable_of(uint8_t s);
/* A copy valid for reading / holding the only copy (owns for writing). */
static inline bool coh_valid(uint8_t s)
{
    return s == COH_S || s == COH_E || s == COH_O || s == COH_M;
}

/* Print a protocol's two tables: as text (markdown false) or Markdown
 * tables for docs/.  Impossible cells print as a dash. */
void coh_protocol_print(FILE *f, const CohProtocolDef *p, bool markdown);

/* The cells a protocol defines (not impossible), for coverage: index =
 * state * CEV_COUNT + event (cache), and COH_ALL_STATES * CEV_COUNT +
 * dir state * DEV_COUNT + event (directory). */
#define COH_CELLS (COH_ALL_STATES * CEV_COUNT + DIR_STATE_COUNT * DEV_COUNT)
static inline size_t coh_cache_cell_index(uint8_t s, CohEvent e)
{
    return (size_t)s * CEV_COUNT + e;
}
static inline size_t coh_dir_cell_index(uint8_t s, CohDirEvent e)
{
    return COH_ALL_STATES * CEV_COUNT + (size_t)s * DEV_COUNT + e;
}
bool coh_cell_defined(const CohProtocolDef *p, size_t index);
/* "cache (IS_D, Data_S)" or "directory (S, GETX)". */
void coh_cell_name(size_t index, char *out, size_t len);

#endif
