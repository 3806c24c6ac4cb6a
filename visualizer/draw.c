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

/* Okabe & Ito's eight colours, safe for every common colour blindness:
 * each means one thing within a panel.  The harts' states take four and
 * grey, the lines' states the other three and a light grey (O: shared
 * like S and dirty like M), the dark one being "no copy"; a hart's or a
 * core's identity is its number and an outline, never a fill. */
#define OI_ORANGE {230, 159, 0}
#define OI_SKY {86, 180, 233}
#define OI_GREEN {0, 158, 115}
#define OI_YELLOW {240, 228, 66}
#define OI_BLUE {0, 114, 178}
#define OI_VERMILLION {213, 94, 0}
#define OI_PURPLE {204, 121, 167}
#define OI_GREY {153, 153, 153}

const VisRGB vis_hart_colour[SNAP_STATE_COUNT] = {
    [SNAP_RUNNING] = OI_GREEN,
    [SNAP_MEMORY] = OI_ORANGE,         /* waiting for memory */
    [SNAP_SPINNING] = OI_VERMILLION,   /* spinning on a lock: time lost */
    [SNAP_BLOCKED] = OI_BLUE,          /* in WAIT */
    [SNAP_HALTED] = {64, 68, 80},      /* dark grey: gone out */
};
static const VisRGB light_hart[SNAP_STATE_COUNT] = {
    [SNAP_RUNNING] = OI_GREEN,     [SNAP_MEMORY] = OI_ORANGE,
    [SNAP_SPINNING] = OI_VERMILLION, [SNAP_BLOCKED] = OI_BLUE,
    [SNAP_HALTED] = {196, 199, 206},
};
const char *const vis_hart_state_names[SNAP_STATE_COUNT] = {
    [SNAP_RUNNING] = "running", [SNAP_MEMORY] = "memory",
    [SNAP_SPINNING] = "spinning", [SNAP_BLOCKED] = "blocked",
    [SNAP_HALTED] = "halted",
};

const VisRGB vis_line_colour[SNAP_LINE_STATE_COUNT] = {
    [SNAP_LINE_I] = {44, 47, 56},      /* no copy: nearly the background */
    [SNAP_LINE_S] = OI_SKY,
    [SNAP_LINE_E] = OI_YELLOW,
    [SNAP_LINE_O] = OI_GREY,
    [SNAP_LINE_M] = OI_PURPLE,
};
static const VisRGB light_line[SNAP_LINE_STATE_COUNT] = {
    [SNAP_LINE_I] = {214, 217, 223}, [SNAP_LINE_S] = OI_SKY,
    [SNAP_LINE_E] = OI_YELLOW,       [SNAP_LINE_O] = OI_GREY,
    [SNAP_LINE_M] = OI_PURPLE,
};

const VisRGB vis_link_idle = {72, 78, 92};
const VisRGB vis_hilite = {255, 255, 255};

/* The space-time diagram: computing green as a running hart, blocked
 * blue and waiting vermillion as a hart blocked or spinning (time lost),
 * exited grey; the calls in the colours left. */
const VisRGB vis_rank_colour[SNAP_RANK_STATE_COUNT] = {
    [SNAP_RANK_COMPUTE] = OI_GREEN,    [SNAP_RANK_P2P] = OI_SKY,
    [SNAP_RANK_COLLECTIVE] = OI_PURPLE, [SNAP_RANK_LIBRARY] = OI_YELLOW,
    [SNAP_RANK_WAITING] = OI_VERMILLION, [SNAP_RANK_BLOCKED] = OI_BLUE,
    [SNAP_RANK_DONE] = {64, 68, 80},
};
static const VisRGB light_rank[SNAP_RANK_STATE_COUNT] = {
    [SNAP_RANK_COMPUTE] = OI_GREEN,    [SNAP_RANK_P2P] = OI_SKY,
    [SNAP_RANK_COLLECTIVE] = OI_PURPLE, [SNAP_RANK_LIBRARY] = OI_YELLOW,
    [SNAP_RANK_WAITING] = OI_VERMILLION, [SNAP_RANK_BLOCKED] = OI_BLUE,
    [SNAP_RANK_DONE] = {196, 199, 206},
};
const char *const vis_rank_state_names[SNAP_RANK_STATE_COUNT] = {
    [SNAP_RANK_COMPUTE] = "computing", [SNAP_RANK_P2P] = "send/recv",
    [SNAP_RANK_COLLECTIVE] = "collective", [SNAP_RANK_LIBRARY] = "other MPI",
    [SNAP_RANK_WAITING] = "waiting", [SNAP_RANK_BLOCKED] = "blocked",
    [SNAP_RANK_DONE] = "exited",
};

const VisColours vis_colours[VIS_THEME_COUNT] = {
    [VIS_THEME_DARK] = {
        .bg = {18, 20, 26}, .panel_bg = {28, 31, 39},
        .core_bg = {36, 40, 50}, .border = {62, 67, 80},
        .text = {228, 231, 238}, .dim = {150, 156, 170},
        .hilite = {255, 255, 255}, .accent = {255, 210, 80},
        .cool = {120, 200, 255},
        .hart = vis_hart_colour, .line = vis_line_colour,
        .rank = vis_rank_colour,
        .link_idle = {72, 78, 92},
        .heat = {{96, 104, 122}, {170, 176, 190}, {255, 255, 255}},
        .hold = {{150, 156, 170}, {100, 106, 120}},
    },
    /* For a lit room: dark ink on near-white, the same state colours. */
    [VIS_THEME_LIGHT] = {
        .bg = {236, 237, 240}, .panel_bg = {252, 252, 252},
        .core_bg = {240, 241, 244}, .border = {160, 165, 176},
        .text = {18, 20, 26}, .dim = {78, 84, 96},
        .hilite = {0, 0, 0}, .accent = {140, 70, 0},
        .cool = {0, 84, 150},
        .hart = light_hart, .line = light_line, .rank = light_rank,
        .link_idle = {196, 200, 208},
        .heat = {{170, 175, 186}, {100, 106, 118}, {0, 0, 0}},
        .hold = {{70, 76, 88}, {140, 146, 158}},
    },
};

bool vis_theme_parse(const char *name, VisTheme *out)
{
    static const char *const names[VIS_THEME_COUNT] = {
        [VIS_THEME_DARK] = "dark", [VIS_THEME_LIGHT] = "light"};
    for (int i = 0; i < VIS_THEME_COUNT; i++)
        if (name && strcmp(name, names[i]) == 0) {
            *out = (VisTheme)i;
            return true;
        }
    return false;
}

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

VisRGB vis_heat(const VisColours *c, float util)
{
    if (!(util > 0.002f))
        return c->link_idle;
    if (util < 0.5f)
        return vis_mix(c->heat[0], c->heat[1], util * 2);
    return vis_mix(c->heat[1], c->heat[2], (util - 0.5f) * 2);
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

/* Text on a swatch: dark on light colours, light on dark ones. */
VisRGB vis_ink_on(VisRGB c)
{
    return c.r * 3 + c.g * 6 + c.b > 1100 ? VIS_INK_DARK : VIS_INK_LIGHT;
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

int vis_tag(Vis *v, int x, int y, int px, bool thick, const char *label)
{
    int w = vis_text_width(&v->text, px, false, label) + px / 2 + 2;
    int h = vis_text_height(&v->text, px, false);
    VisRect a = {x, y, w, h};
    vis_frame(v->r, a, thick ? 2 : 1, thick ? v->col->hilite : v->col->dim);
    vis_text(&v->text, x + px / 4 + 1, y, px, false, v->col->text, label);
    return w;
}

VisRect vis_over_right(const VisLayout *L, VisRect r)
{
    if (L->zoom >= 0)
        return r;             /* zoomed: the whole body */
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
    vis_fill(v->r, a, v->col->panel_bg);
    vis_frame(v->r, a, 1, v->col->accent);
    vis_clip(v->r, &a);
    int x = a.x + L->font / 2, y = a.y + L->font / 4;
    int tw = vis_text_in(&v->text, x, y, a.w - L->font, L->font, false,
                         v->col->text, title);
    int th = vis_text_height(&v->text, L->font, false);
    vis_text_in(&v->text, x + tw + L->font / 2,
                y + th - vis_text_height(&v->text, L->small, false),
                a.x + a.w - (x + tw + L->font / 2) - L->font / 2, L->small,
                false, v->col->dim, caption);
    return vis_over_first_row(v, a);
}

void vis_panel_frame(Vis *v, VisRect a, const char *title)
{
    vis_fill(v->r, a, v->col->panel_bg);
    vis_frame(v->r, a, 1, v->col->border);
    if (title)
        vis_text_in(&v->text, a.x + v->L.font / 2, a.y + v->L.font / 6,
                    a.w - v->L.font, v->L.font, false, v->col->dim, title);
}
