/* panel_locks.c — the annotated locks, most active first: each by its
 * symbol and kind (the snapshot's lock_kind_names: the one spelling),
 * its holder and its waiters in the order they started trying (coloured
 * by core), acquisitions and hand-offs, and a timeline strip of who held
 * it when over the last ~32 holds.  Clicking a lock selects it: `n` then
 * steps to its next acquire or release. */
#include <inttypes.h>
#include <stdio.h>

#include "visualizer/vis_priv.h"

/* ---- Layout ------------------------------------------------------------- */

/* With ranks the space-time diagram takes the panel's place
 * (panel_ranks.c); if locks announce themselves too, a strip for one
 * lock is left: the title, a lock's two lines and its timeline, the
 * time axis. */
int vis_locks_strip(const VisLayout *L)
{
    int line = L->small + L->small / 3;
    return L->font + L->font / 2 + 3 * line + L->small + L->small / 2 +
           L->pad;
}

static int locks_height(const VisLayout *L, const SimSnapshot *s)
{
    if (s->nranks)
        return s->nlocks ? vis_locks_strip(L) : 0;
    return L->body.h * 42 / 100 - L->pad;
}

/* The most recent hold (end, or now while held) of lock l. */
static uint64_t last_activity(const SimSnapshot *snap, uint32_t l)
{
    for (uint32_t i = snap->nholds; i-- > 0;)
        if (snap->holds[i].lock == l)
            return snap->holds[i].to == UINT64_MAX ? snap->cycle + 1
                                                    : snap->holds[i].to;
    return 0;
}

static void locks_layout(VisLayout *L, const SimSnapshot *snap, VisRect a)
{
    VisLocksLayout *K = &L->locks;
    uint32_t n = snap->nlocks < SNAP_MAX_LOCKS ? snap->nlocks : SNAP_MAX_LOCKS;
    uint64_t act[SNAP_MAX_LOCKS];
    for (uint32_t i = 0; i < n; i++) {
        const SnapLock *k = &snap->locks[i];
        act[i] = last_activity(snap, i);
        if (k->holder >= 0 || k->nwaiters > 0)
            act[i] = UINT64_MAX;
        K->order[i] = (int)i;
    }
    /* Most active first; ties keep the snapshot's order (insertion sort:
     * stable, and n is at most 32). */
    for (uint32_t i = 1; i < n; i++) {
        int v = K->order[i];
        uint32_t j = i;
        while (j > 0 && act[K->order[j - 1]] < act[v]) {
            K->order[j] = K->order[j - 1];
            j--;
        }
        K->order[j] = v;
    }
    int line = L->small + L->small / 3;
    int y = a.y + L->font + L->font / 2;       /* below the title */
    int bottom = a.y + a.h - line;             /* room for the time axis */
    int block = 2 * line + L->small + L->small / 2;
    int pad = L->font / 2;
    K->nrows = 0;
    for (uint32_t i = 0; i < n && y + block <= bottom; i++) {
        K->row[i] = vis_rect(a.x + pad, y, a.w - 2 * pad, 2 * line);
        K->gantt[i] = vis_rect(a.x + pad, y + 2 * line, a.w - 2 * pad,
                               L->small);
        y += block;
        K->nrows++;
    }
    /* The strips span the last ~32 holds, at least 200 cycles. */
    uint64_t to = snap->cycle, from = 0;
    if (snap->nholds > 0) {
        uint32_t k = snap->nholds > 32 ? snap->nholds - 32 : 0;
        from = snap->holds[k].from;
    }
    if (to < from + 200)
        from = to > 200 ? to - 200 : 0;
    K->from = from;
    K->to = to > from ? to : from + 1;
}

/* ---- Drawing ------------------------------------------------------------ */

/* The colour of hart h's core: its swatch and its bars. */
static VisRGB hart_colour(const SimSnapshot *s, int h)
{
    return vis_core_colour_of((uint32_t)vis_hart_core(s, h));
}

static void locks_draw(Vis *v, VisRect a)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const VisLocksLayout *K = &L->locks;
    char buf[256], n1[32], n2[32];
    if (a.h <= 0)
        return;
    snprintf(buf, sizeof buf, "locks (%u annotated)", s->nlocks);
    vis_panel_frame(v, a, buf);
    if (s->nlocks == 0) {
        vis_text(&v->text, a.x + L->font / 2, a.y + L->font * 2, L->small,
                 false, VIS_DIM, "no lock has announced itself yet");
        return;
    }
    vis_clip(v->r, &a);
    int line = L->small + L->small / 3;
    uint64_t span = K->to - K->from;
    for (int k = 0; k < K->nrows; k++) {
        int li = K->order[k];
        const SnapLock *lk = &s->locks[li];
        VisRect row = K->row[k], g = K->gantt[k];
        if (li == v->view.lock) {
            VisRect f = {row.x - 3, row.y - 2, row.w + 6, row.h + g.h + 5};
            vis_frame(v->r, f, 2, VIS_HILITE);
        }
        int x = row.x;
        const char *kind =
            lk->kind < s->nlock_kinds && lk->kind < SNAP_MAX_KINDS
                ? s->lock_kind_names[lk->kind]
                : "?";
        x += vis_text(&v->text, x, row.y, L->small, false, VIS_TEXT,
                      lk->name);
        snprintf(buf, sizeof buf, "  %s   acquired %s   hand-offs %s", kind,
                 vis_num(n1, sizeof n1, lk->acquisitions),
                 vis_num(n2, sizeof n2, lk->handoffs));
        vis_text(&v->text, x, row.y, L->small, false, VIS_DIM, buf);
        int y2 = row.y + line;
        x = row.x;
        if (lk->holder >= 0) {
            x += vis_text(&v->text, x, y2, L->small, false, VIS_DIM,
                          "held by ");
            snprintf(buf, sizeof buf, "h%d", lk->holder);
            x += vis_swatch(v, x, y2, L->small, hart_colour(s, lk->holder),
                            buf);
        } else {
            x += vis_text(&v->text, x, y2, L->small, false, VIS_DIM, "free");
        }
        if (lk->nwaiters > 0) {
            snprintf(buf, sizeof buf, "   %u waiting: ", lk->nwaiters);
            x += vis_text(&v->text, x, y2, L->small, false, VIS_DIM, buf);
            for (int w = 0; w < lk->nwaiters && w < SNAP_MAX_HARTS; w++) {
                if (x > row.x + row.w - L->small * 3) {
                    vis_text(&v->text, x, y2, L->small, false, VIS_DIM,
                             "...");
                    break;
                }
                int h = lk->waiters[w];
                snprintf(buf, sizeof buf, "h%d", h);
                x += vis_swatch(v, x, y2, L->small, hart_colour(s, h), buf) +
                     2;
            }
        }
        /* The timeline: who held it when, one colour per core. */
        vis_fill(v->r, g, VIS_BG);
        for (uint32_t i = 0; i < s->nholds && i < SNAP_MAX_HOLDS; i++) {
            const SnapHold *hd = &s->holds[i];
            if (hd->lock != li)
                continue;
            uint64_t to = hd->to == UINT64_MAX ? s->cycle : hd->to;
            if (to < K->from || hd->from > K->to)
                continue;
            uint64_t t0 = hd->from < K->from ? K->from : hd->from;
            uint64_t t1 = to > K->to ? K->to : to;
            int x0 = g.x + (int)((double)(t0 - K->from) * g.w / span);
            int x1 = g.x + (int)((double)(t1 - K->from) * g.w / span);
            if (x1 <= x0)
                x1 = x0 + 1;
            VisRect bar = {x0, g.y, x1 - x0, g.h};
            vis_fill(v->r, bar, hart_colour(s, hd->hart));
        }
        vis_frame(v->r, g, 1, VIS_BORDER);
    }
    /* The time axis under the strips. */
    if (K->nrows > 0) {
        VisRect g = K->gantt[K->nrows - 1];
        int y = g.y + g.h + 2;
        snprintf(buf, sizeof buf, "cycle %s",
                 vis_num(n1, sizeof n1, K->from));
        vis_text(&v->text, g.x, y, L->small, false, VIS_DIM, buf);
        snprintf(buf, sizeof buf, "now (%s cycles shown)",
                 vis_num(n1, sizeof n1, span));
        int w = vis_text_width(&v->text, L->small, false, buf);
        vis_text(&v->text, g.x + g.w - w, y, L->small, false, VIS_DIM, buf);
    }
    if (K->nrows < (int)s->nlocks) {
        snprintf(buf, sizeof buf, "+%d more", (int)s->nlocks - K->nrows);
        int w = vis_text_width(&v->text, L->small, false, buf);
        vis_text(&v->text, a.x + a.w - w - L->font / 2, a.y + L->font / 6,
                 L->small, false, VIS_DIM, buf);
    }
    vis_clip(v->r, NULL);
}

static bool locks_part(const VisLayout *L, const SimSnapshot *snap,
                       VisPart part, uint32_t index, VisRect *out)
{
    (void)snap;
    if (part != VIS_PART_LOCK)
        return false;
    for (int k = 0; k < L->locks.nrows; k++)
        if (L->locks.order[k] == (int)index) {
            *out = L->locks.row[k];
            return true;
        }
    return false;
}

/* ---- Clicks ------------------------------------------------------------- */

static bool locks_click(Vis *v, VisRect r, int x, int y)
{
    const VisLocksLayout *K = &v->L.locks;
    (void)r;
    for (int k = 0; k < K->nrows; k++) {
        VisRect a = K->row[k], g = K->gantt[k];
        /* The row and its timeline strip under it. */
        if (x >= a.x && x < a.x + a.w && y >= a.y && y < g.y + g.h) {
            vis_select_lock(v, K->order[k]);
            return true;
        }
    }
    return false;
}

static const VisClickHelp locks_clicks[] = {
    {"a lock", "select it (for `n` and `l`)"},
    {NULL, NULL},
};

const VisPanel vis_panel_locks = {
    .name = "locks",
    .reads = "cycle, nlocks, locks, lock_kind_names, nholds, holds, "
             "harts[].core",
    .place = VIS_PLACE_RIGHT,
    .gap = 2,
    .height = locks_height,
    .layout = locks_layout,
    .draw = locks_draw,
    .click = locks_click,
    .clicks = locks_clicks,
    .part = locks_part,
};
