/* mpi.c — parsim's MPI subset (mpi.h) on the rank's network interface
 * (parsim_mp.h): argument checks, point-to-point calls as requests of the
 * interface, and each collective as the real algorithm on point-to-point
 * messages, with its rounds and messages written above it (docs/mpi.md
 * gives their LogGP costs).
 *
 * Every public function tells the simulator which call the rank is in
 * (parsim_mp_note ENTER with the call site, LEAVE before it returns), so
 * that a deadlock report, a wait profile or the space-time diagram names
 * the program's call; the helpers the collectives are built from call
 * parsim_mp_* directly and note nothing.  An error ends the run through
 * parsim_mp_error with a message that says only what is wrong: the
 * simulator adds the rank, the call and its source line.
 *
 * Contexts and tags: point-to-point in context CTX_P2P with the user's
 * tags; collectives in CTX_COLL, tag = the PARSIM_MPI_* number of the
 * collective (MPI_Finalize's barrier has its own), so that a rank in
 * MPI_Barrier never matches one in MPI_Finalize: a mismatch of
 * collectives shows as a deadlock naming both calls rather than as wrong
 * data.  Successive collectives of one kind need no sequence number:
 * messages from one source with one tag and context arrive in order.
 *
 * Counts: a collective's receive is posted for exactly the bytes this
 * rank expects; fewer is reported here ("counts differ"), more by the
 * simulator as a truncated message.
 *
 * May depend on: programs/runtime/mpi.h, programs/runtime/parsim_mp.h,
 * the C library.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpi.h"
#include "parsim_mp.h"

#define CTX_P2P 0
#define CTX_COLL 1

#define TAG_MAX 32767           /* the smallest MPI_TAG_UB MPI allows */

/* A request to or from MPI_PROC_NULL: complete from the start.  The
 * interface's requests are positive, MPI_REQUEST_NULL is 0. */
#define REQ_PROC_NULL (-1)

/* Algorithm switch points: MPICH's short-message sizes for these calls
 * (MPIR_CVAR_ALLREDUCE_SHORT_MSG_SIZE, MPIR_CVAR_ALLTOALL_SHORT_MSG_SIZE). */
#define ALLREDUCE_RD_MAX 2048   /* bytes: recursive doubling to, ring above */
#define ALLTOALL_LINEAR_MAX 256 /* bytes per block: linear to, pairwise above */

/* MPI_Wtime's clock when the simulator gives none (QEMU). */
#define DEFAULT_HZ 1000000000u

#define ENTER(call)                                                   \
    parsim_mp_note(PARSIM_MP_ENTER, PARSIM_MPI_##call,                \
                   __builtin_return_address(0))
#define LEAVE(call) parsim_mp_note(PARSIM_MP_LEAVE, PARSIM_MPI_##call, 0)
#define RETURN(call)          \
    do {                      \
        LEAVE(call);          \
        return MPI_SUCCESS;   \
    } while (0)

/* ---- state -------------------------------------------------------------- */

enum { BEFORE_INIT, RUNNING, FINALIZED };
static int state = BEFORE_INIT;
static int me, nranks = 1;
static uint64_t hz;
static unsigned allreduce_alg, alltoall_alg;  /* PARSIM_MP_INFO_*: 0 auto */
static int *creq;               /* 2 x nranks requests for the collectives */
static char dummy;              /* the address of zero-byte messages */

/* ---- datatypes and operations ------------------------------------------- */

/* Which operations a datatype takes (MPI-3.1 5.9.2): arithmetic (sum,
 * product, max, min) on integers and floating point, logical on
 * integers, bitwise on integers and MPI_BYTE, none on MPI_CHAR. */
enum { OPS_ARITH = 1, OPS_LOGICAL = 2, OPS_BITWISE = 4,
       OPS_ALL = OPS_ARITH | OPS_LOGICAL | OPS_BITWISE };

#define TYPE_BASE 0x101
#define TYPE_COUNT 8
_Static_assert(MPI_DOUBLE - TYPE_BASE + 1 == TYPE_COUNT,
               "mpi.h's datatypes are TYPE_BASE .. TYPE_BASE + TYPE_COUNT - 1");
static const struct {
    unsigned char size, ops;
    const char *name;
} types[TYPE_COUNT] = {
    [MPI_CHAR - TYPE_BASE] = {sizeof(char), 0, "MPI_CHAR"},
    [MPI_BYTE - TYPE_BASE] = {1, OPS_BITWISE, "MPI_BYTE"},
    [MPI_INT - TYPE_BASE] = {sizeof(int), OPS_ALL, "MPI_INT"},
    [MPI_UNSIGNED - TYPE_BASE] = {sizeof(unsigned), OPS_ALL, "MPI_UNSIGNED"},
    [MPI_LONG - TYPE_BASE] = {sizeof(long), OPS_ALL, "MPI_LONG"},
    [MPI_LONG_LONG - TYPE_BASE] = {sizeof(long long), OPS_ALL,
                                   "MPI_LONG_LONG"},
    [MPI_FLOAT - TYPE_BASE] = {sizeof(float), OPS_ARITH, "MPI_FLOAT"},
    [MPI_DOUBLE - TYPE_BASE] = {sizeof(double), OPS_ARITH, "MPI_DOUBLE"},
};

#define OP_BASE 0x201
#define OP_COUNT 8
_Static_assert(MPI_BOR - OP_BASE + 1 == OP_COUNT,
               "mpi.h's operations are OP_BASE .. OP_BASE + OP_COUNT - 1");
static const struct {
    unsigned char kind;
    const char *name;
} ops[OP_COUNT] = {
    [MPI_SUM - OP_BASE] = {OPS_ARITH, "MPI_SUM"},
    [MPI_PROD - OP_BASE] = {OPS_ARITH, "MPI_PROD"},
    [MPI_MAX - OP_BASE] = {OPS_ARITH, "MPI_MAX"},
    [MPI_MIN - OP_BASE] = {OPS_ARITH, "MPI_MIN"},
    [MPI_LAND - OP_BASE] = {OPS_LOGICAL, "MPI_LAND"},
    [MPI_LOR - OP_BASE] = {OPS_LOGICAL, "MPI_LOR"},
    [MPI_BAND - OP_BASE] = {OPS_BITWISE, "MPI_BAND"},
    [MPI_BOR - OP_BASE] = {OPS_BITWISE, "MPI_BOR"},
};

/* ---- errors and checks -------------------------------------------------- */

static void fail(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    char msg[200];              /* PARSIM_FN_MP_ERROR's limit */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (on_parsim())
        parsim_mp_error(msg);
    fprintf(stderr, "MPI error: %s\n", msg);
    exit(PARSIM_EXIT_MPI_ERROR);
}

static void check_running(void)
{
    if (state == BEFORE_INIT)
        fail("%s", "called before MPI_Init");
    if (state == FINALIZED)
        fail("%s", "called after MPI_Finalize");
}

static void check_comm(MPI_Comm comm)
{
    if (comm != MPI_COMM_WORLD)
        fail("invalid communicator %d (parsim has MPI_COMM_WORLD only)", comm);
}

static void check_ptr(const void *p, const char *what)
{
    if (!p)
        fail("%s is NULL", what);
}

static unsigned type_index(MPI_Datatype dt)
{
    unsigned i = (unsigned)dt - TYPE_BASE, o = (unsigned)dt - OP_BASE;
    if (i < TYPE_COUNT)
        return i;
    if (o < OP_COUNT)
        fail("%s is an operation, not a datatype", ops[o].name);
    fail("invalid datatype %d", dt);
}

static unsigned type_size(MPI_Datatype dt)
{
    return types[type_index(dt)].size;
}

/* count elements of dt in bytes, checked. */
static unsigned bytes_of(int count, MPI_Datatype dt)
{
    unsigned size = type_size(dt);
    if (count < 0)
        fail("negative count %d", count);
    if ((uint64_t)count * size > INT32_MAX)
        fail("count %d of %s is more than a message can hold (2 GiB)", count,
             types[type_index(dt)].name);
    return (unsigned)count * size;
}

static void check_op(MPI_Op op, MPI_Datatype dt)
{
    unsigned o = (unsigned)op - OP_BASE, t = type_index(dt);
    if (o >= OP_COUNT) {
        if ((unsigned)op - TYPE_BASE < TYPE_COUNT)
            fail("%s is a datatype, not an operation",
                 types[(unsigned)op - TYPE_BASE].name);
        fail("invalid operation %d", op);
    }
    if (!(types[t].ops & ops[o].kind))
        fail("%s is not defined on %s", ops[o].name, types[t].name);
}

/* A rank argument: 0..size-1, MPI_PROC_NULL, or for a receive
 * MPI_ANY_SOURCE. */
static void check_rank(int r, const char *what, int any)
{
    if ((r >= 0 && r < nranks) || r == MPI_PROC_NULL ||
        (any && r == MPI_ANY_SOURCE))
        return;
    fail("invalid %s rank %d (communicator size %d)", what, r, nranks);
}

static void check_root(int root)
{
    if (root < 0 || root >= nranks)
        fail("invalid root rank %d (communicator size %d)", root, nranks);
}

static void check_tag(int tag, int any)
{
    if ((tag >= 0 && tag <= TAG_MAX) || (any && tag == MPI_ANY_TAG))
        return;
    fail("invalid tag %d (tags are 0..%d)", tag, TAG_MAX);
}

/* ---- requests and statuses ---------------------------------------------- */

static int checked(int req)
{
    if (req <= 0)
        fail("%s", "the network interface refused the request");
    return req;
}

static void set_status(MPI_Status *st, int source, int tag, unsigned bytes)
{
    if (!st)
        return;
    st->MPI_SOURCE = source;
    st->MPI_TAG = tag;
    st->MPI_ERROR = MPI_SUCCESS;
    st->parsim_bytes = (int)bytes;
}

/* Waits for *req and frees it; MPI_REQUEST_NULL gives MPI's empty
 * status, an MPI_PROC_NULL request source MPI_PROC_NULL. */
static void wait_req(MPI_Request *req, MPI_Status *st)
{
    if (*req == MPI_REQUEST_NULL) {
        set_status(st, MPI_ANY_SOURCE, MPI_ANY_TAG, 0);
        return;
    }
    if (*req == REQ_PROC_NULL) {
        set_status(st, MPI_PROC_NULL, MPI_ANY_TAG, 0);
    } else {
        parsim_mp_status ps = {0};
        parsim_mp_wait(*req, &ps);
        set_status(st, ps.source, ps.tag, ps.bytes);
    }
    *req = MPI_REQUEST_NULL;
}

/* The interface takes no NULL buffer, not even for zero bytes. */
static const void *addr(const void *buf, unsigned bytes)
{
    return (bytes == 0 && !buf) ? &dummy : buf;
}

static int wire(int rank_or_tag)
{
    return rank_or_tag == -1 ? (int)PARSIM_MP_ANY : rank_or_tag;
}

_Static_assert(MPI_ANY_SOURCE == -1 && MPI_ANY_TAG == -1,
               "wire() maps -1 to PARSIM_MP_ANY");

static int post_send(const void *buf, int count, MPI_Datatype dt, int dest,
                     int tag, MPI_Comm comm, unsigned flags)
{
    check_running();
    check_comm(comm);
    unsigned n = bytes_of(count, dt);
    check_rank(dest, "destination", 0);
    check_tag(tag, 0);
    if (dest == MPI_PROC_NULL)
        return REQ_PROC_NULL;
    return checked(parsim_mp_isend(addr(buf, n), n, dest, tag, CTX_P2P, flags));
}

static int post_recv(void *buf, int count, MPI_Datatype dt, int source,
                     int tag, MPI_Comm comm)
{
    check_running();
    check_comm(comm);
    unsigned n = bytes_of(count, dt);
    check_rank(source, "source", 1);
    check_tag(tag, 1);
    if (source == MPI_PROC_NULL)
        return REQ_PROC_NULL;
    return checked(parsim_mp_irecv((void *)addr(buf, n), n, wire(source),
                                   wire(tag), CTX_P2P));
}

/* ---- collective building blocks (context CTX_COLL, no notes) ------------ */

static int c_isend(const void *buf, unsigned n, int dst, int tag)
{
    return checked(parsim_mp_isend(addr(buf, n), n, dst, tag, CTX_COLL, 0));
}

static int c_irecv(void *buf, unsigned n, int src, int tag)
{
    return checked(parsim_mp_irecv((void *)addr(buf, n), n, src, tag,
                                   CTX_COLL));
}

static void c_wait_recv(int req, unsigned expect)
{
    parsim_mp_status ps = {0};
    parsim_mp_wait(req, &ps);
    if (ps.bytes != expect)
        fail("counts differ between ranks: %u bytes came from rank %d, "
             "this rank expected %u", ps.bytes, ps.source, expect);
}

static void c_send(const void *buf, unsigned n, int dst, int tag)
{
    parsim_mp_wait(c_isend(buf, n, dst, tag), NULL);
}

static void c_recv(void *buf, unsigned n, int src, int tag)
{
    c_wait_recv(c_irecv(buf, n, src, tag), n);
}

static void c_sendrecv(const void *sbuf, unsigned sn, int dst, void *rbuf,
                       unsigned rn, int src, int tag)
{
    int r = c_irecv(rbuf, rn, src, tag);
    int s = c_isend(sbuf, sn, dst, tag);
    c_wait_recv(r, rn);
    parsim_mp_wait(s, NULL);
}

/* Two grow-only buffers for partial results and incoming data. */
static void *scratch(int which, unsigned n)
{
    static void *buf[2];
    static unsigned len[2];
    if (n > len[which]) {
        free(buf[which]);
        buf[which] = malloc(n);
        if (!buf[which])
            fail("out of memory for a %u-byte buffer", n);
        len[which] = n;
    }
    return buf[which];
}

/* memcpy, which may not be given NULL even for zero bytes. */
static void copy(void *d, const void *s, unsigned n)
{
    if (n)
        memcpy(d, s, n);
}

static char *at(void *buf, unsigned offset)
{
    return (char *)buf + offset;
}

static const char *cat(const void *buf, unsigned offset)
{
    return (const char *)buf + offset;
}

/* d[i] = a[i] op b[i] for n elements (d may be a or b).  Every algorithm
 * passes the operand of the lower-ranked contributions as a, so that a
 * result is the same on every run; the operations are commutative, so
 * only rounding can tell the orders apart. */
#define LOOP(T, expr)                                \
    do {                                             \
        T *d_ = d;                                   \
        const T *a_ = a, *b_ = b;                    \
        for (unsigned i = 0; i < n; i++) {           \
            T x = a_[i], y = b_[i];                  \
            d_[i] = (T)(expr);                       \
        }                                            \
    } while (0)

/* Integers: sums and products wrap (computed in the unsigned type U). */
#define INTEGER_OPS(T, U)                                 \
    switch (op) {                                         \
    case MPI_SUM: LOOP(T, (U)x + (U)y); break;            \
    case MPI_PROD: LOOP(T, (U)x * (U)y); break;           \
    case MPI_MAX: LOOP(T, y > x ? y : x); break;          \
    case MPI_MIN: LOOP(T, y < x ? y : x); break;          \
    case MPI_LAND: LOOP(T, x && y); break;                \
    case MPI_LOR: LOOP(T, x || y); break;                 \
    case MPI_BAND: LOOP(T, x & y); break;                 \
    case MPI_BOR: LOOP(T, x | y); break;                  \
    }

#define FLOAT_OPS(T)                                      \
    switch (op) {                                         \
    case MPI_SUM: LOOP(T, x + y); break;                  \
    case MPI_PROD: LOOP(T, x * y); break;                 \
    case MPI_MAX: LOOP(T, y > x ? y : x); break;          \
    case MPI_MIN: LOOP(T, y < x ? y : x); break;          \
    }

static void combine(void *d, const void *a, const void *b, unsigned n,
                    MPI_Datatype dt, MPI_Op op)
{
    switch (dt) {
    case MPI_BYTE:
        switch (op) {
        case MPI_BAND: LOOP(unsigned char, x & y); break;
        case MPI_BOR: LOOP(unsigned char, x | y); break;
        }
        break;
    case MPI_INT: INTEGER_OPS(int, unsigned); break;
    case MPI_UNSIGNED: INTEGER_OPS(unsigned, unsigned); break;
    case MPI_LONG: INTEGER_OPS(long, unsigned long); break;
    case MPI_LONG_LONG: INTEGER_OPS(long long, unsigned long long); break;
    case MPI_FLOAT: FLOAT_OPS(float); break;
    case MPI_DOUBLE: FLOAT_OPS(double); break;
    }
}

/* ---- start and stop ----------------------------------------------------- */

static uint64_t clock_hz(void)
{
    if (!hz) {
        uint32_t lo = 0, hi = 0;
        if (on_parsim())
            (void)parsim_ecall2(PARSIM_FN_MP_INFO, PARSIM_MP_INFO_CLOCK, 0, 0,
                                &lo, &hi);
        hz = ((uint64_t)hi << 32) | lo;
        if (!hz)
            hz = DEFAULT_HZ;
    }
    return hz;
}

/* argc and argv are the program's as the start-up code built them
 * (argv[1] its first argument, as under mpirun): nothing to remove. */
int MPI_Init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ENTER(INIT);
    if (state != BEFORE_INIT)
        fail("%s", "MPI_Init called twice");
    me = parsim_mp_rank();
    nranks = parsim_mp_size();
    (void)clock_hz();
    allreduce_alg = parsim_mp_info(PARSIM_MP_INFO_ALLREDUCE);
    alltoall_alg = parsim_mp_info(PARSIM_MP_INFO_ALLTOALL);
    creq = malloc(2 * (size_t)nranks * sizeof *creq);
    if (!creq)
        fail("%s", "out of memory for the collectives' requests");
    state = RUNNING;
    RETURN(INIT);
}

int MPI_Initialized(int *flag)
{
    ENTER(OTHER);
    check_ptr(flag, "flag");
    *flag = state != BEFORE_INIT;
    RETURN(OTHER);
}

static void barrier(int tag);

int MPI_Finalize(void)
{
    ENTER(FINALIZE);
    check_running();
    barrier(PARSIM_MPI_FINALIZE);
    state = FINALIZED;
    RETURN(FINALIZE);
}

int MPI_Abort(MPI_Comm comm, int errorcode)
{
    (void)comm;                 /* any communicator ends the whole run */
    ENTER(ABORT);
    if (on_parsim())
        parsim_mp_abort(errorcode);
    exit(errorcode);
}

/* ---- who and when ------------------------------------------------------- */

int MPI_Comm_rank(MPI_Comm comm, int *rank)
{
    ENTER(OTHER);
    check_running();
    check_comm(comm);
    check_ptr(rank, "rank");
    *rank = me;
    RETURN(OTHER);
}

int MPI_Comm_size(MPI_Comm comm, int *size)
{
    ENTER(OTHER);
    check_running();
    check_comm(comm);
    check_ptr(size, "size");
    *size = nranks;
    RETURN(OTHER);
}

int MPI_Get_processor_name(char *name, int *resultlen)
{
    ENTER(OTHER);
    check_running();
    check_ptr(name, "name");
    check_ptr(resultlen, "resultlen");
    *resultlen = snprintf(name, MPI_MAX_PROCESSOR_NAME, "parsim-node%d", me);
    RETURN(OTHER);
}

/* Simulated seconds: this hart's cycle counter over the clock.  Allowed
 * before MPI_Init, as MPI implementations allow it. */
double MPI_Wtime(void)
{
    ENTER(OTHER);
    double t = (double)cycles() / (double)clock_hz();
    LEAVE(OTHER);
    return t;
}

double MPI_Wtick(void)
{
    ENTER(OTHER);
    double t = 1.0 / (double)clock_hz();
    LEAVE(OTHER);
    return t;
}

/* ---- point to point ----------------------------------------------------- */

int MPI_Send(const void *buf, int count, MPI_Datatype datatype, int dest,
             int tag, MPI_Comm comm)
{
    ENTER(SEND);
    MPI_Request r = post_send(buf, count, datatype, dest, tag, comm, 0);
    wait_req(&r, NULL);
    RETURN(SEND);
}

int MPI_Ssend(const void *buf, int count, MPI_Datatype datatype, int dest,
              int tag, MPI_Comm comm)
{
    ENTER(SSEND);
    MPI_Request r =
        post_send(buf, count, datatype, dest, tag, comm, PARSIM_MP_SYNC);
    wait_req(&r, NULL);
    RETURN(SSEND);
}

int MPI_Recv(void *buf, int count, MPI_Datatype datatype, int source,
             int tag, MPI_Comm comm, MPI_Status *status)
{
    ENTER(RECV);
    MPI_Request r = post_recv(buf, count, datatype, source, tag, comm);
    wait_req(&r, status);
    RETURN(RECV);
}

int MPI_Sendrecv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                 int dest, int sendtag, void *recvbuf, int recvcount,
                 MPI_Datatype recvtype, int source, int recvtag,
                 MPI_Comm comm, MPI_Status *status)
{
    ENTER(SENDRECV);
    MPI_Request r = post_recv(recvbuf, recvcount, recvtype, source, recvtag,
                              comm);
    MPI_Request s =
        post_send(sendbuf, sendcount, sendtype, dest, sendtag, comm, 0);
    wait_req(&r, status);
    wait_req(&s, NULL);
    RETURN(SENDRECV);
}

int MPI_Isend(const void *buf, int count, MPI_Datatype datatype, int dest,
              int tag, MPI_Comm comm, MPI_Request *request)
{
    ENTER(ISEND);
    check_ptr(request, "request");
    *request = post_send(buf, count, datatype, dest, tag, comm, 0);
    RETURN(ISEND);
}

int MPI_Irecv(void *buf, int count, MPI_Datatype datatype, int source,
              int tag, MPI_Comm comm, MPI_Request *request)
{
    ENTER(IRECV);
    check_ptr(request, "request");
    *request = post_recv(buf, count, datatype, source, tag, comm);
    RETURN(IRECV);
}

int MPI_Wait(MPI_Request *request, MPI_Status *status)
{
    ENTER(WAIT);
    check_running();
    check_ptr(request, "request");
    wait_req(request, status);
    RETURN(WAIT);
}

int MPI_Waitall(int count, MPI_Request array_of_requests[],
                MPI_Status array_of_statuses[])
{
    ENTER(WAITALL);
    check_running();
    if (count < 0)
        fail("negative count %d", count);
    if (count > 0)
        check_ptr(array_of_requests, "array_of_requests");
    for (int i = 0; i < count; i++)
        wait_req(&array_of_requests[i],
                 array_of_statuses ? &array_of_statuses[i] : NULL);
    RETURN(WAITALL);
}

int MPI_Test(MPI_Request *request, int *flag, MPI_Status *status)
{
    ENTER(TEST);
    check_running();
    check_ptr(request, "request");
    check_ptr(flag, "flag");
    *flag = 1;
    if (*request == MPI_REQUEST_NULL || *request == REQ_PROC_NULL) {
        wait_req(request, status);
    } else {
        parsim_mp_status ps = {0};
        *flag = parsim_mp_test(*request, &ps) != 0;
        if (*flag) {
            set_status(status, ps.source, ps.tag, ps.bytes);
            *request = MPI_REQUEST_NULL;
        }
    }
    RETURN(TEST);
}

/* Probe and Iprobe: status of the first matching message, left queued. */
static int probe(int source, int tag, MPI_Comm comm, MPI_Status *status,
                 int block)
{
    check_running();
    check_comm(comm);
    check_rank(source, "source", 1);
    check_tag(tag, 1);
    if (source == MPI_PROC_NULL) {
        set_status(status, MPI_PROC_NULL, MPI_ANY_TAG, 0);
        return 1;
    }
    parsim_mp_status ps = {0};
    int found = parsim_mp_probe(wire(source), wire(tag), CTX_P2P, &ps, block);
    if (found)
        set_status(status, ps.source, ps.tag, ps.bytes);
    return found != 0;
}

int MPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status *status)
{
    ENTER(PROBE);
    (void)probe(source, tag, comm, status, 1);
    RETURN(PROBE);
}

int MPI_Iprobe(int source, int tag, MPI_Comm comm, int *flag,
               MPI_Status *status)
{
    ENTER(IPROBE);
    check_ptr(flag, "flag");
    *flag = probe(source, tag, comm, status, 0);
    RETURN(IPROBE);
}

int MPI_Get_count(const MPI_Status *status, MPI_Datatype datatype,
                  int *count)
{
    ENTER(GET_COUNT);
    if (!status)
        fail("%s", "status is MPI_STATUS_IGNORE, which has no count");
    check_ptr(count, "count");
    unsigned size = type_size(datatype), bytes = (unsigned)status->parsim_bytes;
    *count = bytes % size ? MPI_UNDEFINED : (int)(bytes / size);
    RETURN(GET_COUNT);
}

/* ---- collectives: the algorithms ---------------------------------------- */

/* Dissemination barrier (Hensgen, Finkel and Manber 1988): in round k
 * every rank sends a zero-byte message to rank + 2^k and waits for one
 * from rank - 2^k (mod P).  After ceil(log2 P) rounds every rank has
 * heard, directly or through others, from every other: P messages per
 * round, P x ceil(log2 P) in all, each round on the critical path. */
static void barrier(int tag)
{
    for (int dist = 1; dist < nranks; dist <<= 1)
        c_sendrecv(&dummy, 0, (me + dist) % nranks, &dummy, 0,
                   (me - dist + nranks) % nranks, tag);
}

/* Binomial-tree broadcast (MPICH's MPIR_Bcast_intra_binomial): with the
 * relative rank v = (rank - root) mod P, a rank receives once, from
 * v - 2^k where 2^k is v's lowest set bit, then sends the whole buffer
 * to v + 2^j for every 2^j below that bit, largest first.  P - 1
 * messages in ceil(log2 P) rounds; the root sends ceil(log2 P) times,
 * one blocking send after the other. */
static void bcast(void *buf, unsigned n, int root, int tag)
{
    int v = (me - root + nranks) % nranks, mask = 1;
    while (mask < nranks) {
        if (v & mask) {
            c_recv(buf, n, (me - mask + nranks) % nranks, tag);
            break;
        }
        mask <<= 1;
    }
    for (mask >>= 1; mask > 0; mask >>= 1)
        if (v + mask < nranks)
            c_send(buf, n, (me + mask) % nranks, tag);
}

/* Binomial-tree reduction (MPICH's MPIR_Reduce_intra_binomial): in
 * round k a rank whose relative rank v has bit k set sends its partial
 * result to v - 2^k and is done; one with bit k clear receives from
 * v + 2^k, if there is one, and combines.  P - 1 messages of the whole
 * buffer in ceil(log2 P) rounds, one combine per message.  Combine order:
 * own partial op child's, so with root 0 and 8 ranks the result is
 * ((x0 op x1) op (x2 op x3)) op ((x4 op x5) op (x6 op x7)). */
static void reduce(const void *sendbuf, void *recvbuf, int count,
                   MPI_Datatype dt, MPI_Op op, int root, unsigned n, int tag)
{
    int v = (me - root + nranks) % nranks;
    const void *acc = sendbuf;          /* own partial so far */
    void *part = me == root ? recvbuf : NULL;
    for (int mask = 1; mask < nranks; mask <<= 1) {
        if (v & mask) {
            c_send(acc, n, (me - mask + nranks) % nranks, tag);
            break;
        }
        if (v + mask < nranks) {
            void *in = scratch(1, n);
            if (!part)
                part = scratch(0, n);
            c_recv(in, n, (me + mask) % nranks, tag);
            combine(part, acc, in, (unsigned)count, dt, op);
            acc = part;
        }
    }
    if (me == root && acc != recvbuf)
        copy(recvbuf, acc, n);
}

/* Recursive-doubling allreduce (MPICH's
 * MPIR_Allreduce_intra_recursive_doubling).  With 2^m the largest power
 * of two <= P and r = P - 2^m, the first 2r ranks fold pairwise first
 * (even rank 2i sends to 2i + 1, which combines) so that 2^m ranks
 * remain; in round k each remaining rank exchanges its whole partial
 * result with the one whose (renumbered) rank differs in bit k, and both
 * combine; at the end each odd rank of the first 2r sends the result
 * back to its even partner.  m rounds (m + 2 when P is not a power of
 * two), every message the whole buffer: latency-optimal, for short
 * vectors.  Both partners combine lower rank op higher rank, so every
 * rank ends with the same bits. */
static void allreduce_rd(void *buf, int count, MPI_Datatype dt, MPI_Op op,
                         unsigned n, int tag)
{
    void *in = scratch(0, n);
    int pof2 = 1;
    while (pof2 * 2 <= nranks)
        pof2 *= 2;
    int rem = nranks - pof2, newrank;
    if (me < 2 * rem) {
        if (me % 2 == 0) {
            c_send(buf, n, me + 1, tag);
            newrank = -1;
        } else {
            c_recv(in, n, me - 1, tag);
            combine(buf, in, buf, (unsigned)count, dt, op);
            newrank = me / 2;
        }
    } else {
        newrank = me - rem;
    }
    if (newrank >= 0) {
        for (int mask = 1; mask < pof2; mask <<= 1) {
            int nd = newrank ^ mask;
            int dst = nd < rem ? nd * 2 + 1 : nd + rem;
            c_sendrecv(buf, n, dst, in, n, dst, tag);
            if (dst < me)
                combine(buf, in, buf, (unsigned)count, dt, op);
            else
                combine(buf, buf, in, (unsigned)count, dt, op);
        }
    }
    if (me < 2 * rem) {
        if (me % 2)
            c_send(buf, n, me - 1, tag);
        else
            c_recv(buf, n, me + 1, tag);
    }
}

/* Chunk c of count elements split into P: the first count % P chunks
 * have one element more. */
static unsigned chunk_off(int count, int c)
{
    int q = count / nranks, r = count % nranks;
    return (unsigned)(c * q + (c < r ? c : r));
}

static unsigned chunk_len(int count, int c)
{
    return (unsigned)(count / nranks + (c < count % nranks));
}

/* Ring allreduce (reduce-scatter then allgather; Patarasuk and Yuan
 * 2009, MPICH's ring algorithm): the vector is cut into P chunks.  In
 * step s of the reduce-scatter rank i sends chunk i - s to rank i + 1,
 * receives chunk i - s - 1 from rank i - 1 and combines it into its own
 * (incoming op own); after P - 1 steps rank i holds the whole reduction
 * of chunk i + 1.  The allgather passes the finished chunks round the
 * ring in P - 1 more steps.  2(P - 1) rounds, each message n / P bytes:
 * every rank sends 2n(P - 1)/P bytes in all, bandwidth-optimal, for
 * long vectors.  Each chunk is reduced once, so all ranks agree. */
static void allreduce_ring(void *buf, int count, MPI_Datatype dt, MPI_Op op,
                           int tag)
{
    unsigned es = type_size(dt);
    int right = (me + 1) % nranks, left = (me - 1 + nranks) % nranks;
    void *in = scratch(0, (unsigned)(count / nranks + 1) * es);
    for (int s = 0; s < nranks - 1; s++) {
        int sc = (me - s + nranks) % nranks;
        int rc = (me - s - 1 + 2 * nranks) % nranks;
        char *mine = at(buf, chunk_off(count, rc) * es);
        c_sendrecv(at(buf, chunk_off(count, sc) * es),
                   chunk_len(count, sc) * es, right, in,
                   chunk_len(count, rc) * es, left, tag);
        combine(mine, in, mine, chunk_len(count, rc), dt, op);
    }
    for (int s = 0; s < nranks - 1; s++) {
        int sc = (me + 1 - s + nranks) % nranks;
        int rc = (me - s + nranks) % nranks;
        c_sendrecv(at(buf, chunk_off(count, sc) * es),
                   chunk_len(count, sc) * es, right,
                   at(buf, chunk_off(count, rc) * es),
                   chunk_len(count, rc) * es, left, tag);
    }
}

/* Recursive-doubling inclusive scan (MPICH's
 * MPIR_Scan_intra_recursive_doubling): each rank keeps a partial (the
 * reduction of its aligned block of 2^k ranks) and its result.  In
 * round k it exchanges partials with rank ^ 2^k (if that exists); both
 * fold the incoming partial into their own partial, and the higher rank
 * also into its result.  ceil(log2 P) rounds, whole-buffer messages,
 * lower ranks' contributions always on the left. */
static void scan(void *recvbuf, int count, MPI_Datatype dt, MPI_Op op,
                 unsigned n, int tag)
{
    void *part = scratch(0, n), *in = scratch(1, n);
    copy(part, recvbuf, n);
    for (int mask = 1; mask < nranks; mask <<= 1) {
        int dst = me ^ mask;
        if (dst >= nranks)
            continue;
        c_sendrecv(part, n, dst, in, n, dst, tag);
        if (dst < me) {
            combine(part, in, part, (unsigned)count, dt, op);
            combine(recvbuf, in, recvbuf, (unsigned)count, dt, op);
        } else {
            combine(part, part, in, (unsigned)count, dt, op);
        }
    }
}

/* Linear scatter: the root posts one send per other rank, in rank
 * order, and waits for all; each other rank receives one block.  P - 1
 * messages, all leaving the root's interface one after the other: the
 * root's injection bandwidth is the limit. */
static void scatter(const void *sendbuf, void *recvbuf, unsigned block,
                    int root, int tag)
{
    if (me != root) {
        c_recv(recvbuf, block, root, tag);
        return;
    }
    int k = 0;
    for (int i = 0; i < nranks; i++)
        if (i != root)
            creq[k++] = c_isend(cat(sendbuf, (unsigned)i * block), block, i,
                                tag);
    if (recvbuf != MPI_IN_PLACE)
        copy(recvbuf, cat(sendbuf, (unsigned)root * block), block);
    for (int i = 0; i < k; i++)
        parsim_mp_wait(creq[i], NULL);
}

/* Linear gather: the root posts one receive per other rank and waits
 * for all; each other rank sends one block.  P - 1 messages converging
 * on the root's interface. */
static void gather(const void *sendbuf, void *recvbuf, unsigned block,
                   int root, int tag)
{
    if (me != root) {
        c_send(sendbuf, block, root, tag);
        return;
    }
    int k = 0;
    for (int i = 0; i < nranks; i++)
        if (i != root)
            creq[k++] = c_irecv(at(recvbuf, (unsigned)i * block), block, i,
                                tag);
    if (sendbuf != MPI_IN_PLACE)
        copy(at(recvbuf, (unsigned)root * block), sendbuf, block);
    for (int i = 0; i < k; i++)
        c_wait_recv(creq[i], block);
}

/* Ring allgather (MPICH's MPIR_Allgather_intra_ring): in step s rank i
 * sends block i - s to rank i + 1 and receives block i - s - 1 from
 * rank i - 1.  P - 1 steps of one block each: every rank sends and
 * receives (P - 1) blocks, over one neighbour link each way. */
static void allgather(const void *sendbuf, void *recvbuf, unsigned block,
                      int tag)
{
    int right = (me + 1) % nranks, left = (me - 1 + nranks) % nranks;
    if (sendbuf != MPI_IN_PLACE)
        copy(at(recvbuf, (unsigned)me * block), sendbuf, block);
    for (int s = 0; s < nranks - 1; s++) {
        int sb = (me - s + nranks) % nranks;
        int rb = (me - s - 1 + 2 * nranks) % nranks;
        c_sendrecv(at(recvbuf, (unsigned)sb * block), block, right,
                   at(recvbuf, (unsigned)rb * block), block, left, tag);
    }
}

/* Alltoall.  Linear (MPICH's "scattered" algorithm without batching):
 * post a receive from every other rank (from rank + 1 on), then a send
 * to every other rank (from rank - 1 down, so that the i-th send of one
 * rank meets the i-th receive of its partner) and wait for all: P - 1
 * messages out of and into every rank, all in flight at once, so their
 * latencies overlap: for small blocks.
 * Pairwise (MPICH's pairwise exchange): P - 1 steps, in step i exchange
 * with rank ^ i when P is a power of two, else send to rank + i and
 * receive from rank - i: one message each way per step, no more than
 * one in flight per rank: for large blocks, where contention costs more
 * than latency. */
static void alltoall(const void *sendbuf, void *recvbuf, unsigned block,
                     int tag)
{
    copy(at(recvbuf, (unsigned)me * block),
           cat(sendbuf, (unsigned)me * block), block);
    int linear = alltoall_alg ? alltoall_alg == 1
                              : block <= ALLTOALL_LINEAR_MAX;
    if (linear) {
        int k = 0;
        for (int i = 1; i < nranks; i++) {
            int src = (me + i) % nranks;
            creq[k++] = c_irecv(at(recvbuf, (unsigned)src * block), block,
                                src, tag);
        }
        for (int i = 1; i < nranks; i++) {
            int dst = (me - i + nranks) % nranks;
            creq[k++] = c_isend(cat(sendbuf, (unsigned)dst * block), block,
                                dst, tag);
        }
        for (int i = 0; i < k; i++)
            if (i < nranks - 1)
                c_wait_recv(creq[i], block);
            else
                parsim_mp_wait(creq[i], NULL);
        return;
    }
    int pof2 = (nranks & (nranks - 1)) == 0;
    for (int i = 1; i < nranks; i++) {
        int src = pof2 ? me ^ i : (me - i + nranks) % nranks;
        int dst = pof2 ? me ^ i : (me + i) % nranks;
        c_sendrecv(cat(sendbuf, (unsigned)dst * block), block, dst,
                   at(recvbuf, (unsigned)src * block), block, src, tag);
    }
}

/* ---- collectives: the calls --------------------------------------------- */

static void check_coll(MPI_Comm comm)
{
    check_running();
    check_comm(comm);
}

/* A block of the rooted and all-to-all collectives: both sides must
 * describe the same number of bytes (the datatypes may differ). */
static unsigned same_block(int sendcount, MPI_Datatype sendtype,
                           int recvcount, MPI_Datatype recvtype)
{
    unsigned sb = bytes_of(sendcount, sendtype);
    unsigned rb = bytes_of(recvcount, recvtype);
    if (sb != rb)
        fail("send block of %u bytes but receive block of %u bytes", sb, rb);
    return sb;
}

int MPI_Barrier(MPI_Comm comm)
{
    ENTER(BARRIER);
    check_coll(comm);
    barrier(PARSIM_MPI_BARRIER);
    RETURN(BARRIER);
}

int MPI_Bcast(void *buffer, int count, MPI_Datatype datatype, int root,
              MPI_Comm comm)
{
    ENTER(BCAST);
    check_coll(comm);
    unsigned n = bytes_of(count, datatype);
    check_root(root);
    bcast(buffer, n, root, PARSIM_MPI_BCAST);
    RETURN(BCAST);
}

int MPI_Reduce(const void *sendbuf, void *recvbuf, int count,
               MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm)
{
    ENTER(REDUCE);
    check_coll(comm);
    unsigned n = bytes_of(count, datatype);
    check_op(op, datatype);
    check_root(root);
    if (sendbuf == MPI_IN_PLACE) {
        if (me != root)
            fail("%s", "MPI_IN_PLACE as sendbuf on a rank other than the root");
        sendbuf = recvbuf;
    }
    reduce(sendbuf, recvbuf, count, datatype, op, root, n, PARSIM_MPI_REDUCE);
    RETURN(REDUCE);
}

int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count,
                  MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    ENTER(ALLREDUCE);
    check_coll(comm);
    unsigned n = bytes_of(count, datatype);
    check_op(op, datatype);
    if (sendbuf != MPI_IN_PLACE)
        copy(recvbuf, sendbuf, n);
    int ring = allreduce_alg ? allreduce_alg == 2
                             : n > ALLREDUCE_RD_MAX && count >= nranks;
    if (ring)
        allreduce_ring(recvbuf, count, datatype, op, PARSIM_MPI_ALLREDUCE);
    else
        allreduce_rd(recvbuf, count, datatype, op, n, PARSIM_MPI_ALLREDUCE);
    RETURN(ALLREDUCE);
}

int MPI_Scatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                void *recvbuf, int recvcount, MPI_Datatype recvtype,
                int root, MPI_Comm comm)
{
    ENTER(SCATTER);
    check_coll(comm);
    check_root(root);
    /* The send side counts at the root only; MPI_IN_PLACE there leaves
     * the root's block where it is. */
    unsigned block;
    if (me != root)
        block = bytes_of(recvcount, recvtype);
    else if (recvbuf == MPI_IN_PLACE)
        block = bytes_of(sendcount, sendtype);
    else
        block = same_block(sendcount, sendtype, recvcount, recvtype);
    scatter(sendbuf, recvbuf, block, root, PARSIM_MPI_SCATTER);
    RETURN(SCATTER);
}

int MPI_Gather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
               void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
               MPI_Comm comm)
{
    ENTER(GATHER);
    check_coll(comm);
    check_root(root);
    unsigned block;
    if (me != root)
        block = bytes_of(sendcount, sendtype);
    else if (sendbuf == MPI_IN_PLACE)
        block = bytes_of(recvcount, recvtype);
    else
        block = same_block(sendcount, sendtype, recvcount, recvtype);
    gather(sendbuf, recvbuf, block, root, PARSIM_MPI_GATHER);
    RETURN(GATHER);
}

int MPI_Allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                  void *recvbuf, int recvcount, MPI_Datatype recvtype,
                  MPI_Comm comm)
{
    ENTER(ALLGATHER);
    check_coll(comm);
    unsigned block = sendbuf == MPI_IN_PLACE
                         ? bytes_of(recvcount, recvtype)
                         : same_block(sendcount, sendtype, recvcount, recvtype);
    allgather(sendbuf, recvbuf, block, PARSIM_MPI_ALLGATHER);
    RETURN(ALLGATHER);
}

int MPI_Alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                 void *recvbuf, int recvcount, MPI_Datatype recvtype,
                 MPI_Comm comm)
{
    ENTER(ALLTOALL);
    check_coll(comm);
    if (sendbuf == MPI_IN_PLACE)
        fail("%s", "MPI_IN_PLACE is not supported by parsim's MPI_Alltoall");
    unsigned block = same_block(sendcount, sendtype, recvcount, recvtype);
    alltoall(sendbuf, recvbuf, block, PARSIM_MPI_ALLTOALL);
    RETURN(ALLTOALL);
}

int MPI_Scan(const void *sendbuf, void *recvbuf, int count,
             MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
{
    ENTER(SCAN);
    check_coll(comm);
    unsigned n = bytes_of(count, datatype);
    check_op(op, datatype);
    if (sendbuf != MPI_IN_PLACE)
        copy(recvbuf, sendbuf, n);
    scan(recvbuf, count, datatype, op, n, PARSIM_MPI_SCAN);
    RETURN(SCAN);
}
