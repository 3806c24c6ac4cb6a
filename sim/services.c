/* services.c — the simulator services a program reaches by ecall
 * (programs/runtime/parsim_ecall.h): number of harts, topology, a
 * futex-like wait/wake, and the lock annotations behind the per-lock
 * statistics (message passing's services are in mp.c).  In a machine of
 * ranks each rank's node is a machine of its own to these: its harts,
 * its addresses.
 *
 * Everything here runs under m->lock, so in parallel mode a WAKE on one
 * host thread and a WAIT on another see one order.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/machine_priv.h"
#include "sim/gpu.h"

enum { A0 = 10, A1 = 11, A2 = 12, A6 = 16, A7 = 17 };

void sim_hart_event(SimMachine *m, const SimHart *h, uint64_t cycle,
                    SimEvHartState st, uint32_t addr)
{
    if (sim_ev_on(&m->ev, SIM_EV_HART))
        sim_ev_push(&m->ev, &(SimEvent){
            .cycle = cycle, .end = cycle, .hart = h->isa.hartid,
            .addr = addr, .kind = SIM_EV_HART, .what = (uint8_t)st});
}

/* ORDER PARSIM_KIND: the name the statistics and the window use, and
 * how a message says it. */
const SimLockKind sim_lock_kinds[PARSIM_KIND_COUNT] = {
    {"other", "lock"},
    {"tas", "test-and-set lock"},
    {"ttas", "TTAS lock"},
    {"ttas_backoff", "TTAS+backoff lock"},
    {"ticket", "ticket lock"},
    {"array", "array lock"},
    {"mcs", "MCS lock"},
    {"mutex", "mutex"},
    {"recursive_mutex", "recursive mutex"},
    {"semaphore", "semaphore"},
    {"condvar", "condition variable"},
    {"barrier", "barrier"},
    {"event", "event"},
};

SimLock *sim_lock_find(const SimMachine *m, uint32_t rank, uint32_t addr)
{
    for (size_t i = 0; i < m->nlocks; i++)
        if (m->locks[i].addr == addr && m->locks[i].rank == rank)
            return &m->locks[i];
    return NULL;
}

static SimLock *lock_get(SimMachine *m, uint32_t rank, uint32_t addr,
                         uint32_t kind)
{
    SimLock *l = sim_lock_find(m, rank, addr);
    if (l)
        return l;
    if (m->nlocks == m->locks_cap) {
        size_t cap = m->locks_cap ? m->locks_cap * 2 : 16;
        SimLock *n = realloc(m->locks, cap * sizeof *n);
        if (!n)
            return NULL;
        m->locks = n;
        m->locks_cap = cap;
    }
    l = &m->locks[m->nlocks++];
    memset(l, 0, sizeof *l);
    l->addr = addr;
    l->rank = rank;
    l->kind = kind < PARSIM_KIND_COUNT ? kind : PARSIM_KIND_OTHER;
    l->holder = -1;
    l->last_core = -1;
    return l;
}

static void wait_call(SimMachine *m, SimHart *h)
{
    uint32_t addr = h->isa.x[A0], expected = h->isa.x[A1];
    uint8_t *p = (addr & 3) ? NULL : isa_mem_ptr(sim_hart_mem(h), addr, 4);
    if (!p) {
        h->isa.x[A0] = (uint32_t)PARSIM_ERR_INVALID_ADDRESS;
        return;
    }
    uint32_t now = __atomic_load_n((uint32_t *)(void *)p, __ATOMIC_ACQUIRE);
    h->isa.x[A0] = PARSIM_OK;
    if (now != expected) {
        h->isa.x[A1] = 1;
        return;
    }
    h->isa.x[A1] = 0;
    h->wait_addr = addr;
    h->wait_since = h->isa.cycle;
    h->wait_seq = m->wait_seq++;
    sim_hart_event(m, h, h->isa.cycle, SIM_EVH_BLOCKED, addr);
    (void)sim_hart_stop_running(h, SIM_HART_WAITING);
}

static void wake_call(SimMachine *m, SimHart *h)
{
    uint32_t addr = h->isa.x[A0], max = h->isa.x[A1];
    uint32_t woken = 0;
    uint64_t at = h->isa.cycle + m->cfg.wake_latency;
    while (woken < max) {
        /* The longest waiter on addr goes first. */
        SimHart *first = NULL;
        for (uint32_t i = 0; i < m->nharts; i++) {
            SimHart *w = &m->harts[i];
            if (__atomic_load_n(&w->state, __ATOMIC_ACQUIRE) ==
                    SIM_HART_WAITING &&
                w->wait_addr == addr && w->rank == h->rank &&
                (!first || w->wait_seq < first->wait_seq))
                first = w;
        }
        if (!first)
            break;
        if (first->isa.cycle < at) {
            first->st.blocked += at - first->isa.cycle;
            first->isa.cycle = at;
        }
        /* Into its buffer before it can run again (its own host thread
         * may take it as soon as it is runnable). */
        sim_hart_event(m, first, first->isa.cycle,
                   first->trying ? SIM_EVH_SPINNING : SIM_EVH_RUNNING,
                   first->trying ? first->lock_addr : 0);
        sim_hart_runnable(m, first);
        woken++;
    }
    h->st.wakes_sent += woken;
    h->isa.x[A0] = PARSIM_OK;
    h->isa.x[A1] = woken;
}

static void lock_note(SimMachine *m, SimHart *h)
{
    uint32_t addr = h->isa.x[A0], event = h->isa.x[A1], kind = h->isa.x[A2];
    uint64_t now = h->isa.cycle;
    SimLock *l = lock_get(m, h->rank, addr, kind);
    if (!l || event > PARSIM_LOCK_RELEASED) {
        h->isa.x[A0] = (uint32_t)PARSIM_ERR_INVALID_PARAM;
        return;
    }
    if (sim_ev_on(&m->ev, SIM_EV_LOCK))
        sim_ev_push(&m->ev, &(SimEvent){
            .cycle = now, .end = now, .hart = h->isa.hartid, .addr = addr,
            .kind = SIM_EV_LOCK, .what = (uint8_t)event,
            .result = (uint8_t)l->kind});
    switch (event) {
    case PARSIM_LOCK_TRY:
        sim_hart_event(m, h, now, SIM_EVH_SPINNING, addr);
        h->trying = true;
        h->lock_addr = addr;
        h->lock_since = now;
        h->lock_blocked0 = h->st.blocked;
        break;
    case PARSIM_LOCK_ACQUIRED: {
        uint64_t wait = h->trying && h->lock_addr == addr
                            ? now - h->lock_since : 0;
        uint64_t blocked = h->trying ? h->st.blocked - h->lock_blocked0 : 0;
        if (h->trying)
            sim_hart_event(m, h, now, SIM_EVH_RUNNING, 0);
        h->trying = false;
        h->st.spin += wait > blocked ? wait - blocked : 0;
        h->st.acquisitions++;
        l->acquisitions++;
        l->wait_total += wait;
        if (wait > l->wait_max)
            l->wait_max = wait;
        if (l->last_core >= 0 && (uint32_t)l->last_core != h->core)
            l->handoffs++;
        l->holder = (int)h->isa.hartid;
        l->held_since = now;
        m->holds[m->hold_next] = (SimHold){(uint16_t)(l - m->locks),
                                           (uint16_t)h->isa.hartid, now,
                                           UINT64_MAX};
        m->hold_next = (m->hold_next + 1) % SIM_HOLDS;
        if (m->nholds < SIM_HOLDS)
            m->nholds++;
        break;
    }
    case PARSIM_LOCK_RELEASED:
        if (l->holder >= 0)
            l->hold_total += now - l->held_since;
        l->holder = -1;
        l->last_core = (int)h->core;
        l->releases++;
        /* Close this lock's newest open hold. */
        for (uint32_t i = 0; i < m->nholds; i++) {
            SimHold *x = &m->holds[(m->hold_next + SIM_HOLDS - 1 - i) %
                                   SIM_HOLDS];
            if (x->lock == (uint16_t)(l - m->locks) && x->to == UINT64_MAX) {
                x->to = now;
                break;
            }
        }
        break;
    }
    h->isa.x[A0] = PARSIM_OK;
}

/* The region of interest begins or ends.  With several host threads the
 * other harts are running: the counters are recorded at the next barrier,
 * where all have stopped (so the region's edges are within a quantum). */
static void roi_call(SimMachine *m, SimHart *h)
{
    uint32_t what = h->isa.x[A0];
    if (what > PARSIM_ROI_END) {
        h->isa.x[A0] = (uint32_t)PARSIM_ERR_INVALID_PARAM;
        return;
    }
    bool begin = what == PARSIM_ROI_BEGIN;
    if (sim_ev_on(&m->ev, SIM_EV_ROI))
        sim_ev_push(&m->ev, &(SimEvent){
            .cycle = h->isa.cycle, .end = h->isa.cycle, .hart = h->isa.hartid,
            .kind = SIM_EV_ROI, .what = (uint8_t)what});
    if (m->cfg.mode == SIM_MODE_PARALLEL && m->cfg.host_threads > 1) {
        m->roi.pending = begin;
        m->roi.pending_cycle = h->isa.cycle;
    } else {
        sim_roi_mark(m, begin, h->isa.cycle);
    }
    h->isa.x[A0] = PARSIM_OK;
    h->isa.x[A1] = (uint32_t)m->roi.regions;
}

bool sim_service_call(SimMachine *m, SimHart *h, char *err, size_t errlen)
{
    IsaHart *x = &h->isa;
    if (x->x[A7] != PARSIM_EID) {
        snprintf(err, errlen, "no service with a7 = 0x%x (parsim's services "
                 "use a7 = 0x%x, see parsim_ecall.h)", x->x[A7], PARSIM_EID);
        return false;
    }
    uint32_t fn = x->x[A6];
    pthread_mutex_lock(&m->lock);
    switch (fn) {
    case PARSIM_FN_NUM_HARTS:         /* a rank's node is its machine */
        x->x[A0] = PARSIM_OK;
        x->x[A1] = m->harts_per_rank;
        break;
    case PARSIM_FN_TOPOLOGY:
        x->x[A0] = PARSIM_OK;
        x->x[A1] = m->harts_per_rank / m->cfg.threads_per_core;
        x->x[A2] = m->cfg.threads_per_core;
        break;
    case PARSIM_FN_WAIT:
        wait_call(m, h);
        break;
    case PARSIM_FN_WAKE:
        wake_call(m, h);
        break;
    case PARSIM_FN_LOCK_NOTE:
        lock_note(m, h);
        break;
    case PARSIM_FN_ROI:
        roi_call(m, h);
        break;
    case PARSIM_FN_MEMORY: {
        const IsaMem *mem = sim_hart_mem(h);
        x->x[A0] = PARSIM_OK;
        x->x[A1] = mem->base + mem->size;
        x->x[A2] = m->cfg.stack_size;
        break;
    }
    default:
        if (fn >= PARSIM_FN_GPU_LAUNCH && fn <= PARSIM_FN_GPU_INFO) {
            bool ok = sim_gpu_service(m, h, fn, err, errlen);
            pthread_mutex_unlock(&m->lock);
            return ok;
        }
        if (fn >= PARSIM_FN_MP_INFO && fn <= PARSIM_FN_MP_ERROR) {
            bool ok = sim_mp_service(m, h, fn, err, errlen);
            pthread_mutex_unlock(&m->lock);
            return ok;
        }
        pthread_mutex_unlock(&m->lock);
        snprintf(err, errlen, "unknown parsim service %u (a6)", fn);
        return false;
    }
    pthread_mutex_unlock(&m->lock);
    return true;
}
