/* fp_stats.c — example: statistics of a generated signal in float and
 * double (mean, standard deviation, RMS, min/max, single DFT bins)
 * printed with %f, %e and %g. */
#include <float.h>
#include <math.h>
#include <stdio.h>

#define N 1024

static float samples[N];

int main(void)
{
    /* The signal in float (hardware F), the sums in double (soft-float
     * on this machine): double libm calls per sample would cost ~100x. */
    const float pi = 3.14159265f;
    /* Two tones plus a small deterministic "noise" term. */
    for (int i = 0; i < N; i++) {
        float t = (float)i / N;
        samples[i] = 1.5f * sinf(2 * pi * 5 * t) +
                     0.25f * cosf(2 * pi * 40 * t) +
                     0.01f * sinf((float)i * 12.9898f) + 0.2f;
    }
    double sum = 0, sumsq = 0;
    float lo = FLT_MAX, hi = -FLT_MAX;
    for (int i = 0; i < N; i++) {
        sum += samples[i];
        sumsq += (double)samples[i] * samples[i];
        lo = fminf(lo, samples[i]);
        hi = fmaxf(hi, samples[i]);
    }
    double mean = sum / N;
    double var = sumsq / N - mean * mean;
    printf("samples   %d\n", N);
    printf("mean      %f\n", mean);
    printf("stddev    %.6f  (variance %e)\n", sqrt(var), var);
    printf("rms       %g\n", sqrt(sumsq / N));
    printf("min/max   %+.4f / %+.4f\n", (double)lo, (double)hi);
    /* Amplitude of each tone by correlating with the matching sine or
     * cosine (a single DFT bin). */
    static const int freqs[] = {5, 40, 100};
    for (unsigned f = 0; f < sizeof freqs / sizeof freqs[0]; f++) {
        double re = 0, im = 0;
        for (int i = 0; i < N; i++) {
            /* Reduce the angle exactly in integers before going to float. */
            float ang = 2 * pi * (float)((freqs[f] * i) % N) / N;
            re += samples[i] * cosf(ang);
            im += samples[i] * sinf(ang);
        }
        double amp = 2 * sqrt(re * re + im * im) / N;
        printf("bin %-3d   amplitude %.5g  phase %.3f rad\n", freqs[f], amp,
               atan2(im, re));
    }
    printf("expf(1)   %.9g   logf(10) %.9g   powf(2, 0.5) %.9g\n",
           (double)expf(1.0f), (double)logf(10.0f), (double)powf(2.0f, 0.5f));
    printf("exp(1)    %.17g\n", exp(1.0));
    return 0;
}
