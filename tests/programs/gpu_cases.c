/* gpu_cases.c — one GPU case per run, named by argv[1], for
 * tests/check_gpu.c: the coalescer's and the banks' exact counts (one
 * warp, one access, a kernel each), bad launches, faults inside kernels,
 * a spin lock inside a warp, discrete memory.  Prints "ok" when the
 * case's result is right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parsim_gpu.h>

struct args {
    int *in, *out;
    int *lock, *count;
};

__shared__ int smem[32 * 33];
__shared__ int pad[32][33];

/* ---- coalescing: one warp, one load each -------------------------------- */

static void stride1(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = a->in[threadIdx.x];
}

static void stride2(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = a->in[2 * threadIdx.x];
}

static void stride32(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = a->in[32 * threadIdx.x];
}

static void offset1(void *p)      /* 32 words from word 1: 5 sectors */
{
    const struct args *a = p;
    a->out[threadIdx.x] = a->in[threadIdx.x + 1];
}

static void same_word(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = a->in[0];
}

/* ---- banks: one warp, one shared load each -------------------------------- */

static void bank1(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = smem[threadIdx.x];
}

static void bank2(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = smem[2 * threadIdx.x];
}

static void bank32(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = smem[32 * threadIdx.x];
}

static void bank_padded(void *p)  /* a column of [32][33]: conflict-free */
{
    const struct args *a = p;
    a->out[threadIdx.x] = pad[threadIdx.x][0];
}

static void bank_broadcast(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = smem[5];
}

/* ---- sums and results ------------------------------------------------------- */

/* Every thread adds its global index; each block's shared counter too. */
static void atomics(void *p)
{
    const struct args *a = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    if (threadIdx.x == 0)
        smem[0] = 0;
    __syncthreads();
    atomicAdd(&smem[0], 1);
    int old = atomicAdd(a->count, (int)i + 1);
    a->out[i] = old;             /* the old values are all different */
    __syncthreads();
    if (threadIdx.x == 0)
        atomicMax(&a->in[0], smem[0]);
}

/* A spin lock taken by every lane of every warp: lowest-pc scheduling
 * alone would run the losers' loop for ever. */
static void spinlock(void *p)
{
    const struct args *a = p;
    while (atomicCAS(a->lock, 0, 1) != 0)
        ;
    *(volatile int *)a->count += 1;
    atomicExch(a->lock, 0);
}

/* ---- faults -------------------------------------------------------------------- */

static void wild(void *p)
{
    const struct args *a = p;
    volatile uintptr_t bad = 0x10;   /* not RAM */
    if (blockIdx.x == 1 && threadIdx.x == 3)
        *(volatile int *)bad = 1;
    a->out[threadIdx.x] = 0;
}

static void prints(void *p)
{
    (void)p;
    if (threadIdx.x == 0)
        printf("from a kernel\n");
}

static void reads(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = a->in[threadIdx.x];
}

static void nothing(void *p) { (void)p; }

/* Recursion deeper than a thread's stack (gpu.stack_size, 2 KiB). */
static int deep(int n);
static int (*volatile deeper)(int) = deep;
static int deep(int n)
{
    volatile int frame[64];
    frame[0] = n;
    return n ? deeper(n - 1) + frame[0] : 0;
}

static void recurse(void *p)
{
    const struct args *a = p;
    a->out[threadIdx.x] = deep(40);
}

int main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";
    struct args a;
    a.in = gpu_malloc(4096 * sizeof(int));
    a.out = gpu_malloc(4096 * sizeof(int));
    a.lock = gpu_malloc(sizeof(int));
    a.count = gpu_malloc(sizeof(int));
    memset(a.in, 0, 4096 * sizeof(int));
    *a.lock = 0;
    *a.count = 0;
    static const struct {
        const char *name;
        void (*k)(void *);
    } warp_cases[] = {
        {"stride1", stride1}, {"stride2", stride2}, {"stride32", stride32},
        {"offset1", offset1}, {"same_word", same_word}, {"bank1", bank1},
        {"bank2", bank2}, {"bank32", bank32}, {"bank_padded", bank_padded},
        {"bank_broadcast", bank_broadcast},
    };
    for (unsigned i = 0; i < sizeof warp_cases / sizeof warp_cases[0]; i++)
        if (!strcmp(c, warp_cases[i].name)) {
            gpu_launch(warp_cases[i].k, DIM3(1, 1, 1), DIM3(32, 1, 1), &a);
            gpu_wait();
            printf("ok\n");
            return 0;
        }
    if (!strcmp(c, "atomics")) {
        unsigned blocks = 8, threads = 128, n = blocks * threads;
        gpu_launch(atomics, DIM3(blocks, 1, 1), DIM3(threads, 1, 1), &a);
        gpu_wait();
        long long want = (long long)n * (n + 1) / 2;
        /* The old values are a permutation of the prefix sums. */
        int distinct = 1;
        for (unsigned i = 0; i < n && distinct; i++)
            for (unsigned j = i + 1; j < n; j++)
                if (a.out[i] == a.out[j]) {
                    distinct = 0;
                    break;
                }
        printf("%s: count %d (want %lld), block max %d, %s\n",
               *a.count == want && a.in[0] == (int)threads && distinct ? "ok"
                                                                    : "WRONG",
               *a.count, want, a.in[0], distinct ? "distinct" : "repeated");
        return 0;
    }
    if (!strcmp(c, "spinlock")) {
        gpu_launch(spinlock, DIM3(2, 1, 1), DIM3(64, 1, 1), &a);
        gpu_wait();
        printf("%s: %d\n", *a.count == 128 ? "ok" : "WRONG", *a.count);
        return 0;
    }
    if (!strcmp(c, "wild")) {
        gpu_launch(wild, DIM3(2, 1, 1), DIM3(32, 1, 1), &a);
        gpu_wait();
    } else if (!strcmp(c, "printf")) {
        gpu_launch(prints, DIM3(1, 1, 1), DIM3(32, 1, 1), &a);
        gpu_wait();
    } else if (!strcmp(c, "host_memory")) {
        int *host = malloc(32 * sizeof(int));
        struct args h = a;
        h.in = host;
        gpu_launch(reads, DIM3(1, 1, 1), DIM3(32, 1, 1), &h);
        gpu_wait();
    } else if (!strcmp(c, "recurse")) {
        gpu_launch(recurse, DIM3(1, 1, 1), DIM3(32, 1, 1), &a);
        gpu_wait();
    } else if (!strcmp(c, "zero_block")) {
        gpu_launch(nothing, DIM3(1, 1, 1), DIM3(0, 1, 1), &a);
    } else if (!strcmp(c, "big_block")) {
        gpu_launch(nothing, DIM3(1, 1, 1), DIM3(2048, 1, 1), &a);
    } else if (!strcmp(c, "bad_kernel")) {
        gpu_launch((void (*)(void *))(uintptr_t)0x1234, DIM3(1, 1, 1),
                   DIM3(32, 1, 1), &a);
    } else if (!strcmp(c, "host_shared")) {
        smem[0] = 1;             /* host code cannot reach __shared__ */
    } else {
        fprintf(stderr, "gpu_cases: no case '%s'\n", c);
        return 2;
    }
    printf("not reached\n");
    return 0;
}
