/* events.c — per-hart event buffers and their delivery (see events.h). */
#include "sim/events.h"

#include <stdlib.h>
#include <string.h>

const char *const sim_ev_kind_names[SIM_EV_KIND_COUNT] = {
    "access", "msg_send", "msg_recv", "link", "lock", "hart", "roi", "sample",
    "mp_call", "mp_send", "mp_recv", "gpu_kernel", "gpu_block", "gpu_warp",
    "coh",
};  /* ORDER SimEvKind */

const char *const sim_ev_hart_state_names[SIM_EVH_STATE_COUNT] = {
    "running", "spinning", "blocked", "halted",
};  /* ORDER SimEvHartState */

/* A buffer delivers at this many events (deterministic mode), so that a
 * listener sees a hart's events soon and memory stays bounded. */
#define BUF_EVENTS 4096u

_Static_assert(sizeof(SimEvBuf) % 64 == 0, "aligned_alloc needs a multiple");

bool sim_ev_init(SimEvBus *b, uint32_t nharts)
{
    memset(b, 0, sizeof *b);
    b->nharts = nharts;
    b->sample_period = 10000;
    /* Each hart's buffer on a line of its own (parallel mode: harts on
     * different host threads); calloc does not promise 64 bytes. */
    size_t n = (nharts ? nharts : 1) * sizeof *b->buf;
    b->buf = aligned_alloc(64, n);
    if (b->buf)
        memset(b->buf, 0, n);
    return b->buf != NULL;
}

void sim_ev_free(SimEvBus *b)
{
    for (uint32_t i = 0; b->buf && i < b->nharts; i++)
        free(b->buf[i].ev);
    free(b->buf);
    memset(b, 0, sizeof *b);
}

static void recompute_mask(SimEvBus *b)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < b->nlisteners; i++)
        m |= b->listener[i].mask;
    b->mask = m;
    if (b->changed)
        b->changed(b->changed_ctx, m);
}

bool sim_ev_listen(SimEvBus *b, uint32_t mask, SimEvListener fn, void *ctx)
{
    if (b->nlisteners == SIM_EV_MAX_LISTENERS)
        return false;
    b->listener[b->nlisteners].fn = fn;
    b->listener[b->nlisteners].ctx = ctx;
    b->listener[b->nlisteners].mask = mask & SIM_EV_ALL;
    b->nlisteners++;
    recompute_mask(b);
    return true;
}

void sim_ev_unlisten(SimEvBus *b, SimEvListener fn, void *ctx)
{
    sim_ev_deliver(b);
    for (uint32_t i = 0; i < b->nlisteners; i++)
        if (b->listener[i].fn == fn && b->listener[i].ctx == ctx) {
            memmove(&b->listener[i], &b->listener[i + 1],
                    (b->nlisteners - i - 1) * sizeof b->listener[0]);
            b->nlisteners--;
            break;
        }
    recompute_mask(b);
}

/* Hand one hart's events to each listener, in runs of the kinds it asked
 * for. */
static void deliver_buf(SimEvBus *b, SimEvBuf *q)
{
    for (uint32_t l = 0; l < b->nlisteners; l++) {
        uint32_t mask = b->listener[l].mask;
        uint32_t i = 0;
        while (i < q->n) {
            while (i < q->n && !((mask >> q->ev[i].kind) & 1))
                i++;
            uint32_t j = i;
            while (j < q->n && ((mask >> q->ev[j].kind) & 1))
                j++;
            if (j > i)
                b->listener[l].fn(b->listener[l].ctx, q->ev + i, j - i);
            i = j;
        }
    }
    q->n = 0;
}

void sim_ev_push(SimEvBus *b, const SimEvent *e)
{
    if (e->hart >= b->nharts)
        return;
    SimEvBuf *q = &b->buf[e->hart];
    if (q->n == q->cap) {
        if (!b->grow && q->cap >= BUF_EVENTS) {
            deliver_buf(b, q);
        } else {
            uint32_t cap = q->cap ? q->cap * 2 : 256;
            SimEvent *n = realloc(q->ev, cap * sizeof *n);
            if (!n) {
                deliver_buf(b, q);       /* lose nothing: deliver early */
                if (!q->cap)
                    return;
            } else {
                q->ev = n;
                q->cap = cap;
            }
        }
    }
    q->ev[q->n++] = *e;
}

uint32_t sim_ev_new_id(SimEvBus *b)
{
    return __atomic_add_fetch(&b->next_id, 1, __ATOMIC_RELAXED);
}

void sim_ev_deliver(SimEvBus *b)
{
    if (!b->buf)
        return;
    for (uint32_t i = 0; i < b->nharts; i++)
        if (b->buf[i].n)
            deliver_buf(b, &b->buf[i]);
}
