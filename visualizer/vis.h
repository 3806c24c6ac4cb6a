/* vis.h — the SDL2 window onto a running machine, and the same picture
 * rendered headless to PNG.  The window shows the machine (NUMA nodes,
 * cores, harts coloured by what they do, each L1D as a grid of lines
 * coloured by coherence state, the interconnect as a heat map), the
 * annotated locks with a hold timeline, with ranks a space-time diagram
 * of their states and messages, an inspector for the selected hart or
 * cache line, sparklines of the counters, and (on a key) the statistics
 * registry's figures as a table.
 *
 * Everything drawn comes from a SimSnapshot (sim/session.h): a plain copy
 * published by the simulation thread.  The window runs on the calling
 * (main) thread and only ever sends SimCommands, so it can neither corrupt
 * nor slow model state except by pausing; simulation speed never depends
 * on the frame rate.
 *
 * This header includes no SDL: callers (sim/main.c, tests) need not know
 * how it is drawn.  Only the files in visualizer/ include SDL.
 *
 * May depend on: sim/session.h.
 */
#ifndef PARSIM_VISUALIZER_VIS_H
#define PARSIM_VISUALIZER_VIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/session.h"

/* ---- The interactive window --------------------------------------------- */

/* The window's colours: dark (the default) or light, for a lit room.  Both
 * draw states in the Okabe-Ito palette (safe for colour-blind eyes), each
 * colour meaning one thing within a panel. */
typedef enum VisTheme {
    VIS_THEME_DARK,
    VIS_THEME_LIGHT,
    VIS_THEME_COUNT
} VisTheme;

/* "dark" / "light" to a theme; false if it is neither. */
bool vis_theme_parse(const char *name, VisTheme *out);

typedef struct VisOptions {
    int width, height;        /* initial window size in pixels (0: 1280x720) */
    bool start_paused;        /* open paused at cycle 0 (a lecture) */
    uint64_t speed;           /* cycles per second, 0: full speed */
    const char *font;         /* proportional TTF (NULL: DejaVu Sans) */
    const char *mono_font;    /* monospaced TTF (NULL: DejaVu Sans Mono) */
    VisTheme theme;           /* --theme */
    /* Scripted use (tests, docs): keys pressed one by one before the
     * user's, each waiting for the snapshot it causes ("sssss" steps five
     * cycles; ' ' is space, an upper-case letter is shift+letter); then a
     * screenshot of the window to this PNG, then close if
     * exit_after_keys. */
    const char *keys;
    const char *screenshot;
    bool exit_after_keys;
    bool exit_at_end;         /* close when the run has ended (demos, the
                                 bench's "window open" figure) */
} VisOptions;

void vis_options_default(VisOptions *o);

/* Open the window, start the session's simulation thread
 * (sim_session_start, paused or not as o says) and run the GUI on the
 * calling thread until the user closes the window or presses q/Escape.
 * The session is left running or paused as it was; the caller frees it.
 * Returns 0 when the user closed the window, -1 when no window could be
 * opened (no display, no font), with the reason in err: the caller may
 * then fall back to a headless run. */
int vis_run_window(SimSession *s, const VisOptions *o, char *err,
                   size_t errlen);

/* ---- The keys ----------------------------------------------------------- */

/* The window's keys and clicks as the Markdown table of docs/keys.md
 * (what goes between its "keys:" and "end of keys" marker lines), from
 * the one key table (visualizer/keys.def) and the panels' clicks. */
void vis_keys_markdown(FILE *f);

/* For tests: true if no two keys of the table are the same key (keycode
 * and modifier); else false, naming them in err. */
bool vis_keys_check(char *err, size_t errlen);

/* ---- Headless rendering ------------------------------------------------- */

/* What is selected and shown, for a rendered picture (and the window's
 * own state).  hart < 0 and lock < 0 and !line_valid: the inspector shows
 * the holder of the busiest lock, or hart 0. */
typedef struct VisView {
    int hart;                 /* selected hart, -1 none */
    int lock;                 /* selected lock (index in snap->locks), -1 */
    bool line_valid;          /* a cache line is selected */
    uint32_t line_addr;       /* its address (line aligned) */
    bool help;                /* the key overlay */
    bool stats;               /* the statistics table over the columns */
    bool events;              /* the event log over the right column */
    bool hot;                 /* the hottest lines, there instead */
    bool explain;             /* the protocol's state diagram for the
                                 selected line (else the hottest), there
                                 instead */
    bool explain_fold;        /* ... its transient states folded into the
                                 requests that pass through them */
    int zoom;                 /* the panel (vis_panel_index) filling the
                                 window below the top bar (key z), -1: none */
    VisTheme theme;
} VisView;

/* The index of the panel called name ("machine", "inspector"...: the
 * names of visualizer/panels.def), -1 if there is none. */
int vis_panel_index(const char *name);

void vis_view_default(VisView *v);

/* Render snap as the window would show it, w x h pixels, into a PNG file,
 * with SDL's software renderer on a surface: no display, no video driver.
 * s may be NULL (then no symbols, source lines or disassembly targets).
 * view may be NULL (the default view). */
bool vis_render_png(const SimSnapshot *snap, const SimSession *s, int w,
                    int h, const char *path, char *err, size_t errlen);
bool vis_render_png_view(const SimSnapshot *snap, const SimSession *s,
                         const VisView *view, int w, int h, const char *path,
                         char *err, size_t errlen);

/* Run s on the calling thread (no simulation thread: as
 * sim_session_run_to) from where it is to `cycle` in about 120 steps, so
 * that a picture taken there has counter history for its sparklines.
 * Returns false when the program ended first. */
bool vis_run_to_sampled(SimSession *s, uint64_t cycle);

/* ---- For tests: where things are, what colour they are ------------------ */

typedef struct VisRGB { uint8_t r, g, b; } VisRGB;

/* The dark theme's palette (defined once, in visualizer/draw.c). */
extern const VisRGB vis_hart_colour[SNAP_STATE_COUNT];      /* SnapHartState */
extern const VisRGB vis_line_colour[SNAP_LINE_STATE_COUNT]; /* SnapLineState */
extern const VisRGB vis_link_idle;                          /* util 0 */
extern const VisRGB vis_hilite;   /* outlines: the selection, the holder */
extern const VisRGB vis_rank_colour[SNAP_RANK_STATE_COUNT]; /* SnapRankState */

typedef struct VisRect { int x, y, w, h; } VisRect;

typedef enum VisPart {
    VIS_PART_HART,            /* index: hart; its state-coloured cell */
    VIS_PART_CORE,            /* index: core; its box (framed thick in
                                 vis_hilite while it holds a lock) */
    VIS_PART_L1,              /* index: core; its L1D grid */
    VIS_PART_L1_LINE,         /* index: core * sets * ways + set * ways +
                                 way; one cell of the grid */
    VIS_PART_NODE,            /* index: NUMA node; its box */
    VIS_PART_LINK,            /* index: link; a small square on the link's
                                 middle (the bus: on the bar) */
    VIS_PART_LOCK,            /* index: lock; its row in the lock panel (-:
                                 not shown) */
    VIS_PART_STATS,           /* index 0: the statistics table, over the
                                 columns (drawn while VisView.stats) */
    VIS_PART_STAT,            /* index: i of snap->stats; its row in the
                                 table (false: no room for it) */
    VIS_PART_RANK,            /* index: rank; its strip in the space-time
                                 diagram (false: no ranks) */
    VIS_PART_COUNT
} VisPart;

/* Every string the picture draws, for a test that nothing is clipped:
 * the panel drawing it ("help": the key overlay), the string, its size,
 * where it went (its measured width and height) and the room it had:
 * the panel's rectangle, within the clip rectangle set then and the
 * width a fitting helper (vis_text_in) was given.  NULL: none (the
 * default).  The probe is per thread. */
typedef struct VisTextSeen {
    const char *panel;
    const char *text;
    int px;
    VisRect at, room;
} VisTextSeen;
typedef void (*VisTextProbe)(const VisTextSeen *seen, void *ctx);
void vis_text_probe(VisTextProbe probe, void *ctx);

/* Where the picture of snap at w x h puts a part (the layout depends only
 * on the snapshot's shape and the size).  False if it is not drawn. */
bool vis_layout_rect(const SimSnapshot *snap, int w, int h, VisPart part,
                     uint32_t index, VisRect *out);

/* Read a PNG back as packed RGB bytes, w * h * 3 (malloc'd; NULL with a
 * reason on failure). */
uint8_t *vis_png_read(const char *path, int *w, int *h, char *err,
                      size_t errlen);

#endif
