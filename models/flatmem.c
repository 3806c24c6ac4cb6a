/* flatmem.c — flat memory timing: a constant latency per access. */
#include "models/flatmem.h"

uint32_t flatmem_access(void *ctx, const IsaHart *h, uint32_t addr,
                        unsigned size, IsaAccessKind kind)
{
    FlatMem *m = ctx;
    FlatMemCounts *c = &m->hart[h->hartid];
    (void)addr;
    (void)size;
    switch (kind) {
    case ISA_ACC_LOAD:
    case ISA_ACC_LR:
        c->loads++;
        break;
    case ISA_ACC_STORE:
        c->stores++;
        break;
    case ISA_ACC_AMO:
    case ISA_ACC_SC:
        c->amos++;
        break;
    case ISA_ACC_FENCE:
        return 0;
    }
    c->stall += m->latency;
    c->busy_until = h->cycle + m->latency;
    return m->latency;
}
