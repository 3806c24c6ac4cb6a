/* parsim_cmdline.h — the one way a command line becomes argv: split on
 * spaces, a word in double quotes may hold spaces and is unquoted (\" and
 * \\ inside stand for " and \), as parsim quotes empty arguments and ones
 * with spaces (sim/semihost.c).  The runtime's start-up code uses it; so
 * does the host's fuzz target of the semihosting command line, so that
 * both split alike.
 *
 * May depend on: the C library only (it includes <stdbool.h>).
 */
#ifndef PARSIM_CMDLINE_H
#define PARSIM_CMDLINE_H

#include <stdbool.h>

/* Split p in place into argv (room for strlen(p) / 2 + 1 words); returns
 * the number of words.  argv[result] is not set. */
static inline __attribute__((always_inline)) int
parsim_split_cmdline(char *p, char **argv)
{
    int argc = 0;
    while (*p == ' ')
        p++;
    while (*p) {
        char *w = p;
        argv[argc++] = w;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                *w++ = *p;
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ' ')
                *w++ = *p++;
        }
        bool more = *p == ' ';
        while (*p == ' ')
            p++;
        *w = '\0';
        if (!more)
            break;
    }
    return argc;
}

#endif
