/* soft_double.c — differential test: double arithmetic on an F-only rv32
 * (soft-float add/mul/div/sqrt/conversions, printf %.17g). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static double opaque(double v)
{
    __asm__ volatile("" : : "r"(&v) : "memory");
    return v;
}

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(void)
{
    static const double vals[] = {
        0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 2.5, -7.75, 1e300, -1e-300,
        DBL_MIN, DBL_MAX, DBL_EPSILON, 4.9e-324, 123456789.123456789,
    };
    const unsigned n = sizeof vals / sizeof vals[0];
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < n; j += 2) {
            double a = opaque(vals[i]), b = opaque(vals[j]);
            printf("%.17g %.17g: + %.17g * %.17g / %.17g - %016llx\n", a, b,
                   a + b, a * b, a / b, (unsigned long long)bits(a - b));
        }
        double a = opaque(vals[i]);
        printf("sqrt %.17g = %.17g; (int)%d (ll)%lld (float)%.9g\n", a,
               sqrt(fabs(a)), a < 2e9 && a > -2e9 ? (int)a : 0,
               a < 9e18 && a > -9e18 ? (long long)a : 0LL, (double)(float)a);
    }
    /* A series whose rounding errors accumulate: any wrong ulp shows. */
    double s = 0, p = 1;
    for (int k = 1; k <= 2000; k++) {
        s += 1.0 / ((double)k * k);
        p *= 1.0 + 1.0 / (k + 0.5);
        if (p > 1e10)
            p /= 1e10;
    }
    printf("basel %.17g pi~%.17g prod %.17g\n", s, sqrt(6 * s), p);
    printf("inf %g nan %g cmp %d %d\n", opaque(1e308) * 10,
           opaque(0.0) / opaque(0.0), opaque(0.0) / 0.0 == 0.0,
           opaque(-0.0) == 0.0);
    long long big = 9007199254740993LL;
    printf("i2d %.17g u2d %.17g\n", (double)big,
           (double)(unsigned long long)opaque(1.8e19));
    return 0;
}
