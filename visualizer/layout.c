/* layout.c — where everything goes, computed from the window size and the
 * snapshot's shape alone, so that drawing, clicking and the tests agree
 * on it.  Each panel says where it goes (its place, the gap above it, its
 * height); this file deals out the rectangles and lets each panel lay out
 * its own insides.  With the panels of panels.def:
 *
 *   +--------------------------------------------------------------+
 *   | top bar: program, cycle, run state, speed                    |
 *   +-------------------------------------+------------------------+
 *   | machine: nodes > cores > harts + L1 | locks: holder, waiters |
 *   |                                     |   and a hold timeline  |
 *   | legend                              +------------------------+
 *   | interconnect (heat map)             | inspector              |
 *   +-------------------------------------+------------------------+
 *   | counters: sparklines                                         |
 *   +--------------------------------------------------------------+
 *
 * With ranks (a message-passing machine) the space-time diagram of the
 * ranks takes the locks' place at the top of the right column (the lock
 * panel keeps a strip under it if locks announce themselves):
 *
 *   +-------------------------------------+------------------------+
 *   | machine                             | ranks: a row per rank, |
 *   |                                     |  states and messages   |
 *   | legend                              +------------------------+
 *   | interconnect                        | inspector              |
 *   +-------------------------------------+------------------------+
 *
 * With a GPU that has been given a kernel, its panel (a box per SM, a
 * row per warp) goes at the bottom of the left column, under the
 * interconnect; the machine above it makes room (the GPU panel takes no
 * room without a GPU or before the first launch).
 *
 * A panel placed over the columns (the statistics table) takes both
 * columns' room, and is drawn only while the view asks for it.  A panel
 * that takes no room now (height 0) has no gap above it either.
 *
 * Zoomed (key z), one panel takes everything below the top bar (a pad
 * in from the edges), with the panel that goes with it under it (the
 * legend under the machine); the others get no room and draw nothing,
 * except the panels over the columns, which then cover the zoomed one
 * while the view asks for them.
 *
 * Text sizes come from the window's height (and its width, for a narrow
 * window): 22 px at 1920x1080, 15 at 1280x720, 12 at 1024x600, the
 * small text (captions, figures in dense panels) 17/20 of that.
 */
#include <string.h>

#include "visualizer/vis_priv.h"

static int panel_height(const VisLayout *L, const SimSnapshot *snap,
                        const VisPanel *p)
{
    int h = p->height ? p->height(L, snap) : 0;
    return h > 0 ? h : 0;
}

/* The room above a panel in its column: none for one that takes no room
 * now (the space-time diagram without ranks, the locks with them). */
static int panel_gap(const VisLayout *L, const SimSnapshot *snap,
                     const VisPanel *p)
{
    return p->height && panel_height(L, snap, p) == 0 ? 0
                                                       : p->gap * L->pad / 2;
}

/* Stack the panels of column `place` in x..x+w from y0 to y1: each its
 * gap, then its height; the one without a height gets what is left. */
static void stack_column(VisLayout *L, const SimSnapshot *snap,
                         VisPlace place, int x, int w, int y0, int y1)
{
    int fixed = 0;
    for (int i = 0; i < VIS_NPANELS; i++) {
        const VisPanel *p = vis_panels[i];
        if (p->place == place)
            fixed += panel_gap(L, snap, p) + panel_height(L, snap, p);
    }
    int rest = y1 - y0 - fixed, y = y0;
    for (int i = 0; i < VIS_NPANELS; i++) {
        const VisPanel *p = vis_panels[i];
        if (p->place != place)
            continue;
        y += panel_gap(L, snap, p);
        L->panel[i] = vis_rect(x, y, w,
                               p->height ? panel_height(L, snap, p) : rest);
        y += L->panel[i].h;
    }
}

/* The zoomed panel (and the one that goes with it) over the body. */
static void zoom_panel(VisLayout *L, const SimSnapshot *snap, int z)
{
    VisRect top = L->panel[VIS_PANEL_top];
    int y0 = top.y + top.h + L->pad / 2, y1 = L->h - L->pad / 2;
    for (int i = 0; i < VIS_NPANELS; i++) {
        if (i != VIS_PANEL_top)
            L->panel[i] = vis_rect(0, 0, 0, 0);
    }
    L->body = vis_rect(0, y0, L->w, y1 - y0);
    int with = z + 1 < VIS_NPANELS && vis_panels[z + 1]->zoom_with_above
                   ? z + 1 : -1;
    if (with >= 0) {
        const VisPanel *p = vis_panels[with];
        int h = panel_height(L, snap, p);
        y1 -= h;
        L->panel[with] = vis_rect(L->pad, y1, L->w - 2 * L->pad, h);
        y1 -= panel_gap(L, snap, p);
    }
    L->panel[z] = vis_rect(L->pad, y0, L->w - 2 * L->pad, y1 - y0);
    for (int i = 0; i < VIS_NPANELS; i++)
        if (vis_panels[i]->place == VIS_PLACE_OVER && i != z)
            L->panel[i] = vis_rect(L->pad, y0, L->w - 2 * L->pad,
                                   L->h - L->pad / 2 - y0);
}

void vis_layout(VisLayout *L, const SimSnapshot *snap, int w, int h,
                int zoom)
{
    memset(L, 0, sizeof *L);
    if (w < 320)
        w = 320;
    if (h < 200)
        h = 200;
    L->w = w;
    L->h = h;
    L->zoom = -1;
    /* Text from the window's height, for a projector at the back of a
     * room (22 px at 1080 lines, 15 at 720, 12 at 600), no larger than
     * the width allows (a narrow window). */
    int f = h / 48 < w / 80 ? h / 48 : w / 80;
    L->font = vis_clampi(f, 11, 48);
    L->small = vis_clampi(L->font * 17 / 20, 10, 40);
    L->big = L->font * 13 / 10;
    L->pad = L->font / 2;

    /* The bars: top ones down from the top, bottom ones up to the
     * bottom (in table order, the last lowest). */
    int y0 = 0, y1 = h;
    for (int i = 0; i < VIS_NPANELS; i++)
        if (vis_panels[i]->place == VIS_PLACE_BOTTOM)
            y1 -= panel_height(L, snap, vis_panels[i]);
    for (int i = 0, yb = y1; i < VIS_NPANELS; i++) {
        const VisPanel *p = vis_panels[i];
        int ph = panel_height(L, snap, p);
        if (p->place == VIS_PLACE_TOP) {
            L->panel[i] = vis_rect(0, y0, w, ph);
            y0 += ph;
        } else if (p->place == VIS_PLACE_BOTTOM) {
            L->panel[i] = vis_rect(0, yb, w, ph);
            yb += ph;
        }
    }
    L->body = vis_rect(0, y0, w, y1 - y0);

    /* The columns, between the bars, a pad in from the sides. */
    int lw = w * VIS_LEFT_PERCENT / 100, bottom = y1 - L->pad / 2;
    stack_column(L, snap, VIS_PLACE_LEFT, L->pad, lw - 2 * L->pad, y0,
                 bottom);
    stack_column(L, snap, VIS_PLACE_RIGHT, lw, w - lw - L->pad, y0, bottom);
    /* Over the columns: from the left column's left edge to the right
     * column's right edge. */
    for (int i = 0; i < VIS_NPANELS; i++) {
        const VisPanel *p = vis_panels[i];
        int top = y0 + p->gap * L->pad / 2;
        if (p->place == VIS_PLACE_OVER)
            L->panel[i] = vis_rect(L->pad, top, w - 2 * L->pad, bottom - top);
    }

    /* Zoomed: one panel over the body, if it takes room now. */
    if (zoom >= 0 && zoom < VIS_NPANELS &&
        vis_panels[zoom]->place != VIS_PLACE_TOP &&
        vis_panels[zoom]->place != VIS_PLACE_BOTTOM &&
        (vis_panels[zoom]->place == VIS_PLACE_OVER ||
         (L->panel[zoom].w > 0 && L->panel[zoom].h > 0))) {
        L->zoom = zoom;
        zoom_panel(L, snap, zoom);
    }

    /* Each panel's insides. */
    for (int i = 0; i < VIS_NPANELS; i++)
        if (vis_panels[i]->layout)
            vis_panels[i]->layout(L, snap, L->panel[i]);
}

bool vis_layout_rect(const SimSnapshot *snap, int w, int h, VisPart part,
                     uint32_t index, VisRect *out)
{
    static _Thread_local VisLayout L;
    vis_layout(&L, snap, w, h, -1);
    for (int i = 0; i < VIS_NPANELS; i++)
        if (vis_panels[i]->part &&
            vis_panels[i]->part(&L, snap, part, index, out))
            return true;
    return false;
}
