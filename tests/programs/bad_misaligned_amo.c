/* bad_misaligned_amo.c — an atomic on a misaligned address. */
#include <stdint.h>
#include <stdio.h>

static uint32_t words[4];

int main(void)
{
    uintptr_t a = (uintptr_t)&words[1] + 2;
    uint32_t old;
    __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(a), "r"(1)
                     : "memory");
    printf("%u\n", (unsigned)old);
    return 0;
}
