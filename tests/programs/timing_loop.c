/* timing_loop.c — a loop whose cost the timing model makes exact: 1,000
 * iterations of lw, addi, sw, addi, bne (docs/timing.md works it out).
 * Prints the cycles and instructions between two counter reads. */
#include <stdint.h>
#include <stdio.h>

static volatile uint32_t word;

int main(void)
{
    uint32_t c0, c1, i0, i1;
    __asm__ volatile(
        "rdinstret %[i0]\n\t"
        "rdcycle %[c0]\n\t"
        "li t0, 1000\n\t"
        "mv t1, %[buf]\n"
        "1:\n\t"
        "lw t2, 0(t1)\n\t"
        "addi t2, t2, 1\n\t"
        "sw t2, 0(t1)\n\t"
        "addi t0, t0, -1\n\t"
        "bnez t0, 1b\n\t"
        "rdcycle %[c1]\n\t"
        "rdinstret %[i1]\n\t"
        : [c0] "=&r"(c0), [c1] "=&r"(c1), [i0] "=&r"(i0), [i1] "=&r"(i1)
        : [buf] "r"(&word)
        : "t0", "t1", "t2", "memory");
    printf("word=%u cycles=%u instructions=%u\n", (unsigned)word,
           (unsigned)(c1 - c0), (unsigned)(i1 - i0));
    return 0;
}
