/* divergence.c — the same work with a branch split by lane parity (every
 * warp runs both sides, half its lanes dark each time) and with a branch
 * split by warp (each warp runs one side with all its lanes).
 *     parsim run build/programs/gpu/divergence.elf
 * prints both kernels' cycles and their ratio (about 2).
 */
#include <stdio.h>
#include <stdlib.h>

#include <parsim_gpu.h>

#define N 8192
#define WORK 64

struct args {
    float *out;
};

/* Enough arithmetic per side that the branch, not memory, sets the
 * time. */
static float side_a(float x)
{
    for (int k = 0; k < WORK; k++)
        x = x * 0.999f + 0.5f;
    return x;
}

static float side_b(float x)
{
    for (int k = 0; k < WORK; k++)
        x = x * 1.001f - 0.25f;
    return x;
}

static void by_lane(void *p)
{
    const struct args *a = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    float x = (float)i;
    if (i % 2 == 0)             /* neighbours differ: every warp splits */
        x = side_a(x);
    else
        x = side_b(x);
    a->out[i] = x;
}

static void by_warp(void *p)
{
    const struct args *a = p;
    unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
    float x = (float)i;
    if (warpId % 2 == 0)        /* whole warps go one way */
        x = side_a(x);
    else
        x = side_b(x);
    a->out[i] = x;
}

static uint64_t run(void (*k)(void *), struct args *a)
{
    uint64_t t0 = cycles();
    gpu_launch(k, DIM3(N / 256, 1, 1), DIM3(256, 1, 1), a);
    gpu_wait();
    return cycles() - t0;
}

int main(void)
{
    float *lane = malloc(N * sizeof *lane), *warp = malloc(N * sizeof *warp);
    float *dlane = gpu_malloc(N * sizeof *lane);
    float *dwarp = gpu_malloc(N * sizeof *warp);
    if (!lane || !warp || !dlane || !dwarp)
        return 1;
    struct args al = {dlane}, aw = {dwarp};
    uint64_t cl = run(by_lane, &al), cw = run(by_warp, &aw);
    gpu_memcpy(lane, dlane, N * sizeof *lane, gpuMemcpyDeviceToHost);
    gpu_memcpy(warp, dwarp, N * sizeof *warp, gpuMemcpyDeviceToHost);
    unsigned ws = gpu_warp_size(), bad = 0;
    for (unsigned i = 0; i < N; i++) {
        float x = (float)i;
        float ref_lane = i % 2 == 0 ? side_a(x) : side_b(x);
        float ref_warp = (i / ws) % 2 == 0 ? side_a(x) : side_b(x);
        bad += lane[i] != ref_lane;
        bad += warp[i] != ref_warp;
    }
    printf("divergence: split by lane %llu cycles, by warp %llu cycles, "
           "ratio %.2f; %u wrong\n", (unsigned long long)cl,
           (unsigned long long)cw, (double)cl / (double)cw, bad);
    return bad != 0;
}
