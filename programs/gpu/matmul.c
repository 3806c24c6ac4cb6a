/* matmul.c — C = A x B for n x n floats, naive (every thread reads a row
 * of A and a column of B from global memory) and tiled (16 x 16 tiles of
 * A and B staged in shared memory: each element is read from global
 * memory n/16 times instead of n), checked against the CPU's product.
 *     parsim run build/programs/gpu/matmul.elf 64
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

#define T 16

struct args {
    const float *a, *b;
    float *c;
    unsigned n;
};

__shared__ float ta[T][T];
__shared__ float tb[T][T];

static void naive(void *p)
{
    const struct args *x = p;
    unsigned row = blockIdx.y * T + threadIdx.y, col = blockIdx.x * T + threadIdx.x;
    float s = 0.0f;
    for (unsigned k = 0; k < x->n; k++)
        s += x->a[row * x->n + k] * x->b[k * x->n + col];
    x->c[row * x->n + col] = s;
}

static void tiled(void *p)
{
    const struct args *x = p;
    unsigned tx = threadIdx.x, ty = threadIdx.y;
    unsigned row = blockIdx.y * T + ty, col = blockIdx.x * T + tx;
    float s = 0.0f;
    for (unsigned t = 0; t < x->n / T; t++) {
        ta[ty][tx] = x->a[row * x->n + t * T + tx];
        tb[ty][tx] = x->b[(t * T + ty) * x->n + col];
        __syncthreads();
        for (unsigned k = 0; k < T; k++)
            s += ta[ty][k] * tb[k][tx];
        __syncthreads();
    }
    x->c[row * x->n + col] = s;
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 64;
    if (n < T || n % T) {
        fprintf(stderr, "matmul: n must be a multiple of %d\n", T);
        return 2;
    }
    size_t bytes = (size_t)n * n * sizeof(float);
    float *a = malloc(bytes), *b = malloc(bytes), *c = malloc(bytes);
    float *ref = malloc(bytes);
    float *da = gpu_malloc(bytes), *db = gpu_malloc(bytes);
    float *dc = gpu_malloc(bytes);
    if (!a || !b || !c || !ref || !da || !db || !dc)
        return 1;
    for (unsigned i = 0; i < n * n; i++) {
        a[i] = (float)(i % 7) - 3.0f;
        b[i] = (float)(i % 5) * 0.5f;
    }
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < n; j++) {
            float s = 0.0f;
            for (unsigned k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            ref[i * n + j] = s;
        }
    gpu_memcpy(da, a, bytes, gpuMemcpyHostToDevice);
    gpu_memcpy(db, b, bytes, gpuMemcpyHostToDevice);
    struct args x = {da, db, dc, n};
    static const struct {
        const char *name;
        void (*k)(void *);
    } ks[] = {{"naive", naive}, {"tiled", tiled}};
    int bad = 0;
    printf("matmul: %u x %u floats\n", n, n);
    for (unsigned k = 0; k < 2; k++) {
        uint64_t t0 = cycles();
        gpu_launch(ks[k].k, DIM3(n / T, n / T, 1), DIM3(T, T, 1), &x);
        gpu_wait();
        uint64_t cyc = cycles() - t0;
        gpu_memcpy(c, dc, bytes, gpuMemcpyDeviceToHost);
        unsigned wrong = 0;
        for (unsigned i = 0; i < n * n; i++)
            wrong += fabsf(c[i] - ref[i]) > 1e-3f * (1.0f + fabsf(ref[i]));
        bad += wrong != 0;
        printf("  %-6s %10llu cycles, %.1f flop/cycle%s\n", ks[k].name,
               (unsigned long long)cyc, 2.0 * n * n * n / (double)cyc,
               wrong ? "  WRONG" : "");
    }
    printf("matmul: %s\n", bad ? "WRONG" : "both agree with the CPU");
    return bad != 0;
}
