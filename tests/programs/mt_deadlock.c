/* mt_deadlock.c — a planted lock-order inversion that deadlocks every
 * time: hart 0 takes lock_a, waits until hart 1 holds lock_b, then wants
 * lock_b; hart 1 takes lock_b, says so, then wants lock_a.  Both block
 * (blocking mutexes wait on their address), so parsim reports a deadlock
 * naming harts 0 and 1 and locks lock_a and lock_b.  Run on 2 or more
 * harts; off parsim (QEMU) it spins forever. */
#include <stdio.h>

#include "parsim_sync.h"

mutex_t lock_a, lock_b;
static event_t b_taken;

static void *other(void *arg)
{
    (void)arg;
    mutex_lock(&lock_b);
    event_set(&b_taken);
    mutex_lock(&lock_a);            /* held by hart 0: blocks for ever */
    mutex_unlock(&lock_a);
    mutex_unlock(&lock_b);
    return NULL;
}

int main(void)
{
    parsim_thread_t t;
    /* lock_a first: were hart 1 started first, it could take both locks
     * and let them go before hart 0 got to lock_a (it does, now and
     * then, on several host threads). */
    mutex_lock(&lock_a);
    if (parsim_thread_create_on(&t, 1, other, NULL) != 0) {
        printf("mt_deadlock: needs 2 harts (parsim run --cores 2)\n");
        return 2;
    }
    event_wait(&b_taken);
    printf("mt_deadlock: hart 0 holds lock_a, hart 1 holds lock_b\n");
    mutex_lock(&lock_b);            /* held by hart 1: blocks for ever */
    printf("mt_deadlock: not reached\n");
    return 1;
}
