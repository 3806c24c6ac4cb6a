/* panels.c — the panels of the window as a table (from panels.def), and
 * the two walks over it that are not layout (layout.c): drawing a frame
 * (every panel in table order, then the help overlay) and handing a
 * click to the topmost panel under it (the last drawn first, so that a
 * panel over the columns takes the clicks while it is shown).  Also
 * which panel is zoomed: the one the view names, if it shows now. */
#include <string.h>

#include "visualizer/vis_priv.h"

const VisPanel *const vis_panels[VIS_NPANELS] = {
#define PANEL(name) [VIS_PANEL_##name] = &vis_panel_##name,
#include "visualizer/panels.def"
#undef PANEL
};

int vis_panel_index(const char *name)
{
    for (int i = 0; i < VIS_NPANELS; i++)
        if (name && strcmp(vis_panels[i]->name, name) == 0)
            return i;
    return -1;
}

/* The zoomed panel: the view's, unless it is a panel over the columns
 * that the view does not show now (closed while zoomed). */
static int zoomed(const Vis *v)
{
    int z = v->view.zoom;
    if (z == VIS_PANEL_events && !v->view.events)
        return -1;
    if (z == VIS_PANEL_hot && !v->view.hot)
        return -1;
    if (z == VIS_PANEL_explain && !v->view.explain)
        return -1;
    if (z == VIS_PANEL_stats && !v->view.stats)
        return -1;
    return z;
}

void vis_draw(Vis *v, int w, int h)
{
    if (!v->snap)
        return;
    v->text.frame++;
    v->col = &vis_colours[v->view.theme < VIS_THEME_COUNT ? v->view.theme
                                                          : VIS_THEME_DARK];
    vis_layout(&v->L, v->snap, w, h, zoomed(v));
    vis_colour(v->r, v->col->bg, 255);
    SDL_RenderClear(v->r);
    for (int i = 0; i < VIS_NPANELS; i++) {
        VisRect r = v->L.panel[i];
        if (v->L.zoom >= 0 && i != VIS_PANEL_top && (r.w <= 0 || r.h <= 0))
            continue;         /* not shown while another is zoomed */
        v->text.panel = vis_panels[i]->name;
        v->text.box = r;
        vis_panels[i]->draw(v, r);
    }
    v->text.panel = "help";
    v->text.box = vis_rect(0, 0, v->L.w, v->L.h);
    if (v->view.help)
        vis_draw_help(v);
    v->text.panel = NULL;
}

/* The panel a click lands on is the one z zooms next: the topmost under
 * it (a bar is never zoomed; the legend zooms with its machine). */
static void focus(Vis *v, int i)
{
    const VisPanel *p = vis_panels[i];
    if (p->place == VIS_PLACE_TOP || p->place == VIS_PLACE_BOTTOM)
        return;
    v->focus = p->zoom_with_above && i > 0 ? i - 1 : i;
}

void vis_click(Vis *v, int x, int y)
{
    if (!v->snap)
        return;
    bool focused = false;
    for (int i = VIS_NPANELS; i-- > 0;) {
        const VisPanel *p = vis_panels[i];
        VisRect r = v->L.panel[i];
        if (!vis_inside(r, x, y))
            continue;
        if (p->place == VIS_PLACE_OVER && !(p->click && p->click(v, r, x, y)))
            continue;         /* not shown (or not under the click) */
        if (!focused)
            focus(v, i);
        focused = true;
        if (p->place == VIS_PLACE_OVER || (p->click && p->click(v, r, x, y)))
            return;
    }
}
