/* parsim_gpu.h — data-parallel kernels on parsim's SIMT GPU array, in C
 * with CUDA's names (the model and its rules: docs/gpu.md).
 *
 *   __shared__ float tile[32][33];      file scope or static: one per block
 *   static void scale(void *p) {        a kernel: void f(void *args)
 *       struct args *a = p;
 *       unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
 *       if (i < a->n) a->x[i] *= a->k;
 *   }
 *   gpu_launch(scale, DIM3(n / 256, 1, 1), DIM3(256, 1, 1), &args);
 *   gpu_wait();
 *
 * gpu_launch copies *args (its size is the pointed-to type's, at most
 * 256 bytes), queues the kernel and returns at once; kernels run one
 * after another in launch order, and gpu_wait() blocks the hart until
 * all have finished.  With gpu.memory = unified (the default) a kernel
 * reads and writes the program's own arrays; with discrete it sees only
 * gpu_malloc'd memory, filled and read back with gpu_memcpy.
 *
 * Inside a kernel: threadIdx, blockIdx, blockDim, gridDim (.x .y .z),
 * warpSize, __syncthreads(), the atomics below; no printf or files (the
 * run stops with a message naming the thread).  Kernels run on parsim
 * only: off parsim (QEMU) gpu_launch prints why and exits with 1.
 *
 * May depend on: programs/runtime/parsim.h (the service call).
 */
#ifndef PARSIM_GPU_H
#define PARSIM_GPU_H

#include <stddef.h>
#include <stdint.h>

#include "parsim.h"

typedef struct dim3 {
    unsigned x, y, z;
} dim3;

#define DIM3(x, y, z) ((dim3){(x), (y), (z)})

/* ---- inside kernels --------------------------------------------------------- */

/* One of the lanes' read-only CSRs (parsim_ecall.h: PARSIM_CSR_SIMT + n).
 * Not volatile: the values do not change while a thread runs, so the
 * compiler may keep them in registers. */
#define PARSIM_SIMT_CSR(n)                                               \
    __extension__({                                                      \
        unsigned v_;                                                     \
        __asm__("csrr %0, %1" : "=r"(v_) : "i"(PARSIM_CSR_SIMT + (n)));  \
        v_;                                                              \
    })

#define PARSIM_SIMT_DIM3(n)                                              \
    ((dim3){PARSIM_SIMT_CSR(n), PARSIM_SIMT_CSR((n) + 1),                \
            PARSIM_SIMT_CSR((n) + 2)})

#define threadIdx PARSIM_SIMT_DIM3(PARSIM_SIMT_TID)
#define blockIdx PARSIM_SIMT_DIM3(PARSIM_SIMT_CTAID)
#define blockDim PARSIM_SIMT_DIM3(PARSIM_SIMT_NTID)
#define gridDim PARSIM_SIMT_DIM3(PARSIM_SIMT_NCTAID)
#define warpSize PARSIM_SIMT_CSR(PARSIM_SIMT_WARPSIZE)
/* The thread's lane in its warp, and its warp in its block. */
#define laneId PARSIM_SIMT_CSR(PARSIM_SIMT_LANE)
#define warpId PARSIM_SIMT_CSR(PARSIM_SIMT_WARP)

/* Variables every block has its own copy of, in its SM's shared memory
 * (banks: docs/gpu.md).  Uninitialised (each block's start at zero on
 * parsim; do not count on it, CUDA does not). */
#define __shared__ __attribute__((section(".gpu_shared")))

/* Wait until every thread of the block has arrived (threads that have
 * returned count as arrived). */
static inline void __syncthreads(void)
{
    register uintptr_t a6 __asm__("a6") = PARSIM_FN_GPU_SYNC;
    register uintptr_t a7 __asm__("a7") = PARSIM_EID;
    __asm__ volatile("ecall" : : "r"(a6), "r"(a7) : "memory", "a0", "a1");
}

/* Atomics: each returns the old value; the lanes of a warp that hit one
 * address are served one after another (docs/gpu.md). */
static inline int atomicAdd(int *p, int v)
{
    return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline int atomicSub(int *p, int v)
{
    return __atomic_fetch_sub(p, v, __ATOMIC_RELAXED);
}

static inline int atomicExch(int *p, int v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_RELAXED);
}

static inline int atomicMax(int *p, int v)
{
    int old;
    __asm__ volatile("amomax.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v)
                     : "memory");
    return old;
}

static inline int atomicMin(int *p, int v)
{
    int old;
    __asm__ volatile("amomin.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v)
                     : "memory");
    return old;
}

static inline int atomicCAS(int *p, int compare, int v)
{
    __atomic_compare_exchange_n(p, &compare, v, 0, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
    return compare;
}

/* atomicAdd on a float (CUDA overloads the name; C cannot). */
static inline float atomicAddf(float *p, float v)
{
    union { float f; int i; } old, nv;
    old.f = *(volatile float *)p;
    for (;;) {
        nv.f = old.f + v;
        int seen = atomicCAS((int *)p, old.i, nv.i);
        if (seen == old.i)
            return old.f;
        old.i = seen;
    }
}

/* ---- on the host -------------------------------------------------------------- */

/* Queue kernel(args) on grid x block threads; returns at once. */
void parsim_gpu_launch(void (*kernel)(void *), dim3 grid, dim3 block,
                       const void *args, size_t args_bytes);
#define gpu_launch(kernel, grid, block, args)                            \
    parsim_gpu_launch((kernel), (grid), (block), (args), sizeof *(args))

/* Block until every kernel launched so far has finished. */
void gpu_wait(void);

/* Device memory (gpu.memory = discrete: the only memory kernels see; with
 * unified memory these are malloc, free and memcpy, with the copy's time
 * at memory speed).  gpu_memcpy waits for the kernels launched before it,
 * then blocks the hart for the copy over the link. */
void *gpu_malloc(size_t bytes);
void gpu_free(void *p);
enum gpu_copy_kind { gpuMemcpyHostToDevice = PARSIM_GPU_TO_DEVICE,
                     gpuMemcpyDeviceToHost = PARSIM_GPU_TO_HOST };
void gpu_memcpy(void *dst, const void *src, size_t bytes,
                enum gpu_copy_kind kind);

/* Streaming multiprocessors and lanes per warp of the machine (0 off
 * parsim or without a GPU). */
unsigned gpu_sms(void);
unsigned gpu_warp_size(void);
/* 1 with gpu.memory = discrete. */
unsigned gpu_discrete(void);

#endif
