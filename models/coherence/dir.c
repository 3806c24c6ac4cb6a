/* dir.c — the directory: an entry per line at its home (full bit-vector
 * of sharers, the owner, the directory state), and the directory
 * organisation's transaction.
 *
 *   request  core -> home (GETS, GETX, UPGRADE); the home takes one
 *            request per line at a time (a busy line's requests wait, or
 *            are NACKed), looks the line up (dir_latency), and does what
 *            its cell says: data from its LLC slice or memory, a forward
 *            (FWD) to the owner, who sends the DATA, a GRANT for an
 *            upgrade, INV to every other copy, each of which ACKs to the
 *            requester.  The requester's line is transient until the last
 *            of those arrives; then the access completes.
 *   eviction PUTS (clean) or PUTX (dirty, with the line).
 */
#include "models/coherence/engine.h"

#include <stdlib.h>
#include <string.h>

/* ---- the table ------------------------------------------------------------------ */

bool coh_dir_init(Dir *d, unsigned shift, unsigned key_bits)
{
    unsigned bits = key_bits > shift ? key_bits - shift : 0;
    *d = (Dir){.shift = shift,
               .top_bits = bits > DIR_CHUNK_BITS ? bits - DIR_CHUNK_BITS : 0,
               .first = UINT32_MAX};
    d->chunk = calloc((size_t)1 << d->top_bits, sizeof *d->chunk);
    return d->chunk != NULL;
}

void coh_dir_free(Dir *d)
{
    if (!d->chunk)
        return;
    for (size_t i = 0; i < (size_t)1 << d->top_bits; i++)
        free(d->chunk[i]);
    free(d->chunk);
    d->chunk = NULL;
}

DirEntry *coh_dir_get(Dir *d, uint32_t key)
{
    uint32_t i = key >> d->shift;
    DirEntry **c = &d->chunk[i >> DIR_CHUNK_BITS];
    if (__builtin_expect(!*c, 0)) {
        /* Aligned: an entry's first 64 bytes are one host cache line. */
        if (!(*c = aligned_alloc(_Alignof(DirEntry),
                                 DIR_CHUNK * sizeof **c)))
            return NULL;
        memset(*c, 0, DIR_CHUNK * sizeof **c);
        uint32_t k = i >> DIR_CHUNK_BITS;
        if (k < d->first)
            d->first = k;
        if (k > d->last)
            d->last = k;
    }
    DirEntry *e = &(*c)[i & (DIR_CHUNK - 1)];
    if (__builtin_expect(!e->line, 0)) {
        e->line = key;
        e->owner = -1;
        e->state = DIR_I;
        d->used++;
    }
    return e;
}

const DirEntry *coh_dir_find(const Dir *d, uint32_t key)
{
    uint32_t i = key >> d->shift;
    const DirEntry *c = d->chunk[i >> DIR_CHUNK_BITS];
    const DirEntry *e = c ? &c[i & (DIR_CHUNK - 1)] : NULL;
    return e && e->line ? e : NULL;
}

DirEntry *coh_dir_next(const Dir *d, size_t *i)
{
    if (d->first == UINT32_MAX)
        return NULL;
    size_t end = ((size_t)d->last + 1) << DIR_CHUNK_BITS;
    if (*i < (size_t)d->first << DIR_CHUNK_BITS)
        *i = (size_t)d->first << DIR_CHUNK_BITS;
    while (*i < end) {
        DirEntry *c = d->chunk[*i >> DIR_CHUNK_BITS];
        if (!c) {
            *i = ((*i >> DIR_CHUNK_BITS) + 1) << DIR_CHUNK_BITS;
            continue;
        }
        DirEntry *e = &c[*i & (DIR_CHUNK - 1)];
        ++*i;
        if (e->line)
            return e;
    }
    return NULL;
}

/* ---- the directory's bookkeeping ------------------------------------------------ */

void coh_dir_apply(MemSys *m, DirEntry *e, CohCell c, uint32_t core)
{
    (void)m;
    uint64_t me = 1ull << core;
    if (c.actions & DA_OWNER) {
        e->sharers = me;
        e->owner = (int16_t)core;
    }
    if (c.actions & DA_SHARER) {
        if (!(c.actions & DA_KEEP))
            e->owner = -1;            /* the owner is a sharer now */
        e->sharers |= me;
    }
    if (c.actions & DA_DROP) {
        e->sharers &= ~me;
        if (e->owner == (int)core)
            e->owner = -1;
    }
    e->state = c.next;
}

/* ---- the requester's side ------------------------------------------------------- */

uint64_t coh_requester_arrivals(MemSys *m, uint32_t core, uint32_t line,
                                uint8_t st, Arrival *a, uint32_t n)
{
    /* Time order; at the same cycle data, then grants, then acks. */
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && (a[j - 1].at > a[j].at ||
                                       (a[j - 1].at == a[j].at &&
                                        a[j - 1].kind > a[j].kind)); j--) {
            Arrival x = a[j];
            a[j] = a[j - 1];
            a[j - 1] = x;
        }
    uint64_t done = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool last = i + 1 == n;
        CohEvent ev;
        switch (a[i].kind) {
        case ARR_DATA_S: ev = CEV_DATA_S; break;
        case ARR_DATA_E: ev = CEV_DATA_E; break;
        case ARR_DATA: ev = last ? CEV_DATA_ALL : CEV_DATA; break;
        case ARR_GRANT: ev = last ? CEV_GRANT_ALL : CEV_GRANT; break;
        default: ev = last ? CEV_LAST_ACK : CEV_ACK; break;
        }
        CohCell c = cache_cell(m, core, st, ev);
        if (c.next == COH_NONE) {
            coh_impossible(m, "a reply reached the requester", line, core, st,
                           ev);
            return a[i].at;
        }
        st = c.next;
        if (c.actions & CA_DONE)
            done = a[i].at;
        coh_pend_add(m, core, line, ev, a[i].at);
    }
    if (!done && !m->slice.error[0])
        snprintf(m->slice.error, sizeof m->slice.error,
                 "coherence: core %u's request for line 0x%08x never "
                 "completes (it ends in %s)", core, line, coh_state_names[st]);
    return done;
}

/* The request as the home takes it, by the requester's state when it
 * does: an UPGRADE from a core whose copy has been invalidated since is a
 * GETX (the requester is IM_AD by then). */
CohDirEvent coh_request_of(uint8_t st)
{
    return st == COH_IS_D ? DEV_GETS : st == COH_IM_AD ? DEV_GETX
                                                       : DEV_UPGRADE;
}

/* The copies of the line other than the requester's, settled up to t. */
void coh_settle_copies(MemSys *m, const DirEntry *e, uint32_t core,
                       uint32_t line, uint64_t t)
{
    uint64_t who = e->sharers | 1ull << core;
    if (e->owner >= 0)
        who |= 1ull << e->owner;
    for (uint32_t s = 0; who; s++, who >>= 1)
        if (who & 1) {
            coh_core_lock(m, s);          /* npend too is the core's */
            if (m->core[s].npend)
                coh_settle_line(m, s, line, t);
            coh_core_unlock(m, s);
        }
}

/* ---- the transaction ---------------------------------------------------------- */

uint64_t coh_transaction_end(MemSys *m, DirEntry *e, CohCell dc, uint32_t core,
                             uint32_t line, uint8_t st, Arrival *arr,
                             uint32_t n, uint64_t left)
{
    uint64_t done = coh_requester_arrivals(m, core, line, st, arr, n);
    /* The next request for this line is taken once this one is done; a
     * read the home serves from a shared line changes no ownership, and
     * the home is free again once the data has left it. */
    bool read = arr && n && (arr[0].kind == ARR_DATA_S ||
                             arr[0].kind == ARR_DATA_E);
    e->busy_until = read && (dc.actions & DA_MEM) && !(dc.actions & DA_OWNER)
                        ? left : done;
    coh_dir_apply(m, e, dc, core);
    if (m->check_each)
        coh_check_line(m, e, line, done);
    return done;
}

uint64_t coh_dir_transaction(MemSys *m, DirEntry *e, uint32_t core,
                             uint32_t line, CohMsg req, uint64_t t)
{
    uint32_t home = coh_home_of(m, line, core);
    uint32_t me = core_router(m, core), hr = node_router(m, home);
    uint32_t l1 = m->cfg.l1d_latency;
    uint64_t t1 = coh_home_take(m, e, home, core, req,
                            coh_send(m, req, me, hr, line, t)) +
                  m->cfg.dir_latency;

    /* What reached the copies before the home took the request: a copy
     * the requester was upgrading may have been invalidated meanwhile
     * (SM_AD + Inv -> IM_AD), and the home then sends it data. */
    coh_settle_copies(m, e, core, line, t1);
    uint8_t st = coh_private_state(m, core, line);
    CohDirEvent dev = coh_request_of(st);
    if (m->check_each && !coh_check_line(m, e, line, t1))
        return t1;

    CohCell dc = dir_cell(m, e->state, dev);
    if (dc.next == COH_NONE) {
        coh_impossible(m, "a request at the home", line, core, e->state,
                       100 + dev);
        return t1;
    }
    Arrival arr[2 + 64];
    uint32_t n = 0;
    int owner = e->owner >= 0 && (uint32_t)e->owner != core ? e->owner : -1;
    bool read = dev == DEV_GETS;
    uint64_t left = t1;          /* when the home's data left it */

    if (dc.actions & DA_MEM) {
        uint64_t ready = coh_home_data(m, home, line, t1);
        left = ready;
        arr[n++] = (Arrival){coh_send(m, MSG_DATA, hr, me, line, ready),
                             read ? (dc.actions & DA_EXCL ? ARR_DATA_E
                                                          : ARR_DATA_S)
                                  : ARR_DATA};
    }
    if ((dc.actions & DA_FWD) && owner >= 0) {
        uint32_t orr = core_router(m, (uint32_t)owner);
        uint64_t t2 = coh_send(m, MSG_FWD, hr, orr, line, t1);
        CohCell oc = coh_remote_event(m, (uint32_t)owner, line,
                                  read ? CEV_FWD_GETS : CEV_FWD_GETX, t2);
        if (oc.actions & CA_WB) {
            coh_send(m, MSG_WB, orr, hr, line, t2 + l1);
            coh_home_writeback(m, home, line, t2 + l1);
        }
        if (oc.actions & CA_DATA) {
            arr[n++] = (Arrival){coh_send(m, MSG_DATA, orr, me, line, t2 + l1),
                                 read ? ARR_DATA_S : ARR_DATA};
            e->transfers++;
        }
        if (!read)
            e->invalidations++;    /* the owner's copy is taken */
    }
    if (dc.actions & DA_GRANT)
        arr[n++] = (Arrival){coh_send(m, MSG_GRANT, hr, me, line, t1), ARR_GRANT};
    if (dc.actions & DA_INV) {
        uint64_t others = e->sharers & ~(1ull << core);
        if (e->owner >= 0 && (uint32_t)e->owner != core)
            others |= 1ull << e->owner;
        for (uint32_t s = 0; s < m->cfg.cores; s++) {
            if (!((others >> s) & 1))
                continue;
            if ((int)s == owner && (dc.actions & DA_FWD))
                continue;             /* the forward took its copy */
            e->invalidations++;
            uint32_t sr = core_router(m, s);
            uint64_t ti = coh_send(m, MSG_INV, hr, sr, line, t1);
            CohCell sc = coh_remote_event(m, s, line, CEV_INV, ti);
            if (sc.actions & CA_ACK)
                arr[n++] = (Arrival){coh_send(m, MSG_ACK, sr, me, line, ti + l1),
                                     ARR_ACK};
        }
    }
    return coh_transaction_end(m, e, dc, core, line, st, arr, n, left);
}
