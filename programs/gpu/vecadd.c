/* vecadd.c — c = a + b on the GPU, one thread per element, checked
 * against the same sum on the CPU.
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
    float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    float *c = malloc(n * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "vecadd: out of memory\n");
        return 1;
    }
    for (unsigned i = 0; i < n; i++) {
        a[i] = (float)i;
        b[i] = (float)(2 * i + 1);
    }
    struct args x = {a, b, c, n};
    unsigned threads = 256;
    gpu_launch(vecadd, DIM3((n + threads - 1) / threads, 1, 1),
               DIM3(threads, 1, 1), &x);
    gpu_wait();
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++)
        bad += c[i] != a[i] + b[i];
    printf("vecadd: %u elements, %u wrong\n", n, bad);
    return bad != 0;
}
