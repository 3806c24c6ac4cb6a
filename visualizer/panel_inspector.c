/* panel_inspector.c — the inspector: the selected hart (by default the
 * holder of the most contended lock) with its state, pc, function and
 * source line, counts, a bar of its cycles split into running and
 * stalls, its source lines beside the disassembly around pc, and its
 * registers; or, with a cache line selected, that line's state in every
 * core's L1D and who holds and who owns it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "visualizer/vis_priv.h"

static const char *const abi_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
    "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
    "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

/* ---- Source and disassembly --------------------------------------------- */

/* Lines first..last of the selected hart's source file, if readable. */
static const char *source_text(Vis *v, const char *file)
{
    if (v->src_tried && strcmp(v->src_name, file) == 0)
        return v->src_text;
    free(v->src_text);
    v->src_text = NULL;
    v->src_tried = true;
    snprintf(v->src_name, sizeof v->src_name, "%s", file);
    FILE *f = fopen(file, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *t = malloc(cap);
    size_t n;
    while (t && (n = fread(t + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            if (cap >= (1u << 24))
                break;
            char *nt = realloc(t, cap * 2);
            if (!nt)
                break;
            t = nt;
            cap *= 2;
        }
    }
    fclose(f);
    if (t)
        t[len] = 0;
    v->src_text = t;
    return t;
}

static void source_line_text(const char *text, int want, char *out,
                             size_t n)
{
    out[0] = 0;
    int line = 1;
    const char *p = text;
    while (*p && line < want) {
        if (*p++ == '\n')
            line++;
    }
    if (line != want || !*p)
        return;
    size_t o = 0;
    for (; *p && *p != '\n' && o + 1 < n; p++)
        out[o++] = *p == '\t' ? ' ' : *p;
    out[o] = 0;
}

/* Disassembly of the instructions around pc from the snapshot's bytes:
 * find a start in code[] from which decoding lands exactly on pc. */
static int disasm_around(const SnapHart *h, uint32_t *pcs, char (*txt)[80],
                         int max)
{
    uint32_t base = h->code_base, end = base + (uint32_t)sizeof h->code;
    if (h->pc < base || h->pc >= end)
        return 0;
    uint32_t start = h->pc;
    for (uint32_t s0 = base; s0 < h->pc; s0 += 2) {
        uint32_t a = s0;
        bool ok = true;
        while (a < h->pc) {
            uint32_t off = a - base, raw = h->code[off];
            raw |= (uint32_t)h->code[off + 1] << 8;
            if ((raw & 3) == 3) {
                if (off + 4 > sizeof h->code) {
                    ok = false;
                    break;
                }
                raw |= (uint32_t)h->code[off + 2] << 16 |
                       (uint32_t)h->code[off + 3] << 24;
            }
            IsaInsn in;
            if (!isa_decode(raw, &in)) {
                ok = false;
                break;
            }
            a += in.len;
        }
        if (ok && a == h->pc) {
            start = s0;
            break;
        }
    }
    int n = 0;
    /* Keep at most max/2 before pc. */
    uint32_t addrs[64];
    int na = 0;
    for (uint32_t a = start; a + 2 <= end && na < 64;) {
        uint32_t off = a - base, raw = h->code[off];
        raw |= (uint32_t)h->code[off + 1] << 8;
        if ((raw & 3) == 3) {
            if (off + 4 > sizeof h->code)
                break;
            raw |= (uint32_t)h->code[off + 2] << 16 |
                   (uint32_t)h->code[off + 3] << 24;
        }
        IsaInsn in;
        bool legal = isa_decode(raw, &in);
        addrs[na++] = a;
        a += in.len ? in.len : 2;
        (void)legal;
    }
    int at = 0;
    for (int i = 0; i < na; i++)
        if (addrs[i] == h->pc)
            at = i;
    int first = at - max / 2 + 1 > 0 ? at - max / 2 + 1 : 0;
    for (int i = first; i < na && n < max; i++) {
        uint32_t a = addrs[i], off = a - base, raw = h->code[off];
        raw |= (uint32_t)h->code[off + 1] << 8;
        if ((raw & 3) == 3 && off + 4 <= sizeof h->code)
            raw |= (uint32_t)h->code[off + 2] << 16 |
                   (uint32_t)h->code[off + 3] << 24;
        IsaInsn in;
        char d[64];
        if (isa_decode(raw, &in))
            isa_disasm(&in, a, d, sizeof d, NULL, NULL);
        else
            snprintf(d, sizeof d, "(not an instruction)");
        for (char *c = d; *c; c++)
            if (*c == '\t')
                *c = ' ';
        pcs[n] = a;
        snprintf(txt[n], sizeof txt[n], "%08x  %s", a, d);
        n++;
    }
    return n;
}

/* ---- A hart ------------------------------------------------------------- */

static void draw_hart(Vis *v, VisRect a, int hi)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    const SnapHart *h = &s->harts[hi];
    char buf[512], n1[32], n2[32];
    int x = a.x + L->font / 2, y = a.y + L->font / 6;
    int right = a.x + a.w - L->font / 2, bottom = a.y + a.h - 2;
    int room = right - x;
    int lh = vis_text_height(&v->text, L->small, true);
    uint8_t st = h->state < SNAP_STATE_COUNT ? h->state : SNAP_HALTED;
    /* The title, in words where they fit, else "h3 c3.0". */
    const char *sname = vis_hart_state_names[st];
    int sw = vis_text_width(&v->text, L->font, false, sname) + L->font / 2 + 2;
    if (s->nranks && s->harts_per_rank)
        snprintf(buf, sizeof buf, "hart %u  rank %u  core %u thread %u  ",
                 h->id, h->id / s->harts_per_rank, h->core, h->thread);
    else
        snprintf(buf, sizeof buf, "hart %u  core %u thread %u  ", h->id,
                 h->core, h->thread);
    if (vis_text_width(&v->text, L->font, false, buf) + sw > room) {
        if (s->nranks && s->harts_per_rank)
            snprintf(buf, sizeof buf, "h%u r%u c%u.%u ", h->id,
                     h->id / s->harts_per_rank, h->core, h->thread);
        else
            snprintf(buf, sizeof buf, "h%u  c%u.%u ", h->id, h->core,
                     h->thread);
    }
    int xx = x + vis_text_in(&v->text, x, y, room, L->font, false,
                             v->col->text, buf);
    if (xx + sw <= right)
        vis_swatch(v, xx, y, L->font, v->col->hart[st], sname);
    y += vis_text_height(&v->text, L->font, false) + 2;

    char where[300] = "";
    if (v->info)
        sim_session_describe(v->info, h->pc, where, sizeof where);
    snprintf(buf, sizeof buf, "pc %08x  %s", h->pc, where);
    vis_text_in(&v->text, x, y, room, L->small, true, v->col->accent, buf);
    y += lh;
    double ipc = h->cycle ? (double)h->instret / (double)h->cycle : 0;
    snprintf(buf, sizeof buf,
             "%s insns  IPC %.2f  %s misses  %" PRIu64 " acquired  %" PRIu64
             " invalidated",
             vis_num(n1, sizeof n1, h->instret), ipc,
             vis_num(n2, sizeof n2, h->misses), h->acquisitions,
             h->invalidations);
    if (vis_text_width(&v->text, L->small, false, buf) > room)
        snprintf(buf, sizeof buf,
                 "%s insns  IPC %.2f  %s miss  %" PRIu64 " acq  %" PRIu64
                 " inval",
                 vis_brief(n1, sizeof n1, (double)h->instret), ipc,
                 vis_brief(n2, sizeof n2, (double)h->misses),
                 h->acquisitions, h->invalidations);
    vis_text_in(&v->text, x, y, room, L->small, false, v->col->dim, buf);
    y += lh;

    /* Stall breakdown: a bar over the hart's cycles; memory, blocked and
     * spinning in their states' colours, the two stalls that are no
     * hart state in the colours the machine's states leave. */
    uint64_t parts[5] = {h->stall_memory, h->stall_fu, h->stall_blocked,
                         h->stall_spin, h->stall_slot};
    static const char *const pn[5] = {"memory", "func.unit", "blocked",
                                      "spinning", "issue-slot"};
    const VisRGB pcol[5] = {v->col->hart[SNAP_MEMORY], {240, 228, 66},
                            v->col->hart[SNAP_BLOCKED],
                            v->col->hart[SNAP_SPINNING], {86, 180, 233}};
    int bw = room, bh = L->small * 2 / 3;
    VisRect bar = {x, y + 2, bw, bh};
    vis_fill(v->r, bar, v->col->hart[SNAP_RUNNING]);
    int bx = x;
    for (int i = 0; i < 5 && h->cycle; i++) {
        int w = (int)((double)parts[i] * bw / (double)h->cycle);
        if (bx + w > x + bw)
            w = x + bw - bx;
        VisRect p = {bx, y + 2, w, bh};
        vis_fill(v->r, p, pcol[i]);
        bx += w;
    }
    y += bh + 4;
    /* Its legend: a square and "memory 1,234" each, on as many lines as
     * it takes (the figure shortened first). */
    int sx = x + vis_text_in(&v->text, x, y, room, L->small, false,
                             v->col->dim, "stalled ");
    for (int i = 0; i < 5; i++) {
        if (!parts[i])
            continue;
        snprintf(buf, sizeof buf, "%s %s", pn[i],
                 vis_num(n1, sizeof n1, parts[i]));
        int need = lh / 2 + 3 + vis_text_width(&v->text, L->small, false, buf);
        if (sx + need > right) {
            snprintf(buf, sizeof buf, "%s %s", pn[i],
                     vis_brief(n1, sizeof n1, (double)parts[i]));
            need = lh / 2 + 3 + vis_text_width(&v->text, L->small, false, buf);
        }
        if (sx + need > right && sx > x + L->small * 4) {
            sx = x + L->small;
            y += lh;
        }
        VisRect sq = {sx, y + lh / 4, lh / 2, lh / 2};
        vis_fill(v->r, sq, pcol[i]);
        sx += lh / 2 + 3;
        sx += vis_text_in(&v->text, sx, y, right - sx, L->small, false,
                          v->col->dim, buf) + L->small;
    }
    y += lh + 2;

    /* Source and disassembly side by side, each line cut to its column
     * (zoom the inspector, z, for whole lines). */
    int colw = room * 11 / 20;
    int top = y;
    const char *file = NULL;
    int line = 0;
    int nsrc = 5;
    if (top + lh * nsrc > bottom)
        nsrc = (bottom - top) / lh > 1 ? (bottom - top) / lh : 1;
    if (v->info && sim_session_source_line(v->info, h->pc, &file, &line) &&
        file) {
        const char *text = source_text(v, file);
        if (text) {
            for (int i = 0; i < nsrc; i++) {
                int ln = line - nsrc / 2 + i;
                if (ln < 1)
                    continue;
                char src[200];
                source_line_text(text, ln, src, sizeof src);
                snprintf(buf, sizeof buf, "%4d %s", ln, src);
                if (ln == line) {
                    VisRect hl = {x, y + i * lh, colw, lh};
                    vis_fill(v->r, hl, v->col->core_bg);
                }
                vis_text_in(&v->text, x, y + i * lh, colw, L->small, true,
                            ln == line ? v->col->text : v->col->dim, buf);
            }
        } else {
            const char *base = strrchr(file, '/');
            snprintf(buf, sizeof buf, "%s:%d (source not readable)",
                     base ? base + 1 : file, line);
            vis_text_in(&v->text, x, y, colw, L->small, false, v->col->dim,
                        buf);
        }
    } else {
        vis_text_in(&v->text, x, y, colw, L->small, false, v->col->dim,
                    "no line information");
    }
    uint32_t pcs[12];
    char txt[12][80];
    int nd = disasm_around(h, pcs, txt, nsrc);
    int dx = x + colw + L->font / 2, dw = right - dx;
    for (int i = 0; i < nd; i++) {
        bool cur = pcs[i] == h->pc;
        if (cur) {
            VisRect hl = {dx, top + i * lh, dw, lh};
            vis_fill(v->r, hl, v->col->core_bg);
        }
        vis_text_in(&v->text, dx, top + i * lh, dw, L->small, true,
                    cur ? v->col->accent : v->col->dim, txt[i]);
    }
    y = top + lh * (nd > nsrc ? nd : nsrc) + 4;

    /* Registers: four columns where "s11 00000000" fits in a quarter,
     * else two, else one; the rows that fit (zoom for all of them). */
    int need = vis_text_width(&v->text, L->small, true, "s11 00000000") +
               L->small / 2;
    int cols = 4;
    while (cols > 1 && room / cols < need)
        cols /= 2;
    int rows = 32 / cols, cw = room / cols;
    int fit = (bottom - y) / lh;
    for (int i = 0; i < 32; i++) {
        int col = i / rows, row = i % rows;
        if (row >= fit)
            continue;
        snprintf(buf, sizeof buf, "%-4s %08x", abi_names[i], h->x[i]);
        vis_text_in(&v->text, x + col * cw, y + row * lh, cw - L->small / 2,
                    L->small, true, h->x[i] ? v->col->text : v->col->dim,
                    buf);
    }
}

/* ---- A cache line ------------------------------------------------------- */

static void draw_line(Vis *v, VisRect a)
{
    const SimSnapshot *s = v->snap;
    VisLayout *L = &v->L;
    char buf[512], name[200] = "";
    int x = a.x + L->font / 2, y = a.y + L->font / 6;
    uint32_t addr = v->view.line_addr;
    uint32_t line = s->line_size ? s->line_size : 64;
    /* Every variable the line holds: false sharing shows in the name. */
    if (v->info)
        sim_session_line_name(v->info, addr, line, name, sizeof name);
    int room = a.x + a.w - L->font / 2 - x;
    snprintf(buf, sizeof buf, "cache line %08x  %s", addr, name);
    vis_text_in(&v->text, x, y, room, L->font, false, v->col->text, buf);
    y += vis_text_height(&v->text, L->font, false) + 4;
    uint32_t sets = s->l1_sets, ways = s->l1_ways;
    if (!sets || !ways || !s->l1_state || !s->l1_addr)
        return;
    uint32_t set = (addr / line) % sets;
    snprintf(buf, sizeof buf, "L1D set %u of %u; state in every core:", set,
             sets);
    vis_text_in(&v->text, x, y, room, L->small, false, v->col->dim, buf);
    y += vis_text_height(&v->text, L->small, false) + 2;
    char sharers[400] = "";
    int so = 0, owner = -1;
    int xx = x;
    /* Vivio's row: the line's state in every L1, a change the last step
     * made framed and said ("c1 M→I"). */
    bool compare = s->l1_prev_state && s->l1_prev_addr &&
                   s->stats_prev_cycle < s->cycle;
    for (uint32_t c = 0; c < s->cores && c < SNAP_MAX_CORES; c++) {
        int st = SNAP_LINE_I, was = SNAP_LINE_I;
        for (uint32_t w = 0; w < ways; w++) {
            size_t i = ((size_t)c * sets + set) * ways + w;
            if (s->l1_state[i] != SNAP_LINE_I && s->l1_addr[i] == addr &&
                s->l1_state[i] < SNAP_LINE_STATE_COUNT)
                st = s->l1_state[i];
            if (compare && s->l1_prev_state[i] != SNAP_LINE_I &&
                s->l1_prev_addr[i] == addr &&
                s->l1_prev_state[i] < SNAP_LINE_STATE_COUNT)
                was = s->l1_prev_state[i];
        }
        bool changed = compare && was != st;
        if (st != SNAP_LINE_I && so < 360)
            so += snprintf(sharers + so, sizeof sharers - (size_t)so, " c%u",
                           c);
        /* The states in which a cache answers misses to the line. */
        if (st == SNAP_LINE_M || st == SNAP_LINE_O || st == SNAP_LINE_E)
            owner = (int)c;
        if (changed)
            snprintf(buf, sizeof buf, "c%u %s\u2192%s", c,
                     s->line_state_names[was], s->line_state_names[st]);
        else
            snprintf(buf, sizeof buf, "c%u %s", c, s->line_state_names[st]);
        int w = vis_text_width(&v->text, L->small, false, buf) + L->small;
        if (xx + w > a.x + a.w - L->font / 2) {
            xx = x;
            y += vis_text_height(&v->text, L->small, false) + 3;
        }
        int sw = vis_swatch(v, xx, y, L->small, v->col->line[st], buf);
        if (changed) {
            VisRect f = {xx - 2, y - 2, sw + 4,
                         vis_text_height(&v->text, L->small, false) + 4};
            vis_frame(v->r, f, 2, v->col->hilite);
        }
        xx += sw + 4;
    }
    y += vis_text_height(&v->text, L->small, false) + 8;
    snprintf(buf, sizeof buf, "held by:%s", so ? sharers : " no L1");
    vis_text_in(&v->text, x, y, room, L->small, false, v->col->text, buf);
    y += vis_text_height(&v->text, L->small, false) + 2;
    if (owner >= 0) {
        snprintf(buf, sizeof buf, "owner: core %d (answers misses to it)",
                 owner);
        if (vis_text_width(&v->text, L->small, false, buf) > room)
            snprintf(buf, sizeof buf, "owner: core %d", owner);
        vis_text_in(&v->text, x, y, room, L->small, false, v->col->text, buf);
    }
}

/* ---- The panel ---------------------------------------------------------- */

static void inspector_draw(Vis *v, VisRect a)
{
    vis_panel_frame(v, a, NULL);
    vis_clip(v->r, &a);
    if (v->view.line_valid) {
        draw_line(v, a);
    } else {
        int h = v->view.hart;
        if (v->view.lock >= 0 && v->view.lock < (int)v->snap->nlocks &&
            v->snap->locks[v->view.lock].holder >= 0)
            h = v->snap->locks[v->view.lock].holder;
        if (h < 0 || h >= (int)v->snap->nharts)
            h = vis_default_hart(v->snap);
        if (h >= 0 && h < (int)v->snap->nharts)
            draw_hart(v, a, h);
    }
    vis_clip(v->r, NULL);
}

const VisPanel vis_panel_inspector = {
    .name = "inspector",
    .reads = "harts[] (state, pc, counts, stalls, code, x), locks[].holder, "
             "cores, l1_sets, l1_ways, l1_state, l1_addr, l1_prev_state, "
             "l1_prev_addr, stats_prev_cycle, line_size, "
             "line_state_names",
    .place = VIS_PLACE_RIGHT,
    .gap = 2,
    .height = NULL,
    .draw = inspector_draw,
};
