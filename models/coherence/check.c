/* check.c — the invariant checker (coherence.check, --check-coherence):
 * at every transaction, one writer or many readers for the line; the
 * directory's sharers and owner agreeing with the private caches; at the
 * end of the run, no line left transient.  A violation stops the run
 * with the line, the cores and the last messages; so does a cell the
 * tables say cannot happen (whether or not the checker is on). */
#include "models/coherence/engine.h"

#include <inttypes.h>
#include <string.h>

/* The last messages, oldest first, appended to m->slice.error. */
static void last_messages(MemSys *m)
{
    char *err = m->slice.error;
    const size_t cap = sizeof m->slice.error;
    size_t k = strlen(err);
    k += (size_t)snprintf(err + k, cap - k, "; last messages:");
    uint32_t n = m->log_next < COH_LOG ? m->log_next : COH_LOG;
    for (uint32_t i = n > 6 ? n - 6 : 0; i < n && k < cap; i++) {
        const MsgLog *l = &m->log[(m->log_next - n + i) % COH_LOG];
        k += (size_t)snprintf(err + k, cap - k,
                              " %s 0x%08x r%u->r%u @%" PRIu64,
                              coh_msg_names[l->type], l->line, l->from,
                              l->to, l->at);
    }
}

void coh_impossible(MemSys *m, const char *where, uint32_t line,
                    uint32_t core, uint8_t st, int ev)
{
    if (m->slice.error[0])
        return;
    bool dir = ev >= 100;
    snprintf(m->slice.error, sizeof m->slice.error,
             "coherence: %s: %s %s has no cell for (%s, %s) (line 0x%08x, "
             "core %u)", where, m->proto->name, dir ? "directory" : "cache",
             dir ? coh_dir_state_names[st] : coh_state_names[st],
             dir ? coh_dir_event_names[ev - 100] : coh_event_names[ev], line,
             core);
    last_messages(m);
}

bool coh_check_line(MemSys *m, const DirEntry *e, uint32_t line, uint64_t t)
{
    int writer = -1, owner = -1;
    uint32_t writers = 0, owners = 0, valid = 0;
    char why[200] = "";
    for (uint32_t c = 0; c < m->cfg.cores; c++) {
        uint8_t st = coh_stable_of(coh_state_at(m, c, line, t));
        if (!coh_valid(st))
            continue;
        valid++;
        if (st == COH_E || st == COH_M) {
            writers++;
            writer = (int)c;
        }
        if (st == COH_O) {
            owners++;
            owner = (int)c;
        }
        if (!(e->sharers >> c & 1) && !why[0])
            snprintf(why, sizeof why, "core %u holds it %s but the directory "
                     "does not list it", c, coh_state_names[st]);
        if ((st == COH_E || st == COH_M || st == COH_O) && e->owner != (int)c &&
            !why[0])
            snprintf(why, sizeof why, "core %u holds it %s but the directory's "
                     "owner is %d", c, coh_state_names[st], e->owner);
    }
    if (writers > 1 || (writers == 1 && valid > 1))
        snprintf(why, sizeof why, "%u copies while core %d holds it %s",
                 valid, writer,
                 coh_state_names[coh_stable_of(coh_state_at(m, (uint32_t)writer,
                                                        line, t))]);
    else if (owners > 1)
        snprintf(why, sizeof why, "%u owners (O), one of them core %d",
                 owners, owner);
    if (!why[0])
        return true;
    if (!m->slice.error[0]) {
        char *err = m->slice.error;
        const size_t cap = sizeof m->slice.error;
        size_t k = (size_t)snprintf(err, cap,
                                    "coherence violated at cycle %" PRIu64
                                    ": line 0x%08x: %s; copies:", t, line,
                                    why);
        for (uint32_t c = 0; c < m->cfg.cores && k < cap; c++) {
            uint8_t st = coh_state_at(m, c, line, t);
            if (st != COH_I)
                k += (size_t)snprintf(err + k, cap - k, " core %u %s", c,
                                      coh_state_names[st]);
        }
        last_messages(m);
    }
    return false;
}

bool memsys_check_end(MemSys *m, char *err, size_t errlen)
{
    if (!m->slice.error[0]) {
        for (uint32_t c = 0; c < m->cfg.cores; c++)
            coh_settle(m, c, UINT64_MAX);
        size_t i = 0;
        DirEntry *e;
        while (!m->slice.error[0] && (e = coh_dir_next(&m->dir, &i))) {
            uint32_t line = e->line & ~1u;
            for (uint32_t c = 0; c < m->cfg.cores; c++) {
                uint8_t st = coh_private_state(m, c, line);
                if (coh_is_transient(st)) {
                    snprintf(m->slice.error, sizeof m->slice.error,
                             "coherence: the run ended with line 0x%08x "
                             "transient (%s) at core %u", line,
                             coh_state_names[st], c);
                    last_messages(m);
                    break;
                }
            }
            if (!m->slice.error[0])
                coh_check_line(m, e, line, UINT64_MAX);
        }
    }
    if (!m->slice.error[0])
        return true;
    snprintf(err, errlen, "%s", m->slice.error);
    return false;
}
