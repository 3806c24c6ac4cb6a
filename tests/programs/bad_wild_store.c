/* bad_wild_store.c — stores through a pointer outside RAM. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)0x00001000u;
    printf("storing\n");
    *p = 42;
    return 0;
}
