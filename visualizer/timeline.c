/* timeline.c — the trace's timeline as a PNG (see timeline.h).
 *
 * Layout, top to bottom: a title line, the time axis (cycles), then per
 * process a header and its tracks (a label column on the left, the
 * slices on the right; a nested slice one row below its parent), then the
 * counters as small area charts, each with its peak written beside it.
 * Flow arrows go last, over everything: the coherence messages' thin and
 * translucent (a window of a few thousand cycles has hundreds of them),
 * the messages between ranks' dark and thick with a head, from the send
 * to the receipt — with the library calls on the harts' tracks (blue
 * point-to-point, purple collectives, teal the rest) that is the
 * space-time diagram of a message-passing run, and a legend says so.
 * Colours follow the window's (running green, spinning orange, blocked
 * grey...); lock holds take their holder hart's colour and messages
 * their type's, as the viewers colour slices by name; a GPU kernel and
 * its blocks take their launch's, and a warp's divergence (magenta) or
 * reconvergence (teal) is a tick under its block.
 */
#include "visualizer/timeline.h"
#include "visualizer/geom.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

#define LABEL_W 300           /* the label column */
#define ROW_H 16              /* one nesting level of a track */
#define TRACK_PAD 4
#define HEADER_H 22           /* a process's header */
#define COUNTER_H 30
#define AXIS_H 40
#define TITLE_H 30
#define LEGEND_H 22           /* with library calls: what the colours are */
#define MARGIN 10

/* ORDER SimTraceColor */
static const SDL_Color state_colors[SIM_TC_COUNT] = {
    {76, 175, 80, 255},       /* running */
    {255, 152, 0, 255},       /* spinning */
    {144, 164, 174, 255},     /* blocked */
    {207, 216, 220, 255},     /* halted */
    {229, 57, 53, 255},       /* miss */
    {142, 36, 170, 255},      /* upgrade */
    {33, 150, 243, 255},      /* hold */
    {0, 137, 123, 255},       /* message */
    {255, 213, 79, 255},      /* region */
    {30, 100, 230, 255},      /* MPI point-to-point call */
    {156, 39, 176, 255},      /* MPI collective */
    {0, 172, 193, 255},       /* MPI other (init, finalize, ...) */
    {33, 33, 33, 255},        /* a message between ranks: send, receipt */
    {63, 81, 181, 255},       /* a kernel's run (by launch, see below) */
    {121, 134, 203, 255},     /* a block's run (by launch) */
    {216, 27, 96, 255},       /* a warp diverges */
    {0, 150, 136, 255},       /* a warp reconverges */
};
_Static_assert(sizeof state_colors / sizeof state_colors[0] == SIM_TC_COUNT,
               "a colour per SimTraceColor");

/* Harts' and message types' colours: distinct hues. */
static const SDL_Color palette[] = {
    {31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255},
    {214, 39, 40, 255},  {148, 103, 189, 255}, {140, 86, 75, 255},
    {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255},
    {23, 190, 207, 255},
};
#define NPALETTE (sizeof palette / sizeof palette[0])

typedef struct Draw {
    SDL_Renderer *r;
    TTF_Font *font, *bold;
    int w;
    uint64_t from, to;
} Draw;

static int x_of(const Draw *d, uint64_t c)
{
    double span = (double)(d->to > d->from ? d->to - d->from : 1);
    double f = ((double)c - (double)d->from) / span;
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    return LABEL_W + (int)(f * (d->w - LABEL_W - MARGIN));
}

static void fill(SDL_Renderer *r, int x, int y, int w, int h, SDL_Color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(r, &(SDL_Rect){x, y, w, h});
}

/* Text at (x, y), clipped to max_w pixels (0: no limit); returns its
 * width, or 0 when it did not fit. */
static int text(Draw *d, TTF_Font *f, const char *s, int x, int y,
                SDL_Color c, int max_w)
{
    if (!*s)
        return 0;
    int tw, th;
    if (TTF_SizeUTF8(f, s, &tw, &th) != 0)
        return 0;
    if (max_w && tw > max_w)
        return 0;
    SDL_Surface *ts = TTF_RenderUTF8_Blended(f, s, c);
    if (!ts)
        return 0;
    SDL_Texture *tx = SDL_CreateTextureFromSurface(d->r, ts);
    if (tx) {
        SDL_RenderCopy(d->r, tx, NULL, &(SDL_Rect){x, y, ts->w, ts->h});
        SDL_DestroyTexture(tx);
    }
    SDL_FreeSurface(ts);
    return tw;
}

static SDL_Color slice_color(const SimTraceSlice *s)
{
    if (s->color == SIM_TC_HOLD || s->color == SIM_TC_MSG ||
        s->color == SIM_TC_KERNEL || s->color == SIM_TC_BLOCK)
        return palette[s->arg % NPALETTE];
    return state_colors[s->color < SIM_TC_COUNT ? s->color : 0];
}

/* "1,234,567" */
static void grouped(uint64_t v, char *buf, size_t len)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%" PRIu64, v);
    size_t n = strlen(raw), k = 0;
    for (size_t i = 0; i < n && k + 2 < len; i++) {
        if (i && (n - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = raw[i];
    }
    buf[k] = 0;
}

/* Ticks at a round step: 1, 2 or 5 times a power of ten cycles. */
static void axis(Draw *d, int y, int bottom)
{
    static const SDL_Color ink = {60, 60, 60, 255}, grid = {232, 232, 232,
                                                           255};
    uint64_t span = d->to > d->from ? d->to - d->from : 1;
    uint64_t step = 1;
    for (;;) {
        if (span / step <= 10)
            break;
        if (span / (step * 2) <= 10) {
            step *= 2;
            break;
        }
        if (span / (step * 5) <= 10) {
            step *= 5;
            break;
        }
        step *= 10;
    }
    for (uint64_t c = (d->from + step - 1) / step * step; c <= d->to;
         c += step) {
        int x = x_of(d, c);
        SDL_SetRenderDrawColor(d->r, grid.r, grid.g, grid.b, 255);
        SDL_RenderDrawLine(d->r, x, y + 18, x, bottom);
        SDL_SetRenderDrawColor(d->r, ink.r, ink.g, ink.b, 255);
        SDL_RenderDrawLine(d->r, x, y + 14, x, y + 20);
        char b[32];
        grouped(c, b, sizeof b);
        text(d, d->font, b, x + 2, y, ink, 0);
    }
    text(d, d->bold, "cycle", MARGIN, y, ink, 0);
}

/* Rows of each track: where it starts (y) and how tall it is. */
typedef struct Row {
    int y, h;
} Row;

static int track_height(const SimTraceTrack *t)
{
    int depth = t->depth ? t->depth : 1;
    return depth * ROW_H + TRACK_PAD;
}

/* A window of a sample period or two has a value or two per counter:
 * flat bars that take half the picture.  Those are left out. */
static bool show_counters(const SimTraceLayout *l)
{
    return l->ncounters && l->counters[0].n >= 3;
}

/* Does the trace have library calls or messages between ranks? */
static bool has_mpi(const SimTraceLayout *l)
{
    for (size_t i = 0; i < l->nslices; i++)
        if (l->slices[i].color >= SIM_TC_MPI_P2P &&
            l->slices[i].color <= SIM_TC_MPI_MSG)
            return true;
    return false;
}

/* Height of the picture, and the rows of the tracks and the counters. */
static int plan(const SimTraceLayout *l, Row *tracks, Row *counters)
{
    int y = TITLE_H + (has_mpi(l) ? LEGEND_H : 0) + AXIS_H;
    const char *proc = "";
    for (uint32_t i = 0; i < l->ntracks; i++) {
        if (strcmp(l->tracks[i].process, proc)) {
            y += HEADER_H;
            proc = l->tracks[i].process;
        }
        tracks[i] = (Row){y, track_height(&l->tracks[i])};
        y += tracks[i].h;
    }
    y += HEADER_H;
    counters[0] = (Row){y, 0};
    for (uint32_t i = 0; show_counters(l) && i < l->ncounters; i++) {
        counters[i] = (Row){y, COUNTER_H};
        y += COUNTER_H + 2;
    }
    return y + MARGIN;
}

static void draw_tracks(Draw *d, const SimTraceLayout *l, const Row *rows)
{
    static const SDL_Color ink = {33, 33, 33, 255}, soft = {96, 96, 96, 255},
                           band = {246, 246, 246, 255},
                           white = {255, 255, 255, 255};
    const char *proc = "";
    for (uint32_t i = 0; i < l->ntracks; i++) {
        const SimTraceTrack *t = &l->tracks[i];
        if (strcmp(t->process, proc)) {
            proc = t->process;
            fill(d->r, 0, rows[i].y - HEADER_H, d->w, HEADER_H - 2,
                 (SDL_Color){225, 230, 240, 255});
            text(d, d->bold, proc, MARGIN, rows[i].y - HEADER_H + 2, ink, 0);
        }
        if (i % 2)
            fill(d->r, 0, rows[i].y, d->w, rows[i].h, band);
        text(d, d->font, t->name, MARGIN + 10, rows[i].y, soft,
             LABEL_W - MARGIN - 14);
    }
    for (size_t i = 0; i < l->nslices; i++) {
        const SimTraceSlice *s = &l->slices[i];
        if (s->track >= l->ntracks)
            continue;
        int x0 = x_of(d, s->start), x1 = x_of(d, s->end);
        if (x1 <= x0)
            x1 = x0 + 1;         /* a cycle is at least a pixel */
        /* Blocks of one launch share a colour: a pixel between them. */
        if ((s->color == SIM_TC_BLOCK || s->color == SIM_TC_KERNEL) &&
            x1 - x0 > 3)
            x1--;
        int y = rows[s->track].y + s->depth * ROW_H + 1;
        SDL_Color c = slice_color(s);
        fill(d->r, x0, y, x1 - x0, ROW_H - 2, c);
        if (x1 - x0 > 30) {
            bool dark = c.r * 3 + c.g * 6 + c.b < 1100;
            text(d, d->font, s->label, x0 + 2, y - 1,
                 dark ? white : ink, x1 - x0 - 4);
        }
    }
}

/* More arrows than this hide the slices under them: not drawn. */
#define MAX_FLOWS 4000

static size_t count_flows(const SimTraceLayout *l, uint8_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < l->nflows; i++)
        n += l->flows[i].kind == kind;
    return n;
}

static void draw_flows(Draw *d, const SimTraceLayout *l, const Row *rows)
{
    bool coherence = count_flows(l, SIM_TF_COHERENCE) <= MAX_FLOWS;
    bool mp = count_flows(l, SIM_TF_MP) <= MAX_FLOWS;
    SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_BLEND);
    for (int pass = 0; pass < 2; pass++)       /* the ranks' on top */
        for (size_t i = 0; i < l->nflows; i++) {
            const SimTraceFlow *f = &l->flows[i];
            bool is_mp = f->kind == SIM_TF_MP;
            if (f->from_track >= l->ntracks || f->to_track >= l->ntracks ||
                is_mp != (pass == 1) || !(is_mp ? mp : coherence))
                continue;
            int x0 = x_of(d, f->from), x1 = x_of(d, f->to);
            if (is_mp) {
                float y0 = (float)(rows[f->from_track].y +
                                   f->from_depth * ROW_H + ROW_H / 2);
                float y1 = (float)(rows[f->to_track].y +
                                   f->to_depth * ROW_H + ROW_H / 2);
                vis_geom_arrow(d->r, (float)x0, y0, (float)x1, y1, 2.0f, 9.0f,
                      (SDL_Color){20, 20, 20, 230});
                continue;
            }
            int y0 = rows[f->from_track].y + ROW_H / 2;
            int y1 = rows[f->to_track].y + ROW_H / 2;
            SDL_SetRenderDrawColor(d->r, 40, 40, 40, 110);
            SDL_RenderDrawLine(d->r, x0, y0, x1, y1);
            /* The arrow head: a short tick back along the line's end. */
            int dy = y1 > y0 ? -4 : 4;
            SDL_RenderDrawLine(d->r, x1, y1, x1 - 3, y1 + dy);
            SDL_RenderDrawLine(d->r, x1, y1, x1 + 3, y1 + dy);
        }
    SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_NONE);
}

/* What the colours of a message-passing run are, under the title. */
static void draw_legend(Draw *d, int y)
{
    static const struct {
        uint8_t color;
        const char *what;
    } items[] = {
        {SIM_TC_RUNNING, "computing (running)"},
        {SIM_TC_MPI_P2P, "MPI point-to-point call"},
        {SIM_TC_MPI_COLL, "MPI collective"},
        {SIM_TC_MPI_OTHER, "other MPI call"},
        {SIM_TC_BLOCKED, "blocked (waiting, under its call)"},
        {SIM_TC_MISS, "memory stall"},
    };
    static const SDL_Color ink = {60, 60, 60, 255};
    int x = MARGIN;
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        fill(d->r, x, y + 3, 14, 12, state_colors[items[i].color]);
        x += 18 + text(d, d->font, items[i].what, x + 18, y + 1, ink, 0) + 16;
    }
    vis_geom_arrow(d->r, (float)x, (float)y + 9, (float)x + 34, (float)y + 9, 2.0f,
          9.0f, (SDL_Color){20, 20, 20, 230});
    x += 40;
    text(d, d->font, "a message between ranks, from its send to its receipt",
         x, y + 1, ink, 0);
}

static void draw_counters(Draw *d, const SimTraceLayout *l, const Row *rows)
{
    static const SDL_Color ink = {33, 33, 33, 255}, soft = {96, 96, 96, 255};
    if (!l->ncounters)
        return;
    fill(d->r, 0, rows[0].y - HEADER_H, d->w, HEADER_H - 2,
         (SDL_Color){225, 230, 240, 255});
    if (!show_counters(l)) {
        text(d, d->bold, "counters: one value per sample period, and the "
             "window holds fewer than three (see the JSON)", MARGIN,
             rows[0].y - HEADER_H + 2, ink, 0);
        return;
    }
    text(d, d->bold, "counters (one value per sample period)", MARGIN,
         rows[0].y - HEADER_H + 2, ink, 0);
    for (uint32_t i = 0; i < l->ncounters; i++) {
        const SimTraceCounter *c = &l->counters[i];
        double peak = 0;
        for (uint32_t k = 0; k < c->n; k++)
            if (c->value[k] > peak)
                peak = c->value[k];
        char label[128];
        snprintf(label, sizeof label, "%s, peak %.3g", c->name, peak);
        text(d, d->font, label, MARGIN + 10, rows[i].y + 6, soft,
             LABEL_W - MARGIN - 14);
        SDL_Color col = palette[i % NPALETTE];
        for (uint32_t k = 0; k < c->n; k++) {
            uint64_t a = c->at[k];
            uint64_t b = k + 1 < c->n ? c->at[k + 1] : l->to;
            int x0 = x_of(d, a), x1 = x_of(d, b);
            int h = peak > 0 ? (int)(c->value[k] / peak * (COUNTER_H - 4))
                             : 0;
            if (x1 <= x0)
                x1 = x0 + 1;
            fill(d->r, x0, rows[i].y + COUNTER_H - 2 - h, x1 - x0, h, col);
        }
        SDL_SetRenderDrawColor(d->r, 200, 200, 200, 255);
        SDL_RenderDrawLine(d->r, LABEL_W, rows[i].y + COUNTER_H - 1,
                           d->w - MARGIN, rows[i].y + COUNTER_H - 1);
    }
}

bool vis_timeline_png(const SimTraceLayout *l, const VisTimelineOptions *o,
                      char *err, size_t errlen)
{
    Draw d = {.w = o->width > LABEL_W + 100 ? o->width : 1600,
              .from = l->from, .to = l->to};
    Row *tracks = calloc(l->ntracks + 1, sizeof *tracks);
    Row *counters = calloc(l->ncounters + 1, sizeof *counters);
    SDL_Surface *surf = NULL;
    bool ok = false;
    if (!tracks || !counters) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    int h = plan(l, tracks, counters);
    if (h > 16000) {
        snprintf(err, errlen, "%u tracks make a picture %d pixels high; "
                 "trace fewer cores", l->ntracks, h);
        goto done;
    }
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
        goto done;
    }
    const char *font = o->font ? o->font
                     : getenv("PARSIM_FONT") ? getenv("PARSIM_FONT")
                                             : DEFAULT_FONT;
    d.font = TTF_OpenFont(font, 11);
    d.bold = TTF_OpenFont(font, 12);
    if (!d.font || !d.bold) {
        snprintf(err, errlen, "font %s: %s (install fonts-dejavu-core, or "
                 "set PARSIM_FONT)", font, TTF_GetError());
        goto done;
    }
    TTF_SetFontStyle(d.bold, TTF_STYLE_BOLD);
    surf = SDL_CreateRGBSurfaceWithFormat(0, d.w, h, 32,
                                          SDL_PIXELFORMAT_ARGB8888);
    d.r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!d.r) {
        snprintf(err, errlen, "SDL: %s", SDL_GetError());
        goto done;
    }
    fill(d.r, 0, 0, d.w, h, (SDL_Color){255, 255, 255, 255});
    char a[32], b[32], title[384];
    grouped(l->from, a, sizeof a);
    grouped(l->to, b, sizeof b);
    char arrows[96] = "";
    size_t nco = count_flows(l, SIM_TF_COHERENCE), nmp = count_flows(l,
                                                                  SIM_TF_MP);
    if (nco > MAX_FLOWS || nmp > MAX_FLOWS)
        snprintf(arrows, sizeof arrows, "; %zu message arrows not drawn "
                 "(narrow the window to see them)",
                 (nco > MAX_FLOWS ? nco : 0) + (nmp > MAX_FLOWS ? nmp : 0));
    snprintf(title, sizeof title, "parsim trace: cycles %s to %s, %" PRIu64
             " trace events%s%s", a, b, l->events,
             l->dropped ? " (cut by the cap)" : "", arrows);
    text(&d, d.bold, title, MARGIN, 6, (SDL_Color){0, 0, 0, 255}, 0);
    bool legend = has_mpi(l);
    if (legend)
        draw_legend(&d, TITLE_H - 4);
    axis(&d, TITLE_H + (legend ? LEGEND_H : 0), h - MARGIN);
    draw_tracks(&d, l, tracks);
    draw_counters(&d, l, counters);
    draw_flows(&d, l, tracks);
    SDL_RenderPresent(d.r);
    if (IMG_SavePNG(surf, o->path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", o->path,
                 IMG_GetError());
        goto done;
    }
    ok = true;
done:
    if (d.r)
        SDL_DestroyRenderer(d.r);
    if (surf)
        SDL_FreeSurface(surf);
    if (d.font)
        TTF_CloseFont(d.font);
    if (d.bold)
        TTF_CloseFont(d.bold);
    free(tracks);
    free(counters);
    return ok;
}

bool vis_timeline_on_layout(void *ctx, const SimTraceLayout *l, char *err,
                            size_t errlen)
{
    return vis_timeline_png(l, ctx, err, errlen);
}
