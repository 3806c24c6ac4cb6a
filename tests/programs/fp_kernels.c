/* fp_kernels.c — differential test: compiled single-precision kernels (a
 * matrix multiply the compiler turns into fmadd.s, an n-body step, a
 * Horner polynomial with fnmsub/fmsub/fnmadd) printed bit-exactly. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 24

static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float ma[N][N], mb[N][N], mc[N][N];

struct body {
    float x, y, z, vx, vy, vz, m;
};

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            ma[i][j] = (float)((i * 7 + j * 3) % 17) / 7.0f - 1.0f;
            mb[i][j] = (float)((i * 5 + j * 11) % 13) / 3.0f - 2.0f;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            float s = 0.0f;
            for (int k = 0; k < N; k++)
                s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint32_t h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = (h ^ fbits(mc[i][j])) * 16777619u;
    printf("matmul hash %08lx c[3][5] %a\n", (unsigned long)h,
           (double)mc[3][5]);

    struct body b[5];
    for (int i = 0; i < 5; i++) {
        b[i].x = (float)i;
        b[i].y = (float)(i * i) * 0.5f;
        b[i].z = (float)(i % 3) - 1.0f;
        b[i].vx = b[i].vy = b[i].vz = 0.0f;
        b[i].m = 1.0f + (float)i * 0.25f;
    }
    const float dt = 0.01f;
    for (int step = 0; step < 200; step++) {
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) {
                if (i == j)
                    continue;
                float dx = b[j].x - b[i].x, dy = b[j].y - b[i].y,
                      dz = b[j].z - b[i].z;
                float d2 = dx * dx + dy * dy + dz * dz + 0.01f;
                float inv = 1.0f / (d2 * sqrtf(d2));
                b[i].vx += dx * inv * b[j].m * dt;
                b[i].vy += dy * inv * b[j].m * dt;
                b[i].vz += dz * inv * b[j].m * dt;
            }
        for (int i = 0; i < 5; i++) {
            b[i].x += b[i].vx * dt;
            b[i].y += b[i].vy * dt;
            b[i].z += b[i].vz * dt;
        }
    }
    for (int i = 0; i < 5; i++)
        printf("body %d: %a %a %a (%.6g %.6g %.6g)\n", i, (double)b[i].x,
               (double)b[i].y, (double)b[i].z, (double)b[i].x,
               (double)b[i].y, (double)b[i].z);

    /* All four fused forms, each rounding once. */
    volatile float p = 1.0f / 3.0f, q = 3.0f, r = 1.0f;
    printf("fused %a %a %a %a\n", (double)fmaf(p, q, -r),
           (double)-fmaf(p, q, -r), (double)fmaf(-p, q, r),
           (double)-fmaf(p, q, r));
    float poly = 0.0f;
    for (int i = 0; i < 100; i++) {
        float x = (float)i / 50.0f - 1.0f;
        float y = ((((0.3f * x - 1.1f) * x + 2.0f) * x - 0.7f) * x + 0.1f);
        poly += y;
    }
    printf("horner sum %a\n", (double)poly);
    return 0;
}
