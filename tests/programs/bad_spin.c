/* bad_spin.c — never ends: the cycle limit must stop it. */
#include <stdio.h>

volatile int never_set;

int main(void)
{
    printf("spinning\n");
    while (!never_set)
        ;
    return 0;
}
