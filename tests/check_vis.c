/* check_vis.c — the visualizer: pictures of real runs rendered headless
 * (SDL's software renderer on a surface: no display, no xvfb) and checked
 * from their pixels (the lock holder's core framed in its colour, the
 * lock's line modified in the holder's L1 grid, a busy link), layouts
 * from 1 to 64 harts, the statistics table (every figure of the snapshot
 * has a row that fits, drawn only over its own rectangle, toggled by its
 * key in the real window loop, lit where a step moved it), exact
 * stepping through the session's commands and through the window's
 * keys, the ranks' space-time diagram (a strip per rank in its state's
 * colour, arrows, its rows for 1 to 64 ranks), the GPU panel (no room
 * until a kernel, then room from the machine only; a real divergent
 * kernel drawn in the left column and nowhere else), the explain view
 * (the protocol's states, an invalidation's arrow drawn thick, folded,
 * opened by its key), and the key table against docs/keys.md.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/session.h"
#include "tests/testutil.h"
#include "visualizer/vis.h"

#define W 1280
#define H 720

static char tmpdir[256];

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/parsim-vis-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "check_vis: could not remove %s\n", tmpdir);
}

static void system_copy(const char *from, const char *to)
{
    char cmd[900];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    if (system(cmd) != 0)
        fprintf(stderr, "check_vis: could not copy %s\n", from);
}

/* The session keeps argv: it must outlive it. */
static char *demo_argv[3];

static SimSession *demo(const char *lock, uint32_t cores, const char *machine)
{
    SimConfig c;
    char err[512];
    sim_config_defaults(&c);
    if (machine)
        ck_assert_msg(sim_config_load(&c, machine, err, sizeof err), "%s",
                      err);
    c.cores = cores;
    c.quiet = true;
    demo_argv[0] = (char *)tu_build_file("programs/threads/counter.elf");
    demo_argv[1] = (char *)lock;
    demo_argv[2] = NULL;
    SimSession *s = sim_session_new(&c, demo_argv[0], 2, demo_argv, err,
                                    sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* The demo on cores x threads harts (one node, the default hierarchy). */
static SimSession *demo_shape(const char *lock, uint32_t cores,
                              uint32_t threads)
{
    SimConfig c;
    char err[512];
    sim_config_defaults(&c);
    c.cores = cores;
    c.threads_per_core = threads;
    c.quiet = true;
    demo_argv[0] = (char *)tu_build_file("programs/threads/counter.elf");
    demo_argv[1] = (char *)lock;
    demo_argv[2] = NULL;
    SimSession *s = sim_session_new(&c, demo_argv[0], 2, demo_argv, err,
                                    sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

static SimSnapshot *snap_new(void)
{
    SimSnapshot *s = calloc(1, sizeof *s);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void snap_del(SimSnapshot *s)
{
    sim_snapshot_free(s);
    free(s);
}

typedef struct Png {
    uint8_t *px;
    int w, h;
} Png;

static Png render(const SimSnapshot *snap, const SimSession *s,
                  const char *name)
{
    char path[400], err[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    ck_assert_msg(vis_render_png(snap, s, W, H, path, err, sizeof err), "%s",
                  err);
    Png p;
    p.px = vis_png_read(path, &p.w, &p.h, err, sizeof err);
    ck_assert_msg(p.px != NULL, "%s", err);
    ck_assert_int_eq(p.w, W);
    ck_assert_int_eq(p.h, H);
    return p;
}

static VisRGB pixel(const Png *p, int x, int y)
{
    ck_assert(x >= 0 && x < p->w && y >= 0 && y < p->h);
    const uint8_t *q = p->px + ((size_t)y * (size_t)p->w + (size_t)x) * 3;
    VisRGB c = {q[0], q[1], q[2]};
    return c;
}

static bool same(VisRGB a, VisRGB b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

#define ck_assert_rgb(got, want, what)                                        \
    ck_assert_msg(same(got, want), "%s: pixel %u,%u,%u, expected %u,%u,%u",   \
                  what, got.r, got.g, got.b, want.r, want.g, want.b)

/* Run the TAS demo on 8 cores until some hart holds the lock and others
 * wait, sampling as it goes (so the sparklines have a history). */
static void run_until_held(SimSession *s, SimSnapshot *snap)
{
    for (uint64_t t = 250000; t < 2000000; t += 997) {
        ck_assert(sim_session_run_to(s, t));
        sim_session_snapshot(s, snap);
        if (snap->nlocks > 0 && snap->locks[0].holder >= 0 &&
            snap->locks[0].nwaiters >= 2)
            return;
    }
    ck_abort_msg("no hart held the lock with waiters by cycle 2,000,000");
}

START_TEST(test_holder_in_pixels)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    Png p = render(snap, s, "held.png");
    const SnapLock *lk = &snap->locks[0];
    uint32_t core = snap->harts[lk->holder].core;
    VisRect r;

    /* The holder's core is framed thick in the outline colour. */
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_CORE, core, &r));
    VisRGB cc = vis_hilite;
    ck_assert_rgb(pixel(&p, r.x, r.y + r.h / 2), cc, "holder's core frame");
    ck_assert_rgb(pixel(&p, r.x + r.w - 1, r.y + r.h - 2), cc,
                  "holder's core frame, bottom right");
    /* A core that holds nothing is not. */
    uint32_t other = (core + 1) % snap->cores;
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_CORE, other, &r));
    ck_assert(!same(pixel(&p, r.x, r.y + r.h / 2), cc));

    /* Every hart's cell is its state's colour (at the right end of the
     * cell, clear of the label); the waiters are spinning, in red. */
    for (uint32_t h = 0; h < snap->nharts; h++) {
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_HART, h, &r));
        ck_assert_rgb(pixel(&p, r.x + r.w - 2, r.y + r.h / 2),
                      vis_hart_colour[snap->harts[h].state], "hart cell");
    }
    for (uint32_t i = 0; i < lk->nwaiters; i++)
        ck_assert_int_eq(snap->harts[lk->waiters[i]].state, SNAP_SPINNING);

    /* The holder's L1 has modified lines (its stack, the counter), drawn
     * in M's colour; the lock word's line is modified in exactly one L1
     * (TAS spinners keep taking it with amoswap) and drawn so there. */
    uint32_t lines = snap->l1_sets * snap->l1_ways;
    int mods = 0;
    for (uint32_t i = 0; i < lines; i++) {
        if (snap->l1_state[core * lines + i] != SNAP_LINE_M)
            continue;
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_L1_LINE,
                                  core * lines + i, &r));
        ck_assert_int_ge(r.w, 2);
        ck_assert_rgb(pixel(&p, r.x + r.w / 2, r.y + r.h / 2),
                      vis_line_colour[SNAP_LINE_M],
                      "M line in the holder's L1");
        mods++;
    }
    ck_assert_int_gt(mods, 0);
    uint32_t want = lk->addr & ~(snap->line_size - 1);
    int owners = 0;
    for (uint32_t c = 0; c < snap->cores; c++)
        for (uint32_t i = 0; i < lines; i++) {
            uint32_t k = c * lines + i;
            if (snap->l1_state[k] == SNAP_LINE_I || snap->l1_addr[k] != want)
                continue;
            ck_assert(vis_layout_rect(snap, W, H, VIS_PART_L1_LINE, k, &r));
            ck_assert_rgb(pixel(&p, r.x + r.w / 2, r.y + r.h / 2),
                          vis_line_colour[snap->l1_state[k]], "lock line");
            owners += snap->l1_state[k] == SNAP_LINE_M;
        }
    ck_assert_int_le(owners, 1);

    /* The bus is busy: not drawn in the idle colour. */
    ck_assert_uint_ge(snap->nlinks, 1);
    ck_assert(snap->links[0].util > 0.01f);
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_LINK, 0, &r));
    VisRGB lc = pixel(&p, r.x + 1, r.y + 1);
    ck_assert_msg(!same(lc, vis_link_idle), "busy bus drawn idle");

    /* The lock has a row in the lock panel. */
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_LOCK, 0, &r));
    free(p.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* A mesh (NUMA 2x4): some link carries traffic and is drawn so. */
START_TEST(test_mesh_link_heat)
{
    SimSession *s = demo("ttas", 8, "numa2x4");
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    /* While the lock is contended, a moment when some link is busy (a
     * sample is the traffic since the previous one, 997 cycles). */
    bool busy_now = false;
    for (int k = 0; k < 200 && !busy_now; k++) {
        for (uint32_t i = 0; i < snap->nlinks && !busy_now; i++)
            busy_now = snap->links[i].util > 0.05f;
        if (!busy_now) {
            ck_assert(sim_session_run_to(s, snap->cycle + 997));
            sim_session_snapshot(s, snap);
        }
    }
    ck_assert_msg(busy_now, "no link more than 5%% busy while the lock is "
                  "contended");
    ck_assert_uint_ge(snap->nlinks, 2);
    Png p = render(snap, s, "mesh.png");
    int busy = 0, idle = 0;
    for (uint32_t i = 0; i < snap->nlinks; i++) {
        VisRect r;
        if (!vis_layout_rect(snap, W, H, VIS_PART_LINK, i, &r))
            continue;
        VisRGB c = pixel(&p, r.x + 1, r.y + 1);
        if (snap->links[i].util > 0.05f) {
            ck_assert_msg(!same(c, vis_link_idle), "link %u busy", i);
            busy++;
        } else if (snap->links[i].util == 0.0f && same(c, vis_link_idle)) {
            idle++;
        }
    }
    ck_assert_int_gt(busy, 0);
    ck_assert_uint_eq(snap->nodes, 2);
    free(p.px);
    snap_del(snap);
    sim_session_free(s);
    (void)idle;
}
END_TEST

/* A selected line, the help overlay, a flat-memory machine: they draw. */
START_TEST(test_views_render)
{
    SimSession *s = demo("mcs", 4, NULL);
    SimSnapshot *snap = snap_new();
    ck_assert(sim_session_run_to(s, 400000));
    sim_session_snapshot(s, snap);
    VisView v;
    vis_view_default(&v);
    v.line_valid = true;
    v.line_addr = snap->locks[0].addr & ~(snap->line_size - 1);
    char path[400], err[512];
    snprintf(path, sizeof path, "%s/line.png", tmpdir);
    ck_assert_msg(vis_render_png_view(snap, s, &v, 1920, 1080, path, err,
                                      sizeof err), "%s", err);
    vis_view_default(&v);
    v.help = true;
    snprintf(path, sizeof path, "%s/help.png", tmpdir);
    ck_assert_msg(vis_render_png_view(snap, s, &v, 800, 450, path, err,
                                      sizeof err), "%s", err);
    ck_assert(access(path, R_OK) == 0);
    /* Without a session: no symbols, still a picture. */
    snprintf(path, sizeof path, "%s/nosession.png", tmpdir);
    ck_assert_msg(vis_render_png(snap, NULL, 640, 360, path, err, sizeof err),
                  "%s", err);
    /* Too small is refused with a reason. */
    ck_assert(!vis_render_png(snap, NULL, 10, 10, path, err, sizeof err));
    ck_assert(strstr(err, "10x10") != NULL);
    snap_del(snap);
    sim_session_free(s);

    s = demo("tas", 2, "smt4x2");
    snap = snap_new();
    ck_assert(sim_session_run_to(s, 100000));
    sim_session_snapshot(s, snap);
    ck_assert(!snap->hierarchy);
    snprintf(path, sizeof path, "%s/flat.png", tmpdir);
    ck_assert_msg(vis_render_png(snap, s, W, H, path, err, sizeof err), "%s",
                  err);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* ---- The statistics table ---------------------------------------------- */

static bool overlap(VisRect a, VisRect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
           b.y < a.y + a.h;
}

static bool in_rect(VisRect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

/* The index of the figure called name in snap->stats, -1 if none. */
static int stat_index(const SimSnapshot *snap, const char *name)
{
    for (uint32_t i = 0; i < snap->nstats; i++)
        if (strcmp(snap->stats[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* A figure that is 0 (so no step can have moved it), -1 if none. */
static int zero_stat(const SimSnapshot *snap)
{
    for (uint32_t i = 0; i < snap->nstats; i++)
        if (snap->stats[i].value == 0)
            return (int)i;
    return -1;
}

static bool inside(VisRect in, VisRect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static const struct {
    uint32_t cores, threads;
    int w, h;
} stat_shapes[] = {
    {8, 1, 1280, 720}, {8, 1, 1920, 1080}, {16, 4, 1280, 720},
    {16, 4, 1920, 1080},
};

/* A real run's snapshot drawn with the statistics table and without, at
 * the sizes a lecture uses, with 8 and with 64 harts: the table covers
 * the machine and the right column but not the bars; every figure of the
 * snapshot has a row inside it, none overlapping, each with ink in it;
 * the table changes its rectangle and not one pixel outside it. */
START_TEST(test_stats_table)
{
    uint32_t cores = stat_shapes[_i].cores, threads = stat_shapes[_i].threads;
    int w = stat_shapes[_i].w, h = stat_shapes[_i].h;
    SimSession *s = demo_shape("tas", cores, threads);
    SimSnapshot *snap = snap_new();
    ck_assert(vis_run_to_sampled(s, 300000));
    sim_session_snapshot(s, snap);
    ck_assert_uint_eq(snap->nharts, cores * threads);
    /* The registry's figures, by their JSON paths. */
    ck_assert_uint_ge(snap->nstats, 40);
    ck_assert_int_ge(stat_index(snap, "totals.instructions"), 0);
    ck_assert_int_ge(stat_index(snap, "memory.l1d.misses.coherence"), 0);
    ck_assert_int_ge(stat_index(snap, "locks.handoffs"), 0);

    char off_path[400], on_path[400], err[512];
    snprintf(off_path, sizeof off_path, "%s/stats-off.png", tmpdir);
    snprintf(on_path, sizeof on_path, "%s/stats-on.png", tmpdir);
    VisView v;
    vis_view_default(&v);
    ck_assert_msg(vis_render_png_view(snap, s, &v, w, h, off_path, err,
                                      sizeof err), "%s", err);
    v.stats = true;
    ck_assert_msg(vis_render_png_view(snap, s, &v, w, h, on_path, err,
                                      sizeof err), "%s", err);
    if (getenv("PARSIM_VIS_KEEP"))
        system_copy(on_path, getenv("PARSIM_VIS_KEEP"));
    Png off, on;
    off.px = vis_png_read(off_path, &off.w, &off.h, err, sizeof err);
    ck_assert_msg(off.px != NULL, "%s", err);
    on.px = vis_png_read(on_path, &on.w, &on.h, err, sizeof err);
    ck_assert_msg(on.px != NULL, "%s", err);

    /* Over the machine (every hart) and the locks, under the top bar and
     * above the counters. */
    VisRect t, r;
    ck_assert(vis_layout_rect(snap, w, h, VIS_PART_STATS, 0, &t));
    ck_assert_int_gt(t.w, w / 2);
    ck_assert_int_gt(t.h, h / 2);
    ck_assert(t.x >= 0 && t.x + t.w <= w);
    ck_assert(t.y > 0 && t.y + t.h < h);
    for (uint32_t i = 0; i < snap->nharts; i++) {
        ck_assert(vis_layout_rect(snap, w, h, VIS_PART_HART, i, &r));
        ck_assert_msg(inside(r, t), "hart %u not under the table", i);
    }
    ck_assert(vis_layout_rect(snap, w, h, VIS_PART_LOCK, 0, &r));
    ck_assert(inside(r, t));

    /* Every figure has a row, inside the table, overlapping no other,
     * with something drawn in it (its name, value and unit). */
    VisRect rows[SNAP_MAX_STATS];
    for (uint32_t i = 0; i < snap->nstats; i++) {
        ck_assert_msg(vis_layout_rect(snap, w, h, VIS_PART_STAT, i, &rows[i]),
                      "%s: no room for it at %dx%d", snap->stats[i].name, w,
                      h);
        ck_assert_msg(inside(rows[i], t), "%s: outside the table",
                      snap->stats[i].name);
        for (uint32_t j = 0; j < i; j++)
            ck_assert_msg(!overlap(rows[i], rows[j]), "%s and %s overlap",
                          snap->stats[i].name, snap->stats[j].name);
        VisRGB bg = pixel(&on, rows[i].x + rows[i].w - 1, rows[i].y);
        int ink = 0;
        for (int y = rows[i].y; y < rows[i].y + rows[i].h; y++)
            for (int x = rows[i].x; x < rows[i].x + rows[i].w; x++)
                ink += !same(pixel(&on, x, y), bg);
        ck_assert_msg(ink > rows[i].h * 4, "%s: its row is empty",
                      snap->stats[i].name);
        /* Nothing reaches the row's right end: no text was cut off. */
        for (int y = rows[i].y; y < rows[i].y + rows[i].h; y++)
            for (int x = rows[i].x + rows[i].w - 3; x < rows[i].x + rows[i].w;
                 x++)
                ck_assert_msg(same(pixel(&on, x, y), bg),
                              "%s: its text runs off its row at %dx%d",
                              snap->stats[i].name, w, h);
    }
    ck_assert(!vis_layout_rect(snap, w, h, VIS_PART_STAT, snap->nstats, &r));

    /* The table changes its rectangle, and nothing else. */
    long inner = 0, outer = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            bool diff = !same(pixel(&on, x, y), pixel(&off, x, y));
            if (in_rect(t, x, y))
                inner += diff;
            else
                outer += diff;
        }
    ck_assert_msg(inner > (long)t.w * t.h / 10,
                  "the table changed only %ld pixels of its %d", inner,
                  t.w * t.h);
    ck_assert_msg(outer == 0, "%ld pixels outside the table changed", outer);
    free(on.px);
    free(off.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* Layouts from 1 to 64 harts at several sizes: every hart cell and core
 * box is inside the machine area, non-empty, and none overlap. */
static const struct {
    uint32_t cores, threads, nodes;
    int w, h;
} shapes[] = {
    {1, 1, 1, 1280, 720},   {8, 1, 1, 1280, 720},  {4, 2, 1, 1280, 720},
    {8, 1, 2, 1280, 720},   {16, 1, 4, 1280, 720}, {64, 1, 1, 1280, 720},
    {16, 4, 4, 1280, 720},  {32, 2, 8, 1920, 1080}, {64, 1, 8, 3840, 2160},
    {64, 1, 64, 1280, 720}, {8, 8, 1, 800, 600},   {2, 1, 1, 640, 360},
};

START_TEST(test_layout_shapes)
{
    SimSnapshot *s = snap_new();
    s->cores = shapes[_i].cores;
    s->threads_per_core = shapes[_i].threads;
    s->nodes = shapes[_i].nodes;
    s->nharts = s->cores * s->threads_per_core;
    s->hierarchy = true;
    s->l1_sets = 64;
    s->l1_ways = 8;
    s->line_size = 64;
    s->routers = s->cores;
    s->topology = 3; /* mesh */
    int w = shapes[_i].w, h = shapes[_i].h;
    VisRect hr[SNAP_MAX_HARTS], cr[SNAP_MAX_CORES];
    for (uint32_t i = 0; i < s->nharts; i++) {
        ck_assert(vis_layout_rect(s, w, h, VIS_PART_HART, i, &hr[i]));
        ck_assert_int_gt(hr[i].w, 0);
        ck_assert_int_gt(hr[i].h, 0);
        ck_assert(hr[i].x >= 0 && hr[i].x + hr[i].w <= w * 58 / 100);
        ck_assert(hr[i].y > 0 && hr[i].y + hr[i].h < h);
        for (uint32_t j = 0; j < i; j++)
            ck_assert_msg(!overlap(hr[i], hr[j]), "harts %u and %u overlap",
                          i, j);
    }
    for (uint32_t c = 0; c < s->cores; c++) {
        ck_assert(vis_layout_rect(s, w, h, VIS_PART_CORE, c, &cr[c]));
        for (uint32_t j = 0; j < c; j++)
            ck_assert(!overlap(cr[c], cr[j]));
        /* Its harts and its L1 grid sit inside it. */
        VisRect g, last;
        ck_assert(vis_layout_rect(s, w, h, VIS_PART_L1, c, &g));
        ck_assert(g.x >= cr[c].x && g.x + g.w <= cr[c].x + cr[c].w);
        ck_assert(g.y >= cr[c].y && g.y + g.h <= cr[c].y + cr[c].h);
        ck_assert(vis_layout_rect(s, w, h, VIS_PART_L1_LINE,
                                  c * 512 + 511, &last));
        ck_assert(last.x + last.w <= g.x + g.w &&
                  last.y + last.h <= g.y + g.h);
    }
    ck_assert(!vis_layout_rect(s, w, h, VIS_PART_HART, s->nharts, &hr[0]));
    snap_del(s);
}
END_TEST

/* Wait for a published snapshot at cycle `want` (or past it). */
static void wait_cycle(SimSession *s, SimSnapshot *snap, uint64_t want)
{
    for (int i = 0; i < 20000; i++) {
        sim_session_snapshot(s, snap);
        if (snap->seq && snap->cycle >= want && snap->paused)
            return;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    ck_abort_msg("no snapshot at cycle %llu", (unsigned long long)want);
}

static const uint64_t steps[] = {1, 2, 7, 100, 1000, 12345};

START_TEST(test_step_exact)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    ck_assert(sim_session_run_to(s, 300000));
    ck_assert(sim_session_start(s, true));
    wait_cycle(s, snap, 300000);
    uint64_t c0 = snap->cycle, n = steps[_i];
    ck_assert_uint_eq(c0, 300000);
    sim_session_command(s, SIM_CMD_STEP, n);
    wait_cycle(s, snap, c0 + n);
    ck_assert_uint_eq(snap->cycle, c0 + n);
    /* n single steps: n cycles more, exactly (at most 100 of them). */
    uint64_t k = n < 100 ? n : 100, c1 = snap->cycle;
    for (uint64_t i = 0; i < k; i++) {
        sim_session_command(s, SIM_CMD_STEP, 1);
        wait_cycle(s, snap, c1 + i + 1);
        ck_assert_uint_eq(snap->cycle, c1 + i + 1);
    }
    /* Paused: it stays there. */
    struct timespec ts = {0, 50000000};
    nanosleep(&ts, NULL);
    sim_session_snapshot(s, snap);
    ck_assert_uint_eq(snap->cycle, c1 + k);
    ck_assert(snap->paused);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* "Next event" of a spinning hart stops on its next lock or cache event,
 * of a lock on its next acquire or release. */
START_TEST(test_step_event)
{
    SimSession *s = demo("tas", 4, NULL);
    SimSnapshot *snap = snap_new();
    ck_assert(sim_session_run_to(s, 300000));
    ck_assert(sim_session_start(s, true));
    wait_cycle(s, snap, 300000);
    uint64_t acq = snap->locks[0].acquisitions;
    uint64_t seq = snap->seq;
    sim_session_command(s, SIM_CMD_STEP_LOCK_EVENT, 0);
    for (int i = 0; i < 5000 && snap->seq == seq; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        sim_session_snapshot(s, snap);
    }
    ck_assert_uint_gt(snap->seq, seq);
    ck_assert_uint_gt(snap->cycle, 300000);
    ck_assert(snap->locks[0].acquisitions == acq ||
              snap->locks[0].acquisitions == acq + 1);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* The real window loop on SDL's offscreen video driver (no display),
 * paused, pressing keys, then a screenshot to tmpdir/name and close. */
/* The window on SDL's offscreen driver, opened paused, pressing keys and
 * closing after them. */
static void offscreen_window(VisOptions *o, const char *keys)
{
    /* Offscreen, drawn in software: the offscreen driver's EGL path loads
     * Mesa, whose allocations LeakSanitizer reports as leaks. */
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_RENDER_DRIVER", "software", 1);
    setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    vis_options_default(o);
    o->width = W;
    o->height = H;
    o->start_paused = true;
    o->keys = keys;
    o->exit_after_keys = true;
}

static Png run_window(SimSession *s, const char *keys, const char *name)
{
    VisOptions o;
    offscreen_window(&o, keys);
    char path[400], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    o.screenshot = path;
    ck_assert_msg(vis_run_window(s, &o, err, sizeof err) == 0, "%s", err);
    if (getenv("PARSIM_VIS_KEEP"))
        system_copy(path, getenv("PARSIM_VIS_KEEP"));
    Png p;
    p.px = vis_png_read(path, &p.w, &p.h, err, sizeof err);
    ck_assert_msg(p.px != NULL, "%s", err);
    ck_assert_int_eq(p.w, W);
    ck_assert_int_eq(p.h, H);
    return p;
}

/* Open the window on the contention demo, press s four times: the
 * machine is exactly four cycles further and the screenshot shows that
 * snapshot: hart states, the holder's frame, a busy bus. */
START_TEST(test_window_steps)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    uint64_t c0 = snap->cycle;
    Png p = run_window(s, "ssss", "window.png");
    sim_session_snapshot(s, snap);
    ck_assert_uint_eq(snap->cycle, c0 + 4);
    ck_assert(snap->paused);

    VisRect r;
    for (uint32_t h = 0; h < snap->nharts; h++) {
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_HART, h, &r));
        ck_assert_rgb(pixel(&p, r.x + r.w - 2, r.y + r.h / 2),
                      vis_hart_colour[snap->harts[h].state], "hart cell");
    }
    int holder = snap->locks[0].holder;
    if (holder >= 0) {
        uint32_t core = snap->harts[holder].core;
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_CORE, core, &r));
        ck_assert_rgb(pixel(&p, r.x, r.y + r.h / 2), vis_hilite,
                      "holder's core frame");
    }
    /* The bus as busy as this snapshot says (over 4 cycles it may be
     * idle). */
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_LINK, 0, &r));
    ck_assert(same(pixel(&p, r.x + 1, r.y + 1), vis_link_idle) ==
              !(snap->links[0].util > 0.002f));
    free(p.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* The top bar's run state, as the last frame drew it. */
static void top_state(const VisTextSeen *seen, void *ctx)
{
    char *st = ctx;
    if (seen->panel && !strcmp(seen->panel, "top") &&
        (!strcmp(seen->text, "RUNNING") || !strcmp(seen->text, "PAUSED")))
        snprintf(st, 16, "%s", seen->text);
}

/* Space runs, space pauses, space runs again, through the real window
 * loop: the top bar says so each time (it decides from the snapshot, so a
 * pause the session did not publish would leave it RUNNING). */
START_TEST(test_window_pause_run)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    uint64_t c0 = snap->cycle;
    static const struct { const char *keys, *top; } step[] = {
        {" ", "RUNNING"}, {"  ", "PAUSED"}, {"   ", "RUNNING"},
        {"    ", "PAUSED"}};
    for (size_t k = 0; k < sizeof step / sizeof step[0]; k++) {
        char st[16] = "";
        vis_text_probe(top_state, st);
        VisOptions o;
        offscreen_window(&o, step[k].keys);
        o.speed = 2000;
        char err[512] = "";
        ck_assert_msg(vis_run_window(s, &o, err, sizeof err) == 0, "%s", err);
        vis_text_probe(NULL, NULL);
        ck_assert_msg(!strcmp(st, step[k].top), "keys \"%s\": top bar %s",
                      step[k].keys, st);
        ck_assert_int_eq(sim_session_free_thread(s), 0);
        /* Every script ran the machine for a while. */
        sim_session_snapshot(s, snap);
        ck_assert_uint_gt(snap->cycle, c0);
        c0 = snap->cycle;
    }
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* Step back through the real window loop: with the event log and the
 * statistics open, 1,000 cycles and three steps forward, or five forward
 * and two back,
 * end at the same cycle, and the two windows are the same, pixel for
 * pixel. */
START_TEST(test_window_back)
{
    SimSession *a = demo("tas", 8, NULL), *b = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(a, snap);
    uint64_t c0 = snap->cycle;
    run_until_held(b, snap);
    ck_assert_uint_eq(snap->cycle, c0);
    Png pa = run_window(a, "etSsss", "forward.png");
    Png pb = run_window(b, "etSsssssbb", "back.png");
    sim_session_snapshot(b, snap);
    ck_assert_uint_eq(snap->cycle, c0 + 1003);
    ck_assert_uint_eq(sim_session_replays(b), 2);
    ck_assert_uint_gt(snap->nlog, 0);
    size_t differ = 0;
    int fx = -1, fy = -1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (memcmp(&pa.px[((size_t)y * W + x) * 3],
                       &pb.px[((size_t)y * W + x) * 3], 3)) {
                if (!differ++) {
                    fx = x;
                    fy = y;
                }
            }
    ck_assert_msg(differ == 0, "%zu pixels differ, the first at %d,%d",
                  differ, fx, fy);
    free(pa.px);
    free(pb.px);
    snap_del(snap);
    sim_session_free(a);
    sim_session_free(b);
}
END_TEST

/* `l` with nothing selected follows the line of the most contended lock:
 * it selects that line (framed in white in every L1 that holds it) and
 * stops at its next miss or message, a few cycles on while seven harts
 * swap on it. */
START_TEST(test_window_line_event)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    uint64_t c0 = snap->cycle;
    uint32_t line = snap->locks[0].addr & ~(snap->line_size - 1);
    Png p = run_window(s, "ll", "line.png");
    sim_session_snapshot(s, snap);
    ck_assert(snap->paused);
    ck_assert_uint_gt(snap->cycle, c0 + 1);
    ck_assert_uint_lt(snap->cycle, c0 + 10000);
    uint32_t lines = snap->l1_sets * snap->l1_ways;
    int framed = 0;
    for (uint32_t k = 0; k < snap->cores * lines; k++) {
        if (snap->l1_state[k] == SNAP_LINE_I || snap->l1_addr[k] != line)
            continue;
        VisRect r;
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_L1_LINE, k, &r));
        VisRGB white = {255, 255, 255};
        ck_assert_rgb(pixel(&p, r.x - 1, r.y + r.h / 2), white,
                      "the selected line's frame");
        ck_assert_rgb(pixel(&p, r.x + r.w / 2, r.y + r.h / 2),
                      vis_line_colour[snap->l1_state[k]], "its state");
        framed++;
    }
    ck_assert_int_ge(framed, 1);
    free(p.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* The pixel at the right end of figure i's row (past its unit): the
 * row's background, lit when the last step moved the figure. */
static VisRGB row_back(const Png *p, const SimSnapshot *snap, int i)
{
    VisRect r;
    ck_assert(i >= 0);
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_STAT, (uint32_t)i, &r));
    return pixel(p, r.x + r.w - 2, r.y + 1);
}

/* Every hart's cell shows its state's colour: nothing covers the
 * machine. */
static void assert_harts_shown(const Png *p, const SimSnapshot *snap,
                               const char *what)
{
    for (uint32_t h = 0; h < snap->nharts; h++) {
        VisRect r;
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_HART, h, &r));
        ck_assert_rgb(pixel(p, r.x + r.w - 2, r.y + r.h / 2),
                      vis_hart_colour[snap->harts[h].state], what);
    }
}

/* `e` in the real window loop opens the event log over the right column
 * and leaves the machine in sight: after ten steps the log's column is
 * not what it is with the log closed (`e e`), and the harts' cells are
 * exactly as they are without it. */
START_TEST(test_window_events)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    Png on = run_window(s, "essssssssss", "events-on.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    sim_session_snapshot(s, snap);
    ck_assert(snap->log_on);
    ck_assert_uint_gt(snap->nlog, 0);
    Png off = run_window(s, "ee", "events-off.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    sim_session_snapshot(s, snap);
    ck_assert(!snap->log_on);
    assert_harts_shown(&on, snap, "hart cell beside the event log");
    for (uint32_t h = 0; h < snap->nharts; h++) {
        VisRect r;
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_HART, h, &r));
        for (int y = r.y; y < r.y + r.h; y++)
            for (int x = r.x; x < r.x + r.w; x++)
                ck_assert_msg(same(pixel(&on, x, y), pixel(&off, x, y)),
                              "hart %u's cell changed at (%d, %d)", h, x, y);
    }
    /* The right column: the log there, not the locks and inspector. */
    long diff = 0, all = 0;
    for (int y = H / 8; y < H * 3 / 4; y++)
        for (int x = W * 60 / 100; x < W - 4; x++, all++)
            diff += !same(pixel(&on, x, y), pixel(&off, x, y));
    ck_assert_msg(diff > all / 10, "the log changed %ld of %ld pixels",
                  diff, all);
    free(on.px);
    free(off.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* `L` opens the hottest lines over the right column (and closes the
 * event log there); `L` again closes them. */
START_TEST(test_window_hot)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    ck_assert_uint_gt(snap->nhot, 0);
    Png on = run_window(s, "eL", "hot-on.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    Png off = run_window(s, "LL", "hot-off.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    sim_session_snapshot(s, snap);
    ck_assert(!snap->log_on);           /* L closed the log e opened */
    assert_harts_shown(&on, snap, "hart cell beside the hottest lines");
    long diff = 0, all = 0;
    for (int y = H / 8; y < H * 3 / 4; y++)
        for (int x = W * 60 / 100; x < W - 4; x++, all++)
            diff += !same(pixel(&on, x, y), pixel(&off, x, y));
    ck_assert_msg(diff > all / 20, "the panel changed %ld of %ld pixels",
                  diff, all);
    free(on.px);
    free(off.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* ---- The explain view ---------------------------------------------------- */

/* pingpong.c's line between two cores (MESI on the bus), stepped with
 * "next event" of the line until a copy of it is invalidated. */
static char *pp_argv[3];

static SimSession *pingpong_at_inv(SimSnapshot *snap, uint32_t *line)
{
    SimConfig c;
    char err[512];
    sim_config_defaults(&c);
    c.cores = 2;
    c.quiet = true;
    pp_argv[0] = (char *)tu_build_file("programs/memory/pingpong.elf");
    pp_argv[1] = "1000";
    pp_argv[2] = NULL;
    SimSession *s = sim_session_new(&c, pp_argv[0], 2, pp_argv, err,
                                    sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    for (uint64_t t = 20000; ; t += 5000) {
        ck_assert(t < 400000);
        ck_assert(sim_session_run_to(s, t));
        sim_session_snapshot(s, snap);
        if (snap->nhot && strcmp(snap->hot[0].name, "box+0..63") == 0 &&
            snap->hot[0].invalidations > 10)
            break;
    }
    *line = snap->hot[0].line;
    for (int i = 0; i < 60; i++) {
        ck_assert(sim_session_step_event(s, SIM_CMD_STEP_LINE_EVENT, *line));
        sim_session_snapshot(s, snap);
        if (strstr(snap->stopped_on, "S -> I on Inv"))
            return s;
    }
    ck_abort_msg("no invalidation of box+0..63 in 60 steps");
    return s;
}

/* The strings the explain panel drew. */
typedef struct ExplainSeen {
    char text[256][48];
    int n;
} ExplainSeen;

static void explain_strings(const VisTextSeen *seen, void *ctx)
{
    ExplainSeen *e = ctx;
    if (seen->panel && !strcmp(seen->panel, "explain") && e->n < 256)
        snprintf(e->text[e->n++], sizeof e->text[0], "%s", seen->text);
}

static bool drew(const ExplainSeen *e, const char *text)
{
    for (int i = 0; i < e->n; i++)
        if (!strcmp(e->text[i], text))
            return true;
    return false;
}

static Png render_view(const SimSnapshot *snap, const SimSession *s,
                       const VisView *v, const char *name, ExplainSeen *seen)
{
    char path[400], err[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    if (seen) {
        seen->n = 0;
        vis_text_probe(explain_strings, seen);
    }
    bool ok = vis_render_png_view(snap, s, v, W, H, path, err, sizeof err);
    vis_text_probe(NULL, NULL);
    ck_assert_msg(ok, "%s", err);
    if (getenv("PARSIM_VIS_KEEP"))
        system_copy(path, getenv("PARSIM_VIS_KEEP"));
    Png p;
    p.px = vis_png_read(path, &p.w, &p.h, err, sizeof err);
    ck_assert_msg(p.px != NULL, "%s", err);
    return p;
}

/* The explain view over the right column, paused on an invalidation:
 * the protocol's states (every one of MESI's table, or folded the
 * stable ones alone), the invalidation said in words with its cell's
 * actions, the arrow taken drawn thick in the selection's colour, the
 * machine in sight beside it exactly as without the view; and on flat
 * memory, that there is no protocol. */
START_TEST(test_explain_view)
{
    SimSnapshot *snap = snap_new();
    uint32_t line;
    SimSession *s = pingpong_at_inv(snap, &line);
    ck_assert_str_eq(snap->protocol_name, "MESI");
    VisView v;
    vis_view_default(&v);
    v.line_valid = true;
    v.line_addr = line;
    Png off = render_view(snap, s, &v, "explain-off.png", NULL);
    v.explain = true;
    static ExplainSeen seen;
    Png on = render_view(snap, s, &v, "explain-on.png", &seen);
    ck_assert(drew(&seen, "explain: MESI"));
    static const char *const states[] = {"I", "S", "E", "M", "IS_D",
                                         "IM_AD", "SM_AD", "SM_A"};
    for (size_t i = 0; i < sizeof states / sizeof *states; i++)
        ck_assert_msg(drew(&seen, states[i]), "no state %s", states[i]);
    ck_assert(!drew(&seen, "O"));          /* not MESI's */
    /* On its arrow, and in the sentence above the diagram. */
    ck_assert(drew(&seen, "Inv / ACK"));
    ck_assert(drew(&seen, " Inv / ACK \xe2\x86\x92 "));
    bool said = false;
    for (int i = 0; i < seen.n; i++)
        said |= !strncmp(seen.text[i], "Inv: another core's write", 25);
    ck_assert_msg(said, "the event not explained");
    /* The arrow taken: a thick stroke of the selection's colour, in the
     * right column only; the harts beside it as they were. */
    long lit = 0, diff = 0, all = 0;
    for (int y = H / 8; y < H * 3 / 4; y++)
        for (int x = W * 60 / 100; x < W - 4; x++, all++) {
            lit += same(pixel(&on, x, y), vis_hilite);
            diff += !same(pixel(&on, x, y), pixel(&off, x, y));
        }
    ck_assert_msg(lit > 150, "%ld pixels of the arrow taken", lit);
    ck_assert_msg(diff > all / 10, "the view changed %ld of %ld pixels",
                  diff, all);
    assert_harts_shown(&on, snap, "hart cell beside the explain view");

    /* Folded: the stable states alone, the same change taken. */
    v.explain_fold = true;
    Png fold = render_view(snap, s, &v, "explain-fold.png", &seen);
    ck_assert(drew(&seen, "S") && drew(&seen, "I") && drew(&seen, "M"));
    /* (States no sentence here names: IS_D and SM_AD are in the
     * changes said above the diagram and under it.) */
    ck_assert(!drew(&seen, "IM_AD") && !drew(&seen, "IM_A") &&
              !drew(&seen, "SM_A") && !drew(&seen, "IS_D_I"));
    lit = 0;
    for (int y = H / 8; y < H * 3 / 4; y++)
        for (int x = W * 60 / 100; x < W - 4; x++)
            lit += same(pixel(&fold, x, y), vis_hilite);
    ck_assert_msg(lit > 150, "folded: %ld pixels of the arrow taken", lit);
    free(on.px);
    free(off.px);
    free(fold.px);
    snap_del(snap);
    sim_session_free(s);

    /* Flat memory: no caches, said so. */
    s = demo("tas", 2, "smt4x2");
    snap = snap_new();
    ck_assert(sim_session_run_to(s, 50000));
    sim_session_snapshot(s, snap);
    ck_assert(!snap->hierarchy);
    vis_view_default(&v);
    v.explain = true;
    Png flat = render_view(snap, s, &v, "explain-flat.png", &seen);
    ck_assert(drew(&seen, "flat memory: no caches, no protocol"));
    free(flat.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* `x` in the real window loop opens the explain view over the right
 * column and, with no line selected, selects the hottest: the L1 grids
 * frame its copies; `x` again closes the view. */
START_TEST(test_window_explain)
{
    SimSnapshot *snap = snap_new();
    uint32_t line;
    SimSession *s = pingpong_at_inv(snap, &line);
    Png on = run_window(s, "x", "explain-x.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    Png off = run_window(s, "xx", "explain-xx.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    sim_session_snapshot(s, snap);
    assert_harts_shown(&on, snap, "hart cell beside the explain view");
    long diff = 0, all = 0;
    for (int y = H / 8; y < H * 3 / 4; y++)
        for (int x = W * 60 / 100; x < W - 4; x++, all++)
            diff += !same(pixel(&on, x, y), pixel(&off, x, y));
    ck_assert_msg(diff > all / 10, "the view changed %ld of %ld pixels",
                  diff, all);
    uint32_t lines = snap->l1_sets * snap->l1_ways;
    int framed = 0;
    for (uint32_t k = 0; k < snap->cores * lines; k++) {
        if (snap->l1_state[k] == SNAP_LINE_I || snap->l1_addr[k] != line)
            continue;
        VisRect r;
        ck_assert(vis_layout_rect(snap, W, H, VIS_PART_L1_LINE, k, &r));
        VisRGB white = {255, 255, 255};
        ck_assert_rgb(pixel(&on, r.x - 1, r.y + r.h / 2), white,
                      "the hottest line selected");
        framed++;
    }
    ck_assert_int_ge(framed, 1);
    free(on.px);
    free(off.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* `t` in the real window loop shows the table over the machine; `t`
 * again, or Esc, hides it (Esc without quitting first); `S` then `t`
 * lights the rows that the thousand cycles moved and not the others.
 * One session, one window after another (the thread stopped between). */
START_TEST(test_window_stats)
{
    SimSession *s = demo("tas", 8, NULL);
    SimSnapshot *snap = snap_new();
    run_until_held(s, snap);
    uint64_t c0 = snap->cycle;
    VisRect t;
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_STATS, 0, &t));
    int cycles = stat_index(snap, "totals.cycles");
    int zero = zero_stat(snap);
    ck_assert_int_ge(cycles, 0);

    Png on = run_window(s, "t", "stats-t.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    Png twice = run_window(s, "tt", "stats-tt.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    Png esc = run_window(s, "t\033", "stats-esc.png");
    ck_assert_int_eq(sim_session_free_thread(s), 0);
    sim_session_snapshot(s, snap);
    ck_assert_uint_eq(snap->cycle, c0);   /* none of that ran the machine */

    /* Off after tt and after t Esc: the machine shows. */
    assert_harts_shown(&twice, snap, "hart cell after t t");
    assert_harts_shown(&esc, snap, "hart cell after t Esc");
    /* On after t: its rectangle is not what it is with the table off. */
    long diff = 0;
    for (int y = t.y; y < t.y + t.h; y++)
        for (int x = t.x; x < t.x + t.w; x++)
            diff += !same(pixel(&on, x, y), pixel(&twice, x, y));
    ck_assert_msg(diff > (long)t.w * t.h / 10,
                  "t changed only %ld pixels of the table's %d", diff,
                  t.w * t.h);
    /* The change is the session's: since the snapshot before this one
     * (the last run_to's start), so the clock's row is lit. */
    ck_assert_uint_lt(snap->stats_prev_cycle, c0);
    if (zero >= 0)
        ck_assert(!same(row_back(&on, snap, cycles),
                        row_back(&on, snap, zero)));

    Png step = run_window(s, "St", "stats-step.png");
    sim_session_snapshot(s, snap);
    ck_assert_uint_eq(snap->cycle, c0 + 1000);
    /* 1,000 cycles moved the machine's clock, not a figure that is
     * still 0. */
    zero = zero_stat(snap);
    if (zero >= 0)
        ck_assert_msg(!same(row_back(&step, snap, cycles),
                            row_back(&step, snap, zero)),
                      "totals.cycles not lit after S");
    free(on.px);
    free(twice.px);
    free(esc.px);
    free(step.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* ---- The space-time diagram --------------------------------------------- */

/* The MPI ring on the cluster4 preset, 3 laps, a session to drive. */
static char *ring_argv[3];

static SimSession *ring4(const char *machine)
{
    SimConfig c;
    char err[512];
    sim_config_defaults(&c);
    ck_assert_msg(sim_config_load(&c, machine, err, sizeof err), "%s", err);
    c.quiet = true;
    ring_argv[0] = (char *)tu_build_file("programs/mpi/ring.elf");
    ring_argv[1] = "3";
    ring_argv[2] = NULL;
    ck_assert_ptr_nonnull(tu_built("programs/mpi/ring.elf"));
    SimSession *s = sim_session_new(&c, ring_argv[0], 2, ring_argv, err,
                                    sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* The ring in the middle of its laps: the space-time diagram has a strip
 * per rank in the right column where the locks were (no lock panel: no
 * locks), each strip ending (now) in its rank's state's colour, arrows
 * in it, at both lecture sizes. */
START_TEST(test_ranks_panel)
{
    SimSession *s = ring4("cluster4");
    SimSnapshot *snap = snap_new();
    ck_assert(vis_run_to_sampled(s, 54000));
    sim_session_snapshot(s, snap);
    ck_assert_uint_eq(snap->nranks, 4);
    ck_assert_uint_gt(snap->nmpmsgs, 2);
    static const int sizes[][2] = {{1280, 720}, {1920, 1080}};
    for (int z = 0; z < 2; z++) {
        int w = sizes[z][0], h = sizes[z][1];
        char path[400], err[512];
        snprintf(path, sizeof path, "%s/ranks-%d.png", tmpdir, w);
        ck_assert_msg(vis_render_png(snap, s, w, h, path, err, sizeof err),
                      "%s", err);
        if (getenv("PARSIM_VIS_KEEP"))
            system_copy(path, getenv("PARSIM_VIS_KEEP"));
        Png p;
        p.px = vis_png_read(path, &p.w, &p.h, err, sizeof err);
        ck_assert_msg(p.px != NULL, "%s", err);
        VisRect r, prev = {0, 0, 0, 0}, lock;
        ck_assert(!vis_layout_rect(snap, w, h, VIS_PART_LOCK, 0, &lock));
        long lit = 0, area = 0;
        for (uint32_t k = 0; k < snap->nranks; k++) {
            ck_assert(vis_layout_rect(snap, w, h, VIS_PART_RANK, k, &r));
            /* In the right column, below the previous rank's, wide. */
            ck_assert_int_ge(r.x, w * 58 / 100);
            ck_assert_int_le(r.x + r.w, w);
            ck_assert_int_gt(r.w, w / 4);
            ck_assert_int_ge(r.h, 8);
            if (k > 0)
                ck_assert_int_ge(r.y, prev.y + prev.h);
            prev = r;
            /* Its right end is its state now (along the top edge, clear
             * of the arrows, which meet the rows' middles). */
            VisRGB want = vis_rank_colour[snap->ranks[k].state];
            int match = 0;
            for (int y = r.y; y < r.y + 3; y++)
                match += same(pixel(&p, r.x + r.w - 2, y), want);
            ck_assert_msg(match >= 1, "rank %u: strip end not in its "
                          "state's colour", k);
            /* Somewhere in the window it waited (red): the ring's token
             * goes round while the others wait for it. */
            for (int x = r.x; x < r.x + r.w; x++) {
                lit += same(pixel(&p, x, r.y + 1),
                            vis_rank_colour[SNAP_RANK_WAITING]);
                area++;
            }
        }
        ck_assert_msg(lit > area / 10, "waiting in %ld of %ld pixels", lit,
                      area);
        /* Arrows: the eager messages' white somewhere in the strips. */
        int white = 0;
        ck_assert(vis_layout_rect(snap, w, h, VIS_PART_RANK, 0, &r));
        VisRect last;
        ck_assert(vis_layout_rect(snap, w, h, VIS_PART_RANK, 3, &last));
        for (int y = r.y; y < last.y + last.h; y++)
            for (int x = r.x; x < r.x + r.w; x++) {
                VisRGB c = pixel(&p, x, y);
                white += c.r > 220 && c.g > 220 && c.b > 220;
            }
        ck_assert_msg(white > 20, "no message arrow drawn (%d)", white);
        ck_assert(!vis_layout_rect(snap, w, h, VIS_PART_RANK, 4, &r));
        free(p.px);
    }
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* The diagram's rows for 1 to 64 ranks, with and without locks, at the
 * lecture sizes: inside the right column, in order, none overlapping,
 * clear of the lock panel; and none without ranks. */
START_TEST(test_ranks_layout)
{
    static const uint32_t counts[] = {1, 2, 4, 16, 64};
    static const int sizes[][2] = {{1280, 720}, {1920, 1080}, {800, 600}};
    SimSnapshot *s = snap_new();
    s->hierarchy = true;
    s->l1_sets = 64;
    s->l1_ways = 8;
    s->line_size = 64;
    s->topology = 3;
    VisRect r;
    s->cores = s->nharts = s->nodes = s->routers = 4;
    s->threads_per_core = 1;
    ck_assert(!vis_layout_rect(s, 1280, 720, VIS_PART_RANK, 0, &r));
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
        for (size_t z = 0; z < 3; z++)
            for (int locks = 0; locks < 2; locks++) {
                int w = sizes[z][0], h = sizes[z][1];
                s->cores = s->nharts = s->nodes = s->routers = counts[c];
                s->nranks = counts[c];
                s->harts_per_rank = 1;
                s->nlocks = (uint32_t)locks;
                VisRect prev = {0, 0, 0, 0}, lock;
                bool has_lock = vis_layout_rect(s, w, h, VIS_PART_LOCK, 0,
                                                &lock);
                ck_assert(has_lock == (locks == 1));
                for (uint32_t k = 0; k < counts[c]; k++) {
                    ck_assert_msg(vis_layout_rect(s, w, h, VIS_PART_RANK, k,
                                                  &r),
                                  "%u ranks at %dx%d: no row for %u",
                                  counts[c], w, h, k);
                    ck_assert_int_gt(r.h, 0);
                    ck_assert_int_gt(r.w, 0);
                    ck_assert(r.x >= w * 58 / 100 && r.x + r.w <= w);
                    ck_assert(r.y > 0 && r.y + r.h < h);
                    if (k > 0)
                        ck_assert_int_ge(r.y, prev.y + prev.h);
                    if (has_lock)
                        ck_assert(!overlap(r, lock));
                    prev = r;
                }
                ck_assert(!vis_layout_rect(s, w, h, VIS_PART_RANK, counts[c],
                                           &r));
            }
    snap_del(s);
}
END_TEST

/* parsim run --snapshot of a ranks run (cluster16, the 2D Jacobi) and
 * the window's own loop on the ring: both draw, the picture has the
 * diagram. */
START_TEST(test_ranks_snapshot_cli)
{
    char shot[512], path[400], err[512];
    snprintf(path, sizeof path, "%s/c16.png", tmpdir);
    snprintf(shot, sizeof shot, "400000:%s", path);
    TuResult r;
    char *const args[] = {"run", "-q", "--machine", "cluster16",
                          "--snapshot", shot,
                          (char *)tu_built("programs/mpi/jacobi2d.elf"),
                          NULL};
    ck_assert_int_eq(tu_parsim(args, NULL, 120, &r), 0);
    ck_assert_msg(r.status == 0, "parsim exited %d: %s", r.status, r.err);
    tu_free(&r);
    Png p;
    p.px = vis_png_read(path, &p.w, &p.h, err, sizeof err);
    ck_assert_msg(p.px != NULL, "%s", err);
    ck_assert_int_eq(p.w, W);
    ck_assert_int_eq(p.h, H);
    free(p.px);

    SimSession *s = ring4("cluster4");
    SimSnapshot *snap = snap_new();
    ck_assert(sim_session_run_to(s, 50000));
    Png q = run_window(s, "n", "ranks-window.png");
    sim_session_snapshot(s, snap);
    ck_assert_uint_gt(snap->cycle, 50000);
    VisRect k;
    ck_assert(vis_layout_rect(snap, W, H, VIS_PART_RANK, 0, &k));
    ck_assert_rgb(pixel(&q, k.x + k.w - 2, k.y + 1),
                  vis_rank_colour[snap->ranks[0].state], "rank 0 now");
    free(q.px);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* ---- The GPU panel ------------------------------------------------------ */

/* The parts of the other panels that the GPU panel could take room from
 * or draw over: each core's box and L1 grid, hart 0, the first lock's
 * row (the right column). */
typedef struct GpuParts {
    VisRect core[4], l1[4], hart, lock;
} GpuParts;

static GpuParts gpu_parts(const SimSnapshot *s, int w, int h)
{
    GpuParts g;
    for (uint32_t c = 0; c < 4; c++) {
        ck_assert(vis_layout_rect(s, w, h, VIS_PART_CORE, c, &g.core[c]));
        ck_assert(vis_layout_rect(s, w, h, VIS_PART_L1, c, &g.l1[c]));
    }
    ck_assert(vis_layout_rect(s, w, h, VIS_PART_HART, 0, &g.hart));
    ck_assert(vis_layout_rect(s, w, h, VIS_PART_LOCK, 0, &g.lock));
    return g;
}

static bool same_rect(VisRect a, VisRect b)
{
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

static const struct {
    uint32_t sms, warps, lanes;
    int w, h;
} gpu_shapes[] = {
    {2, 32, 32, 1280, 720}, {2, 32, 32, 1920, 1080}, {1, 4, 32, 1280, 720},
    {8, 48, 32, 1280, 720}, {8, 64, 32, 1920, 1080}, {4, 16, 16, 800, 600},
    {1, 64, 8, 640, 360},
};

/* No room without a GPU, nor with one that has not been given a kernel
 * (every machine has one by default): every part where it was.  With a
 * kernel queued or run, the panel's room comes out of the left column:
 * the machine's parts stay in it, no lower than they were, none
 * overlapping, and the right column's are where they were. */
START_TEST(test_gpu_layout)
{
    SimSnapshot *s = snap_new();
    s->cores = s->nharts = 4;
    s->threads_per_core = s->nodes = 1;
    s->hierarchy = true;
    s->l1_sets = 64;
    s->l1_ways = 8;
    s->line_size = 64;
    s->routers = 5;
    s->topology = 0; /* bus */
    s->nlocks = 1;
    int w = gpu_shapes[_i].w, h = gpu_shapes[_i].h;
    GpuParts none = gpu_parts(s, w, h);
    s->nsms = gpu_shapes[_i].sms;
    s->max_warps = gpu_shapes[_i].warps;
    s->warp_size = gpu_shapes[_i].lanes;
    s->smem_banks = 32;
    GpuParts idle = gpu_parts(s, w, h);
    for (uint32_t c = 0; c < 4; c++)
        ck_assert_msg(same_rect(idle.core[c], none.core[c]),
                      "core %u moved for a GPU that has had no kernel", c);
    ck_assert(same_rect(idle.hart, none.hart));
    ck_assert(same_rect(idle.lock, none.lock));
    /* A kernel queued (the SMs' clocks still 0), then one that has run. */
    for (int run = 0; run < 2; run++) {
        snprintf(s->kernel, sizeof s->kernel, "%s", run ? "" : "k");
        s->sms[0].clock = run ? 12345 : 0;
        GpuParts g = gpu_parts(s, w, h);
        for (uint32_t c = 0; c < 4; c++) {
            VisRect r = g.core[c];
            ck_assert_int_gt(r.w, 0);
            ck_assert_int_gt(r.h, 0);
            ck_assert(r.x >= 0 && r.x + r.w <= w * 58 / 100);
            ck_assert(r.y > 0);
            ck_assert_int_le(r.y + r.h, none.core[c].y + none.core[c].h);
            ck_assert(g.l1[c].y >= r.y &&
                      g.l1[c].y + g.l1[c].h <= r.y + r.h);
            for (uint32_t d = 0; d < c; d++)
                ck_assert(!overlap(r, g.core[d]));
        }
        ck_assert_msg(g.core[0].y + g.core[0].h <
                          none.core[0].y + none.core[0].h,
                      "%u SMs at %dx%d: the machine did not make room",
                      s->nsms, w, h);
        ck_assert(same_rect(g.lock, none.lock));
    }
    snap_del(s);
}
END_TEST

/* A smaller GPU takes less of the column: one SM of 4 warps leaves the
 * machine more room than two of 32. */
START_TEST(test_gpu_height)
{
    SimSnapshot *s = snap_new();
    s->cores = s->nharts = 1;
    s->threads_per_core = s->nodes = 1;
    s->routers = 2;
    s->nsms = 1;
    s->max_warps = 4;
    s->warp_size = 32;
    s->smem_banks = 32;
    snprintf(s->kernel, sizeof s->kernel, "k");
    VisRect small, big;
    ck_assert(vis_layout_rect(s, W, H, VIS_PART_CORE, 0, &small));
    s->nsms = 2;
    s->max_warps = 32;
    ck_assert(vis_layout_rect(s, W, H, VIS_PART_CORE, 0, &big));
    ck_assert_int_gt(small.h, big.h);
    snap_del(s);
}
END_TEST

/* The branch split by lane (divergence.elf) in the middle of its kernel,
 * some warp's lanes split: at both lecture sizes the panel draws in the
 * left column and nowhere else (the right column and the bars are as
 * they are without a GPU). */
START_TEST(test_gpu_panel)
{
    SimConfig c;
    char err[512];
    sim_config_defaults(&c);
    c.quiet = true;
    static char *argv[2];
    argv[0] = (char *)tu_built("programs/gpu/divergence.elf");
    argv[1] = NULL;
    SimSession *s = sim_session_new(&c, argv[0], 1, argv, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    SimSnapshot *snap = snap_new();
    bool split = false;
    for (uint64_t t = 100000; !split && t < 50000000; t += 5000) {
        ck_assert_msg(sim_session_run_to(s, t),
                      "the run ended before a warp split");
        sim_session_snapshot(s, snap);
        if (strcmp(snap->kernel, "by_lane") != 0)
            continue;
        for (uint32_t k = 0; k < SNAP_MAX_WARPS && !split; k++) {
            const SnapWarp *wp = &snap->sms[0].warps[k];
            split = wp->live && wp->mask && wp->mask != wp->active;
        }
    }
    ck_assert_uint_gt(snap->nsms, 0);
    SimSnapshot *flat = snap_new();
    memcpy(flat, snap, sizeof *flat);
    flat->nsms = 0;                /* shares snap's L1 arrays: not freed */
    static const int sizes[][2] = {{1280, 720}, {1920, 1080}};
    for (int z = 0; z < 2; z++) {
        int w = sizes[z][0], h = sizes[z][1];
        char path[2][400];
        Png p[2];
        for (int k = 0; k < 2; k++) {
            snprintf(path[k], sizeof path[k], "%s/gpu-%d-%d.png", tmpdir, w,
                     k);
            ck_assert_msg(vis_render_png(k ? flat : snap, s, w, h, path[k],
                                         err, sizeof err),
                          "%s", err);
            p[k].px = vis_png_read(path[k], &p[k].w, &p[k].h, err,
                                   sizeof err);
            ck_assert_msg(p[k].px != NULL, "%s", err);
        }
        if (getenv("PARSIM_VIS_KEEP"))
            system_copy(path[0], getenv("PARSIM_VIS_KEEP"));
        long left = 0, elsewhere = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                bool diff = !same(pixel(&p[0], x, y), pixel(&p[1], x, y));
                if (x < w * 58 / 100 && y >= h / 20 && y < h - h / 8)
                    left += diff;
                else
                    elsewhere += diff;
            }
        ck_assert_msg(left > (long)w * h / 20,
                      "%dx%d: the GPU panel changed only %ld pixels", w, h,
                      left);
        ck_assert_msg(elsewhere == 0,
                      "%dx%d: %ld pixels outside the left column changed",
                      w, h, elsewhere);
        free(p[0].px);
        free(p[1].px);
    }
    free(flat);
    snap_del(snap);
    sim_session_free(s);
}
END_TEST

/* ---- The key table ------------------------------------------------------ */

#define KEYS_BEGIN                                                            \
    "<!-- keys: generated from the key table by build/parsim keys; do not "   \
    "edit by hand -->"
#define KEYS_END "<!-- end of keys -->"

/* Split text into lines in place (no '\n', no trailing '\r'). */
static int split_lines(char *text, char **line, int max)
{
    int n = 0;
    for (char *p = text; *p && n < max;) {
        char *e = strchr(p, '\n');
        line[n++] = p;
        if (e)
            *e = 0;
        size_t len = strlen(p);
        if (len && p[len - 1] == '\r')
            p[len - 1] = 0;
        if (!e)
            break;
        p = e + 1;
    }
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0, got;
    char *t = malloc(cap);
    while (t && (got = fread(t + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nt = realloc(t, cap * 2);
            if (!nt) {
                free(t);
                t = NULL;
                break;
            }
            t = nt;
            cap *= 2;
        }
    }
    fclose(f);
    if (t)
        t[len] = 0;
    return t;
}

/* Does the Markdown file at path hold, between its marker lines, exactly
 * what vis_keys_markdown writes?  If not, msg names the first line that
 * differs. */
static bool keys_doc_current(const char *path, char *msg, size_t n)
{
    enum { MAXL = 4096 };
    static char *doc[MAXL], *gen[MAXL];
    char *text = slurp(path), *table = NULL;
    size_t tlen = 0;
    if (!text) {
        snprintf(msg, n, "%s: cannot read it", path);
        return false;
    }
    FILE *m = open_memstream(&table, &tlen);
    ck_assert_ptr_nonnull(m);
    vis_keys_markdown(m);
    fclose(m);
    int nd = split_lines(text, doc, MAXL), ng = split_lines(table, gen, MAXL);
    if (ng > 0 && gen[ng - 1][0] == 0)
        ng--;                         /* after the last newline */
    int b = 0, e;
    while (b < nd && strcmp(doc[b], KEYS_BEGIN) != 0)
        b++;
    for (e = b + 1; e < nd && strcmp(doc[e], KEYS_END) != 0; e++)
        continue;
    bool ok = false;
    if (b >= nd) {
        snprintf(msg, n, "%s: no line \"%s\"", path, KEYS_BEGIN);
    } else if (e >= nd) {
        snprintf(msg, n, "%s: no line \"%s\" after line %d", path, KEYS_END,
                 b + 1);
    } else {
        int i = 0;
        while (b + 1 + i < e && i < ng && strcmp(doc[b + 1 + i], gen[i]) == 0)
            i++;
        int ln = b + 2 + i;           /* the line number of the difference */
        if (b + 1 + i == e && i == ng)
            ok = true;
        else if (b + 1 + i == e)
            snprintf(msg, n, "%s:%d: the section ends, but the key table goes "
                     "on with \"%s\"", path, ln, gen[i]);
        else if (i == ng)
            snprintf(msg, n, "%s:%d: \"%s\", but the key table has ended",
                     path, ln, doc[b + 1 + i]);
        else
            snprintf(msg, n, "%s:%d: \"%s\", but the key table says \"%s\"",
                     path, ln, doc[b + 1 + i], gen[i]);
    }
    if (!ok) {
        size_t l = strlen(msg);
        snprintf(msg + l, n - l, " (regenerate the section between the "
                 "markers with build/parsim keys)");
    }
    free(text);
    free(table);
    return ok;
}

/* docs/keys.md holds the table the key table makes (the tests run from
 * the repository root). */
START_TEST(test_keys_doc)
{
    char msg[1024];
    ck_assert_msg(keys_doc_current("docs/keys.md", msg, sizeof msg), "%s",
                  msg);
}
END_TEST

/* A stale docs/keys.md fails, naming the first line that differs: a row
 * changed, a row missing, a row too many, no markers. */
START_TEST(test_keys_doc_stale)
{
    char *table = NULL, path[400], msg[1024];
    size_t tlen = 0;
    FILE *m = open_memstream(&table, &tlen);
    ck_assert_ptr_nonnull(m);
    vis_keys_markdown(m);
    fclose(m);
    /* Its lines: a header, the rule, then a row per key; the third line is
     * the first row. */
    char *row1 = strchr(strchr(table, '\n') + 1, '\n') + 1;
    char *row2 = strchr(row1, '\n') + 1;
    static const struct {
        const char *what;
        int line;                     /* the one the message must name */
    } cases[] = {{"changed", 5}, {"missing", 5}, {"extra", 5},
                 {"no markers", 0}};
    for (int c = 0; c < 4; c++) {
        snprintf(path, sizeof path, "%s/keys.md", tmpdir);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "# keys\n");
        if (c != 3)
            fprintf(f, "%s\n", KEYS_BEGIN);
        fwrite(table, 1, (size_t)(row1 - table), f);
        if (c == 0)
            fprintf(f, "| `space` | run, or pause |\n");
        if (c == 2)
            fprintf(f, "| `x` | not a key |\n");
        fputs(c == 1 ? row2 : row1, f);
        fprintf(f, "%s\ntext after it\n", KEYS_END);
        fclose(f);
        ck_assert_msg(!keys_doc_current(path, msg, sizeof msg),
                      "%s: not noticed", cases[c].what);
        if (cases[c].line) {
            char want[32];
            snprintf(want, sizeof want, "keys.md:%d: ", cases[c].line);
            ck_assert_msg(strstr(msg, want) != NULL, "%s: %s (want %s)",
                          cases[c].what, msg, want);
        } else {
            ck_assert_msg(strstr(msg, "no line") != NULL, "%s", msg);
        }
    }
    free(table);
}
END_TEST

/* No two rows of the key table are the same key. */
START_TEST(test_keys_distinct)
{
    char err[256] = "";
    ck_assert_msg(vis_keys_check(err, sizeof err), "%s", err);
}
END_TEST

Suite *vis_suite(void)
{
    Suite *s = suite_create("vis");
    TCase *tc = tcase_create("render");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_holder_in_pixels);
    tcase_add_test(tc, test_mesh_link_heat);
    tcase_add_test(tc, test_views_render);
    tcase_add_test(tc, test_explain_view);
    tcase_add_loop_test(tc, test_stats_table, 0,
                        (int)(sizeof stat_shapes / sizeof stat_shapes[0]));
    tcase_add_test(tc, test_ranks_panel);
    tcase_add_test(tc, test_gpu_panel);
    suite_add_tcase(s, tc);

    tc = tcase_create("layout");
    tcase_add_loop_test(tc, test_layout_shapes, 0,
                        (int)(sizeof shapes / sizeof shapes[0]));
    tcase_add_test(tc, test_ranks_layout);
    tcase_add_loop_test(tc, test_gpu_layout, 0,
                        (int)(sizeof gpu_shapes / sizeof gpu_shapes[0]));
    tcase_add_test(tc, test_gpu_height);
    suite_add_tcase(s, tc);

    tc = tcase_create("step");
    tcase_add_checked_fixture(tc, setup, teardown);   /* the screenshots */
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_step_exact, 0,
                        (int)(sizeof steps / sizeof steps[0]));
    tcase_add_test(tc, test_step_event);
    tcase_add_test(tc, test_window_steps);
    tcase_add_test(tc, test_window_back);
    tcase_add_test(tc, test_window_pause_run);
    tcase_add_test(tc, test_window_line_event);
    tcase_add_test(tc, test_window_stats);
    tcase_add_test(tc, test_window_events);
    tcase_add_test(tc, test_window_hot);
    tcase_add_test(tc, test_window_explain);
    tcase_add_test(tc, test_ranks_snapshot_cli);
    suite_add_tcase(s, tc);

    tc = tcase_create("keys");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_keys_doc);
    tcase_add_test(tc, test_keys_doc_stale);
    tcase_add_test(tc, test_keys_distinct);
    suite_add_tcase(s, tc);
    return s;
}
