/* parsim.h — the runtime interface for programs that run on parsim.
 *
 * Standard RISC-V wherever one exists: the hart id is mhartid, the
 * counters are rdcycle/rdinstret.  Everything here also works under
 * qemu-system-riscv32 -machine virt (where the cycle counter counts
 * QEMU's notion of cycles).
 */
#ifndef PARSIM_H
#define PARSIM_H

#include <stdint.h>

/* This hart's id (mhartid), 0 on a single-core machine. */
static inline unsigned hart_id(void)
{
    unsigned id;
    __asm__ volatile("csrr %0, mhartid" : "=r"(id));
    return id;
}

/* The simulated cycle counter of this hart (64 bits, read race-free). */
static inline uint64_t cycles(void)
{
    uint32_t hi, lo, hi2;
    do {
        __asm__ volatile("rdcycleh %0" : "=r"(hi));
        __asm__ volatile("rdcycle %0" : "=r"(lo));
        __asm__ volatile("rdcycleh %0" : "=r"(hi2));
    } while (hi != hi2);
    return ((uint64_t)hi << 32) | lo;
}

/* Instructions retired by this hart (64 bits). */
static inline uint64_t instret(void)
{
    uint32_t hi, lo, hi2;
    do {
        __asm__ volatile("rdinstreth %0" : "=r"(hi));
        __asm__ volatile("rdinstret %0" : "=r"(lo));
        __asm__ volatile("rdinstreth %0" : "=r"(hi2));
    } while (hi != hi2);
    return ((uint64_t)hi << 32) | lo;
}

#endif
