/* json.h — a small JSON writer (jw_*) that places commas, escapes strings and
 * indents by itself, so that no output of parsim's writes JSON by hand.
 *
 *   JsonW w;
 *   jw_init(&w, f);
 *   jw_open(&w, NULL, '{', false);          the document
 *   jw_str(&w, "schema", "parsim-stats-1");
 *   jw_open(&w, "harts", '[', false);
 *   jw_open(&w, NULL, '{', true);            one line per hart
 *   jw_u64(&w, "hart", 0);
 *   jw_close(&w);  jw_close(&w);  jw_close(&w);
 *
 * Inside an object every value has a key; inside an array keys are NULL.
 * A container opened `inline` (and all inside it) is written on one line.
 *
 * May depend on: the C library only.
 */
#ifndef PARSIM_SIM_JSON_H
#define PARSIM_SIM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

typedef struct JsonW {
    FILE *f;
    int depth;                    /* open containers */
    bool any[JSON_MAX_DEPTH];     /* the container at each depth has a member */
    bool inl[JSON_MAX_DEPTH];     /* ... is written on one line */
    char close[JSON_MAX_DEPTH];   /* its closing bracket */
} JsonW;

void jw_init(JsonW *w, FILE *f);
/* Open an object ('{') or array ('[') under key (NULL in an array). */
void jw_open(JsonW *w, const char *key, char bracket, bool inline_);
void jw_close(JsonW *w);
void jw_u64(JsonW *w, const char *key, uint64_t v);
void jw_i64(JsonW *w, const char *key, int64_t v);
/* A number with `decimals` digits after the point (NaN, inf: null). */
void jw_f64(JsonW *w, const char *key, double v, int decimals);
void jw_bool(JsonW *w, const char *key, bool v);
void jw_str(JsonW *w, const char *key, const char *s);
/* s as a JSON string literal, quotes included. */
void jw_write_string(FILE *f, const char *s);
/* s escaped for a JSON string (no quotes) into dst: the one escaping of
 * every JSON parsim writes (the trace writer buffers its own output).
 * Stops early rather than overflow; returns the length written. */
size_t jw_escape(char *dst, size_t len, const char *s);

#endif
