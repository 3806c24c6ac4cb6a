/* elf.c — RISC-V ELF32 loading (libelf), symbols, and source lines
 * (libdw).
 *
 * The whole file is read into memory first so that every offset and size
 * in its headers can be checked against the real file size before use: a
 * truncated or hostile ELF gets a message, never a crash.
 */
#include "sim/elf.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
/* e_flags bits of the RISC-V psABI */
#define RISCV_FLOAT_ABI_MASK   0x6
#define RISCV_FLOAT_ABI_DOUBLE 0x4
#define RISCV_FLOAT_ABI_QUAD   0x6
#define RISCV_RVE              0x8

typedef struct Segment {
    uint32_t paddr, filesz, memsz;
    size_t offset;
    bool writable;
} Segment;

struct SimProgram {
    char *path;
    uint8_t *image;
    size_t image_size;
    Elf *elf;
    Dwarf *dwarf;         /* NULL when there is no debug info */
    Dwarf_CFI *cfi;       /* call frame information, for backtraces */
    uint32_t entry;
    Segment *segs;
    size_t nsegs;
    SimSymbol *syms;      /* sorted by address */
    size_t nsyms;
    char *names;          /* storage for symbol names (cleaned) */
    /* Source file names with control bytes, cleaned: (libdw's, ours). */
    struct CleanName { const char *raw; char *clean; } *cleaned;
    size_t ncleaned;
};

/* Names from the ELF and its debug info reach the terminal in messages:
 * a control byte (an escape sequence could clear the screen or forge a
 * line) is copied as \xNN.  dst holds 4 x strlen(src) + 1; returns the
 * copy's length. */
static size_t clean_copy(char *dst, const char *src)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
        if (*s < 0x20 || *s == 0x7f) {
            dst[n++] = '\\';
            dst[n++] = 'x';
            dst[n++] = hex[*s >> 4];
            dst[n++] = hex[*s & 15];
        } else {
            dst[n++] = (char)*s;
        }
    }
    dst[n] = 0;
    return n;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static bool read_file(const char *path, uint8_t **data, size_t *size,
                      char *err, size_t errlen)
{
    /* Only a regular file: a directory, a FIFO or a device is not read
     * (a FIFO would block, a device never end). */
    struct stat st;
    if (stat(path, &st) != 0) {
        fail(err, errlen, "cannot open: %s", strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        fail(err, errlen, "cannot open: not a regular file (%s)",
             S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode)
             ? "a FIFO" : "a device or socket");
        return false;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, errlen, "cannot open: %s", strerror(errno));
        return false;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            fail(err, errlen, "out of memory");
            return false;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        uint8_t *nb = realloc(buf, cap);
        if (!nb)
            free(buf);
        buf = nb;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fail(err, errlen, "read error");
        return false;
    }
    *data = buf;
    *size = n;
    return true;
}

static int sym_cmp(const void *a, const void *b)
{
    const SimSymbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    /* Among symbols at one address, put functions and sized symbols last
     * so that a backward search from an address meets them first. */
    if (x->is_func != y->is_func)
        return x->is_func ? 1 : -1;
    if ((x->size != 0) != (y->size != 0))
        return x->size ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void load_symbols(SimProgram *p)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(p->elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
            sh.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data)
            continue;
        size_t count = sh.sh_size / sh.sh_entsize;
        size_t names_len = 0;
        for (size_t i = 0; i < count; i++) {
            GElf_Sym s;
            const char *nm;
            if (gelf_getsym(data, (int)i, &s) &&
                (nm = elf_strptr(p->elf, sh.sh_link, s.st_name)) != NULL)
                names_len += strlen(nm) + 1;
        }
        p->syms = calloc(count ? count : 1, sizeof *p->syms);
        /* A control byte becomes \xNN (four bytes) in the copy. */
        p->names = malloc(names_len ? 4 * names_len : 1);
        if (!p->syms || !p->names)
            return;
        char *w = p->names;
        for (size_t i = 0; i < count; i++) {
            GElf_Sym s;
            if (!gelf_getsym(data, (int)i, &s))
                continue;
            int type = GELF_ST_TYPE(s.st_info);
            if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
                continue;
            if (s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_ABS)
                continue;
            const char *nm = elf_strptr(p->elf, sh.sh_link, s.st_name);
            if (!nm || !*nm || nm[0] == '$' ||
                (nm[0] == '.' && nm[1] == 'L'))
                continue;
            size_t l = clean_copy(w, nm) + 1;
            p->syms[p->nsyms++] = (SimSymbol){
                .addr = (uint32_t)s.st_value, .size = (uint32_t)s.st_size,
                .name = w, .is_func = type == STT_FUNC};
            w += l;
        }
        qsort(p->syms, p->nsyms, sizeof *p->syms, sym_cmp);
        return;
    }
}

static bool check_header(SimProgram *p, char *err, size_t errlen)
{
    if (p->image_size < 4 || memcmp(p->image, ELFMAG, SELFMAG) != 0) {
        fail(err, errlen, "not an ELF file");
        return false;
    }
    if (p->image_size < EI_NIDENT || p->image[EI_CLASS] != ELFCLASS32) {
        fail(err, errlen, "not a 32-bit ELF (parsim runs RV32 programs)");
        return false;
    }
    if (p->image[EI_DATA] != ELFDATA2LSB) {
        fail(err, errlen, "not a little-endian ELF");
        return false;
    }
    if (p->image_size < sizeof(Elf32_Ehdr)) {
        fail(err, errlen, "truncated ELF header (%zu bytes)", p->image_size);
        return false;
    }
    p->elf = elf_memory((char *)p->image, p->image_size);
    GElf_Ehdr eh;
    if (!p->elf || !gelf_getehdr(p->elf, &eh)) {
        fail(err, errlen, "malformed ELF: %s", elf_errmsg(-1));
        return false;
    }
    if (eh.e_machine != EM_RISCV) {
        fail(err, errlen, "ELF for machine %u, not RISC-V (243)",
             (unsigned)eh.e_machine);
        return false;
    }
    if (eh.e_type != ET_EXEC) {
        fail(err, errlen, "not an executable (ELF type %u): link the program "
             "first, e.g. with parsim-cc", (unsigned)eh.e_type);
        return false;
    }
    if (eh.e_flags & RISCV_RVE) {
        fail(err, errlen, "built for RV32E; parsim implements RV32IMAFC");
        return false;
    }
    unsigned fabi = eh.e_flags & RISCV_FLOAT_ABI_MASK;
    if (fabi == RISCV_FLOAT_ABI_DOUBLE || fabi == RISCV_FLOAT_ABI_QUAD) {
        fail(err, errlen, "built for the %s float ABI; parsim implements "
             "RV32IMAFC (single precision): build with -march=rv32imafc "
             "-mabi=ilp32f (parsim-cc does)",
             fabi == RISCV_FLOAT_ABI_DOUBLE ? "double" : "quad");
        return false;
    }
    p->entry = (uint32_t)eh.e_entry;
    return true;
}

static bool read_segments(SimProgram *p, char *err, size_t errlen)
{
    size_t n;
    if (elf_getphdrnum(p->elf, &n) != 0) {
        fail(err, errlen, "malformed program headers: %s", elf_errmsg(-1));
        return false;
    }
    p->segs = calloc(n ? n : 1, sizeof *p->segs);
    if (!p->segs) {
        fail(err, errlen, "out of memory");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(p->elf, (int)i, &ph)) {
            fail(err, errlen, "program header %zu unreadable (truncated "
                 "file?): %s", i, elf_errmsg(-1));
            return false;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz) {
            fail(err, errlen, "segment %zu: file size 0x%llx larger than "
                 "memory size 0x%llx", i, (unsigned long long)ph.p_filesz,
                 (unsigned long long)ph.p_memsz);
            return false;
        }
        if (ph.p_offset > p->image_size ||
            ph.p_filesz > p->image_size - ph.p_offset) {
            fail(err, errlen, "segment %zu: bytes 0x%llx..0x%llx lie past "
                 "the end of the file (%zu bytes): truncated ELF", i,
                 (unsigned long long)ph.p_offset,
                 (unsigned long long)(ph.p_offset + ph.p_filesz),
                 p->image_size);
            return false;
        }
        p->segs[p->nsegs++] = (Segment){
            .paddr = (uint32_t)ph.p_paddr, .filesz = (uint32_t)ph.p_filesz,
            .memsz = (uint32_t)ph.p_memsz, .offset = (size_t)ph.p_offset,
            .writable = (ph.p_flags & PF_W) != 0};
    }
    if (p->nsegs == 0) {
        fail(err, errlen, "no loadable segments");
        return false;
    }
    /* Two segments loaded onto the same bytes: which one wins would be
     * the order of the program headers, not anything the program says. */
    for (size_t i = 0; i < p->nsegs; i++)
        for (size_t j = i + 1; j < p->nsegs; j++) {
            const Segment *a = &p->segs[i], *b = &p->segs[j];
            if ((uint64_t)a->paddr < (uint64_t)b->paddr + b->memsz &&
                (uint64_t)b->paddr < (uint64_t)a->paddr + a->memsz) {
                fail(err, errlen, "loadable segments at 0x%08x (%u bytes) "
                     "and 0x%08x (%u bytes) overlap", a->paddr, a->memsz,
                     b->paddr, b->memsz);
                return false;
            }
        }
    /* With C, instructions are 2-byte aligned: an odd entry point is no
     * instruction's address. */
    if (p->entry & 1) {
        fail(err, errlen, "entry point 0x%08x is odd: no instruction starts "
             "there", p->entry);
        return false;
    }
    return true;
}

SimProgram *sim_elf_open(const char *path, char *err, size_t errlen)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        fail(err, errlen, "libelf is out of date");
        return NULL;
    }
    SimProgram *p = calloc(1, sizeof *p);
    if (!p) {
        fail(err, errlen, "out of memory");
        return NULL;
    }
    p->path = strdup(path);
    if (!p->path || !read_file(path, &p->image, &p->image_size, err, errlen) ||
        !check_header(p, err, errlen) || !read_segments(p, err, errlen)) {
        if (!p->path)
            fail(err, errlen, "out of memory");
        sim_elf_close(p);
        return NULL;
    }
    load_symbols(p);
    /* Debug info is optional: without it messages name functions only. */
    p->dwarf = dwarf_begin_elf(p->elf, DWARF_C_READ, NULL);
    if (p->dwarf)
        p->cfi = dwarf_getcfi(p->dwarf);     /* .debug_frame, owned by it */
    return p;
}

void sim_elf_close(SimProgram *p)
{
    if (!p)
        return;
    if (p->dwarf)
        dwarf_end(p->dwarf);     /* frees the CFI too */
    if (p->elf)
        elf_end(p->elf);
    free(p->image);
    free(p->segs);
    free(p->syms);
    free(p->names);
    for (size_t i = 0; i < p->ncleaned; i++)
        free(p->cleaned[i].clean);
    free(p->cleaned);
    free(p->path);
    free(p);
}

bool sim_elf_load(const SimProgram *p, IsaMem *mem, char *err, size_t errlen)
{
    uint64_t ram_end = (uint64_t)mem->base + mem->size;
    for (size_t i = 0; i < p->nsegs; i++) {
        const Segment *s = &p->segs[i];
        uint64_t end = (uint64_t)s->paddr + s->memsz;
        if (s->paddr < mem->base || end > ram_end) {
            fail(err, errlen, "segment at 0x%08x..0x%08llx does not fit in "
                 "RAM 0x%08x..0x%08llx (%u MiB; see --ram-size)", s->paddr,
                 (unsigned long long)end - 1, mem->base,
                 (unsigned long long)ram_end - 1, mem->size >> 20);
            return false;
        }
        uint8_t *dst = isa_mem_ptr(mem, s->paddr, s->memsz);
        memcpy(dst, p->image + s->offset, s->filesz);   /* .bss: zero already */
    }
    if (!isa_mem_ptr(mem, p->entry, 2)) {
        fail(err, errlen, "entry point 0x%08x is outside RAM", p->entry);
        return false;
    }
    return true;
}

bool sim_elf_readonly(const SimProgram *p, uint32_t addr, uint32_t len)
{
    for (size_t i = 0; i < p->nsegs; i++) {
        const Segment *s = &p->segs[i];
        if (!s->writable && addr - s->paddr < s->memsz &&
            s->memsz - (addr - s->paddr) >= len)
            return true;
    }
    return false;
}

uint32_t sim_elf_entry(const SimProgram *p) { return p->entry; }
const char *sim_elf_path(const SimProgram *p) { return p->path; }

uint32_t sim_elf_top(const SimProgram *p)
{
    uint32_t top = 0;
    for (size_t i = 0; i < p->nsegs; i++)
        if (p->segs[i].paddr + p->segs[i].memsz > top)
            top = p->segs[i].paddr + p->segs[i].memsz;
    return top;
}

/* How many symbols lie at or below addr (binary search). */
static size_t symbols_upto(const SimProgram *p, uint32_t addr)
{
    size_t lo = 0, hi = p->nsyms;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->syms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const SimSymbol *sim_elf_symbol_at(const SimProgram *p, uint32_t addr)
{
    size_t lo = symbols_upto(p, addr);
    const SimSymbol *best = NULL;
    for (size_t i = lo; i-- > 0;) {
        const SimSymbol *s = &p->syms[i];
        bool inside = s->size ? addr - s->addr < s->size : addr == s->addr;
        if (inside && (!best || (s->is_func && !best->is_func)))
            best = s;
        /* Sized symbols can nest (a function inside a section symbol), so
         * keep looking a little; symbols far below cannot contain addr
         * unless they are huge, and the nearest one wins anyway. */
        if (best && s->addr < best->addr)
            break;
        if (lo - i > 64)
            break;
    }
    return best;
}

uint64_t sim_elf_next_symbol(const SimProgram *p, uint32_t addr)
{
    size_t i = symbols_upto(p, addr);
    return i < p->nsyms ? p->syms[i].addr : UINT64_MAX;
}

const SimSymbol *sim_elf_symbol(const SimProgram *p, const char *name)
{
    for (size_t i = 0; i < p->nsyms; i++)
        if (strcmp(p->syms[i].name, name) == 0)
            return &p->syms[i];
    return NULL;
}

bool sim_elf_symfn(void *ctx, uint32_t addr, const char **name,
                   uint32_t *offset)
{
    const SimProgram *p = ctx;
    /* objdump names a target by the nearest symbol at or below it. */
    size_t lo = symbols_upto(p, addr);
    if (lo == 0)
        return false;
    const SimSymbol *s = &p->syms[lo - 1];
    *name = s->name;
    *offset = addr - s->addr;
    return true;
}

bool sim_elf_source_line(const SimProgram *p, uint32_t addr,
                         const char **file, int *line)
{
    if (!p->dwarf)
        return false;
    Dwarf_Die cu;
    if (!dwarf_addrdie(p->dwarf, addr, &cu))
        return false;
    Dwarf_Line *l = dwarf_getsrc_die(&cu, addr);
    if (!l)
        return false;
    const char *f = dwarf_linesrc(l, NULL, NULL);
    if (!f || dwarf_lineno(l, line) != 0)
        return false;
    if (has_control(f)) {
        /* The cleaned copy, made once per name (the cache is the
         * program's own, whatever the const). */
        SimProgram *w = (SimProgram *)p;
        const char *c = NULL;
        for (size_t i = 0; i < w->ncleaned && !c; i++)
            if (w->cleaned[i].raw == f)
                c = w->cleaned[i].clean;
        if (!c) {
            struct CleanName *n = realloc(w->cleaned, (w->ncleaned + 1) *
                                                          sizeof *n);
            char *cl = malloc(4 * strlen(f) + 1);
            if (!n || !cl) {
                if (n)
                    w->cleaned = n;
                free(cl);
                return false;
            }
            clean_copy(cl, f);
            w->cleaned = n;
            w->cleaned[w->ncleaned++] = (struct CleanName){f, cl};
            c = cl;
        }
        f = c;
    }
    *file = f;
    return true;
}

bool sim_elf_file_line(const SimProgram *p, uint32_t addr, char *buf,
                       size_t len)
{
    const char *file;
    int line;
    if (!sim_elf_source_line(p, addr, &file, &line))
        return false;
    const char *base = strrchr(file, '/');
    snprintf(buf, len, "%s:%d", base ? base + 1 : file, line);
    return true;
}

void sim_elf_describe(const SimProgram *p, uint32_t addr, char *buf,
                      size_t len)
{
    const SimSymbol *s = p ? sim_elf_symbol_at(p, addr) : NULL;
    const char *near;
    uint32_t off;
    int n;
    /* Hand-written assembly has labels without sizes: name the nearest
     * one below, as objdump does. */
    if (!s && p && sim_elf_symfn((void *)p, addr, &near, &off))
        n = snprintf(buf, len, off ? "%s+0x%x" : "%s", near, off);
    else if (s && addr != s->addr)
        n = snprintf(buf, len, "%s+0x%x", s->name, addr - s->addr);
    else if (s)
        n = snprintf(buf, len, "%s", s->name);
    else
        n = snprintf(buf, len, "0x%08x", addr);
    const char *file;
    int line;
    if (p && n >= 0 && (size_t)n < len &&
        sim_elf_source_line(p, addr, &file, &line)) {
        const char *base = strrchr(file, '/');
        snprintf(buf + n, len - (size_t)n, " (%s:%d)", base ? base + 1 : file,
                 line);
    }
}

void sim_elf_data_name(const SimProgram *p, uint32_t addr, char *buf,
                       size_t len)
{
    const SimSymbol *s = sim_elf_symbol_at(p, addr);
    if (s && !s->is_func)
        snprintf(buf, len, "%s+%u", s->name, addr - s->addr);
    else
        snprintf(buf, len, "0x%08x", addr);
}

/* Does path end with the components of name ("a/b.c" ends "b.c", not
 * "ab.c")? */
static bool path_ends(const char *path, const char *name)
{
    size_t pl = strlen(path), nl = strlen(name);
    return pl >= nl && !strcmp(path + pl - nl, name) &&
           (pl == nl || path[pl - nl - 1] == '/');
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

size_t sim_elf_line_addrs(const SimProgram *p, const char *file, int line,
                          uint32_t *out, size_t max)
{
    if (!p->dwarf)
        return 0;
    size_t n = 0;
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(p->dwarf, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu;
        Dwarf_Lines *lines;
        size_t nl;
        if (dwarf_offdie(p->dwarf, off + hsize, &cu) &&
            dwarf_getsrclines(&cu, &lines, &nl) == 0) {
            for (size_t i = 0; i < nl; i++) {
                Dwarf_Line *l = dwarf_onesrcline(lines, i);
                int ln;
                bool stmt;
                Dwarf_Addr a;
                const char *f = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
                if (!f || dwarf_lineno(l, &ln) != 0 || ln != line ||
                    dwarf_linebeginstatement(l, &stmt) != 0 || !stmt ||
                    dwarf_lineaddr(l, &a) != 0 || !path_ends(f, file))
                    continue;
                /* The first address of each run of the line's rows. */
                Dwarf_Line *prev = i ? dwarf_onesrcline(lines, i - 1) : NULL;
                int pln;
                const char *pf = prev ? dwarf_linesrc(prev, NULL, NULL) : NULL;
                if (prev && pf && !strcmp(pf, f) &&
                    dwarf_lineno(prev, &pln) == 0 && pln == line)
                    continue;
                bool dup = false;
                for (size_t k = 0; k < n && k < max; k++)
                    dup |= out[k] == (uint32_t)a;
                if (dup)
                    continue;
                if (n < max)
                    out[n] = (uint32_t)a;
                n++;
            }
        }
        off = next;
    }
    qsort(out, n < max ? n : max, sizeof *out, u32_cmp);
    return n;
}

void sim_elf_line_name(const SimProgram *p, uint32_t line, uint32_t size,
                       char *buf, size_t len)
{
    int n = 0, named = 0;
    buf[0] = '\0';
    uint64_t end = (uint64_t)line + size;
    for (uint64_t a = line; a < end && n >= 0 && (size_t)n < len;) {
        const SimSymbol *s = sim_elf_symbol_at(p, (uint32_t)a);
        if (!s) {
            a = sim_elf_next_symbol(p, (uint32_t)a);   /* none before */
            continue;
        }
        if (s->is_func || !s->size) {
            a++;
            continue;
        }
        uint64_t stop = (uint64_t)s->addr + s->size;
        if (stop > end)
            stop = end;
        if (named == 4) {
            n += snprintf(buf + n, len - (size_t)n, ", ...");
            break;
        }
        n += snprintf(buf + n, len - (size_t)n, "%s%s+%u..%u",
                      named++ ? ", " : "", s->name,
                      (unsigned)(a - s->addr), (unsigned)(stop - 1 - s->addr));
        a = stop;
    }
    if (!named)
        snprintf(buf, len, "0x%08x", line);
}

/* ---- backtraces ----------------------------------------------------------- */

/* Evaluate a CFI expression (the few operations compilers emit for
 * frames): the result is an address (*is_value false) or a value. */
static bool eval_ops(const Dwarf_Op *ops, size_t n, const uint32_t *regs,
                     uint32_t cfa, bool *is_value, uint32_t *out)
{
    uint32_t st[8];
    int sp = 0;
    *is_value = false;
    for (size_t i = 0; i < n; i++) {
        const Dwarf_Op *o = &ops[i];
        if (sp >= 7)
            return false;
        if (o->atom >= DW_OP_breg0 && o->atom <= DW_OP_breg31)
            st[sp++] = regs[o->atom - DW_OP_breg0] + (uint32_t)o->number;
        else if (o->atom >= DW_OP_lit0 && o->atom <= DW_OP_lit31)
            st[sp++] = o->atom - DW_OP_lit0;
        else switch (o->atom) {
        case DW_OP_bregx:
            if (o->number >= 32)
                return false;
            st[sp++] = regs[o->number] + (uint32_t)o->number2;
            break;
        case DW_OP_call_frame_cfa: st[sp++] = cfa; break;
        case DW_OP_consts: case DW_OP_constu:
        case DW_OP_const1u: case DW_OP_const1s: case DW_OP_const2u:
        case DW_OP_const2s: case DW_OP_const4u: case DW_OP_const4s:
            st[sp++] = (uint32_t)o->number;
            break;
        case DW_OP_plus_uconst:
            if (sp < 1) return false;
            st[sp - 1] += (uint32_t)o->number;
            break;
        case DW_OP_plus:
            if (sp < 2) return false;
            st[sp - 2] += st[sp - 1];
            sp--;
            break;
        case DW_OP_minus:
            if (sp < 2) return false;
            st[sp - 2] -= st[sp - 1];
            sp--;
            break;
        case DW_OP_stack_value: *is_value = true; break;
        default: return false;
        }
    }
    if (sp < 1)
        return false;
    *out = st[sp - 1];
    return true;
}

int sim_elf_backtrace(const SimProgram *p, const IsaMem *mem, uint32_t pc,
                      const uint32_t x[32], uint32_t *out, int max)
{
    if (!p->cfi)
        return 0;
    uint32_t regs[32];
    memcpy(regs, x, sizeof regs);
    int n = 0;
    while (n < max) {
        Dwarf_Frame *frame;
        if (dwarf_cfi_addrframe(p->cfi, pc, &frame) != 0)
            break;
        int ra_reg = dwarf_frame_info(frame, NULL, NULL, NULL);
        Dwarf_Op *ops, mem_ops[3];
        size_t nops;
        uint32_t cfa, ra;
        bool is_value;
        if (ra_reg < 0 || ra_reg >= 32 ||
            dwarf_frame_cfa(frame, &ops, &nops) != 0 || nops == 0 ||
            !eval_ops(ops, nops, regs, 0, &is_value, &cfa)) {
            free(frame);
            break;
        }
        if (dwarf_frame_register(frame, ra_reg, mem_ops, &ops, &nops) != 0) {
            free(frame);
            break;
        }
        if (nops == 0 && ops == NULL) {          /* same value: still in ra */
            ra = regs[ra_reg];
        } else if (nops == 0) {                  /* undefined: the outermost */
            free(frame);
            break;
        } else {
            uint32_t loc;
            if (!eval_ops(ops, nops, regs, cfa, &is_value, &loc) ||
                (!is_value && !isa_mem_read(mem, loc, &ra, 4))) {
                free(frame);
                break;
            }
            if (is_value)
                ra = loc;
        }
        /* Where s0 (the frame pointer) was saved, for frames that use it. */
        if (dwarf_frame_register(frame, 8, mem_ops, &ops, &nops) == 0 &&
            nops > 0) {
            uint32_t loc, v;
            if (eval_ops(ops, nops, regs, cfa, &is_value, &loc)) {
                if (is_value)
                    regs[8] = loc;
                else if (isa_mem_read(mem, loc, &v, 4))
                    regs[8] = v;
            }
        }
        free(frame);
        if (ra == 0 || ra == pc + 0 || !isa_mem_ptr(mem, ra, 2))
            break;
        out[n++] = ra;
        regs[2] = cfa;                            /* the caller's sp */
        regs[1] = ra;
        pc = ra - 2;                              /* inside the call */
    }
    return n;
}

void sim_elf_each_code_section(const SimProgram *p, SimSectionFn fn,
                               void *ctx)
{
    size_t shstrndx;
    if (elf_getshdrstrndx(p->elf, &shstrndx) != 0)
        return;
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(p->elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
            !(sh.sh_flags & SHF_EXECINSTR))
            continue;
        if (sh.sh_offset > p->image_size ||
            sh.sh_size > p->image_size - sh.sh_offset)
            continue;
        const char *name = elf_strptr(p->elf, shstrndx, sh.sh_name);
        fn(ctx, name ? name : "?", (uint32_t)sh.sh_addr,
           p->image + sh.sh_offset, (size_t)sh.sh_size);
    }
}

bool sim_elf_value(const SimProgram *p, const char *name, uint32_t *value)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(p->elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
            sh.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        size_t count = data ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < count; i++) {
            GElf_Sym s;
            const char *nm;
            if (gelf_getsym(data, (int)i, &s) && s.st_shndx != SHN_UNDEF &&
                (nm = elf_strptr(p->elf, sh.sh_link, s.st_name)) != NULL &&
                strcmp(nm, name) == 0) {
                *value = (uint32_t)s.st_value;
                return true;
            }
        }
    }
    return false;
}
