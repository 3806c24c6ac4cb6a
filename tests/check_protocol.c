/* check_protocol.c — the coherence tables (msi.def, mesi.def,
 * moesi.def) against the engine that runs them: for each protocol and
 * both organisations, crafted access sequences on a small machine, the
 * races among them timed to reach the transient cells; the states
 * asserted where they are the point; no run may reach a cell the table
 * says is impossible (memsys_error, the invariant checker on); and every
 * cell a protocol defines must be used by some sequence, per
 * organisation (those a bus can produce, for snooping) and over both
 * (memsys_cell_use, summed).  The cells to check come from the table, so
 * a new cell needs a sequence that reaches it, or it is dead and goes.
 *
 * Lines: A, B, C, D are in L1 sets 1-4 of the 1 KiB 2-way L1 (64-byte
 * lines, 8 sets); A2 and A3 (and C2, C3) share their set, 512 bytes on,
 * so two loads of them evict A (or C).  Cores sit on routers 0..n-1, the
 * home (one node) on router 0 for the directory: core 0 is at the home.
 * Harts: core * threads + thread. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/memsys.h"

#define BASE 0x80000000u

enum { A = 0x040, B = 0x080, C = 0x0c0, D = 0x100,
       A2 = A + 0x200, A3 = A + 0x400, A4 = A + 0x600, A5 = A + 0x800,
       C2 = C + 0x200, C3 = C + 0x400 };

/* ---- the sequences ------------------------------------------------------ */

enum { END, LD, ST, RAW, VIEW };        /* a step's op */
#define ANY 0xfe                        /* a state not checked */

enum { ORG_SNOOP = 1 << COH_SNOOP, ORG_DIR = 1 << COH_DIRECTORY,
       ORG_BOTH = ORG_SNOOP | ORG_DIR };
enum { P_MSI = 1 << COH_MSI, P_MESI = 1 << COH_MESI, P_MOESI = 1 << COH_MOESI,
       P_ALL = P_MSI | P_MESI | P_MOESI };

/* The machine: SMALL, check_memsys.c's small machine (a bus for
 * snooping, a crossbar for the directory); NEAR, the LLC close and the
 * network slow, so that the home's data beats the acks; RING, a 4-router
 * ring at one byte per cycle, where a busy link can hold up a grant
 * while the acks go round the other way (NEAR and RING: the directory's
 * network; a bus stays a bus); L2, the small machine with an 8 KiB
 * 2-way L2 per core (64 sets: A .. A5 do not conflict there). */
enum { MACH_SMALL, MACH_NEAR, MACH_RING, MACH_L2 };

typedef struct Step {
    uint8_t op;
    uint8_t core, thread;     /* LD, ST: the hart; RAW, VIEW: the core */
    uint8_t orgs;             /* RAW, VIEW: where it holds (0: both) */
    uint16_t off;             /* the line, BASE + off */
    uint32_t at;              /* LD, ST: the access's cycle */
    uint8_t want[COH_PROTOCOLS];  /* RAW, VIEW: the state per protocol */
} Step;

#define LOAD(c, o, t)     {LD, c, 0, 0, o, t, {0}}
#define STORE(c, o, t)    {ST, c, 0, 0, o, t, {0}}
#define LOAD1(c, o, t)    {LD, c, 1, 0, o, t, {0}}   /* the core's 2nd hart */
#define STORE1(c, o, t)   {ST, c, 1, 0, o, t, {0}}
/* memsys_l1_state_raw (as stored: transient states show) and
 * memsys_l1_state (the stable view), one state or one per protocol. */
#define RAW_IS(c, o, s)           {RAW, c, 0, 0, o, 0, {s, s, s}}
#define RAW_DIR(c, o, s)          {RAW, c, 0, ORG_DIR, o, 0, {s, s, s}}
#define VIEW_IS(c, o, s)          {VIEW, c, 0, 0, o, 0, {s, s, s}}
#define VIEW3(c, o, msi, mesi, moesi) {VIEW, c, 0, 0, o, 0, {msi, mesi, moesi}}

/* Cores x and y end with clean copies of A and the home in S, whatever
 * the protocol: x reads, y reads (MESI: E to S; MOESI: x keeps it as O),
 * x evicts it (MOESI: PUTX, the home's O becomes S), x reads it again
 * from the home (S, GETS).  Cycles t .. t + 4000. */
#define TWO_CLEAN(x, y, t)                                                 \
    LOAD(x, A, t), LOAD(y, A, (t) + 1000), LOAD(x, A2, (t) + 2000),        \
    LOAD(x, A3, (t) + 3000), LOAD(x, A, (t) + 4000),                       \
    VIEW_IS(x, A, COH_S), VIEW_IS(y, A, COH_S)

/* Three readers of A: cores 0, 1, 2 (MOESI: core 0 the owner, O). */
#define THREE_READERS                                                      \
    LOAD(0, A, 0), LOAD(1, A, 1000), LOAD(2, A, 2000),                     \
    VIEW3(0, A, COH_S, COH_S, COH_O), VIEW_IS(1, A, COH_S),                \
    VIEW_IS(2, A, COH_S)

typedef struct Seq {
    const char *name;
    uint8_t protos, orgs;
    uint8_t cores, threads, machine;
    Step steps[24];
} Seq;

static const Seq seqs[] = {
    /* ---- stable states, one transaction at a time ---- */
    {"a line's life: read, write, share, steal, evict", P_ALL, ORG_BOTH,
     2, 1, MACH_SMALL,
     {LOAD(0, A, 0), RAW_IS(0, A, COH_IS_D), VIEW3(0, A, COH_S, COH_E, COH_E),
      LOAD(0, A, 1000),
      STORE(0, A, 2000), VIEW_IS(0, A, COH_M),      /* MSI: an upgrade */
      LOAD(0, A, 3000), STORE(0, A, 3100),
      LOAD(1, A, 4000), VIEW3(0, A, COH_S, COH_S, COH_O), VIEW_IS(1, A, COH_S),
      LOAD(0, A, 5000), LOAD(1, A, 5500),      /* hits: S, and O or S */
      STORE(1, A, 6000), VIEW_IS(0, A, COH_I), VIEW_IS(1, A, COH_M),
      STORE(0, A, 7000), VIEW_IS(0, A, COH_M), VIEW_IS(1, A, COH_I),
      LOAD(0, A2, 8000), LOAD(0, A3, 9000), VIEW_IS(0, A, COH_I)}},
    {"exclusive copies: read by another, stolen, evicted clean",
     P_MESI | P_MOESI, ORG_BOTH, 2, 1, MACH_SMALL,
     {LOAD(0, A, 0), VIEW_IS(0, A, COH_E),
      LOAD(1, A, 1000), VIEW3(0, A, ANY, COH_S, COH_O), VIEW_IS(1, A, COH_S),
      LOAD(0, B, 2000), VIEW_IS(0, B, COH_E),
      STORE(1, B, 3000), VIEW_IS(0, B, COH_I), VIEW_IS(1, B, COH_M),
      LOAD(0, C, 4000), LOAD(0, C2, 5000), LOAD(0, C3, 6000),
      VIEW_IS(0, C, COH_I)}},
    {"the first reader's copy leaves, then the last", P_ALL, ORG_BOTH,
     2, 1, MACH_SMALL,
     {LOAD(0, A, 0), LOAD(1, A, 1000), VIEW3(0, A, COH_S, COH_S, COH_O),
      LOAD(0, A2, 2000), LOAD(0, A3, 3000),     /* MOESI: (O, PUTX) */
      VIEW_IS(0, A, COH_I), VIEW_IS(1, A, COH_S),
      LOAD(1, A2, 4000), LOAD(1, A3, 5000), VIEW_IS(1, A, COH_I)}},
    {"clean sharers leave one by one", P_ALL, ORG_BOTH, 2, 1, MACH_SMALL,
     {TWO_CLEAN(0, 1, 0),
      LOAD(0, A2, 5000), LOAD(0, A3, 6000),     /* (S, PUTS) */
      VIEW_IS(0, A, COH_I), VIEW_IS(1, A, COH_S),
      LOAD(1, A2, 7000), LOAD(1, A3, 8000),     /* (S, PUTS_Last) */
      VIEW_IS(1, A, COH_I)}},
    {"an owner whose sharers left: upgrade alone, evict alone", P_MOESI,
     ORG_BOTH, 2, 1, MACH_SMALL,
     {LOAD(0, A, 0), LOAD(1, A, 1000), VIEW_IS(0, A, COH_O),
      LOAD(1, A2, 2000), LOAD(1, A3, 3000),     /* (O, PUTS) */
      VIEW_IS(0, A, COH_O), VIEW_IS(1, A, COH_I),
      STORE(0, A, 4000), RAW_IS(0, A, COH_OM_A), VIEW_IS(0, A, COH_M),
      LOAD(1, A, 5000), VIEW_IS(0, A, COH_O),
      LOAD(1, A2, 6000), LOAD(1, A3, 7000), VIEW_IS(1, A, COH_I),
      LOAD(0, A2, 8000), LOAD(0, A3, 9000),     /* (O, PUTX_Last) */
      VIEW_IS(0, A, COH_I)}},
    {"a writer from I finds clean sharers", P_ALL, ORG_BOTH, 3, 1, MACH_SMALL,
     {TWO_CLEAN(0, 1, 0),
      STORE(2, A, 5000), RAW_IS(2, A, COH_IM_AD),
      VIEW_IS(0, A, COH_I), VIEW_IS(1, A, COH_I), VIEW_IS(2, A, COH_M)}},
    {"an owner and its sharers: another reader, then a writer", P_MOESI,
     ORG_BOTH, 4, 1, MACH_SMALL,
     {THREE_READERS,
      STORE(3, A, 3000), VIEW_IS(0, A, COH_I), VIEW_IS(1, A, COH_I),
      VIEW_IS(2, A, COH_I), VIEW_IS(3, A, COH_M)}},
    {"requests that find the home busy", P_ALL, ORG_BOTH, 2, 1, MACH_SMALL,
     {LOAD(0, A, 0), LOAD(1, A, 1),             /* (B, GETS) */
      VIEW3(0, A, COH_S, COH_S, COH_O), VIEW_IS(1, A, COH_S),
      LOAD(0, B, 1000), STORE(1, B, 1001),      /* (B, GETX) */
      VIEW_IS(0, B, COH_I), VIEW_IS(1, B, COH_M)}},

    /* ---- races: a message on its way when the core acts ---- */
    /* Core 2's upgrade is taken first; its INV reaches core 1 after core
     * 1 has sent its own UPGRADE (SM_AD), which then needs data: IM_AD,
     * and a GETX the home forwards to core 2. */
    {"an upgrade loses the race (SM_AD, Inv)", P_ALL, ORG_BOTH, 3, 1,
     MACH_SMALL,
     {THREE_READERS,
      STORE(2, A, 3000), RAW_IS(2, A, COH_SM_AD),
      STORE(1, A, 3003), RAW_IS(1, A, COH_IM_AD),     /* directory: (B,
                                                         UPGRADE) */
      VIEW_IS(1, A, COH_M), VIEW_IS(2, A, COH_I), VIEW_IS(0, A, COH_I)}},
    /* Another hart of a core whose request is under way. */
    {"a core's second hart waits for its first's miss", P_ALL, ORG_BOTH, 2, 2,
     MACH_SMALL,
     {LOAD(0, A, 0), LOAD1(0, A, 5), VIEW3(0, A, COH_S, COH_E, COH_E),
      LOAD(0, B, 1000), RAW_IS(0, B, COH_IS_D), STORE1(0, B, 1005),
      VIEW_IS(0, B, COH_M),
      STORE(0, C, 2000), RAW_IS(0, C, COH_IM_AD), LOAD1(0, C, 2005),
      STORE(0, D, 3000), RAW_IS(0, D, COH_IM_AD), STORE1(0, D, 3005),
      VIEW_IS(0, D, COH_M)}},
    /* Directory: core 2's GRANT at 3015, the acks at 3017 and 3021; its
     * second hart reads before the grant (SM_AD), between grant and
     * acks (SM_A), and a store between them waits.  On the bus the
     * grant is the bus transaction, at 3006. */
    {"a core's second hart during its upgrade: reads, a store waits", P_ALL,
     ORG_BOTH, 3, 2, MACH_SMALL,
     {THREE_READERS,
      STORE(2, A, 3000), RAW_IS(2, A, COH_SM_AD),
      LOAD1(2, A, 3003), RAW_IS(2, A, COH_SM_AD),
      LOAD1(2, A, 3016), RAW_DIR(2, A, COH_SM_A),
      STORE1(2, A, 3018), VIEW_IS(2, A, COH_M)}},
    {"a core's second hart stores before the grant", P_ALL, ORG_BOTH, 3, 2,
     MACH_SMALL,
     {THREE_READERS,
      STORE(2, A, 3000), STORE1(2, A, 3003), VIEW_IS(2, A, COH_M)}},
    /* The home serves a read of a shared line and is free once the data
     * has left (dir.c): core 2's upgrade is taken while core 1's data is
     * still on its way, and its INV gets there first (IS_D, Inv): core 1
     * uses the data once (IS_D_I) and keeps no copy.  On the crossbar
     * the INV must overtake the data on core 1's input port: A's data
     * leaves the LLC at 5031, but the port is booked from 5038 by the
     * data of the second hart's miss of C, a gap too short for A's data
     * (9 cycles), which waits until 5047 (arrives 5059), and long
     * enough for the INV (sent 5036, arrives 5040).  The second hart's
     * access at 5041 waits (IS_D_I). */
    {"a read overtaken by a write: directory (IS_D, Inv), then a load",
     P_ALL, ORG_DIR, 3, 2, MACH_SMALL,
     {TWO_CLEAN(0, 2, 0),
      LOAD1(1, C, 4899),
      LOAD(1, A, 5000), RAW_IS(1, A, COH_IS_D),
      STORE(2, A, 5000), VIEW_IS(1, A, COH_I), VIEW_IS(2, A, COH_M),
      LOAD1(1, A, 5041)}},
    {"a read overtaken by a write: directory (IS_D, Inv), then a store",
     P_ALL, ORG_DIR, 3, 2, MACH_SMALL,
     {TWO_CLEAN(0, 2, 0),
      LOAD1(1, C, 4899),
      LOAD(1, A, 5000), STORE(2, A, 5000), VIEW_IS(1, A, COH_I),
      STORE1(1, A, 5041)}},
    /* On the bus the upgrade is taken when the data leaves the LLC
     * (5026), and the data is on the bus until 5038. */
    {"a read overtaken by a write: bus (IS_D, Inv), then a load", P_ALL,
     ORG_SNOOP, 3, 2, MACH_SMALL,
     {TWO_CLEAN(0, 2, 0),
      LOAD(1, A, 5000), RAW_IS(1, A, COH_IS_D),
      STORE(2, A, 5000), VIEW_IS(1, A, COH_I), VIEW_IS(2, A, COH_M),
      LOAD1(1, A, 5030)}},
    {"a read overtaken by a write: bus (IS_D, Inv), then a store", P_ALL,
     ORG_SNOOP, 3, 2, MACH_SMALL,
     {TWO_CLEAN(0, 2, 0),
      LOAD(1, A, 5000), STORE(2, A, 5000), VIEW_IS(1, A, COH_I),
      STORE1(1, A, 5030)}},
    /* MOESI's owner upgrades (OM_A) while another core's request is on
     * its way to it: a sharer's upgrade (INV), a read (FWD_GETS, after
     * which the owner's upgrade goes on) or a write (FWD_GETX). */
    {"an owner's upgrade loses to a sharer's (OM_A, Inv)", P_MOESI, ORG_BOTH,
     2, 1, MACH_SMALL,
     {LOAD(0, A, 0), LOAD(1, A, 1000), VIEW_IS(0, A, COH_O),
      STORE(1, A, 2000), STORE(0, A, 2003), RAW_IS(0, A, COH_IM_AD),
      VIEW_IS(0, A, COH_M), VIEW_IS(1, A, COH_I)}},
    {"a read reaches an owner that upgrades (OM_A, Fwd_GETS)", P_MOESI,
     ORG_BOTH, 3, 2, MACH_SMALL,
     {LOAD(0, A, 0), LOAD(1, A, 1000), VIEW_IS(0, A, COH_O),
      LOAD(2, A, 2000), STORE(0, A, 2003), RAW_IS(0, A, COH_OM_A),
      LOAD1(0, A, 2010), STORE1(0, A, 2012),
      VIEW_IS(0, A, COH_M), VIEW_IS(1, A, COH_I), VIEW_IS(2, A, COH_I)}},
    {"a write reaches an owner that upgrades (OM_A, Fwd_GETX)", P_MOESI,
     ORG_BOTH, 3, 1, MACH_SMALL,
     {LOAD(0, A, 0), LOAD(1, A, 1000), VIEW_IS(0, A, COH_O),
      STORE(2, A, 2000), STORE(0, A, 2003), RAW_IS(0, A, COH_IM_AD),
      VIEW_IS(0, A, COH_M), VIEW_IS(1, A, COH_I), VIEW_IS(2, A, COH_I)}},
    /* The home's data (LLC, 4 cycles, at core 0's own router) arrives at
     * 5011, the acks (10-cycle links) at 5031 and 5032: Data, then Ack,
     * Last_Ack; the second hart looks in between (IM_A). */
    {"data before the acks, a load waits (IM_A)", P_ALL, ORG_DIR, 3, 2,
     MACH_NEAR,
     {TWO_CLEAN(1, 2, 0),
      STORE(0, A, 5000), RAW_IS(0, A, COH_IM_AD),
      LOAD1(0, A, 5015), VIEW_IS(0, A, COH_M)}},
    {"data before the acks, a store waits (IM_A)", P_ALL, ORG_DIR, 3, 2,
     MACH_NEAR,
     {TWO_CLEAN(1, 2, 0),
      STORE(0, A, 5000), STORE1(0, A, 5015), VIEW_IS(0, A, COH_M)}},
    /* Core 1's miss of B fills the ring link 0 -> 1 (72 cycles at a byte
     * a cycle) when core 2's upgrade is taken: the GRANT (0 -> 1 -> 2)
     * waits for it, while the INV to core 3 and its ACK (0 -> 3 -> 2)
     * are not held up: an ack before the grant. */
    {"an ack overtakes the grant (SM_AD, Ack)", P_ALL, ORG_DIR, 4, 1,
     MACH_RING,
     {LOAD(3, A, 0), LOAD(2, A, 1000), VIEW_IS(2, A, COH_S),
      LOAD(1, B, 2000),
      STORE(2, A, 2140), RAW_IS(2, A, COH_SM_AD),
      VIEW_IS(2, A, COH_M), VIEW_IS(3, A, COH_I)}},
};
#define N_SEQS (sizeof seqs / sizeof seqs[0])

/* With an L2, a core's fill may evict from its L1 a line whose request
 * is under way (private.c: the L2 keeps it, transient); another hart of
 * the core that touches it then finds it in the L2 only, and must wait
 * for the request like any access to a transient line (IS_D, Load:
 * STALL) -- or the L1 must not evict it; either way no impossible cell.
 * The second hart's accesses come each after the one before completed:
 * A2..A5 miss (149 cycles), then A2 and A3 hit in the L2 (5 cycles) and
 * the second of them takes A's L1 way. */
static const Seq l2_seqs[] = {
    {"a transient line evicted from L1, touched through the L2", P_ALL,
     ORG_BOTH, 1, 2, MACH_L2,
     {LOAD1(0, A2, 0), LOAD1(0, A3, 200), LOAD1(0, A4, 400),
      LOAD1(0, A5, 600),
      LOAD(0, A, 1000), RAW_IS(0, A, COH_IS_D),
      LOAD1(0, A2, 1010), LOAD1(0, A3, 1020),  /* A leaves the L1 */
      LOAD1(0, A, 1030)}},
};

/* ---- running them ------------------------------------------------------- */

static const char *const org_names[] = {"snoop", "directory"};

static MemSysConfig config(const Seq *q, CohProtocol p, CohOrg org)
{
    MemSysConfig c;
    memset(&c, 0, sizeof c);
    c.cores = q->cores;
    c.threads_per_core = q->threads;
    c.nodes = 1;
    c.l1d = (CacheGeom){1024, 2, 64, CACHE_REPL_LRU, 1};
    c.l1d_latency = 2;
    c.llc = (CacheGeom){16384, 4, 64, CACHE_REPL_LRU, 2};
    c.llc_latency = 20;
    c.protocol = p;
    c.org = org;
    c.dir_latency = 5;
    c.noc.topology = org == COH_SNOOP ? NOC_BUS : NOC_CROSSBAR;
    c.noc.routers = org == COH_SNOOP ? q->cores + 1u : q->cores;
    c.noc.link_latency = 3;
    c.noc.router_latency = 1;
    c.noc.link_bytes_per_cycle = 8;
    for (uint32_t i = 0; i < q->cores; i++)
        c.core_router[i] = i;
    c.node_router[0] = org == COH_SNOOP ? q->cores : 0;
    c.mem_latency = 100;
    c.mem_bytes_per_cycle = 8;
    c.placement = PLACE_INTERLEAVED;
    c.page_size = 4096;
    c.ctrl_bytes = 8;
    c.check = true;                    /* the invariant checker, too */
    if (q->machine == MACH_L2) {
        c.l2_on = true;
        c.l2 = (CacheGeom){8192, 2, 64, CACHE_REPL_LRU, 1};
        c.l2_latency = 3;
    }
    if (org == COH_DIRECTORY && q->machine == MACH_NEAR) {
        c.llc_latency = 4;
        c.noc.link_latency = 10;
    }
    if (org == COH_DIRECTORY && q->machine == MACH_RING) {
        c.noc.topology = NOC_RING;
        c.noc.link_bytes_per_cycle = 1;
    }
    return c;
}

/* Run q, adding the cells it used to use[]. */
static void run(const Seq *q, CohProtocol p, CohOrg org, uint64_t *use)
{
    MemSysConfig c = config(q, p, org);
    char err[600] = "";
    ck_assert_msg(memsys_config_check(&c, err, sizeof err), "%s: %s",
                  q->name, err);
    MemSys *m = memsys_new(&c);
    ck_assert_ptr_nonnull(m);
    const char *pn = coh_protocol(p)->name;
    for (const Step *s = q->steps; s->op != END; s++) {
        int k = (int)(s - q->steps);
        if (s->op == LD || s->op == ST) {
            IsaHart h;
            memset(&h, 0, sizeof h);
            h.hartid = (uint32_t)s->core * q->threads + s->thread;
            h.cycle = s->at;
            memsys_access(m, &h, BASE + s->off, 4,
                          s->op == ST ? ISA_ACC_STORE : ISA_ACC_LOAD);
            ck_assert_msg(memsys_error(m) == NULL,
                          "%s (%s, %s), step %d: %s", q->name, pn,
                          org_names[org], k, memsys_error(m));
            continue;
        }
        if (s->orgs && !(s->orgs & (1 << org)))
            continue;
        uint8_t want = s->want[p];
        if (want == ANY)
            continue;
        int got = s->op == RAW ? memsys_l1_state_raw(m, s->core, BASE + s->off)
                               : memsys_l1_state(m, s->core, BASE + s->off);
        ck_assert_msg(got == want,
                      "%s (%s, %s), step %d: core %u's line 0x%x is %s "
                      "(%s), expected %s", q->name, pn, org_names[org], k,
                      s->core, s->off, coh_state_names[got],
                      s->op == RAW ? "as stored" : "stable",
                      coh_state_names[want]);
    }
    ck_assert_msg(memsys_check_end(m, err, sizeof err), "%s (%s, %s): %s",
                  q->name, pn, org_names[org], err);
    const uint64_t *u = memsys_cell_use(m);
    for (size_t i = 0; i < COH_CELLS; i++)
        use[i] += u[i];
    memsys_free(m);
}

static void run_all(CohProtocol p, CohOrg org, uint64_t *use)
{
    for (size_t i = 0; i < N_SEQS; i++)
        if ((seqs[i].protos & (1 << p)) && (seqs[i].orgs & (1 << org)))
            run(&seqs[i], p, org, use);
}

/* ---- coverage --------------------------------------------------------------
 *
 * A bus transaction has no acks and no partial replies (snoop.c): its
 * requester gets one Data_* or Grant_All, never Data, Grant, Ack or
 * Last_Ack.  The cells with those events, and those of the states only
 * they lead to (IM_A, SM_A), are the directory's alone: derived here
 * from the table, not listed. */
static bool bus_delivers(CohEvent e)
{
    return e != CEV_DATA && e != CEV_GRANT && e != CEV_ACK &&
           e != CEV_LAST_ACK;
}

static uint32_t bus_states(const CohProtocolDef *d)
{
    uint32_t in = 1u << COH_I, before = 0;
    while (in != before) {
        before = in;
        for (uint8_t s = 0; s < COH_ALL_STATES; s++) {
            if (!(in >> s & 1))
                continue;
            for (int e = 0; e < CEV_COUNT; e++) {
                uint8_t n = d->cache[s][e].next;
                if (n != COH_NONE && bus_delivers((CohEvent)e))
                    in |= 1u << n;
            }
        }
    }
    return in;
}

/* Fails naming every cell p defines (that org can reach: org < 0, both)
 * and no sequence used. */
static void check_cover(CohProtocol p, int org, const uint64_t *use)
{
    const CohProtocolDef *d = coh_protocol(p);
    uint32_t bus = bus_states(d);
    char missing[4096] = "";
    size_t len = 0;
    int defined = 0, unused = 0;
    for (size_t i = 0; i < COH_CELLS; i++) {
        if (!coh_cell_defined(d, i))
            continue;
        if (org == COH_SNOOP && i < (size_t)COH_ALL_STATES * CEV_COUNT &&
            (!(bus >> (i / CEV_COUNT) & 1) ||
             !bus_delivers((CohEvent)(i % CEV_COUNT))))
            continue;
        defined++;
        if (use[i])
            continue;
        unused++;
        char name[64];
        coh_cell_name(i, name, sizeof name);
        if (len < sizeof missing)
            len += (size_t)snprintf(missing + len, sizeof missing - len,
                                    "%s%s", unused > 1 ? "; " : "", name);
    }
    ck_assert_msg(unused == 0, "%s (%s): %d of its %d cells never used: %s",
                  d->name, org < 0 ? "snoop and directory" : org_names[org],
                  unused, defined, missing);
}

/* ---- the tests ---------------------------------------------------------- */

/* _i = protocol * 2 + organisation. */
START_TEST(test_cells_per_org)
{
    CohProtocol p = (CohProtocol)(_i / 2);
    CohOrg org = (CohOrg)(_i % 2);
    static uint64_t use[COH_CELLS];
    memset(use, 0, sizeof use);
    run_all(p, org, use);
    check_cover(p, org, use);
}
END_TEST

START_TEST(test_cells_union)
{
    CohProtocol p = (CohProtocol)_i;
    static uint64_t use[COH_CELLS];
    memset(use, 0, sizeof use);
    run_all(p, COH_SNOOP, use);
    run_all(p, COH_DIRECTORY, use);
    check_cover(p, -1, use);
}
END_TEST

/* _i = protocol * 2 + organisation. */
START_TEST(test_l2_transient)
{
    static uint64_t use[COH_CELLS];
    for (size_t i = 0; i < sizeof l2_seqs / sizeof l2_seqs[0]; i++)
        run(&l2_seqs[i], (CohProtocol)(_i / 2), (CohOrg)(_i % 2), use);
}
END_TEST

Suite *protocol_suite(void)
{
    Suite *s = suite_create("protocol");
    TCase *tc = tcase_create("cells");
    tcase_add_loop_test(tc, test_cells_per_org, 0, COH_PROTOCOLS * 2);
    tcase_add_loop_test(tc, test_cells_union, 0, COH_PROTOCOLS);
    suite_add_tcase(s, tc);
    tc = tcase_create("l2");
    tcase_add_loop_test(tc, test_l2_transient, 0, COH_PROTOCOLS * 2);
    suite_add_tcase(s, tc);
    return s;
}
