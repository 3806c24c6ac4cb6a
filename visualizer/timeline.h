/* timeline.h — the --trace timeline rendered to a PNG (`--trace-png`):
 * the laid-out trace that sim/trace.c writes as JSON (SimTraceLayout),
 * drawn the way the trace viewers draw it — a process header, a row per
 * track with its slices nested, flow arrows for the coherence messages,
 * the counters as area charts — headless, with SDL's software renderer.
 * For pictures of a trace where no viewer can run (docs, CI), and to
 * look at a short window without leaving the terminal.
 *
 * May depend on: sim/trace.h (and through it sim/machine.h),
 * visualizer/geom.h, SDL2,
 * SDL2_ttf, SDL2_image.
 */
#ifndef PARSIM_VISUALIZER_TIMELINE_H
#define PARSIM_VISUALIZER_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/trace.h"

typedef struct VisTimelineOptions {
    const char *path;         /* the PNG */
    int width;                /* pixels (0: 1600); the height follows */
    const char *font;         /* TTF (NULL: $PARSIM_FONT or DejaVu Sans) */
} VisTimelineOptions;

/* Render l to o->path; false with a one-line reason. */
bool vis_timeline_png(const SimTraceLayout *l, const VisTimelineOptions *o,
                      char *err, size_t errlen);

/* The same as a SimTraceOptions.on_layout callback (ctx: the options). */
bool vis_timeline_on_layout(void *ctx, const SimTraceLayout *l, char *err,
                            size_t errlen);

#endif
