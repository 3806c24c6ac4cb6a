/* hello.c — the smallest parsim program: greets, lists its arguments and
 * says which hart it ran on. */
#include <stdio.h>

#include "parsim.h"

int main(int argc, char **argv)
{
    printf("Hello from hart %u of the parsim machine!\n", hart_id());
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
