/* vis.c — the visualizer's life cycle (vis_init / vis_update / vis_draw /
 * vis_shutdown), the selection, the interactive window, and headless
 * rendering to PNG through SDL's software renderer on a surface.
 *
 * The window's loop polls input, copies the newest snapshot if one was
 * published, draws, and sleeps to about 30 frames a second.  It sends
 * commands to the session and never touches the model: the simulation
 * thread runs at its own pace whatever the frame rate.  Keys go to the
 * key table (keys.c), clicks to the panel under them (panels.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "visualizer/vis_priv.h"

#define FRAME_MS 33

void vis_options_default(VisOptions *o)
{
    memset(o, 0, sizeof *o);
    o->width = 1280;
    o->height = 720;
    o->start_paused = false;
    o->speed = 0;
}

void vis_view_default(VisView *v)
{
    memset(v, 0, sizeof *v);
    v->hart = -1;
    v->lock = -1;
    v->zoom = -1;
    v->theme = VIS_THEME_DARK;
}

int vis_default_hart(const SimSnapshot *snap)
{
    int k = vis_default_lock(snap);
    return k >= 0 && snap->locks[k].holder >= 0 ? snap->locks[k].holder : 0;
}

int vis_default_lock(const SimSnapshot *snap)
{
    /* Held, with the most waiters; else the first lock. */
    int best = -1, bw = -1;
    for (uint32_t i = 0; i < snap->nlocks && i < SNAP_MAX_LOCKS; i++) {
        const SnapLock *l = &snap->locks[i];
        if (l->holder >= 0 && (int)l->nwaiters > bw) {
            best = (int)i;
            bw = l->nwaiters;
        }
    }
    return best >= 0 ? best : snap->nlocks > 0 ? 0 : -1;
}

bool vis_init(Vis *v, SDL_Renderer *r, SimSession *session,
              const SimSession *info, const char *font, const char *mono,
              char *err, size_t errlen)
{
    memset(v, 0, sizeof *v);
    v->r = r;
    v->session = session;
    v->info = info;
    vis_view_default(&v->view);
    v->col = &vis_colours[VIS_THEME_DARK];
    v->focus = -1;
    v->speed_idx = vis_speed_index(0);
    return vis_text_init(&v->text, r, font, mono, err, errlen);
}

bool vis_update(Vis *v)
{
    if (!v->session)
        return false;
    uint64_t stops = v->own.stops;
    bool changed = sim_session_snapshot(v->session, &v->own);
    /* A breakpoint stopped a hart: show it in the inspector. */
    if (changed && v->own.stops != stops && v->own.stopped_hart >= 0 &&
        (uint32_t)v->own.stopped_hart < v->own.nharts) {
        v->view.hart = v->own.stopped_hart;
        v->view.lock = -1;
        v->view.line_valid = false;
    }
    if (v->own.seq != 0)
        v->snap = &v->own;
    return changed;
}

void vis_shutdown(Vis *v)
{
    vis_text_free(&v->text);
    sim_snapshot_free(&v->own);
    free(v->src_text);
    v->src_text = NULL;
}

/* ---- The selection ------------------------------------------------------ */

void vis_select_hart(Vis *v, int h)
{
    v->view.hart = h;
    v->view.lock = -1;
    v->view.line_valid = false;
}

/* A lock or a line: the hart stays selected underneath (for Tab). */
void vis_select_lock(Vis *v, int lock)
{
    v->view.lock = lock;
    v->view.line_valid = false;
}

void vis_select_line(Vis *v, uint32_t line_addr)
{
    v->view.line_valid = true;
    v->view.line_addr = line_addr;
    v->view.lock = -1;
}

/* ---- The window --------------------------------------------------------- */

/* What the renderer has drawn (before it is presented) to a PNG. */
static bool save_window(SDL_Renderer *r, const char *path, char *err,
                        size_t errlen)
{
    int w, h;
    SDL_GetRendererOutputSize(r, &w, &h);
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s || SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888,
                                   s->pixels, s->pitch) != 0 ||
        IMG_SavePNG(s, path) != 0) {
        snprintf(err, errlen, "screenshot %s: %s", path, SDL_GetError());
        SDL_FreeSurface(s);
        return false;
    }
    SDL_FreeSurface(s);
    return true;
}

int vis_run_window(SimSession *s, const VisOptions *o, char *err,
                   size_t errlen)
{
    VisOptions def;
    if (!o) {
        vis_options_default(&def);
        o = &def;
    }
    /* No display at all: say so before SDL, which would print its own
     * complaints (XDG_RUNTIME_DIR) on the way to finding none. */
    const char *x11 = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if (!getenv("SDL_VIDEODRIVER") && !(x11 && *x11) && !(wl && *wl)) {
        snprintf(err, errlen, "no display (DISPLAY and WAYLAND_DISPLAY are "
                 "not set; --snapshot CYCLE:FILE.png draws the view "
                 "without one)");
        return -1;
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        return -1;
    }
    /* With no display SDL falls back to a driver that draws nowhere: a
     * window nobody sees would wait for ever for keys nobody presses.
     * Unless the user asked for that driver (tests do), say so. */
    const char *drv = SDL_GetCurrentVideoDriver();
    if (drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")) &&
        !getenv("SDL_VIDEODRIVER")) {
        snprintf(err, errlen, "no display (DISPLAY and WAYLAND_DISPLAY are "
                 "not set; --snapshot CYCLE:FILE.png draws the view "
                 "without one)");
        SDL_Quit();
        return -1;
    }
    int w = o->width > 0 ? o->width : 1280, h = o->height > 0 ? o->height
                                                              : 720;
    SDL_Window *win = SDL_CreateWindow(
        "parsim", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
        SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!win) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        SDL_Quit();
        return -1;
    }
    SDL_Renderer *r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED);
    if (!r)
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    if (!r) {
        snprintf(err, errlen, "cannot draw in the window: %s",
                 SDL_GetError());
        SDL_DestroyWindow(win);
        SDL_Quit();
        return -1;
    }
    Vis *v = calloc(1, sizeof *v);
    if (!v || !vis_init(v, r, s, s, o->font, o->mono_font, err, errlen)) {
        if (v && !err[0])
            snprintf(err, errlen, "out of memory");
        free(v);
        SDL_DestroyRenderer(r);
        SDL_DestroyWindow(win);
        SDL_Quit();
        return -1;
    }
    if (!sim_session_start(s, o->start_paused)) {
        snprintf(err, errlen, "cannot start the simulation thread");
        vis_shutdown(v);
        free(v);
        SDL_DestroyRenderer(r);
        SDL_DestroyWindow(win);
        SDL_Quit();
        return -1;
    }
    vis_set_speed_cps(v, o->speed);
    v->view.theme = o->theme;

    bool run = true;
    size_t nkeys = o->keys ? strlen(o->keys) : 0, ki = 0;
    bool script_done = nkeys == 0 && !o->screenshot;
    uint64_t key_seq = 0, key_cmds = 0;
    uint32_t key_t = 0;
    bool key_sent = false;    /* the last scripted key sent a command */
    int rc = 0;
    while (run) {
        uint32_t t0 = SDL_GetTicks();
        /* Scripted keys: the next one once the snapshot the last one
         * caused came (at most 5 s), or at once after a key that changed
         * only the view. */
        bool last_done = !key_sent ||
                         (v->own.seq != key_seq &&
                          v->own.commands >= key_cmds) ||
                         t0 - key_t > 5000;
        if (ki < nkeys && v->snap && last_done) {
            char ch = o->keys[ki++];
            uint16_t mod = 0;
            if (ch >= 'A' && ch <= 'Z') {
                mod = KMOD_LSHIFT;
                ch = (char)(ch - 'A' + 'a');
            }
            key_seq = v->own.seq;
            key_t = t0;
            VisKeyResult kr = vis_key(
                v, ch == '\t' ? SDLK_TAB : (SDL_Keycode)ch, mod);
            key_sent = kr == VIS_KEY_SENT;
            key_cmds = sim_session_commands(v->session);
            run = kr != VIS_KEY_QUIT;
        }
        if (sim_session_interrupted())    /* Ctrl-C in the terminal */
            run = false;
        if (o->exit_at_end && script_done && v->snap && v->snap->finished)
            run = false;
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            if (e.type == SDL_QUIT)
                run = false;
            else if (e.type == SDL_KEYDOWN)
                run = vis_key(v, e.key.keysym.sym, e.key.keysym.mod) !=
                          VIS_KEY_QUIT &&
                      run;
            else if (e.type == SDL_MOUSEBUTTONDOWN &&
                     e.button.button == SDL_BUTTON_LEFT) {
                /* Window coordinates to renderer pixels (high DPI). */
                int ww, wh, ow, oh;
                SDL_GetWindowSize(win, &ww, &wh);
                SDL_GetRendererOutputSize(r, &ow, &oh);
                vis_click(v, ww ? e.button.x * ow / ww : e.button.x,
                          wh ? e.button.y * oh / wh : e.button.y);
            }
        }
        vis_update(v);
        int ow, oh;
        SDL_GetRendererOutputSize(r, &ow, &oh);
        if (v->snap)
            vis_draw(v, ow, oh);
        else {
            vis_colour(r, v->col->bg, 255);
            SDL_RenderClear(r);
        }
        if (!script_done && ki == nkeys &&
            (!key_sent ||
             (v->own.seq != key_seq && v->own.commands >= key_cmds) ||
             SDL_GetTicks() - key_t > 5000)) {
            script_done = true;
            if (o->screenshot && !save_window(r, o->screenshot, err, errlen))
                rc = -1, run = false;
            if (o->exit_after_keys)
                run = false;
        }
        SDL_RenderPresent(r);
        uint32_t dt = SDL_GetTicks() - t0;
        if (dt < FRAME_MS)
            SDL_Delay(FRAME_MS - dt);
    }
    vis_shutdown(v);
    free(v);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    TTF_Quit();
    SDL_Quit();
    return rc;
}

/* ---- Headless ----------------------------------------------------------- */

bool vis_render_png_view(const SimSnapshot *snap, const SimSession *s,
                         const VisView *view, int w, int h, const char *path,
                         char *err, size_t errlen)
{
    if (w < 320 || h < 200 || w > 16384 || h > 16384) {
        snprintf(err, errlen, "%dx%d: a picture must be 320x200 to 16384x16384",
                 w, h);
        return false;
    }
    SDL_Surface *surf =
        SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        snprintf(err, errlen, "%s", SDL_GetError());
        return false;
    }
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    if (!r) {
        snprintf(err, errlen, "software renderer: %s", SDL_GetError());
        SDL_FreeSurface(surf);
        return false;
    }
    bool ttf_was = TTF_WasInit() > 0;
    Vis *v = calloc(1, sizeof *v);
    bool ok = v && vis_init(v, r, NULL, s, NULL, NULL, err, errlen);
    if (ok) {
        v->snap = snap;
        if (view)
            v->view = *view;
        vis_draw(v, w, h);
        SDL_RenderPresent(r);
        if (IMG_SavePNG(surf, path) != 0) {
            snprintf(err, errlen, "%s: %s", path, IMG_GetError());
            ok = false;
        }
        vis_shutdown(v);
    } else if (!v) {
        snprintf(err, errlen, "out of memory");
    }
    free(v);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    if (!ttf_was)
        TTF_Quit();
    return ok;
}

bool vis_run_to_sampled(SimSession *s, uint64_t cycle)
{
    SimSnapshot *now = calloc(1, sizeof *now);
    uint64_t from = 0;
    if (now) {
        sim_session_snapshot(s, now);
        from = now->cycle;
        sim_snapshot_free(now);
        free(now);
    }
    uint64_t step = cycle > from ? (cycle - from) / 120 : 0;
    if (step > 0)
        for (uint64_t t = from + step; t < cycle; t += step)
            if (!sim_session_run_to(s, t))
                return false;
    return sim_session_run_to(s, cycle);
}

bool vis_render_png(const SimSnapshot *snap, const SimSession *s, int w,
                    int h, const char *path, char *err, size_t errlen)
{
    return vis_render_png_view(snap, s, NULL, w, h, path, err, errlen);
}

uint8_t *vis_png_read(const char *path, int *w, int *h, char *err,
                      size_t errlen)
{
    SDL_Surface *in = IMG_Load(path);
    if (!in) {
        snprintf(err, errlen, "%s: %s", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(in, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(in);
    if (!s) {
        snprintf(err, errlen, "%s: %s", path, SDL_GetError());
        return NULL;
    }
    uint8_t *out = malloc((size_t)s->w * (size_t)s->h * 3);
    if (out) {
        for (int y = 0; y < s->h; y++)
            memcpy(out + (size_t)y * (size_t)s->w * 3,
                   (uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch,
                   (size_t)s->w * 3);
        *w = s->w;
        *h = s->h;
    } else {
        snprintf(err, errlen, "out of memory");
    }
    SDL_FreeSurface(s);
    return out;
}
