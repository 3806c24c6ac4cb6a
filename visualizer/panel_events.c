/* panel_events.c — the event log (key e): the most recent events in
 * words, newest first ("h5 load miss on tas+0 (coherence)", "GETX core 5
 * -> home 0: tas+0..63", "lock tas+0 handed from h6 to h2"), over
 * the right column while it is shown, so that the machine and its L1s
 * stay in sight beside it.  The session keeps the log only while the
 * panel asks for it (every event is published then). */
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

static VisRGB kind_colour(const Vis *v, uint8_t kind)
{
    switch (kind) {
    case SNAP_LOG_LOCK: return v->col->accent;
    case SNAP_LOG_MESSAGE: return v->col->cool;
    case SNAP_LOG_HART: return v->col->dim;
    default: return v->col->text;
    }
}

static void events_draw(Vis *v, VisRect r)
{
    if (!v->view.events || r.w <= 0 || r.h <= 0)
        return;
    const SimSnapshot *s = v->snap;
    const VisLayout *L = &v->L;
    VisRect a = vis_over_right(L, r);
    char buf[256], n1[32], n2[32];
    snprintf(buf, sizeof buf, "newest first; %s since shown   e: close",
             vis_num(n1, sizeof n1, s->log_total));
    int x = a.x + L->font / 2, y = vis_over_frame(v, a, "events", buf);
    int lh = vis_text_height(&v->text, L->small, false) + 2;
    if (!s->log_on || s->nlog == 0) {
        vis_text(&v->text, x, y, L->small, false, v->col->dim,
                 s->log_on ? "none yet: step (s, n) or run (space)"
                           : "starting the log...");
        vis_clip(v->r, NULL);
        return;
    }
    /* The cycle column fits the largest cycle shown. */
    vis_num(n2, sizeof n2, s->log[0].cycle);
    int cw = vis_text_width(&v->text, L->small, true, n2);
    for (uint32_t i = 0; i < s->nlog && y + lh <= a.y + a.h; i++) {
        const SnapLogEntry *e = &s->log[i];
        vis_num(n1, sizeof n1, e->cycle);
        int w = vis_text_width(&v->text, L->small, true, n1);
        vis_text(&v->text, x + cw - w, y, L->small, true, v->col->dim, n1);
        int tx = x + cw + L->small;
        vis_text_in(&v->text, tx, y, a.x + a.w - tx - L->font / 2, L->small,
                    false, kind_colour(v, e->kind), e->text);
        y += lh;
    }
    vis_clip(v->r, NULL);
}

/* While shown it takes the clicks on its area. */
static bool events_click(Vis *v, VisRect r, int x, int y)
{
    return v->view.events && vis_inside(vis_over_right(&v->L, r), x, y);
}

const VisPanel vis_panel_events = {
    .name = "events",
    .reads = "log_on, nlog, log[] (cycle, kind, text), log_total",
    .place = VIS_PLACE_OVER,
    .gap = 2,
    .draw = events_draw,
    .click = events_click,
};
