/* memctl.c — the memory controller of memctl.h: one queue in front of a
 * fixed latency and a bandwidth.  A request waits until the transfers
 * before it are done (start = max(t, free_at)), then holds the controller
 * for ceil(bytes / bandwidth) cycles; its data is ready latency cycles
 * after the transfer would start plus the transfer itself.  The latency
 * part is pipelined (it does not hold the controller), so a burst of
 * requests starts one transfer time apart, not one full access apart.
 */
#include "models/memctl.h"

#include <string.h>

void memctl_init(MemCtl *m, uint32_t latency, uint32_t bytes_per_cycle)
{
    memset(m, 0, sizeof *m);
    m->latency = latency;
    /* A bandwidth of zero would divide by zero on every access; treat it
     * as the slowest meaningful controller instead of crashing. */
    m->bytes_per_cycle = bytes_per_cycle ? bytes_per_cycle : 1;
    m->rate = slots_rate(m->bytes_per_cycle);
}

uint64_t memctl_access(MemCtl *m, uint64_t t, uint32_t bytes)
{
    uint64_t transfer = slots_cycles(m->rate, bytes);
    uint64_t start = slots_reserve(&m->slots, t, (uint32_t)transfer);
    if (start + transfer > m->free_at)
        m->free_at = start + transfer;
    m->requests++;
    m->bytes += bytes;
    m->queue_cycles += start - t;
    m->busy_cycles += transfer;
    return start + m->latency + transfer;
}
