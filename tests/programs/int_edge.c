/* int_edge.c — differential test: 32-bit integer edge cases (division
 * overflow and by zero, remainder signs, shifts, unsigned wrap, mulh*). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

/* The divide instructions are reached through inline asm so that the
 * cases C leaves undefined (x/0, INT_MIN/-1) still hit the hardware,
 * whose results RISC-V defines. */
static int div_(int a, int b)
{
    int r;
    __asm__ volatile("div %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
static int rem_(int a, int b)
{
    int r;
    __asm__ volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
static unsigned divu_(unsigned a, unsigned b)
{
    unsigned r;
    __asm__ volatile("divu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
static unsigned remu_(unsigned a, unsigned b)
{
    unsigned r;
    __asm__ volatile("remu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
static int mulh_(int a, int b)
{
    int r;
    __asm__ volatile("mulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
static unsigned mulhu_(unsigned a, unsigned b)
{
    unsigned r;
    __asm__ volatile("mulhu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
static int mulhsu_(int a, unsigned b)
{
    int r;
    __asm__ volatile("mulhsu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static const int vals[] = {
    0, 1, -1, 2, -2, 3, -3, 7, -7, 100, -100, 12345, -12345,
    INT_MAX, INT_MIN, INT_MAX - 1, INT_MIN + 1, 0x55555555, (int)0xaaaaaaaa,
};
#define NVALS (sizeof vals / sizeof vals[0])

int main(void)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < NVALS; i++) {
        for (unsigned j = 0; j < NVALS; j++) {
            int a = vals[i], b = vals[j];
            unsigned ua = (unsigned)a, ub = (unsigned)b;
            printf("%d %d: div %d rem %d divu %u remu %u mulh %d mulhu %u "
                   "mulhsu %d mul %d\n",
                   a, b, div_(a, b), rem_(a, b), divu_(ua, ub), remu_(ua, ub),
                   mulh_(a, b), mulhu_(ua, ub), mulhsu_(a, ub),
                   (int)(ua * ub));
            sum = sum * 31 + (unsigned)div_(a, b) + (unsigned)rem_(a, b) +
                  mulhu_(ua, ub);
        }
    }
    /* Shifts: the hardware uses only the low 5 bits of the amount. */
    volatile int neg = -123456789;
    volatile unsigned pat = 0x80f0f00fu;
    for (int s = 0; s < 40; s += 3) {
        int sra, srl, sll;
        __asm__ volatile("sra %0, %1, %2" : "=r"(sra) : "r"(neg), "r"(s));
        __asm__ volatile("srl %0, %1, %2" : "=r"(srl) : "r"(pat), "r"(s));
        __asm__ volatile("sll %0, %1, %2" : "=r"(sll) : "r"(pat), "r"(s));
        printf("shift %2d: sra %d srl %08x sll %08x\n", s, sra, (unsigned)srl,
               (unsigned)sll);
    }
    /* Comparisons across the sign boundary (slt vs sltu). */
    for (unsigned i = 0; i + 1 < NVALS; i++) {
        volatile int a = vals[i], b = vals[i + 1];
        printf("cmp %d %d: lt %d ltu %d\n", a, b, a < b,
               (unsigned)a < (unsigned)b);
    }
    /* Unsigned wrap and sign/zero extension of narrow loads. */
    volatile unsigned u = UINT32_MAX;
    volatile int8_t sb = -5;
    volatile uint8_t ubyte = 0xfb;
    volatile int16_t sh = -300;
    volatile uint16_t uh = 0xfed4;
    printf("wrap %u %u %u\n", u + 1, u * u, 0u - u);
    printf("ext %d %d %d %d\n", sb, ubyte, sh, uh);
    printf("checksum %08x\n", (unsigned)sum);
    return 0;
}
