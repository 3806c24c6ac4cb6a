/* two_arrays.c — two arrays on one cache line: hart 0 writes `hits`,
 * hart 1 writes `hits_padded`, 32 bytes each and packed into the same
 * 64-byte line, so the line bounces between the two L1s (false sharing)
 * and the hottest line holds both arrays.  Run on 2 harts. */
#include <stdio.h>

#include "parsim.h"

/* Defined in assembly, so that they are where this says: C leaves the
 * order and the gaps between variables to the compiler. */
__asm__(".pushsection .bss.two_arrays,\"aw\",@nobits\n"
        ".balign 64\n"
        ".globl hits\n.type hits, @object\n.size hits, 32\n"
        "hits: .zero 32\n"
        ".globl hits_padded\n.type hits_padded, @object\n"
        ".size hits_padded, 32\n"
        "hits_padded: .zero 32\n"
        ".popsection\n");
extern volatile unsigned hits[8], hits_padded[8];

static void work(unsigned rank, unsigned n, void *arg)
{
    (void)n;
    (void)arg;
    volatile unsigned *mine = rank ? hits_padded : hits;
    for (int i = 0; i < 500; i++)
        mine[0]++;
}

int main(void)
{
    if (parsim_spmd_n(2, work, NULL) < 0) {
        printf("two_arrays: needs 2 harts (parsim run --cores 2)\n");
        return 2;
    }
    printf("two_arrays: %u %u\n", hits[0], hits_padded[0]);
    return 0;
}
