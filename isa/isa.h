/* isa.h — the RV32IMAFC + Zicsr + Zifencei instruction set: decode,
 * execute, disassemble.
 *
 * Pure: knows harts' architectural registers and one flat memory, nothing
 * about caches, threads, host I/O or what a cycle means.  The environment
 * (sim/) says how many cycles each instruction class costs and may attach a
 * hook that sees every data access (the timing seam); the ISA just adds up.
 *
 * May depend on: the C library (and <fenv.h> in fpu.c).  Nothing else.
 */
#ifndef PARSIM_ISA_H
#define PARSIM_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISA_WARN_UNUSED __attribute__((warn_unused_result))

/* ---- Operations --------------------------------------------------------- */

typedef enum IsaOp {
    ISA_OP_ILLEGAL = 0,
#define INSN(name, match, mask, fmt, cls) ISA_OP_##name,
#include "insns.def"
#undef INSN
    ISA_OP_COUNT
} IsaOp;

typedef enum IsaFmt {
    ISA_FMT_R, ISA_FMT_I, ISA_FMT_S, ISA_FMT_B, ISA_FMT_U, ISA_FMT_J,
    ISA_FMT_SH, ISA_FMT_CSR, ISA_FMT_CSRI, ISA_FMT_R4, ISA_FMT_A,
    ISA_FMT_FENCE, ISA_FMT_NONE
} IsaFmt;

/* Timing classes: the environment charges cost[class] cycles per
 * instruction (loads/stores also pay what the access hook answers). */
typedef enum IsaClass {
    ISA_CLASS_ALU, ISA_CLASS_BRANCH, ISA_CLASS_JUMP, ISA_CLASS_LOAD,
    ISA_CLASS_STORE, ISA_CLASS_AMO, ISA_CLASS_MUL, ISA_CLASS_DIV,
    ISA_CLASS_FADD, ISA_CLASS_FMUL, ISA_CLASS_FFMA, ISA_CLASS_FDIV,
    ISA_CLASS_FSQRT, ISA_CLASS_FCVT, ISA_CLASS_FMISC, ISA_CLASS_SYSTEM,
    ISA_CLASS_COUNT
} IsaClass;

typedef struct IsaOpInfo {
    const char *name;     /* objdump spelling, e.g. "fcvt.w.s" */
    uint32_t match, mask;
    uint8_t fmt;          /* IsaFmt */
    uint8_t cls;          /* IsaClass */
} IsaOpInfo;

/* Table indexed by IsaOp (entry 0 is the illegal op). */
extern const IsaOpInfo isa_op_info[ISA_OP_COUNT];

/* ---- Decoded instructions ----------------------------------------------- */

/* One decoded instruction.  Compressed instructions are decoded through
 * their 32-bit expansion: op and operands are those of the expansion, len
 * is 2 and raw holds the original 16 bits. */
typedef struct IsaInsn {
    uint16_t op;          /* IsaOp */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;           /* rounding-mode field (F), aq/rl (A), or 0 */
    uint8_t len;          /* 2 or 4 */
    uint8_t cls;          /* IsaClass */
    int32_t imm;          /* sign-extended immediate; CSR number for CSR fmts;
                             zimm in rs1 for CSRI; shamt for SH */
    uint32_t raw;         /* the instruction word as fetched */
} IsaInsn;

/* Decode one instruction word.  If the low two bits are not 0b11 only the
 * low 16 bits are used (RVC).  Returns false for an illegal encoding, in
 * which case out->op is ISA_OP_ILLEGAL and out->raw/len are still set. */
bool isa_decode(uint32_t raw, IsaInsn *out);

/* Expand a 16-bit RVC instruction (RV32FC) to its 32-bit equivalent;
 * returns 0 when the encoding is illegal or reserved. */
uint32_t isa_rvc_expand(uint16_t c);

/* ---- Harts -------------------------------------------------------------- */

/* CSR numbers parsim implements (machine mode only). */
enum {
    ISA_CSR_FFLAGS = 0x001, ISA_CSR_FRM = 0x002, ISA_CSR_FCSR = 0x003,
    ISA_CSR_CYCLE = 0xc00, ISA_CSR_TIME = 0xc01, ISA_CSR_INSTRET = 0xc02,
    ISA_CSR_CYCLEH = 0xc80, ISA_CSR_TIMEH = 0xc81, ISA_CSR_INSTRETH = 0xc82,
    ISA_CSR_MSTATUS = 0x300, ISA_CSR_MISA = 0x301, ISA_CSR_MIE = 0x304,
    ISA_CSR_MTVEC = 0x305, ISA_CSR_MSTATUSH = 0x310,
    ISA_CSR_MSCRATCH = 0x340, ISA_CSR_MEPC = 0x341, ISA_CSR_MCAUSE = 0x342,
    ISA_CSR_MTVAL = 0x343, ISA_CSR_MIP = 0x344,
    ISA_CSR_MCYCLE = 0xb00, ISA_CSR_MINSTRET = 0xb02,
    ISA_CSR_MCYCLEH = 0xb80, ISA_CSR_MINSTRETH = 0xb82,
    ISA_CSR_MVENDORID = 0xf11, ISA_CSR_MARCHID = 0xf12,
    ISA_CSR_MIMPID = 0xf13, ISA_CSR_MHARTID = 0xf14,
    /* parsim's SIMT lanes (the GPU array): read-only custom machine CSRs,
     * ISA_SIMT_CSR_COUNT of them from here, read from IsaHart.simt_csr
     * (threadIdx.xyz, blockIdx.xyz, blockDim.xyz, gridDim.xyz, warpSize,
     * the lane, the warp: programs/runtime/parsim_gpu.h).  On a hart that
     * is not a lane they do not exist (an illegal instruction). */
    ISA_CSR_SIMT_FIRST = 0xfc0
};

#define ISA_SIMT_CSR_COUNT 15

/* Exception causes (mcause values, privileged spec table 3.6). */
enum {
    ISA_CAUSE_FETCH_MISALIGNED = 0, ISA_CAUSE_FETCH_ACCESS = 1,
    ISA_CAUSE_ILLEGAL = 2, ISA_CAUSE_BREAKPOINT = 3,
    ISA_CAUSE_LOAD_MISALIGNED = 4, ISA_CAUSE_LOAD_ACCESS = 5,
    ISA_CAUSE_STORE_MISALIGNED = 6, ISA_CAUSE_STORE_ACCESS = 7,
    ISA_CAUSE_ECALL_M = 11,
    /* Not an architectural exception: a store while sp lies in the
     * hart's stack guard (IsaHart.stack_lo/stack_guard), i.e. its stack
     * has grown past its limit.  Cause 24 is in the custom range; parsim
     * reports it and never delivers it to the guest. */
    ISA_CAUSE_STACK_OVERFLOW = 24
};

/* fflags bits */
enum { ISA_FFLAG_NX = 1, ISA_FFLAG_UF = 2, ISA_FFLAG_OF = 4, ISA_FFLAG_DZ = 8,
       ISA_FFLAG_NV = 16 };

typedef struct IsaDecodeCache IsaDecodeCache;

/* The last ISA_UNDO instructions a hart began, each with what it was
 * before it (its pc, clock and count, the register it may write), so
 * that it can be seen as it was at an earlier cycle (isa_hart_at): how a
 * viewer shows a hart that ran a few cycles past the machine's time.  Off
 * (IsaHart.undo NULL) unless someone asks; on, it costs a few stores an
 * instruction. */
#define ISA_UNDO 512u                 /* a power of two */
typedef struct IsaUndo {
    uint64_t cycle, instret;
    uint32_t pc;
    uint32_t old;                 /* x[rd] before */
    uint8_t rd;                   /* a0 for an ecall (the service's) */
} IsaUndo;

/* All architectural state of one hart in one plain struct (easy to
 * snapshot).  x[0] is kept at zero by the executor. */
typedef struct IsaHart {
    uint32_t x[32];
    uint32_t f[32];           /* single-precision bit patterns */
    uint32_t pc;
    uint32_t fcsr;            /* frm in bits 7:5, fflags in bits 4:0 */
    uint64_t cycle;           /* local clock, read by rdcycle/mcycle */
    uint64_t instret;         /* retired instructions, rdinstret/minstret */
    uint32_t hartid;          /* the machine's index of the hart */
    uint32_t mhartid;         /* what mhartid reads: hartid, or its index
                                 within its node when nodes are separate
                                 machines (ranks) */
    uint32_t marchid;         /* marchid: the environment names itself */
    uint32_t mstatus, mie, mip, mtvec, mscratch, mepc, mcause, mtval;
    /* Stack guard: a store while stack_lo <= sp < stack_lo + stack_guard
     * traps with ISA_CAUSE_STACK_OVERFLOW (the stack has grown into the
     * region below its limit).  stack_guard 0: no guard. */
    uint32_t stack_lo, stack_guard;
    /* A breakpoint at this pc lets the hart by once (set by whoever
     * resumes it after the stop; ISA_NO_PC: none). */
    uint32_t brk_resume;
    /* The LR/SC reservation (exec.c, "Reservations"): the word LR read,
     * what it read there, and its set's kill generation then.
     * resv_valid: the hart has one, which a write may since have killed
     * (the generation says). */
    uint32_t resv_addr;
    uint32_t resv_value;
    uint32_t resv_gen;
    bool resv_valid;
    IsaDecodeCache *dc;       /* owned; see isa_hart_init/isa_hart_free */
    const uint32_t *simt_csr; /* a SIMT lane's ISA_SIMT_CSR_COUNT read-only
                                 CSRs, or NULL (every other hart) */
    uint64_t class_count[ISA_CLASS_COUNT];  /* retired, per timing class */
    IsaUndo *undo;            /* ISA_UNDO entries, or NULL (not owned) */
    uint64_t undo_next;       /* instructions begun with undo on */
    /* The access hook's hit filter for this hart (IsaHitFilter), or
     * NULL; looked at only while the environment says (hit_filter). */
    struct IsaHitFilter *hits;
} IsaHart;

/* What a hart was at `cycle` (at most its clock): before every
 * instruction it began at or after that cycle, from its undo ring.  The
 * integer registers, pc, clock and count; false when the ring does not
 * reach back that far (or is off): *out is then the hart as it is.
 * `undone`: instructions taken back. */
typedef struct IsaHartView {
    uint32_t x[32];
    uint32_t pc;
    uint64_t cycle, instret;
    uint32_t undone;
} IsaHartView;
bool isa_hart_at(const IsaHart *h, uint64_t cycle, IsaHartView *out);

/* ---- Memory and environment --------------------------------------------- */

/* One flat little-endian RAM of `size` bytes at guest address `base`.
 * Data values live here and nowhere else; atomics are host atomics on it,
 * and every plain guest load and store is a relaxed host atomic access
 * (the same mov on x86), so several harts on several host threads may
 * share one IsaMem without a data race in the host's C memory model:
 * a racy guest program races in the guest, not in parsim. */
/* LR/SC reservations.  A hart's LR reserves the naturally aligned
 * reservation set (IsaMem.resv_bytes) around the word it reads; a store,
 * AMO or successful SC into that set (another hart's or its own), or a
 * write by the environment (isa_mem_write, isa_mem_wrote), kills the
 * reservation, and
 * the hart's SC then fails, even if the word holds again what LR read
 * (ABA).  Reservations are counted in buckets by a hash of their set
 * (exec.c, "Reservations"); a bucket is the unit of locking and of
 * killing. */
#define ISA_RESV_BYTES_DEFAULT 64u        /* a cache line */
#define ISA_RESV_BYTES_MIN 4u
#define ISA_RESV_BYTES_MAX 4096u
#define ISA_RESV_BUCKET_BITS 8
#define ISA_RESV_BUCKETS (1u << ISA_RESV_BUCKET_BITS)

typedef struct IsaResvBucket {
    uint32_t lock;        /* a spin lock, held for a few instructions */
    uint32_t gen;         /* kills so far: a reservation of an older one
                             is dead */
    uint32_t holders;     /* live reservations (of generation gen) */
    uint32_t set;         /* their set (address / resv_bytes), or
                             ISA_RESV_MIXED when they are on several */
} IsaResvBucket;

#define ISA_RESV_MIXED 0xffffffffu

typedef struct IsaMem {
    uint8_t *ram;
    uint32_t base;
    uint32_t size;
    /* One bit per 256-byte block of RAM that holds decoded instructions.
     * A store into a marked block bumps code_gen, and every hart drops its
     * decoded instructions of that block (its own at once, the others'
     * at their next isa_run). */
    uint8_t *code_map;
    uint32_t code_gen;
    /* Bytes of a reservation set: a power of two, ISA_RESV_BYTES_MIN ..
     * ISA_RESV_BYTES_MAX; 0 is ISA_RESV_BYTES_DEFAULT.  Set it before any
     * hart runs. */
    uint32_t resv_bytes;
    /* Live reservations in all buckets: while it is 0 a store costs one
     * load and a predictable branch more, and nothing else. */
    uint32_t resv_live;
    IsaResvBucket resv[ISA_RESV_BUCKETS];
} IsaMem;

#define ISA_CODE_BLOCK_SHIFT 8

typedef enum IsaAccessKind {
    ISA_ACC_LOAD, ISA_ACC_STORE, ISA_ACC_AMO, ISA_ACC_LR, ISA_ACC_SC,
    ISA_ACC_FENCE             /* a fence: no address (0), size 0; a model
                                 with a store buffer makes it wait */
} IsaAccessKind;

/* Timing seam: called for every data access before it is performed
 * (h->cycle is the cycle it issues at); returns the extra cycles it
 * costs beyond cost[class], or ISA_ACCESS_DEFER: not yet (another hart
 * may still issue an earlier request), and isa_run then stops before the
 * instruction, as at a cycle limit, with nothing of it done. */
#define ISA_ACCESS_DEFER 0xffffffffu
typedef uint32_t (*IsaAccessFn)(void *ctx, const IsaHart *h, uint32_t addr,
                                unsigned size, IsaAccessKind kind);

/* Hit seam: the access hook's own hit filter, which the interpreter
 * (the block engine, isa_run's loop) looks at before it calls the hook
 * (ZSim's filter cache, without the call).  The timing model keeps per
 * hart a direct-mapped table of the lines whose load (and, unless wcount
 * is ISA_HIT_NO_COUNT, whose store) is a hit that changes nothing but an
 * order and some counts.  An access within one such line, issued while
 * the hart's clock is below *until, is then done here exactly as the
 * hook would do it (isa_hit_take), and costs `latency` cycles; anything
 * else goes to the hook.  The model drops an entry before anything
 * changes what it says (the line's state, its way, its node in the
 * order).  Lines are addressed as the model sees them:
 * (address & addr_mask) | tag. */
#define ISA_HIT_NONE 1u             /* an empty entry (lines are aligned) */
#define ISA_HIT_NO_COUNT 0xffffu    /* a store does not hit */
typedef struct IsaHitLine {
    uint32_t line;
    uint16_t wcount;          /* a store's counter in count[] */
    uint64_t *stamp;          /* the way's: set to the next *seq by a hit */
    uint64_t *order;          /* the classifier's node's stamp: the same */
    uint64_t *rcounter;       /* a load's counter (in count[]) */
} IsaHitLine;
_Static_assert(sizeof(IsaHitLine) == 32, "a filter entry is 32 bytes");
typedef struct IsaHitFilter {
    IsaHitLine *e;            /* index_mask + 1 entries */
    uint32_t shift;           /* log2 of the line size */
    uint32_t line_mask;       /* ~(line size - 1) */
    uint32_t index_mask;
    uint32_t addr_mask, tag;
    uint32_t latency;
    const uint64_t *until;    /* hits only at a clock below this */
    uint64_t *seq;            /* the stamps' source */
    uint32_t *last;           /* set to the line by each hit */
    uint64_t *count;          /* the entries' counters */
    uint64_t hits[2];         /* loads, stores that hit here */
    uint64_t busy_until;      /* the hart's last access's end (the hook
                                 keeps it too) */
    /* Several host threads: the words above (but hits and busy_until,
     * the hart's) are under a lock that the hart's host thread keeps
     * across its hits (*held) and gives up as soon as another thread
     * waits for it (*want, which it reads atomically).  A hit is done
     * here only while the thread holds the lock and nobody waits;
     * anything else goes to the hook, which takes and gives up the
     * lock.  held NULL: one host thread, no lock (*want stays 0). */
    const bool *held;
    const int *want;
} IsaHitFilter;

/* The hart's thread holds the filter's lock (or there is none). */
static inline __attribute__((always_inline)) bool
isa_hit_held(const IsaHitFilter *f)
{
    return !f->held || *f->held;
}

/* The filter may be used now (its lock, if any, held; nobody waiting). */
static inline __attribute__((always_inline)) bool
isa_hit_usable(const IsaHitFilter *f)
{
    return isa_hit_held(f) && !__atomic_load_n(f->want, __ATOMIC_RELAXED);
}

/* What a hit through entry e (its counter *c) does, given the filter's
 * words (as isa_hit_line and isa_hit_run_take keep them): the clock's
 * next stamp for the way and the classifier's node, the line as the
 * classifier's last, the count.  A macro: the same as an inline
 * function cost 0.8% more host instructions on a contended lock (TTAS,
 * callgrind), the macro none. */
#define ISA_HIT_TOUCH(e, line, c, seq, last) do {                      \
        uint64_t s_ = ++(seq);                                        \
        *(e)->stamp = s_;                                             \
        *(e)->order = s_;                                             \
        (last) = (line);                                              \
        (*(c))++;                                                     \
    } while (0)

/* The entry of a filter (its entries e, their index mask) for `line`
 * (entries are 32 bytes: a shift, not a multiply). */
static inline __attribute__((always_inline)) const IsaHitLine *
isa_hit_entry(const IsaHitLine *e, uint32_t line, uint32_t shift,
              uint32_t index_mask)
{
    return (const IsaHitLine *)(const void *)
        ((const char *)e + ((size_t)((line >> shift) & index_mask) << 5));
}

/* A hit on `line` (as the model addresses it) through its entry in f at
 * `cycle`: the entry's touches and count, true; or false, nothing done.
 * The filter's own counts (hits, busy_until) are the caller's. */
static inline __attribute__((always_inline)) bool
isa_hit_line(const IsaHitFilter *f, uint32_t line, bool store, uint64_t cycle)
{
    const IsaHitLine *e = isa_hit_entry(f->e, line, f->shift, f->index_mask);
    if (e->line != line || (store && e->wcount == ISA_HIT_NO_COUNT) ||
        cycle >= *f->until)
        return false;
    uint64_t *c = store ? &f->count[e->wcount] : e->rcounter;
    ISA_HIT_TOUCH(e, line, c, *f->seq, *f->last);
    return true;
}

/* A load or store of `size` bytes at `addr`, issued at `cycle`, done
 * through filter f: true when it was (then `latency` cycles), false when
 * it must go to the hook, with nothing done. */
static inline __attribute__((always_inline)) bool
isa_hit_take(IsaHitFilter *f, uint32_t addr, unsigned size, bool store,
             uint64_t cycle)
{
    if (!isa_hit_usable(f))
        return false;
    uint32_t a = (addr & f->addr_mask) | f->tag;
    uint32_t line = a & f->line_mask;
    if (((a + size - 1) & f->line_mask) != line ||
        !isa_hit_line(f, line, store, cycle))
        return false;
    f->hits[store]++;
    f->busy_until = cycle + f->latency;
    return true;
}

/* A filter as the block engine keeps it over a run of hits: its
 * constants, set once (isa_hit_run_init), and the words behind its
 * pointers that every hit reads or writes (the clock, the classifier's
 * last line, the clock below which hits are allowed) in locals, which
 * the compiler can keep in registers; the filter's own counts (hits,
 * busy_until) are summed in locals too.  Only the hook changes those
 * words while the hart's thread holds the filter's lock (or, with one
 * host thread, while the hart runs), so isa_hit_run_close puts them
 * back before each call of the hook and on the way out, and
 * isa_hit_run_open takes them again after.  Opened while the lock is
 * not held, or without a filter (f NULL), it reads nothing and hits
 * nothing up to the next open.  A hit through it does exactly what
 * isa_hit_take does, but for one thing: it does not look whether another
 * thread waits for the lock (*want).  With several host threads the
 * engine looks at times (isa_hit_run_poll), which closes the run to hits
 * up to the next open, when the hook has let the waiter in.
 *
 * The engine counts its clock down: an access at cycle `end - left`,
 * where `end` is the run's (isa_hit_run_open's) and `left` what is left
 * of its budget, issues below *until exactly when left > floor. */
typedef struct IsaHitRun {
    IsaHitFilter *f;
    const IsaHitLine *e;
    uint64_t *count;
    const int *want;
    uint64_t seq;
    int64_t floor;            /* end - *until, clamped */
    uint64_t hits[2];         /* since the open: f->hits' part */
    int64_t at;               /* the last of them's left */
    uint32_t amask, tag;      /* a line: (addr & amask) | tag */
    uint32_t shift, index_mask, last, latency;
    bool open;                /* the words were read (and are put back) */
} IsaHitRun;

static inline __attribute__((always_inline)) void
isa_hit_run_init(IsaHitRun *r, IsaHitFilter *f)
{
    r->f = f;
    r->open = false;
    if (!f)
        return;
    r->want = f->want;
    r->e = f->e;
    r->count = f->count;
    r->amask = f->addr_mask & f->line_mask;
    r->tag = f->tag & f->line_mask;
    r->shift = f->shift;
    r->index_mask = f->index_mask;
    r->latency = f->latency;
}

static inline __attribute__((always_inline)) void
isa_hit_run_open(IsaHitRun *r, uint64_t end)
{
    IsaHitFilter *f = r->f;
    r->open = f && isa_hit_held(f);
    r->floor = INT64_MAX;
    if (!r->open)
        return;
    r->hits[0] = r->hits[1] = 0;
    r->seq = *f->seq;
    r->last = *f->last;
    uint64_t until = *f->until;
    if (until <= end)
        r->floor = end - until > (uint64_t)INT64_MAX
                       ? INT64_MAX : (int64_t)(end - until);
    else
        r->floor = until - end > (uint64_t)INT64_MAX
                       ? -INT64_MAX : -(int64_t)(until - end);
}

static inline __attribute__((always_inline)) void
isa_hit_run_close(const IsaHitRun *r, uint64_t end)
{
    IsaHitFilter *f = r->f;
    if (!r->open)
        return;
    *f->seq = r->seq;
    *f->last = r->last;
    if (r->hits[0] | r->hits[1]) {
        f->hits[0] += r->hits[0];
        f->hits[1] += r->hits[1];
        f->busy_until = end - (uint64_t)r->at + r->latency;
    }
}

/* Another host thread waits for the filter's lock: no more hits until
 * the next open (after the hook, which lets it in). */
static inline __attribute__((always_inline)) void
isa_hit_run_poll(IsaHitRun *r)
{
    if (r->open && __atomic_load_n(r->want, __ATOMIC_RELAXED))
        r->floor = INT64_MAX;
}

/* As isa_hit_take for an access of `size` bytes (a constant: 1, 2 or
 * 4) at `addr`, issued with `left` of the run's budget.  A misaligned
 * access is left to the hook, which does the same with it: an aligned
 * one is within a line, as lines are at least 4 bytes and addr_mask and
 * tag keep the bits below 4 KiB.  A filled entry's load always hits
 * (only its store may not). */
static inline __attribute__((always_inline)) bool
isa_hit_run_take(IsaHitRun *r, uint32_t addr, unsigned size, bool store,
                 int64_t left)
{
    if ((addr & (size - 1)) || left <= r->floor)
        return false;
    uint32_t line = (addr & r->amask) | r->tag;
    const IsaHitLine *e = isa_hit_entry(r->e, line, r->shift, r->index_mask);
    if (e->line != line || (store && e->wcount == ISA_HIT_NO_COUNT))
        return false;
    uint64_t *c = store ? &r->count[e->wcount] : e->rcounter;
    ISA_HIT_TOUCH(e, line, c, r->seq, r->last);
    r->hits[store]++;
    r->at = left;
    return true;
}

/* Issue seam: called once per retired instruction when set.  The
 * instruction wanted to issue at cycle `start` and, running alone, would
 * be done at `end` (start + its cost + what the access hook added);
 * returns when it is really done (e.g. later, when it had to wait for an
 * issue slot that another hardware thread of the core took). */
typedef uint64_t (*IsaIssueFn)(void *ctx, const IsaHart *h, uint64_t start,
                               uint64_t end);

/* A window: guest addresses [base, base+size) outside RAM that read and
 * write `ram` instead (a SIMT block's shared memory, its lanes' stacks).
 * Only looked at when an address misses RAM, so RAM accesses cost the
 * same with or without windows.  No code runs from a window. */
typedef struct IsaWindow {
    uint32_t base, size;
    uint8_t *ram;
} IsaWindow;

/* Guest addresses [lo, hi). */
typedef struct IsaRange {
    uint32_t lo, hi;
} IsaRange;

#define ISA_NO_PC 0xffffffffu       /* odd: never a pc */

typedef struct IsaEnv {
    IsaMem *mem;
    /* Breakpoints: pcs, sorted (isa_run stops before executing one);
     * watches: ranges a store into stops the run after it.  NULL, 0:
     * none, and no cost. */
    const uint32_t *breaks;
    uint32_t nbreaks;
    const IsaRange *watches;
    uint32_t nwatches;
    const IsaWindow *win;     /* nwin windows (NULL, 0: none) */
    uint32_t nwin;
    uint32_t cost[ISA_CLASS_COUNT];
    IsaAccessFn access;       /* may be NULL */
    void *access_ctx;
    IsaIssueFn issue;         /* may be NULL */
    void *issue_ctx;
    /* Run from decoded blocks (isa/blocks.c): each straight-line run of
     * code translated once, its costs summed, blocks chained.  The same
     * registers, memory, cycles, counts, stops and hook calls as one
     * instruction at a time, faster.  Used only where nothing needs to
     * see each instruction: no issue hook, undo ring or watch (isa_run
     * then goes one by one whatever this says). */
    bool blocks;
    /* The interpreter may do hits through the harts' filters (IsaHart.
     * hits) instead of calling `access`: the hook is the filter's. */
    bool hit_filter;
} IsaEnv;

/* Why isa_run returned.  For ECALL, EBREAK, SEMIHOST and WFI the pc still
 * points at the instruction: the caller does the work and advances pc
 * (isa_skip).  For TRAP nothing of the faulting instruction was
 * committed. */
typedef enum IsaStopKind {
    ISA_STOP_LIMIT,       /* cycle or instruction limit reached */
    ISA_STOP_ECALL,
    ISA_STOP_EBREAK,      /* a lone ebreak: a breakpoint */
    ISA_STOP_SEMIHOST,    /* slli x0,x0,0x1f; ebreak; srai x0,x0,7 */
    ISA_STOP_WFI,
    ISA_STOP_TRAP,        /* synchronous exception: cause/tval */
    ISA_STOP_BREAK,       /* at a breakpoint of env->breaks, before the
                             instruction (set brk_resume to go on) */
    ISA_STOP_WATCH        /* a store into env->watches, after it: tval is
                             the address written, pc the next instruction's */
} IsaStopKind;

typedef struct IsaStop {
    IsaStopKind kind;
    uint32_t cause, tval;
    uint32_t pc;          /* pc of the instruction that stopped */
    uint32_t insn;        /* its raw bits (0 if it could not be fetched) */
    uint32_t store_pc;    /* WATCH: the pc of the store */
} IsaStop;

/* Set up a hart (all registers zero, pc = entry).  Returns false on
 * allocation failure. */
ISA_WARN_UNUSED bool isa_hart_init(IsaHart *h, uint32_t hartid, uint32_t entry);
void isa_hart_free(IsaHart *h);

/* Run until h->cycle >= cycle_limit, h->instret >= insn_limit, or a stop.
 * Returns the stop kind, also stored in stop->kind. */
IsaStopKind isa_run(IsaHart *h, const IsaEnv *env, uint64_t cycle_limit,
                    uint64_t insn_limit, IsaStop *stop);

/* Advance pc past the instruction that stopped (ECALL, EBREAK, WFI: 4 or 2
 * bytes; SEMIHOST: past the ebreak), counting it as retired at cost
 * cost[SYSTEM]. */
void isa_skip(IsaHart *h, const IsaEnv *env, const IsaStop *stop);

/* SIMT: execute `in`, the instruction at pc, once for each of the n
 * (at most 32) harts of lanes[], all at pc — the lanes of a warp.  Plain
 * arithmetic, multiplies, unsigned divides, F arithmetic, branches, jumps,
 * loads, stores and reads of the SIMT CSRs run here, each lane's access
 * seen by env->access; everything else, and any lane whose access would
 * trap, is left undone: those lanes come back as bits of the result (bit
 * l: lanes[l]), for isa_run to execute one instruction each.  The lanes'
 * instret counts; their cycle and class_count do not (their SM keeps
 * the time). */
uint32_t isa_simt_step(IsaHart *const lanes[], uint32_t n,
                       const IsaInsn *in, uint32_t pc, const IsaEnv *env);

/* The instruction at pc from h's decode cache, fetched and decoded as
 * isa_run does it on a miss (its code block marked, so a store into it
 * is seen; the cache dropped when any hart wrote into code).  NULL if it
 * cannot be fetched or is illegal.  Valid until the cache next changes. */
const IsaInsn *isa_decoded(IsaHart *h, IsaMem *m, uint32_t pc);

/* Give up h's reservation in m, if it holds one (as an SC that fails
 * would): for a hart that is done with it without an SC, e.g. a GPU
 * lane that exits before its IsaHart is reused. */
void isa_resv_drop(IsaHart *h, IsaMem *m);

/* Enter the guest's trap handler: mepc, mcause, mtval, pc = mtvec. */
void isa_take_trap(IsaHart *h, uint32_t cause, uint32_t tval, uint32_t pc);

/* Execute one F-extension instruction other than flw/fsw (arithmetic,
 * conversions, compares, moves, fclass).  Returns false if it is illegal
 * (a reserved rounding mode). */
ISA_WARN_UNUSED bool isa_fp_exec(IsaHart *h, const IsaInsn *in);

/* CSR access as the csr* instructions do it.  Return false for a CSR parsim
 * does not implement or a write to a read-only one. */
ISA_WARN_UNUSED bool isa_csr_read(IsaHart *h, uint32_t csr, uint32_t *val);
ISA_WARN_UNUSED bool isa_csr_write(IsaHart *h, uint32_t csr, uint32_t val);

/* Guest memory helpers for the environment (semihosting, loaders): bounds
 * checked, false when [addr, addr+len) is not inside RAM. */
ISA_WARN_UNUSED bool isa_mem_read(const IsaMem *m, uint32_t addr, void *dst,
                                  uint32_t len);
ISA_WARN_UNUSED bool isa_mem_write(IsaMem *m, uint32_t addr, const void *src,
                                   uint32_t len);
/* Host pointer to guest [addr, addr+len), or NULL if not inside RAM. */
uint8_t *isa_mem_ptr(const IsaMem *m, uint32_t addr, uint32_t len);
/* The environment has written guest [addr, addr+len) in RAM through
 * isa_mem_ptr (a message landing, a file read): what isa_mem_write does
 * after its copy, so that the harts see it as they see that: decoded
 * instructions there dropped, reservations on it killed. */
void isa_mem_wrote(IsaMem *m, uint32_t addr, uint32_t len);

/* ---- Disassembly -------------------------------------------------------- */

/* Symbol lookup for branch/jump targets: writes the name of the symbol
 * containing addr and the offset into it; false if none. */
typedef bool (*IsaSymFn)(void *ctx, uint32_t addr, const char **name,
                         uint32_t *offset);

/* Disassemble into buf in the syntax of `riscv64-unknown-elf-objdump -d`
 * (mnemonic, a tab, operands, aliases as objdump prints them, targets as
 * "80000010 <main+0x4>" when sym finds a symbol).  objdump's trailing
 * "# ..." comments are not produced.  Returns the length written. */
int isa_disasm(const IsaInsn *in, uint32_t pc, char *buf, size_t n,
               IsaSymFn sym, void *sym_ctx);

#endif
