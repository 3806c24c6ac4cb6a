/* bad_line.c — a #line directive puts a terminal escape into the debug
 * info's file name, then the program stores outside RAM: parsim's fault
 * report must show the name's control byte as \x1b, never send it to the
 * terminal (where it would clear the screen). */
#include <stdint.h>

int main(void)
{
#line 7 "\033[2Jforged.c"
    *(volatile uint32_t *)(uintptr_t)0x1000 = 1;
    return 0;
}
