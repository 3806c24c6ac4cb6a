/* heap_size.c — how much heap a program gets: grow it with sbrk, 1 MiB at
 * a time, until sbrk says no, then print how many MiB it got.  (malloc
 * grows the heap the same way; malloc'ing it all would also zero every
 * byte, as picolibc's malloc does, a billion instructions for 256 MiB.)
 * The heap ends below the hart stacks at the end of RAM, so --ram-size
 * and run.stack_size move it.
 *     parsim run --ram-size 256M build/tests/programs/heap_size.elf */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    unsigned n = 0;
    while (sbrk(1 << 20) != (void *)-1)
        n++;
    /* What is left is still a heap malloc can use. */
    char *p = malloc(1000);
    printf("heap: %u MiB%s\n", n, p ? "" : ", and malloc failed");
    return 0;
}
