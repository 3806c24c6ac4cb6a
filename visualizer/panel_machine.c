/* panel_machine.c — the machine: a box per NUMA node (its LLC and memory
 * controller queue), a box per core (its number, and a thick outline while
 * one of its harts holds a lock), a cell per hart coloured by what it
 * does, and each core's L1D as a grid of lines coloured by coherence
 * state.  Clicking a hart or a core inspects it; clicking a grid cell
 * inspects that line.  Also the legend under it, which names the
 * colours.
 *
 * The layout comes from the snapshot's shape alone (nodes x cores x
 * threads, L1 geometry), so that drawing, clicking and the tests agree. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "visualizer/vis_priv.h"

/* ---- Layout ------------------------------------------------------------- */

/* Columns for n items of width/height ratio `aspect` in W x H that make
 * the items largest. */
static int fit_cols(int n, int W, int H, float aspect)
{
    int best = 1;
    float best_h = -1;
    if (n <= 0)
        return 1;
    for (int c = 1; c <= n; c++) {
        int r = (n + c - 1) / c;
        float iw = (float)W / (float)c, ih = (float)H / (float)r;
        float s = fminf(iw / aspect, ih);
        if (s > best_h + 0.01f) {
            best_h = s;
            best = c;
        }
    }
    return best;
}

static void machine_layout(VisLayout *L, const SimSnapshot *snap, VisRect m)
{
    VisMachineLayout *M = &L->m;
    uint32_t nodes = snap->nodes ? snap->nodes : 1;
    uint32_t cores = snap->cores, T = snap->threads_per_core;
    if (nodes > SNAP_MAX_NODES)
        nodes = SNAP_MAX_NODES;
    if (cores > SNAP_MAX_CORES)
        cores = SNAP_MAX_CORES;
    if (T == 0)
        T = 1;
    uint32_t per_node = (cores + nodes - 1) / nodes;
    int gap = vis_clampi(L->font / 3, 2, 10);

    /* Nodes: boxes of about the shape their cores want. */
    float core_aspect = 1.35f;
    int pc = fit_cols((int)per_node, 400, 300, core_aspect);
    int pr = ((int)per_node + pc - 1) / pc;
    float node_aspect = (pc * core_aspect) / (float)pr;
    int ncols = fit_cols((int)nodes, m.w, m.h, node_aspect);
    int nrows = ((int)nodes + ncols - 1) / ncols;
    int nw = (m.w - (ncols - 1) * gap) / ncols;
    int nh = (m.h - (nrows - 1) * gap) / nrows;
    int head = L->small + L->small / 2;
    for (uint32_t n = 0; n < nodes; n++) {
        int c = (int)n % ncols, r = (int)n / ncols;
        M->node[n] = vis_rect(m.x + c * (nw + gap), m.y + r * (nh + gap), nw,
                              nh);
    }

    /* Cores inside their node, below the node's header line. */
    VisRect in0 = vis_rect(M->node[0].x + gap, M->node[0].y + head,
                           M->node[0].w - 2 * gap, M->node[0].h - head - gap);
    int ccols = fit_cols((int)per_node, in0.w, in0.h, core_aspect);
    int crows = ((int)per_node + ccols - 1) / ccols;
    int cw = (in0.w - (ccols - 1) * gap) / ccols;
    int ch = (in0.h - (crows - 1) * gap) / crows;
    /* No taller than wide: a row of cores in a short panel stays clear
     * of what is under it (its grid is square anyway). */
    if (ch > cw && crows == 1)
        ch = cw;
    M->show_core_titles = ch >= 4 * L->small;
    int title = M->show_core_titles ? L->small + L->small / 3 : 0;
    int ipad = vis_clampi(cw / 30, 1, 6);
    int hart_h = vis_clampi(ch / 4, 6, L->font * 2);
    if (!snap->hierarchy || snap->l1_sets == 0)
        hart_h = ch - title - 2 * ipad;

    /* The L1 grid: sets x ways cells as large as fit below the harts. */
    uint32_t lines = snap->hierarchy ? snap->l1_sets * snap->l1_ways : 0;
    int gw = cw - 2 * ipad, gh = ch - title - hart_h - 3 * ipad;
    M->l1_cols = 1;
    M->l1_cell = M->l1_gap = 0;
    if (lines > 0 && gw > 0 && gh > 0) {
        int cols = fit_cols((int)lines, gw, gh, 1.0f);
        /* Whole sets per row where that costs little. */
        if (snap->l1_ways > 1 && cols > (int)snap->l1_ways)
            cols -= cols % (int)snap->l1_ways;
        int rows = ((int)lines + cols - 1) / cols;
        int pitch = gw / cols < gh / rows ? gw / cols : gh / rows;
        if (pitch < 1)
            pitch = 1;
        M->l1_cols = cols;
        M->l1_gap = pitch >= 4 ? 1 : 0;
        M->l1_cell = pitch - M->l1_gap;
    }
    int pitch = M->l1_cell + M->l1_gap;
    int grid_w = M->l1_cols * pitch;
    int grid_h = lines ? (((int)lines + M->l1_cols - 1) / M->l1_cols) * pitch
                       : 0;

    for (uint32_t core = 0; core < cores; core++) {
        uint32_t n = core / per_node, k = core % per_node;
        if (n >= nodes)
            n = nodes - 1;
        VisRect nb = M->node[n];
        int c = (int)k % ccols, r = (int)k / ccols;
        VisRect cb = vis_rect(nb.x + gap + c * (cw + gap),
                              nb.y + head + r * (ch + gap), cw, ch);
        M->core[core] = cb;
        M->core_title[core] = vis_rect(cb.x + ipad, cb.y + ipad / 2,
                                       cb.w - 2 * ipad, title);
        int hy = cb.y + title + ipad;
        int tw = (cb.w - 2 * ipad - ((int)T - 1) * 2) / (int)T;
        for (uint32_t t = 0; t < T; t++) {
            uint32_t h = core * T + t;
            if (h < SNAP_MAX_HARTS)
                M->hart[h] = vis_rect(cb.x + ipad + (int)t * (tw + 2), hy,
                                      tw, hart_h);
        }
        if (lines)
            M->l1[core] = vis_rect(cb.x + (cb.w - grid_w) / 2,
                                   hy + hart_h + ipad, grid_w, grid_h);
        else
            M->l1[core] = vis_rect(0, 0, 0, 0);
    }
}

/* Cell i of core c's L1 grid. */
static VisRect l1_cell(const VisMachineLayout *M, uint32_t c, uint32_t i)
{
    int pitch = M->l1_cell + M->l1_gap;
    return vis_rect(M->l1[c].x + (int)(i % (uint32_t)M->l1_cols) * pitch,
                    M->l1[c].y + (int)(i / (uint32_t)M->l1_cols) * pitch,
                    M->l1_cell, M->l1_cell);
}

static bool machine_part(const VisLayout *L, const SimSnapshot *snap,
                         VisPart part, uint32_t index, VisRect *out)
{
    const VisMachineLayout *M = &L->m;
    uint32_t lines = snap->l1_sets * snap->l1_ways;
    switch (part) {
    case VIS_PART_HART:
        if (index >= snap->nharts || index >= SNAP_MAX_HARTS)
            return false;
        *out = M->hart[index];
        return true;
    case VIS_PART_CORE:
        if (index >= snap->cores || index >= SNAP_MAX_CORES)
            return false;
        *out = M->core[index];
        return true;
    case VIS_PART_L1:
        if (index >= snap->cores || index >= SNAP_MAX_CORES || !lines)
            return false;
        *out = M->l1[index];
        return true;
    case VIS_PART_L1_LINE:
        if (!lines || index / lines >= snap->cores ||
            index / lines >= SNAP_MAX_CORES)
            return false;
        *out = l1_cell(M, index / lines, index % lines);
        return true;
    case VIS_PART_NODE:
        if (index >= snap->nodes || index >= SNAP_MAX_NODES)
            return false;
        *out = M->node[index];
        return true;
    default:
        return false;
    }
}

/* ---- Drawing ------------------------------------------------------------ */

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
    const VisMachineLayout *M = &v->L.m;
    uint32_t lines = s->l1_sets * s->l1_ways;
    if (!lines || !s->l1_state || M->l1_cell <= 0)
        return;
    VisRect g = M->l1[core];
    VisRect bg = {g.x - 1, g.y - 1, g.w + 1, g.h + 1};
    vis_fill(v->r, bg, v->col->bg);
    /* One batch per state: 512 cells x 64 cores stay cheap. */
    enum { BATCH = 1024 };
    SDL_Rect rects[BATCH];
    for (int st = 0; st < SNAP_LINE_STATE_COUNT; st++) {
        int n = 0;
        vis_colour(v->r, v->col->line[st], 255);
        for (uint32_t i = 0; i < lines; i++) {
            if (s->l1_state[core * lines + i] != st)
                continue;
            VisRect c = l1_cell(M, core, i);
            rects[n++] = (SDL_Rect){c.x, c.y, c.w, c.h};
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
            if (s->l1_state[core * lines + i] == SNAP_LINE_I ||
                s->l1_addr[core * lines + i] != v->view.line_addr)
                continue;
            VisRect c = l1_cell(M, core, i);
            VisRect f = {c.x - 2, c.y - 2, c.w + 4, c.h + 4};
            vis_frame(v->r, f, 2, v->col->hilite);
        }
    }
}

static void draw_node_header(Vis *v, uint32_t n)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const SnapNode *nd = &s->node[n];
    VisRect b = L->m.node[n];
    char buf[200], a[32], m[32];
    int x = b.x + L->font / 2, y = b.y + L->small / 6;
    snprintf(buf, sizeof buf, "node %u", n);
    x += vis_text(&v->text, x, y, L->small, false, v->col->text, buf) + L->small;
    if (!s->hierarchy) {
        vis_text(&v->text, x, y, L->small, false, v->col->dim, "flat memory");
        return;
    }
    snprintf(buf, sizeof buf, "LLC %s acc  %s miss",
             vis_brief(a, sizeof a, (double)nd->llc_accesses),
             vis_brief(m, sizeof m, (double)nd->llc_misses));
    x += vis_text(&v->text, x, y, L->small, false, v->col->dim, buf) + L->small;
    /* The memory controller's queue: cycles until it is free, as a bar
     * that fills at 8 DRAM accesses' worth. */
    x += vis_text(&v->text, x, y, L->small, false, v->col->dim, "MC queue") + 4;
    int bw = L->small * 5, bh = L->small * 2 / 3;
    if (x + bw + L->small * 4 > b.x + b.w)
        return;
    VisRect bar = {x, y + L->small / 4, bw, bh};
    vis_fill(v->r, bar, v->col->bg);
    float f = (float)nd->mc_backlog / 800.0f;
    VisRect fill = {x, bar.y, (int)(bw * (f > 1 ? 1 : f)), bh};
    vis_fill(v->r, fill, v->col->dim);     /* a length, not a state */
    vis_frame(v->r, bar, 1, v->col->border);
    snprintf(buf, sizeof buf, "%" PRIu64, nd->mc_backlog);
    vis_text(&v->text, x + bw + 4, y, L->small, false, v->col->dim, buf);
}

static void draw_hart(Vis *v, uint32_t h)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    VisRect hr = L->m.hart[h];
    uint8_t st = s->harts[h].state;
    VisRGB hc = v->col->hart[st < SNAP_STATE_COUNT ? st : SNAP_HALTED];
    vis_fill(v->r, hr, hc);
    char lab[16];
    snprintf(lab, sizeof lab, "h%u", h);
    int lh = vis_text_height(&v->text, L->small, false);
    if (hr.w < vis_text_width(&v->text, L->small, false, lab) + 4)
        snprintf(lab, sizeof lab, "%u", h);
    if (hr.h >= lh &&
        hr.w >= vis_text_width(&v->text, L->small, false, lab) + 4) {
        vis_clip(v->r, &hr);
        vis_text(&v->text, hr.x + 3, hr.y + (hr.h - lh) / 2, L->small, false,
                 vis_ink_on(hc), lab);
        vis_clip(v->r, NULL);
    }
    if ((int)h == v->view.hart && !v->view.line_valid && v->view.lock < 0) {
        VisRect f = {hr.x - 2, hr.y - 2, hr.w + 4, hr.h + 4};
        vis_frame(v->r, f, 2, v->col->hilite);
    }
}

static void machine_draw(Vis *v, VisRect r)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    (void)r;
    uint32_t nodes = s->nodes ? s->nodes : 1;
    for (uint32_t n = 0; n < nodes && n < SNAP_MAX_NODES; n++) {
        vis_fill(v->r, L->m.node[n], v->col->panel_bg);
        vis_frame(v->r, L->m.node[n], 1, v->col->border);
        /* Inside its box (many nodes: narrow boxes). */
        VisRect nb = L->m.node[n];
        vis_clip(v->r, &nb);
        draw_node_header(v, n);
        vis_clip(v->r, NULL);
    }
    uint32_t T = s->threads_per_core ? s->threads_per_core : 1;
    for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++) {
        VisRect b = L->m.core[c];
        vis_fill(v->r, b, v->col->core_bg);
        int holding = -1;
        for (uint32_t t = 0; t < T && holding < 0; t++)
            holding = held_by(s, (int)(c * T + t));
        /* A core whose hart holds a lock is framed thick in the outline
         * colour (a core is its number and its outline, never a fill:
         * the fills are the states'). */
        if (holding >= 0)
            vis_frame(v->r, b, L->font / 5 > 2 ? L->font / 5 : 3,
                      v->col->hilite);
        else
            vis_frame(v->r, b, 1, v->col->border);
        if (L->m.show_core_titles) {
            char buf[120];
            VisRect t = L->m.core_title[c];
            int x = t.x + 2;
            snprintf(buf, sizeof buf, "core %u", c);
            x += vis_text(&v->text, x, t.y, L->small, false, v->col->text, buf);
            if (holding >= 0) {
                vis_clip(v->r, &b);
                snprintf(buf, sizeof buf, " holds %s",
                         s->locks[holding].name);
                vis_text(&v->text, x, t.y, L->small, false, v->col->text,
                         buf);
                vis_clip(v->r, NULL);
            }
        }
        for (uint32_t t = 0; t < T; t++) {
            uint32_t h = c * T + t;
            if (h >= s->nharts || h >= SNAP_MAX_HARTS)
                break;
            draw_hart(v, h);
        }
        draw_l1(v, c);
    }
}

/* ---- Clicks ------------------------------------------------------------- */

static bool machine_click(Vis *v, VisRect r, int x, int y)
{
    const SimSnapshot *s = v->snap;
    const VisMachineLayout *M = &v->L.m;
    (void)r;
    for (uint32_t h = 0; h < s->nharts && h < SNAP_MAX_HARTS; h++)
        if (vis_inside(M->hart[h], x, y)) {
            vis_select_hart(v, (int)h);
            return true;
        }
    uint32_t lines = s->l1_sets * s->l1_ways;
    int pitch = M->l1_cell + M->l1_gap;
    for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++) {
        VisRect g = M->l1[c];
        if (lines && pitch > 0 && s->l1_addr && vis_inside(g, x, y)) {
            uint32_t i = (uint32_t)((y - g.y) / pitch) * (uint32_t)M->l1_cols +
                         (uint32_t)((x - g.x) / pitch);
            /* An invalid cell holds no line: nothing to inspect. */
            if (i < lines && s->l1_state[c * lines + i] != SNAP_LINE_I)
                vis_select_line(v, s->l1_addr[c * lines + i]);
            return true;
        }
        if (vis_inside(M->core[c], x, y)) {
            uint32_t T = s->threads_per_core ? s->threads_per_core : 1;
            vis_select_hart(v, (int)(c * T));
            return true;
        }
    }
    return false;
}

static const VisClickHelp machine_clicks[] = {
    {"a hart or a core", "inspect it (for `n`)"},
    {"a cell of an L1 grid", "inspect that cache line (for `l`)"},
    {NULL, NULL},
};

const VisPanel vis_panel_machine = {
    .name = "machine",
    .reads = "nodes, cores, threads_per_core, nharts, harts[].state, "
             "locks[].holder and name, node[] (LLC, memory controller), "
             "hierarchy, l1_sets, l1_ways, l1_state, l1_addr",
    .place = VIS_PLACE_LEFT,
    .gap = 2,
    .height = NULL,
    .layout = machine_layout,
    .draw = machine_draw,
    .click = machine_click,
    .clicks = machine_clicks,
    .part = machine_part,
};

/* ---- The legend --------------------------------------------------------- */

static int legend_height(const VisLayout *L, const SimSnapshot *s)
{
    (void)s;
    return L->small + L->small / 2;
}

static void legend_draw(Vis *v, VisRect r)
{
    VisLayout *L = &v->L;
    const SimSnapshot *s = v->snap;
    int x = r.x + 2, y = r.y + L->small / 6;
    for (int i = 0; i < SNAP_STATE_COUNT; i++)
        x += vis_swatch(v, x, y, L->small, v->col->hart[i],
                        vis_hart_state_names[i]) + L->small / 3;
    x += L->small;
    if (!s->hierarchy)
        return;
    x += vis_text(&v->text, x, y, L->small, false, v->col->dim, "L1 lines:") + 4;
    for (int i = SNAP_LINE_STATE_COUNT - 1; i >= 0; i--)
        x += vis_swatch(v, x, y, L->small, v->col->line[i],
                        s->line_state_names[i]) + 3;
    /* How to read a grid: a cell per line, a set's ways side by side. */
    char buf[96];
    snprintf(buf, sizeof buf, "%u sets x %u ways", s->l1_sets, s->l1_ways);
    int w = vis_text_width(&v->text, L->small, false, buf);
    if (s->l1_sets && x + L->small + w <= r.x + r.w)
        vis_text(&v->text, x + L->small, y, L->small, false, v->col->dim, buf);
}

const VisPanel vis_panel_legend = {
    .name = "legend",
    .reads = "hierarchy, line_state_names, l1_sets, l1_ways",
    .place = VIS_PLACE_LEFT,
    .gap = 1,
    .height = legend_height,
    .draw = legend_draw,
};
