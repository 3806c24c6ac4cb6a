/* bad_illegal.c — executes an illegal instruction: parsim must stop with
 * one line naming hart, pc, the raw word, the function and source line. */
#include <stdio.h>

__attribute__((noinline)) static void broken(void)
{
    __asm__ volatile(".word 0xffffffff");
}

int main(void)
{
    printf("before\n");
    broken();
    printf("after\n");
    return 0;
}
