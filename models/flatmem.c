/* flatmem.c — flat memory timing: a constant latency per access. */
#include "models/flatmem.h"

uint32_t flatmem_access(void *ctx, const IsaHart *h, uint32_t addr,
                        unsigned size, IsaAccessKind kind)
{
    FlatMem *m = ctx;
    (void)h;
    (void)addr;
    (void)size;
    switch (kind) {
    case ISA_ACC_LOAD:
    case ISA_ACC_LR:
        m->loads++;
        break;
    case ISA_ACC_STORE:
        m->stores++;
        break;
    case ISA_ACC_AMO:
    case ISA_ACC_SC:
        m->amos++;
        break;
    }
    return m->latency;
}
