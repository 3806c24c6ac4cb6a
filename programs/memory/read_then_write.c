/* read_then_write.c — MSI against MESI on private data: every hart reads
 * each line of its own array, then writes it.  Under MSI the read leaves
 * the line Shared, so the write must ask for it again (an UPGRADE message
 * per line); under MESI the read finds no other copy and gets the line
 * Exclusive, and the write turns it Modified silently.
 *
 *   parsim run --cores 4 --set coherence.protocol=msi  rtw.elf [KIB]
 *   parsim run --cores 4 --set coherence.protocol=mesi rtw.elf [KIB]
 *
 * KIB per hart (default 16).  Each hart has its own array of cold lines
 * (cold.h) that no other hart touches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cold.h"
#include "parsim_sync.h"

static unsigned bytes = 16 * 1024;
static volatile unsigned *array[PARSIM_MAX_HARTS];
static struct {
    unsigned sum;
    char pad[PARSIM_CACHE_LINE - sizeof(unsigned)];
} partial[PARSIM_MAX_HARTS];

static void work(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    volatile unsigned *p = array[rank];
    unsigned s = 0;
    for (unsigned i = 0; i < bytes / 4; i += 16) {   /* a line at a time */
        unsigned v = p[i];              /* read: S (MSI) or E (MESI) */
        s += v;
        p[i] = v + rank + 1;            /* write: UPGRADE, or silent E->M */
    }
    partial[rank].sum = s + p[0];
}

int main(int argc, char **argv)
{
    if (argc > 1)
        bytes = (unsigned)atoi(argv[1]) * 1024;
    unsigned n = num_harts();
    for (unsigned r = 0; r < n; r++)
        array[r] = cold_alloc(bytes, 64);
    uint64_t t0 = cycles();
    parsim_spmd(work, NULL);
    uint64_t t = cycles() - t0;
    unsigned total = 0;
    for (unsigned r = 0; r < n; r++)
        total += partial[r].sum;
    printf("read_then_write: %u harts x %u lines, check %u, %llu cycles\n", n,
           bytes / 64, total, (unsigned long long)t);
    return 0;
}
