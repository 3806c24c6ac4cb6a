/* panel_locks.c — the annotated locks, most active first: each by its
 * symbol and kind (the snapshot's lock_kind_names: the one spelling),
 * its holder and its waiters in the order they started trying (outlined
 * hN tags), acquisitions and hand-offs, and a timeline strip of who held
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
                 false, v->col->dim, "no lock has announced itself yet");
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
            vis_frame(v->r, f, 2, v->col->hilite);
        }
        int x = row.x;
        const char *kind =
            lk->kind < s->nlock_kinds && lk->kind < SNAP_MAX_KINDS
                ? s->lock_kind_names[lk->kind]
                : "?";
        int end = row.x + row.w;
        x += vis_text_in(&v->text, x, row.y, end - x, L->small, false,
                         v->col->text, lk->name);
        /* As much of the rest as fits, the figures shortest last. */
        snprintf(buf, sizeof buf, "  %s   acquired %s   hand-offs %s", kind,
                 vis_num(n1, sizeof n1, lk->acquisitions),
                 vis_num(n2, sizeof n2, lk->handoffs));
        if (vis_text_width(&v->text, L->small, false, buf) > end - x)
            snprintf(buf, sizeof buf, "  %s  %s acq.  %s hand-offs", kind,
                     vis_brief(n1, sizeof n1, (double)lk->acquisitions),
                     vis_brief(n2, sizeof n2, (double)lk->handoffs));
        vis_text_in(&v->text, x, row.y, end - x, L->small, false,
                    v->col->dim, buf);
        int y2 = row.y + line;
        x = row.x;
        /* Harts by number in an outline (the holder's thick, as its
         * core's in the machine): no fill, so no state's colour. */
        if (lk->holder >= 0) {
            x += vis_text_in(&v->text, x, y2, end - x, L->small, false,
                             v->col->dim, "held by ");
            snprintf(buf, sizeof buf, "h%d", lk->holder);
            x += vis_tag(v, x, y2, L->small, true, buf);
        } else {
            x += vis_text_in(&v->text, x, y2, end - x, L->small, false,
                             v->col->dim, "free");
        }
        if (lk->nwaiters > 0) {
            snprintf(buf, sizeof buf, "   %u waiting: ", lk->nwaiters);
            x += vis_text_in(&v->text, x, y2, end - x, L->small, false,
                             v->col->dim, buf);
            int more = vis_text_width(&v->text, L->small, false, VIS_ELLIPSIS);
            for (int w = 0; w < lk->nwaiters && w < SNAP_MAX_HARTS; w++) {
                int h = lk->waiters[w];
                snprintf(buf, sizeof buf, "h%d", h);
                int tw = vis_text_width(&v->text, L->small, false, buf) +
                         L->small / 2 + 4;
                bool last = w + 1 == lk->nwaiters;
                if (x + tw + (last ? 0 : more + 2) > end) {
                    vis_text_in(&v->text, x, y2, end - x, L->small, false,
                                v->col->dim, VIS_ELLIPSIS);
                    break;
                }
                x += vis_tag(v, x, y2, L->small, false, buf) + 2;
            }
        }
        /* The timeline: who held it when, the holds in two greys by
         * turns, each named by its hart where it is wide enough. */
        vis_fill(v->r, g, v->col->bg);
        int turn = 0;
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
            VisRGB bc = v->col->hold[turn++ % 2];
            vis_fill(v->r, bar, bc);
            snprintf(buf, sizeof buf, "h%d", hd->hart);
            int lw = vis_text_width(&v->text, L->small, false, buf);
            int lh = vis_text_height(&v->text, L->small, false);
            if (lw + 4 <= bar.w && lh <= bar.h + 2) {
                VisRect lr = vis_rect(bar.x, g.y - 1, bar.w, lh);
                vis_clip(v->r, &lr);
                vis_text(&v->text, bar.x + (bar.w - lw) / 2, g.y - 1,
                         L->small, false, vis_ink_on(bc), buf);
                vis_clip(v->r, &a);
            }
        }
        vis_frame(v->r, g, 1, v->col->border);
    }
    /* The time axis under the strips. */
    if (K->nrows > 0) {
        VisRect g = K->gantt[K->nrows - 1];
        int y = g.y + g.h + 2;
        snprintf(buf, sizeof buf, "cycle %s",
                 vis_num(n1, sizeof n1, K->from));
        int lw = vis_text_in(&v->text, g.x, y, g.w, L->small, false,
                             v->col->dim, buf);
        snprintf(buf, sizeof buf, "now (%s cycles shown)",
                 vis_num(n1, sizeof n1, span));
        int w = vis_text_width(&v->text, L->small, false, buf);
        if (g.x + lw + L->small + w > g.x + g.w) {
            snprintf(buf, sizeof buf, "now");
            w = vis_text_width(&v->text, L->small, false, buf);
        }
        if (g.x + lw + L->small + w <= g.x + g.w)
            vis_text(&v->text, g.x + g.w - w, y, L->small, false,
                     v->col->dim, buf);
    }
    if (K->nrows < (int)s->nlocks) {
        snprintf(buf, sizeof buf, "+%d more", (int)s->nlocks - K->nrows);
        int w = vis_text_width(&v->text, L->small, false, buf);
        vis_text(&v->text, a.x + a.w - w - L->font / 2, a.y + L->font / 6,
                 L->small, false, v->col->dim, buf);
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
