/* fpu.c — the RV32F single-precision extension (everything but flw/fsw):
 * arithmetic, fused multiply-add, conversions, sign injection, min/max,
 * compares, moves and fclass, with fflags exactly as the F spec (v2.2)
 * says: five rounding modes (RMM included), dynamic frm, canonical NaN,
 * tininess detected after rounding, saturating float-to-int conversions.
 *
 * How the arithmetic is exact without a soft-float library and without
 * touching the host's floating-point environment: for single-precision
 * operands every exact result x (of +, -, *, /, sqrt, fma) lies well
 * inside double's normal range, so the host computes d = x rounded to
 * double (round-to-nearest) and, with one more exact step, the sign of
 * the error x - d (a product of two floats is exact; TwoSum gives the
 * error of a sum; fma gives the exact remainder of a quotient or a square
 * root).  d with that sign is a 54-bit round-to-odd significand, which is
 * enough (>= 2*24+2 bits) to round correctly to single precision in any
 * mode; round_pack() does that rounding in integers and derives NX, UF and
 * OF from it.  NV and DZ come from classifying the operands.  So results
 * do not depend on the host's rounding mode support, its NaN payload
 * rules, or its tininess convention (x86 and Arm differ there); they only
 * need IEEE double evaluated as double, round-to-nearest (the process
 * default, which the rest of the emulator relies on too) and a correctly
 * rounded fma() (C11 F.10.10.1).
 */
#include "isa/isa.h"

#include <float.h>
#include <math.h>
#include <string.h>

#if FLT_EVAL_METHOD != 0
#error "fpu.c needs double arithmetic evaluated in double precision"
#endif

/* Rounding-mode field values (F spec, table "rounding mode encoding"). */
enum { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7 };

#define SIGN      0x80000000u
#define EXP_MASK  0x7f800000u
#define FRAC_MASK 0x007fffffu
#define QUIET_BIT 0x00400000u
#define CANON_NAN 0x7fc00000u
#define INF       0x7f800000u
#define MAX_FIN   0x7f7fffffu

/* ---- Bit-level helpers --------------------------------------------------- */

static float f32(uint32_t b)
{
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

static uint64_t dbits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static bool is_nan(uint32_t a) { return (a & ~SIGN) > INF; }
static bool is_snan(uint32_t a) { return is_nan(a) && !(a & QUIET_BIT); }
static bool is_inf(uint32_t a) { return (a & ~SIGN) == INF; }
static bool is_zero(uint32_t a) { return (a & ~SIGN) == 0; }

/* -1, 0 or +1 */
static int sgn(double d) { return (d > 0) - (d < 0); }

/* ---- Rounding ------------------------------------------------------------ */

/* Whether magnitude q, with rem left over out of a unit of 2*half, rounds
 * up (away from zero) in mode rm. */
static bool round_up(uint64_t q, uint64_t rem, uint64_t half, bool neg,
                     unsigned rm)
{
    switch (rm) {
    case RNE: return rem > half || (rem == half && (q & 1));
    case RTZ: return false;
    case RDN: return neg && rem != 0;
    case RUP: return !neg && rem != 0;
    default:  return rem >= half;                   /* RMM: ties away */
    }
}

/* The result of an overflow: infinity, or the largest finite number when
 * the mode rounds towards zero for this sign. */
static uint32_t overflow(bool neg, unsigned rm, unsigned *fl)
{
    bool to_inf = rm == RNE || rm == RMM || (rm == RUP && !neg) ||
                  (rm == RDN && neg);
    *fl |= ISA_FFLAG_OF | ISA_FFLAG_NX;
    return (neg ? SIGN : 0) | (to_inf ? INF : MAX_FIN);
}

/* Round (-1)^neg * sig * 2^exp to single precision (sig != 0).  Bits of
 * sig more than 26 places below its leading one matter only as "nonzero",
 * so sig may carry a round-to-odd sticky bit. */
static uint32_t round_pack(bool neg, int exp, uint64_t sig, unsigned rm,
                           unsigned *fl)
{
    /* Leading one to bit 62: bit 63 stays free for the rounding carry. */
    if (sig >> 63) {
        sig = (sig >> 1) | (sig & 1);
        exp++;
    }
    int lz = __builtin_clzll(sig) - 1;  /* sig != 0 */
    sig <<= lz;
    exp -= lz;
    int e = exp + 62;                   /* value = 1.xxx * 2^e */
    uint32_t s = neg ? SIGN : 0;

    /* Tininess after rounding (as RISC-V and IEEE 754 option b): would the
     * result, rounded to 24 bits with an unbounded exponent, be below
     * 2^-126?  Only e == -127 can round up out of the tiny range. */
    bool tiny = e < -126;
    if (e == -127) {
        uint64_t q = sig >> 39, rem = sig & ((1ull << 39) - 1);
        q += round_up(q, rem, 1ull << 38, neg, rm);
        tiny = !(q >> 24);
    }

    /* 39 bits go for a normal result, more for a subnormal one. */
    int shift = 39 + (e < -126 ? -126 - e : 0);
    if (shift > 63) {
        /* Less than half the smallest subnormal: only stickiness is left. */
        sig = 1;
        shift = 63;
    }
    uint64_t q = sig >> shift, rem = sig & ((1ull << shift) - 1);
    uint64_t half = 1ull << (shift - 1);
    if (rem) {
        *fl |= ISA_FFLAG_NX;
        if (tiny)
            *fl |= ISA_FFLAG_UF;
    }
    q += round_up(q, rem, half, neg, rm);

    if (e < -126)                       /* subnormal; 2^23 is 2^-126 */
        return s | (uint32_t)q;
    if (q >> 24) {                      /* rounded up to the next binade */
        q >>= 1;
        e++;
    }
    if (e > 127)
        return overflow(neg, rm, fl);
    return s | (uint32_t)(e + 127) << 23 | ((uint32_t)q & FRAC_MASK);
}

/* Round x = d + err to single precision, where d (finite, nonzero, a
 * normal double) is x rounded to nearest double and err is the sign of
 * x - d: the double's significand doubled, plus or minus one when x lies
 * beyond or short of d, is x in round-to-odd form. */
static uint32_t round_double(double d, int err, unsigned rm, unsigned *fl)
{
    uint64_t b = dbits(d);
    bool neg = b >> 63;
    int be = (int)(b >> 52 & 0x7ff);
    uint64_t m = (b & ((1ull << 52) - 1)) | (1ull << 52);
    int away = neg ? -err : err;        /* > 0: |x| > |d| */
    uint64_t sig = 2 * m;
    if (away > 0)
        sig++;
    else if (away < 0)
        sig--;
    return round_pack(neg, be - 1075 - 1, sig, rm, fl);
}

/* Error of s = x + y (round to nearest): x + y - s exactly (Knuth's
 * TwoSum; separate statements so nothing is contracted). */
static double two_sum_err(double x, double y, double s)
{
    double yy = s - x;
    double xx = s - yy;
    double ey = y - yy;
    double ex = x - xx;
    return ex + ey;
}

/* Sign of an exactly zero sum x + y: IEEE 754 6.3 — the sign both addends
 * share, otherwise +0 except -0 when rounding down. */
static uint32_t zero_sum(double x, double y, double s, unsigned rm)
{
    if (rm == RDN)
        return (dbits(x) == 0 && dbits(y) == 0) ? 0 : SIGN;
    return signbit(s) ? SIGN : 0;
}

/* ---- Arithmetic ---------------------------------------------------------- */

/* NaN operands: the canonical NaN, invalid if any is signalling. */
static uint32_t nan_result(uint32_t a, uint32_t b, uint32_t c, unsigned *fl)
{
    if (is_snan(a) || is_snan(b) || is_snan(c))
        *fl |= ISA_FFLAG_NV;
    return CANON_NAN;
}

static uint32_t invalid(unsigned *fl)
{
    *fl |= ISA_FFLAG_NV;
    return CANON_NAN;
}

static uint32_t fadd(uint32_t a, uint32_t b, unsigned rm, unsigned *fl)
{
    if (is_nan(a) || is_nan(b))
        return nan_result(a, b, 0, fl);
    if (is_inf(a) && is_inf(b))
        return ((a ^ b) & SIGN) ? invalid(fl) : a;
    if (is_inf(a))
        return a;
    if (is_inf(b))
        return b;
    double x = f32(a), y = f32(b);
    double s = x + y;
    if (s == 0)
        return zero_sum(x, y, s, rm);
    return round_double(s, sgn(two_sum_err(x, y, s)), rm, fl);
}

static uint32_t fmul(uint32_t a, uint32_t b, unsigned rm, unsigned *fl)
{
    if (is_nan(a) || is_nan(b))
        return nan_result(a, b, 0, fl);
    uint32_t s = (a ^ b) & SIGN;
    if (is_inf(a) || is_inf(b))
        return (is_zero(a) || is_zero(b)) ? invalid(fl) : s | INF;
    if (is_zero(a) || is_zero(b))
        return s;
    double p = (double)f32(a) * (double)f32(b);   /* 48 bits: exact */
    return round_double(p, 0, rm, fl);
}

static uint32_t fdiv(uint32_t a, uint32_t b, unsigned rm, unsigned *fl)
{
    if (is_nan(a) || is_nan(b))
        return nan_result(a, b, 0, fl);
    uint32_t s = (a ^ b) & SIGN;
    if (is_inf(a))
        return is_inf(b) ? invalid(fl) : s | INF;
    if (is_inf(b))
        return s;
    if (is_zero(b)) {
        if (is_zero(a))
            return invalid(fl);
        *fl |= ISA_FFLAG_DZ;
        return s | INF;
    }
    if (is_zero(a))
        return s;
    double x = f32(a), y = f32(b);
    double q = x / y;
    /* x - q*y is exact in double here; its sign and y's give the side of
     * q the true quotient lies on. */
    double r = fma(-q, y, x);
    return round_double(q, sgn(r) * sgn(y), rm, fl);
}

static uint32_t fsqrt(uint32_t a, unsigned rm, unsigned *fl)
{
    if (is_nan(a))
        return nan_result(a, 0, 0, fl);
    if (is_zero(a))
        return a;                       /* sqrt(-0) is -0 */
    if (a & SIGN)
        return invalid(fl);
    if (is_inf(a))
        return a;
    double x = f32(a);
    double s = sqrt(x);
    double r = fma(-s, s, x);           /* x - s^2, exact */
    return round_double(s, sgn(r), rm, fl);
}

/* a*b + c with one rounding; the fmsub/fnm* forms negate a and/or c
 * first, as Spike and QEMU do, which decides the sign of exact zeros. */
static uint32_t ffma(uint32_t a, uint32_t b, uint32_t c, unsigned rm,
                     unsigned *fl)
{
    /* The spec requires NV for inf*0 even when c is a quiet NaN. */
    if ((is_inf(a) && is_zero(b)) || (is_zero(a) && is_inf(b)))
        return invalid(fl);
    if (is_nan(a) || is_nan(b) || is_nan(c))
        return nan_result(a, b, c, fl);
    uint32_t ps = (a ^ b) & SIGN;
    if (is_inf(a) || is_inf(b)) {
        if (is_inf(c) && (c & SIGN) != ps)
            return invalid(fl);
        return ps | INF;
    }
    if (is_inf(c))
        return c;
    double p = (double)f32(a) * (double)f32(b);   /* exact */
    double z = f32(c);
    double s = p + z;
    if (s == 0)
        return zero_sum(p, z, s, rm);
    return round_double(s, sgn(two_sum_err(p, z, s)), rm, fl);
}

/* ---- Conversions --------------------------------------------------------- */

/* fcvt.w.s / fcvt.wu.s: round per rm, saturate, NV (not NX) when the
 * rounded value does not fit or the input is NaN or infinite. */
static uint32_t cvt_f2i(uint32_t a, bool uns, unsigned rm, unsigned *fl)
{
    bool neg = a >> 31;
    uint32_t be = (a >> 23) & 0xff;
    uint64_t sig = a & FRAC_MASK;
    uint32_t max = uns ? 0xffffffffu : 0x7fffffffu;
    uint32_t min = uns ? 0 : 0x80000000u;

    if (be == 0xff) {
        *fl |= ISA_FFLAG_NV;
        return (sig || !neg) ? max : min;       /* NaN counts as +big */
    }
    if (be == 0 && sig == 0)
        return 0;
    if (be)
        sig |= 1u << 23;
    int e = (be ? (int)be : 1) - 150;           /* |a| = sig * 2^e */

    uint64_t mag;
    bool inexact = false;
    if (e > 8) {
        mag = UINT64_MAX;                       /* >= 2^32: out of range */
    } else if (e >= 0) {
        mag = sig << e;
    } else {
        int sh = -e;
        if (sh > 40) {                          /* |a| < 2^-16: sticky only */
            sig = 1;
            sh = 40;
        }
        uint64_t q = sig >> sh, rem = sig & ((1ull << sh) - 1);
        inexact = rem != 0;
        mag = q + round_up(q, rem, 1ull << (sh - 1), neg, rm);
    }

    bool fits = !neg ? mag <= max : uns ? mag == 0 : mag <= 0x80000000u;
    if (!fits) {
        *fl |= ISA_FFLAG_NV;
        return neg ? min : max;
    }
    if (inexact)
        *fl |= ISA_FFLAG_NX;
    return neg ? 0u - (uint32_t)mag : (uint32_t)mag;
}

/* fcvt.s.w / fcvt.s.wu */
static uint32_t cvt_i2f(uint32_t v, bool uns, unsigned rm, unsigned *fl)
{
    bool neg = !uns && (v >> 31);
    uint32_t mag = neg ? 0u - v : v;
    if (mag == 0)
        return 0;
    return round_pack(neg, 0, mag, rm, fl);
}

/* ---- Sign injection, min/max, compares, class ---------------------------- */

/* Maps non-NaN bit patterns to unsigned integers in numeric order, -0 just
 * below +0 (which fmin/fmax want; the compares treat zeros apart). */
static uint32_t order_key(uint32_t a)
{
    return (a & SIGN) ? ~a : a | SIGN;
}

static uint32_t fminmax(uint32_t a, uint32_t b, bool max, unsigned *fl)
{
    if (is_snan(a) || is_snan(b))
        *fl |= ISA_FFLAG_NV;
    if (is_nan(a) && is_nan(b))
        return CANON_NAN;
    if (is_nan(a))
        return b;
    if (is_nan(b))
        return a;
    bool a_less = order_key(a) < order_key(b);
    return (a_less != max) ? a : b;
}

/* feq (quiet: NV only for sNaN), flt and fle (signalling: NV for any
 * NaN); false whenever an operand is NaN. */
static uint32_t fcmp(uint32_t a, uint32_t b, unsigned op, unsigned *fl)
{
    if (is_nan(a) || is_nan(b)) {
        if (op != ISA_OP_feq_s || is_snan(a) || is_snan(b))
            *fl |= ISA_FFLAG_NV;
        return 0;
    }
    if (is_zero(a) && is_zero(b))
        return op != ISA_OP_flt_s;
    uint32_t ka = order_key(a), kb = order_key(b);
    switch (op) {
    case ISA_OP_feq_s: return ka == kb;
    case ISA_OP_flt_s: return ka < kb;
    default:           return ka <= kb;
    }
}

/* fclass: one of ten bits, -inf (bit 0) up to quiet NaN (bit 9). */
static uint32_t fclass(uint32_t a)
{
    bool neg = a >> 31;
    uint32_t be = (a >> 23) & 0xff, frac = a & FRAC_MASK;
    if (is_nan(a))
        return (a & QUIET_BIT) ? 1u << 9 : 1u << 8;
    if (be == 0xff)
        return neg ? 1u << 0 : 1u << 7;
    if (be == 0 && frac == 0)
        return neg ? 1u << 3 : 1u << 4;
    if (be == 0)
        return neg ? 1u << 2 : 1u << 5;
    return neg ? 1u << 1 : 1u << 6;
}

/* ---- Dispatch ------------------------------------------------------------ */

static bool uses_rm(unsigned op)
{
    switch (op) {
    case ISA_OP_fadd_s: case ISA_OP_fsub_s: case ISA_OP_fmul_s:
    case ISA_OP_fdiv_s: case ISA_OP_fsqrt_s:
    case ISA_OP_fmadd_s: case ISA_OP_fmsub_s:
    case ISA_OP_fnmsub_s: case ISA_OP_fnmadd_s:
    case ISA_OP_fcvt_w_s: case ISA_OP_fcvt_wu_s:
    case ISA_OP_fcvt_s_w: case ISA_OP_fcvt_s_wu:
        return true;
    default:
        return false;
    }
}

static void set_x(IsaHart *h, unsigned rd, uint32_t v)
{
    if (rd != 0)
        h->x[rd] = v;
}

bool isa_fp_exec(IsaHart *h, const IsaInsn *in)
{
    uint32_t a = h->f[in->rs1 & 31], b = h->f[in->rs2 & 31];
    uint32_t c = h->f[in->rs3 & 31], xa = h->x[in->rs1 & 31];
    unsigned rd = in->rd & 31, rm = in->rm, fl = 0;

    if (uses_rm(in->op)) {
        if (rm == DYN)
            rm = (h->fcsr >> 5) & 7;
        if (rm > RMM)
            return false;               /* reserved rounding mode */
    }

    switch (in->op) {
    case ISA_OP_fadd_s:    h->f[rd] = fadd(a, b, rm, &fl); break;
    case ISA_OP_fsub_s:    h->f[rd] = fadd(a, b ^ SIGN, rm, &fl); break;
    case ISA_OP_fmul_s:    h->f[rd] = fmul(a, b, rm, &fl); break;
    case ISA_OP_fdiv_s:    h->f[rd] = fdiv(a, b, rm, &fl); break;
    case ISA_OP_fsqrt_s:   h->f[rd] = fsqrt(a, rm, &fl); break;
    case ISA_OP_fmadd_s:   h->f[rd] = ffma(a, b, c, rm, &fl); break;
    case ISA_OP_fmsub_s:   h->f[rd] = ffma(a, b, c ^ SIGN, rm, &fl); break;
    case ISA_OP_fnmsub_s:  h->f[rd] = ffma(a ^ SIGN, b, c, rm, &fl); break;
    case ISA_OP_fnmadd_s:
        h->f[rd] = ffma(a ^ SIGN, b, c ^ SIGN, rm, &fl);
        break;
    case ISA_OP_fsgnj_s:   h->f[rd] = (a & ~SIGN) | (b & SIGN); break;
    case ISA_OP_fsgnjn_s:  h->f[rd] = (a & ~SIGN) | (~b & SIGN); break;
    case ISA_OP_fsgnjx_s:  h->f[rd] = a ^ (b & SIGN); break;
    case ISA_OP_fmin_s:    h->f[rd] = fminmax(a, b, false, &fl); break;
    case ISA_OP_fmax_s:    h->f[rd] = fminmax(a, b, true, &fl); break;
    case ISA_OP_fcvt_w_s:  set_x(h, rd, cvt_f2i(a, false, rm, &fl)); break;
    case ISA_OP_fcvt_wu_s: set_x(h, rd, cvt_f2i(a, true, rm, &fl)); break;
    case ISA_OP_fcvt_s_w:  h->f[rd] = cvt_i2f(xa, false, rm, &fl); break;
    case ISA_OP_fcvt_s_wu: h->f[rd] = cvt_i2f(xa, true, rm, &fl); break;
    case ISA_OP_fmv_x_w:   set_x(h, rd, a); break;
    case ISA_OP_fmv_w_x:   h->f[rd] = xa; break;
    case ISA_OP_feq_s: case ISA_OP_flt_s: case ISA_OP_fle_s:
        set_x(h, rd, fcmp(a, b, in->op, &fl));
        break;
    case ISA_OP_fclass_s:  set_x(h, rd, fclass(a)); break;
    default:
        return false;                   /* not an op this unit executes */
    }
    h->fcsr |= fl;
    return true;
}
