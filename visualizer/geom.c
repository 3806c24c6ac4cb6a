/* geom.c — thick lines and arrows as SDL geometry (see geom.h). */
#include "visualizer/geom.h"

void vis_geom_line(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                   float w, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0, len = SDL_sqrtf(dx * dx + dy * dy);
    if (len < 0.5f)
        return;
    float nx = -dy / len * w / 2, ny = dx / len * w / 2;
    SDL_Vertex v[4] = {
        {{x0 + nx, y0 + ny}, c, {0, 0}}, {{x1 + nx, y1 + ny}, c, {0, 0}},
        {{x1 - nx, y1 - ny}, c, {0, 0}}, {{x0 - nx, y0 - ny}, c, {0, 0}}};
    int idx[6] = {0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(r, NULL, v, 4, idx, 6);
}

void vis_geom_arrow(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                    float w, float h, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0, len = SDL_sqrtf(dx * dx + dy * dy);
    if (len < 1)
        return;
    float ux = dx / len, uy = dy / len;
    if (h > len * 0.6f)
        h = len * 0.6f;
    float bx = x1 - ux * h, by = y1 - uy * h;
    vis_geom_line(r, x0, y0, bx, by, w, c);
    SDL_Vertex v[3] = {{{x1, y1}, c, {0, 0}},
                       {{bx - uy * h * 0.45f, by + ux * h * 0.45f}, c, {0, 0}},
                       {{bx + uy * h * 0.45f, by - ux * h * 0.45f}, c, {0, 0}}};
    SDL_RenderGeometry(r, NULL, v, 3, NULL, 0);
}
