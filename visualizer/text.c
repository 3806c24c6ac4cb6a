/* text.c — text for the visualizer: TrueType faces opened per pixel size
 * (SDL2_ttf), a cache of rendered strings as textures so that a frame
 * that shows the same labels as the last one renders no glyphs, text
 * fitted to a width (cut and ended with "…"), and the probe through which
 * a test sees every string drawn and the room it had (vis_text_probe). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visualizer/vis_priv.h"

#define DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define DEFAULT_MONO "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
#define ELLIPSIS VIS_ELLIPSIS

/* The test's probe (vis.h): per thread, as each picture is drawn on the
 * thread that asked for it. */
static _Thread_local VisTextProbe probe_fn;
static _Thread_local void *probe_ctx;

void vis_text_probe(VisTextProbe probe, void *ctx)
{
    probe_fn = probe;
    probe_ctx = ctx;
}

static VisRect meet(VisRect a, VisRect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    return vis_rect(x0, y0, x1 - x0, y1 - y0);
}

/* Tell the probe about s drawn at `at`, with room `room` (within the
 * panel and the clip rectangle). */
static void probed(VisText *t, const char *s, int px, VisRect at,
                   VisRect room)
{
    if (!probe_fn)
        return;
    room = meet(room, t->box);
    if (SDL_RenderIsClipEnabled(t->r)) {
        SDL_Rect c;
        SDL_RenderGetClipRect(t->r, &c);
        room = meet(room, vis_rect(c.x, c.y, c.w, c.h));
    }
    VisTextSeen seen = {t->panel ? t->panel : "?", s, px, at, room};
    probe_fn(&seen, probe_ctx);
}

static TTF_Font *face(VisText *t, int px, bool mono)
{
    int m = mono ? 1 : 0;
    if (px < 6)
        px = 6;
    for (int i = 0; i < VIS_FONT_SIZES; i++)
        if (t->font[m][i] && t->px[m][i] == px)
            return t->font[m][i];
    for (int i = 0; i < VIS_FONT_SIZES; i++) {
        if (!t->font[m][i]) {
            t->font[m][i] = TTF_OpenFont(t->path[m], px);
            t->px[m][i] = px;
            return t->font[m][i];
        }
    }
    /* Full (the window was resized many times): recycle the first slot. */
    TTF_CloseFont(t->font[m][0]);
    t->font[m][0] = TTF_OpenFont(t->path[m], px);
    t->px[m][0] = px;
    return t->font[m][0];
}

bool vis_text_init(VisText *t, SDL_Renderer *r, const char *font,
                   const char *mono, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->r = r;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
        return false;
    }
    if (!font)
        font = getenv("PARSIM_FONT") ? getenv("PARSIM_FONT") : DEFAULT_FONT;
    if (!mono)
        mono = getenv("PARSIM_MONO_FONT") ? getenv("PARSIM_MONO_FONT")
                                          : DEFAULT_MONO;
    snprintf(t->path[0], sizeof t->path[0], "%s", font);
    snprintf(t->path[1], sizeof t->path[1], "%s", mono);
    for (int m = 0; m < 2; m++) {
        TTF_Font *f = TTF_OpenFont(t->path[m], 14);
        if (!f) {
            snprintf(err, errlen,
                     "font %s: %s (install fonts-dejavu-core, or set "
                     "PARSIM_FONT / PARSIM_MONO_FONT)",
                     t->path[m], TTF_GetError());
            vis_text_free(t);
            return false;
        }
        t->font[m][0] = f;
        t->px[m][0] = 14;
    }
    return true;
}

void vis_text_free(VisText *t)
{
    for (int i = 0; i < VIS_TEXT_CACHE; i++) {
        if (t->cache[i].tex)
            SDL_DestroyTexture(t->cache[i].tex);
        free(t->cache[i].str);
    }
    for (int m = 0; m < 2; m++)
        for (int i = 0; i < VIS_FONT_SIZES; i++)
            if (t->font[m][i])
                TTF_CloseFont(t->font[m][i]);
    memset(t->cache, 0, sizeof t->cache);
    memset(t->font, 0, sizeof t->font);
}

static uint64_t hash(const char *s, int px, bool mono, VisRGB c)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    h = (h ^ (uint64_t)px) * 1099511628211ull;
    h = (h ^ (uint64_t)mono) * 1099511628211ull;
    h = (h ^ ((uint64_t)c.r << 16 | (uint64_t)c.g << 8 | c.b)) *
        1099511628211ull;
    return h | 1;
}

/* The texture of s, rendered or from the cache. */
static VisTextEntry *lookup(VisText *t, int px, bool mono, VisRGB c,
                            const char *s)
{
    uint64_t key = hash(s, px, mono, c);
    VisTextEntry *e = &t->cache[key % VIS_TEXT_CACHE];
    if (e->key == key && e->str && strcmp(e->str, s) == 0) {
        e->used = t->frame;
        return e;
    }
    TTF_Font *f = face(t, px, mono);
    if (!f)
        return NULL;
    SDL_Color col = {c.r, c.g, c.b, 255};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, col);
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(t->r, surf);
    int w = surf->w, h = surf->h;
    SDL_FreeSurface(surf);
    if (!tex)
        return NULL;
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    free(e->str);
    e->key = key;
    e->str = strdup(s);
    e->tex = tex;
    e->w = w;
    e->h = h;
    e->used = t->frame;
    return e;
}

/* Draw s with room `room` for the probe. */
static int draw(VisText *t, int x, int y, int px, bool mono, VisRGB c,
                const char *s, VisRect room)
{
    if (!s || !*s)
        return 0;
    VisTextEntry *e = lookup(t, px, mono, c, s);
    if (!e)
        return 0;
    SDL_Rect dst = {x, y, e->w, e->h};
    SDL_RenderCopy(t->r, e->tex, NULL, &dst);
    probed(t, s, px, vis_rect(x, y, e->w, e->h), room);
    return e->w;
}

int vis_text(VisText *t, int x, int y, int px, bool mono, VisRGB c,
             const char *s)
{
    return draw(t, x, y, px, mono, c, s, t->box);
}

/* The first `bytes` of text, trailing spaces dropped, and the ellipsis,
 * into out. */
static void cut(char *out, size_t n, const char *text, size_t bytes)
{
    while (bytes > 0 && text[bytes - 1] == ' ')
        bytes--;
    snprintf(out, n, "%.*s" ELLIPSIS, (int)bytes, text);
}

int vis_text_fit(VisText *t, int px, bool mono, char *text, size_t size,
                 int w)
{
    int full = vis_text_width(t, px, mono, text);
    if (full <= w)
        return full;
    /* Where each character starts (UTF-8), then the most characters
     * that fit with the ellipsis: a binary search. */
    enum { MAXC = 511 };
    size_t at[MAXC + 1], n = 0;
    for (size_t i = 0; text[i] && n < MAXC; i++)
        if ((text[i] & 0xc0) != 0x80)
            at[n++] = i;
    char probe[MAXC + 8];
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        /* mid characters: the bytes before the next one's start. */
        size_t bytes = mid < n ? at[mid] : strlen(text);
        cut(probe, sizeof probe, text, bytes);
        if (vis_text_width(t, px, mono, probe) <= w &&
            strlen(probe) + 1 <= size)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (lo == 0) {
        bool fits = vis_text_width(t, px, mono, ELLIPSIS) <= w && size > 3;
        snprintf(text, size, "%s", fits ? ELLIPSIS : "");
        return fits ? vis_text_width(t, px, mono, ELLIPSIS) : 0;
    }
    cut(probe, sizeof probe, text, lo < n ? at[lo] : strlen(text));
    snprintf(text, size, "%s", probe);
    return vis_text_width(t, px, mono, text);
}

int vis_text_in(VisText *t, int x, int y, int w, int px, bool mono,
                VisRGB c, const char *s)
{
    if (!s || !*s || w <= 0)
        return 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    vis_text_fit(t, px, mono, buf, sizeof buf, w);
    return draw(t, x, y, px, mono, c, buf,
                vis_rect(x, INT32_MIN / 2, w, INT32_MAX));
}

int vis_text_width(VisText *t, int px, bool mono, const char *s)
{
    TTF_Font *f = face(t, px, mono);
    int w = 0, h = 0;
    if (!f || !s || TTF_SizeUTF8(f, s, &w, &h) != 0)
        return 0;
    return w;
}

int vis_text_height(VisText *t, int px, bool mono)
{
    TTF_Font *f = face(t, px, mono);
    return f ? TTF_FontLineSkip(f) : px;
}
