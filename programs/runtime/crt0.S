/* crt0.S — parsim's start-up code, in place of picolibc's crt0-semihost.
 *
 * Every hart enters _start in machine mode (as on QEMU's virt machine with
 * -smp N); mhartid tells them apart.  Each gets gp, the FPU turned on
 * (mstatus.FS = initial, fcsr = 0, as picolibc's crt0 does), mtvec = _trap
 * and its own stack: hart h's stack top is TOP - h * SIZE, also kept in
 * mscratch for the trap handler.  On parsim TOP and SIZE are what
 * PARSIM_FN_MEMORY says (the end of RAM, run.stack_size), elsewhere the
 * link-time __stack and __parsim_hart_stack (parsim.ld).  Hart 0 then
 * runs __parsim_start0 (start.c: C library set-up, argv, main, exit) with
 * a0 = what a1 held at reset (QEMU's device tree, used to count harts off
 * parsim); every other hart runs __parsim_start_hart(hartid), which waits
 * for hart 0's set-up and then idles until given work.  Harts beyond
 * __parsim_max_harts park in wfi.
 *
 * _trap is picolibc's handler with a per-hart stack: registers, mepc,
 * mcause and mtval are saved and printed as picolibc prints them, then
 * _exit(1) (start.c, __parsim_ctrap).
 */
	.section .text.init.enter,"ax",@progbits
	.globl	_start
	.type	_start, @function
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	mv	s1, a1			/* QEMU's reset code: a1 = device tree */
	csrr	t0, mhartid
	lui	t1, %hi(__parsim_max_harts)
	addi	t1, t1, %lo(__parsim_max_harts)
	bgeu	t0, t1, .Lpark
	/* The stacks' layout: parsim's (PARSIM_FN_MEMORY), else the link's. */
	csrr	t3, marchid
	li	t4, 0x50415253		/* PARSIM_MARCHID */
	bne	t3, t4, 1f
	li	a7, 0x0A505253		/* PARSIM_EID */
	li	a6, 22			/* PARSIM_FN_MEMORY */
	ecall
	bnez	a0, 1f
	mv	t5, a1			/* the top of the stacks */
	mv	t1, a2			/* bytes per hart */
	j	2f
1:	la	t5, __stack
	lui	t1, %hi(__parsim_hart_stack)
	addi	t1, t1, %lo(__parsim_hart_stack)
2:	mv	s2, t5			/* kept for the C start-up code */
	mv	s3, t1
	csrr	t0, mhartid
	mul	t2, t0, t1
	sub	sp, t5, t2
	csrw	mscratch, sp
	csrr	t0, mstatus
	lui	t1, 0x2			/* mstatus.FS = initial */
	or	t0, t1, t0
	csrw	mstatus, t0
	csrwi	fcsr, 0
	la	t0, _trap
	csrw	mtvec, t0
	li	ra, 0			/* backtraces end here */
	mv	a1, s2			/* the stacks' top and size */
	mv	a2, s3
	csrr	a0, mhartid
	bnez	a0, .Lother
	mv	a0, s1			/* QEMU's reset code: a1 = device tree */
	j	__parsim_start0
.Lother:
	j	__parsim_start_hart
.Lpark:
	wfi
	j	.Lpark
	.size	_start, . - _start

	.text
	.balign	4
	.globl	_trap
	.type	_trap, @function
_trap:
	csrr	sp, mscratch
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	addi	sp, sp, -140
	sw	zero, 0(sp)
	sw	ra, 4(sp)
	sw	sp, 8(sp)
	sw	gp, 12(sp)
	sw	tp, 16(sp)
	sw	t0, 20(sp)
	sw	t1, 24(sp)
	sw	t2, 28(sp)
	sw	s0, 32(sp)
	sw	s1, 36(sp)
	sw	a0, 40(sp)
	sw	a1, 44(sp)
	sw	a2, 48(sp)
	sw	a3, 52(sp)
	sw	a4, 56(sp)
	sw	a5, 60(sp)
	sw	a6, 64(sp)
	sw	a7, 68(sp)
	sw	s2, 72(sp)
	sw	s3, 76(sp)
	sw	s4, 80(sp)
	sw	s5, 84(sp)
	sw	s6, 88(sp)
	sw	s7, 92(sp)
	sw	s8, 96(sp)
	sw	s9, 100(sp)
	sw	s10, 104(sp)
	sw	s11, 108(sp)
	sw	t3, 112(sp)
	sw	t4, 116(sp)
	sw	t5, 120(sp)
	sw	t6, 124(sp)
	csrr	t0, mepc
	sw	t0, 128(sp)
	csrr	t0, mcause
	sw	t0, 132(sp)
	csrr	t0, mtval
	sw	t0, 136(sp)
	mv	a0, sp
	csrr	t0, mstatus
	lui	t1, 0x2
	or	t0, t1, t0
	csrw	mstatus, t0
	csrwi	fcsr, 0
	j	__parsim_ctrap
	.size	_trap, . - _trap
