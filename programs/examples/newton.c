/* newton.c — example: double-precision numerics (soft-float on this
 * F-only machine): Newton's method for square and cube roots, Simpson
 * integration, and a Taylor series against libm. */
#include <math.h>
#include <stdio.h>

static double newton_sqrt(double a, int *steps)
{
    double x = a > 1 ? a / 2 : 1;
    for (*steps = 0; *steps < 100; ++*steps) {
        double next = 0.5 * (x + a / x);
        if (fabs(next - x) <= 1e-15 * next)
            return next;
        x = next;
    }
    return x;
}

static double newton_cbrt(double a)
{
    double x = a > 1 ? a / 3 : 1;
    for (int i = 0; i < 100; i++)
        x -= (x * x * x - a) / (3 * x * x);
    return x;
}

static double simpson(double (*f)(double), double lo, double hi, int n)
{
    double h = (hi - lo) / n, s = f(lo) + f(hi);
    for (int i = 1; i < n; i++)
        s += f(lo + i * h) * (i % 2 ? 4 : 2);
    return s * h / 3;
}

static double bell(double x)
{
    return exp(-x * x);
}

int main(void)
{
    static const double xs[] = {2, 10, 12345.678, 1e-6};
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        int steps;
        double r = newton_sqrt(xs[i], &steps);
        printf("sqrt(%g) = %.15g after %d steps (libm %.15g)\n", xs[i], r,
               steps, sqrt(xs[i]));
    }
    printf("cbrt(1000) = %.15g\n", newton_cbrt(1000));
    double gauss = simpson(bell, -6, 6, 1000);
    printf("integral of exp(-x^2) = %.15f, sqrt(pi) = %.15f\n", gauss,
           sqrt(acos(-1.0)));
    double term = 1, e = 1;
    for (int k = 1; k < 20; k++) {
        term /= k;
        e += term;
    }
    printf("e by series = %.16f, exp(1) = %.16f\n", e, exp(1.0));
    return 0;
}
