/* panel_noc.c — the interconnect: its routers (labelled with the cores
 * and node home agents on them) and links shaded and thickened by use
 * over the snapshot's window of cycles (window_from..cycle), the bus as one bar, and the coherence
 * messages in flight at the snapshot's cycle as dots part way along their
 * route.  The routers go where the topology puts them: a row under the
 * bus, a grid for a mesh or torus, an ellipse for a ring or crossbar. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visualizer/vis_priv.h"


/* ---- Layout ------------------------------------------------------------- */

static int noc_height(const VisLayout *L, const SimSnapshot *s)
{
    /* A bus needs one bar; a grid or a ring, room for rows.  The column's
     * half-pad gaps round down with an odd pad: the interconnect takes
     * the pixel they leave (as it did before panels had a table). */
    return L->body.h * (s->topology == SNAP_TOPO_BUS ? 27 : 31) / 100 +
           L->pad % 2;
}

static void noc_layout(VisLayout *L, const SimSnapshot *snap, VisRect a)
{
    VisNocLayout *N = &L->noc;
    uint32_t n = snap->routers;
    if (n > VIS_MAX_ROUTERS)
        n = VIS_MAX_ROUTERS;
    N->nrouters = n;
    int mx = L->font * 2, my = L->small + L->small / 2;
    float x0 = (float)(a.x + mx), y0 = (float)(a.y + my + L->font / 2);
    float w = (float)(a.w - 2 * mx), h = (float)(a.h - 2 * my - L->font / 2);
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    memset(&N->bus, 0, sizeof N->bus);
    switch (snap->topology) {
    case SNAP_TOPO_BUS: {
        int th = vis_clampi(L->font, 6, 40);
        N->bus = vis_rect((int)x0, (int)(y0 + h / 2) - th / 2, (int)w, th);
        for (uint32_t i = 0; i < n; i++) {
            N->rx[i] = x0 + (i + 0.5f) * w / (float)n;
            N->ry[i] = y0 + h / 2;
        }
        break;
    }
    case SNAP_TOPO_MESH:
    case SNAP_TOPO_TORUS: {
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
            N->rx[i] = gx + ((float)(i % cols) + 0.5f) * sx;
            N->ry[i] = gy + ((float)(i / cols) + 0.5f) * sy;
        }
        break;
    }
    default: /* ring, crossbar: an ellipse */
        for (uint32_t i = 0; i < n; i++) {
            double t = -M_PI / 2 + 2 * M_PI * (double)i / (double)n;
            N->rx[i] = x0 + w / 2 + (float)(cos(t) * w / 2);
            N->ry[i] = y0 + h / 2 + (float)(sin(t) * h / 2);
        }
        break;
    }
}

bool vis_link_mid(const VisLayout *L, const SimSnapshot *snap, uint32_t i,
                  float *x, float *y)
{
    const VisNocLayout *N = &L->noc;
    if (i >= snap->nlinks || i >= SNAP_MAX_LINKS)
        return false;
    const SnapLink *k = &snap->links[i];
    if (snap->topology == SNAP_TOPO_BUS || k->from == k->to) {
        if (snap->topology != SNAP_TOPO_BUS)
            return false;
        *x = (float)N->bus.x + (float)N->bus.w / 2;
        *y = (float)N->bus.y + (float)N->bus.h / 2;
        return true;
    }
    if (k->from >= N->nrouters || k->to >= N->nrouters)
        return false;
    float ax = N->rx[k->from], ay = N->ry[k->from];
    float bx = N->rx[k->to], by = N->ry[k->to];
    float dx = bx - ax, dy = by - ay, len = sqrtf(dx * dx + dy * dy);
    if (len < 1)
        return false;
    if (snap->topology == SNAP_TOPO_TORUS) {
        uint32_t cols = snap->noc_width ? snap->noc_width
                                        : (uint32_t)ceil(sqrt(N->nrouters));
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

/* ---- Drawing ------------------------------------------------------------ */

/* What sits on router r, as the routers are labelled: "c4", "N0",
 * "c4,N1". */
static void router_label(const SimSnapshot *s, uint32_t r, char *buf,
                         size_t len)
{
    int n = 0;
    buf[0] = '\0';
    for (uint32_t k = 0; k < s->cores && k < SNAP_MAX_CORES && n >= 0 &&
                         (size_t)n < len; k++)
        if (s->core_router[k] == r)
            n += snprintf(buf + n, len - (size_t)n, "%sc%u", n ? "," : "", k);
    for (uint32_t k = 0; k < s->nodes && k < SNAP_MAX_NODES && n >= 0 &&
                         (size_t)n < len; k++)
        if (s->node_router[k] == r)
            n += snprintf(buf + n, len - (size_t)n, "%sN%u", n ? "," : "", k);
    if (!buf[0])
        snprintf(buf, len, "r%u", r);
}

static void noc_draw(Vis *v, VisRect a)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const VisNocLayout *N = &L->noc;
    char buf[200];
    const char *topo = s->topology_name[0] ? s->topology_name : "?";
    if (!s->hierarchy) {
        vis_panel_frame(v, a, "interconnect: none (flat memory)");
        return;
    }
    /* The links' use covers the snapshot's window of cycles. */
    char w0[32], w1[32];
    snprintf(buf, sizeof buf,
             "interconnect: %s, %u routers - link use, cycles %s-%s", topo,
             s->routers, vis_num(w0, sizeof w0, s->window_from),
             vis_num(w1, sizeof w1, s->cycle));
    vis_panel_frame(v, a, buf);
    /* The heat scale beside the title. */
    int tx = a.x + L->font / 2 +
             vis_text_width(&v->text, L->font, false, buf) + L->font / 2;
    int sw = L->font * 5;
    if (tx + sw + L->font * 3 < a.x + a.w) {
        for (int i = 0; i < sw; i++) {
            VisRect p = {tx + i, a.y + L->font / 3, 1, L->font * 2 / 3};
            vis_fill(v->r, p, vis_heat(v->col, (float)(i + 1) / (float)sw));
        }
        vis_text(&v->text, tx + sw + 4, a.y + L->font / 6, L->small, false,
                 v->col->dim, "0-100%");
    }
    vis_clip(v->r, &a);
    float tmax = fmaxf(4.0f, (float)L->font * 0.7f);
    if (s->topology == SNAP_TOPO_BUS) {
        float util = 0;
        uint64_t packets = 0;
        for (uint32_t i = 0; i < s->nlinks && i < SNAP_MAX_LINKS; i++) {
            util = fmaxf(util, s->links[i].util);
            packets += s->links[i].packets;
        }
        for (uint32_t r = 0; r < N->nrouters; r++)
            vis_thick_line(v->r, N->rx[r],
                           N->ry[r] - (float)N->bus.h * 1.4f, N->rx[r],
                           N->ry[r], 2, v->col->border);
        vis_fill(v->r, N->bus, vis_heat(v->col, util));
        snprintf(buf, sizeof buf, "bus %.0f%% busy, %" PRIu64 " packets",
                 util * 100, packets);
        /* At the panel's foot, clear of the messages' labels under the
         * bar. */
        vis_text_in(&v->text, N->bus.x, a.y + a.h - L->small * 3 / 2,
                    a.w / 2, L->small, false, v->col->dim, buf);
    } else {
        for (uint32_t i = 0; i < s->nlinks && i < SNAP_MAX_LINKS; i++) {
            const SnapLink *k = &s->links[i];
            float mx, my;
            if (!vis_link_mid(L, s, i, &mx, &my))
                continue;
            float t = 1.5f + k->util * tmax;
            VisRGB c = vis_heat(v->col, k->util);
            float ax = N->rx[k->from], ay = N->ry[k->from];
            /* From the router through the midpoint (offset for the
             * direction) and as far again: the link's half that leaves
             * `from`, meeting its twin from the other end. */
            float ex = ax + 2 * (mx - ax), ey = ay + 2 * (my - ay);
            float ox = mx - (N->rx[k->to] + ax) / 2,
                  oy = my - (N->ry[k->to] + ay) / 2;
            if (s->topology == SNAP_TOPO_TORUS &&
                fabsf(ex - N->rx[k->to]) > 2 && fabsf(ey - N->ry[k->to]) > 2)
                vis_thick_line(v->r, ax, ay, mx, my, t, c);   /* wrap stub */
            else
                vis_thick_line(v->r, ax + ox, ay + oy, N->rx[k->to] + ox,
                               N->ry[k->to] + oy, t, c);
        }
    }
    /* Messages in flight at this cycle (seen when stepping): a dot part
     * way along its route, X first then Y as the mesh routes it; data
     * (a line) larger and warm, control messages small and cool. */
    float prad = fmaxf(3.0f, (float)L->font / 4.0f);
    VisRect placed[SNAP_MAX_PACKETS];
    int nplaced = 0;
    for (uint32_t i = 0; i < s->npackets && i < SNAP_MAX_PACKETS; i++) {
        const SnapPacket *pk = &s->packets[i];
        if (pk->src >= N->nrouters || pk->dst >= N->nrouters)
            continue;
        float ax = N->rx[pk->src], ay = N->ry[pk->src];
        float bx = N->rx[pk->dst], by = N->ry[pk->dst];
        float f = fminf(fmaxf(pk->progress, 0.0f), 1.0f), x, y;
        if (s->topology == SNAP_TOPO_BUS) {
            x = ax + (bx - ax) * f;
            y = (float)N->bus.y + (float)N->bus.h / 2.0f;
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
        /* A line travelling in the outline colour, a request or an ack
         * in the messages' (neither is a link's heat). */
        VisRGB pc = pk->data ? v->col->hilite : v->col->cool;
        float pr = pk->data ? prad * 1.4f : prad;
        vis_disc(v->r, x, y, pr + 2, v->col->bg);   /* seen on any link */
        vis_disc(v->r, x, y, pr, pc);
        /* Paused with a few on their way: each says what it is and
         * between whom, under or over the route, or a line further out,
         * wherever it covers no label drawn before it (else none). */
        if (s->paused && s->npackets <= 6) {
            char from[40], to[40];
            router_label(s, pk->src, from, sizeof from);
            router_label(s, pk->dst, to, sizeof to);
            snprintf(buf, sizeof buf, "%s %s->%s",
                     pk->type < s->nmsgs ? s->msg_names[pk->type] : "msg",
                     from, to);
            int w = vis_text_width(&v->text, L->small, false, buf);
            int th = vis_text_height(&v->text, L->small, false);
            int tx = (int)x - w / 2;
            if (tx < a.x + 2)
                tx = a.x + 2;
            if (tx + w > a.x + a.w - 2)
                tx = a.x + a.w - 2 - w;
            const int below = (int)(y + prad * 2), above = (int)(y - prad * 2);
            const int tys[4] = {below, above - th, below + th, above - 2 * th};
            for (int k = 0; k < 4; k++) {
                VisRect r = {tx, tys[k], w, th};
                bool free = r.y >= a.y && r.y + r.h <= a.y + a.h;
                for (int j = 0; j < nplaced && free; j++)
                    free = !vis_rect_overlap(r, placed[j]);
                if (free) {
                    placed[nplaced++] = r;
                    vis_text(&v->text, tx, r.y, L->small, false, pc, buf);
                    break;
                }
            }
        }
    }
    if (s->npackets) {
        snprintf(buf, sizeof buf, "%u message%s in flight", s->npackets,
                 s->npackets == 1 ? "" : "s");
        int w = vis_text_width(&v->text, L->small, false, buf);
        vis_text(&v->text, a.x + a.w - w - L->small / 2,
                 a.y + a.h - L->small * 3 / 2, L->small, false, v->col->text,
                 buf);
    }

    /* Routers, labelled with what sits on them. */
    float rad = fmaxf(3.0f, (float)L->font / 3.0f);
    float spacing = N->nrouters > 1 ? fabsf(N->rx[1] - N->rx[0]) +
                                      fabsf(N->ry[1] - N->ry[0])
                                    : 1e9f;
    /* A grid's rows: labels a line apart at least. */
    uint32_t wd = s->noc_width;
    float rows_apart = (s->topology == SNAP_TOPO_MESH ||
                        s->topology == SNAP_TOPO_TORUS) &&
                               wd > 0 && N->nrouters > wd
                           ? fabsf(N->ry[wd] - N->ry[0]) : 1e9f;
    bool labels = rows_apart >=
                  (float)vis_text_height(&v->text, L->small, false) * 1.5f;
    for (uint32_t r = 0; r < N->nrouters; r++) {
        float y = s->topology == SNAP_TOPO_BUS
                      ? N->ry[r] - (float)N->bus.h * 1.4f
                      : N->ry[r];
        vis_disc(v->r, N->rx[r], y, rad, v->col->dim);
        char lab[64];
        int o = 0;
        lab[0] = 0;
        /* With ranks a router is a rank's node: "r3". */
        for (uint32_t c = 0; !s->nranks && c < s->cores &&
                             c < SNAP_MAX_CORES; c++)
            if (s->core_router[c] == r && o < 40)
                o += snprintf(lab + o, sizeof lab - (size_t)o, "%sc%u",
                              o ? "," : "", c);
        for (uint32_t n = 0; n < s->nodes && n < SNAP_MAX_NODES; n++)
            if (s->node_router[n] == r && o < 40)
                o += snprintf(lab + o, sizeof lab - (size_t)o,
                              s->nranks ? "%sr%u" : "%sN%u", o ? "," : "",
                              n);
        /* Above the router and to its right: clear of the links. */
        int lw = vis_text_width(&v->text, L->small, false, lab);
        bool grid = s->topology == SNAP_TOPO_MESH ||
                    s->topology == SNAP_TOPO_TORUS;
        if (labels && (lw < spacing * 1.6f || N->nrouters <= 16))
            vis_text(&v->text,
                     grid ? (int)(N->rx[r] + rad)
                          : (int)(N->rx[r] - (float)lw / 2),
                     (int)(y - rad - (float)L->small * 1.3f), L->small, false,
                     v->col->text, lab);
    }
    vis_clip(v->r, NULL);
}

static bool noc_part(const VisLayout *L, const SimSnapshot *snap,
                     VisPart part, uint32_t index, VisRect *out)
{
    float x, y;
    if (part != VIS_PART_LINK || !vis_link_mid(L, snap, index, &x, &y))
        return false;
    *out = vis_rect((int)x - 1, (int)y - 1, 3, 3);
    return true;
}

const VisPanel vis_panel_noc = {
    .name = "interconnect",
    .reads = "hierarchy, topology, topology_name, routers, noc_width, "
             "core_router, node_router, links, packets",
    .place = VIS_PLACE_LEFT,
    .gap = 0,
    .height = noc_height,
    .layout = noc_layout,
    .draw = noc_draw,
    .part = noc_part,
};
