/* exec.c — the RV32IMAFC executor: hart set-up, the decoded-instruction
 * cache, the interpreter hot loop (isa_run), traps, CSRs, the guest
 * memory helpers and the harts' LR/SC reservations.
 *
 * The hot loop is "look up pc in the decode cache, switch on the op,
 * retire": decoding only happens on a cache miss.  pc, cycle and instret
 * live in locals for the whole run and are written back to the hart when
 * the loop stops or when something outside it (a CSR, the FPU, the timing
 * hook) may look at them.
 *
 * Memory is one flat RAM: every access is a bounds check against it and a
 * relaxed host atomic load or store (byte-wise when misaligned; plain
 * loads/stores may be) or a sequentially consistent host atomic (AMOs,
 * LR/SC), so that harts running on several host threads see each other's
 * atomics exactly as real cores would, with no host data race.  An SC
 * succeeds on a reservation that no other hart's write has killed, not on
 * a value that looks unchanged ("Reservations" below).  Host is
 * little-endian, as RISC-V.
 */
#include "isa/isa.h"
#include "isa/isa_priv.h"

#include <stdlib.h>
#include <string.h>

/* ---- mstatus bits (privileged spec 3.1.6) ------------------------------- */

#define MSTATUS_MIE  (1u << 3)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP  (3u << 11)      /* hard-wired to M: the only mode */
#define MSTATUS_FS   (3u << 13)
#define MSTATUS_SD   (1u << 31)      /* read-only summary: FS == Dirty */
#define MIE_MASK     0x888u          /* MSIE, MTIE, MEIE */
#define MISA_VALUE   0x40001125u     /* MXL=1 (RV32), I M A F C */

/* ---- The decoded-instruction cache -------------------------------------- */

static void dc_flush(IsaDecodeCache *dc)
{
    /* Tags only: fence.i flushes while the hot loop still reads the
     * entry of the instruction being retired. */
    for (uint32_t i = 0; i < DC_SIZE; i++)
        dc->e[i].tag = DC_INVALID;
    isa_blocks_flush(dc);
}

/* Drop this hart's entries for instructions overlapping code block blk
 * (an index into mem->code_map), and its blocks that hold one.  A 4-byte
 * instruction starting 2 bytes before the block also overlaps it. */
static void dc_drop_block(IsaDecodeCache *dc, const IsaMem *m, uint32_t blk)
{
    uint32_t start = m->base + (blk << ISA_CODE_BLOCK_SHIFT);
    uint32_t end = start + (1u << ISA_CODE_BLOCK_SHIFT);
    for (uint32_t pc = start - 2; pc != end; pc += 2) {
        DcEntry *e = &dc->e[(pc >> 1) & DC_MASK];
        if (e->tag == pc)
            e->tag = DC_INVALID;
    }
    isa_blocks_drop(dc, start - 2, end);
}

static inline void mark_block(uint8_t *map, uint32_t blk)
{
    uint8_t bit = (uint8_t)(1u << (blk & 7));
    if (!(__atomic_load_n(&map[blk >> 3], __ATOMIC_RELAXED) & bit))
        __atomic_fetch_or(&map[blk >> 3], bit, __ATOMIC_SEQ_CST);
}

/* A write hit code: tell every hart (code_gen) and, when there is one,
 * drop the writing hart's own stale entries at once so that the very
 * next instruction it fetches from that block is the new one. */
void isa_code_modified(IsaMem *m, IsaDecodeCache *dc, uint32_t off,
                       uint32_t len)
{
    uint32_t old = __atomic_fetch_add(&m->code_gen, 1, __ATOMIC_SEQ_CST);
    if (!dc)
        return;
    uint32_t b0 = off >> ISA_CODE_BLOCK_SHIFT;
    uint32_t b1 = (off + len - 1) >> ISA_CODE_BLOCK_SHIFT;
    for (uint32_t b = b0; b <= b1; b++)
        dc_drop_block(dc, m, b);
    /* If nobody else bumped the generation since this cache was last in
     * sync, its other entries are still good: skip the full flush that
     * the next isa_run would otherwise do. */
    if (old == dc->gen)
        dc->gen = old + 1;
}

/* ---- Breakpoints and watches ------------------------------------------------ */

static bool is_watched(const IsaRange *w, uint32_t n, uint32_t a,
                       uint32_t len)
{
    for (uint32_t i = 0; i < n; i++)
        if (a < w[i].hi && a + len > w[i].lo)
            return true;
    return false;
}

/* ---- Guest memory ------------------------------------------------------- */

/* ---- Reservations (LR/SC) ----------------------------------------------- */

/* What an LR reserves is a set: the naturally aligned IsaMem.resv_bytes
 * around its word.  A set is counted in the bucket its hash picks
 * (IsaMem.resv): how many reservations are live there, on which set, and
 * a generation that every kill bumps.  A hart's reservation is the
 * generation it joined at and is dead once the bucket's has moved on, so
 * killing every reservation on a set is one increment however many harts
 * hold one.  Two sets that share a bucket and both hold reservations are
 * killed together: an SC that fails for nothing, which RISC-V allows,
 * never one that succeeds wrongly.
 *
 * Who kills: a store, an AMO or a successful SC into the set, by another
 * hart (as the spec requires) or by the hart itself (as the spec allows:
 * its SC may then fail), and a write by the environment (isa_mem_write,
 * isa_mem_wrote: services, file reads, messages landing, copies).  Loads
 * never do.  The hart's own
 * store kills as on Rocket, whose L1 drops the reservation at the hart's
 * next access of any kind: the constrained LR/SC loops that the spec
 * promises progress to hold no stores, so only code outside them can
 * tell.  An SC to another word of the set may succeed, as on Rocket
 * (its reservation is a line); an SC outside the set fails.
 *
 * Host threads.  LR, SC and a kill each hold their bucket's lock, so an
 * SC and a kill of its set are ordered: two SCs of one generation cannot
 * both succeed, and a store that kills before the SC fails it.  A store
 * looks for reservations only when IsaMem.resv_live says there are any,
 * and only after it has written, with relaxed loads: a store on one host
 * thread that races an LR's registration on another within a few
 * nanoseconds may miss it.  So an SC to the word its LR read also
 * compares-and-swaps against what LR read there: such a store still fails
 * it if it changed the word, and if it left (or put back) what LR read,
 * nothing in the guest can tell it from a store before the LR.  A
 * deterministic run has one host thread and no such race: the
 * reservation alone decides. */

static inline uint32_t resv_shift(const IsaMem *m)
{
    return (uint32_t)__builtin_ctz(m->resv_bytes ? m->resv_bytes
                                                 : ISA_RESV_BYTES_DEFAULT);
}

static inline IsaResvBucket *resv_bucket(IsaMem *m, uint32_t set)
{
    /* Fibonacci hashing: sets a power of two apart (stacks, padded
     * slots) still spread over the buckets. */
    return &m->resv[(set * 0x9e3779b1u) >> (32 - ISA_RESV_BUCKET_BITS)];
}

static void resv_lock(IsaResvBucket *b)
{
    while (__atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&b->lock, __ATOMIC_RELAXED))
            ;
}

static void resv_unlock(IsaResvBucket *b)
{
    __atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE);
}

/* holders and set are read without the lock by the stores' look-up, so
 * they are written as atomics; gen only ever under it. */
static inline uint32_t get_(const uint32_t *f)
{
    return __atomic_load_n(f, __ATOMIC_RELAXED);
}

static inline void set_(uint32_t *f, uint32_t v)
{
    __atomic_store_n(f, v, __ATOMIC_RELAXED);
}

/* Kill every reservation counted in b (b locked). */
static void resv_kill(IsaMem *m, IsaResvBucket *b)
{
    uint32_t n = get_(&b->holders);
    if (!n)
        return;
    b->gen++;
    set_(&b->holders, 0);
    __atomic_fetch_sub(&m->resv_live, n, __ATOMIC_SEQ_CST);
}

/* Kill b's reservations if they may be on a set in [lo, hi]. */
static void resv_kill_sets(IsaMem *m, IsaResvBucket *b, uint32_t lo,
                           uint32_t hi)
{
    /* The count before the set (resv_lr writes them the other way). */
    if (!__atomic_load_n(&b->holders, __ATOMIC_ACQUIRE))
        return;
    uint32_t t = get_(&b->set);
    if (t != ISA_RESV_MIXED && (t < lo || t > hi))
        return;
    resv_lock(b);
    resv_kill(m, b);
    resv_unlock(b);
}

/* [a, a+n) has just been written: kill the reservations on the sets it
 * touched. */
void isa_resv_write(IsaMem *m, uint32_t a, uint32_t n)
{
    uint32_t sh = resv_shift(m);
    uint32_t s0 = a >> sh, s1 = (a + n - 1) >> sh;
    if (s1 - s0 < ISA_RESV_BUCKETS)
        for (uint32_t s = s0; s <= s1; s++)
            resv_kill_sets(m, resv_bucket(m, s), s, s);
    else        /* a long write (the environment's): the buckets in use */
        for (uint32_t i = 0; i < ISA_RESV_BUCKETS; i++)
            resv_kill_sets(m, &m->resv[i], s0, s1);
}

void isa_resv_drop(IsaHart *h, IsaMem *m)
{
    if (!h->resv_valid)
        return;
    h->resv_valid = false;
    IsaResvBucket *b = resv_bucket(m, h->resv_addr >> resv_shift(m));
    resv_lock(b);
    if (b->gen == h->resv_gen) {
        set_(&b->holders, get_(&b->holders) - 1);
        __atomic_fetch_sub(&m->resv_live, 1, __ATOMIC_SEQ_CST);
    }
    resv_unlock(b);
}

/* lr.w of the aligned word at a (p in RAM or a window): reserve its set,
 * then read it. */
uint32_t isa_resv_lr(IsaMem *m, IsaHart *h, uint32_t a, const uint8_t *p)
{
    uint32_t sh = resv_shift(m), s = a >> sh;
    IsaResvBucket *b = resv_bucket(m, s);
    if (h->resv_valid && resv_bucket(m, h->resv_addr >> sh) != b)
        isa_resv_drop(h, m);
    resv_lock(b);
    uint32_t n = get_(&b->holders);
    bool counted = h->resv_valid && h->resv_gen == b->gen;  /* spinning */
    uint32_t others = n - counted;
    /* The set before the count: a store that sees the count sees the
     * set (resv_kill_sets reads them the other way round). */
    set_(&b->set, others == 0 || get_(&b->set) == s ? s : ISA_RESV_MIXED);
    if (!counted) {
        __atomic_store_n(&b->holders, n + 1, __ATOMIC_RELEASE);
        /* seq_cst: counted before the word is read (a store that writes
         * it after the read then finds the reservation) */
        __atomic_fetch_add(&m->resv_live, 1, __ATOMIC_SEQ_CST);
    }
    h->resv_gen = b->gen;
    resv_unlock(b);
    uint32_t v = __atomic_load_n((const uint32_t *)(const void *)p,
                                 __ATOMIC_SEQ_CST);
    h->resv_addr = a;
    h->resv_value = v;
    h->resv_valid = true;
    return v;
}

/* sc.w of v to the aligned word at a (p): does it succeed?  Either way
 * the hart's reservation is gone after it; a success kills everyone
 * else's on the set. */
bool isa_resv_sc(IsaMem *m, IsaHart *h, uint32_t a, uint8_t *p, uint32_t v)
{
    if (!h->resv_valid)
        return false;
    h->resv_valid = false;
    uint32_t sh = resv_shift(m), s = h->resv_addr >> sh;
    uint32_t *w = (uint32_t *)(void *)p;
    IsaResvBucket *b = resv_bucket(m, s);
    bool ok = false;
    resv_lock(b);
    bool held = b->gen == h->resv_gen;
    if (held && a >> sh == s) {
        if (a == h->resv_addr) {
            uint32_t seen = h->resv_value;
            ok = __atomic_compare_exchange_n(w, &seen, v, false,
                                             __ATOMIC_SEQ_CST,
                                             __ATOMIC_SEQ_CST);
        } else {
            __atomic_store_n(w, v, __ATOMIC_SEQ_CST);
            ok = true;
        }
    }
    if (held) {
        uint32_t n = get_(&b->holders);
        if (ok)
            b->gen++;           /* its own among them */
        set_(&b->holders, ok ? 0 : n - 1);
        __atomic_fetch_sub(&m->resv_live, ok ? n : 1, __ATOMIC_SEQ_CST);
    }
    resv_unlock(b);
    return ok;
}

uint8_t *isa_mem_ptr(const IsaMem *m, uint32_t addr, uint32_t len)
{
    uint32_t off = addr - m->base;
    if (off > m->size || len > m->size - off)
        return NULL;
    return m->ram + off;
}

bool isa_mem_read(const IsaMem *m, uint32_t addr, void *dst, uint32_t len)
{
    const uint8_t *p = isa_mem_ptr(m, addr, len);
    if (!p)
        return false;
    for (uint32_t i = 0; i < len; i++)
        ((uint8_t *)dst)[i] = (uint8_t)ld8(p + i);
    return true;
}

bool isa_mem_write(IsaMem *m, uint32_t addr, const void *src, uint32_t len)
{
    uint8_t *p = isa_mem_ptr(m, addr, len);
    if (!p)
        return false;
    for (uint32_t i = 0; i < len; i++)
        st8(p + i, ((const uint8_t *)src)[i]);
    isa_mem_wrote(m, addr, len);
    return true;
}

void isa_mem_wrote(IsaMem *m, uint32_t addr, uint32_t len)
{
    if (len == 0 || !isa_mem_ptr(m, addr, len))
        return;
    if (__atomic_load_n(&m->resv_live, __ATOMIC_RELAXED))
        isa_resv_write(m, addr, len);
    /* No hart to drop entries from here: bumping the generation makes
     * every hart flush at its next isa_run. */
    uint32_t off = addr - m->base;
    if (m->code_map && code_written(m->code_map, off, len))
        isa_code_modified(m, NULL, off, len);
}

/* ---- Harts -------------------------------------------------------------- */

bool isa_hart_init(IsaHart *h, uint32_t hartid, uint32_t entry)
{
    memset(h, 0, sizeof *h);
    h->dc = calloc(1, sizeof *h->dc);
    if (!h->dc)
        return false;
    dc_flush(h->dc);
    h->dc->gen = 0;
    h->hartid = hartid;
    h->mhartid = hartid;
    h->pc = entry;
    h->brk_resume = ISA_NO_PC;
    /* FS starts at Initial rather than Off: parsim does not trap F
     * instructions on FS=Off, so saying "on" is the honest value. */
    h->mstatus = MSTATUS_MPP | (1u << 13);
    return true;
}

bool isa_hart_at(const IsaHart *h, uint64_t cycle, IsaHartView *out)
{
    memcpy(out->x, h->x, sizeof out->x);
    out->pc = h->pc;
    out->cycle = h->cycle;
    out->instret = h->instret;
    out->undone = 0;
    if (h->cycle <= cycle)
        return true;
    if (!h->undo)
        return false;
    uint64_t n = h->undo_next < ISA_UNDO ? h->undo_next : ISA_UNDO;
    for (uint64_t k = 1; k <= n; k++) {
        const IsaUndo *u = &h->undo[(h->undo_next - k) & (ISA_UNDO - 1)];
        if (u->cycle < cycle)
            return true;
        out->x[u->rd] = u->old;
        out->pc = u->pc;
        out->cycle = u->cycle;
        out->instret = u->instret;
        out->undone++;
    }
    out->x[0] = 0;
    /* Back to the first instruction ever begun: the hart as it started. */
    return h->undo_next <= ISA_UNDO;
}

void isa_hart_free(IsaHart *h)
{
    if (h->dc)
        isa_blocks_free(h->dc);
    free(h->dc);
    h->dc = NULL;
}

void isa_take_trap(IsaHart *h, uint32_t cause, uint32_t tval, uint32_t pc)
{
    uint32_t s = h->mstatus;
    s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
    s = (s & ~MSTATUS_MIE) | MSTATUS_MPP;
    h->mstatus = s;
    h->mepc = pc & ~1u;
    h->mcause = cause;
    h->mtval = tval;
    h->pc = h->mtvec & ~3u;          /* direct mode only */
}

void isa_skip(IsaHart *h, const IsaEnv *env, const IsaStop *stop)
{
    if (stop->kind == ISA_STOP_LIMIT)
        return;
    /* SEMIHOST: step over the ebreak only; the srai x0,x0,7 after it
     * then runs as the no-op it is. */
    uint32_t len = (stop->kind == ISA_STOP_SEMIHOST || (stop->insn & 3) == 3)
                 ? 4 : 2;
    h->pc = stop->pc + len;
    h->instret++;
    h->cycle += env->cost[ISA_CLASS_SYSTEM];
}

/* ---- CSRs --------------------------------------------------------------- */

bool isa_csr_read(IsaHart *h, uint32_t csr, uint32_t *val)
{
    uint32_t v;
    switch (csr) {
    case ISA_CSR_FFLAGS:    v = h->fcsr & 0x1f; break;
    case ISA_CSR_FRM:       v = (h->fcsr >> 5) & 7; break;
    case ISA_CSR_FCSR:      v = h->fcsr & 0xff; break;
    case ISA_CSR_CYCLE:
    case ISA_CSR_TIME:      /* time is the hart's own clock */
    case ISA_CSR_MCYCLE:    v = (uint32_t)h->cycle; break;
    case ISA_CSR_CYCLEH:
    case ISA_CSR_TIMEH:
    case ISA_CSR_MCYCLEH:   v = (uint32_t)(h->cycle >> 32); break;
    case ISA_CSR_INSTRET:
    case ISA_CSR_MINSTRET:  v = (uint32_t)h->instret; break;
    case ISA_CSR_INSTRETH:
    case ISA_CSR_MINSTRETH: v = (uint32_t)(h->instret >> 32); break;
    case ISA_CSR_MSTATUS:
        v = h->mstatus;
        if ((v & MSTATUS_FS) == MSTATUS_FS)
            v |= MSTATUS_SD;
        break;
    case ISA_CSR_MSTATUSH:  v = 0; break;
    case ISA_CSR_MISA:      v = MISA_VALUE; break;
    case ISA_CSR_MIE:       v = h->mie; break;
    case ISA_CSR_MIP:       v = h->mip; break;
    case ISA_CSR_MTVEC:     v = h->mtvec; break;
    case ISA_CSR_MSCRATCH:  v = h->mscratch; break;
    case ISA_CSR_MEPC:      v = h->mepc; break;
    case ISA_CSR_MCAUSE:    v = h->mcause; break;
    case ISA_CSR_MTVAL:     v = h->mtval; break;
    case ISA_CSR_MARCHID:   v = h->marchid; break;
    case ISA_CSR_MVENDORID:
    case ISA_CSR_MIMPID:    v = 0; break;
    case ISA_CSR_MHARTID:   v = h->mhartid; break;
    default:
        if (h->simt_csr && csr - ISA_CSR_SIMT_FIRST < ISA_SIMT_CSR_COUNT) {
            v = h->simt_csr[csr - ISA_CSR_SIMT_FIRST];
            break;
        }
        return false;
    }
    *val = v;
    return true;
}

bool isa_csr_write(IsaHart *h, uint32_t csr, uint32_t val)
{
    switch (csr) {
    case ISA_CSR_FFLAGS:
        h->fcsr = (h->fcsr & 0xe0) | (val & 0x1f);
        return true;
    case ISA_CSR_FRM:
        h->fcsr = (h->fcsr & 0x1f) | ((val & 7) << 5);
        return true;
    case ISA_CSR_FCSR:
        h->fcsr = val & 0xff;
        return true;
    case ISA_CSR_MCYCLE:
        h->cycle = (h->cycle & ~(uint64_t)0xffffffff) | val;
        return true;
    case ISA_CSR_MCYCLEH:
        h->cycle = (h->cycle & 0xffffffff) | ((uint64_t)val << 32);
        return true;
    case ISA_CSR_MINSTRET:
        h->instret = (h->instret & ~(uint64_t)0xffffffff) | val;
        return true;
    case ISA_CSR_MINSTRETH:
        h->instret = (h->instret & 0xffffffff) | ((uint64_t)val << 32);
        return true;
    case ISA_CSR_MSTATUS:   /* WARL: MPP stays M, SD is computed */
        h->mstatus = (val & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_FS))
                   | MSTATUS_MPP;
        return true;
    case ISA_CSR_MSTATUSH:  /* WARL, all zero (little-endian, no MBE) */
    case ISA_CSR_MISA:      /* WARL: the extensions cannot be turned off */
    case ISA_CSR_MIP:       /* pending bits are set by the environment */
        return true;
    case ISA_CSR_MIE:
        h->mie = val & MIE_MASK;
        return true;
    case ISA_CSR_MTVEC:     /* WARL: direct mode only */
        h->mtvec = val & ~3u;
        return true;
    case ISA_CSR_MSCRATCH:
        h->mscratch = val;
        return true;
    case ISA_CSR_MEPC:      /* IALIGN=16 with C */
        h->mepc = val & ~1u;
        return true;
    case ISA_CSR_MCAUSE:
        h->mcause = val;
        return true;
    case ISA_CSR_MTVAL:
        h->mtval = val;
        return true;
    default:    /* unknown, or read-only (0xc00-0xcff, 0xf11-0xf14) */
        return false;
    }
}

/* One csrr* instruction.  csrrw/csrrwi with rd=x0 do not read, and
 * csrrs/csrrc with rs1=x0, csrrsi/csrrci with zimm=0 do not write, so
 * reading a read-only CSR is legal and writing a write-only use has no
 * read side effects.  Nothing is committed when it fails. */
static bool exec_csr(IsaHart *h, const IsaInsn *in, bool *wrote)
{
    uint32_t csr = (uint32_t)in->imm;
    bool is_imm = in->op >= ISA_OP_csrrwi;          /* ORDER INSN */
    unsigned kind = (in->op - (is_imm ? ISA_OP_csrrwi : ISA_OP_csrrw));
    uint32_t src = is_imm ? in->rs1 : h->x[in->rs1];
    bool do_read = kind != 0 || in->rd != 0;
    bool do_write = kind == 0 || in->rs1 != 0;
    uint32_t old = 0;
    if (do_read && !isa_csr_read(h, csr, &old))
        return false;
    if (do_write) {
        uint32_t v = kind == 0 ? src : kind == 1 ? (old | src) : (old & ~src);
        if (!isa_csr_write(h, csr, v))
            return false;
    }
    if (do_read)
        h->x[in->rd] = old;
    *wrote = do_write;
    return true;
}

/* ---- Instruction fetch -------------------------------------------------- */

/* Fill a cache entry with the instruction at pc.  Returns 0, or the trap
 * cause (FETCH_ACCESS, ILLEGAL) with *raw = the bits fetched so far. */
uint32_t isa_dc_fill(DcEntry *e, IsaMem *m, uint32_t pc, uint32_t *raw)
{
    uint32_t off = pc - m->base;
    *raw = 0;
    /* The entry is rewritten below: until it holds pc, it holds nothing
     * (a failed fill must not leave another pc's tag on half an entry). */
    e->tag = DC_INVALID;
    if (off >= m->size || m->size - off < 2)
        return ISA_CAUSE_FETCH_ACCESS;
    uint32_t len = 2;
    uint16_t lo, hi = 0;
    lo = (uint16_t)ld16(m->ram + off);
    if ((lo & 3) == 3) {
        if (m->size - off < 4)
            return ISA_CAUSE_FETCH_ACCESS;
        hi = (uint16_t)ld16(m->ram + off + 2);
        len = 4;
    }
    *raw = lo | ((uint32_t)hi << 16);
    if (!isa_decode(*raw, &e->in))
        return ISA_CAUSE_ILLEGAL;
    if (m->code_map) {
        mark_block(m->code_map, off >> ISA_CODE_BLOCK_SHIFT);
        mark_block(m->code_map, (off + len - 1) >> ISA_CODE_BLOCK_SHIFT);
    }
    e->tag = pc;
    return 0;
}

/* slli x0,x0,0x1f; ebreak; srai x0,x0,7 — the RISC-V semihosting call */
static bool is_semihost(const IsaMem *m, uint32_t pc)
{
    uint32_t pre, post;
    return isa_mem_read(m, pc - 4, &pre, 4) && isa_mem_read(m, pc + 4, &post, 4)
        && pre == 0x01f01013u && post == 0x40705013u;
}

/* ---- The hot loop ------------------------------------------------------- */

/* One switch per instruction.  A computed-goto version (Lua style, the
 * dispatch replicated at the end of every handler) was measured and
 * dropped: gcc and clang both merge the replicated dispatch back into a
 * few indirect jumps, and with gcc -O2 it ran about 10% slower than this
 * switch (clang: within noise).
 *
 * With env->blocks, the loop hands the hart to the block engine
 * (blocks.c) whenever it may, and takes it back one instruction at a
 * time for what the engine leaves to it: an instruction no block holds
 * (ecall, csr*, fence.i, ...), a trap (done again here, where it is
 * raised), the few instructions before a limit, a breakpoint (no block
 * holds one).  The engine is off when something must see every
 * instruction: the issue hook, the undo ring, watches. */

IsaStopKind isa_run(IsaHart *h, const IsaEnv *env, uint64_t cycle_limit,
                    uint64_t insn_limit, IsaStop *stop)
{
    IsaStop scratch;
    if (!stop)
        stop = &scratch;

    IsaMem *mem = env->mem;
    IsaDecodeCache *dc = h->dc;
    uint32_t gen = __atomic_load_n(&mem->code_gen, __ATOMIC_ACQUIRE);
    if (gen != dc->gen) {       /* some hart wrote into code since */
        dc_flush(dc);
        dc->gen = gen;
    }

    uint32_t cost[ISA_CLASS_COUNT];
    memcpy(cost, env->cost, sizeof cost);
    const IsaAccessFn access = env->access;
    /* The hook's hit filter: its hits done here, without the call. */
    IsaHitFilter *const hits = env->hit_filter ? h->hits : NULL;
    const IsaIssueFn issue = env->issue;
    uint8_t *const ram = mem->ram;
    const uint32_t base = mem->base, size = mem->size;
    const uint8_t *const code_map = mem->code_map;
    const uint32_t stack_lo = h->stack_lo, stack_guard = h->stack_guard;
    const uint32_t nwatches = env->nwatches;
    uint32_t watched = 0;       /* a watched store: its address + 1 */
    uint32_t watched_pc = 0;
    DcEntry *const ents = dc->e;
    uint32_t *const x = h->x;
    IsaUndo *const undo = h->undo;
    uint64_t undo_next = h->undo_next;

    /* A run of a few cycles (a slice while harts share lines, a GPU
     * lane's one instruction) costs less one by one than the engine's
     * start and end. */
    bool blocks = env->blocks && !issue && !undo && !nwatches &&
                  cycle_limit - h->cycle >= ISA_BLOCKS_MIN_RUN &&
                  insn_limit - h->instret >= ISA_BLOCKS_MIN_RUN;
    uint32_t alone = 0;         /* instructions to run here before blocks */

    uint32_t pc = h->pc;
    uint64_t cycle = h->cycle, instret = h->instret;
    IsaStopKind kind;
    uint32_t cause = 0, tval = 0, raw = 0;

    /* Everything the access hook may look at is current when it runs:
     * cycle and pc of the instruction doing the access. */
#define SYNC_HART() (h->pc = pc, h->cycle = cycle, h->instret = instret)

    for (;;) {
        if (__builtin_expect(cycle >= cycle_limit || instret >= insn_limit, 0)) {
            kind = watched ? ISA_STOP_WATCH : ISA_STOP_LIMIT;
            tval = watched ? watched - 1 : 0;
            goto out;
        }
        if (blocks && alone-- == 0) {
            SYNC_HART();
            IsaBlocksExit r = isa_blocks_run(h, env, cycle_limit, insn_limit);
            pc = h->pc;
            cycle = h->cycle;
            instret = h->instret;
            if (r == ISA_BLOCKS_DEFER) {
                kind = ISA_STOP_LIMIT;
                goto out;
            }
            /* After REST the limit is at most a block away. */
            alone = r == ISA_BLOCKS_REST ? ISA_BLOCK_MAX : 0;
            blocks = r != ISA_BLOCKS_OFF;
            if (cycle >= cycle_limit || instret >= insn_limit) {
                kind = ISA_STOP_LIMIT;
                goto out;
            }
        }
        DcEntry *e = &ents[(pc >> 1) & DC_MASK];
        if (__builtin_expect(e->tag != pc, 0)) {
            /* A breakpoint's instruction is never kept decoded, so that
             * every time the hart comes back to it it misses here. */
            bool brk = env->nbreaks &&
                       is_break(env->breaks, env->nbreaks, pc);
            if (brk && h->brk_resume != pc) {
                kind = ISA_STOP_BREAK;
                raw = 0;        /* not fetched (not the last fill's) */
                goto out;
            }
            h->brk_resume = ISA_NO_PC;
            cause = isa_dc_fill(e, mem, pc, &raw);
            if (cause) {
                tval = cause == ISA_CAUSE_FETCH_ACCESS ? pc : raw;
                kind = ISA_STOP_TRAP;
                goto out;
            }
            if (brk)
                e->tag = DC_INVALID;
        }
        const IsaInsn *in = &e->in;
        uint32_t npc = pc + in->len;
        const uint64_t c0 = cycle;
        if (__builtin_expect(undo != NULL, 0)) {
            IsaUndo *u = &undo[undo_next++ & (ISA_UNDO - 1)];
            u->cycle = cycle;
            u->instret = instret;
            u->pc = pc;
            /* A service call (ecall, a semihosting ebreak) answers in a0. */
            u->rd = in->op == ISA_OP_ecall || in->op == ISA_OP_ebreak
                        ? 10 : (uint8_t)(in->rd & 31);
            u->old = x[u->rd];
        }
        uint32_t a;
        uint8_t *p;
        bool inwin;         /* p is in a window, not RAM */

        switch ((IsaOp)in->op) {
        /* ---- RV32I ---- */
        case ISA_OP_lui:   x[in->rd] = (uint32_t)in->imm; break;
        case ISA_OP_auipc: x[in->rd] = pc + (uint32_t)in->imm; break;
        case ISA_OP_jal:
            x[in->rd] = npc;
            npc = pc + (uint32_t)in->imm;
            break;
        case ISA_OP_jalr:       /* target first: rd may equal rs1 */
            a = (x[in->rs1] + (uint32_t)in->imm) & ~1u;
            x[in->rd] = npc;
            npc = a;
            break;
#define BRANCH_CASE(name, cond)                                  \
        case ISA_OP_##name:                                      \
            if (sem_##name(x[in->rs1], x[in->rs2]))              \
                npc = pc + (uint32_t)in->imm;                    \
            break;
        ISA_SEM_BRANCH(BRANCH_CASE)
#undef BRANCH_CASE

        /* Loads and stores: any alignment, bounds-checked. */
    /* p for [a, a+n): RAM, else a window, else the trap. */
#define LOCATE(n, fault)                                         \
            p = ram_at(ram, base, size, a, n);                   \
            inwin = false;                                       \
            if (__builtin_expect(!p, 0)) {                       \
                p = win_at(env->win, env->nwin, a, n);                \
                if (!p) { cause = fault; tval = a; goto trap; }  \
                inwin = true;                                    \
            }
#define MEM_AT(n, fault)                                         \
            a = x[in->rs1] + (uint32_t)in->imm;                  \
            LOCATE(n, fault)
    /* The timing seam, before the access is performed: it may answer
     * ISA_ACCESS_DEFER, and the hart then stops before the instruction
     * (ISA_STOP_LIMIT), to do it again when it is next run. */
#define ACCESS(n, k)                                             \
            if ((k == ISA_ACC_LOAD || k == ISA_ACC_STORE) && hits && \
                isa_hit_take(hits, a, n, k == ISA_ACC_STORE, cycle)) \
                cycle += hits->latency;                          \
            else if (access) {                                   \
                SYNC_HART();                                     \
                uint32_t lat_ = access(env->access_ctx, h, a, n, k);\
                if (__builtin_expect(lat_ == ISA_ACCESS_DEFER, 0)) \
                    goto defer;                                  \
                cycle += lat_;                                   \
            }
    /* A store with sp in the stack guard: the stack has overflowed. */
#define GUARD()                                                  \
            if (__builtin_expect(x[2] - stack_lo < stack_guard, 0)) { \
                cause = ISA_CAUSE_STACK_OVERFLOW; tval = x[2];   \
                goto trap;                                       \
            }
    /* After a write: kill the reservations on its sets (the one load and
     * branch of a store while there are none). */
#define KILLS(n)                                                 \
            if (__builtin_expect(__atomic_load_n(&mem->resv_live,  \
                                                 __ATOMIC_RELAXED) \
                                 != 0, 0))                       \
                isa_resv_write(mem, a, n)
#define STORED(n) do {                                           \
            if (code_map && !inwin &&                            \
                code_written(code_map, (uint32_t)(p - ram), n))  \
                isa_code_modified(mem, dc, (uint32_t)(p - ram), n);  \
            if (__builtin_expect(nwatches != 0, 0) &&            \
                is_watched(env->watches, nwatches, a, n)) {      \
                watched = a + 1;    /* stop after this one */    \
                watched_pc = pc;                                 \
                insn_limit = 0;                                  \
            }                                                    \
        } while (0)
#define LOAD_CASE(name, n, get)                                  \
        case ISA_OP_##name:                                      \
            MEM_AT(n, ISA_CAUSE_LOAD_ACCESS);                    \
            ACCESS(n, ISA_ACC_LOAD);                             \
            x[in->rd] = get(p);                                  \
            break;
        ISA_SEM_LOAD(LOAD_CASE)
#undef LOAD_CASE
        case ISA_OP_flw:
            MEM_AT(4, ISA_CAUSE_LOAD_ACCESS);
            ACCESS(4, ISA_ACC_LOAD);
            h->f[in->rd] = ld32(p);
            break;
#define STORE_CASE(name, n, put)                                 \
        case ISA_OP_##name:                                      \
            GUARD();                                             \
            MEM_AT(n, ISA_CAUSE_STORE_ACCESS);                   \
            ACCESS(n, ISA_ACC_STORE);                            \
            put(p, x[in->rs2]);                                  \
            KILLS(n);                                            \
            STORED(n);                                           \
            break;
        ISA_SEM_STORE(STORE_CASE)
#undef STORE_CASE
        case ISA_OP_fsw:
            GUARD();
            MEM_AT(4, ISA_CAUSE_STORE_ACCESS);
            ACCESS(4, ISA_ACC_STORE);
            st32(p, h->f[in->rs2]);
            KILLS(4);
            STORED(4);
            break;

        /* ---- Arithmetic (RV32I, M) ---- */
#define ALU_CASES(rr, ri, expr)                                  \
        case ISA_OP_##rr:                                        \
            x[in->rd] = sem_##rr(x[in->rs1], x[in->rs2]);        \
            break;                                               \
        case ISA_OP_##ri:                                        \
            x[in->rd] = sem_##rr(x[in->rs1], (uint32_t)in->imm); \
            break;
#define ALU_CASE(name, expr)                                     \
        case ISA_OP_##name:                                      \
            x[in->rd] = sem_##name(x[in->rs1], x[in->rs2]);      \
            break;
        ISA_SEM_RR_RI(ALU_CASES)
        ISA_SEM_RR(ALU_CASE)
#undef ALU_CASES
#undef ALU_CASE

        /* ---- A: host atomics, aligned only ---- */
        case ISA_OP_lr_w:
            a = x[in->rs1];
            if (a & 3) { cause = ISA_CAUSE_LOAD_MISALIGNED; tval = a; goto trap; }
            LOCATE(4, ISA_CAUSE_LOAD_ACCESS);
            ACCESS(4, ISA_ACC_LR);
            x[in->rd] = isa_resv_lr(mem, h, a, p);
            break;
        case ISA_OP_sc_w: {
            a = x[in->rs1];
            if (a & 3) { cause = ISA_CAUSE_STORE_MISALIGNED; tval = a; goto trap; }
            LOCATE(4, ISA_CAUSE_STORE_ACCESS);
            ACCESS(4, ISA_ACC_SC);
            /* resv_sc kills the set's other reservations itself */
            bool ok = isa_resv_sc(mem, h, a, p, x[in->rs2]);
            x[in->rd] = ok ? 0 : 1;
            if (ok)
                STORED(4);
            break;
        }
        case ISA_OP_amoswap_w: case ISA_OP_amoadd_w: case ISA_OP_amoxor_w:
        case ISA_OP_amoand_w: case ISA_OP_amoor_w: case ISA_OP_amomin_w:
        case ISA_OP_amomax_w: case ISA_OP_amominu_w: case ISA_OP_amomaxu_w:
            a = x[in->rs1];
            if (a & 3) { cause = ISA_CAUSE_STORE_MISALIGNED; tval = a; goto trap; }
            LOCATE(4, ISA_CAUSE_STORE_ACCESS);
            ACCESS(4, ISA_ACC_AMO);
            x[in->rd] = amo(in->op, (uint32_t *)(void *)p, x[in->rs2]);
            KILLS(4);
            STORED(4);
            break;
#undef MEM_AT
#undef LOCATE
#undef GUARD
#undef KILLS
#undef STORED

        /* ---- System ---- */
        case ISA_OP_fence:
            /* Every access is already performed in order; the timing
             * model may make the fence wait (for its store buffer). */
            a = 0;
            ACCESS(0, ISA_ACC_FENCE);
            break;
#undef ACCESS
        case ISA_OP_fence_i:
            dc_flush(dc);
            dc->gen = __atomic_load_n(&mem->code_gen, __ATOMIC_ACQUIRE);
            break;
        case ISA_OP_ecall:
            kind = ISA_STOP_ECALL;
            goto stop_here;
        case ISA_OP_ebreak:
            /* c.ebreak is never a semihosting call: the sequence is
             * defined with uncompressed instructions only */
            kind = in->len == 4 && is_semihost(mem, pc) ? ISA_STOP_SEMIHOST
                                                        : ISA_STOP_EBREAK;
            goto stop_here;
        case ISA_OP_wfi:
            kind = ISA_STOP_WFI;
            goto stop_here;
        case ISA_OP_mret: {
            uint32_t s = h->mstatus;
            s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
            h->mstatus = s | MSTATUS_MPIE | MSTATUS_MPP;
            npc = h->mepc;
            break;
        }
        case ISA_OP_csrrw: case ISA_OP_csrrs: case ISA_OP_csrrc:
        case ISA_OP_csrrwi: case ISA_OP_csrrsi: case ISA_OP_csrrci: {
            bool wrote = false;
            SYNC_HART();
            if (!exec_csr(h, in, &wrote)) {
                cause = ISA_CAUSE_ILLEGAL; tval = in->raw; goto trap;
            }
            cycle = h->cycle;
            instret = h->instret;
            /* A counter write takes effect after the writing instruction
             * retired: the value written is what the next one reads, so
             * cancel the increments the retire step below adds. */
            if (wrote) {
                uint32_t csr = (uint32_t)in->imm;
                if (csr == ISA_CSR_MINSTRET || csr == ISA_CSR_MINSTRETH)
                    instret--;
                if (csr == ISA_CSR_MCYCLE || csr == ISA_CSR_MCYCLEH)
                    cycle -= cost[in->cls];
            }
            break;
        }

        /* ---- F (other than flw/fsw) ---- */
        default:
            /* ORDER INSN: fmadd.s .. fmv.w.x are the F ops after fsw */
            if (in->op >= ISA_OP_fmadd_s && in->op <= ISA_OP_fmv_w_x) {
                if (!isa_fp_exec(h, in)) {
                    cause = ISA_CAUSE_ILLEGAL; tval = in->raw; goto trap;
                }
                break;
            }
            cause = ISA_CAUSE_ILLEGAL;
            tval = in->raw;
            goto trap;
        }

        x[0] = 0;               /* cheaper than testing rd everywhere */
        pc = npc;
        instret++;
        cycle += cost[in->cls];
        h->class_count[in->cls]++;
        if (issue)
            cycle = issue(env->issue_ctx, h, c0, cycle);
        continue;

    trap:
        kind = ISA_STOP_TRAP;
        raw = in->raw;
        goto out;
    stop_here:
        cause = 0;
        raw = in->raw;
        goto out;
    defer:
        /* Nothing of the instruction has happened: not even its undo
         * record. */
        if (undo)
            undo_next--;
        kind = ISA_STOP_LIMIT;
        goto out;
    }
#undef SYNC_HART

out:
    x[0] = 0;
    h->pc = pc;
    h->cycle = cycle;
    h->instret = instret;
    h->undo_next = undo_next;
    stop->kind = kind;
    stop->cause = kind == ISA_STOP_TRAP ? cause : 0;
    stop->tval = kind == ISA_STOP_TRAP || kind == ISA_STOP_WATCH ? tval : 0;
    stop->pc = pc;
    stop->insn = kind == ISA_STOP_LIMIT ? 0 : raw;
    stop->store_pc = kind == ISA_STOP_WATCH ? watched_pc : 0;
    return kind;
}

/* ---- SIMT: one instruction for many harts ------------------------------- */

/* The switch is taken once per instruction and the lanes loop inside each
 * case: for a warp of 32 lanes the decode and the dispatch cost 1/32 of
 * what isa_run would spend on them.  The instruction is whatever the
 * caller decoded at pc (isa_decoded).  Every op that is not plain
 * arithmetic, a branch, a jump, a load or a store (system, atomics, CSRs
 * other than the SIMT ones, and any access that would trap) is left to
 * isa_run: its lanes come back in the returned mask, untouched. */
uint32_t isa_simt_step(IsaHart *const lanes[], uint32_t n,
                       const IsaInsn *in, uint32_t pc, const IsaEnv *env)
{
    IsaMem *mem = env->mem;
    uint8_t *const ram = mem->ram;
    const uint32_t base = mem->base, size = mem->size;
    const IsaWindow *const win = env->win;
    const uint32_t nwin = env->nwin;
    const IsaAccessFn access = env->access;
    void *const actx = env->access_ctx;
    const uint32_t rd = in->rd, rs1 = in->rs1, rs2 = in->rs2;
    const uint32_t imm = (uint32_t)in->imm, npc = pc + in->len;
    const uint32_t all = n == 32 ? 0xffffffffu : (1u << n) - 1;
    uint32_t slow = 0;

    /* A lane that is done: `continue` before the end of body leaves it
     * to isa_run (its bit in slow), reaching the end retires it. */
#define EACH(body)                                                  \
    for (uint32_t l = 0; l < n; l++) {                              \
        IsaHart *h = lanes[l];                                      \
        uint32_t *x = h->x;                                         \
        (void)x;                                                    \
        body;                                                       \
        h->instret++;                                               \
    }
#define ARITH(expr) EACH(x[rd] = (expr); h->pc = npc)
#define BRANCH(cond) EACH(h->pc = (cond) ? pc + imm : npc)
    /* A lane whose access misses RAM and every window goes to isa_run,
     * which raises the trap. */
#define LOAD(n_, k_, get)                                           \
    EACH(uint32_t a = x[rs1] + imm;                                 \
         uint8_t *p = ram_at(ram, base, size, a, n_);               \
         if (!p && !(p = win_at(win, nwin, a, n_))) {               \
             slow |= 1u << l;                                       \
             continue;                                              \
         }                                                          \
         get;                                                       \
         h->pc = npc;                                               \
         if (access)                                                \
             (void)access(actx, h, a, n_, k_))
    /* A store kills the reservations on its set as isa_run's do (LR, SC
     * and AMOs are isa_run's: the default case). */
#define STORE(n_, put)                                              \
    EACH(if (x[2] - h->stack_lo < h->stack_guard) {                 \
             slow |= 1u << l;                                       \
             continue;                                              \
         }                                                          \
         uint32_t a = x[rs1] + imm;                                 \
         uint8_t *p = ram_at(ram, base, size, a, n_);               \
         bool inwin = false;                                        \
         if (!p) {                                                  \
             if (!(p = win_at(win, nwin, a, n_))) {                 \
                 slow |= 1u << l;                                   \
                 continue;                                          \
             }                                                      \
             inwin = true;                                          \
         }                                                          \
         put;                                                       \
         if (__builtin_expect(__atomic_load_n(&mem->resv_live,      \
                                              __ATOMIC_RELAXED)     \
                              != 0, 0))                             \
             isa_resv_write(mem, a, n_);                                \
         if (!inwin && mem->code_map &&                             \
             code_written(mem->code_map, (uint32_t)(p - ram), n_))  \
             isa_code_modified(mem, h->dc, (uint32_t)(p - ram), n_);    \
         h->pc = npc;                                               \
         if (access)                                                \
             (void)access(actx, h, a, n_, ISA_ACC_STORE))

    switch ((IsaOp)in->op) {
    case ISA_OP_lui:   ARITH(imm); break;
    case ISA_OP_auipc: ARITH(pc + imm); break;
    case ISA_OP_jal:   EACH(x[rd] = npc; h->pc = pc + imm); break;
    case ISA_OP_jalr:
        EACH(uint32_t t = (x[rs1] + imm) & ~1u; x[rd] = npc; h->pc = t);
        break;
    case ISA_OP_beq:  BRANCH(x[rs1] == x[rs2]); break;
    case ISA_OP_bne:  BRANCH(x[rs1] != x[rs2]); break;
    case ISA_OP_blt:  BRANCH((int32_t)x[rs1] < (int32_t)x[rs2]); break;
    case ISA_OP_bge:  BRANCH((int32_t)x[rs1] >= (int32_t)x[rs2]); break;
    case ISA_OP_bltu: BRANCH(x[rs1] < x[rs2]); break;
    case ISA_OP_bgeu: BRANCH(x[rs1] >= x[rs2]); break;
    case ISA_OP_lb:  LOAD(1, ISA_ACC_LOAD,
                          x[rd] = (uint32_t)(int32_t)(int8_t)ld8(p)); break;
    case ISA_OP_lh:  LOAD(2, ISA_ACC_LOAD,
                          x[rd] = (uint32_t)(int32_t)(int16_t)ld16(p)); break;
    case ISA_OP_lw:  LOAD(4, ISA_ACC_LOAD, x[rd] = ld32(p)); break;
    case ISA_OP_lbu: LOAD(1, ISA_ACC_LOAD, x[rd] = ld8(p)); break;
    case ISA_OP_lhu: LOAD(2, ISA_ACC_LOAD, x[rd] = ld16(p)); break;
    case ISA_OP_flw: LOAD(4, ISA_ACC_LOAD, h->f[rd] = ld32(p)); break;
    case ISA_OP_sb:  STORE(1, st8(p, x[rs2])); break;
    case ISA_OP_sh:  STORE(2, st16(p, x[rs2])); break;
    case ISA_OP_sw:  STORE(4, st32(p, x[rs2])); break;
    case ISA_OP_fsw: STORE(4, st32(p, h->f[rs2])); break;
    case ISA_OP_addi:  ARITH(x[rs1] + imm); break;
    case ISA_OP_slti:  ARITH((int32_t)x[rs1] < (int32_t)imm); break;
    case ISA_OP_sltiu: ARITH(x[rs1] < imm); break;
    case ISA_OP_xori:  ARITH(x[rs1] ^ imm); break;
    case ISA_OP_ori:   ARITH(x[rs1] | imm); break;
    case ISA_OP_andi:  ARITH(x[rs1] & imm); break;
    case ISA_OP_slli:  ARITH(x[rs1] << imm); break;
    case ISA_OP_srli:  ARITH(x[rs1] >> imm); break;
    case ISA_OP_srai:  ARITH((uint32_t)((int32_t)x[rs1] >> imm)); break;
    case ISA_OP_add:   ARITH(x[rs1] + x[rs2]); break;
    case ISA_OP_sub:   ARITH(x[rs1] - x[rs2]); break;
    case ISA_OP_sll:   ARITH(x[rs1] << (x[rs2] & 31)); break;
    case ISA_OP_slt:   ARITH((int32_t)x[rs1] < (int32_t)x[rs2]); break;
    case ISA_OP_sltu:  ARITH(x[rs1] < x[rs2]); break;
    case ISA_OP_xor:   ARITH(x[rs1] ^ x[rs2]); break;
    case ISA_OP_srl:   ARITH(x[rs1] >> (x[rs2] & 31)); break;
    case ISA_OP_sra:
        ARITH((uint32_t)((int32_t)x[rs1] >> (x[rs2] & 31)));
        break;
    case ISA_OP_or:    ARITH(x[rs1] | x[rs2]); break;
    case ISA_OP_and:   ARITH(x[rs1] & x[rs2]); break;
    case ISA_OP_mul:   ARITH(x[rs1] * x[rs2]); break;
    case ISA_OP_mulh:
        ARITH((uint32_t)((uint64_t)((int64_t)(int32_t)x[rs1] *
                                    (int32_t)x[rs2]) >> 32));
        break;
    case ISA_OP_mulhsu:
        ARITH((uint32_t)((uint64_t)((int64_t)(int32_t)x[rs1] *
                                    (int64_t)x[rs2]) >> 32));
        break;
    case ISA_OP_mulhu:
        ARITH((uint32_t)(((uint64_t)x[rs1] * x[rs2]) >> 32));
        break;
    case ISA_OP_divu:
        ARITH(x[rs2] ? x[rs1] / x[rs2] : UINT32_MAX);
        break;
    case ISA_OP_remu:
        ARITH(x[rs2] ? x[rs1] % x[rs2] : x[rs1]);
        break;
    case ISA_OP_csrrs:
        /* csrr of a lane's SIMT CSR (threadIdx, blockIdx, ...) */
        if (rs1 != 0 || imm - ISA_CSR_SIMT_FIRST >= ISA_SIMT_CSR_COUNT)
            return all;
        EACH(if (!h->simt_csr) { slow |= 1u << l; continue; }
             x[rd] = h->simt_csr[imm - ISA_CSR_SIMT_FIRST];
             h->pc = npc);
        break;
    default:
        /* ORDER INSN: fmadd.s .. fmv.w.x are the F ops after fsw */
        if (in->op >= ISA_OP_fmadd_s && in->op <= ISA_OP_fmv_w_x) {
            EACH(if (!isa_fp_exec(h, in)) { slow |= 1u << l; continue; }
                 h->pc = npc);
            break;
        }
        return all;
    }
#undef EACH
#undef ARITH
#undef BRANCH
#undef LOAD
#undef STORE
    /* x0 stays zero (an F op may write any x[rd] too).  A lane's clock
     * and class counts are the caller's business (its SM keeps time). */
    if (rd == 0 && in->cls != ISA_CLASS_STORE && in->cls != ISA_CLASS_BRANCH)
        for (uint32_t l = 0; l < n; l++)
            lanes[l]->x[0] = 0;
    return slow;
}

const IsaInsn *isa_decoded(IsaHart *h, IsaMem *m, uint32_t pc)
{
    IsaDecodeCache *dc = h->dc;
    uint32_t gen = __atomic_load_n(&m->code_gen, __ATOMIC_ACQUIRE);
    if (gen != dc->gen) {       /* some hart wrote into code since */
        dc_flush(dc);
        dc->gen = gen;
    }
    DcEntry *e = &dc->e[(pc >> 1) & DC_MASK];
    uint32_t raw;
    if (e->tag != pc && isa_dc_fill(e, m, pc, &raw))
        return NULL;
    return &e->in;
}
