/* elf.h — loading guest programs: RISC-V ELF32 executables through libelf,
 * their symbol tables, and source lines through libdw.
 *
 * May depend on: isa/ (to place segments into guest memory), libelf, libdw.
 */
#ifndef PARSIM_SIM_ELF_H
#define PARSIM_SIM_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"

typedef struct SimProgram SimProgram;

typedef struct SimSymbol {
    uint32_t addr, size;
    const char *name;
    bool is_func;
} SimSymbol;

/* Open and validate `path` (a RISC-V ELF32 little-endian executable for
 * RV32 with at most single-precision float ABI).  On failure returns NULL
 * and writes a one-line reason into err. */
SimProgram *sim_elf_open(const char *path, char *err, size_t errlen);
void sim_elf_close(SimProgram *p);

/* Copy the PT_LOAD segments to their physical addresses in mem, which
 * must be all zeros (fresh from calloc: their .bss part is left as it is,
 * so that the host backs only the pages the program touches — with 64
 * ranks, 64 zeroed copies of the stacks would cost more than the run).
 * Fails (with a reason in err) when a segment does not fit in RAM. */
ISA_WARN_UNUSED bool sim_elf_load(const SimProgram *p, IsaMem *mem, char *err,
                                  size_t errlen);

uint32_t sim_elf_entry(const SimProgram *p);
/* [addr, addr+len) lies in a loaded segment that is not writable (code,
 * read-only data). */
bool sim_elf_readonly(const SimProgram *p, uint32_t addr, uint32_t len);
const char *sim_elf_path(const SimProgram *p);
/* Highest physical address used by a loaded segment (one past the end). */
uint32_t sim_elf_top(const SimProgram *p);

/* The symbol containing addr (functions preferred over objects), or NULL.
 * Symbols of size 0 match only their exact address. */
const SimSymbol *sim_elf_symbol_at(const SimProgram *p, uint32_t addr);
/* The first address above addr where a symbol starts (UINT64_MAX: none):
 * when no symbol holds addr, none holds a byte before that either. */
uint64_t sim_elf_next_symbol(const SimProgram *p, uint32_t addr);
/* The addresses where the code of source line `line` of `file` begins
 * (each start of a statement on that line, in every compilation unit;
 * `file` matches a path's last components: "counter.c",
 * "threads/counter.c"): up to max of them, sorted; returns how many
 * there are (0: none, or no debug info). */
size_t sim_elf_line_addrs(const SimProgram *p, const char *file, int line,
                          uint32_t *out, size_t max);

/* A cache line [line, line + size) by every variable it holds, each with
 * the bytes of it the line covers: "hits+0..31, hits_padded+0..31",
 * "matrix+1024..1087"; at most four, then "..."; "0x80400000" when it
 * holds none. */
void sim_elf_line_name(const SimProgram *p, uint32_t line, uint32_t size,
                       char *buf, size_t len);
/* Look a symbol up by name; NULL if absent. */
const SimSymbol *sim_elf_symbol(const SimProgram *p, const char *name);
/* The value of any defined symbol, absolute ones (linker-script
 * constants such as __parsim_hart_stack) included; false if absent. */
bool sim_elf_value(const SimProgram *p, const char *name, uint32_t *value);

/* IsaSymFn adapter for isa_disasm (ctx is the SimProgram). */
bool sim_elf_symfn(void *ctx, uint32_t addr, const char **name,
                   uint32_t *offset);

/* Source file and line of addr from the DWARF line table; false when the
 * program has no debug info for it. */
bool sim_elf_source_line(const SimProgram *p, uint32_t addr,
                         const char **file, int *line);

/* "prog.c:14" (the file's last component) for addr; false, writing
 * nothing, without debug info for it. */
bool sim_elf_file_line(const SimProgram *p, uint32_t addr, char *buf,
                       size_t len);

/* "main+0x1c (prog.c:14)" or "main+0x1c" or "0x80000010": where addr is,
 * for messages. */
void sim_elf_describe(const SimProgram *p, uint32_t addr, char *buf,
                      size_t len);

/* Return addresses of the callers of the code at pc, innermost first, from
 * the program's call frame information (.debug_frame) and the hart's
 * registers x[] and memory; returns how many (0 without CFI). */
int sim_elf_backtrace(const SimProgram *p, const IsaMem *mem, uint32_t pc,
                      const uint32_t x[32], uint32_t *out, int max);

/* "counter+4" for a data address inside a variable, else "0x80400010". */
void sim_elf_data_name(const SimProgram *p, uint32_t addr, char *buf,
                       size_t len);

/* Visit each executable section's bytes (for the disassembler). */
typedef void (*SimSectionFn)(void *ctx, const char *name, uint32_t addr,
                             const uint8_t *bytes, size_t size);
void sim_elf_each_code_section(const SimProgram *p, SimSectionFn fn,
                               void *ctx);

#endif
