/* panel_top.c — the top bar: the program, the machine's cycle, running /
 * paused / finished (with how the run ended), the speed, and the hint
 * for the help overlay. */
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

static int top_height(const VisLayout *L, const SimSnapshot *s)
{
    (void)s;
    return L->font * 2;
}

static void top_draw(Vis *v, VisRect r)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    char buf[400], n1[32];
    vis_fill(v->r, r, v->col->panel_bg);
    int x = r.x + L->font / 2;
    int y = r.y + (r.h - vis_text_height(&v->text, L->big, false)) / 2;
    x += vis_text(&v->text, x, y, L->big, false, v->col->accent, "parsim");
    x += L->font;
    const char *prog = strrchr(s->program, '/');
    prog = prog ? prog + 1 : s->program;
    int ty = r.y + (r.h - vis_text_height(&v->text, L->font, false)) / 2;
    x += vis_text(&v->text, x, ty, L->font, false, v->col->text, prog) + L->font;
    snprintf(buf, sizeof buf, "cycle %s", vis_num(n1, sizeof n1, s->cycle));
    x += vis_text(&v->text, x, y, L->big, true, v->col->text, buf) + L->font;
    const char *st;
    VisRGB sc;
    if (s->finished) {
        snprintf(buf, sizeof buf, "FINISHED  %s", s->end_message);
        st = buf;
        sc = v->col->dim;
    } else if (s->paused) {
        st = "PAUSED";
        sc = v->col->accent;
    } else {
        st = "RUNNING";
        sc = v->col->hart[SNAP_RUNNING];
    }
    const char *hint = "h: help";
    int hw = vis_text_width(&v->text, L->font, false, hint);
    x += vis_text_in(&v->text, x, ty, r.x + r.w - hw - L->font - x, L->font,
                     false, sc, st) + L->font;
    int room = r.x + r.w - hw - L->font - x;
    if (v->session && !s->finished && s->paused && s->stopped_on[0]) {
        /* What "next event" stopped on, cut to the room there is. */
        snprintf(buf, sizeof buf, "at: %s", s->stopped_on);
        vis_text_in(&v->text, x, ty, room, L->font, false, v->col->accent,
                    buf);
    } else if (v->session && !s->finished) {
        if (v->speed == 0)
            snprintf(buf, sizeof buf, "speed: full");
        else
            snprintf(buf, sizeof buf, "speed: %s cycles/s",
                     vis_num(n1, sizeof n1, v->speed));
        vis_text(&v->text, x, ty, L->font, false, v->col->dim, buf);
    }
    vis_text(&v->text, r.x + r.w - hw - L->font / 2, ty, L->font, false,
             v->col->dim, hint);
}

const VisPanel vis_panel_top = {
    .name = "top",
    .reads = "program, cycle, paused, finished, end_message",
    .place = VIS_PLACE_TOP,
    .height = top_height,
    .draw = top_draw,
};
