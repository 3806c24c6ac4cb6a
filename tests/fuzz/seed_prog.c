/* seed_prog.c — a small freestanding RV32 program, never run: make fuzz
 * builds it in several ways (optimised or not, with and without debug
 * info, DWARF 4 and 5, stripped, one segment or three) as seeds for the
 * ELF target, so that the fuzzer starts from real symbol tables, line
 * tables and call frame information.  Calls nest three deep, one
 * function keeps a frame pointer and one recurses.
 */
typedef unsigned int u32;

volatile u32 counter;
u32 table[16] = {1, 2, 3, 5, 8, 13, 21, 34};
const char message[] = "seed\n";
float scale = 1.5f;

__attribute__((noinline)) static u32 leaf(u32 x)
{
    return x * 2654435761u ^ (x >> 7);
}

__attribute__((noinline)) static u32 middle(u32 x, u32 y)
{
    volatile u32 buf[8];
    for (u32 i = 0; i < 8; i++)
        buf[i] = leaf(x + i) + y;
    return buf[x & 7];
}

__attribute__((noinline, optimize("no-omit-frame-pointer")))
static u32 framed(u32 n)
{
    u32 s = 0;
    for (u32 i = 0; i < n; i++)
        s += middle(i, table[i & 15]);
    return s;
}

__attribute__((noinline)) static u32 recurse(u32 n)
{
    return n < 2 ? n : recurse(n - 1) + recurse(n - 2);
}

static u32 (*const pick[2])(u32) = {framed, recurse};

__attribute__((noinline)) static float fscale(u32 v)
{
    return (float)v * scale;
}

void _start(void)
{
    u32 v = 0;
    for (u32 i = 0; message[i]; i++)
        v += pick[i & 1]((u32)message[i] & 15);
    counter = v + (u32)fscale(v);
    for (;;)
        __asm__ volatile("wfi");
}
