/* geom.h — the drawing primitives both pictures share: the window
 * (visualizer/draw.c and its panels) and the trace's timeline
 * (visualizer/timeline.c): a line of some thickness, and an arrow with a
 * head, as SDL geometry.
 *
 * May depend on: SDL2.
 */
#ifndef PARSIM_VISUALIZER_GEOM_H
#define PARSIM_VISUALIZER_GEOM_H

#include <SDL.h>

/* A line of thickness w from (x0, y0) to (x1, y1). */
void vis_geom_line(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                   float w, SDL_Color c);

/* That line with a filled head of size h at (x1, y1) (at most 0.6 of the
 * length): a message from its send to its receipt. */
void vis_geom_arrow(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                    float w, float h, SDL_Color c);

#endif
