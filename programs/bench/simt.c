/* simt.c — the `make bench` SIMT kernels: compute-bound (a few hundred
 * instructions per thread, no divergence, one store), so that the figure
 * is the array's lane instructions per host second: `int` (a hash: adds,
 * shifts, multiplies) and `float` (the hash with a float recurrence,
 * whose arithmetic parsim does exactly, in software).
 *     parsim run build/programs/bench/simt.elf 64 int
 * (arguments: blocks of 256 threads, the kernel).  Prints a checksum. */
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

#define ROUNDS 64

struct args {
    unsigned *out;
};

static void work_int(void *p)
{
    const struct args *a = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned h = i * 2654435761u, g = i;
    for (int r = 0; r < ROUNDS; r++) {
        h ^= h >> 13;
        h *= 0x5bd1e995u;
        h ^= h >> 15;
        g = g * 33u + (h & 255u);
    }
    a->out[i] = h ^ g;
}

static void work_float(void *p)
{
    const struct args *a = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned h = i * 2654435761u;
    float x = (float)(i & 255) * 0.01f;
    for (int r = 0; r < ROUNDS; r++) {
        h ^= h >> 13;
        h *= 0x5bd1e995u;
        h ^= h >> 15;
        x = x * 0.9f + (float)(h & 15) * 0.1f;
    }
    a->out[i] = h ^ (unsigned)(x * 1000.0f);
}

int main(int argc, char **argv)
{
    unsigned blocks = argc > 1 ? (unsigned)atoi(argv[1]) : 64, n = blocks * 256;
    unsigned *d = gpu_malloc(n * sizeof *d), *h = malloc(n * sizeof *h);
    if (!d || !h)
        return 1;
    int flt = argc > 2 && argv[2][0] == 'f';
    struct args a = {d};
    gpu_launch(flt ? work_float : work_int, DIM3(blocks, 1, 1),
               DIM3(256, 1, 1), &a);
    gpu_memcpy(h, d, n * sizeof *h, gpuMemcpyDeviceToHost);
    unsigned sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += h[i];
    printf("simt: %s kernel, %u threads, checksum %08x\n",
           flt ? "float" : "int", n, sum);
    return 0;
}
