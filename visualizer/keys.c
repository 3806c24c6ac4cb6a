/* keys.c — the key table (keys.def) expanded three ways: key dispatch
 * (vis_key), the help overlay (vis_draw_help) and the Markdown table of
 * docs/keys.md (vis_keys_markdown).  The clicks' rows come from the
 * panels that take them (VisPanel.clicks), after the keys.  Also the
 * speed ladder that + and - climb. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "visualizer/vis_priv.h"

#define MAX_CODES 4

typedef struct KeyRow {
    const char *keys;         /* names shown, separated by spaces */
    uint16_t mod;             /* 0: any modifiers */
    const char *help;
    VisKeyResult (*cmd)(Vis *v);
    SDL_Keycode codes[MAX_CODES];  /* SDLK_UNKNOWN (0) ends */
} KeyRow;

#define KEY(cmd, keys, mod, help, ...) static VisKeyResult cmd_##cmd(Vis *v);
#include "visualizer/keys.def"
#undef KEY

static const KeyRow key_table[] = {
#define KEY(cmd, keys, mod, help, ...)                                        \
    {keys, mod, help, cmd_##cmd, {__VA_ARGS__}},
#include "visualizer/keys.def"
#undef KEY
};
#define NKEYS ((int)(sizeof key_table / sizeof key_table[0]))

/* ---- Speeds ------------------------------------------------------------- */

/* Cycles per second for + and -, slowest first; 0 = full speed (last). */
static const uint64_t speeds[] = {1,     2,      5,       10,       20,
                                  50,    100,    1000,    10000,    100000,
                                  1000000, 10000000, 0};
#define NSPEEDS ((int)(sizeof speeds / sizeof speeds[0]))

/* The ladder's step at or above a speed (0, full speed: the last). */
int vis_speed_index(uint64_t cycles_per_second)
{
    for (int i = 0; cycles_per_second && i < NSPEEDS - 1; i++)
        if (speeds[i] >= cycles_per_second)
            return i;
    return NSPEEDS - 1;
}

/* Any speed (--speed 2000 is between two steps): + and - go on from the
 * steps on either side of it. */
void vis_set_speed_cps(Vis *v, uint64_t cycles_per_second)
{
    v->speed_idx = vis_speed_index(cycles_per_second);
    v->speed = cycles_per_second;
    sim_session_command(v->session, SIM_CMD_SPEED, v->speed);
}

void vis_set_speed(Vis *v, int idx)
{
    idx = vis_clampi(idx, 0, NSPEEDS - 1);
    v->speed_idx = idx;
    v->speed = speeds[idx];
    sim_session_command(v->session, SIM_CMD_SPEED, v->speed);
}

/* ---- The commands ------------------------------------------------------- */

static VisKeyResult cmd_run(Vis *v)
{
    bool paused = v->snap && v->snap->paused;
    sim_session_command(v->session, paused ? SIM_CMD_RUN : SIM_CMD_PAUSE, 0);
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_step(Vis *v)
{
    sim_session_command(v->session, SIM_CMD_STEP, 1);
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_step_many(Vis *v)
{
    sim_session_command(v->session, SIM_CMD_STEP, 1000);
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_hart_event(Vis *v)
{
    if (v->view.lock >= 0) {
        sim_session_command(v->session, SIM_CMD_STEP_LOCK_EVENT,
                            (uint64_t)v->view.lock);
        return VIS_KEY_SENT;
    }
    int h = v->view.hart;
    if (h < 0)
        h = vis_default_hart(v->snap ? v->snap : &v->own);
    sim_session_command(v->session, SIM_CMD_STEP_HART_EVENT, (uint64_t)h);
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_back(Vis *v)
{
    sim_session_command(v->session, SIM_CMD_BACK, 1);
    return VIS_KEY_SENT;
}

/* Back to the previous event: of the selected line, else lock, else
 * hart (as l and n follow them). */
static VisKeyResult cmd_back_event(Vis *v)
{
    SimCommand c = SIM_CMD_STEP_HART_EVENT;
    uint64_t arg;
    if (v->view.line_valid) {
        c = SIM_CMD_STEP_LINE_EVENT;
        arg = v->view.line_addr;
    } else if (v->view.lock >= 0) {
        c = SIM_CMD_STEP_LOCK_EVENT;
        arg = (uint64_t)v->view.lock;
    } else {
        int h = v->view.hart;
        arg = (uint64_t)(h >= 0 ? h : vis_default_hart(v->snap ? v->snap
                                                                : &v->own));
    }
    sim_session_command(v->session, SIM_CMD_BACK_EVENT,
                        (uint64_t)c << 32 | (arg & UINT32_MAX));
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_line_event(Vis *v)
{
    const SimSnapshot *s = v->snap;
    if (!s || !s->hierarchy)
        return VIS_KEY_VIEW;          /* flat memory: no lines */
    if (!v->view.line_valid) {
        int k = v->view.lock >= 0 && v->view.lock < (int)s->nlocks
                    ? v->view.lock
                    : vis_default_lock(s);
        if (k < 0)
            return VIS_KEY_VIEW;      /* nothing to follow yet */
        uint32_t line = s->line_size ? s->line_size : 64;
        vis_select_line(v, s->locks[k].addr & ~(line - 1));
    }
    sim_session_command(v->session, SIM_CMD_STEP_LINE_EVENT,
                        v->view.line_addr);
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_gpu_event(Vis *v)
{
    const SimSnapshot *s = v->snap;
    if (!s || !s->nsms)
        return VIS_KEY_VIEW;          /* no GPU array */
    sim_session_command(v->session, SIM_CMD_STEP_GPU_EVENT, 0);
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_faster(Vis *v)
{
    int i = vis_speed_index(v->speed);
    vis_set_speed(v, v->speed && speeds[i] != v->speed ? i : i + 1);
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_slower(Vis *v)
{
    vis_set_speed(v, vis_speed_index(v->speed) - 1);
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_restart(Vis *v)
{
    sim_session_command(v->session, SIM_CMD_RESTART, 0);
    return VIS_KEY_SENT;
}

static VisKeyResult cmd_next_hart(Vis *v)
{
    if (v->snap && v->snap->nharts)
        vis_select_hart(v, (v->view.hart + 1) % (int)v->snap->nharts);
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_stats(Vis *v)
{
    v->view.stats = !v->view.stats;
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_events(Vis *v)
{
    v->view.events = !v->view.events;
    if (v->view.events)
        v->view.hot = v->view.explain = false;  /* they share the column */
    if (v->session)
        sim_session_command(v->session, SIM_CMD_EVENT_LOG, v->view.events);
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_hot(Vis *v)
{
    v->view.hot = !v->view.hot;
    if (v->view.hot)
        v->view.explain = false;
    if (v->view.hot && v->view.events)
        return cmd_events(v);   /* closes the log (and stops keeping it) */
    return VIS_KEY_VIEW;
}

/* The explain view, of the selected line: with none, of the hottest (or
 * the one that changed last), selected so that the L1 grids mark it and
 * l follows it. */
static VisKeyResult cmd_explain(Vis *v)
{
    const SimSnapshot *s = v->snap;
    v->view.explain = !v->view.explain;
    if (!v->view.explain)
        return VIS_KEY_VIEW;
    v->view.hot = false;
    if (s && s->hierarchy && !v->view.line_valid && (s->nhot || s->ncoh))
        vis_select_line(v, s->nhot ? s->hot[0].line
                                   : s->coh[s->ncoh - 1].line);
    if (v->view.events)
        return cmd_events(v);   /* closes the log (and stops keeping it) */
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_explain_fold(Vis *v)
{
    v->view.explain_fold = !v->view.explain_fold;
    if (!v->view.explain)
        return cmd_explain(v);  /* shown, folded or not as asked */
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_zoom(Vis *v)
{
    if (v->view.zoom >= 0)
        v->view.zoom = -1;
    else
        v->view.zoom = v->focus >= 0 ? v->focus : VIS_PANEL_inspector;
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_escape(Vis *v)
{
    if (v->view.help)
        v->view.help = false;
    else if (v->view.zoom >= 0)
        v->view.zoom = -1;
    else if (v->view.stats)
        v->view.stats = false;
    else if (v->view.events)
        return cmd_events(v);
    else if (v->view.hot)
        v->view.hot = false;
    else if (v->view.explain)
        v->view.explain = false;
    else if (v->view.hart >= 0 || v->view.lock >= 0 || v->view.line_valid)
        vis_select_hart(v, -1);       /* nothing selected */
    else
        return VIS_KEY_QUIT;
    return VIS_KEY_VIEW;
}

static VisKeyResult cmd_quit(Vis *v)
{
    (void)v;
    return VIS_KEY_QUIT;
}

static VisKeyResult cmd_help(Vis *v)
{
    v->view.help = !v->view.help;
    return VIS_KEY_VIEW;
}

/* ---- Dispatch ----------------------------------------------------------- */

static bool has_code(const KeyRow *k, SDL_Keycode sym)
{
    for (int i = 0; i < MAX_CODES && k->codes[i] != SDLK_UNKNOWN; i++)
        if (k->codes[i] == sym)
            return true;
    return false;
}

VisKeyResult vis_key(Vis *v, SDL_Keycode sym, uint16_t mod)
{
    /* A row that asks for a modifier first, then one that does not. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < NKEYS; i++) {
            const KeyRow *k = &key_table[i];
            bool want = pass == 0 ? k->mod != 0 && (mod & k->mod) != 0
                                  : k->mod == 0;
            if (want && has_code(k, sym))
                return k->cmd(v);
        }
    return VIS_KEY_NONE;
}

bool vis_keys_check(char *err, size_t errlen)
{
    for (int i = 0; i < NKEYS; i++)
        for (int j = i + 1; j < NKEYS; j++) {
            const KeyRow *a = &key_table[i], *b = &key_table[j];
            if (a->mod != b->mod)
                continue;
            for (int c = 0; c < MAX_CODES && a->codes[c]; c++)
                if (has_code(b, a->codes[c])) {
                    snprintf(err, errlen,
                             "keys \"%s\" and \"%s\" share keycode %d",
                             a->keys, b->keys, (int)a->codes[c]);
                    return false;
                }
        }
    return true;
}

/* ---- The rows, as text -------------------------------------------------- */

/* Row i of the overlay and the table: the keys' column and the help.
 * The keys come first, then what the panels' clicks do.  False past the
 * last row. */
typedef struct Row {
    const KeyRow *key;            /* NULL: a click */
    const VisClickHelp *click;
} Row;

static bool row(int i, Row *r)
{
    if (i < NKEYS) {
        r->key = &key_table[i];
        r->click = NULL;
        return true;
    }
    i -= NKEYS;
    for (int p = 0; p < VIS_NPANELS; p++)
        for (const VisClickHelp *c = vis_panels[p]->clicks; c && c->what;
             c++)
            if (i-- == 0) {
                r->key = NULL;
                r->click = c;
                return true;
            }
    return false;
}

/* ---- The help overlay --------------------------------------------------- */

/* s without backquotes, into buf. */
static const char *plain(char *buf, size_t n, const char *s)
{
    size_t o = 0;
    for (; *s && o + 1 < n; s++)
        if (*s != '`')
            buf[o++] = *s;
    buf[o] = 0;
    return buf;
}

/* Draw (or, with draw false, only count) the lines of text s at size px
 * wrapped at spaces to width w, at (x, y) with line height lh; returns
 * how many. */
static int wrap(Vis *v, int x, int y, int w, int px, int lh, const char *s,
                bool draw)
{
    char buf[600];
    int n = 0;
    while (*s) {
        /* The longest run of whole words that fits (at least one). */
        size_t len = strcspn(s, " ");
        for (;;) {
            size_t next = len;
            while (s[next] == ' ')
                next++;
            if (!s[next])
                break;
            next += strcspn(s + next, " ");
            snprintf(buf, sizeof buf, "%.*s", (int)next, s);
            if (vis_text_width(&v->text, px, false, buf) > w)
                break;
            len = next;
        }
        snprintf(buf, sizeof buf, "%.*s", (int)len, s);
        if (draw)
            vis_text_in(&v->text, x, y + n * lh, w, px, false, v->col->dim,
                        buf);
        n++;
        s += len;
        while (*s == ' ')
            s++;
    }
    return n;
}

/* The overlay's text of row r: keys (two spaces apart) and help. */
static void row_text(const Row *r, char *keys, size_t kn, char *help,
                     size_t hn)
{
    char tmp[600];
    if (r->key) {
        size_t o = 0;
        for (const char *p = r->key->keys; *p && o + 3 < kn; p++) {
            keys[o++] = *p;
            if (*p == ' ')
                keys[o++] = ' ';
        }
        keys[o] = 0;
        plain(help, hn, r->key->help);
    } else {
        snprintf(keys, kn, "click");
        snprintf(tmp, sizeof tmp, "%s: %s", r->click->what, r->click->does);
        plain(help, hn, tmp);
    }
}

/* The overlay at text size px: the keys' column and the help's, and the
 * height of all its lines. */
typedef struct HelpFit {
    int px, lh, kx, hx, hw, h;
} HelpFit;

static HelpFit help_fit(Vis *v, int px, int w)
{
    HelpFit f = {px, vis_text_height(&v->text, px, false) + px / 5, px, 0, 0,
                 0};
    char keys[64], help[600];
    Row r;
    int kw = 0;
    for (int i = 0; row(i, &r); i++) {
        row_text(&r, keys, sizeof keys, help, sizeof help);
        int k = vis_text_width(&v->text, px, true, keys);
        kw = k > kw ? k : kw;
    }
    f.hx = f.kx + kw + px;
    f.hw = w - f.hx - px;
    int lines = 0;
    for (int i = 0; row(i, &r); i++) {
        row_text(&r, keys, sizeof keys, help, sizeof help);
        lines += wrap(v, 0, 0, f.hw, px, f.lh, help, false);
    }
    f.h = (lines + 3) * f.lh;
    return f;
}

void vis_draw_help(Vis *v)
{
    VisLayout *L = &v->L;
    /* Three quarters of a wide window, nearly all of a small one; the
     * largest text (from the window's size down) at which every row
     * fits. */
    int w = L->w >= 1600 ? L->w * 3 / 4 : L->w - 2 * L->font;
    HelpFit f = help_fit(v, L->font, w);
    for (int px = L->font - 1; f.h > L->h - 2 * L->pad && px >= 9; px--)
        f = help_fit(v, px, w);
    int h = f.h < L->h - 2 * L->pad ? f.h : L->h - 2 * L->pad;
    VisRect box = {(L->w - w) / 2, (L->h - h) / 2, w, h};
    SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(v->r, 0, 0, 0, 150);
    SDL_RenderFillRect(v->r, NULL);
    SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
    vis_fill(v->r, box, v->col->panel_bg);
    vis_frame(v->r, box, 2, v->col->accent);
    int y = box.y + f.lh / 2;
    vis_text_in(&v->text, box.x + f.kx, y, w - 2 * f.kx, L->big, false,
                v->col->accent, "parsim keys");
    y += f.lh + f.lh / 2;
    char keys[64], help[600];
    Row r;
    /* Whole rows only: one that does not fit is left out, not cut. */
    for (int i = 0; row(i, &r); i++) {
        row_text(&r, keys, sizeof keys, help, sizeof help);
        int n = wrap(v, 0, 0, f.hw, f.px, f.lh, help, false);
        if (y + n * f.lh > box.y + box.h - f.lh / 2)
            break;
        vis_text_in(&v->text, box.x + f.kx, y, f.hx - f.kx, f.px, true,
                    v->col->text, keys);
        y += wrap(v, box.x + f.hx, y, f.hw, f.px, f.lh, help, true) * f.lh;
    }
}

/* ---- docs/keys.md ------------------------------------------------------- */

/* s with | escaped, for a table cell. */
static void cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

void vis_keys_markdown(FILE *f)
{
    fprintf(f, "| key | does |\n| --- | --- |\n");
    Row r;
    for (int i = 0; row(i, &r); i++) {
        fputs("| ", f);
        if (r.key) {
            /* `h`, `F1`; a shifted key says so: `S` (shift+s). */
            const char *p = r.key->keys;
            while (*p) {
                size_t k = strcspn(p, " ");
                fprintf(f, "%s`%.*s`", p == r.key->keys ? "" : ", ", (int)k,
                        p);
                p += k;
                while (*p == ' ')
                    p++;
            }
            if (r.key->mod & KMOD_SHIFT)
                fprintf(f, " (shift+%c)",
                        tolower((unsigned char)r.key->keys[0]));
            fputs(" | ", f);
            cell(f, r.key->help);
        } else {
            fputs("click ", f);
            cell(f, r.click->what);
            fputs(" | ", f);
            cell(f, r.click->does);
        }
        fputs(" |\n", f);
    }
}
