/* isa_priv.h — what the files of isa/ share and nothing outside isa/
 * sees: the decode cache's layout, guest memory's loads and stores, the
 * semantics of the plain instructions (a table each, expanded by isa_run's
 * switch and by the block engine's handlers), and the entry points of
 * exec.c and blocks.c into each other.
 *
 * May depend on: isa/isa.h, isa/blocks_run.h (the block engine's loop,
 * which blocks.c expands twice), the C library.  Nothing else.
 */
#ifndef PARSIM_ISA_PRIV_H
#define PARSIM_ISA_PRIV_H

#include "isa/isa.h"

/* ---- The decoded-instruction cache -------------------------------------- */

/* Direct-mapped by pc (2-byte granules because of RVC), tagged with the
 * full pc.  16K entries cover 32 KiB of contiguous code: more than the
 * inner loops of the programs parsim runs, and a flush (fence.i, another
 * hart's store into code) stays a cheap memset. */
#define DC_BITS 14
#define DC_SIZE (1u << DC_BITS)
#define DC_MASK (DC_SIZE - 1)
#define DC_INVALID 0xffffffffu       /* odd, so never a pc */

typedef struct DcEntry {
    uint32_t tag;
    IsaInsn in;
} DcEntry;

typedef struct IsaBlocks IsaBlocks;

struct IsaDecodeCache {
    uint32_t gen;                    /* mem->code_gen this cache is valid for */
    IsaBlocks *blocks;               /* the block engine's, or NULL (blocks.c) */
    DcEntry e[DC_SIZE];
};

/* Fill a cache entry with the instruction at pc (its code blocks marked
 * in m->code_map).  Returns 0, or the trap cause (FETCH_ACCESS, ILLEGAL)
 * with *raw = the bits fetched so far. */
uint32_t isa_dc_fill(DcEntry *e, IsaMem *m, uint32_t pc, uint32_t *raw);

static inline bool block_marked(const uint8_t *map, uint32_t blk)
{
    /* relaxed atomic: other harts set bits concurrently (see fill) */
    return (__atomic_load_n(&map[blk >> 3], __ATOMIC_RELAXED) >> (blk & 7)) & 1;
}

/* Does a write to RAM offsets [off, off+len) touch a block that holds
 * decoded instructions?  len >= 1 and off+len <= size. */
static inline bool code_written(const uint8_t *map, uint32_t off, uint32_t len)
{
    uint32_t b0 = off >> ISA_CODE_BLOCK_SHIFT;
    uint32_t b1 = (off + len - 1) >> ISA_CODE_BLOCK_SHIFT;
    for (uint32_t b = b0; ; b++) {
        if (block_marked(map, b))
            return true;
        if (b == b1)
            return false;
    }
}

/* A write at RAM offsets [off, off+len) hit code: every hart's decoded
 * instructions of those blocks are dropped (dc's, the writer's, at once;
 * dc may be NULL). */
void isa_code_modified(IsaMem *m, IsaDecodeCache *dc, uint32_t off,
                       uint32_t len);

/* Is pc one of the n sorted breakpoints b? */
static inline bool is_break(const uint32_t *b, uint32_t n, uint32_t pc)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (b[mid] == pc)
            return true;
        if (b[mid] < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* ---- Guest memory ------------------------------------------------------- */

/* Guest memory accesses.  Relaxed host atomics where aligned, byte by
 * byte otherwise: free on x86 (a plain mov) and no data race when harts on
 * several host threads share memory (see IsaMem).  Aligned is the case
 * to lay out straight (gcc guessed the other). */
static inline uint32_t ld8(const uint8_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline uint32_t ld16(const uint8_t *p)
{
    if (__builtin_expect(!((uintptr_t)p & 1), 1))
        return __atomic_load_n((const uint16_t *)(const void *)p,
                               __ATOMIC_RELAXED);
    return ld8(p) | ld8(p + 1) << 8;
}

static inline uint32_t ld32(const uint8_t *p)
{
    if (__builtin_expect(!((uintptr_t)p & 3), 1))
        return __atomic_load_n((const uint32_t *)(const void *)p,
                               __ATOMIC_RELAXED);
    return ld8(p) | ld8(p + 1) << 8 | ld8(p + 2) << 16 | ld8(p + 3) << 24;
}

static inline void st8(uint8_t *p, uint32_t v)
{
    __atomic_store_n(p, (uint8_t)v, __ATOMIC_RELAXED);
}

static inline void st16(uint8_t *p, uint32_t v)
{
    if (__builtin_expect(!((uintptr_t)p & 1), 1)) {
        __atomic_store_n((uint16_t *)(void *)p, (uint16_t)v, __ATOMIC_RELAXED);
        return;
    }
    st8(p, v);
    st8(p + 1, v >> 8);
}

static inline void st32(uint8_t *p, uint32_t v)
{
    if (__builtin_expect(!((uintptr_t)p & 3), 1)) {
        __atomic_store_n((uint32_t *)(void *)p, v, __ATOMIC_RELAXED);
        return;
    }
    for (int i = 0; i < 4; i++)
        st8(p + i, v >> (8 * i));
}

/* Host pointer to [a, a+n) in RAM, or NULL.  Written so that it inlines to
 * a subtract and two compares in the hot loop. */
static inline uint8_t *ram_at(uint8_t *ram, uint32_t base, uint32_t size,
                              uint32_t a, uint32_t n)
{
    uint32_t off = a - base;
    if (off >= size || size - off < n)
        return NULL;
    return ram + off;
}

/* An address outside RAM: inside one of the environment's windows? */
static inline uint8_t *win_at(const IsaWindow *w, uint32_t nwin, uint32_t a,
                       uint32_t n)
{
    for (uint32_t i = 0; i < nwin; i++) {
        uint32_t off = a - w[i].base;
        if (off < w[i].size && w[i].size - off >= n)
            return w[i].ram + off;
    }
    return NULL;
}

/* ---- Atomics and reservations (exec.c, "Reservations") ----------------- */

static inline uint32_t amo(uint16_t op, uint32_t *p, uint32_t src)
{
    uint32_t old, nv;
    switch (op) {
    case ISA_OP_amoswap_w: return __atomic_exchange_n(p, src, __ATOMIC_SEQ_CST);
    case ISA_OP_amoadd_w:  return __atomic_fetch_add(p, src, __ATOMIC_SEQ_CST);
    case ISA_OP_amoxor_w:  return __atomic_fetch_xor(p, src, __ATOMIC_SEQ_CST);
    case ISA_OP_amoand_w:  return __atomic_fetch_and(p, src, __ATOMIC_SEQ_CST);
    case ISA_OP_amoor_w:   return __atomic_fetch_or(p, src, __ATOMIC_SEQ_CST);
    default:
        break;
    }
    /* min/max have no host builtin: compare-and-swap loop */
    old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    do {
        switch (op) {
        case ISA_OP_amomin_w:
            nv = (int32_t)old < (int32_t)src ? old : src; break;
        case ISA_OP_amomax_w:
            nv = (int32_t)old > (int32_t)src ? old : src; break;
        case ISA_OP_amominu_w:
            nv = old < src ? old : src; break;
        default: /* amomaxu.w */
            nv = old > src ? old : src; break;
        }
    } while (!__atomic_compare_exchange_n(p, &old, nv, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return old;
}

/* [a, a+n) has just been written: kill the reservations on its sets. */
void isa_resv_write(IsaMem *m, uint32_t a, uint32_t n);
/* lr.w of the aligned word at a (p in RAM or a window). */
uint32_t isa_resv_lr(IsaMem *m, IsaHart *h, uint32_t a, const uint8_t *p);
/* sc.w of v to the aligned word at a (p): does it succeed? */
bool isa_resv_sc(IsaMem *m, IsaHart *h, uint32_t a, uint8_t *p, uint32_t v);

/* ---- What the plain instructions do ------------------------------------- */

/* One line per operation: isa_run's switch and the block engine's
 * handlers are both expanded from these, so that an instruction means
 * the same in both.  a is x[rs1]; b is x[rs2], or the immediate for the
 * I-type twin (the shifts' shamt is below 32, so `& 31` leaves it). */
#define ISA_SEM_RR_RI(_)                                            \
    _(add,  addi,  a + b)                                           \
    _(slt,  slti,  (uint32_t)((int32_t)a < (int32_t)b))             \
    _(sltu, sltiu, (uint32_t)(a < b))                               \
    _(xor,  xori,  a ^ b)                                           \
    _(or,   ori,   a | b)                                           \
    _(and,  andi,  a & b)                                           \
    _(sll,  slli,  a << (b & 31))                                   \
    _(srl,  srli,  a >> (b & 31))                                   \
    /* >> of a negative int is arithmetic on gcc and clang */       \
    _(sra,  srai,  (uint32_t)((int32_t)a >> (b & 31)))

/* Register-register only. */
#define ISA_SEM_RR(_)                                               \
    _(sub,    a - b)                                                \
    _(mul,    a * b)                                                \
    _(mulh,   (uint32_t)((uint64_t)((int64_t)(int32_t)a             \
                                    * (int32_t)b) >> 32))           \
    _(mulhsu, (uint32_t)((uint64_t)((int64_t)(int32_t)a             \
                                    * (int64_t)b) >> 32))           \
    _(mulhu,  (uint32_t)(((uint64_t)a * b) >> 32))                  \
    _(div,    b == 0 ? UINT32_MAX                                   \
              : a == 0x80000000u && b == UINT32_MAX ? a             \
              : (uint32_t)((int32_t)a / (int32_t)b))                \
    _(divu,   b ? a / b : UINT32_MAX)                               \
    _(rem,    b == 0 ? a                                            \
              : a == 0x80000000u && b == UINT32_MAX ? 0             \
              : (uint32_t)((int32_t)a % (int32_t)b))                \
    _(remu,   b ? a % b : a)

/* Branches: taken when the condition on a = x[rs1], b = x[rs2] holds.
 * ORDER BRANCH: each beside its opposite (blocks.c asserts it). */
#define ISA_SEM_BRANCH(_)                                           \
    _(beq,  a == b)                                                 \
    _(bne,  a != b)                                                 \
    _(blt,  (int32_t)a < (int32_t)b)                                \
    _(bge,  (int32_t)a >= (int32_t)b)                               \
    _(bltu, a < b)                                                  \
    _(bgeu, a >= b)

/* Integer loads: bytes and how the value is read (and extended). */
#define ISA_SEM_LOAD(_)                                             \
    _(lb,  1, ld8s)                                                 \
    _(lh,  2, ld16s)                                                \
    _(lw,  4, ld32)                                                 \
    _(lbu, 1, ld8)                                                  \
    _(lhu, 2, ld16)

/* Integer stores: bytes and how the value is written. */
#define ISA_SEM_STORE(_)                                            \
    _(sb, 1, st8)                                                   \
    _(sh, 2, st16)                                                  \
    _(sw, 4, st32)

#define ISA_SEM_FN2(rr, ri, expr) ISA_SEM_FN(rr, expr)
#define ISA_SEM_FN(name, expr)                                      \
    static inline uint32_t sem_##name(uint32_t a, uint32_t b)       \
    {                                                               \
        return expr;                                                \
    }
ISA_SEM_RR_RI(ISA_SEM_FN2)
ISA_SEM_RR(ISA_SEM_FN)
#undef ISA_SEM_FN
#define ISA_SEM_FN(name, cond)                                      \
    static inline bool sem_##name(uint32_t a, uint32_t b)           \
    {                                                               \
        return cond;                                                \
    }
ISA_SEM_BRANCH(ISA_SEM_FN)
#undef ISA_SEM_FN
#undef ISA_SEM_FN2

static inline uint32_t ld8s(const uint8_t *p)
{
    return (uint32_t)(int32_t)(int8_t)ld8(p);
}

static inline uint32_t ld16s(const uint8_t *p)
{
    return (uint32_t)(int32_t)(int16_t)ld16(p);
}

/* ---- The block engine (blocks.c) ---------------------------------------- */

/* The most instructions a block holds: as many as one code block
 * (ISA_CODE_BLOCK_SHIFT) holds, where they all start (a block that goes
 * round a loop in it stops there too). */
#define ISA_BLOCK_MAX ((1u << ISA_CODE_BLOCK_SHIFT) / 2)

/* What isa_blocks_run asks of isa_run when it returns: the hart's pc,
 * cycle, instret and class_count are exact at an instruction's start. */
typedef enum IsaBlocksExit {
    ISA_BLOCKS_ONE,       /* run the instruction at pc one by one, then
                             blocks again */
    ISA_BLOCKS_REST,      /* a limit falls within the block at pc: one by
                             one until it */
    ISA_BLOCKS_DEFER,     /* the access hook deferred the instruction at
                             pc: stop (ISA_STOP_LIMIT) */
    ISA_BLOCKS_OFF        /* no memory for blocks: one by one */
} IsaBlocksExit;

/* Run h in blocks from h->pc while every instruction's start stays below
 * both limits.  Only for an env without issue hook or watches, and a
 * hart without undo ring: those need every instruction seen (isa_run's
 * own loop).  No block holds a breakpoint of env->breaks. */
/* Cycles (and instructions) a run must have before isa_run hands it to
 * the block engine. */
#define ISA_BLOCKS_MIN_RUN 64u

IsaBlocksExit isa_blocks_run(IsaHart *h, const IsaEnv *env,
                             uint64_t cycle_limit, uint64_t insn_limit);

/* Drop the blocks that may hold an instruction in guest [lo, hi) (dc's
 * entries there were dropped), or all of them (dc flushed); free them. */
void isa_blocks_drop(IsaDecodeCache *dc, uint32_t lo, uint32_t hi);
void isa_blocks_flush(IsaDecodeCache *dc);
void isa_blocks_free(IsaDecodeCache *dc);

#endif
