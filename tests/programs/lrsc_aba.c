/* lrsc_aba.c — what kills an LR/SC reservation, on two harts.  In each
 * case hart 0 sets a word to 41 and reserves it (lr.w), hart 1 does one
 * thing, and hart 0 then tries sc.w of 42.  One line per case: did the SC
 * succeed, what the word holds.  The harts take turns through a flag
 * outside the reservation set, so the lines are the same on every run, in
 * either mode; what they say depends only on the reservation rules and
 * core.reservation_bytes (64 by default: "a store 8 bytes away" kills; 4:
 * it does not; 4096: "a store 64 bytes away" does too).  An SC that
 * compared values instead (QEMU) would succeed after the ABA cases.
 * Needs two harts (--cores 2). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "parsim.h"

/* The word, another word of its 64-byte set, a word of the next set;
 * 4 KiB-aligned, so that its largest reservation set starts here. */
static struct {
    volatile int32_t word;
    int32_t pad0;
    volatile int32_t near;          /* word + 8 */
    int32_t pad1[13];
    volatile int32_t far;           /* word + 64 */
} area __attribute__((aligned(4096)));

/* The harts' turns: in another 4 KiB block, outside every reservation
 * set of area, since hart 0 passes a turn between its LR and its SC (and
 * its own store into the set would kill the reservation). */
static atomic_uint turn __attribute__((aligned(4096)));

static const char *const what[] = {
    "nothing in between",
    "a load of the word",
    "a store 64 bytes away",
    "a store 8 bytes away",
    "a store of 50, then of 41",
    "amoadd +1, then amoadd -1",
    "an lr.w/sc.w writing 41",
};
#define NCASES (sizeof what / sizeof what[0])

static int failed[NCASES];
static int32_t after[NCASES];

static int32_t lr(volatile int32_t *p)
{
    int32_t v;
    __asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(p) : "memory");
    return v;
}

/* 0: it succeeded */
static int32_t sc(volatile int32_t *p, int32_t v)
{
    int32_t fail;
    __asm__ volatile("sc.w %0, %2, (%1)"
                     : "=&r"(fail) : "r"(p), "r"(v) : "memory");
    return fail;
}

static void amoadd(volatile int32_t *p, int32_t v)
{
    __asm__ volatile("amoadd.w zero, %1, (%0)" : : "r"(p), "r"(v) : "memory");
}

static void wait_turn(unsigned t)
{
    while (atomic_load_explicit(&turn, memory_order_acquire) != t)
        ;
}

static void pass_turn(unsigned t)
{
    atomic_store_explicit(&turn, t, memory_order_release);
}

static void other(unsigned k)
{
    switch (k) {
    case 1: (void)area.word; break;
    case 2: area.far = 7; break;
    case 3: area.near = 7; break;
    case 4: area.word = 50; area.word = 41; break;
    case 5: amoadd(&area.word, 1); amoadd(&area.word, -1); break;
    case 6: {
        int32_t v = lr(&area.word);
        if (sc(&area.word, v) != 0)
            printf("hart 1's own sc.w failed\n");
        break;
    }
    default: break;
    }
}

static void cases(unsigned rank, unsigned nranks, void *arg)
{
    (void)nranks;
    (void)arg;
    /* Each waits for the turn the other passes it, so neither passes
     * two turns in a row. */
    for (unsigned k = 0; k < NCASES; k++) {
        if (rank == 0) {
            area.word = 41;
            (void)lr(&area.word);
            pass_turn(2 * k + 1);
            wait_turn(2 * k + 2);
            failed[k] = sc(&area.word, 42) != 0;
            after[k] = area.word;
        } else if (rank == 1) {
            wait_turn(2 * k + 1);
            other(k);
            pass_turn(2 * k + 2);
        }
    }
}

int main(void)
{
    if (num_harts() < 2) {
        printf("lrsc_aba: needs 2 harts (--cores 2)\n");
        return 1;
    }
    if (parsim_spmd_n(2, cases, NULL) != 2) {
        printf("lrsc_aba: could not start hart 1\n");
        return 1;
    }
    for (unsigned k = 0; k < NCASES; k++)
        printf("%-28s sc.w %s, word %d\n", what[k],
               failed[k] ? "fails" : "succeeds", (int)after[k]);
    return 0;
}
