/* parsim_mp.h — message passing at the level below MPI: each rank's
 * network interface, as the simulator's services give it (numbers and
 * exact meaning: parsim_ecall.h; the model: docs/mpi.md).
 *
 *   parsim_mp_rank()/size()            who am I, how many ranks
 *   parsim_mp_isend(buf, n, dst, tag, ctx, flags)   -> request
 *   parsim_mp_irecv(buf, n, src, tag, ctx)          -> request
 *   parsim_mp_wait(req, &st)           block until done
 *   parsim_mp_test(req, &st)           1 if done
 *   parsim_mp_probe(src, tag, ctx, &st, block)      1 if a message is there
 *
 * A send of up to the eager threshold (mp.eager_threshold) bytes goes at
 * once and is buffered by the receiver's interface; a longer one (or one
 * with PARSIM_MP_SYNC) sends a request-to-send and its data only once the
 * receiver has posted a matching receive.  Matching is by (source, tag,
 * context), wildcards PARSIM_MP_ANY, and two messages from one source
 * with one tag and context are matched in the order they were sent.
 *
 * <mpi.h> is written on these.  They exist on parsim only: off parsim
 * (QEMU) parsim_mp_rank() is 0 and parsim_mp_size() 1, and the other
 * calls must not be made (the ecall would trap).
 *
 * May depend on: programs/runtime/parsim.h (the service call).
 */
#ifndef PARSIM_MP_H
#define PARSIM_MP_H

#include <stdint.h>

#include "parsim.h"

/* Raw call with six arguments: returns a0, stores a1 in *value. */
static inline long parsim_ecall6(unsigned fn, uintptr_t arg0, uintptr_t arg1,
                                 uintptr_t arg2, uintptr_t arg3,
                                 uintptr_t arg4, uintptr_t arg5,
                                 uint32_t *value)
{
    register uintptr_t a0 __asm__("a0") = arg0;
    register uintptr_t a1 __asm__("a1") = arg1;
    register uintptr_t a2 __asm__("a2") = arg2;
    register uintptr_t a3 __asm__("a3") = arg3;
    register uintptr_t a4 __asm__("a4") = arg4;
    register uintptr_t a5 __asm__("a5") = arg5;
    register uintptr_t a6 __asm__("a6") = fn;
    register uintptr_t a7 __asm__("a7") = PARSIM_EID;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4),
                       "+r"(a5)
                     : "r"(a6), "r"(a7)
                     : "memory");
    if (value)
        *value = (uint32_t)a1;
    return (long)a0;
}

typedef struct parsim_mp_status parsim_mp_status;

static inline int parsim_mp_rank(void)
{
    uint32_t r = 0;
    if (on_parsim())
        (void)parsim_ecall2(PARSIM_FN_MP_INFO, PARSIM_MP_INFO_RANK, 0, 0, &r,
                            NULL);
    return (int)r;
}

static inline int parsim_mp_size(void)
{
    uint32_t r = 0, n = 1;
    if (on_parsim())
        (void)parsim_ecall2(PARSIM_FN_MP_INFO, PARSIM_MP_INFO_RANK, 0, 0, &r,
                            &n);
    return (int)n;
}

/* One item of PARSIM_FN_MP_INFO (a1); 0 off parsim. */
static inline uint32_t parsim_mp_info(unsigned item)
{
    uint32_t v = 0;
    if (on_parsim())
        (void)parsim_ecall2(PARSIM_FN_MP_INFO, item, 0, 0, &v, NULL);
    return v;
}

static inline int parsim_mp_isend(const void *buf, uint32_t bytes, int dst,
                                  int tag, int ctx, unsigned flags)
{
    uint32_t req = 0;
    (void)parsim_ecall6(PARSIM_FN_MP_ISEND, (uintptr_t)buf, bytes,
                        (uintptr_t)dst, (uintptr_t)tag, (uintptr_t)ctx, flags,
                        &req);
    return (int)req;
}

/* src and tag: a number, or (int)PARSIM_MP_ANY. */
static inline int parsim_mp_irecv(void *buf, uint32_t bytes, int src, int tag,
                                  int ctx)
{
    uint32_t req = 0;
    (void)parsim_ecall6(PARSIM_FN_MP_IRECV, (uintptr_t)buf, bytes,
                        (uintptr_t)src, (uintptr_t)tag, (uintptr_t)ctx, 0,
                        &req);
    return (int)req;
}

static inline void parsim_mp_wait(int req, parsim_mp_status *st)
{
    (void)parsim_ecall(PARSIM_FN_MP_WAIT, (uintptr_t)req, (uintptr_t)st, 0,
                       NULL);
}

static inline int parsim_mp_test(int req, parsim_mp_status *st)
{
    uint32_t done = 0;
    (void)parsim_ecall(PARSIM_FN_MP_TEST, (uintptr_t)req, (uintptr_t)st, 0,
                       &done);
    return (int)done;
}

static inline int parsim_mp_probe(int src, int tag, int ctx,
                                  parsim_mp_status *st, int block)
{
    uint32_t found = 0;
    (void)parsim_ecall6(PARSIM_FN_MP_PROBE, (uintptr_t)src, (uintptr_t)tag,
                        (uintptr_t)ctx, (uintptr_t)st, (uintptr_t)block, 0,
                        &found);
    return (int)found;
}

/* The library call the rank enters or leaves (PARSIM_MPI_*), and where
 * the program called it: for reports and the space-time diagram. */
static inline void parsim_mp_note(unsigned what, unsigned call,
                                  const void *site)
{
    if (on_parsim())
        (void)parsim_ecall(PARSIM_FN_MP_NOTE, what, call, (uintptr_t)site,
                           NULL);
}

/* End the whole run: status, or an error message. */
static inline void parsim_mp_abort(int status)
{
    (void)parsim_ecall(PARSIM_FN_MP_ABORT, (uintptr_t)status, 0, 0, NULL);
}

static inline void parsim_mp_error(const char *msg)
{
    (void)parsim_ecall(PARSIM_FN_MP_ERROR, (uintptr_t)msg, 0, 0, NULL);
}

#endif
