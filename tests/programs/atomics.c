/* atomics.c — differential test: C11 <stdatomic.h> on one hart (AMO
 * fetch-ops, LR/SC compare-exchange loops, exchange, flags, fences) and
 * the raw lr.w/sc.w and amo*.w instructions with their return values.
 * (Sub-word and 64-bit atomics need libatomic, which the toolchain lacks.) */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static atomic_int counter;
static atomic_uint bits;
static atomic_flag flag = ATOMIC_FLAG_INIT;
static int32_t word = 1000;

#define AMO(name)                                                            \
    static int32_t name##_(int32_t *p, int32_t v)                             \
    {                                                                        \
        int32_t old;                                                         \
        __asm__ volatile(#name ".w %0, %2, (%1)"                             \
                         : "=r"(old) : "r"(p), "r"(v) : "memory");           \
        return old;                                                          \
    }
AMO(amoswap)
AMO(amoadd)
AMO(amoxor)
AMO(amoand)
AMO(amoor)
AMO(amomin)
AMO(amomax)
AMO(amominu)
AMO(amomaxu)

/* A store-conditional after a matching load-reserved on one hart with no
 * intervening store succeeds (0); one without a reservation fails
 * (non-zero) on QEMU and on parsim. */
static int lr_sc(int32_t *p, int32_t v, int32_t *seen)
{
    int32_t old, fail;
    __asm__ volatile("lr.w %0, (%2)\n\tsc.w %1, %3, (%2)"
                     : "=&r"(old), "=&r"(fail) : "r"(p), "r"(v) : "memory");
    *seen = old;
    return fail;
}

int main(void)
{
    for (int i = 0; i < 1000; i++)
        atomic_fetch_add(&counter, i);
    int prev = atomic_fetch_sub_explicit(&counter, 500, memory_order_relaxed);
    printf("fetch_add total %d, prev %d, now %d\n", prev, prev,
           atomic_load(&counter));
    atomic_store(&bits, 0xf0f0u);
    unsigned o1 = atomic_fetch_or(&bits, 0x0f00u);
    unsigned o2 = atomic_fetch_and(&bits, 0xff0fu);
    unsigned o3 = atomic_fetch_xor(&bits, 0xffffu);
    printf("or %x and %x xor %x -> %x\n", o1, o2, o3, atomic_load(&bits));
    int expected = 7;
    int ok1 = atomic_compare_exchange_strong(&counter, &expected, 1);
    int seen = expected;
    expected = atomic_load(&counter);
    int ok2 = atomic_compare_exchange_strong(&counter, &expected, 1);
    printf("cas fail %d (saw %d) cas ok %d -> %d\n", ok1, seen, ok2,
           atomic_load(&counter));
    /* The classic CAS loop: multiply atomically. */
    int cur = atomic_load(&counter);
    for (int i = 0; i < 10; i++)
        while (!atomic_compare_exchange_weak(&counter, &cur, cur * 3 + i))
            ;
    printf("cas loop %d exchange %d\n", atomic_load(&counter),
           atomic_exchange(&counter, -5));
    int t1 = atomic_flag_test_and_set(&flag);
    int t2 = atomic_flag_test_and_set(&flag);
    atomic_flag_clear(&flag);
    int t3 = atomic_flag_test_and_set(&flag);
    atomic_thread_fence(memory_order_seq_cst);
    printf("flag %d %d %d lockfree %d\n", t1, t2, t3,
           (int)atomic_is_lock_free(&counter));

    int32_t r[9];
    r[0] = amoswap_(&word, -3);
    r[1] = amoadd_(&word, 10);
    r[2] = amoxor_(&word, 0x55);
    r[3] = amoand_(&word, 0xf3);
    r[4] = amoor_(&word, 0x100);
    r[5] = amomin_(&word, -20);
    r[6] = amomax_(&word, 5);
    r[7] = amominu_(&word, -1);
    r[8] = amomaxu_(&word, -2);
    printf("amo");
    for (int i = 0; i < 9; i++)
        printf(" %ld", (long)r[i]);
    printf(" -> %ld\n", (long)word);
    int32_t old;
    int fail = lr_sc(&word, 1234, &old);
    printf("lr/sc fail=%d old %ld now %ld\n", fail != 0, (long)old,
           (long)word);
    return 0;
}
