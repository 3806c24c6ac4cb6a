/* check_session.c — a machine under remote control (sim/session.c):
 * stepping is exact, snapshots show what the machine holds (the lock
 * holder, a modified line in its L1, busy links; with ranks, their
 * states and messages), run/pause/restart, "next event". */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "models/memsys.h"
#include "programs/runtime/parsim_ecall.h"
#include "sim/machine.h"
#include "sim/session.h"
#include "tests/testutil.h"

static SimSession *open_counter(uint32_t cores, const char *lock)
{
    SimConfig c;
    sim_config_defaults(&c);
    c.cores = cores;
    const char *path = tu_build_file("programs/threads/counter.elf");
    static char *argv[4];
    argv[0] = (char *)path;
    argv[1] = (char *)lock;
    argv[2] = "200";
    char err[256];
    SimSession *s = sim_session_new(&c, path, 3, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* Wait (bounded) for a snapshot newer than snap->seq. */
static void wait_snapshot(SimSession *s, SimSnapshot *snap)
{
    for (int i = 0; i < 20000; i++) {
        if (sim_session_snapshot(s, snap))
            return;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    ck_abort_msg("no snapshot within 20 s");
}

/* Wait for the snapshot of a given cycle: commands act asynchronously, so
 * publications made before one (e.g. at the end of a run) may still come
 * first. */
static void wait_cycle(SimSession *s, SimSnapshot *snap, uint64_t cycle)
{
    for (int i = 0; i < 1000; i++) {
        wait_snapshot(s, snap);
        if (snap->cycle == cycle && !snap->finished)
            return;
    }
    ck_abort_msg("no snapshot of cycle %llu", (unsigned long long)cycle);
}

/* After n steps of one cycle the machine's time is n more, exactly. */
START_TEST(test_step_exact)
{
    SimSession *s = open_counter(4, "tas");
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert_uint_eq(snap.cycle, 0);
    ck_assert(sim_session_start(s, true));
    uint64_t t = 0;
    static const uint64_t steps[] = {1, 1, 5, 100, 1, 2500};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        sim_session_command(s, SIM_CMD_STEP, steps[i]);
        wait_snapshot(s, &snap);
        t += steps[i];
        ck_assert_uint_eq(snap.cycle, t);
        ck_assert(snap.paused);
        for (uint32_t h = 0; h < snap.nharts; h++)
            if (snap.harts[h].state != SNAP_BLOCKED &&
                snap.harts[h].state != SNAP_HALTED)
                ck_assert_uint_ge(snap.harts[h].cycle, t);
    }
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* In the middle of the contention demo: the lock has a holder, the holder
 * is on a core whose L1 holds the lock's line (a write made it M or a
 * later read left it shared), the others spin, and the bus is busy. */
START_TEST(test_snapshot_contents)
{
    SimSession *s = open_counter(4, "tas");
    ck_assert(sim_session_run_to(s, 175000));
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert_uint_eq(snap.cycle, 175000);
    ck_assert(!snap.finished);
    ck_assert_uint_eq(snap.nharts, 4);
    ck_assert(snap.hierarchy);
    /* The registry's figures ride along, named as in --stats-csv. */
    uint64_t insns = 0, listed = UINT64_MAX;
    for (uint32_t i = 0; i < snap.nharts; i++)
        insns += snap.harts[i].instret;
    for (uint32_t i = 0; i < snap.nstats; i++)
        if (!strcmp(snap.stats[i].name, "totals.instructions"))
            listed = snap.stats[i].value;
    ck_assert_uint_eq(listed, insns);
    ck_assert_str_eq(snap.lock_kind_names[PARSIM_KIND_TTAS_BACKOFF],
                     "ttas_backoff");
    ck_assert_str_eq(snap.line_state_names[SNAP_LINE_M], "M");
    int lock = -1;
    for (uint32_t i = 0; i < snap.nlocks; i++)
        if (snap.locks[i].kind == PARSIM_KIND_TAS)
            lock = (int)i;
    ck_assert_int_ge(lock, 0);
    ck_assert_str_eq(snap.locks[lock].name, "tas+0");
    ck_assert_uint_gt(snap.locks[lock].acquisitions, 0);
    /* Somewhere in the run, a hart holds it and its L1 has the line (the
     * lock has its line to itself: the holder keeps it only until the
     * next spinner's swap, so look for a few thousand cycles). */
    bool seen_holder = false, seen_modified = false, seen_packet = false;
    float busiest = 0;
    for (int step = 0; step < 4000 && !(seen_holder && seen_modified &&
                                       busiest > 0.0f && seen_packet);
         step++) {
        for (uint32_t i = 0; i < snap.nlinks; i++)
            if (snap.links[i].util > busiest)
                busiest = snap.links[i].util;
        for (uint32_t i = 0; i < snap.npackets; i++) {
            ck_assert_float_ge(snap.packets[i].progress, 0.0f);
            ck_assert_float_lt(snap.packets[i].progress, 1.0f);
            ck_assert_uint_lt(snap.packets[i].src, snap.routers);
            seen_packet = true;
        }
        int holder = snap.locks[lock].holder;
        if (holder >= 0) {
            seen_holder = true;
            uint32_t core = snap.harts[holder].core;
            size_t per = (size_t)snap.l1_sets * snap.l1_ways;
            uint32_t line = snap.locks[lock].addr & ~(snap.line_size - 1);
            for (size_t i = 0; i < per; i++)
                if (snap.l1_addr[core * per + i] == line &&
                    snap.l1_state[core * per + i] == COH_M)
                    seen_modified = true;
        }
        ck_assert(sim_session_run_to(s, snap.cycle + 7));
        ck_assert(sim_session_snapshot(s, &snap));
    }
    ck_assert(seen_holder);
    ck_assert(seen_modified);
    ck_assert_msg(busiest > 0.0f, "no busy link");
    ck_assert_msg(seen_packet, "no message in flight");
    ck_assert_uint_gt(snap.nholds, 0);
    ck_assert_uint_gt(snap.nsamples, 1);
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* Run to the end in the background; restart brings back cycle 0. */
START_TEST(test_run_restart)
{
    SimSession *s = open_counter(2, "mcs");
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    ck_assert(sim_session_start(s, false));
    for (int i = 0; i < 20000 && !snap.finished; i++) {
        sim_session_snapshot(s, &snap);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    ck_assert(snap.finished);
    ck_assert_int_eq(snap.exit_status, 0);
    ck_assert_ptr_nonnull(strstr(snap.end_message, "exited with status 0"));
    sim_session_command(s, SIM_CMD_RESTART, 0);
    wait_cycle(s, &snap, 0);
    /* Step to the lock's next event: an acquisition or a release. */
    uint64_t acq = 0;
    sim_session_command(s, SIM_CMD_STEP, 175000);
    wait_cycle(s, &snap, 175000);
    ck_assert_uint_gt(snap.nlocks, 0);
    int mcs = -1;
    for (uint32_t i = 0; i < snap.nlocks; i++)
        if (snap.locks[i].kind == PARSIM_KIND_MCS)
            mcs = (int)i;
    ck_assert_int_ge(mcs, 0);
    acq = snap.locks[mcs].acquisitions;
    int holder = snap.locks[mcs].holder;
    sim_session_command(s, SIM_CMD_STEP_LOCK_EVENT, (uint64_t)mcs);
    wait_snapshot(s, &snap);
    ck_assert(snap.locks[mcs].acquisitions == acq + 1 ||
              (holder >= 0 && snap.locks[mcs].holder != holder));
    sim_snapshot_free(&snap);
    ck_assert_int_eq(sim_session_free(s), -1);
}
END_TEST

/* ---- next event on a multithreaded core -------------------------------- */

/* Counts the events of interest of one hart (what "next event" stops on:
 * a miss, a lock annotation, a change of state) and of its sibling. */
typedef struct Recorder {
    uint32_t hart, sibling;
    uint64_t own, other;
} Recorder;

static bool of_interest(const SimEvent *e)
{
    return e->kind == SIM_EV_LOCK || e->kind == SIM_EV_HART ||
           (e->kind == SIM_EV_ACCESS && e->result != SIM_EV_HIT);
}

static void record(void *ctx, const SimEvent *ev, size_t n)
{
    Recorder *r = ctx;
    for (size_t i = 0; i < n; i++) {
        if (!of_interest(&ev[i]))
            continue;
        r->own += ev[i].hart == r->hart;
        r->other += ev[i].hart == r->sibling;
    }
}

static SimSession *open_smt(void)
{
    SimConfig c;
    sim_config_defaults(&c);
    char err[256];
    ck_assert_msg(sim_config_load(&c, "smt4x2", err, sizeof err), "%s", err);
    /* Caches, so that the sibling's misses are events of its own. */
    ck_assert(sim_config_set(&c, "memory.model", "hierarchy", err,
                             sizeof err));
    const char *path = tu_build_file("programs/threads/counter.elf");
    static char *argv[3];
    argv[0] = (char *)path;
    argv[1] = "ttas";
    argv[2] = "40";
    SimSession *s = sim_session_new(&c, path, 3, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* On smt4x2 (two threads a core) "next event" of hart 1 stops on hart 1's
 * own first event, never on one of hart 0, its sibling on core 0: a
 * second machine stepped one cycle at a time sees hart 1's first event
 * exactly at the cycle the step stopped at, and sibling events before it
 * that did not stop it. */
START_TEST(test_next_event_own_hart)
{
    SimSession *a = open_smt(), *b = open_smt();
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    uint64_t t = 20000, sibling_before = 0;
    ck_assert(sim_session_run_to(a, t));
    ck_assert(sim_session_run_to(b, t));
    Recorder rb = {.hart = 1, .sibling = 0};
    SimEvBus *bus = sim_machine_events(sim_session_machine(b));
    ck_assert(sim_ev_listen(bus, SIM_EV_ALL, record, &rb));
    for (int step = 0; step < 8; step++) {
        ck_assert(sim_session_step_event(a, SIM_CMD_STEP_HART_EVENT, 1));
        sim_session_snapshot(a, &snap);
        uint64_t stop = snap.cycle;
        ck_assert_uint_gt(stop, t);
        rb.own = rb.other = 0;
        for (uint64_t c = t + 1; c < stop; c++) {
            ck_assert(sim_session_run_to(b, c));
            ck_assert_msg(rb.own == 0, "step %d: hart 1 had an event at "
                          "cycle %llu, the step stopped at %llu", step,
                          (unsigned long long)c, (unsigned long long)stop);
        }
        sibling_before += rb.other;
        ck_assert(sim_session_run_to(b, stop));
        ck_assert_msg(rb.own > 0, "step %d: no event of hart 1 by cycle "
                      "%llu", step, (unsigned long long)stop);
        t = stop;
    }
    /* The sibling was busy meanwhile: a per-core count would have
     * stopped on its events. */
    ck_assert_uint_gt(sibling_before, 0);
    sim_ev_unlisten(bus, record, &rb);
    sim_snapshot_free(&snap);
    sim_session_free(a);
    sim_session_free(b);
}
END_TEST

/* The event log: events in words, newest first, kept only while on; the
 * lock's hand-offs and the coherence messages from core to home are
 * there; "next event" says what it stopped on. */
START_TEST(test_event_log)
{
    SimSession *s = open_counter(4, "tas");
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    ck_assert(sim_session_run_to(s, 140000));
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert(!snap.log_on);
    ck_assert_uint_eq(snap.nlog, 0);
    ck_assert(sim_session_event_log(s, true));
    bool handed = false, getx = false, miss = false;
    uint64_t t = 140000;
    for (int i = 0; i < 100 && !(handed && getx && miss); i++) {
        t += 200;
        ck_assert(sim_session_run_to(s, t));
        ck_assert(sim_session_snapshot(s, &snap));
        ck_assert(snap.log_on);
        ck_assert_uint_le(snap.nlog, SNAP_LOG);
        ck_assert_uint_ge(snap.log_total, snap.nlog);
        for (uint32_t k = 0; k < snap.nlog; k++) {
            const char *x = snap.log[k].text;
            ck_assert_msg(x[0], "entry %u is empty", k);
            if (k)
                ck_assert_uint_le(snap.log[k].cycle, snap.log[k - 1].cycle);
            handed |= strstr(x, "lock tas+0 handed from h") != NULL;
            getx |= !strncmp(x, "GETX core ", 10) && strstr(x, "-> home 0");
            miss |= strstr(x, " miss on tas+0 (coherence)") != NULL;
        }
    }
    ck_assert_msg(handed && getx && miss, "handed %d, GETX %d, miss %d",
                  handed, getx, miss);
    ck_assert(sim_session_event_log(s, false));
    ck_assert(sim_session_run_to(s, t + 100));
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert(!snap.log_on);
    /* n: the step names the event it stopped on, of that hart. */
    ck_assert(sim_session_step_event(s, SIM_CMD_STEP_HART_EVENT, 2));
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert_msg(!strncmp(snap.stopped_on, "h2 ", 3), "'%s'",
                  snap.stopped_on);
    ck_assert(sim_session_run_to(s, snap.cycle + 10));
    ck_assert(sim_session_step_event(s, SIM_CMD_STEP_LOCK_EVENT, 0));
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert_msg(strstr(snap.stopped_on, "tas+0") &&
                  (strstr(snap.stopped_on, "takes") ||
                   strstr(snap.stopped_on, "releases")), "'%s'",
                  snap.stopped_on);
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* The snapshot's hottest lines: the falsely shared line first, named by
 * its array, held modified by exactly one core. */
START_TEST(test_hot_lines)
{
    SimConfig c;
    sim_config_defaults(&c);
    c.cores = 4;
    const char *path = tu_build_file("programs/memory/false_sharing.elf");
    static char *argv[] = {NULL, "packed", NULL};
    argv[0] = (char *)path;
    char err[256];
    SimSession *s = sim_session_new(&c, path, 2, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert(sim_session_run_to(s, 150000));
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert_uint_gt(snap.nhot, 1);
    ck_assert_str_eq(snap.hot[0].name, "packed+0..63");
    ck_assert_uint_gt(snap.hot[0].invalidations, 1000);
    ck_assert_uint_ge(snap.hot[0].invalidations, snap.hot[1].invalidations);
    int m = 0, valid = 0;
    for (uint32_t k = 0; k < snap.cores; k++) {
        m += snap.hot[0].state[k] == SNAP_LINE_M;
        valid += snap.hot[0].state[k] != SNAP_LINE_I;
    }
    ck_assert_int_le(m, 1);
    ck_assert_int_le(valid, (int)snap.cores);
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* --break in the window's session: the run pauses at the breakpoint and
 * says where; going on goes past it, to the next time it is reached. */
START_TEST(test_break_pauses)
{
    SimSession *s = open_counter(2, "tas");
    char *b[] = {"tas_unlock"}, *w[] = {"counter"};
    char err[256];
    ck_assert_msg(sim_session_set_breaks(s, b, 1, NULL, 0, true, err,
                                         sizeof err), "%s", err);
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    uint64_t last = 0;
    for (int i = 0; i < 3; i++) {
        ck_assert(sim_session_run_to(s, 50000000));
        ck_assert(sim_session_snapshot(s, &snap));
        ck_assert(!snap.finished);
        ck_assert(snap.paused);
        ck_assert_uint_gt(snap.cycle, last);
        ck_assert_uint_lt(snap.cycle, 50000000);
        ck_assert_msg(!strncmp(snap.stopped_on, "break: hart ", 12) &&
                      strstr(snap.stopped_on, " in tas_unlock (sync.c:"),
                      "'%s'", snap.stopped_on);
        last = snap.cycle;
    }
    /* A watch instead: each change of the counter, from 1 up. */
    ck_assert(sim_session_set_breaks(s, NULL, 0, w, 1, true, err,
                                     sizeof err));
    ck_assert(sim_session_run_to(s, 50000000));
    ck_assert(sim_session_snapshot(s, &snap));
    ck_assert_msg(strstr(snap.stopped_on, "watch: hart ") &&
                  strstr(snap.stopped_on, "changed counter+0 from "),
                  "'%s'", snap.stopped_on);
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* ---- ranks ----------------------------------------------------------- */

static SimSession *open_pingpong(const char *size, const char *reps)
{
    SimConfig c;
    sim_config_defaults(&c);
    char err[256];
    ck_assert(sim_config_set(&c, "mp.ranks", "2", err, sizeof err));
    const char *path = tu_built("programs/mpi/pingpong.elf");
    static char *argv[3];
    argv[0] = (char *)path;
    argv[1] = (char *)size;
    argv[2] = (char *)reps;
    SimSession *s = sim_session_new(&c, path, 3, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* The MPI ping-pong on 2 ranks, run to its end: the snapshot has both
 * ranks with their main harts, every message (each received after it was
 * sent, the 4 KiB ones eight: a warm-up and three round trips), counts
 * that agree, and each rank's states in time order: in MPI_Recv, waiting
 * (rank 1 waits for rank 0's sends), exited at the end. */
START_TEST(test_ranks_snapshot)
{
    SimSession *s = open_pingpong("4096", "3");
    SimSnapshot *snap = calloc(1, sizeof *snap);
    ck_assert_ptr_nonnull(snap);
    ck_assert(!sim_session_run_to(s, 50000000));
    ck_assert(sim_session_snapshot(s, snap));
    ck_assert(snap->finished);
    ck_assert_uint_eq(snap->nranks, 2);
    ck_assert_uint_eq(snap->harts_per_rank, 1);
    ck_assert_str_eq(snap->mpi_call_names[PARSIM_MPI_RECV], "MPI_Recv");
    ck_assert_str_eq(snap->mpi_call_names[PARSIM_MPI_BARRIER],
                     "MPI_Barrier");
    ck_assert_uint_eq(snap->nmpmsgs, snap->mpmsgs_total);
    uint64_t big = 0, sent = 0, received = 0;
    for (uint32_t i = 0; i < snap->nmpmsgs; i++) {
        const SnapMpMsg *m = &snap->mpmsgs[i];
        ck_assert(m->src < 2 && m->dst < 2);
        ck_assert_uint_ne(m->recv, UINT64_MAX);
        ck_assert_uint_gt(m->recv, m->send);
        ck_assert_uint_ge(m->reach, m->send);
        ck_assert(!m->rendezvous);        /* 4 KiB: under the threshold */
        if (m->bytes == 4096) {
            big++;
            ck_assert_uint_eq(m->tag, 1);
        }
        if (i > 0)
            ck_assert_uint_ge(m->id, snap->mpmsgs[i - 1].id);
    }
    ck_assert_uint_eq(big, 8);
    for (uint32_t r = 0; r < 2; r++) {
        const SnapRank *k = &snap->ranks[r];
        ck_assert_uint_eq(k->hart, r);
        sent += k->sent;
        received += k->received;
        ck_assert_uint_ge(k->bytes_sent, 4 * 4096);
        ck_assert_uint_gt(k->nspans, 10);
        bool recv = false, wait = false;
        for (uint32_t i = 0; i < k->nspans; i++) {
            const SnapSpan *sp = &k->spans[i];
            ck_assert_uint_lt(sp->state, SNAP_RANK_STATE_COUNT);
            if (i > 0) {
                ck_assert_uint_gt(sp->from, k->spans[i - 1].from);
                ck_assert(sp->state != k->spans[i - 1].state ||
                          sp->call != k->spans[i - 1].call);
            }
            recv |= sp->state == SNAP_RANK_P2P &&
                    sp->call == PARSIM_MPI_RECV;
            wait |= sp->state == SNAP_RANK_WAITING;
        }
        ck_assert_msg(recv, "rank %u never in MPI_Recv", r);
        if (r == 1)
            ck_assert_msg(wait, "rank 1 never waited");
        ck_assert_uint_eq(k->state, SNAP_RANK_DONE);
        ck_assert_uint_eq(k->spans[k->nspans - 1].state, SNAP_RANK_DONE);
        ck_assert_uint_eq(k->spans[0].from, 0);
    }
    ck_assert_uint_eq(sent, snap->mpmsgs_total);
    ck_assert_uint_eq(received, snap->mpmsgs_total);
    /* Without ranks: none. */
    SimSession *c = open_counter(2, "tas");
    SimSnapshot *plain = calloc(1, sizeof *plain);
    ck_assert_ptr_nonnull(plain);
    ck_assert(sim_session_run_to(c, 10000));
    ck_assert(sim_session_snapshot(c, plain));
    ck_assert_uint_eq(plain->nranks, 0);
    ck_assert_uint_eq(plain->nmpmsgs, 0);
    sim_snapshot_free(plain);
    free(plain);
    sim_session_free(c);
    sim_snapshot_free(snap);
    free(snap);
    sim_session_free(s);
}
END_TEST

/* Counts hart 1's events by kind, for "next event" with ranks. */
typedef struct KindRecorder {
    uint32_t hart;
    uint64_t n[SIM_EV_KIND_COUNT];
} KindRecorder;

static void record_kinds(void *ctx, const SimEvent *ev, size_t n)
{
    KindRecorder *r = ctx;
    for (size_t i = 0; i < n; i++)
        if (ev[i].hart == r->hart)
            r->n[ev[i].kind]++;
}

/* "Next event" stops at message-passing events too: stepping rank 1's
 * hart through the ping-pong, some steps end on a library call, a send
 * or a receive with no miss, lock or change of state in them; a restart
 * starts the ranks' record over. */
START_TEST(test_ranks_next_event)
{
    SimSession *s = open_pingpong("64", "20");
    ck_assert(sim_session_run_to(s, 60000));
    KindRecorder rec = {.hart = 1};
    SimEvBus *bus = sim_machine_events(sim_session_machine(s));
    ck_assert(sim_ev_listen(bus, SIM_EV_ALL, record_kinds, &rec));
    int mp_only = 0;
    for (int step = 0; step < 60; step++) {
        memset(rec.n, 0, sizeof rec.n);
        ck_assert(sim_session_step_event(s, SIM_CMD_STEP_HART_EVENT, 1));
        uint64_t mp = rec.n[SIM_EV_MP_CALL] + rec.n[SIM_EV_MP_SEND] +
                      rec.n[SIM_EV_MP_RECV];
        uint64_t other = rec.n[SIM_EV_HART] + rec.n[SIM_EV_LOCK];
        ck_assert_msg(mp + other + rec.n[SIM_EV_ACCESS] > 0,
                      "step %d: stopped on no event of hart 1", step);
        mp_only += mp > 0 && other == 0;
    }
    ck_assert_int_gt(mp_only, 10);
    sim_ev_unlisten(bus, record_kinds, &rec);
    SimSnapshot *snap = calloc(1, sizeof *snap);
    ck_assert_ptr_nonnull(snap);
    ck_assert(sim_session_snapshot(s, snap));
    ck_assert_uint_gt(snap->mpmsgs_total, 0);
    /* Restarted: a new machine, nothing sent yet. */
    ck_assert(sim_session_start(s, true));
    sim_session_command(s, SIM_CMD_RESTART, 0);
    for (int i = 0; i < 200; i++) {
        wait_snapshot(s, snap);
        if (snap->cycle == 0 && snap->mpmsgs_total == 0)
            break;
    }
    ck_assert_uint_eq(snap->cycle, 0);
    ck_assert_uint_eq(snap->mpmsgs_total, 0);
    ck_assert_uint_eq(snap->nranks, 2);
    ck_assert_uint_eq(snap->ranks[1].nspans, 1);
    ck_assert_uint_eq(snap->ranks[1].state, SNAP_RANK_COMPUTE);
    sim_snapshot_free(snap);
    free(snap);
    sim_session_free(s);
}
END_TEST

/* Pause is visible: a run paused by command publishes a snapshot that
 * says so (the window decides from the snapshot), and running again
 * publishes one that says it runs. */
START_TEST(test_pause_published)
{
    SimSession *s = open_counter(4, "tas");
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    /* Slowly enough that the run lasts the test. */
    sim_session_command(s, SIM_CMD_SPEED, 50000);
    ck_assert(sim_session_start(s, false));
    wait_snapshot(s, &snap);
    for (int round = 0; round < 3; round++) {
        sim_session_command(s, SIM_CMD_PAUSE, 0);
        int i;
        for (i = 0; i < 2000 && !(snap.paused && !snap.finished); i++) {
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
            sim_session_snapshot(s, &snap);
        }
        ck_assert_msg(snap.paused, "round %d: no paused snapshot", round);
        uint64_t at = snap.cycle;
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
        sim_session_snapshot(s, &snap);
        ck_assert_uint_eq(snap.cycle, at);       /* it stays paused */
        sim_session_command(s, SIM_CMD_RUN, 0);
        for (i = 0; i < 2000 && snap.paused; i++) {
            nanosleep(&(struct timespec){0, 1000000}, NULL);
            sim_session_snapshot(s, &snap);
        }
        ck_assert_msg(!snap.paused, "round %d: no running snapshot", round);
    }
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* Slow motion is real: at 5 cycles a second, two seconds are 10 cycles,
 * give or take the one under way (not one cycle per frame, 30 a second,
 * or more). */
START_TEST(test_slow_motion)
{
    SimSession *s = open_counter(4, "tas");
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    ck_assert(sim_session_start(s, true));
    sim_session_command(s, SIM_CMD_SPEED, 5);
    sim_session_command(s, SIM_CMD_RUN, 0);
    wait_snapshot(s, &snap);
    uint64_t c0 = snap.cycle;
    nanosleep(&(struct timespec){2, 0}, NULL);
    sim_session_snapshot(s, &snap);
    uint64_t n = snap.cycle - c0;
    ck_assert_msg(n >= 9 && n <= 11, "%llu cycles in two seconds at 5/s",
                  (unsigned long long)n);
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* Two snapshots show the same machine: every figure the window draws
 * from (host seconds aside). */
static void same_snapshot(const SimSnapshot *a, const SimSnapshot *b)
{
    ck_assert_uint_eq(a->cycle, b->cycle);
    ck_assert_uint_eq(a->nharts, b->nharts);
    for (uint32_t i = 0; i < a->nharts; i++) {
        const SnapHart *x = &a->harts[i], *y = &b->harts[i];
        ck_assert_msg(x->pc == y->pc && x->cycle == y->cycle &&
                      x->instret == y->instret && x->state == y->state &&
                      !memcmp(x->x, y->x, sizeof x->x) &&
                      x->misses == y->misses &&
                      x->stall_memory == y->stall_memory &&
                      !memcmp(x->code, y->code, sizeof x->code),
                      "hart %u differs", i);
    }
    ck_assert_uint_eq(a->nlocks, b->nlocks);
    for (uint32_t i = 0; i < a->nlocks; i++) {
        ck_assert_int_eq(a->locks[i].holder, b->locks[i].holder);
        ck_assert_uint_eq(a->locks[i].acquisitions, b->locks[i].acquisitions);
        ck_assert_uint_eq(a->locks[i].nwaiters, b->locks[i].nwaiters);
    }
    ck_assert_uint_eq(a->nholds, b->nholds);
    size_t n = (size_t)a->cores * a->l1_sets * a->l1_ways;
    ck_assert(!memcmp(a->l1_state, b->l1_state, n));
    ck_assert(!memcmp(a->l1_addr, b->l1_addr, n * sizeof *a->l1_addr));
    ck_assert(!memcmp(a->l1_prev_state, b->l1_prev_state, n));
    ck_assert_uint_eq(a->nlinks, b->nlinks);
    for (uint32_t i = 0; i < a->nlinks; i++)
        ck_assert_msg(a->links[i].util == b->links[i].util &&
                      a->links[i].packets == b->links[i].packets,
                      "link %u: %g %g", i, a->links[i].util,
                      b->links[i].util);
    ck_assert_uint_eq(a->npackets, b->npackets);
    ck_assert_uint_eq(a->window_from, b->window_from);
    ck_assert_uint_eq(a->nsamples, b->nsamples);
    for (uint32_t i = 0; i < a->nsamples; i++)
        ck_assert_msg(a->samples[i].cycle == b->samples[i].cycle &&
                      a->samples[i].instret == b->samples[i].instret &&
                      a->samples[i].misses == b->samples[i].misses &&
                      a->samples[i].messages == b->samples[i].messages,
                      "sample %u differs", i);
    ck_assert_uint_eq(a->nstats, b->nstats);
    ck_assert_uint_eq(a->stats_prev_cycle, b->stats_prev_cycle);
    for (uint32_t i = 0; i < a->nstats; i++)
        ck_assert_msg(a->stats[i].value == b->stats[i].value &&
                      a->stats[i].prev == b->stats[i].prev,
                      "%s differs", a->stats[i].name);
    ck_assert_uint_eq(a->nhot, b->nhot);
    for (uint32_t i = 0; i < a->nhot; i++)
        ck_assert_str_eq(a->hot[i].name, b->hot[i].name);
    ck_assert_int_eq(a->log_on, b->log_on);
    ck_assert_uint_eq(a->log_total, b->log_total);
    ck_assert_uint_eq(a->nlog, b->nlog);
    for (uint32_t i = 0; i < a->nlog; i++)
        ck_assert_str_eq(a->log[i].text, b->log[i].text);
    ck_assert_str_eq(a->stopped_on, b->stopped_on);
}

/* Back is forward: stepping back to cycle N shows what stepping forward
 * to N shows (the run replayed, the event log from where it was turned
 * on, the counters' change that of the last cycle). */
START_TEST(test_back_is_forward)
{
    SimSession *a = open_counter(4, "tas"), *b = open_counter(4, "tas");
    SimSnapshot sa, sb;
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    ck_assert(sim_session_run_to(a, 1234));
    ck_assert(sim_session_event_log(a, true));
    ck_assert(sim_session_run_to(a, 6000));
    ck_assert(sim_session_run_to(a, 6001));
    ck_assert(sim_session_run_to(b, 1234));
    ck_assert(sim_session_event_log(b, true));
    ck_assert(sim_session_run_to(b, 9000));
    ck_assert(sim_session_back(b, 2999));
    ck_assert_uint_eq(sim_session_replays(b), 1);
    ck_assert(sim_session_snapshot(a, &sa));
    ck_assert(sim_session_snapshot(b, &sb));
    ck_assert_uint_eq(sb.cycle, 6001);
    ck_assert_uint_eq(sb.stats_prev_cycle, 6000);
    ck_assert_uint_gt(sb.nlog, 0);
    same_snapshot(&sa, &sb);
    /* And forward again from there: the same run. */
    ck_assert(sim_session_run_to(a, 8000));
    ck_assert(sim_session_run_to(b, 8000));
    ck_assert(sim_session_snapshot(a, &sa));
    ck_assert(sim_session_snapshot(b, &sb));
    same_snapshot(&sa, &sb);
    sim_snapshot_free(&sa);
    sim_snapshot_free(&sb);
    sim_session_free(a);
    sim_session_free(b);
}
END_TEST

/* The snapshot is a cut at its cycle: a hart that ran on into its slice
 * is shown before the instructions it began since (at cycle 3 of the
 * demo, every hart has run its first three one-cycle instructions, not
 * the dozen a slice gave them), and the counters add up what the harts
 * show. */
START_TEST(test_snapshot_cut)
{
    SimSession *s = open_counter(8, "tas");
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    ck_assert(sim_session_run_to(s, 3));
    ck_assert(sim_session_snapshot(s, &snap));
    for (uint32_t h = 0; h < snap.nharts; h++) {
        ck_assert_uint_eq(snap.harts[h].cycle, 3);
        ck_assert_uint_eq(snap.harts[h].instret, 3);
    }
    static const uint64_t at[] = {1001, 250000, 250001, 250017};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        ck_assert(sim_session_run_to(s, at[k]));
        ck_assert(sim_session_snapshot(s, &snap));
        uint64_t sum = 0;
        for (uint32_t h = 0; h < snap.nharts; h++) {
            const SnapHart *o = &snap.harts[h];
            sum += o->instret;
            if (o->state == SNAP_BLOCKED || o->state == SNAP_HALTED)
                continue;
            /* Its next instruction begins at the cycle or, when one is
             * under way (a miss, maybe a spinning hart's), when that one
             * ends. */
            ck_assert_uint_ge(o->cycle, at[k]);
            if (o->state != SNAP_MEMORY && o->state != SNAP_SPINNING)
                ck_assert_uint_le(o->cycle, at[k] + 64);
        }
        ck_assert_uint_eq(snap.samples[snap.nsamples - 1].instret, sum);
        ck_assert_uint_eq(snap.samples[snap.nsamples - 1].cycle, at[k]);
    }
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* Hart 0's events as "next event" sees them, from a plain run. */
typedef struct EvCycles {
    uint64_t cycle[4096];
    size_t n;
} EvCycles;

static void hart0_events(void *ctx, const SimEvent *ev, size_t n)
{
    EvCycles *c = ctx;
    for (size_t i = 0; i < n; i++) {
        const SimEvent *e = &ev[i];
        if (e->hart != 0)
            continue;
        if ((e->kind == SIM_EV_LOCK || e->kind == SIM_EV_HART ||
             (e->kind == SIM_EV_ACCESS && e->result != SIM_EV_HIT)) &&
            c->n < 4096)
            c->cycle[c->n++] = e->cycle;
    }
}

/* B goes back to the latest event of the hart before the cycle shown,
 * and says which; again and again. */
START_TEST(test_back_event)
{
    SimSession *s = open_counter(4, "tas"), *plain = open_counter(4, "tas");
    static EvCycles ev;
    ev.n = 0;
    ck_assert(sim_ev_listen(sim_machine_events(sim_session_machine(plain)),
                            SIM_EV_ALL, hart0_events, &ev));
    ck_assert(sim_session_run_to(plain, 20000));
    ck_assert_uint_gt(ev.n, 3);
    ck_assert(sim_session_run_to(s, 20000));
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    uint64_t t = 20000;
    for (int k = 0; k < 3; k++) {
        uint64_t want = 0;
        for (size_t i = 0; i < ev.n; i++)
            if (ev.cycle[i] < t && ev.cycle[i] > want)
                want = ev.cycle[i];
        ck_assert(sim_session_back_event(s, SIM_CMD_STEP_HART_EVENT, 0));
        ck_assert(sim_session_snapshot(s, &snap));
        ck_assert_uint_eq(snap.cycle, want);
        ck_assert_msg(strstr(snap.stopped_on, "hart 0") ||
                      strstr(snap.stopped_on, "h0") ||
                      strstr(snap.stopped_on, "core 0"),
                      "stopped on: %s", snap.stopped_on);
        t = want;
    }
    sim_snapshot_free(&snap);
    sim_session_free(s);
    sim_session_free(plain);
}
END_TEST

/* Going back replays the program, but what it printed is printed once. */
START_TEST(test_back_prints_once)
{
    SimConfig c;
    sim_config_defaults(&c);
    c.cores = 2;
    const char *path = tu_built("tests/programs/mt_print.elf");
    char *argv[] = {(char *)path};
    char err[256];
    fflush(stdout);
    char name[] = "/tmp/parsim-back-XXXXXX";
    int fd = mkstemp(name);
    ck_assert_int_ge(fd, 0);
    int saved = dup(1);
    ck_assert_int_ge(saved, 0);
    ck_assert_int_ge(dup2(fd, 1), 0);
    SimSession *s = sim_session_new(&c, path, 1, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert(sim_session_run_to(s, 150000));
    fflush(stdout);
    ck_assert_int_gt(lseek(fd, 0, SEEK_END), 0);  /* it has printed */
    ck_assert(sim_session_back(s, 100000));
    while (sim_session_run_to(s, sim_session_cycle(s) + 100000))
        ;
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    sim_session_free(s);
    FILE *f = fdopen(fd, "r");
    ck_assert(f != NULL);
    rewind(f);
    char line[256];
    int lines = 0;
    while (fgets(line, sizeof line, f))
        lines++;
    fclose(f);
    unlink(name);
    ck_assert_int_eq(lines, 2 * 40);
}
END_TEST

/* The GPU array in the window's terms: "next GPU event" stops where a
 * divergent kernel's warps split, and the snapshot then shows it: a warp
 * whose last issue ran only some of its running lanes. */
START_TEST(test_gpu_divergence_step)
{
    SimConfig c;
    sim_config_defaults(&c);
    char err[256];
    const char *path = tu_build_file("programs/gpu/divergence.elf");
    static char *argv[1];
    argv[0] = (char *)path;
    SimSession *s = sim_session_new(&c, path, 1, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    SimSnapshot snap;
    memset(&snap, 0, sizeof snap);
    bool split = false;
    for (int i = 0; i < 50 && !split; i++) {
        ck_assert(sim_session_step_event(s, SIM_CMD_STEP_GPU_EVENT, 0));
        ck_assert(sim_session_snapshot(s, &snap) || i > 0);
        ck_assert_uint_eq(snap.nsms, 2);
        ck_assert_uint_eq(snap.warp_size, 32);
        for (uint32_t m = 0; m < snap.nsms; m++)
            for (uint32_t w = 0; w < snap.max_warps; w++) {
                const SnapWarp *x = &snap.sms[m].warps[w];
                if (x->live && x->mask && (x->mask & x->active) != x->active)
                    split = true;
            }
    }
    ck_assert_msg(split, "no divergent warp seen in 50 GPU events");
    ck_assert_str_eq(snap.kernel, "by_lane");
    sim_snapshot_free(&snap);
    sim_session_free(s);
}
END_TEST

/* ---- The copies' changes of state (COH events) --------------------------- */

/* pingpong.c's line handed back and forth between two cores, under a
 * protocol and organisation. */
static SimSession *open_line_pingpong(const char *protocol,
                                      const char *organisation)
{
    SimConfig c;
    sim_config_defaults(&c);
    c.cores = 2;
    char err[256];
    ck_assert(sim_config_set(&c, "coherence.protocol", protocol, err,
                             sizeof err));
    ck_assert(sim_config_set(&c, "coherence.organisation", organisation, err,
                             sizeof err));
    const char *path = tu_built("programs/memory/pingpong.elf");
    static char *argv[3];
    argv[0] = (char *)path;
    argv[1] = "1000";
    SimSession *s = sim_session_new(&c, path, 2, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* The COH events of one line, as published. */
typedef struct CohRecorder {
    uint32_t line, mask;
    SimEvent ev[4096];
    size_t n;
} CohRecorder;

static void record_coh(void *ctx, const SimEvent *ev, size_t n)
{
    CohRecorder *r = ctx;
    for (size_t i = 0; i < n; i++)
        if (ev[i].kind == SIM_EV_COH && (ev[i].addr & ~r->mask) == r->line &&
            r->n < sizeof r->ev / sizeof r->ev[0])
            r->ev[r->n++] = ev[i];
}

/* COH events by core, then time, then the order published. */
static int by_core_cycle(const void *x, const void *y)
{
    const SimEvent *a = x, *b = y;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->cycle != b->cycle)
        return a->cycle < b->cycle ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The line and its invalidation, per protocol: the writer's upgrade
 * takes the reader's copy (S, or O under MOESI, where the last writer
 * kept it dirty). */
static const struct {
    const char *protocol, *organisation;
    uint8_t inv_from;
} coh_cases[] = {{"mesi", "snoop", COH_S}, {"mesi", "directory", COH_S},
                 {"msi", "directory", COH_S}, {"moesi", "directory", COH_O}};
#define NCOH_CASES ((int)(sizeof coh_cases / sizeof coh_cases[0]))

/* Run s until pingpong's line is the hottest, bouncing; its address. */
static uint32_t run_to_box(SimSession *s, SimSnapshot *snap, uint64_t *t)
{
    for (*t = 20000; *t < 400000; *t += 5000) {
        ck_assert(sim_session_run_to(s, *t));
        sim_session_snapshot(s, snap);
        if (snap->nhot && !strcmp(snap->hot[0].name, "box+0..63") &&
            snap->hot[0].invalidations > 10)
            return snap->hot[0].line;
    }
    ck_abort_msg("box+0..63 did not bounce by cycle 400,000");
    return 0;
}

/* The copies' changes of state as COH events, on pingpong's line between
 * two cores: each one the protocol's cell (from, event) -> to, from the
 * core's first hart, about the line as the L1 grids show it, some an
 * invalidation of the reader's copy; corrections applied, each copy's
 * chain unbroken once the cores' own changes are published too.  Then
 * "next event" of the line in a
 * second session stops at such an invalidation at its cycle (published
 * ahead of it) and names it, and the snapshot there has it as the line's
 * latest change, exactly as the first session saw it. */
START_TEST(test_coh_events)
{
    const CohProtocolDef *proto = coh_protocol_named(coh_cases[_i].protocol);
    ck_assert_ptr_nonnull(proto);
    SimSession *s = open_line_pingpong(coh_cases[_i].protocol,
                                       coh_cases[_i].organisation);
    SimSnapshot *snap = calloc(1, sizeof *snap);
    ck_assert_ptr_nonnull(snap);
    uint64_t t;
    static CohRecorder rec;
    rec.line = run_to_box(s, snap, &t);
    rec.mask = snap->line_size - 1;
    rec.n = 0;
    SimEvBus *bus = sim_machine_events(sim_session_machine(s));
    ck_assert(sim_ev_listen(bus, SIM_EV_BIT(SIM_EV_COH), record_coh, &rec));
    ck_assert(sim_session_run_to(s, t + 3000));
    sim_ev_unlisten(bus, record_coh, &rec);
    ck_assert_uint_gt(rec.n, 10);
    size_t invs = 0;
    for (size_t i = 0; i < rec.n; i++) {
        const SimEvent *e = &rec.ev[i];
        ck_assert_uint_lt(e->src, 2);
        ck_assert_uint_eq(e->hart, e->src);       /* one hart a core */
        ck_assert_uint_eq(e->addr, rec.line);
        ck_assert_uint_eq(e->end, e->cycle);
        ck_assert(e->aux < COH_ALL_STATES && e->what < CEV_COUNT);
        ck_assert_msg(proto->cache[e->aux][e->what].next == e->result,
                      "%s -%s-> %s is not the table's cell",
                      coh_state_names[e->aux], coh_event_names[e->what],
                      coh_state_names[e->result]);
        invs += e->what == CEV_INV && e->aux == coh_cases[_i].inv_from &&
                e->result == COH_I;
    }
    ck_assert_uint_gt(invs, 2);
    /* Corrected, each copy's changes chain in time order (each from the
     * state the one before left), once the engine says the cores' own
     * changes too (their accesses: Load, Store, Replacement; until
     * then, a copy's request is a gap in its chain). */
    size_t own = 0, m = 0;
    for (size_t i = 0; i < rec.n; i++) {
        SimEvent e = rec.ev[i];
        own += e.what == CEV_LOAD || e.what == CEV_STORE ||
               e.what == CEV_REPLACE;
        if (e.id) {                   /* replaces, and comes after */
            size_t k = 0;
            for (size_t j = 0; j < m; j++)
                if (!(rec.ev[j].src == e.src && rec.ev[j].cycle == e.cycle &&
                      rec.ev[j].what == e.what))
                    rec.ev[k++] = rec.ev[j];
            m = k;
        }
        e.id = (uint32_t)i;           /* the order published */
        rec.ev[m++] = e;
    }
    rec.n = m;
    qsort(rec.ev, m, sizeof rec.ev[0], by_core_cycle);
    for (size_t i = 1; own && i < m; i++) {
        const SimEvent *a = &rec.ev[i - 1], *b = &rec.ev[i];
        if (a->src == b->src)
            ck_assert_msg(b->aux == a->result, "core %u: %s -%s-> %s at %llu, "
                          "then from %s at %llu", a->src,
                          coh_state_names[a->aux], coh_event_names[a->what],
                          coh_state_names[a->result],
                          (unsigned long long)a->cycle,
                          coh_state_names[b->aux],
                          (unsigned long long)b->cycle);
    }
    /* The snapshot at the end: the latest of them at or before its
     * cycle, oldest first, each as published. */
    ck_assert(sim_session_snapshot(s, snap));
    ck_assert_uint_gt(snap->ncoh, 10);
    ck_assert(snap->coh_states & 1u << SNAP_COH_IS_D);
    ck_assert_str_eq(snap->coh_state_names[SNAP_COH_SM_AD], "SM_AD");
    ck_assert_str_eq(snap->coh_event_names[CEV_INV], "Inv");
    for (uint32_t i = 0; i < snap->ncoh; i++) {
        const SnapCohStep *c = &snap->coh[i];
        ck_assert_uint_le(c->cycle, snap->cycle);
        ck_assert(i == 0 || snap->coh[i - 1].cycle <= c->cycle);
        ck_assert_uint_eq(snap->coh_table[c->from][c->event].next, c->to);
    }

    /* Step the line in a second session, from a little after the first
     * began to listen (what is on its way then was published since). */
    SimSession *b = open_line_pingpong(coh_cases[_i].protocol,
                                       coh_cases[_i].organisation);
    ck_assert(sim_session_run_to(b, t + 1000));
    bool found = false;
    for (int step = 0; step < 60 && !found; step++) {
        ck_assert(sim_session_step_event(b, SIM_CMD_STEP_LINE_EVENT,
                                         rec.line));
        ck_assert(sim_session_snapshot(b, snap));
        ck_assert_uint_le(snap->cycle, t + 3000);
        if (!strstr(snap->stopped_on, " -> I on Inv: box+0..63"))
            continue;
        found = true;
        /* The line's latest changes: at this cycle, one of them this. */
        const SnapCohStep *c = NULL;
        for (uint32_t i = snap->ncoh; i-- > 0 && !c;)
            if (snap->coh[i].line == rec.line &&
                snap->coh[i].event == CEV_INV)
                c = &snap->coh[i];
        ck_assert_ptr_nonnull(c);
        ck_assert_uint_eq(c->cycle, snap->cycle);
        ck_assert_uint_eq(c->from, coh_cases[_i].inv_from);
        ck_assert_uint_eq(c->to, COH_I);
        char want[64];
        snprintf(want, sizeof want, "core %u: %s -> I on Inv", c->core,
                 coh_state_names[c->from]);
        ck_assert_msg(strstr(snap->stopped_on, want), "stopped on: %s",
                      snap->stopped_on);
        size_t same = 0;
        for (size_t i = 0; i < rec.n; i++)
            same += rec.ev[i].cycle == c->cycle && rec.ev[i].src == c->core &&
                    rec.ev[i].what == CEV_INV && rec.ev[i].aux == c->from &&
                    rec.ev[i].result == COH_I;
        ck_assert_uint_eq(same, 1);
    }
    ck_assert_msg(found, "no invalidation in 60 steps of the line");
    sim_snapshot_free(snap);
    free(snap);
    sim_session_free(b);
    sim_session_free(s);
}
END_TEST

Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("session");
    /* Stepping a cycle at a time publishes a snapshot a step: about ten
     * seconds for the longest test here, several minutes under TSan. */
    tcase_set_timeout(tc, 400);
    tcase_add_test(tc, test_step_exact);
    tcase_add_test(tc, test_snapshot_contents);
    tcase_add_test(tc, test_run_restart);
    tcase_add_test(tc, test_next_event_own_hart);
    tcase_add_test(tc, test_ranks_snapshot);
    tcase_add_test(tc, test_ranks_next_event);
    tcase_add_test(tc, test_gpu_divergence_step);
    tcase_add_test(tc, test_pause_published);
    tcase_add_test(tc, test_slow_motion);
    tcase_add_test(tc, test_event_log);
    tcase_add_test(tc, test_break_pauses);
    tcase_add_test(tc, test_hot_lines);
    tcase_add_test(tc, test_snapshot_cut);
    tcase_add_test(tc, test_back_is_forward);
    tcase_add_test(tc, test_back_event);
    tcase_add_test(tc, test_back_prints_once);
    tcase_add_loop_test(tc, test_coh_events, 0, NCOH_CASES);
    suite_add_tcase(s, tc);
    return s;
}
