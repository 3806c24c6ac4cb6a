/* csv.c — RFC 4180 fields for parsim's CSV rows (sim/csv.h). */
#include "sim/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

size_t sim_csv_split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *r = line;
    bool store = fields != NULL;    /* NULL: count only, line untouched */
    for (;;) {
        char *start = r, *w = r;
        if (*r == '"') {
            /* Quoted: "" is one quote; the field ends at the lone one. */
            r++;
            for (;;) {
                if (!*r)
                    return 0;
                if (*r == '"') {
                    if (r[1] != '"')
                        break;
                    r++;
                }
                if (store)
                    *w = *r;
                w++;
                r++;
            }
            r++;
            if (*r && *r != ',')
                return 0;
        } else {
            while (*r && *r != ',') {
                if (*r == '"')
                    return 0;
                w++;
                r++;
            }
        }
        bool more = *r == ',';
        if (store) {
            *w = '\0';
            if (n < max)
                fields[n] = start;
        }
        n++;
        if (!more)
            return n;
        r++;
    }
}

void sim_csv_field(FILE *f, const char *s)
{
    size_t len = strlen(s);
    if (!strpbrk(s, ",\"\r\n") &&
        !(len && (s[0] == ' ' || s[len - 1] == ' '))) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
    fputc('"', f);
}

char *sim_csv_read_line(FILE *f)
{
    size_t cap = 256, n = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
    int c;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (n + 2 > cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
        }
        b[n++] = (char)c;
    }
    if (c == EOF && n == 0) {
        free(b);
        return NULL;
    }
    if (n && b[n - 1] == '\r')
        n--;
    b[n] = '\0';
    return b;
}
