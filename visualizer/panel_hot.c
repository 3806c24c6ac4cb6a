/* panel_hot.c — the hottest lines (key L): the lines with the most
 * invalidations and transfers, each named by every variable it holds
 * ("hits+0..31, hits_padded+0..31": the line that bounces), with its
 * counts and its state in every core's L1, over the right column while
 * it is shown.  Clicking a line selects it: every L1 grid marks it, and
 * l steps to its next miss or message. */
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

/* Each row: the name on one line, the figures and the cores' states on
 * the next. */
static int row_height(Vis *v)
{
    return 2 * (vis_text_height(&v->text, v->L.small, false) + 2) +
           v->L.pad / 2;
}

static void hot_draw(Vis *v, VisRect r)
{
    if (!v->view.hot || r.w <= 0 || r.h <= 0)
        return;
    const SimSnapshot *s = v->snap;
    const VisLayout *L = &v->L;
    VisRect a = vis_over_right(L, r);
    char buf[256], n1[32], n2[32];
    int x = a.x + L->font / 2;
    int y = vis_over_frame(v, a, "hottest lines", "by invalidations + "
                           "transfers; click one   L: close");
    if (!s->hierarchy || s->nhot == 0) {
        vis_text(&v->text, x, y, L->small, false, v->col->dim,
                 s->hierarchy ? "no line has bounced yet"
                              : "flat memory: no caches");
        vis_clip(v->r, NULL);
        return;
    }
    int lh = vis_text_height(&v->text, L->small, false) + 2;
    int rh = row_height(v);
    for (uint32_t i = 0; i < s->nhot && y + rh <= a.y + a.h; i++) {
        const SnapHotLine *h = &s->hot[i];
        bool sel = v->view.line_valid && v->view.line_addr == h->line;
        if (sel)
            vis_fill(v->r, vis_rect(a.x + 2, y - 1, a.w - 4, rh - 2),
                     v->col->core_bg);
        /* A line no variable holds (a stack's) is its address alone. */
        if (!strncmp(h->name, "0x", 2))
            snprintf(buf, sizeof buf, "%08x  (no variable)", h->line);
        else
            snprintf(buf, sizeof buf, "%08x  %s", h->line, h->name);
        vis_text_in(&v->text, x, y, a.x + a.w - x - L->font / 2, L->small,
                    false, sel ? v->col->accent : v->col->text, buf);
        int y2 = y + lh;
        snprintf(buf, sizeof buf, "%s inval.  %s transfers  ",
                 vis_num(n1, sizeof n1, h->invalidations),
                 vis_num(n2, sizeof n2, h->transfers));
        int cx = x + L->small + vis_text(&v->text, x + L->small, y2,
                                         L->small, false, v->col->dim, buf);
        /* A cell per core in the state of its copy; I is the dark one. */
        int cell = lh - 4 > 4 ? lh - 4 : 4;
        for (uint32_t k = 0; k < s->cores && k < SNAP_MAX_CORES; k++) {
            if (cx + cell > a.x + a.w - L->font / 2)
                break;
            uint8_t st = h->state[k] < SNAP_LINE_STATE_COUNT ? h->state[k]
                                                             : SNAP_LINE_I;
            VisRect c = vis_rect(cx, y2 + 2, cell, cell);
            vis_fill(v->r, c, v->col->line[st]);
            vis_frame(v->r, c, 1, v->col->border);
            cx += cell + 2;
        }
        y += rh;
    }
    vis_clip(v->r, NULL);
}

/* A click on a row selects its line; any click on the panel is its. */
static bool hot_click(Vis *v, VisRect r, int x, int y)
{
    if (!v->view.hot)
        return false;
    VisRect a = vis_over_right(&v->L, r);
    if (!vis_inside(a, x, y))
        return false;
    const SimSnapshot *s = v->snap;
    int y0 = vis_over_first_row(v, a), rh = row_height(v);
    if (y >= y0 && rh > 0) {
        uint32_t i = (uint32_t)((y - y0) / rh);
        if (i < s->nhot) {
            v->view.line_addr = s->hot[i].line;
            v->view.line_valid = true;
            v->view.lock = -1;
        }
    }
    return true;
}

static const VisClickHelp hot_clicks[] = {
    {"a line in the hottest lines (L)", "select it: every L1 grid marks "
     "it, `l` steps to its next miss or message"},
    {NULL, NULL}};

const VisPanel vis_panel_hot = {
    .name = "hot",
    .reads = "hierarchy, nhot, hot[] (line, name, invalidations, "
             "transfers, state[]), cores",
    .place = VIS_PLACE_OVER,
    .gap = 2,
    .draw = hot_draw,
    .click = hot_click,
    .clicks = hot_clicks,
};
