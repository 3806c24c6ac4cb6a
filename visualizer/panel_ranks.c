/* panel_ranks.c — the ranks of a message-passing run as a space-time
 * diagram, the picture every MPI course draws (Jumpshot, Vampir): a row
 * per rank, time to the right up to the machine's cycle, each rank's
 * state coloured (computing; in a point-to-point call, a collective or
 * another library call; waiting for a message; exited), the name of the
 * call where there is room, and an arrow per message from its send on
 * the sender's row to the completion of its receive on the receiver's
 * (eager in the text's colour, rendezvous orange; one still on its way a dashed line to
 * where it is).  The window spans the last VIS_RANK_MSGS messages (at
 * least RANK_MIN_SPAN cycles) as far as every rank's kept states reach.
 * A legend under it names the colours.  Clicking a row selects the
 * rank's main hart: the inspector shows it, and `n` steps to its next
 * event (a call entered or left, a message sent or received, a wait).
 *
 * Shown only when the machine has ranks; it then takes the place of the
 * lock panel in the right column (layout.c), which is empty in most
 * message-passing programs. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

#define VIS_RANK_MSGS 48      /* messages the window tries to span (at
                                 least two per rank) */
#define RANK_MIN_SPAN 2000    /* cycles */
/* A rendezvous message: Okabe-Ito's orange, the one colour no rank
 * state has. */
#define RENDEZVOUS ((VisRGB){230, 159, 0})

/* ---- Layout ------------------------------------------------------------- */

static int ranks_height(const VisLayout *L, const SimSnapshot *s)
{
    if (!s->nranks)
        return 0;
    /* Many ranks: more of the column for their rows; the lock panel's
     * strip under it comes out of the same share. */
    int pct = s->nranks > 8 ? 56 : 46;
    int h = L->body.h * pct / 100 - L->pad;
    if (s->nlocks)
        h -= vis_locks_strip(L) + L->pad;
    /* Few ranks: no taller than their rows at the largest pitch (the
     * inspector under it gets the rest). */
    int line = L->small + L->small / 3;
    int need = L->font + L->font / 2 + (int)s->nranks * 3 * L->font + 2 +
               3 * line + L->font / 4;
    return h < need ? h : need;
}

/* End of span i of rank k: the next one's start, the last one's now. */
static uint64_t span_end(const SimSnapshot *s, const SnapRank *k, uint32_t i)
{
    return i + 1 < k->nspans ? k->spans[i + 1].from : s->cycle;
}

/* The window: back to the send of the VIS_RANK_MSGS-th last message, at
 * least RANK_MIN_SPAN cycles, no further back than every rank's states
 * reach (a rank whose ring is full has forgotten what came before). */
static void ranks_window(const SimSnapshot *s, uint64_t *from, uint64_t *to)
{
    uint64_t now = s->cycle, lo = 0, cover = 0;
    uint32_t want = 2 * s->nranks > VIS_RANK_MSGS ? 2 * s->nranks
                                                  : VIS_RANK_MSGS;
    if (s->nmpmsgs > 0) {
        uint32_t k = s->nmpmsgs > want ? s->nmpmsgs - want : 0;
        lo = s->mpmsgs[k].send;
        for (uint32_t i = k; i < s->nmpmsgs; i++)
            if (s->mpmsgs[i].send < lo)
                lo = s->mpmsgs[i].send;
    }
    for (uint32_t r = 0; r < s->nranks && r < SNAP_MAX_RANKS; r++) {
        const SnapRank *k = &s->ranks[r];
        if (k->nspans == SNAP_RANK_SPANS && k->spans[0].from > cover)
            cover = k->spans[0].from;
    }
    if (lo < cover)
        lo = cover;
    /* A little room before the first send. */
    uint64_t span = now > lo ? now - lo : 0;
    lo = lo > span / 20 && lo - span / 20 >= cover ? lo - span / 20 : lo;
    if (now - (lo < now ? lo : now) < RANK_MIN_SPAN)
        lo = now > RANK_MIN_SPAN ? now - RANK_MIN_SPAN : 0;
    if (lo < cover && now - cover >= 1)
        lo = cover;
    *from = lo;
    *to = now > lo ? now : lo + 1;
}

static void ranks_layout(VisLayout *L, const SimSnapshot *snap, VisRect a)
{
    VisRanksLayout *K = &L->ranks;
    memset(K, 0, sizeof *K);
    uint32_t n = snap->nranks < SNAP_MAX_RANKS ? snap->nranks
                                               : SNAP_MAX_RANKS;
    if (!n || a.h <= 0)
        return;
    int pad = L->font / 2;
    int line = L->small + L->small / 3;
    int top = a.y + L->font + L->font / 2;     /* below the title */
    K->legend = vis_rect(a.x + pad, a.y + a.h - 2 * line - pad / 2,
                         a.w - 2 * pad, 2 * line);
    K->axis = vis_rect(a.x + pad, K->legend.y - line, a.w - 2 * pad, line);
    /* The labels' column: "r63". */
    K->label_w = L->small * 2 + L->small / 2;
    K->plot = vis_rect(a.x + pad + K->label_w, top,
                       a.w - 2 * pad - K->label_w, K->axis.y - 2 - top);
    /* Rows share the height (a pixel's remainder spread over them), at
     * most three lines of text each. */
    int h = K->plot.h;
    if (h > 3 * L->font * (int)n)
        h = 3 * L->font * (int)n;
    int pitch = h / (int)n;
    int gap = pitch >= 8 ? vis_clampi(pitch / 6, 1, 4) : pitch >= 3 ? 1 : 0;
    K->nrows = (int)n;
    for (uint32_t r = 0; r < n; r++) {
        int y0 = K->plot.y + (int)((int64_t)r * h / n);
        int y1 = K->plot.y + (int)((int64_t)(r + 1) * h / n);
        K->row[r] = vis_rect(K->plot.x, y0, K->plot.w,
                             y1 - y0 - gap > 1 ? y1 - y0 - gap : 1);
    }
    ranks_window(snap, &K->from, &K->to);
}

static bool ranks_part(const VisLayout *L, const SimSnapshot *snap,
                       VisPart part, uint32_t index, VisRect *out)
{
    if (part != VIS_PART_RANK || index >= snap->nranks ||
        (int)index >= L->ranks.nrows || L->ranks.row[index].h <= 0)
        return false;
    *out = L->ranks.row[index];
    return true;
}

/* ---- Drawing ------------------------------------------------------------ */

static float x_of(const VisRanksLayout *K, uint64_t c)
{
    if (c < K->from)
        c = K->from;
    if (c > K->to)
        c = K->to;
    return (float)K->plot.x +
           (float)((double)(c - K->from) * K->plot.w /
                   (double)(K->to - K->from));
}

static float y_mid(const VisRanksLayout *K, uint32_t rank)
{
    return (float)K->row[rank].y + (float)K->row[rank].h / 2.0f;
}

/* An arrow with a head of size h at (x1, y1). */
static void arrow(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                  float w, float h, VisRGB c)
{
    vis_geom_arrow(r, x0, y0, x1, y1, w, h, (SDL_Color){c.r, c.g, c.b, 255});
}

/* A dashed line: a message still on its way. */
static void dashed(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                   float w, VisRGB c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    for (float t = 0; t < len; t += 8) {
        float e = t + 5 < len ? t + 5 : len;
        vis_thick_line(r, x0 + dx * t / len, y0 + dy * t / len,
                       x0 + dx * e / len, y0 + dy * e / len, w, c);
    }
}

static const char *call_name(const SimSnapshot *s, uint8_t call)
{
    return call < s->nmpi_calls && call < SNAP_MAX_MPI_CALLS
               ? s->mpi_call_names[call] : "";
}

static void draw_row(Vis *v, const SnapRank *k, VisRect row)
{
    const SimSnapshot *s = v->snap;
    const VisRanksLayout *K = &v->L.ranks;
    int th = vis_text_height(&v->text, v->L.small, false);
    vis_fill(v->r, row, v->col->bg);
    for (uint32_t i = 0; i < k->nspans; i++) {
        const SnapSpan *sp = &k->spans[i];
        uint64_t end = span_end(s, k, i);
        if (end <= K->from || sp->from >= K->to)
            continue;
        int x0 = (int)x_of(K, sp->from), x1 = (int)x_of(K, end);
        if (x1 <= x0)
            x1 = x0 + 1;
        uint8_t st = sp->state < SNAP_RANK_STATE_COUNT ? sp->state
                                                        : SNAP_RANK_DONE;
        VisRGB c = v->col->rank[st];
        vis_fill(v->r, vis_rect(x0, row.y, x1 - x0, row.h), c);
        /* The call's name where it fits ("parsim_mp", the library's
         * other calls, says nothing). */
        if (sp->call && st != SNAP_RANK_COMPUTE && st != SNAP_RANK_DONE &&
            row.h >= th) {
            const char *nm = call_name(s, sp->call);
            int tw = vis_text_width(&v->text, v->L.small, false, nm);
            if (tw + 6 <= x1 - x0)
                vis_text(&v->text, x0 + 3, row.y + (row.h - th) / 2,
                         v->L.small, false, vis_ink_on(c), nm);
        }
    }
}

static void draw_messages(Vis *v)
{
    const SimSnapshot *s = v->snap;
    const VisRanksLayout *K = &v->L.ranks;
    const VisRGB eager = v->col->text, rdv = RENDEZVOUS;
    /* Thinner with many ranks, so that the rows still show. */
    int pitch = K->nrows > 1 ? K->row[1].y - K->row[0].y : K->row[0].h;
    float w = pitch < 8 ? 1.0f : v->L.small >= 16 ? 2.0f : 1.5f;
    float head = (float)v->L.small * 0.55f;
    if (head > 1.5f * (float)pitch + 3)
        head = 1.5f * (float)pitch + 3;
    for (uint32_t i = 0; i < s->nmpmsgs && i < SNAP_MAX_MPMSGS; i++) {
        const SnapMpMsg *m = &s->mpmsgs[i];
        if (m->src >= K->nrows || m->dst >= K->nrows || m->send > K->to)
            continue;
        /* A receive is known when it is matched, and may complete after
         * the snapshot's cycle: until then the message is on its way. */
        bool got = m->recv != UINT64_MAX && m->recv <= s->cycle;
        if (got && m->recv < K->from)
            continue;
        VisRGB c = m->rendezvous ? rdv : eager;
        float x0 = x_of(K, m->send), y0 = y_mid(K, m->src);
        float y1 = y_mid(K, m->dst);
        if (got) {
            arrow(v->r, x0, y0, x_of(K, m->recv), y1, w, head, c);
            continue;
        }
        /* On its way: as far as it has come towards its arrival, then
         * waiting at the destination until now. */
        uint64_t reach = m->reach > m->send ? m->reach : m->send + 1;
        uint64_t now = s->cycle;
        float f = now >= reach ? 1.0f
                  : (float)(now - m->send) / (float)(reach - m->send);
        float xa = x_of(K, now < reach ? now : reach);
        float ya = y0 + (y1 - y0) * f;
        dashed(v->r, x0, y0, xa, ya, w, c);
        if (now > reach)
            dashed(v->r, xa, ya, x_of(K, now), ya, w, c);
    }
}

/* The legend: a swatch per state, then the arrows. */
static void draw_legend(Vis *v, VisRect a)
{
    static const uint8_t order[] = {
        SNAP_RANK_COMPUTE, SNAP_RANK_P2P, SNAP_RANK_COLLECTIVE,
        SNAP_RANK_LIBRARY, SNAP_RANK_WAITING, SNAP_RANK_BLOCKED,
        SNAP_RANK_DONE};
    VisLayout *L = &v->L;
    int line = L->small + L->small / 3, x = a.x, y = a.y;
    int px = L->small;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *nm = vis_rank_state_names[order[i]];
        int w = vis_text_width(&v->text, px, false, nm) + px / 2 + 2;
        if (x + w > a.x + a.w && x > a.x) {
            x = a.x;
            y += line;
        }
        x += vis_swatch(v, x, y, px, v->col->rank[order[i]], nm) + px / 2;
    }
    const struct {
        VisRGB c;
        const char *what;
    } arrows[] = {{v->col->text, "message (eager)"},
                  {RENDEZVOUS, "rendezvous"}};
    for (size_t i = 0; i < 2; i++) {
        int w = 2 * px + vis_text_width(&v->text, px, false, arrows[i].what);
        if (x + w > a.x + a.w && x > a.x) {
            x = a.x;
            y += line;
        }
        float ym = (float)y + (float)vis_text_height(&v->text, px, false) / 2;
        arrow(v->r, (float)x, ym, (float)x + 1.5f * px, ym, 2.0f,
              (float)px * 0.55f, arrows[i].c);
        x += 2 * px;
        x += vis_text(&v->text, x, y, px, false, v->col->dim, arrows[i].what) +
             px;
    }
}

static void ranks_draw(Vis *v, VisRect a)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const VisRanksLayout *K = &L->ranks;
    if (!s->nranks || a.h <= 0)
        return;
    char buf[160], n1[32], n2[32];
    snprintf(buf, sizeof buf, "ranks: space-time diagram (%u ranks)",
             s->nranks);
    vis_panel_frame(v, a, buf);
    snprintf(buf, sizeof buf, "%s messages",
             vis_num(n1, sizeof n1, s->mpmsgs_total));
    int tw = vis_text_width(&v->text, L->small, false, buf);
    vis_text(&v->text, a.x + a.w - tw - L->font / 2, a.y + L->font / 6,
             L->small, false, v->col->dim, buf);
    if (K->nrows == 0 || K->plot.w <= 0)
        return;
    vis_clip(v->r, &a);
    int th = vis_text_height(&v->text, L->small, false);
    int pitch = K->nrows > 1 ? K->row[1].y - K->row[0].y : K->row[0].h;
    int every = pitch >= th ? 1 : (th + pitch - 1) / pitch;
    int sel = v->view.hart >= 0 && s->harts_per_rank
                  ? v->view.hart / (int)s->harts_per_rank : -1;
    for (int r = 0; r < K->nrows; r++) {
        VisRect row = K->row[r];
        draw_row(v, &s->ranks[r], row);
        bool is_sel = r == sel;
        if (r % every == 0 || is_sel) {
            snprintf(buf, sizeof buf, "r%d", r);
            vis_text(&v->text, a.x + L->font / 2,
                     row.y + (row.h - th) / 2, L->small, false,
                     is_sel ? v->col->accent : v->col->dim, buf);
        }
        if (is_sel)
            vis_frame(v->r, vis_rect(row.x - 2, row.y - 1, row.w + 4,
                                     row.h + 2), 1, v->col->hilite);
    }
    VisRect plot = vis_rect(K->plot.x, K->plot.y, K->plot.w + 2,
                            K->plot.h + 2);
    vis_clip(v->r, &plot);
    draw_messages(v);
    vis_clip(v->r, &a);
    /* The time axis. */
    snprintf(buf, sizeof buf, "cycle %s", vis_num(n1, sizeof n1, K->from));
    vis_text(&v->text, K->plot.x, K->axis.y, L->small, false, v->col->dim, buf);
    snprintf(buf, sizeof buf, "now (%s cycles shown)",
             vis_num(n2, sizeof n2, K->to - K->from));
    tw = vis_text_width(&v->text, L->small, false, buf);
    vis_text(&v->text, K->plot.x + K->plot.w - tw, K->axis.y, L->small,
             false, v->col->dim, buf);
    draw_legend(v, K->legend);
    vis_clip(v->r, NULL);
}

/* ---- Clicks ------------------------------------------------------------- */

static bool ranks_click(Vis *v, VisRect r, int x, int y)
{
    const VisRanksLayout *K = &v->L.ranks;
    const SimSnapshot *s = v->snap;
    (void)r;
    for (int k = 0; k < K->nrows; k++) {
        VisRect row = K->row[k];
        int pitch = k + 1 < K->nrows ? K->row[k + 1].y - row.y : row.h;
        /* The row, its label and the gap under it. */
        if (y >= row.y && y < row.y + (pitch > row.h ? pitch : row.h) &&
            x >= row.x - K->label_w && x < row.x + row.w) {
            vis_select_hart(v, (int)s->ranks[k].hart);
            return true;
        }
    }
    return false;
}

static const VisClickHelp ranks_clicks[] = {
    {"a rank's row in the space-time diagram",
     "select its main hart (for the inspector and `n`)"},
    {NULL, NULL},
};

const VisPanel vis_panel_ranks = {
    .name = "ranks",
    .reads = "cycle, nranks, harts_per_rank, ranks (spans, hart), nmpmsgs, "
             "mpmsgs, mpmsgs_total, nmpi_calls, mpi_call_names, nlocks",
    .place = VIS_PLACE_RIGHT,
    .gap = 2,
    .height = ranks_height,
    .layout = ranks_layout,
    .draw = ranks_draw,
    .click = ranks_click,
    .clicks = ranks_clicks,
    .part = ranks_part,
};
