/* copy.c — "the copy costs more than the kernel": with a discrete GPU
 * (gpu.memory = discrete) the data must cross the host link to device
 * memory and back, and for a kernel as light as c = a + b that takes far
 * longer than the kernel.  Prints the three times.
 *     parsim run --set gpu.memory=discrete build/programs/gpu/copy.elf 65536
 * With unified memory (the default) the copies are memory-speed memcpys.
 */
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

struct args {
    const float *a, *b;
    float *c;
    unsigned n;
};

static void add(void *p)
{
    const struct args *x = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < x->n)
        x->c[i] = x->a[i] + x->b[i];
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 65536;
    size_t bytes = n * sizeof(float);
    float *ha = malloc(bytes), *hb = malloc(bytes), *hc = malloc(bytes);
    float *da = gpu_malloc(bytes), *db = gpu_malloc(bytes);
    float *dc = gpu_malloc(bytes);
    if (!ha || !hb || !hc || !da || !db || !dc)
        return 1;
    for (unsigned i = 0; i < n; i++) {
        ha[i] = (float)i;
        hb[i] = 0.5f * (float)i;
    }
    uint64_t t0 = cycles();
    gpu_memcpy(da, ha, bytes, gpuMemcpyHostToDevice);
    gpu_memcpy(db, hb, bytes, gpuMemcpyHostToDevice);
    uint64_t t1 = cycles();
    struct args x = {da, db, dc, n};
    gpu_launch(add, DIM3((n + 255) / 256, 1, 1), DIM3(256, 1, 1), &x);
    gpu_wait();
    uint64_t t2 = cycles();
    gpu_memcpy(hc, dc, bytes, gpuMemcpyDeviceToHost);
    uint64_t t3 = cycles();
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++)
        bad += hc[i] != ha[i] + hb[i];
    printf("copy: %s GPU memory, %u floats: to the device %llu cycles, "
           "kernel %llu, back %llu; copies / kernel = %.1f; %u wrong\n",
           gpu_discrete() ? "discrete" : "unified", n,
           (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1),
           (unsigned long long)(t3 - t2),
           (double)(t1 - t0 + t3 - t2) / (double)(t2 - t1), bad);
    gpu_free(da);
    gpu_free(db);
    gpu_free(dc);
    return bad != 0;
}
