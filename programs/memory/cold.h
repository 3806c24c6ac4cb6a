/* cold.h — memory no one has touched yet, for the programs of
 * programs/memory: blocks taken downwards from the top of the heap region
 * (__heap_end, below the hart stacks), which malloc, growing upwards from
 * the end of .bss, does not reach in these programs.  RAM starts zeroed,
 * on parsim and on QEMU, so the blocks read as zero; not a single line of
 * them is in any cache, and under first-touch placement no page of them
 * has a home yet.  (picolibc's malloc writes the blocks it hands out, and
 * .bss is zeroed by hart 0 at start-up: neither is cold.)  Call it before
 * starting other harts: it is not thread-safe. */
#ifndef PARSIM_MEMORY_COLD_H
#define PARSIM_MEMORY_COLD_H

#include <stddef.h>
#include <stdint.h>

extern char __heap_end[];

/* `bytes` of cold memory aligned to `align` (a power of two). */
static inline void *cold_alloc(size_t bytes, size_t align)
{
    static uintptr_t top;
    if (!top)
        top = (uintptr_t)__heap_end;
    top = (top - bytes) & ~(uintptr_t)(align - 1);
    return (void *)top;
}

#endif
