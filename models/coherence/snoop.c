/* snoop.c — the snooping bus's transaction: a request is one bus
 * transaction that every cache sees at once, so there are no FWD, INV or
 * ACK messages: the owner answers with DATA on the bus (memory snarfs a
 * write-back from it), or the LLC does; the other copies are invalidated
 * as the request passes; a "shared" wire tells a reader whether anybody
 * else keeps a copy (Data_E or Data_S).  The cells are the same tables'
 * (the directory's for the bookkeeping of who holds the line, which
 * lives in one structure for both organisations). */
#include "models/coherence/engine.h"

uint64_t coh_snoop_transaction(MemSys *m, DirEntry *e, uint32_t core,
                               uint32_t line, CohMsg req, uint64_t t)
{
    uint32_t home = coh_home_of(m, line, core);
    uint32_t me = core_router(m, core), hr = node_router(m, home);
    uint64_t t1 = coh_home_take(m, e, home, core, req,
                            coh_send(m, req, me, hr, line, t));
    /* Everything sent to the copies before this bus transaction. */
    coh_settle_copies(m, e, core, line, t1);
    uint8_t st = coh_private_state(m, core, line);
    CohDirEvent dev = coh_request_of(st);
    if (m->check_each && !coh_check_line(m, e, line, t1))
        return t1;
    CohCell dc = dir_cell(m, e->state, dev);
    if (dc.next == COH_NONE) {
        coh_impossible(m, "a request on the bus", line, core, e->state,
                       100 + dev);
        return t1;
    }
    int owner = e->owner >= 0 && (uint32_t)e->owner != core ? e->owner : -1;
    bool read = dev == DEV_GETS;
    uint64_t left = t1;          /* when the home's data left it */
    Arrival arr[2];
    uint32_t n = 0;

    if ((dc.actions & DA_FWD) && owner >= 0) {
        CohCell oc = coh_remote_event(m, (uint32_t)owner, line,
                                  read ? CEV_FWD_GETS : CEV_FWD_GETX, t1);
        if (oc.actions & CA_WB) {
            m->msgs[MSG_WB]++;        /* memory snarfs the bus data */
            coh_home_writeback(m, home, line, t1);
        }
        if (oc.actions & CA_DATA) {
            arr[n++] = (Arrival){
                coh_send(m, MSG_DATA, core_router(m, (uint32_t)owner), me, line,
                     t1 + m->cfg.l1d_latency),
                read ? ARR_DATA_S : ARR_DATA};
            e->transfers++;
        }
        if (!read)
            e->invalidations++;    /* the owner's copy is taken */
    } else if (dc.actions & DA_MEM) {
        uint64_t ready = coh_home_data(m, home, line, t1);
        left = ready;
        arr[n++] = (Arrival){coh_send(m, MSG_DATA, hr, me, line, ready),
                             read ? (dc.actions & DA_EXCL ? ARR_DATA_E
                                                          : ARR_DATA_S)
                                  : ARR_DATA};
    }
    if (dc.actions & DA_GRANT)
        arr[n++] = (Arrival){t1, ARR_GRANT};   /* the bus's order grants */
    if (dc.actions & DA_INV) {
        uint64_t others = e->sharers & ~(1ull << core);
        if (e->owner >= 0 && (uint32_t)e->owner != core)
            others |= 1ull << e->owner;
        for (uint32_t s = 0; s < m->cfg.cores; s++)
            if (((others >> s) & 1) && ((int)s != owner ||
                                        !(dc.actions & DA_FWD))) {
                coh_remote_event(m, s, line, CEV_INV, t1); /* no ACK on a bus */
                e->invalidations++;
            }
    }
    return coh_transaction_end(m, e, dc, core, line, st, arr, n, left);
}
