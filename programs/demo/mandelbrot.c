/* mandelbrot.c — the `make demo` program: an ASCII-art Mandelbrot set in
 * single-precision float, then what the machine computed to draw it. */
#include <stdio.h>

#include "parsim.h"

#define WIDTH 72
#define HEIGHT 24
#define MAX_ITER 1000
#define SUB 2 /* SUB x SUB samples per character: smoother edges */

/* Denser characters for points that escape later; '@' never escapes
 * (within MAX_ITER).  Escape times spread roughly logarithmically, so
 * each shade covers about twice the iterations of the previous one. */
static const char shades[] = " .:-=+*%#";
static const unsigned bands[] = {2, 3, 5, 8, 14, 28, 60, 150, MAX_ITER};

static char shade(unsigned iter)
{
    if (iter >= MAX_ITER)
        return '@';
    unsigned b = 0;
    while (iter > bands[b])
        b++;
    return shades[b];
}

static unsigned escape_time(float cr, float ci)
{
    float zr = 0.0f, zi = 0.0f;
    unsigned n = 0;
    while (n < MAX_ITER && zr * zr + zi * zi <= 4.0f) {
        float t = zr * zr - zi * zi + cr;
        zi = 2.0f * zr * zi + ci;
        zr = t;
        n++;
    }
    return n;
}

int main(void)
{
    const float x0 = -2.2f, x1 = 0.8f, y0 = -1.2f, y1 = 1.2f;
    unsigned long total_iter = 0, inside = 0;
    uint64_t c0 = cycles(), i0 = instret();
    for (int row = 0; row < HEIGHT; row++) {
        char line[WIDTH + 1];
        for (int col = 0; col < WIDTH; col++) {
            /* A character shows the mean escape time of its samples, or
             * '@' when most of them stay bounded. */
            unsigned sum = 0, bounded = 0;
            for (int sy = 0; sy < SUB; sy++)
                for (int sx = 0; sx < SUB; sx++) {
                    float ci = y0 + (y1 - y0) *
                               ((float)(row * SUB + sy) + 0.5f) / (HEIGHT * SUB);
                    float cr = x0 + (x1 - x0) *
                               ((float)(col * SUB + sx) + 0.5f) / (WIDTH * SUB);
                    unsigned n = escape_time(cr, ci);
                    total_iter += n;
                    if (n >= MAX_ITER)
                        bounded++;
                    else
                        sum += n;
                }
            if (2 * bounded > SUB * SUB) {
                line[col] = '@';
                inside++;
            } else {
                line[col] = shade(sum / (SUB * SUB - bounded));
            }
        }
        line[WIDTH] = '\0';
        printf("%s\n", line);
    }
    uint64_t dc = cycles() - c0, di = instret() - i0;
    printf("%dx%d points, %lu inside, %lu iterations; %llu instructions, "
           "%llu cycles on hart %u\n", WIDTH, HEIGHT, inside, total_iter,
           (unsigned long long)di, (unsigned long long)dc, hart_id());
    return 0;
}
