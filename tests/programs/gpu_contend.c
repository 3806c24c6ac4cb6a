/* gpu_contend.c — the GPU array and the cores share the memory: hart 0
 * times a walk through a cold array (a miss per line) with the GPU idle
 * ("alone") and while a memory-bound kernel streams through 1 MiB of its
 * own ("busy").  The kernel's misses queue at the memory controller and
 * on the interconnect with the walk's, so the walk is slower when busy.
 * For tests/check_gpu.c; prints the walk's cycles.
 *     parsim run build/tests/programs/gpu_contend.elf busy */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parsim.h>
#include <parsim_gpu.h>

#define N (256 * 1024)            /* the kernel's ints: 1 MiB */
#define WALK (256 * 1024)         /* bytes hart 0 walks */

struct args {
    const int *in;
    int *out;
};

static void sum(void *p)
{
    const struct args *a = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    int s = 0;
    for (unsigned k = i; k < N; k += gridDim.x * blockDim.x)
        s += a->in[k];
    a->out[i] = s;
}

int main(int argc, char **argv)
{
    int busy = argc > 1 && !strcmp(argv[1], "busy");
    int *in = gpu_malloc(N * sizeof *in), *out = gpu_malloc(8192 * sizeof *out);
    volatile char *walk = malloc(WALK);
    if (!in || !out || !walk)
        return 1;
    for (unsigned i = 0; i < N; i++)
        in[i] = 1;
    struct args a = {in, out};
    if (busy)
        gpu_launch(sum, DIM3(32, 1, 1), DIM3(256, 1, 1), &a);
    /* The kernel starts after gpu.launch_latency: walk from then on. */
    uint64_t t0 = cycles();
    while (busy && cycles() - t0 < 2000)
        ;
    t0 = cycles();
    unsigned long x = 0;
    for (unsigned i = 0; i < WALK; i += 64)
        x += walk[i];
    uint64_t c = cycles() - t0;
    if (busy)
        gpu_wait();
    long total = 0;
    for (unsigned i = 0; busy && i < 8192; i++)
        total += out[i];
    printf("contend: %s, walk %llu cycles (read %lu)\n",
           busy ? "busy" : "alone", (unsigned long long)c, x);
    return busy && total != N;
}
