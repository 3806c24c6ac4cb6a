/* exit_status.c — differential test: how a program's end reaches the exit
 * status: return from main, exit(n) with atexit handlers and unflushed
 * output, _Exit, by the first argument ("ret N", "exit N", "_exit N"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bye(void)
{
    /* Runs from exit() and from return-from-main, not from _Exit. */
    printf("atexit handler ran\n");
}

int main(int argc, char **argv)
{
    atexit(bye);
    /* argv[0] is the program's path, argv[1] its first argument. */
    const char *how = argc > 1 ? argv[1] : "ret";
    int code = argc > 2 ? atoi(argv[2]) : 3;
    printf("ending by %s with %d", how, code); /* no newline: exit flushes */
    if (strcmp(how, "exit") == 0)
        exit(code);
    if (strcmp(how, "_exit") == 0) {
        fflush(stdout);
        _Exit(code);
    }
    printf("\n");
    return code;
}
