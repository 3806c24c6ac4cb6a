/* draw.c — the palette (defined once, here) and the drawing helpers every
 * panel uses: filled and framed rectangles, thick lines, discs, clipping,
 * swatches, panel frames, numbers as text.  The panels themselves are
 * panel_<name>.c; the frame that draws them is panels.c. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visualizer/vis_priv.h"

/* ---- Palette ------------------------------------------------------------ */

const VisRGB vis_hart_colour[SNAP_STATE_COUNT] = {
    [SNAP_RUNNING] = {60, 190, 90},    /* green */
    [SNAP_MEMORY] = {240, 170, 40},    /* amber */
    [SNAP_SPINNING] = {225, 55, 50},   /* red: spinning on a lock */
    [SNAP_BLOCKED] = {80, 125, 225},   /* blue: in WAIT */
    [SNAP_HALTED] = {78, 80, 88},      /* dark grey */
};
const char *const vis_hart_state_names[SNAP_STATE_COUNT] = {
    [SNAP_RUNNING] = "running", [SNAP_MEMORY] = "memory",
    [SNAP_SPINNING] = "spinning", [SNAP_BLOCKED] = "blocked",
    [SNAP_HALTED] = "halted",
};

const VisRGB vis_line_colour[SNAP_LINE_STATE_COUNT] = {
    [SNAP_LINE_I] = {44, 47, 56},      /* dark */
    [SNAP_LINE_S] = {70, 175, 95},     /* green */
    [SNAP_LINE_E] = {130, 105, 235},   /* purple */
    [SNAP_LINE_O] = {245, 145, 40},    /* orange */
    [SNAP_LINE_M] = {225, 50, 50},     /* red */
};

/* A qualitative palette for "which core": the hold timeline, holders and
 * waiters (tab20, reordered so that neighbours differ). */
const VisRGB vis_core_colour[VIS_CORE_COLOURS] = {
    {31, 119, 180},  {255, 127, 14},  {44, 160, 44},   {214, 39, 40},
    {148, 103, 189}, {140, 86, 75},   {227, 119, 194}, {188, 189, 34},
    {23, 190, 207},  {174, 199, 232}, {255, 187, 120}, {152, 223, 138},
    {255, 152, 150}, {197, 176, 213}, {196, 156, 148}, {219, 219, 141},
};

const VisRGB vis_link_idle = {72, 78, 92};

/* The space-time diagram: computing green as a running hart, the calls
 * in blues and purple, waiting red (as spinning: time lost). */
const VisRGB vis_rank_colour[SNAP_RANK_STATE_COUNT] = {
    [SNAP_RANK_COMPUTE] = {60, 190, 90},      /* green */
    [SNAP_RANK_P2P] = {70, 130, 235},         /* blue */
    [SNAP_RANK_COLLECTIVE] = {170, 100, 225}, /* purple */
    [SNAP_RANK_LIBRARY] = {40, 170, 185},     /* teal */
    [SNAP_RANK_WAITING] = {225, 60, 55},      /* red */
    [SNAP_RANK_BLOCKED] = {120, 130, 175},    /* slate: in WAIT */
    [SNAP_RANK_DONE] = {78, 80, 88},          /* dark grey */
};
const char *const vis_rank_state_names[SNAP_RANK_STATE_COUNT] = {
    [SNAP_RANK_COMPUTE] = "computing", [SNAP_RANK_P2P] = "send/recv",
    [SNAP_RANK_COLLECTIVE] = "collective", [SNAP_RANK_LIBRARY] = "other MPI",
    [SNAP_RANK_WAITING] = "waiting", [SNAP_RANK_BLOCKED] = "blocked",
    [SNAP_RANK_DONE] = "exited",
};

/* ---- Primitives --------------------------------------------------------- */

void vis_colour(SDL_Renderer *r, VisRGB c, uint8_t a)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, a);
}

void vis_fill(SDL_Renderer *r, VisRect a, VisRGB c)
{
    if (a.w <= 0 || a.h <= 0)
        return;
    SDL_Rect s = {a.x, a.y, a.w, a.h};
    vis_colour(r, c, 255);
    SDL_RenderFillRect(r, &s);
}

void vis_frame(SDL_Renderer *r, VisRect a, int t, VisRGB c)
{
    vis_colour(r, c, 255);
    for (int i = 0; i < t; i++) {
        SDL_Rect s = {a.x + i, a.y + i, a.w - 2 * i, a.h - 2 * i};
        if (s.w <= 0 || s.h <= 0)
            break;
        SDL_RenderDrawRect(r, &s);
    }
}

VisRGB vis_mix(VisRGB a, VisRGB b, float t)
{
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    VisRGB c = {(uint8_t)(a.r + (b.r - a.r) * t),
                (uint8_t)(a.g + (b.g - a.g) * t),
                (uint8_t)(a.b + (b.b - a.b) * t)};
    return c;
}

VisRGB vis_heat(float util)
{
    static const VisRGB cool = {70, 140, 220}, warm = {250, 205, 60},
                        hot = {235, 45, 35};
    if (!(util > 0.002f))
        return vis_link_idle;
    if (util < 0.5f)
        return vis_mix(cool, warm, util * 2);
    return vis_mix(warm, hot, (util - 0.5f) * 2);
}

/* A line of thickness t from (x0,y0) to (x1,y1), as two triangles. */
void vis_thick_line(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                    float t, VisRGB c)
{
    vis_geom_line(r, x0, y0, x1, y1, t, (SDL_Color){c.r, c.g, c.b, 255});
}

void vis_disc(SDL_Renderer *r, float cx, float cy, float rad, VisRGB c)
{
    enum { N = 20 };
    SDL_Vertex v[N + 1];
    int idx[N * 3];
    SDL_Color col = {c.r, c.g, c.b, 255};
    v[0].position.x = cx;
    v[0].position.y = cy;
    v[0].color = col;
    v[0].tex_coord.x = v[0].tex_coord.y = 0;
    for (int i = 0; i < N; i++) {
        double a = 2 * M_PI * i / N;
        v[i + 1].position.x = cx + (float)(cos(a) * rad);
        v[i + 1].position.y = cy + (float)(sin(a) * rad);
        v[i + 1].color = col;
        v[i + 1].tex_coord.x = v[i + 1].tex_coord.y = 0;
        idx[3 * i] = 0;
        idx[3 * i + 1] = i + 1;
        idx[3 * i + 2] = i + 1 == N ? 1 : i + 2;
    }
    SDL_RenderGeometry(r, NULL, v, N + 1, idx, N * 3);
}

void vis_clip(SDL_Renderer *r, const VisRect *a)
{
    if (!a) {
        SDL_RenderSetClipRect(r, NULL);
        return;
    }
    SDL_Rect s = {a->x, a->y, a->w, a->h};
    SDL_RenderSetClipRect(r, &s);
}

const char *vis_num(char *buf, size_t n, uint64_t v)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%" PRIu64, v), o = 0;
    for (int i = 0; i < len && o + 2 < (int)n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = 0;
    return buf;
}

const char *vis_brief(char *buf, size_t n, double v)
{
    if (v >= 1e9)
        snprintf(buf, n, "%.2fG", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, n, "%.2fM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, n, "%.1fk", v / 1e3);
    else if (v >= 100 || v == floor(v))
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.2f", v);
    return buf;
}

int vis_hart_core(const SimSnapshot *s, int h)
{
    return h >= 0 && h < (int)s->nharts ? (int)s->harts[h].core : 0;
}

VisRGB vis_core_colour_of(uint32_t core)
{
    return vis_core_colour[core % VIS_CORE_COLOURS];
}

/* Text on a swatch: dark on light colours, light on dark ones. */
VisRGB vis_ink_on(VisRGB c)
{
    return c.r * 3 + c.g * 6 + c.b > 1100 ? VIS_DARK_TEXT : VIS_TEXT;
}

int vis_swatch(Vis *v, int x, int y, int px, VisRGB c, const char *label)
{
    int w = vis_text_width(&v->text, px, false, label) + px / 2 + 2;
    int h = vis_text_height(&v->text, px, false);
    VisRect a = {x, y, w, h};
    vis_fill(v->r, a, c);
    vis_text(&v->text, x + px / 4 + 1, y, px, false, vis_ink_on(c), label);
    return w;
}

VisRect vis_over_right(const VisLayout *L, VisRect r)
{
    int x = L->w * VIS_LEFT_PERCENT / 100;
    return vis_rect(x, r.y, r.x + r.w - x, r.h);
}

int vis_over_first_row(Vis *v, VisRect a)
{
    return a.y + v->L.font / 4 + vis_text_height(&v->text, v->L.font, false) +
           v->L.font / 3;
}

int vis_over_frame(Vis *v, VisRect a, const char *title,
                   const char *caption)
{
    const VisLayout *L = &v->L;
    vis_fill(v->r, a, VIS_PANEL_BG);
    vis_frame(v->r, a, 1, VIS_ACCENT);
    vis_clip(v->r, &a);
    int x = a.x + L->font / 2, y = a.y + L->font / 4;
    int tw = vis_text(&v->text, x, y, L->font, false, VIS_TEXT, title);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", caption);
    vis_text_fit(v, L->small, buf, a.w - tw - L->font * 2);
    int th = vis_text_height(&v->text, L->font, false);
    vis_text(&v->text, x + tw + L->font / 2,
             y + th - vis_text_height(&v->text, L->small, false), L->small,
             false, VIS_DIM, buf);
    return vis_over_first_row(v, a);
}

void vis_text_fit(Vis *v, int px, char *text, int width)
{
    if (vis_text_width(&v->text, px, false, text) <= width)
        return;
    for (size_t n = strlen(text); n > 0;) {
        text[--n] = '\0';
        char probe[256];
        snprintf(probe, sizeof probe, "%s...", text);
        if (vis_text_width(&v->text, px, false, probe) <= width) {
            strcpy(text + n, "...");
            return;
        }
    }
}

void vis_panel_frame(Vis *v, VisRect a, const char *title)
{
    vis_fill(v->r, a, VIS_PANEL_BG);
    vis_frame(v->r, a, 1, VIS_BORDER);
    if (title)
        vis_text(&v->text, a.x + v->L.font / 2, a.y + v->L.font / 6,
                 v->L.font, false, VIS_DIM, title);
}
