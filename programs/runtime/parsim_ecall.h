/* parsim_ecall.h — the simulator services: the one place their numbers
 * and meaning are written down.  Included by guest programs (through
 * parsim.h) and by the simulator (sim/services.c), so both sides agree.
 *
 * Calling convention: the RISC-V SBI binary encoding.
 *   a7 = PARSIM_EID (in SBI's firmware-specific extension space)
 *   a6 = function (PARSIM_FN_*)
 *   a0..a5 = arguments
 *   returns a0 = error (PARSIM_OK or a negative PARSIM_ERR_*),
 *           a1 = value
 * Any other a7 is an unknown service: the run stops with a message.
 *
 * Plain C constants only: no guest-only or host-only code here.
 *
 * May depend on: the C library only (it includes nothing).
 */
#ifndef PARSIM_ECALL_H
#define PARSIM_ECALL_H

#define PARSIM_EID 0x0A505253u          /* "\x0aPRS" */

/* marchid of parsim's harts: how a program tells parsim from QEMU (whose
 * marchid differs) before it uses any service. */
#define PARSIM_MARCHID 0x50415253u      /* "PARS" */

enum {
    /* -> a1 = number of harts in the machine (cores x threads per core). */
    PARSIM_FN_NUM_HARTS = 0,
    /* a0 = address of a 32-bit word, a1 = expected value.  If the word
     * still holds the expected value, the hart blocks (uses no issue
     * slots, shows as blocked) until a WAKE on that address; a1 = 0.
     * If the word differs, returns at once with a1 = 1.  (A futex wait.) */
    PARSIM_FN_WAIT = 1,
    /* a0 = address, a1 = most harts to wake (0xffffffff: all)
     * -> a1 = number of harts woken, in the order they started waiting. */
    PARSIM_FN_WAKE = 2,
    /* a0 = lock address, a1 = PARSIM_LOCK_* event, a2 = PARSIM_KIND_*:
     * what the runtime's locks say about themselves, so that statistics
     * and the visualizer know who holds and who waits without guessing. */
    PARSIM_FN_LOCK_NOTE = 3,
    /* -> a1 = cores, a2 = threads per core. */
    PARSIM_FN_TOPOLOGY = 4,
    /* a0 = PARSIM_ROI_BEGIN or PARSIM_ROI_END: the region of interest
     * whose figures the summary and --stats show beside the whole run
     * (gem5's reset-stats / dump-stats).  A BEGIN inside the region and
     * an END outside it are ignored; several regions add up.
     * -> a1 = regions ended so far. */
    PARSIM_FN_ROI = 5,

    /* ---- message passing (parsim_mp.h; docs/mpi.md) ----------------------
     * Ranks are numbered 0..size-1, one per node of a machine run with
     * --ranks; in any other machine there is one rank, 0.  Buffers are
     * addresses in the calling rank's own memory.  Requests are small
     * positive numbers, private to a rank; 0 is no request. */

    /* a0 = PARSIM_MP_INFO_* -> a1 (and a2) as that item says. */
    PARSIM_FN_MP_INFO = 6,
    /* a0 = buffer, a1 = bytes, a2 = destination rank, a3 = tag (>= 0),
     * a4 = context (communicator), a5 = PARSIM_MP_SYNC or 0
     * -> a1 = request.  The bytes are taken at once: the buffer may be
     * reused when the request completes (at once for an eager message,
     * once the receiver matched it for a rendezvous one or a SYNC). */
    PARSIM_FN_MP_ISEND = 7,
    /* a0 = buffer, a1 = most bytes, a2 = source rank or PARSIM_MP_ANY,
     * a3 = tag or PARSIM_MP_ANY, a4 = context -> a1 = request. */
    PARSIM_FN_MP_IRECV = 8,
    /* a0 = request, a1 = address of a struct parsim_mp_status or 0: blocks
     * until the request completes, writes its status, frees it.  A
     * message longer than the receive's buffer stops the run (MPI's
     * "message truncated"). */
    PARSIM_FN_MP_WAIT = 9,
    /* a0 = request, a1 = status address or 0 -> a1 = 1 (complete: status
     * written, request freed) or 0 (not yet). */
    PARSIM_FN_MP_TEST = 10,
    /* a0 = source or PARSIM_MP_ANY, a1 = tag or PARSIM_MP_ANY,
     * a2 = context, a3 = status address or 0, a4 = 1 to block until a
     * message matches -> a1 = 1 if one has arrived (status: its source,
     * tag and bytes; it stays queued), 0 if not. */
    PARSIM_FN_MP_PROBE = 11,
    /* a0 = PARSIM_MP_ENTER or PARSIM_MP_LEAVE, a1 = PARSIM_MPI_* (the
     * library call the rank is in), a2 = the call site (its return
     * address): what deadlock reports, per-call-site waits and the
     * window's space-time diagram name.  Calls nest; only the outermost
     * is the program's. */
    PARSIM_FN_MP_NOTE = 12,
    /* a0 = exit status: MPI_Abort.  Ends the whole run with that status
     * and one line naming the rank and the call site (a2 of the
     * outermost NOTE). */
    PARSIM_FN_MP_ABORT = 13,
    /* a0 = address of a NUL-terminated message (at most 200 bytes): an
     * error the library found ("invalid rank 7 (communicator size 4)").
     * Ends the run with PARSIM_EXIT_MPI_ERROR and one line naming the
     * rank, the call and its source line. */
    PARSIM_FN_MP_ERROR = 14,

    /* ---- the GPU array (parsim_gpu.h; docs/gpu.md) -----------------------
     * Kernels run on the SIMT array, one after another in launch order
     * (one stream).  Launch and wait are for harts; SYNC and EXIT are for
     * a kernel's threads (lanes) and for nothing else. */

    /* a0 = address of a struct parsim_gpu_launch: queue a kernel, return
     * at once (its arguments are copied now, as CUDA passes them by
     * value).  A bad launch stops the run with a message saying why. */
    PARSIM_FN_GPU_LAUNCH = 15,
    /* Block until every kernel launched so far has finished. */
    PARSIM_FN_GPU_WAIT = 16,
    /* A thread: __syncthreads() (wait for every thread of the block). */
    PARSIM_FN_GPU_SYNC = 17,
    /* A thread: its kernel function returned (the launch's exit_pc). */
    PARSIM_FN_GPU_EXIT = 18,
    /* a0 = destination, a1 = source, a2 = bytes, a3 = PARSIM_GPU_TO_DEVICE
     * or PARSIM_GPU_TO_HOST: gpu_memcpy.  Waits for the kernels launched
     * so far, then the hart blocks for the copy's time over the link
     * (gpu.memory = discrete) or at memory speed (unified). */
    PARSIM_FN_GPU_COPY = 19,
    /* a0 = address, a1 = bytes, a2 = 1 (gpu_malloc) or 0 (gpu_free):
     * [a0, a0+a1) of RAM is (or stops being) device memory. */
    PARSIM_FN_GPU_MEM = 20,
    /* a0 = PARSIM_GPU_INFO_* -> a1. */
    PARSIM_FN_GPU_INFO = 21,

    /* -> a1 = the top of the hart stacks (the end of the hart's RAM),
     * a2 = bytes of stack per hart (run.stack_size).  Hart h's stack
     * grows down from a1 - h * a2 for a2 bytes (the runtime keeps a hart's
     * TLS at the bottom), the heap ends below the last hart's: the start-up
     * code asks before it touches a stack, and parsim stops a hart whose
     * stack grows past its own (a store with sp below it). */
    PARSIM_FN_MEMORY = 22,
};

/* PARSIM_FN_GPU_LAUNCH: what gpu_launch passes. */
struct parsim_gpu_launch {
    unsigned kernel;                /* void kernel(void *args) */
    unsigned args, args_bytes;      /* copied at the launch (<= 256 bytes) */
    unsigned exit_pc;               /* where a kernel returns: GPU_EXIT */
    unsigned grid[3], block[3];
    unsigned shared, shared_bytes;  /* the program's __shared__ variables */
};

#define PARSIM_GPU_MAX_ARGS 256u

/* PARSIM_FN_GPU_COPY a3. */
enum { PARSIM_GPU_TO_DEVICE = 0, PARSIM_GPU_TO_HOST = 1 };

/* PARSIM_FN_GPU_INFO items. */
enum {
    PARSIM_GPU_INFO_SMS = 0,        /* a1 = streaming multiprocessors */
    PARSIM_GPU_INFO_WARP = 1,       /* a1 = lanes per warp */
    PARSIM_GPU_INFO_DISCRETE = 2,   /* a1 = 1 if gpu.memory = discrete */
};

/* The SIMT lanes' read-only CSRs (csrr), from 0xfc0 in this order:
 * threadIdx.xyz, blockIdx.xyz, blockDim.xyz, gridDim.xyz, warpSize, the
 * lane within its warp, the warp within its block. */
#define PARSIM_CSR_SIMT 0xfc0
enum {
    PARSIM_SIMT_TID = 0, PARSIM_SIMT_CTAID = 3, PARSIM_SIMT_NTID = 6,
    PARSIM_SIMT_NCTAID = 9, PARSIM_SIMT_WARPSIZE = 12, PARSIM_SIMT_LANE = 13,
    PARSIM_SIMT_WARP = 14, PARSIM_SIMT_COUNT = 15
};

/* The longest command line (the program's path and its arguments, with
 * the quotes parsim adds around an empty argument or one with spaces)
 * the start-up code takes, NUL included; parsim refuses a longer one. */
#define PARSIM_CMDLINE_MAX 16384

/* PARSIM_FN_MP_INFO items. */
enum {
    PARSIM_MP_INFO_RANK = 0,        /* a1 = rank, a2 = number of ranks */
    PARSIM_MP_INFO_CLOCK = 1,       /* a1 = clock in Hz, low 32 bits; a2 high */
    PARSIM_MP_INFO_ALLREDUCE = 2,   /* a1 = mp.allreduce: 0 auto, 1 recursive
                                       doubling, 2 ring */
    PARSIM_MP_INFO_ALLTOALL = 3,    /* a1 = mp.alltoall: 0 auto, 1 linear,
                                       2 pairwise */
    PARSIM_MP_INFO_EAGER = 4,       /* a1 = eager threshold in bytes */
};

#define PARSIM_MP_ANY 0xffffffffu   /* any source, any tag */
#define PARSIM_MP_SYNC 1u           /* ISEND: complete only once matched */

/* What WAIT, TEST and PROBE write. */
struct parsim_mp_status {
    int source, tag;
    unsigned bytes;
    int error;                      /* 0 */
};

/* PARSIM_FN_MP_NOTE a0. */
enum { PARSIM_MP_ENTER = 0, PARSIM_MP_LEAVE = 1 };

/* The library calls a rank can be in (PARSIM_FN_MP_NOTE a1), for
 * reports.  ORDER MPI_CALL: sim_mpi_call_names in sim/mp.c. */
enum {
    PARSIM_MPI_OTHER = 0,
    PARSIM_MPI_INIT, PARSIM_MPI_FINALIZE, PARSIM_MPI_SEND, PARSIM_MPI_SSEND,
    PARSIM_MPI_RECV, PARSIM_MPI_SENDRECV, PARSIM_MPI_ISEND, PARSIM_MPI_IRECV,
    PARSIM_MPI_WAIT, PARSIM_MPI_WAITALL, PARSIM_MPI_TEST, PARSIM_MPI_PROBE,
    PARSIM_MPI_IPROBE, PARSIM_MPI_BARRIER, PARSIM_MPI_BCAST,
    PARSIM_MPI_REDUCE, PARSIM_MPI_ALLREDUCE, PARSIM_MPI_SCATTER,
    PARSIM_MPI_GATHER, PARSIM_MPI_ALLGATHER, PARSIM_MPI_ALLTOALL,
    PARSIM_MPI_SCAN, PARSIM_MPI_ABORT, PARSIM_MPI_GET_COUNT,
    PARSIM_MPI_CALL_COUNT
};

/* Exit status of a run an MPI usage error ended (PARSIM_FN_MP_ERROR, a
 * truncated receive). */
#define PARSIM_EXIT_MPI_ERROR 70

/* Region of interest (PARSIM_FN_ROI a0). */
enum {
    PARSIM_ROI_BEGIN = 0,
    PARSIM_ROI_END = 1,
};

/* Lock events (PARSIM_FN_LOCK_NOTE a1). */
enum {
    PARSIM_LOCK_TRY = 0,        /* starts to acquire: waiting from now */
    PARSIM_LOCK_ACQUIRED = 1,   /* holds it */
    PARSIM_LOCK_RELEASED = 2,   /* let it go */
};

/* Lock kinds (PARSIM_FN_LOCK_NOTE a2), for reports. */
enum {
    PARSIM_KIND_OTHER = 0,
    PARSIM_KIND_TAS = 1,
    PARSIM_KIND_TTAS = 2,
    PARSIM_KIND_TTAS_BACKOFF = 3,
    PARSIM_KIND_TICKET = 4,
    PARSIM_KIND_ARRAY = 5,      /* Anderson's array-based queue lock */
    PARSIM_KIND_MCS = 6,
    PARSIM_KIND_MUTEX = 7,      /* blocking: spins a little, then waits */
    PARSIM_KIND_RECURSIVE = 8,
    PARSIM_KIND_SEMAPHORE = 9,
    PARSIM_KIND_CONDVAR = 10,
    PARSIM_KIND_BARRIER = 11,
    PARSIM_KIND_EVENT = 12,
    PARSIM_KIND_COUNT
};

/* Errors (a0). */
enum {
    PARSIM_OK = 0,
    PARSIM_ERR_NOT_SUPPORTED = -2,      /* SBI_ERR_NOT_SUPPORTED */
    PARSIM_ERR_INVALID_PARAM = -3,      /* SBI_ERR_INVALID_PARAM */
    PARSIM_ERR_INVALID_ADDRESS = -5,    /* SBI_ERR_INVALID_ADDRESS */
};

#endif
