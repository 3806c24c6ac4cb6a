/* vis_priv.h — the visualizer's insides, shared by its files: the Vis
 * state (renderer, fonts, the snapshot being shown, the selection), the
 * layout computed from the window size and the snapshot's shape, text
 * and drawing helpers.  vis_init / vis_update / vis_draw / vis_shutdown
 * are the life cycle: update copies the newest published snapshot (only
 * when its seq changed), draw only reads it.
 *
 * May depend on: visualizer/vis.h, sim/session.h, isa/isa.h, SDL2,
 * SDL2_ttf.
 */
#ifndef PARSIM_VISUALIZER_VIS_PRIV_H
#define PARSIM_VISUALIZER_VIS_PRIV_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "visualizer/vis.h"

#define VIS_MAX_ROUTERS (SNAP_MAX_CORES + SNAP_MAX_NODES)

/* ---- Layout ------------------------------------------------------------- */

typedef struct VisLayout {
    int w, h;
    int font, small, big;         /* text sizes in pixels */
    VisRect top, machine, legend, noc, locks, inspector, counters;
    VisRect node[SNAP_MAX_NODES];
    VisRect core[SNAP_MAX_CORES];
    VisRect core_title[SNAP_MAX_CORES];
    VisRect hart[SNAP_MAX_HARTS];
    VisRect l1[SNAP_MAX_CORES];
    int l1_cols, l1_cell, l1_gap; /* the grid: cell pitch = cell + gap */
    bool show_core_titles;
    float rx[VIS_MAX_ROUTERS], ry[VIS_MAX_ROUTERS];
    uint32_t nrouters;
    VisRect bus;                  /* the bus bar (bus topology) */
    int lock_order[SNAP_MAX_LOCKS];   /* locks shown, most active first */
    VisRect lock_row[SNAP_MAX_LOCKS]; /* by position in lock_order */
    VisRect gantt_row[SNAP_MAX_LOCKS];
    int nlock_rows;
    uint64_t gantt_from, gantt_to;    /* cycles the strips span */
} VisLayout;

void vis_layout(VisLayout *L, const SimSnapshot *snap, int w, int h);
/* Midpoint of link i; false if the link is not drawn. */
bool vis_link_mid(const VisLayout *L, const SimSnapshot *snap, uint32_t i,
                  float *x, float *y);

/* ---- Text --------------------------------------------------------------- */

#define VIS_FONT_SIZES 24
#define VIS_TEXT_CACHE 1024

typedef struct VisTextEntry {
    uint64_t key;
    char *str;
    SDL_Texture *tex;
    int w, h;
    uint64_t used;
} VisTextEntry;

typedef struct VisText {
    SDL_Renderer *r;
    char path[2][512];            /* [0] proportional, [1] mono */
    int px[2][VIS_FONT_SIZES];
    TTF_Font *font[2][VIS_FONT_SIZES];
    VisTextEntry cache[VIS_TEXT_CACHE];
    uint64_t frame;
} VisText;

bool vis_text_init(VisText *t, SDL_Renderer *r, const char *font,
                   const char *mono, char *err, size_t errlen);
void vis_text_free(VisText *t);
/* Draw s at (x, y) (top left); returns its width.  mono: the fixed-width
 * face. */
int vis_text(VisText *t, int x, int y, int px, bool mono, VisRGB c,
             const char *s);
int vis_text_width(VisText *t, int px, bool mono, const char *s);
/* Height of a line of text of size px. */
int vis_text_height(VisText *t, int px, bool mono);

/* ---- State -------------------------------------------------------------- */

typedef struct Vis {
    SDL_Renderer *r;
    SimSession *session;          /* the window's (commands); NULL headless */
    const SimSession *info;       /* symbols and source lines; may be NULL */
    SimSnapshot own;              /* the window's copy (vis_update) */
    const SimSnapshot *snap;      /* what is drawn */
    VisText text;
    VisLayout L;
    VisView view;
    int speed_idx;
    uint64_t speed;               /* cycles per second, 0: full */
    /* The source file of the selected hart, kept between frames. */
    char src_name[512];
    char *src_text;
    bool src_tried;
} Vis;

bool vis_init(Vis *v, SDL_Renderer *r, SimSession *session,
              const SimSession *info, const char *font, const char *mono,
              char *err, size_t errlen);
/* Copy the newest snapshot if a newer one was published; true if it did. */
bool vis_update(Vis *v);
void vis_draw(Vis *v, int w, int h);
void vis_shutdown(Vis *v);

/* The hart the inspector shows when nothing is selected. */
int vis_default_hart(const SimSnapshot *snap);

/* ---- Drawing helpers (draw.c) ------------------------------------------- */

void vis_fill(SDL_Renderer *r, VisRect a, VisRGB c);
void vis_frame(SDL_Renderer *r, VisRect a, int t, VisRGB c);
VisRGB vis_heat(float util);

#endif
