/* libm.c — differential test: picolibc libm in float and double (sin, cos,
 * tan, exp, log, pow, atan2, cbrt, hypot, fmod, floor/ceil/round, frexp). */
#include <math.h>
#include <stdio.h>

int main(void)
{
    static const double xs[] = {
        0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 3.14159265358979, -2.5, 10.0, 100.0,
        1e-10, 700.0, -745.0, 1e22, 0.7853981633974483,
    };
    const unsigned n = sizeof xs / sizeof xs[0];
    for (unsigned i = 0; i < n; i++) {
        volatile double x = xs[i];
        printf("d %-22.17g sin %.17g cos %.17g tan %.17g\n", x, sin(x),
               cos(x), tan(x));
        printf("  exp %.17g log %.17g log10 %.17g sqrt %.17g cbrt %.17g\n",
               exp(x), log(fabs(x)), log10(fabs(x)), sqrt(fabs(x)), cbrt(x));
        printf("  atan %.17g atan2 %.17g pow %.17g tanh %.17g\n", atan(x),
               atan2(x, -1.5), pow(fabs(x), 1.7), tanh(x));
        volatile float f = (float)xs[i];
        printf("f %-14.9g sin %.9g cos %.9g exp %.9g log %.9g\n", (double)f,
               (double)sinf(f), (double)cosf(f), (double)expf(f),
               (double)logf(fabsf(f)));
        printf("  pow %.9g atan2 %.9g sqrt %.9g asin %.9g\n",
               (double)powf(fabsf(f), 0.3f), (double)atan2f(-f, 2.0f),
               (double)sqrtf(fabsf(f)), (double)asinf(f / 1e23f));
    }
    volatile double a = 7.3, b = -2.2;
    int e;
    double m = frexp(a * 1000, &e);
    printf("fmod %.17g remainder %.17g hypot %.17g frexp %.17g %d "
           "ldexp %.17g\n", fmod(a, b), remainder(a, b), hypot(a, b), m, e,
           ldexp(a, -30));
    static const double rs[] = {2.5, -2.5, 3.5, -0.5, 1.4999999, -7.5};
    for (unsigned i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        volatile double r = rs[i];
        printf("round %g: floor %g ceil %g round %g trunc %g rint %g "
               "lround %ld floorf %g\n", r, floor(r), ceil(r), round(r),
               trunc(r), rint(r), lround(r), (double)floorf((float)r));
    }
    printf("special %g %g %g %g %d %d\n", log(0.0), sqrt(-1.0), exp(1000.0),
           pow(0.0, -1.0), isnan(acos(2.0)), isinf(-HUGE_VAL));
    return 0;
}
