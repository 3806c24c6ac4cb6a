/* blocks.c — the block engine: isa_run's fast path (IsaEnv.blocks).
 *
 * A block is the code from a pc up to and including the first jump or
 * branch it does not run on through, translated once into an array of
 * operations: operands resolved, immediates sign-extended (an access's
 * less the RAM's base), the handler chosen (specialised forms for rd =
 * rs1, `li`, `mv`, `j`, `ret`/`jr`), and the static cycles of the
 * instructions before each operation summed into it (Op.pre), so that
 * the exact clock and count at any instruction can be recovered when
 * the block is left in the middle.  It runs on through up to MAX_SIDE
 * conditional branches the way a static predictor guesses (a loop goes
 * round again); going the other way is a side exit with its own account
 * (Blk.side).  The cost, count and class counts of a block and of each
 * side exit are summed too and added once when the run ends there.
 * Operations are dispatched direct-threaded (computed goto under gcc and
 * clang, a switch elsewhere), and a block's end goes to its successor
 * through a pointer the block caches (one for the taken branch, the
 * jump's last target or a side exit's pc, one for the fall-through),
 * checked to be still live: the common block-to-block step is no table
 * look-up.
 *
 * Exactness.  isa_run one by one stops before instruction j when its
 * start cycle or count reaches a limit.  A block is entered only when the
 * last instruction of its first stretch (up to its first side exit)
 * starts below both limits on static costs alone, and goes on past a
 * side exit only when the next stretch's does (known at once when the
 * whole block's does); an access whose latency pushes that start to the
 * cycle limit ends the block after the access.  isa_run then finishes
 * one by one (at most a block).  What can stop, trap or needs isa_run's
 * own bookkeeping is not in a block (ecall, ebreak, wfi, mret, csr*,
 * fence.i, illegal code, a load into x0, a breakpoint) or leaves it
 * before anything of it is done (an access outside RAM: a fault or a
 * window; the stack guard, a misaligned atomic, an F op's reserved
 * rounding mode): isa_run then does that instruction itself, where the
 * trap is raised, having seen nothing twice — a fault comes before the
 * access hook.  A deferred access (ISA_ACCESS_DEFER) stops here, before
 * its instruction.
 *
 * Invalidation.  A block's instructions all start in the 256-byte code
 * block of its first (the last may end two bytes into the next; the way
 * on through a branch must stay in it), so the code blocks that hold it
 * are marked in IsaMem.code_map (isa_dc_fill).  A store into a marked
 * code block drops, with the decode cache's entries there, every block
 * overlapping it (isa_blocks_drop: those that start up to a code block
 * before); the storing block itself is then left after the store, so
 * nothing stale runs.  A flush of the decode cache (fence.i, another
 * hart's write into code seen at isa_run's start) drops them all.  A
 * dropped block stays readable until the arena is reset, which happens
 * only between blocks; a cached successor is taken only while live, and
 * a block is live exactly while the table holds it.
 */
#include "isa/isa_priv.h"

#include <stdlib.h>
#include <string.h>

/* ---- Blocks ------------------------------------------------------------- */

/* Direct-mapped by first pc, as the decode cache; a block pushed out of
 * its slot is dropped. */
#define BT_BITS 14
#define BT_SIZE (1u << BT_BITS)
#define BT_MASK (BT_SIZE - 1)
/* 4 MiB of blocks a hart (about 8,000 of ten instructions): pages the
 * program never reaches are never touched. */
#define ARENA_BYTES (4u << 20)
/* Breakpoints the blocks can be translated around (parsim's own are a
 * few); with more, isa_run goes one by one. */
#define MAX_BREAKS 64
/* A block runs on through the conditional branches in it whose way on
 * stays in its code block (at most this many), the way a static
 * predictor guesses: a backward branch is taken (a loop goes round
 * again), a forward one is not.  It leaves at the other way (a side
 * exit).  A loop of a few instructions thus runs several rounds a
 * block. */
#define MAX_SIDE 8
/* Blocks whose run counts wait to be added to class_count. */
#define MAX_DIRTY 256
/* A block's static cycles fit 32 bits with costs below this (the
 * configuration allows 1000). */
#define MAX_COST (1u << 24)

/* The operations.  ORDER KIND: the enum and the handlers' label table
 * are both expanded from this list. */
/* _s: rd is rs1 (`addi a0, a0, 1`), one register fewer to fetch */
#define K_PAIR(rr, ri, e) KIND(rr) KIND(ri) KIND(rr##_s) KIND(ri##_s)
#define K_ONE(name, e) KIND(name)
/* _x: a branch the block runs on through, leaving it (a side exit)
 * when the condition holds */
#define K_SIDE(name, e) KIND(name##_x)
#define K_MEM(name, n, f) KIND(name)
#define KINDS                                                       \
    ISA_SEM_RR_RI(K_PAIR) ISA_SEM_RR(K_ONE) ISA_SEM_BRANCH(K_ONE)   \
    ISA_SEM_BRANCH(K_SIDE) ISA_SEM_LOAD(K_MEM) ISA_SEM_STORE(K_MEM) \
    KIND(nop) KIND(li) KIND(mv) KIND(flw) KIND(fsw) KIND(amo) KIND(lr) \
    KIND(sc) KIND(fence) KIND(fp) KIND(j) KIND(jal) KIND(jr)        \
    KIND(jalr)                                                      \
    /* not instructions: the end of a block that falls through, and \
     * of one whose next instruction is isa_run's */                \
    KIND(fall) KIND(slow)

typedef enum Kind {
#define KIND(k) K_##k,
    KINDS
#undef KIND
    K_COUNT,
    K_NONE = -1           /* not in a block: isa_run runs it */
} Kind;

/* ORDER BRANCH: ISA_SEM_BRANCH lists each condition beside its
 * opposite, which a side exit takes for a branch run on when taken. */
_Static_assert(K_bne == K_beq + 1 && K_blt == K_beq + 2 &&
               K_bge == K_beq + 3 && K_bltu == K_beq + 4 &&
               K_bgeu == K_beq + 5 && K_bgeu_x == K_beq_x + 5,
               "branch kinds out of order");
/* ORDER KIND: the accesses, whose imm translate biases, in two runs */
_Static_assert(K_sw == K_lb + 7 && K_fsw == K_flw + 1 &&
               K_amo == K_flw + 2 && K_lr == K_flw + 3 && K_sc == K_flw + 4,
               "access kinds out of order");

/* 32 bytes: two operations a cache line.  A side exit (K_*_x) keeps
 * other things in some fields: imm is the pc it leaves to, op its
 * account (Blk.side), pre and idx what the stretch after it needs (the
 * static cycles before its last instruction starts, the instructions
 * up to its end, as Blk.last and Blk.n1 for the first stretch). */
typedef struct Op {
    const void *run;      /* the handler (computed goto), else unused */
    int32_t imm;          /* li: the value (lui, auipc resolved); an
                             access's: less the RAM's base */
    uint32_t pc;
    uint32_t pre;         /* static cycles of the instructions before */
    uint8_t rd, rs1, rs2, rs3, rm;
    uint8_t idx;          /* the instruction's index in the block */
    uint8_t len, cls;
    uint16_t kind;        /* Kind */
    uint16_t op;          /* IsaOp */
} Op;
_Static_assert(sizeof(Op) == 32, "an operation is 32 bytes");

/* A block, or the account of a side exit (Blk.side: what has run when
 * the block is left there; no ops, never in the table). */
typedef struct Blk {
    uint32_t pc;          /* its first instruction */
    uint32_t end;         /* where its last one falls through to */
    uint32_t lo, hi;      /* [lo, hi): the bytes of all its instructions */
    uint32_t n;           /* instructions run when it ends; 0: its first
                             is isa_run's */
    uint32_t cost;        /* their static cycles */
    uint32_t tlast;       /* static cycles before its last one starts */
    uint32_t last;        /* the same for the first stretch (up to the */
    uint32_t n1;          /* first side exit), and its instructions */
    bool live;
    uint8_t ncls;         /* entries in cls */
    uint8_t cls[ISA_CLASS_COUNT][2];    /* (class, instructions) */
    uint64_t runs;        /* runs not yet in class_count, minus one (so
                             that the first is the increment to 0) */
    struct Blk *next[2];  /* successors: [0] the branch's or jump's
                             target (jalr: the last one; a side exit's
                             pc), [1] the next pc; taken only if ->live */
    const uint8_t *icls;  /* each instruction's class (after ops) */
    struct Blk *side;     /* the side exits' accounts (after icls) */
    Op ops[];
} Blk;

/* The engines (blocks_run.h), which blocks are translated for. */
enum { ENGINE_UNTIMED, ENGINE_TIMED_ONE, ENGINE_TIMED_LOCKED };

struct IsaBlocks {
    Blk *tab[BT_SIZE];
    uint8_t *arena;
    size_t used;
    uint32_t epoch;       /* arena resets so far */
    const IsaMem *mem;    /* what the blocks were translated from */
    uint32_t base;        /* (and its base: in the accesses' imm), */
    uint8_t engine;                     /* for which engine (ENGINE_*), */
    uint32_t cost[ISA_CLASS_COUNT];     /* at what costs, */
    uint32_t nbreaks;                   /* around which breakpoints */
    uint32_t breaks[MAX_BREAKS];
    uint32_t ndirty;                    /* blocks with runs */
    Blk *dirty[MAX_DIRTY];
};

/* Where a block's successors point before they are known: never live. */
static Blk unknown;

/* Add the runs of the dirty blocks to cc, the hart's class_count.  The
 * engine does it before it returns, so the counts are exact whenever
 * isa_run is. */
static __attribute__((noinline)) void count_runs(IsaBlocks *bc,
                                                  uint64_t *cc)
{
    for (uint32_t i = 0; i < bc->ndirty; i++) {
        Blk *b = bc->dirty[i];
        for (uint32_t k = 0; k < b->ncls; k++)
            cc[b->cls[k][0]] += (b->runs + 1) * b->cls[k][1];
        b->runs = UINT64_MAX;
    }
    bc->ndirty = 0;
}

/* Every block gone.  No runs are waiting: outside the engine there are
 * none, and translate counts them before it resets. */
static void reset(IsaBlocks *bc)
{
    memset(bc->tab, 0, sizeof bc->tab);
    bc->used = 0;
    bc->epoch++;
}

void isa_blocks_flush(IsaDecodeCache *dc)
{
    if (dc->blocks && dc->blocks->used)
        reset(dc->blocks);
}

void isa_blocks_drop(IsaDecodeCache *dc, uint32_t lo, uint32_t hi)
{
    IsaBlocks *bc = dc->blocks;
    if (!bc || !bc->used)
        return;
    /* A block is at most a code block and one instruction long. */
    uint32_t first = (lo - (1u << ISA_CODE_BLOCK_SHIFT) - 2) & ~1u;
    for (uint32_t pc = first; pc - first < hi - first; pc += 2) {
        Blk **slot = &bc->tab[(pc >> 1) & BT_MASK];
        Blk *b = *slot;
        if (b && b->pc == pc && b->lo < hi && b->hi > lo) {
            b->live = false;
            *slot = NULL;
        }
    }
}

void isa_blocks_free(IsaDecodeCache *dc)
{
    if (!dc->blocks)
        return;
    free(dc->blocks->arena);
    free(dc->blocks);
    dc->blocks = NULL;
}

static IsaBlocks *blocks_new(void)
{
    IsaBlocks *bc = calloc(1, sizeof *bc);
    if (!bc)
        return NULL;
    bc->arena = malloc(ARENA_BYTES);
    if (!bc->arena) {
        free(bc);
        return NULL;
    }
    return bc;
}

/* ---- Translation -------------------------------------------------------- */

static bool ends_block(int k)
{
    return (k >= K_beq && k <= K_bgeu) || (k >= K_j && k <= K_jalr);
}

static void set_classes(Blk *b, const uint32_t counts[ISA_CLASS_COUNT])
{
    b->ncls = 0;
    for (uint32_t c = 0; c < ISA_CLASS_COUNT; c++)
        if (counts[c]) {
            b->cls[b->ncls][0] = (uint8_t)c;
            b->cls[b->ncls][1] = (uint8_t)counts[c];
            b->ncls++;
        }
    b->runs = UINT64_MAX;
    b->next[0] = b->next[1] = &unknown;
}

/* The operation for in (at pc), with its operands adjusted. */
static int kind_of(IsaInsn *in, uint32_t pc)
{
    if (in->op == ISA_OP_addi && in->rd && in->rs1 == 0)
        return K_li;
    if (in->op == ISA_OP_addi && in->rd && in->imm == 0)
        return K_mv;
    switch ((IsaOp)in->op) {
    case ISA_OP_lui:
        return in->rd ? K_li : K_nop;
    case ISA_OP_auipc:
        in->imm = (int32_t)(pc + (uint32_t)in->imm);
        return in->rd ? K_li : K_nop;
#define PAIR(rr, ri, e)                                             \
    case ISA_OP_##rr:                                               \
        return !in->rd ? K_nop : in->rd == in->rs1 ? K_##rr##_s : K_##rr; \
    case ISA_OP_##ri:                                               \
        return !in->rd ? K_nop : in->rd == in->rs1 ? K_##ri##_s : K_##ri;
#define ONE(name, e) case ISA_OP_##name: return in->rd ? K_##name : K_nop;
    ISA_SEM_RR_RI(PAIR)
    ISA_SEM_RR(ONE)
#undef ONE
#define ONE(name, e) case ISA_OP_##name: return K_##name;
    ISA_SEM_BRANCH(ONE)
#undef ONE
#define MEM(name, n, f) case ISA_OP_##name: return in->rd ? K_##name : K_NONE;
    ISA_SEM_LOAD(MEM)
#undef MEM
#define MEM(name, n, f) case ISA_OP_##name: return K_##name;
    ISA_SEM_STORE(MEM)
#undef MEM
#undef PAIR
    case ISA_OP_flw: return K_flw;
    case ISA_OP_fsw: return K_fsw;
    case ISA_OP_amoswap_w: case ISA_OP_amoadd_w: case ISA_OP_amoxor_w:
    case ISA_OP_amoand_w: case ISA_OP_amoor_w: case ISA_OP_amomin_w:
    case ISA_OP_amomax_w: case ISA_OP_amominu_w: case ISA_OP_amomaxu_w:
        return K_amo;
    case ISA_OP_lr_w: return K_lr;
    case ISA_OP_sc_w: return K_sc;
    case ISA_OP_fence: return K_fence;
    case ISA_OP_jal: return in->rd ? K_jal : K_j;
    case ISA_OP_jalr: return in->rd ? K_jalr : K_jr;
    default:
        /* ORDER INSN: fmadd.s .. fmv.w.x are the F ops after fsw */
        if (in->op >= ISA_OP_fmadd_s && in->op <= ISA_OP_fmv_w_x)
            return K_fp;
        return K_NONE;      /* system, CSRs, fence.i, illegal */
    }
}

/* A stretch of b ends with its n-th instruction, which starts `last`
 * static cycles into b: what the side exit before it (or, for the
 * first, entering b) checks. */
static void end_stretch(Blk *b, Op *side_exit, uint32_t last, uint32_t n)
{
    if (side_exit) {
        side_exit->pre = last;
        side_exit->idx = (uint8_t)n;
    } else {
        b->last = last;
        b->n1 = n;
    }
}

/* The block at pc, translated and put in the table.  Never NULL: a pc
 * whose instruction is not for a block (or cannot be fetched, or is a
 * breakpoint) gets a block of no instructions that hands it to isa_run. */
static __attribute__((noinline))
Blk *translate(IsaBlocks *bc, IsaDecodeCache *dc, IsaMem *m, uint32_t pc0,
               const void *const *labels, uint64_t *cc)
{
    size_t room = sizeof(Blk) + (ISA_BLOCK_MAX + 1) * sizeof(Op)
                + ISA_BLOCK_MAX + 8 + MAX_SIDE * sizeof(Blk);
    if (bc->used + room > ARENA_BYTES) {
        count_runs(bc, cc);
        reset(bc);
    }
    Blk *b = (Blk *)(void *)(bc->arena + bc->used);
    Blk side[MAX_SIDE];
    uint8_t icls[ISA_BLOCK_MAX];
    uint32_t counts[ISA_CLASS_COUNT] = { 0 };
    uint32_t pc = pc0, n = 0, nops = 0, nside = 0;
    uint32_t lo = pc0, hi = pc0;
    uint32_t cb = (pc0 - m->base) >> ISA_CODE_BLOCK_SHIFT;
    uint32_t cycles = 0, last = 0;
    Op *stretch = NULL;     /* the side exit before this stretch, if any */
    int end = K_slow;
    for (;;) {
        if (n == ISA_BLOCK_MAX ||
            (n && (pc - m->base) >> ISA_CODE_BLOCK_SHIFT != cb)) {
            end = K_fall;
            break;
        }
        /* isa_run stops there (and never keeps it decoded) */
        if (bc->nbreaks && is_break(bc->breaks, bc->nbreaks, pc))
            break;
        DcEntry *e = &dc->e[(pc >> 1) & DC_MASK];
        uint32_t raw;
        if (e->tag != pc && isa_dc_fill(e, m, pc, &raw))
            break;              /* isa_run raises the trap */
        IsaInsn in = e->in;
        int k = kind_of(&in, pc);
        if (k == K_NONE)
            break;
        icls[n] = in.cls;
        counts[in.cls]++;
        Op *op = &b->ops[nops++];
        *op = (Op){
            .imm = in.imm, .pc = pc, .pre = cycles, .rd = in.rd,
            .rs1 = in.rs1, .rs2 = in.rs2, .rs3 = in.rs3, .rm = in.rm,
            .idx = (uint8_t)n, .len = in.len, .cls = in.cls,
            .kind = (uint16_t)k, .op = in.op};
        /* an access's imm less the base: imm + x[rs1] is the offset */
        if ((k >= K_lb && k <= K_sw) || (k >= K_flw && k <= K_sc))
            op->imm = (int32_t)((k >= K_amo ? 0 : (uint32_t)in.imm) -
                                m->base);
        last = cycles;
        cycles += bc->cost[in.cls];
        n++;
        lo = pc < lo ? pc : lo;
        hi = pc + in.len > hi ? pc + in.len : hi;
        uint32_t target = pc + (uint32_t)in.imm, next = pc + in.len;
        pc = next;
        if (k >= K_beq && k <= K_bgeu && nside < MAX_SIDE) {
            bool back = target <= op->pc;
            uint32_t on = back ? target : next;
            if ((on - m->base) >> ISA_CODE_BLOCK_SHIFT == cb) {
                end_stretch(b, stretch, last, n);
                /* leaves when it goes the other way */
                int cond = back ? (k - K_beq) ^ 1 : k - K_beq;
                op->kind = (uint16_t)(K_beq_x + cond);
                op->imm = (int32_t)(back ? next : target);
                op->op = (uint16_t)nside;
                Blk *x = &side[nside++];
                memset(x, 0, sizeof *x);
                x->pc = back ? next : target;
                x->n = n;
                x->cost = cycles;
                set_classes(x, counts);
                stretch = op;
                pc = on;
                continue;
            }
        }
        if (ends_block(k)) {
            end = -1;
            break;
        }
    }
    end_stretch(b, stretch, last, n);
    if (end >= 0)
        b->ops[nops++] = (Op){.pc = pc, .pre = cycles, .idx = (uint8_t)n,
                              .kind = (uint16_t)end};
    if (labels)
        for (uint32_t i = 0; i < nops; i++)
            b->ops[i].run = labels[b->ops[i].kind];
    b->pc = pc0;
    b->end = pc;
    b->lo = lo;
    b->hi = hi;
    b->n = n;
    b->cost = cycles;
    b->tlast = last;
    set_classes(b, counts);
    uint8_t *classes = (uint8_t *)&b->ops[nops];
    memcpy(classes, icls, n);
    b->icls = classes;
    size_t at = (sizeof(Blk) + nops * sizeof(Op) + n + 7) & ~(size_t)7;
    b->side = (Blk *)(void *)((uint8_t *)b + at);
    memcpy(b->side, side, nside * sizeof *side);
    /* the next block 8-aligned (a Blk's size is a multiple of 8) */
    bc->used += at + nside * sizeof(Blk);
    Blk **slot = &bc->tab[(pc0 >> 1) & BT_MASK];
    if (*slot)
        (*slot)->live = false;
    *slot = b;
    b->live = true;
    return b;
}

/* ---- Running blocks ----------------------------------------------------- */

/* The first n instructions of b: a block left in the middle. */
static __attribute__((noinline)) void count_part(uint64_t *cc,
                                                        const Blk *b,
                                                        uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        cc[b->icls[i]]++;
}

#if defined(__GNUC__)
#define CASE(k) L_##k:
#define DISPATCH() goto *op->run
#else
#define CASE(k) case K_##k:
#define DISPATCH() goto dispatch
#endif
#define NEXT() do { op++; DISPATCH(); } while (0)

/* What is left of [now, limit), at most INT64_MAX. */
static inline int64_t budget(uint64_t now, uint64_t limit)
{
    if (now >= limit)
        return 0;
    return limit - now > (uint64_t)INT64_MAX ? INT64_MAX
                                              : (int64_t)(limit - now);
}

#define ENGINE_NAME run_timed
#define ENGINE_TIMED 1
#define ENGINE_LOCKED 0
#include "isa/blocks_run.h"
#undef ENGINE_NAME
#undef ENGINE_LOCKED
#define ENGINE_NAME run_timed_locked
#define ENGINE_LOCKED 1
#include "isa/blocks_run.h"
#undef ENGINE_NAME
#undef ENGINE_TIMED
#undef ENGINE_LOCKED
#define ENGINE_NAME run_untimed
#define ENGINE_TIMED 0
#define ENGINE_LOCKED 0
#include "isa/blocks_run.h"
#undef ENGINE_NAME
#undef ENGINE_TIMED
#undef ENGINE_LOCKED

IsaBlocksExit isa_blocks_run(IsaHart *h, const IsaEnv *env,
                             uint64_t cycle_limit, uint64_t insn_limit)
{
    IsaDecodeCache *dc = h->dc;
    IsaMem *mem = env->mem;
    IsaBlocks *bc = dc->blocks;
    if (__builtin_expect(!bc, 0)) {
        if (mem->size < 8 || !(bc = blocks_new()))
            return ISA_BLOCKS_OFF;
        dc->blocks = bc;
    }
    /* The engine's stores look into the code map unconditionally. */
    if (env->nbreaks > MAX_BREAKS || !mem->code_map)
        return ISA_BLOCKS_OFF;
    for (uint32_t c = 0; c < ISA_CLASS_COUNT; c++)
        if (env->cost[c] >= MAX_COST)
            return ISA_BLOCKS_OFF;
    uint8_t engine = !env->access ? ENGINE_UNTIMED
                     : env->hit_filter && h->hits && h->hits->held
                         ? ENGINE_TIMED_LOCKED : ENGINE_TIMED_ONE;
    if (bc->mem != mem || bc->base != mem->base || bc->engine != engine ||
        memcmp(bc->cost, env->cost, sizeof bc->cost) ||
        bc->nbreaks != env->nbreaks ||
        (env->nbreaks && memcmp(bc->breaks, env->breaks,
                                env->nbreaks * sizeof *env->breaks))) {
        reset(bc);
        bc->mem = mem;
        bc->base = mem->base;
        bc->engine = engine;
        memcpy(bc->cost, env->cost, sizeof bc->cost);
        bc->nbreaks = env->nbreaks;
        if (env->nbreaks)
            memcpy(bc->breaks, env->breaks,
                   env->nbreaks * sizeof *env->breaks);
    }
    switch (engine) {
    case ENGINE_TIMED_ONE:
        return run_timed(h, env, bc, cycle_limit, insn_limit);
    case ENGINE_TIMED_LOCKED:
        return run_timed_locked(h, env, bc, cycle_limit, insn_limit);
    default:
        return run_untimed(h, env, bc, cycle_limit, insn_limit);
    }
}
