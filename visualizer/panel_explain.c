/* panel_explain.c — the explain view (key x): the machine's protocol as
 * the state diagram of its private-cache table, over the right column
 * while it is shown, for one cache line (the selected one, else the
 * hottest).  States are nodes: the stable ones (I S E O M, those the
 * protocol uses) as discs in the colours the L1 grids give them, the
 * transient ones (a request under way: IS_D, IM_AD, ...) as smaller
 * boxes between them; each cell of the table that changes the state is
 * an arrow from its state to its next, labelled with its event where
 * the label has room.  The line's latest change at or before the
 * snapshot's cycle (every change at that cycle: an invalidation and the
 * grant it makes way for come together on a bus) is the arrow drawn
 * thick in the selection's colour, labelled "event / actions", and said
 * above the diagram: which cores, from and to which state, on which
 * message or access, when, and what that event is.  Beside each state,
 * the cores whose copy of the line is in it now; under the diagram, the
 * line's earlier changes.  Folded (key X), the transient states go: a
 * request is an arrow from the state it leaves to each it can end in,
 * and a copy waiting for its reply is drawn at the state it left.
 *
 * Everything comes from the snapshot: the table (coh_table, the names)
 * and the changes (coh[], from the COH events).  The layout is one
 * picture of the three protocols (MOESI's states in their places; MSI
 * and MESI leave theirs empty), scaled to the room; an arrow bends only
 * as far as it must to pass clear of the other states, and every label
 * goes where it overlaps no other text, no state and no arrow taken, or
 * is left out (the arrow stays). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

/* ---- The picture -------------------------------------------------------- */

/* Where each state goes, in a unit square (x right, y down): the stable
 * states a diamond, M at the top, I at the bottom, S (and O, MOESI's)
 * on the left where copies are shared, E on the right; the transient
 * states on the ways between them: a read's up from I to S or E in the
 * middle, a write's from I round the right to M, an upgrade's from S
 * round the left, MOESI's from O straight up. */
static const float place_of[SNAP_COH_STATES][2] = {
    [SNAP_LINE_M] = {0.50f, 0.05f},    [SNAP_LINE_O] = {0.27f, 0.27f},
    [SNAP_LINE_S] = {0.20f, 0.58f},    [SNAP_LINE_E] = {0.80f, 0.52f},
    [SNAP_LINE_I] = {0.50f, 0.95f},    [SNAP_COH_IS_D] = {0.36f, 0.71f},
    [SNAP_COH_IS_D_I] = {0.27f, 0.90f}, [SNAP_COH_IM_AD] = {0.92f, 0.84f},
    [SNAP_COH_IM_A] = {0.95f, 0.20f},  [SNAP_COH_SM_AD] = {0.05f, 0.36f},
    [SNAP_COH_SM_A] = {0.10f, 0.10f},  [SNAP_COH_OM_A] = {0.33f, 0.08f},
};

/* Folded, the stable states alone: the same diamond, wider. */
static const float folded_place_of[SNAP_LINE_STATE_COUNT][2] = {
    [SNAP_LINE_M] = {0.50f, 0.04f}, [SNAP_LINE_O] = {0.16f, 0.20f},
    [SNAP_LINE_S] = {0.06f, 0.60f}, [SNAP_LINE_E] = {0.94f, 0.52f},
    [SNAP_LINE_I] = {0.50f, 0.96f},
};

typedef struct Pt {
    float x, y;
} Pt;

typedef struct Node {
    bool on;                      /* the protocol uses the state */
    bool stable;
    Pt c;                         /* its centre */
    float r;                      /* a disc's radius */
    VisRect box;                  /* what it covers */
} Node;

/* Text already in the diagram (and the states), so that no label goes on
 * top of another; a label that finds no room is left out. */
#define MAX_PLACED 192
typedef struct Placed {
    VisRect area;
    VisRect r[MAX_PLACED];
    int n;
} Placed;

static bool place(Placed *p, VisRect r)
{
    if (r.x < p->area.x || r.y < p->area.y ||
        r.x + r.w > p->area.x + p->area.w ||
        r.y + r.h > p->area.y + p->area.h || p->n == MAX_PLACED)
        return false;
    for (int i = 0; i < p->n; i++)
        if (vis_rect_overlap(r, p->r[i]))
            return false;
    p->r[p->n++] = r;
    return true;
}

/* Room taken by something that is not text (the arrow taken's way). */
static void reserve(Placed *p, VisRect r)
{
    if (p->n < MAX_PLACED)
        p->r[p->n++] = r;
}

static bool stable(uint8_t st) { return st < SNAP_LINE_STATE_COUNT; }

static Pt bezier(Pt a, Pt c, Pt b, float t)
{
    float u = 1 - t;
    return (Pt){u * u * a.x + 2 * u * t * c.x + t * t * b.x,
                u * u * a.y + 2 * u * t * c.y + t * t * b.y};
}

/* Is p within n (and a margin around it)? */
static bool in_node(const Node *n, Pt p, float margin)
{
    if (n->stable) {
        float dx = p.x - n->c.x, dy = p.y - n->c.y;
        return dx * dx + dy * dy < (n->r + margin) * (n->r + margin);
    }
    return p.x > n->box.x - margin && p.x < n->box.x + n->box.w + margin &&
           p.y > n->box.y - margin && p.y < n->box.y + n->box.h + margin;
}

/* An arrow from state a to state b: a curve bent by `bend` (a fraction
 * of its length, to the left of its way when positive), from one
 * state's edge to the other's.  The points of it to draw go into pts
 * (their count returned), for its label too; a loop (a == b) goes up
 * from the state and back. */
#define CURVE 28
static int arrow_points(const Node *a, const Node *b, float bend, Pt *pts,
                        Pt *ctl_out)
{
    Pt p0 = a->c, p1 = b->c, ctl;
    bool loop = a == b;
    if (loop) {
        float r = a->stable ? a->r : a->box.h / 2.0f;
        float w = a->stable ? a->r * 0.8f : a->box.w / 2.0f - 2;
        p0 = (Pt){a->c.x - w, a->c.y - r * 0.7f};
        p1 = (Pt){a->c.x + w, a->c.y - r * 0.7f};
        ctl = (Pt){a->c.x, a->c.y - r * 3.4f - 8};
    } else {
        float dx = p1.x - p0.x, dy = p1.y - p0.y;
        ctl = (Pt){(p0.x + p1.x) / 2 + dy * bend,
                   (p0.y + p1.y) / 2 - dx * bend};
    }
    if (ctl_out)
        *ctl_out = ctl;
    int n = 0;
    for (int i = 0; i <= CURVE; i++) {
        Pt p = bezier(p0, ctl, p1, (float)i / CURVE);
        if (!loop && (in_node(a, p, 3) || in_node(b, p, 3)))
            continue;
        pts[n++] = p;
    }
    return n;
}

/* How close the arrow a->b bent by `bend` comes to the states other than
 * its own (in pixels, from their edges). */
static float clearance(const Node *node, int a, int b, float bend)
{
    Pt pts[CURVE + 1];
    int n = arrow_points(&node[a], &node[b], bend, pts, NULL);
    float best = 1e9f;
    for (int st = 0; st < SNAP_COH_STATES; st++) {
        const Node *o = &node[st];
        if (!o->on || st == a || st == b)
            continue;
        for (int i = 0; i < n; i++) {
            float dx = pts[i].x - o->c.x, dy = pts[i].y - o->c.y, d;
            if (o->stable) {
                d = sqrtf(dx * dx + dy * dy) - o->r;
            } else {
                float ex = fabsf(dx) - o->box.w / 2.0f;
                float ey = fabsf(dy) - o->box.h / 2.0f;
                d = ex > ey ? ex : ey;
            }
            if (d < best)
                best = d;
        }
    }
    return best;
}

/* The bend of the arrow a->b: straight where it passes clear of the
 * other states, else the least bend that does (or the clearest); an
 * arrow with one back bends to its left, so that the two are two. */
static float route(const Node *node, int a, int b, bool reverse,
                   float margin)
{
    static const float bends[] = {0.0f, 0.12f, -0.12f, 0.2f, -0.2f,
                                  0.3f, -0.3f};
    float best = reverse ? 0.14f : 0.0f, clear = -1e9f;
    for (size_t k = reverse ? 1 : 0; k < sizeof bends / sizeof *bends; k++) {
        if (reverse && bends[k] < 0)
            continue;
        float c = clearance(node, a, b, bends[k]);
        if (c >= margin)
            return bends[k];
        if (c > clear) {
            clear = c;
            best = bends[k];
        }
    }
    return best;
}

static void draw_arrow(Vis *v, const Pt *pts, int n, float w, float head,
                       VisRGB c)
{
    if (n < 2)
        return;
    for (int i = 0; i + 2 < n; i++)
        vis_thick_line(v->r, pts[i].x, pts[i].y, pts[i + 1].x, pts[i + 1].y,
                       w, c);
    vis_geom_arrow(v->r, pts[n - 2].x, pts[n - 2].y, pts[n - 1].x,
                   pts[n - 1].y, w, head, (SDL_Color){c.r, c.g, c.b, 255});
}

/* A label beside the curve (side 0: on the side it bends to; 1: on it;
 * 2: the other side), at the first of some points along it where it
 * has room; false: nowhere. */
static bool place_on(Placed *p, const Pt *pts, int n, Pt ctl, int side,
                     int w, int h, VisRect *out)
{
    static const float at[] = {0.5f, 0.4f, 0.6f, 0.3f, 0.7f, 0.22f, 0.78f};
    if (n < 2)
        return false;
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        int i = (int)(at[k] * (float)(n - 1) + 0.5f);
        Pt q = pts[i], u = pts[i + 1 < n ? i + 1 : i];
        Pt t = pts[i > 0 ? i - 1 : i];
        float tx = u.x - t.x, ty = u.y - t.y;
        float len = sqrtf(tx * tx + ty * ty);
        float nx = len > 0 ? -ty / len : 0, ny = len > 0 ? tx / len : 0;
        /* The normal towards the bend (the control point's side; a
         * straight arrow's: its left). */
        if (nx * (ctl.x - q.x) + ny * (ctl.y - q.y) < -0.5f) {
            nx = -nx;
            ny = -ny;
        }
        float off = fabsf(nx) * (float)w / 2 + fabsf(ny) * (float)h / 2 + 3;
        float sgn = side == 0 ? 1.0f : side == 1 ? 0.0f : -1.0f;
        VisRect r = vis_rect((int)(q.x + nx * off * sgn) - w / 2,
                             (int)(q.y + ny * off * sgn) - h / 2, w, h);
        if (place(p, r)) {
            *out = r;
            return true;
        }
    }
    return false;
}

/* ---- What the snapshot says about the line ------------------------------ */

/* The line the view explains: the selected one, else the hottest, else
 * the one that changed last (0, false: none). */
static bool explained_line(const Vis *v, uint32_t *line, bool *chosen)
{
    const SimSnapshot *s = v->snap;
    *chosen = v->view.line_valid;
    if (v->view.line_valid)
        *line = v->view.line_addr;
    else if (s->nhot)
        *line = s->hot[0].line;
    else if (s->ncoh)
        *line = s->coh[s->ncoh - 1].line;
    else
        return false;
    return true;
}

/* The state of each core's copy of line now: its latest change, else
 * what its L1 holds. */
static void copies(const SimSnapshot *s, uint32_t line, uint8_t *st)
{
    uint32_t size = s->line_size ? s->line_size : 64;
    uint32_t sets = s->l1_sets, ways = s->l1_ways;
    bool known[SNAP_MAX_CORES] = {false};
    for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++)
        st[c] = SNAP_LINE_I;
    for (uint32_t i = s->ncoh; i-- > 0;) {
        const SnapCohStep *k = &s->coh[i];
        if (k->line == line && k->core < SNAP_MAX_CORES && !known[k->core] &&
            k->to < SNAP_COH_STATES) {
            known[k->core] = true;
            st[k->core] = k->to;
        }
    }
    if (!sets || !ways || !s->l1_state || !s->l1_addr)
        return;
    uint32_t set = (line / size) % sets;
    for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++)
        for (uint32_t w = 0; !known[c] && w < ways; w++) {
            size_t i = ((size_t)c * sets + set) * ways + w;
            if (s->l1_state[i] != SNAP_LINE_I && s->l1_addr[i] == line &&
                s->l1_state[i] < SNAP_LINE_STATE_COUNT)
                st[c] = s->l1_state[i];
        }
}

/* "c0-3 c6" (prefix "c"): the cores of a mask, runs joined. */
static void core_list(const bool *in, uint32_t n, const char *prefix,
                      char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (uint32_t c = 0; c < n && o + 12 < len;) {
        if (!in[c]) {
            c++;
            continue;
        }
        uint32_t e = c;
        while (e + 1 < n && in[e + 1])
            e++;
        o += (size_t)snprintf(buf + o, len - o, e > c ? "%s%s%u-%u" : "%s%s%u",
                              o ? " " : "", prefix, c, e);
        c = e + 1;
    }
}

/* "Inv / ACK": an event and the actions of its cell. */
static void cell_words(const SimSnapshot *s, uint8_t st, uint8_t ev,
                       char *buf, size_t len)
{
    size_t o = (size_t)snprintf(buf, len, "%s", s->coh_event_names[ev]);
    uint16_t acts = s->coh_table[st][ev].actions;
    const char *sep = " / ";
    for (int b = 0; b < SNAP_COH_ACTIONS && o < len; b++)
        if (acts >> b & 1) {
            o += (size_t)snprintf(buf + o, len - o, "%s%s", sep,
                                  s->coh_action_names[b]);
            sep = " ";
        }
}

/* The line's changes at the latest cycle it changed, one for each cell
 * taken (several copies may change at once: an invalidation and the
 * grant it makes way for, every sharer's invalidation), with the cores
 * whose copies took it. */
#define MAX_TAKEN 4
typedef struct Taken {
    uint64_t cycle;
    uint8_t from, event, to;
    bool cores[SNAP_MAX_CORES];
    uint32_t ncores, first;   /* how many; the first of them */
} Taken;

static bool valid_step(const SnapCohStep *k)
{
    return k->from < SNAP_COH_STATES && k->to < SNAP_COH_STATES &&
           k->event < SNAP_COH_EVENTS && k->core < SNAP_MAX_CORES;
}

/* The taken cells (at most MAX_TAKEN, in the order the changes came;
 * *more: the others), their count returned. */
static int latest(const SimSnapshot *s, uint32_t line, Taken *t, int *more)
{
    int n = 0;
    *more = 0;
    uint64_t at = 0;
    bool any = false;
    for (uint32_t i = s->ncoh; i-- > 0 && !any;)
        if (s->coh[i].line == line && valid_step(&s->coh[i])) {
            at = s->coh[i].cycle;
            any = true;
        }
    for (uint32_t i = 0; any && i < s->ncoh; i++) {
        const SnapCohStep *k = &s->coh[i];
        if (k->line != line || k->cycle != at || !valid_step(k))
            continue;
        int g = 0;
        while (g < n && !(t[g].from == k->from && t[g].event == k->event &&
                          t[g].to == k->to))
            g++;
        if (g == n) {
            if (n == MAX_TAKEN) {
                ++*more;
                continue;
            }
            memset(&t[n], 0, sizeof t[n]);
            t[n] = (Taken){.cycle = at, .from = k->from, .event = k->event,
                           .to = k->to, .first = k->core};
            n++;
        }
        if (!t[g].cores[k->core])
            t[g].ncores++;
        t[g].cores[k->core] = true;
    }
    return n;
}

/* A state as a chip: a stable one in its colour, a transient one
 * outlined; returns its width. */
static int chip(Vis *v, int x, int y, int px, uint8_t st)
{
    const char *name = v->snap->coh_state_names[st];
    return stable(st) ? vis_swatch(v, x, y, px, v->col->line[st], name)
                      : vis_tag(v, x, y, px, false, name);
}

static int chip_width(Vis *v, int px, uint8_t st)
{
    return vis_text_width(&v->text, px, false, v->snap->coh_state_names[st]) +
           px / 2 + 2;
}

/* ---- The panel ---------------------------------------------------------- */

/* The sentence of a change: "core 1  [S] Inv / ACK -> [I]  at cycle
 * 1,234" ("cores 1-7" for several), with the states as chips where it
 * fits, else in words. */
static void draw_step(Vis *v, int x, int y, int room, const Taken *k)
{
    const SimSnapshot *s = v->snap;
    const VisLayout *L = &v->L;
    char who[160], list[140], what[96], when[48], n1[32];
    core_list(k->cores, SNAP_MAX_CORES, "", list, sizeof list);
    snprintf(who, sizeof who, "%s %s ", k->ncores > 1 ? "cores" : "core",
             list);
    cell_words(s, k->from, k->event, what, sizeof what);
    char mid[112];
    snprintf(mid, sizeof mid, " %s \xe2\x86\x92 ", what);
    snprintf(when, sizeof when, "  at cycle %s",
             vis_num(n1, sizeof n1, k->cycle));
    int px = L->small;
    int need = vis_text_width(&v->text, px, false, who) +
               chip_width(v, px, k->from) +
               vis_text_width(&v->text, px, false, mid) +
               chip_width(v, px, k->to);
    if (need > room) {
        char buf[640];
        snprintf(buf, sizeof buf, "%s %s: %s %s \xe2\x86\x92 %s%s",
                 k->ncores > 1 ? "cores" : "core", list,
                 s->coh_state_names[k->from], what,
                 s->coh_state_names[k->to], when);
        vis_text_in(&v->text, x, y, room, px, false, v->col->text, buf);
        return;
    }
    int xx = x + vis_text(&v->text, x, y, px, false, v->col->text, who);
    xx += chip(v, xx, y, px, k->from);
    xx += vis_text(&v->text, xx, y, px, false, v->col->accent, mid);
    xx += chip(v, xx, y, px, k->to);
    vis_text_in(&v->text, xx, y, x + room - xx, px, false, v->col->dim,
                when);
}

/* A label of lines (the events of an arrow, or the arrow taken's
 * words), placed where it has room beside its arrow, else on it: on one
 * line, or a line each (rows), at `at`. */
typedef struct Label {
    char one[400];
    const char (*lines)[96];
    int nl, rows;
    VisRect at;
} Label;

static bool label_place(Vis *v, Placed *pl, const Pt *pts, int n, Pt ctl,
                        const char (*lines)[96], int nl, Label *out)
{
    const VisLayout *L = &v->L;
    int px = L->small, th = vis_text_height(&v->text, px, false);
    out->lines = lines;
    out->nl = nl;
    out->one[0] = 0;
    for (int i = 0; i < nl; i++)
        snprintf(out->one + strlen(out->one), sizeof out->one -
                 strlen(out->one), "%s%s", i ? ", " : "", lines[i]);
    /* Beside its arrow a line each (compact, clearly its own), else on
     * one line; then on the arrow, then on its other side. */
    for (int side = 0; side < 3; side++)
        for (int f = 0; f < (nl > 1 ? 2 : 1); f++) {
            int form = nl > 1 ? 1 - f : 0;
            int rows = form == 0 ? 1 : nl, w = 0;
            for (int i = 0; i < rows; i++) {
                int tw = vis_text_width(&v->text, px, false,
                                        form == 0 ? out->one : lines[i]);
                w = tw > w ? tw : w;
            }
            w += px / 2;
            if (place_on(pl, pts, n, ctl, side, w, rows * th + 2, &out->at)) {
                out->rows = rows;
                return true;
            }
        }
    return false;
}

/* Drawn on the panel's background, so that the arrows under it do not
 * cross the words. */
static void label_draw(Vis *v, const Label *l, VisRGB c, bool framed)
{
    int px = v->L.small, th = vis_text_height(&v->text, px, false);
    vis_fill(v->r, l->at, v->col->panel_bg);
    if (framed)
        vis_frame(v->r, l->at, 1, v->col->hilite);
    for (int i = 0; i < l->rows; i++)
        vis_text(&v->text, l->at.x + px / 4, l->at.y + 1 + i * th, px, false,
                 c, l->rows == 1 ? l->one : l->lines[i]);
}

/* A ring round a disc, t thick. */
static void ring(Vis *v, Pt c, float r, float t, VisRGB col)
{
    enum { N = 40 };
    for (int i = 0; i < N; i++) {
        float a0 = 2 * (float)M_PI * i / N, a1 = 2 * (float)M_PI * (i + 1) / N;
        vis_thick_line(v->r, c.x + r * cosf(a0), c.y + r * sinf(a0),
                       c.x + r * cosf(a1), c.y + r * sinf(a1), t, col);
    }
}

/* The arrows: for each pair of states shown, the events whose cells go
 * from one to the other (a bit each).  Folded, a cell that starts a
 * request (into a transient state) goes to each stable state the
 * request's messages can end in, through the transient ones. */
static void graph(const SimSnapshot *s, bool fold, const Node *node,
                  uint32_t (*evs)[SNAP_COH_STATES])
{
    memset(evs, 0, sizeof(uint32_t) * SNAP_COH_STATES * SNAP_COH_STATES);
    for (int a = 0; a < SNAP_COH_STATES; a++)
        for (int e = 0; node[a].on && e < SNAP_COH_EVENTS; e++) {
            uint8_t n = s->coh_table[a][e].next;
            if (n >= SNAP_COH_STATES || n == a)
                continue;
            if (!fold || stable(n)) {
                if (node[n].on)
                    evs[a][n] |= 1u << e;
                continue;
            }
            bool seen[SNAP_COH_STATES] = {false};
            uint8_t q[SNAP_COH_STATES];
            int head = 0, tail = 0;
            q[tail++] = n;
            seen[n] = true;
            while (head < tail) {
                uint8_t t = q[head++];
                for (int m = SNAP_COH_OWN_EVENTS; m < SNAP_COH_EVENTS; m++) {
                    uint8_t to = s->coh_table[t][m].next;
                    if (to >= SNAP_COH_STATES || seen[to])
                        continue;
                    seen[to] = true;
                    if (!stable(to))
                        q[tail++] = to;
                    else if (to != a && node[to].on)
                        evs[a][to] |= 1u << e;
                }
            }
        }
}

/* The diagram in d, the change k (NULL: none) drawn as the arrow taken,
 * the cores beside the states their copies are in; folded (fold), the
 * transient states are drawn at the stable states they left. */
static void draw_diagram(Vis *v, VisRect d, const Taken *tk, int ntk,
                         const uint8_t *now, bool fold)
{
    const SimSnapshot *s = v->snap;
    const VisLayout *L = &v->L;
    Node node[SNAP_COH_STATES];
    memset(node, 0, sizeof node);
    int big = L->big, px = L->small;
    int th = vis_text_height(&v->text, px, false);
    float r = (float)vis_clampi((d.w < d.h ? d.w : d.h) / 18, big * 3 / 4,
                                big * 3 / 2);
    /* Room at the sides for a disc, and under it for its cores. */
    float mx = r + 4, my0 = r + 4, my1 = r + th + 6;
    Placed pl = {.area = d};
    for (int st = 0; st < SNAP_COH_STATES; st++) {
        Node *n = &node[st];
        n->stable = stable((uint8_t)st);
        n->on = (s->coh_states >> st) & 1 && (n->stable || !fold);
        if (!n->on)
            continue;
        const float *at = fold ? folded_place_of[st] : place_of[st];
        n->c = (Pt){d.x + mx + at[0] * (d.w - 2 * mx),
                    d.y + my0 + at[1] * (d.h - my0 - my1)};
        if (n->stable) {
            n->r = r;
            n->box = vis_rect((int)(n->c.x - r), (int)(n->c.y - r),
                              (int)(2 * r), (int)(2 * r));
        } else {
            int w = vis_text_width(&v->text, px, false,
                                   s->coh_state_names[st]) + px;
            /* Within the diagram, however narrow. */
            n->c.x = (float)vis_clampi((int)n->c.x, d.x + w / 2 + 1,
                                       d.x + d.w - w / 2 - 2);
            n->box = vis_rect((int)n->c.x - w / 2, (int)n->c.y - th / 2 - 2,
                              w, th + 4);
        }
        (void)place(&pl, n->box);
    }
    /* The cells taken, from and to the states shown (folded, a
     * transient state is the stable one it left). */
    int ka[MAX_TAKEN], kb[MAX_TAKEN];
    bool hl[MAX_TAKEN];
    for (int i = 0; i < ntk; i++) {
        ka[i] = fold ? s->coh_stable_of[tk[i].from] : tk[i].from;
        kb[i] = fold ? s->coh_stable_of[tk[i].to] : tk[i].to;
        hl[i] = ka[i] < SNAP_COH_STATES && kb[i] < SNAP_COH_STATES &&
                node[ka[i]].on && node[kb[i]].on;
    }

    /* The arrows: one for each pair of states the table joins, routed
     * round the other states. */
    uint32_t evs[SNAP_COH_STATES][SNAP_COH_STATES];
    graph(s, fold, node, evs);
    float bend[SNAP_COH_STATES][SNAP_COH_STATES] = {{0}};
    /* Thin, but not so thin that a curve's pieces part. */
    float w = (float)L->font / 9.0f;
    w = w < 1.6f ? 1.6f : w > 3.5f ? 3.5f : w;
    float head = (float)L->font * 0.55f;
    Pt pts[CURVE + 1], ctl;
    for (int a = 0; a < SNAP_COH_STATES; a++)
        for (int b = 0; b < SNAP_COH_STATES; b++) {
            if (!evs[a][b])
                continue;
            bend[a][b] = route(node, a, b, evs[b][a] != 0, (float)th / 2);
            int n = arrow_points(&node[a], &node[b], bend[a][b], pts, NULL);
            bool minor = !node[a].stable || !node[b].stable;
            draw_arrow(v, pts, n, minor ? w : w + 1, head,
                       minor ? vis_mix(v->col->border, v->col->dim, 0.4f)
                             : v->col->dim);
        }
    /* The states, over the arrows' ends. */
    for (int st = 0; st < SNAP_COH_STATES; st++) {
        const Node *n = &node[st];
        if (!n->on)
            continue;
        const char *name = s->coh_state_names[st];
        if (n->stable) {
            VisRGB c = v->col->line[st];
            vis_disc(v->r, n->c.x, n->c.y, n->r + 1.5f, v->col->dim);
            vis_disc(v->r, n->c.x, n->c.y, n->r, c);
            int tw = vis_text_width(&v->text, big, false, name);
            int tht = vis_text_height(&v->text, big, false);
            vis_text(&v->text, (int)n->c.x - tw / 2, (int)n->c.y - tht / 2,
                     big, false, vis_ink_on(c), name);
        } else {
            vis_fill(v->r, n->box, v->col->core_bg);
            vis_frame(v->r, n->box, 1, v->col->dim);
            vis_text(&v->text, n->box.x + px / 2, n->box.y + 2, px, false,
                     v->col->text, name);
        }
    }
    /* The arrows taken: their labels' room first; they are drawn last,
     * over the others' labels. */
    char lines[SNAP_COH_EVENTS][96], taken[MAX_TAKEN][1][96];
    Pt hpts[MAX_TAKEN][CURVE + 1];
    int hn[MAX_TAKEN] = {0};
    Label hlab[MAX_TAKEN];
    bool hlabel[MAX_TAKEN] = {false};
    for (int i = 0; i < ntk; i++) {
        if (!hl[i])
            continue;
        hn[i] = arrow_points(&node[ka[i]], &node[kb[i]], bend[ka[i]][kb[i]],
                             hpts[i], &ctl);
        cell_words(s, tk[i].from, tk[i].event, taken[i][0],
                   sizeof taken[i][0]);
        hlabel[i] = label_place(v, &pl, hpts[i], hn[i], ctl,
                                (const char (*)[96])taken[i], 1, &hlab[i]);
    }
    /* No other label on their way. */
    for (int i = 0; i < ntk; i++) {
        int t = (int)w + 4;
        for (int j = 0; hl[i] && j < hn[i]; j += 2)
            reserve(&pl, vis_rect((int)hpts[i][j].x - t,
                                  (int)hpts[i][j].y - t, 2 * t, 2 * t));
    }
    /* The cores beside the states their copies are in: under a state,
     * else over it. */
    char buf[160];
    for (int st = 0; st < SNAP_COH_STATES; st++) {
        const Node *n = &node[st];
        bool in[SNAP_MAX_CORES] = {false}, any = false;
        for (uint32_t c = 0; n->on && c < s->cores && c < SNAP_MAX_CORES;
             c++)
            if (now[c] < SNAP_COH_STATES &&
                (fold ? s->coh_stable_of[now[c]] : now[c]) == st)
                in[c] = any = true;
        if (!any)
            continue;
        core_list(in, s->cores < SNAP_MAX_CORES ? s->cores : SNAP_MAX_CORES,
                  "c", buf, sizeof buf);
        int tw = vis_text_width(&v->text, px, false, buf) + 4;
        int cx = (int)n->c.x - tw / 2;
        VisRect under = vis_rect(cx, n->box.y + n->box.h + 2, tw, th);
        VisRect over = vis_rect(cx, n->box.y - th - 2, tw, th);
        VisRect at = place(&pl, under) ? under
                   : place(&pl, over) ? over : vis_rect(0, 0, 0, 0);
        if (at.w)
            vis_text(&v->text, at.x + 2, at.y, px, false, v->col->accent, buf);
    }
    /* The other arrows' labels, their events: the stable states' first.
     * The arrow taken keeps its own words. */
    for (int pass = 0; pass < 2; pass++)
        for (int a = 0; a < SNAP_COH_STATES; a++)
            for (int b = 0; b < SNAP_COH_STATES; b++) {
                bool major = node[a].stable && node[b].stable, mine = false;
                for (int i = 0; i < ntk; i++)
                    mine |= hl[i] && a == ka[i] && b == kb[i];
                if (!evs[a][b] || major != (pass == 0) || mine)
                    continue;
                int nl = 0;
                for (int e = 0; e < SNAP_COH_EVENTS; e++)
                    if (evs[a][b] >> e & 1)
                        snprintf(lines[nl++], sizeof lines[0], "%s",
                                 s->coh_event_names[e]);
                int n = arrow_points(&node[a], &node[b], bend[a][b], pts,
                                     &ctl);
                Label lb;
                if (label_place(v, &pl, pts, n, ctl,
                                (const char (*)[96])lines, nl, &lb))
                    label_draw(v, &lb, major ? v->col->text : v->col->dim,
                               false);
            }
    for (int i = 0; i < ntk; i++) {
        if (!hl[i])
            continue;
        draw_arrow(v, hpts[i], hn[i], w + 3, head * 1.5f, v->col->hilite);
        const Node *t = &node[kb[i]];
        if (t->stable)
            ring(v, t->c, t->r + 4, 3, v->col->hilite);
        else
            vis_frame(v->r, vis_rect(t->box.x - 3, t->box.y - 3,
                                     t->box.w + 6, t->box.h + 6), 2,
                      v->col->hilite);
    }
    for (int i = 0; i < ntk; i++)
        if (hl[i] && hlabel[i])
            label_draw(v, &hlab[i], v->col->accent, true);
}

static void explain_draw(Vis *v, VisRect r)
{
    if (!v->view.explain || r.w <= 0 || r.h <= 0)
        return;
    const SimSnapshot *s = v->snap;
    const VisLayout *L = &v->L;
    VisRect a = vis_over_right(L, r);
    char title[64], buf[320], name[200] = "";
    snprintf(title, sizeof title, "explain: %s",
             s->hierarchy ? s->protocol_name : "no caches");
    int x = a.x + L->font / 2, room = a.w - L->font;
    int y = vis_over_frame(v, a, title,
                           v->view.explain_fold
                               ? "stable states, requests folded   "
                                 "X: all states   x: close"
                               : "every state of the table   "
                                 "X: fold   x: close");
    int lh = vis_text_height(&v->text, L->small, false) + 2;
    uint32_t line = 0;
    bool chosen = false;
    if (!s->hierarchy || !s->coh_states) {
        vis_text_in(&v->text, x, y, room, L->small, false, v->col->dim,
                    "flat memory: no caches, no protocol");
        vis_clip(v->r, NULL);
        return;
    }
    bool have = explained_line(v, &line, &chosen);
    /* The line, by every variable it holds. */
    if (have && v->info)
        sim_session_line_name(v->info, line,
                              s->line_size ? s->line_size : 64, name,
                              sizeof name);
    if (have)
        snprintf(buf, sizeof buf, "line %08x  %s%s", line, name,
                 chosen ? "" : "  (the hottest; click a line to choose)");
    else
        snprintf(buf, sizeof buf, "no line has changed state yet: step "
                 "(s, l) or run (space)");
    vis_text_in(&v->text, x, y, room, L->small, false, v->col->text, buf);
    y += lh;
    /* Its latest changes, in words: the cells taken (two said, the
     * others counted). */
    Taken tk[MAX_TAKEN];
    int more = 0, ntk = have ? latest(s, line, tk, &more) : 0;
    for (int i = 0; i < ntk && i < 2; i++) {
        draw_step(v, x, y, room, &tk[i]);
        y += lh + 2;
        snprintf(buf, sizeof buf, "%s: %s", s->coh_event_names[tk[i].event],
                 s->coh_event_help[tk[i].event]);
        vis_text_in(&v->text, x, y, room, L->small, false, v->col->dim, buf);
        if (i + 1 < ntk && i + 1 < 2)
            y += lh;
    }
    if (ntk > 2 || more) {
        y += lh;
        snprintf(buf, sizeof buf, "and %d more changes at that cycle",
                 ntk - 2 + more > 0 ? ntk - 2 + more : more);
        vis_text_in(&v->text, x, y, room, L->small, false, v->col->dim, buf);
    }
    if (have && !ntk)
        vis_text_in(&v->text, x, y, room, L->small, false, v->col->dim,
                    "no change of its copies in the recent ones: "
                    "l steps to its next");
    y += lh + L->pad / 2;
    /* Under the diagram, the line's earlier changes, newest first. */
    int rows = vis_clampi((a.y + a.h - y) / lh / 6, 1, 5);
    int hist_y = a.y + a.h - L->pad / 2 - rows * lh;
    VisRect d = vis_rect(a.x + L->pad, y, a.w - 2 * L->pad,
                         hist_y - L->pad / 2 - y);
    uint8_t now[SNAP_MAX_CORES];
    if (have)
        copies(s, line, now);
    else
        memset(now, SNAP_LINE_I, sizeof now);
    vis_clip(v->r, &d);
    draw_diagram(v, d, tk, ntk, now, v->view.explain_fold);
    vis_clip(v->r, &a);
    int shown = 0;
    char n1[32];
    int cw = vis_text_width(&v->text, L->small, true,
                            vis_num(n1, sizeof n1, s->cycle));
    for (uint32_t i = s->ncoh; have && i-- > 0 && shown < rows;) {
        const SnapCohStep *h = &s->coh[i];
        if (h->line != line || !valid_step(h) ||
            (ntk && h->cycle == tk[0].cycle))
            continue;                 /* said above */
        int yy = hist_y + shown * lh;
        vis_num(n1, sizeof n1, h->cycle);
        int nw = vis_text_width(&v->text, L->small, true, n1);
        vis_text(&v->text, x + cw - nw, yy, L->small, true, v->col->dim, n1);
        snprintf(buf, sizeof buf, "core %u: %s \xe2\x86\x92 %s on %s",
                 h->core, s->coh_state_names[h->from],
                 s->coh_state_names[h->to], s->coh_event_names[h->event]);
        int tx = x + cw + L->small;
        vis_text_in(&v->text, tx, yy, a.x + a.w - L->font / 2 - tx, L->small,
                    false, v->col->dim, buf);
        shown++;
    }
    vis_clip(v->r, NULL);
}

/* While shown it takes the clicks on its area. */
static bool explain_click(Vis *v, VisRect r, int x, int y)
{
    return v->view.explain && vis_inside(vis_over_right(&v->L, r), x, y);
}

const VisPanel vis_panel_explain = {
    .name = "explain",
    .reads = "hierarchy, protocol_name, coh_states, coh_stable_of, "
             "coh_state_names, "
             "coh_event_names, coh_event_help, coh_action_names, "
             "coh_table, ncoh, coh[], nhot, hot[].line, cores, line_size, "
             "l1_sets, l1_ways, l1_state, l1_addr, cycle",
    .place = VIS_PLACE_OVER,
    .gap = 2,
    .draw = explain_draw,
    .click = explain_click,
};
