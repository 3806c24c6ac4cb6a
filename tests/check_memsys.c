/* check_memsys.c — the coherent memory hierarchy (models/memsys.c), driven
 * access by access: each protocol's transitions against its table, for
 * both organisations; directory sharer tracking; the messages MESI and
 * MOESI save; exact latencies of hits and misses; NUMA placement. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/memsys.h"

#define BASE 0x80000000u

static MemSysConfig small(uint32_t cores, CohProtocol p, CohOrg org)
{
    MemSysConfig c;
    memset(&c, 0, sizeof c);
    c.cores = cores;
    c.threads_per_core = 1;
    c.nodes = 1;
    c.l1d = (CacheGeom){1024, 2, 64, CACHE_REPL_LRU, 1};
    c.l1d_latency = 2;
    c.llc = (CacheGeom){16384, 4, 64, CACHE_REPL_LRU, 2};
    c.llc_latency = 20;
    c.protocol = p;
    c.org = org;
    c.dir_latency = 5;
    c.noc.topology = org == COH_SNOOP ? NOC_BUS : NOC_CROSSBAR;
    /* On the bus every core and node has its own port (router), so that
     * every message crosses the one shared link. */
    c.noc.routers = org == COH_SNOOP ? cores + 1 : cores;
    c.noc.link_latency = 3;
    c.noc.router_latency = 1;
    c.noc.link_bytes_per_cycle = 8;
    for (uint32_t i = 0; i < cores; i++)
        c.core_router[i] = i;
    c.node_router[0] = org == COH_SNOOP ? cores : 0;
    c.mem_latency = 100;
    c.mem_bytes_per_cycle = 8;
    c.placement = PLACE_INTERLEAVED;
    c.page_size = 4096;
    c.ctrl_bytes = 8;
    return c;
}

static uint32_t acc(MemSys *m, uint32_t core, uint32_t addr,
                    IsaAccessKind k, uint64_t cycle)
{
    IsaHart h;
    memset(&h, 0, sizeof h);
    h.hartid = core;
    h.cycle = cycle;
    return memsys_access(m, &h, addr, 4, k);
}

/* ---- transitions --------------------------------------------------------- */

#define LD ISA_ACC_LOAD
#define ST ISA_ACC_STORE

typedef struct Step {
    uint8_t core, kind;
    uint8_t s0, s1;            /* states of core 0 and 1 after the step */
} Step;

typedef struct Scenario {
    const char *name;
    CohProtocol proto;
    Step steps[6];
    int nsteps;
    uint64_t upgrades, wbs;   /* UPGRADE and WB messages in all */
} Scenario;

#define I COH_I
#define S COH_S
#define E COH_E
#define O COH_O
#define M COH_M
static const Scenario scenarios[] = {
    /* Read, then write, by one core; then another core reads and writes. */
    {"msi", COH_MSI,
     {{0, LD, S, I}, {0, ST, M, I}, {1, LD, S, S}, {1, ST, I, M},
      {0, LD, S, S}}, 5, 2, 2},
    {"mesi", COH_MESI,
     {{0, LD, E, I}, {0, ST, M, I}, {1, LD, S, S}, {1, ST, I, M},
      {0, LD, S, S}}, 5, 1, 2},
    {"moesi", COH_MOESI,
     {{0, LD, E, I}, {0, ST, M, I}, {1, LD, O, S}, {1, ST, I, M},
      {0, LD, S, O}}, 5, 1, 0},
    /* A read of a line another core holds exclusive-clean: E -> S. */
    {"mesi-e-share", COH_MESI,
     {{0, LD, E, I}, {1, LD, S, S}, {0, ST, M, I}}, 3, 1, 0},
    /* Writes from I take the line whatever its holders did. */
    {"moesi-owner-write", COH_MOESI,
     {{0, ST, M, I}, {1, LD, O, S}, {0, ST, M, I}, {1, ST, I, M}}, 4, 1, 0},
};
#undef I
#undef S
#undef E
#undef O
#undef M

static void run_scenario(const Scenario *sc, CohOrg org)
{
    MemSysConfig c = small(2, sc->proto, org);
    MemSys *m = memsys_new(&c);
    ck_assert_ptr_nonnull(m);
    uint64_t t = 0;
    for (int i = 0; i < sc->nsteps; i++) {
        const Step *st = &sc->steps[i];
        t += 1000;
        acc(m, st->core, BASE + 0x40, (IsaAccessKind)st->kind, t);
        int s0 = memsys_l1_state(m, 0, BASE + 0x40);
        int s1 = memsys_l1_state(m, 1, BASE + 0x40);
        ck_assert_msg(s0 == st->s0 && s1 == st->s1,
                      "%s (%s) step %d: states %s %s, expected %s %s",
                      sc->name, org == COH_SNOOP ? "snoop" : "directory", i,
                      coh_state_names[s0], coh_state_names[s1],
                      coh_state_names[st->s0], coh_state_names[st->s1]);
    }
    ck_assert_uint_eq(memsys_msg_count(m, MSG_UPGRADE), sc->upgrades);
    ck_assert_uint_eq(memsys_msg_count(m, MSG_WB), sc->wbs);
    memsys_free(m);
}

START_TEST(test_transitions_snoop)
{
    run_scenario(&scenarios[_i], COH_SNOOP);
}
END_TEST

START_TEST(test_transitions_directory)
{
    run_scenario(&scenarios[_i], COH_DIRECTORY);
}
END_TEST

/* ---- directory bookkeeping ---------------------------------------------- */

/* Four readers, then a writer: three invalidations, each acknowledged to
 * the writer; a clean eviction tells the directory (PUTS). */
START_TEST(test_directory_sharers)
{
    MemSysConfig c = small(4, COH_MESI, COH_DIRECTORY);
    MemSys *m = memsys_new(&c);
    for (uint32_t k = 0; k < 4; k++)
        acc(m, k, BASE, LD, 100 * k);
    for (uint32_t k = 0; k < 4; k++)
        ck_assert_int_eq(memsys_l1_state(m, k, BASE), COH_S);
    acc(m, 2, BASE, ST, 1000);
    ck_assert_uint_eq(memsys_msg_count(m, MSG_INV), 3);
    ck_assert_uint_eq(memsys_msg_count(m, MSG_ACK), 3);
    ck_assert_uint_eq(memsys_msg_count(m, MSG_UPGRADE), 1);
    for (uint32_t k = 0; k < 4; k++)
        ck_assert_int_eq(memsys_l1_state(m, k, BASE),
                         k == 2 ? COH_M : COH_I);
    CacheStats st;
    memsys_l1_stats(m, 0, &st);
    ck_assert_uint_eq(st.invalidations, 1);
    /* Core 0 reads again: a coherence miss, data forwarded by core 2
     * (the first forward was core 1's read of core 0's E copy). */
    acc(m, 0, BASE, LD, 2000);
    memsys_l1_stats(m, 0, &st);
    ck_assert_uint_eq(st.misses[MISS_COHERENCE], 1);
    ck_assert_uint_eq(memsys_msg_count(m, MSG_FWD), 2);
    LineStats hot[2];
    ck_assert_uint_eq(memsys_hot_lines(m, hot, 2), 1);
    ck_assert_uint_eq(hot[0].line, BASE);
    ck_assert_uint_eq(hot[0].invalidations, 3);
    ck_assert_uint_eq(hot[0].transfers, 2);
    /* Fill core 1's 2-way set 0 with two other lines: the E/S line it
     * read goes out clean with a PUTS. */
    acc(m, 3, BASE + 0x1000, LD, 3000);
    uint64_t puts = memsys_msg_count(m, MSG_PUTS);
    acc(m, 3, BASE + 0x2000, LD, 4000);
    acc(m, 3, BASE + 0x3000, LD, 5000);
    ck_assert_uint_eq(memsys_msg_count(m, MSG_PUTS), puts + 1);
    memsys_free(m);
}
END_TEST

/* MESI saves the upgrade MSI pays on private read-then-write data. */
START_TEST(test_read_then_write_upgrades)
{
    uint64_t up[2];
    for (int p = 0; p < 2; p++) {
        MemSysConfig c = small(2, p ? COH_MESI : COH_MSI, COH_SNOOP);
        MemSys *m = memsys_new(&c);
        for (uint32_t i = 0; i < 8; i++) {
            acc(m, 0, BASE + 64 * i, LD, 1000 * i);
            acc(m, 0, BASE + 64 * i, ST, 1000 * i + 500);
        }
        up[p] = memsys_msg_count(m, MSG_UPGRADE);
        memsys_free(m);
    }
    ck_assert_uint_eq(up[0], 8);
    ck_assert_uint_eq(up[1], 0);
}
END_TEST

/* ---- latencies -------------------------------------------------------- */

/* Snooping bus, cold read, exactly: L1 lookup 2; GETS on the bus 3 + 1
 * (8 bytes at 8 B/cycle); LLC 20; memory 100 + 8 (64 bytes); DATA on the
 * bus 3 + 9 (72 bytes).  Then a hit: 2. */
START_TEST(test_latency_snoop)
{
    MemSysConfig c = small(2, COH_MESI, COH_SNOOP);
    MemSys *m = memsys_new(&c);
    ck_assert_uint_eq(acc(m, 0, BASE, LD, 0), 2 + 4 + 20 + 108 + 12);
    ck_assert_uint_eq(acc(m, 0, BASE + 8, LD, 1000), 2);
    /* Another core reads it: the owner (E) supplies it over the bus:
     * 2 + GETS 4 + owner's L1 2 + DATA 12. */
    ck_assert_uint_eq(acc(m, 1, BASE, LD, 2000), 2 + 4 + 2 + 12);
    memsys_free(m);
}
END_TEST

/* Directory on a crossbar, core 1 reading a line homed at node 0 (router
 * 0): 2 + GETS 3+1 + dir 5 + LLC 20 + memory 108 + DATA 3+9. */
START_TEST(test_latency_directory)
{
    MemSysConfig c = small(2, COH_MESI, COH_DIRECTORY);
    MemSys *m = memsys_new(&c);
    ck_assert_uint_eq(acc(m, 1, BASE, LD, 0),
                      2 + 4 + 5 + 20 + 108 + 12);
    /* From the home's own router the network costs nothing. */
    ck_assert_uint_eq(acc(m, 0, BASE + 64, LD, 1000), 2 + 5 + 20 + 108);
    memsys_free(m);
}
END_TEST

/* ---- the store buffer ------------------------------------------------------ */

static uint32_t acc_n(MemSys *m, uint32_t core, uint32_t addr, unsigned size,
                      IsaAccessKind k, uint64_t cycle)
{
    IsaHart h;
    memset(&h, 0, sizeof h);
    h.hartid = core;
    h.cycle = cycle;
    return memsys_access(m, &h, addr, size, k);
}

/* A store that misses retires into the buffer at the L1's latency; a load
 * of its bytes is forwarded; a load that overlaps it partly, a fence and
 * an atomic wait for it; a full buffer makes the next store wait for the
 * oldest.  The miss itself costs what a load's does (test_latency_
 * directory): 2 + 4 + 5 + 20 + 108 + 12 = 151. */
START_TEST(test_store_buffer)
{
    MemSysConfig c = small(2, COH_MESI, COH_DIRECTORY);
    c.store_buffer = 2;
    MemSys *m = memsys_new(&c);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(acc_n(m, 1, BASE, 4, ST, 0), 2);
    ck_assert_uint_eq(acc_n(m, 1, BASE, 4, LD, 10), 2);       /* forwarded */
    ck_assert_uint_eq(acc_n(m, 1, BASE, 0, ISA_ACC_FENCE, 20), 151 - 20);
    /* Partly in the buffer: waits until the store is done, then hits. */
    ck_assert_uint_eq(acc_n(m, 1, BASE + 256, 4, ST, 200), 2);
    ck_assert_uint_eq(acc_n(m, 1, BASE + 258, 4, LD, 210),
                      200 + 151 - 210 + 2);
    /* Two misses fill it; the third store waits for the first. */
    ck_assert_uint_eq(acc_n(m, 1, BASE + 512, 4, ST, 1000), 2);
    ck_assert_uint_eq(acc_n(m, 1, BASE + 768, 4, ST, 1001), 2);
    uint32_t third = acc_n(m, 1, BASE + 1024, 4, ST, 1002);
    ck_assert_uint_ge(third, 1000 + 151 - 1002);
    ck_assert_uint_le(third, 1000 + 151 - 1002 + 2 + 30);
    /* An atomic waits for the buffer to drain, then does its own access. */
    uint32_t amo = acc_n(m, 1, BASE + 512, 4, ISA_ACC_AMO, 1003);
    ck_assert_uint_gt(amo, third);
    ck_assert_ptr_null(memsys_error(m));
    memsys_free(m);

    /* Without a buffer the store waits for its miss and a fence is free. */
    c.store_buffer = 0;
    m = memsys_new(&c);
    ck_assert_uint_eq(acc_n(m, 1, BASE, 4, ST, 0), 151);
    ck_assert_uint_eq(acc_n(m, 1, BASE, 0, ISA_ACC_FENCE, 200), 0);
    memsys_free(m);
}
END_TEST

/* An access that straddles two lines touches both: two misses, one
 * access's time (they go at once). */
START_TEST(test_straddle)
{
    MemSysConfig c = small(2, COH_MESI, COH_DIRECTORY);
    MemSys *m = memsys_new(&c);
    uint32_t both = acc_n(m, 1, BASE + 62, 4, LD, 0);
    ck_assert_uint_ge(both, 151);
    ck_assert_uint_lt(both, 2 * 151);
    CacheStats st;
    memsys_l1_stats(m, 1, &st);
    ck_assert_uint_eq(st.misses[MISS_COMPULSORY], 2);
    ck_assert_int_ne(memsys_l1_state(m, 1, BASE), COH_I);
    ck_assert_int_ne(memsys_l1_state(m, 1, BASE + 64), COH_I);
    memsys_free(m);
}
END_TEST

/* ---- NUMA ------------------------------------------------------------------ */

START_TEST(test_placement)
{
    MemSysConfig c = small(4, COH_MESI, COH_DIRECTORY);
    c.nodes = 2;
    c.node_router[1] = 2;
    MemSys *m = memsys_new(&c);
    ck_assert_int_eq(memsys_home(m, BASE), 0);
    ck_assert_int_eq(memsys_home(m, BASE + 4096), 1);
    ck_assert_int_eq(memsys_home(m, BASE + 8192), 0);
    memsys_free(m);

    c.placement = PLACE_BOUND;
    c.bound_node = 1;
    m = memsys_new(&c);
    ck_assert_int_eq(memsys_home(m, BASE), 1);
    memsys_free(m);

    c.placement = PLACE_FIRST_TOUCH;
    m = memsys_new(&c);
    ck_assert_int_eq(memsys_home(m, BASE + 12288), -1);
    acc(m, 3, BASE + 12288, LD, 0);          /* core 3 is on node 1 */
    ck_assert_int_eq(memsys_home(m, BASE + 12288), 1);
    acc(m, 0, BASE + 12300, ST, 100);        /* later touches change nothing */
    ck_assert_int_eq(memsys_home(m, BASE + 12288), 1);
    memsys_free(m);
}
END_TEST

/* Remote versus local: the difference is the round trip over the
 * interconnect, exactly (crossbar: one hop each way). */
START_TEST(test_remote_local)
{
    MemSysConfig c = small(4, COH_MESI, COH_DIRECTORY);
    c.nodes = 2;
    c.node_router[1] = 2;
    c.placement = PLACE_BOUND;
    c.bound_node = 0;
    MemSys *m = memsys_new(&c);
    uint32_t local = acc(m, 0, BASE, LD, 0);
    memsys_free(m);
    c.bound_node = 1;
    m = memsys_new(&c);
    uint32_t remote = acc(m, 0, BASE, LD, 0);
    memsys_free(m);
    ck_assert_uint_eq(local, 2 + 5 + 20 + 108);
    ck_assert_uint_eq(remote, local + 4 + 12);
}
END_TEST

/* Interleaved placement: page k's home is node k mod nodes, for a
 * power of two of nodes (a mask) or not (a division). */
START_TEST(test_interleaved_homes)
{
    static const uint32_t nodes[] = {1, 2, 3, 4};
    for (unsigned i = 0; i < 4; i++) {
        MemSysConfig c = small(12, COH_MESI, COH_DIRECTORY);
        c.nodes = nodes[i];
        char err[200];
        ck_assert_msg(memsys_config_check(&c, err, sizeof err), "%s", err);
        MemSys *m = memsys_new(&c);
        ck_assert_ptr_nonnull(m);
        for (uint32_t k = 0; k < 50; k++)
            ck_assert_int_eq(memsys_home(m, BASE + k * c.page_size + 8),
                             (int)((BASE / c.page_size + k) % nodes[i]));
        memsys_free(m);
    }
}
END_TEST

/* ---- configuration ---------------------------------------------------------- */

START_TEST(test_config_errors)
{
    char err[200];
    MemSysConfig c = small(4, COH_MESI, COH_DIRECTORY);
    c.nodes = 3;
    ck_assert(!memsys_config_check(&c, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "numa.nodes"));
    c = small(4, COH_MESI, COH_DIRECTORY);
    c.l1d.size = 1000;
    ck_assert(!memsys_config_check(&c, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "l1d"));
    c = small(4, COH_MESI, COH_DIRECTORY);
    c.llc.line = 128;
    ck_assert(!memsys_config_check(&c, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "llc.line"));
    c = small(4, COH_MESI, COH_DIRECTORY);
    c.placement = PLACE_BOUND;
    c.bound_node = 2;
    ck_assert(!memsys_config_check(&c, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "bound_node"));
}
END_TEST

/* docs/coherence.md holds the tables parsim protocol --markdown prints
 * (scripts/gen-docs writes them; the tests run from the tree's root). */
START_TEST(test_docs_tables)
{
    char *gen = NULL, *doc = NULL;
    size_t glen = 0;
    FILE *g = open_memstream(&gen, &glen);
    for (int p = 0; p < COH_PROTOCOLS; p++) {
        if (p)
            fputc('\n', g);
        coh_protocol_print(g, coh_protocol((CohProtocolId)p), true);
    }
    fclose(g);
    FILE *d = fopen("docs/coherence.md", "r");
    ck_assert_msg(d != NULL, "docs/coherence.md: run from the tree's root");
    char line[4096];
    size_t dlen = 0;
    FILE *body = open_memstream(&doc, &dlen);
    bool in = false;
    while (fgets(line, sizeof line, d)) {
        if (strstr(line, "<!-- end of protocols -->"))
            break;
        if (in)
            fputs(line, body);
        if (strstr(line, "<!-- protocols: generated"))
            in = true;
    }
    fclose(d);
    fclose(body);
    ck_assert_msg(in, "docs/coherence.md has no generated tables");
    ck_assert_msg(!strcmp(gen, doc), "docs/coherence.md's tables are stale "
                  "(regenerate with: scripts/gen-docs)");
    free(gen);
    free(doc);
}
END_TEST

/* ---- the hit seam ---------------------------------------------------------- */

/* Core 1's store to BASE, from another host thread (it waits for core
 * 0's lock to take core 0's copy away). */
static void *store_from_core1(void *arg)
{
    acc(arg, 1, BASE, ISA_ACC_STORE, 4000);
    return NULL;
}

/* The block engine's way to a hit (isa_hit_take through
 * memsys_hit_filter) does what memsys_access does for it: the same
 * latency, the same L1 and hart counts; it declines what the hook must
 * see (a store that changes the line, an access across two lines, a line
 * another core took away), and in parallel mode anything while the
 * hart's thread does not hold its core's lock or another thread waits
 * for it (test_hit_seam_locked). */
START_TEST(test_hit_seam)
{
    MemSysConfig c = small(2, COH_MESI, COH_DIRECTORY);
    c.hit_filter = true;
    MemSys *a = memsys_new(&c), *b = memsys_new(&c);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    IsaHitFilter *f = memsys_hit_filter(a, 0);
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 2; i++) {        /* a miss, then a hit the long way */
        acc(i ? b : a, 0, BASE, LD, 0);
        acc(i ? b : a, 0, BASE, LD, 1000);
    }
    /* Hits through the seam in a, through the hook in b. */
    for (uint32_t k = 0; k < 5; k++) {
        uint64_t t = 2000 + 10 * k;
        ck_assert(isa_hit_take(f, BASE + 4 * k, 4, false, t));
        ck_assert_uint_eq(acc(b, 0, BASE + 4 * k, LD, t), f->latency);
    }
    ck_assert(!isa_hit_take(f, BASE + 62, 4, false, 3000));   /* two lines */
    ck_assert(!isa_hit_take(f, BASE, 4, true, 3000));         /* E -> M */
    ck_assert(!isa_hit_take(f, BASE + 64, 4, false, 3000));   /* not held */
    CacheStats sa, sb;
    memsys_l1_stats(a, 0, &sa);
    memsys_l1_stats(b, 0, &sb);
    ck_assert_mem_eq(&sa, &sb, sizeof sa);
    FlatMemCounts ha = memsys_hart_counts(a, 0), hb = memsys_hart_counts(b, 0);
    ck_assert_uint_eq(ha.loads, hb.loads);
    ck_assert_uint_eq(ha.stall, hb.stall);
    ck_assert_uint_eq(ha.busy_until, hb.busy_until);
    /* Another core's store takes the line away: the entry goes with it. */
    acc(a, 1, BASE, ST, 4000);
    ck_assert(!isa_hit_take(f, BASE, 4, false, 5000));
    /* The last access's end, even when a hit ends before the miss before
     * it did (a guest may write its clock back through mcycle). */
    acc(b, 0, BASE + 128, LD, 6000);
    ck_assert_uint_gt(memsys_busy_until(b, 0), 6100);
    ck_assert_uint_eq(acc(b, 0, BASE, LD, 100), f->latency);
    ck_assert_uint_eq(memsys_busy_until(b, 0), 100 + f->latency);
    memsys_free(a);
    memsys_free(b);
    /* No filter for the interpreter when the classifier keeps a clock of
     * its own (a PLRU L1). */
    c.l1d.repl = CACHE_REPL_PLRU;
    a = memsys_new(&c);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(memsys_hit_filter(a, 0));
    memsys_free(a);
}
END_TEST

/* Parallel mode: the filter's words are under the core's lock, which
 * the hart's thread keeps across its hits and gives up as soon as
 * another thread waits for it.  The filter serves a hit only while the
 * lock is held and nobody waits; the hook then lets the waiter in. */
START_TEST(test_hit_seam_locked)
{
    MemSysConfig c = small(2, COH_MESI, COH_DIRECTORY);
    c.hit_filter = true;
    c.locked = true;
    MemSys *a = memsys_new(&c);
    ck_assert_ptr_nonnull(a);
    IsaHitFilter *f = memsys_hit_filter(a, 0);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(f->held);
    acc(a, 0, BASE, LD, 0);                 /* a miss: the lock let go */
    ck_assert(!isa_hit_take(f, BASE, 4, false, 500));
    acc(a, 0, BASE, LD, 1000);              /* a hit the long way: kept */
    ck_assert(isa_hit_take(f, BASE, 4, false, 2000));
    memsys_run_done(a, 0);                  /* the run's end lets it go */
    ck_assert(!isa_hit_take(f, BASE, 4, false, 2010));
    acc(a, 0, BASE + 4, LD, 2020);
    ck_assert(isa_hit_take(f, BASE + 8, 4, false, 2030));
    /* Core 1's store waits for the lock: the filter declines at once
     * (a hit or two may come before the thread asks), the hook gives
     * the lock up, and the line is gone. */
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, store_from_core1, a), 0);
    uint64_t t = 3000;
    while (isa_hit_take(f, BASE + 8, 4, false, t))
        t++;
    acc(a, 0, BASE + 12, LD, 3500);
    memsys_run_done(a, 0);                  /* as a run ends */
    ck_assert_int_eq(pthread_join(th, NULL), 0);
    acc(a, 0, BASE + 128, LD, 5000);        /* the lock held again */
    ck_assert(!isa_hit_take(f, BASE, 4, false, 6000));
    memsys_run_done(a, 0);
    ck_assert(!memsys_error(a));
    memsys_free(a);
}
END_TEST

/* A line the L1 keeps while the miss classifier's shadow lets it go
 * (its set idle while 16 other lines pass through the others) leaves
 * the filter then: the next hit on it goes the long way, which puts it
 * back in the shadow, and every count is what it is without a filter. */
START_TEST(test_hit_filter_shadow_let_go)
{
    MemSysConfig c = small(1, COH_MESI, COH_DIRECTORY);
    MemSysConfig off = c;
    c.hit_filter = true;
    MemSys *a = memsys_new(&c), *b = memsys_new(&off);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    IsaHitFilter *f = memsys_hit_filter(a, 0);
    ck_assert_ptr_nonnull(f);
    uint64_t t = 0;
    for (int i = 0; i < 2; i++, t += 1000) {  /* a miss, a hit the long way */
        acc(a, 0, BASE, LD, t);
        acc(b, 0, BASE, LD, t);
    }
    ck_assert(isa_hit_take(f, BASE, 4, false, t));
    acc(b, 0, BASE, LD, t);
    /* 16 lines of sets 1 to 7 (8 sets of 2 ways, a shadow of 16). */
    for (uint32_t k = 0; k < 16; k++, t += 1000) {
        uint32_t addr = BASE + 64 * (1 + k % 7) + 512 * (k / 7 + 1);
        acc(a, 0, addr, LD, t);
        acc(b, 0, addr, LD, t);
    }
    /* Just after the last miss (before its pending events are due). */
    t -= 990;
    ck_assert(!isa_hit_take(f, BASE, 4, false, t));       /* let go */
    ck_assert_uint_eq(acc(a, 0, BASE, LD, t), f->latency); /* still an L1 hit */
    acc(b, 0, BASE, LD, t);
    t += 1000;
    /* Misses whose classes depend on what the shadow holds. */
    for (uint32_t k = 0; k < 16; k++, t += 1000) {
        uint32_t addr = BASE + 64 * (1 + k % 7) + 512 * (k / 7 + 1);
        acc(a, 0, addr ^ 4096, LD, t);
        acc(b, 0, addr ^ 4096, LD, t);
        acc(a, 0, addr, LD, t + 500);
        acc(b, 0, addr, LD, t + 500);
    }
    CacheStats sa, sb;
    memsys_l1_stats(a, 0, &sa);
    memsys_l1_stats(b, 0, &sb);
    ck_assert_mem_eq(&sa, &sb, sizeof sa);
    memsys_free(a);
    memsys_free(b);
}
END_TEST

Suite *memsys_suite(void)
{
    Suite *s = suite_create("memsys");
    TCase *tc = tcase_create("protocols");
    int n = (int)(sizeof scenarios / sizeof scenarios[0]);
    tcase_add_loop_test(tc, test_transitions_snoop, 0, n);
    tcase_add_loop_test(tc, test_transitions_directory, 0, n);
    tcase_add_test(tc, test_directory_sharers);
    tcase_add_test(tc, test_read_then_write_upgrades);
    suite_add_tcase(s, tc);
    tc = tcase_create("timing");
    tcase_add_test(tc, test_latency_snoop);
    tcase_add_test(tc, test_latency_directory);
    tcase_add_test(tc, test_placement);
    tcase_add_test(tc, test_remote_local);
    tcase_add_test(tc, test_config_errors);
    tcase_add_test(tc, test_docs_tables);
    tcase_add_test(tc, test_store_buffer);
    tcase_add_test(tc, test_straddle);
    tcase_add_test(tc, test_hit_seam);
    tcase_add_test(tc, test_hit_seam_locked);
    tcase_add_test(tc, test_hit_filter_shadow_let_go);
    tcase_add_test(tc, test_interleaved_homes);
    suite_add_tcase(s, tc);
    return s;
}
