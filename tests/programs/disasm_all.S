/* disasm_all.S — every RV32IMAFC + Zicsr + Zifencei instruction in each
 * form objdump prints differently (aliases, rounding modes, aq/rl, CSR
 * names, compressed encodings and their HINTs, reserved words), for
 * tests/check_disasm.c, which links it at 0x80000000 and compares
 * isa_disasm with `riscv64-unknown-elf-objdump -d` line by line.  Never
 * run, only disassembled.
 */
    .attribute priv_spec, 1         /* as gcc records it: CSR names of 1.11 */
    .attribute priv_spec_minor, 11
    .option norvc                   /* 32-bit forms unless c. is spelled */

    .text
    .globl _start
    .type _start, @function
_start:
    /* ---- RV32I: upper immediates and jumps ---- */
    lui     a0, 0x12345
    lui     zero, 1
    lui     t6, 0xfffff
    auipc   a0, 0
    auipc   gp, 0x401
1:  jal     zero, 1b
    jal     ra, fwd
    jal     t0, fwd
    jal     a0, _start
    jalr    zero, 0(ra)             /* ret */
    jalr    zero, 0(a0)             /* jr a0 */
    jalr    zero, 8(a0)             /* jr 8(a0) */
    jalr    ra, 0(a0)               /* jalr a0 */
    jalr    ra, -4(a0)
    jalr    t0, 0(a0)
    jalr    t0, 12(a0)
    jalr    zero, 0(zero)

    /* ---- branches, with and without zero operands ---- */
    beq     a0, a1, fwd
    beq     a0, zero, fwd           /* beqz */
    beq     zero, a0, fwd
    beq     zero, zero, fwd
    bne     a0, a1, fwd
    bne     a0, zero, fwd
    bne     zero, a0, fwd
    blt     a0, a1, fwd
    blt     a0, zero, fwd           /* bltz */
    blt     zero, a0, fwd           /* bgtz */
    blt     zero, zero, fwd
    bge     a0, a1, fwd
    bge     a0, zero, fwd           /* bgez */
    bge     zero, a0, fwd           /* blez */
    bge     zero, zero, fwd
    bltu    a0, a1, fwd
    bltu    a0, zero, fwd
    bltu    zero, a0, fwd
    bgeu    a0, a1, fwd
    bgeu    zero, a0, fwd
    bgt     a0, a1, fwd
    ble     a0, a1, fwd
    bgtu    a0, a1, fwd
    bleu    a0, a1, fwd
    bne     a0, a1, .+4094

    /* ---- loads and stores ---- */
    lb      a0, 0(a1)
    lh      a0, -1(a1)
    lw      a0, 2047(sp)
    lbu     a0, -2048(s0)
    lhu     zero, 4(zero)
    sb      a0, 0(a1)
    sh      a0, -2(a1)
    sw      zero, 2047(sp)
    sw      ra, -2048(t6)

    /* ---- immediate ALU ops and their aliases ---- */
    addi    zero, zero, 0           /* nop */
    addi    a0, zero, 0             /* li */
    addi    a0, zero, -1
    addi    a0, zero, 2047
    addi    zero, zero, 5
    addi    a0, a1, 0               /* mv */
    addi    zero, a1, 0
    addi    sp, sp, -16
    addi    a0, a1, -2048
    slti    a0, a1, 1
    slti    a0, zero, -1
    sltiu   a0, a1, 1               /* seqz */
    sltiu   a0, a1, 2
    sltiu   a0, a1, -1
    xori    a0, a1, -1              /* not */
    xori    a0, a1, 1
    ori     a0, a1, 0
    ori     zero, zero, 0
    ori     a0, a1, -1
    andi    a0, a1, 255             /* zext.b */
    andi    a0, a1, 1
    andi    a0, a1, -1
    andi    a0, a1, 0
    slli    a0, a1, 0
    slli    a0, a1, 31
    srli    a0, a1, 1
    srai    a0, a1, 31
    slli    zero, zero, 0x1f        /* the semihosting sequence */
    ebreak
    srai    zero, zero, 7

    /* ---- register ALU ops and their aliases ---- */
    add     a0, a1, a2
    add     a0, zero, a1
    add     a0, a1, zero
    add     zero, zero, zero
    sub     a0, a1, a2
    sub     a0, zero, a1            /* neg */
    sub     a0, a1, zero
    sll     a0, a1, a2
    slt     a0, a1, a2
    slt     a0, a1, zero            /* sltz */
    slt     a0, zero, a1            /* sgtz */
    slt     a0, zero, zero
    sltu    a0, a1, a2
    sltu    a0, zero, a1            /* snez */
    sltu    a0, a1, zero
    xor     a0, a1, a2
    srl     a0, a1, a2
    sra     a0, a1, a2
    or      a0, a1, a2
    and     a0, a1, a2

    /* ---- fences and system ---- */
    fence
    fence   rw, rw
    fence   r, w
    fence   iorw, o
    fence   i, iorw
    fence.tso
    fence.i
    ecall
    ebreak
    mret
    wfi
    unimp

    /* ---- Zicsr: every alias and CSR naming ---- */
    csrrw   a0, mstatus, a1
    csrrw   zero, mstatus, a1       /* csrw */
    csrrw   a0, fcsr, a1            /* fscsr */
    csrrw   zero, fcsr, a1
    csrrw   a0, frm, a1             /* fsrm */
    csrrw   zero, frm, a1
    csrrw   a0, fflags, a1          /* fsflags */
    csrrw   zero, fflags, a1
    csrrw   zero, cycle, zero       /* unimp */
    csrrw   a0, cycle, zero
    csrrs   a0, mhartid, zero       /* csrr */
    csrrs   a0, mstatus, a1
    csrrs   zero, mie, a1           /* csrs */
    csrrs   zero, mie, zero
    csrrs   a0, cycle, zero         /* rdcycle */
    csrrs   a0, time, zero
    csrrs   a0, instret, zero
    csrrs   a0, cycleh, zero
    csrrs   a0, timeh, zero
    csrrs   a0, instreth, zero
    csrrs   zero, cycle, zero
    csrrs   a0, cycle, a1
    csrrs   a0, fcsr, zero          /* frcsr */
    csrrs   a0, frm, zero           /* frrm */
    csrrs   a0, fflags, zero        /* frflags */
    csrrs   a0, fcsr, a1
    csrrc   a0, mip, a1
    csrrc   zero, mip, a1           /* csrc */
    csrrwi  a0, mscratch, 5
    csrrwi  zero, mscratch, 31      /* csrw with an immediate */
    csrrwi  a0, frm, 1              /* fsrmi */
    csrrwi  zero, frm, 3
    csrrwi  a0, fflags, 0           /* fsflagsi */
    csrrwi  zero, fflags, 0
    csrrwi  zero, fcsr, 0
    csrrsi  a0, mstatus, 8
    csrrsi  zero, mstatus, 8        /* csrs with an immediate */
    csrrci  a0, mstatus, 8
    csrrci  zero, mstatus, 8
    csrr    a0, misa
    csrr    a0, mie
    csrr    a0, mtvec
    csrr    a0, mstatush            /* not named under priv spec 1.11 */
    csrr    a0, mscratch
    csrr    a0, mepc
    csrr    a0, mcause
    csrr    a0, mtval
    csrr    a0, mip
    csrr    a0, mcycle
    csrr    a0, minstret
    csrr    a0, mcycleh
    csrr    a0, minstreth
    csrr    a0, mvendorid
    csrr    a0, marchid
    csrr    a0, mimpid
    csrr    a0, mhpmcounter3
    csrr    a0, mhpmcounter31h
    csrr    a0, hpmcounter4
    csrr    a0, hpmcounter17h
    csrr    a0, mhpmevent9
    csrr    a0, pmpcfg3
    csrr    a0, pmpaddr15
    csrr    a0, satp
    csrr    a0, sstatus
    csrr    a0, dcsr
    csrr    a0, tselect
    csrr    a0, 0x7c0
    csrr    a0, 0xfff

    /* ---- M ---- */
    mul     a0, a1, a2
    mulh    a0, a1, a2
    mulhsu  a0, a1, a2
    mulhu   a0, a1, a2
    div     a0, a1, a2
    divu    a0, a1, a2
    rem     a0, a1, a2
    remu    zero, zero, zero

    /* ---- A, with every aq/rl combination on some ---- */
    lr.w        a0, (a1)
    lr.w.aq     a0, (a1)
    lr.w.rl     a0, (a1)
    lr.w.aqrl   a0, (a1)
    sc.w        a0, a2, (a1)
    sc.w.aq     a0, a2, (a1)
    sc.w.rl     a0, a2, (a1)
    sc.w.aqrl   a0, a2, (a1)
    amoswap.w   a0, a2, (a1)
    amoswap.w.aq a0, a2, (a1)
    amoadd.w    zero, a2, (a1)
    amoadd.w.rl a0, a2, (a1)
    amoxor.w    a0, a2, (a1)
    amoand.w.aqrl a0, a2, (a1)
    amoor.w     a0, a2, (a1)
    amomin.w    a0, a2, (a1)
    amomax.w    a0, a2, (a1)
    amominu.w   a0, a2, (a1)
    amomaxu.w.aq a0, a2, (a1)

    /* ---- F: every rounding mode on one op, dyn left out everywhere ---- */
    flw     fa0, 0(a1)
    flw     ft11, -2048(sp)
    fsw     fa0, 2047(a1)
    fsw     fs11, -4(zero)
    fadd.s  fa0, fa1, fa2
    fadd.s  fa0, fa1, fa2, rne
    fadd.s  fa0, fa1, fa2, rtz
    fadd.s  fa0, fa1, fa2, rdn
    fadd.s  fa0, fa1, fa2, rup
    fadd.s  fa0, fa1, fa2, rmm
    fadd.s  fa0, fa1, fa2, dyn
    fsub.s  ft0, ft1, ft2
    fsub.s  ft0, ft1, ft2, rtz
    fmul.s  fs0, fs1, fs2
    fmul.s  fs0, fs1, fs2, rup
    fdiv.s  ft8, ft9, ft10
    fdiv.s  ft8, ft9, ft10, rne
    fsqrt.s fa0, fa1
    fsqrt.s fa0, fa1, rdn
    fmadd.s  fa0, fa1, fa2, fa3
    fmadd.s  fa0, fa1, fa2, fa3, rne
    fmsub.s  fa0, fa1, fa2, fa3
    fmsub.s  fa0, fa1, fa2, fa3, rtz
    fnmsub.s fa0, fa1, fa2, fa3
    fnmsub.s fa0, fa1, fa2, fa3, rmm
    fnmadd.s fa0, fa1, fa2, fa3
    fnmadd.s fa0, fa1, fa2, fa3, rup
    fsgnj.s  fa0, fa1, fa2
    fsgnj.s  fa0, fa1, fa1          /* fmv.s */
    fsgnjn.s fa0, fa1, fa2
    fsgnjn.s fa0, fa1, fa1          /* fneg.s */
    fsgnjx.s fa0, fa1, fa2
    fsgnjx.s fa0, fa1, fa1          /* fabs.s */
    fmin.s   fa0, fa1, fa2
    fmax.s   fa0, fa1, fa2
    fcvt.w.s  a0, fa0
    fcvt.w.s  a0, fa0, rtz
    fcvt.w.s  a0, fa0, rne
    fcvt.wu.s a0, fa0
    fcvt.wu.s a0, fa0, rtz
    fcvt.s.w  fa0, a0
    fcvt.s.w  fa0, a0, rne
    fcvt.s.wu fa0, a0
    fcvt.s.wu fa0, a0, rdn
    fmv.x.w   a0, fa0
    fmv.w.x   fa0, a0
    feq.s     a0, fa0, fa1
    flt.s     a0, fa0, fa1
    fle.s     a0, fa0, fa1
    fclass.s  a0, fa0
    frcsr   a0
    fscsr   a1
    frrm    a0
    fsrm    a0, a1
    frflags a0
    fsflags a1
    fsrmi   2
    fsflagsi a0, 1

    /* ---- C: each compressed form, spelled so that gas keeps it ---- */
    .option rvc
    c.addi4spn a0, sp, 16
    c.addi4spn s1, sp, 1020
    c.lw    a0, 0(a1)
    c.lw    s0, 124(a5)
    c.sw    a0, 4(a1)
    c.flw   fa0, 8(a1)
    c.fsw   fa0, 64(a1)
    c.nop
    c.addi  a0, 1
    c.addi  a0, -32
    c.jal   fwd
    c.li    a0, 0
    c.li    a0, -1
    c.addi16sp sp, 32
    c.addi16sp sp, -512
    c.lui   a0, 1
    c.lui   t1, 0xfffe1
    c.srli  a0, 1
    c.srli  s1, 31
    c.srai  a0, 31
    c.andi  a0, -1
    c.andi  a0, 0
    c.sub   a0, a1
    c.xor   a0, a1
    c.or    a0, a1
    c.and   a0, a1
    c.j     fwd
    c.j     _start
    c.beqz  a0, fwd
    c.bnez  a0, _start
    c.slli  a0, 1
    c.slli  ra, 31
    c.lwsp  a0, 0(sp)
    c.lwsp  ra, 252(sp)
    c.flwsp fa0, 12(sp)
    c.jr    a0
    c.jr    ra                      /* ret */
    c.mv    a0, a1
    c.ebreak
    c.jalr  a0
    c.jalr  ra
    c.add   a0, a1
    c.add   sp, sp
    c.swsp  a0, 0(sp)
    c.swsp  ra, 252(sp)
    c.fswsp fa0, 16(sp)

    /* ---- HINTs, reserved and illegal words, by their bits (under rvc:
     * with norvc objdump would not decode 16-bit words at all) ---- */
    .insn 2, 0x0000                 /* c.unimp */
    .insn 2, 0x0005                 /* c.addi zero,1: c.nop HINT */
    .insn 2, 0x0501                 /* c.addi a0,0: HINT */
    .insn 2, 0x4001                 /* c.li zero,0 */
    .insn 2, 0x4005                 /* c.li zero,1 */
    .insn 2, 0x6005                 /* c.lui zero,1 */
    .insn 2, 0x6001                 /* c.lui zero,0: reserved */
    .insn 2, 0x6501                 /* c.lui a0,0: reserved */
    .insn 2, 0x6101                 /* c.addi16sp 0: reserved */
    .insn 2, 0x802a                 /* c.mv zero,a0 */
    .insn 2, 0x902a                 /* c.add zero,a0 */
    .insn 2, 0x0002                 /* c.slli zero,0 */
    .insn 2, 0x0006                 /* c.slli zero,1 */
    .insn 2, 0x0502                 /* c.slli64 a0 */
    .insn 2, 0x1502                 /* c.slli a0,32: RV64 only */
    .insn 2, 0x1002                 /* c.slli zero,32 */
    .insn 2, 0x8101                 /* c.srli64 a0 */
    .insn 2, 0x9105                 /* c.srli a0,33 */
    .insn 2, 0x8501                 /* c.srai64 a0 */
    .insn 2, 0x957d                 /* c.srai a0,63 */
    .insn 2, 0x0000 + 0x2000        /* c.fld: no D */
    .insn 2, 0x8002                 /* c.jr zero: reserved */
    .insn 2, 0x9c01                 /* c.subw: RV64 */
    .insn 2, 0x4002                 /* c.lwsp zero: reserved */
    .option norvc
    .insn 4, 0xc0001073             /* unimp */
    .insn 4, 0x0000008f             /* fence with rd != 0 */
    .insn 4, 0x0300000f             /* fence rw,0 */
    .insn 4, 0x00f0000f             /* fence 0,iorw */
    .insn 4, 0x0100000f             /* fence w,0: pause without Zihintpause */
    .insn 4, 0x4330000f             /* fence with a reserved fm */
    .insn 4, 0x8ff0000f             /* fence.tso's fm with other sets */
    .insn 4, 0x0000108f             /* fence.i with rd != 0 */
    .insn 4, 0x0010100f             /* fence.i with imm != 0 */
    .insn 4, 0x00b55553             /* fadd.s with reserved rm 5 */
    .insn 4, 0x00b56553             /* fadd.s with reserved rm 6 */
    .insn 4, 0x02051513             /* slli a0,a0,32: RV64 only */
    .insn 4, 0x02055513
    .insn 4, 0x42055513
    .insn 4, 0x10200073             /* sret */
    .insn 4, 0x00200073             /* uret */
    .insn 4, 0x7b200073             /* dret */
    .insn 4, 0x12000073             /* sfence.vma */
    .insn 4, 0x12050073
    .insn 4, 0x12b50073
    .insn 4, 0x12b00073
    .insn 4, 0x00100173             /* ebreak with rd != 0 */
    .insn 4, 0x0000005b             /* no such opcode */
    .insn 4, 0x02a5b553             /* fadd.d: no D */
    .insn 4, 0x0005a52f             /* amoadd.w with rd */

    /* ---- targets: a local label, a function, an object, offsets ---- */
    .type fwd, @function
fwd:
    ret
    nop
local_after:
    beq     a0, a1, local_after
    bne     a0, a1, fwd
    jal     fwd + 2
    beq     a0, a1, .-1024
    .size fwd, . - fwd

    .globl other
    .type other, @function
other:
    j       fwd
    j       other
    .size other, . - other
