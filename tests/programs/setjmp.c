/* setjmp.c — differential test: setjmp/longjmp across frames, values kept
 * in volatile locals and callee-saved FP registers, nested jump buffers. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf outer, inner;
static int depth_reached;

static void dive(int depth, int target)
{
    volatile char pad[64];
    pad[depth % 64] = (char)depth;
    depth_reached = depth;
    if (depth > 1000)
        return; /* never: the jump comes first */
    if (depth == target)
        longjmp(outer, depth * 10 + pad[depth % 64] % 7);
    dive(depth + 1, target);
}

static float fpwork(volatile float x)
{
    /* Values live across setjmp in FP registers must come back intact. */
    volatile float a = x * 1.5f;
    float b = x + 2.0f;
    if (setjmp(inner) == 0) {
        a += 1.0f;
        longjmp(inner, 0); /* longjmp(…, 0) must deliver 1 */
    }
    return a * b;
}

int main(void)
{
    volatile int count = 0;
    for (volatile int target = 1; target <= 40; target += 13) {
        int v = setjmp(outer);
        if (v == 0) {
            count++;
            dive(0, target);
            printf("not reached\n");
        } else {
            printf("jumped back from depth %d with %d (count %d)\n",
                   depth_reached, v, count);
        }
    }
    printf("fpwork %.6f %.6f\n", (double)fpwork(3.0f), (double)fpwork(-1.25f));
    volatile int loops = 0;
    jmp_buf again;
    if (setjmp(again) < 5) {
        loops++;
        if (loops < 5)
            longjmp(again, loops);
    }
    printf("loops %d\n", loops);
    return count == 4 ? 0 : 1;
}
