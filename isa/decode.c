/* decode.c — RV32IMAFC + Zicsr + Zifencei decoder: the opcode table built
 * from insns.def, the table-driven 32-bit decoder and the RVC (compressed)
 * expander.
 *
 * Decoding is only done on a decoded-instruction-cache miss (exec.c), so
 * it favours being obviously right over being fast: the table is sorted
 * into 32 buckets by major opcode (bits 6:2) once, and each bucket is
 * scanned linearly.  No two table entries overlap (tests/check_isa.c
 * checks it), so the order inside a bucket does not matter.
 */
#include "isa/isa.h"

#include <string.h>

/* ---- The opcode table --------------------------------------------------- */

/* Mnemonics are spelt with '_' in insns.def (C identifiers) and with '.'
 * in objdump; convert at compile time so that the table stays const and
 * needs no initialisation order.  MAX_NAME covers the longest mnemonic
 * ("fcvt.wu.s") with room to spare; a longer one would be truncated,
 * which the name test in check_isa.c would catch. */
#define MAX_NAME 12
#define NAME_AT(s, i) \
    ((i) < sizeof(s) ? ((s)[(i) < sizeof(s) ? (i) : 0] == '_' \
                        ? '.' : (s)[(i) < sizeof(s) ? (i) : 0]) : '\0')
#define DOTTED(s) { NAME_AT(s, 0), NAME_AT(s, 1), NAME_AT(s, 2), \
    NAME_AT(s, 3), NAME_AT(s, 4), NAME_AT(s, 5), NAME_AT(s, 6),   \
    NAME_AT(s, 7), NAME_AT(s, 8), NAME_AT(s, 9), NAME_AT(s, 10), '\0' }

static const char op_names[ISA_OP_COUNT][MAX_NAME] = {
    "illegal",
#define INSN(name, match, mask, fmt, cls) DOTTED(#name),
#include "insns.def"
#undef INSN
};

/* ORDER INSN: entry i + 1 is the i-th line of insns.def. */
const IsaOpInfo isa_op_info[ISA_OP_COUNT] = {
    { op_names[0], 0, 0, ISA_FMT_NONE, ISA_CLASS_SYSTEM },
#define INSN(name, match, mask, fmt, cls) \
    { op_names[ISA_OP_##name], match, mask, ISA_FMT_##fmt, ISA_CLASS_##cls },
#include "insns.def"
#undef INSN
};

/* ---- Buckets by major opcode -------------------------------------------- */

/* Every 32-bit encoding has bits 1:0 = 11, so bits 6:2 pick one of 32
 * buckets.  Each insns.def mask covers all of bits 6:0, so each entry
 * lives in exactly one bucket. */
#define NBUCKET 32

static uint16_t bucket_ops[ISA_OP_COUNT];  /* ops grouped by bucket */
static uint16_t bucket_start[NBUCKET + 1]; /* bucket b: [start[b], start[b+1]) */

/* Built before main() so that harts on several host threads never race
 * on a lazy initialisation (isa/ may not use locks). */
__attribute__((constructor)) static void build_buckets(void)
{
    uint16_t count[NBUCKET] = { 0 };
    for (unsigned op = 1; op < ISA_OP_COUNT; op++)
        count[(isa_op_info[op].match >> 2) & 31]++;
    bucket_start[0] = 0;
    for (unsigned b = 0; b < NBUCKET; b++)
        bucket_start[b + 1] = (uint16_t)(bucket_start[b] + count[b]);
    uint16_t fill[NBUCKET];
    memcpy(fill, bucket_start, sizeof fill);
    for (unsigned op = 1; op < ISA_OP_COUNT; op++)
        bucket_ops[fill[(isa_op_info[op].match >> 2) & 31]++] = (uint16_t)op;
}

/* ---- Operand extraction ------------------------------------------------- */

static inline uint32_t bits(uint32_t w, unsigned hi, unsigned lo)
{
    return (w >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Sign-extend the low n bits of v, without implementation-defined
 * conversions. */
static inline int32_t sext(uint32_t v, unsigned n)
{
    uint32_t m = 1u << (n - 1);
    v &= (m << 1) - 1;
    return (int32_t)((v ^ m) - m);
}

static int32_t imm_i(uint32_t w) { return sext(w >> 20, 12); }

static int32_t imm_s(uint32_t w)
{
    return sext((bits(w, 31, 25) << 5) | bits(w, 11, 7), 12);
}

/* imm[12|10:5] in 31:25, imm[4:1|11] in 11:7 */
static int32_t imm_b(uint32_t w)
{
    uint32_t v = (bits(w, 31, 31) << 12) | (bits(w, 7, 7) << 11)
               | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1);
    return sext(v, 13);
}

/* imm[20|10:1|11|19:12] in 31:12 */
static int32_t imm_j(uint32_t w)
{
    uint32_t v = (bits(w, 31, 31) << 20) | (bits(w, 19, 12) << 12)
               | (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1);
    return sext(v, 21);
}

static void fill_operands(uint32_t w, IsaFmt fmt, IsaInsn *o)
{
    uint8_t rd = (uint8_t)bits(w, 11, 7), rs1 = (uint8_t)bits(w, 19, 15);
    uint8_t rs2 = (uint8_t)bits(w, 24, 20);
    switch (fmt) {
    case ISA_FMT_R:
        o->rd = rd; o->rs1 = rs1; o->rs2 = rs2;
        if ((w & 0x7f) == 0x53)             /* OP-FP: funct3 is rm */
            o->rm = (uint8_t)bits(w, 14, 12);
        break;
    case ISA_FMT_I:
        o->rd = rd; o->rs1 = rs1; o->imm = imm_i(w);
        break;
    case ISA_FMT_S:
        o->rs1 = rs1; o->rs2 = rs2; o->imm = imm_s(w);
        break;
    case ISA_FMT_B:
        o->rs1 = rs1; o->rs2 = rs2; o->imm = imm_b(w);
        break;
    case ISA_FMT_U:
        o->rd = rd; o->imm = (int32_t)(w & 0xfffff000u);
        break;
    case ISA_FMT_J:
        o->rd = rd; o->imm = imm_j(w);
        break;
    case ISA_FMT_SH:
        o->rd = rd; o->rs1 = rs1; o->imm = (int32_t)bits(w, 24, 20);
        break;
    case ISA_FMT_CSR:
    case ISA_FMT_CSRI:                      /* CSRI: rs1 field is zimm */
        o->rd = rd; o->rs1 = rs1; o->imm = (int32_t)bits(w, 31, 20);
        break;
    case ISA_FMT_R4:
        o->rd = rd; o->rs1 = rs1; o->rs2 = rs2;
        o->rs3 = (uint8_t)bits(w, 31, 27); o->rm = (uint8_t)bits(w, 14, 12);
        break;
    case ISA_FMT_A:
        o->rd = rd; o->rs1 = rs1; o->rs2 = rs2;
        o->rm = (uint8_t)bits(w, 26, 25);   /* aq/rl */
        break;
    case ISA_FMT_FENCE:
        /* imm = fm|pred|succ unsigned: it is a bit set, not a number */
        o->rd = rd; o->rs1 = rs1; o->imm = (int32_t)bits(w, 31, 20);
        break;
    case ISA_FMT_NONE:
        break;
    }
}

static bool decode32(uint32_t w, IsaInsn *o)
{
    if ((w & 3) != 3)
        return false;
    unsigned b = (w >> 2) & 31;
    for (unsigned i = bucket_start[b]; i < bucket_start[b + 1]; i++) {
        const IsaOpInfo *info = &isa_op_info[bucket_ops[i]];
        if ((w & info->mask) == info->match) {
            o->op = bucket_ops[i];
            o->cls = info->cls;
            fill_operands(w, (IsaFmt)info->fmt, o);
            return true;
        }
    }
    return false;
}

bool isa_decode(uint32_t raw, IsaInsn *out)
{
    memset(out, 0, sizeof *out);
    bool ok;
    if ((raw & 3) == 3) {
        ok = decode32(raw, out);
        out->len = 4;
        out->raw = raw;
    } else {
        uint16_t c = (uint16_t)raw;
        uint32_t w = isa_rvc_expand(c);
        ok = w != 0 && decode32(w, out);
        out->len = 2;
        out->raw = c;
    }
    if (!ok) {
        uint8_t len = out->len;
        uint32_t r = out->raw;
        memset(out, 0, sizeof *out);
        out->op = ISA_OP_ILLEGAL;
        out->cls = ISA_CLASS_SYSTEM;
        out->len = len;
        out->raw = r;
    }
    return ok;
}

/* ---- RVC expansion ------------------------------------------------------ */

/* 32-bit encoders for the expansions (field layouts in insns.def). */
static uint32_t enc_r(uint32_t f7, unsigned rs2, unsigned rs1, uint32_t f3,
                      unsigned rd, uint32_t opc)
{
    return (f7 << 25) | ((uint32_t)rs2 << 20) | ((uint32_t)rs1 << 15)
         | (f3 << 12) | ((uint32_t)rd << 7) | opc;
}

static uint32_t enc_i(int32_t imm, unsigned rs1, uint32_t f3, unsigned rd,
                      uint32_t opc)
{
    return (((uint32_t)imm & 0xfff) << 20) | ((uint32_t)rs1 << 15)
         | (f3 << 12) | ((uint32_t)rd << 7) | opc;
}

static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, uint32_t f3,
                      uint32_t opc)
{
    uint32_t u = (uint32_t)imm;
    return (bits(u, 11, 5) << 25) | ((uint32_t)rs2 << 20)
         | ((uint32_t)rs1 << 15) | (f3 << 12) | (bits(u, 4, 0) << 7) | opc;
}

static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, uint32_t f3)
{
    uint32_t u = (uint32_t)imm;
    return (bits(u, 12, 12) << 31) | (bits(u, 10, 5) << 25)
         | ((uint32_t)rs2 << 20) | ((uint32_t)rs1 << 15) | (f3 << 12)
         | (bits(u, 4, 1) << 8) | (bits(u, 11, 11) << 7) | 0x63;
}

static uint32_t enc_j(int32_t imm, unsigned rd)
{
    uint32_t u = (uint32_t)imm;
    return (bits(u, 20, 20) << 31) | (bits(u, 10, 1) << 21)
         | (bits(u, 11, 11) << 20) | (bits(u, 19, 12) << 12)
         | ((uint32_t)rd << 7) | 0x6f;
}

enum {
    OPC_LOAD = 0x03, OPC_LOAD_FP = 0x07, OPC_OP_IMM = 0x13, OPC_STORE = 0x23,
    OPC_STORE_FP = 0x27, OPC_OP = 0x33, OPC_LUI = 0x37, OPC_JALR = 0x67,
    OPC_SYSTEM = 0x73
};

/* c.j / c.jal offset: imm[11|4|9:8|10|6|7|3:1|5] in bits 12:2 */
static int32_t cj_imm(uint32_t c)
{
    uint32_t v = (bits(c, 12, 12) << 11) | (bits(c, 11, 11) << 4)
               | (bits(c, 10, 9) << 8) | (bits(c, 8, 8) << 10)
               | (bits(c, 7, 7) << 6) | (bits(c, 6, 6) << 7)
               | (bits(c, 5, 3) << 1) | (bits(c, 2, 2) << 5);
    return sext(v, 12);
}

/* c.beqz / c.bnez offset: imm[8|4:3] in 12:10, imm[7:6|2:1|5] in 6:2 */
static int32_t cb_imm(uint32_t c)
{
    uint32_t v = (bits(c, 12, 12) << 8) | (bits(c, 11, 10) << 3)
               | (bits(c, 6, 5) << 6) | (bits(c, 4, 3) << 1)
               | (bits(c, 2, 2) << 5);
    return sext(v, 9);
}

/* 6-bit immediate imm[5] in bit 12, imm[4:0] in 6:2 (c.addi, c.li, ...) */
static int32_t ci_imm(uint32_t c)
{
    return sext((bits(c, 12, 12) << 5) | bits(c, 6, 2), 6);
}

/* c.lw/c.sw/c.flw/c.fsw offset: uimm[5:3] in 12:10, uimm[2] in 6,
 * uimm[6] in 5 */
static int32_t cl_uimm(uint32_t c)
{
    return (int32_t)((bits(c, 12, 10) << 3) | (bits(c, 6, 6) << 2)
                     | (bits(c, 5, 5) << 6));
}

/* Quadrant 0: stack-pointer-based addi and register-based loads/stores
 * on the popular registers x8-x15 (rd'/rs1'/rs2' = field + 8). */
static uint32_t expand_q0(uint32_t c)
{
    unsigned rdp = bits(c, 4, 2) + 8, rs1p = bits(c, 9, 7) + 8;
    switch (bits(c, 15, 13)) {
    case 0: {   /* c.addi4spn: nzuimm[5:4|9:6|2|3] in 12:5 */
        uint32_t imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6)
                     | (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 3);
        if (imm == 0)           /* reserved; also makes 0x0000 illegal */
            return 0;
        return enc_i((int32_t)imm, 2, 0, rdp, OPC_OP_IMM);
    }
    case 2:     /* c.lw */
        return enc_i(cl_uimm(c), rs1p, 2, rdp, OPC_LOAD);
    case 3:     /* c.flw (RV32) */
        return enc_i(cl_uimm(c), rs1p, 2, rdp, OPC_LOAD_FP);
    case 6:     /* c.sw */
        return enc_s(cl_uimm(c), rdp, rs1p, 2, OPC_STORE);
    case 7:     /* c.fsw (RV32) */
        return enc_s(cl_uimm(c), rdp, rs1p, 2, OPC_STORE_FP);
    default:    /* c.fld, c.fsd (no D), 100 reserved */
        return 0;
    }
}

/* Quadrant 1: immediates, arithmetic on x8-x15, jumps and branches. */
static uint32_t expand_q1(uint32_t c)
{
    unsigned rd = bits(c, 11, 7), rdp = bits(c, 9, 7) + 8;
    unsigned rs2p = bits(c, 4, 2) + 8;
    switch (bits(c, 15, 13)) {
    case 0:     /* c.addi (rd=0: c.nop / HINT, imm=0: HINT) */
        return enc_i(ci_imm(c), rd, 0, rd, OPC_OP_IMM);
    case 1:     /* c.jal (RV32) */
        return enc_j(cj_imm(c), 1);
    case 2:     /* c.li (rd=0: HINT) */
        return enc_i(ci_imm(c), 0, 0, rd, OPC_OP_IMM);
    case 3:
        if (rd == 2) {  /* c.addi16sp: nzimm[9] in 12, [4|6|8:7|5] in 6:2 */
            uint32_t v = (bits(c, 12, 12) << 9) | (bits(c, 6, 6) << 4)
                       | (bits(c, 5, 5) << 6) | (bits(c, 4, 3) << 7)
                       | (bits(c, 2, 2) << 5);
            if (v == 0)
                return 0;
            return enc_i(sext(v, 10), 2, 0, 2, OPC_OP_IMM);
        } else {        /* c.lui: nzimm[17] in 12, [16:12] in 6:2 */
            int32_t imm = ci_imm(c);
            if (imm == 0)               /* reserved; rd=0 is a HINT */
                return 0;
            return ((uint32_t)imm << 12) | ((uint32_t)rd << 7) | OPC_LUI;
        }
    case 4:
        switch (bits(c, 11, 10)) {
        case 0:         /* c.srli; shamt[5]=1 is NSE on RV32, 0 a HINT */
            if (bits(c, 12, 12))
                return 0;
            return enc_i((int32_t)bits(c, 6, 2), rdp, 5, rdp, OPC_OP_IMM);
        case 1:         /* c.srai */
            if (bits(c, 12, 12))
                return 0;
            return enc_i((int32_t)(0x400 | bits(c, 6, 2)), rdp, 5, rdp,
                         OPC_OP_IMM);
        case 2:         /* c.andi */
            return enc_i(ci_imm(c), rdp, 7, rdp, OPC_OP_IMM);
        default:
            if (bits(c, 12, 12))        /* c.subw/c.addw: RV64 only */
                return 0;
            switch (bits(c, 6, 5)) {
            case 0: return enc_r(0x20, rs2p, rdp, 0, rdp, OPC_OP); /* c.sub */
            case 1: return enc_r(0, rs2p, rdp, 4, rdp, OPC_OP);    /* c.xor */
            case 2: return enc_r(0, rs2p, rdp, 6, rdp, OPC_OP);    /* c.or */
            default: return enc_r(0, rs2p, rdp, 7, rdp, OPC_OP);   /* c.and */
            }
        }
    case 5:     /* c.j */
        return enc_j(cj_imm(c), 0);
    case 6:     /* c.beqz */
        return enc_b(cb_imm(c), 0, rdp, 0);
    default:    /* c.bnez */
        return enc_b(cb_imm(c), 0, rdp, 1);
    }
}

/* Quadrant 2: sp-based loads/stores, full-register moves and jumps. */
static uint32_t expand_q2(uint32_t c)
{
    unsigned rd = bits(c, 11, 7), rs2 = bits(c, 6, 2);
    /* c.lwsp/c.flwsp: uimm[5] in 12, uimm[4:2|7:6] in 6:2 */
    int32_t lsp = (int32_t)((bits(c, 12, 12) << 5) | (bits(c, 6, 4) << 2)
                            | (bits(c, 3, 2) << 6));
    /* c.swsp/c.fswsp: uimm[5:2|7:6] in 12:7 */
    int32_t ssp = (int32_t)((bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6));
    switch (bits(c, 15, 13)) {
    case 0:     /* c.slli (rd=0 or shamt=0: HINT; shamt[5]=1: NSE) */
        if (bits(c, 12, 12))
            return 0;
        return enc_i((int32_t)rs2, rd, 1, rd, OPC_OP_IMM);
    case 2:     /* c.lwsp (rd=0 reserved) */
        if (rd == 0)
            return 0;
        return enc_i(lsp, 2, 2, rd, OPC_LOAD);
    case 3:     /* c.flwsp (RV32) */
        return enc_i(lsp, 2, 2, rd, OPC_LOAD_FP);
    case 4:
        if (!bits(c, 12, 12)) {
            if (rs2 == 0) {             /* c.jr (rs1=0 reserved) */
                if (rd == 0)
                    return 0;
                return enc_i(0, rd, 0, 0, OPC_JALR);
            }
            return enc_r(0, rs2, 0, 0, rd, OPC_OP);     /* c.mv */
        }
        if (rs2 == 0) {
            if (rd == 0)
                return 0x00100073;                      /* c.ebreak */
            return enc_i(0, rd, 0, 1, OPC_JALR);        /* c.jalr */
        }
        return enc_r(0, rs2, rd, 0, rd, OPC_OP);        /* c.add */
    case 6:     /* c.swsp */
        return enc_s(ssp, rs2, 2, 2, OPC_STORE);
    case 7:     /* c.fswsp (RV32) */
        return enc_s(ssp, rs2, 2, 2, OPC_STORE_FP);
    default:    /* c.fldsp, c.fsdsp: no D */
        return 0;
    }
}

uint32_t isa_rvc_expand(uint16_t c)
{
    switch (c & 3) {
    case 0: return expand_q0(c);
    case 1: return expand_q1(c);
    case 2: return expand_q2(c);
    default: return 0;          /* not a compressed instruction */
    }
}
