/* argv.c — differential test: argc/argv as the semihosting command line
 * delivers them; exits with argc so a lost or extra argument shows twice. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = [%s] (%u chars)\n", i, argv[i],
               (unsigned)strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    return argc;
}
