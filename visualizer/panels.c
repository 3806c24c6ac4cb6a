/* panels.c — the panels of the window as a table (from panels.def), and
 * the two walks over it that are not layout (layout.c): drawing a frame
 * (every panel in table order, then the help overlay) and handing a
 * click to the topmost panel under it (the last drawn first, so that a
 * panel over the columns takes the clicks while it is shown). */
#include "visualizer/vis_priv.h"

const VisPanel *const vis_panels[VIS_NPANELS] = {
#define PANEL(name) [VIS_PANEL_##name] = &vis_panel_##name,
#include "visualizer/panels.def"
#undef PANEL
};

void vis_draw(Vis *v, int w, int h)
{
    if (!v->snap)
        return;
    v->text.frame++;
    vis_layout(&v->L, v->snap, w, h);
    vis_colour(v->r, VIS_BG, 255);
    SDL_RenderClear(v->r);
    for (int i = 0; i < VIS_NPANELS; i++)
        vis_panels[i]->draw(v, v->L.panel[i]);
    if (v->view.help)
        vis_draw_help(v);
}

void vis_click(Vis *v, int x, int y)
{
    if (!v->snap)
        return;
    for (int i = VIS_NPANELS; i-- > 0;) {
        const VisPanel *p = vis_panels[i];
        if (p->click && vis_inside(v->L.panel[i], x, y) &&
            p->click(v, v->L.panel[i], x, y))
            return;
    }
}
