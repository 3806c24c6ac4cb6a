/* gpu.h — the SIMT GPU array inside the machine (sim/gpu.c): its
 * streaming multiprocessors, their warps and lanes, the kernels queued by
 * gpu_launch, and what the services, the schedulers, the statistics and
 * the session see of it.  Private to sim/, like machine_priv.h.
 *
 * May depend on: sim/machine_priv.h (and through it isa/, models/),
 * models/simt.h.
 */
#ifndef PARSIM_SIM_GPU_H
#define PARSIM_SIM_GPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/simt.h"
#include "sim/machine_priv.h"

/* Guest addresses of the windows outside RAM: the lanes' stacks (each
 * SM's, one stack per resident thread) and a kernel's copied arguments.
 * __shared__ variables sit where parsim.ld puts them (0x70000000). */
#define SIM_GPU_LOCAL_BASE 0x60000000u
#define SIM_GPU_PARAM_BASE 0x5f000000u

#define SIM_GPU_DIV_SITES 16      /* divergent branches kept per kernel */

/* One kernel function's figures, over all its launches. */
typedef struct SimGpuKernelStats {
    uint32_t fn;
    char name[64];
    uint64_t launches, blocks, threads;
    uint64_t cycles;              /* launch to end, summed */
    uint64_t warp_insns, lane_insns;
    uint64_t gld_requests, gld_sectors, gst_requests, gst_sectors;
    uint64_t atomics;             /* lane atomics (global and shared) */
    uint64_t smem_requests, smem_conflict_cycles, smem_worst;
    uint64_t warp_cycles;         /* resident warps x cycles, all SMs */
    uint64_t sm_cycles;           /* cycles SMs had this kernel's blocks */
    uint64_t stall[4];            /* SIM_GPU_STALL_* */
    uint64_t divergent;           /* branches whose lanes went both ways */
    uint32_t div_pc[SIM_GPU_DIV_SITES];
    uint64_t div_count[SIM_GPU_DIV_SITES];
    uint32_t max_warps;           /* resident warps per SM possible */
} SimGpuKernelStats;

enum {
    SIM_GPU_STALL_MEMORY,         /* every warp waits for memory */
    SIM_GPU_STALL_BARRIER,        /* ... or at __syncthreads */
    SIM_GPU_STALL_BANK,           /* extra cycles of bank conflicts */
    SIM_GPU_STALL_IDLE            /* no ready warp (latency not hidden) */
};

typedef struct SimGpu SimGpu;

/* The gpu section's keys together (the caches' geometry): a
 * configuration error with a reason. */
ISA_WARN_UNUSED bool sim_gpu_config_check(const SimConfig *c, char *err,
                                          size_t errlen);

/* Build the GPU of m's configuration (m->gpu stays NULL without one). */
ISA_WARN_UNUSED bool sim_gpu_new(SimMachine *m, char *err, size_t errlen);
void sim_gpu_free(SimMachine *m);

/* The services (under m->lock): PARSIM_FN_GPU_*.  False with a message
 * for a bad call. */
bool sim_gpu_service(SimMachine *m, SimHart *h, uint32_t fn, char *err,
                     size_t errlen);

/* A kernel is queued or running (asked once a slice: inline). */
static inline bool sim_gpu_busy(const SimMachine *m)
{
    return m->gpu_kernels != 0;
}
/* The GPU's clock: the lowest of the SMs that have work. */
uint64_t sim_gpu_clock(const SimMachine *m);
/* Run the SMs until each has reached cycle `until` or has nothing to do.
 * Returns -1, or the run's exit status when a kernel faulted (after the
 * message). */
int sim_gpu_advance(SimMachine *m, uint64_t until);

/* What the window shows of an SM (sim/session.c copies it). */
enum { SIM_GPU_WARP_READY, SIM_GPU_WARP_MEMORY, SIM_GPU_WARP_LATENCY,
       SIM_GPU_WARP_BARRIER };
#define SIM_GPU_VIEW_WARPS 64
typedef struct SimGpuWarpView {
    bool live;
    uint8_t state;                /* SIM_GPU_WARP_* */
    uint32_t block_id;            /* linear block index in the grid */
    uint32_t pc;                  /* the pc of its last issue */
    uint32_t mask;                /* the lanes that issue ran */
    uint32_t active, barrier;     /* lanes running, lanes at __syncthreads */
} SimGpuWarpView;
typedef struct SimGpuSmView {
    uint64_t clock;
    uint32_t nwarps, nblocks;
    /* The last global access: its lanes, lines and sectors. */
    uint32_t last_lanes, last_lines, last_sectors;
    SimGpuWarpView warp[SIM_GPU_VIEW_WARPS];
    uint32_t heat[64];            /* shared-memory accesses per bank */
} SimGpuSmView;
void sim_gpu_sm_view(const SimMachine *m, uint32_t sm, SimGpuSmView *out);
/* The kernel running (or next), "" when idle. */
const char *sim_gpu_current(const SimMachine *m);

/* For the statistics and the window. */
uint32_t sim_gpu_nkernels(const SimMachine *m);
const SimGpuKernelStats *sim_gpu_kernel(const SimMachine *m, uint32_t i);
const SimtMemCounts *sim_gpu_mem_counts(const SimMachine *m);
uint64_t sim_gpu_copy_bytes(const SimMachine *m);
uint64_t sim_gpu_copy_cycles(const SimMachine *m);

#endif
