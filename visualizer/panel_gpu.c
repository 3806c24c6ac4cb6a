/* panel_gpu.c — the GPU array: the kernel running (or "idle"), a box per
 * SM with its clock, and in it a row per live warp slot: the slot and the
 * warp's block, a cell per lane (lit: the lane ran the warp's last issue;
 * dim: still running but masked off by a divergent branch; blue: waiting
 * at __syncthreads; dark: exited, or no thread), the warp's state as a
 * word in its colour and the pc of its last issue.  Under the rows, the
 * coalescer's last global request (lanes, 32-byte sectors, lines) and the
 * shared-memory banks as a heat map of this kernel's accesses (each bank
 * relative to the busiest).  A legend names the lanes' colours.
 *
 * This is the picture for stepping through a divergent branch: the lit
 * half of a warp's lanes and the dim half swap at the else.  Rows with
 * text are as large as the room allows down to three quarters of the
 * small text size; when fewer than TEXT_ROWS of them fit (many SMs, or a
 * small window) and thin rows without text (a chip in the state's colour,
 * then the lanes) show every warp, those are drawn instead.  When not
 * every live warp has a row, the ones still running come first and a
 * line says how many more there are and what they are doing.
 *
 * Shown once the GPU has been given a kernel (a machine has a GPU array
 * by default, and a program that never launches one should not lose
 * room to it): at the bottom of the left column, under the interconnect
 * (layout.c), at most half the column's height; the machine panel above
 * it makes room.  The rows' places come from the GPU's shape (SMs, warp
 * slots, lanes) and the window's size, never from which warps are live,
 * so the boxes do not jump as warps come and go. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

/* ---- Palette ------------------------------------------------------------ */

/* A lane: lit and dim are one green, as a running hart is green, so that
 * the masked-off half of a warp reads as "gone dark" (towards the
 * theme's background); Okabe-Ito, as the machine's states. */
#define LANE_RAN ((VisRGB){0, 158, 115})      /* ran the last issue */
#define LANE_BARRIER ((VisRGB){0, 114, 178})  /* at __syncthreads */

/* Running, masked off: the lit green most of the way to the background;
 * exited, or no thread: the background. */
static VisRGB lane_masked(const Vis *v)
{
    return vis_mix(LANE_RAN, v->col->bg, 0.65f);
}

/* A warp's state; WARP_DONE: no lane running and none at the barrier
 * (every lane has exited; the slot waits for its block to finish), which
 * the snapshot reports as SNAP_WARP_BARRIER. */
#define WARP_DONE SNAP_WARP_STATE_COUNT

static const VisRGB warp_colour[SNAP_WARP_STATE_COUNT + 1] = {
    [SNAP_WARP_READY] = {0, 158, 115},     /* green, as running */
    [SNAP_WARP_MEMORY] = {230, 159, 0},    /* orange, as a hart's memory */
    [SNAP_WARP_LATENCY] = {204, 121, 167}, /* reddish purple */
    [SNAP_WARP_BARRIER] = {0, 114, 178},   /* blue, as its lanes */
    [WARP_DONE] = {153, 153, 153},         /* grey */
};
static const char *const warp_name[SNAP_WARP_STATE_COUNT + 1] = {
    [SNAP_WARP_READY] = "ready",     [SNAP_WARP_MEMORY] = "memory",
    [SNAP_WARP_LATENCY] = "latency", [SNAP_WARP_BARRIER] = "barrier",
    [WARP_DONE] = "done",
};
_Static_assert(SNAP_WARP_STATE_COUNT == 4,
               "a new warp state needs a colour and a name here");

static int warp_state(const SnapWarp *w)
{
    if (!w->active && !w->barrier)
        return WARP_DONE;
    return w->state < SNAP_WARP_STATE_COUNT ? w->state : SNAP_WARP_READY;
}

/* ---- Layout ------------------------------------------------------------- */

/* Shown: there is a GPU and it has been given a kernel (one is queued or
 * running, or an SM's clock has moved). */
static bool gpu_shown(const SimSnapshot *s)
{
    if (!s->nsms || !s->warp_size)
        return false;
    if (s->kernel[0])
        return true;
    for (uint32_t i = 0; i < s->nsms && i < SNAP_MAX_SMS; i++)
        if (s->sms[i].clock)
            return true;
    return false;
}

static uint32_t nsms_of(const SimSnapshot *s)
{
    return s->nsms < SNAP_MAX_SMS ? s->nsms : SNAP_MAX_SMS;
}

static uint32_t lanes_of(const SimSnapshot *s)
{
    return s->warp_size < 32 ? s->warp_size : 32;
}

static uint32_t banks_of(const SimSnapshot *s)
{
    return s->smem_banks < SNAP_MAX_BANKS ? s->smem_banks : SNAP_MAX_BANKS;
}

static int digits(uint32_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Rows with text when at least this many fit (or every warp does);
 * else dense rows, if they show more. */
#define TEXT_ROWS 8

/* The panel's own margins: the title line above the boxes, the legend
 * under them (two lines with dense rows: the states are chips then). */
static int opad(const VisLayout *L) { return L->font / 2; }
static int head_h(const VisLayout *L) { return L->font + L->font / 2; }
static int small_line(const VisLayout *L) { return L->small + L->small / 3; }
static int box_gap(const VisLayout *L) { return vis_clampi(L->pad / 2, 2, 8); }
static int bank_h(const VisLayout *L) { return vis_clampi(L->small / 2, 4, 14); }
static int legend_h(const VisLayout *L, bool text)
{
    return small_line(L) * (text ? 1 : 2);
}

/* A box's height with `rows` rows (and the "+k more" line): its title,
 * the rows, the coalescer's line, the banks' caption and cells. */
static int box_height(const VisLayout *L, const VisGpuLayout *G, int rows,
                      bool more)
{
    return 2 * G->ipad + G->line * (3 + (more ? 1 : 0)) + rows * G->pitch +
           bank_h(L) + G->ipad / 2;
}

/* A row with text at size px in a box of inner width iw: false if the
 * lanes do not get 3 pixels each even with the state as a chip. */
static bool text_columns(VisGpuLayout *G, const SimSnapshot *s, int px,
                         int iw)
{
    int ws = (int)lanes_of(s);
    int cw = (px * 602 + 999) / 1000;     /* DejaVu Sans Mono's advance */
    G->text = true;
    G->px = px;
    G->pitch = px + px / 3 + 1;
    G->col_gap = vis_clampi(px / 2, 3, 12);
    /* "w31 b1234": the slot, the block (four digits; more are clipped). */
    int slots = s->max_warps ? (int)s->max_warps - 1 : 0;
    G->label_w = cw * (1 + digits((uint32_t)slots) + 2 + 4);
    G->pc_w = cw * 8;
    /* The widest state word, "memory", is 4.2 em in DejaVu Sans. */
    for (int words = 1; words >= 0; words--) {
        G->state_words = words;
        G->state_w = words ? px * 43 / 10 : px * 2 / 3;
        int lanes = iw - G->label_w - G->state_w - G->pc_w - 3 * G->col_gap;
        int lp = lanes / ws;
        /* Cells no wider than a row is tall: squares at most. */
        if (lp > G->pitch)
            lp = G->pitch;
        G->lane_pitch = lp;
        if (lp >= (words ? 4 : 3))
            return true;
    }
    return false;
}

/* A dense row `pitch` high: a chip in the state's colour, then the lanes
 * (2 pixels each at least). */
static bool dense_columns(VisGpuLayout *G, const SimSnapshot *s, int pitch,
                          int iw)
{
    int ws = (int)lanes_of(s);
    G->text = false;
    G->px = 0;
    G->pitch = pitch;
    G->col_gap = pitch >= 4 ? 2 : 1;
    G->label_w = G->pc_w = 0;
    G->state_words = false;
    G->state_w = pitch > 2 ? pitch : 2;
    int lp = (iw - G->state_w - G->col_gap) / ws;
    if (lp > 2 * pitch)
        lp = 2 * pitch;
    G->lane_pitch = lp;
    return lp >= 2;
}

/* How good a candidate is: rows with text if enough of them fit, else
 * every warp in dense rows, else whatever shows the most warps. */
static int tier(const VisGpuLayout *c, int want)
{
    int enough = want < TEXT_ROWS ? want : TEXT_ROWS;
    if (c->text && c->rows >= enough)
        return 2;
    return !c->text && c->rows >= want ? 1 : 0;
}

static bool better(const VisGpuLayout *c, const VisGpuLayout *b, int want)
{
    int tc = tier(c, want), tb = tier(b, want);
    if (tc != tb)
        return tc > tb;
    if (c->rows != b->rows)
        return c->rows > b->rows;
    if (c->pitch != b->pitch)
        return c->pitch > b->pitch;
    return c->lane_pitch > b->lane_pitch;
}

/* The room the boxes get in a panel of size w x h. */
static int boxes_w(const VisLayout *L, int w) { return w - 2 * opad(L); }
static int boxes_h(const VisLayout *L, int h, bool text)
{
    return h - head_h(L) - legend_h(L, text) - opad(L);
}

/* Boxes for the SMs in a panel of w x h: of every grid and row size (text
 * from the small size down to three quarters of it, then dense rows),
 * the best (`better`).  Fills G's grid and rows (not its rectangles);
 * false if no row fits anywhere. */
static bool fit(const VisLayout *L, const SimSnapshot *s, int w, int h,
                VisGpuLayout *G)
{
    uint32_t n = nsms_of(s);
    int want = s->max_warps ? (int)s->max_warps : 1;
    int px_max = L->small, px_min = vis_clampi(L->small * 3 / 4, 9, px_max);
    int gap = box_gap(L), W = boxes_w(L, w);
    VisGpuLayout best, c;
    bool found = false;
    memset(&best, 0, sizeof best);
    memset(&c, 0, sizeof c);
    c.line = small_line(L);
    c.ipad = vis_clampi(L->small / 3, 2, 8);
    /* Text at sizes px_max down to px_min; then dense rows of pitches
     * under the smallest text row's, down to 2 pixels. */
    int ntext = px_max - px_min + 1, top = px_min + px_min / 3;
    for (int cols = 1; cols <= (int)n; cols++) {
        int brows = ((int)n + cols - 1) / cols;
        int bw = (W - (cols - 1) * gap) / cols, iw = bw - 2 * c.ipad;
        for (int k = 0; k < ntext + top - 1; k++) {
            bool text = k < ntext;
            if (text ? !text_columns(&c, s, px_max - k, iw)
                     : !dense_columns(&c, s, top - (k - ntext), iw))
                continue;
            int bh = (boxes_h(L, h, text) - (brows - 1) * gap) / brows;
            c.cols = cols;
            c.more = false;
            c.rows = (bh - box_height(L, &c, 0, false)) / c.pitch;
            if (c.rows < want) {
                c.more = true;
                c.rows = (bh - box_height(L, &c, 0, true)) / c.pitch;
            } else
                c.rows = want;
            if (c.rows < 1)
                continue;
            if (!found || better(&c, &best, want)) {
                best = c;
                found = true;
            }
        }
    }
    if (found)
        *G = best;
    return found;
}

/* Height of the boxes' grid as G lays it out. */
static int grid_height(const VisLayout *L, const SimSnapshot *s,
                       const VisGpuLayout *G)
{
    int brows = ((int)nsms_of(s) + G->cols - 1) / G->cols;
    return brows * box_height(L, G, G->rows, G->more) +
           (brows - 1) * box_gap(L);
}

/* Half of the column at most; less when every warp row fits in less. */
static int gpu_height(const VisLayout *L, const SimSnapshot *s)
{
    if (!gpu_shown(s))
        return 0;
    int cap = L->body.h * 50 / 100;
    int w = L->w * VIS_LEFT_PERCENT / 100 - 2 * L->pad;
    VisGpuLayout G;
    if (!fit(L, s, w, cap, &G))
        return cap;
    int need = cap - boxes_h(L, cap, G.text) + grid_height(L, s, &G);
    return need < cap ? need : cap;
}

static void gpu_layout(VisLayout *L, const SimSnapshot *snap, VisRect a)
{
    VisGpuLayout *G = &L->gpu;
    memset(G, 0, sizeof *G);
    if (!gpu_shown(snap) || a.h <= 0 || a.w <= 0)
        return;
    uint32_t n = nsms_of(snap);
    int p = opad(L), W = boxes_w(L, a.w);
    if (!fit(L, snap, a.w, a.h, G)) {
        /* Too small for a row: the boxes' titles, in one row. */
        G->line = small_line(L);
        G->ipad = 2;
        dense_columns(G, snap, 2, W / (int)n - 4);
        G->cols = (int)n;
        G->rows = 0;
        G->more = true;
    }
    int lh = legend_h(L, G->text), H = boxes_h(L, a.h, G->text);
    G->head = vis_rect(a.x, a.y, a.w, head_h(L));
    G->legend = vis_rect(a.x + p, a.y + a.h - lh - p / 2, a.w - 2 * p, lh);
    int gap = box_gap(L), brows = ((int)n + G->cols - 1) / G->cols;
    int bw = (W - (G->cols - 1) * gap) / G->cols;
    int bh = box_height(L, G, G->rows, G->more);
    if (bh > (H - (brows - 1) * gap) / brows)
        bh = (H - (brows - 1) * gap) / brows;
    for (uint32_t i = 0; i < n; i++) {
        int c = (int)i % G->cols, r = (int)i / G->cols;
        G->sm[i] = vis_rect(a.x + p + c * (bw + gap),
                            G->head.y + G->head.h + r * (bh + gap), bw, bh);
    }
    G->nsms = n;
}

/* ---- Drawing ------------------------------------------------------------ */

/* The cells of one row of n lanes from (x, y): lane l in the colour its
 * bits say, one fill per colour. */
static void draw_lanes(Vis *v, const VisGpuLayout *G, int x, int y, int h,
                       uint32_t n, const SnapWarp *w)
{
    enum { RAN, MASKED, BARRIER, OFF, KINDS };
    const VisRGB colour[KINDS] = {LANE_RAN, lane_masked(v), LANE_BARRIER,
                                  v->col->bg};
    SDL_Rect cells[KINDS][32];
    int count[KINDS] = {0};
    int gap = G->lane_pitch >= 5 ? 1 : 0, cw = G->lane_pitch - gap;
    /* An issue runs one lane at least: no mask is a warp that has not
     * issued yet, its lanes together at the kernel's entry (lit, not
     * the dim of a divergent branch). */
    uint32_t ran = w->mask ? w->mask : w->active;
    for (uint32_t l = 0; l < n && l < 32; l++) {
        uint32_t bit = 1u << l;
        int k = w->barrier & bit ? BARRIER
                : !(w->active & bit) ? OFF
                : ran & bit ? RAN : MASKED;
        cells[k][count[k]++] =
            (SDL_Rect){x + (int)l * G->lane_pitch, y, cw, h};
    }
    for (int k = 0; k < KINDS; k++)
        if (count[k]) {
            vis_colour(v->r, colour[k], 255);
            SDL_RenderFillRects(v->r, cells[k], count[k]);
        }
}

/* Draw the first of n strings that fits in width w at size px (else the
 * last, which the caller's clip cuts); returns its width. */
static int text_fit(Vis *v, int x, int y, int px, VisRGB c, int w,
                    char forms[][160], int n)
{
    int k = 0;
    while (k + 1 < n && vis_text_width(&v->text, px, false, forms[k]) > w)
        k++;
    return vis_text(&v->text, x, y, px, false, c, forms[k]);
}

static void draw_row(Vis *v, const VisGpuLayout *G, VisRect box, int y,
                     uint32_t slot, const SnapWarp *w)
{
    const SimSnapshot *s = v->snap;
    uint32_t ws = lanes_of(s);
    int st = warp_state(w);
    int ch = G->pitch - vis_clampi(G->pitch / 5, G->pitch > 2 ? 1 : 0, 4);
    int cy = y + (G->pitch - ch) / 2;
    int x = box.x + G->ipad;
    if (!G->text) {
        /* Dense: the state's chip, then the lanes. */
        vis_fill(v->r, vis_rect(x, cy, G->state_w, ch), warp_colour[st]);
        draw_lanes(v, G, x + G->state_w + G->col_gap, cy, ch, ws, w);
        return;
    }
    char buf[32];
    int th = vis_text_height(&v->text, G->px, true);
    int ty = y + (G->pitch - th) / 2;
    snprintf(buf, sizeof buf, "w%u b%u", slot, w->block);
    VisRect lab = vis_rect(x, y, G->label_w, G->pitch);
    vis_clip(v->r, &lab);
    vis_text(&v->text, x, ty, G->px, true, v->col->dim, buf);
    vis_clip(v->r, &box);
    x += G->label_w + G->col_gap;
    draw_lanes(v, G, x, cy, ch, ws, w);
    x += (int)ws * G->lane_pitch + G->col_gap;
    if (G->state_words)
        vis_text(&v->text, x, ty, G->px, false, warp_colour[st],
                 warp_name[st]);
    else
        vis_fill(v->r, vis_rect(x, cy, G->state_w, ch), warp_colour[st]);
    x += G->state_w + G->col_gap;
    /* A warp that has not issued yet has no pc to show. */
    if (w->mask || w->pc)
        snprintf(buf, sizeof buf, "%08" PRIx32, w->pc);
    else
        snprintf(buf, sizeof buf, "--------");
    vis_text(&v->text, x, ty, G->px, true,
             st == WARP_DONE ? v->col->dim : v->col->text, buf);
}

/* "+k more: a ready, b memory, ..." under the rows, the states of the
 * warps without a row (with every warp shown, "n warps: ..." and all of
 * theirs), in words, or in short ones where the words do not fit, or
 * just "+k". */
static void draw_more(Vis *v, const VisGpuLayout *G, VisRect box, int y,
                      uint32_t live, uint32_t shown, const uint32_t *count)
{
    static const char *const brief[WARP_DONE + 1] = {
        [SNAP_WARP_READY] = "rdy", [SNAP_WARP_MEMORY] = "mem",
        [SNAP_WARP_LATENCY] = "lat", [SNAP_WARP_BARRIER] = "bar",
        [WARP_DONE] = "done"};
    VisLayout *L = &v->L;
    char head[64], part[WARP_DONE + 1][48];
    if (live > shown)
        snprintf(head, sizeof head, "+%u more:", live - shown);
    else
        snprintf(head, sizeof head, "%u warp%s:", live, live == 1 ? "" : "s");
    int room = box.w - 2 * G->ipad, x = box.x + G->ipad;
    bool fits = false;
    for (int words = 1; words >= 0 && !fits; words--) {
        int w = vis_text_width(&v->text, L->small, false, head);
        for (int st = 0; st <= WARP_DONE; st++) {
            part[st][0] = 0;
            if (count[st])
                snprintf(part[st], sizeof part[st], " %u %s", count[st],
                         words ? warp_name[st] : brief[st]);
            w += vis_text_width(&v->text, L->small, false, part[st]);
        }
        fits = w <= room;
    }
    if (!fits) {
        if (live > shown) {
            snprintf(head, sizeof head, "+%u", live - shown);
            vis_text(&v->text, x, y, L->small, false, v->col->dim, head);
        }
        return;
    }
    x += vis_text(&v->text, x, y, L->small, false, v->col->dim, head);
    for (int st = 0; st <= WARP_DONE; st++)
        x += vis_text(&v->text, x, y, L->small, false, warp_colour[st],
                      part[st]);
}

/* The coalescer's last global request: one line in the longest form that
 * fits. */
static void draw_coalescer(Vis *v, const VisGpuLayout *G, VisRect box, int y,
                           const SnapSm *m)
{
    VisLayout *L = &v->L;
    char f[4][160];
    if (!m->last_lanes) {
        snprintf(f[0], sizeof f[0], "last load/store: none yet");
        snprintf(f[1], sizeof f[1], "ld/st: none");
        text_fit(v, box.x + G->ipad, y, L->small, v->col->dim,
                 box.w - 2 * G->ipad, f, 2);
        return;
    }
    snprintf(f[0], sizeof f[0],
             "last load/store: %u lane%s -> %u sector%s on %u line%s",
             m->last_lanes, m->last_lanes == 1 ? "" : "s", m->last_sectors,
             m->last_sectors == 1 ? "" : "s", m->last_lines,
             m->last_lines == 1 ? "" : "s");
    snprintf(f[1], sizeof f[1], "last ld/st: %u lanes -> %u sectors, "
             "%u lines", m->last_lanes, m->last_sectors, m->last_lines);
    snprintf(f[2], sizeof f[2], "ld/st %u -> %u sect, %u ln",
             m->last_lanes, m->last_sectors, m->last_lines);
    snprintf(f[3], sizeof f[3], "%u->%u sect", m->last_lanes,
             m->last_sectors);
    text_fit(v, box.x + G->ipad, y, L->small, v->col->dim, box.w - 2 * G->ipad,
             f, 4);
}

/* The shared-memory banks: a caption with the busiest bank, then a cell
 * per bank coloured by its accesses relative to that one's (grey: none).
 * The cells line up under the lanes when there are no more banks than
 * lanes. */
static void draw_banks(Vis *v, const VisGpuLayout *G, VisRect box, int y,
                       const SnapSm *m)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    uint32_t nb = banks_of(s), hot = 0, max = 0;
    for (uint32_t b = 0; b < nb; b++)
        if (m->bank_heat[b] > max) {
            max = m->bank_heat[b];
            hot = b;
        }
    char f[4][160], n1[32];
    if (max)
        snprintf(f[0], sizeof f[0], "shared-memory banks (busiest: bank %u, "
                 "%s)", hot, vis_num(n1, sizeof n1, max));
    else
        snprintf(f[0], sizeof f[0], "shared-memory banks (no accesses)");
    snprintf(f[1], sizeof f[1], "shared-memory banks");
    snprintf(f[2], sizeof f[2], "smem banks");
    snprintf(f[3], sizeof f[3], "banks");
    int x = box.x + G->ipad;
    text_fit(v, x, y, L->small, v->col->dim, box.w - 2 * G->ipad, f, 4);
    y += G->line;
    if (!nb)
        return;
    int lx = x + G->label_w + (G->text ? 0 : G->state_w) + G->col_gap;
    int bp = G->lane_pitch;
    if (nb > lanes_of(s) || bp < 3) {
        lx = x;
        bp = (box.w - 2 * G->ipad) / (int)nb;
        if (bp > 2 * G->line)
            bp = 2 * G->line;
    }
    int gap = bp >= 5 ? 1 : 0;
    for (uint32_t b = 0; b < nb; b++) {
        float f = max ? (float)m->bank_heat[b] / (float)max : 0.0f;
        vis_fill(v->r, vis_rect(lx + (int)b * bp, y, bp - gap, bank_h(L)),
                 vis_heat(v->col, f));
    }
}

static void draw_sm(Vis *v, uint32_t i)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const VisGpuLayout *G = &L->gpu;
    const SnapSm *m = &s->sms[i];
    VisRect box = G->sm[i];
    if (box.w <= 0 || box.h <= 0)
        return;
    vis_fill(v->r, box, v->col->core_bg);
    vis_frame(v->r, box, 1, v->col->border);
    vis_clip(v->r, &box);
    /* "SM 0" and its clock (and what it holds) in the longest form that
     * fits. */
    char name[2][16], rest[5][160], n1[32], f[2][160];
    int x = box.x + G->ipad, y = box.y + G->ipad, room = box.w - 2 * G->ipad;
    snprintf(name[0], sizeof name[0], "SM %u", i);
    snprintf(name[1], sizeof name[1], "SM%u", i);
    vis_num(n1, sizeof n1, m->clock);
    snprintf(rest[0], sizeof rest[0], "  clock %s   %u block%s, %u warp%s",
             n1, m->nblocks, m->nblocks == 1 ? "" : "s", m->nwarps,
             m->nwarps == 1 ? "" : "s");
    snprintf(rest[1], sizeof rest[1], "  clock %s", n1);
    snprintf(rest[2], sizeof rest[2], "  %s", n1);
    snprintf(rest[3], sizeof rest[3], " %s", n1);
    if (m->clock >= 1000000)
        snprintf(rest[4], sizeof rest[4], " %.1fM", (double)m->clock / 1e6);
    else
        snprintf(rest[4], sizeof rest[4], " %.0fk", (double)m->clock / 1e3);
    int k = 0, px = L->small;
    for (; k < 5; k++) {
        int nw = vis_text_width(&v->text, px, false, name[k >= 3]);
        if (nw + vis_text_width(&v->text, px, false, rest[k]) <= room)
            break;
    }
    x += vis_text(&v->text, x, y, px, false, v->col->text, name[k >= 3]);
    if (k == 5) {
        /* The shortest clock, smaller, on the name's baseline. */
        int sp = vis_clampi(px * 3 / 4, 6, px);
        vis_text(&v->text, x,
                 y + vis_text_height(&v->text, px, false) -
                     vis_text_height(&v->text, sp, false),
                 sp, false, v->col->dim, rest[4]);
    } else
        vis_text(&v->text, x, y, px, false, v->col->dim, rest[k]);
    y += G->line;

    /* A row per live slot, in slot order; when there are more than rows,
     * the warps still running first (a done warp only waits for its
     * block: the "+k more" line counts those). */
    uint32_t live = 0, shown = 0, count[SNAP_WARP_STATE_COUNT + 1] = {0};
    uint32_t all[SNAP_WARP_STATE_COUNT + 1];
    uint32_t slots = s->max_warps < SNAP_MAX_WARPS ? s->max_warps
                                                   : SNAP_MAX_WARPS;
    for (uint32_t k = 0; k < slots; k++)
        if (m->warps[k].live) {
            live++;
            count[warp_state(&m->warps[k])]++;
        }
    memcpy(all, count, sizeof all);
    bool skip_done = live > (uint32_t)G->rows;
    int room_done = G->rows - (int)(live - count[WARP_DONE]);
    for (uint32_t k = 0; k < slots && (int)shown < G->rows; k++) {
        const SnapWarp *w = &m->warps[k];
        if (!w->live)
            continue;
        if (skip_done && warp_state(w) == WARP_DONE) {
            if (room_done <= 0)
                continue;
            room_done--;
        }
        draw_row(v, G, box, y + (int)shown * G->pitch, k, w);
        count[warp_state(w)]--;
        shown++;
    }
    if (!live && G->rows > 0) {
        snprintf(f[0], sizeof f[0], "no warps resident");
        snprintf(f[1], sizeof f[1], "no warps");
        text_fit(v, box.x + G->ipad, y, L->small, v->col->dim,
                 box.w - 2 * G->ipad, f, 2);
    }
    y += G->rows * G->pitch;
    if (G->more) {
        /* The hidden warps' states; with none hidden, every warp's. */
        if (live)
            draw_more(v, G, box, y, live, shown,
                      live > shown ? count : all);
        y += G->line;
    }
    draw_coalescer(v, G, box, y, m);
    y += G->line;
    draw_banks(v, G, box, y, m);
    vis_clip(v->r, NULL);
}

/* One line of the legend at (a.x, y): a caption, then a swatch and a
 * name per item, in the long names if they fit in a.w, else the short
 * ones (clipped if even those do not). */
static void legend_line(Vis *v, VisRect a, int y, const char *caption,
                        const VisRGB *c, const char *const *name,
                        const char *const *brief, int n)
{
    VisLayout *L = &v->L;
    int px = L->small, th = vis_text_height(&v->text, px, false);
    int cell = px * 2 / 3;
    int cw = vis_text_width(&v->text, px, false, caption) + px / 2;
    int w = cw;
    for (int i = 0; i < n; i++)
        w += cell + px / 3 + vis_text_width(&v->text, px, false, name[i]) +
             px;
    const char *const *names = w - px <= a.w ? name : brief;
    int x = a.x + vis_text(&v->text, a.x, y, px, false, v->col->dim, caption) +
            px / 2;
    for (int i = 0; i < n; i++) {
        VisRect sw = vis_rect(x, y + (th - cell) / 2, cell, cell);
        vis_fill(v->r, sw, c[i]);
        vis_frame(v->r, sw, 1, v->col->border);
        x += cell + px / 3;
        x += vis_text(&v->text, x, y, px, false, v->col->dim, names[i]) + px;
    }
}

/* The legend: the lanes' colours, and with dense rows (no state words)
 * the warps' too, on a second line. */
static void draw_legend(Vis *v, const VisGpuLayout *G, VisRect a)
{
    const VisRGB lane_c[] = {LANE_RAN, lane_masked(v), LANE_BARRIER,
                             v->col->bg};
    static const char *const lane_name[] = {
        "ran the last issue", "masked off (divergent)", "at __syncthreads",
        "exited / no thread"};
    static const char *const lane_brief[] = {"ran", "masked off",
                                             "at barrier", "exited"};
    vis_clip(v->r, &a);
    legend_line(v, a, a.y, "lanes:", lane_c, lane_name, lane_brief, 4);
    if (!G->text)
        legend_line(v, a, a.y + small_line(&v->L), "warps:", warp_colour,
                    warp_name, warp_name, WARP_DONE + 1);
    vis_clip(v->r, NULL);
}

static void gpu_draw(Vis *v, VisRect a)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const VisGpuLayout *G = &L->gpu;
    if (!G->nsms || a.h <= 0)
        return;
    vis_panel_frame(v, a, NULL);
    vis_clip(v->r, &a);
    char buf[200];
    int x = a.x + L->font / 2, y = a.y + L->font / 6;
    if (s->kernel[0]) {
        x += vis_text(&v->text, x, y, L->font, false, v->col->dim,
                      "GPU: kernel ");
        x += vis_text(&v->text, x, y, L->font, true, v->col->accent, s->kernel);
    } else
        x += vis_text(&v->text, x, y, L->font, false, v->col->dim, "GPU: idle");
    snprintf(buf, sizeof buf, "%u SM%s x %u warps of %u lanes, %u banks",
             s->nsms, s->nsms == 1 ? "" : "s", s->max_warps, s->warp_size,
             s->smem_banks);
    int tw = vis_text_width(&v->text, L->small, false, buf);
    if (x + L->font + tw <= a.x + a.w - L->font / 2)
        vis_text(&v->text, a.x + a.w - tw - L->font / 2,
                 y + (L->font - L->small) / 2, L->small, false, v->col->dim,
                 buf);
    for (uint32_t i = 0; i < G->nsms; i++)
        draw_sm(v, i);
    draw_legend(v, G, G->legend);
    vis_clip(v->r, NULL);
}

const VisPanel vis_panel_gpu = {
    .name = "gpu",
    .reads = "nsms, warp_size, max_warps, smem_banks, kernel, sms (clock, "
             "nwarps, nblocks, last_lanes, last_lines, last_sectors, "
             "warps (live, state, block, pc, mask, active, barrier), "
             "bank_heat)",
    .place = VIS_PLACE_LEFT,
    .gap = 2,
    .height = gpu_height,
    .layout = gpu_layout,
    .draw = gpu_draw,
};
