/* float_ops.c — differential test: single-precision F instructions (arith,
 * fma, min/max, compares, conversions at the edges, classify, flags,
 * rounding modes with nearbyintf/lrintf). */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float frombits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Conversions and instructions whose C spelling is undefined or would be
 * folded are written in asm so the emulated instruction itself runs. */
#define FOP2(name, insn)                                                     \
    static float name(float a, float b)                                      \
    {                                                                        \
        float r;                                                             \
        __asm__ volatile(insn " %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));     \
        return r;                                                            \
    }
FOP2(fadd_, "fadd.s")
FOP2(fsub_, "fsub.s")
FOP2(fmul_, "fmul.s")
FOP2(fdiv_, "fdiv.s")
FOP2(fmin_, "fmin.s")
FOP2(fmax_, "fmax.s")
FOP2(fsgnj_, "fsgnj.s")
FOP2(fsgnjn_, "fsgnjn.s")
FOP2(fsgnjx_, "fsgnjx.s")

#define FCMP(name, insn)                                                     \
    static int name(float a, float b)                                        \
    {                                                                        \
        int r;                                                               \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "f"(a), "f"(b));     \
        return r;                                                            \
    }
FCMP(feq_, "feq.s")
FCMP(flt_, "flt.s")
FCMP(fle_, "fle.s")

static float fsqrt_(float a)
{
    float r;
    __asm__ volatile("fsqrt.s %0, %1" : "=f"(r) : "f"(a));
    return r;
}
static int32_t fcvt_w_(float a)
{
    int32_t r;
    __asm__ volatile("fcvt.w.s %0, %1, rtz" : "=r"(r) : "f"(a));
    return r;
}
static uint32_t fcvt_wu_(float a)
{
    uint32_t r;
    __asm__ volatile("fcvt.wu.s %0, %1, rtz" : "=r"(r) : "f"(a));
    return r;
}
static int32_t fcvt_w_dyn(float a)
{
    int32_t r;
    __asm__ volatile("fcvt.w.s %0, %1, dyn" : "=r"(r) : "f"(a));
    return r;
}
static unsigned fclass_(float a)
{
    unsigned r;
    __asm__ volatile("fclass.s %0, %1" : "=r"(r) : "f"(a));
    return r;
}
static unsigned fflags_swap(unsigned v)
{
    unsigned old;
    __asm__ volatile("fsflags %0, %1" : "=r"(old) : "r"(v));
    return old;
}

static const uint32_t edge[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000,
    0xbfc00000, 0x4f000000, 0x4effffff, 0xcf000000, 0xcf000001, 0x4f800000,
    0x7f7fffff, 0x00800000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000,
    0x7fc00000, 0x7f800001, 0xffc12345, 0x3eaaaaab, 0x49742400,
};
#define NEDGE (sizeof edge / sizeof edge[0])

int main(void)
{
    fflags_swap(0);
    for (unsigned i = 0; i < NEDGE; i++) {
        float a = frombits(edge[i]);
        unsigned f0 = fflags_swap(0);
        (void)f0;
        int w = (int)fcvt_w_(a);
        unsigned fw = fflags_swap(0);
        unsigned wu = (unsigned)fcvt_wu_(a);
        unsigned fwu = fflags_swap(0);
        float s = fsqrt_(a);
        unsigned fs = fflags_swap(0);
        printf("%08x %-14.7g class %03x w %d/%x wu %u/%x sqrt %08x/%x\n",
               (unsigned)edge[i], (double)a, fclass_(a), w, fw, wu, fwu,
               (unsigned)fbits(s), fs);
    }
    /* Every pair through the binary ops, with the flags each one raised. */
    uint32_t h = 0;
    for (unsigned i = 0; i < NEDGE; i++) {
        for (unsigned j = 0; j < NEDGE; j++) {
            float a = frombits(edge[i]), b = frombits(edge[j]);
            uint32_t r[9];
            unsigned fl[9];
            r[0] = fbits(fadd_(a, b)); fl[0] = fflags_swap(0);
            r[1] = fbits(fsub_(a, b)); fl[1] = fflags_swap(0);
            r[2] = fbits(fmul_(a, b)); fl[2] = fflags_swap(0);
            r[3] = fbits(fdiv_(a, b)); fl[3] = fflags_swap(0);
            r[4] = fbits(fmin_(a, b)); fl[4] = fflags_swap(0);
            r[5] = fbits(fmax_(a, b)); fl[5] = fflags_swap(0);
            r[6] = fbits(fsgnj_(a, b));
            r[7] = fbits(fsgnjn_(a, b));
            r[8] = fbits(fsgnjx_(a, b)); fl[6] = fflags_swap(0);
            int c = feq_(a, b) | flt_(a, b) << 1 | fle_(a, b) << 2;
            unsigned fc = fflags_swap(0);
            printf("%08x %08x:", (unsigned)edge[i], (unsigned)edge[j]);
            for (int k = 0; k < 6; k++)
                printf(" %08x/%x", (unsigned)r[k], fl[k]);
            printf(" sg %08x %08x %08x/%x cmp %d/%x\n", (unsigned)r[6],
                   (unsigned)r[7], (unsigned)r[8], fl[6], c, fc);
            for (int k = 0; k < 9; k++)
                h = (h ^ r[k]) * 16777619u;
        }
    }
    /* Fused multiply-add: one rounding, visible where a*b+c cancels. */
    volatile float x = 1.0f + FLT_EPSILON, y = 1.0f - FLT_EPSILON;
    volatile float prod = x * y; /* rounded apart: no contraction */
    printf("fma %a %a %a\n", (double)fmaf(x, y, -1.0f),
           (double)(prod - 1.0f), (double)fmaf(3.0f, 1e-8f, 1.0f));
    printf("fmin/fmax %g %g %g %g\n", (double)fminf(NAN, 2.0f),
           (double)fmaxf(-0.0f, 0.0f), (double)fminf(-0.0f, 0.0f),
           (double)fmaxf(1.0f, NAN));
    /* Rounding modes: the dynamic mode in frm drives nearbyint/lrint and
     * the dyn conversions. */
    static const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD,
                                FE_UPWARD};
    static const char *const names[] = {"nearest", "zero", "down", "up"};
    static const float ins[] = {2.5f, 3.5f, -2.5f, -0.5f, 1.25f, -7.75f};
    for (int m = 0; m < 4; m++) {
        if (fesetround(modes[m]) != 0) {
            printf("fesetround %s failed\n", names[m]);
            continue;
        }
        printf("%-7s round=%d:", names[m], fegetround() == modes[m]);
        for (unsigned k = 0; k < sizeof ins / sizeof ins[0]; k++) {
            volatile float v = ins[k];
            printf(" %g/%ld/%d", (double)nearbyintf(v), lrintf(v),
                   (int)fcvt_w_dyn(v));
        }
        volatile float third = 1.0f, three = 3.0f;
        printf(" 1/3=%08x\n", (unsigned)fbits(fdiv_(third, three)));
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    volatile float z = 0.0f;
    volatile float q = 1.0f / z;
    printf("div0 %g flags %d %d\n", (double)q, fetestexcept(FE_DIVBYZERO) != 0,
           fetestexcept(FE_INEXACT) != 0);
    /* Integer to float conversions round in the current mode. */
    volatile int32_t big = 16777217;
    volatile uint32_t ubig = 4294967295u;
    printf("i2f %08x %08x\n", (unsigned)fbits((float)big),
           (unsigned)fbits((float)ubig));
    printf("hash %08x\n", (unsigned)h);
    return 0;
}
