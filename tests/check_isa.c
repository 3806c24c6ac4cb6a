/* check_isa.c — unit tests of the integer core of isa/: the opcode table,
 * the decoder, RVC expansion, the executor (RV32IMAC, Zicsr, Zifencei,
 * flw/fsw), CSRs, traps, the decoded-instruction cache and cycle
 * accounting, and the block engine (isa/blocks.c) against the
 * one-by-one loop.
 *
 * Decoder and RVC vectors were produced by riscv64-unknown-elf-as
 * (-march=rv32imafc_zicsr_zifencei) and objdump, not by our own encoders,
 * so the decoder is checked against an independent source.  Execution
 * tests build small programs in a RAM buffer from the opcode table's
 * match values plus operand fields.
 */
#include "isa/isa.h"

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Encoders (field layouts: see insns.def) ---------------------------- */

static uint32_t R(IsaOp op, unsigned rd, unsigned rs1, unsigned rs2)
{
    return isa_op_info[op].match | (rd << 7) | (rs1 << 15) | (rs2 << 20);
}

/* I type, also SH (shamt in imm) and loads/jalr */
static uint32_t I(IsaOp op, unsigned rd, unsigned rs1, int32_t imm)
{
    return isa_op_info[op].match | (rd << 7) | (rs1 << 15)
         | (((uint32_t)imm & 0xfff) << 20);
}

static uint32_t S(IsaOp op, unsigned rs2, unsigned rs1, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return isa_op_info[op].match | ((u & 31) << 7) | (rs1 << 15) | (rs2 << 20)
         | (((u >> 5) & 0x7f) << 25);
}

static uint32_t B(IsaOp op, unsigned rs1, unsigned rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return isa_op_info[op].match | (((u >> 11) & 1) << 7)
         | (((u >> 1) & 15) << 8) | (rs1 << 15) | (rs2 << 20)
         | (((u >> 5) & 0x3f) << 25) | (((u >> 12) & 1) << 31);
}

static uint32_t U(IsaOp op, unsigned rd, uint32_t imm)
{
    return isa_op_info[op].match | (rd << 7) | (imm & 0xfffff000u);
}

static uint32_t J(unsigned rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return isa_op_info[ISA_OP_jal].match | (rd << 7)
         | (((u >> 12) & 0xff) << 12) | (((u >> 11) & 1) << 20)
         | (((u >> 1) & 0x3ff) << 21) | (((u >> 20) & 1) << 31);
}

static uint32_t CSR(IsaOp op, unsigned rd, uint32_t csr, unsigned rs1)
{
    return isa_op_info[op].match | (rd << 7) | (rs1 << 15) | (csr << 20);
}

/* Marsaglia's xorshift: the random tests' words and registers. */
static uint32_t xorshift32(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

#define ECALL  0x00000073u
#define EBREAK 0x00100073u
#define SEMI_PRE  0x01f01013u   /* slli x0,x0,0x1f */
#define SEMI_POST 0x40705013u   /* srai x0,x0,7 */

/* ---- Fixture: one hart on 64 KiB of RAM --------------------------------- */

#define BASE 0x80000000u
#define SIZE 0x10000u
#define DATA (BASE + 0x1000u)   /* data area, away from the code */

static IsaMem mem;
static IsaHart hart;
static IsaEnv env;
/* The fixtures' IsaEnv.blocks: the exec, traps, csr, dcache, timing and
 * lrsc cases run both ways (the *_blocks cases with the block engine). */
static bool use_blocks;

static void setup(void)
{
    mem.base = BASE;
    mem.size = SIZE;
    mem.ram = aligned_alloc(64, SIZE);
    ck_assert_ptr_nonnull(mem.ram);
    memset(mem.ram, 0, SIZE);
    mem.code_map = calloc(SIZE >> ISA_CODE_BLOCK_SHIFT >> 3, 1);
    ck_assert_ptr_nonnull(mem.code_map);
    mem.code_gen = 0;
    mem.resv_bytes = 0;
    mem.resv_live = 0;
    memset(mem.resv, 0, sizeof mem.resv);
    ck_assert(isa_hart_init(&hart, 0, BASE));
    memset(&env, 0, sizeof env);
    env.mem = &mem;
    env.blocks = use_blocks;
    for (unsigned i = 0; i < ISA_CLASS_COUNT; i++)
        env.cost[i] = 1;
}

static void blocks_on(void)
{
    use_blocks = true;
}

static void blocks_off(void)
{
    use_blocks = false;
}

static void teardown(void)
{
    isa_hart_free(&hart);
    free(mem.ram);
    free(mem.code_map);
}

static void put32(uint32_t addr, uint32_t w)
{
    ck_assert(isa_mem_write(&mem, addr, &w, 4));
}

static void put16(uint32_t addr, uint16_t w)
{
    ck_assert(isa_mem_write(&mem, addr, &w, 2));
}

static uint32_t get32(uint32_t addr)
{
    uint32_t w = 0;
    ck_assert(isa_mem_read(&mem, addr, &w, 4));
    return w;
}

static uint8_t get8(uint32_t addr)
{
    uint8_t b = 0;
    ck_assert(isa_mem_read(&mem, addr, &b, 1));
    return b;
}

static void load(const uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put32(BASE + 4 * (uint32_t)i, w[i]);
}

/* Run with a generous instruction limit so that a broken branch cannot
 * hang a test. */
static IsaStop run(void)
{
    IsaStop st;
    memset(&st, 0xa5, sizeof st);
    IsaStopKind k = isa_run(&hart, &env, UINT64_MAX, hart.instret + 10000, &st);
    ck_assert_int_eq(k, st.kind);
    return st;
}

static void expect_stop(IsaStop st, IsaStopKind kind, uint32_t pc)
{
    ck_assert_int_eq(st.kind, kind);
    ck_assert_uint_eq(st.pc, pc);
    ck_assert_uint_eq(hart.pc, pc);
}

static void expect_trap(IsaStop st, uint32_t cause, uint32_t tval, uint32_t pc)
{
    expect_stop(st, ISA_STOP_TRAP, pc);
    ck_assert_uint_eq(st.cause, cause);
    ck_assert_uint_eq(st.tval, tval);
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- Opcode table ------------------------------------------------------- */

START_TEST(test_table_names)
{
    ck_assert_str_eq(isa_op_info[ISA_OP_ILLEGAL].name, "illegal");
    ck_assert_str_eq(isa_op_info[ISA_OP_fcvt_wu_s].name, "fcvt.wu.s");
    ck_assert_str_eq(isa_op_info[ISA_OP_fence_i].name, "fence.i");
    ck_assert_str_eq(isa_op_info[ISA_OP_lr_w].name, "lr.w");
    ck_assert_str_eq(isa_op_info[ISA_OP_amomaxu_w].name, "amomaxu.w");
    ck_assert_str_eq(isa_op_info[ISA_OP_add].name, "add");
    for (unsigned op = 0; op < ISA_OP_COUNT; op++) {
        const char *n = isa_op_info[op].name;
        ck_assert_ptr_nonnull(n);
        ck_assert_msg(strlen(n) > 0 && strlen(n) < 11, "op %u name length", op);
        ck_assert_msg(!strchr(n, '_'), "op %u name %s", op, n);
    }
}
END_TEST

/* No instruction word may match two entries: for every pair, some bit
 * that both masks cover must differ between the two matches. */
START_TEST(test_table_no_overlap)
{
    for (unsigned i = 1; i < ISA_OP_COUNT; i++) {
        const IsaOpInfo *a = &isa_op_info[i];
        ck_assert_msg((a->match & ~a->mask) == 0, "%s: match outside mask",
                      a->name);
        ck_assert_msg((a->mask & 0x7f) == 0x7f, "%s: opcode not in mask",
                      a->name);
        for (unsigned j = i + 1; j < ISA_OP_COUNT; j++) {
            const IsaOpInfo *b = &isa_op_info[j];
            ck_assert_msg(((a->match ^ b->match) & a->mask & b->mask) != 0,
                          "%s and %s overlap", a->name, b->name);
        }
    }
}
END_TEST

/* Every table entry's own match decodes to that entry (loop over ops). */
START_TEST(test_table_match_decodes)
{
    unsigned op = (unsigned)_i;
    IsaInsn in;
    ck_assert(isa_decode(isa_op_info[op].match, &in));
    ck_assert_uint_eq(in.op, op);
    ck_assert_uint_eq(in.cls, isa_op_info[op].cls);
    ck_assert_uint_eq(in.len, 4);
    ck_assert_uint_eq(in.raw, isa_op_info[op].match);
}
END_TEST

/* ---- Decoder ------------------------------------------------------------ */

typedef struct DecVec {
    uint32_t raw;
    IsaOp op;
    uint8_t rd, rs1, rs2, rs3, rm;
    int32_t imm;
} DecVec;

/* from riscv64-unknown-elf-as; a0=10 a1=11 a2=12 t0=5 t1=6 t2=7 sp=2 ra=1
 * s0=8 s1=9 s2=18 s11=27 t3..t6=28..31 */
static const DecVec dec_vecs[] = {
    { 0x12345537, ISA_OP_lui,     10, 0, 0, 0, 0, 0x12345000 },
    { 0xfffff297, ISA_OP_auipc,   5, 0, 0, 0, 0, (int32_t)0xfffff000 },
    { 0x001000ef, ISA_OP_jal,     1, 0, 0, 0, 0, 2048 },
    { 0x8000006f, ISA_OP_jal,     0, 0, 0, 0, 0, -1048576 },
    { 0x80060367, ISA_OP_jalr,    6, 12, 0, 0, 0, -2048 },
    { 0x7eb50fe3, ISA_OP_beq,     0, 10, 11, 0, 0, 4094 },
    { 0x80941063, ISA_OP_bne,     0, 8, 9, 0, 0, -4096 },
    { 0x0062e463, ISA_OP_bltu,    0, 5, 6, 0, 0, 8 },
    { 0xfff10503, ISA_OP_lb,      10, 2, 0, 0, 0, -1 },
    { 0x7fffdd83, ISA_OP_lhu,     27, 31, 0, 0, 0, 2047 },
    { 0x80112023, ISA_OP_sw,      0, 2, 1, 0, 0, -2048 },
    { 0x00b503a3, ISA_OP_sb,      0, 10, 11, 0, 0, 7 },
    { 0xfff50513, ISA_OP_addi,    10, 10, 0, 0, 0, -1 },
    { 0x00163593, ISA_OP_sltiu,   11, 12, 0, 0, 0, 1 },
    { 0x01f59513, ISA_OP_slli,    10, 11, 0, 0, 0, 31 },
    { 0x40135293, ISA_OP_srai,    5, 6, 0, 0, 0, 1 },
    { 0x00035293, ISA_OP_srli,    5, 6, 0, 0, 0, 0 },
    { 0x41248433, ISA_OP_sub,     8, 9, 18, 0, 0, 0 },
    { 0x40c5d533, ISA_OP_sra,     10, 11, 12, 0, 0, 0 },
    { 0x02c5a533, ISA_OP_mulhsu,  10, 11, 12, 0, 0, 0 },
    { 0x03eefe33, ISA_OP_remu,    28, 29, 30, 0, 0, 0 },
    { 0x0ff0000f, ISA_OP_fence,   0, 0, 0, 0, 0, 0x0ff },
    { 0x0210000f, ISA_OP_fence,   0, 0, 0, 0, 0, 0x021 },
    { 0x0000100f, ISA_OP_fence_i, 0, 0, 0, 0, 0, 0 },
    { 0x00000073, ISA_OP_ecall,   0, 0, 0, 0, 0, 0 },
    { 0x00100073, ISA_OP_ebreak,  0, 0, 0, 0, 0, 0 },
    { 0x30200073, ISA_OP_mret,    0, 0, 0, 0, 0, 0 },
    { 0x10500073, ISA_OP_wfi,     0, 0, 0, 0, 0, 0 },
    { 0xf1402573, ISA_OP_csrrs,   10, 0, 0, 0, 0, 0xf14 },
    { 0x34059073, ISA_OP_csrrw,   0, 11, 0, 0, 0, 0x340 },
    { 0x30045073, ISA_OP_csrrwi,  0, 8, 0, 0, 0, 0x300 },
    { 0x7c0ff673, ISA_OP_csrrci,  12, 31, 0, 0, 0, 0x7c0 },
    { 0x1405a52f, ISA_OP_lr_w,    10, 11, 0, 0, 2, 0 },
    { 0x1ac5a52f, ISA_OP_sc_w,    10, 11, 12, 0, 1, 0 },
    { 0x06b6252f, ISA_OP_amoadd_w, 10, 12, 11, 0, 3, 0 },
    { 0xe063a2af, ISA_OP_amomaxu_w, 5, 7, 6, 0, 0, 0 },
    { 0xffc12507, ISA_OP_flw,     10, 2, 0, 0, 0, -4 },
    { 0x00852427, ISA_OP_fsw,     0, 10, 8, 0, 0, 8 },
    { 0x68c58543, ISA_OP_fmadd_s, 10, 11, 12, 13, 0, 0 },
    { 0x1820f04b, ISA_OP_fnmsub_s, 0, 1, 2, 3, 7, 0 },
    { 0x00c59553, ISA_OP_fadd_s,  10, 11, 12, 0, 1, 0 },
    { 0x5800b053, ISA_OP_fsqrt_s, 0, 1, 0, 0, 3, 0 },
    { 0x20c5a553, ISA_OP_fsgnjx_s, 10, 11, 12, 0, 2, 0 },
    { 0xc0051553, ISA_OP_fcvt_w_s, 10, 10, 0, 0, 1, 0 },
    { 0xd0154553, ISA_OP_fcvt_s_wu, 10, 10, 1, 0, 4, 0 },
    { 0xe0058553, ISA_OP_fmv_x_w, 10, 11, 0, 0, 0, 0 },
    { 0xe0051553, ISA_OP_fclass_s, 10, 10, 0, 0, 1, 0 },
    { 0xa0b50553, ISA_OP_fle_s,   10, 10, 11, 0, 0, 0 },
};

START_TEST(test_decode_vectors)
{
    const DecVec *v = &dec_vecs[_i];
    IsaInsn in;
    ck_assert_msg(isa_decode(v->raw, &in), "%08x", v->raw);
    ck_assert_msg(in.op == v->op, "%08x: %s, want %s", v->raw,
                  isa_op_info[in.op].name, isa_op_info[v->op].name);
    ck_assert_uint_eq(in.rd, v->rd);
    ck_assert_uint_eq(in.rs1, v->rs1);
    ck_assert_uint_eq(in.rs2, v->rs2);
    ck_assert_uint_eq(in.rs3, v->rs3);
    ck_assert_uint_eq(in.rm, v->rm);
    ck_assert_int_eq(in.imm, v->imm);
    ck_assert_uint_eq(in.len, 4);
    ck_assert_uint_eq(in.raw, v->raw);
    ck_assert_uint_eq(in.cls, isa_op_info[v->op].cls);
}
END_TEST

static const uint32_t illegal_words[] = {
    0xffffffff,     /* opcode 1111111: no such major opcode */
    0x0000007f,
    0x00003003,     /* ld (RV64) */
    0x00003023,     /* sd (RV64) */
    0x0000001b,     /* addiw (RV64) */
    0x04008033,     /* OP with funct7 0x02: no such op */
    0x00007067,     /* jalr with funct3 7 */
    0x00002063,     /* branch funct3 2 */
    0x02000053,     /* fadd.d: no D */
    0x00003007,     /* fld: no D */
    0x0000302f,     /* amoadd.d (RV64) */
    0x1010202f,     /* lr.w with rs2 != 0 */
    0x00004073,     /* SYSTEM funct3 4 */
    0x00200073,     /* uret-ish: SYSTEM funct12 2 */
    0x42005013,     /* srai with funct7 0x21 (RV64 shamt[5]) */
    0x02005013,     /* srli with shamt[5] */
};

START_TEST(test_decode_illegal)
{
    uint32_t w = illegal_words[_i];
    IsaInsn in;
    memset(&in, 0x5a, sizeof in);
    ck_assert_msg(!isa_decode(w, &in), "%08x decoded as %s", w,
                  isa_op_info[in.op].name);
    ck_assert_uint_eq(in.op, ISA_OP_ILLEGAL);
    ck_assert_uint_eq(in.raw, w);
    ck_assert_uint_eq(in.len, 4);
}
END_TEST

/* ---- RVC ---------------------------------------------------------------- */

/* {compressed, its 32-bit expansion}, both from the assembler */
static const struct { uint16_t c; uint32_t w; } rvc_vecs[] = {
    { 0x1fe8, 0x3fc10513 },  /* c.addi4spn a0, sp, 1020 */
    { 0x0044, 0x00410493 },  /* c.addi4spn s1, sp, 4 */
    { 0x5c7c, 0x07c42783 },  /* c.lw a5, 124(s0) */
    { 0x4380, 0x0007a403 },  /* c.lw s0, 0(a5) */
    { 0x61a8, 0x0405a507 },  /* c.flw fa0, 64(a1) */
    { 0xc2d0, 0x00c6a223 },  /* c.sw a2, 4(a3) */
    { 0xfce4, 0x0694ae27 },  /* c.fsw fs1, 124(s1) */
    { 0x0001, 0x00000013 },  /* c.nop */
    { 0x1501, 0xfe050513 },  /* c.addi a0, -32 */
    { 0x02fd, 0x01f28293 },  /* c.addi t0, 31 */
    { 0x2ffd, 0x7fe000ef },  /* c.jal .+2046 */
    { 0x3001, 0x801ff0ef },  /* c.jal .-2048 */
    { 0x557d, 0xfff00513 },  /* c.li a0, -1 */
    { 0x4015, 0x00500013 },  /* c.li zero, 5 (HINT) */
    { 0x7101, 0xe0010113 },  /* c.addi16sp sp, -512 */
    { 0x617d, 0x1f010113 },  /* c.addi16sp sp, 496 */
    { 0x657d, 0x0001f537 },  /* c.lui a0, 0x1f */
    { 0x7301, 0xfffe0337 },  /* c.lui t1, 0xfffe0 */
    { 0x817d, 0x01f55513 },  /* c.srli a0, 31 */
    { 0x8485, 0x4014d493 },  /* c.srai s1, 1 */
    { 0x9b81, 0xfe07f793 },  /* c.andi a5, -32 */
    { 0x8c05, 0x40940433 },  /* c.sub s0, s1 */
    { 0x8d2d, 0x00b54533 },  /* c.xor a0, a1 */
    { 0x8e55, 0x00d66633 },  /* c.or a2, a3 */
    { 0x8f7d, 0x00f77733 },  /* c.and a4, a5 */
    { 0xbffd, 0xfffff06f },  /* c.j .-2 */
    { 0xaffd, 0x7fe0006f },  /* c.j .+2046 */
    { 0xd101, 0xf00500e3 },  /* c.beqz a0, .-256 */
    { 0xecfd, 0x0e049f63 },  /* c.bnez s1, .+254 */
    { 0x057e, 0x01f51513 },  /* c.slli a0, 31 */
    { 0x0f86, 0x001f9f93 },  /* c.slli t6, 1 */
    { 0x50fe, 0x0fc12083 },  /* c.lwsp ra, 252(sp) */
    { 0x6002, 0x00012007 },  /* c.flwsp ft0, 0(sp) */
    { 0x8082, 0x00008067 },  /* c.jr ra */
    { 0x857e, 0x01f00533 },  /* c.mv a0, t6 */
    { 0x9002, 0x00100073 },  /* c.ebreak */
    { 0x9782, 0x000780e7 },  /* c.jalr a5 */
    { 0x912a, 0x00a10133 },  /* c.add sp, a0 */
    { 0xdf86, 0x0e112e23 },  /* c.swsp ra, 252(sp) */
    { 0xe26e, 0x01b12227 },  /* c.fswsp fs11, 4(sp) */
    /* HINTs (legal, no effect) */
    { 0x6005, 0x00001037 },  /* c.lui zero, 1 */
    { 0x807e, 0x01f00033 },  /* c.mv zero, t6 */
    { 0x907e, 0x01f00033 },  /* c.add zero, t6 */
    { 0x0002, 0x00001013 },  /* c.slli zero, 0 */
    { 0x8001, 0x00045413 },  /* c.srli s0, 0 */
};

START_TEST(test_rvc_expand)
{
    uint16_t c = rvc_vecs[_i].c;
    uint32_t w = rvc_vecs[_i].w;
    ck_assert_msg(isa_rvc_expand(c) == w, "%04x -> %08x, want %08x", c,
                  isa_rvc_expand(c), w);
    /* decoding the compressed form = decoding the expansion, except
     * len and raw */
    IsaInsn ic, iw;
    ck_assert(isa_decode(c, &ic));
    ck_assert(isa_decode(w, &iw));
    ck_assert_uint_eq(ic.len, 2);
    ck_assert_uint_eq(ic.raw, c);
    ck_assert_uint_eq(ic.op, iw.op);
    ck_assert_uint_eq(ic.rd, iw.rd);
    ck_assert_uint_eq(ic.rs1, iw.rs1);
    ck_assert_uint_eq(ic.rs2, iw.rs2);
    ck_assert_uint_eq(ic.rs3, iw.rs3);
    ck_assert_uint_eq(ic.rm, iw.rm);
    ck_assert_uint_eq(ic.cls, iw.cls);
    ck_assert_int_eq(ic.imm, iw.imm);
    /* the upper half of the word is ignored for a compressed insn */
    IsaInsn ih;
    ck_assert(isa_decode(0xdead0000u | c, &ih));
    ck_assert_uint_eq(ih.raw, c);
    ck_assert_uint_eq(ih.op, iw.op);
}
END_TEST

static const uint16_t rvc_reserved[] = {
    0x0000,     /* all zeros: defined illegal */
    0x0004,     /* c.addi4spn nzuimm=0 */
    0x2008,     /* c.fld (no D) */
    0xa008,     /* c.fsd */
    0x8000,     /* quadrant 0, funct3 100: reserved */
    0x9c01,     /* c.subw (RV64) */
    0x9c21,     /* c.addw (RV64) */
    0x9001,     /* c.srli shamt[5]=1 (RV32 NSE) */
    0x9401,     /* c.srai shamt[5]=1 */
    0x6501,     /* c.lui a0, 0 */
    0x6001,     /* c.lui zero, 0 */
    0x6101,     /* c.addi16sp 0 */
    0x1502,     /* c.slli a0, shamt[5]=1 */
    0x2502,     /* c.fldsp */
    0xa002,     /* c.fsdsp */
    0x4002,     /* c.lwsp rd=0 */
    0x8002,     /* c.jr rs1=0 */
    0x0003,     /* not compressed at all */
    0xffff,
};

START_TEST(test_rvc_reserved)
{
    uint16_t c = rvc_reserved[_i];
    ck_assert_msg(isa_rvc_expand(c) == 0, "%04x -> %08x", c,
                  isa_rvc_expand(c));
    if ((c & 3) != 3) {
        IsaInsn in;
        ck_assert(!isa_decode(c, &in));
        ck_assert_uint_eq(in.op, ISA_OP_ILLEGAL);
        ck_assert_uint_eq(in.len, 2);
        ck_assert_uint_eq(in.raw, c);
    }
}
END_TEST

/* Exhaustive: every 16-bit word either expands to something that
 * decodes, or is rejected by both. */
START_TEST(test_rvc_exhaustive)
{
    unsigned legal = 0;
    for (uint32_t c = 0; c < 0x10000; c++) {
        if ((c & 3) == 3)
            continue;
        uint32_t w = isa_rvc_expand((uint16_t)c);
        IsaInsn in;
        bool ok = isa_decode(c, &in);
        if (w == 0) {
            ck_assert_msg(!ok, "%04x", c);
            continue;
        }
        ck_assert_msg(ok, "%04x -> %08x does not decode", c, w);
        ck_assert_msg((w & 3) == 3, "%04x -> %08x", c, w);
        legal++;
    }
    /* 49152 non-32-bit words minus the illegal ones, counted from the
     * spec's tables: q0 6152 (addi4spn 0: 8, fld/fsd/100: 3 x 2048),
     * q1 800 (lui/addi16sp 0: 32, shamt[5] and subw/addw: 3 x 256),
     * q2 5185 (slli shamt[5]: 1024, fldsp/fsdsp: 2 x 2048, lwsp x0: 64,
     * jr x0: 1) */
    ck_assert_uint_eq(legal, 49152 - 6152 - 800 - 5185);
}
END_TEST

/* ---- Execution: ALU, M -------------------------------------------------- */

typedef struct AluVec {
    IsaOp op;
    uint32_t a, b, want;
} AluVec;

#define IMIN 0x80000000u
#define IMAX 0x7fffffffu
#define NEG(v) ((uint32_t)-(int64_t)(v))

static const AluVec alu_vecs[] = {
    { ISA_OP_add,  1, 2, 3 },
    { ISA_OP_add,  IMAX, 1, IMIN },
    { ISA_OP_add,  0xffffffff, 1, 0 },
    { ISA_OP_sub,  0, 1, 0xffffffff },
    { ISA_OP_sub,  IMIN, 1, IMAX },
    { ISA_OP_sll,  1, 31, IMIN },
    { ISA_OP_sll,  1, 32, 1 },              /* only rs2[4:0] counts */
    { ISA_OP_sll,  0xffffffff, 0, 0xffffffff },
    { ISA_OP_slt,  0xffffffff, 0, 1 },
    { ISA_OP_slt,  0, 0xffffffff, 0 },
    { ISA_OP_slt,  IMIN, IMAX, 1 },
    { ISA_OP_slt,  5, 5, 0 },
    { ISA_OP_sltu, 0xffffffff, 0, 0 },
    { ISA_OP_sltu, 0, 0xffffffff, 1 },
    { ISA_OP_xor,  0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0 },
    { ISA_OP_or,   0xff00ff00, 0x0ff00ff0, 0xfff0fff0 },
    { ISA_OP_and,  0xff00ff00, 0x0ff00ff0, 0x0f000f00 },
    { ISA_OP_srl,  IMIN, 31, 1 },
    { ISA_OP_srl,  IMIN, 0, IMIN },
    { ISA_OP_srl,  IMIN, 33, 0x40000000 },
    { ISA_OP_sra,  IMIN, 31, 0xffffffff },
    { ISA_OP_sra,  IMIN, 1, 0xc0000000 },
    { ISA_OP_sra,  IMAX, 31, 0 },
    { ISA_OP_sra,  0xfffffff0, 0, 0xfffffff0 },
    { ISA_OP_mul,  0xffffffff, 0xffffffff, 1 },
    { ISA_OP_mul,  IMIN, 0xffffffff, IMIN },
    { ISA_OP_mul,  0x10000, 0x10000, 0 },
    { ISA_OP_mul,  7, NEG(3), NEG(21) },
    { ISA_OP_mulh, 0xffffffff, 0xffffffff, 0 },
    { ISA_OP_mulh, IMIN, IMIN, 0x40000000 },
    { ISA_OP_mulh, IMIN, 1, 0xffffffff },
    { ISA_OP_mulh, IMAX, IMAX, 0x3fffffff },
    { ISA_OP_mulh, 0, IMIN, 0 },
    { ISA_OP_mulhsu, 0xffffffff, 0xffffffff, 0xffffffff },
    { ISA_OP_mulhsu, IMIN, 0xffffffff, IMIN },
    { ISA_OP_mulhsu, 1, 0xffffffff, 0 },
    { ISA_OP_mulhsu, IMAX, 0xffffffff, 0x7ffffffe },
    { ISA_OP_mulhu, 0xffffffff, 0xffffffff, 0xfffffffe },
    { ISA_OP_mulhu, IMIN, 2, 1 },
    { ISA_OP_mulhu, 1, 0xffffffff, 0 },
    { ISA_OP_div,  7, 2, 3 },
    { ISA_OP_div,  NEG(7), 2, NEG(3) },     /* rounds toward zero */
    { ISA_OP_div,  7, 0, 0xffffffff },
    { ISA_OP_div,  0, 0, 0xffffffff },
    { ISA_OP_div,  IMIN, 0xffffffff, IMIN },/* overflow */
    { ISA_OP_div,  IMIN, 1, IMIN },
    { ISA_OP_divu, 7, 2, 3 },
    { ISA_OP_divu, 0xffffffff, 2, IMAX },
    { ISA_OP_divu, 7, 0, 0xffffffff },
    { ISA_OP_divu, IMIN, 0xffffffff, 0 },
    { ISA_OP_rem,  NEG(7), 2, NEG(1) },     /* sign of the dividend */
    { ISA_OP_rem,  7, NEG(2), 1 },
    { ISA_OP_rem,  7, 0, 7 },
    { ISA_OP_rem,  NEG(7), 0, NEG(7) },
    { ISA_OP_rem,  IMIN, 0xffffffff, 0 },   /* overflow */
    { ISA_OP_remu, 0xffffffff, 2, 1 },
    { ISA_OP_remu, 7, 0, 7 },
    { ISA_OP_remu, IMIN, 0xffffffff, IMIN },
};

START_TEST(test_exec_alu)
{
    const AluVec *v = &alu_vecs[_i];
    uint32_t prog[] = { R(v->op, 7, 5, 6), ECALL };
    load(prog, 2);
    hart.x[5] = v->a;
    hart.x[6] = v->b;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 4);
    ck_assert_msg(hart.x[7] == v->want, "%s %08x, %08x = %08x, want %08x",
                  isa_op_info[v->op].name, v->a, v->b, hart.x[7], v->want);
    ck_assert_uint_eq(hart.instret, 1);
}
END_TEST

/* rd = rs1 = rs2: operands are read before the result is written */
START_TEST(test_exec_alu_aliasing)
{
    uint32_t prog[] = { R(ISA_OP_add, 5, 5, 5), R(ISA_OP_mulhu, 6, 6, 6),
                        ECALL };
    load(prog, 3);
    hart.x[5] = 21;
    hart.x[6] = 0x80000000u;
    run();
    ck_assert_uint_eq(hart.x[5], 42);
    ck_assert_uint_eq(hart.x[6], 0x40000000u);
}
END_TEST

typedef struct ImmVec {
    IsaOp op;
    uint32_t a;
    int32_t imm;
    uint32_t want;
} ImmVec;

static const ImmVec imm_vecs[] = {
    { ISA_OP_addi,  0xffffffff, 1, 0 },
    { ISA_OP_addi,  0, -2048, 0xfffff800 },
    { ISA_OP_addi,  IMAX, 1, IMIN },
    { ISA_OP_addi,  5, 2047, 2052 },
    { ISA_OP_slti,  0xffffffff, 0, 1 },
    { ISA_OP_slti,  0, -1, 0 },
    { ISA_OP_slti,  IMIN, -2048, 1 },
    { ISA_OP_sltiu, 0, -1, 1 },             /* imm sign-extends to 2^32-1 */
    { ISA_OP_sltiu, 0xffffffff, -1, 0 },
    { ISA_OP_sltiu, 0, 1, 1 },
    { ISA_OP_xori,  0x0f, -1, 0xfffffff0 },
    { ISA_OP_ori,   0, -2048, 0xfffff800 },
    { ISA_OP_andi,  0xffffffff, 0x7ff, 0x7ff },
    { ISA_OP_andi,  0x12345678, -16, 0x12345670 },
    { ISA_OP_slli,  1, 31, IMIN },
    { ISA_OP_slli,  0xffffffff, 0, 0xffffffff },
    { ISA_OP_srli,  IMIN, 31, 1 },
    { ISA_OP_srli,  0xffffffff, 0, 0xffffffff },
    { ISA_OP_srai,  IMIN, 31, 0xffffffff },
    { ISA_OP_srai,  IMIN, 0, IMIN },
    { ISA_OP_srai,  IMAX, 30, 1 },
};

START_TEST(test_exec_imm)
{
    const ImmVec *v = &imm_vecs[_i];
    uint32_t prog[] = { I(v->op, 7, 5, v->imm), ECALL };
    load(prog, 2);
    hart.x[5] = v->a;
    run();
    ck_assert_msg(hart.x[7] == v->want, "%s %08x, %d = %08x, want %08x",
                  isa_op_info[v->op].name, v->a, v->imm, hart.x[7], v->want);
}
END_TEST

START_TEST(test_exec_x0)
{
    uint32_t prog[] = {
        I(ISA_OP_addi, 0, 0, 5),
        R(ISA_OP_add, 0, 5, 5),
        I(ISA_OP_lw, 0, 6, 0),
        U(ISA_OP_lui, 0, 0x12345000),
        J(0, 4),                            /* j .+4: link to x0 */
        I(ISA_OP_addi, 7, 0, 0),            /* x7 = x0 */
        ECALL,
    };
    load(prog, 7);
    put32(DATA, 0xdeadbeef);
    hart.x[5] = 3;
    hart.x[6] = DATA;
    hart.x[7] = 99;
    run();
    ck_assert_uint_eq(hart.x[0], 0);
    ck_assert_uint_eq(hart.x[7], 0);
    ck_assert_uint_eq(hart.instret, 6);
}
END_TEST

START_TEST(test_exec_lui_auipc)
{
    uint32_t prog[] = {
        U(ISA_OP_lui, 5, 0xfffff000),
        U(ISA_OP_auipc, 6, 0x00001000),
        U(ISA_OP_auipc, 7, 0x80000000),
        ECALL,
    };
    load(prog, 4);
    run();
    ck_assert_uint_eq(hart.x[5], 0xfffff000);
    ck_assert_uint_eq(hart.x[6], BASE + 4 + 0x1000);
    ck_assert_uint_eq(hart.x[7], BASE + 8 + 0x80000000u);
}
END_TEST

/* ---- Loads and stores --------------------------------------------------- */

typedef struct LoadVec {
    IsaOp op;
    int32_t off;        /* from DATA */
    uint32_t want;
} LoadVec;

static const uint8_t load_bytes[8] = { 0x80, 0xff, 0x7f, 0x01,
                                       0x34, 0x12, 0xfe, 0xca };

static const LoadVec load_vecs[] = {
    { ISA_OP_lb,  0, 0xffffff80 },
    { ISA_OP_lb,  2, 0x0000007f },
    { ISA_OP_lbu, 0, 0x00000080 },
    { ISA_OP_lbu, 1, 0x000000ff },
    { ISA_OP_lh,  0, 0xffffff80 },
    { ISA_OP_lh,  2, 0x0000017f },
    { ISA_OP_lh,  1, 0x00007fff },          /* misaligned */
    { ISA_OP_lh,  6, 0xffffcafe },
    { ISA_OP_lhu, 0, 0x0000ff80 },
    { ISA_OP_lhu, 6, 0x0000cafe },
    { ISA_OP_lw,  0, 0x017fff80 },
    { ISA_OP_lw,  4, 0xcafe1234 },
    { ISA_OP_lw,  1, 0x34017fff },          /* misaligned */
    { ISA_OP_lw,  3, 0xfe123401 },
};

START_TEST(test_exec_load)
{
    const LoadVec *v = &load_vecs[_i];
    /* base register past the data so that the offset is negative half
     * the time */
    uint32_t prog[] = { I(v->op, 7, 5, v->off - 4), ECALL };
    load(prog, 2);
    ck_assert(isa_mem_write(&mem, DATA, load_bytes, sizeof load_bytes));
    hart.x[5] = DATA + 4;
    run();
    ck_assert_msg(hart.x[7] == v->want, "%s %d: %08x want %08x",
                  isa_op_info[v->op].name, v->off, hart.x[7], v->want);
}
END_TEST

static const struct { IsaOp op; int32_t off; unsigned n; } store_vecs[] = {
    { ISA_OP_sb, 0, 1 }, { ISA_OP_sb, 7, 1 },
    { ISA_OP_sh, 0, 2 }, { ISA_OP_sh, 3, 2 },   /* misaligned */
    { ISA_OP_sw, 0, 4 }, { ISA_OP_sw, 5, 4 },   /* misaligned */
    { ISA_OP_sw, -4, 4 },
};

START_TEST(test_exec_store)
{
    IsaOp op = store_vecs[_i].op;
    int32_t off = store_vecs[_i].off;
    unsigned n = store_vecs[_i].n;
    uint32_t prog[] = { S(op, 6, 5, off), ECALL };
    load(prog, 2);
    hart.x[5] = DATA + 8;
    hart.x[6] = 0xdeadbeef;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 4);
    for (int32_t i = -8; i < 16; i++) {
        uint8_t want = 0;
        if (i >= off && i < off + (int32_t)n)
            want = (uint8_t)(0xdeadbeefu >> (8 * (i - off)));
        ck_assert_msg(get8(DATA + 8 + (uint32_t)i) == want, "byte %d", i);
    }
}
END_TEST

/* ---- Branches and jumps ------------------------------------------------- */

static const struct { IsaOp op; uint32_t a, b; bool taken; } br_vecs[] = {
    { ISA_OP_beq, 1, 1, true }, { ISA_OP_beq, 1, 2, false },
    { ISA_OP_bne, 1, 2, true }, { ISA_OP_bne, 0, 0, false },
    { ISA_OP_blt, 0xffffffff, 0, true }, { ISA_OP_blt, 0, 0xffffffff, false },
    { ISA_OP_blt, 5, 5, false }, { ISA_OP_blt, IMIN, IMAX, true },
    { ISA_OP_bge, 5, 5, true }, { ISA_OP_bge, IMIN, IMAX, false },
    { ISA_OP_bge, 0, 0xffffffff, true },
    { ISA_OP_bltu, 0, 0xffffffff, true }, { ISA_OP_bltu, 0xffffffff, 0, false },
    { ISA_OP_bltu, 5, 5, false },
    { ISA_OP_bgeu, 0xffffffff, 0, true }, { ISA_OP_bgeu, 5, 5, true },
    { ISA_OP_bgeu, 0, 1, false },
};

START_TEST(test_exec_branch)
{
    /* taken: skip to the ecall at +12; not taken: x7 = 1, ecall at +8 */
    uint32_t prog[] = {
        B(br_vecs[_i].op, 5, 6, 12),
        I(ISA_OP_addi, 7, 0, 1),
        ECALL,
        ECALL,
    };
    load(prog, 4);
    hart.x[5] = br_vecs[_i].a;
    hart.x[6] = br_vecs[_i].b;
    IsaStop st = run();
    bool taken = br_vecs[_i].taken;
    expect_stop(st, ISA_STOP_ECALL, BASE + (taken ? 12 : 8));
    ck_assert_uint_eq(hart.x[7], taken ? 0 : 1);
}
END_TEST

START_TEST(test_exec_branch_backward)
{
    /* x5 counts down from 10: bne back 4 bytes */
    uint32_t prog[] = {
        I(ISA_OP_addi, 5, 0, 10),
        I(ISA_OP_addi, 5, 5, -1),
        I(ISA_OP_addi, 6, 6, 1),
        B(ISA_OP_bne, 5, 0, -8),
        ECALL,
    };
    load(prog, 5);
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 16);
    ck_assert_uint_eq(hart.x[6], 10);
    ck_assert_uint_eq(hart.instret, 1 + 3 * 10);
}
END_TEST

START_TEST(test_exec_jal_jalr)
{
    uint32_t prog[] = {
        J(1, 12),                   /* 0: jal ra, 12 */
        ECALL,                      /* 4 */
        ECALL,                      /* 8 */
        I(ISA_OP_jalr, 5, 6, 3),    /* 12: jalr t0, 3(t1): odd -> bit 0 cleared */
        ECALL,                      /* 16 */
        ECALL,                      /* 20 */
        I(ISA_OP_jalr, 7, 7, -4),   /* 24: jalr x7, -4(x7): rd == rs1 */
        ECALL,                      /* 28 */
    };
    load(prog, 8);
    hart.x[6] = BASE + 22;          /* +3 = BASE+25 -> BASE+24 */
    hart.x[7] = BASE + 24;          /* -4 = BASE+20 */
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 20);
    ck_assert_uint_eq(hart.x[1], BASE + 4);
    ck_assert_uint_eq(hart.x[5], BASE + 16);
    ck_assert_uint_eq(hart.x[7], BASE + 28);
}
END_TEST

/* Compressed instructions execute as their expansions, but links and
 * fall-through use the 2-byte length. */
START_TEST(test_exec_rvc)
{
    put16(BASE + 0, 0x4515);                /* c.li a0, 5 */
    put16(BASE + 2, 0x2011);                /* c.jal .+4 -> BASE+6 */
    put16(BASE + 4, 0x9002);                /* c.ebreak (skipped) */
    put16(BASE + 6, 0x0505);                /* c.addi a0, 1 */
    put32(BASE + 8, I(ISA_OP_addi, 11, 10, 1)); /* 32-bit at a 2-aligned pc */
    put16(BASE + 12, 0x9782);               /* c.jalr a5 */
    put16(BASE + 14, 0x9002);               /* c.ebreak */
    put32(BASE + 16, ECALL);
    hart.x[15] = BASE + 16;                 /* a5 */
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 16);
    ck_assert_uint_eq(hart.x[10], 6);
    ck_assert_uint_eq(hart.x[11], 7);
    ck_assert_uint_eq(hart.x[1], BASE + 14);    /* c.jalr link = pc + 2 */
    ck_assert_uint_eq(hart.instret, 5);
    /* c.jal links pc + 2 too: rerun just it */
    hart.pc = BASE + 2;
    st = run();
    ck_assert_uint_eq(hart.x[1], BASE + 14);
    hart.pc = BASE + 2;
    ck_assert_uint_eq(isa_run(&hart, &env, UINT64_MAX, hart.instret + 1, &st),
                      ISA_STOP_LIMIT);
    ck_assert_uint_eq(hart.x[1], BASE + 4);
    ck_assert_uint_eq(hart.pc, BASE + 6);
}
END_TEST

/* ---- A: AMOs and LR/SC -------------------------------------------------- */

static const struct { IsaOp op; uint32_t mem, src, want; } amo_vecs[] = {
    { ISA_OP_amoswap_w, 5, 7, 7 },
    { ISA_OP_amoadd_w, 0xffffffff, 1, 0 },
    { ISA_OP_amoadd_w, IMAX, 1, IMIN },
    { ISA_OP_amoxor_w, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0 },
    { ISA_OP_amoand_w, 0xff00ff00, 0x0ff00ff0, 0x0f000f00 },
    { ISA_OP_amoor_w,  0xff00ff00, 0x0ff00ff0, 0xfff0fff0 },
    { ISA_OP_amomin_w, 0xffffffff, 1, 0xffffffff },
    { ISA_OP_amomin_w, IMAX, IMIN, IMIN },
    { ISA_OP_amomin_w, 3, 3, 3 },
    { ISA_OP_amomax_w, 0xffffffff, 1, 1 },
    { ISA_OP_amomax_w, IMIN, IMAX, IMAX },
    { ISA_OP_amominu_w, 0xffffffff, 1, 1 },
    { ISA_OP_amominu_w, 0, 0xffffffff, 0 },
    { ISA_OP_amomaxu_w, 0xffffffff, 1, 0xffffffff },
    { ISA_OP_amomaxu_w, 1, IMIN, IMIN },
};

START_TEST(test_exec_amo)
{
    uint32_t prog[] = { R(amo_vecs[_i].op, 7, 5, 6), ECALL };
    load(prog, 2);
    put32(DATA, amo_vecs[_i].mem);
    put32(DATA + 4, 0x55555555);
    hart.x[5] = DATA;
    hart.x[6] = amo_vecs[_i].src;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 4);
    ck_assert_uint_eq(hart.x[7], amo_vecs[_i].mem);        /* old value */
    ck_assert_uint_eq(get32(DATA), amo_vecs[_i].want);
    ck_assert_uint_eq(get32(DATA + 4), 0x55555555);        /* neighbour */
}
END_TEST

START_TEST(test_exec_amo_rd_is_rs2)
{
    uint32_t prog[] = { R(ISA_OP_amoswap_w, 6, 5, 6), ECALL };
    load(prog, 2);
    put32(DATA, 11);
    hart.x[5] = DATA;
    hart.x[6] = 22;
    run();
    ck_assert_uint_eq(hart.x[6], 11);
    ck_assert_uint_eq(get32(DATA), 22);
}
END_TEST

START_TEST(test_lr_sc_success)
{
    uint32_t prog[] = {
        R(ISA_OP_lr_w, 7, 5, 0),
        R(ISA_OP_sc_w, 8, 5, 6),
        R(ISA_OP_sc_w, 9, 5, 10),       /* reservation is gone */
        ECALL,
    };
    load(prog, 4);
    put32(DATA, 41);
    hart.x[5] = DATA;
    hart.x[6] = 42;
    hart.x[10] = 43;
    hart.x[8] = hart.x[9] = 77;
    run();
    ck_assert_uint_eq(hart.x[7], 41);
    ck_assert_uint_eq(hart.x[8], 0);
    ck_assert_uint_eq(hart.x[9], 1);
    ck_assert_uint_eq(get32(DATA), 42);
    ck_assert(!hart.resv_valid);
}
END_TEST

START_TEST(test_lr_sc_failure)
{
    /* Both words hold 41, the value LR saw, so only the reservation
     * rules can make these SCs fail. */
    uint32_t prog[] = {
        R(ISA_OP_lr_w, 7, 5, 0),
        R(ISA_OP_sc_w, 9, 11, 6),       /* outside the reservation set */
        R(ISA_OP_sc_w, 8, 5, 6),        /* reservation already cleared */
        R(ISA_OP_lr_w, 7, 5, 0),
        S(ISA_OP_sw, 12, 5, 0),         /* its own store kills it */
        R(ISA_OP_sc_w, 10, 5, 6),
        ECALL,
    };
    load(prog, 7);
    put32(DATA, 41);
    put32(DATA + 64, 41);
    hart.x[5] = DATA;
    hart.x[6] = 42;
    hart.x[11] = DATA + 64;
    hart.x[12] = 50;
    run();
    ck_assert_uint_eq(hart.x[8], 1);
    ck_assert_uint_eq(hart.x[9], 1);
    ck_assert_uint_eq(hart.x[10], 1);
    ck_assert_uint_eq(get32(DATA), 50);
    ck_assert_uint_eq(get32(DATA + 64), 41);
    ck_assert(!hart.resv_valid);
}
END_TEST

/* {op, address offset from DATA or absolute, expected cause} */
static const struct { IsaOp op; uint32_t addr; uint32_t cause; } amo_traps[] = {
    { ISA_OP_amoadd_w, DATA + 2, ISA_CAUSE_STORE_MISALIGNED },
    { ISA_OP_amoswap_w, DATA + 1, ISA_CAUSE_STORE_MISALIGNED },
    { ISA_OP_amomaxu_w, DATA + 3, ISA_CAUSE_STORE_MISALIGNED },
    { ISA_OP_sc_w, DATA + 2, ISA_CAUSE_STORE_MISALIGNED },
    { ISA_OP_lr_w, DATA + 2, ISA_CAUSE_LOAD_MISALIGNED },
    { ISA_OP_amoadd_w, 0x1000, ISA_CAUSE_STORE_ACCESS },
    { ISA_OP_amoor_w, BASE + SIZE, ISA_CAUSE_STORE_ACCESS },
    { ISA_OP_sc_w, BASE - 4, ISA_CAUSE_STORE_ACCESS },
    { ISA_OP_lr_w, BASE + SIZE, ISA_CAUSE_LOAD_ACCESS },
};

START_TEST(test_amo_traps)
{
    unsigned rs2 = amo_traps[_i].op == ISA_OP_lr_w ? 0 : 6;
    uint32_t prog[] = { I(ISA_OP_addi, 9, 0, 1), R(amo_traps[_i].op, 7, 5, rs2),
                        ECALL };
    load(prog, 3);
    put32(DATA, 0x11111111);
    put32(DATA + 4, 0x22222222);
    hart.x[5] = amo_traps[_i].addr;
    hart.x[6] = 0x12345678;
    hart.x[7] = 0xabcdef;
    IsaStop st = run();
    expect_trap(st, amo_traps[_i].cause, amo_traps[_i].addr, BASE + 4);
    ck_assert_uint_eq(st.insn, prog[1]);
    ck_assert_uint_eq(hart.x[7], 0xabcdef);     /* nothing committed */
    ck_assert_uint_eq(hart.instret, 1);
    ck_assert_uint_eq(get32(DATA), 0x11111111);
    ck_assert_uint_eq(get32(DATA + 4), 0x22222222);
}
END_TEST

/* ---- F loads/stores and dispatch to the FPU ----------------------------- */

START_TEST(test_exec_flw_fsw)
{
    uint32_t prog[] = {
        I(ISA_OP_flw, 3, 5, -4),
        S(ISA_OP_fsw, 3, 5, 5),             /* misaligned is fine */
        R(ISA_OP_fmv_w_x, 4, 6, 0),         /* FPU: f4 = x6 */
        R(ISA_OP_fmv_x_w, 7, 3, 0),         /* FPU: x7 = f3 */
        ECALL,
    };
    load(prog, 5);
    put32(DATA, 0x3f800000);
    hart.x[5] = DATA + 4;
    hart.x[6] = 0xc0000000;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 16);
    ck_assert_uint_eq(hart.f[3], 0x3f800000);
    ck_assert_uint_eq(hart.f[4], 0xc0000000);
    ck_assert_uint_eq(hart.x[7], 0x3f800000);
    uint32_t w;
    ck_assert(isa_mem_read(&mem, DATA + 9, &w, 4));
    ck_assert_uint_eq(w, 0x3f800000);
}
END_TEST

/* fadd.s with rm = 5 (reserved): the FPU refuses it -> illegal */
START_TEST(test_exec_fp_illegal_rm)
{
    uint32_t bad = isa_op_info[ISA_OP_fadd_s].match | (5u << 12) | (1u << 7);
    uint32_t prog[] = { bad, ECALL };
    load(prog, 2);
    IsaStop st = run();
    expect_trap(st, ISA_CAUSE_ILLEGAL, bad, BASE);
    ck_assert_uint_eq(hart.instret, 0);
}
END_TEST

/* ---- Traps -------------------------------------------------------------- */

static const struct { uint32_t w; unsigned len; } illegal_progs[] = {
    { 0xffffffff, 4 },
    { 0x02000053, 4 },      /* fadd.d */
    { 0x00000000, 2 },      /* the all-zero halfword */
    { 0x00004002, 2 },      /* c.lwsp x0 */
    { 0x00006101, 2 },      /* c.addi16sp 0 */
    { 0x00200073, 4 },
};

START_TEST(test_illegal_trap)
{
    put32(BASE, I(ISA_OP_addi, 5, 0, 1));
    put32(BASE + 4, illegal_progs[_i].w);
    if (illegal_progs[_i].len == 2)
        put16(BASE + 6, 0x0001);           /* c.nop after it */
    hart.x[6] = 0x42;
    IsaStop st = run();
    expect_trap(st, ISA_CAUSE_ILLEGAL, illegal_progs[_i].w, BASE + 4);
    ck_assert_uint_eq(st.insn, illegal_progs[_i].w);
    ck_assert_uint_eq(hart.instret, 1);
    ck_assert_uint_eq(hart.x[5], 1);
    ck_assert_uint_eq(hart.x[6], 0x42);
    /* it stays a trap when run again (not cached as something else) */
    st = run();
    expect_trap(st, ISA_CAUSE_ILLEGAL, illegal_progs[_i].w, BASE + 4);
}
END_TEST

static const struct { uint32_t insn; uint32_t addr; uint32_t cause; } fault_vecs[] = {
    { 0, BASE - 4, ISA_CAUSE_LOAD_ACCESS },               /* lw below RAM */
    { 0, BASE + SIZE - 2, ISA_CAUSE_LOAD_ACCESS },        /* straddles end */
    { 0, 0, ISA_CAUSE_LOAD_ACCESS },
    { 1, BASE + SIZE, ISA_CAUSE_STORE_ACCESS },           /* sw past RAM */
    { 1, BASE + SIZE - 3, ISA_CAUSE_STORE_ACCESS },
    { 1, 0xfffffffe, ISA_CAUSE_STORE_ACCESS },
    { 2, BASE + SIZE - 1, ISA_CAUSE_LOAD_ACCESS },        /* lh */
};

START_TEST(test_access_fault)
{
    uint32_t w = fault_vecs[_i].insn == 0 ? I(ISA_OP_lw, 7, 5, 0)
               : fault_vecs[_i].insn == 1 ? S(ISA_OP_sw, 6, 5, 0)
               : I(ISA_OP_lh, 7, 5, 0);
    uint32_t prog[] = { w, ECALL };
    load(prog, 2);
    hart.x[5] = fault_vecs[_i].addr;
    hart.x[7] = 0x77;
    IsaStop st = run();
    expect_trap(st, fault_vecs[_i].cause, fault_vecs[_i].addr, BASE);
    ck_assert_uint_eq(st.insn, w);
    ck_assert_uint_eq(hart.x[7], 0x77);
    ck_assert_uint_eq(hart.instret, 0);
}
END_TEST

START_TEST(test_fetch_fault)
{
    uint32_t prog[] = { I(ISA_OP_jalr, 1, 5, 0), ECALL };
    load(prog, 2);
    hart.x[5] = 0x1000;
    IsaStop st = run();
    expect_trap(st, ISA_CAUSE_FETCH_ACCESS, 0x1000, 0x1000);
    ck_assert_uint_eq(st.insn, 0);
    ck_assert_uint_eq(hart.instret, 1);         /* the jalr retired */
    ck_assert_uint_eq(hart.x[1], BASE + 4);

    /* a 32-bit instruction whose second half lies past the end of RAM */
    put16(BASE + SIZE - 2, 0x0013);
    hart.pc = BASE + SIZE - 2;
    st = run();
    expect_trap(st, ISA_CAUSE_FETCH_ACCESS, BASE + SIZE - 2, BASE + SIZE - 2);
}
END_TEST

START_TEST(test_ecall_wfi_ebreak_skip)
{
    env.cost[ISA_CLASS_SYSTEM] = 5;
    put32(BASE, ECALL);
    put32(BASE + 4, 0x10500073);        /* wfi */
    put32(BASE + 8, EBREAK);            /* lone: pc-4 is the wfi */
    put16(BASE + 12, 0x9002);           /* c.ebreak */
    put32(BASE + 14, ECALL);
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE);
    ck_assert_uint_eq(st.insn, ECALL);
    ck_assert_uint_eq(hart.instret, 0);
    isa_skip(&hart, &env, &st);
    ck_assert_uint_eq(hart.pc, BASE + 4);
    ck_assert_uint_eq(hart.instret, 1);
    ck_assert_uint_eq(hart.cycle, 5);
    st = run();
    expect_stop(st, ISA_STOP_WFI, BASE + 4);
    isa_skip(&hart, &env, &st);
    st = run();
    expect_stop(st, ISA_STOP_EBREAK, BASE + 8);
    ck_assert_uint_eq(st.insn, EBREAK);
    isa_skip(&hart, &env, &st);
    st = run();
    expect_stop(st, ISA_STOP_EBREAK, BASE + 12);
    ck_assert_uint_eq(st.insn, 0x9002);
    isa_skip(&hart, &env, &st);
    ck_assert_uint_eq(hart.pc, BASE + 14);      /* 2 bytes */
    st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 14);
    ck_assert_uint_eq(hart.instret, 4);
    ck_assert_uint_eq(hart.cycle, 20);
}
END_TEST

START_TEST(test_semihost)
{
    uint32_t prog[] = {
        SEMI_PRE, EBREAK, SEMI_POST,            /* 0..8: semihosting */
        I(ISA_OP_addi, 5, 5, 1),                /* 12 */
        SEMI_PRE, EBREAK, ECALL,                /* 16..24: no srai */
        ECALL, EBREAK, SEMI_POST,               /* 28..36: no slli */
    };
    load(prog, 10);
    hart.pc = BASE + 4;     /* as if slli had run; it is a no-op anyway */
    IsaStop st = run();
    expect_stop(st, ISA_STOP_SEMIHOST, BASE + 4);
    ck_assert_uint_eq(st.insn, EBREAK);
    isa_skip(&hart, &env, &st);
    ck_assert_uint_eq(hart.pc, BASE + 8);       /* the srai runs as a no-op */
    ck_assert_uint_eq(hart.instret, 1);
    hart.x[5] = 0;
    st = run();
    expect_stop(st, ISA_STOP_EBREAK, BASE + 20);
    ck_assert_uint_eq(hart.x[5], 1);
    ck_assert_uint_eq(hart.x[0], 0);
    hart.pc = BASE + 32;
    st = run();
    expect_stop(st, ISA_STOP_EBREAK, BASE + 32);
}
END_TEST

/* The sequence checks for the neighbours are bounds-checked: an ebreak
 * at the very start or end of RAM is a plain breakpoint. */
START_TEST(test_semihost_edges)
{
    put32(BASE, EBREAK);
    put32(BASE + 4, SEMI_POST);
    IsaStop st = run();
    expect_stop(st, ISA_STOP_EBREAK, BASE);
    put32(BASE + SIZE - 8, SEMI_PRE);
    put32(BASE + SIZE - 4, EBREAK);
    hart.pc = BASE + SIZE - 4;
    st = run();
    expect_stop(st, ISA_STOP_EBREAK, BASE + SIZE - 4);
    /* c.ebreak inside the sequence is not semihosting */
    put32(BASE + 0x100, SEMI_PRE);
    put16(BASE + 0x104, 0x9002);
    put16(BASE + 0x106, 0x0001);
    put32(BASE + 0x108, SEMI_POST);
    hart.pc = BASE + 0x104;
    st = run();
    expect_stop(st, ISA_STOP_EBREAK, BASE + 0x104);
}
END_TEST

START_TEST(test_take_trap_mret)
{
    hart.mtvec = BASE + 0x200;
    hart.mstatus |= 1u << 3;                    /* MIE */
    isa_take_trap(&hart, ISA_CAUSE_ILLEGAL, 0xdead, BASE + 0x42);
    ck_assert_uint_eq(hart.pc, BASE + 0x200);
    ck_assert_uint_eq(hart.mepc, BASE + 0x42);
    ck_assert_uint_eq(hart.mcause, ISA_CAUSE_ILLEGAL);
    ck_assert_uint_eq(hart.mtval, 0xdead);
    ck_assert_uint_eq(hart.mstatus & (1u << 3), 0);     /* MIE cleared */
    ck_assert_uint_ne(hart.mstatus & (1u << 7), 0);     /* MPIE = old MIE */
    ck_assert_uint_eq(hart.mstatus & (3u << 11), 3u << 11);
    /* handler: mret back; the handler bumped mepc to skip */
    put32(BASE + 0x200, CSR(ISA_OP_csrrw, 0, ISA_CSR_MEPC, 5));
    put32(BASE + 0x204, 0x30200073);            /* mret */
    put32(BASE + 0x46, ECALL);
    hart.x[5] = BASE + 0x46;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 0x46);
    ck_assert_uint_ne(hart.mstatus & (1u << 3), 0);     /* MIE = MPIE */
    ck_assert_uint_ne(hart.mstatus & (1u << 7), 0);     /* MPIE = 1 */
    /* mret with MPIE clear leaves MIE clear */
    hart.mstatus &= ~((1u << 3) | (1u << 7));
    hart.pc = BASE + 0x204;
    st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 0x46);
    ck_assert_uint_eq(hart.mstatus & (1u << 3), 0);
}
END_TEST

/* ---- CSRs --------------------------------------------------------------- */

START_TEST(test_csr_basic)
{
    hart.hartid = hart.mhartid = 3;
    uint32_t prog[] = {
        CSR(ISA_OP_csrrs, 5, ISA_CSR_MISA, 0),
        CSR(ISA_OP_csrrs, 6, ISA_CSR_MHARTID, 0),
        CSR(ISA_OP_csrrw, 0, ISA_CSR_MSCRATCH, 10),     /* csrw */
        CSR(ISA_OP_csrrc, 7, ISA_CSR_MSCRATCH, 11),     /* clear 0x0f */
        CSR(ISA_OP_csrrsi, 8, ISA_CSR_MSCRATCH, 3),     /* set 3 */
        CSR(ISA_OP_csrrwi, 9, ISA_CSR_MSCRATCH, 31),
        CSR(ISA_OP_csrrci, 12, ISA_CSR_MSCRATCH, 1),
        CSR(ISA_OP_csrrs, 13, ISA_CSR_MSCRATCH, 0),
        CSR(ISA_OP_csrrs, 14, ISA_CSR_MVENDORID, 0),
        ECALL,
    };
    load(prog, 10);
    hart.x[10] = 0xff;
    hart.x[11] = 0x0f;
    hart.x[14] = 99;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 36);
    ck_assert_uint_eq(hart.x[5], 0x40001125);
    ck_assert_uint_eq(hart.x[6], 3);
    ck_assert_uint_eq(hart.x[7], 0xff);
    ck_assert_uint_eq(hart.x[8], 0xf0);
    ck_assert_uint_eq(hart.x[9], 0xf3);
    ck_assert_uint_eq(hart.x[12], 31);
    ck_assert_uint_eq(hart.x[13], 30);
    ck_assert_uint_eq(hart.x[14], 0);
    ck_assert_uint_eq(hart.mscratch, 30);
}
END_TEST

/* read-only and unknown CSRs: which csr* forms are legal */
typedef struct CsrRule { IsaOp op; unsigned rd; uint32_t csr; unsigned rs1;
                         bool legal; } CsrRule;

static const CsrRule csr_rule_vecs[] = {
    { ISA_OP_csrrs,  5, ISA_CSR_CYCLE, 0, true },   /* rdcycle */
    { ISA_OP_csrrs,  5, ISA_CSR_CYCLE, 6, false },  /* writes: even x6=0 */
    { ISA_OP_csrrc,  5, ISA_CSR_INSTRETH, 0, true },
    { ISA_OP_csrrc,  5, ISA_CSR_INSTRETH, 6, false },
    { ISA_OP_csrrsi, 5, ISA_CSR_TIME, 0, true },
    { ISA_OP_csrrsi, 5, ISA_CSR_TIME, 1, false },
    { ISA_OP_csrrci, 5, ISA_CSR_MHARTID, 0, true },
    { ISA_OP_csrrci, 5, ISA_CSR_MHARTID, 4, false },
    { ISA_OP_csrrw,  0, ISA_CSR_MHARTID, 6, false },
    { ISA_OP_csrrw,  5, ISA_CSR_MVENDORID, 6, false },
    { ISA_OP_csrrwi, 0, ISA_CSR_MARCHID, 0, false },
    { ISA_OP_csrrw,  0, ISA_CSR_CYCLEH, 0, false },
    { ISA_OP_csrrs,  5, 0x7c0, 0, false },           /* unknown */
    { ISA_OP_csrrw,  0, 0x7c0, 6, false },
    { ISA_OP_csrrs,  5, 0xc03, 0, false },           /* hpmcounter3 */
    { ISA_OP_csrrs,  5, 0x180, 0, false },           /* satp: no S mode */
    { ISA_OP_csrrw,  0, ISA_CSR_MCYCLE, 6, true },
    { ISA_OP_csrrw,  5, ISA_CSR_MISA, 6, true },     /* WARL, ignored */
    { ISA_OP_csrrs,  5, ISA_CSR_MSTATUSH, 0, true },
    { ISA_OP_csrrs,  5, ISA_CSR_MIP, 6, true },
    { ISA_OP_csrrs,  5, ISA_CSR_FCSR, 6, true },
};

START_TEST(test_csr_rules)
{
    const CsrRule *r = &csr_rule_vecs[_i];
    uint32_t w = CSR(r->op, r->rd, r->csr, r->rs1);
    uint32_t prog[] = { w, ECALL };
    load(prog, 2);
    hart.x[5] = 0x55;
    hart.x[6] = 0;
    IsaStop st = run();
    if (r->legal) {
        expect_stop(st, ISA_STOP_ECALL, BASE + 4);
    } else {
        expect_trap(st, ISA_CAUSE_ILLEGAL, w, BASE);
        ck_assert_uint_eq(hart.x[5], 0x55);     /* rd not written */
        ck_assert_uint_eq(hart.instret, 0);
    }
}
END_TEST

START_TEST(test_csr_api)
{
    uint32_t v = 0;
    hart.hartid = 9;
    hart.mhartid = 7;                  /* what mhartid reads (ranks: local) */
    ck_assert(isa_csr_read(&hart, ISA_CSR_MHARTID, &v));
    ck_assert_uint_eq(v, 7);
    ck_assert(!isa_csr_write(&hart, ISA_CSR_MHARTID, 1));
    ck_assert(!isa_csr_write(&hart, ISA_CSR_CYCLE, 1));
    ck_assert(!isa_csr_write(&hart, ISA_CSR_INSTRETH, 1));
    ck_assert(!isa_csr_read(&hart, 0x7c0, &v));
    ck_assert(!isa_csr_write(&hart, 0x7c0, 1));
    ck_assert(!isa_csr_read(&hart, 0x1000, &v));

    /* fflags/frm/fcsr are views of one 8-bit register */
    ck_assert(isa_csr_write(&hart, ISA_CSR_FFLAGS, 0xffffffff));
    ck_assert(isa_csr_write(&hart, ISA_CSR_FRM, 0x0a));         /* -> 2 */
    ck_assert(isa_csr_read(&hart, ISA_CSR_FCSR, &v));
    ck_assert_uint_eq(v, (2u << 5) | 0x1f);
    ck_assert(isa_csr_write(&hart, ISA_CSR_FCSR, 0x1e3));
    ck_assert_uint_eq(hart.fcsr, 0xe3);
    ck_assert(isa_csr_read(&hart, ISA_CSR_FRM, &v));
    ck_assert_uint_eq(v, 7);
    ck_assert(isa_csr_read(&hart, ISA_CSR_FFLAGS, &v));
    ck_assert_uint_eq(v, 3);

    /* mstatus: only MIE, MPIE, FS stick; MPP reads M; SD follows FS */
    ck_assert(isa_csr_write(&hart, ISA_CSR_MSTATUS, 0xffffffff));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MSTATUS, &v));
    ck_assert_uint_eq(v, 0x80007888);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MSTATUS, 0));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MSTATUS, &v));
    ck_assert_uint_eq(v, 0x1800);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MSTATUS, 1u << 13));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MSTATUS, &v));
    ck_assert_uint_eq(v, 0x3800);

    ck_assert(isa_csr_write(&hart, ISA_CSR_MEPC, BASE + 3));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MEPC, &v));
    ck_assert_uint_eq(v, BASE + 2);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MTVEC, BASE + 0x101));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MTVEC, &v));
    ck_assert_uint_eq(v, BASE + 0x100);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MISA, 0));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MISA, &v));
    ck_assert_uint_eq(v, 0x40001125);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MIE, 0xffffffff));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MIE, &v));
    ck_assert_uint_eq(v, 0x888);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MCAUSE, 0x8000000b));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MCAUSE, &v));
    ck_assert_uint_eq(v, 0x8000000b);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MTVAL, 0x1234));
    ck_assert(isa_csr_read(&hart, ISA_CSR_MTVAL, &v));
    ck_assert_uint_eq(v, 0x1234);

    /* 64-bit counters through their halves; time is cycle */
    ck_assert(isa_csr_write(&hart, ISA_CSR_MCYCLEH, 0x12));
    ck_assert(isa_csr_write(&hart, ISA_CSR_MCYCLE, 0x34));
    ck_assert_uint_eq(hart.cycle, 0x1200000034ull);
    ck_assert(isa_csr_read(&hart, ISA_CSR_TIMEH, &v));
    ck_assert_uint_eq(v, 0x12);
    ck_assert(isa_csr_read(&hart, ISA_CSR_TIME, &v));
    ck_assert_uint_eq(v, 0x34);
    ck_assert(isa_csr_read(&hart, ISA_CSR_CYCLEH, &v));
    ck_assert_uint_eq(v, 0x12);
    ck_assert(isa_csr_write(&hart, ISA_CSR_MINSTRETH, 0x56));
    ck_assert(isa_csr_write(&hart, ISA_CSR_MINSTRET, 0x78));
    ck_assert_uint_eq(hart.instret, 0x5600000078ull);
    ck_assert(isa_csr_read(&hart, ISA_CSR_INSTRETH, &v));
    ck_assert_uint_eq(v, 0x56);
    ck_assert(isa_csr_read(&hart, ISA_CSR_MINSTRET, &v));
    ck_assert_uint_eq(v, 0x78);
}
END_TEST

/* rdcycle/rdinstret see the counts before the reading instruction;
 * writes to minstret/mcycle are what the next instruction reads. */
START_TEST(test_csr_counters)
{
    env.cost[ISA_CLASS_ALU] = 3;
    env.cost[ISA_CLASS_SYSTEM] = 2;
    uint32_t prog[] = {
        I(ISA_OP_addi, 0, 0, 0),
        I(ISA_OP_addi, 0, 0, 0),
        CSR(ISA_OP_csrrs, 5, ISA_CSR_INSTRET, 0),       /* 2 */
        CSR(ISA_OP_csrrs, 6, ISA_CSR_CYCLE, 0),         /* 3+3+2 = 8 */
        CSR(ISA_OP_csrrw, 0, ISA_CSR_MINSTRET, 10),     /* = 100 */
        CSR(ISA_OP_csrrs, 7, ISA_CSR_MINSTRET, 0),      /* 100 */
        CSR(ISA_OP_csrrw, 0, ISA_CSR_MCYCLE, 11),       /* = 1000 */
        CSR(ISA_OP_csrrs, 8, ISA_CSR_MCYCLE, 0),        /* 1000 */
        CSR(ISA_OP_csrrs, 9, ISA_CSR_INSTRETH, 0),
        ECALL,
    };
    load(prog, 10);
    hart.x[10] = 100;
    hart.x[11] = 1000;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 36);
    ck_assert_uint_eq(hart.x[5], 2);
    ck_assert_uint_eq(hart.x[6], 8);
    ck_assert_uint_eq(hart.x[7], 100);
    ck_assert_uint_eq(hart.x[8], 1000);
    ck_assert_uint_eq(hart.x[9], 0);
    ck_assert_uint_eq(hart.instret, 104);
    ck_assert_uint_eq(hart.cycle, 1004);
}
END_TEST

/* ---- Decoded-instruction cache and self-modifying code ------------------ */

/* The program rewrites an instruction it already executed (so it is in
 * the decode cache), then runs it again: the new one must execute. */
START_TEST(test_smc_store)
{
    IsaOp sop = _i == 0 ? ISA_OP_sw : _i == 1 ? ISA_OP_amoswap_w : ISA_OP_sh;
    uint32_t store = sop == ISA_OP_sw ? S(ISA_OP_sw, 7, 8, 0)
                   : sop == ISA_OP_sh ? S(ISA_OP_sh, 7, 8, 2)
                   : R(ISA_OP_amoswap_w, 0, 8, 7);
    uint32_t prog[] = {
        I(ISA_OP_addi, 5, 5, 1),        /* 0: rewritten */
        B(ISA_OP_bne, 6, 0, 20),        /* 4: second time round: out */
        I(ISA_OP_addi, 6, 0, 1),        /* 8 */
        U(ISA_OP_lui, 8, BASE),         /* 12 */
        store,                          /* 16 */
        J(0, -20),                      /* 20: back to 0 */
        ECALL,                          /* 24 */
    };
    load(prog, 7);
    uint32_t newinsn = I(ISA_OP_addi, 5, 5, 100);
    /* sh replaces the upper half only: imm[11:4] lives there */
    hart.x[7] = sop == ISA_OP_sh ? newinsn >> 16 : newinsn;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 24);
    ck_assert_uint_eq(hart.x[5], 101);
    ck_assert_uint_ne(mem.code_gen, 0);
}
END_TEST

/* Code changed from outside (loader, another hart): the next isa_run
 * sees the new instruction. */
START_TEST(test_smc_external)
{
    uint32_t prog[] = { I(ISA_OP_addi, 5, 5, 1), ECALL };
    load(prog, 2);
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 4);
    ck_assert_uint_eq(hart.x[5], 1);
    uint32_t gen = mem.code_gen;
    put32(BASE, I(ISA_OP_addi, 5, 5, 10));
    ck_assert_uint_ne(mem.code_gen, gen);
    hart.pc = BASE;
    st = run();
    ck_assert_uint_eq(hart.x[5], 11);

    /* another hart on the same memory stores into the code */
    IsaHart other;
    ck_assert(isa_hart_init(&other, 1, BASE + 0x200));
    put32(BASE + 0x200, S(ISA_OP_sw, 7, 8, 0));
    put32(BASE + 0x204, ECALL);
    other.x[7] = I(ISA_OP_addi, 5, 5, 100);
    other.x[8] = BASE;
    ck_assert_uint_eq(isa_run(&other, &env, UINT64_MAX, 100, &st),
                      ISA_STOP_ECALL);
    isa_hart_free(&other);
    hart.pc = BASE;
    st = run();
    ck_assert_uint_eq(hart.x[5], 111);
}
END_TEST

/* Writes outside code blocks do not disturb the cache generation. */
START_TEST(test_smc_data_store_quiet)
{
    uint32_t prog[] = { S(ISA_OP_sw, 6, 5, 0), R(ISA_OP_amoadd_w, 7, 5, 6),
                        ECALL };
    load(prog, 3);
    uint32_t gen = mem.code_gen;
    hart.x[5] = DATA;
    hart.x[6] = 1;
    run();
    ck_assert_uint_eq(mem.code_gen, gen);
    ck_assert_uint_eq(get32(DATA), 2);
}
END_TEST

/* fence.i makes a change the code map could not see (a raw write to the
 * RAM buffer) visible. */
START_TEST(test_fence_i)
{
    uint32_t prog[] = {
        I(ISA_OP_addi, 5, 5, 1),        /* 0 */
        B(ISA_OP_bne, 6, 0, 16),        /* 4 -> 20 */
        I(ISA_OP_addi, 6, 0, 1),        /* 8 */
        isa_op_info[ISA_OP_fence_i].match,  /* 12 */
        J(0, -16),                      /* 16 */
        ECALL,                          /* 20 */
    };
    load(prog, 6);
    IsaStop st;
    ck_assert_uint_eq(isa_run(&hart, &env, UINT64_MAX, 3, &st), ISA_STOP_LIMIT);
    ck_assert_uint_eq(hart.pc, BASE + 12);
    uint32_t w = I(ISA_OP_addi, 5, 5, 100);
    memcpy(mem.ram, &w, 4);                 /* behind the code map's back */
    st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 20);
    ck_assert_uint_eq(hart.x[5], 101);
}
END_TEST

/* A 4-byte instruction straddling two code blocks is dropped when either
 * block is written. */
START_TEST(test_smc_straddle)
{
    uint32_t at = BASE + 0xfe;              /* block 0 / block 1 */
    put32(BASE, J(0, 0xfe));
    put32(at, I(ISA_OP_addi, 5, 5, 1));
    put32(at + 4, ECALL);
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, at + 4);
    ck_assert_uint_eq(hart.x[5], 1);
    /* store the upper half (imm) from a program far away */
    uint32_t w = I(ISA_OP_addi, 5, 5, 7);
    put32(BASE + 0x400, S(ISA_OP_sh, 7, 8, 0));
    put32(BASE + 0x404, J(0, (int32_t)(BASE - (BASE + 0x404))));
    hart.x[7] = w >> 16;
    hart.x[8] = BASE + 0x100;
    hart.pc = BASE + 0x400;
    st = run();
    expect_stop(st, ISA_STOP_ECALL, at + 4);
    ck_assert_uint_eq(hart.x[5], 8);
}
END_TEST

/* ---- Cycle accounting, access hook, limits ------------------------------ */

typedef struct HookLog {
    unsigned n;
    uint32_t addr[8], size[8];
    IsaAccessKind kind[8];
    uint64_t cycle[8];
    uint32_t pc[8];
} HookLog;

static uint32_t hook(void *ctx, const IsaHart *h, uint32_t addr,
                     unsigned size, IsaAccessKind kind)
{
    HookLog *l = ctx;
    if (l->n < 8) {
        l->addr[l->n] = addr;
        l->size[l->n] = size;
        l->kind[l->n] = kind;
        l->cycle[l->n] = h->cycle;
        l->pc[l->n] = h->pc;
    }
    l->n++;
    return 100;
}

START_TEST(test_cycles_and_hook)
{
    static const uint32_t costs[ISA_CLASS_COUNT] = {
        [ISA_CLASS_ALU] = 1, [ISA_CLASS_BRANCH] = 2, [ISA_CLASS_JUMP] = 3,
        [ISA_CLASS_LOAD] = 4, [ISA_CLASS_STORE] = 5, [ISA_CLASS_AMO] = 6,
        [ISA_CLASS_MUL] = 7, [ISA_CLASS_DIV] = 8, [ISA_CLASS_SYSTEM] = 9,
    };
    memcpy(env.cost, costs, sizeof costs);
    HookLog log;
    memset(&log, 0, sizeof log);
    env.access = hook;
    env.access_ctx = &log;
    uint32_t prog[] = {
        I(ISA_OP_addi, 5, 0, 3),            /* 1 */
        R(ISA_OP_mul, 6, 5, 5),             /* 7 */
        R(ISA_OP_div, 6, 6, 5),             /* 8 */
        I(ISA_OP_lh, 7, 10, 2),             /* 4 + 100 */
        S(ISA_OP_sb, 6, 10, 1),             /* 5 + 100 */
        R(ISA_OP_amoadd_w, 7, 10, 5),       /* 6 + 100 */
        R(ISA_OP_lr_w, 7, 10, 0),           /* 6 + 100 */
        R(ISA_OP_sc_w, 7, 10, 5),           /* 6 + 100 */
        B(ISA_OP_beq, 0, 5, 8),             /* 2, not taken */
        J(0, 4),                            /* 3 */
        ECALL,                              /* not retired */
    };
    load(prog, 11);
    hart.x[10] = DATA;
    IsaStop st = run();
    expect_stop(st, ISA_STOP_ECALL, BASE + 40);
    ck_assert_uint_eq(hart.instret, 10);
    ck_assert_uint_eq(hart.cycle, 1 + 7 + 8 + 4 + 5 + 6 + 6 + 6 + 2 + 3 + 500);
    ck_assert_uint_eq(log.n, 5);
    const IsaAccessKind kinds[] = { ISA_ACC_LOAD, ISA_ACC_STORE, ISA_ACC_AMO,
                                    ISA_ACC_LR, ISA_ACC_SC };
    const uint32_t addrs[] = { DATA + 2, DATA + 1, DATA, DATA, DATA };
    const uint32_t sizes[] = { 2, 1, 4, 4, 4 };
    const uint64_t cycles[] = { 16, 120, 225, 331, 437 };
    for (unsigned i = 0; i < 5; i++) {
        ck_assert_int_eq(log.kind[i], kinds[i]);
        ck_assert_uint_eq(log.addr[i], addrs[i]);
        ck_assert_uint_eq(log.size[i], sizes[i]);
        ck_assert_uint_eq(log.pc[i], BASE + 12 + 4 * i);
        /* the hook sees the clock at the start of the accessing insn */
        ck_assert_uint_eq(log.cycle[i], cycles[i]);
    }
    /* a trapping access is not reported */
    hart.x[10] = 0;
    hart.pc = BASE + 12;
    st = run();
    expect_trap(st, ISA_CAUSE_LOAD_ACCESS, 2, BASE + 12);
    ck_assert_uint_eq(log.n, 5);
}
END_TEST

/* Timing off (no hook, unit costs) leaves results bit-identical. */
START_TEST(test_timing_does_not_change_results)
{
    uint32_t prog[] = {
        I(ISA_OP_addi, 5, 0, 50),
        R(ISA_OP_amoadd_w, 7, 10, 5),       /* loop: */
        I(ISA_OP_lw, 6, 10, 0),
        R(ISA_OP_mul, 6, 6, 6),
        S(ISA_OP_sw, 6, 10, 4),
        I(ISA_OP_addi, 5, 5, -1),
        B(ISA_OP_bne, 5, 0, -20),
        ECALL,
    };
    uint32_t regs[2][32], memv[2][2];
    for (int pass = 0; pass < 2; pass++) {
        HookLog log;
        memset(&log, 0, sizeof log);
        memset(mem.ram + 0x1000, 0, 8);
        isa_hart_free(&hart);
        ck_assert(isa_hart_init(&hart, 0, BASE));
        env.access = pass ? hook : NULL;
        env.access_ctx = &log;
        for (unsigned i = 0; i < ISA_CLASS_COUNT; i++)
            env.cost[i] = pass ? 3 + i : 1;
        load(prog, 8);
        hart.x[10] = DATA;
        IsaStop st = run();
        expect_stop(st, ISA_STOP_ECALL, BASE + 28);
        memcpy(regs[pass], hart.x, sizeof hart.x);
        memv[pass][0] = get32(DATA);
        memv[pass][1] = get32(DATA + 4);
    }
    ck_assert(memcmp(regs[0], regs[1], sizeof regs[0]) == 0);
    ck_assert_uint_eq(memv[0][0], memv[1][0]);
    ck_assert_uint_eq(memv[0][1], memv[1][1]);
    ck_assert_uint_eq(memv[0][0], 1275);    /* 50 + 49 + ... + 1 */
}
END_TEST

START_TEST(test_limits)
{
    uint32_t prog[64];
    for (unsigned i = 0; i < 63; i++)
        prog[i] = I(ISA_OP_addi, 5, 5, 1);
    prog[63] = ECALL;
    load(prog, 64);
    IsaStop st;
    /* instruction limit */
    ck_assert_uint_eq(isa_run(&hart, &env, UINT64_MAX, 3, &st), ISA_STOP_LIMIT);
    ck_assert_int_eq(st.kind, ISA_STOP_LIMIT);
    ck_assert_uint_eq(st.pc, BASE + 12);
    ck_assert_uint_eq(hart.pc, BASE + 12);
    ck_assert_uint_eq(hart.instret, 3);
    ck_assert_uint_eq(hart.x[5], 3);
    /* already at the limit: nothing runs */
    ck_assert_uint_eq(isa_run(&hart, &env, UINT64_MAX, 3, &st), ISA_STOP_LIMIT);
    ck_assert_uint_eq(hart.instret, 3);
    /* cycle limit, checked before each instruction: 10 per insn, limit
     * 25 more -> three run (at +0, +10, +20) */
    env.cost[ISA_CLASS_ALU] = 10;
    ck_assert_uint_eq(isa_run(&hart, &env, hart.cycle + 25, UINT64_MAX, &st),
                      ISA_STOP_LIMIT);
    ck_assert_uint_eq(hart.instret, 6);
    ck_assert_uint_eq(hart.x[5], 6);
    /* resume to the end; NULL stop is allowed */
    ck_assert_uint_eq(isa_run(&hart, &env, UINT64_MAX, UINT64_MAX, NULL),
                      ISA_STOP_ECALL);
    ck_assert_uint_eq(hart.x[5], 63);
}
END_TEST

START_TEST(test_mem_helpers)
{
    uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    ck_assert(isa_mem_write(&mem, BASE + SIZE - 8, buf, 8));
    ck_assert(!isa_mem_write(&mem, BASE + SIZE - 7, buf, 8));
    ck_assert(!isa_mem_write(&mem, BASE - 1, buf, 2));
    ck_assert(!isa_mem_write(&mem, 0xffffffff, buf, 2));
    uint8_t out[8] = { 0 };
    ck_assert(isa_mem_read(&mem, BASE + SIZE - 8, out, 8));
    ck_assert(memcmp(out, buf, 8) == 0);
    ck_assert(!isa_mem_read(&mem, BASE + SIZE - 4, out, 8));
    ck_assert(!isa_mem_read(&mem, BASE + SIZE, out, 1));
    ck_assert(isa_mem_read(&mem, BASE + SIZE, out, 0));
    ck_assert_ptr_eq(isa_mem_ptr(&mem, BASE + 16, 4), mem.ram + 16);
    ck_assert_ptr_null(isa_mem_ptr(&mem, BASE + SIZE - 3, 4));
    ck_assert_ptr_null(isa_mem_ptr(&mem, 0, 4));
    ck_assert_ptr_null(isa_mem_ptr(&mem, BASE, SIZE + 1));
    ck_assert_ptr_nonnull(isa_mem_ptr(&mem, BASE, SIZE));
}
END_TEST

START_TEST(test_hart_init)
{
    IsaHart h;
    memset(&h, 0x5a, sizeof h);
    ck_assert(isa_hart_init(&h, 5, 0x80001234));
    ck_assert_uint_eq(h.pc, 0x80001234);
    ck_assert_uint_eq(h.hartid, 5);
    ck_assert_uint_eq(h.x[0], 0);
    ck_assert_uint_eq(h.x[31], 0);
    ck_assert_uint_eq(h.cycle, 0);
    ck_assert_uint_eq(h.instret, 0);
    ck_assert(!h.resv_valid);
    ck_assert_uint_eq(h.mstatus & (3u << 11), 3u << 11);
    ck_assert_ptr_nonnull(h.dc);
    isa_hart_free(&h);
    ck_assert_ptr_null(h.dc);
}
END_TEST


/* ---- The block engine against the one-by-one loop ---------------------- */

/* Two machines with the same program and registers, one run in blocks,
 * one instruction at a time: every observable thing must be the same. */
typedef struct Twin {
    IsaMem mem;
    IsaHart hart;
    IsaEnv env;
    IsaStop stop;
    /* the access hook: its calls, the latency it answers, and the call
     * (1-based) it defers once (0: none) */
    unsigned calls, defer_at;
    uint32_t call_pc[64];
    uint64_t call_cycle[64];
} Twin;

static uint32_t twin_hook(void *ctx, const IsaHart *h, uint32_t addr,
                          unsigned size, IsaAccessKind kind)
{
    Twin *t = ctx;
    (void)size;
    unsigned i = t->calls++;
    if (i < 64) {
        t->call_pc[i] = h->pc;
        t->call_cycle[i] = h->cycle;
    }
    if (t->defer_at && i + 1 == t->defer_at) {
        t->defer_at = 0;
        return ISA_ACCESS_DEFER;
    }
    /* varied latencies, some of them 0 */
    return kind == ISA_ACC_FENCE ? 2 : (addr >> 3) % 5;
}

static void twin_init(Twin *t, bool blocks, const uint32_t *prog, size_t n)
{
    memset(t, 0, sizeof *t);
    t->mem.base = BASE;
    t->mem.size = SIZE;
    t->mem.ram = aligned_alloc(64, SIZE);
    ck_assert_ptr_nonnull(t->mem.ram);
    memset(t->mem.ram, 0, SIZE);
    t->mem.code_map = calloc(SIZE >> ISA_CODE_BLOCK_SHIFT >> 3, 1);
    ck_assert_ptr_nonnull(t->mem.code_map);
    ck_assert(isa_mem_write(&t->mem, BASE, prog, (uint32_t)(4 * n)));
    ck_assert(isa_hart_init(&t->hart, 0, BASE));
    t->env.mem = &t->mem;
    t->env.blocks = blocks;
    t->env.access = twin_hook;
    t->env.access_ctx = t;
    static const uint32_t costs[ISA_CLASS_COUNT] = {
        [ISA_CLASS_ALU] = 1, [ISA_CLASS_BRANCH] = 2, [ISA_CLASS_JUMP] = 3,
        [ISA_CLASS_LOAD] = 4, [ISA_CLASS_STORE] = 2, [ISA_CLASS_AMO] = 6,
        [ISA_CLASS_MUL] = 3, [ISA_CLASS_DIV] = 20, [ISA_CLASS_SYSTEM] = 5,
        [ISA_CLASS_FADD] = 4};
    memcpy(t->env.cost, costs, sizeof costs);
}

static void twin_free(Twin *t)
{
    isa_hart_free(&t->hart);
    free(t->mem.ram);
    free(t->mem.code_map);
}

static IsaStopKind twin_run(Twin *t, uint64_t cycle_limit,
                            uint64_t insn_limit)
{
    return isa_run(&t->hart, &t->env, cycle_limit, insn_limit, &t->stop);
}

/* Run to the end: past limits and deferrals, stopping at a trap or at an
 * ecall with a7 = 93 (the others are skipped). */
static void twin_finish(Twin *t)
{
    for (int i = 0; i < 10000; i++) {
        IsaStopKind k = twin_run(t, UINT64_MAX, t->hart.instret + 10000);
        if (k == ISA_STOP_TRAP || (k == ISA_STOP_ECALL &&
                                   t->hart.x[17] == 93))
            return;
        isa_skip(&t->hart, &t->env, &t->stop);
    }
    ck_abort_msg("the program does not end");
}

static void twin_same(const Twin *a, const Twin *b, const char *what,
                      unsigned step)
{
    const IsaHart *x = &a->hart, *y = &b->hart;
    for (int r = 0; r < 32; r++)
        ck_assert_msg(x->x[r] == y->x[r], "%s %u: x%d %08x vs %08x", what,
                      step, r, x->x[r], y->x[r]);
    ck_assert_msg(!memcmp(x->f, y->f, sizeof x->f), "%s %u: f", what, step);
    ck_assert_msg(x->pc == y->pc, "%s %u: pc %08x vs %08x", what, step,
                  x->pc, y->pc);
    ck_assert_msg(x->cycle == y->cycle, "%s %u: cycle %llu vs %llu", what,
                  step, (unsigned long long)x->cycle,
                  (unsigned long long)y->cycle);
    ck_assert_msg(x->instret == y->instret, "%s %u: instret %llu vs %llu",
                  what, step, (unsigned long long)x->instret,
                  (unsigned long long)y->instret);
    for (int c = 0; c < ISA_CLASS_COUNT; c++)
        ck_assert_msg(x->class_count[c] == y->class_count[c],
                      "%s %u: class %d: %llu vs %llu", what, step, c,
                      (unsigned long long)x->class_count[c],
                      (unsigned long long)y->class_count[c]);
    ck_assert_msg(x->fcsr == y->fcsr && x->mepc == y->mepc,
                  "%s %u: CSRs", what, step);
    ck_assert_msg(a->stop.kind == b->stop.kind && a->stop.pc == b->stop.pc &&
                  a->stop.cause == b->stop.cause &&
                  a->stop.tval == b->stop.tval &&
                  a->stop.insn == b->stop.insn,
                  "%s %u: stop %d at %08x vs %d at %08x", what, step,
                  a->stop.kind, a->stop.pc, b->stop.kind, b->stop.pc);
    ck_assert_msg(a->calls == b->calls, "%s %u: %u vs %u hook calls", what,
                  step, a->calls, b->calls);
    for (unsigned i = 0; i < a->calls && i < 64; i++)
        ck_assert_msg(a->call_pc[i] == b->call_pc[i] &&
                      a->call_cycle[i] == b->call_cycle[i],
                      "%s %u: hook call %u", what, step, i);
    ck_assert_msg(!memcmp(a->mem.ram, b->mem.ram, SIZE), "%s %u: memory",
                  what, step);
}

#define EXIT_A7 I(ISA_OP_addi, 17, 0, 93)

/* A loop with loads, stores, a multiply, a call and a return, a fence,
 * an AMO and an F op, over 12 elements of DATA; then exits.  x11 is the
 * pointer (set by the caller: a load fault in the middle of the loop's
 * block when it runs out of RAM), x13 the AMO's word. */
static void loop_prog(uint32_t *p, size_t *n)
{
    const uint32_t w[] = {
        I(ISA_OP_addi, 5, 0, 12),           /*  0: n */
        I(ISA_OP_addi, 10, 0, 0),           /*  4: sum */
        R(ISA_OP_mul, 7, 6, 5),             /*  8: loop */
        I(ISA_OP_lw, 6, 11, 0),             /* 12 */
        R(ISA_OP_add, 10, 10, 6),           /* 16 */
        S(ISA_OP_sw, 7, 11, 4),             /* 20 */
        I(ISA_OP_addi, 11, 11, 8),          /* 24 */
        J(1, 32),                           /* 28: call 60 */
        I(ISA_OP_addi, 5, 5, -1),           /* 32 */
        isa_op_info[ISA_OP_fence].match | (0xff << 20), /* 36 */
        R(ISA_OP_amoadd_w, 0, 13, 5),       /* 40: x0 gets the old value */
        R(ISA_OP_fadd_s, 1, 1, 2) | (0 << 12), /* 44 */
        B(ISA_OP_bne, 5, 0, -40),           /* 48: to 8 */
        EXIT_A7,                            /* 52 */
        ECALL,                              /* 56 */
        R(ISA_OP_xor, 12, 12, 10),          /* 60: func */
        I(ISA_OP_slli, 12, 12, 1),          /* 64 */
        I(ISA_OP_addi, 0, 12, 5),           /* 68: writes x0 */
        I(ISA_OP_jalr, 0, 1, 0),            /* 72: ret */
    };
    memcpy(p, w, sizeof w);
    *n = N(w);
}

/* A tight loop with a forward branch in it, over 10 words of DATA, odd
 * and even: the block engine runs it several rounds a block, leaving at
 * its side exits. */
static void side_prog(uint32_t *p, size_t *n)
{
    const uint32_t w[] = {
        I(ISA_OP_addi, 5, 0, 10),           /*  0 */
        I(ISA_OP_addi, 6, 0, 0),            /*  4 */
        I(ISA_OP_lw, 7, 11, 0),             /*  8: loop */
        I(ISA_OP_andi, 8, 7, 1),            /* 12 */
        B(ISA_OP_beq, 8, 0, 12),            /* 16: even: to 28 */
        I(ISA_OP_addi, 6, 6, 3),            /* 20 */
        S(ISA_OP_sw, 6, 11, 0),             /* 24 */
        I(ISA_OP_addi, 11, 11, 4),          /* 28 */
        I(ISA_OP_addi, 5, 5, -1),           /* 32 */
        B(ISA_OP_bne, 5, 0, -28),           /* 36: to 8 */
        EXIT_A7,                            /* 40 */
        ECALL,                              /* 44 */
    };
    memcpy(p, w, sizeof w);
    *n = N(w);
}

static void twins_of(Twin *a, Twin *b, uint32_t ptr, int which)
{
    uint32_t prog[64];
    size_t n;
    if (which)
        side_prog(prog, &n);
    else
        loop_prog(prog, &n);
    twin_init(a, true, prog, n);
    twin_init(b, false, prog, n);
    for (uint32_t i = 0; i < 32; i++) {
        uint32_t v = i * 7 + 3;
        ck_assert(isa_mem_write(&a->mem, DATA + 4 * i, &v, 4));
        ck_assert(isa_mem_write(&b->mem, DATA + 4 * i, &v, 4));
    }
    a->hart.x[11] = b->hart.x[11] = ptr;
    a->hart.x[13] = b->hart.x[13] = DATA + 0x200;
    a->hart.f[2] = b->hart.f[2] = 0x3f800000u;      /* 1.0f */
}

static void twins(Twin *a, Twin *b, uint32_t ptr)
{
    twins_of(a, b, ptr, 0);
}

START_TEST(test_blocks_same_run)
{
    Twin a, b;
    twins(&a, &b, DATA);
    twin_finish(&a);
    twin_finish(&b);
    twin_same(&a, &b, "run", 0);
    ck_assert_int_eq(a.stop.kind, ISA_STOP_ECALL);
    ck_assert_uint_gt(a.calls, 30);
    ck_assert_uint_eq(a.hart.f[1], 0x41400000u);    /* 12.0f */
    twin_free(&a);
    twin_free(&b);
    /* the loop with a side exit: data 3, 10, 17, ... (i * 7 + 3) */
    twins_of(&a, &b, DATA, 1);
    twin_finish(&a);
    twin_finish(&b);
    twin_same(&a, &b, "side exits", 0);
    ck_assert_uint_eq(a.hart.x[6], 15);             /* 5 odd words */
    twin_free(&a);
    twin_free(&b);
}
END_TEST

/* A load fault in the middle of a block (the pointer runs off RAM). */
START_TEST(test_blocks_trap_mid_block)
{
    Twin a, b;
    twins(&a, &b, BASE + SIZE - 8 * 3);
    twin_finish(&a);
    twin_finish(&b);
    twin_same(&a, &b, "trap", 0);
    ck_assert_int_eq(a.stop.kind, ISA_STOP_TRAP);
    ck_assert_uint_eq(a.stop.cause, ISA_CAUSE_LOAD_ACCESS);
    ck_assert_uint_eq(a.stop.tval, BASE + SIZE);
    ck_assert_uint_eq(a.stop.pc, BASE + 12);
    twin_free(&a);
    twin_free(&b);
}
END_TEST

/* The hook defers its k-th call (in each of the two programs): both
 * stop before that instruction, with nothing of it done, and go on the
 * same way. */
START_TEST(test_blocks_defer_mid_block)
{
    for (unsigned k = 1; k <= 40; k++) {
        Twin a, b;
        twins_of(&a, &b, DATA, _i);
        a.defer_at = b.defer_at = k;
        IsaStopKind ka = twin_run(&a, UINT64_MAX, UINT64_MAX);
        IsaStopKind kb = twin_run(&b, UINT64_MAX, UINT64_MAX);
        ck_assert_int_eq(ka, kb);
        twin_same(&a, &b, "deferred at call", k);
        if (ka == ISA_STOP_LIMIT)
            ck_assert_uint_eq(a.calls, k);
        twin_finish(&a);
        twin_finish(&b);
        twin_same(&a, &b, "after deferring call", k);
        twin_free(&a);
        twin_free(&b);
    }
}
END_TEST

/* Every cycle limit and every instruction limit up to the end of the
 * program (each of the two, with and without the access hook): each
 * run stops before the same instruction, then both go on to the same
 * end. */
START_TEST(test_blocks_limits_sweep)
{
    Twin a, b;
    int which = _i & 1;
    bool hook = _i >> 1;    /* without one, the engine for --no-timing */
    twins_of(&a, &b, DATA, which);
    if (!hook)
        a.env.access = NULL;
    twin_finish(&a);
    uint64_t cycles = a.hart.cycle, insns = a.hart.instret;
    twin_free(&a);
    twin_free(&b);
    for (int by_insns = 0; by_insns < 2; by_insns++) {
        uint64_t top = by_insns ? insns : cycles;
        for (uint64_t l = 0; l <= top + 1; l++) {
            twins_of(&a, &b, DATA, which);
            if (!hook)
                a.env.access = b.env.access = NULL;
            /* in slices of l, as the schedulers run harts */
            for (uint64_t s = 1; s <= 3; s++) {
                uint64_t cl = by_insns ? UINT64_MAX : s * l;
                uint64_t il = by_insns ? s * l : UINT64_MAX;
                twin_run(&a, cl, il);
                twin_run(&b, cl, il);
                twin_same(&a, &b, by_insns ? "insn limit" : "cycle limit",
                          (unsigned)l);
            }
            twin_finish(&a);
            twin_finish(&b);
            twin_same(&a, &b, "after limit", (unsigned)l);
            twin_free(&a);
            twin_free(&b);
        }
    }
}
END_TEST

/* A breakpoint in the middle of what would be a block: both stop before
 * it every time round the loop, and go on past it when let by. */
START_TEST(test_blocks_breakpoint)
{
    static const uint32_t brk[] = { BASE + 24 };    /* the loop's sw */
    Twin a, b;
    twins_of(&a, &b, DATA, 1);
    a.env.breaks = b.env.breaks = brk;
    a.env.nbreaks = b.env.nbreaks = 1;
    unsigned stops = 0;
    for (int i = 0; i < 100; i++) {
        IsaStopKind ka = twin_run(&a, UINT64_MAX, UINT64_MAX);
        IsaStopKind kb = twin_run(&b, UINT64_MAX, UINT64_MAX);
        ck_assert_int_eq(ka, kb);
        twin_same(&a, &b, "break", (unsigned)i);
        if (ka != ISA_STOP_BREAK)
            break;
        stops++;
        a.hart.brk_resume = b.hart.brk_resume = a.stop.pc;
    }
    ck_assert_uint_eq(stops, 5);                    /* the odd words */
    ck_assert_int_eq(a.stop.kind, ISA_STOP_ECALL);
    twin_free(&a);
    twin_free(&b);
}
END_TEST

/* Random programs, run both ways in slices: random instructions of
 * every kind in the table, mostly arithmetic, accesses and branches
 * (some words two random compressed ones), their accesses based on
 * x8..x15, which point into the data and (x11) into the code itself,
 * branches and jumps nearby.  Whatever they do (traps, stops, stores
 * into the running code) both ways must agree. */
static uint32_t rnd_state;
static uint32_t rnd(void)
{
    return xorshift32(&rnd_state);
}

/* A random op of one of the classes in want (a bit mask). */
static unsigned random_op(unsigned want)
{
    for (;;) {
        unsigned op = 1 + rnd() % (ISA_OP_COUNT - 1);
        if (want >> isa_op_info[op].cls & 1)
            return op;
    }
}

#define CLS(c) (1u << ISA_CLASS_##c)

static uint32_t random_word(void)
{
    unsigned dice = rnd() % 100, op;
    if (dice < 8) {         /* two compressed halves (low bits not 11) */
        uint32_t lo = rnd() & 0xffff, hi = rnd() & 0xffff;
        lo = (lo & ~3u) | rnd() % 3;
        hi = (hi & ~3u) | rnd() % 3;
        return lo | hi << 16;
    }
    if (dice < 50)
        op = random_op(CLS(ALU) | CLS(MUL) | CLS(DIV));
    else if (dice < 68)
        op = random_op(CLS(LOAD) | CLS(STORE) | CLS(AMO));
    else if (dice < 82)
        op = random_op(CLS(BRANCH));
    else if (dice < 87)
        return J(rnd() % 32, (int32_t)(rnd() % 64) * 2 - 64);
    else if (dice < 94)
        op = random_op(CLS(FADD) | CLS(FMUL) | CLS(FFMA) | CLS(FCVT) |
                       CLS(FMISC));
    else
        op = 1 + rnd() % (ISA_OP_COUNT - 1);    /* anything */
    const IsaOpInfo *info = &isa_op_info[op];
    uint32_t w = info->match | (rnd() & ~info->mask);
    switch (info->cls) {
    case ISA_CLASS_LOAD: case ISA_CLASS_STORE: case ISA_CLASS_AMO:
        /* based on x8..x15 */
        w = (w & ~(31u << 15)) | (8 + rnd() % 8) << 15;
        break;
    case ISA_CLASS_BRANCH:  /* within 64 bytes either way */
        w = B((IsaOp)op, rnd() % 32, rnd() % 32,
              (int32_t)(rnd() % 64) * 2 - 64);
        break;
    case ISA_CLASS_FADD: case ISA_CLASS_FMUL: case ISA_CLASS_FFMA:
    case ISA_CLASS_FCVT: case ISA_CLASS_FMISC:
        /* a legal rounding mode where there is one (or the field is
         * funct3 and stays) */
        if (!(info->mask & (7u << 12)))
            w = (w & ~(7u << 12)) | (rnd() % 5) << 12;
        break;
    default:
        break;
    }
    return w;
}

START_TEST(test_blocks_random_programs)
{
    rnd_state = 0x2545f491u + (uint32_t)_i * 7919u;
    for (int trial = 0; trial < 150; trial++) {
        uint32_t prog[96];
        for (int i = 0; i < 96; i++)
            prog[i] = random_word();
        Twin a, b;
        twin_init(&a, true, prog, 96);
        twin_init(&b, false, prog, 96);
        for (int r = 1; r < 32; r++)
            a.hart.x[r] = b.hart.x[r] = rnd();
        for (int r = 8; r < 16; r++)
            a.hart.x[r] = b.hart.x[r] = DATA + 0x200u * (uint32_t)r;
        a.hart.x[11] = b.hart.x[11] = BASE + 0x40;
        a.hart.x[2] = b.hart.x[2] = DATA + 0x3000;
        for (int r = 0; r < 32; r++)
            a.hart.f[r] = b.hart.f[r] = rnd();
        if (trial % 2)
            a.env.access = b.env.access = NULL;
        for (unsigned step = 0; step < 12; step++) {
            uint64_t cl = a.hart.cycle + 1 + rnd() % 64;
            uint64_t il = rnd() % 3 ? UINT64_MAX : a.hart.instret + rnd() % 40;
            IsaStopKind ka = twin_run(&a, cl, il);
            IsaStopKind kb = twin_run(&b, cl, il);
            ck_assert_int_eq(ka, kb);
            twin_same(&a, &b, "random program", (unsigned)trial);
            if (ka == ISA_STOP_TRAP)
                break;
            if (ka != ISA_STOP_LIMIT) {
                isa_skip(&a.hart, &a.env, &a.stop);
                isa_skip(&b.hart, &b.env, &b.stop);
            }
        }
        twin_free(&a);
        twin_free(&b);
    }
}
END_TEST

/* A store in a running block rewrites an instruction further on in the
 * same block: the new one runs, in the first pass and in the second. */
START_TEST(test_blocks_smc_same_block)
{
    uint32_t prog[] = {
        U(ISA_OP_lui, 8, BASE),             /*  0 */
        S(ISA_OP_sw, 7, 8, 20),             /*  4: rewrites 20 */
        I(ISA_OP_addi, 5, 5, 1),            /*  8 */
        I(ISA_OP_addi, 6, 6, 1),            /* 12 */
        I(ISA_OP_addi, 5, 5, 1),            /* 16 */
        I(ISA_OP_addi, 5, 5, 1),            /* 20: rewritten */
        I(ISA_OP_addi, 9, 0, 2),            /* 24 */
        B(ISA_OP_bne, 6, 9, -24),           /* 28: to 4, once */
        EXIT_A7,                            /* 32 */
        ECALL,                              /* 36 */
    };
    Twin a, b;
    twin_init(&a, true, prog, N(prog));
    twin_init(&b, false, prog, N(prog));
    a.hart.x[7] = b.hart.x[7] = I(ISA_OP_addi, 5, 5, 100);
    twin_finish(&a);
    twin_finish(&b);
    twin_same(&a, &b, "smc", 0);
    ck_assert_uint_eq(a.hart.x[5], 2 * 102);
    /* the same program again, the blocks of the first run dropped */
    a.hart.pc = b.hart.pc = BASE;
    a.hart.x[5] = b.hart.x[5] = a.hart.x[6] = b.hart.x[6] = 0;
    a.hart.x[7] = b.hart.x[7] = I(ISA_OP_addi, 5, 5, 10);
    twin_finish(&a);
    twin_finish(&b);
    twin_same(&a, &b, "smc again", 0);
    ck_assert_uint_eq(a.hart.x[5], 2 * 12);
    twin_free(&a);
    twin_free(&b);
}
END_TEST

/* fence.i after a write the code map could not see: the block that was
 * translated from the old instruction is gone. */
START_TEST(test_blocks_fence_i)
{
    uint32_t prog[] = {
        I(ISA_OP_addi, 5, 5, 1),            /*  0 */
        I(ISA_OP_addi, 6, 6, 1),            /*  4 */
        I(ISA_OP_addi, 9, 0, 2),            /*  8 */
        B(ISA_OP_bne, 6, 9, 12),            /* 12: first time: to 24 */
        EXIT_A7,                            /* 16 */
        ECALL,                              /* 20 */
        isa_op_info[ISA_OP_fence_i].match,  /* 24 */
        J(0, -28),                          /* 28: to 0 */
    };
    Twin a, b;
    twin_init(&a, true, prog, N(prog));
    twin_init(&b, false, prog, N(prog));
    IsaStopKind k = twin_run(&a, UINT64_MAX, 4);
    ck_assert_int_eq(k, ISA_STOP_LIMIT);
    twin_run(&b, UINT64_MAX, 4);
    uint32_t w = I(ISA_OP_addi, 5, 5, 100);
    memcpy(a.mem.ram, &w, 4);               /* behind the code map's back */
    memcpy(b.mem.ram, &w, 4);
    twin_finish(&a);
    twin_finish(&b);
    twin_same(&a, &b, "fence.i", 0);
    ck_assert_uint_eq(a.hart.x[5], 101);
    twin_free(&a);
    twin_free(&b);
}
END_TEST

/* A block that crosses nothing it should not: the same program laid so
 * that its loop straddles a code block boundary, the far block rewritten
 * by a store from the near one. */
START_TEST(test_blocks_code_block_edge)
{
    uint32_t prog[128];
    size_t n = 0;
    /* 0: jump to the loop, placed to straddle BASE + 0x100 */
    prog[n++] = J(0, 0xf0);
    while (n < 0xf0 / 4)
        prog[n++] = ECALL;
    const uint32_t loop[] = {
        I(ISA_OP_addi, 5, 5, 1),            /* 0xf0 */
        S(ISA_OP_sw, 7, 8, 0x108 - 0x100),  /* 0xf4: rewrites 0x108 */
        I(ISA_OP_addi, 6, 6, 1),            /* 0xf8 */
        I(ISA_OP_addi, 5, 5, 1),            /* 0xfc */
        I(ISA_OP_addi, 5, 5, 1),            /* 0x100 */
        I(ISA_OP_addi, 5, 5, 1),            /* 0x104 */
        I(ISA_OP_addi, 5, 5, 1),            /* 0x108: rewritten */
        I(ISA_OP_addi, 9, 0, 3),            /* 0x10c */
        B(ISA_OP_bne, 6, 9, -0x20),         /* 0x110: to 0xf0 */
        EXIT_A7,
        ECALL,
    };
    memcpy(prog + n, loop, sizeof loop);
    n += N(loop);
    Twin a, b;
    twin_init(&a, true, prog, n);
    twin_init(&b, false, prog, n);
    a.hart.x[8] = b.hart.x[8] = BASE + 0x100;
    a.hart.x[7] = b.hart.x[7] = I(ISA_OP_addi, 5, 5, 1);
    /* one pass with the same instruction, so the blocks are made */
    twin_run(&a, UINT64_MAX, 12);
    twin_run(&b, UINT64_MAX, 12);
    twin_same(&a, &b, "edge", 0);
    a.hart.x[7] = b.hart.x[7] = I(ISA_OP_addi, 5, 5, 50);
    twin_finish(&a);
    twin_finish(&b);
    twin_same(&a, &b, "edge", 1);
    ck_assert_uint_eq(a.hart.x[5], 5 + 5 + 54);
    twin_free(&a);
    twin_free(&b);
}
END_TEST

/* ---- LR/SC reservations between harts ----------------------------------- */

/* Hart 0 (the fixture's) runs lr.w t2,(t0); ecall; sc.w s0,t1,(t0);
 * ecall from BASE; the other hart's code, at OTHER, runs between its LR
 * and its SC.  Both share mem, as the harts of one machine do. */
#define OTHER (BASE + 0x200)

static IsaHart other;

static void setup_lrsc(void)
{
    setup();
    ck_assert(isa_hart_init(&other, 1, OTHER));
    uint32_t prog[] = { R(ISA_OP_lr_w, 7, 5, 0), ECALL,
                        R(ISA_OP_sc_w, 8, 5, 6), ECALL };
    load(prog, 4);
    put32(DATA, 41);
    hart.x[5] = DATA;
    hart.x[6] = 42;
    hart.x[8] = 77;
    other.x[10] = DATA;
}

static void teardown_lrsc(void)
{
    isa_hart_free(&other);
    teardown();
}

static void load_other(const uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put32(OTHER + 4 * (uint32_t)i, w[i]);
}

/* Run h to its next ecall and past it. */
static void to_ecall(IsaHart *h)
{
    IsaStop st;
    isa_run(h, &env, UINT64_MAX, h->instret + 1000, &st);
    ck_assert_int_eq(st.kind, ISA_STOP_ECALL);
    isa_skip(h, &env, &st);
}

/* Hart 0's LR, the other hart's code, hart 0's SC. */
static void lr_other_sc(void)
{
    to_ecall(&hart);
    to_ecall(&other);
    to_ecall(&hart);
}

/* {reservation set bytes (0: the default, 64), what the other hart does
 * between hart 0's LR and SC, at DATA + off, does hart 0's SC fail} */
static const struct {
    uint32_t bytes;
    IsaOp op;
    int32_t off;
    uint32_t fails;
} kill_vecs[] = {
    { 0, ISA_OP_sw, 0, 1 },             /* the word itself */
    { 0, ISA_OP_sw, 60, 1 },            /* another word of the set */
    { 0, ISA_OP_sb, 63, 1 },            /* its last byte */
    { 0, ISA_OP_sh, 62, 1 },
    { 0, ISA_OP_sw, 64, 0 },            /* the next set */
    { 0, ISA_OP_sb, -1, 0 },            /* the one before */
    { 0, ISA_OP_sw, -2, 1 },            /* misaligned, into the set */
    { 0, ISA_OP_amoadd_w, 32, 1 },
    { 0, ISA_OP_amoswap_w, 128, 0 },
    { 0, ISA_OP_sc_w, 16, 1 },          /* its own LR, then a good SC */
    { 0, ISA_OP_lw, 0, 0 },             /* a load never kills */
    { 0, ISA_OP_lr_w, 0, 0 },           /* nor does another LR */
    { 4, ISA_OP_sw, 0, 1 },
    { 4, ISA_OP_sw, 4, 0 },             /* 4-byte sets: the next word */
    { 4, ISA_OP_sb, 3, 1 },
    { 8, ISA_OP_sw, 4, 1 },
    { 8, ISA_OP_sw, 8, 0 },
    { 4096, ISA_OP_sw, 4092, 1 },
    { 4096, ISA_OP_sw, 4096, 0 },
    { 4096, ISA_OP_sb, -1, 0 },
};

START_TEST(test_lrsc_kill)
{
    mem.resv_bytes = kill_vecs[_i].bytes;
    IsaOp op = kill_vecs[_i].op;
    uint32_t b[3] = { 0, ECALL, ECALL };
    switch (op) {
    case ISA_OP_sw: case ISA_OP_sh: case ISA_OP_sb:
        b[0] = S(op, 11, 10, 0);
        break;
    case ISA_OP_lw:
        b[0] = I(op, 9, 10, 0);
        break;
    case ISA_OP_lr_w:
        b[0] = R(op, 9, 10, 0);
        break;
    case ISA_OP_sc_w:
        b[0] = R(ISA_OP_lr_w, 9, 10, 0);
        b[1] = R(ISA_OP_sc_w, 12, 10, 11);
        break;
    default:
        b[0] = R(op, 9, 10, 11);
        break;
    }
    load_other(b, 3);
    other.x[10] = DATA + (uint32_t)kill_vecs[_i].off;
    other.x[11] = 0x99;
    other.x[12] = 77;
    lr_other_sc();
    ck_assert_uint_eq(hart.x[7], 41);
    ck_assert_uint_eq(hart.x[8], kill_vecs[_i].fails);
    if (op == ISA_OP_sc_w)
        ck_assert_uint_eq(other.x[12], 0);
    if (!kill_vecs[_i].fails)
        ck_assert_uint_eq(get32(DATA), 42);
    ck_assert(!hart.resv_valid);
    /* Nobody holds one now: hart 0's good SC killed the other hart's
     * lone LR too. */
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* ABA: the other hart writes a new value and then the old one back.  The
 * word holds what LR read, and the SC still fails (a compare-and-swap
 * against that value would succeed). */
START_TEST(test_lrsc_aba)
{
    uint32_t b[] = { 0, 0, ECALL };
    if (_i == 0) {
        b[0] = S(ISA_OP_sw, 11, 10, 0);
        b[1] = S(ISA_OP_sw, 12, 10, 0);
        other.x[11] = 50;
        other.x[12] = 41;
    } else {            /* AMOs: +1, then -1 */
        b[0] = R(ISA_OP_amoadd_w, 0, 10, 11);
        b[1] = R(ISA_OP_amoadd_w, 0, 10, 12);
        other.x[11] = 1;
        other.x[12] = 0xffffffffu;
    }
    load_other(b, 3);
    to_ecall(&hart);
    to_ecall(&other);
    ck_assert_uint_eq(get32(DATA), 41);
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[7], 41);
    ck_assert_uint_eq(hart.x[8], 1);
    ck_assert_uint_eq(get32(DATA), 41);
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* Both harts reserve the word, and each SC writes back the value read:
 * the first SC succeeds and kills the other's reservation, though the
 * word never changes.  Either hart first. */
START_TEST(test_lrsc_two_scs)
{
    uint32_t b[] = { R(ISA_OP_lr_w, 9, 10, 0), ECALL,
                     R(ISA_OP_sc_w, 12, 10, 11), ECALL };
    load_other(b, 4);
    hart.x[6] = 41;
    other.x[11] = 41;
    other.x[12] = 77;
    to_ecall(&hart);
    to_ecall(&other);
    ck_assert_uint_eq(mem.resv_live, 2);
    IsaHart *first = _i ? &other : &hart, *second = _i ? &hart : &other;
    to_ecall(first);
    to_ecall(second);
    ck_assert_uint_eq(first->x[first == &hart ? 8 : 12], 0);
    ck_assert_uint_eq(second->x[second == &hart ? 8 : 12], 1);
    ck_assert_uint_eq(get32(DATA), 41);
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* The hart's own store into its reservation set kills it too (the spec
 * allows the SC to fail; Rocket's does); one outside the set does not. */
static const struct { int32_t off; uint32_t fails; } own_vecs[] = {
    { 0, 1 }, { 8, 1 }, { 63, 1 }, { 64, 0 }, { -4, 0 },
};

START_TEST(test_lrsc_own_store)
{
    uint32_t prog[] = { R(ISA_OP_lr_w, 7, 5, 0),
                        S(ISA_OP_sb, 11, 5, own_vecs[_i].off),
                        R(ISA_OP_sc_w, 8, 5, 6), ECALL };
    load(prog, 4);
    hart.x[11] = 41;        /* not even a change of value */
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[8], own_vecs[_i].fails);
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* An SC to another word of the reservation set succeeds; outside it, it
 * fails (and the reservation is gone either way). */
static const struct {
    uint32_t bytes;
    uint32_t off;
    uint32_t fails;
} sc_vecs[] = {
    { 0, 0, 0 }, { 0, 8, 0 }, { 0, 60, 0 }, { 0, 64, 1 },
    { 4, 4, 1 }, { 8, 4, 0 }, { 8, 8, 1 }, { 4096, 2048, 0 },
};

START_TEST(test_lrsc_sc_other_word)
{
    mem.resv_bytes = sc_vecs[_i].bytes;
    uint32_t prog[] = { R(ISA_OP_lr_w, 7, 5, 0), R(ISA_OP_sc_w, 8, 13, 6),
                        R(ISA_OP_sc_w, 9, 5, 6), ECALL };
    load(prog, 4);
    hart.x[13] = DATA + sc_vecs[_i].off;
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[8], sc_vecs[_i].fails);
    ck_assert_uint_eq(hart.x[9], 1);
    ck_assert_uint_eq(get32(DATA + sc_vecs[_i].off),
                      sc_vecs[_i].fails ? (sc_vecs[_i].off ? 0 : 41) : 42);
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* A write by the environment (a service, a message landing) kills as a
 * store does; a long one only where it writes. */
static const struct { uint32_t addr, len, fails; } env_vecs[] = {
    { DATA + 20, 1, 1 },
    { DATA + 64, 64, 0 },
    { DATA - 64, 65, 1 },
    { DATA + 0x2000, 0x8000, 0 },   /* more sets than buckets */
    { DATA - 0x800, 0x8000, 1 },
};

START_TEST(test_lrsc_env_write)
{
    static uint8_t junk[0x8000];
    to_ecall(&hart);
    ck_assert(isa_mem_write(&mem, env_vecs[_i].addr, junk, env_vecs[_i].len));
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[8], env_vecs[_i].fails);
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* The same write made through isa_mem_ptr and told with isa_mem_wrote
 * (a message landing, a file read). */
START_TEST(test_lrsc_env_wrote)
{
    to_ecall(&hart);
    uint8_t *p = isa_mem_ptr(&mem, env_vecs[_i].addr, env_vecs[_i].len);
    ck_assert_ptr_nonnull(p);
    memset(p, 0, env_vecs[_i].len);
    isa_mem_wrote(&mem, env_vecs[_i].addr, env_vecs[_i].len);
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[8], env_vecs[_i].fails);
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* A GPU lane's store (isa_simt_step) kills as isa_run's does. */
START_TEST(test_lrsc_simt_store)
{
    IsaInsn in;
    ck_assert(isa_decode(S(ISA_OP_sw, 11, 10, 0), &in));
    other.x[10] = DATA + 4 * (uint32_t)_i;
    other.x[11] = 41;
    IsaHart *lanes[] = { &other };
    to_ecall(&hart);
    ck_assert_uint_eq(isa_simt_step(lanes, 1, &in, OTHER, &env), 0);
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[8], _i < 16);
}
END_TEST

/* isa_resv_drop: the hart holds nothing after it, and nothing is
 * counted. */
START_TEST(test_lrsc_drop)
{
    to_ecall(&hart);
    ck_assert_uint_eq(mem.resv_live, 1);
    isa_resv_drop(&hart, &mem);
    ck_assert_uint_eq(mem.resv_live, 0);
    isa_resv_drop(&hart, &mem);
    ck_assert_uint_eq(mem.resv_live, 0);
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[8], 1);
    ck_assert_uint_eq(get32(DATA), 41);
}
END_TEST

/* A spinning LR (lr.w again and again, no SC) is counted once, and one
 * on another set moves the reservation there. */
START_TEST(test_lrsc_lr_again)
{
    uint32_t prog[] = { R(ISA_OP_lr_w, 7, 5, 0), R(ISA_OP_lr_w, 7, 5, 0),
                        R(ISA_OP_lr_w, 7, 5, 0), ECALL,
                        R(ISA_OP_lr_w, 7, 13, 0), ECALL,
                        R(ISA_OP_sc_w, 8, 5, 6), ECALL };
    load(prog, 8);
    hart.x[13] = DATA + 256;
    to_ecall(&hart);
    ck_assert_uint_eq(mem.resv_live, 1);
    to_ecall(&hart);
    ck_assert_uint_eq(mem.resv_live, 1);
    to_ecall(&hart);
    ck_assert_uint_eq(hart.x[8], 1);    /* the reservation is elsewhere */
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* ---- Several harts on several host threads ------------------------------ */

#define NTHREADS 4
#define NITER 20000

static void *hart_thread(void *arg)
{
    IsaHart *h = arg;
    IsaStop st;
    isa_run(h, &env, UINT64_MAX, UINT64_MAX, &st);
    return (void *)(uintptr_t)(st.kind == ISA_STOP_ECALL);
}

/* amoadd.w and an LR/SC increment loop from four host threads at once:
 * no update may be lost, so both counters end at NTHREADS * NITER. */
START_TEST(test_threads_atomics)
{
    uint32_t prog[] = {
        I(ISA_OP_addi, 11, 0, 0),           /* 0: a1 = NITER (lui+addi) */
        U(ISA_OP_lui, 11, (NITER + 0x800) & ~0xfffu),
        I(ISA_OP_addi, 11, 11, NITER - (int32_t)((NITER + 0x800) & ~0xfffu)),
        I(ISA_OP_addi, 13, 0, 1),           /* 12: a3 = 1 */
        R(ISA_OP_amoadd_w, 0, 10, 13),      /* 16: loop: amoadd a0 += 1 */
        R(ISA_OP_lr_w, 5, 12, 0),           /* 20: retry: lr t0, (a2) */
        I(ISA_OP_addi, 5, 5, 1),            /* 24 */
        R(ISA_OP_sc_w, 6, 12, 5),           /* 28: sc t1, t0, (a2) */
        B(ISA_OP_bne, 6, 0, -12),           /* 32: -> retry */
        I(ISA_OP_addi, 11, 11, -1),         /* 36 */
        B(ISA_OP_bne, 11, 0, -24),          /* 40: -> loop */
        ECALL,                              /* 44 */
    };
    load(prog, 12);
    put32(DATA, 0);
    put32(DATA + 64, 0);
    IsaHart harts[NTHREADS];
    pthread_t tid[NTHREADS];
    for (unsigned i = 0; i < NTHREADS; i++) {
        ck_assert(isa_hart_init(&harts[i], i, BASE));
        harts[i].x[10] = DATA;
        harts[i].x[12] = DATA + 64;
    }
    for (unsigned i = 0; i < NTHREADS; i++)
        ck_assert_int_eq(pthread_create(&tid[i], NULL, hart_thread, &harts[i]), 0);
    for (unsigned i = 0; i < NTHREADS; i++) {
        void *ok;
        ck_assert_int_eq(pthread_join(tid[i], &ok), 0);
        ck_assert(ok != NULL);
        ck_assert_uint_eq(harts[i].x[11], 0);
        isa_hart_free(&harts[i]);
    }
    ck_assert_uint_eq(get32(DATA), NTHREADS * NITER);
    ck_assert_uint_eq(get32(DATA + 64), NTHREADS * NITER);
}
END_TEST


/* LR/SC increments from three host threads while a fourth stores into
 * another word of the same reservation set and amoadds a third: SCs fail
 * for the others' stores, yet no update is lost, every increment gets
 * through, and no reservation is left counted. */
START_TEST(test_threads_lrsc_kills)
{
    uint32_t prog[] = {
        U(ISA_OP_lui, 11, (NITER + 0x800) & ~0xfffu),   /* 0: a1 = NITER */
        I(ISA_OP_addi, 11, 11, NITER - (int32_t)((NITER + 0x800) & ~0xfffu)),
        R(ISA_OP_lr_w, 5, 12, 0),           /* 8: retry: lr t0, (a2) */
        I(ISA_OP_addi, 5, 5, 1),            /* 12 */
        R(ISA_OP_sc_w, 6, 12, 5),           /* 16: sc t1, t0, (a2) */
        B(ISA_OP_bne, 6, 0, -12),           /* 20: -> retry */
        I(ISA_OP_addi, 11, 11, -1),         /* 24 */
        B(ISA_OP_bne, 11, 0, -20),          /* 28: -> retry */
        ECALL,                              /* 32 */
    };
    uint32_t store[] = {
        U(ISA_OP_lui, 11, (NITER + 0x800) & ~0xfffu),   /* a1 = NITER */
        I(ISA_OP_addi, 11, 11, NITER - (int32_t)((NITER + 0x800) & ~0xfffu)),
        I(ISA_OP_addi, 13, 0, 1),
        S(ISA_OP_sw, 11, 12, 4),            /* loop: sw a1, 4(a2) */
        I(ISA_OP_addi, 14, 12, 8),
        R(ISA_OP_amoadd_w, 0, 14, 13),      /* amoadd 8(a2) += 1 */
        I(ISA_OP_addi, 11, 11, -1),
        B(ISA_OP_bne, 11, 0, -16),          /* -> loop */
        ECALL,
    };
    load(prog, 9);
    for (size_t i = 0; i < 9; i++)
        put32(OTHER + 4 * (uint32_t)i, store[i]);
    for (unsigned i = 0; i < 3; i++)
        put32(DATA + 4 * i, 0);
    IsaHart harts[NTHREADS];
    pthread_t tid[NTHREADS];
    for (unsigned i = 0; i < NTHREADS; i++) {
        ck_assert(isa_hart_init(&harts[i], i, i ? BASE : OTHER));
        harts[i].x[12] = DATA;
    }
    for (unsigned i = 0; i < NTHREADS; i++)
        ck_assert_int_eq(pthread_create(&tid[i], NULL, hart_thread,
                                        &harts[i]), 0);
    for (unsigned i = 0; i < NTHREADS; i++) {
        void *ok;
        ck_assert_int_eq(pthread_join(tid[i], &ok), 0);
        ck_assert(ok != NULL);
        isa_hart_free(&harts[i]);
    }
    ck_assert_uint_eq(get32(DATA), (NTHREADS - 1) * NITER);
    ck_assert_uint_eq(get32(DATA + 4), 1);
    ck_assert_uint_eq(get32(DATA + 8), NITER);
    ck_assert_uint_eq(mem.resv_live, 0);
}
END_TEST

/* ---- Suite -------------------------------------------------------------- */


/* ---- SIMT: isa_simt_step against isa_run ------------------------------- */

/* Random instruction words, each run on 32 lanes with random registers
 * both ways: isa_simt_step on one set of lanes and memory, isa_run (one
 * instruction per lane, in lane order) on a copy.  Every lane the step
 * leaves to isa_run is run that way too.  Registers, pc, instret and
 * memory must agree. */
static uint32_t simt_rng = 0x1234567u;
static uint32_t simt_rand(void)
{
    return xorshift32(&simt_rng);
}

START_TEST(test_simt_step_matches_isa_run)
{
    static const uint32_t simt_csr[ISA_SIMT_CSR_COUNT] = {
        3, 1, 0, 7, 2, 0, 32, 4, 1, 9, 3, 1, 32, 3, 1};
    uint8_t *ram_b = aligned_alloc(64, SIZE);
    ck_assert_ptr_nonnull(ram_b);
    uint8_t *code_b = calloc(SIZE >> ISA_CODE_BLOCK_SHIFT >> 3, 1);
    IsaMem mb = {.ram = ram_b, .base = BASE, .size = SIZE, .code_map = code_b};
    IsaEnv eb = env;
    eb.mem = &mb;
    IsaHart *a = calloc(32, sizeof *a), *b = calloc(32, sizeof *b);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    unsigned tested = 0, fast = 0;
    for (unsigned trial = 0; trial < 10000; trial++) {
        IsaInsn in;
        uint32_t raw = simt_rand() | 3;
        if (!isa_decode(raw, &in) || in.cls == ISA_CLASS_SYSTEM ||
            in.cls == ISA_CLASS_AMO)
            continue;
        if (trial % 8 == 0)     /* reads of the SIMT CSRs too */
            ck_assert(isa_decode(CSR(ISA_OP_csrrs, 1 + trial % 31,
                                     ISA_CSR_SIMT_FIRST + trial % 15, 0),
                                 &in));
        uint32_t pc = BASE + 0x100;
        for (uint32_t i = 0; i < SIZE; i++)
            mem.ram[i] = (uint8_t)simt_rand();
        memcpy(ram_b, mem.ram, SIZE);
        IsaHart *la[32];
        for (int l = 0; l < 32; l++) {
            IsaHart *h = &a[l];
            memset(h, 0, sizeof *h);
            h->dc = hart.dc;
            h->mstatus = hart.mstatus;
            h->simt_csr = simt_csr;
            h->pc = pc;
            for (int r = 1; r < 32; r++) {
                h->x[r] = simt_rand();
                h->f[r] = simt_rand();
            }
            /* Loads and stores: keep the base inside the data area,
             * sometimes not (those lanes trap, through isa_run). */
            if ((in.cls == ISA_CLASS_LOAD || in.cls == ISA_CLASS_STORE) &&
                in.rs1 != 0)
                h->x[in.rs1] = DATA + (simt_rand() % 0x4000) -
                               (uint32_t)in.imm +
                               (l == 7 ? 0x40000000u : 0);
            h->fcsr = simt_rand() & 0xff & ~0xe0u;   /* rm = RNE */
            b[l] = *h;
            la[l] = &a[l];
        }
        /* The instruction at pc, for isa_run. */
        for (int k = 0; k < 4; k++) {
            mem.ram[0x100 + k] = (uint8_t)(in.raw >> 8 * k);
            ram_b[0x100 + k] = (uint8_t)(in.raw >> 8 * k);
        }
        /* A new instruction at pc: the decode cache must see it. */
        mem.code_gen = mb.code_gen = trial + 1;
        uint32_t slow = isa_simt_step(la, 32, &in, pc, &env);
        for (int l = 0; l < 32; l++) {
            IsaStop st;
            if (slow >> l & 1) {
                isa_run(&a[l], &env, UINT64_MAX, a[l].instret + 1, &st);
            } else {
                fast++;
            }
            isa_run(&b[l], &eb, UINT64_MAX, b[l].instret + 1, &st);
        }
        for (int l = 0; l < 32; l++) {
            ck_assert_msg(!memcmp(a[l].x, b[l].x, sizeof a[l].x) &&
                          !memcmp(a[l].f, b[l].f, sizeof a[l].f) &&
                          a[l].pc == b[l].pc && a[l].fcsr == b[l].fcsr &&
                          a[l].instret == b[l].instret,
                          "insn 0x%08x, lane %d: the step and isa_run differ",
                          in.raw, l);
        }
        ck_assert_msg(!memcmp(mem.ram, ram_b, SIZE),
                      "insn 0x%08x: memory differs", in.raw);
        tested++;
    }
    ck_assert_uint_gt(tested, 1500);
    ck_assert_uint_gt(fast, 20000);     /* most of it ran in the step */
    free(a);
    free(b);
    free(ram_b);
    free(code_b);
}
END_TEST

Suite *isa_suite(void)
{
    Suite *s = suite_create("isa");
    TCase *tc;

    tc = tcase_create("table");
    tcase_add_test(tc, test_table_names);
    tcase_add_test(tc, test_table_no_overlap);
    tcase_add_loop_test(tc, test_table_match_decodes, 1, ISA_OP_COUNT);
    suite_add_tcase(s, tc);

    tc = tcase_create("decode");
    tcase_add_loop_test(tc, test_decode_vectors, 0, N(dec_vecs));
    tcase_add_loop_test(tc, test_decode_illegal, 0, N(illegal_words));
    suite_add_tcase(s, tc);

    tc = tcase_create("rvc");
    tcase_add_loop_test(tc, test_rvc_expand, 0, N(rvc_vecs));
    tcase_add_loop_test(tc, test_rvc_reserved, 0, N(rvc_reserved));
    tcase_add_test(tc, test_rvc_exhaustive);
    suite_add_tcase(s, tc);

    /* The executor's cases one by one, then in blocks. */
    for (int b = 0; b < 2; b++) {
        void (*way)(void) = b ? blocks_on : blocks_off;
#define TCASE(name)                                                 \
        tc = tcase_create(b ? name "_blocks" : name);               \
        tcase_add_unchecked_fixture(tc, way, blocks_off)
        TCASE("exec");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_loop_test(tc, test_exec_alu, 0, N(alu_vecs));
        tcase_add_test(tc, test_exec_alu_aliasing);
        tcase_add_loop_test(tc, test_exec_imm, 0, N(imm_vecs));
        tcase_add_test(tc, test_exec_x0);
        tcase_add_test(tc, test_exec_lui_auipc);
        tcase_add_loop_test(tc, test_exec_load, 0, N(load_vecs));
        tcase_add_loop_test(tc, test_exec_store, 0, N(store_vecs));
        tcase_add_loop_test(tc, test_exec_branch, 0, N(br_vecs));
        tcase_add_test(tc, test_exec_branch_backward);
        tcase_add_test(tc, test_exec_jal_jalr);
        tcase_add_test(tc, test_exec_rvc);
        tcase_add_loop_test(tc, test_exec_amo, 0, N(amo_vecs));
        tcase_add_test(tc, test_exec_amo_rd_is_rs2);
        tcase_add_test(tc, test_lr_sc_success);
        tcase_add_test(tc, test_lr_sc_failure);
        tcase_add_loop_test(tc, test_amo_traps, 0, N(amo_traps));
        tcase_add_test(tc, test_exec_flw_fsw);
        tcase_add_test(tc, test_exec_fp_illegal_rm);
        tcase_add_test(tc, test_simt_step_matches_isa_run);
        /* The step-against-isa_run comparison runs 2,000 instructions on 64
         * lanes: well under a second, but several under TSan. */
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);

        TCASE("traps");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_loop_test(tc, test_illegal_trap, 0, N(illegal_progs));
        tcase_add_loop_test(tc, test_access_fault, 0, N(fault_vecs));
        tcase_add_test(tc, test_fetch_fault);
        tcase_add_test(tc, test_ecall_wfi_ebreak_skip);
        tcase_add_test(tc, test_semihost);
        tcase_add_test(tc, test_semihost_edges);
        tcase_add_test(tc, test_take_trap_mret);
        suite_add_tcase(s, tc);

        TCASE("csr");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_csr_basic);
        tcase_add_loop_test(tc, test_csr_rules, 0, N(csr_rule_vecs));
        tcase_add_test(tc, test_csr_api);
        tcase_add_test(tc, test_csr_counters);
        suite_add_tcase(s, tc);

        TCASE("dcache");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_loop_test(tc, test_smc_store, 0, 3);
        tcase_add_test(tc, test_smc_external);
        tcase_add_test(tc, test_smc_data_store_quiet);
        tcase_add_test(tc, test_fence_i);
        tcase_add_test(tc, test_smc_straddle);
        suite_add_tcase(s, tc);

        TCASE("timing");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_cycles_and_hook);
        tcase_add_test(tc, test_timing_does_not_change_results);
        tcase_add_test(tc, test_limits);
        tcase_add_test(tc, test_mem_helpers);
        tcase_add_test(tc, test_hart_init);
        suite_add_tcase(s, tc);

        TCASE("lrsc");
        tcase_add_checked_fixture(tc, setup_lrsc, teardown_lrsc);
        tcase_add_loop_test(tc, test_lrsc_kill, 0, N(kill_vecs));
        tcase_add_loop_test(tc, test_lrsc_aba, 0, 2);
        tcase_add_loop_test(tc, test_lrsc_two_scs, 0, 2);
        tcase_add_loop_test(tc, test_lrsc_own_store, 0, N(own_vecs));
        tcase_add_loop_test(tc, test_lrsc_sc_other_word, 0, N(sc_vecs));
        tcase_add_loop_test(tc, test_lrsc_env_write, 0, N(env_vecs));
        tcase_add_loop_test(tc, test_lrsc_env_wrote, 0, N(env_vecs));
        tcase_add_loop_test(tc, test_lrsc_simt_store, 0, 17);
        tcase_add_test(tc, test_lrsc_drop);
        tcase_add_test(tc, test_lrsc_lr_again);
        suite_add_tcase(s, tc);

#undef TCASE
    }

    tc = tcase_create("blocks");
    tcase_add_test(tc, test_blocks_same_run);
    tcase_add_test(tc, test_blocks_trap_mid_block);
    tcase_add_loop_test(tc, test_blocks_defer_mid_block, 0, 2);
    tcase_add_loop_test(tc, test_blocks_limits_sweep, 0, 4);
    tcase_add_test(tc, test_blocks_breakpoint);
    tcase_add_loop_test(tc, test_blocks_random_programs, 0, 8);
    tcase_add_test(tc, test_blocks_smc_same_block);
    tcase_add_test(tc, test_blocks_fence_i);
    tcase_add_test(tc, test_blocks_code_block_edge);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("threads");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_threads_atomics);
    tcase_add_test(tc, test_threads_lrsc_kills);
    suite_add_tcase(s, tc);

    return s;
}
