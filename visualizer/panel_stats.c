/* panel_stats.c — the statistics table, over the columns while `t` has
 * it on: the statistics registry's counters and clocks as the snapshot
 * carries them (the machine's figure: members summed, clocks their max),
 * each by its JSON path, so that the window walks the same registry as
 * the summary, `--stats` and `--stats-csv`.  The names are grouped by
 * their first component (totals, harts, memory, locks: a heading each,
 * the rest of the path as the row's name); each row has the value with
 * thousands separators, what it added since the last snapshot of an
 * earlier cycle (kept by vis_update: after `s` that is one cycle, while
 * running one frame) and the unit.  Rows that moved are lit, so a step
 * shows which counters it touched.
 *
 * The rows flow down columns at the largest text size (from the window's
 * text size down) at which every row fits; the layout counts characters
 * (DejaVu's advance widths, below) rather than measuring text, so that it
 * depends on the snapshot and the window size alone, as every layout
 * does. */
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

/* Advance width per character, in percent of the text size: DejaVu Sans
 * Mono's is 60.2%; DejaVu Sans averages 47-56% over the registry's names
 * (measured with TTF_SizeUTF8 at 100 px), so 58 leaves room. */
#define PROP_PERCENT 58
#define MONO_PERCENT 61
/* Room for a value ("9,999,999,999") and a change ("+9,999,999", then
 * "+12.3M"); a longer value grows to the left, into the gap after the
 * name. */
#define VALUE_CHARS 13
#define CHANGE_CHARS 10
#define MIN_PX 9

/* ---- Names -------------------------------------------------------------- */

/* The length of the group part of a name (up to its first '.'). */
static size_t group_len(const char *name)
{
    return strcspn(name, ".");
}

static bool same_group(const char *a, const char *b)
{
    size_t n = group_len(a);
    return n == group_len(b) && strncmp(a, b, n) == 0;
}

/* The length of a name's subgroup part (its first two components:
 * "memory.l1d") if it has a third, else 0. */
static size_t sub_len(const char *name)
{
    size_t a = group_len(name);
    if (!name[a])
        return 0;
    size_t b = a + 1 + strcspn(name + a + 1, ".");
    return name[b] ? b : 0;
}

static bool same_sub(const char *a, const char *b)
{
    size_t n = sub_len(a);
    return n && n == sub_len(b) && strncmp(a, b, n) == 0;
}

/* The row's name: the path after the group (all of it if it has none). */
static const char *row_name(const char *name)
{
    size_t n = group_len(name);
    return name[n] == '.' ? name + n + 1 : name;
}

static int est(int chars, int px, int percent)
{
    return (chars * px * percent + 99) / 100;
}

/* ---- Layout ------------------------------------------------------------- */

/* Lay the headings and rows out down columns of `cap` rows, at most
 * `maxcols` of them, each colw wide and gap apart, from (x0, y0) (place
 * false: only count).  A group's heading never ends a column; a column
 * that starts inside a group repeats its heading; with keep, a subgroup
 * (memory.l1d...) that would straddle two columns starts the next one
 * if it fits there.  Returns the columns used, or maxcols + 1 if the
 * rows do not all fit. */
static int flow(VisStatsLayout *T, const SimSnapshot *s, uint32_t n, int cap,
                int maxcols, bool keep, int x0, int y0, int colw, int gap,
                bool place)
{
    int col = 0, r = 0;
    if (place) {
        T->nheads = 0;
        T->shown = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *name = s->stats[i].name;
        bool head = i == 0 || !same_group(name, s->stats[i - 1].name);
        bool cont = false;
        /* The rows this one wants together in its column: a heading
         * with its first row; with keep, the subgroup it starts. */
        int least = head ? 2 : 1, want = least;
        if (keep && sub_len(name) &&
            (i == 0 || !same_sub(name, s->stats[i - 1].name))) {
            int size = 1;
            while (i + size < n && same_sub(name, s->stats[i + size].name))
                size++;
            want = (head ? 1 : 0) + size;
        }
        int want_there = want + (head ? 0 : 1);   /* after a heading */
        if (r > 0 && (r + least > cap ||
                      (r + want > cap && want_there <= cap))) {
            col++;
            r = 0;
            if (!head)
                head = cont = true;
        }
        if (col >= maxcols || (head ? 2 : 1) > cap)
            return maxcols + 1;
        int x = x0 + col * (colw + gap);
        if (head) {
            if (place && T->nheads < VIS_MAX_STAT_HEADS) {
                T->head[T->nheads] = vis_rect(x, y0 + r * T->pitch, colw,
                                              T->pitch);
                T->head_stat[T->nheads] = i;
                T->head_cont[T->nheads] = cont;
                T->nheads++;
            }
            r++;
        }
        if (place) {
            T->row[i] = vis_rect(x, y0 + r * T->pitch, colw, T->pitch);
            T->shown++;
        }
        r++;
    }
    return col + 1;
}

static void stats_layout(VisLayout *L, const SimSnapshot *s, VisRect a)
{
    VisStatsLayout *T = &L->stats;
    uint32_t n = s->nstats < SNAP_MAX_STATS ? s->nstats : SNAP_MAX_STATS;
    int name_chars = 1, unit_chars = 1;
    for (uint32_t i = 0; i < n; i++) {
        int k = (int)strlen(row_name(s->stats[i].name));
        int u = (int)strnlen(s->stats[i].unit, sizeof s->stats[i].unit);
        name_chars = k > name_chars ? k : name_chars;
        unit_chars = u > unit_chars ? u : unit_chars;
    }
    int ip = L->pad;
    T->title = vis_rect(a.x + ip, a.y + L->font / 4, a.w - 2 * ip,
                        L->font * 3 / 2);
    int x0 = a.x + ip, y0 = T->title.y + T->title.h + L->font / 4;
    int bw = a.w - 2 * ip, bh = a.y + a.h - ip / 2 - y0;

    /* The largest text size at which every row fits. */
    int cap = 0, cols = 1, gap = 0, need = 0;
    for (int px = L->font; px >= MIN_PX; px--) {
        T->px = px;
        T->pitch = px + px / 4 + 1;
        T->name_x = px / 2;
        T->value_r = T->name_x + est(name_chars, px, PROP_PERCENT) + px +
                     est(VALUE_CHARS, px, MONO_PERCENT);
        T->change_r = T->value_r + px + est(CHANGE_CHARS, px, MONO_PERCENT);
        T->unit_x = T->change_r + px / 2;
        need = T->unit_x + est(unit_chars, px, PROP_PERCENT) + px / 4;
        gap = px * 2;
        cap = bh / T->pitch;
        cols = (bw + gap) / (need + gap);
        if (cols < 1)
            cols = 1;
        if (flow(T, s, n, cap, cols, false, 0, 0, 0, 0, false) <= cols)
            break;
    }
    if (cap < 2)
        return;                   /* not even a heading and a row */
    /* As few columns as that takes, each as short as it can be: keeping
     * subgroups together if that still fits. */
    bool keep = false;
    int used = flow(T, s, n, cap, cols, false, 0, 0, 0, 0, false);
    if (used <= cols) {
        cols = used;
        int best = cap;
        for (int c = 2; c <= cap; c++)
            if (flow(T, s, n, c, cols, true, 0, 0, 0, 0, false) <= cols) {
                best = c;
                keep = true;
                break;
            }
        for (int c = 2; !keep && c <= cap; c++)
            if (flow(T, s, n, c, cols, false, 0, 0, 0, 0, false) <= cols) {
                best = c;
                break;
            }
        cap = best;
    }
    T->ncols = cols;
    int colw = (bw - (cols - 1) * gap) / cols;
    if (colw > need * 3 / 2)
        colw = need * 3 / 2;      /* wide windows: no long gaps in a row */
    flow(T, s, n, cap, cols, keep, x0, y0, colw, gap, true);
}

/* ---- Drawing ------------------------------------------------------------ */

/* s right-aligned to end at x; returns its left edge. */
static int text_right(Vis *v, int x, int y, int px, bool mono, VisRGB c,
                      const char *s)
{
    int w = vis_text_width(&v->text, px, mono, s);
    vis_text(&v->text, x - w, y, px, mono, c, s);
    return x - w;
}

static void draw_title(Vis *v, const SimSnapshot *s, uint32_t n)
{
    VisLayout *L = &v->L;
    const VisStatsLayout *T = &L->stats;
    char buf[200], n1[32], n2[32];
    VisRect t = T->title;
    vis_clip(v->r, &t);
    int ty = t.y + (t.h - vis_text_height(&v->text, L->font, false)) / 2;
    int sy = t.y + (t.h - vis_text_height(&v->text, L->small, false)) / 2;
    int x = t.x + vis_text(&v->text, t.x, ty, L->font, false, v->col->text,
                           "statistics");
    x += L->font / 2;
    vis_text(&v->text, x, sy, L->small, false, v->col->dim,
             "the registry's counters for the whole machine, as in "
             "--stats and --stats-csv");
    /* The right end: what the change column covers, or what is missing. */
    if (T->shown < n)
        snprintf(buf, sizeof buf, "%u more: enlarge the window",
                 n - T->shown);
    else if (s->cycle > s->stats_prev_cycle)
        snprintf(buf, sizeof buf, "+: since cycle %s (%s cycle%s)",
                 vis_num(n1, sizeof n1, s->stats_prev_cycle),
                 vis_num(n2, sizeof n2, s->cycle - s->stats_prev_cycle),
                 s->cycle - s->stats_prev_cycle == 1 ? "" : "s");
    else
        snprintf(buf, sizeof buf, "t: close");
    int w = vis_text_width(&v->text, L->small, false, buf);
    VisRect back = {t.x + t.w - w - L->font / 2, t.y, w + L->font / 2, t.h};
    vis_fill(v->r, back, v->col->panel_bg);   /* over a long caption */
    vis_text(&v->text, t.x + t.w - w, sy, L->small, false,
             T->shown < n ? v->col->accent : v->col->dim, buf);
    vis_clip(v->r, NULL);
}

static void stats_draw(Vis *v, VisRect a)
{
    if (!v->view.stats || a.w <= 0 || a.h <= 0)
        return;
    const SimSnapshot *s = v->snap;
    const VisStatsLayout *T = &v->L.stats;
    uint32_t n = s->nstats < SNAP_MAX_STATS ? s->nstats : SNAP_MAX_STATS;
    vis_fill(v->r, a, v->col->panel_bg);
    vis_frame(v->r, a, 1, v->col->accent);
    draw_title(v, s, n);
    if (T->px <= 0)
        return;
    int dy = (T->pitch - vis_text_height(&v->text, T->px, false)) / 2;
    bool have_prev = s->cycle > s->stats_prev_cycle;
    char buf[80], num[32];

    for (int h = 0; h < T->nheads; h++) {
        VisRect r = T->head[h];
        const char *name = s->stats[T->head_stat[h]].name;
        snprintf(buf, sizeof buf, "%.*s%s", (int)group_len(name), name,
                 T->head_cont[h] ? " (continued)" : "");
        vis_clip(v->r, &r);
        int w = vis_text(&v->text, r.x, r.y + dy, T->px, false, v->col->accent,
                         buf);
        VisRect rule = {r.x + w + T->px / 2, r.y + r.h / 2, r.w - w - T->px,
                        1};
        vis_fill(v->r, rule, v->col->border);
        vis_clip(v->r, NULL);
    }

    for (uint32_t i = 0; i < n; i++) {
        VisRect r = T->row[i];
        if (r.w <= 0)
            continue;
        uint64_t val = s->stats[i].value;
        uint64_t was = have_prev ? s->stats[i].prev : val;
        bool moved = val > was;
        vis_clip(v->r, &r);
        if (moved)
            vis_fill(v->r, r, v->col->core_bg);
        int y = r.y + dy;
        vis_text(&v->text, r.x + T->name_x, y, T->px, false, v->col->text,
                 row_name(s->stats[i].name));
        text_right(v, r.x + T->value_r, y, T->px, true,
                   val ? v->col->text : v->col->dim, vis_num(num, sizeof num, val));
        if (moved) {
            /* Past the column's ten characters: "+12.3M". */
            if (val - was < 10000000)
                vis_num(num, sizeof num, val - was);
            else
                vis_brief(num, sizeof num, (double)(val - was));
            snprintf(buf, sizeof buf, "+%s", num);
            text_right(v, r.x + T->change_r, y, T->px, true, v->col->accent, buf);
        }
        vis_text(&v->text, r.x + T->unit_x, y, T->px, false, v->col->dim,
                 s->stats[i].unit);
        vis_clip(v->r, NULL);
    }
}

/* While shown it covers the columns: a click there is its own (and does
 * nothing), not the hidden panel's underneath. */
static bool stats_click(Vis *v, VisRect r, int x, int y)
{
    (void)r;
    (void)x;
    (void)y;
    return v->view.stats;
}

static bool stats_part(const VisLayout *L, const SimSnapshot *s, VisPart part,
                       uint32_t index, VisRect *out)
{
    const VisRect *r = NULL;
    if (part == VIS_PART_STATS && index == 0)
        r = &L->panel[VIS_PANEL_stats];
    else if (part == VIS_PART_STAT && index < s->nstats &&
             index < SNAP_MAX_STATS)
        r = &L->stats.row[index];
    if (!r || r->w <= 0 || r->h <= 0)
        return false;
    *out = *r;
    return true;
}

const VisPanel vis_panel_stats = {
    .name = "stats",
    .reads = "nstats, stats[] (name, unit, value), cycle",
    .place = VIS_PLACE_OVER,
    .gap = 2,
    .layout = stats_layout,
    .draw = stats_draw,
    .click = stats_click,
    .part = stats_part,
};
