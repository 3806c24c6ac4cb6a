/* smp_sum.S — a freestanding multi-hart program in the style of QEMU's
 * virt machine with -smp N: every hart starts at _start in machine mode,
 * takes its own stack by mhartid, adds 1..100 * (hartid + 1) into a shared
 * total with amoadd.w, and counts itself in.  Hart 0 waits for all of
 * them, prints the total through semihosting and exits with status 7; the
 * others park in wfi.  No C library, no parsim services: it runs
 * unchanged on qemu-system-riscv32 -smp N and on parsim --cores N.
 * The number of harts is fixed at 4: total = 5050 * (1+2+3+4) = 50500. */
    .equ NHARTS, 4
    .section .text.init, "ax"
    .globl _start
_start:
    csrr    t0, mhartid
    la      sp, stacks_top
    slli    t1, t0, 12              /* 4 KiB of stack per hart */
    sub     sp, sp, t1

    /* sum = (hartid + 1) * (1 + 2 + ... + 100) = 5050 * (hartid + 1) */
    addi    t2, t0, 1
    li      t4, 100
    li      t6, 0
1:  mul     t5, t4, t2
    add     t6, t6, t5
    addi    t4, t4, -1
    bnez    t4, 1b
    la      a0, total
    amoadd.w zero, t6, (a0)
    la      a0, arrived
    li      a1, 1
    amoadd.w zero, a1, (a0)
    bnez    t0, park

    /* hart 0: wait for everyone */
    li      a2, NHARTS
3:  lw      a1, 0(a0)
    bne     a1, a2, 3b

    /* format the total (decimal) into msg_num, then SYS_WRITE0 */
    la      a0, total
    lw      a1, 0(a0)
    la      a3, msg_end             /* write digits backwards */
    li      a4, 10
4:  remu    a5, a1, a4
    addi    a5, a5, '0'
    addi    a3, a3, -1
    sb      a5, 0(a3)
    divu    a1, a1, a4
    bnez    a1, 4b
    la      a1, msg
    li      a0, 0x04                /* SYS_WRITE0 */
    call    semihost
    mv      a1, a3
    li      a0, 0x04
    call    semihost
    la      a1, newline
    li      a0, 0x04
    call    semihost

    la      a1, exit_block          /* SYS_EXIT_EXTENDED, status 7 */
    li      a0, 0x20
    call    semihost
park:
    wfi
    j       park

    /* The semihosting trap sequence must not be compressed and must not
     * cross a page: keep it aligned. */
    .balign 16
    .option push
    .option norvc
semihost:
    slli    zero, zero, 0x1f
    ebreak
    srai    zero, zero, 7
    ret
    .option pop

    .section .data
    .balign 4
total:      .word 0
arrived:    .word 0
exit_block: .word 0x20026, 7
msg:        .asciz "total "
digits:     .space 12
msg_end:    .byte 0
newline:    .asciz "\n"
    .balign 16
stacks:     .space 4096 * NHARTS
stacks_top:
