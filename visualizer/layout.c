/* layout.c — where everything goes, computed from the window size and the
 * snapshot's shape alone (nodes x cores x threads, L1 geometry, topology),
 * so that drawing, clicking and the tests agree on it.
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
 */
#include <math.h>
#include <string.h>

#include "models/noc.h"
#include "visualizer/vis_priv.h"

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

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

static VisRect rect(int x, int y, int w, int h)
{
    VisRect r = {x, y, w < 0 ? 0 : w, h < 0 ? 0 : h};
    return r;
}

static void layout_cores(VisLayout *L, const SimSnapshot *snap)
{
    uint32_t nodes = snap->nodes ? snap->nodes : 1;
    uint32_t cores = snap->cores, T = snap->threads_per_core;
    if (nodes > SNAP_MAX_NODES)
        nodes = SNAP_MAX_NODES;
    if (cores > SNAP_MAX_CORES)
        cores = SNAP_MAX_CORES;
    if (T == 0)
        T = 1;
    uint32_t per_node = (cores + nodes - 1) / nodes;
    int gap = clampi(L->font / 3, 2, 10);
    VisRect m = L->machine;

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
        L->node[n] = rect(m.x + c * (nw + gap), m.y + r * (nh + gap), nw, nh);
    }

    /* Cores inside their node, below the node's header line. */
    VisRect in0 = rect(L->node[0].x + gap, L->node[0].y + head,
                       L->node[0].w - 2 * gap, L->node[0].h - head - gap);
    int ccols = fit_cols((int)per_node, in0.w, in0.h, core_aspect);
    int crows = ((int)per_node + ccols - 1) / ccols;
    int cw = (in0.w - (ccols - 1) * gap) / ccols;
    int ch = (in0.h - (crows - 1) * gap) / crows;
    L->show_core_titles = ch >= 4 * L->small;
    int title = L->show_core_titles ? L->small + L->small / 3 : 0;
    int ipad = clampi(cw / 30, 1, 6);
    int hart_h = clampi(ch / 4, 6, L->font * 2);
    if (!snap->hierarchy || snap->l1_sets == 0)
        hart_h = ch - title - 2 * ipad;

    /* The L1 grid: sets x ways cells as large as fit below the harts. */
    uint32_t lines = snap->hierarchy ? snap->l1_sets * snap->l1_ways : 0;
    int gw = cw - 2 * ipad, gh = ch - title - hart_h - 3 * ipad;
    L->l1_cols = 1;
    L->l1_cell = L->l1_gap = 0;
    if (lines > 0 && gw > 0 && gh > 0) {
        int cols = fit_cols((int)lines, gw, gh, 1.0f);
        /* Whole sets per row where that costs little. */
        if (snap->l1_ways > 1 && cols > (int)snap->l1_ways)
            cols -= cols % (int)snap->l1_ways;
        int rows = ((int)lines + cols - 1) / cols;
        int pitch = gw / cols < gh / rows ? gw / cols : gh / rows;
        if (pitch < 1)
            pitch = 1;
        L->l1_cols = cols;
        L->l1_gap = pitch >= 4 ? 1 : 0;
        L->l1_cell = pitch - L->l1_gap;
    }
    int pitch = L->l1_cell + L->l1_gap;
    int grid_w = L->l1_cols * pitch;
    int grid_h = lines ? (((int)lines + L->l1_cols - 1) / L->l1_cols) * pitch
                       : 0;

    for (uint32_t core = 0; core < cores; core++) {
        uint32_t n = core / per_node, k = core % per_node;
        if (n >= nodes)
            n = nodes - 1;
        VisRect nb = L->node[n];
        int c = (int)k % ccols, r = (int)k / ccols;
        VisRect cb = rect(nb.x + gap + c * (cw + gap),
                          nb.y + head + r * (ch + gap), cw, ch);
        L->core[core] = cb;
        L->core_title[core] = rect(cb.x + ipad, cb.y + ipad / 2,
                                   cb.w - 2 * ipad, title);
        int hy = cb.y + title + ipad;
        int tw = (cb.w - 2 * ipad - ((int)T - 1) * 2) / (int)T;
        for (uint32_t t = 0; t < T; t++) {
            uint32_t h = core * T + t;
            if (h < SNAP_MAX_HARTS)
                L->hart[h] = rect(cb.x + ipad + (int)t * (tw + 2), hy, tw,
                                  hart_h);
        }
        if (lines)
            L->l1[core] = rect(cb.x + (cb.w - grid_w) / 2,
                               hy + hart_h + ipad, grid_w, grid_h);
        else
            L->l1[core] = rect(0, 0, 0, 0);
    }
}

static void layout_routers(VisLayout *L, const SimSnapshot *snap)
{
    uint32_t n = snap->routers;
    if (n > VIS_MAX_ROUTERS)
        n = VIS_MAX_ROUTERS;
    L->nrouters = n;
    VisRect a = L->noc;
    int mx = L->font * 2, my = L->small + L->small / 2;
    float x0 = (float)(a.x + mx), y0 = (float)(a.y + my + L->font / 2);
    float w = (float)(a.w - 2 * mx), h = (float)(a.h - 2 * my - L->font / 2);
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    memset(&L->bus, 0, sizeof L->bus);
    switch (snap->topology) {
    case NOC_BUS: {
        int th = clampi(L->font, 6, 40);
        L->bus = rect((int)x0, (int)(y0 + h / 2) - th / 2, (int)w, th);
        for (uint32_t i = 0; i < n; i++) {
            L->rx[i] = x0 + (i + 0.5f) * w / (float)n;
            L->ry[i] = y0 + h / 2;
        }
        break;
    }
    case NOC_MESH:
    case NOC_TORUS: {
        uint32_t cols = snap->noc_width;
        if (cols == 0)
            cols = (uint32_t)ceil(sqrt((double)n));
        if (cols == 0)
            cols = 1;
        uint32_t rows = (n + cols - 1) / cols;
        /* Square cells, centred, at most three label widths apart. */
        float sy = fminf(h / (float)rows, (float)L->font * 6);
        float sx = fminf(w / (float)cols, fmaxf(sy * 2.5f, (float)L->font * 3));
        float gx = x0 + (w - sx * (float)cols) / 2;
        float gy = y0 + (h - sy * (float)rows) / 2;
        for (uint32_t i = 0; i < n; i++) {
            L->rx[i] = gx + ((float)(i % cols) + 0.5f) * sx;
            L->ry[i] = gy + ((float)(i / cols) + 0.5f) * sy;
        }
        break;
    }
    default: /* ring, crossbar: an ellipse */
        for (uint32_t i = 0; i < n; i++) {
            double t = -M_PI / 2 + 2 * M_PI * (double)i / (double)n;
            L->rx[i] = x0 + w / 2 + (float)(cos(t) * w / 2);
            L->ry[i] = y0 + h / 2 + (float)(sin(t) * h / 2);
        }
        break;
    }
}

/* The most recent hold (end, or now while held) of lock l. */
static uint64_t last_activity(const SimSnapshot *snap, uint32_t l)
{
    for (uint32_t i = snap->nholds; i-- > 0;)
        if (snap->holds[i].lock == l)
            return snap->holds[i].to == UINT64_MAX ? snap->cycle + 1
                                                    : snap->holds[i].to;
    return 0;
}

static void layout_locks(VisLayout *L, const SimSnapshot *snap)
{
    uint32_t n = snap->nlocks < SNAP_MAX_LOCKS ? snap->nlocks : SNAP_MAX_LOCKS;
    uint64_t act[SNAP_MAX_LOCKS];
    for (uint32_t i = 0; i < n; i++) {
        const SnapLock *k = &snap->locks[i];
        act[i] = last_activity(snap, i);
        if (k->holder >= 0 || k->nwaiters > 0)
            act[i] = UINT64_MAX;
        L->lock_order[i] = (int)i;
    }
    /* Most active first; ties keep the snapshot's order (insertion sort:
     * stable, and n is at most 32). */
    for (uint32_t i = 1; i < n; i++) {
        int v = L->lock_order[i];
        uint32_t j = i;
        while (j > 0 && act[L->lock_order[j - 1]] < act[v]) {
            L->lock_order[j] = L->lock_order[j - 1];
            j--;
        }
        L->lock_order[j] = v;
    }
    VisRect a = L->locks;
    int line = L->small + L->small / 3;
    int y = a.y + L->font + L->font / 2;       /* below the title */
    int bottom = a.y + a.h - line;             /* room for the time axis */
    int block = 2 * line + L->small + L->small / 2;
    int pad = L->font / 2;
    L->nlock_rows = 0;
    for (uint32_t i = 0; i < n && y + block <= bottom; i++) {
        L->lock_row[i] = rect(a.x + pad, y, a.w - 2 * pad, 2 * line);
        L->gantt_row[i] = rect(a.x + pad, y + 2 * line, a.w - 2 * pad,
                               L->small);
        y += block;
        L->nlock_rows++;
    }
    /* The strips span the last ~32 holds, at least 200 cycles. */
    uint64_t to = snap->cycle, from = 0;
    if (snap->nholds > 0) {
        uint32_t k = snap->nholds > 32 ? snap->nholds - 32 : 0;
        from = snap->holds[k].from;
    }
    if (to < from + 200)
        from = to > 200 ? to - 200 : 0;
    L->gantt_from = from;
    L->gantt_to = to > from ? to : from + 1;
}

void vis_layout(VisLayout *L, const SimSnapshot *snap, int w, int h)
{
    memset(L, 0, sizeof *L);
    if (w < 320)
        w = 320;
    if (h < 200)
        h = 200;
    L->w = w;
    L->h = h;
    int f = h / 42 < w / 75 ? h / 42 : w / 75;
    L->font = clampi(f, 11, 48);
    L->small = clampi(L->font * 17 / 20, 10, 40);
    L->big = L->font * 13 / 10;
    int pad = L->font / 2;

    int top_h = L->font * 2;
    int cnt_h = L->font * 5 > h * 14 / 100 ? L->font * 5 : h * 14 / 100;
    int y0 = top_h, y1 = h - cnt_h;
    int lw = w * 58 / 100;
    L->top = rect(0, 0, w, top_h);
    L->counters = rect(0, y1, w, cnt_h);
    int mid = y1 - y0;
    int legend_h = L->small + L->small / 2;
    int noc_h = mid * (snap->topology == NOC_BUS ? 27 : 31) / 100;
    L->machine = rect(pad, y0 + pad, lw - 2 * pad,
                      mid - noc_h - legend_h - 2 * pad);
    L->legend = rect(pad, L->machine.y + L->machine.h + pad / 2, lw - 2 * pad,
                     legend_h);
    L->noc = rect(pad, L->legend.y + legend_h, lw - 2 * pad,
                  y1 - (L->legend.y + legend_h) - pad / 2);
    int rw = w - lw - pad;
    L->locks = rect(lw, y0 + pad, rw, mid * 42 / 100 - pad);
    L->inspector = rect(lw, L->locks.y + L->locks.h + pad, rw,
                        y1 - (L->locks.y + L->locks.h + pad) - pad / 2);

    layout_cores(L, snap);
    layout_routers(L, snap);
    layout_locks(L, snap);
}

bool vis_link_mid(const VisLayout *L, const SimSnapshot *snap, uint32_t i,
                  float *x, float *y)
{
    if (i >= snap->nlinks || i >= SNAP_MAX_LINKS)
        return false;
    const SnapLink *k = &snap->links[i];
    if (snap->topology == NOC_BUS || k->from == k->to) {
        if (snap->topology != NOC_BUS)
            return false;
        *x = (float)L->bus.x + (float)L->bus.w / 2;
        *y = (float)L->bus.y + (float)L->bus.h / 2;
        return true;
    }
    if (k->from >= L->nrouters || k->to >= L->nrouters)
        return false;
    float ax = L->rx[k->from], ay = L->ry[k->from];
    float bx = L->rx[k->to], by = L->ry[k->to];
    float dx = bx - ax, dy = by - ay, len = sqrtf(dx * dx + dy * dy);
    if (len < 1)
        return false;
    if (snap->topology == NOC_TORUS) {
        uint32_t cols = snap->noc_width ? snap->noc_width
                                        : (uint32_t)ceil(sqrt(L->nrouters));
        int fc = (int)(k->from % cols), fr = (int)(k->from / cols);
        int tc = (int)(k->to % cols), tr = (int)(k->to / cols);
        if (abs(fc - tc) > 1 || abs(fr - tr) > 1) {
            /* A wrap-around link: a stub leaving the grid outwards. */
            float sx = fc == tc ? 0.0f : (tc > fc ? -1.0f : 1.0f);
            float sy = fr == tr ? 0.0f : (tr > fr ? -1.0f : 1.0f);
            float off = (float)L->font * 1.2f;
            *x = ax + sx * off + (sy != 0 ? 3.0f : 0.0f);
            *y = ay + sy * off + (sx != 0 ? 3.0f : 0.0f);
            return true;
        }
    }
    /* Each direction beside the centre line, so both are visible. */
    float off = fmaxf(2.0f, (float)L->font / 5.0f);
    *x = ax + dx / 2 - dy / len * off;
    *y = ay + dy / 2 + dx / len * off;
    return true;
}

bool vis_layout_rect(const SimSnapshot *snap, int w, int h, VisPart part,
                     uint32_t index, VisRect *out)
{
    static _Thread_local VisLayout L;
    vis_layout(&L, snap, w, h);
    uint32_t lines = snap->l1_sets * snap->l1_ways;
    switch (part) {
    case VIS_PART_HART:
        if (index >= snap->nharts || index >= SNAP_MAX_HARTS)
            return false;
        *out = L.hart[index];
        return true;
    case VIS_PART_CORE:
        if (index >= snap->cores || index >= SNAP_MAX_CORES)
            return false;
        *out = L.core[index];
        return true;
    case VIS_PART_L1:
        if (index >= snap->cores || index >= SNAP_MAX_CORES || !lines)
            return false;
        *out = L.l1[index];
        return true;
    case VIS_PART_L1_LINE: {
        if (!lines || index / lines >= snap->cores ||
            index / lines >= SNAP_MAX_CORES)
            return false;
        uint32_t core = index / lines, i = index % lines;
        int pitch = L.l1_cell + L.l1_gap;
        *out = rect(L.l1[core].x + (int)(i % (uint32_t)L.l1_cols) * pitch,
                    L.l1[core].y + (int)(i / (uint32_t)L.l1_cols) * pitch,
                    L.l1_cell, L.l1_cell);
        return true;
    }
    case VIS_PART_NODE:
        if (index >= snap->nodes || index >= SNAP_MAX_NODES)
            return false;
        *out = L.node[index];
        return true;
    case VIS_PART_LINK: {
        float x, y;
        if (!vis_link_mid(&L, snap, index, &x, &y))
            return false;
        *out = rect((int)x - 1, (int)y - 1, 3, 3);
        return true;
    }
    case VIS_PART_LOCK:
        for (int k = 0; k < L.nlock_rows; k++)
            if (L.lock_order[k] == (int)index) {
                *out = L.lock_row[k];
                return true;
            }
        return false;
    default:
        return false;
    }
}
