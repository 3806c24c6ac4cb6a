/* vecadd.c — c = a + b on the GPU, one thread per element, checked
 * against the same sum on the CPU.  The arrays go to device memory and
 * back with gpu_memcpy, so the program runs with unified and discrete
 * GPU memory alike (--machine gpu is discrete).
 *     parsim run build/programs/gpu/vecadd.elf 65536
 */
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

struct args {
    const float *a, *b;
    float *c;
    unsigned n;
};

static void vecadd(void *p)
{
    const struct args *x = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < x->n)
        x->c[i] = x->a[i] + x->b[i];
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 16384;
    size_t bytes = n * sizeof(float);
    float *a = malloc(bytes), *b = malloc(bytes), *c = malloc(bytes);
    float *da = gpu_malloc(bytes), *db = gpu_malloc(bytes);
    float *dc = gpu_malloc(bytes);
    if (!a || !b || !c || !da || !db || !dc) {
        fprintf(stderr, "vecadd: out of memory\n");
        return 1;
    }
    for (unsigned i = 0; i < n; i++) {
        a[i] = (float)i;
        b[i] = (float)(2 * i + 1);
    }
    gpu_memcpy(da, a, bytes, gpuMemcpyHostToDevice);
    gpu_memcpy(db, b, bytes, gpuMemcpyHostToDevice);
    struct args x = {da, db, dc, n};
    unsigned threads = 256;
    gpu_launch(vecadd, DIM3((n + threads - 1) / threads, 1, 1),
               DIM3(threads, 1, 1), &x);
    gpu_memcpy(c, dc, bytes, gpuMemcpyDeviceToHost);   /* waits for it */
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++)
        bad += c[i] != a[i] + b[i];
    printf("vecadd: %u elements, %u wrong\n", n, bad);
    return bad != 0;
}
