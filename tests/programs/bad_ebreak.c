/* bad_ebreak.c — a lone ebreak is a breakpoint, not a semihosting call. */
#include <stdio.h>

int main(void)
{
    printf("break\n");
    __asm__ volatile("ebreak");
    return 0;
}
