/* draw.c — drawing one frame from the snapshot: the palette (defined once,
 * here), the machine view (nodes, cores, harts, L1 grids), the
 * interconnect heat map, the lock panel with its hold timeline, the
 * inspector, the counter sparklines, the top bar and the help overlay.
 * Reads the snapshot and the layout; changes nothing but pixels. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "models/memsys.h"
#include "models/noc.h"
#include "programs/runtime/parsim_ecall.h"
#include "visualizer/vis_priv.h"

/* ---- Palette ------------------------------------------------------------ */

/* ORDER SnapHartState */
const VisRGB vis_hart_colour[SNAP_STATE_COUNT] = {
    {60, 190, 90},    /* running: green */
    {240, 170, 40},   /* memory: amber */
    {225, 55, 50},    /* spinning on a lock: red */
    {80, 125, 225},   /* blocked (WAIT): blue */
    {78, 80, 88},     /* halted: dark grey */
};
static const char *const hart_state_names[SNAP_STATE_COUNT] = {
    "running", "memory", "spinning", "blocked", "halted"};

/* ORDER COH_I .. COH_M (models/memsys.h) */
const VisRGB vis_coh_colour[5] = {
    {44, 47, 56},     /* I: dark */
    {70, 175, 95},    /* S: green */
    {130, 105, 235},  /* E: purple */
    {245, 145, 40},   /* O: orange */
    {225, 50, 50},    /* M: red */
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

static const VisRGB BG = {18, 20, 26};
static const VisRGB PANEL = {28, 31, 39};
static const VisRGB CORE_BG = {36, 40, 50};
static const VisRGB BORDER = {62, 67, 80};
static const VisRGB TEXT = {228, 231, 238};
static const VisRGB DIM = {150, 156, 170};
static const VisRGB DARK_TEXT = {16, 18, 22};
static const VisRGB HILITE = {255, 255, 255};
static const VisRGB ACCENT = {255, 210, 80};
static const VisRGB PACKET_DATA = {255, 240, 160};   /* a line travelling */
static const VisRGB PACKET_CTRL = {120, 220, 255};   /* a request, ack... */

/* ORDER PARSIM_KIND */
static const char *const kind_names[PARSIM_KIND_COUNT] = {
    "other", "tas", "ttas", "ttas+backoff", "ticket", "array", "mcs",
    "mutex", "recursive", "semaphore", "condvar", "barrier", "event"};

static const char *const abi_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
    "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
    "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

/* ---- Primitives --------------------------------------------------------- */

static void colour(SDL_Renderer *r, VisRGB c, uint8_t a)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, a);
}

void vis_fill(SDL_Renderer *r, VisRect a, VisRGB c)
{
    if (a.w <= 0 || a.h <= 0)
        return;
    SDL_Rect s = {a.x, a.y, a.w, a.h};
    colour(r, c, 255);
    SDL_RenderFillRect(r, &s);
}

void vis_frame(SDL_Renderer *r, VisRect a, int t, VisRGB c)
{
    colour(r, c, 255);
    for (int i = 0; i < t; i++) {
        SDL_Rect s = {a.x + i, a.y + i, a.w - 2 * i, a.h - 2 * i};
        if (s.w <= 0 || s.h <= 0)
            break;
        SDL_RenderDrawRect(r, &s);
    }
}

static VisRGB mix(VisRGB a, VisRGB b, float t)
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
        return mix(cool, warm, util * 2);
    return mix(warm, hot, (util - 0.5f) * 2);
}

/* A line of thickness t from (x0,y0) to (x1,y1), as two triangles. */
static void thick_line(SDL_Renderer *r, float x0, float y0, float x1,
                       float y1, float t, VisRGB c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.5f)
        return;
    float nx = -dy / len * t / 2, ny = dx / len * t / 2;
    SDL_Color col = {c.r, c.g, c.b, 255};
    SDL_Vertex v[4] = {
        {{x0 + nx, y0 + ny}, col, {0, 0}}, {{x1 + nx, y1 + ny}, col, {0, 0}},
        {{x1 - nx, y1 - ny}, col, {0, 0}}, {{x0 - nx, y0 - ny}, col, {0, 0}}};
    int idx[6] = {0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(r, NULL, v, 4, idx, 6);
}

static void disc(SDL_Renderer *r, float cx, float cy, float rad, VisRGB c)
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

static void clip(SDL_Renderer *r, const VisRect *a)
{
    if (!a) {
        SDL_RenderSetClipRect(r, NULL);
        return;
    }
    SDL_Rect s = {a->x, a->y, a->w, a->h};
    SDL_RenderSetClipRect(r, &s);
}

/* 1234567 -> "1,234,567" */
static const char *num(char *buf, size_t n, uint64_t v)
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

/* 1234567 -> "1.23M" */
static const char *brief(char *buf, size_t n, double v)
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

static int hart_core(const SimSnapshot *s, int h)
{
    return h >= 0 && h < (int)s->nharts ? (int)s->harts[h].core : 0;
}

static VisRGB core_colour(uint32_t core)
{
    return vis_core_colour[core % VIS_CORE_COLOURS];
}

/* Text on a swatch: dark on light colours, light on dark ones. */
static VisRGB ink_on(VisRGB c)
{
    return c.r * 3 + c.g * 6 + c.b > 1100 ? DARK_TEXT : TEXT;
}

/* A small box of colour c with a label, at (x, y); returns its width. */
static int swatch(Vis *v, int x, int y, int px, VisRGB c, const char *label)
{
    int w = vis_text_width(&v->text, px, false, label) + px / 2 + 2;
    int h = vis_text_height(&v->text, px, false);
    VisRect a = {x, y, w, h};
    vis_fill(v->r, a, c);
    vis_text(&v->text, x + px / 4 + 1, y, px, false, ink_on(c), label);
    return w;
}

static void panel(Vis *v, VisRect a, const char *title)
{
    vis_fill(v->r, a, PANEL);
    vis_frame(v->r, a, 1, BORDER);
    if (title)
        vis_text(&v->text, a.x + v->L.font / 2, a.y + v->L.font / 6,
                 v->L.font, false, DIM, title);
}

/* ---- Top bar ------------------------------------------------------------ */

static void draw_top(Vis *v)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    char buf[400], n1[32];
    vis_fill(v->r, L->top, PANEL);
    int x = L->font / 2, y = (L->top.h - vis_text_height(&v->text, L->big,
                                                         false)) / 2;
    x += vis_text(&v->text, x, y, L->big, false, ACCENT, "parsim");
    x += L->font;
    const char *prog = strrchr(s->program, '/');
    prog = prog ? prog + 1 : s->program;
    int ty = (L->top.h - vis_text_height(&v->text, L->font, false)) / 2;
    x += vis_text(&v->text, x, ty, L->font, false, TEXT, prog) + L->font;
    snprintf(buf, sizeof buf, "cycle %s", num(n1, sizeof n1, s->cycle));
    x += vis_text(&v->text, x, y, L->big, true, TEXT, buf) + L->font;
    const char *st;
    VisRGB sc;
    if (s->finished) {
        snprintf(buf, sizeof buf, "FINISHED  %s", s->end_message);
        st = buf;
        sc = DIM;
    } else if (s->paused) {
        st = "PAUSED";
        sc = ACCENT;
    } else {
        st = "RUNNING";
        sc = vis_hart_colour[SNAP_RUNNING];
    }
    x += vis_text(&v->text, x, ty, L->font, false, sc, st) + L->font;
    if (v->session && !s->finished) {
        if (v->speed == 0)
            snprintf(buf, sizeof buf, "speed: full");
        else
            snprintf(buf, sizeof buf, "speed: %s cycles/s",
                     num(n1, sizeof n1, v->speed));
        vis_text(&v->text, x, ty, L->font, false, DIM, buf);
    }
    const char *hint = "h: help";
    int hw = vis_text_width(&v->text, L->font, false, hint);
    vis_text(&v->text, L->w - hw - L->font / 2, ty, L->font, false, DIM,
             hint);
}

/* ---- Machine ------------------------------------------------------------ */

/* The lock hart h holds (the first), or -1. */
static int held_by(const SimSnapshot *s, int h)
{
    for (uint32_t i = 0; i < s->nlocks && i < SNAP_MAX_LOCKS; i++)
        if (s->locks[i].holder == h)
            return (int)i;
    return -1;
}

static void draw_l1(Vis *v, uint32_t core)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    uint32_t lines = s->l1_sets * s->l1_ways;
    if (!lines || !s->l1_state || L->l1_cell <= 0)
        return;
    VisRect g = L->l1[core];
    VisRect bg = {g.x - 1, g.y - 1, g.w + 1, g.h + 1};
    vis_fill(v->r, bg, BG);
    /* One batch per state: 512 cells x 64 cores stay cheap. */
    enum { BATCH = 1024 };
    SDL_Rect rects[BATCH];
    int pitch = L->l1_cell + L->l1_gap;
    for (int st = 0; st < 5; st++) {
        int n = 0;
        colour(v->r, vis_coh_colour[st], 255);
        for (uint32_t i = 0; i < lines; i++) {
            if (s->l1_state[core * lines + i] != st)
                continue;
            SDL_Rect r = {g.x + (int)(i % (uint32_t)L->l1_cols) * pitch,
                          g.y + (int)(i / (uint32_t)L->l1_cols) * pitch,
                          L->l1_cell, L->l1_cell};
            rects[n++] = r;
            if (n == BATCH) {
                SDL_RenderFillRects(v->r, rects, n);
                n = 0;
            }
        }
        if (n)
            SDL_RenderFillRects(v->r, rects, n);
    }
    if (v->view.line_valid && s->l1_addr) {
        for (uint32_t i = 0; i < lines; i++) {
            if (s->l1_state[core * lines + i] == COH_I ||
                s->l1_addr[core * lines + i] != v->view.line_addr)
                continue;
            VisRect c = {g.x + (int)(i % (uint32_t)L->l1_cols) * pitch - 2,
                         g.y + (int)(i / (uint32_t)L->l1_cols) * pitch - 2,
                         L->l1_cell + 4, L->l1_cell + 4};
            vis_frame(v->r, c, 2, HILITE);
        }
    }
}

static void draw_node_header(Vis *v, uint32_t n)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const SnapNode *nd = &s->node[n];
    VisRect b = L->node[n];
    char buf[200], a[32], m[32];
    int x = b.x + L->font / 2, y = b.y + L->small / 6;
    snprintf(buf, sizeof buf, "node %u", n);
    x += vis_text(&v->text, x, y, L->small, false, TEXT, buf) + L->small;
    if (!s->hierarchy) {
        vis_text(&v->text, x, y, L->small, false, DIM, "flat memory");
        return;
    }
    snprintf(buf, sizeof buf, "LLC %s acc  %s miss",
             brief(a, sizeof a, (double)nd->llc_accesses),
             brief(m, sizeof m, (double)nd->llc_misses));
    x += vis_text(&v->text, x, y, L->small, false, DIM, buf) + L->small;
    /* The memory controller's queue: cycles until it is free, as a bar
     * that fills at 8 DRAM accesses' worth. */
    x += vis_text(&v->text, x, y, L->small, false, DIM, "MC queue") + 4;
    int bw = L->small * 5, bh = L->small * 2 / 3;
    if (x + bw + L->small * 4 > b.x + b.w)
        return;
    VisRect bar = {x, y + L->small / 4, bw, bh};
    vis_fill(v->r, bar, BG);
    float f = (float)nd->mc_backlog / 800.0f;
    VisRect fill = {x, bar.y, (int)(bw * (f > 1 ? 1 : f)), bh};
    vis_fill(v->r, fill, vis_heat(f > 1 ? 1 : f));
    vis_frame(v->r, bar, 1, BORDER);
    snprintf(buf, sizeof buf, "%" PRIu64, nd->mc_backlog);
    vis_text(&v->text, x + bw + 4, y, L->small, false, DIM, buf);
}

static void draw_machine(Vis *v)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    uint32_t nodes = s->nodes ? s->nodes : 1;
    for (uint32_t n = 0; n < nodes && n < SNAP_MAX_NODES; n++) {
        vis_fill(v->r, L->node[n], PANEL);
        vis_frame(v->r, L->node[n], 1, BORDER);
        draw_node_header(v, n);
    }
    uint32_t T = s->threads_per_core ? s->threads_per_core : 1;
    int sel = v->view.hart;
    for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++) {
        VisRect b = L->core[c];
        vis_fill(v->r, b, CORE_BG);
        int holding = -1;
        for (uint32_t t = 0; t < T && holding < 0; t++)
            holding = held_by(s, (int)(c * T + t));
        /* A core whose hart holds a lock is framed in the core's colour,
         * the same colour as its bars on the lock timeline. */
        if (holding >= 0)
            vis_frame(v->r, b, L->font / 5 > 2 ? L->font / 5 : 3,
                      core_colour(c));
        else
            vis_frame(v->r, b, 1, BORDER);
        if (L->show_core_titles) {
            char buf[120];
            VisRect t = L->core_title[c];
            int x = t.x + 2;
            snprintf(buf, sizeof buf, "core %u", c);
            x += vis_text(&v->text, x, t.y, L->small, false, TEXT, buf);
            if (holding >= 0) {
                clip(v->r, &b);
                snprintf(buf, sizeof buf, " holds %s",
                         s->locks[holding].name);
                vis_text(&v->text, x, t.y, L->small, false, core_colour(c),
                         buf);
                clip(v->r, NULL);
            }
        }
        for (uint32_t t = 0; t < T; t++) {
            uint32_t h = c * T + t;
            if (h >= s->nharts || h >= SNAP_MAX_HARTS)
                break;
            VisRect hr = L->hart[h];
            uint8_t st = s->harts[h].state;
            VisRGB hc = vis_hart_colour[st < SNAP_STATE_COUNT ? st
                                                              : SNAP_HALTED];
            vis_fill(v->r, hr, hc);
            char lab[16];
            snprintf(lab, sizeof lab, "h%u", h);
            int lh = vis_text_height(&v->text, L->small, false);
            if (hr.w < vis_text_width(&v->text, L->small, false, lab) + 4)
                snprintf(lab, sizeof lab, "%u", h);
            if (hr.h >= lh && hr.w >= vis_text_width(&v->text, L->small,
                                                      false, lab) + 4) {
                clip(v->r, &hr);
                vis_text(&v->text, hr.x + 3, hr.y + (hr.h - lh) / 2,
                         L->small, false, ink_on(hc), lab);
                clip(v->r, NULL);
            }
            if ((int)h == sel && !v->view.line_valid && v->view.lock < 0) {
                VisRect f = {hr.x - 2, hr.y - 2, hr.w + 4, hr.h + 4};
                vis_frame(v->r, f, 2, HILITE);
            }
        }
        draw_l1(v, c);
    }
}

static void draw_legend(Vis *v)
{
    VisLayout *L = &v->L;
    int x = L->legend.x + 2, y = L->legend.y + L->small / 6;
    for (int i = 0; i < SNAP_STATE_COUNT; i++)
        x += swatch(v, x, y, L->small, vis_hart_colour[i],
                    hart_state_names[i]) + L->small / 3;
    x += L->small;
    if (!v->snap->hierarchy)
        return;
    static const char *const coh[5] = {"I", "S", "E", "O", "M"};
    x += vis_text(&v->text, x, y, L->small, false, DIM, "L1 lines:") + 4;
    for (int i = 4; i >= 0; i--)
        x += swatch(v, x, y, L->small, vis_coh_colour[i], coh[i]) + 3;
}

/* ---- Interconnect ------------------------------------------------------- */

static void draw_noc(Vis *v)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    char buf[200];
    const char *topo = s->topology < NOC_TOPOLOGY_COUNT
                           ? noc_topology_names[s->topology]
                           : "?";
    if (!s->hierarchy) {
        panel(v, L->noc, "interconnect: none (flat memory)");
        return;
    }
    snprintf(buf, sizeof buf, "interconnect: %s, %u routers - link use",
             topo, s->routers);
    panel(v, L->noc, buf);
    /* The heat scale beside the title. */
    int tx = L->noc.x + L->font / 2 +
             vis_text_width(&v->text, L->font, false, buf) + L->font / 2;
    int sw = L->font * 5;
    if (tx + sw + L->font * 3 < L->noc.x + L->noc.w) {
        for (int i = 0; i < sw; i++) {
            VisRect p = {tx + i, L->noc.y + L->font / 3, 1, L->font * 2 / 3};
            vis_fill(v->r, p, vis_heat((float)(i + 1) / (float)sw));
        }
        vis_text(&v->text, tx + sw + 4, L->noc.y + L->font / 6, L->small,
                 false, DIM, "0-100%");
    }
    clip(v->r, &L->noc);
    float tmax = fmaxf(4.0f, (float)L->font * 0.7f);
    if (s->topology == NOC_BUS) {
        float util = 0;
        uint64_t packets = 0;
        for (uint32_t i = 0; i < s->nlinks && i < SNAP_MAX_LINKS; i++) {
            util = fmaxf(util, s->links[i].util);
            packets += s->links[i].packets;
        }
        for (uint32_t r = 0; r < L->nrouters; r++)
            thick_line(v->r, L->rx[r], L->ry[r] - (float)L->bus.h * 1.4f,
                       L->rx[r], L->ry[r], 2, BORDER);
        vis_fill(v->r, L->bus, vis_heat(util));
        snprintf(buf, sizeof buf, "bus %.0f%% busy, %" PRIu64 " packets",
                 util * 100, packets);
        vis_text(&v->text, L->bus.x, L->bus.y + L->bus.h + 4, L->small,
                 false, DIM, buf);
    } else {
        for (uint32_t i = 0; i < s->nlinks && i < SNAP_MAX_LINKS; i++) {
            const SnapLink *k = &s->links[i];
            float mx, my;
            if (!vis_link_mid(L, s, i, &mx, &my))
                continue;
            float t = 1.5f + k->util * tmax;
            VisRGB c = vis_heat(k->util);
            float ax = L->rx[k->from], ay = L->ry[k->from];
            /* From the router through the midpoint (offset for the
             * direction) and as far again: the link's half that leaves
             * `from`, meeting its twin from the other end. */
            float ex = ax + 2 * (mx - ax), ey = ay + 2 * (my - ay);
            float ox = mx - (L->rx[k->to] + ax) / 2,
                  oy = my - (L->ry[k->to] + ay) / 2;
            if (s->topology == NOC_TORUS &&
                fabsf(ex - L->rx[k->to]) > 2 && fabsf(ey - L->ry[k->to]) > 2)
                thick_line(v->r, ax, ay, mx, my, t, c);   /* wrap stub */
            else
                thick_line(v->r, ax + ox, ay + oy, L->rx[k->to] + ox,
                           L->ry[k->to] + oy, t, c);
        }
    }
    /* Messages in flight at this cycle (seen when stepping): a dot part
     * way along its route, X first then Y as the mesh routes it; data
     * (a line) larger and warm, control messages small and cool. */
    float prad = fmaxf(3.0f, (float)L->font / 4.0f);
    for (uint32_t i = 0; i < s->npackets && i < SNAP_MAX_PACKETS; i++) {
        const SnapPacket *pk = &s->packets[i];
        if (pk->src >= L->nrouters || pk->dst >= L->nrouters)
            continue;
        float ax = L->rx[pk->src], ay = L->ry[pk->src];
        float bx = L->rx[pk->dst], by = L->ry[pk->dst];
        float f = fminf(fmaxf(pk->progress, 0.0f), 1.0f), x, y;
        if (s->topology == NOC_BUS) {
            x = ax + (bx - ax) * f;
            y = (float)L->bus.y + (float)L->bus.h / 2.0f;
        } else {
            float dx = fabsf(bx - ax), dy = fabsf(by - ay);
            float along = f * (dx + dy);
            if (along <= dx || dx + dy == 0) {
                x = ax + (dx ? (bx - ax) * along / dx : 0);
                y = ay;
            } else {
                x = bx;
                y = ay + (by - ay) * (along - dx) / dy;
            }
        }
        VisRGB pc = pk->data ? PACKET_DATA : PACKET_CTRL;
        disc(v->r, x, y, pk->data ? prad * 1.4f : prad, pc);
    }
    if (s->npackets) {
        snprintf(buf, sizeof buf, "%u message%s in flight", s->npackets,
                 s->npackets == 1 ? "" : "s");
        int w = vis_text_width(&v->text, L->small, false, buf);
        vis_text(&v->text, L->noc.x + L->noc.w - w - L->small / 2,
                 L->noc.y + L->noc.h - L->small * 3 / 2, L->small, false,
                 TEXT, buf);
    }

    /* Routers, labelled with what sits on them. */
    float rad = fmaxf(3.0f, (float)L->font / 3.0f);
    float spacing = L->nrouters > 1 ? fabsf(L->rx[1] - L->rx[0]) +
                                      fabsf(L->ry[1] - L->ry[0])
                                    : 1e9f;
    for (uint32_t r = 0; r < L->nrouters; r++) {
        float y = s->topology == NOC_BUS ? L->ry[r] - (float)L->bus.h * 1.4f
                                         : L->ry[r];
        disc(v->r, L->rx[r], y, rad, DIM);
        char lab[64];
        int o = 0;
        lab[0] = 0;
        for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++)
            if (s->core_router[c] == r && o < 40)
                o += snprintf(lab + o, sizeof lab - (size_t)o, "%sc%u",
                              o ? "," : "", c);
        for (uint32_t n = 0; n < s->nodes && n < SNAP_MAX_NODES; n++)
            if (s->node_router[n] == r && o < 40)
                o += snprintf(lab + o, sizeof lab - (size_t)o, "%sN%u",
                              o ? "," : "", n);
        /* Above the router and to its right: clear of the links. */
        int lw = vis_text_width(&v->text, L->small, false, lab);
        bool grid = s->topology == NOC_MESH || s->topology == NOC_TORUS;
        if (lw < spacing * 1.6f || L->nrouters <= 16)
            vis_text(&v->text,
                     grid ? (int)(L->rx[r] + rad)
                          : (int)(L->rx[r] - (float)lw / 2),
                     (int)(y - rad - (float)L->small * 1.3f), L->small, false,
                     TEXT, lab);
    }
    clip(v->r, NULL);
}

/* ---- Locks -------------------------------------------------------------- */

static void draw_locks(Vis *v)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    char buf[256], n1[32], n2[32];
    snprintf(buf, sizeof buf, "locks (%u annotated)", s->nlocks);
    panel(v, L->locks, buf);
    if (s->nlocks == 0) {
        vis_text(&v->text, L->locks.x + L->font / 2,
                 L->locks.y + L->font * 2, L->small, false, DIM,
                 "no lock has announced itself yet");
        return;
    }
    clip(v->r, &L->locks);
    int line = L->small + L->small / 3;
    uint64_t span = L->gantt_to - L->gantt_from;
    for (int k = 0; k < L->nlock_rows; k++) {
        int li = L->lock_order[k];
        const SnapLock *lk = &s->locks[li];
        VisRect row = L->lock_row[k], g = L->gantt_row[k];
        if (li == v->view.lock) {
            VisRect f = {row.x - 3, row.y - 2, row.w + 6,
                         row.h + g.h + 5};
            vis_frame(v->r, f, 2, HILITE);
        }
        int x = row.x;
        const char *kind = lk->kind < PARSIM_KIND_COUNT ? kind_names[lk->kind]
                                                        : "?";
        x += vis_text(&v->text, x, row.y, L->small, false, TEXT, lk->name);
        snprintf(buf, sizeof buf, "  %s   acquired %s   hand-offs %s", kind,
                 num(n1, sizeof n1, lk->acquisitions),
                 num(n2, sizeof n2, lk->handoffs));
        vis_text(&v->text, x, row.y, L->small, false, DIM, buf);
        int y2 = row.y + line;
        x = row.x;
        if (lk->holder >= 0) {
            x += vis_text(&v->text, x, y2, L->small, false, DIM, "held by ");
            snprintf(buf, sizeof buf, "h%d", lk->holder);
            x += swatch(v, x, y2, L->small,
                        core_colour((uint32_t)hart_core(s, lk->holder)), buf);
        } else {
            x += vis_text(&v->text, x, y2, L->small, false, DIM, "free");
        }
        if (lk->nwaiters > 0) {
            snprintf(buf, sizeof buf, "   %u waiting: ", lk->nwaiters);
            x += vis_text(&v->text, x, y2, L->small, false, DIM, buf);
            for (int w = 0; w < lk->nwaiters && w < SNAP_MAX_HARTS; w++) {
                if (x > row.x + row.w - L->small * 3) {
                    vis_text(&v->text, x, y2, L->small, false, DIM, "...");
                    break;
                }
                int h = lk->waiters[w];
                snprintf(buf, sizeof buf, "h%d", h);
                x += swatch(v, x, y2, L->small,
                            core_colour((uint32_t)hart_core(s, h)), buf) + 2;
            }
        }
        /* The timeline: who held it when, one colour per core. */
        vis_fill(v->r, g, BG);
        for (uint32_t i = 0; i < s->nholds && i < SNAP_MAX_HOLDS; i++) {
            const SnapHold *hd = &s->holds[i];
            if (hd->lock != li)
                continue;
            uint64_t to = hd->to == UINT64_MAX ? s->cycle : hd->to;
            if (to < L->gantt_from || hd->from > L->gantt_to)
                continue;
            uint64_t a = hd->from < L->gantt_from ? L->gantt_from : hd->from;
            uint64_t b = to > L->gantt_to ? L->gantt_to : to;
            int x0 = g.x + (int)((double)(a - L->gantt_from) * g.w / span);
            int x1 = g.x + (int)((double)(b - L->gantt_from) * g.w / span);
            if (x1 <= x0)
                x1 = x0 + 1;
            VisRect bar = {x0, g.y, x1 - x0, g.h};
            vis_fill(v->r, bar, core_colour((uint32_t)hart_core(s, hd->hart)));
        }
        vis_frame(v->r, g, 1, BORDER);
    }
    /* The time axis under the strips. */
    if (L->nlock_rows > 0) {
        VisRect g = L->gantt_row[L->nlock_rows - 1];
        int y = g.y + g.h + 2;
        snprintf(buf, sizeof buf, "cycle %s", num(n1, sizeof n1,
                                                   L->gantt_from));
        vis_text(&v->text, g.x, y, L->small, false, DIM, buf);
        snprintf(buf, sizeof buf, "now (%s cycles shown)",
                 num(n1, sizeof n1, span));
        int w = vis_text_width(&v->text, L->small, false, buf);
        vis_text(&v->text, g.x + g.w - w, y, L->small, false, DIM, buf);
    }
    if (L->nlock_rows < (int)s->nlocks) {
        snprintf(buf, sizeof buf, "+%d more", (int)s->nlocks - L->nlock_rows);
        int w = vis_text_width(&v->text, L->small, false, buf);
        vis_text(&v->text, L->locks.x + L->locks.w - w - L->font / 2,
                 L->locks.y + L->font / 6, L->small, false, DIM, buf);
    }
    clip(v->r, NULL);
}

/* ---- Inspector ---------------------------------------------------------- */

/* Lines first..last of the selected hart's source file, if readable. */
static const char *source_text(Vis *v, const char *file)
{
    if (v->src_tried && strcmp(v->src_name, file) == 0)
        return v->src_text;
    free(v->src_text);
    v->src_text = NULL;
    v->src_tried = true;
    snprintf(v->src_name, sizeof v->src_name, "%s", file);
    FILE *f = fopen(file, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *t = malloc(cap);
    size_t n;
    while (t && (n = fread(t + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            if (cap >= (1u << 24))
                break;
            char *nt = realloc(t, cap * 2);
            if (!nt)
                break;
            t = nt;
            cap *= 2;
        }
    }
    fclose(f);
    if (t)
        t[len] = 0;
    v->src_text = t;
    return t;
}

static void source_line_text(const char *text, int want, char *out,
                             size_t n)
{
    out[0] = 0;
    int line = 1;
    const char *p = text;
    while (*p && line < want) {
        if (*p++ == '\n')
            line++;
    }
    if (line != want || !*p)
        return;
    size_t o = 0;
    for (; *p && *p != '\n' && o + 1 < n; p++)
        out[o++] = *p == '\t' ? ' ' : *p;
    out[o] = 0;
}

/* Disassembly of the instructions around pc from the snapshot's bytes:
 * find a start in code[] from which decoding lands exactly on pc. */
static int disasm_around(const SnapHart *h, uint32_t *pcs, char (*txt)[80],
                         int max)
{
    uint32_t base = h->code_base, end = base + (uint32_t)sizeof h->code;
    if (h->pc < base || h->pc >= end)
        return 0;
    uint32_t start = h->pc;
    for (uint32_t s0 = base; s0 < h->pc; s0 += 2) {
        uint32_t a = s0;
        bool ok = true;
        while (a < h->pc) {
            uint32_t off = a - base, raw = h->code[off];
            raw |= (uint32_t)h->code[off + 1] << 8;
            if ((raw & 3) == 3) {
                if (off + 4 > sizeof h->code) {
                    ok = false;
                    break;
                }
                raw |= (uint32_t)h->code[off + 2] << 16 |
                       (uint32_t)h->code[off + 3] << 24;
            }
            IsaInsn in;
            if (!isa_decode(raw, &in)) {
                ok = false;
                break;
            }
            a += in.len;
        }
        if (ok && a == h->pc) {
            start = s0;
            break;
        }
    }
    int n = 0;
    /* Keep at most max/2 before pc. */
    uint32_t addrs[64];
    int na = 0;
    for (uint32_t a = start; a + 2 <= end && na < 64;) {
        uint32_t off = a - base, raw = h->code[off];
        raw |= (uint32_t)h->code[off + 1] << 8;
        if ((raw & 3) == 3) {
            if (off + 4 > sizeof h->code)
                break;
            raw |= (uint32_t)h->code[off + 2] << 16 |
                   (uint32_t)h->code[off + 3] << 24;
        }
        IsaInsn in;
        bool legal = isa_decode(raw, &in);
        addrs[na++] = a;
        a += in.len ? in.len : 2;
        (void)legal;
    }
    int at = 0;
    for (int i = 0; i < na; i++)
        if (addrs[i] == h->pc)
            at = i;
    int first = at - max / 2 + 1 > 0 ? at - max / 2 + 1 : 0;
    for (int i = first; i < na && n < max; i++) {
        uint32_t a = addrs[i], off = a - base, raw = h->code[off];
        raw |= (uint32_t)h->code[off + 1] << 8;
        if ((raw & 3) == 3 && off + 4 <= sizeof h->code)
            raw |= (uint32_t)h->code[off + 2] << 16 |
                   (uint32_t)h->code[off + 3] << 24;
        IsaInsn in;
        char d[64];
        if (isa_decode(raw, &in))
            isa_disasm(&in, a, d, sizeof d, NULL, NULL);
        else
            snprintf(d, sizeof d, "(not an instruction)");
        for (char *c = d; *c; c++)
            if (*c == '\t')
                *c = ' ';
        pcs[n] = a;
        snprintf(txt[n], sizeof txt[n], "%08x  %s", a, d);
        n++;
    }
    return n;
}

static void draw_hart_inspector(Vis *v, int hi)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const SnapHart *h = &s->harts[hi];
    VisRect a = L->inspector;
    char buf[512], n1[32], n2[32];
    int x = a.x + L->font / 2, y = a.y + L->font / 6;
    int lh = vis_text_height(&v->text, L->small, true);
    uint8_t st = h->state < SNAP_STATE_COUNT ? h->state : SNAP_HALTED;
    snprintf(buf, sizeof buf, "hart %u  core %u thread %u  ", h->id, h->core,
             h->thread);
    int xx = x + vis_text(&v->text, x, y, L->font, false, TEXT, buf);
    swatch(v, xx, y, L->font, vis_hart_colour[st], hart_state_names[st]);
    y += vis_text_height(&v->text, L->font, false) + 2;

    char where[300] = "";
    if (v->info)
        sim_session_describe(v->info, h->pc, where, sizeof where);
    snprintf(buf, sizeof buf, "pc %08x  %s", h->pc, where);
    vis_text(&v->text, x, y, L->small, true, ACCENT, buf);
    y += lh;
    double ipc = h->cycle ? (double)h->instret / (double)h->cycle : 0;
    snprintf(buf, sizeof buf,
             "%s insns  IPC %.2f  %s misses  %" PRIu64 " acquired  %" PRIu64
             " invalidated",
             num(n1, sizeof n1, h->instret), ipc,
             num(n2, sizeof n2, h->misses), h->acquisitions,
             h->invalidations);
    vis_text(&v->text, x, y, L->small, false, DIM, buf);
    y += lh;

    /* Stall breakdown: a bar over the hart's cycles. */
    uint64_t parts[5] = {h->stall_memory, h->stall_fu, h->stall_blocked,
                         h->stall_spin, h->stall_slot};
    static const char *const pn[5] = {"memory", "func.unit", "blocked",
                                      "spinning", "issue-slot"};
    static const int pc_[5] = {SNAP_MEMORY, SNAP_HALTED, SNAP_BLOCKED,
                               SNAP_SPINNING, SNAP_HALTED};
    int bw = a.w - L->font, bh = L->small * 2 / 3;
    VisRect bar = {x, y + 2, bw, bh};
    vis_fill(v->r, bar, vis_hart_colour[SNAP_RUNNING]);
    int bx = x;
    for (int i = 0; i < 5 && h->cycle; i++) {
        int w = (int)((double)parts[i] * bw / (double)h->cycle);
        if (bx + w > x + bw)
            w = x + bw - bx;
        VisRect p = {bx, y + 2, w, bh};
        VisRGB c = vis_hart_colour[pc_[i]];
        if (i == 1)
            c = (VisRGB){150, 110, 200};
        vis_fill(v->r, p, c);
        bx += w;
    }
    y += bh + 4;
    int sx = x;
    sx += vis_text(&v->text, sx, y, L->small, false, DIM, "stalled ");
    for (int i = 0; i < 5; i++) {
        if (!parts[i])
            continue;
        VisRGB c = i == 1 ? (VisRGB){150, 110, 200} : vis_hart_colour[pc_[i]];
        VisRect sq = {sx, y + lh / 4, lh / 2, lh / 2};
        vis_fill(v->r, sq, c);
        sx += lh / 2 + 3;
        snprintf(buf, sizeof buf, "%s %s  ", pn[i],
                 num(n1, sizeof n1, parts[i]));
        sx += vis_text(&v->text, sx, y, L->small, false, DIM, buf);
    }
    y += lh + 2;

    /* Source and disassembly side by side when wide enough. */
    int colw = a.w * 11 / 20 - L->font / 2;
    int top = y;
    const char *file = NULL;
    int line = 0;
    int nsrc = 5;
    if (v->info && sim_session_source_line(v->info, h->pc, &file, &line) &&
        file) {
        const char *text = source_text(v, file);
        if (text) {
            VisRect c = {x, y, colw, lh * nsrc};
            clip(v->r, &c);
            for (int i = 0; i < nsrc; i++) {
                int ln = line - nsrc / 2 + i;
                if (ln < 1)
                    continue;
                char src[200];
                source_line_text(text, ln, src, sizeof src);
                snprintf(buf, sizeof buf, "%4d %s", ln, src);
                if (ln == line) {
                    VisRect hl = {x, y + i * lh, colw, lh};
                    vis_fill(v->r, hl, CORE_BG);
                }
                vis_text(&v->text, x, y + i * lh, L->small, true,
                         ln == line ? TEXT : DIM, buf);
            }
            clip(v->r, NULL);
        } else {
            const char *base = strrchr(file, '/');
            snprintf(buf, sizeof buf, "%s:%d (source not readable)",
                     base ? base + 1 : file, line);
            VisRect c = {x, y, colw, lh};
            clip(v->r, &c);
            vis_text(&v->text, x, y, L->small, false, DIM, buf);
            clip(v->r, NULL);
        }
    } else {
        vis_text(&v->text, x, y, L->small, false, DIM, "no line information");
    }
    uint32_t pcs[12];
    char txt[12][80];
    int nd = disasm_around(h, pcs, txt, nsrc);
    int dx = x + colw + L->font / 2;
    VisRect dc = {dx, top, a.x + a.w - dx - 2, lh * nsrc};
    clip(v->r, &dc);
    for (int i = 0; i < nd; i++) {
        bool cur = pcs[i] == h->pc;
        if (cur) {
            VisRect hl = {dx, top + i * lh, dc.w, lh};
            vis_fill(v->r, hl, CORE_BG);
        }
        vis_text(&v->text, dx, top + i * lh, L->small, true,
                 cur ? ACCENT : DIM, txt[i]);
    }
    clip(v->r, NULL);
    y = top + lh * (nd > nsrc ? nd : nsrc) + 4;

    /* Registers, four columns. */
    int cw = (a.w - L->font) / 4;
    VisRect rc = {a.x, y, a.w, a.y + a.h - y};
    clip(v->r, &rc);
    for (int i = 0; i < 32; i++) {
        int col = i / 8, row = i % 8;
        snprintf(buf, sizeof buf, "%-4s %08x", abi_names[i], h->x[i]);
        vis_text(&v->text, x + col * cw, y + row * lh, L->small, true,
                 h->x[i] ? TEXT : DIM, buf);
    }
    clip(v->r, NULL);
}

static void draw_line_inspector(Vis *v)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    VisRect a = L->inspector;
    char buf[512], name[200] = "";
    int x = a.x + L->font / 2, y = a.y + L->font / 6;
    uint32_t addr = v->view.line_addr;
    if (v->info)
        sim_session_data_name(v->info, addr, name, sizeof name);
    snprintf(buf, sizeof buf, "cache line %08x  %s", addr, name);
    vis_text(&v->text, x, y, L->font, false, TEXT, buf);
    y += vis_text_height(&v->text, L->font, false) + 4;
    uint32_t sets = s->l1_sets, ways = s->l1_ways;
    uint32_t line = s->line_size ? s->line_size : 64;
    if (!sets || !ways || !s->l1_state || !s->l1_addr)
        return;
    uint32_t set = (addr / line) % sets;
    snprintf(buf, sizeof buf, "L1D set %u of %u; state in every core:", set,
             sets);
    vis_text(&v->text, x, y, L->small, false, DIM, buf);
    y += vis_text_height(&v->text, L->small, false) + 2;
    static const char *const coh[5] = {"I", "S", "E", "O", "M"};
    char sharers[400] = "";
    int so = 0, owner = -1;
    int xx = x;
    for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++) {
        int st = COH_I;
        for (uint32_t w = 0; w < ways; w++) {
            size_t i = ((size_t)c * sets + set) * ways + w;
            if (s->l1_state[i] != COH_I && s->l1_addr[i] == addr)
                st = s->l1_state[i];
        }
        if (st != COH_I && so < 360)
            so += snprintf(sharers + so, sizeof sharers - (size_t)so, " c%u",
                           c);
        if (st == COH_M || st == COH_O || st == COH_E)
            owner = (int)c;
        snprintf(buf, sizeof buf, "c%u %s", c, coh[st < 5 ? st : 0]);
        int w = vis_text_width(&v->text, L->small, false, buf) + L->small;
        if (xx + w > a.x + a.w - L->font / 2) {
            xx = x;
            y += vis_text_height(&v->text, L->small, false) + 3;
        }
        xx += swatch(v, xx, y, L->small, vis_coh_colour[st < 5 ? st : 0],
                     buf) + 4;
    }
    y += vis_text_height(&v->text, L->small, false) + 8;
    snprintf(buf, sizeof buf, "held by:%s", so ? sharers : " no L1");
    vis_text(&v->text, x, y, L->small, false, TEXT, buf);
    y += vis_text_height(&v->text, L->small, false) + 2;
    if (owner >= 0) {
        snprintf(buf, sizeof buf, "owner: core %d (answers misses to it)",
                 owner);
        vis_text(&v->text, x, y, L->small, false, TEXT, buf);
    }
}

static void draw_inspector(Vis *v)
{
    VisLayout *L = &v->L;
    panel(v, L->inspector, NULL);
    clip(v->r, &L->inspector);
    if (v->view.line_valid) {
        draw_line_inspector(v);
    } else {
        int h = v->view.hart;
        if (v->view.lock >= 0 && v->view.lock < (int)v->snap->nlocks &&
            v->snap->locks[v->view.lock].holder >= 0)
            h = v->snap->locks[v->view.lock].holder;
        if (h < 0 || h >= (int)v->snap->nharts)
            h = vis_default_hart(v->snap);
        if (h >= 0 && h < (int)v->snap->nharts)
            draw_hart_inspector(v, h);
    }
    clip(v->r, NULL);
}

/* ---- Counters ----------------------------------------------------------- */

enum { C_CYCLE, C_INSNS, C_IPC, C_MIPS, C_MISSES, C_MSGS, C_COUNT };

static double series(const SimSnapshot *s, int which, uint32_t i)
{
    const SnapSample *b = &s->samples[i];
    if (which == C_CYCLE)
        return (double)b->cycle;
    if (which == C_INSNS)
        return (double)b->instret;
    if (i == 0)
        return 0;
    /* Rates over at least 1,000 cycles (or from the first sample), so that
     * single steps do not make them jump to 0 and back. */
    uint32_t j = i - 1;
    while (j > 0 && b->cycle - s->samples[j].cycle < 1000)
        j--;
    const SnapSample *a = &s->samples[j];
    double dc = b->cycle > a->cycle ? (double)(b->cycle - a->cycle) : 0;
    double di = b->instret > a->instret ? (double)(b->instret - a->instret)
                                        : 0;
    switch (which) {
    case C_IPC:
        return dc > 0 ? di / dc : 0;
    case C_MIPS: {
        double dt = b->host_seconds - a->host_seconds;
        return dt > 1e-9 ? di / dt / 1e6 : 0;
    }
    case C_MISSES:
        return dc > 0 ? (double)(b->misses - a->misses) * 1000.0 / dc : 0;
    default:
        return dc > 0 ? (double)(b->messages - a->messages) * 1000.0 / dc : 0;
    }
}

static void draw_counters(Vis *v)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    static const char *const names[C_COUNT] = {
        "cycle", "instructions", "IPC (all harts)", "simulated MIPS",
        "misses / kilo-cycle", "coherence msgs / kilo-cycle"};
    static const VisRGB lc[C_COUNT] = {
        {170, 180, 200}, {170, 180, 200}, {60, 190, 90},
        {90, 170, 235},  {240, 170, 40},  {225, 80, 70}};
    vis_fill(v->r, L->counters, PANEL);
    vis_frame(v->r, L->counters, 1, BORDER);
    int cw = L->w / C_COUNT;
    uint32_t n = s->nsamples < SNAP_HISTORY ? s->nsamples : SNAP_HISTORY;
    for (int k = 0; k < C_COUNT; k++) {
        int x = k * cw + L->font / 2, y = L->counters.y + L->small / 4;
        VisRect cell = {k * cw, L->counters.y, cw, L->counters.h};
        clip(v->r, &cell);
        vis_text(&v->text, x, y, L->small, false, DIM, names[k]);
        y += vis_text_height(&v->text, L->small, false);
        double now;
        if (k == C_CYCLE)
            now = (double)s->cycle;
        else if (k == C_INSNS) {
            now = 0;
            for (uint32_t h = 0; h < s->nharts && h < SNAP_MAX_HARTS; h++)
                now += (double)s->harts[h].instret;
        } else
            now = n > 1 ? series(s, k, n - 1) : 0;
        char buf[64];
        if (k == C_IPC)
            snprintf(buf, sizeof buf, "%.2f", now);
        else if (k <= C_INSNS) {
            char t[32];
            snprintf(buf, sizeof buf, "%s", num(t, sizeof t, (uint64_t)now));
        } else
            brief(buf, sizeof buf, now);
        vis_text(&v->text, x, y, L->big, true, TEXT, buf);
        y += vis_text_height(&v->text, L->big, true);
        /* The sparkline: the samples, scaled to their own maximum. */
        VisRect sp = {x, y, cw - L->font, L->counters.y + L->counters.h - y -
                                              L->small / 3};
        if (sp.h > 4 && n > 1) {
            double mx = 0;
            for (uint32_t i = 1; i < n; i++)
                mx = fmax(mx, series(s, k, i));
            if (mx <= 0)
                mx = 1;
            vis_fill(v->r, sp, BG);
            float px = 0, py = 0;
            for (uint32_t i = 1; i < n; i++) {
                float fx = (float)sp.x + (float)(i - 1) * (float)(sp.w - 1) /
                                             (float)(n > 2 ? n - 2 : 1);
                float fy = (float)(sp.y + sp.h - 1) -
                           (float)(series(s, k, i) / mx) * (float)(sp.h - 2);
                if (i > 1)
                    thick_line(v->r, px, py, fx, fy, 2, lc[k]);
                px = fx;
                py = fy;
            }
        }
        clip(v->r, NULL);
    }
}

/* ---- Help --------------------------------------------------------------- */

static const char *const help_lines[][2] = {
    {"space", "run / pause"},
    {"s", "step one cycle (paused)"},
    {"S", "step 1,000 cycles"},
    {"n", "step to the next event of the selected hart (miss, lock, "
          "invalidation) or lock (acquire, release)"},
    {"+  -", "faster / slower: 1 cycle/s ... full speed"},
    {"r", "restart the program (paused at cycle 0)"},
    {"click", "a hart or core: inspect it; an L1 cell: inspect the line; "
              "a lock: select it"},
    {"Tab", "select the next hart"},
    {"Esc", "clear the selection (Esc again, or q: quit)"},
    {"h", "this help"},
};

static void draw_help(Vis *v)
{
    VisLayout *L = &v->L;
    int n = (int)(sizeof help_lines / sizeof help_lines[0]);
    int lh = vis_text_height(&v->text, L->font, false) + 4;
    int w = L->w * 3 / 4, h = (n + 3) * lh;
    VisRect box = {(L->w - w) / 2, (L->h - h) / 2, w, h};
    SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(v->r, 0, 0, 0, 150);
    SDL_RenderFillRect(v->r, NULL);
    SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
    vis_fill(v->r, box, PANEL);
    vis_frame(v->r, box, 2, ACCENT);
    int x = box.x + L->font, y = box.y + lh / 2;
    vis_text(&v->text, x, y, L->big, false, ACCENT, "parsim keys");
    y += lh + lh / 2;
    clip(v->r, &box);
    for (int i = 0; i < n; i++) {
        vis_text(&v->text, x, y, L->font, true, TEXT, help_lines[i][0]);
        vis_text(&v->text, x + L->font * 5, y, L->font, false, DIM,
                 help_lines[i][1]);
        y += lh;
    }
    clip(v->r, NULL);
}

/* ---- The frame ---------------------------------------------------------- */

void vis_draw(Vis *v, int w, int h)
{
    if (!v->snap)
        return;
    v->text.frame++;
    vis_layout(&v->L, v->snap, w, h);
    colour(v->r, BG, 255);
    SDL_RenderClear(v->r);
    draw_top(v);
    draw_machine(v);
    draw_legend(v);
    draw_noc(v);
    draw_locks(v);
    draw_inspector(v);
    draw_counters(v);
    if (v->view.help)
        draw_help(v);
}
