/* fuzz_isa.c — libFuzzer target: the decoder, the RVC expander and the
 * disassembler (isa/isa.h) on every 16- and 32-bit word of the input.
 *
 * The input is code: each halfword at an even offset is decoded as a
 * compressed instruction and each 32-bit word at an even offset as a
 * full one, and both are disassembled, legal or not.  Besides "no
 * crash, no UB", it checks what the header promises: a compressed word
 * decodes exactly as its expansion does, a decoded op's match/mask fit
 * the word, registers are 5-bit, an illegal word comes back as
 * ISA_OP_ILLEGAL with its raw bits and length, and the disassembly is a
 * NUL-terminated string of the returned length whose truncation into a
 * smaller buffer (of exactly that size, so ASan sees any write past it)
 * is a prefix of the whole.
 */
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "tests/fuzz/fuzz.h"

/* Branch targets: no symbol, a short name, or one longer than the
 * disassembly buffer. */
static bool fake_sym(void *ctx, uint32_t addr, const char **name,
                     uint32_t *offset)
{
    static char long_name[300];
    (void)ctx;
    if (!long_name[0])
        memset(long_name, 'x', sizeof long_name - 1);
    switch (addr >> 2 & 3) {
    case 0: return false;
    case 1: *name = "main"; break;
    case 2: *name = ""; break;
    default: *name = long_name; break;
    }
    *offset = addr & 0x1c;
    return true;
}

static void check_decoded(const IsaInsn *in, bool ok, uint32_t raw,
                          uint32_t w32)
{
    unsigned len = (raw & 3) == 3 ? 4 : 2;
    FUZZ_CHECK(in->len == len, "raw 0x%08x: len %u", raw, in->len);
    FUZZ_CHECK(in->raw == (len == 4 ? raw : (raw & 0xffff)),
               "raw 0x%08x: raw field 0x%08x", raw, in->raw);
    if (!ok) {
        FUZZ_CHECK(in->op == ISA_OP_ILLEGAL, "raw 0x%08x: illegal with op %u",
                   raw, in->op);
        return;
    }
    FUZZ_CHECK(in->op > ISA_OP_ILLEGAL && in->op < ISA_OP_COUNT,
               "raw 0x%08x: op %u", raw, in->op);
    const IsaOpInfo *info = &isa_op_info[in->op];
    FUZZ_CHECK((w32 & info->mask) == info->match,
               "raw 0x%08x (as 0x%08x) decoded as %s", raw, w32, info->name);
    FUZZ_CHECK(in->cls == info->cls, "raw 0x%08x: class %u", raw, in->cls);
    FUZZ_CHECK(in->rd < 32 && in->rs1 < 32 && in->rs2 < 32 && in->rs3 < 32,
               "raw 0x%08x: register out of range", raw);
}

static void check_disasm(const IsaInsn *in, uint32_t pc, size_t small)
{
    char full[256];
    int n = isa_disasm(in, pc, full, sizeof full, fake_sym, NULL);
    FUZZ_CHECK(n >= 0 && (size_t)n == strlen(full) && (size_t)n < sizeof full,
               "raw 0x%08x: returned %d for \"%s\"", in->raw, n, full);
    char *buf = malloc(small ? small : 1);
    if (!buf)
        abort();
    int m = isa_disasm(in, pc, small ? buf : NULL, small, fake_sym, NULL);
    if (small) {
        size_t want = (size_t)n < small ? (size_t)n : small - 1;
        FUZZ_CHECK((size_t)m == want && strlen(buf) == want &&
                       memcmp(buf, full, want) == 0,
                   "raw 0x%08x: \"%s\" in %zu bytes is not a prefix of "
                   "\"%s\"", in->raw, buf, small, full);
    } else {
        FUZZ_CHECK(m == 0, "raw 0x%08x: %d bytes into no buffer", in->raw, m);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i + 2 <= size; i += 2) {
        uint32_t pc = 0x80000000u + (uint32_t)i;
        size_t small = (i / 2) % 41;            /* 0 (no buffer) .. 40 */

        uint16_t c = (uint16_t)(data[i] | data[i + 1] << 8);
        IsaInsn h;
        bool ok = isa_decode(c, &h);
        if ((c & 3) != 3) {
            uint32_t w = isa_rvc_expand(c);
            FUZZ_CHECK(w == 0 || (w & 3) == 3, "c 0x%04x expands to 0x%08x",
                       c, w);
            IsaInsn e;
            bool eok = w && isa_decode(w, &e);
            FUZZ_CHECK(ok == eok, "c 0x%04x: %d, its expansion 0x%08x: %d", c,
                       ok, w, eok);
            check_decoded(&h, ok, c, w);
            if (ok)
                FUZZ_CHECK(h.op == e.op && h.rd == e.rd && h.rs1 == e.rs1 &&
                               h.rs2 == e.rs2 && h.rs3 == e.rs3 &&
                               h.rm == e.rm && h.imm == e.imm &&
                               h.cls == e.cls,
                           "c 0x%04x decodes unlike its expansion 0x%08x", c,
                           w);
        } else {
            FUZZ_CHECK(isa_rvc_expand(c) == 0, "0x%04x is not compressed", c);
        }
        check_disasm(&h, pc, small);

        if (i + 4 <= size) {
            uint32_t w = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
                         (uint32_t)data[i + 2] << 16 |
                         (uint32_t)data[i + 3] << 24;
            IsaInsn in;
            ok = isa_decode(w, &in);
            if ((w & 3) == 3) {
                check_decoded(&in, ok, w, w);
                check_disasm(&in, pc, small);
            }
        }
    }
    return 0;
}
