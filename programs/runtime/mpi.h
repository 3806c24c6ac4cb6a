/* mpi.h — parsim's MPI: the subset of MPI-3 a parallel programming course
 * uses (docs/mpi.md), written on the message-passing services of
 * parsim_mp.h.  A program that uses only this subset compiles unchanged
 * with a real mpicc (Open MPI, MPICH) and prints the same results.
 *
 *   start/stop   MPI_Init MPI_Initialized MPI_Finalize MPI_Abort
 *   who/when     MPI_Comm_rank MPI_Comm_size MPI_Get_processor_name
 *                MPI_Wtime MPI_Wtick (simulated time: cycles / clock)
 *   point to point  MPI_Send MPI_Ssend MPI_Recv MPI_Sendrecv MPI_Isend
 *                MPI_Irecv MPI_Wait MPI_Waitall MPI_Test MPI_Probe
 *                MPI_Iprobe MPI_Get_count
 *   collectives  MPI_Barrier MPI_Bcast MPI_Reduce MPI_Allreduce
 *                MPI_Scatter MPI_Gather MPI_Allgather MPI_Alltoall
 *                MPI_Scan
 *
 * MPI_Init(&argc, &argv) leaves argv as it is: argv[0] the program,
 * argv[1] its first argument, as under mpirun.
 *
 * One communicator, MPI_COMM_WORLD; one thread per rank calls MPI
 * (MPI_THREAD_SINGLE).  Errors are fatal (MPI's default
 * MPI_ERRORS_ARE_FATAL): a wrong argument ends the run with one line
 * naming the rank, the call, its source line and what is wrong, so every
 * function that returns returns MPI_SUCCESS.  Tags are 0..32767, the
 * smallest MPI_TAG_UB the standard allows, so that a program that runs
 * here runs on any MPI.  Reductions accept the datatypes the standard
 * gives each operation (MPI-3.1 section 5.9.2): MPI_CHAR none, MPI_BYTE the
 * bitwise ones, floating point the arithmetic ones, integers all.
 *
 * How it maps onto the machine: point-to-point messages travel in
 * context 0 with the program's tags; every collective is built from
 * point-to-point messages in context 1 (so they never match a user's
 * receive) with tag = the PARSIM_MPI_* number of the collective (so a
 * trace can tell a broadcast's messages from a barrier's).  The
 * algorithms and their costs are in mpi.c and docs/mpi.md.
 *
 * Calls outside the subset (communicator splitting, derived datatypes,
 * the v-collectives, one-sided ...) are declared so that using one is a
 * compile error naming the call and the line.
 *
 * May depend on: the C library only (mpi.c includes parsim_mp.h).
 */
#ifndef PARSIM_MPI_H
#define PARSIM_MPI_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---- types and constants ----------------------------------------------- */

typedef int MPI_Comm;
typedef int MPI_Datatype;
typedef int MPI_Op;
typedef int MPI_Request;

typedef struct MPI_Status {
    int MPI_SOURCE;
    int MPI_TAG;
    int MPI_ERROR;
    int parsim_bytes;           /* private: bytes received (MPI_Get_count) */
} MPI_Status;

#define MPI_SUCCESS 0

#define MPI_COMM_WORLD ((MPI_Comm)0)
#define MPI_REQUEST_NULL ((MPI_Request)0)

/* Datatypes and operations live in separate ranges, so that one passed
 * for the other is reported as such.  mpi.c's tables are indexed by
 * value - base. */
#define MPI_DATATYPE_NULL ((MPI_Datatype)0)
#define MPI_CHAR ((MPI_Datatype)0x101)
#define MPI_BYTE ((MPI_Datatype)0x102)
#define MPI_INT ((MPI_Datatype)0x103)
#define MPI_UNSIGNED ((MPI_Datatype)0x104)
#define MPI_LONG ((MPI_Datatype)0x105)
#define MPI_LONG_LONG ((MPI_Datatype)0x106)
#define MPI_LONG_LONG_INT MPI_LONG_LONG      /* the standard's other name */
#define MPI_FLOAT ((MPI_Datatype)0x107)
#define MPI_DOUBLE ((MPI_Datatype)0x108)

#define MPI_OP_NULL ((MPI_Op)0)
#define MPI_SUM ((MPI_Op)0x201)
#define MPI_PROD ((MPI_Op)0x202)
#define MPI_MAX ((MPI_Op)0x203)
#define MPI_MIN ((MPI_Op)0x204)
#define MPI_LAND ((MPI_Op)0x205)
#define MPI_LOR ((MPI_Op)0x206)
#define MPI_BAND ((MPI_Op)0x207)
#define MPI_BOR ((MPI_Op)0x208)

/* The values Open MPI and MPICH use, so that printed ones agree. */
#define MPI_ANY_SOURCE (-1)
#define MPI_ANY_TAG (-1)
#define MPI_PROC_NULL (-2)
#define MPI_UNDEFINED (-32766)

#define MPI_STATUS_IGNORE ((MPI_Status *)0)
#define MPI_STATUSES_IGNORE ((MPI_Status *)0)
#define MPI_IN_PLACE ((void *)1)

#define MPI_MAX_PROCESSOR_NAME 64

/* ---- the subset ---------------------------------------------------------- */

int MPI_Init(int *argc, char ***argv);
int MPI_Initialized(int *flag);
int MPI_Finalize(void);
int MPI_Abort(MPI_Comm comm, int errorcode);

int MPI_Comm_rank(MPI_Comm comm, int *rank);
int MPI_Comm_size(MPI_Comm comm, int *size);
int MPI_Get_processor_name(char *name, int *resultlen);
double MPI_Wtime(void);
double MPI_Wtick(void);

int MPI_Send(const void *buf, int count, MPI_Datatype datatype, int dest,
             int tag, MPI_Comm comm);
int MPI_Ssend(const void *buf, int count, MPI_Datatype datatype, int dest,
              int tag, MPI_Comm comm);
int MPI_Recv(void *buf, int count, MPI_Datatype datatype, int source,
             int tag, MPI_Comm comm, MPI_Status *status);
int MPI_Sendrecv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                 int dest, int sendtag, void *recvbuf, int recvcount,
                 MPI_Datatype recvtype, int source, int recvtag,
                 MPI_Comm comm, MPI_Status *status);
int MPI_Isend(const void *buf, int count, MPI_Datatype datatype, int dest,
              int tag, MPI_Comm comm, MPI_Request *request);
int MPI_Irecv(void *buf, int count, MPI_Datatype datatype, int source,
              int tag, MPI_Comm comm, MPI_Request *request);
int MPI_Wait(MPI_Request *request, MPI_Status *status);
int MPI_Waitall(int count, MPI_Request array_of_requests[],
                MPI_Status array_of_statuses[]);
int MPI_Test(MPI_Request *request, int *flag, MPI_Status *status);
int MPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status *status);
int MPI_Iprobe(int source, int tag, MPI_Comm comm, int *flag,
               MPI_Status *status);
int MPI_Get_count(const MPI_Status *status, MPI_Datatype datatype,
                  int *count);

int MPI_Barrier(MPI_Comm comm);
int MPI_Bcast(void *buffer, int count, MPI_Datatype datatype, int root,
              MPI_Comm comm);
int MPI_Reduce(const void *sendbuf, void *recvbuf, int count,
               MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm);
int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count,
                  MPI_Datatype datatype, MPI_Op op, MPI_Comm comm);
int MPI_Scatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                void *recvbuf, int recvcount, MPI_Datatype recvtype,
                int root, MPI_Comm comm);
int MPI_Gather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
               void *recvbuf, int recvcount, MPI_Datatype recvtype, int root,
               MPI_Comm comm);
int MPI_Allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                  void *recvbuf, int recvcount, MPI_Datatype recvtype,
                  MPI_Comm comm);
int MPI_Alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                 void *recvbuf, int recvcount, MPI_Datatype recvtype,
                 MPI_Comm comm);
int MPI_Scan(const void *sendbuf, void *recvbuf, int count,
             MPI_Datatype datatype, MPI_Op op, MPI_Comm comm);

/* ---- outside the subset: a compile error where called ----------------------
 * With the standard's parameter lists, so that the message is this one and
 * not a type mismatch.  The types and constants below exist only so that
 * such a call gets as far as this message. */

typedef long MPI_Aint;
typedef int MPI_Info;
typedef int MPI_Win;
typedef int MPI_Group;
typedef int MPI_Errhandler;
typedef void MPI_User_function(void *invec, void *inoutvec, int *len,
                               MPI_Datatype *datatype);
#define MPI_INFO_NULL ((MPI_Info)0)
#define MPI_ERRORS_ARE_FATAL ((MPI_Errhandler)1)
#define MPI_ERRORS_RETURN ((MPI_Errhandler)2)
#define MPI_THREAD_SINGLE 0
#define MPI_THREAD_FUNNELED 1
#define MPI_THREAD_SERIALIZED 2
#define MPI_THREAD_MULTIPLE 3

#define PARSIM_MPI_OUTSIDE(name) \
    __attribute__((error(#name " is not in parsim's MPI subset (docs/mpi.md)")))

int MPI_Init_thread(int *argc, char ***argv, int required, int *provided)
    PARSIM_MPI_OUTSIDE(MPI_Init_thread);
int MPI_Finalized(int *flag) PARSIM_MPI_OUTSIDE(MPI_Finalized);
int MPI_Comm_split(MPI_Comm comm, int color, int key, MPI_Comm *newcomm)
    PARSIM_MPI_OUTSIDE(MPI_Comm_split);
int MPI_Comm_dup(MPI_Comm comm, MPI_Comm *newcomm)
    PARSIM_MPI_OUTSIDE(MPI_Comm_dup);
int MPI_Comm_create(MPI_Comm comm, MPI_Group group, MPI_Comm *newcomm)
    PARSIM_MPI_OUTSIDE(MPI_Comm_create);
int MPI_Comm_group(MPI_Comm comm, MPI_Group *group)
    PARSIM_MPI_OUTSIDE(MPI_Comm_group);
int MPI_Comm_free(MPI_Comm *comm) PARSIM_MPI_OUTSIDE(MPI_Comm_free);
int MPI_Comm_set_errhandler(MPI_Comm comm, MPI_Errhandler errhandler)
    PARSIM_MPI_OUTSIDE(MPI_Comm_set_errhandler);
int MPI_Error_string(int errorcode, char *string, int *resultlen)
    PARSIM_MPI_OUTSIDE(MPI_Error_string);
int MPI_Type_contiguous(int count, MPI_Datatype oldtype,
                        MPI_Datatype *newtype)
    PARSIM_MPI_OUTSIDE(MPI_Type_contiguous);
int MPI_Type_vector(int count, int blocklength, int stride,
                    MPI_Datatype oldtype, MPI_Datatype *newtype)
    PARSIM_MPI_OUTSIDE(MPI_Type_vector);
int MPI_Type_indexed(int count, const int array_of_blocklengths[],
                     const int array_of_displacements[],
                     MPI_Datatype oldtype, MPI_Datatype *newtype)
    PARSIM_MPI_OUTSIDE(MPI_Type_indexed);
int MPI_Type_create_struct(int count, const int array_of_blocklengths[],
                           const MPI_Aint array_of_displacements[],
                           const MPI_Datatype array_of_types[],
                           MPI_Datatype *newtype)
    PARSIM_MPI_OUTSIDE(MPI_Type_create_struct);
int MPI_Type_commit(MPI_Datatype *datatype)
    PARSIM_MPI_OUTSIDE(MPI_Type_commit);
int MPI_Type_free(MPI_Datatype *datatype) PARSIM_MPI_OUTSIDE(MPI_Type_free);
int MPI_Type_size(MPI_Datatype datatype, int *size)
    PARSIM_MPI_OUTSIDE(MPI_Type_size);
int MPI_Op_create(MPI_User_function *user_fn, int commute, MPI_Op *op)
    PARSIM_MPI_OUTSIDE(MPI_Op_create);
int MPI_Bsend(const void *buf, int count, MPI_Datatype datatype, int dest,
              int tag, MPI_Comm comm) PARSIM_MPI_OUTSIDE(MPI_Bsend);
int MPI_Rsend(const void *buf, int count, MPI_Datatype datatype, int dest,
              int tag, MPI_Comm comm) PARSIM_MPI_OUTSIDE(MPI_Rsend);
int MPI_Issend(const void *buf, int count, MPI_Datatype datatype, int dest,
               int tag, MPI_Comm comm, MPI_Request *request)
    PARSIM_MPI_OUTSIDE(MPI_Issend);
int MPI_Buffer_attach(void *buffer, int size)
    PARSIM_MPI_OUTSIDE(MPI_Buffer_attach);
int MPI_Buffer_detach(void *buffer_addr, int *size)
    PARSIM_MPI_OUTSIDE(MPI_Buffer_detach);
int MPI_Sendrecv_replace(void *buf, int count, MPI_Datatype datatype,
                         int dest, int sendtag, int source, int recvtag,
                         MPI_Comm comm, MPI_Status *status)
    PARSIM_MPI_OUTSIDE(MPI_Sendrecv_replace);
int MPI_Send_init(const void *buf, int count, MPI_Datatype datatype,
                  int dest, int tag, MPI_Comm comm, MPI_Request *request)
    PARSIM_MPI_OUTSIDE(MPI_Send_init);
int MPI_Recv_init(void *buf, int count, MPI_Datatype datatype, int source,
                  int tag, MPI_Comm comm, MPI_Request *request)
    PARSIM_MPI_OUTSIDE(MPI_Recv_init);
int MPI_Start(MPI_Request *request) PARSIM_MPI_OUTSIDE(MPI_Start);
int MPI_Startall(int count, MPI_Request array_of_requests[])
    PARSIM_MPI_OUTSIDE(MPI_Startall);
int MPI_Cancel(MPI_Request *request) PARSIM_MPI_OUTSIDE(MPI_Cancel);
int MPI_Request_free(MPI_Request *request)
    PARSIM_MPI_OUTSIDE(MPI_Request_free);
int MPI_Waitany(int count, MPI_Request array_of_requests[], int *index,
                MPI_Status *status) PARSIM_MPI_OUTSIDE(MPI_Waitany);
int MPI_Waitsome(int incount, MPI_Request array_of_requests[],
                 int *outcount, int array_of_indices[],
                 MPI_Status array_of_statuses[])
    PARSIM_MPI_OUTSIDE(MPI_Waitsome);
int MPI_Testall(int count, MPI_Request array_of_requests[], int *flag,
                MPI_Status array_of_statuses[])
    PARSIM_MPI_OUTSIDE(MPI_Testall);
int MPI_Testany(int count, MPI_Request array_of_requests[], int *index,
                int *flag, MPI_Status *status)
    PARSIM_MPI_OUTSIDE(MPI_Testany);
int MPI_Testsome(int incount, MPI_Request array_of_requests[],
                 int *outcount, int array_of_indices[],
                 MPI_Status array_of_statuses[])
    PARSIM_MPI_OUTSIDE(MPI_Testsome);
int MPI_Gatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                void *recvbuf, const int recvcounts[], const int displs[],
                MPI_Datatype recvtype, int root, MPI_Comm comm)
    PARSIM_MPI_OUTSIDE(MPI_Gatherv);
int MPI_Scatterv(const void *sendbuf, const int sendcounts[],
                 const int displs[], MPI_Datatype sendtype, void *recvbuf,
                 int recvcount, MPI_Datatype recvtype, int root,
                 MPI_Comm comm) PARSIM_MPI_OUTSIDE(MPI_Scatterv);
int MPI_Allgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype,
                   void *recvbuf, const int recvcounts[], const int displs[],
                   MPI_Datatype recvtype, MPI_Comm comm)
    PARSIM_MPI_OUTSIDE(MPI_Allgatherv);
int MPI_Alltoallv(const void *sendbuf, const int sendcounts[],
                  const int sdispls[], MPI_Datatype sendtype, void *recvbuf,
                  const int recvcounts[], const int rdispls[],
                  MPI_Datatype recvtype, MPI_Comm comm)
    PARSIM_MPI_OUTSIDE(MPI_Alltoallv);
int MPI_Reduce_scatter(const void *sendbuf, void *recvbuf,
                       const int recvcounts[], MPI_Datatype datatype,
                       MPI_Op op, MPI_Comm comm)
    PARSIM_MPI_OUTSIDE(MPI_Reduce_scatter);
int MPI_Reduce_scatter_block(const void *sendbuf, void *recvbuf,
                             int recvcount, MPI_Datatype datatype, MPI_Op op,
                             MPI_Comm comm)
    PARSIM_MPI_OUTSIDE(MPI_Reduce_scatter_block);
int MPI_Exscan(const void *sendbuf, void *recvbuf, int count,
               MPI_Datatype datatype, MPI_Op op, MPI_Comm comm)
    PARSIM_MPI_OUTSIDE(MPI_Exscan);
int MPI_Ibarrier(MPI_Comm comm, MPI_Request *request)
    PARSIM_MPI_OUTSIDE(MPI_Ibarrier);
int MPI_Ibcast(void *buffer, int count, MPI_Datatype datatype, int root,
               MPI_Comm comm, MPI_Request *request)
    PARSIM_MPI_OUTSIDE(MPI_Ibcast);
int MPI_Iallreduce(const void *sendbuf, void *recvbuf, int count,
                   MPI_Datatype datatype, MPI_Op op, MPI_Comm comm,
                   MPI_Request *request) PARSIM_MPI_OUTSIDE(MPI_Iallreduce);
int MPI_Ireduce(const void *sendbuf, void *recvbuf, int count,
                MPI_Datatype datatype, MPI_Op op, int root, MPI_Comm comm,
                MPI_Request *request) PARSIM_MPI_OUTSIDE(MPI_Ireduce);
int MPI_Dims_create(int nnodes, int ndims, int dims[])
    PARSIM_MPI_OUTSIDE(MPI_Dims_create);
int MPI_Cart_create(MPI_Comm comm_old, int ndims, const int dims[],
                    const int periods[], int reorder, MPI_Comm *comm_cart)
    PARSIM_MPI_OUTSIDE(MPI_Cart_create);
int MPI_Cart_coords(MPI_Comm comm, int rank, int maxdims, int coords[])
    PARSIM_MPI_OUTSIDE(MPI_Cart_coords);
int MPI_Cart_rank(MPI_Comm comm, const int coords[], int *rank)
    PARSIM_MPI_OUTSIDE(MPI_Cart_rank);
int MPI_Cart_shift(MPI_Comm comm, int direction, int disp, int *rank_source,
                   int *rank_dest) PARSIM_MPI_OUTSIDE(MPI_Cart_shift);
int MPI_Win_create(void *base, MPI_Aint size, int disp_unit, MPI_Info info,
                   MPI_Comm comm, MPI_Win *win)
    PARSIM_MPI_OUTSIDE(MPI_Win_create);
int MPI_Win_free(MPI_Win *win) PARSIM_MPI_OUTSIDE(MPI_Win_free);
int MPI_Win_fence(int assert, MPI_Win win) PARSIM_MPI_OUTSIDE(MPI_Win_fence);
int MPI_Put(const void *origin_addr, int origin_count,
            MPI_Datatype origin_datatype, int target_rank,
            MPI_Aint target_disp, int target_count,
            MPI_Datatype target_datatype, MPI_Win win)
    PARSIM_MPI_OUTSIDE(MPI_Put);
int MPI_Get(void *origin_addr, int origin_count,
            MPI_Datatype origin_datatype, int target_rank,
            MPI_Aint target_disp, int target_count,
            MPI_Datatype target_datatype, MPI_Win win)
    PARSIM_MPI_OUTSIDE(MPI_Get);
int MPI_Accumulate(const void *origin_addr, int origin_count,
                   MPI_Datatype origin_datatype, int target_rank,
                   MPI_Aint target_disp, int target_count,
                   MPI_Datatype target_datatype, MPI_Op op, MPI_Win win)
    PARSIM_MPI_OUTSIDE(MPI_Accumulate);

#undef PARSIM_MPI_OUTSIDE

#ifdef __cplusplus
}
#endif

#endif
