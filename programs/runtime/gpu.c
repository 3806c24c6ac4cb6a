/* gpu.c — the host side of <parsim_gpu.h>: launch, wait, device memory,
 * and where a kernel's threads go when their function returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsim_gpu.h"

/* From parsim.ld: the __shared__ variables. */
extern char __gpu_shared_start[], __gpu_shared_end[];

/* A kernel's threads return here (their ra at the start). */
void __parsim_gpu_exit(void) __attribute__((noreturn, naked));
void __parsim_gpu_exit(void)
{
    __asm__ volatile("li a7, %0\n\t"
                     "li a6, %1\n\t"
                     "ecall\n"
                     "1:\tj 1b"
                     : : "i"(PARSIM_EID), "i"(PARSIM_FN_GPU_EXIT));
}

static void need_parsim(const char *what)
{
    if (on_parsim())
        return;
    fprintf(stderr, "%s: kernels run on parsim's GPU array only\n", what);
    exit(1);
}

void parsim_gpu_launch(void (*kernel)(void *), dim3 grid, dim3 block,
                       const void *args, size_t args_bytes)
{
    need_parsim("gpu_launch");
    struct parsim_gpu_launch l = {
        .kernel = (unsigned)(uintptr_t)kernel,
        .args = (unsigned)(uintptr_t)args,
        .args_bytes = args ? (unsigned)args_bytes : 0,
        .exit_pc = (unsigned)(uintptr_t)__parsim_gpu_exit,
        .grid = {grid.x, grid.y, grid.z},
        .block = {block.x, block.y, block.z},
        .shared = (unsigned)(uintptr_t)__gpu_shared_start,
        .shared_bytes = (unsigned)(__gpu_shared_end - __gpu_shared_start),
    };
    parsim_ecall(PARSIM_FN_GPU_LAUNCH, (uintptr_t)&l, 0, 0, NULL);
}

void gpu_wait(void)
{
    need_parsim("gpu_wait");
    parsim_ecall(PARSIM_FN_GPU_WAIT, 0, 0, 0, NULL);
}

void *gpu_malloc(size_t bytes)
{
    /* Whole 128-byte lines, so that two allocations never share one. */
    size_t n = (bytes + 127) & ~(size_t)127;
    void *p = aligned_alloc(128, n ? n : 128);
    if (p && on_parsim())
        parsim_ecall(PARSIM_FN_GPU_MEM, (uintptr_t)p, n ? n : 128, 1, NULL);
    return p;
}

void gpu_free(void *p)
{
    if (p && on_parsim())
        parsim_ecall(PARSIM_FN_GPU_MEM, (uintptr_t)p, 0, 0, NULL);
    free(p);
}

void gpu_memcpy(void *dst, const void *src, size_t bytes,
                enum gpu_copy_kind kind)
{
    if (!on_parsim()) {
        memcpy(dst, src, bytes);
        return;
    }
    register uintptr_t a0 __asm__("a0") = (uintptr_t)dst;
    register uintptr_t a1 __asm__("a1") = (uintptr_t)src;
    register uintptr_t a2 __asm__("a2") = bytes;
    register uintptr_t a3 __asm__("a3") = (uintptr_t)kind;
    register uintptr_t a6 __asm__("a6") = PARSIM_FN_GPU_COPY;
    register uintptr_t a7 __asm__("a7") = PARSIM_EID;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1)
                     : "r"(a2), "r"(a3), "r"(a6), "r"(a7)
                     : "memory");
}

static unsigned info(unsigned item)
{
    uint32_t v = 0;
    if (!on_parsim() ||
        parsim_ecall(PARSIM_FN_GPU_INFO, item, 0, 0, &v) != PARSIM_OK)
        return 0;
    return v;
}

unsigned gpu_sms(void) { return info(PARSIM_GPU_INFO_SMS); }

unsigned gpu_warp_size(void) { return info(PARSIM_GPU_INFO_WARP); }

unsigned gpu_discrete(void) { return info(PARSIM_GPU_INFO_DISCRETE); }
