/* histogram.c — 256-bin histogram of n bytes with atomics: every thread
 * adding to the global bins (the lanes of a warp that hit one bin are
 * served one after another, at the L2), and per block in shared memory
 * first, merged into the global bins once per block.  Checked against
 * the CPU's counts.
 *     parsim run build/programs/gpu/histogram.elf 65536
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parsim_gpu.h>

#define BINS 256
#define THREADS 256

struct args {
    const unsigned char *data;
    int *bins;
    unsigned n;
};

__shared__ int local[BINS];

static void global_atomics(void *p)
{
    const struct args *a = p;
    unsigned stride = blockDim.x * gridDim.x;
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < a->n;
         i += stride)
        atomicAdd(&a->bins[a->data[i]], 1);
}

static void shared_atomics(void *p)
{
    const struct args *a = p;
    unsigned tid = threadIdx.x, stride = blockDim.x * gridDim.x;
    local[tid] = 0;
    __syncthreads();
    for (unsigned i = blockIdx.x * blockDim.x + tid; i < a->n; i += stride)
        atomicAdd(&local[a->data[i]], 1);
    __syncthreads();
    if (local[tid])
        atomicAdd(&a->bins[tid], local[tid]);
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 65536;
    unsigned char *data = malloc(n), *ddata = gpu_malloc(n);
    int *dbins = gpu_malloc(BINS * sizeof *dbins);
    int bins[BINS], ref[BINS] = {0};
    if (!data || !ddata || !dbins)
        return 1;
    /* Skewed like real data: small values far more often. */
    unsigned s = 12345;
    for (unsigned i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        unsigned v = (s >> 16) & 0xff;
        data[i] = (unsigned char)(v * v / 256);
        ref[data[i]]++;
    }
    static const struct {
        const char *name;
        void (*k)(void *);
    } ks[] = {{"global atomics", global_atomics},
              {"shared atomics", shared_atomics}};
    gpu_memcpy(ddata, data, n, gpuMemcpyHostToDevice);
    struct args a = {ddata, dbins, n};
    int bad = 0;
    printf("histogram: %u bytes, %d bins\n", n, BINS);
    for (unsigned k = 0; k < 2; k++) {
        memset(bins, 0, sizeof bins);
        gpu_memcpy(dbins, bins, sizeof bins, gpuMemcpyHostToDevice);
        uint64_t t0 = cycles();
        gpu_launch(ks[k].k, DIM3(16, 1, 1), DIM3(THREADS, 1, 1), &a);
        gpu_wait();
        uint64_t c = cycles() - t0;
        gpu_memcpy(bins, dbins, sizeof bins, gpuMemcpyDeviceToHost);
        int wrong = memcmp(bins, ref, sizeof ref) != 0;
        bad += wrong;
        printf("  %-15s %10llu cycles%s\n", ks[k].name, (unsigned long long)c,
               wrong ? "  WRONG" : "");
    }
    printf("histogram: %s\n", bad ? "WRONG" : "both agree with the CPU");
    return bad != 0;
}
