/* panel_counters.c — the counters along the bottom: cycle, instructions,
 * IPC of all harts, simulated MIPS (host speed), L1 misses and coherence
 * messages per kilo-cycle, each with a sparkline of the snapshot's recent
 * samples. */
#include <math.h>
#include <stdio.h>

#include "visualizer/vis_priv.h"

static int counters_height(const VisLayout *L, const SimSnapshot *s)
{
    (void)s;
    return L->font * 5 > L->h * 14 / 100 ? L->font * 5 : L->h * 14 / 100;
}

enum { C_CYCLE, C_INSNS, C_IPC, C_MIPS, C_MISSES, C_MSGS, C_COUNT };

static double series(const SimSnapshot *s, int which, uint32_t i)
{
    const SnapSample *b = &s->samples[i];
    if (which == C_CYCLE)
        return (double)b->cycle;
    if (which == C_INSNS)
        return (double)b->instret;
    if (i == 0)
        return 0;
    /* Rates over at least 1,000 cycles (or from the first sample), so that
     * single steps do not make them jump to 0 and back: the samples are
     * the session's fixed points, so the last one's window is the
     * snapshot's window_from..cycle. */
    uint32_t j = i - 1;
    while (j > 0 && b->cycle - s->samples[j].cycle < 1000)
        j--;
    const SnapSample *a = &s->samples[j];
    double dc = b->cycle > a->cycle ? (double)(b->cycle - a->cycle) : 0;
    double di = b->instret > a->instret ? (double)(b->instret - a->instret)
                                        : 0;
    switch (which) {
    case C_IPC:
        return dc > 0 ? di / dc : 0;
    case C_MIPS: {
        double dt = b->host_seconds - a->host_seconds;
        return dt > 1e-9 ? di / dt / 1e6 : 0;
    }
    case C_MISSES:
        return dc > 0 ? (double)(b->misses - a->misses) * 1000.0 / dc : 0;
    default:
        return dc > 0 ? (double)(b->messages - a->messages) * 1000.0 / dc : 0;
    }
}

static void counters_draw(Vis *v, VisRect a)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    static const char *const names[C_COUNT] = {
        "cycle", "instructions", "IPC (all harts)", "simulated MIPS",
        "misses / kilo-cycle", "coherence msgs / kilo-cycle"};
    vis_fill(v->r, a, v->col->panel_bg);
    vis_frame(v->r, a, 1, v->col->border);
    int cw = a.w / C_COUNT;
    uint32_t n = s->nsamples < SNAP_HISTORY ? s->nsamples : SNAP_HISTORY;
    for (int k = 0; k < C_COUNT; k++) {
        int x = a.x + k * cw + L->font / 2, y = a.y + L->small / 4;
        VisRect cell = {a.x + k * cw, a.y, cw, a.h};
        vis_clip(v->r, &cell);
        vis_text(&v->text, x, y, L->small, false, v->col->dim, names[k]);
        y += vis_text_height(&v->text, L->small, false);
        double now;
        if (k == C_CYCLE)
            now = (double)s->cycle;
        else if (k == C_INSNS) {
            now = 0;
            for (uint32_t h = 0; h < s->nharts && h < SNAP_MAX_HARTS; h++)
                now += (double)s->harts[h].instret;
        } else
            now = n > 1 ? series(s, k, n - 1) : 0;
        char buf[64];
        if (k == C_IPC)
            snprintf(buf, sizeof buf, "%.2f", now);
        else if (k <= C_INSNS) {
            char t[32];
            snprintf(buf, sizeof buf, "%s",
                     vis_num(t, sizeof t, (uint64_t)now));
        } else
            vis_brief(buf, sizeof buf, now);
        /* Host speed is a running machine's: paused, the picture is the
         * same however the machine got there (run, steps, a step back). */
        bool host = k == C_MIPS && s->paused;
        if (host)
            snprintf(buf, sizeof buf, "paused");
        vis_text(&v->text, x, y, L->big, true,
                 host ? v->col->dim : v->col->text, buf);
        y += vis_text_height(&v->text, L->big, true);
        /* The sparkline: the samples, scaled to their own maximum. */
        VisRect sp = {x, y, cw - L->font, a.y + a.h - y - L->small / 3};
        if (sp.h > 4 && n > 1 && !host) {
            double mx = 0;
            for (uint32_t i = 1; i < n; i++)
                mx = fmax(mx, series(s, k, i));
            if (mx <= 0)
                mx = 1;
            vis_fill(v->r, sp, v->col->bg);
            float px = 0, py = 0;
            for (uint32_t i = 1; i < n; i++) {
                float fx = (float)sp.x + (float)(i - 1) * (float)(sp.w - 1) /
                                             (float)(n > 2 ? n - 2 : 1);
                float fy = (float)(sp.y + sp.h - 1) -
                           (float)(series(s, k, i) / mx) * (float)(sp.h - 2);
                if (i > 1)
                    vis_thick_line(v->r, px, py, fx, fy, 2, v->col->text);
                px = fx;
                py = fy;
            }
        }
        vis_clip(v->r, NULL);
    }
}

const VisPanel vis_panel_counters = {
    .name = "counters",
    .reads = "cycle, harts[].instret, samples (cycle, instret, misses, "
             "messages, host_seconds)",
    .place = VIS_PLACE_BOTTOM,
    .height = counters_height,
    .draw = counters_draw,
};
