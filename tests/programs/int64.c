/* int64.c — differential test: 64-bit arithmetic on rv32 (mul, div, mod,
 * shifts via libgcc helpers); the exit status is derived from the results. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static const int64_t vals[] = {
    0, 1, -1, 3, -3, 10, -10, 1000000007, -1000000007,
    INT64_C(0x100000000), INT64_C(-0x100000000), INT64_C(0x123456789abcdef),
    INT64_C(-0x123456789abcdef), INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN + 1,
    INT64_C(0x7fffffff80000000),
};
#define NVALS (sizeof vals / sizeof vals[0])

/* Keeps the compiler from folding the helpers away. */
static int64_t opaque(int64_t v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

int main(void)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned i = 0; i < NVALS; i++) {
        for (unsigned j = 0; j < NVALS; j++) {
            int64_t a = opaque(vals[i]), b = opaque(vals[j]);
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            uint64_t prod = ua * ub;
            printf("%" PRId64 " %" PRId64 ": mul %" PRIx64, a, b, prod);
            if (b != 0) {
                printf(" div %" PRId64 " mod %" PRId64 " udiv %" PRIu64
                       " umod %" PRIu64, a / b, a % b, ua / ub, ua % ub);
                h = (h ^ (uint64_t)(a / b)) * 1099511628211ull;
                h = (h ^ (ua % ub)) * 1099511628211ull;
            }
            printf("\n");
            h = (h ^ prod) * 1099511628211ull;
        }
    }
    for (int s = 0; s < 64; s += 5) {
        int64_t x = opaque(INT64_C(-0x0123456789abcdef));
        uint64_t y = (uint64_t)opaque(INT64_C(0x0123456789abcdef));
        printf("shift %2d: sar %" PRId64 " shr %016" PRIx64 " shl %016" PRIx64
               "\n", s, x >> s, y >> s, y << s);
        h = (h ^ (uint64_t)(x >> s) ^ (y << s)) * 1099511628211ull;
    }
    /* An LCG over 64 bits, the classic consumer of __muldi3. */
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 1000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        x ^= x >> 17;
        h += x % 1000003;
    }
    printf("lcg %016" PRIx64 " hash %016" PRIx64 "\n", x, h);
    int status = (int)(h % 100) + 10;
    printf("exit %d\n", status);
    return status;
}
