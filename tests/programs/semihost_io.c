/* semihost_io.c — exercises the semihosting calls a C program reaches
 * through picolibc: argv, stdout/stderr, stdin, host files (path in
 * argv[1]), seek/flen, remove, clock, and the exit status (argv[2]).
 * (argv[0] is the program's path.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    fprintf(stderr, "to stderr\n");
    if (argc < 3)
        return 1;

    FILE *f = fopen(argv[1], "w");
    if (!f) {
        printf("fopen w failed\n");
        return 2;
    }
    fprintf(f, "line one\nline two %d\n", 42);
    fclose(f);
    f = fopen(argv[1], "r");
    if (!f) {
        printf("fopen r failed\n");
        return 3;
    }
    char buf[64];
    while (fgets(buf, sizeof buf, f))
        printf("read: %s", buf);
    fseek(f, 5, SEEK_SET);
    printf("after seek: %c\n", fgetc(f));
    fclose(f);
    printf("remove: %d\n", remove(argv[1]));
    printf("reopen removed: %s\n", fopen(argv[1], "r") ? "yes" : "no");

    char line[64];
    if (fgets(line, sizeof line, stdin))
        printf("stdin: %s", line);
    else
        printf("stdin: EOF\n");

    clock_t c = clock();
    printf("clock ok: %d\n", c != (clock_t)-1);
    return atoi(argv[2]);
}
