/* vis_priv.h — the visualizer's insides, shared by its files: the panels
 * of the window as a table (visualizer/panels.def lists them, one file
 * each: panel_<name>.c), the layout computed from the window size and the
 * snapshot's shape, the Vis state (renderer, fonts, the snapshot being
 * shown, the selection), text and drawing helpers, and the key table
 * (visualizer/keys.def) behind key dispatch, the help overlay and
 * docs/keys.md.  vis_init / vis_update / vis_draw / vis_shutdown are the
 * life cycle: update copies the newest published snapshot (only when its
 * seq changed), draw only reads it.
 *
 * May depend on: visualizer/vis.h, visualizer/geom.h, sim/session.h,
 * isa/isa.h (the inspector's disassembly), SDL2, SDL2_ttf, SDL2_image.
 */
#ifndef PARSIM_VISUALIZER_VIS_PRIV_H
#define PARSIM_VISUALIZER_VIS_PRIV_H

#include <SDL.h>
#include <SDL_ttf.h>

#include "sim/session.h"
#include "visualizer/vis.h"
#include "visualizer/geom.h"

#define VIS_MAX_ROUTERS (SNAP_MAX_CORES + SNAP_MAX_NODES)

typedef struct Vis Vis;

/* ---- The panels --------------------------------------------------------- */

/* VIS_PANEL_top, VIS_PANEL_machine, ...: a panel's index in vis_panels
 * and in VisLayout.panel, in the order of panels.def. */
typedef enum VisPanelId {
#define PANEL(name) VIS_PANEL_##name,
#include "visualizer/panels.def"
#undef PANEL
    VIS_NPANELS
} VisPanelId;

/* Where a panel goes.  Bars span the window; the columns share what the
 * bars leave (the left one VIS_LEFT_PERCENT of the width).  Panels of one
 * place stack in the order of panels.def. */
#define VIS_LEFT_PERCENT 58      /* the left column's share of the width */

typedef enum VisPlace {
    VIS_PLACE_TOP,            /* a bar, stacked from the top down */
    VIS_PLACE_BOTTOM,         /* a bar, stacked so the last is at the bottom */
    VIS_PLACE_LEFT,           /* the left column, top to bottom */
    VIS_PLACE_RIGHT,          /* the right column */
    VIS_PLACE_OVER            /* over both columns (between the bars), drawn
                                 on top of them while the view asks for it;
                                 the topmost panel under a click gets it */
} VisPlace;

typedef struct VisLayout VisLayout;

/* What clicking on a panel does, for the help overlay and docs/keys.md:
 * "click <what>" | <does>. */
typedef struct VisClickHelp {
    const char *what, *does;
} VisClickHelp;

/* One panel.  Each panel_<name>.c defines `const VisPanel
 * vis_panel_<name>`; a new one is one file and one line in panels.def. */
typedef struct VisPanel {
    const char *name;
    /* The snapshot data it reads (documentation only: what it shows, and
     * what a change to SimSnapshot must keep). */
    const char *reads;
    VisPlace place;
    int gap;                  /* room above it in its column: gap * pad / 2 */
    /* Its height (bars and columns alike); NULL: what is left of its
     * column (one such panel per column). */
    int (*height)(const VisLayout *L, const SimSnapshot *s);
    /* Its sub-layout inside r, into its part of *L (NULL: none). */
    void (*layout)(VisLayout *L, const SimSnapshot *s, VisRect r);
    void (*draw)(Vis *v, VisRect r);
    /* A left click at (x, y) inside r; true if it did something (NULL:
     * clicks do nothing here). */
    bool (*click)(Vis *v, VisRect r, int x, int y);
    const VisClickHelp *clicks;   /* what click does, {NULL} ended */
    /* Zoomed (key z) with the panel above it in panels.def, under it:
     * the legend goes with the machine it explains. */
    bool zoom_with_above;
    /* Where one of its parts is (vis_layout_rect); false if it is not
     * one of its parts or not drawn (NULL: it has none). */
    bool (*part)(const VisLayout *L, const SimSnapshot *s, VisPart part,
                 uint32_t index, VisRect *out);
} VisPanel;

#define PANEL(name) extern const VisPanel vis_panel_##name;
#include "visualizer/panels.def"
#undef PANEL

/* The table, in the order of panels.def (panels.c). */
extern const VisPanel *const vis_panels[VIS_NPANELS];

/* ---- Layout ------------------------------------------------------------- */

/* The machine panel's parts (panel_machine.c). */
typedef struct VisMachineLayout {
    VisRect node[SNAP_MAX_NODES];
    VisRect core[SNAP_MAX_CORES];
    VisRect core_title[SNAP_MAX_CORES];
    VisRect hart[SNAP_MAX_HARTS];
    VisRect l1[SNAP_MAX_CORES];
    int l1_cols, l1_cell, l1_gap; /* the grid: cell pitch = cell + gap */
    bool show_core_titles;
} VisMachineLayout;

/* The interconnect panel's routers (panel_noc.c). */
typedef struct VisNocLayout {
    float rx[VIS_MAX_ROUTERS], ry[VIS_MAX_ROUTERS];
    uint32_t nrouters;
    VisRect bus;                  /* the bus bar (bus topology) */
} VisNocLayout;

/* The lock panel's rows (panel_locks.c). */
typedef struct VisLocksLayout {
    int order[SNAP_MAX_LOCKS];    /* locks shown, most active first */
    VisRect row[SNAP_MAX_LOCKS];  /* by position in order */
    VisRect gantt[SNAP_MAX_LOCKS];
    int nrows;
    uint64_t from, to;            /* cycles the strips span */
} VisLocksLayout;

/* The space-time diagram's rows (panel_ranks.c): a strip per rank in
 * plot, time from..to left to right. */
typedef struct VisRanksLayout {
    VisRect plot;                 /* the strips' area */
    VisRect row[SNAP_MAX_RANKS];  /* each rank's strip */
    int nrows;
    int label_w;                  /* the labels' column, left of plot */
    VisRect axis, legend;         /* under the strips */
    uint64_t from, to;            /* cycles the strips span */
} VisRanksLayout;

/* The statistics table's rows (panel_stats.c): a heading for each group
 * of the registry's names (their first component: totals, harts,
 * memory, locks), repeated where a column starts inside a group, and a
 * row for each figure, flowing down columns at the largest text size at
 * which everything fits. */
#define VIS_MAX_STAT_HEADS (SNAP_MAX_STATS + 16)

typedef struct VisStatsLayout {
    int px, pitch;                /* text size and row pitch */
    int ncols;
    VisRect title;                /* the caption above the columns */
    /* Within a row, from its left edge: where the name starts, where the
     * value and the change end (right aligned), where the unit starts. */
    int name_x, value_r, change_r, unit_x;
    VisRect row[SNAP_MAX_STATS];  /* by index in snap->stats; w 0: no room */
    VisRect head[VIS_MAX_STAT_HEADS];
    uint32_t head_stat[VIS_MAX_STAT_HEADS];   /* the first figure under it */
    bool head_cont[VIS_MAX_STAT_HEADS];       /* a group's continuation */
    int nheads;
    uint32_t shown;               /* figures with a row */
} VisStatsLayout;

/* The GPU panel's boxes (panel_gpu.c): a box per SM in a grid of
 * `cols` columns, each with room for `rows` warp rows (live warps, the
 * ones still running first; when that is fewer than max_warps, a line
 * under them says how many more), `pitch` apart.  A row with text is its label, the lanes
 * (cells lane_pitch apart), its state (a word, or a chip in its colour)
 * and its pc, at text size px; a dense row (many SMs or warps) is a chip
 * and the lanes. */
typedef struct VisGpuLayout {
    VisRect head;                 /* the title line */
    VisRect sm[SNAP_MAX_SMS];     /* each SM's box */
    VisRect legend;               /* under the boxes */
    uint32_t nsms;                /* boxes laid out (0: not shown) */
    int cols;
    bool text;                    /* rows with text (else dense) */
    int px, pitch, rows;
    bool more;                    /* the "+k more" line */
    int line;                     /* a line of the box's small text */
    int ipad;                     /* inside a box, around its contents */
    int label_w, lane_pitch, state_w, pc_w, col_gap;
    bool state_words;             /* the state as a word (else a chip) */
} VisGpuLayout;

struct VisLayout {
    int w, h;
    int zoom;                     /* the panel filling the body, -1: none */
    int font, small, big, pad;    /* text sizes and the margin, in pixels */
    VisRect body;                 /* between the bars: the columns' height */
    VisRect panel[VIS_NPANELS];   /* each panel's rectangle */
    VisMachineLayout m;
    VisNocLayout noc;
    VisLocksLayout locks;
    VisRanksLayout ranks;
    VisStatsLayout stats;
    VisGpuLayout gpu;
};

/* zoom: the panel (VisPanelId) given the whole window below the top
 * bar, with the one that goes with it (zoom_with_above); -1, a bar or
 * a panel that takes no room now: none. */
void vis_layout(VisLayout *L, const SimSnapshot *snap, int w, int h,
                int zoom);
/* The lock panel's height beside the space-time diagram (with ranks and
 * locks): room for one lock (panel_locks.c). */
int vis_locks_strip(const VisLayout *L);
/* Midpoint of link i; false if the link is not drawn (panel_noc.c). */
bool vis_link_mid(const VisLayout *L, const SimSnapshot *snap, uint32_t i,
                  float *x, float *y);

static inline int vis_clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* A rectangle; negative sizes become 0. */
static inline VisRect vis_rect(int x, int y, int w, int h)
{
    VisRect r = {x, y, w < 0 ? 0 : w, h < 0 ? 0 : h};
    return r;
}

static inline bool vis_inside(VisRect r, int x, int y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static inline bool vis_rect_overlap(VisRect p, VisRect q)
{
    return p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h &&
           q.y < p.y + p.h;
}

/* ---- Text --------------------------------------------------------------- */

#define VIS_FONT_SIZES 24
#define VIS_ELLIPSIS "\xe2\x80\xa6"    /* U+2026, where text is cut */
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
    /* The panel drawing now and its rectangle (vis_draw sets them): the
     * room every string has, for the text probe (vis_text_probe). */
    const char *panel;
    VisRect box;
} VisText;

bool vis_text_init(VisText *t, SDL_Renderer *r, const char *font,
                   const char *mono, char *err, size_t errlen);
void vis_text_free(VisText *t);
/* Draw s at (x, y) (top left); returns its width.  mono: the fixed-width
 * face. */
int vis_text(VisText *t, int x, int y, int px, bool mono, VisRGB c,
             const char *s);
/* The same, fitted to width w: cut at a character and ended with "…"
 * where it is wider (nothing when not even "…" fits); returns the width
 * drawn. */
int vis_text_in(VisText *t, int x, int y, int w, int px, bool mono,
                VisRGB c, const char *s);
/* Cut text (in place, size bytes, at a character) to fit width w at
 * size px, ending in "…" when cut; returns its width. */
int vis_text_fit(VisText *t, int px, bool mono, char *text, size_t size,
                 int w);
int vis_text_width(VisText *t, int px, bool mono, const char *s);
/* Height of a line of text of size px. */
int vis_text_height(VisText *t, int px, bool mono);

/* ---- Colours (draw.c) --------------------------------------------------- */

/* A theme's colours: the window's own, and the states' (Okabe-Ito: orange
 * E69F00, sky blue 56B4E9, bluish green 009E73, yellow F0E442, blue 0072B2,
 * vermillion D55E00, reddish purple CC79A7, with greys).  Within the
 * machine panel each colour means one thing: the harts' states and the
 * lines' states share none, and cores are told apart by number and
 * outline, never by a fill. */
typedef struct VisColours {
    VisRGB bg, panel_bg, core_bg, border;
    VisRGB text, dim;             /* text; captions and quiet figures */
    VisRGB hilite;                /* outlines: the selection, the holder */
    VisRGB accent;                /* emphasis in text (titles, PAUSED) */
    VisRGB cool;                  /* messages: the log's, control packets */
    const VisRGB *hart;           /* [SNAP_STATE_COUNT] */
    const VisRGB *line;           /* [SNAP_LINE_STATE_COUNT] */
    const VisRGB *rank;           /* [SNAP_RANK_STATE_COUNT] */
    VisRGB link_idle;
    /* Link use, little to full: greys to the outline colour (every hue
     * is a state's; a link's use is also its thickness). */
    VisRGB heat[3];
    VisRGB hold[2];               /* the lock timeline's bars, by turns */
} VisColours;

extern const VisColours vis_colours[VIS_THEME_COUNT];

/* Ink on a swatch, whatever the theme: dark on light colours, light on
 * dark ones. */
#define VIS_INK_DARK ((VisRGB){16, 18, 22})
#define VIS_INK_LIGHT ((VisRGB){240, 242, 246})

/* ---- State -------------------------------------------------------------- */

struct Vis {
    SDL_Renderer *r;
    SimSession *session;          /* the window's (commands); NULL headless */
    const SimSession *info;       /* symbols and source lines; may be NULL */
    SimSnapshot own;              /* the window's copy (vis_update) */
    const SimSnapshot *snap;      /* what is drawn */
    VisText text;
    VisLayout L;
    VisView view;
    const VisColours *col;        /* vis_colours[view.theme] */
    int focus;                    /* the panel last clicked (z zooms it),
                                     -1: none yet (the inspector) */
    int speed_idx;
    uint64_t speed;               /* cycles per second, 0: full */
    /* The inspector's source file of the selected hart, kept between
     * frames. */
    char src_name[512];
    char *src_text;
    bool src_tried;
};

bool vis_init(Vis *v, SDL_Renderer *r, SimSession *session,
              const SimSession *info, const char *font, const char *mono,
              char *err, size_t errlen);
/* Copy the newest snapshot if a newer one was published; true if it did. */
bool vis_update(Vis *v);
/* Lay out and draw every panel, then the help overlay (panels.c). */
void vis_draw(Vis *v, int w, int h);
/* A left click at (x, y): to the panel under it (panels.c). */
void vis_click(Vis *v, int x, int y);
void vis_shutdown(Vis *v);

/* The hart the inspector shows when nothing is selected: the holder of
 * the lock with the most waiters, else hart 0. */
int vis_default_hart(const SimSnapshot *snap);
/* The lock with the most waiters (the first of those), -1: no locks. */
int vis_default_lock(const SimSnapshot *snap);
/* Select a hart (and nothing else), a lock or a cache line (the hart
 * stays selected underneath, for Tab). */
void vis_select_hart(Vis *v, int hart);
void vis_select_lock(Vis *v, int lock);
void vis_select_line(Vis *v, uint32_t line_addr);

/* ---- Keys (keys.c, from keys.def) --------------------------------------- */

typedef enum VisKeyResult {
    VIS_KEY_NONE,             /* not a key of the table */
    VIS_KEY_VIEW,             /* changed the view only: nothing to wait for */
    VIS_KEY_SENT,             /* sent a command: a snapshot will follow */
    VIS_KEY_QUIT              /* the user asked to quit */
} VisKeyResult;

VisKeyResult vis_key(Vis *v, SDL_Keycode sym, uint16_t mod);
/* Set the speed to speeds[idx] (clamped) and tell the session. */
void vis_set_speed(Vis *v, int idx);
/* Any speed, on the ladder or between two of its steps. */
void vis_set_speed_cps(Vis *v, uint64_t cycles_per_second);
/* The ladder's step at or above a speed (0: full speed, the last). */
int vis_speed_index(uint64_t cycles_per_second);
void vis_draw_help(Vis *v);

/* ---- Drawing (draw.c) --------------------------------------------------- */

/* Names of SnapHartState, for the legend and the inspector; of
 * SnapRankState, for the space-time diagram's legend. */
extern const char *const vis_hart_state_names[SNAP_STATE_COUNT];
extern const char *const vis_rank_state_names[SNAP_RANK_STATE_COUNT];

void vis_colour(SDL_Renderer *r, VisRGB c, uint8_t alpha);
void vis_fill(SDL_Renderer *r, VisRect a, VisRGB c);
void vis_frame(SDL_Renderer *r, VisRect a, int t, VisRGB c);
VisRGB vis_heat(const VisColours *c, float util);
VisRGB vis_mix(VisRGB a, VisRGB b, float t);
/* A line of thickness t; a filled disc. */
void vis_thick_line(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                    float t, VisRGB c);
void vis_disc(SDL_Renderer *r, float cx, float cy, float rad, VisRGB c);
/* Clip drawing to a (NULL: no clipping). */
void vis_clip(SDL_Renderer *r, const VisRect *a);
/* The right column's part of a panel placed over both columns (r): where
 * the event log and the hottest lines go, the machine in sight beside. */
VisRect vis_over_right(const VisLayout *L, VisRect r);
/* Draw such an overlay's frame in a (clipped to it until vis_clip(NULL))
 * and its title with a smaller caption beside it; returns the y of its
 * first row (vis_over_first_row gives the same without drawing). */
int vis_over_frame(Vis *v, VisRect a, const char *title,
                   const char *caption);
int vis_over_first_row(Vis *v, VisRect a);

/* 1234567 -> "1,234,567"; 1234567 -> "1.23M". */
const char *vis_num(char *buf, size_t n, uint64_t v);
const char *vis_brief(char *buf, size_t n, double v);
/* The core of hart h (0 if out of range). */
int vis_hart_core(const SimSnapshot *s, int h);
/* Text colour on a swatch of colour c. */
VisRGB vis_ink_on(VisRGB c);
/* A box of colour c with a label at (x, y); returns its width. */
int vis_swatch(Vis *v, int x, int y, int px, VisRGB c, const char *label);
/* A label in an outlined box (a hart or a core by number: no fill, so
 * that no state's colour is spent on it); thick: the holder's outline.
 * Returns its width. */
int vis_tag(Vis *v, int x, int y, int px, bool thick, const char *label);
/* A panel's background and frame, with a title (NULL: none). */
void vis_panel_frame(Vis *v, VisRect a, const char *title);

#endif
