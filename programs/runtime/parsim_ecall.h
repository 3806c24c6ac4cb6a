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
};

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
