/* stats_priv.h — the statistics registry's shape, shared by the registry
 * (stats.c: the groups and their figures, the region of interest) and
 * its writers (stats_out.c: the summary, the JSON, the CSV row, the
 * window's list, docs/stats.md's tables).
 *
 * May depend on: sim/machine_priv.h (and through it sim/machine.h, isa/,
 * models/), sim/json.h, sim/gpu.h (the GPU array's figures), sim/csv.h
 * (the CSV row's fields).
 */
#ifndef PARSIM_SIM_STATS_PRIV_H
#define PARSIM_SIM_STATS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/machine_priv.h"

typedef enum StatKind {
    SK_COUNT,     /* a counter that only grows: summed, differenced */
    SK_CLOCK,     /* a clock: the group's figure is the max; differenced */
    SK_PEAK,      /* a maximum: the group's figure is the max; no region */
    SK_ID,        /* a number that names the member (hart 3) */
    SK_INT,       /* a signed number (an exit status) */
    SK_BOOL,
    SK_STR,       /* text: the getter writes it */
    SK_HEX,       /* an address, written "0x%08x" */
    SK_RATIO      /* value[num] / value[den] of the same member, 4 places */
} StatKind;

typedef struct StatDef StatDef;
typedef uint64_t (*StatGet)(const SimMachine *m, uint32_t i, int each);
typedef void (*StatText)(const SimMachine *m, uint32_t i, char *buf,
                         size_t len);

struct StatDef {
    const char *path;         /* JSON name in its group ("a.b" nests) */
    StatKind kind;
    const char *unit;
    const char *help;
    StatGet get;              /* numbers */
    StatText text;            /* SK_STR */
    const char *const *each;  /* one value per name (ends with NULL): the
                                 path is an object of them */
    int num, den;             /* SK_RATIO: indexes into the group's defs */
    const char *label;        /* summary column heading (NULL: none) */
    int width;
};

typedef struct StatGroup {
    const char *path;         /* "" is the top; "memory.l1d" nests */
    bool array;               /* an array of members, or one object */
    bool roi;                 /* has region-of-interest figures */
    bool (*present)(const SimMachine *m);
    uint32_t (*count)(const SimMachine *m);
    const StatDef *defs;
    int ndefs;
    const char *help;
} StatGroup;


/* A member's values, slot by slot; `roi` (NULL: the whole run) holds the
 * region's differences for the groups that have them. */
typedef struct Values {
    const SimMachine *m;
    const SimRoi *roi;
} Values;

/* The registry: every group, in the order the JSON writes them.  ORDER
 * the groups of stats.c (a _Static_assert there checks the count). */
#define SIM_STAT_NGROUPS 18
extern const StatGroup sim_stat_groups[SIM_STAT_NGROUPS];

/* Fill the tables that come from the models' names (once). */
void sim_stat_init(void);
/* Index of the group with that path, or -1. */
int sim_stat_group(const char *path);
/* Value slots of one member (each `each` name counts once), and the slot
 * of def d's first value. */
int sim_stat_slots(const StatGroup *g);
int sim_stat_slot_of(const StatGroup *g, int d);

/* How many values def s has: one, or one per name of its `each`. */
static inline int sim_stat_values(const StatDef *s)
{
    int n = 1;
    if (s->each)
        for (n = 0; s->each[n]; n++)
            ;
    return n;
}

/* Counters and clocks have region figures (end - begin). */
static inline bool sim_stat_diffed(StatKind k)
{
    return k == SK_COUNT || k == SK_CLOCK;
}

/* The value of slot `slot` (def d, each e) of member i of group gi, and a
 * ratio def's value; from the whole run or the region (v->roi). */
uint64_t sim_stat_value(const Values *v, int gi, uint32_t i, int d, int e,
                        int slot);
double sim_stat_ratio(const Values *v, int gi, uint32_t i, const StatDef *s);
/* The machine figure: the members summed (counters) or their largest. */
uint64_t sim_stat_figure(const Values *v, int gi, int d, int e, int slot);

/* Figures the writers need beyond the registry's own walk. */
uint64_t sim_stat_insns(const SimMachine *m);
uint64_t sim_stat_cycles(const SimMachine *m);
/* Where MPI call site i is: "ring.c:12", else its symbol. */
void sim_stat_site_line(const SimMachine *m, uint32_t i, char *b, size_t n);
bool sim_stat_parallel(const SimMachine *m);
NocLinkStats sim_stat_link(const SimMachine *m, uint32_t i);
uint32_t sim_stat_nlinks(const SimMachine *m);

#endif
