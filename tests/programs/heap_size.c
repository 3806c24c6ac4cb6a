/* heap_size.c — how much heap a program gets: malloc 1 MiB blocks until
 * malloc says no, then print how many it got.  The heap ends below the
 * hart stacks at the end of RAM, so --ram-size and run.stack_size move it.
 *     parsim run --ram-size 256M build/tests/programs/heap_size.elf */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    unsigned n = 0;
    while (malloc(1 << 20))
        n++;
    printf("heap: %u MiB\n", n);
    return 0;
}
