/* mp_private.c — every rank has its own memory: rank 0 writes a global,
 * the others must still see its initial value; then each rank sends its
 * copy to rank 0, which prints them in rank order. */
#include <stdio.h>

#include "parsim_mp.h"

static int value = 7;

int main(void)
{
    int rank = parsim_mp_rank(), size = parsim_mp_size();
    parsim_mp_status st;
    if (rank == 0)
        value = 1000;
    /* Everyone has started by the time rank 0 hears from them. */
    if (rank != 0) {
        int v = value + rank;
        parsim_mp_wait(parsim_mp_isend(&v, sizeof v, 0, 5, 0, 0), &st);
        return 0;
    }
    for (int r = 1; r < size; r++) {
        int v;
        parsim_mp_wait(parsim_mp_irecv(&v, sizeof v, r, 5, 0), &st);
        printf("rank %d saw value %d\n", r, v - r);
    }
    printf("rank 0 has %d; %d ranks\n", value, size);
    return 0;
}
