/* json.c — the JSON writer (see json.h). */
#include "sim/json.h"

#include <math.h>
#include <inttypes.h>

void jw_init(JsonW *w, FILE *f)
{
    w->f = f;
    w->depth = 0;
    w->any[0] = false;
    w->inl[0] = false;
}

size_t jw_escape(char *dst, size_t len, const char *s)
{
    size_t n = 0;
    for (; *s && n + 7 < len; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            dst[n++] = '\\';
            dst[n++] = (char)c;
        } else if (c == '\n' || c == '\t') {
            dst[n++] = '\\';
            dst[n++] = c == '\n' ? 'n' : 't';
        } else if (c < 0x20 || c == 0x7f) {
            n += (size_t)snprintf(dst + n, len - n, "\\u%04x", c);
        } else {
            dst[n++] = (char)c;
        }
    }
    dst[n] = 0;
    return n;
}

void jw_write_string(FILE *f, const char *s)
{
    char buf[1024];
    fputc('"', f);
    while (*s) {
        /* In pieces that fit the buffer whatever they escape to. */
        char piece[128];
        size_t k = 0;
        while (s[k] && k + 1 < sizeof piece) {
            piece[k] = s[k];
            k++;
        }
        piece[k] = 0;
        fwrite(buf, 1, jw_escape(buf, sizeof buf, piece), f);
        s += k;
    }
    fputc('"', f);
}

/* Before a value: the comma, the line break and indent, the key. */
static void member(JsonW *w, const char *key)
{
    if (w->depth > 0) {
        bool inl = w->inl[w->depth];
        if (w->any[w->depth])
            fputs(inl ? ", " : ",\n", w->f);
        else if (!inl)
            fputc('\n', w->f);
        if (!inl)
            for (int i = 0; i < w->depth; i++)
                fputs("  ", w->f);
        w->any[w->depth] = true;
    }
    if (key) {
        jw_write_string(w->f, key);
        fputs(": ", w->f);
    }
}

void jw_open(JsonW *w, const char *key, char bracket, bool inline_)
{
    member(w, key);
    fputc(bracket, w->f);
    if (w->depth + 1 >= JSON_MAX_DEPTH)
        return;                  /* deeper than parsim ever writes */
    bool parent_inl = w->depth > 0 && w->inl[w->depth];
    w->depth++;
    w->any[w->depth] = false;
    w->inl[w->depth] = inline_ || parent_inl;
    w->close[w->depth] = bracket == '{' ? '}' : ']';
}

void jw_close(JsonW *w)
{
    if (w->depth == 0)
        return;
    bool inl = w->inl[w->depth], any = w->any[w->depth];
    char c = w->close[w->depth];
    w->depth--;
    if (any && !inl) {
        fputc('\n', w->f);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->f);
    }
    fputc(c, w->f);
    if (w->depth == 0)
        fputc('\n', w->f);
}

void jw_u64(JsonW *w, const char *key, uint64_t v)
{
    member(w, key);
    fprintf(w->f, "%" PRIu64, v);
}

void jw_i64(JsonW *w, const char *key, int64_t v)
{
    member(w, key);
    fprintf(w->f, "%" PRId64, v);
}

void jw_f64(JsonW *w, const char *key, double v, int decimals)
{
    member(w, key);
    if (isfinite(v))
        fprintf(w->f, "%.*f", decimals, v);
    else
        fputs("null", w->f);
}

void jw_bool(JsonW *w, const char *key, bool v)
{
    member(w, key);
    fputs(v ? "true" : "false", w->f);
}

void jw_str(JsonW *w, const char *key, const char *s)
{
    member(w, key);
    jw_write_string(w->f, s);
}
