/* text.c — text for the visualizer: TrueType faces opened per pixel size
 * (SDL2_ttf), and a cache of rendered strings as textures so that a frame
 * that shows the same labels as the last one renders no glyphs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visualizer/vis_priv.h"

#define DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define DEFAULT_MONO "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

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

int vis_text(VisText *t, int x, int y, int px, bool mono, VisRGB c,
             const char *s)
{
    if (!s || !*s)
        return 0;
    VisTextEntry *e = lookup(t, px, mono, c, s);
    if (!e)
        return 0;
    SDL_Rect dst = {x, y, e->w, e->h};
    SDL_RenderCopy(t->r, e->tex, NULL, &dst);
    return e->w;
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
