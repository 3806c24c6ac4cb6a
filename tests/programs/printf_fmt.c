/* printf_fmt.c — differential test: printf/snprintf of every conversion with
 * flags, widths, precisions and length modifiers (%d %i %u %x %X %o %c %s %p
 * %e %E %f %F %g %G %a %A %%), plus sscanf round trips. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int global_anchor;

int main(void)
{
    static const int ints[] = {0, 1, -1, 42, -42, 255, 65535, INT_MAX, INT_MIN};
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        int v = ints[i];
        printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.3d] [%i]\n",
               v, v, v, v, v, v, v, v, v);
        printf("  [%u] [%x] [%X] [%#x] [%o] [%#o] [%08x] [%-10X|] [%#.0x]\n",
               (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v,
               (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v,
               (unsigned)v);
        printf("  [%hhd] [%hd] [%hhu] [%hx] [%ld] [%lld] [%llx] [%jd] [%zu] "
               "[%td]\n", (signed char)v, (short)v, (unsigned char)v,
               (unsigned short)v, (long)v, (long long)v * 1000003,
               (unsigned long long)v * 0x100000001ull, (intmax_t)v,
               (size_t)v, (ptrdiff_t)v);
    }
    printf("[%c] [%3c] [%-3c] [%s] [%10s] [%-10s] [%.3s] [%*s] [%-*.*s]\n",
           'x', 'y', 'z', "str", "right", "left", "truncate", 6, "star", 8,
           2, "precision");
    printf("[%s] [%.0s] [%%]\n", "", "gone");
    static const double ds[] = {0.0, -0.0, 1.0, -1.5, 0.1, 123.456, 1e-5,
                                6.02214076e23, 1e100, 5e-324, 1.0 / 3.0,
                                999999.5, 0.000123456789};
    for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        double d = ds[i];
        printf("[%f] [%.2f] [%10.3f] [%-12.1f|] [%+.0f] [%#.0f] [%e] [%.3E]\n",
               d, d, d, d, d, d, d, d);
        printf("  [%g] [%G] [%.10g] [%#g] [%12.4g] [%a] [%.3a] [%A]\n", d, d,
               d, d, d, d, d, d);
    }
    volatile double zero = 0.0;
    double inf = 1.0 / zero, nan = zero / zero;
    printf("[%f] [%e] [%g] [%F] [%5.1f] [%-6g|] [%+f] [%E]\n", inf, -inf, nan,
           inf, -inf, nan, inf, nan);
    /* %p of a global: the same ELF has the same addresses everywhere. */
    printf("[%p] [%p]\n", (void *)&global_anchor, (void *)0);
    char buf[16];
    volatile size_t cap = sizeof buf; /* hides the truncation from -Wformat */
    int len = snprintf(buf, cap, "%s-%d-%f", "truncated", 12345, 2.5);
    printf("snprintf %d [%s]\n", len, buf);
    len = snprintf(NULL, 0, "%0*d", 40, 7);
    printf("snprintf NULL %d\n", len);
    int a, b;
    unsigned x;
    float f;
    double g;
    char word[16];
    int got = sscanf("  -17 0x1f 3.25 -2.5e-3 hello 99", "%d %x %f %lf %15s %d",
                     &a, &x, &f, &g, word, &b);
    printf("sscanf %d: %d %u %g %g %s %d\n", got, a, x, (double)f, g, word, b);
    printf("PRI %" PRId64 " %" PRIu32 " %" PRIx16 " %" PRIiMAX "\n",
           INT64_MIN, UINT32_MAX, (uint16_t)0xbeef, INTMAX_MAX);
    return 0;
}
