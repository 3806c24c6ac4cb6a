/* check_layout.c — the window fits the room it has: real snapshots (eight
 * cores contending for a TAS lock, four MPI ranks in a ring, a GPU kernel
 * in the middle of a divergent branch) rendered at the lecture's sizes
 * (1024x600, 1280x720, 1920x1080) with every overlay (the keys, the
 * statistics, the event log, the hottest lines, the explain view's state
 * diagram, whole and folded, zoomed), a selected cache line,
 * a zoomed panel and the light theme, while a probe in the text drawing
 * (vis_text_probe) sees every string: each must lie inside the room it
 * was given (its panel, the clip rectangle set, the width a fitting call
 * had), no two strings of one panel may overlap, and the text is sized
 * for the back of the room (body text 20 px and more at 1080 lines).
 * A failure names the string, its panel and the sizes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/session.h"
#include "tests/testutil.h"
#include "visualizer/vis.h"

/* ---- What the probe saw ------------------------------------------------- */

#define MAX_SEEN 20000

typedef struct Seen {
    char panel[16];
    char text[96];
    int px;
    VisRect at, room;
} Seen;

typedef struct Probe {
    Seen *seen;
    int n;
} Probe;

static void probe(const VisTextSeen *s, void *ctx)
{
    Probe *p = ctx;
    if (p->n >= MAX_SEEN)
        return;
    Seen *e = &p->seen[p->n++];
    snprintf(e->panel, sizeof e->panel, "%s", s->panel);
    snprintf(e->text, sizeof e->text, "%s", s->text);
    e->px = s->px;
    e->at = s->at;
    e->room = s->room;
}

static bool inside(VisRect in, VisRect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

/* Two strings overlap by more than the line gap a font leaves under its
 * descenders (an eighth of its size): their ink would touch. */
static bool overlap(const Seen *a, const Seen *b)
{
    int slack = (a->px < b->px ? a->px : b->px) / 8;
    VisRect p = a->at, q = b->at;
    return p.x < q.x + q.w && q.x < p.x + p.w && p.y + slack < q.y + q.h &&
           q.y + slack < p.y + p.h;
}

/* Append a failure to msg (the first few in full, then a count). */
static void note(char *msg, size_t n, int *fails, const char *fmt,
                 const Seen *e, const Seen *o)
{
    size_t len = strlen(msg);
    if (++*fails > 8 || len + 400 > n)
        return;
    if (o)
        snprintf(msg + len, n - len,
                 "\n  %s: \"%s\" (%d px, %dx%d at %d,%d) overlaps \"%s\" "
                 "(%dx%d at %d,%d)%s",
                 e->panel, e->text, e->px, e->at.w, e->at.h, e->at.x,
                 e->at.y, o->text, o->at.w, o->at.h, o->at.x, o->at.y, fmt);
    else
        snprintf(msg + len, n - len,
                 "\n  %s: \"%s\" (%d px) is %dx%d at %d,%d, its room %dx%d "
                 "at %d,%d%s",
                 e->panel, e->text, e->px, e->at.w, e->at.h, e->at.x,
                 e->at.y, e->room.w, e->room.h, e->room.x, e->room.y, fmt);
}

/* Render snap with view at w x h and check every string drawn; the
 * failures go into msg, their count is returned. */
static int check_view(const SimSnapshot *snap, const SimSession *s,
                      const VisView *view, int w, int h, const char *what,
                      Probe *p, char *msg, size_t n)
{
    char path[300], err[512];
    snprintf(path, sizeof path, "/tmp/parsim-layout-%d.png", (int)getpid());
    p->n = 0;
    vis_text_probe(probe, p);
    bool ok = vis_render_png_view(snap, s, view, w, h, path, err, sizeof err);
    vis_text_probe(NULL, NULL);
    if (getenv("PARSIM_VIS_KEEP")) {
        char cmd[900];
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/%s-%dx%d.png'", path,
                 getenv("PARSIM_VIS_KEEP"), what, w, h);
        if (system(cmd) != 0)
            fprintf(stderr, "check_layout: could not keep %s\n", path);
    }
    unlink(path);
    ck_assert_msg(ok, "%s: %s", what, err);
    ck_assert_msg(p->n > 0 && p->n < MAX_SEEN, "%s: %d strings", what, p->n);
    int fails = 0;
    size_t len = strlen(msg);
    snprintf(msg + len, n - len, "\n%s at %dx%d:", what, w, h);
    for (int i = 0; i < p->n; i++) {
        const Seen *e = &p->seen[i];
        if (!inside(e->at, e->room))
            note(msg, n, &fails, " (clipped)", e, NULL);
        for (int j = i + 1; j < p->n; j++)
            if (!strcmp(e->panel, p->seen[j].panel) &&
                overlap(e, &p->seen[j]))
                note(msg, n, &fails, "", e, &p->seen[j]);
    }
    if (fails > 8) {
        len = strlen(msg);
        snprintf(msg + len, n - len, "\n  ... %d in all", fails);
    }
    if (!fails)
        msg[len] = 0;         /* no header for a view that fits */
    return fails;
}

/* ---- The machines ------------------------------------------------------- */

static char *argv_keep[3];

static SimSession *session(const char *machine, uint32_t cores,
                           const char *elf, const char *arg)
{
    SimConfig c;
    char err[512];
    sim_config_defaults(&c);
    if (machine)
        ck_assert_msg(sim_config_load(&c, machine, err, sizeof err), "%s",
                      err);
    if (cores)
        c.cores = cores;
    c.quiet = true;
    argv_keep[0] = (char *)tu_built(elf);
    argv_keep[1] = (char *)arg;
    argv_keep[2] = NULL;
    SimSession *s = sim_session_new(&c, argv_keep[0], arg ? 2 : 1, argv_keep,
                                    err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* The TAS demo on 8 cores, sampled up to a moment when a hart holds the
 * lock and at least two spin for it, with the event log kept. */
static SimSession *contended(SimSnapshot *snap)
{
    SimSession *s = session(NULL, 8, "programs/threads/counter.elf", "tas");
    ck_assert(vis_run_to_sampled(s, 150000));
    ck_assert(sim_session_event_log(s, true));
    for (uint64_t t = 150000; t < 2000000; t += 997) {
        ck_assert(sim_session_run_to(s, t));
        sim_session_snapshot(s, snap);
        if (snap->nlocks > 0 && snap->locks[0].holder >= 0 &&
            snap->locks[0].nwaiters >= 2 && snap->nlog > 10)
            return s;
    }
    ck_abort_msg("no hart held the lock with waiters by cycle 2,000,000");
    return s;
}

/* The MPI ring on the cluster4 preset in the middle of its laps. */
static SimSession *ranks(SimSnapshot *snap)
{
    SimSession *s = session("cluster4", 0, "programs/mpi/ring.elf", "3");
    ck_assert(sim_session_event_log(s, true));
    ck_assert(vis_run_to_sampled(s, 54000));
    sim_session_snapshot(s, snap);
    ck_assert_uint_eq(snap->nranks, 4);
    return s;
}

/* The divergence demo while a warp's lanes are split. */
static SimSession *gpu(SimSnapshot *snap)
{
    SimSession *s = session(NULL, 0, "programs/gpu/divergence.elf", NULL);
    ck_assert(sim_session_event_log(s, true));
    for (uint64_t t = 100000; t < 50000000; t += 5000) {
        ck_assert_msg(sim_session_run_to(s, t),
                      "the run ended before a warp split");
        sim_session_snapshot(s, snap);
        if (strcmp(snap->kernel, "by_lane") != 0)
            continue;
        for (uint32_t k = 0; k < SNAP_MAX_WARPS; k++) {
            const SnapWarp *wp = &snap->sms[0].warps[k];
            if (wp->live && wp->mask && wp->mask != wp->active)
                return s;
        }
    }
    ck_abort_msg("no warp split");
    return s;
}

static const struct {
    const char *name;
    SimSession *(*make)(SimSnapshot *snap);
} machines[] = {{"tas8", contended}, {"ring4", ranks}, {"gpu", gpu}};
#define NMACHINES ((int)(sizeof machines / sizeof machines[0]))

static const int sizes[][2] = {{1024, 600}, {1280, 720}, {1920, 1080}};
#define NSIZES ((int)(sizeof sizes / sizeof sizes[0]))

/* ---- The test ----------------------------------------------------------- */

enum { V_PLAIN, V_HELP, V_STATS, V_EVENTS, V_HOT, V_LINE, V_ZOOM_INSPECTOR,
       V_ZOOM_MACHINE, V_LIGHT, V_EXPLAIN, V_EXPLAIN_FOLD, V_EXPLAIN_HOT,
       V_ZOOM_EXPLAIN, V_COUNT };
static const char *const view_names[V_COUNT] = {
    "plain", "help", "stats", "events", "hot", "line", "zoom-inspector",
    "zoom-machine", "light", "explain", "explain-fold", "explain-hottest",
    "zoom-explain"};

/* The line a view selects: the lock's, else the hottest. */
static void select_line(const SimSnapshot *snap, VisView *v)
{
    if (snap->nlocks && snap->line_size) {
        v->line_valid = true;
        v->line_addr = snap->locks[0].addr & ~(snap->line_size - 1);
    } else if (snap->nhot) {
        v->line_valid = true;
        v->line_addr = snap->hot[0].line;
    }
}

static void view_of(int k, const SimSnapshot *snap, VisView *v)
{
    vis_view_default(v);
    switch (k) {
    case V_HELP: v->help = true; break;
    case V_STATS: v->stats = true; break;
    case V_EVENTS: v->events = true; break;
    case V_HOT: v->hot = true; break;
    case V_LINE: select_line(snap, v); break;
    case V_ZOOM_INSPECTOR: v->zoom = vis_panel_index("inspector"); break;
    case V_ZOOM_MACHINE: v->zoom = vis_panel_index("machine"); break;
    case V_LIGHT: v->theme = VIS_THEME_LIGHT; break;
    case V_EXPLAIN: v->explain = true; select_line(snap, v); break;
    case V_EXPLAIN_FOLD:
        v->explain = v->explain_fold = true;
        select_line(snap, v);
        break;
    case V_EXPLAIN_HOT: v->explain = true; break;   /* nothing selected */
    case V_ZOOM_EXPLAIN:
        v->explain = true;
        select_line(snap, v);
        v->zoom = vis_panel_index("explain");
        break;
    default: break;
    }
}

/* Every view of machine _i / NSIZES at size _i % NSIZES: no string
 * clipped or on top of another. */
START_TEST(test_nothing_clipped)
{
    int m = _i / NSIZES, w = sizes[_i % NSIZES][0], h = sizes[_i % NSIZES][1];
    SimSnapshot *snap = calloc(1, sizeof *snap);
    ck_assert_ptr_nonnull(snap);
    SimSession *s = machines[m].make(snap);
    Probe p = {calloc(MAX_SEEN, sizeof(Seen)), 0};
    ck_assert_ptr_nonnull(p.seen);
    static char msg[3800];
    msg[0] = 0;
    int fails = 0;
    for (int k = 0; k < V_COUNT; k++) {
        VisView v;
        view_of(k, snap, &v);
        char what[64];
        snprintf(what, sizeof what, "%s-%s", machines[m].name, view_names[k]);
        fails += check_view(snap, s, &v, w, h, what, &p, msg, sizeof msg);
    }
    ck_assert_msg(fails == 0, "%d strings clipped or overlapping:%s", fails,
                  msg);
    free(p.seen);
    sim_snapshot_free(snap);
    free(snap);
    sim_session_free(s);
}
END_TEST

/* Type for the back of a room: at 1920x1080 the body text is 20 px or
 * more and nothing outside the dense panels (the statistics table and
 * the GPU's rows, which shrink to fit everything) is under 16; it scales
 * with the height, to 14-15 px at 720 lines and 11 or more at 600. */
START_TEST(test_type_sizes)
{
    SimSnapshot *snap = calloc(1, sizeof *snap);
    ck_assert_ptr_nonnull(snap);
    SimSession *s = contended(snap);
    Probe p = {calloc(MAX_SEEN, sizeof(Seen)), 0};
    ck_assert_ptr_nonnull(p.seen);
    static const struct {
        int w, h, body_lo, body_hi, least;
    } want[] = {{1920, 1080, 20, 26, 16}, {1280, 720, 14, 16, 11},
                {1024, 600, 11, 13, 10}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        char path[300], err[512];
        snprintf(path, sizeof path, "/tmp/parsim-type-%d.png", (int)getpid());
        p.n = 0;
        vis_text_probe(probe, &p);
        ck_assert_msg(vis_render_png(snap, s, want[k].w, want[k].h, path,
                                     err, sizeof err), "%s", err);
        vis_text_probe(NULL, NULL);
        unlink(path);
        int body = 0;
        for (int i = 0; i < p.n; i++) {
            const Seen *e = &p.seen[i];
            if (!strcmp(e->panel, "inspector") && e->px > body)
                body = e->px;
            if (strcmp(e->panel, "stats") && strcmp(e->panel, "gpu"))
                ck_assert_msg(e->px >= want[k].least,
                              "%dx%d: %s: \"%s\" at %d px", want[k].w,
                              want[k].h, e->panel, e->text, e->px);
        }
        ck_assert_msg(body >= want[k].body_lo && body <= want[k].body_hi,
                      "%dx%d: body text %d px", want[k].w, want[k].h, body);
    }
    free(p.seen);
    sim_snapshot_free(snap);
    free(snap);
    sim_session_free(s);
}
END_TEST

/* Zoomed (z), the inspector fills the window below the top bar, and
 * still fits. */
START_TEST(test_zoom_fills)
{
    SimSnapshot *snap = calloc(1, sizeof *snap);
    ck_assert_ptr_nonnull(snap);
    SimSession *s = contended(snap);
    Probe p = {calloc(MAX_SEEN, sizeof(Seen)), 0};
    VisView v;
    vis_view_default(&v);
    v.zoom = vis_panel_index("inspector");
    ck_assert_int_ge(v.zoom, 0);
    ck_assert_int_eq(vis_panel_index("no such panel"), -1);
    char msg[4096] = "";
    ck_assert_int_eq(check_view(snap, s, &v, 1280, 720, "zoomed", &p, msg,
                                sizeof msg), 0);
    /* Zoomed, the inspector has the window's width. */
    int widest = 0;
    for (int i = 0; i < p.n; i++)
        if (!strcmp(p.seen[i].panel, "inspector") &&
            p.seen[i].room.w > widest)
            widest = p.seen[i].room.w;
    ck_assert_int_gt(widest, 1280 * 9 / 10);
    free(p.seen);
    sim_snapshot_free(snap);
    free(snap);
    sim_session_free(s);
}
END_TEST

Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("fits");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_nothing_clipped, 0, NMACHINES * NSIZES);
    tcase_add_test(tc, test_type_sizes);
    tcase_add_test(tc, test_zoom_fills);
    suite_add_tcase(s, tc);
    return s;
}
