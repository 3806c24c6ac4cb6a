/* mp_pingpong.c — ranks 0 and 1 bounce one message of SIZE bytes REPS
 * times with the native interface (parsim_mp.h), checking every byte:
 * the interfaces' latency figures (--stats ranks[].latency_cycles_*) are
 * then the exact LogGP cost of one message.  Other ranks do nothing.
 * Usage: mp_pingpong.elf [SIZE [REPS]]. */
#include <stdio.h>
#include <stdlib.h>

#include "parsim_mp.h"

static unsigned char buf[1 << 20];

int main(int argc, char **argv)
{
    unsigned size = argc > 1 ? (unsigned)atoi(argv[1]) : 64;
    unsigned reps = argc > 2 ? (unsigned)atoi(argv[2]) : 4;
    int rank = parsim_mp_rank();
    if (size > sizeof buf)
        size = sizeof buf;
    parsim_mp_status st;
    int bad = 0;
    for (unsigned r = 0; r < reps; r++) {
        if (rank == 0) {
            for (unsigned i = 0; i < size; i++)
                buf[i] = (unsigned char)(i + r);
            parsim_mp_wait(parsim_mp_isend(buf, size, 1, 1, 0, 0), &st);
            parsim_mp_wait(parsim_mp_irecv(buf, size, 1, 2, 0), &st);
            for (unsigned i = 0; i < size; i++)
                bad |= buf[i] != (unsigned char)(i + r + 1);
            bad |= st.source != 1 || st.tag != 2 || st.bytes != size;
        } else if (rank == 1) {
            parsim_mp_wait(parsim_mp_irecv(buf, size, 0, 1, 0), &st);
            for (unsigned i = 0; i < size; i++)
                buf[i]++;
            parsim_mp_wait(parsim_mp_isend(buf, size, 0, 2, 0, 0), &st);
        }
    }
    if (rank == 0)
        printf("pingpong %u bytes x %u: %s\n", size, reps, bad ? "BAD" : "ok");
    return bad;
}
