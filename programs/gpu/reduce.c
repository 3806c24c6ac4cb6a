/* reduce.c — the parallel reduction sequence of Mark Harris, "Optimizing
 * Parallel Reduction in CUDA" (NVIDIA, 2007), kernels 1 to 5: each sums
 * the same n ints into one partial sum per block, and each step removes
 * one cost of the one before.
 *     parsim run build/programs/gpu/reduce.elf 65536
 * prints each kernel's cycles, its speed-up over the previous one and
 * over the first, beside the speed-ups Harris measured on a G80 (4M
 * ints), and checks every sum against the CPU's.
 */
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

#define THREADS 256

struct args {
    const int *in;
    int *out;                   /* one partial sum per block */
};

__shared__ int sdata[THREADS];

/* 1: interleaved addressing; the branch on tid % (2s) leaves most lanes
 * of every warp idle (divergence). */
static void reduce1(void *p)
{
    const struct args *a = p;
    unsigned tid = threadIdx.x, i = blockIdx.x * blockDim.x + threadIdx.x;
    sdata[tid] = a->in[i];
    __syncthreads();
    for (unsigned s = 1; s < blockDim.x; s *= 2) {
        if (tid % (2 * s) == 0)
            sdata[tid] += sdata[tid + s];
        __syncthreads();
    }
    if (tid == 0)
        a->out[blockIdx.x] = sdata[0];
}

/* 2: interleaved addressing with a strided index: no divergence, but
 * lanes 2s words apart share banks (conflicts). */
static void reduce2(void *p)
{
    const struct args *a = p;
    unsigned tid = threadIdx.x, i = blockIdx.x * blockDim.x + threadIdx.x;
    sdata[tid] = a->in[i];
    __syncthreads();
    for (unsigned s = 1; s < blockDim.x; s *= 2) {
        unsigned index = 2 * s * tid;
        if (index < blockDim.x)
            sdata[index] += sdata[index + s];
        __syncthreads();
    }
    if (tid == 0)
        a->out[blockIdx.x] = sdata[0];
}

/* 3: sequential addressing: consecutive lanes, consecutive words. */
static void reduce3(void *p)
{
    const struct args *a = p;
    unsigned tid = threadIdx.x, i = blockIdx.x * blockDim.x + threadIdx.x;
    sdata[tid] = a->in[i];
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (tid < s)
            sdata[tid] += sdata[tid + s];
        __syncthreads();
    }
    if (tid == 0)
        a->out[blockIdx.x] = sdata[0];
}

/* 4: first add during load: half the blocks, two elements a thread. */
static void reduce4(void *p)
{
    const struct args *a = p;
    unsigned tid = threadIdx.x;
    unsigned i = blockIdx.x * (blockDim.x * 2) + threadIdx.x;
    sdata[tid] = a->in[i] + a->in[i + blockDim.x];
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (tid < s)
            sdata[tid] += sdata[tid + s];
        __syncthreads();
    }
    if (tid == 0)
        a->out[blockIdx.x] = sdata[0];
}

/* 5: the last warp unrolled: once s <= 32 one warp is left, and its lanes
 * run in lockstep, so it needs neither __syncthreads nor the test. */
static void warp_reduce(volatile int *s, unsigned tid)
{
    s[tid] += s[tid + 32];
    s[tid] += s[tid + 16];
    s[tid] += s[tid + 8];
    s[tid] += s[tid + 4];
    s[tid] += s[tid + 2];
    s[tid] += s[tid + 1];
}

static void reduce5(void *p)
{
    const struct args *a = p;
    unsigned tid = threadIdx.x;
    unsigned i = blockIdx.x * (blockDim.x * 2) + threadIdx.x;
    sdata[tid] = a->in[i] + a->in[i + blockDim.x];
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 32; s >>= 1) {
        if (tid < s)
            sdata[tid] += sdata[tid + s];
        __syncthreads();
    }
    if (tid < 32)
        warp_reduce(sdata, tid);
    if (tid == 0)
        a->out[blockIdx.x] = sdata[0];
}

static const struct {
    const char *name;
    void (*kernel)(void *);
    unsigned per_thread;        /* elements each thread loads */
    double harris;              /* step speed-up in the paper */
} kernels[] = {
    {"1 interleaved, divergent", reduce1, 1, 1.0},
    {"2 interleaved, bank conflicts", reduce2, 1, 2.33},
    {"3 sequential addressing", reduce3, 1, 2.01},
    {"4 first add during load", reduce4, 2, 1.78},
    {"5 last warp unrolled", reduce5, 2, 1.80},
};

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 65536;
    if (n < 2 * THREADS || n % (2 * THREADS)) {
        fprintf(stderr, "reduce: n must be a multiple of %u\n", 2 * THREADS);
        return 2;
    }
    if (gpu_warp_size() != 32) {
        fprintf(stderr, "reduce: kernel 5 assumes warps of 32 lanes\n");
        return 2;
    }
    int *in = malloc(n * sizeof *in), *out = malloc(n / THREADS * sizeof *out);
    int *din = gpu_malloc(n * sizeof *in);
    int *dout = gpu_malloc(n / THREADS * sizeof *out);
    if (!in || !out || !din || !dout)
        return 1;
    long long want = 0;
    for (unsigned i = 0; i < n; i++) {
        in[i] = (int)(i * 7 % 101) - 50;
        want += in[i];
    }
    gpu_memcpy(din, in, n * sizeof *in, gpuMemcpyHostToDevice);
    struct args a = {din, dout};
    uint64_t first = 0, prev = 0;
    int bad = 0;
    printf("reduce: %u ints, %u threads a block\n", n, THREADS);
    printf("  %-30s %10s %7s %7s %9s\n", "kernel", "cycles", "step",
           "total", "Harris");
    double harris_total = 1.0;
    for (unsigned k = 0; k < sizeof kernels / sizeof kernels[0]; k++) {
        unsigned blocks = n / (THREADS * kernels[k].per_thread);
        uint64_t t0 = cycles();
        gpu_launch(kernels[k].kernel, DIM3(blocks, 1, 1), DIM3(THREADS, 1, 1),
                   &a);
        gpu_wait();
        uint64_t c = cycles() - t0;
        gpu_memcpy(out, dout, blocks * sizeof *out, gpuMemcpyDeviceToHost);
        long long got = 0;
        for (unsigned b = 0; b < blocks; b++)
            got += out[b];
        bad += got != want;
        if (!first)
            first = prev = c;
        harris_total *= kernels[k].harris;
        printf("  %-30s %10llu %6.2fx %6.2fx %4.2fx/%4.2fx%s\n",
               kernels[k].name, (unsigned long long)c,
               (double)prev / (double)c, (double)first / (double)c,
               kernels[k].harris, harris_total,
               got != want ? "  WRONG SUM" : "");
        prev = c;
    }
    printf("reduce: sum %lld, %s\n", want, bad ? "WRONG" : "all kernels agree");
    return bad != 0;
}
