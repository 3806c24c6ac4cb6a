/* saxpy.c — y = a*x + y over n floats, a grid-stride loop (each thread
 * handles every (blocks x threads)-th element), checked against the CPU.
 *     parsim run build/programs/gpu/saxpy.elf 65536
 */
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

struct args {
    float a;
    const float *x;
    float *y;
    unsigned n;
};

static void saxpy(void *p)
{
    const struct args *s = p;
    unsigned stride = blockDim.x * gridDim.x;
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < s->n;
         i += stride)
        s->y[i] = s->a * s->x[i] + s->y[i];
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 65536;
    size_t bytes = n * sizeof(float);
    float *x = malloc(bytes), *y = malloc(bytes);
    float *dx = gpu_malloc(bytes), *dy = gpu_malloc(bytes);
    if (!x || !y || !dx || !dy)
        return 1;
    for (unsigned i = 0; i < n; i++) {
        x[i] = (float)(i % 100) * 0.25f;
        y[i] = (float)(i % 10);
    }
    gpu_memcpy(dx, x, bytes, gpuMemcpyHostToDevice);
    gpu_memcpy(dy, y, bytes, gpuMemcpyHostToDevice);
    struct args s = {2.5f, dx, dy, n};
    uint64_t t0 = cycles();
    gpu_launch(saxpy, DIM3(2 * gpu_sms() * 4, 1, 1), DIM3(256, 1, 1), &s);
    gpu_wait();
    uint64_t c = cycles() - t0;
    gpu_memcpy(y, dy, bytes, gpuMemcpyDeviceToHost);
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++)
        bad += y[i] != 2.5f * ((float)(i % 100) * 0.25f) + (float)(i % 10);
    printf("saxpy: %u floats in %llu cycles (%.2f bytes/cycle), %u wrong\n", n,
           (unsigned long long)c, 12.0 * n / (double)c, bad);
    return bad != 0;
}
