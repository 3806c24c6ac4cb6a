/* disasm.c — RV32IMAFC + Zicsr + Zifencei disassembler that prints exactly
 * what `riscv64-unknown-elf-objdump -d` (binutils 2.40) prints after the raw
 * hex column, less objdump's trailing "# ..." comment.
 *
 * objdump is the spec.  Like binutils, the disassembler walks a table of
 * forms in order and prints the first one whose constraints the decoded
 * instruction meets; aliases (li, mv, j, ret, csrr, fmv.s, ...) come before
 * the canonical form of their op, so table order is behaviour.  Compressed
 * instructions arrive decoded as their 32-bit expansion and mostly print as
 * that expansion would; the few that objdump prints differently (c.mv, the
 * c.addi HINTs, ...) have rows of their own that look at the 16 raw bits.
 *
 * The CSR names are those objdump knows for privileged spec 1.11, the one
 * gcc records in every object it builds (Tag_RISCV_priv_spec): with 1.12
 * objdump would also name mstatush, menvcfg, the high pmp registers, ...
 */
#include "isa.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- Names ---------------------------------------------------------------- */

static const char *const xname[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"
};

static const char *const fname[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"
};

/* Rounding modes 5 and 6 are reserved; objdump says "unknown". */
static const char *const rmname[8] = {
    "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn"
};

/* fence predecessor/successor sets, bit 3..0 = i, o, r, w; an empty set
 * is not a set objdump can name. */
static const char *const iorw[16] = {
    "unknown", "w", "r", "rw", "o", "ow", "or", "orw",
    "i", "iw", "ir", "irw", "io", "iow", "ior", "iorw"
};

typedef struct CsrName { uint16_t num; const char *name; } CsrName;

/* Every CSR objdump names under priv spec 1.11 except the numbered families
 * below, sorted by number (binary-searched). */
static const CsrName csrs[] = {
    { 0x000, "ustatus" }, { 0x001, "fflags" }, { 0x002, "frm" },
    { 0x003, "fcsr" }, { 0x004, "uie" }, { 0x005, "utvec" },
    { 0x008, "vstart" }, { 0x009, "vxsat" }, { 0x00a, "vxrm" },
    { 0x00f, "vcsr" }, { 0x015, "seed" }, { 0x040, "uscratch" },
    { 0x041, "uepc" }, { 0x042, "ucause" }, { 0x043, "utval" },
    { 0x044, "uip" }, { 0x100, "sstatus" }, { 0x102, "sedeleg" },
    { 0x103, "sideleg" }, { 0x104, "sie" }, { 0x105, "stvec" },
    { 0x106, "scounteren" }, { 0x10c, "sstateen0" }, { 0x10d, "sstateen1" },
    { 0x10e, "sstateen2" }, { 0x10f, "sstateen3" }, { 0x114, "sieh" },
    { 0x140, "sscratch" }, { 0x141, "sepc" }, { 0x142, "scause" },
    { 0x143, "stval" }, { 0x144, "sip" }, { 0x14d, "stimecmp" },
    { 0x150, "siselect" }, { 0x151, "sireg" }, { 0x154, "siph" },
    { 0x15c, "stopei" }, { 0x15d, "stimecmph" }, { 0x180, "satp" },
    { 0x200, "vsstatus" }, { 0x204, "vsie" }, { 0x205, "vstvec" },
    { 0x214, "vsieh" }, { 0x240, "vsscratch" }, { 0x241, "vsepc" },
    { 0x242, "vscause" }, { 0x243, "vstval" }, { 0x244, "vsip" },
    { 0x24d, "vstimecmp" }, { 0x250, "vsiselect" }, { 0x251, "vsireg" },
    { 0x254, "vsiph" }, { 0x25c, "vstopei" }, { 0x25d, "vstimecmph" },
    { 0x280, "vsatp" }, { 0x300, "mstatus" }, { 0x301, "misa" },
    { 0x302, "medeleg" }, { 0x303, "mideleg" }, { 0x304, "mie" },
    { 0x305, "mtvec" }, { 0x306, "mcounteren" }, { 0x308, "mvien" },
    { 0x309, "mvip" }, { 0x30c, "mstateen0" }, { 0x30d, "mstateen1" },
    { 0x30e, "mstateen2" }, { 0x30f, "mstateen3" }, { 0x313, "midelegh" },
    { 0x314, "mieh" }, { 0x318, "mvienh" }, { 0x319, "mviph" },
    { 0x31c, "mstateen0h" }, { 0x31d, "mstateen1h" }, { 0x31e, "mstateen2h" },
    { 0x31f, "mstateen3h" }, { 0x320, "mcountinhibit" },
    { 0x340, "mscratch" }, { 0x341, "mepc" }, { 0x342, "mcause" },
    { 0x343, "mtval" }, { 0x344, "mip" }, { 0x350, "miselect" },
    { 0x351, "mireg" }, { 0x354, "miph" }, { 0x35c, "mtopei" },
    { 0x5a8, "scontext" }, { 0x600, "hstatus" }, { 0x602, "hedeleg" },
    { 0x603, "hideleg" }, { 0x604, "hie" }, { 0x605, "htimedelta" },
    { 0x606, "hcounteren" }, { 0x607, "hgeie" }, { 0x608, "hvien" },
    { 0x609, "hvictl" }, { 0x60a, "henvcfg" }, { 0x60c, "hstateen0" },
    { 0x60d, "hstateen1" }, { 0x60e, "hstateen2" }, { 0x60f, "hstateen3" },
    { 0x613, "hidelegh" }, { 0x615, "htimedeltah" }, { 0x618, "hvienh" },
    { 0x61a, "henvcfgh" }, { 0x61c, "hstateen0h" }, { 0x61d, "hstateen1h" },
    { 0x61e, "hstateen2h" }, { 0x61f, "hstateen3h" }, { 0x643, "htval" },
    { 0x644, "hip" }, { 0x645, "hvip" }, { 0x646, "hviprio1" },
    { 0x647, "hviprio2" }, { 0x64a, "htinst" }, { 0x655, "hviph" },
    { 0x656, "hviprio1h" }, { 0x657, "hviprio2h" }, { 0x680, "hgatp" },
    { 0x6a8, "hcontext" }, { 0x7a0, "tselect" }, { 0x7a1, "tdata1" },
    { 0x7a2, "tdata2" }, { 0x7a3, "tdata3" }, { 0x7a4, "tinfo" },
    { 0x7a5, "tcontrol" }, { 0x7a8, "mcontext" }, { 0x7aa, "mscontext" },
    { 0x7b0, "dcsr" }, { 0x7b1, "dpc" }, { 0x7b2, "dscratch0" },
    { 0x7b3, "dscratch1" }, { 0xb00, "mcycle" }, { 0xb02, "minstret" },
    { 0xb80, "mcycleh" }, { 0xb82, "minstreth" }, { 0xc00, "cycle" },
    { 0xc01, "time" }, { 0xc02, "instret" }, { 0xc20, "vl" },
    { 0xc21, "vtype" }, { 0xc22, "vlenb" }, { 0xc80, "cycleh" },
    { 0xc81, "timeh" }, { 0xc82, "instreth" }, { 0xda0, "scountovf" },
    { 0xdb0, "stopi" }, { 0xe12, "hgeip" }, { 0xeb0, "vstopi" },
    { 0xf11, "mvendorid" }, { 0xf12, "marchid" }, { 0xf13, "mimpid" },
    { 0xf14, "mhartid" }, { 0xfb0, "mtopi" },
};

/* Numbered CSR families: number first+i is named prefix<lo+i><suffix>. */
static const struct CsrFamily {
    uint16_t first, count, lo;
    const char *prefix, *suffix;
} csr_families[] = {
    { 0x323, 29, 3, "mhpmevent", "" },   { 0x723, 29, 3, "mhpmevent", "h" },
    { 0x3a0,  4, 0, "pmpcfg", "" },      { 0x3b0, 16, 0, "pmpaddr", "" },
    { 0xb03, 29, 3, "mhpmcounter", "" }, { 0xb83, 29, 3, "mhpmcounter", "h" },
    { 0xc03, 29, 3, "hpmcounter", "" },  { 0xc83, 29, 3, "hpmcounter", "h" },
};

/* ---- Output --------------------------------------------------------------- */

typedef struct Out { char *buf; size_t n, len; } Out;

/* Appends like snprintf, keeping the NUL and never writing past n. */
static void put(Out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->n ? o->n - o->len : 0;
    int w = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (w > 0)
        o->len += (size_t)w < room ? (size_t)w : (room ? room - 1 : 0);
}

static int cmp_csr(const void *key, const void *elem)
{
    return (int)*(const uint16_t *)key - (int)((const CsrName *)elem)->num;
}

static void put_csr(Out *o, uint32_t num)
{
    uint16_t key = (uint16_t)num;
    const CsrName *c = bsearch(&key, csrs, sizeof csrs / sizeof csrs[0],
                               sizeof csrs[0], cmp_csr);
    if (c) {
        put(o, "%s", c->name);
        return;
    }
    for (size_t i = 0; i < sizeof csr_families / sizeof csr_families[0]; i++) {
        const struct CsrFamily *f = &csr_families[i];
        if (num >= f->first && num < (uint32_t)f->first + f->count) {
            put(o, "%s%u%s", f->prefix, (unsigned)(num - f->first + f->lo),
                f->suffix);
            return;
        }
    }
    put(o, "0x%x", (unsigned)num);
}

/* A branch or jump target: objdump's address without leading zeros, then
 * the symbol that contains it. */
static void put_target(Out *o, uint32_t addr, IsaSymFn sym, void *ctx)
{
    const char *name;
    uint32_t off;
    put(o, "%x", (unsigned)addr);
    if (sym && sym(ctx, addr, &name, &off)) {
        if (off)
            put(o, " <%s+0x%x>", name, (unsigned)off);
        else
            put(o, " <%s>", name);
    }
}

/* ---- Forms ---------------------------------------------------------------- */

/* Operand letters (after binutils' riscv-opc.c, which uses the same idea):
 *   d s t    integer rd rs1 rs2        D S T R  float rd rs1 rs2 rs3
 *   j        immediate, decimal        u        upper immediate >> 12, hex
 *   >        shift amount, hex         a        pc-relative target
 *   E        CSR (name or hex)         Z        CSR immediate (in rs1)
 *   m        rounding mode             P Q      fence predecessor/successor
 * Anything else is copied. */

#define ANY  (-1)

enum {              /* extra constraint of a form */
    W_NONE,
    W_IMM,          /* imm == val (CSR number for CSR ops) */
    W_SAME,         /* rs1 == rs2 */
    W_DYN,          /* rounding mode is dyn: objdump leaves it out */
    W_RAW           /* compressed only: (raw & cmask) == val */
};

typedef struct Form {
    uint16_t op;            /* IsaOp */
    int8_t rd, rs1, rs2;    /* register the form requires, or ANY */
    uint8_t when;           /* W_* */
    uint16_t cmask;         /* W_RAW: 16-bit mask */
    int32_t val;
    const char *name;       /* NULL: the op's own name */
    const char *args;
} Form;

#define OP(x)  ISA_OP_##x
/* op, rd, rs1, rs2: the common case */
#define F(op, rd, rs1, rs2, name, args) \
    { OP(op), rd, rs1, rs2, W_NONE, 0, 0, name, args }
/* ... with imm == v */
#define FI(op, rd, rs1, rs2, v, name, args) \
    { OP(op), rd, rs1, rs2, W_IMM, 0, v, name, args }
#define FW(op, when, name, args) \
    { OP(op), ANY, ANY, ANY, when, 0, 0, name, args }
/* compressed encodings: (raw & mask) == match */
#define FC(op, mask, match, rd, rs1, rs2, name, args) \
    { OP(op), rd, rs1, rs2, W_RAW, mask, match, name, args }
#define CANON(op, args) F(op, ANY, ANY, ANY, NULL, args)

/* ORDER FORM: within one op the first form that fits wins, as in objdump;
 * the rows for compressed encodings (FC) of an op precede its others.
 * Swapped-operand aliases (bgt, ble, bgtu, bleu, fgt.s, fge.s) are not
 * here: objdump only assembles them, it never prints them. */
static const Form forms[] = {
    FC(lui, 0xef83, 0x6001, ANY, ANY, ANY, "c.lui", "d,u"),   /* HINT */
    CANON(lui, "d,u"),
    CANON(auipc, "d,u"),

    F(jal, 0, ANY, ANY, "j", "a"),
    F(jal, 1, ANY, ANY, "jal", "a"),
    CANON(jal, "d,a"),

    FI(jalr, 0, 1, ANY, 0, "ret", ""),
    FI(jalr, 0, ANY, ANY, 0, "jr", "s"),
    F(jalr, 0, ANY, ANY, "jr", "j(s)"),
    FI(jalr, 1, ANY, ANY, 0, "jalr", "s"),
    F(jalr, 1, ANY, ANY, "jalr", "j(s)"),
    FI(jalr, ANY, ANY, ANY, 0, "jalr", "d,s"),
    CANON(jalr, "d,j(s)"),

    F(beq, ANY, ANY, 0, "beqz", "s,a"),
    CANON(beq, "s,t,a"),
    F(bne, ANY, ANY, 0, "bnez", "s,a"),
    CANON(bne, "s,t,a"),
    F(blt, ANY, ANY, 0, "bltz", "s,a"),
    F(blt, ANY, 0, ANY, "bgtz", "t,a"),
    CANON(blt, "s,t,a"),
    F(bge, ANY, 0, ANY, "blez", "t,a"),
    F(bge, ANY, ANY, 0, "bgez", "s,a"),
    CANON(bge, "s,t,a"),
    CANON(bltu, "s,t,a"),
    CANON(bgeu, "s,t,a"),

    CANON(lb, "d,j(s)"),
    CANON(lh, "d,j(s)"),
    CANON(lw, "d,j(s)"),
    CANON(lbu, "d,j(s)"),
    CANON(lhu, "d,j(s)"),
    CANON(sb, "t,j(s)"),
    CANON(sh, "t,j(s)"),
    CANON(sw, "t,j(s)"),

    /* Compressed rows first: c.addi with rd=0 is a HINT objdump calls
     * c.nop, with imm=0 it stays "add" where its expansion would print
     * "mv"; c.li and c.lui to zero keep their c. names. */
    FC(addi, 0xffff, 0x0001, ANY, ANY, ANY, "nop", ""),
    FC(addi, 0xef83, 0x0001, ANY, ANY, ANY, "c.nop", "j"),
    FC(addi, 0xe003, 0x0001, ANY, ANY, ANY, "add", "d,s,j"),
    FC(addi, 0xffff, 0x6101, ANY, ANY, ANY, "add", "d,s,j"),  /* c.addi16sp 0 */
    FC(addi, 0xef83, 0x4001, ANY, ANY, ANY, "c.li", "d,j"),   /* HINT */
    FI(addi, 0, 0, ANY, 0, "nop", ""),
    F(addi, ANY, 0, ANY, "li", "d,j"),
    FI(addi, ANY, ANY, ANY, 0, "mv", "d,s"),
    F(addi, ANY, ANY, ANY, "add", "d,s,j"),
    CANON(slti, "d,s,j"),
    FI(sltiu, ANY, ANY, ANY, 1, "seqz", "d,s"),
    CANON(sltiu, "d,s,j"),
    FI(xori, ANY, ANY, ANY, -1, "not", "d,s"),
    F(xori, ANY, ANY, ANY, "xor", "d,s,j"),
    F(ori, ANY, ANY, ANY, "or", "d,s,j"),
    FI(andi, ANY, ANY, ANY, 255, "zext.b", "d,s"),
    F(andi, ANY, ANY, ANY, "and", "d,s,j"),
    /* the HINT encodings of c.slli/c.srli/c.srai keep their c. names */
    FC(slli, 0xf07f, 0x0002, ANY, ANY, ANY, "c.slli64", "d"),
    FC(slli, 0xef83, 0x0002, ANY, ANY, ANY, "c.slli", "d,>"),
    F(slli, ANY, ANY, ANY, "sll", "d,s,>"),
    FC(srli, 0xfc7f, 0x8001, ANY, ANY, ANY, "c.srli64", "d"),
    F(srli, ANY, ANY, ANY, "srl", "d,s,>"),
    FC(srai, 0xfc7f, 0x8401, ANY, ANY, ANY, "c.srai64", "d"),
    F(srai, ANY, ANY, ANY, "sra", "d,s,>"),

    /* c.mv expands to add rd,zero,rs2 but prints as mv; rd=0 is a HINT */
    FC(add, 0xff83, 0x8002, ANY, ANY, ANY, "c.mv", "d,t"),
    FC(add, 0xf003, 0x8002, ANY, ANY, ANY, "mv", "d,t"),
    FC(add, 0xff83, 0x9002, ANY, ANY, ANY, "c.add", "d,t"),   /* HINT */
    CANON(add, "d,s,t"),
    F(sub, ANY, 0, ANY, "neg", "d,t"),
    CANON(sub, "d,s,t"),
    CANON(sll, "d,s,t"),
    F(slt, ANY, ANY, 0, "sltz", "d,s"),
    F(slt, ANY, 0, ANY, "sgtz", "d,t"),
    CANON(slt, "d,s,t"),
    F(sltu, ANY, 0, ANY, "snez", "d,t"),
    CANON(sltu, "d,s,t"),
    CANON(xor, "d,s,t"),
    CANON(srl, "d,s,t"),
    CANON(sra, "d,s,t"),
    CANON(or, "d,s,t"),
    CANON(and, "d,s,t"),

    /* fence is printed by fence_form() */
    CANON(ecall, ""),
    CANON(ebreak, ""),
    FI(fence_i, 0, 0, ANY, 0, NULL, ""),   /* any other bits: unknown */
    CANON(mret, ""),
    CANON(wfi, ""),

    /* csrrw zero,cycle,zero is the canonical 32-bit unimp */
    FI(csrrw, 0, 0, ANY, 0xc00, "unimp", ""),
    FI(csrrw, 0, ANY, ANY, ISA_CSR_FCSR, "fscsr", "s"),
    FI(csrrw, ANY, ANY, ANY, ISA_CSR_FCSR, "fscsr", "d,s"),
    FI(csrrw, 0, ANY, ANY, ISA_CSR_FRM, "fsrm", "s"),
    FI(csrrw, ANY, ANY, ANY, ISA_CSR_FRM, "fsrm", "d,s"),
    FI(csrrw, 0, ANY, ANY, ISA_CSR_FFLAGS, "fsflags", "s"),
    FI(csrrw, ANY, ANY, ANY, ISA_CSR_FFLAGS, "fsflags", "d,s"),
    F(csrrw, 0, ANY, ANY, "csrw", "E,s"),
    CANON(csrrw, "d,E,s"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_CYCLE, "rdcycle", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_TIME, "rdtime", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_INSTRET, "rdinstret", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_CYCLEH, "rdcycleh", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_TIMEH, "rdtimeh", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_INSTRETH, "rdinstreth", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_FCSR, "frcsr", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_FRM, "frrm", "d"),
    FI(csrrs, ANY, 0, ANY, ISA_CSR_FFLAGS, "frflags", "d"),
    F(csrrs, ANY, 0, ANY, "csrr", "d,E"),
    F(csrrs, 0, ANY, ANY, "csrs", "E,s"),
    CANON(csrrs, "d,E,s"),
    F(csrrc, 0, ANY, ANY, "csrc", "E,s"),
    CANON(csrrc, "d,E,s"),
    FI(csrrwi, ANY, ANY, ANY, ISA_CSR_FRM, "fsrmi", "d,Z"),
    FI(csrrwi, ANY, ANY, ANY, ISA_CSR_FFLAGS, "fsflagsi", "d,Z"),
    F(csrrwi, 0, ANY, ANY, "csrw", "E,Z"),
    F(csrrwi, ANY, ANY, ANY, "csrrw", "d,E,Z"),
    F(csrrsi, 0, ANY, ANY, "csrs", "E,Z"),
    F(csrrsi, ANY, ANY, ANY, "csrrs", "d,E,Z"),
    F(csrrci, 0, ANY, ANY, "csrc", "E,Z"),
    F(csrrci, ANY, ANY, ANY, "csrrc", "d,E,Z"),

    CANON(mul, "d,s,t"),
    CANON(mulh, "d,s,t"),
    CANON(mulhsu, "d,s,t"),
    CANON(mulhu, "d,s,t"),
    CANON(div, "d,s,t"),
    CANON(divu, "d,s,t"),
    CANON(rem, "d,s,t"),
    CANON(remu, "d,s,t"),

    /* atomics get their .aq/.rl suffix in amo_suffix() */
    CANON(lr_w, "d,(s)"),
    CANON(sc_w, "d,t,(s)"),
    CANON(amoswap_w, "d,t,(s)"),
    CANON(amoadd_w, "d,t,(s)"),
    CANON(amoxor_w, "d,t,(s)"),
    CANON(amoand_w, "d,t,(s)"),
    CANON(amoor_w, "d,t,(s)"),
    CANON(amomin_w, "d,t,(s)"),
    CANON(amomax_w, "d,t,(s)"),
    CANON(amominu_w, "d,t,(s)"),
    CANON(amomaxu_w, "d,t,(s)"),

    CANON(flw, "D,j(s)"),
    CANON(fsw, "T,j(s)"),
    FW(fmadd_s, W_DYN, NULL, "D,S,T,R"),
    CANON(fmadd_s, "D,S,T,R,m"),
    FW(fmsub_s, W_DYN, NULL, "D,S,T,R"),
    CANON(fmsub_s, "D,S,T,R,m"),
    FW(fnmsub_s, W_DYN, NULL, "D,S,T,R"),
    CANON(fnmsub_s, "D,S,T,R,m"),
    FW(fnmadd_s, W_DYN, NULL, "D,S,T,R"),
    CANON(fnmadd_s, "D,S,T,R,m"),
    FW(fadd_s, W_DYN, NULL, "D,S,T"),
    CANON(fadd_s, "D,S,T,m"),
    FW(fsub_s, W_DYN, NULL, "D,S,T"),
    CANON(fsub_s, "D,S,T,m"),
    FW(fmul_s, W_DYN, NULL, "D,S,T"),
    CANON(fmul_s, "D,S,T,m"),
    FW(fdiv_s, W_DYN, NULL, "D,S,T"),
    CANON(fdiv_s, "D,S,T,m"),
    FW(fsqrt_s, W_DYN, NULL, "D,S"),
    CANON(fsqrt_s, "D,S,m"),
    FW(fsgnj_s, W_SAME, "fmv.s", "D,S"),
    CANON(fsgnj_s, "D,S,T"),
    FW(fsgnjn_s, W_SAME, "fneg.s", "D,S"),
    CANON(fsgnjn_s, "D,S,T"),
    FW(fsgnjx_s, W_SAME, "fabs.s", "D,S"),
    CANON(fsgnjx_s, "D,S,T"),
    CANON(fmin_s, "D,S,T"),
    CANON(fmax_s, "D,S,T"),
    FW(fcvt_w_s, W_DYN, NULL, "d,S"),
    CANON(fcvt_w_s, "d,S,m"),
    FW(fcvt_wu_s, W_DYN, NULL, "d,S"),
    CANON(fcvt_wu_s, "d,S,m"),
    CANON(fmv_x_w, "d,S"),
    CANON(feq_s, "d,S,T"),
    CANON(flt_s, "d,S,T"),
    CANON(fle_s, "d,S,T"),
    CANON(fclass_s, "d,S"),
    FW(fcvt_s_w, W_DYN, NULL, "D,s"),
    CANON(fcvt_s_w, "D,s,m"),
    FW(fcvt_s_wu, W_DYN, NULL, "D,s"),
    CANON(fcvt_s_wu, "D,s,m"),
    CANON(fmv_w_x, "D,s"),
};

static bool reg_ok(int8_t want, unsigned have)
{
    return want == ANY || (unsigned)want == have;
}

static bool fits(const Form *f, const IsaInsn *in)
{
    if (f->op != in->op || !reg_ok(f->rd, in->rd) || !reg_ok(f->rs1, in->rs1)
        || !reg_ok(f->rs2, in->rs2))
        return false;
    switch (f->when) {
    case W_IMM:  return in->imm == f->val;
    case W_SAME: return in->rs1 == in->rs2;
    case W_DYN:  return in->rm == 7;
    case W_RAW:  return in->len == 2 && (in->raw & f->cmask) == (uint32_t)f->val;
    default:     return true;
    }
}

static void put_args(Out *o, const char *args, const IsaInsn *in, uint32_t pc,
                     IsaSymFn sym, void *ctx)
{
    for (const char *a = args; *a; a++) {
        switch (*a) {
        case 'd': put(o, "%s", xname[in->rd & 31]); break;
        case 's': put(o, "%s", xname[in->rs1 & 31]); break;
        case 't': put(o, "%s", xname[in->rs2 & 31]); break;
        case 'D': put(o, "%s", fname[in->rd & 31]); break;
        case 'S': put(o, "%s", fname[in->rs1 & 31]); break;
        case 'T': put(o, "%s", fname[in->rs2 & 31]); break;
        case 'R': put(o, "%s", fname[in->rs3 & 31]); break;
        case 'j': put(o, "%d", (int)in->imm); break;
        case 'u': put(o, "0x%x", ((uint32_t)in->imm >> 12) & 0xfffff); break;
        case '>': put(o, "0x%x", (unsigned)in->imm); break;
        case 'a': put_target(o, pc + (uint32_t)in->imm, sym, ctx); break;
        case 'E': put_csr(o, (uint32_t)in->imm & 0xfff); break;
        case 'Z': put(o, "%u", (unsigned)in->rs1); break;
        case 'm': put(o, "%s", rmname[in->rm & 7]); break;
        case 'P': put(o, "%s", iorw[((uint32_t)in->imm >> 4) & 15]); break;
        case 'Q': put(o, "%s", iorw[(uint32_t)in->imm & 15]); break;
        default:  put(o, "%c", *a); break;
        }
    }
}

/* What objdump prints for a word it cannot decode. */
static void put_unknown(Out *o, const IsaInsn *in)
{
    if (in->len == 2)
        put(o, ".2byte\t0x%x", (unsigned)(in->raw & 0xffff));
    else
        put(o, ".4byte\t0x%x", (unsigned)in->raw);
}

/* fence: imm holds fm(4) pred(4) succ(4).  objdump knows only rd=rs1=0,
 * fm=0, and fm=TSO with rw,rw. */
static bool fence_form(Out *o, const IsaInsn *in)
{
    uint32_t fm = ((uint32_t)in->imm >> 8) & 15, ps = (uint32_t)in->imm & 0xff;
    if (in->rd != 0 || in->rs1 != 0)
        return false;
    if (fm == 0 && ps == 0xff)
        put(o, "fence");
    else if (fm == 8 && ps == 0x33)
        put(o, "fence.tso");
    else if (fm == 0) {
        put(o, "fence\t");
        put_args(o, "P,Q", in, 0, NULL, NULL);
    } else
        return false;
    return true;
}

/* Words parsim's decoder rejects but objdump decodes anyway: RV64 shift
 * amounts (bit 25 of slli/srli/srai, bit 12 of c.slli/c.srli/c.srai) and
 * c.addi16sp with a zero immediate print as the instruction they would be
 * on RV64 or without the reserved-encoding check.  Fills *as with that
 * instruction. */
static bool rejected_but_known(const IsaInsn *in, IsaInsn *as)
{
    uint32_t w = in->raw;
    *as = *in;
    if (in->len == 2) {
        unsigned rc = 8 + ((w >> 7) & 7);   /* rd' of c.srli/c.srai */
        as->imm = (int32_t)(32 | ((w >> 2) & 31));
        if ((w & 0xf003) == 0x1002) {
            as->op = ISA_OP_slli;
            as->rd = as->rs1 = (uint8_t)((w >> 7) & 31);
        } else if ((w & 0xfc03) == 0x9001 || (w & 0xfc03) == 0x9401) {
            as->op = (w & 0x0400) ? ISA_OP_srai : ISA_OP_srli;
            as->rd = as->rs1 = (uint8_t)rc;
        } else if ((w & 0xffff) == 0x6101) {
            as->op = ISA_OP_addi;
            as->rd = as->rs1 = 2;
            as->imm = 0;
        } else {
            return false;
        }
        return true;
    }
    uint32_t sh = w & 0xfe00707f;
    if (sh == 0x02001013 || sh == 0x02005013 || sh == 0x42005013) {
        as->op = sh == 0x02001013 ? ISA_OP_slli
               : sh == 0x02005013 ? ISA_OP_srli : ISA_OP_srai;
        as->rd = (uint8_t)((w >> 7) & 31);
        as->rs1 = (uint8_t)((w >> 15) & 31);
        as->imm = (int32_t)((w >> 20) & 63);
        return true;
    }
    return false;
}

/* Privileged instructions of modes parsim does not have, by exact word
 * (sfence.vma, with register operands, is printed by the caller). */
static const struct { uint32_t raw; const char *name; } other_modes[] = {
    { 0x00200073, "uret" }, { 0x10200073, "sret" }, { 0x7b200073, "dret" },
};

static bool put_other_mode(Out *o, const IsaInsn *in)
{
    if (in->len != 4)
        return false;
    for (size_t i = 0; i < sizeof other_modes / sizeof other_modes[0]; i++) {
        if (in->raw == other_modes[i].raw) {
            put(o, "%s", other_modes[i].name);
            return true;
        }
    }
    if ((in->raw & 0xfe007fff) != 0x12000073)
        return false;
    IsaInsn r = *in;
    r.rs1 = (uint8_t)((in->raw >> 15) & 31);
    r.rs2 = (uint8_t)((in->raw >> 20) & 31);
    put(o, "sfence.vma");
    if (r.rs1 || r.rs2)
        put(o, "\t");
    put_args(o, r.rs2 ? "s,t" : r.rs1 ? "s" : "", &r, 0, NULL, NULL);
    return true;
}

static const char *const aqrl[4] = { "", ".rl", ".aq", ".aqrl" };

int isa_disasm(const IsaInsn *in, uint32_t pc, char *buf, size_t n,
               IsaSymFn sym, void *sym_ctx)
{
    Out o = { buf, n, 0 };
    if (n)
        buf[0] = '\0';

    if (in->op == ISA_OP_fence) {
        if (!fence_form(&o, in))
            put_unknown(&o, in);
        return (int)o.len;
    }
    IsaInsn known;
    if (in->op == ISA_OP_ILLEGAL || in->op >= ISA_OP_COUNT) {
        if (rejected_but_known(in, &known)) {
            in = &known;
        } else {
            /* the all-zero halfword is the defined-illegal c.unimp */
            if (in->len == 2 && (in->raw & 0xffff) == 0)
                put(&o, "unimp");
            else if (!put_other_mode(&o, in))
                put_unknown(&o, in);
            return (int)o.len;
        }
    }
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const Form *f = &forms[i];
        if (!fits(f, in))
            continue;
        put(&o, "%s", f->name ? f->name : isa_op_info[in->op].name);
        if (isa_op_info[in->op].fmt == ISA_FMT_A)
            put(&o, "%s", aqrl[in->rm & 3]);
        if (*f->args) {
            put(&o, "\t");
            put_args(&o, f->args, in, pc, sym, sym_ctx);
        }
        return (int)o.len;
    }
    put_unknown(&o, in);
    return (int)o.len;
}
